/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for core/config_validate.c: one negative test per error
 * code (checking the code and where diag points), positive tests, edge
 * cases (touching ranges, wraparound) and hostile tables (counts beyond
 * their arrays).
 */
#include <stdlib.h>
#include <string.h>

#include "hv/config.h"
#include "hv/config_validate.h"

#include "cfg_fixture.h"
#include "harness.h"
#include "hv/doorbell.h"

/* ---- positive tests ---- */

/* Two aligned name buffers, or one shifted off alignment. */
static struct {
	_Alignas(8) char a[HV_NAME_LEN + 1];
	_Alignas(8) char b[HV_NAME_LEN];
} names;

static bool streq_set(const char *a, size_t alen, const char *b, size_t blen,
		      bool shift)
{
	char *pa = shift ? names.a + 1 : names.a;

	memset(&names, 0x5a, sizeof(names)); /* bytes after the NUL differ */
	memset(names.b, 0xa5, sizeof(names.b));
	memcpy(pa, a, alen);
	memcpy(names.b, b, blen);
	return cfg_streq(pa, names.b, HV_NAME_LEN);
}

TEST(cfg, streq_words_and_bytes)
{
	for (int shift = 0; shift < 2; shift++) {
		/* Equal up to the NUL, whatever follows it, at every length
		 * around the 8-byte steps. */
		static const char *const eq[] = { "", "a", "abcdefg",
						  "abcdefgh", "abcdefghi",
						  "virtio_mmio@a000200",
						  "0123456789abcdef0123456789abcde" };

		for (unsigned i = 0; i < ARRAY_SIZE(eq); i++) {
			size_t n = strlen(eq[i]) + 1;

			EXPECT_TRUE(streq_set(eq[i], n, eq[i], n, shift));
		}
		/* A difference before the NUL, inside and across words. */
		EXPECT_TRUE(!streq_set("virtio_mmio@a000200", 20,
				       "virtio_mmio@a000400", 20, shift));
		EXPECT_TRUE(!streq_set("abcdefgh", 9, "abcdefgx", 9, shift));
		EXPECT_TRUE(!streq_set("abcdefgh", 9, "abcdefghi", 10, shift));
		EXPECT_TRUE(!streq_set("abcdefghi", 10, "abcdefgh", 9, shift));
		EXPECT_TRUE(!streq_set("x", 2, "y", 2, shift));
		EXPECT_TRUE(!streq_set("", 1, "y", 2, shift));
		/* No NUL in either buffer: all 32 bytes decide. */
		EXPECT_TRUE(streq_set("0123456789abcdef0123456789abcdef", 32,
				      "0123456789abcdef0123456789abcdef", 32,
				      shift));
		EXPECT_TRUE(!streq_set("0123456789abcdef0123456789abcdef", 32,
				       "0123456789abcdef0123456789abcdeX", 32,
				       shift));
	}
}

TEST(cfg, valid_two_partitions)
{
	struct cfg_diag d;

	valid();
	EXPECT_EQ(config_validate(&cfg, &d), CFG_OK);
	EXPECT_EQ(d.code, CFG_OK);
	EXPECT_EQ(d.partition, -1);
	EXPECT_EQ(d.other, -1);
	EXPECT_EQ(d.item, -1);
	EXPECT_TRUE(d.property == NULL);
}

TEST(cfg, null_diag_is_allowed)
{
	valid();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	cfg.magic = 0;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_E_BAD_MAGIC);
}

