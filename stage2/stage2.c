/* SPDX-License-Identifier: MIT */
/*
 * Partition stage-2 maps: build from the configuration, then prove the
 * finished tables map exactly the configured regions.
 */
#include "hv/stage2.h"

#include "hv/colour.h"
#include "hv/types.h"

/* Stage-2 attributes of channel end @e. */
static uint64_t chan_attrs(const struct hv_chan_end *e)
{
	return e->access == HV_CHAN_RO ? STAGE2_CHAN_RO_ATTRS
				       : STAGE2_CHAN_RW_ATTRS;
}

/**
 * Create @t in @pool and map the partition's RAM, passthrough devices and
 * channel shared memory (and, on GICv2, the virtual CPU interface at the
 * guest's GICC address).
 * Emulated devices (distributor, redistributors, UART) are left unmapped
 * so every access traps. Boot only; HV_ENOMEM if the pool is too small.
 */
hv_err_t stage2_build(struct pt *t, struct pt_pool *pool,
		      const struct hv_partition_cfg *p,
		      const struct hv_board_desc *b)
{
	unsigned ram_flags = (p->flags & HV_PART_RAM_NO_BLOCKS) ? PT_NO_BLOCKS
								: 0;
	struct colour_iter it;
	struct colour_run r;

	TRY(pt_init(t, pool, HV_GUEST_IPA_BITS, true));
	/* RAM, run by run: one run unless coloured (then 4 KiB pages, each
	 * of the partition's colours, docs/isolation.md). */
	colour_iter_init(&it, p, b);
	if (colour_part(p)) {
		ram_flags = PT_NO_BLOCKS;
	}
	while (colour_iter_next(&it, &r)) {
		if (!colour_range_ok(r.pa, r.size, p->colours,
				     b->llc_colours)) {
			return HV_EINVAL;
		}
		TRY(pt_map(t, pool, r.ipa, r.pa, r.size, STAGE2_RAM_ATTRS,
			   ram_flags));
	}
	for (uint32_t i = 0; i < p->device_count; i++) {
		const struct hv_device *d = &p->devices[i];

		TRY(pt_map(t, pool, d->ipa, d->pa, d->size, STAGE2_DEV_ATTRS,
			   0));
	}
	for (uint32_t i = 0; i < p->chan_count; i++) {
		const struct hv_chan_end *e = &p->chans[i];

		TRY(pt_map(t, pool, e->ipa, e->pa, e->size, chan_attrs(e), 0));
	}
	if (b->gic_version == HV_GIC_V2) {
		TRY(pt_map(t, pool, HV_GUEST_GICC_IPA, b->gicv_base,
			   STAGE2_GICV_SIZE, STAGE2_DEV_ATTRS, 0));
	}
	return HV_OK;
}

struct verify_ctx {
	const struct hv_partition_cfg *p;
	const struct hv_board_desc *b;
	const struct stage2_extra *x;
	unsigned x_count;
	uint64_t mapped;
	struct colour_iter it; /* where the colouring puts each RAM page */
};

/* Does the leaf lie inside [ipa, ipa+size) mapped at pa with @attrs? */
static bool leaf_in(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs,
		    uint64_t r_ipa, uint64_t r_pa, uint64_t r_size,
		    uint64_t r_attrs)
{
	return range_within(va, size, r_ipa, r_size) &&
	       pa - r_pa == va - r_ipa && attrs == r_attrs;
}

/*
 * Does the leaf lie inside coloured RAM, each of its pages where the
 * colouring puts it and of one of the partition's colours?
 */
