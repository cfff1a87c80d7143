/* SPDX-License-Identifier: MIT */
/*
 * The channel rules of the validator (docs/config.md, rules 36a to 36o),
 * checked after every partition passed its own rules, so RAM, devices and
 * counts of all partitions can be trusted here. The channel ends are still
 * untrusted: every count, index, string and range is checked before use.
 * Pure, like config_validate.c.
 *
 * A channel is two ends, each held by the partition at that end. The ends
 * name each other and must agree on the channel's name and physical
 * region: the shared region is the one place where two partitions' maps
 * may meet, so it must not overlap anything else, not even another
 * channel's region.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/colour.h"
#include "hv/config.h"
#include "hv/config_validate.h"
#include "hv/doorbell.h"
#include "hv/types.h"

#define CC_IPA_LIMIT (1ULL << HV_GUEST_IPA_BITS)
#define CC_PROP "channels"

/* An error at end @i of partition @p. */
static enum cfg_err cc_fail(struct cfg_diag *d, enum cfg_err code, int p,
			    int other, int i)
{
	return cfg_fail(d, code, p, other, i, CC_PROP);
}

/* Channel ends of @pc that may be read: the count, capped by the array. */
static uint32_t cc_count(const struct hv_partition_cfg *pc)
{
	return pc->chan_count < HV_MAX_PART_CHANNELS ? pc->chan_count
						     : HV_MAX_PART_CHANNELS;
}

/* Count, name and access of every end of partition @p. */
static enum cfg_err cc_names(const struct hv_config *c, int p,
			     struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];

	if (pc->chan_count > HV_MAX_PART_CHANNELS) {
		return cc_fail(d, CFG_E_CHAN_COUNT, p, -1, -1);
	}
	for (uint32_t i = 0; i < pc->chan_count; i++) {
		const struct hv_chan_end *e = &pc->chans[i];

		if (!cfg_name_ok(e->name, HV_NAME_LEN)) {
			return cc_fail(d, CFG_E_CHAN_NAME, p, -1, (int)i);
		}
		for (uint32_t j = 0; j < i; j++) {
			if (cfg_streq(e->name, pc->chans[j].name,
				      HV_NAME_LEN)) {
				return cc_fail(d, CFG_E_CHAN_NAME, p, p,
					       (int)i);
			}
		}
		if (e->access != HV_CHAN_RW && e->access != HV_CHAN_RO) {
			return cc_fail(d, CFG_E_CHAN_ACCESS, p, -1, (int)i);
		}
	}
	return CFG_OK;
}

/* The other end of end @i of @p names it back and agrees; names checked. */
static enum cfg_err cc_peer(const struct hv_config *c, int p, uint32_t i,
			    struct cfg_diag *d)
{
	const struct hv_chan_end *e = &c->partitions[p].chans[i];
	const struct hv_partition_cfg *qc;
	const struct hv_chan_end *o;

	if (e->peer >= c->partition_count || e->peer == (uint32_t)p) {
		return cc_fail(d, CFG_E_CHAN_PEER, p, -1, (int)i);
	}
	qc = &c->partitions[e->peer];
	if (e->peer_end >= cc_count(qc)) {
		return cc_fail(d, CFG_E_CHAN_PEER, p, (int)e->peer, (int)i);
	}
	o = &qc->chans[e->peer_end];
	if (o->peer != (uint32_t)p || o->peer_end != i ||
	    !cfg_streq(o->name, e->name, HV_NAME_LEN) || o->pa != e->pa ||
	    o->size != e->size || o->db_interval_us != e->db_interval_us) {
		return cc_fail(d, CFG_E_CHAN_PEER, p, (int)e->peer, (int)i);
	}
	if (e->db_interval_us > DOORBELL_MAX_INTERVAL_US) {
		return cc_fail(d, CFG_E_CHAN_DOORBELL, p, -1, (int)i);
	}
	if (e->access == HV_CHAN_RO && o->access == HV_CHAN_RO) {
		return cc_fail(d, CFG_E_CHAN_ACCESS, p, (int)e->peer, (int)i);
	}
	return CFG_OK;
}