TEST(cfg, valid_gicv2_board)
{
	valid();
	cfg.board.gic_version = HV_GIC_V2;
	cfg.board.gicr_base = 0;
	cfg.board.gicc_base = 0x08010000ULL;
	cfg.board.gich_base = 0x08030000ULL;
	cfg.board.gicv_base = 0x08040000ULL;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, valid_single_partition_all_cores)
{
	valid();
	cfg.partition_count = 1;
	alpha()->cpu_count = 4;
	alpha()->cpus[2] = 2;
	alpha()->cpus[3] = 3;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, valid_no_blocks_allows_4k_alignment)
{
	valid();
	alpha()->flags = HV_PART_RAM_NO_BLOCKS;
	alpha()->ram_pa = RAM_A + SZ_4K;
	alpha()->ram_size = PART_RAM - 2 * SZ_4K;
	alpha()->dtb.offset = alpha()->ram_size - SZ_2M;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, valid_initrd_and_offsets)
{
	valid();
	alpha()->image.offset = 0x80000;
	alpha()->entry_offset = 0x80000 + 0xfff0;
	alpha()->initrd.size = 0x100000;
	alpha()->initrd.offset = alpha()->dtb.offset - 0x100000;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, touching_ranges_are_ok)
{
	valid();
	/* alpha's RAM ends where beta's starts; beta's starts at hv end. */
	beta()->ram_pa = cfg.board.hv_base + cfg.board.hv_size;
	alpha()->ram_pa = beta()->ram_pa + PART_RAM;
	/* Image ends where the DTB starts; DTB ends at the end of RAM. */
	alpha()->image.offset = alpha()->dtb.offset - alpha()->image.size;
	alpha()->entry_offset = alpha()->image.offset;
	alpha()->dtb.size = SZ_2M;
	/* RAM IPA ends where the GICD window starts. */
	beta()->ram_ipa = HV_GUEST_GICD_IPA - PART_RAM;
	/* A device right after the GICR window of 2 vCPUs. */
	beta()->devices[0].ipa = HV_GUEST_GICR_IPA + 2 * HV_GUEST_GICR_STRIDE;
	/* Partition RAM ending exactly at the end of the bank and IPA space. */
	cfg.partition_count = 3;
	make_part(&cfg.partitions[2], "gamma_2", 0, 0x7c000000ULL);
	cfg.partitions[2].cpu_count = 0;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_E_NO_CPUS);
	cfg.board.cpu_count = 6;
	cfg.board.cpu_mpidr[4] = 0x100;
	cfg.board.cpu_mpidr[5] = 0x101;
	cfg.partitions[2].cpu_count = 2;
	cfg.partitions[2].cpus[0] = 4;
	cfg.partitions[2].cpus[1] = 5;
	cfg.partitions[2].ram_ipa = (1ULL << HV_GUEST_IPA_BITS) - PART_RAM;
	cfg.partitions[2].device_count = 0;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, entry_at_last_image_byte_is_ok)
{
	valid();
	alpha()->entry_offset = alpha()->image.size - 1;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, hv_size_exactly_enough_is_ok)
{
	valid();
	/*
	 * hv_size must stay 2 MiB aligned: alpha's image fills what beta's
	 * 64 KiB image and the two 4 KiB DTBs leave of 2 MiB.
	 */
	cfg.board.hv_size = HV_IMAGE_OVERHEAD + SZ_2M;
	alpha()->image.size = SZ_2M - 0x10000 - 2 * SZ_4K;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha()->image.size += 1; /* rounds up to one more page */
	CHECK_DIAG(CFG_E_HV_TOO_SMALL, -1, -1, "memory-size");
}

TEST(cfg, hv_size_counts_the_table_pool_beyond_its_base)
{
	valid();
	cfg.board.hv_size = HV_IMAGE_OVERHEAD + SZ_2M;
	alpha()->image.size = SZ_2M - 0x10000 - 2 * SZ_4K;
	/* A pool of HV_PT_POOL_PAGES is in HV_IMAGE_OVERHEAD... */
	cfg.table_pages = HV_PT_POOL_PAGES - HV_PT_OWN_PAGES;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	/* ...one page more is not. */
	cfg.table_pages++;
	CHECK_DIAG(CFG_E_HV_TOO_SMALL, -1, -1, "memory-size");
	alpha()->image.size -= SZ_4K;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, strerror_covers_every_code)
{
	for (int e = 0; e <= CFG_E_COUNT + 5; e++) {
		const char *s = cfg_strerror((enum cfg_err)e);

		EXPECT_TRUE(s != NULL && s[0] != '\0');
	}
	EXPECT_TRUE(strcmp(cfg_strerror(CFG_E_CPU_TWO_OWNERS),
			   cfg_strerror(CFG_E_IRQ_TWO_OWNERS)) != 0);
}

/* ---- one negative test (at least) per error code ---- */

TEST(cfg, bad_magic_and_version)
{
	valid();
	cfg.magic = HV_CONFIG_MAGIC + 1;
	CHECK_DIAG(CFG_E_BAD_MAGIC, -1, -1, NULL);
	valid();
	cfg.version = HV_CONFIG_VERSION + 1;
	CHECK_DIAG(CFG_E_BAD_MAGIC, -1, -1, NULL);
}

TEST(cfg, board_cpus)
{
	valid();
	cfg.board.cpu_count = 0;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "cpus");
	valid();
	cfg.board.cpu_count = HV_MAX_CPUS + 1;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "cpus");
	valid();
	cfg.board.cpu_mpidr[3] = 1; /* same as core 1 */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "cpus", 3);
	valid();
	cfg.board.cpu_mpidr[2] = 1ULL << 31; /* not an affinity bit */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "cpus", 2);
}

TEST(cfg, board_memory_and_hv_region)
{
	valid();
	cfg.board.ram_count = 0;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "memory");
	valid();
	cfg.board.ram_count = 2;
	cfg.board.ram[1].base = 0x7ff00000ULL; /* overlaps bank 0 */
	cfg.board.ram[1].size = SZ_2M;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "memory", 1);
	valid();
	cfg.board.ram[0].size = 0;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "memory", 0);
	valid();
	cfg.board.hv_base += SZ_4K;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "hypervisor");
	valid();
	cfg.board.hv_size = 0;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "hypervisor");
	valid();
	cfg.board.hv_base = 0x20000000ULL; /* not in RAM */
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "hypervisor");
}

