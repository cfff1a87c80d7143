/* SPDX-License-Identifier: MIT */
/*
 * Last-level-cache colouring arithmetic: where each page of a coloured
 * partition's RAM lies, how much physical span it takes, and where bhcfg
 * can place it (hv/colour.h, docs/isolation.md).
 */
#include "hv/bits.h"
#include "hv/colour.h"

void colour_iter_init(struct colour_iter *it,
		      const struct hv_partition_cfg *pc,
		      const struct hv_board_desc *b)
{
	uint32_t n = pc->colours != 0 ? b->llc_colours : 0;

	it->base_pa = pc->ram_pa;
	it->ipa = pc->ram_ipa;
	it->pages = pc->ram_size / COLOUR_PAGE;
	it->next = 0;
	it->n = n > HV_MAX_COLOURS ? HV_MAX_COLOURS : n;
	it->k = 0;
	for (uint32_t c = 0; c < it->n; c++) {
		if ((pc->colours >> c) & 1u) {
			it->pos[it->k++] = (uint8_t)c;
		}
	}
	if (it->k == 0) {
		it->n = 0; /* plain, or no colour the board has: contiguous */
	}
}

uint64_t colour_page_pa(const struct colour_iter *it, uint64_t i)
{
	if (it->n == 0) {
		return it->base_pa + i * COLOUR_PAGE;
	}
	return it->base_pa + (i / it->k) * colour_period(it->n) +
	       (uint64_t)it->pos[i % it->k] * COLOUR_PAGE;
}

/**
 * The next physically contiguous run of the RAM into @r; false after the
 * last. A plain partition's RAM is one run.
 */
bool colour_iter_next(struct colour_iter *it, struct colour_run *r)
{
	uint64_t first = it->next;
	uint64_t pa0;
	uint64_t end;

	if (first >= it->pages) {
		return false;
	}
	pa0 = colour_page_pa(it, first);
	if (it->n == 0) {
		end = it->pages;
	} else {
		end = first + 1;
		while (end < it->pages &&
		       colour_page_pa(it, end) ==
			       pa0 + (end - first) * COLOUR_PAGE) {
			end++;
		}
	}
	r->ipa = it->ipa + first * COLOUR_PAGE;
	r->pa = pa0;
	r->size = (end - first) * COLOUR_PAGE;
	it->next = end;
	return true;
}

void colour_iter_window(struct colour_iter *it, uint64_t off, uint64_t size)
{
	uint64_t last = (off + size) / COLOUR_PAGE;

	it->next = off / COLOUR_PAGE;
	if (last < it->pages) {
		it->pages = last;
	}
}

/* The pages blob @b overwrites whole, as [*lo, *hi) (empty if none). */
static void blob_pages(const struct hv_blob *b, uint64_t *lo, uint64_t *hi)
{
	*lo = align_up(b->offset, COLOUR_PAGE);
	*hi = align_down(b->offset + b->size, COLOUR_PAGE);
	if (b->size == 0 || *hi <= *lo) {
		*lo = 0;
		*hi = 0;
	}
}

uint64_t ram_clear_next(const struct hv_partition_cfg *pc, uint64_t off,
			uint64_t to, uint64_t *end)
{
	const struct hv_blob *blobs[3] = { &pc->image, &pc->dtb,
					   &pc->initrd };
	uint64_t lo, hi, e = to;
	bool moved = true;

	/* Step over the images' whole pages that start the range. */
	while (moved && off < to) {
		moved = false;
		for (unsigned i = 0; i < 3; i++) {
			blob_pages(blobs[i], &lo, &hi);
			if (lo <= off && off < hi) {
				off = hi;
				moved = true;
			}
		}
	}
	if (off >= to) {
		*end = to;
		return to;
	}
	/* Clear up to the next image's first whole page. */
	for (unsigned i = 0; i < 3; i++) {
		blob_pages(blobs[i], &lo, &hi);
		if (lo > off && lo < e) {
			e = lo;
		}
	}
	*end = e;
	return off;
}

