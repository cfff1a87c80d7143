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

/**
 * GICv2: take the first 4 KiB of the virtual CPU interface out of the
 * guest's GICC window (@trap), or put it back. That page holds GICC_IAR
 * and GICC_AIAR (IHI 0048B 4.4, Table 4-2), so while it is out the guest's
 * acknowledge is a stage-2 translation fault that the vGIC emulates
 * (docs/vgic.md, "A level HW SPI latched while the guest had IRQs
 * masked"); GICC_DIR, in the second page, stays mapped. The level-3 table
 * stays allocated (pt_unmap()), so mapping it again takes nothing from the
 * sealed pool and cannot fail for want of pages. Pure: the break-before-
 * make TLB maintenance is the caller's. stage2_verify() runs at boot
 * only, before this is ever called, so it sees the page mapped.
 */
hv_err_t stage2_gicv_trap(struct pt *t, struct pt_pool *pool,
			  const struct hv_board_desc *b, bool trap)
{
	if (b->gic_version != HV_GIC_V2) {
		return HV_EINVAL;
	}
	if (trap) {
		return pt_unmap(t, HV_GUEST_GICC_IPA, STAGE2_GICV_TRAP_SIZE);
	}
	return pt_map(t, pool, HV_GUEST_GICC_IPA, b->gicv_base,
		      STAGE2_GICV_TRAP_SIZE, STAGE2_DEV_ATTRS, 0);
}

/*
 * What the verify expects of a leaf, derived here from the configuration
 * and spelled out from the stage-2 descriptor's fields (Arm ARM DDI 0487
 * J.a, D8.3.2 "Stage 2 page and block descriptor attributes": MemAttr
 * [5:2], S2AP [7:6], SH [9:8], AF [10], XN [54:53]; bits 55-58 are
 * ignored by hardware, the software marks of hv/pt.h), on purpose without
 * the STAGE2_*_ATTRS macros or chan_attrs() that stage2_build() uses: a
 * slip in the build (a read-only channel end made writable, RAM made
 * executable-never, a device made cacheable) is not repeated here, so
 * the two cannot fail together.
 */
enum verify_kind { VK_RAM, VK_DEVICE, VK_CHANNEL };

static uint64_t verify_expect(enum verify_kind kind, bool writable)
{
	uint64_t memattr = kind == VK_DEVICE ? 0x1 /* Device-nGnRE */
					     : 0xf; /* Normal, WB inner+outer */
	uint64_t v = memattr << 2 | (writable ? 3ULL : 1ULL) << 6 |
		     1ULL << 10; /* AF */

	if (kind != VK_DEVICE) {
		v |= 3ULL << 8; /* Inner Shareable */
	}
	if (kind != VK_RAM) {
		v |= 1ULL << 54; /* XN[1]: never executable at EL1 or EL0 */
	}
	switch (kind) {
	case VK_RAM:
		return v | 1ULL << 55;
	case VK_DEVICE:
		return v | 1ULL << 56;
	default:
		return v | 1ULL << 57;
	}
}

/* A channel end is writable only if the configuration says read-write;
 * any other value of its access field is read-only here. */
static bool verify_chan_writable(const struct hv_chan_end *e)
{
	return e->access == HV_CHAN_RW;
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
	    attrs != verify_expect(VK_RAM, true)) {
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
				    p->ram_size, verify_expect(VK_RAM, true));

	for (uint32_t i = 0; !ok && i < p->device_count; i++) {
		const struct hv_device *d = &p->devices[i];

		ok = leaf_in(va, pa, size, attrs, d->ipa, d->pa, d->size,
			     verify_expect(VK_DEVICE, true));
	}
	for (uint32_t i = 0; !ok && i < p->chan_count; i++) {
		const struct hv_chan_end *e = &p->chans[i];

		ok = leaf_in(va, pa, size, attrs, e->ipa, e->pa, e->size,
			     verify_expect(VK_CHANNEL,
					   verify_chan_writable(e)));
	}
	if (!ok && ctx->b->gic_version == HV_GIC_V2) {
		/* The virtual CPU interface, 8 KiB (IHI 0048B 5.5, GICV). */
		ok = leaf_in(va, pa, size, attrs, HV_GUEST_GICC_IPA,
			     ctx->b->gicv_base, 0x2000,
			     verify_expect(VK_DEVICE, true));
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