TEST(cfg, board_gic_and_uart)
{
	valid();
	cfg.board.gic_version = 4;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "gic/version");
	valid();
	cfg.board.spi_count = 0;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "gic/spi-count");
	valid();
	cfg.board.spi_count = 989;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "gic/spi-count");
	valid();
	cfg.board.gicd_base = 0x40400000ULL; /* in RAM */
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "gic/distributor");
	valid();
	cfg.board.gic_version = HV_GIC_V2; /* GICC etc. left at 0: aligned */
	cfg.board.gicc_base = 0x08010100ULL;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "gic/cpu-interface");
	valid();
	cfg.board.uart_kind = 0;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "uart/compatible");
	valid();
	cfg.board.uart_base = 0x09000100ULL;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "uart/reg");
	valid();
	cfg.board.uart_irq = 32 + 256;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "uart/interrupts");
	valid();
	strcpy(cfg.board.name, "");
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "model");
}

TEST(cfg, board_devices)
{
	valid();
	cfg.board.devices[1].regs[0].base = 0x40001000ULL; /* in RAM */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 1);
	valid();
	cfg.board.devices[0].regs[0].base = 0x09000800ULL; /* UART page */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 0);
	valid();
	cfg.board.devices[2].regs[0].base = 0x080a0000ULL; /* GICR */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 2);
	valid();
	cfg.board.devices[3].irqs[0] = 33; /* the UART's */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 3);
	valid();
	strcpy(cfg.board.devices[4].name, "pl031@9010000"); /* duplicate */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 4);
	valid();
	/* Equal up to the NUL, different after it: still a duplicate. */
	strcpy(cfg.board.devices[4].name, cfg.board.devices[1].name);
	cfg.board.devices[4].name[HV_NAME_LEN - 1] = 'z';
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 4);
	valid();
	cfg.board.devices[4].regs[0].size = 0;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 4);
	valid();
	cfg.board.devices[4].regs[0].base = UINT64_MAX - 0x10; /* wraps */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 4);
	valid();
	memset(cfg.board.devices[0].name, 'x', HV_NAME_LEN); /* no NUL */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 0);
	valid();
	strcpy(cfg.board.devices[2].name, ""); /* empty */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 2);
}

/* Names are checked a word at a time: differences and the NUL at every
 * position of the 32-byte buffer, duplicates at every length. */
TEST(cfg, board_device_names_by_word)
{
	struct cfg_diag diag;

	for (size_t len = 1; len < HV_NAME_LEN; len++) {
		valid();
		memset(cfg.board.devices[1].name, 0, HV_NAME_LEN);
		memset(cfg.board.devices[1].name, 'a', len);
		memcpy(cfg.board.devices[4].name, cfg.board.devices[1].name,
		       HV_NAME_LEN);
		CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 4);
		/* Bytes after the NUL do not count. */
		memset(cfg.board.devices[4].name + len + 1, 'z',
		       HV_NAME_LEN - len - 1);
		CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 4);
		memset(cfg.board.devices[4].name + len + 1, 0,
		       HV_NAME_LEN - len - 1);
		for (size_t k = 0; k < len; k++) {
			cfg.board.devices[4].name[k] = 'b';
			EXPECT_EQ(config_validate(&cfg, &diag), CFG_OK);
			cfg.board.devices[4].name[k] = 'a';
		}
		/* One character longer or shorter: a different name. */
		cfg.board.devices[4].name[len] = 'a';
		if (len + 1 < HV_NAME_LEN) {
			EXPECT_EQ(config_validate(&cfg, &diag), CFG_OK);
		}
		cfg.board.devices[4].name[len] = '\0';
		cfg.board.devices[4].name[len - 1] = '\0';
		if (len > 1) {
			EXPECT_EQ(config_validate(&cfg, &diag), CFG_OK);
		}
	}
}

TEST(cfg, no_partitions)
{
	valid();
	cfg.partition_count = 0;
	CHECK_DIAG(CFG_E_NO_PARTITIONS, -1, -1, "partitions");
	valid();
	cfg.partition_count = HV_MAX_PARTITIONS + 1;
	CHECK_DIAG(CFG_E_NO_PARTITIONS, -1, -1, "partitions");
}

TEST(cfg, name)
{
	valid();
	beta()->name[0] = '\0';
	CHECK_DIAG(CFG_E_NAME, 1, -1, "name");
	valid();
	strcpy(beta()->name, "alpha");
	CHECK_DIAG(CFG_E_NAME, 1, 0, "name");
	valid();
	strcpy(alpha()->name, "al pha");
	CHECK_ITEM(CFG_E_NAME, 0, -1, "name", 2);
	valid();
	strcpy(alpha()->name, "a.b");
	CHECK_DIAG(CFG_E_NAME, 0, -1, "name");
	valid();
	memset(alpha()->name, 'a', HV_NAME_LEN); /* not NUL-terminated */
	CHECK_DIAG(CFG_E_NAME, 0, -1, "name");
}

TEST(cfg, no_cpus)
{
	valid();
	beta()->cpu_count = 0;
	CHECK_DIAG(CFG_E_NO_CPUS, 1, -1, "cpus");
}

TEST(cfg, cpu_not_on_board)
{
	valid();
	beta()->cpus[1] = 4;
	CHECK_ITEM(CFG_E_CPU_NOT_ON_BOARD, 1, -1, "cpus", 1);
	valid();
	beta()->cpus[0] = 255;
	CHECK_ITEM(CFG_E_CPU_NOT_ON_BOARD, 1, -1, "cpus", 0);
}

