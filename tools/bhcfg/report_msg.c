/* SPDX-License-Identifier: MIT */
/*
 * Turns a validator diagnostic into a specific English message, using the
 * configuration to name the values involved (core numbers, ranges, device
 * names, the other partition).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hv/colour.h"
#include "hv/config_validate.h"

#include "bhcfg.h"

/* Appends to a message buffer; truncation is harmless here. */
#define BH_MSG(...) snprintf(buf, len, __VA_ARGS__)

static const struct hv_partition_cfg *bh_pc(const struct bh_ctx *ctx, int p)
{
	if (p < 0 || p >= HV_MAX_PARTITIONS) {
		return NULL;
	}
	return &ctx->cfg.partitions[p];
}

/* Device @item of partition @p, or NULL if the index is not valid. */
static const struct hv_device *bh_dev(const struct bh_ctx *ctx,
				      const struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc = bh_pc(ctx, d->partition);

	if (pc == NULL || d->item < 0 || d->item >= HV_MAX_DEVICES ||
	    (uint32_t)d->item >= pc->device_count) {
		return NULL;
	}
	return &pc->devices[d->item];
}

static void bh_msg_board(const struct bh_ctx *ctx, const struct cfg_diag *d,
			 char *buf, size_t len)
{
	const char *p = d->property == NULL ? "" : d->property;
	const struct hv_board_desc *b = &ctx->cfg.board;

	if (strcmp(p, "cpus") == 0) {
		BH_MSG("the board needs 1..%d cores with distinct MPIDRs that have only affinity bits set",
		       HV_MAX_CPUS);
	} else if (strcmp(p, "memory") == 0) {
		BH_MSG("RAM must be 1..%d non-empty, 4 KiB aligned, disjoint ranges",
		       HV_MAX_RAM_BANKS);
	} else if (strcmp(p, "hypervisor") == 0) {
		BH_MSG("hypervisor region 0x%" PRIx64 "+0x%" PRIx64
		       " must be non-empty, 2 MiB aligned and inside one RAM bank",
		       b->hv_base, b->hv_size);
	} else if (strcmp(p, "llc") == 0) {
		BH_MSG("the last-level cache's way of %u pages must be a power of two up to %d (cache colours)",
		       b->llc_colours, HV_MAX_COLOURS);
	} else if (strcmp(p, "gic/version") == 0) {
		BH_MSG("GIC version %u is not 2 or 3", b->gic_version);
	} else if (strcmp(p, "gic/spi-count") == 0) {
		BH_MSG("SPI count %u is not 1..988", b->spi_count);
	} else if (strncmp(p, "gic/", 4) == 0) {
		BH_MSG("GIC region must be 4 KiB aligned and outside RAM");
	} else if (strcmp(p, "uart/compatible") == 0) {
		BH_MSG("unknown UART kind %u", b->uart_kind);
	} else if (strcmp(p, "uart/reg") == 0) {
		BH_MSG("UART at 0x%" PRIx64
		       " must be 4 KiB aligned and outside RAM",
		       b->uart_base);
	} else if (strcmp(p, "uart/interrupts") == 0) {
		BH_MSG("UART interrupt %u is not an SPI of the board",
		       b->uart_irq);
	} else if (strcmp(p, "pmu/interrupts") == 0) {
		BH_MSG("PMU interrupts: one PPI, or one SPI of the board per core, each no other core's and not the UART's or an SMMU's");
	} else if (bh_dma_board_message(ctx, d, buf, len)) {
		return;
	} else if (strcmp(p, "devices") == 0 && d->item >= 0 &&
		   d->item < HV_MAX_BOARD_DEVICES) {
		BH_MSG("device \"%.*s\" needs a unique name, a range whose 4 KiB pages avoid RAM, the GIC and the UART, and at most %d SPIs other than the UART's",
		       HV_NAME_LEN, b->devices[d->item].name, HV_MAX_DEV_IRQS);
	} else {
		BH_MSG("%s", cfg_strerror(d->code));
	}
}

