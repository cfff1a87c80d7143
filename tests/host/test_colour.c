/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for last-level-cache colouring (core/colour.c,
 * docs/isolation.md): where each page of a coloured partition lies, the
 * physical span it takes and the largest partition a span holds, bhcfg's
 * placement around other ranges, the stage-2 build and verify by colour,
 * and the validator's colour rules (one negative test per code).
 */
#include <stdlib.h>
#include <string.h>

#include "hv/bits.h"
#include "hv/colour.h"
#include "hv/config.h"
#include "hv/config_validate.h"
#include "hv/pt.h"
#include "hv/stage2.h"

#include "cfg_fixture.h"
#include "harness.h"

#define N16 16u
#define PERIOD (N16 * SZ_4K)

static struct hv_board_desc colour_board(void)
{
	struct hv_board_desc b;

	memset(&b, 0, sizeof(b));
	make_board(&b);
	b.llc_colours = N16;
	return b;
}

static struct hv_partition_cfg coloured(uint64_t pa, uint64_t size,
					uint32_t mask)
{
	struct hv_partition_cfg p;

	memset(&p, 0, sizeof(p));
	p.ram_pa = pa;
	p.ram_ipa = 0x40000000;
	p.ram_size = size;
	p.colours = mask;
	return p;
}

TEST(colour, runs_follow_the_colours)
{
	struct hv_board_desc b = colour_board();
	struct hv_partition_cfg p = coloured(0x42000000, 64 * SZ_4K, 0x0f0f);
	struct colour_iter it;
	struct colour_run r;
	uint64_t ipa = p.ram_ipa, total = 0;
	unsigned runs = 0;

	colour_iter_init(&it, &p, &b);
	/* Colours 0-3 and 8-11: page 0 at the base, page 4 at +8 pages,
	 * page 8 one period on. */
	EXPECT_EQ(colour_page_pa(&it, 0), 0x42000000);
	EXPECT_EQ(colour_page_pa(&it, 3), 0x42003000);
	EXPECT_EQ(colour_page_pa(&it, 4), 0x42008000);
	EXPECT_EQ(colour_page_pa(&it, 8), 0x42000000 + PERIOD);
	while (colour_iter_next(&it, &r)) {
		EXPECT_EQ(r.ipa, ipa); /* contiguous in IPA */
		EXPECT_EQ(r.size, 4 * SZ_4K);
		EXPECT_TRUE(colour_range_ok(r.pa, r.size, 0x0f0f, N16));
		EXPECT_TRUE(!colour_range_ok(r.pa, r.size, 0x000f, N16) ||
			    !colour_range_ok(r.pa, r.size, 0x0f00, N16));
		ipa += r.size;
		total += r.size;
		runs++;
	}
	EXPECT_EQ(total, p.ram_size);
	EXPECT_EQ(runs, 16);
	/* Colours 15 and 0 join across the period boundary. */
	p = coloured(0x42000000, 8 * SZ_4K, 0x8001);
	colour_iter_init(&it, &p, &b);
	ASSERT_TRUE(colour_iter_next(&it, &r));
	EXPECT_EQ(r.size, SZ_4K);
	ASSERT_TRUE(colour_iter_next(&it, &r));
	EXPECT_EQ(r.pa, 0x42000000 + 15 * SZ_4K);
	EXPECT_EQ(r.size, 2 * SZ_4K);
	/* A plain partition is one run. */
	p = coloured(0x42000000, 64 * MIB, 0);
	colour_iter_init(&it, &p, &b);
	ASSERT_TRUE(colour_iter_next(&it, &r));
	EXPECT_EQ(r.pa, 0x42000000);
	EXPECT_EQ(r.size, 64 * MIB);
	EXPECT_TRUE(!colour_iter_next(&it, &r));
}