TEST(cfg, cpu_two_owners)
{
	valid();
	beta()->cpus[0] = 1; /* alpha has cores 0 and 1 */
	CHECK_ITEM(CFG_E_CPU_TWO_OWNERS, 1, 0, "cpus", 0);
	valid();
	alpha()->cpus[1] = 0; /* listed twice in one partition */
	CHECK_ITEM(CFG_E_CPU_TWO_OWNERS, 0, 0, "cpus", 1);
}

TEST(cfg, unaligned)
{
	valid();
	alpha()->ram_size = PART_RAM + SZ_4K;
	CHECK_DIAG(CFG_E_UNALIGNED, 0, -1, "memory-size");
	valid();
	beta()->ram_pa = RAM_B + SZ_4K;
	CHECK_DIAG(CFG_E_UNALIGNED, 1, -1, "memory-base");
	valid();
	beta()->ram_ipa = HV_GUEST_RAM_IPA_DEFAULT + SZ_64K;
	CHECK_DIAG(CFG_E_UNALIGNED, 1, -1, "guest-base");
	valid();
	alpha()->flags = HV_PART_RAM_NO_BLOCKS;
	alpha()->ram_size = PART_RAM - 0x800;
	CHECK_DIAG(CFG_E_UNALIGNED, 0, -1, "memory-size");
	valid();
	beta()->devices[0].size = 0x200; /* board size, not rounded */
	CHECK_ITEM(CFG_E_UNALIGNED, 1, -1, "devices", 0);
	valid();
	beta()->devices[0].pa = 0x0a000200ULL;
	CHECK_ITEM(CFG_E_UNALIGNED, 1, -1, "devices", 0);
	valid();
	beta()->devices[0].size = 0;
	CHECK_ITEM(CFG_E_UNALIGNED, 1, -1, "devices", 0);
}

TEST(cfg, mem_zero)
{
	valid();
	beta()->ram_size = 0;
	CHECK_DIAG(CFG_E_MEM_ZERO, 1, -1, "memory-size");
}

TEST(cfg, mem_not_on_board)
{
	valid();
	beta()->ram_pa = 0x80000000ULL; /* just past the bank */
	CHECK_DIAG(CFG_E_MEM_NOT_ON_BOARD, 1, -1, "memory-base");
	valid();
	beta()->ram_pa = 0x7e000000ULL; /* straddles the bank's end */
	CHECK_DIAG(CFG_E_MEM_NOT_ON_BOARD, 1, -1, "memory-base");
	valid();
	beta()->ram_pa = 0xfffffffffe000000ULL; /* wraps around */
	CHECK_DIAG(CFG_E_MEM_NOT_ON_BOARD, 1, -1, "memory-base");
}

TEST(cfg, mem_overlap)
{
	valid();
	beta()->ram_pa = RAM_A + 32 * MIB;
	CHECK_DIAG(CFG_E_MEM_OVERLAP, 1, 0, "memory-base");
	valid();
	beta()->ram_pa = RAM_A; /* identical */
	CHECK_DIAG(CFG_E_MEM_OVERLAP, 1, 0, "memory-base");
}

TEST(cfg, overlaps_hv)
{
	valid();
	alpha()->ram_pa = cfg.board.hv_base + 30 * MIB; /* last 2 MiB of hv */
	CHECK_DIAG(CFG_E_OVERLAPS_HV, 0, -1, "memory-base");
	valid();
	alpha()->devices[0].pa = cfg.board.hv_base + SZ_4K;
	alpha()->devices[0].ipa = 0x0c000000ULL;
	CHECK_ITEM(CFG_E_OVERLAPS_HV, 0, -1, "devices", 0);
}

TEST(cfg, ipa_range)
{
	valid();
	beta()->ram_ipa = (1ULL << HV_GUEST_IPA_BITS) - 32 * MIB;
	CHECK_DIAG(CFG_E_IPA_RANGE, 1, -1, "guest-base");
	valid();
	beta()->ram_ipa = 0xfffffffffc000000ULL; /* ends exactly at 2^64 */
	CHECK_DIAG(CFG_E_IPA_RANGE, 1, -1, "guest-base");
	valid();
	beta()->devices[0].ipa = 1ULL << HV_GUEST_IPA_BITS;
	CHECK_ITEM(CFG_E_IPA_RANGE, 1, -1, "devices", 0);
	valid();
	beta()->devices[0].ipa = UINT64_MAX - SZ_4K + 1;
	CHECK_ITEM(CFG_E_IPA_RANGE, 1, -1, "devices", 0);
}

