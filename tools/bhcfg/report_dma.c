/* SPDX-License-Identifier: MIT */
/*
 * Messages for the DMA rules (core/config_dma.c): bus masters, the SMMU,
 * StreamIDs, PCIe host bridges; and the warning printed for every
 * partition marked dma-unprotected, which is part of the trusted base.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hv/config_validate.h"

#include "bhcfg.h"

/* Writes to the message buffer; truncation is harmless here. */
#define BH_MSG(...) snprintf(buf, len, __VA_ARGS__)

/* Board device @i, or NULL if the index is not valid. */
static const struct hv_board_device *bh_bdev(const struct bh_ctx *ctx, int i)
{
	if (i < 0 || i >= HV_MAX_BOARD_DEVICES ||
	    (uint32_t)i >= ctx->cfg.board.device_count) {
		return NULL;
	}
	return &ctx->cfg.board.devices[i];
}

/* StreamID range @j of partition @p, or NULL if not valid. */
static const struct hv_sid_range *bh_sid(const struct bh_ctx *ctx, int p,
					 int j)
{
	if (p < 0 || p >= HV_MAX_PARTITIONS || j < 0 ||
	    j >= HV_MAX_PART_SIDS ||
	    (uint32_t)j >= ctx->cfg.partitions[p].sid_count) {
		return NULL;
	}
	return &ctx->cfg.partitions[p].sids[j];
}

/* True if partition @p names board device @i in its "devices". */
static bool bh_named(const struct bh_ctx *ctx, int p, int i)
{
	if (p < 0 || p >= HV_MAX_PARTITIONS) {
		return false;
	}
	for (int k = 0; k < ctx->part[p].dev_count; k++) {
		if (ctx->part[p].dev[k] == i) {
			return true;
		}
	}
	return false;
}

static void bh_msg_pci_host(const struct hv_board_device *bd, char *buf,
			    size_t len)
{
	const struct hv_region *r = bd->regs;

	if (bd->reg_count < 3) {
		BH_MSG("PCIe host bridge \"%.*s\" must be given whole, at guest address = physical address",
		       HV_NAME_LEN, bd->name);
		return;
	}
	BH_MSG("PCIe host bridge \"%.*s\" must be given whole (ECAM 0x%" PRIx64
	       "+0x%" PRIx64 ", memory window 0x%" PRIx64 "+0x%" PRIx64
	       ", I/O window 0x%" PRIx64 "+0x%" PRIx64
	       "), each at guest address = physical address",
	       HV_NAME_LEN, bd->name, r[0].base, r[0].size, r[1].base,
	       r[1].size, r[2].base, r[2].size);
}

static void bh_msg_sid(const struct bh_ctx *ctx, const struct cfg_diag *d,
		       char *buf, size_t len)
{
	const struct hv_sid_range *r = bh_sid(ctx, d->partition, d->item);
	int o = d->other;

	if (r == NULL) {
		BH_MSG("more than %d StreamID ranges (one per bus master behind an SMMU)",
		       HV_MAX_PART_SIDS);
	} else if (d->code == CFG_E_SID_TWO_OWNERS && o >= 0 &&
		   o < HV_MAX_PARTITIONS && o != d->partition) {
		BH_MSG("StreamIDs 0x%" PRIx32 "+0x%" PRIx32
		       " of SMMU %" PRIu32
		       " are also given to partition \"%.*s\"",
		       r->first, r->count, r->smmu, HV_NAME_LEN,
		       ctx->cfg.partitions[o].name);
	} else if (d->code == CFG_E_SID_TWO_OWNERS) {
		BH_MSG("StreamIDs 0x%" PRIx32 "+0x%" PRIx32 " of SMMU %" PRIu32
		       " overlap another range of the partition",
		       r->first, r->count, r->smmu);
	} else {
		BH_MSG("StreamIDs 0x%" PRIx32 "+0x%" PRIx32 " of SMMU %" PRIu32
		       ": %s",
		       r->first, r->count, r->smmu, cfg_strerror(d->code));
	}
}

/*
 * The message for a partition's DMA rule, naming the device or StreamIDs.
 * Returns false if @d is not one of them.
 */
