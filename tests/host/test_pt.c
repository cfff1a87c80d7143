/* SPDX-License-Identifier: MIT */
/* Host unit tests: bits helpers, the page-table walker and stage-2 maps. */
#include <stdlib.h>

#include "hv/bits.h"
#include "hv/pt.h"
#include "hv/stage2.h"

#include "harness.h"

#define POOL_PAGES 64

static struct pt_pool *new_pool(size_t pages)
{
	static struct pt_pool pool;
	static void *mem;

	free(mem);
	mem = aligned_alloc(SZ_64K, align_up(pages * SZ_4K, SZ_64K));
	pt_pool_init(&pool, mem, pages);
	return &pool;
}

TEST(bits, masks_and_fields)
{
	EXPECT_EQ(BITS(7, 4), 0xf0);
	EXPECT_EQ(BITS(63, 0), ~0ULL);
	EXPECT_EQ(BITS(0, 0), 1);
	EXPECT_EQ(FIELD_GET(BITS(31, 26), 0x96000045ULL), 0x25);
	EXPECT_EQ(FIELD_PREP(BITS(15, 8), 0x1ab), 0xab00);
	EXPECT_EQ(align_up(0x1001, 0x1000), 0x2000);
	EXPECT_EQ(align_down(0x1fff, 0x1000), 0x1000);
}

TEST(bits, ranges)
{
	EXPECT_TRUE(ranges_overlap(0, 10, 9, 1));
	EXPECT_TRUE(!ranges_overlap(0, 10, 10, 1));
	EXPECT_TRUE(!ranges_overlap(0, 0, 0, 10));
	EXPECT_TRUE(range_within(5, 5, 0, 10));
	EXPECT_TRUE(!range_within(5, 6, 0, 10));
	EXPECT_TRUE(!range_within(~0ULL, 2, 0, 10));
	EXPECT_TRUE(range_wraps(~0ULL, 2));
	EXPECT_TRUE(!range_wraps(~0ULL, 1));
}

TEST(pt, geometry)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	EXPECT_EQ(t.start_level, 1);
	EXPECT_EQ(t.root_entries, 1024); /* two concatenated tables */
	EXPECT_EQ((uintptr_t)t.root & (2 * SZ_4K - 1), 0);
	ASSERT_EQ(pt_init(&t, pool, 39, false), HV_OK);
	EXPECT_EQ(t.start_level, 1);
	EXPECT_EQ(t.root_entries, 512);
	ASSERT_EQ(pt_init(&t, pool, 48, false), HV_OK);
	EXPECT_EQ(t.start_level, 0);
	EXPECT_EQ(pt_init(&t, pool, 60, false), HV_EINVAL);
}

TEST(pt, block_selection)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	uint64_t pa, attrs, sz;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	/* 1 GiB aligned on both sides: one level-1 block. */
	ASSERT_EQ(pt_map(&t, pool, SZ_1G, 2 * SZ_1G, SZ_1G, S2_AP_RW, 0),
		  HV_OK);
	ASSERT_TRUE(pt_lookup(&t, SZ_1G + 0x1234, &pa, &attrs, &sz));
	EXPECT_EQ(pa, 2 * SZ_1G + 0x1234);
	EXPECT_EQ(sz, SZ_1G);
	EXPECT_EQ(attrs, S2_AP_RW);
	/* PA only 2 MiB aligned: 2 MiB blocks. */
	ASSERT_EQ(pt_map(&t, pool, 4 * SZ_1G, 0x40200000, 4 * SZ_2M, S2_AP_RW,
			 0),
		  HV_OK);
	ASSERT_TRUE(pt_lookup(&t, 4 * SZ_1G + SZ_2M, &pa, NULL, &sz));
	EXPECT_EQ(sz, SZ_2M);
	EXPECT_EQ(pa, 0x40400000);
	/* Unaligned start: pages up to the boundary, then blocks. */
	ASSERT_EQ(pt_map(&t, pool, 8 * SZ_1G + SZ_2M - SZ_4K, 0x80000000 - SZ_4K,
			 SZ_4K + SZ_2M, S2_AP_RW, 0),
		  HV_OK);
	ASSERT_TRUE(pt_lookup(&t, 8 * SZ_1G + SZ_2M - SZ_4K, NULL, NULL, &sz));
	EXPECT_EQ(sz, SZ_4K);
	ASSERT_TRUE(pt_lookup(&t, 8 * SZ_1G + SZ_2M, &pa, NULL, &sz));
	EXPECT_EQ(sz, SZ_2M);
	EXPECT_EQ(pa, 0x80000000);
	/* Opt-out: pages only. */
	ASSERT_EQ(pt_map(&t, pool, 16 * SZ_1G, 0, SZ_2M, S2_AP_RW,
			 PT_NO_BLOCKS),
		  HV_OK);
	ASSERT_TRUE(pt_lookup(&t, 16 * SZ_1G, NULL, NULL, &sz));
	EXPECT_EQ(sz, SZ_4K);
	EXPECT_TRUE(!pt_lookup(&t, 17 * SZ_1G, NULL, NULL, NULL));
}

