/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the configuration tool on an arbitrary system
 * description blob, against the QEMU virt board. The input goes through
 * what `bhcfg --board ... --system X.dtb` does up to validation: parse,
 * resolve images (in build/guests), place memory, build each guest device
 * tree, config_validate(). Errors are expected (run it with
 * -close_fd_mask=2 to silence them; sanitizer reports still show); a
 * crash, a leak or a sanitizer report is a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/config_validate.h"

#include "bhcfg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bh_dt board;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct bh_ctx *ctx = calloc(1, sizeof(*ctx));

	(void)argc;
	(void)argv;
	if (ctx == NULL || bh_dt_load(ctx, "boards/qemu-virt/board.dts",
				      &board) != 0) {
		fprintf(stderr, "fuzz_bhcfg: run from the repository root\n");
		exit(1);
	}
	free(ctx);
	return 0;
}

static void run(struct bh_ctx *ctx)
{
	struct cfg_diag diag;

	if (bh_board_parse(ctx) != 0 || bh_system_parse(ctx) != 0 ||
	    bh_images_resolve(ctx) != 0 || bh_memory_place(ctx) != 0 ||
	    bh_blobs_place(ctx) != 0) {
		return;
	}
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		if (bh_guest_dt_build(ctx, (int)p) != 0) {
			return;
		}
	}
	if (config_validate(&ctx->cfg, &diag) != CFG_OK) {
		bh_report_diag(ctx, &diag);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bh_ctx *ctx;
	void *blob;

	if (bh_dt_check("fuzz.dtb", data, size) != 0) {
		return 0;
	}
	ctx = calloc(1, sizeof(*ctx));
	blob = malloc(size);
	if (ctx == NULL || blob == NULL) {
		free(ctx);
		free(blob);
		return 0;
	}
	memcpy(blob, data, size);
	ctx->cfg.magic = HV_CONFIG_MAGIC;
	ctx->cfg.version = HV_CONFIG_VERSION;
	ctx->board = board;
	ctx->system.path = "fuzz.dtb";
	ctx->system.fdt = blob;
	ctx->system.size = size;
	ctx->incdirs[ctx->incdir_count++] = "build/guests";
	ctx->incdirs[ctx->incdir_count++] = "build/payloads";
	run(ctx);
	for (int p = 0; p < HV_MAX_PARTITIONS; p++) {
		free(ctx->part[p].dtb);
	}
	free(blob);
	free(ctx);
	return 0;
}
