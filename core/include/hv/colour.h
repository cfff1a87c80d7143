/* SPDX-License-Identifier: MIT */
/*
 * Last-level-cache colouring (docs/isolation.md). With 4 KiB pages and a
 * physically indexed last-level cache whose way is W bytes, the page at
 * physical address pa can only occupy the cache sets of colour
 * (pa / 4 KiB) mod (W / 4 KiB). A coloured partition gets only pages of
 * its colours: its RAM is one contiguous guest-physical range laid over a
 * physical span that starts at ram_pa (aligned to one colour period,
 * colours x 4 KiB) in which it owns the pages of its colours, in order:
 *
 *   IPA page i  ->  ram_pa + (i / k) * period + pos[i % k] * 4 KiB
 *
 * where k is the number of its colours and pos[] lists them in ascending
 * order. Pure arithmetic: linked into the hypervisor, bhcfg and the host
 * tests alike.
 */
#ifndef HV_COLOUR_H
#define HV_COLOUR_H

#include "hv/config.h"
#include "hv/pt.h"
#include "hv/types.h"

/** The page size colours are counted in. */
#define COLOUR_PAGE SZ_4K

/** The colour of the page at physical address @pa, of @n colours. */
static inline uint32_t colour_of(uint64_t pa, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)((pa / COLOUR_PAGE) % n);
}

/** Bytes of one colour period: @n consecutive pages, one of each colour. */
static inline uint64_t colour_period(uint32_t n)
{
	return (uint64_t)n * COLOUR_PAGE;
}

/** True if partition @pc is coloured (then the board has colours). */
static inline bool colour_part(const struct hv_partition_cfg *pc)
{
	return pc->colours != 0;
}

/**
 * pt_map() flags of the EL2 loading window over @pc's RAM (VA == PA):
 * coloured RAM only its own pages, 4 KiB each (arch/arm64/mmu.c; bhcfg
 * counts the window's tables the same way, tools/bhcfg/tables.c).
 */
static inline unsigned colour_window_flags(const struct hv_partition_cfg *pc)
{
	return colour_part(pc) ? PT_NO_BLOCKS : 0u;
}

/** One physically contiguous piece of a partition's RAM. */
struct colour_run {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

/** Walks a partition's RAM as physically contiguous runs, in IPA order. */
struct colour_iter {
	uint64_t base_pa;  /* start of the physical span */
	uint64_t ipa;	   /* IPA of page 0 */
	uint64_t pages;	   /* RAM pages */
	uint64_t next;	   /* next page to hand out */
	uint32_t n;	   /* board colours (0: not coloured) */
	uint32_t k;	   /* the partition's colours */
	uint8_t pos[HV_MAX_COLOURS]; /* its colours, ascending */
};

void colour_iter_init(struct colour_iter *it,
		      const struct hv_partition_cfg *pc,
		      const struct hv_board_desc *b);
bool colour_iter_next(struct colour_iter *it, struct colour_run *r);
/**
 * Restrict @it (just initialised) to the RAM bytes [@off, @off + @size)
 * from its start, both 4 KiB aligned: colour_iter_next() then hands out
 * only the runs of that part, cut at its ends.
 */
void colour_iter_window(struct colour_iter *it, uint64_t off, uint64_t size);
/** Physical address of page @i (0-based, < it->pages) of the RAM. */
uint64_t colour_page_pa(const struct colour_iter *it, uint64_t i);

/**
 * Bytes of the physical span that @size bytes of RAM in colours @mask (of
 * @n) take from a period-aligned base: up to the end of the last page.
 * @size itself when @mask is 0 (not coloured); 0 if @size is 0, not
 * 4 KiB aligned, or @mask has no colour below @n.
 */
uint64_t colour_span(uint64_t size, uint32_t mask, uint32_t n);
/** The physical span partition @pc's RAM covers (ram_size if plain). */
uint64_t colour_part_span(const struct hv_partition_cfg *pc,
			  const struct hv_board_desc *b);
/**
 * The most RAM (bytes, a multiple of 4 KiB) in colours @mask of @n that a
 * period-aligned span of @span bytes holds.
 */
uint64_t colour_max_size(uint64_t span, uint32_t mask, uint32_t n);

/** A physical range taken, and the colours it holds (0: all of them). */
struct colour_res {
	uint64_t base;
	uint64_t size;
	uint32_t colours;
};

/**
 * Placement (bhcfg): the lowest period-aligned base in one RAM bank of @b
 * for @size bytes of RAM in colours @mask (of the board's colours) whose
 * span overlaps none of the @nres taken ranges @res, except coloured ones
 * whose colours are disjoint from @mask (their pages are other colours).
 * Returns false if there is none.
 */
bool colour_fit(const struct hv_board_desc *b, const struct colour_res *res,
		int nres, uint64_t size, uint32_t mask, uint64_t *base);

/**
 * True if every page of [pa, pa + size) has a colour in @mask (of @n).
 * Always true for @mask 0 (not coloured).
 */
bool colour_range_ok(uint64_t pa, uint64_t size, uint32_t mask, uint32_t n);

/**
 * What a load of @pc must clear in the RAM bytes [@off, @to) from its
 * start (4 KiB aligned): every byte but the whole pages one of its images
 * (image, DTB, initrd) covers, which the copy overwrites anyway (a page an
 * image covers only in part is cleared first). Returns the start of the
 * first run to clear and sets *@end to its end; returns @to (and *@end =
 * @to) when nothing in [@off, @to) needs clearing.
 */
uint64_t ram_clear_next(const struct hv_partition_cfg *pc, uint64_t off,
			uint64_t to, uint64_t *end);

#endif /* HV_COLOUR_H */