/* A window of the RAM: only its runs, cut at its ends (clear_pieces()). */
TEST(colour, window_hands_out_its_part_only)
{
	struct hv_board_desc b = colour_board();
	struct hv_partition_cfg p = coloured(0x42000000, 64 * SZ_4K, 0x0f0f);
	struct colour_iter it;
	struct colour_run r;

	/* Pages 6-9 of colours 0-3, 8-11: pages 6-7 end a run of four, 8-9
	 * start the next period's. */
	colour_iter_init(&it, &p, &b);
	colour_iter_window(&it, 6 * SZ_4K, 4 * SZ_4K);
	ASSERT_TRUE(colour_iter_next(&it, &r));
	EXPECT_EQ(r.ipa, p.ram_ipa + 6 * SZ_4K);
	EXPECT_EQ(r.pa, 0x42000000 + 10 * SZ_4K);
	EXPECT_EQ(r.size, 2 * SZ_4K);
	ASSERT_TRUE(colour_iter_next(&it, &r));
	EXPECT_EQ(r.ipa, p.ram_ipa + 8 * SZ_4K);
	EXPECT_EQ(r.pa, 0x42000000 + PERIOD);
	EXPECT_EQ(r.size, 2 * SZ_4K);
	EXPECT_TRUE(!colour_iter_next(&it, &r));
	/* Plain: one run, the window itself. */
	p = coloured(0x42000000, 64 * MIB, 0);
	colour_iter_init(&it, &p, &b);
	colour_iter_window(&it, 63 * MIB, 4 * MIB);
	ASSERT_TRUE(colour_iter_next(&it, &r));
	EXPECT_EQ(r.pa, 0x42000000 + 63 * MIB);
	EXPECT_EQ(r.size, MIB);
	EXPECT_TRUE(!colour_iter_next(&it, &r));
}

/*
 * Collect what a load clears of [off, to) as up to 8 runs; returns the
 * count, or 99 if a run is empty, out of order or past @to, or the last
 * call does not leave *end at @to.
 */
static unsigned clear_runs(const struct hv_partition_cfg *p, uint64_t off,
			   uint64_t to, uint64_t runs[8][2])
{
	unsigned n = 0;
	uint64_t end, prev = off;

	while ((off = ram_clear_next(p, off, to, &end)) < to && n < 8) {
		if (off < prev || end <= off || end > to) {
			return 99;
		}
		runs[n][0] = off;
		runs[n][1] = end;
		n++;
		off = prev = end;
	}
	return end == to ? n : 99;
}

/*
 * The load clears everything but the whole pages an image covers: a page
 * an image covers in part is cleared (the bytes after it must read zero),
 * and nothing outside the images is skipped.
 */
TEST(colour, load_clears_all_but_the_images_whole_pages)
{
	struct hv_partition_cfg p = coloured(0x42000000, 64 * MIB, 0);
	uint64_t runs[8][2];
	unsigned n;

	/* No image: everything. */
	n = clear_runs(&p, 0, 64 * MIB, runs);
	ASSERT_EQ(n, 1);
	EXPECT_EQ(runs[0][0], 0);
	EXPECT_EQ(runs[0][1], 64 * MIB);
	/* An image of 3 pages and 8 bytes at 0, a DTB of 100 bytes at 62 MiB
	 * and an initrd of 2 pages right below it. */
	p.image.size = 3 * SZ_4K + 8;
	p.dtb.offset = 62 * MIB;
	p.dtb.size = 100;
	p.initrd.offset = 62 * MIB - 2 * SZ_4K;
	p.initrd.size = 2 * SZ_4K;
	n = clear_runs(&p, 0, 64 * MIB, runs);
	ASSERT_EQ(n, 2);
	EXPECT_EQ(runs[0][0], 3 * SZ_4K); /* the image's last page, in part */
	EXPECT_EQ(runs[0][1], 62 * MIB - 2 * SZ_4K);
	EXPECT_EQ(runs[1][0], 62 * MIB);
	EXPECT_EQ(runs[1][1], 64 * MIB);
	/* The DTB's page is cleared: the DTB covers it only in part. */
	n = clear_runs(&p, 61 * MIB, 64 * MIB, runs);
	ASSERT_EQ(n, 2);
	EXPECT_EQ(runs[0][0], 61 * MIB);
	EXPECT_EQ(runs[0][1], 62 * MIB - 2 * SZ_4K);
	EXPECT_EQ(runs[1][0], 62 * MIB);
	EXPECT_EQ(runs[1][1], 64 * MIB);
	/* A window inside an image: nothing; one ending in its last page. */
	n = clear_runs(&p, SZ_4K, 2 * SZ_4K, runs);
	EXPECT_EQ(n, 0);
	n = clear_runs(&p, 2 * SZ_4K, 5 * SZ_4K, runs);
	ASSERT_EQ(n, 1);
	EXPECT_EQ(runs[0][0], 3 * SZ_4K);
	EXPECT_EQ(runs[0][1], 5 * SZ_4K);
	/* An image not starting on a page: its first page is cleared too. */
	p.image.offset = 0x800;
	p.image.size = 2 * SZ_4K;
	n = clear_runs(&p, 0, 4 * SZ_4K, runs);
	ASSERT_EQ(n, 2);
	EXPECT_EQ(runs[0][0], 0);
	EXPECT_EQ(runs[0][1], SZ_4K);
	EXPECT_EQ(runs[1][0], 2 * SZ_4K);
	EXPECT_EQ(runs[1][1], 4 * SZ_4K);
}

