/* SPDX-License-Identifier: MIT */
/*
 * Error output in compiler style: `FILE: context: message [CODE]` on
 * stderr, one line per error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hv/config_validate.h"

#include "bhcfg.h"

static const char *const bh_code_names[] = {
	[CFG_OK] = "CFG_OK",
	[CFG_E_BAD_MAGIC] = "CFG_E_BAD_MAGIC",
	[CFG_E_BOARD] = "CFG_E_BOARD",
	[CFG_E_NO_PARTITIONS] = "CFG_E_NO_PARTITIONS",
	[CFG_E_NAME] = "CFG_E_NAME",
	[CFG_E_NO_CPUS] = "CFG_E_NO_CPUS",
	[CFG_E_CPU_NOT_ON_BOARD] = "CFG_E_CPU_NOT_ON_BOARD",
	[CFG_E_CPU_TWO_OWNERS] = "CFG_E_CPU_TWO_OWNERS",
	[CFG_E_UNALIGNED] = "CFG_E_UNALIGNED",
	[CFG_E_MEM_ZERO] = "CFG_E_MEM_ZERO",
	[CFG_E_MEM_NOT_ON_BOARD] = "CFG_E_MEM_NOT_ON_BOARD",
	[CFG_E_MEM_OVERLAP] = "CFG_E_MEM_OVERLAP",
	[CFG_E_OVERLAPS_HV] = "CFG_E_OVERLAPS_HV",
	[CFG_E_IPA_RANGE] = "CFG_E_IPA_RANGE",
	[CFG_E_IPA_OVERLAP] = "CFG_E_IPA_OVERLAP",
	[CFG_E_NO_IMAGE] = "CFG_E_NO_IMAGE",
	[CFG_E_IMAGE_TOO_BIG] = "CFG_E_IMAGE_TOO_BIG",
	[CFG_E_ENTRY] = "CFG_E_ENTRY",
	[CFG_E_DEV_NOT_ON_BOARD] = "CFG_E_DEV_NOT_ON_BOARD",
	[CFG_E_DEV_TWO_OWNERS] = "CFG_E_DEV_TWO_OWNERS",
	[CFG_E_IRQ_NOT_ON_BOARD] = "CFG_E_IRQ_NOT_ON_BOARD",
	[CFG_E_IRQ_TWO_OWNERS] = "CFG_E_IRQ_TWO_OWNERS",
	[CFG_E_POLICY] = "CFG_E_POLICY",
	[CFG_E_HV_TOO_SMALL] = "CFG_E_HV_TOO_SMALL",
	[CFG_E_CHAN_COUNT] = "CFG_E_CHAN_COUNT",
	[CFG_E_CHAN_NAME] = "CFG_E_CHAN_NAME",
	[CFG_E_CHAN_ACCESS] = "CFG_E_CHAN_ACCESS",
	[CFG_E_CHAN_PEER] = "CFG_E_CHAN_PEER",
	[CFG_E_CHAN_DOORBELL] = "CFG_E_CHAN_DOORBELL",
	[CFG_E_MONITOR] = "CFG_E_MONITOR",
	[CFG_E_SMMU_OWNED] = "CFG_E_SMMU_OWNED",
	[CFG_E_PCI_HOST] = "CFG_E_PCI_HOST",
	[CFG_E_DMA_UNPROTECTED] = "CFG_E_DMA_UNPROTECTED",
	[CFG_E_DMA_STALE] = "CFG_E_DMA_STALE",
	[CFG_E_SID] = "CFG_E_SID",
	[CFG_E_SID_TWO_OWNERS] = "CFG_E_SID_TWO_OWNERS",
	[CFG_E_SID_MISSING] = "CFG_E_SID_MISSING",
	[CFG_E_COLOUR_NOT_ON_BOARD] = "CFG_E_COLOUR_NOT_ON_BOARD",
	[CFG_E_COLOUR_OVERLAP] = "CFG_E_COLOUR_OVERLAP",
	[CFG_E_COLOUR_DMA] = "CFG_E_COLOUR_DMA",
	[CFG_E_REGULATION] = "CFG_E_REGULATION",
};

_Static_assert(ARRAY_SIZE(bh_code_names) == CFG_E_COUNT,
	       "bh_code_names must name every enum cfg_err code");

/** Symbolic name of @e, e.g. "CFG_E_NAME"; never NULL. */
const char *bh_code_name(enum cfg_err e)
{
	if ((unsigned int)e >= ARRAY_SIZE(bh_code_names) ||
	    bh_code_names[e] == NULL) {
		return "CFG_E_?";
	}
	return bh_code_names[e];
}

/** Prints `FILE: message` to stderr. */
void bh_error(const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/** Prints `FILE: WHAT: property "PROP": message` (PROP may be NULL). */
void bh_node_error(const struct bh_node *n, const char *prop, const char *fmt,
		   ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", n->file, n->what);
	if (prop != NULL) {
		fprintf(stderr, "property \"%s\": ", prop);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/** Prints `SYSTEM: partition "NAME": property "PROP": message`. */
void bh_part_error(const struct bh_ctx *ctx, int p, const char *prop,
		   const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: partition \"%.*s\": ", ctx->system.path,
		HV_NAME_LEN, ctx->cfg.partitions[p].name);
	if (prop != NULL) {
		fprintf(stderr, "property \"%s\": ", prop);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * Prints a validator error: which file, partition and property, a specific
 * message and the code name. Board rules are reported against the board
 * file, everything else against the system file.
 */
void bh_report_diag(const struct bh_ctx *ctx, const struct cfg_diag *d)
{
	char msg[768];
	const char *file = ctx->system.path;
	const char *prop = d->property;
	const char *node = NULL;

	if (d->code == CFG_E_BOARD) {
		file = ctx->board.path;
	}
	/* The hypervisor region's size may come from the system file. */
	if ((d->code == CFG_E_BOARD && ctx->hv_size_set && prop != NULL &&
	     strcmp(prop, "hypervisor") == 0) ||
	    d->code == CFG_E_HV_TOO_SMALL) {
		file = ctx->hv_size_set ? ctx->system.path : ctx->board.path;
		node = "/hypervisor";
		prop = ctx->hv_size_set ? "memory-size" : "reg";
	} else if (d->code == CFG_E_NO_PARTITIONS) {
		node = "/partitions";
		prop = NULL;
	}
	bh_diag_message(ctx, d, msg, sizeof(msg));
	if (bh_chan_report(ctx, d, msg)) {
		return;
	}
	fprintf(stderr, "%s: ", file);
	if (d->partition >= 0 && d->partition < HV_MAX_PARTITIONS) {
		fprintf(stderr, "partition \"%.*s\": ", HV_NAME_LEN,
			ctx->cfg.partitions[d->partition].name);
	} else if (node != NULL) {
		fprintf(stderr, "node \"%s\": ", node);
	}
	if (prop != NULL) {
		fprintf(stderr, "property \"%s\": ", prop);
	}
	fprintf(stderr, "%s [%s]\n", msg, bh_code_name(d->code));
}