TEST(pt, refuses_overmap)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, SZ_1G, SZ_1G, SZ_2M, S2_AP_RW, 0), HV_OK);
	/* Identical remap is harmless. */
	EXPECT_EQ(pt_map(&t, pool, SZ_1G, SZ_1G, SZ_2M, S2_AP_RW, 0), HV_OK);
	/* Different output address or attributes: refused. */
	EXPECT_EQ(pt_map(&t, pool, SZ_1G, 2 * SZ_1G, SZ_2M, S2_AP_RW, 0),
		  HV_EEXIST);
	EXPECT_EQ(pt_map(&t, pool, SZ_1G, SZ_1G, SZ_2M, S2_AP_RO, 0),
		  HV_EEXIST);
	/* A page inside an existing block: no silent split. */
	EXPECT_EQ(pt_map(&t, pool, SZ_1G + SZ_4K, 0, SZ_4K, S2_AP_RW, 0),
		  HV_EEXIST);
	/* A block over existing pages: refused too. */
	ASSERT_EQ(pt_map(&t, pool, 2 * SZ_1G, 0, SZ_4K, S2_AP_RW, 0), HV_OK);
	EXPECT_EQ(pt_map(&t, pool, 2 * SZ_1G, 0, SZ_2M, S2_AP_RW, 0),
		  HV_EEXIST);
}

TEST(pt, page_runs_cross_table_ends)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	uint64_t base = 3 * SZ_1G + SZ_2M - 3 * SZ_4K;
	uint64_t pa, sz;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	/* Pages only, across two level-3 tables and on into a third. */
	ASSERT_EQ(pt_map(&t, pool, base, 0x50000000, SZ_2M + 6 * SZ_4K,
			 S2_AP_RW, PT_NO_BLOCKS),
		  HV_OK);
	for (uint64_t off = 0; off < SZ_2M + 6 * SZ_4K; off += SZ_4K) {
		ASSERT_TRUE(pt_lookup(&t, base + off, &pa, NULL, &sz));
		EXPECT_EQ(pa, 0x50000000 + off);
		EXPECT_EQ(sz, SZ_4K);
	}
	EXPECT_TRUE(!pt_lookup(&t, base - SZ_4K, NULL, NULL, NULL));
	EXPECT_TRUE(!pt_lookup(&t, base + SZ_2M + 6 * SZ_4K, NULL, NULL,
			       NULL));
	/* 2 MiB blocks run on to the end of their level-2 table, then the
	 * next table; the level-1 table boundary is no 1 GiB block because
	 * the PA is only 2 MiB aligned. */
	ASSERT_EQ(pt_map(&t, pool, 6 * SZ_1G - SZ_2M, 0x40200000, 3 * SZ_2M,
			 S2_AP_RO, 0),
		  HV_OK);
	for (unsigned i = 0; i < 3; i++) {
		ASSERT_TRUE(pt_lookup(&t, 6 * SZ_1G - SZ_2M + i * SZ_2M, &pa,
				      NULL, &sz));
		EXPECT_EQ(pa, 0x40200000 + i * SZ_2M);
		EXPECT_EQ(sz, SZ_2M);
	}
}

