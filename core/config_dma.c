/* SPDX-License-Identifier: MIT */
/*
 * The DMA rules of the validator (docs/config.md, "Bus masters and the
 * SMMU"): the board's SMMUs and the DMA fields of its devices, and per
 * partition the trust rule. A partition that owns a bus master either has
 * an SMMU in front of it, translating the device's StreamIDs with the
 * partition's own stage 2, or is marked dma-unprotected (it can reach all
 * of physical memory and is part of the trusted base). Pure, like
 * config_validate.c; the board rules run after the board's RAM, GIC, UART
 * and devices passed, the partition rules after the partition's devices
 * and IPA layout passed, so those counts and ranges can be trusted here.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/config.h"
#include "hv/config_validate.h"
#include "hv/types.h"

/* SMMUv3 register pages are 64 KiB (Arm IHI 0070 G.b, 6.1 "Memory map"). */
#define CD_SMMU_ALIGN 0x10000ULL
/* One ECAM bus is 32 devices x 8 functions x 4 KiB = 1 MiB (PCI Express
 * Base Specification 5.0, 7.2.2 "PCI Express Enhanced Configuration
 * Access Mechanism"); a host bridge has at most 256 buses. */
#define CD_ECAM_BUS 0x100000ULL
#define CD_ECAM_MAX (256 * CD_ECAM_BUS)
/* A PCIe host bridge's regions (HV_DEV_PCI_HOST) and its INTx lines. */
#define CD_PCI_REGS 3u
#define CD_PCI_INTX 4u
#define CD_KNOWN_FLAGS (HV_DEV_BUS_MASTER | HV_DEV_PCI_HOST)

/* With more SMMUs, their registers would have to be checked apart too. */
_Static_assert(HV_MAX_SMMUS == 1, "cd_board_smmu() checks one SMMU alone");

/* The board's SMMUs that may be read: the count, capped by the array. */
static uint32_t cd_smmus(const struct hv_board_desc *b)
{
	return b->smmu_count < HV_MAX_SMMUS ? b->smmu_count : HV_MAX_SMMUS;
}

/** True if [base, base + size) overlaps the registers of a board SMMU. */
bool cfg_smmu_range(const struct hv_board_desc *b, uint64_t base,
		    uint64_t size)
{
	for (uint32_t i = 0; i < cd_smmus(b); i++) {
		if (ranges_overlap(base, size, b->smmus[i].base,
				   b->smmus[i].size)) {
			return true;
		}
	}
	return false;
}

/** True if @irq is an interrupt a board SMMU raises for the hypervisor. */
bool cfg_smmu_irq(const struct hv_board_desc *b, uint32_t irq)
{
	for (uint32_t i = 0; i < cd_smmus(b); i++) {
		if (irq == b->smmus[i].evtq_irq ||
		    irq == b->smmus[i].gerror_irq) {
			return true;
		}
	}
	return false;
}

/*
 * True if board device @bd has its registers (any 4 KiB page of any of
 * its regions) mapped into partition @pc: then the partition drives it,
 * and its DMA. Pages, not device ranges, count, because a page may hold
 * several devices (QEMU's virtio-mmio slots). The board's counts must
 * have been checked; the partition's device count is capped here.
 */
bool cfg_part_has_dev(const struct hv_partition_cfg *pc,
		      const struct hv_board_device *bd)
{
	uint32_t n = pc->device_count < HV_MAX_DEVICES ? pc->device_count
						       : HV_MAX_DEVICES;

	for (uint32_t k = 0; k < bd->reg_count && k < HV_MAX_DEV_REGS; k++) {
		uint64_t rbase, rsize;

		if (!cfg_page_round(bd->regs[k].base, bd->regs[k].size,
				    &rbase, &rsize)) {
			continue;
		}
		for (uint32_t i = 0; i < n; i++) {
			if (ranges_overlap(rbase, rsize, pc->devices[i].pa,
					   pc->devices[i].size)) {
				return true;
			}
		}
	}
	return false;
}

