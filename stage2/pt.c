/* SPDX-License-Identifier: MIT */
/*
 * Translation table construction and walking (4 KiB granule). Every walk is
 * an explicit per-level loop: no recursion (MISRA C:2012 Rule 17.2).
 *
 * Arm ARM DDI 0487 J.a, D8.2 "Translation process": the start level and the
 * concatenation of stage-2 root tables (D8.2.6 "Concatenated translation
 * tables for the initial stage 2 lookup") follow from the input size.
 */
#include "hv/pt.h"

#include "hv/string.h"
#include "hv/types.h"

/** Pointer to the table a descriptor names (identity: VA == PA). */
static uint64_t *table_of(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)pte_addr(pte);
}

/*
 * Descriptors are written with one 64-bit store so the table walker never
 * sees a torn entry. Ordering against the walker (DSB) and TLB maintenance
 * are the caller's: this file has no hardware access.
 */
static void pte_write(uint64_t *slot, uint64_t v)
{
	*(volatile uint64_t *)slot = v;
}

/**
 * Set up an empty pool over @count pages at @pages (4 KiB aligned). Their
 * contents do not matter: a page is zeroed when it is taken.
 */
void pt_pool_init(struct pt_pool *pool, void *pages, size_t count)
{
	pool->pages = pages;
	pool->count = count;
	pool->used = 0;
	pool->sealed = false;
	pool->take = NULL;
}

/** Forbid further allocation: called once the boot-time maps are built. */
void pt_pool_seal(struct pt_pool *pool)
{
	pool->sealed = true;
	pool->sealed_used = pool->used;
}

/* Allocate @n contiguous zeroed pages aligned to n * 4 KiB (n a power of 2). */
static uint64_t *pool_alloc(struct pt_pool *pool, size_t n)
{
	size_t first = (pool->used + n - 1) & ~(n - 1);
	uint64_t *p;

	if (pool->sealed || first + n > pool->count) {
		return NULL;
	}
	p = pool->pages[first];
	if (((uintptr_t)p & (n * SZ_4K - 1)) != 0) {
		return NULL;
	}
	if (pool->take != NULL) {
		pool->take(p, n * SZ_4K);
	}
	memset(p, 0, n * SZ_4K);
	pool->used = first + n;
	return p;
}

/**
 * Create an empty tree translating @ia_bits of input address. Stage 2 uses
 * the highest start level whose root fits in at most 16 concatenated tables;
 * stage 1 has no concatenation. Returns HV_EINVAL for an unsupported size and
 * HV_ENOMEM if the pool is exhausted. Boot only.
 */
hv_err_t pt_init(struct pt *t, struct pt_pool *pool, unsigned ia_bits,
		 bool stage2)
{
	unsigned extra = stage2 ? 4 : 0;
	unsigned level = 3;
	unsigned root_bits;

	if (ia_bits < 25 || ia_bits > 48) {
		return HV_EINVAL;
	}
	while (level > 0 && pte_level_shift(level) + 9 + extra < ia_bits) {
		level--;
	}
	root_bits = ia_bits - pte_level_shift(level);
	t->start_level = level;
	t->ia_bits = ia_bits;
	t->root_entries = 1u << root_bits;
	t->root = pool_alloc(pool, t->root_entries > PT_ENTRIES
					   ? t->root_entries / PT_ENTRIES
					   : 1);
	return t->root == NULL ? HV_ENOMEM : HV_OK;
}

static unsigned index_at(const struct pt *t, unsigned level, uint64_t va)
{
	unsigned entries = level == t->start_level ? t->root_entries
						   : PT_ENTRIES;

	return (unsigned)((va >> pte_level_shift(level)) & (entries - 1));
}

static hv_err_t check_range(const struct pt *t, uint64_t va, uint64_t pa,
			    uint64_t size)
{
	if (size == 0 || !is_aligned(va | pa | size, SZ_4K) ||
	    range_wraps(va, size) || range_wraps(pa, size)) {
		return HV_EINVAL;
	}
	if (va + size - 1 >= (1ULL << t->ia_bits) ||
	    pa + size - 1 > PTE_ADDR_MASK) {
		return HV_ERANGE;
	}
	return HV_OK;
}

/*
 * Write the leaves of one table from @slot on: @va maps at @level, and so
 * do the following pages or blocks while the range lasts and the table
 * does (within one table no address is aligned to the level above, so the
 * choice of level cannot change: it is the choice map_one() would make
 * again for each of them). Each leaf is the one before plus the leaf size:
 * check_range() keeps the output addresses below PTE_ADDR_MASK, so the sum
 * never carries into the attributes. Returns the bytes mapped through
 * @done. With PT_TABLES_ONLY in @flags it only checks that the slots are
 * invalid.
 */