TEST(pt, overmap_inside_a_run_is_refused)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	uint64_t pa;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, SZ_1G + 5 * SZ_4K, 0x9000000, SZ_4K,
			 S2_AP_RW, 0),
		  HV_OK);
	/* The fifth page of the run differs from what is mapped there. */
	EXPECT_EQ(pt_map(&t, pool, SZ_1G, 0x70000000, 8 * SZ_4K, S2_AP_RW, 0),
		  HV_EEXIST);
	ASSERT_TRUE(pt_lookup(&t, SZ_1G + 5 * SZ_4K, &pa, NULL, NULL));
	EXPECT_EQ(pa, 0x9000000);
	/* A run over an identical page is harmless (elsewhere: the refused
	 * run above may have mapped its first pages). */
	ASSERT_EQ(pt_map(&t, pool, 2 * SZ_1G + 5 * SZ_4K, 0x9000000, SZ_4K,
			 S2_AP_RW, 0),
		  HV_OK);
	EXPECT_EQ(pt_map(&t, pool, 2 * SZ_1G, 0x9000000 - 5 * SZ_4K, 8 * SZ_4K,
			 S2_AP_RW, 0),
		  HV_OK);
	ASSERT_TRUE(pt_lookup(&t, 2 * SZ_1G + 7 * SZ_4K, &pa, NULL, NULL));
	EXPECT_EQ(pa, 0x9000000 + 2 * SZ_4K);
}

TEST(pt, bad_arguments)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	EXPECT_EQ(pt_map(&t, pool, 0x1001, 0, SZ_4K, 0, 0), HV_EINVAL);
	EXPECT_EQ(pt_map(&t, pool, 0, 0, 0, 0, 0), HV_EINVAL);
	EXPECT_EQ(pt_map(&t, pool, (1ULL << 40) - SZ_4K, 0, 2 * SZ_4K, 0, 0),
		  HV_ERANGE);
	EXPECT_EQ(pt_map(&t, pool, ~0ULL & ~0xfffULL, 0, 2 * SZ_4K, 0, 0),
		  HV_EINVAL);
	EXPECT_EQ(pt_unmap(&t, 1ULL << 41, SZ_4K), HV_ERANGE);
}

TEST(pt, pool_exhaustion_and_seal)
{
	struct pt_pool *pool = new_pool(4);
	struct pt t;

	ASSERT_EQ(pt_init(&t, pool, 39, true), HV_OK); /* 1 page */
	/* Two pages in distinct 1 GiB and 2 MiB regions need L2 + L3 each. */
	ASSERT_EQ(pt_map(&t, pool, 0, 0, SZ_4K, 0, 0), HV_OK);
	EXPECT_EQ(pt_map(&t, pool, SZ_1G, 0, SZ_4K, 0, 0), HV_ENOMEM);
	pt_pool_seal(pool);
	/* Tables exist for the first 2 MiB: still mappable after sealing. */
	EXPECT_EQ(pt_map(&t, pool, SZ_4K, 0, SZ_4K, 0, 0), HV_OK);
	EXPECT_EQ(pt_map(&t, pool, 3 * SZ_2M, 0, SZ_4K, 0, 0), HV_ESEALED);
}

TEST(pt, unmap_and_remap)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	size_t used;

	ASSERT_EQ(pt_init(&t, pool, 39, false), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, 0x40000000, 0x40000000, 64 * SZ_2M,
			 S1_AP_RW, 0),
		  HV_OK);
	used = pool->used;
	/* Unmapping half a block is refused. */
	EXPECT_EQ(pt_unmap(&t, 0x40000000, SZ_4K), HV_EINVAL);
	ASSERT_EQ(pt_unmap(&t, 0x40000000, 64 * SZ_2M), HV_OK);
	EXPECT_TRUE(!pt_lookup(&t, 0x40000000, NULL, NULL, NULL));
	pt_pool_seal(pool);
	EXPECT_EQ(pt_map(&t, pool, 0x40000000, 0x40000000, 64 * SZ_2M,
			 S1_AP_RW, 0),
		  HV_OK);
	EXPECT_EQ(pool->used, used);
	/* Unmapping a hole is fine. */
	EXPECT_EQ(pt_unmap(&t, 0x10000000, SZ_2M), HV_OK);
}

static hv_err_t count_leaf(void *arg, uint64_t va, uint64_t pa,
			   uint64_t size, uint64_t attrs)
{
	uint64_t *n = arg;

	(void)va;
	(void)pa;
	(void)attrs;
	n[0]++;
	n[1] += size;
	return HV_OK;
}