TEST(colour, span_and_largest_that_fits)
{
	static const uint32_t masks[] = { 0x1, 0xf, 0x0f0f, 0xfff0, 0x8001,
					  0xffff, 0x5555 };

	/* 4 of 16 colours: 8 MiB spans 32 MiB, less the last period's
	 * pages after colour 3. */
	EXPECT_EQ(colour_span(8 * MIB, 0xf, N16), 32 * MIB - 12 * SZ_4K);
	EXPECT_EQ(colour_span(8 * MIB, 0xffff, N16), 8 * MIB);
	EXPECT_EQ(colour_span(64 * MIB, 0, N16), 64 * MIB); /* plain */
	EXPECT_EQ(colour_span(SZ_4K + 1, 0xf, N16), 0);
	EXPECT_EQ(colour_span(SZ_4K, 0x10000, N16), 0); /* no such colour */
	/* The largest RAM a span holds, at and between period boundaries:
	 * it fits, and one page more does not. */
	for (unsigned m = 0; m < ARRAY_SIZE(masks); m++) {
		for (uint64_t span = SZ_4K; span <= 40 * PERIOD;
		     span += 3 * SZ_4K) {
			uint64_t max = colour_max_size(span, masks[m], N16);

			if (max != 0) {
				EXPECT_TRUE(colour_span(max, masks[m], N16) <=
					    span);
			}
			EXPECT_TRUE(colour_span(max + SZ_4K, masks[m], N16) >
				    span);
		}
	}
	EXPECT_EQ(colour_max_size(32 * MIB, 0xf, N16), 8 * MIB);
	EXPECT_EQ(colour_max_size(32 * MIB, 0xfff0, N16), 24 * MIB);
}