TEST(cfg, ipa_overlap)
{
	valid();
	alpha()->ram_ipa = HV_GUEST_GICD_IPA - 32 * MIB; /* runs over GICD */
	CHECK_DIAG(CFG_E_IPA_OVERLAP, 0, -1, "guest-base");
	valid();
	alpha()->ram_ipa = HV_GUEST_UART_IPA & ~(SZ_2M - 1); /* UART */
	CHECK_DIAG(CFG_E_IPA_OVERLAP, 0, -1, "guest-base");
	valid();
	beta()->devices[0].ipa = HV_GUEST_UART_IPA;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "devices", 0);
	valid();
	beta()->devices[0].ipa = HV_GUEST_RAM_IPA_DEFAULT + 0x100000;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "devices", 0);
	valid();
	/* Inside the GICR window of 2 vCPUs (but not of 1). */
	beta()->devices[0].ipa = HV_GUEST_GICR_IPA + HV_GUEST_GICR_STRIDE;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "devices", 0);
	beta()->cpu_count = 1;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	valid();
	beta()->device_count = 2; /* second device at the first's IPA */
	set_dev(&beta()->devices[1], "pl031@9010000", 0x09010000ULL, 34, 0);
	beta()->devices[1].ipa = 0x0a000000ULL;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "devices", 1);
}

TEST(cfg, ipa_overlap_gicv2_cpu_interface)
{
	valid();
	cfg.board.gic_version = HV_GIC_V2;
	cfg.board.gicc_base = 0x08010000ULL;
	cfg.board.gich_base = 0x08030000ULL;
	cfg.board.gicv_base = 0x08040000ULL;
	beta()->devices[0].ipa = HV_GUEST_GICC_IPA + SZ_4K;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "devices", 0);
	/* The GICv3 redistributor window is not emulated for GICv2. */
	beta()->devices[0].ipa = HV_GUEST_GICR_IPA;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, no_image)
{
	valid();
	beta()->image.size = 0;
	CHECK_DIAG(CFG_E_NO_IMAGE, 1, -1, "image");
}

TEST(cfg, image_too_big)
{
	valid();
	alpha()->image.size = PART_RAM + 1;
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "image");
	valid();
	alpha()->image.size = alpha()->dtb.offset + 1; /* into the DTB */
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "image");
	valid();
	alpha()->image.offset = UINT64_MAX - 0x100; /* offset + size wraps */
	alpha()->entry_offset = alpha()->image.offset;
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "image");
	valid();
	alpha()->dtb.offset = PART_RAM - 0x800; /* DTB past the end */
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "memory-size");
	valid();
	alpha()->initrd.size = 0x2000;
	alpha()->initrd.offset = alpha()->dtb.offset - 0x1000;
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "initrd");
	valid();
	alpha()->initrd.size = 0x2000;
	alpha()->initrd.offset = 0x8000; /* inside the image */
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "image");
	valid();
	alpha()->initrd.size = SZ_4K;
	alpha()->initrd.offset = PART_RAM;
	CHECK_DIAG(CFG_E_IMAGE_TOO_BIG, 0, -1, "initrd");
}

TEST(cfg, entry)
{
	valid();
	alpha()->entry_offset = alpha()->image.size; /* one past the end */
	CHECK_DIAG(CFG_E_ENTRY, 0, -1, "entry-offset");
	valid();
	alpha()->image.offset = 0x80000;
	alpha()->entry_offset = 0x7fffc; /* before the image */
	CHECK_DIAG(CFG_E_ENTRY, 0, -1, "entry-offset");
}

TEST(cfg, dev_not_on_board)
{
	valid();
	alpha()->devices[0].pa = 0x0c000000ULL;
	alpha()->devices[0].ipa = 0x0c000000ULL;
	CHECK_ITEM(CFG_E_DEV_NOT_ON_BOARD, 0, -1, "devices", 0);
	valid();
	alpha()->devices[0].size = 2 * SZ_4K; /* larger than the board's */
	CHECK_ITEM(CFG_E_DEV_NOT_ON_BOARD, 0, -1, "devices", 0);
	valid();
	alpha()->devices[0].pa = 0xfffffffffffff000ULL; /* wraps */
	CHECK_ITEM(CFG_E_DEV_NOT_ON_BOARD, 0, -1, "devices", 0);
	valid();
	memset(alpha()->devices[0].name, 'd', HV_NAME_LEN);
	CHECK_ITEM(CFG_E_DEV_NOT_ON_BOARD, 0, -1, "devices", 0);
}

TEST(cfg, dev_two_owners)
{
	valid();
	/* virtio_mmio@a000200 shares beta's page: both get 0xa000000. */
	set_dev(&alpha()->devices[0], "virtio_mmio@a000200", 0x0a000000ULL, 50,
		0);
	CHECK_ITEM(CFG_E_DEV_TWO_OWNERS, 1, 0, "devices", 0);
	valid();
	beta()->device_count = 2;
	set_dev(&beta()->devices[1], "virtio_mmio@a000200", 0x0a000000ULL, 50,
		0);
	beta()->devices[1].ipa = 0x0b000000ULL;
	CHECK_ITEM(CFG_E_DEV_TWO_OWNERS, 1, 1, "devices", 1);
}