/* The loading window's preparation: tables taken, no leaf written. */
TEST(pt, tables_only_takes_tables_and_maps_nothing)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	size_t used;

	ASSERT_EQ(pt_init(&t, pool, 39, false), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, 0x40100000, 0x40100000, 0x100000, S1_AP_RW,
			 PT_NO_BLOCKS | PT_TABLES_ONLY),
		  HV_OK);
	used = pool->used;
	EXPECT_TRUE(used > 0);
	for (uint64_t va = 0x40100000; va < 0x40200000; va += SZ_4K) {
		EXPECT_TRUE(!pt_lookup(&t, va, NULL, NULL, NULL));
	}
	pt_pool_seal(pool);
	EXPECT_EQ(pt_map(&t, pool, 0x40100000, 0x40100000, 0x100000, S1_AP_RW,
			 PT_NO_BLOCKS),
		  HV_OK);
	EXPECT_EQ(pool->used, used);
	/* Over a mapped page: refused. */
	EXPECT_EQ(pt_map(&t, pool, 0x401ff000, 0x401ff000, SZ_4K, S1_AP_RW,
			 PT_NO_BLOCKS | PT_TABLES_ONLY),
		  HV_EEXIST);
	ASSERT_EQ(pt_unmap(&t, 0x40100000, 0x100000), HV_OK);
	EXPECT_EQ(pt_map(&t, pool, 0x40100000, 0x40100000, 0x100000, S1_AP_RW,
			 PT_NO_BLOCKS | PT_TABLES_ONLY),
		  HV_OK);
}

/* Unmapping runs of pages across a table end leaves the rest mapped. */
TEST(pt, unmap_page_runs_across_table_ends)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;

	ASSERT_EQ(pt_init(&t, pool, 39, false), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, 0x40100000, 0x40100000, 0x200000, S1_AP_RW,
			 PT_NO_BLOCKS),
		  HV_OK);
	/* 0x401fe000-0x40202000 spans the end of one level-3 table. */
	ASSERT_EQ(pt_unmap(&t, 0x401fe000, 4 * SZ_4K), HV_OK);
	for (uint64_t va = 0x40100000; va < 0x40300000; va += SZ_4K) {
		bool gone = va >= 0x401fe000 && va < 0x40202000;

		EXPECT_EQ(pt_lookup(&t, va, NULL, NULL, NULL), !gone);
	}
	/* Unmapping what is already unmapped, and the rest. */
	EXPECT_EQ(pt_unmap(&t, 0x40100000, 0x200000), HV_OK);
	for (uint64_t va = 0x40100000; va < 0x40300000; va += SZ_4K) {
		EXPECT_TRUE(!pt_lookup(&t, va, NULL, NULL, NULL));
	}
}

/* Runs of pages in a walk: every page reported once, holes skipped. */
TEST(pt, walk_reports_every_page_of_runs)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	uint64_t n[2] = { 0, 0 };

	ASSERT_EQ(pt_init(&t, pool, 39, false), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, 0x40100000, 0x40100000, 600 * SZ_4K,
			 S1_AP_RW, PT_NO_BLOCKS),
		  HV_OK);
	ASSERT_EQ(pt_unmap(&t, 0x40100000 + 300 * SZ_4K, SZ_4K), HV_OK);
	ASSERT_EQ(pt_walk_leaves(&t, count_leaf, n), HV_OK);
	EXPECT_EQ(n[0], 599);
	EXPECT_EQ(n[1], 599 * SZ_4K);
}


TEST(pt, walk_visits_every_leaf)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct pt t;
	uint64_t n[2] = { 0, 0 };

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	ASSERT_EQ(pt_map(&t, pool, 0x40000000, 0x80000000, SZ_1G + SZ_2M +
			 SZ_4K, S2_AP_RW, 0),
		  HV_OK);
	ASSERT_EQ(pt_map(&t, pool, 0x9000000000ULL, 0x9000000, SZ_4K, S2_AP_RW,
			 0),
		  HV_OK);
	ASSERT_EQ(pt_walk_leaves(&t, count_leaf, n), HV_OK);
	EXPECT_EQ(n[0], 4);
	EXPECT_EQ(n[1], SZ_1G + SZ_2M + 2 * SZ_4K);
}

/* Records the input addresses a walk reports, in order. */
struct leaf_log {
	uint64_t va[8];
	unsigned n;
};

static hv_err_t log_leaf(void *arg, uint64_t va, uint64_t pa, uint64_t size,
			 uint64_t attrs)
{
	struct leaf_log *l = arg;

	(void)pa;
	(void)size;
	(void)attrs;
	if (l->n < 8) {
		l->va[l->n] = va;
	}
	l->n++;
	return HV_OK;
}