/* Number of colours of @mask below @n. */
static uint32_t colour_bits(uint32_t mask, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t c = 0; c < n && c < HV_MAX_COLOURS; c++) {
		k += (mask >> c) & 1u;
	}
	return k;
}

uint64_t colour_span(uint64_t size, uint32_t mask, uint32_t n)
{
	struct colour_iter it;
	struct hv_partition_cfg pc = { .colours = mask, .ram_size = size };
	struct hv_board_desc b = { .llc_colours = n };

	if (mask == 0) {
		return size;
	}
	if (size == 0 || !is_aligned(size, COLOUR_PAGE) ||
	    colour_bits(mask, n) == 0 || n > HV_MAX_COLOURS) {
		return 0;
	}
	colour_iter_init(&it, &pc, &b);
	return colour_page_pa(&it, it.pages - 1) + COLOUR_PAGE;
}

uint64_t colour_part_span(const struct hv_partition_cfg *pc,
			  const struct hv_board_desc *b)
{
	return colour_span(pc->ram_size, pc->colours, b->llc_colours);
}

uint64_t colour_max_size(uint64_t span, uint32_t mask, uint32_t n)
{
	uint32_t k = colour_bits(mask, n);
	uint64_t rem;

	if (k == 0 || n > HV_MAX_COLOURS) {
		return 0;
	}
	rem = (span % colour_period(n)) / COLOUR_PAGE;
	return ((span / colour_period(n)) * k +
		colour_bits(mask, (uint32_t)rem)) *
	       COLOUR_PAGE;
}

bool colour_range_ok(uint64_t pa, uint64_t size, uint32_t mask, uint32_t n)
{
	if (mask == 0) {
		return true;
	}
	for (uint64_t off = 0; off < size; off += COLOUR_PAGE) {
		if (n == 0 || ((mask >> colour_of(pa + off, n)) & 1u) == 0) {
			return false;
		}
	}
	return true;
}

/* The taken range @res that the span [base, base+span) of @mask hits. */
static const struct colour_res *colour_hit(const struct colour_res *res,
					   int nres, uint64_t base,
					   uint64_t span, uint32_t mask)
{
	for (int r = 0; r < nres; r++) {
		if (mask != 0 && res[r].colours != 0 &&
		    (res[r].colours & mask) == 0) {
			continue; /* other colours: its pages are not ours */
		}
		if (ranges_overlap(base, span, res[r].base, res[r].size)) {
			return &res[r];
		}
	}
	return NULL;
}

static bool colour_round_up(uint64_t x, uint64_t a, uint64_t *out)
{
	uint64_t r = (x + a - 1) / a * a;

	if (r < x) {
		return false;
	}
	*out = r;
	return true;
}

bool colour_fit(const struct hv_board_desc *b, const struct colour_res *res,
		int nres, uint64_t size, uint32_t mask, uint64_t *base)
{
	uint32_t n = mask != 0 ? b->llc_colours : 1;
	uint64_t span = colour_span(size, mask, b->llc_colours);
	uint64_t align = colour_period(n);

	if (span == 0 || n == 0) {
		return false;
	}
	for (uint32_t i = 0; i < b->ram_count && i < HV_MAX_RAM_BANKS; i++) {
		uint64_t start, end = b->ram[i].base + b->ram[i].size;

		if (end < b->ram[i].base ||
		    !colour_round_up(b->ram[i].base, align, &start)) {
			continue;
		}
		/* Each round either succeeds or skips past one range. */
		for (int round = 0; round <= nres; round++) {
			const struct colour_res *hit;

			if (start > end || end - start < span) {
				break;
			}
			hit = colour_hit(res, nres, start, span, mask);
			if (hit == NULL) {
				*base = start;
				return true;
			}
			if (hit->base + hit->size < hit->base ||
			    !colour_round_up(hit->base + hit->size, align,
					     &start)) {
				break;
			}
		}
	}
	return false;
}
