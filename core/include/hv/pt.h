/* SPDX-License-Identifier: MIT */
/*
 * Translation tables for the 4 KiB granule, used both for the hypervisor's
 * own EL2 stage-1 map and for each partition's stage-2 map. Pure C: tables
 * are plain memory and the descriptor encodings come from arch/pte.h, so the
 * same code runs on the host under the unit tests.
 *
 * Addresses of tables are their pointers: the hypervisor runs identity
 * mapped (VA == PA) and the host tests use process memory.
 */
#ifndef HV_PT_H
#define HV_PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/err.h"

#include "arch/pte.h"

/**
 * Boot-time pool of zeroed 4 KiB table pages. After pt_pool_seal() nothing
 * more can be allocated: mapping calls that would need a new table fail with
 * HV_ESEALED, so a map of a range whose tables exist still works (the EL2
 * image-loading window relies on this).
 */
struct pt_pool {
	uint64_t (*pages)[PT_ENTRIES];
	size_t count;
	size_t used;
	bool sealed;
	/* Called on each page run before it is zeroed (may be NULL): the
	 * EL2 pool drops stale cache lines there, because it is filled with
	 * the MMU off and is not cleared at boot. */
	void (*take)(void *page, size_t bytes);
	size_t sealed_used; /* pages in use when it was sealed */
};

/** One translation table tree and its geometry. */
struct pt {
	uint64_t *root;
	unsigned start_level;  /* 0..2 */
	unsigned ia_bits;      /* input address bits translated */
	unsigned root_entries; /* > 512 when stage-2 roots are concatenated */
};

/** Map flags. */
#define PT_NO_BLOCKS (1u << 0) /* use 4 KiB pages only */
/* Take the tables the range needs, write no leaf; every leaf slot of the
 * range must be invalid (HV_EEXIST otherwise). */
#define PT_TABLES_ONLY (1u << 1)

/** Visitor for pt_walk_leaves(): return HV_OK to go on. */
typedef hv_err_t (*pt_leaf_fn)(void *arg, uint64_t va, uint64_t pa,
			       uint64_t size, uint64_t attrs);

void pt_pool_init(struct pt_pool *pool, void *pages, size_t count);
void pt_pool_seal(struct pt_pool *pool);

hv_err_t __must_check pt_init(struct pt *t, struct pt_pool *pool,
			      unsigned ia_bits, bool stage2);
hv_err_t __must_check pt_map(struct pt *t, struct pt_pool *pool, uint64_t va,
			     uint64_t pa, uint64_t size, uint64_t attrs,
			     unsigned flags);
hv_err_t __must_check pt_unmap(struct pt *t, uint64_t va, uint64_t size);
bool pt_lookup(const struct pt *t, uint64_t va, uint64_t *pa, uint64_t *attrs,
	       uint64_t *leaf_size);
hv_err_t pt_walk_leaves(const struct pt *t, pt_leaf_fn fn, void *arg);

#endif /* HV_PT_H */