TEST(pt, walk_finds_leaves_at_every_position_of_a_sparse_table)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	/* First, last, and entries on either side of a four-entry step. */
	static const unsigned idx[] = { 0, 3, 4, 9, 510, 511 };
	struct leaf_log l = { .n = 0 };
	struct pt t;

	ASSERT_EQ(pt_init(&t, pool, 40, true), HV_OK);
	for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
		ASSERT_EQ(pt_map(&t, pool, SZ_1G + idx[i] * SZ_4K,
				 0x9000000 + idx[i] * SZ_4K, SZ_4K, S2_AP_RW,
				 0),
			  HV_OK);
	}
	/* And the last entry of the first of the two root tables. */
	ASSERT_EQ(pt_map(&t, pool, 0x8000000000ULL - SZ_4K, 0, SZ_4K, S2_AP_RW,
			 0),
		  HV_OK);
	ASSERT_EQ(pt_walk_leaves(&t, log_leaf, &l), HV_OK);
	ASSERT_EQ(l.n, ARRAY_SIZE(idx) + 1);
	for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
		EXPECT_EQ(l.va[i], SZ_1G + idx[i] * SZ_4K);
	}
	EXPECT_EQ(l.va[ARRAY_SIZE(idx)], 0x8000000000ULL - SZ_4K);
}

static const struct hv_board_desc v3_board = { .gic_version = HV_GIC_V3 };
static const struct hv_board_desc v2_board = { .gic_version = HV_GIC_V2,
					       .gicv_base = 0x08040000 };

static void two_region_part(struct hv_partition_cfg *p)
{
	memset(p, 0, sizeof(*p));
	p->ram_pa = 0x44000000;
	p->ram_ipa = 0x40000000;
	p->ram_size = 64ULL << 20;
	p->device_count = 2;
	p->devices[0].pa = 0x0a000000;
	p->devices[0].ipa = 0x0a000000;
	p->devices[0].size = SZ_4K;
	p->devices[1].pa = 0x09030000;
	p->devices[1].ipa = 0x09030000;
	p->devices[1].size = SZ_4K;
}

TEST(stage2, build_and_verify)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct hv_partition_cfg p;
	struct pt t;
	uint64_t pa, attrs, sz;

	two_region_part(&p);
	ASSERT_EQ(stage2_build(&t, pool, &p, &v3_board), HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_OK);
	ASSERT_TRUE(pt_lookup(&t, 0x40000000, &pa, &attrs, &sz));
	EXPECT_EQ(pa, 0x44000000);
	EXPECT_EQ(sz, SZ_2M);
	/* Fields as DDI 0487 J.a D8.3.2 defines them, not the build's
	 * macros: RAM Normal write-back (MemAttr 0b1111), read-write (S2AP
	 * 0b11), Inner Shareable (SH 0b11), executable (XN 0); a device
	 * Device-nGnRE (0b0001), read-write, never executable. */
	EXPECT_EQ((attrs >> 2) & 0xf, 0xf);
	EXPECT_EQ((attrs >> 6) & 3, 3);
	EXPECT_EQ((attrs >> 8) & 3, 3);
	EXPECT_EQ((attrs >> 53) & 3, 0);
	ASSERT_TRUE(pt_lookup(&t, 0x0a000000, &pa, &attrs, &sz));
	EXPECT_EQ((attrs >> 2) & 0xf, 0x1);
	EXPECT_EQ((attrs >> 6) & 3, 3);
	EXPECT_EQ((attrs >> 54) & 1, 1);
	/* Nothing else: not the emulated UART or GIC, not past RAM. */
	EXPECT_TRUE(!pt_lookup(&t, HV_GUEST_UART_IPA, NULL, NULL, NULL));
	EXPECT_TRUE(!pt_lookup(&t, HV_GUEST_GICD_IPA, NULL, NULL, NULL));
	EXPECT_TRUE(!pt_lookup(&t, 0x44000000, NULL, NULL, NULL));
	EXPECT_TRUE(!pt_lookup(&t, 0x3ffff000, NULL, NULL, NULL));
}

