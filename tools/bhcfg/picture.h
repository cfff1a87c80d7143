/* SPDX-License-Identifier: MIT */
/*
 * A picture of a validated system: where bhcfg placed the hypervisor, the
 * partitions and the channels in board RAM, and each partition's cores,
 * devices, interrupts, channel ends and SMMU StreamIDs. Written as SVG
 * (--layout-svg) and as a plain-text table (--layout-text); make layout
 * writes both (docs/config.md, "A picture of the system").
 */
#ifndef BHCFG_PICTURE_H
#define BHCFG_PICTURE_H

#include "bhcfg.h"

/**
 * Writes the SVG to @svg_path and the text table to @text_path (either may
 * be NULL). Each goes to a temporary file that is renamed into place when
 * complete. Returns 0, or -1 after printing the error.
 */
int bh_picture_write(const struct bh_ctx *ctx, const char *svg_path,
		     const char *text_path);

#endif /* BHCFG_PICTURE_H */