TEST(colour, placement_around_fragmented_ram)
{
	struct hv_board_desc b = colour_board();
	/* The hypervisor at 0x40000000 (32 MiB), a plain partition at
	 * 0x44000000 (16 MiB): a 32 MiB hole at 0x42000000 between them. */
	struct colour_res res[4] = {
		{ 0x40000000, 32 * MIB, 0 },
		{ 0x44000000, 16 * MIB, 0 },
	};
	uint64_t base = 0, max = colour_max_size(32 * MIB, 0xf, N16);

	/* The largest partition in colours 0-3 that fits the hole goes
	 * there; one page more goes past the plain partition. */
	ASSERT_TRUE(colour_fit(&b, res, 2, max, 0xf, &base));
	EXPECT_EQ(base, 0x42000000);
	ASSERT_TRUE(colour_fit(&b, res, 2, max + SZ_4K, 0xf, &base));
	EXPECT_EQ(base, 0x45000000);
	/* A coloured span with other colours does not block it: the two
	 * interleave in the hole. */
	res[2] = (struct colour_res){ 0x42000000, 32 * MIB, 0xf0 };
	ASSERT_TRUE(colour_fit(&b, res, 3, max, 0xf, &base));
	EXPECT_EQ(base, 0x42000000);
	/* One with a colour in common does. */
	ASSERT_TRUE(colour_fit(&b, res, 3, 4 * MIB, 0x18, &base));
	EXPECT_EQ(base, 0x45000000);
	/* A plain partition avoids every coloured span. */
	b.llc_colours = N16;
	ASSERT_TRUE(colour_fit(&b, res, 3, SZ_4K, 0, &base));
	EXPECT_EQ(base, 0x45000000);
	/* Nothing fits: more than the bank. */
	EXPECT_TRUE(!colour_fit(&b, res, 3, 512 * MIB, 0xf, &base));
	/* Period alignment: a hole starting mid-period is rounded up. */
	res[0].size = 32 * MIB + SZ_4K;
	ASSERT_TRUE(colour_fit(&b, res, 2, 4 * SZ_4K, 0xf, &base));
	EXPECT_EQ(base, 0x42000000 + PERIOD);
}

#define POOL_PAGES 256

static struct pt_pool *colour_pool(void)
{
	static struct pt_pool pool;
	static void *mem;

	free(mem);
	mem = aligned_alloc(SZ_64K, POOL_PAGES * SZ_4K);
	pt_pool_init(&pool, mem, POOL_PAGES);
	return &pool;
}

TEST(colour, stage2_maps_only_its_colours)
{
	struct hv_board_desc b = colour_board();
	struct hv_partition_cfg p = coloured(0x42000000, 8 * MIB, 0x0ff0);
	struct pt_pool *pool = colour_pool();
	struct pt t;
	uint64_t pa, attrs, sz;

	ASSERT_EQ(stage2_build(&t, pool, &p, &b), HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &b), HV_OK);
	for (uint64_t off = 0; off < p.ram_size; off += SZ_4K) {
		ASSERT_TRUE(pt_lookup(&t, p.ram_ipa + off, &pa, &attrs, &sz));
		EXPECT_EQ(sz, SZ_4K); /* never a block */
		if (((p.colours >> colour_of(pa, N16)) & 1u) == 0) {
			EXPECT_TRUE(false);
			break;
		}
	}
	EXPECT_TRUE(!pt_lookup(&t, p.ram_ipa + p.ram_size, NULL, NULL, NULL));
}

TEST(colour, verify_catches_a_page_of_the_wrong_colour)
{
	struct hv_board_desc b = colour_board();
	struct hv_partition_cfg p = coloured(0x42000000, 8 * MIB, 0x0ff0);
	struct pt_pool *pool = colour_pool();
	uint64_t page = p.ram_ipa + 1000 * SZ_4K, pa;
	struct pt t;

	ASSERT_EQ(stage2_build(&t, pool, &p, &b), HV_OK);
	ASSERT_TRUE(pt_lookup(&t, page, &pa, NULL, NULL));
	/* The page moved to colour 3 (not its own): refused. */
	ASSERT_EQ(pt_unmap(&t, page, SZ_4K), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, page, (pa & ~(PERIOD - 1)) + 3 * SZ_4K,
			 SZ_4K, STAGE2_RAM_ATTRS, PT_NO_BLOCKS),
		  HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &b), HV_EINVAL);
	/* Its own colour but another period's page (someone else's
	 * position): refused too. */
	ASSERT_EQ(pt_unmap(&t, page, SZ_4K), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, page, pa + PERIOD, SZ_4K, STAGE2_RAM_ATTRS,
			 PT_NO_BLOCKS),
		  HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &b), HV_EINVAL);
	/* Back where it belongs: accepted. */
	ASSERT_EQ(pt_unmap(&t, page, SZ_4K), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, page, pa, SZ_4K, STAGE2_RAM_ATTRS,
			 PT_NO_BLOCKS),
		  HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &b), HV_OK);
}