TEST(stage2, verify_catches_extra_and_missing)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct hv_partition_cfg p;
	struct pt t;

	two_region_part(&p);
	ASSERT_EQ(stage2_build(&t, pool, &p, &v3_board), HV_OK);
	/* An extra page anywhere fails verification. */
	ASSERT_EQ(pt_map(&t, pool, 0x09000000, 0x09000000, SZ_4K,
			 STAGE2_DEV_ATTRS, 0),
		  HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
	ASSERT_EQ(pt_unmap(&t, 0x09000000, SZ_4K), HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_OK);
	/* A missing page fails too. */
	ASSERT_EQ(pt_unmap(&t, 0x0a000000, SZ_4K), HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
	/* Wrong attributes fail. */
	ASSERT_EQ(pt_map(&t, pool, 0x0a000000, 0x0a000000, SZ_4K,
			 STAGE2_RAM_ATTRS, 0),
		  HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
}

TEST(stage2, ram_no_blocks_flag)
{
	struct pt_pool *pool = new_pool(256);
	struct hv_partition_cfg p;
	struct pt t;
	uint64_t sz;

	two_region_part(&p);
	p.ram_size = 4 * SZ_2M;
	p.flags = HV_PART_RAM_NO_BLOCKS;
	ASSERT_EQ(stage2_build(&t, pool, &p, &v3_board), HV_OK);
	ASSERT_TRUE(pt_lookup(&t, 0x40000000, NULL, NULL, &sz));
	EXPECT_EQ(sz, SZ_4K);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_OK);
}

TEST(stage2, gicv2_maps_gicv_at_gicc)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct hv_partition_cfg p;
	struct pt t;
	uint64_t pa, attrs;

	two_region_part(&p);
	ASSERT_EQ(stage2_build(&t, pool, &p, &v2_board), HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v2_board), HV_OK);
	ASSERT_TRUE(pt_lookup(&t, HV_GUEST_GICC_IPA + 0x1000, &pa, &attrs,
			      NULL));
	EXPECT_EQ(pa, 0x08041000);
	EXPECT_EQ(attrs, STAGE2_DEV_ATTRS);
	EXPECT_TRUE(!pt_lookup(&t, HV_GUEST_GICC_IPA + 0x2000, NULL, NULL,
			       NULL));
	/* The same tables do not verify as a GICv3 partition. */
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
}

/* The GICC page holding GICC_IAR is taken out while the vGIC checks an
 * acknowledge and put back after, with the pool sealed; GICC_DIR's page
 * stays. */
TEST(stage2, gicv2_trap_page_out_and_back)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct hv_partition_cfg p;
	struct pt t;
	uint64_t pa, attrs;

	two_region_part(&p);
	ASSERT_EQ(stage2_build(&t, pool, &p, &v2_board), HV_OK);
	pt_pool_seal(pool);
	ASSERT_EQ(stage2_gicv_trap(&t, pool, &v2_board, true), HV_OK);
	EXPECT_TRUE(!pt_lookup(&t, HV_GUEST_GICC_IPA, NULL, NULL, NULL));
	EXPECT_TRUE(!pt_lookup(&t, HV_GUEST_GICC_IPA + 0xffc, NULL, NULL,
			       NULL));
	ASSERT_TRUE(pt_lookup(&t, HV_GUEST_GICC_IPA + 0x1000, &pa, NULL,
			      NULL));
	EXPECT_EQ(pa, 0x08041000);
	/* Twice is harmless either way. */
	ASSERT_EQ(stage2_gicv_trap(&t, pool, &v2_board, true), HV_OK);
	ASSERT_EQ(stage2_gicv_trap(&t, pool, &v2_board, false), HV_OK);
	ASSERT_EQ(stage2_gicv_trap(&t, pool, &v2_board, false), HV_OK);
	ASSERT_TRUE(pt_lookup(&t, HV_GUEST_GICC_IPA + 0xc, &pa, &attrs,
			      NULL));
	EXPECT_EQ(pa, 0x0804000c);
	EXPECT_EQ(attrs, STAGE2_DEV_ATTRS);
	EXPECT_EQ(stage2_verify(&t, &p, &v2_board), HV_OK);
	/* A GICv3 partition has no such page. */
	EXPECT_EQ(stage2_gicv_trap(&t, pool, &v3_board, true), HV_EINVAL);
}

