/* SPDX-License-Identifier: MIT */
/* The validator tests' starting configuration: see cfg_fixture.h. */
#include <string.h>

#include "hv/config.h"
#include "hv/config_validate.h"

#include "cfg_fixture.h"

/** The configuration every test edits (reset by valid()). */
struct hv_config cfg;

/* A board device with one region and at most one interrupt. */
void add_board_dev(struct hv_board_desc *b, const char *name, uint64_t base,
		   uint64_t size, uint32_t irq)
{
	struct hv_board_device *d = &b->devices[b->device_count++];

	strcpy(d->name, name);
	d->reg_count = 1;
	d->regs[0].base = base;
	d->regs[0].size = size;
	d->smmu = HV_NO_SMMU;
	d->irq_count = irq != 0 ? 1 : 0;
	d->irqs[0] = irq;
}

/* A board like boards/qemu-virt/board.dts, with a few devices. */
void make_board(struct hv_board_desc *b)
{
	strcpy(b->name, "qemu-virt");
	b->cpu_count = 4;
	for (uint32_t i = 0; i < 4; i++) {
		b->cpu_mpidr[i] = i;
	}
	b->ram_count = 1;
	b->ram[0].base = 0x40000000ULL;
	b->ram[0].size = SZ_1G;
	b->hv_base = 0x40000000ULL;
	b->hv_size = 32 * MIB;
	b->gic_version = HV_GIC_V3;
	b->spi_count = 256;
	b->gicd_base = 0x08000000ULL;
	b->gicr_base = 0x080a0000ULL;
	b->uart_kind = HV_UART_PL011;
	b->uart_base = 0x09000000ULL;
	b->uart_irq = 33;
	add_board_dev(b, "pl031@9010000", 0x09010000ULL, 0x1000, 34);
	add_board_dev(b, "pl061@9030000", 0x09030000ULL, 0x1000, 39);
	add_board_dev(b, "virtio_mmio@a000000", 0x0a000000ULL, 0x200, 48);
	add_board_dev(b, "virtio_mmio@a000200", 0x0a000200ULL, 0x200, 49);
	add_board_dev(b, "fw-cfg@9020000", 0x09020000ULL, 0x18, 0);
}

/* A partition with two cores from @cpu0, 64 MiB of RAM, one device. */
void make_part(struct hv_partition_cfg *p, const char *name, uint8_t cpu0,
	       uint64_t ram_pa)
{
	strcpy(p->name, name);
	p->cpu_count = 2;
	p->cpus[0] = cpu0;
	p->cpus[1] = (uint8_t)(cpu0 + 1);
	p->ram_pa = ram_pa;
	p->ram_ipa = HV_GUEST_RAM_IPA_DEFAULT;
	p->ram_size = PART_RAM;
	p->image.size = 0x10000;
	p->image.offset = 0;
	p->entry_offset = 0;
	p->dtb.size = 0x1000;
	p->dtb.offset = PART_RAM - SZ_2M;
	p->policy[HV_EV_TRAP] = HV_FAULT_STOP;
	p->policy[HV_EV_STAGE2] = HV_FAULT_STOP;
	p->policy[HV_EV_WATCHDOG] = HV_FAULT_RESTART;
	p->policy[HV_EV_SYSRESET] = HV_FAULT_RESTART;
	p->policy[HV_EV_SYSOFF] = HV_FAULT_STOP;
	p->device_count = 1;
}

/* A one-page device range at IPA = PA with one or two interrupts. */
void set_dev(struct hv_device *d, const char *name, uint64_t pa,
	     uint32_t irq0, uint32_t irq1)
{
	strcpy(d->name, name);
	d->pa = pa;
	d->ipa = pa;
	d->size = SZ_4K;
	d->irq_count = irq1 != 0 ? 2 : 1;
	d->irqs[0] = irq0;
	d->irqs[1] = irq1;
}

/* The valid base: alpha (cores 0-1, PL061), beta (cores 2-3, virtio page). */
struct hv_config *valid(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.magic = HV_CONFIG_MAGIC;
	cfg.version = HV_CONFIG_VERSION;
	make_board(&cfg.board);
	cfg.partition_count = 2;
	make_part(&cfg.partitions[0], "alpha", 0, RAM_A);
	set_dev(&cfg.partitions[0].devices[0], "pl061@9030000", 0x09030000ULL,
		39, 0);
	make_part(&cfg.partitions[1], "beta", 2, RAM_B);
	set_dev(&cfg.partitions[1].devices[0], "virtio_mmio@a000000",
		0x0a000000ULL, 48, 49);
	return &cfg;
}

struct hv_partition_cfg *alpha(void)
{
	return &cfg.partitions[0];
}

struct hv_partition_cfg *beta(void)
{
	return &cfg.partitions[1];
}

/* Property names are equal, or both NULL. */
int prop_eq(const char *got, const char *want)
{
	if (got == NULL || want == NULL) {
		return got == want;
	}
	return strcmp(got, want) == 0;
}