static void bh_msg_cpu(const struct bh_ctx *ctx, const struct cfg_diag *d,
		       char *buf, size_t len)
{
	const struct hv_partition_cfg *pc = bh_pc(ctx, d->partition);
	const struct hv_partition_cfg *oc = bh_pc(ctx, d->other);
	unsigned int cpu_count = ctx->cfg.board.cpu_count;
	unsigned int core = 0;

	if (pc != NULL && d->item >= 0 && d->item < HV_MAX_CPUS) {
		core = pc->cpus[d->item];
	}
	if (d->code == CFG_E_NO_CPUS) {
		BH_MSG("no cores given");
	} else if (d->code == CFG_E_CPU_NOT_ON_BOARD && d->item < 0) {
		BH_MSG("more than %d cores", HV_MAX_CPUS);
	} else if (d->code == CFG_E_CPU_NOT_ON_BOARD) {
		BH_MSG("core %u does not exist (the board has %u cores)", core,
		       cpu_count);
	} else if (d->other == d->partition || oc == NULL) {
		BH_MSG("core %u is listed twice", core);
	} else {
		BH_MSG("core %u is also given to partition \"%.*s\"", core,
		       HV_NAME_LEN, oc->name);
	}
}

static void bh_msg_ram(const struct bh_ctx *ctx, const struct cfg_diag *d,
		       char *buf, size_t len)
{
	const struct hv_partition_cfg *pc = bh_pc(ctx, d->partition);
	const struct hv_partition_cfg *oc = bh_pc(ctx, d->other);
	const struct hv_board_desc *b = &ctx->cfg.board;
	const char *align;

	if (pc == NULL) {
		BH_MSG("%s", cfg_strerror(d->code));
		return;
	}
	align = (pc->flags & HV_PART_RAM_NO_BLOCKS) ? "4 KiB" : "2 MiB";
	if (colour_part(pc)) {
		/* Coloured: 4 KiB pages, the base on a colour period. */
		align = d->property != NULL &&
				strcmp(d->property, "memory-base") == 0
			? "the colour period (cache colours x 4 KiB)"
			: "4 KiB";
	}
	switch (d->code) {
	case CFG_E_UNALIGNED:
		BH_MSG("RAM physical 0x%" PRIx64 ", guest 0x%" PRIx64
		       ", size 0x%" PRIx64 ": %s is not a multiple of %s",
		       pc->ram_pa, pc->ram_ipa, pc->ram_size, d->property,
		       align);
		break;
	case CFG_E_MEM_NOT_ON_BOARD:
		BH_MSG("RAM 0x%" PRIx64 "+0x%" PRIx64
		       " is not inside one board RAM bank",
		       pc->ram_pa, pc->ram_size);
		break;
	case CFG_E_OVERLAPS_HV:
		BH_MSG("RAM 0x%" PRIx64 "+0x%" PRIx64
		       " overlaps the hypervisor region 0x%" PRIx64
		       "+0x%" PRIx64,
		       pc->ram_pa, pc->ram_size, b->hv_base, b->hv_size);
		break;
	case CFG_E_MEM_OVERLAP:
		BH_MSG("RAM 0x%" PRIx64 "+0x%" PRIx64
		       " overlaps the RAM of partition \"%.*s\" (0x%" PRIx64
		       "+0x%" PRIx64 ")",
		       pc->ram_pa, pc->ram_size, HV_NAME_LEN,
		       oc != NULL ? oc->name : "?", oc != NULL ? oc->ram_pa : 0,
		       oc != NULL ? oc->ram_size : 0);
		break;
	case CFG_E_IPA_RANGE:
		BH_MSG("guest RAM 0x%" PRIx64 "+0x%" PRIx64
		       " is beyond the %d-bit guest address space",
		       pc->ram_ipa, pc->ram_size, HV_GUEST_IPA_BITS);
		break;
	default:
		BH_MSG("guest RAM 0x%" PRIx64 "+0x%" PRIx64
		       " overlaps an emulated window (GIC at 0x%llx, UART at 0x%llx, watchdog at 0x%llx, monitor pages at 0x%llx)",
		       pc->ram_ipa, pc->ram_size, HV_GUEST_GICD_IPA,
		       HV_GUEST_UART_IPA, HV_GUEST_WDOG_IPA,
		       HV_GUEST_MONITOR_IPA);
		break;
	}
}