/* True if some board device lists @irq. */
static bool cd_device_irq(const struct hv_board_desc *b, uint32_t irq)
{
	for (uint32_t i = 0; i < b->device_count; i++) {
		for (uint32_t k = 0; k < b->devices[i].irq_count; k++) {
			if (b->devices[i].irqs[k] == irq) {
				return true;
			}
		}
	}
	return false;
}

/* An SMMU interrupt: an SPI of the board that nobody else has. */
static bool cd_smmu_irq_ok(const struct hv_board_desc *b, uint32_t irq)
{
	return cfg_is_spi(b, irq) && irq != b->uart_irq && !cd_device_irq(b, irq);
}

/* SMMU @i: 64 KiB aligned registers clear of everything else. */
static enum cfg_err cd_board_smmu(const struct hv_board_desc *b, uint32_t i,
				  struct cfg_diag *d)
{
	const struct hv_smmu_desc *s = &b->smmus[i];

	if (s->size == 0 || cfg_wraps(s->base, s->size) ||
	    !is_aligned(s->base, CD_SMMU_ALIGN) ||
	    !is_aligned(s->size, CD_SMMU_ALIGN) ||
	    cfg_board_clashes(b, s->base, s->size) ||
	    cfg_board_dev_hit(b, s->base, s->size, false)) {
		return cfg_fail(d, CFG_E_BOARD, -1, -1, (int)i, "smmu/reg");
	}
	if (!cd_smmu_irq_ok(b, s->evtq_irq) ||
	    !cd_smmu_irq_ok(b, s->gerror_irq) ||
	    s->evtq_irq == s->gerror_irq) {
		return cfg_fail(d, CFG_E_BOARD, -1, -1, (int)i,
				"smmu/interrupts");
	}
	return CFG_OK;
}

/* A PCIe host bridge: ECAM (whole buses), two windows, INTA..INTD. */
static bool cd_pci_host_ok(const struct hv_board_device *bd)
{
	uint64_t ecam = bd->regs[0].size;

	return (bd->flags & HV_DEV_BUS_MASTER) != 0 &&
	       bd->reg_count == CD_PCI_REGS && bd->irq_count == CD_PCI_INTX &&
	       is_aligned(bd->regs[0].base, CD_ECAM_BUS) &&
	       is_aligned(ecam, CD_ECAM_BUS) && ecam <= CD_ECAM_MAX;
}

/*
 * The DMA fields of board device @i: known flags; a PCIe host bridge's
 * shape; StreamIDs only for a bus master behind an existing SMMU, a
 * non-empty range below HV_SMMU_SID_LIMIT, apart from every earlier
 * device's on the same SMMU.
 */
static bool cd_board_dev_ok(const struct hv_board_desc *b, uint32_t i)
{
	const struct hv_board_device *bd = &b->devices[i];

	if ((bd->flags & ~CD_KNOWN_FLAGS) != 0 ||
	    ((bd->flags & HV_DEV_PCI_HOST) != 0 && !cd_pci_host_ok(bd))) {
		return false;
	}
	if (bd->smmu == HV_NO_SMMU) {
		return bd->sid_first == 0 && bd->sid_count == 0;
	}
	if ((bd->flags & HV_DEV_BUS_MASTER) == 0 ||
	    bd->smmu >= cd_smmus(b) || bd->sid_count == 0 ||
	    bd->sid_first >= HV_SMMU_SID_LIMIT ||
	    bd->sid_count > HV_SMMU_SID_LIMIT - bd->sid_first) {
		return false;
	}
	for (uint32_t j = 0; j < i; j++) {
		const struct hv_board_device *o = &b->devices[j];

		if (o->smmu == bd->smmu &&
		    ranges_overlap(bd->sid_first, bd->sid_count, o->sid_first,
				   o->sid_count)) {
			return false;
		}
	}
	return true;
}

/**
 * The board's SMMUs and the DMA fields of its devices (internal, called
 * by config_validate.c once the board's devices passed). Board rules:
 * CFG_E_BOARD with property "smmu", "smmu/reg", "smmu/interrupts" or
 * "devices" (item = the SMMU or device).
 */