TEST(cfg, irq_not_on_board)
{
	valid();
	alpha()->devices[0].irqs[0] = 31; /* a PPI */
	CHECK_ITEM(CFG_E_IRQ_NOT_ON_BOARD, 0, -1, "devices", 0);
	valid();
	beta()->devices[0].irqs[1] = 32 + 256; /* past the board's SPIs */
	CHECK_ITEM(CFG_E_IRQ_NOT_ON_BOARD, 1, -1, "devices", 0);
	valid();
	beta()->devices[0].irq_count = HV_MAX_DEV_IRQS + 1;
	CHECK_ITEM(CFG_E_IRQ_NOT_ON_BOARD, 1, -1, "devices", 0);
}

TEST(cfg, irq_two_owners)
{
	valid();
	beta()->devices[0].irqs[1] = 39; /* alpha's PL061 */
	CHECK_ITEM(CFG_E_IRQ_TWO_OWNERS, 1, 0, "devices", 0);
	valid();
	beta()->devices[0].irqs[1] = 48; /* twice in one device */
	CHECK_ITEM(CFG_E_IRQ_TWO_OWNERS, 1, 1, "devices", 0);
	valid();
	alpha()->devices[0].irqs[0] = 33; /* the hypervisor UART's */
	CHECK_ITEM(CFG_E_IRQ_TWO_OWNERS, 0, -1, "devices", 0);
	valid();
	beta()->device_count = 2; /* in two devices of one partition */
	set_dev(&beta()->devices[1], "pl031@9010000", 0x09010000ULL, 49, 0);
	CHECK_ITEM(CFG_E_IRQ_TWO_OWNERS, 1, 1, "devices", 1);
}

TEST(cfg, policy)
{
	valid();
	for (int k = 0; k < HV_EVENTS; k++) {
		beta()->policy[k] = HV_FAULT_LOG;
	}
	beta()->policy[HV_EV_TRAP] = HV_FAULT_INJECT;
	beta()->policy[HV_EV_WATCHDOG] = HV_FAULT_INJECT;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	beta()->policy[HV_EV_STAGE2] = HV_FAULT_POLICIES;
	CHECK_ITEM(CFG_E_POLICY, 1, -1, "on-stage2-fault", HV_EV_STAGE2);
	valid();
	beta()->policy[HV_EV_SYSRESET] = HV_FAULT_INJECT;
	CHECK_ITEM(CFG_E_POLICY, 1, -1, "on-system-reset", HV_EV_SYSRESET);
	valid();
	beta()->policy[HV_EV_SYSOFF] = HV_FAULT_INJECT;
	CHECK_ITEM(CFG_E_POLICY, 1, -1, "on-system-off", HV_EV_SYSOFF);
	valid();
	beta()->policy[HV_EV_WATCHDOG] = 0xff;
	CHECK_ITEM(CFG_E_POLICY, 1, -1, "on-watchdog", HV_EV_WATCHDOG);
}

TEST(cfg, monitor)
{
	valid();
	alpha()->monitor_mask = 0x3; /* itself and beta */
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha()->monitor_mask = 0x4; /* a third partition that is not there */
	CHECK_DIAG(CFG_E_MONITOR, 0, -1, "monitor");
	valid();
	beta()->monitor_mask = 0x80000000u;
	CHECK_DIAG(CFG_E_MONITOR, 1, -1, "monitor");
}

TEST(cfg, watchdog_and_monitor_windows_in_ipa_space)
{
	valid();
	/* Guest RAM from the monitor window's start is fine until alpha
	 * monitors a partition. */
	alpha()->device_count = 0;
	alpha()->ram_ipa = HV_GUEST_MONITOR_IPA;
	alpha()->flags |= HV_PART_RAM_NO_BLOCKS;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha()->monitor_mask = 0x2;
	CHECK_DIAG(CFG_E_IPA_OVERLAP, 0, -1, "guest-base");
	/* Guest RAM over the watchdog window. */
	valid();
	alpha()->device_count = 0;
	alpha()->ram_ipa = HV_GUEST_WDOG_IPA;
	CHECK_DIAG(CFG_E_IPA_OVERLAP, 0, -1, "guest-base");
}

TEST(cfg, hv_too_small)
{
	valid();
	alpha()->image.size = 30 * MIB;
	alpha()->dtb.size = 0;
	CHECK_DIAG(CFG_E_HV_TOO_SMALL, -1, -1, "memory-size");
}

/* ---- hostile tables: counts beyond their arrays ---- */

TEST(cfg, untrusted_counts)
{
	valid();
	cfg.board.ram_count = 1000;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "memory");
	valid();
	cfg.board.device_count = 1000;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "devices");
	valid();
	cfg.board.devices[2].irq_count = 1000;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", 2);
	valid();
	beta()->cpu_count = 200;
	CHECK_ITEM(CFG_E_CPU_NOT_ON_BOARD, 1, -1, "cpus", -1);
	valid();
	beta()->device_count = HV_MAX_DEVICES + 1;
	CHECK_ITEM(CFG_E_DEV_NOT_ON_BOARD, 1, -1, "devices", -1);
	valid();
	alpha()->devices[0].irq_count = 0xffffffffu;
	CHECK_ITEM(CFG_E_IRQ_NOT_ON_BOARD, 0, -1, "devices", 0);
}