/* True if the region of end @e lies inside one board RAM bank. */
static bool cc_in_ram(const struct hv_board_desc *b,
		      const struct hv_chan_end *e)
{
	for (uint32_t k = 0; k < b->ram_count && k < HV_MAX_RAM_BANKS; k++) {
		if (range_within(e->pa, e->size, b->ram[k].base,
				 b->ram[k].size)) {
			return true;
		}
	}
	return false;
}

/*
 * The region of end @i of @p against everything physical: board RAM, the
 * hypervisor, every partition's RAM, every other channel's region (the
 * peer end of the same channel is the one allowed overlap).
 */
static enum cfg_err cc_region(const struct hv_config *c, int p, uint32_t i,
			      struct cfg_diag *d)
{
	const struct hv_chan_end *e = &c->partitions[p].chans[i];

	if (e->size == 0) {
		return cc_fail(d, CFG_E_MEM_ZERO, p, -1, (int)i);
	}
	if (!is_aligned(e->pa, SZ_4K) || !is_aligned(e->ipa, SZ_4K) ||
	    !is_aligned(e->size, SZ_4K)) {
		return cc_fail(d, CFG_E_UNALIGNED, p, -1, (int)i);
	}
	if (cfg_wraps(e->pa, e->size) || !cc_in_ram(&c->board, e)) {
		return cc_fail(d, CFG_E_MEM_NOT_ON_BOARD, p, -1, (int)i);
	}
	if (ranges_overlap(e->pa, e->size, c->board.hv_base,
			   c->board.hv_size)) {
		return cc_fail(d, CFG_E_OVERLAPS_HV, p, -1, (int)i);
	}
	for (uint32_t q = 0; q < c->partition_count; q++) {
		const struct hv_partition_cfg *qc = &c->partitions[q];

		if (ranges_overlap(e->pa, e->size, qc->ram_pa,
				   colour_part_span(qc, &c->board))) {
			return cc_fail(d, CFG_E_MEM_OVERLAP, p, (int)q, (int)i);
		}
		for (uint32_t j = 0; j < cc_count(qc); j++) {
			bool self = q == (uint32_t)p && j == i;
			bool peer = q == e->peer && j == e->peer_end;

			if (!self && !peer &&
			    ranges_overlap(e->pa, e->size, qc->chans[j].pa,
					   qc->chans[j].size)) {
				return cc_fail(d, CFG_E_MEM_OVERLAP, p, (int)q,
					       (int)i);
			}
		}
	}
	return CFG_OK;
}

/* True if [ipa, ipa + size) meets an emulated window of partition @pc
 * (its watchdog and its monitor pages included, docs/lifecycle.md). */
static bool cc_hits_window(const struct hv_config *c,
			   const struct hv_partition_cfg *pc, uint64_t ipa,
			   uint64_t size)
{
	bool v3 = c->board.gic_version == HV_GIC_V3;

	return ranges_overlap(ipa, size, HV_GUEST_GICD_IPA,
			      HV_GUEST_GICD_SIZE) ||
	       ranges_overlap(ipa, size,
			      v3 ? HV_GUEST_GICR_IPA : HV_GUEST_GICC_IPA,
			      v3 ? HV_GUEST_GICR_STRIDE * pc->cpu_count
				 : HV_GUEST_GICC_SIZE) ||
	       ranges_overlap(ipa, size, HV_GUEST_UART_IPA,
			      HV_GUEST_UART_SIZE) ||
	       ranges_overlap(ipa, size, HV_GUEST_GPIO_IPA,
			      HV_GUEST_GPIO_SIZE) ||
	       ranges_overlap(ipa, size, HV_GUEST_WDOG_IPA,
			      HV_GUEST_WDOG_SIZE) ||
	       ranges_overlap(ipa, size, HV_GUEST_MONITOR_IPA,
			      (uint64_t)__builtin_popcount(pc->monitor_mask) *
				      (uint64_t)HV_GUEST_MONITOR_PAGE);
}