enum cfg_err config_validate_board_dma(const struct hv_board_desc *b,
				       struct cfg_diag *d)
{
	if (b->smmu_count > HV_MAX_SMMUS) {
		return cfg_fail(d, CFG_E_BOARD, -1, -1, -1, "smmu");
	}
	for (uint32_t i = 0; i < b->smmu_count; i++) {
		enum cfg_err e = cd_board_smmu(b, i, d);

		if (e != CFG_OK) {
			return e;
		}
	}
	for (uint32_t i = 0; i < b->device_count; i++) {
		if (!cd_board_dev_ok(b, i)) {
			return cfg_fail(d, CFG_E_BOARD, -1, -1, (int)i,
					"devices");
		}
	}
	return CFG_OK;
}

int cfg_part_unprotected_master(const struct hv_board_desc *b,
				const struct hv_partition_cfg *pc)
{
	for (uint32_t i = 0; i < b->device_count && i < HV_MAX_BOARD_DEVICES;
	     i++) {
		const struct hv_board_device *bd = &b->devices[i];

		if ((bd->flags & HV_DEV_BUS_MASTER) != 0 &&
		    bd->smmu == HV_NO_SMMU && cfg_part_has_dev(pc, bd)) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * True if a window of @pc maps every page of region @r at the same
 * guest-physical address (IPA = PA).
 */
static bool cd_identity_mapped(const struct hv_partition_cfg *pc,
			       const struct hv_region *r)
{
	uint64_t rbase, rsize;

	if (!cfg_page_round(r->base, r->size, &rbase, &rsize)) {
		return false;
	}
	for (uint32_t i = 0; i < pc->device_count; i++) {
		const struct hv_device *dev = &pc->devices[i];

		if (dev->ipa == dev->pa &&
		    range_within(rbase, rsize, dev->pa, dev->size)) {
			return true;
		}
	}
	return false;
}

/*
 * Bus masters of partition @p: a PCIe host bridge whole and identity
 * mapped; a bus master with no SMMU only in a dma-unprotected partition,
 * and that marking only where there is one.
 */
static enum cfg_err cd_part_masters(const struct hv_config *c, int p,
				    struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	const struct hv_board_desc *b = &c->board;
	bool unprotected = (pc->flags & HV_PART_DMA_UNPROTECTED) != 0;
	bool has_unprotected = false;

	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *bd = &b->devices[i];

		if (!cfg_part_has_dev(pc, bd)) {
			continue;
		}
		for (uint32_t k = 0; (bd->flags & HV_DEV_PCI_HOST) != 0 &&
				     k < bd->reg_count;
		     k++) {
			if (!cd_identity_mapped(pc, &bd->regs[k])) {
				return cfg_fail(d, CFG_E_PCI_HOST, p, -1,
						(int)i, "devices");
			}
		}
		if ((bd->flags & HV_DEV_BUS_MASTER) == 0 ||
		    bd->smmu != HV_NO_SMMU) {
			continue;
		}
		if (!unprotected) {
			return cfg_fail(d, CFG_E_DMA_UNPROTECTED, p, -1,
					(int)i, "devices");
		}
		has_unprotected = true;
	}
	if (unprotected && !has_unprotected) {
		return cfg_fail(d, CFG_E_DMA_STALE, p, -1, -1,
				"dma-unprotected");
	}
	return CFG_OK;
}

/* True if StreamID range @r overlaps the first @n ranges of @pc. */
static bool cd_sids_overlap(const struct hv_sid_range *r,
			    const struct hv_partition_cfg *pc, uint32_t n)
{
	for (uint32_t j = 0; j < n; j++) {
		if (pc->sids[j].smmu == r->smmu &&
		    ranges_overlap(r->first, r->count, pc->sids[j].first,
				   pc->sids[j].count)) {
			return true;
		}
	}
	return false;
}

/* True if @r is exactly board device @bd's StreamID range. */
static bool cd_sids_are(const struct hv_sid_range *r,
			const struct hv_board_device *bd)
{
	return r->smmu == bd->smmu && r->first == bd->sid_first &&
	       r->count == bd->sid_count;
}

/* True if @r is exactly the StreamID range of a board device @pc owns. */
static bool cd_sids_of_owned(const struct hv_board_desc *b,
			     const struct hv_partition_cfg *pc,
			     const struct hv_sid_range *r)
{
	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *bd = &b->devices[i];

		if (cd_sids_are(r, bd) && cfg_part_has_dev(pc, bd)) {
			return true;
		}
	}
	return false;
}