TEST(stage2, channel_ends_mapped_with_their_access)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct hv_partition_cfg p;
	struct pt t;
	uint64_t pa, attrs, sz;

	two_region_part(&p);
	p.chan_count = 2;
	p.chans[0] = (struct hv_chan_end){ .name = "rw", .access = HV_CHAN_RW,
					   .pa = 0x50000000, .ipa = 0x50000000,
					   .size = SZ_4K };
	p.chans[1] = (struct hv_chan_end){ .name = "ro", .access = HV_CHAN_RO,
					   .pa = 0x50001000,
					   .ipa = 0x1000000000ULL,
					   .size = 2 * SZ_4K };
	ASSERT_EQ(stage2_build(&t, pool, &p, &v3_board), HV_OK);
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_OK);
	/* The descriptor's fields, read as the architecture defines them
	 * (DDI 0487 J.a, D8.3.2), not through the build's macros: S2AP
	 * [7:6] 0b11 read-write, 0b01 read-only; MemAttr [5:2] 0b1111
	 * Normal write-back; XN[1] bit 54. */
	ASSERT_TRUE(pt_lookup(&t, 0x50000000, &pa, &attrs, &sz));
	EXPECT_EQ((attrs >> 6) & 3, 3);
	EXPECT_EQ((attrs >> 2) & 0xf, 0xf);
	EXPECT_EQ((attrs >> 54) & 1, 1);
	ASSERT_TRUE(pt_lookup(&t, 0x1000001000ULL, &pa, &attrs, &sz));
	EXPECT_EQ(pa, 0x50002000);
	EXPECT_EQ((attrs >> 6) & 3, 1); /* no write permission */
	EXPECT_EQ((attrs >> 2) & 0xf, 0xf);
	EXPECT_EQ((attrs >> 54) & 1, 1);
	EXPECT_TRUE(!pt_lookup(&t, 0x1000002000ULL, NULL, NULL, NULL));
	/* A table whose read-only end were writable fails the verify. */
	p.chans[1].access = HV_CHAN_RW;
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
	/* And an access value that is neither is read-only to the verify. */
	p.chans[0].access = 7;
	p.chans[1].access = HV_CHAN_RO;
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
}

TEST(stage2, verify_extra_monitor_pages)
{
	struct pt_pool *pool = new_pool(POOL_PAGES);
	struct hv_partition_cfg p;
	struct pt t;
	struct stage2_extra x[2] = {
		{ HV_GUEST_MONITOR_IPA, 0x40300000, SZ_4K, STAGE2_MONITOR_ATTRS },
		{ HV_GUEST_MONITOR_IPA + SZ_4K, 0x40301000, SZ_4K,
		  STAGE2_MONITOR_ATTRS },
	};
	uint64_t pa, attrs, sz;

	two_region_part(&p);
	ASSERT_EQ(stage2_build(&t, pool, &p, &v3_board), HV_OK);
	for (unsigned i = 0; i < 2; i++) {
		ASSERT_EQ(pt_map(&t, pool, x[i].ipa, x[i].pa, x[i].size,
				 x[i].attrs, 0),
			  HV_OK);
	}
	/* The plain verify refuses them; the one told about them agrees. */
	EXPECT_EQ(stage2_verify(&t, &p, &v3_board), HV_EINVAL);
	EXPECT_EQ(stage2_verify_extra(&t, &p, &v3_board, x, 2), HV_OK);
	ASSERT_TRUE(pt_lookup(&t, HV_GUEST_MONITOR_IPA + SZ_4K, &pa, &attrs,
			      &sz));
	EXPECT_EQ(pa, 0x40301000);
	EXPECT_EQ(attrs & (3ULL << 6), S2_AP_RO); /* read-only */
	EXPECT_TRUE((attrs & PTE_XN) != 0);
	/* Told about one page only: the other is an unexpected mapping. */
	EXPECT_EQ(stage2_verify_extra(&t, &p, &v3_board, x, 1), HV_EINVAL);
	/* Told about a page that is not mapped: missing. */
	ASSERT_EQ(pt_unmap(&t, x[1].ipa, SZ_4K), HV_OK);
	EXPECT_EQ(stage2_verify_extra(&t, &p, &v3_board, x, 2), HV_EINVAL);
	/* Mapped writable instead: wrong attributes. */
	ASSERT_EQ(pt_map(&t, pool, x[1].ipa, x[1].pa, SZ_4K,
			 (x[1].attrs & ~(3ULL << 6)) | S2_AP_RW, 0),
		  HV_OK);
	EXPECT_EQ(stage2_verify_extra(&t, &p, &v3_board, x, 2), HV_EINVAL);
}
