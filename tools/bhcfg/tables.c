/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's translation-table pages (docs/isolation.md, "What
 * colouring costs"): at boot every partition's stage 2 and EL2 loading
 * window take 4 KiB table pages from one pool, which bhcfg sizes here
 * (hv/config.h: HV_PT_OWN_PAGES for the hypervisor's own map plus what
 * the partitions need, at least HV_PT_POOL_PAGES). A coloured partition's
 * RAM is mapped with 4 KiB pages, one level-3 table per 2 MiB, so a
 * coloured system needs far more than a plain one.
 *
 * Counted by building the same tables with the hypervisor's own code
 * (stage2_build(), pt_map() with the window's flags) in a scratch pool,
 * partition by partition in the boot's order, so the count cannot drift
 * from what the boot takes. The count is an upper bound: a stage-2 root
 * of concatenated tables may skip one page to align (the boot's parity is
 * unknown here, so one page each is added), and the windows' upper
 * tables may be shared with the hypervisor's own map. The boot checks
 * the partitions take no more (arch_mmu_seal()); the validator checks the
 * pool fits the hypervisor's region (CFG_E_HV_TOO_SMALL).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bhcfg.h"
#include "hv/colour.h"
#include "hv/stage2.h"

/* The most table-pool bytes bhcfg counts up to. */
#define BH_TABLES_MAX (256ULL << 20)

/* Map the stats pages @pc may monitor, as partition_prepare_all() does
 * (their physical pages are the hypervisor's: any 4 KiB page counts the
 * same, since each is a 4 KiB leaf). */
static hv_err_t bh_monitor_pages(struct pt *t, struct pt_pool *pool,
				 const struct hv_partition_cfg *pc)
{
	uint64_t n = 0;

	for (uint32_t q = 0; q < HV_MAX_PARTITIONS; q++) {
		if (pc->monitor_mask & (1u << q)) {
			TRY(pt_map(t, pool, HV_GUEST_MONITOR_IPA +
						    n * HV_GUEST_MONITOR_PAGE,
				   (n + 1) * HV_GUEST_MONITOR_PAGE,
				   HV_GUEST_MONITOR_PAGE, STAGE2_MONITOR_ATTRS,
				   0));
			n++;
		}
	}
	return HV_OK;
}

/* The tables of @pc's loading window, as arch_mmu_prepare_window(). */
static hv_err_t bh_window(struct pt *t, struct pt_pool *pool,
			  const struct hv_partition_cfg *pc,
			  const struct hv_board_desc *b)
{
	struct colour_iter it;
	struct colour_run r;

	colour_iter_init(&it, pc, b);
	while (colour_iter_next(&it, &r)) {
		TRY(pt_map(t, pool, r.pa, r.pa, r.size, 0,
			   PT_TABLES_ONLY | colour_window_flags(pc)));
	}
	return HV_OK;
}

/**
 * Count the table pages the partitions need into cfg.table_pages (which
 * sizes the pool). Refuses, naming the partition, a system whose tables
 * could not be built or would not fit the hypervisor's region even alone.
 * Returns 0 or -1 (reported).
 */
int bh_tables_count(struct bh_ctx *ctx)
{
	const struct hv_config *c = &ctx->cfg;
	/* Scratch pages: as many as the hypervisor's region could hold, up
	 * to 256 MiB (aligned_alloc() takes whole 64 KiB units). */
	const size_t cap =
		(size_t)((c->board.hv_size < BH_TABLES_MAX ? c->board.hv_size
							     : BH_TABLES_MAX) /
				 SZ_64K +
			 1) *
		16u;
	uint64_t (*mem)[PT_ENTRIES];
	struct pt_pool s2_pool, win_pool;
	struct pt win;
	uint64_t total = 0;
	int rc = 0;

	mem = aligned_alloc(SZ_64K, 2 * cap * SZ_4K);
	if (mem == NULL) {
		bh_error(ctx->system.path, "out of memory");
		return -1;
	}
	pt_pool_init(&s2_pool, mem, cap);
	pt_pool_init(&win_pool, mem + cap, cap);
	/* The EL2 root is the hypervisor's own (HV_PT_OWN_PAGES). */
	if (pt_init(&win, &win_pool, HV_EL2_VA_BITS, false) != HV_OK) {
		free(mem);
		return -1;
	}
	for (uint32_t p = 0; p < c->partition_count && rc == 0; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];
		uint64_t before = s2_pool.used + win_pool.used;
		struct pt s2;
		hv_err_t e;

		e = stage2_build(&s2, &s2_pool, pc, &c->board);
		if (e == HV_OK) {
			e = bh_monitor_pages(&s2, &s2_pool, pc);
		}
		if (e == HV_OK) {
			e = bh_window(&win, &win_pool, pc, &c->board);
		}
		/* Aligning a root of concatenated tables may skip a page. */
		ctx->part[p].table_pages =
			(uint32_t)(s2_pool.used + win_pool.used - before +
				   (e == HV_OK && s2.root_entries > PT_ENTRIES
					    ? s2.root_entries / PT_ENTRIES - 1
					    : 0));
		total += ctx->part[p].table_pages;
		if (e == HV_ENOMEM) {
			bh_part_error(ctx, (int)p, "memory-size",
				      "its stage-2 tables and loading window "
				      "need more than %zu table pages, more "
				      "than the hypervisor's region (0x%" PRIx64
				      " bytes, or at most 256 MiB) holds: a "
				      "coloured partition maps its RAM with "
				      "4 KiB pages, about one table page per "
				      "2 MiB",
				      cap, c->board.hv_size);
			rc = -1;
		} else if (e != HV_OK) {
			bh_part_error(ctx, (int)p, NULL,
				      "its stage-2 tables cannot be built "
				      "(error %d)", (int)e);
			rc = -1;
		}
	}
	ctx->cfg.table_pages = (uint32_t)total;
	free(mem);
	return rc;
}