static bool leaf_in_coloured(const struct verify_ctx *ctx, uint64_t va,
			     uint64_t pa, uint64_t size, uint64_t attrs)
{
	const struct hv_partition_cfg *p = ctx->p;

	if (!range_within(va, size, p->ram_ipa, p->ram_size) ||
	    attrs != STAGE2_RAM_ATTRS) {
		return false;
	}
	for (uint64_t off = 0; off < size; off += COLOUR_PAGE) {
		uint64_t page = (va - p->ram_ipa + off) / COLOUR_PAGE;

		if (pa + off != colour_page_pa(&ctx->it, page) ||
		    !colour_range_ok(pa + off, COLOUR_PAGE, p->colours,
				     ctx->b->llc_colours)) {
			return false;
		}
	}
	return true;
}

static hv_err_t verify_leaf(void *arg, uint64_t va, uint64_t pa,
			    uint64_t size, uint64_t attrs)
{
	struct verify_ctx *ctx = arg;
	const struct hv_partition_cfg *p = ctx->p;
	bool ok = colour_part(p)
			  ? leaf_in_coloured(ctx, va, pa, size, attrs)
			  : leaf_in(va, pa, size, attrs, p->ram_ipa, p->ram_pa,
				    p->ram_size, STAGE2_RAM_ATTRS);

	for (uint32_t i = 0; !ok && i < p->device_count; i++) {
		const struct hv_device *d = &p->devices[i];

		ok = leaf_in(va, pa, size, attrs, d->ipa, d->pa, d->size,
			     STAGE2_DEV_ATTRS);
	}
	for (uint32_t i = 0; !ok && i < p->chan_count; i++) {
		const struct hv_chan_end *e = &p->chans[i];

		ok = leaf_in(va, pa, size, attrs, e->ipa, e->pa, e->size,
			     chan_attrs(e));
	}
	if (!ok && ctx->b->gic_version == HV_GIC_V2) {
		ok = leaf_in(va, pa, size, attrs, HV_GUEST_GICC_IPA,
			     ctx->b->gicv_base, STAGE2_GICV_SIZE,
			     STAGE2_DEV_ATTRS);
	}
	for (unsigned i = 0; !ok && i < ctx->x_count; i++) {
		const struct stage2_extra *x = &ctx->x[i];

		ok = leaf_in(va, pa, size, attrs, x->ipa, x->pa, x->size,
			     x->attrs);
	}
	if (!ok) {
		return HV_EINVAL;
	}
	ctx->mapped += size;
	return HV_OK;
}

/**
 * Walk the finished tables: every valid leaf must lie inside one configured
 * region, with that region's output address and attributes (for coloured
 * RAM: every page at its place in the colouring, of one of the partition's
 * colours), and the mapped
 * total must equal the configured total (regions do not overlap: the
 * validator checked), so everything configured is mapped and nothing else.
 * Returns HV_EINVAL on any difference.
 */
hv_err_t stage2_verify(const struct pt *t, const struct hv_partition_cfg *p,
		       const struct hv_board_desc *b)
{
	return stage2_verify_extra(t, p, b, NULL, 0);
}

/**
 * stage2_verify() for tables that also map @x_count extra regions @x
 * (which must not overlap each other or the configured regions): each is
 * then allowed, with its own output address and attributes, and counted.
 */
hv_err_t stage2_verify_extra(const struct pt *t,
			     const struct hv_partition_cfg *p,
			     const struct hv_board_desc *b,
			     const struct stage2_extra *x, unsigned x_count)
{
	struct verify_ctx ctx = {
		.p = p, .b = b, .x = x, .x_count = x_count, .mapped = 0
	};
	uint64_t want = p->ram_size +
			(b->gic_version == HV_GIC_V2 ? STAGE2_GICV_SIZE : 0);

	for (uint32_t i = 0; i < p->device_count; i++) {
		want += p->devices[i].size;
	}
	for (uint32_t i = 0; i < p->chan_count; i++) {
		want += p->chans[i].size;
	}
	for (unsigned i = 0; i < x_count; i++) {
		want += x[i].size;
	}
	colour_iter_init(&ctx.it, p, b);
	TRY(pt_walk_leaves(t, verify_leaf, &ctx));
	return ctx.mapped == want ? HV_OK : HV_EINVAL;
}