/* True if one of the partition's ranges is exactly @bd's StreamIDs. */
static bool cd_has_sids_of(const struct hv_partition_cfg *pc,
			   const struct hv_board_device *bd)
{
	for (uint32_t j = 0; j < pc->sid_count; j++) {
		if (cd_sids_are(&pc->sids[j], bd)) {
			return true;
		}
	}
	return false;
}

/*
 * One StreamID range of partition @p: nobody else's, and exactly that of
 * a bus master it owns. The board rules made every device's range
 * non-empty, below HV_SMMU_SID_LIMIT and on an existing SMMU, so the
 * second check also refuses a range that is none of these. The overlap
 * check comes first so that two owners are named as such; it compares in
 * 64 bits, where no 32-bit range wraps.
 */
static enum cfg_err cd_part_sid(const struct hv_config *c, int p, uint32_t j,
				struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	const struct hv_sid_range *r = &pc->sids[j];

	if (cd_sids_overlap(r, pc, j)) {
		return cfg_fail(d, CFG_E_SID_TWO_OWNERS, p, p, (int)j,
				"devices");
	}
	for (int q = 0; q < p; q++) {
		const struct hv_partition_cfg *qc = &c->partitions[q];
		uint32_t n = qc->sid_count < HV_MAX_PART_SIDS
				     ? qc->sid_count
				     : HV_MAX_PART_SIDS;

		if (cd_sids_overlap(r, qc, n)) {
			return cfg_fail(d, CFG_E_SID_TWO_OWNERS, p, q, (int)j,
					"devices");
		}
	}
	if (!cd_sids_of_owned(&c->board, pc, r)) {
		return cfg_fail(d, CFG_E_SID, p, -1, (int)j, "devices");
	}
	return CFG_OK;
}

/*
 * StreamIDs of partition @p: at most HV_MAX_PART_SIDS ranges, each
 * disjoint from every other range on its SMMU and exactly the range of a
 * bus master the partition owns; and every owned bus master behind an
 * SMMU has its range there (else its DMA would abort, or worse, be
 * translated for nobody).
 */
static enum cfg_err cd_part_sids(const struct hv_config *c, int p,
				 struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = &c->partitions[p];
	const struct hv_board_desc *b = &c->board;

	if (pc->sid_count > HV_MAX_PART_SIDS) {
		return cfg_fail(d, CFG_E_SID, p, -1, -1, "devices");
	}
	for (uint32_t j = 0; j < pc->sid_count; j++) {
		enum cfg_err e = cd_part_sid(c, p, j, d);

		if (e != CFG_OK) {
			return e;
		}
	}
	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *bd = &b->devices[i];

		if (bd->smmu != HV_NO_SMMU && cfg_part_has_dev(pc, bd) &&
		    !cd_has_sids_of(pc, bd)) {
			return cfg_fail(d, CFG_E_SID_MISSING, p, -1, (int)i,
					"devices");
		}
	}
	return CFG_OK;
}

/**
 * The DMA rules of partition @p (internal, called by config_validate.c
 * once the partition's devices and IPA layout passed): PCIe host bridges
 * whole and identity mapped, bus masters behind an SMMU or the partition
 * dma-unprotected (and not marked so needlessly), StreamIDs exactly those
 * of its bus masters and nobody else's. Item is the board device for
 * CFG_E_PCI_HOST, CFG_E_DMA_UNPROTECTED and CFG_E_SID_MISSING, the index
 * into sids[] for CFG_E_SID and CFG_E_SID_TWO_OWNERS (-1: the count).
 */
enum cfg_err config_validate_part_dma(const struct hv_config *c, int p,
				      struct cfg_diag *d)
{
	enum cfg_err e = cd_part_masters(c, p, d);

	return e != CFG_OK ? e : cd_part_sids(c, p, d);
}