static hv_err_t map_run(uint64_t *slot, const uint64_t *end, unsigned level,
			uint64_t pa, uint64_t size, uint64_t attrs,
			unsigned flags, uint64_t *done)
{
	uint64_t blk = pte_level_size(level);
	uint64_t leaf = pte_leaf(pa, attrs, level);
	uint64_t count = size / blk;
	uint64_t i;

	if (count > (uint64_t)(end - slot)) {
		count = (uint64_t)(end - slot);
	}
	if (flags & PT_TABLES_ONLY) {
		for (i = 0; i < count; i++) {
			if (pte_valid(slot[i])) {
				*done = i * blk;
				return HV_EEXIST;
			}
		}
		*done = count * blk;
		return HV_OK;
	}
	for (i = 0; i < count; i++, leaf += blk) {
		/* Overmapping a different mapping is an error. */
		if (pte_valid(slot[i]) && slot[i] != leaf) {
			*done = i * blk;
			return HV_EEXIST;
		}
		pte_write(&slot[i], leaf);
	}
	*done = count * blk;
	return HV_OK;
}

/*
 * Map the leaves that start at @va, as many as fit in the table that holds
 * the first one; return their size through @done.
 */
static hv_err_t map_one(struct pt *t, struct pt_pool *pool, uint64_t va,
			uint64_t pa, uint64_t size, uint64_t attrs,
			unsigned flags, uint64_t *done)
{
	uint64_t *table = t->root;

	for (unsigned level = t->start_level; level < PT_LEVELS; level++) {
		unsigned entries = level == t->start_level ? t->root_entries
							   : PT_ENTRIES;
		uint64_t *slot = &table[index_at(t, level, va)];
		uint64_t blk = pte_level_size(level);
		bool block = !(flags & PT_NO_BLOCKS) &&
			     pte_level_allows_block(level) &&
			     is_aligned(va | pa, blk) && size >= blk;

		if (level == 3 || block) {
			return map_run(slot, &table[entries], level, pa, size,
				       attrs, flags, done);
		}
		if (!pte_valid(*slot)) {
			uint64_t *next = pool_alloc(pool, 1);

			if (next == NULL) {
				return pool->sealed ? HV_ESEALED : HV_ENOMEM;
			}
			pte_write(slot, pte_table((uintptr_t)next));
		} else if (!pte_is_table(*slot, level)) {
			/* A block covers part of the range: no splitting. */
			return HV_EEXIST;
		}
		table = table_of(*slot);
	}
	return HV_EINVAL; /* not reached: level 3 always returns */
}

/**
 * Map [va, va + size) to [pa, pa + size) with leaf attributes @attrs, using
 * the largest blocks alignment allows unless PT_NO_BLOCKS (or, with
 * PT_TABLES_ONLY, only take the tables that needs). Mapping the same
 * thing twice is harmless; mapping over something different returns
 * HV_EEXIST. On failure part of the range may be mapped: callers run at boot
 * and treat failure as fatal, or map ranges whose tables already exist.
 */
hv_err_t pt_map(struct pt *t, struct pt_pool *pool, uint64_t va, uint64_t pa,
		uint64_t size, uint64_t attrs, unsigned flags)
{
	TRY(check_range(t, va, pa, size));
	while (size > 0) {
		uint64_t done = 0;

		TRY(map_one(t, pool, va, pa, size, attrs, flags, &done));
		va += done;
		pa += done;
		size -= done;
	}
	return HV_OK;
}

/*
 * Find the slot that translates @va: the leaf, or the first invalid entry.
 * Returns NULL only if @va is outside the tree.
 */
static uint64_t *find_slot(const struct pt *t, uint64_t va, unsigned *level)
{
	uint64_t *table = t->root;

	if (va >= (1ULL << t->ia_bits)) {
		return NULL;
	}
	for (unsigned l = t->start_level; l < PT_LEVELS; l++) {
		uint64_t *slot = &table[index_at(t, l, va)];

		*level = l;
		if (!pte_is_table(*slot, l)) {
			return slot;
		}
		table = table_of(*slot);
	}
	return NULL; /* not reached: level 3 entries are never tables */
}

/**
 * Remove the mappings of [va, va + size). Leaves must lie wholly inside the
 * range (a block is never split); unmapped parts are skipped. Tables stay
 * allocated, so the range can be mapped again after the pool is sealed.
 * From an aligned slot on, the following slots of the same table that the
 * range covers whole are cleared without walking again from the root.
 */
