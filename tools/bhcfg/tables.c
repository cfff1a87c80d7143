/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's translation-table pages (docs/isolation.md, "What
 * colouring costs"): at boot every partition's stage 2 and EL2 loading
 * window take 4 KiB table pages from one fixed pool of HV_PT_POOL_PAGES
 * (hv/config.h), of which HV_PT_OWN_PAGES are the hypervisor's own map's.
 * A coloured partition's RAM is mapped with 4 KiB pages, one level-3
 * table per 2 MiB, so colouring a few hundred MiB fills the pool, and the
 * boot would stop before any partition ran.
 *
 * Counted here by building the same tables with the hypervisor's own
 * code (stage2_build(), pt_map() with the window's flags) in a scratch
 * pool, partition by partition in the boot's order, so the count cannot
 * drift from what the boot takes. The count is an upper bound: a
 * stage-2 root of concatenated tables may skip one page to align (the
 * boot's parity is unknown here, so one page each is added), and the
 * windows' upper tables may be shared with the hypervisor's own map.
 * The boot checks the partitions take no more (arch_mmu_seal()).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bhcfg.h"
#include "hv/colour.h"
#include "hv/stage2.h"

/* Scratch pool pages: enough to say how far over a refused system is. */
#define BH_SIM_PAGES (4 * HV_PT_POOL_PAGES)

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
 * Count the table pages the partitions need, set cfg.table_pages, and
 * refuse (naming the partition that goes over) a system that needs more
 * than the pool holds for partitions. Returns 0 or -1 (reported).
 */
int bh_tables_check(struct bh_ctx *ctx)
{
	const struct hv_config *c = &ctx->cfg;
	const uint64_t limit = HV_PT_POOL_PAGES - HV_PT_OWN_PAGES;
	uint64_t (*mem)[PT_ENTRIES];
	struct pt_pool s2_pool, win_pool;
	struct pt win;
	uint64_t total = 0;
	int rc = 0;

	mem = aligned_alloc(SZ_64K, 2 * (size_t)BH_SIM_PAGES * SZ_4K);
	if (mem == NULL) {
		bh_error(ctx->system.path, "out of memory");
		return -1;
	}
	pt_pool_init(&s2_pool, mem, BH_SIM_PAGES);
	pt_pool_init(&win_pool, mem + BH_SIM_PAGES, BH_SIM_PAGES);
	/* The EL2 root is the hypervisor's own (HV_PT_OWN_PAGES). */
	if (pt_init(&win, &win_pool, HV_EL2_VA_BITS, false) != HV_OK) {
		free(mem);
		return -1;
	}
	for (uint32_t p = 0; p < c->partition_count && rc == 0; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];
		uint64_t before = s2_pool.used + win_pool.used;
		uint64_t need;
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
		need = s2_pool.used + win_pool.used - before +
		       (e == HV_OK && s2.root_entries > PT_ENTRIES
				? s2.root_entries / PT_ENTRIES - 1
				: 0);
		total += need;
		if (e == HV_ENOMEM || total > limit) {
			bh_part_error(ctx, (int)p, "memory-size",
				      "its stage-2 tables and loading window "
				      "need %s%" PRIu64 " table pages, the "
				      "partitions up to it %s%" PRIu64 ": more "
				      "than the %" PRIu64 " of the hypervisor's "
				      "%u-page table pool left for partitions "
				      "(HV_PT_POOL_PAGES less HV_PT_OWN_PAGES, "
				      "hv/config.h): a coloured partition maps "
				      "its RAM with 4 KiB pages, about one "
				      "table page per 2 MiB; give it less RAM",
				      e == HV_ENOMEM ? "more than " : "",
				      need, e == HV_ENOMEM ? "more than " : "", total,
				      limit, HV_PT_POOL_PAGES);
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
