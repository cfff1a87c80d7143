/* SPDX-License-Identifier: MIT */
/*
 * bhcfg command line:
 *
 *   bhcfg --board BOARD.dts|.dtb --system SYSTEM.dts|.dtb [-I DIR]...
 *         [--out-c FILE.c] [--out-s FILE.S] [--out-dir DIR]
 *         [--layout-svg FILE.svg] [--layout-text FILE.txt]
 *
 * Parse both descriptions, resolve images, place memory, generate the guest
 * device trees, validate the result with config_validate(), and only then
 * write the outputs. Without any --out-* option it only checks. Exit status
 * 0 on success, 1 on any error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/config_validate.h"

#include "bhcfg.h"
#include "picture.h"

/* --layout-svg, --layout-text: picture.c */
static const char *bh_layout_svg, *bh_layout_text;

static const char bh_usage[] =
	"usage: bhcfg --board BOARD.dts|.dtb --system SYSTEM.dts|.dtb [-I DIR]...\n"
	"             [--out-c FILE.c] [--out-s FILE.S] [--out-dir DIR]\n"
	"             [--layout-svg FILE.svg] [--layout-text FILE.txt]\n"
	"  -I DIR     search DIR for partition images (in order), and for dtc /include/\n"
	"  --out-c    the configuration table (const struct hv_config hv_cfg)\n"
	"  --out-s    assembly embedding every image, initrd and device tree\n"
	"  --out-dir  where <partition>.dtb files are written (needed by --out-s)\n"
	"  --layout-svg, --layout-text  a picture / text table of the system\n"
	"See docs/config.md for the description formats.\n";

static int bh_args(struct bh_ctx *ctx, int argc, char **argv,
		   const char **board, const char **system)
{
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "system", required_argument, NULL, 's' },
		{ "out-c", required_argument, NULL, 'c' },
		{ "out-s", required_argument, NULL, 'a' },
		{ "out-dir", required_argument, NULL, 'd' },
		{ "layout-svg", required_argument, NULL, 'L' },
		{ "layout-text", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "I:h", opts, NULL)) != -1) {
		if (opt == 'b') {
			*board = optarg;
		} else if (opt == 's') {
			*system = optarg;
		} else if (opt == 'c') {
			ctx->out_c = optarg;
		} else if (opt == 'a') {
			ctx->out_s = optarg;
		} else if (opt == 'd') {
			ctx->out_dir = optarg;
		} else if (opt == 'L') {
			bh_layout_svg = optarg;
		} else if (opt == 'T') {
			bh_layout_text = optarg;
		} else if (opt == 'I' && ctx->incdir_count < BH_MAX_INCDIRS) {
			ctx->incdirs[ctx->incdir_count++] = optarg;
		} else if (opt == 'h') {
			fputs(bh_usage, stdout);
			exit(0);
		} else {
			fputs(opt == 'I' ? "bhcfg: too many -I options\n"
					 : bh_usage,
			      stderr);
			return -1;
		}
	}
	if (optind != argc || *board == NULL || *system == NULL ||
	    (ctx->out_s != NULL && ctx->out_dir == NULL)) {
		fprintf(stderr, "%s", bh_usage);
		return -1;
	}
	return 0;
}

static int bh_run(struct bh_ctx *ctx, const char *board, const char *system)
{
	struct cfg_diag diag;

	ctx->cfg.magic = HV_CONFIG_MAGIC;
	ctx->cfg.version = HV_CONFIG_VERSION;
	if (bh_dt_load(ctx, board, &ctx->board) != 0 ||
	    bh_board_parse(ctx) != 0 ||
	    bh_dt_load(ctx, system, &ctx->system) != 0 ||
	    bh_system_parse(ctx) != 0 || bh_images_resolve(ctx) != 0 ||
	    bh_memory_place(ctx) != 0 || bh_blobs_place(ctx) != 0) {
		return -1;
	}
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		if (bh_guest_dt_build(ctx, (int)p) != 0) {
			return -1;
		}
	}
	if (config_validate(&ctx->cfg, &diag) != CFG_OK) {
		bh_report_diag(ctx, &diag);
		return -1;
	}
	/* The table pool's size, then its room in the hypervisor's region
	 * (the validator's CFG_E_HV_TOO_SMALL counts it). */
	if (bh_tables_count(ctx) != 0) {
		return -1;
	}
	if (config_validate(&ctx->cfg, &diag) != CFG_OK) {
		bh_report_diag(ctx, &diag);
		return -1;
	}
	bh_dma_warnings(ctx);
	if (bh_emit_all(ctx) != 0) {
		return -1;
	}
	return bh_picture_write(ctx, bh_layout_svg, bh_layout_text);
}

/** Entry point: see the comment at the top of this file. */
int main(int argc, char **argv)
{
	struct bh_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *board = NULL, *system = NULL;
	int rc;

	if (ctx == NULL) {
		fprintf(stderr, "bhcfg: out of memory\n");
		return 1;
	}
	rc = bh_args(ctx, argc, argv, &board, &system);
	if (rc == 0) {
		rc = bh_run(ctx, board, system);
	}
	for (int p = 0; p < HV_MAX_PARTITIONS; p++) {
		free(ctx->part[p].dtb);
	}
	bh_dt_free(&ctx->board);
	bh_dt_free(&ctx->system);
	free(ctx);
	return rc == 0 ? 0 : 1;
}