/* Where end @i of @p appears in its partition's guest-physical space. */
static enum cfg_err cc_ipa(const struct hv_config *c, int p, uint32_t i,
			   struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	const struct hv_chan_end *e = &pc->chans[i];
	bool clash;

	if (cfg_wraps(e->ipa, e->size) ||
	    e->ipa + e->size > CC_IPA_LIMIT) {
		return cc_fail(d, CFG_E_IPA_RANGE, p, -1, (int)i);
	}
	clash = ranges_overlap(e->ipa, e->size, pc->ram_ipa, pc->ram_size) ||
		cc_hits_window(c, pc, e->ipa, e->size);
	for (uint32_t k = 0; k < pc->device_count; k++) {
		clash = clash || ranges_overlap(e->ipa, e->size,
						pc->devices[k].ipa,
						pc->devices[k].size);
	}
	for (uint32_t j = 0; j < i; j++) {
		clash = clash || ranges_overlap(e->ipa, e->size,
						pc->chans[j].ipa,
						pc->chans[j].size);
	}
	return clash ? cc_fail(d, CFG_E_IPA_OVERLAP, p, -1, (int)i) : CFG_OK;
}

/*
 * A partition with channels gets the virtual PL061: its window must be
 * free in the partition's guest-physical space and its SPI must be one
 * the partition's virtual GIC has and no device of the partition uses.
 */
static enum cfg_err cc_gpio(const struct hv_config *c, int p,
			    struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	bool clash = ranges_overlap(pc->ram_ipa, pc->ram_size,
				    HV_GUEST_GPIO_IPA, HV_GUEST_GPIO_SIZE);

	for (uint32_t k = 0; k < pc->device_count; k++) {
		const struct hv_device *dev = &pc->devices[k];

		clash = clash || ranges_overlap(dev->ipa, dev->size,
						HV_GUEST_GPIO_IPA,
						HV_GUEST_GPIO_SIZE);
		for (uint32_t n = 0; n < dev->irq_count; n++) {
			if (dev->irqs[n] == HV_GUEST_GPIO_INTID) {
				return cc_fail(d, CFG_E_IRQ_TWO_OWNERS, p, -1,
					       -1);
			}
		}
	}
	if (clash) {
		return cc_fail(d, CFG_E_IPA_OVERLAP, p, -1, -1);
	}
	/* The virtual GIC exposes whole groups of 32 SPIs of the board. */
	if ((c->board.spi_count & ~31u) <= HV_GUEST_GPIO_INTID - HV_SPI_BASE) {
		return cc_fail(d, CFG_E_IRQ_NOT_ON_BOARD, p, -1, -1);
	}
	return CFG_OK;
}

/**
 * Checks the channel rules on @c, whose board and partitions (counts, RAM,
 * devices) have passed config_validate()'s earlier rules. Partition by
 * partition: the end count, names and access first for all, then per end
 * its peer, physical region and guest-physical placement, then the
 * virtual PL061. Returns CFG_OK or the first violation, filled in @d.
 */
enum cfg_err config_validate_channels(const struct hv_config *c,
				      struct cfg_diag *d)
{
	enum cfg_err e = CFG_OK;

	for (uint32_t p = 0; p < c->partition_count && e == CFG_OK; p++) {
		e = cc_names(c, (int)p, d);
	}
	for (uint32_t p = 0; p < c->partition_count && e == CFG_OK; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];

		for (uint32_t i = 0; i < pc->chan_count && e == CFG_OK; i++) {
			e = cc_peer(c, (int)p, i, d);
			e = e != CFG_OK ? e : cc_region(c, (int)p, i, d);
			e = e != CFG_OK ? e : cc_ipa(c, (int)p, i, d);
		}
		if (e == CFG_OK && pc->chan_count != 0) {
			e = cc_gpio(c, (int)p, d);
		}
	}
	return e;
}