static void bh_msg_blob(const struct bh_ctx *ctx, const struct cfg_diag *d,
			char *buf, size_t len)
{
	const struct hv_partition_cfg *pc = bh_pc(ctx, d->partition);
	const struct bh_part *bp;

	if (pc == NULL) {
		BH_MSG("%s", cfg_strerror(d->code));
		return;
	}
	bp = &ctx->part[d->partition];
	if (d->code == CFG_E_NO_IMAGE) {
		BH_MSG("image \"%s\" is empty", bp->image_path);
	} else if (d->code == CFG_E_ENTRY) {
		BH_MSG("entry offset 0x%" PRIx64
		       " is outside the image (offset 0x%" PRIx64 ", 0x%" PRIx64
		       " bytes)",
		       pc->entry_offset, pc->image.offset, pc->image.size);
	} else if (pc->initrd.size == 0) {
		BH_MSG("image (0x%" PRIx64 " bytes at offset 0x%" PRIx64
		       ") and device tree (0x%" PRIx64 " at 0x%" PRIx64
		       ") do not fit apart in 0x%" PRIx64 " bytes of RAM",
		       pc->image.size, pc->image.offset, pc->dtb.size,
		       pc->dtb.offset, pc->ram_size);
	} else {
		BH_MSG("image (0x%" PRIx64 " bytes at offset 0x%" PRIx64
		       "), device tree (0x%" PRIx64 " at 0x%" PRIx64
		       ") and initrd (0x%" PRIx64 " at 0x%" PRIx64
		       ") do not fit apart in 0x%" PRIx64 " bytes of RAM",
		       pc->image.size, pc->image.offset, pc->dtb.size,
		       pc->dtb.offset, pc->initrd.size, pc->initrd.offset,
		       pc->ram_size);
	}
}

/* First interrupt of @dev that explains an interrupt error. */
static uint32_t bh_bad_irq(const struct bh_ctx *ctx, const struct cfg_diag *d,
			   const struct hv_device *dev)
{
	const struct hv_board_desc *b = &ctx->cfg.board;
	const struct hv_partition_cfg *oc = bh_pc(ctx, d->other);

	for (uint32_t k = 0; k < dev->irq_count && k < HV_MAX_DEV_IRQS; k++) {
		uint32_t irq = dev->irqs[k];

		if (d->code == CFG_E_IRQ_NOT_ON_BOARD &&
		    (irq < HV_SPI_BASE || irq - HV_SPI_BASE >= b->spi_count)) {
			return irq;
		}
		if (d->code == CFG_E_IRQ_TWO_OWNERS && d->other < 0 &&
		    (irq == b->uart_irq || cfg_pmu_spi_core(b, irq) >= 0)) {
			return irq;
		}
		for (uint32_t i = 0;
		     oc != NULL && i < oc->device_count && i < HV_MAX_DEVICES;
		     i++) {
			for (uint32_t j = 0; j < oc->devices[i].irq_count &&
					     j < HV_MAX_DEV_IRQS;
			     j++) {
				if (oc->devices[i].irqs[j] == irq &&
				    &oc->devices[i].irqs[j] != &dev->irqs[k]) {
					return irq;
				}
			}
		}
	}
	return dev->irq_count > 0 ? dev->irqs[0] : 0;
}

/* @dev of one partition overlaps a device range of partition @oc. */
static void bh_msg_dev_owners(const struct hv_device *dev,
			      const struct hv_partition_cfg *oc, char *buf,
			      size_t len)
{
	const struct hv_device *o = NULL;

	for (uint32_t i = 0; oc != NULL && i < oc->device_count &&
			     i < HV_MAX_DEVICES && o == NULL;
	     i++) {
		if (ranges_overlap(dev->pa, dev->size, oc->devices[i].pa,
				   oc->devices[i].size)) {
			o = &oc->devices[i];
		}
	}
	if (o == NULL || strncmp(o->name, dev->name, HV_NAME_LEN) == 0) {
		BH_MSG("device \"%.*s\" is also given to partition \"%.*s\"",
		       HV_NAME_LEN, dev->name, HV_NAME_LEN,
		       oc != NULL ? oc->name : "?");
		return;
	}
	BH_MSG("device \"%.*s\" (pages 0x%" PRIx64 "+0x%" PRIx64
	       ") shares a 4 KiB page with device \"%.*s\" of partition \"%.*s\": devices in one page must go to the same partition",
	       HV_NAME_LEN, dev->name, dev->pa, dev->size, HV_NAME_LEN, o->name,
	       HV_NAME_LEN, oc->name);
}