hv_err_t pt_unmap(struct pt *t, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	TRY(check_range(t, va, 0, size));
	while (va < end) {
		unsigned level = 0;
		uint64_t *slot = find_slot(t, va, &level);
		uint64_t blk = pte_level_size(level);
		uint64_t next = align_down(va, blk) + blk;
		uint64_t run;

		if (slot == NULL) {
			return HV_ERANGE;
		}
		if (!is_aligned(va, blk) || next > end) {
			if (pte_valid(*slot)) {
				return HV_EINVAL;
			}
			va = next;
			continue;
		}
		/* Slots of this table from @slot on that the range covers. */
		run = (level == t->start_level ? t->root_entries : PT_ENTRIES) -
		      index_at(t, level, va);
		if (run > (end - va) / blk) {
			run = (end - va) / blk;
		}
		for (uint64_t k = 0; k < run; k++) {
			if (pte_valid(slot[k])) {
				pte_write(&slot[k], 0);
			}
		}
		va += run * blk;
	}
	return HV_OK;
}

/**
 * Translate @va. Returns false if it is not mapped; otherwise fills the
 * output address, the leaf attributes and the leaf size (any may be NULL).
 */
bool pt_lookup(const struct pt *t, uint64_t va, uint64_t *pa, uint64_t *attrs,
	       uint64_t *leaf_size)
{
	unsigned level = 0;
	uint64_t *slot = find_slot(t, va, &level);
	uint64_t blk;

	if (slot == NULL || !pte_is_leaf(*slot, level) ||
	    (level == 3 && !(*slot & PTE_TYPE_TABLE))) {
		return false;
	}
	blk = pte_level_size(level);
	if (pa != NULL) {
		*pa = pte_addr(*slot) + (va & (blk - 1));
	}
	if (attrs != NULL) {
		*attrs = pte_attrs(*slot);
	}
	if (leaf_size != NULL) {
		*leaf_size = blk;
	}
	return true;
}

/*
 * The index of the first valid entry of @table from @i on, or @n. Most of
 * a sparse table is invalid: four entries a step while none is valid.
 */
static unsigned skip_invalid(const uint64_t *table, unsigned i, unsigned n)
{
	while (i + 4 <= n && ((table[i] | table[i + 1] | table[i + 2] |
			       table[i + 3]) & PTE_VALID) == 0) {
		i += 4;
	}
	while (i < n && !pte_valid(table[i])) {
		i++;
	}
	return i;
}

/*
 * From the non-table entry at @*idx - 1 of @table (input address @va), call
 * @fn for it and for the leaves that follow it in the table, up to the
 * first invalid or table entry, which is left at @*idx for the cursor loop
 * (as is the end of the table). A run of pages costs no return to that
 * loop per page. An entry that is valid but no leaf (a level-3 entry
 * without its page bit) is skipped, as before.
 */
static hv_err_t walk_run(unsigned *idx, const uint64_t *table, unsigned n,
			 unsigned level, uint64_t va, pt_leaf_fn fn, void *arg)
{
	const uint64_t blk = pte_level_size(level);
	unsigned i = *idx - 1;
	uint64_t pte = table[i];

	for (;;) {
		if (level < 3 || (pte & PTE_TYPE_TABLE)) {
			TRY(fn(arg, va, pte_addr(pte), blk, pte_attrs(pte)));
		}
		if (++i == n) {
			break;
		}
		pte = table[i];
		if (!pte_valid(pte) || pte_is_table(pte, level)) {
			break;
		}
		va += blk;
	}
	*idx = i;
	return HV_OK;
}

/**
 * Call @fn for every valid leaf in ascending input-address order, with an
 * explicit cursor per level. Stops at, and returns, the first non-OK result.
 */
hv_err_t pt_walk_leaves(const struct pt *t, pt_leaf_fn fn, void *arg)
{
	struct {
		const uint64_t *table;
		unsigned idx;
		unsigned entries;
		uint64_t base;
	} cur[PT_LEVELS];
	int depth = 0;

	cur[0].table = t->root;
	cur[0].idx = 0;
	cur[0].entries = t->root_entries;
	cur[0].base = 0;
	while (depth >= 0) {
		unsigned level = t->start_level + (unsigned)depth;
		unsigned i = skip_invalid(cur[depth].table, cur[depth].idx,
					 cur[depth].entries);
		uint64_t pte, va;

		if (i == cur[depth].entries) {
			depth--;
			continue;
		}
		cur[depth].idx = i + 1;
		pte = cur[depth].table[i];
		va = cur[depth].base + (uint64_t)i * pte_level_size(level);
		if (pte_is_table(pte, level)) {
			depth++;
			cur[depth].table = table_of(pte);
			cur[depth].idx = 0;
			cur[depth].entries = PT_ENTRIES;
			cur[depth].base = va;
		} else {
			TRY(walk_run(&cur[depth].idx, cur[depth].table,
				     cur[depth].entries, level, va, fn, arg));
		}
	}
	return HV_OK;
}