/* ---- validator ---- */

/* The fixture with 16 colours, alpha in 0-7 and beta in 8-15, both at
 * RAM_A (their spans interleave). */
static struct hv_config *coloured_cfg(void)
{
	valid();
	cfg.board.llc_colours = N16;
	alpha()->colours = 0x00ff;
	beta()->colours = 0xff00;
	beta()->ram_pa = RAM_A;
	beta()->device_count = 0;
	return &cfg;
}

TEST(cfg, colours_valid_interleaved)
{
	coloured_cfg();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	/* Any 4 KiB size, the base one period aligned. */
	alpha()->ram_size = PART_RAM + SZ_4K;
	alpha()->ram_pa = RAM_A + PERIOD;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, colour_not_on_board)
{
	coloured_cfg();
	alpha()->colours = 0x10000; /* colour 16 of 0-15 */
	CHECK_DIAG(CFG_E_COLOUR_NOT_ON_BOARD, 0, -1, "cache-colours");
	coloured_cfg();
	cfg.board.llc_colours = 0; /* the board describes no cache */
	CHECK_DIAG(CFG_E_COLOUR_NOT_ON_BOARD, 0, -1, "cache-colours");
	coloured_cfg();
	alpha()->colours = 0xffff0000u;
	cfg.board.llc_colours = HV_MAX_COLOURS; /* 32: colour 31 exists */
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, colour_overlap)
{
	coloured_cfg();
	beta()->colours = 0x0180; /* colour 7 is alpha's too */
	CHECK_DIAG(CFG_E_COLOUR_OVERLAP, 1, 0, "cache-colours");
}

TEST(cfg, colour_dma)
{
	coloured_cfg();
	/* virtio-mmio: a bus master with no SMMU. */
	cfg.board.devices[2].flags |= HV_DEV_BUS_MASTER;
	beta()->device_count = 1;
	set_dev(&beta()->devices[0], "virtio_mmio@a000000", 0x0a000000ULL,
		48, 0);
	beta()->flags |= HV_PART_DMA_UNPROTECTED;
	CHECK_ITEM(CFG_E_COLOUR_DMA, 1, -1, "devices", 2);
	/* Refused before the unprotected-DMA rule, marked or not. */
	beta()->flags &= ~HV_PART_DMA_UNPROTECTED;
	CHECK_ITEM(CFG_E_COLOUR_DMA, 1, -1, "devices", 2);
	/* Plain, and marked, it is allowed. */
	beta()->colours = 0;
	beta()->ram_pa = RAM_A + 128 * MIB;
	beta()->flags |= HV_PART_DMA_UNPROTECTED;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, colour_ram_rules)
{
	coloured_cfg();
	alpha()->ram_pa = RAM_A + SZ_4K; /* not a period boundary */
	CHECK_DIAG(CFG_E_UNALIGNED, 0, -1, "memory-base");
	coloured_cfg();
	alpha()->ram_size = PART_RAM + 1;
	CHECK_DIAG(CFG_E_UNALIGNED, 0, -1, "memory-size");
	/* The span (128 MiB for 64 MiB in half the colours) must be on
	 * the board. */
	coloured_cfg();
	alpha()->ram_pa = 0x80000000ULL - 64 * MIB;
	CHECK_DIAG(CFG_E_MEM_NOT_ON_BOARD, 0, -1, "memory-base");
	/* A plain partition inside a coloured span is refused. */
	coloured_cfg();
	beta()->colours = 0;
	beta()->ram_pa = RAM_A + 64 * MIB;
	CHECK_DIAG(CFG_E_MEM_OVERLAP, 1, 0, "memory-base");
	beta()->ram_pa = RAM_A + 128 * MIB;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg, board_colours_power_of_two)
{
	valid();
	cfg.board.llc_colours = 12;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "llc");
	cfg.board.llc_colours = 64;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "llc");
	cfg.board.llc_colours = 16;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}