static void bh_msg_dev(const struct bh_ctx *ctx, const struct cfg_diag *d,
		       char *buf, size_t len)
{
	const struct hv_device *dev = bh_dev(ctx, d);
	const struct hv_partition_cfg *oc = bh_pc(ctx, d->other);
	const char *on = oc != NULL ? oc->name : "?";

	if (dev == NULL) {
		BH_MSG("%s (more than %d device ranges?)",
		       cfg_strerror(d->code), HV_MAX_DEVICES);
		return;
	}
	if (d->code == CFG_E_DEV_TWO_OWNERS && d->other != d->partition) {
		bh_msg_dev_owners(dev, oc, buf, len);
	} else if (d->code == CFG_E_IPA_OVERLAP) {
		BH_MSG("device \"%.*s\" at guest 0x%" PRIx64 "+0x%" PRIx64
		       " overlaps guest RAM, another device or an emulated window (GIC at 0x%llx, UART at 0x%llx, watchdog at 0x%llx, monitor pages at 0x%llx)",
		       HV_NAME_LEN, dev->name, dev->ipa, dev->size,
		       HV_GUEST_GICD_IPA, HV_GUEST_UART_IPA, HV_GUEST_WDOG_IPA,
		       HV_GUEST_MONITOR_IPA);
	} else if (d->code == CFG_E_IRQ_TWO_OWNERS && d->other < 0) {
		/* The hypervisor's own: a PMU overflow SPI, or the UART's. */
		uint32_t irq = bh_bad_irq(ctx, d, dev);
		int core = cfg_pmu_spi_core(&ctx->cfg.board, irq);

		if (core >= 0) {
			BH_MSG("device \"%.*s\": interrupt %u is the hypervisor's (the PMU overflow of core %d)",
			       HV_NAME_LEN, dev->name, irq, core);
		} else {
			BH_MSG("device \"%.*s\": interrupt %u is the hypervisor UART's",
			       HV_NAME_LEN, dev->name, irq);
		}
	} else if (d->code == CFG_E_IRQ_TWO_OWNERS &&
		   d->other != d->partition) {
		BH_MSG("device \"%.*s\": interrupt %u is also given to partition \"%.*s\"",
		       HV_NAME_LEN, dev->name, bh_bad_irq(ctx, d, dev),
		       HV_NAME_LEN, on);
	} else if (d->code == CFG_E_SMMU_OWNED) {
		BH_MSG("device \"%.*s\" (physical 0x%" PRIx64 "+0x%" PRIx64
		       "): its pages or interrupts are the hypervisor's SMMU's",
		       HV_NAME_LEN, dev->name, dev->pa, dev->size);
	} else if (d->code == CFG_E_IRQ_NOT_ON_BOARD ||
		   d->code == CFG_E_IRQ_TWO_OWNERS) {
		BH_MSG("device \"%.*s\": interrupt %u: %s", HV_NAME_LEN,
		       dev->name, bh_bad_irq(ctx, d, dev),
		       cfg_strerror(d->code));
	} else {
		BH_MSG("device \"%.*s\" (physical 0x%" PRIx64
		       ", guest 0x%" PRIx64 ", size 0x%" PRIx64 "): %s",
		       HV_NAME_LEN, dev->name, dev->pa, dev->ipa, dev->size,
		       cfg_strerror(d->code));
	}
}

/* The cache-colouring rules (docs/isolation.md). */
static void bh_msg_colour(const struct bh_ctx *ctx, const struct cfg_diag *d,
			  char *buf, size_t len)
{
	const struct hv_partition_cfg *pc = bh_pc(ctx, d->partition);
	const struct hv_partition_cfg *oc = bh_pc(ctx, d->other);
	const struct hv_board_desc *b = &ctx->cfg.board;
	const struct hv_board_device *bd =
		d->item >= 0 && (uint32_t)d->item < b->device_count
			? &b->devices[d->item]
			: NULL;

	if (pc == NULL) {
		BH_MSG("%s", cfg_strerror(d->code));
	} else if (d->code == CFG_E_COLOUR_NOT_ON_BOARD &&
		   b->llc_colours == 0) {
		BH_MSG("the board describes no last-level cache (node \"llc\"), so it has no colours");
	} else if (d->code == CFG_E_COLOUR_NOT_ON_BOARD) {
		BH_MSG("colours 0x%" PRIx32
		       ": the board's last-level cache has colours 0-%" PRIu32
		       " only",
		       pc->colours, b->llc_colours - 1);
	} else if (d->code == CFG_E_COLOUR_OVERLAP) {
		BH_MSG("colours 0x%" PRIx32
		       " share 0x%" PRIx32 " with partition \"%.*s\"",
		       pc->colours, oc != NULL ? oc->colours & pc->colours : 0,
		       HV_NAME_LEN, oc != NULL ? oc->name : "?");
	} else if (bd != NULL) {
		BH_MSG("coloured RAM is not physically contiguous, but bus master \"%.*s\" has no SMMU to translate its DMA",
		       HV_NAME_LEN, bd->name);
	} else {
		BH_MSG("coloured RAM is not physically contiguous: a partition whose DMA no SMMU translates cannot be coloured");
	}
}