TEST(cfg, untrusted_partition_count_in_exact_allocation)
{
	/* ASan flags any read past the object if the count is trusted. */
	struct hv_config *c = malloc(sizeof(*c));
	struct cfg_diag d;

	ASSERT_TRUE(c != NULL);
	valid();
	memcpy(c, &cfg, sizeof(*c));
	c->partition_count = 0x80000000u;
	EXPECT_EQ(config_validate(c, &d), CFG_E_NO_PARTITIONS);
	c->partition_count = HV_MAX_PARTITIONS;
	EXPECT_NE(config_validate(c, &d), CFG_OK);
	EXPECT_EQ(d.partition, 2); /* the first zeroed slot */
	free(c);
}

TEST(cfg, first_error_wins)
{
	valid();
	/* Errors in alpha's devices and beta's cores: alpha comes first. */
	alpha()->devices[0].pa = 0x0c000000ULL;
	beta()->cpus[0] = 0;
	CHECK_DIAG(CFG_E_DEV_NOT_ON_BOARD, 0, -1, "devices");
	/* Within a partition, cores are checked before RAM. */
	valid();
	beta()->ram_size = 0;
	beta()->cpus[0] = 9;
	CHECK_DIAG(CFG_E_CPU_NOT_ON_BOARD, 1, -1, "cpus");
}

/* ---- channels (core/config_channels.c) ---- */

#define CHAN_PA 0x50000000ULL

static void set_end(struct hv_chan_end *e, const char *name, uint32_t peer,
		    uint32_t peer_end, uint32_t access, uint64_t ipa)
{
	strcpy(e->name, name);
	e->peer = peer;
	e->peer_end = peer_end;
	e->access = access;
	e->pa = CHAN_PA;
	e->ipa = ipa;
	e->size = SZ_4K;
}

/* valid(), alpha without its PL061, and channel "link": alpha writes,
 * beta reads; alpha sees it at its physical address, beta at 0x60000000. */
static struct hv_config *with_channel(void)
{
	valid();
	alpha()->device_count = 0;
	alpha()->chan_count = 1;
	beta()->chan_count = 1;
	set_end(&alpha()->chans[0], "link", 1, 0, HV_CHAN_RW, CHAN_PA);
	set_end(&beta()->chans[0], "link", 0, 0, HV_CHAN_RO, 0x60000000ULL);
	return &cfg;
}

TEST(cfg, valid_channel)
{
	with_channel();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	/* Read-write at both ends is fine too. */
	beta()->chans[0].access = HV_CHAN_RW;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, channel_count)
{
	with_channel();
	beta()->chan_count = HV_MAX_PART_CHANNELS + 1;
	CHECK_ITEM(CFG_E_CHAN_COUNT, 1, -1, "channels", -1);
	beta()->chan_count = 0xffffffffu;
	CHECK_ITEM(CFG_E_CHAN_COUNT, 1, -1, "channels", -1);
}

TEST(cfg, channel_name)
{
	with_channel();
	alpha()->chans[0].name[0] = '\0';
	CHECK_ITEM(CFG_E_CHAN_NAME, 0, -1, "channels", 0);
	with_channel();
	strcpy(alpha()->chans[0].name, "a.b");
	CHECK_ITEM(CFG_E_CHAN_NAME, 0, -1, "channels", 0);
	with_channel();
	memset(alpha()->chans[0].name, 'x', HV_NAME_LEN);
	CHECK_ITEM(CFG_E_CHAN_NAME, 0, -1, "channels", 0);
	/* Twice in one partition. */
	with_channel();
	alpha()->chan_count = 2;
	alpha()->chans[1] = alpha()->chans[0];
	CHECK_ITEM(CFG_E_CHAN_NAME, 0, 0, "channels", 1);
}

TEST(cfg, channel_access)
{
	with_channel();
	alpha()->chans[0].access = 2;
	CHECK_ITEM(CFG_E_CHAN_ACCESS, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].access = HV_CHAN_RO;
	CHECK_ITEM(CFG_E_CHAN_ACCESS, 0, 1, "channels", 0);
}

TEST(cfg, channel_doorbell_interval)
{
	with_channel();
	alpha()->chans[0].db_interval_us = DOORBELL_MAX_INTERVAL_US + 1;
	beta()->chans[0].db_interval_us = DOORBELL_MAX_INTERVAL_US + 1;
	CHECK_ITEM(CFG_E_CHAN_DOORBELL, 0, -1, "channels", 0);
	/* The two ends disagree. */
	with_channel();
	alpha()->chans[0].db_interval_us = 100;
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, 1, "channels", 0);
}