bool bh_dma_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
		    char *buf, size_t len)
{
	const struct hv_board_device *bd = bh_bdev(ctx, d->item);
	const char *name = bd != NULL ? bd->name : "?";

	switch (d->code) {
	case CFG_E_PCI_HOST:
		if (bd != NULL) {
			bh_msg_pci_host(bd, buf, len);
		} else {
			BH_MSG("%s", cfg_strerror(d->code));
		}
		return true;
	case CFG_E_DMA_UNPROTECTED:
		BH_MSG("device \"%.*s\"%s can master the bus and has no SMMU in front of it, so its DMA reaches all of physical memory: mark the partition \"dma-unprotected;\" to accept that it joins the trusted base, or give it a device behind the SMMU",
		       HV_NAME_LEN, name,
		       bh_named(ctx, d->partition, d->item)
			       ? ""
			       : " (in a 4 KiB page the partition is given)");
		return true;
	case CFG_E_DMA_STALE:
		BH_MSG("the partition is marked dma-unprotected but owns no bus master without an SMMU: remove the marking");
		return true;
	case CFG_E_SID_MISSING:
		BH_MSG("device \"%.*s\" is behind SMMU %" PRIu32
		       " (StreamIDs 0x%" PRIx32 "+0x%" PRIx32
		       "), but the partition is not given those StreamIDs",
		       HV_NAME_LEN, name, bd != NULL ? bd->smmu : 0,
		       bd != NULL ? bd->sid_first : 0,
		       bd != NULL ? bd->sid_count : 0);
		return true;
	case CFG_E_SID:
	case CFG_E_SID_TWO_OWNERS:
		bh_msg_sid(ctx, d, buf, len);
		return true;
	default:
		return false;
	}
}

/* The message for a board DMA rule (CFG_E_BOARD), or false if another. */
bool bh_dma_board_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
			  char *buf, size_t len)
{
	const struct hv_board_desc *b = &ctx->cfg.board;
	const struct hv_board_device *bd = bh_bdev(ctx, d->item);
	const char *p = d->property == NULL ? "" : d->property;
	struct cfg_diag dma;

	if (strcmp(p, "smmu") == 0) {
		BH_MSG("at most %d SMMU", HV_MAX_SMMUS);
	} else if (strcmp(p, "smmu/reg") == 0) {
		BH_MSG("SMMU registers must be non-empty, 64 KiB aligned and clear of RAM, the GIC, the UART and every device");
	} else if (strcmp(p, "smmu/interrupts") == 0) {
		BH_MSG("SMMU \"eventq\" and \"gerror\" must be two SPIs of the board that neither the UART nor any device has");
	} else if (strcmp(p, "devices") == 0 && bd != NULL &&
		   config_validate_board_dma(b, &dma) != CFG_OK &&
		   dma.item == d->item &&
		   strcmp(dma.property, "devices") == 0) {
		BH_MSG("device \"%.*s\": stream-ids need bus-master and the board's smmu, and must be a non-empty range below 0x%x apart from other devices'; a PCIe host bridge (\"pci-host-ecam-generic\") needs bus-master, reg = ECAM (whole 1 MiB buses, at most 256), 32-bit memory window, I/O window, and 4 interrupts INTA..INTD",
		       HV_NAME_LEN, bd->name, HV_SMMU_SID_LIMIT);
	} else {
		return false;
	}
	return true;
}

/**
 * Prints a warning to stderr for every partition marked dma-unprotected
 * in the (valid) configuration, naming its bus masters without an SMMU.
 */
void bh_dma_warnings(const struct bh_ctx *ctx)
{
	const struct hv_board_desc *b = &ctx->cfg.board;

	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
		const char *sep = "";

		if ((pc->flags & HV_PART_DMA_UNPROTECTED) == 0) {
			continue;
		}
		fprintf(stderr, "bhcfg: warning: partition %.*s is dma-unprotected: its bus masters (",
			HV_NAME_LEN, pc->name);
		for (uint32_t i = 0; i < b->device_count; i++) {
			const struct hv_board_device *bd = &b->devices[i];

			if ((bd->flags & HV_DEV_BUS_MASTER) != 0 &&
			    bd->smmu == HV_NO_SMMU &&
			    cfg_part_has_dev(pc, bd)) {
				fprintf(stderr, "%s%.*s", sep, HV_NAME_LEN,
					bd->name);
				sep = ", ";
			}
		}
		fprintf(stderr, ") can reach all of physical memory; it is part of the trusted base\n");
	}
}