static void bh_msg_hv(const struct bh_ctx *ctx, char *buf, size_t len)
{
	uint64_t pool = hv_pt_pool_count(&ctx->cfg);
	uint32_t most = 0; /* the partition whose tables take most pages */
	uint64_t need = 0;

	for (uint32_t p = 0;
	     p < ctx->cfg.partition_count && p < HV_MAX_PARTITIONS; p++) {
		const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];

		need += (pc->image.size + SZ_4K - 1) & ~(SZ_4K - 1);
		need += (pc->dtb.size + SZ_4K - 1) & ~(SZ_4K - 1);
		need += (pc->initrd.size + SZ_4K - 1) & ~(SZ_4K - 1);
		if (ctx->part[p].table_pages > ctx->part[most].table_pages) {
			most = p;
		}
	}
	if (pool > HV_PT_POOL_PAGES) {
		BH_MSG("the embedded blobs need 0x%" PRIx64
		       " bytes plus 0x%llx for the hypervisor itself and 0x%" PRIx64
		       " for the %" PRIu64 " table pages of its pool beyond %u (the partitions' stage-2 tables and loading windows need %" PRIu32
		       ", partition \"%.*s\" %" PRIu32 " of them: a coloured partition maps its RAM with 4 KiB pages, about one table page per 2 MiB), but the hypervisor region has 0x%" PRIx64,
		       need, HV_IMAGE_OVERHEAD,
		       (uint64_t)((pool - HV_PT_POOL_PAGES) * SZ_4K), pool - HV_PT_POOL_PAGES,
		       HV_PT_POOL_PAGES, ctx->cfg.table_pages, HV_NAME_LEN,
		       ctx->cfg.partitions[most].name,
		       ctx->part[most].table_pages, ctx->cfg.board.hv_size);
		return;
	}
	BH_MSG("the embedded blobs need 0x%" PRIx64
	       " bytes plus 0x%llx for the hypervisor itself, but the hypervisor region has 0x%" PRIx64,
	       need, HV_IMAGE_OVERHEAD, ctx->cfg.board.hv_size);
}

/**
 * Writes a specific message for validator diagnostic @d (which must come
 * from config_validate() on ctx->cfg) into @buf of @len bytes.
 */
void bh_diag_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
		     char *buf, size_t len)
{
	bool dev_prop = d->property != NULL &&
			strcmp(d->property, "devices") == 0;

	if (d->property != NULL && strcmp(d->property, "channels") == 0) {
		bh_chan_message(ctx, d, buf, len);
	} else if (d->code == CFG_E_BOARD) {
		bh_msg_board(ctx, d, buf, len);
	} else if (d->code == CFG_E_COLOUR_NOT_ON_BOARD ||
		   d->code == CFG_E_COLOUR_OVERLAP ||
		   d->code == CFG_E_COLOUR_DMA) {
		bh_msg_colour(ctx, d, buf, len);
	} else if (bh_dma_message(ctx, d, buf, len)) {
		return;
	} else if (d->code == CFG_E_NO_CPUS ||
		   d->code == CFG_E_CPU_NOT_ON_BOARD ||
		   d->code == CFG_E_CPU_TWO_OWNERS) {
		bh_msg_cpu(ctx, d, buf, len);
	} else if (dev_prop) {
		bh_msg_dev(ctx, d, buf, len);
	} else if (d->code == CFG_E_UNALIGNED ||
		   d->code == CFG_E_MEM_NOT_ON_BOARD ||
		   d->code == CFG_E_OVERLAPS_HV ||
		   d->code == CFG_E_MEM_OVERLAP || d->code == CFG_E_IPA_RANGE ||
		   d->code == CFG_E_IPA_OVERLAP) {
		bh_msg_ram(ctx, d, buf, len);
	} else if (d->code == CFG_E_NO_IMAGE || d->code == CFG_E_ENTRY ||
		   d->code == CFG_E_IMAGE_TOO_BIG) {
		bh_msg_blob(ctx, d, buf, len);
	} else if (d->code == CFG_E_HV_TOO_SMALL) {
		bh_msg_hv(ctx, buf, len);
	} else if (d->code == CFG_E_NAME && d->other >= 0) {
		BH_MSG("the name is already used by partition %d", d->other);
	} else if (d->code == CFG_E_NAME) {
		BH_MSG("the name must be 1..%d characters from [A-Za-z0-9_-]",
		       HV_NAME_LEN - 1);
	} else {
		BH_MSG("%s", cfg_strerror(d->code));
	}
}