TEST(cfg, channel_ends_must_agree)
{
	/* Peer out of range, itself, end index out of range. */
	with_channel();
	alpha()->chans[0].peer = 2;
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].peer = 0;
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].peer_end = 1;
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, 1, "channels", 0);
	/* The other end names a different channel, region or size. */
	with_channel();
	strcpy(beta()->chans[0].name, "other");
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, 1, "channels", 0);
	with_channel();
	beta()->chans[0].pa += SZ_4K;
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, 1, "channels", 0);
	with_channel();
	beta()->chans[0].size = 2 * SZ_4K;
	CHECK_ITEM(CFG_E_CHAN_PEER, 0, 1, "channels", 0);
	/* An end with no end pointing back at it. */
	with_channel();
	beta()->chan_count = 2;
	set_end(&beta()->chans[1], "link2", 0, 0, HV_CHAN_RW, 0x61000000ULL);
	beta()->chans[1].pa = CHAN_PA + SZ_4K;
	CHECK_ITEM(CFG_E_CHAN_PEER, 1, 0, "channels", 1);
}

TEST(cfg, channel_region_rules)
{
	with_channel();
	alpha()->chans[0].size = beta()->chans[0].size = 0;
	CHECK_ITEM(CFG_E_MEM_ZERO, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].size = beta()->chans[0].size = 0x800;
	CHECK_ITEM(CFG_E_UNALIGNED, 0, -1, "channels", 0);
	with_channel();
	beta()->chans[0].ipa += 0x10;
	CHECK_ITEM(CFG_E_UNALIGNED, 1, -1, "channels", 0);
	/* Outside board RAM, wrapping, over the hypervisor, over RAM. */
	with_channel();
	alpha()->chans[0].pa = beta()->chans[0].pa = 0x20000000ULL;
	alpha()->chans[0].ipa = 0x20000000ULL;
	CHECK_ITEM(CFG_E_MEM_NOT_ON_BOARD, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].pa = beta()->chans[0].pa = 0xfffffffffffff000ULL;
	CHECK_ITEM(CFG_E_MEM_NOT_ON_BOARD, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].pa = beta()->chans[0].pa = 0x41000000ULL;
	alpha()->chans[0].ipa = 0x41000000ULL + 0x40000000ULL;
	CHECK_ITEM(CFG_E_OVERLAPS_HV, 0, -1, "channels", 0);
	with_channel();
	alpha()->chans[0].pa = beta()->chans[0].pa = RAM_B + SZ_2M;
	alpha()->chans[0].ipa = 0x70000000ULL;
	CHECK_ITEM(CFG_E_MEM_OVERLAP, 0, 1, "channels", 0);
}

TEST(cfg, channel_regions_overlap_only_their_peer)
{
	with_channel();
	alpha()->chan_count = beta()->chan_count = 2;
	set_end(&alpha()->chans[1], "two", 1, 1, HV_CHAN_RW, 0x51000000ULL);
	set_end(&beta()->chans[1], "two", 0, 1, HV_CHAN_RO, 0x61000000ULL);
	alpha()->chans[1].pa = beta()->chans[1].pa = CHAN_PA + SZ_4K;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	/* The second channel's region over the first's. */
	alpha()->chans[1].pa = beta()->chans[1].pa = CHAN_PA;
	CHECK_ITEM(CFG_E_MEM_OVERLAP, 0, 0, "channels", 0);
}

TEST(cfg, channel_guest_placement)
{
	with_channel();
	beta()->chans[0].ipa = (1ULL << HV_GUEST_IPA_BITS) - SZ_4K / 2;
	beta()->chans[0].ipa &= ~(SZ_4K - 1);
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	beta()->chans[0].ipa = 1ULL << HV_GUEST_IPA_BITS;
	CHECK_ITEM(CFG_E_IPA_RANGE, 1, -1, "channels", 0);
	/* Over guest RAM, a device, an emulated window, the PL061. */
	with_channel();
	beta()->chans[0].ipa = HV_GUEST_RAM_IPA_DEFAULT;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "channels", 0);
	with_channel();
	beta()->chans[0].ipa = 0x0a000000ULL;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "channels", 0);
	with_channel();
	beta()->chans[0].ipa = HV_GUEST_UART_IPA;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "channels", 0);
	with_channel();
	beta()->chans[0].ipa = HV_GUEST_GPIO_IPA;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "channels", 0);
	/* Two ends of one partition at one guest address. */
	with_channel();
	alpha()->chan_count = beta()->chan_count = 2;
	set_end(&alpha()->chans[1], "two", 1, 1, HV_CHAN_RW, 0x51000000ULL);
	set_end(&beta()->chans[1], "two", 0, 1, HV_CHAN_RO, 0x60000000ULL);
	alpha()->chans[1].pa = beta()->chans[1].pa = CHAN_PA + SZ_4K;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 1, -1, "channels", 1);
}

TEST(cfg, channel_gpio_needs_its_window_and_interrupt)
{
	with_channel();
	alpha()->device_count = 1; /* the board's PL061, SPI 7 */
	CHECK_ITEM(CFG_E_IRQ_TWO_OWNERS, 0, -1, "channels", -1);
	with_channel();
	alpha()->device_count = 1;
	alpha()->devices[0].irq_count = 0;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 0, -1, "channels", -1);
	/* The virtual GIC exposes whole groups of 32 SPIs: 20 give none. */
	with_channel();
	cfg.board.spi_count = 20;
	CHECK_ITEM(CFG_E_IRQ_NOT_ON_BOARD, 0, -1, "channels", -1);
}
