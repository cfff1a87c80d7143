/* SPDX-License-Identifier: MIT */
/*
 * Resolving image files and laying out memory: physical placement of
 * partition RAM that has no memory-base, and the offsets of the image, the
 * device tree and the initrd inside each partition's RAM.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bhcfg.h"
#include "hv/colour.h"

/* arm64 Linux Image header (Documentation/arch/arm64/booting.rst). */
#define BH_IMAGE_HDR_LEN 64
#define BH_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */
#define BH_IMAGE_MAGIC_OFF 0x38
#define BH_IMAGE_TEXT_OFF 8
#define BH_IMAGE_SIZE_OFF 16

struct bh_range {
	uint64_t base;
	uint64_t size;
};

static uint64_t bh_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--) {
		v = (v << 8) | p[i];
	}
	return v;
}

/* If @path exists as a regular file, stores its absolute path in @out. */
static bool bh_try_path(const char *path, char *out)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       realpath(path, out) != NULL;
}

/* Finds @name in the -I directories, then next to the system description. */
static int bh_find_file(const struct bh_ctx *ctx, int p, const char *prop,
			const char *name, char *out)
{
	char cand[PATH_MAX], sys[PATH_MAX];

	if (name[0] == '/' && bh_try_path(name, out)) {
		return 0;
	}
	for (int i = 0; name[0] != '/' && i < ctx->incdir_count; i++) {
		snprintf(cand, sizeof(cand), "%s/%s", ctx->incdirs[i], name);
		if (bh_try_path(cand, out)) {
			return 0;
		}
	}
	snprintf(sys, sizeof(sys), "%s", ctx->system.path);
	snprintf(cand, sizeof(cand), "%s/%s", dirname(sys), name);
	if (name[0] != '/' && bh_try_path(cand, out)) {
		return 0;
	}
	bh_part_error(
		ctx, p, prop,
		"file \"%s\" not found in the -I directories or next to the system description [CFG_E_NO_IMAGE]",
		name);
	return -1;
}

/* Size of @path, and the Linux header fields if it has one. */
static int bh_image_info(const struct bh_ctx *ctx, int p, const char *path,
			 uint64_t *size, uint64_t *text, uint64_t *mem)
{
	uint8_t hdr[BH_IMAGE_HDR_LEN];
	struct stat st;
	FILE *f = fopen(path, "rb");
	size_t got;

	if (f == NULL || fstat(fileno(f), &st) != 0) {
		bh_part_error(ctx, p, NULL, "cannot read \"%s\": %s", path,
			      strerror(errno));
		if (f != NULL) {
			fclose(f);
		}
		return -1;
	}
	got = fread(hdr, 1, sizeof(hdr), f);
	fclose(f);
	*size = (uint64_t)st.st_size;
	*text = 0;
	*mem = 0;
	if (got == sizeof(hdr) &&
	    bh_le(hdr + BH_IMAGE_MAGIC_OFF, 4) == BH_IMAGE_MAGIC) {
		*text = bh_le(hdr + BH_IMAGE_TEXT_OFF, 8);
		*mem = bh_le(hdr + BH_IMAGE_SIZE_OFF, 8);
	}
	return 0;
}

/**
 * Resolves every partition's image and initrd to an absolute path, records
 * their sizes, and defaults the load offset from an arm64 Linux Image
 * header (text_offset) or to 0. Returns 0, or -1 after printing the error.
 */
int bh_images_resolve(struct bh_ctx *ctx)
{
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
		struct bh_part *bp = &ctx->part[p];
		uint64_t text, unused;

		if (bh_find_file(ctx, (int)p, "image", bp->image_name,
				 bp->image_path) != 0 ||
		    bh_image_info(ctx, (int)p, bp->image_path, &pc->image.size,
				  &text, &bp->image_mem_size) != 0) {
			return -1;
		}
		if (!bp->has_load) {
			pc->image.offset = text;
		}
		if (bp->initrd_name != NULL &&
		    (bh_find_file(ctx, (int)p, "initrd", bp->initrd_name,
				  bp->initrd_path) != 0 ||
		     bh_image_info(ctx, (int)p, bp->initrd_path,
				   &pc->initrd.size, &unused, &unused) != 0)) {
			return -1;
		}
	}
	return 0;
}

/* @x rounded up to @align (a power of two); false if that overflows. */
static bool bh_round_up(uint64_t x, uint64_t align, uint64_t *out)
{
	if (x > UINT64_MAX - (align - 1)) {
		return false;
	}
	*out = (x + align - 1) & ~(align - 1);
	return true;
}

static bool bh_round_up_2m(uint64_t x, uint64_t *out)
{
	return bh_round_up(x, SZ_2M, out);
}

/* Lowest @align-aligned free range of @size bytes in one RAM bank. */
static bool bh_first_fit(const struct hv_board_desc *b,
			 const struct bh_range *res, int nres, uint64_t size,
			 uint64_t align, uint64_t *out)
{
	for (uint32_t i = 0; i < b->ram_count && i < HV_MAX_RAM_BANKS; i++) {
		uint64_t start, end = b->ram[i].base + b->ram[i].size;

		if (end < b->ram[i].base ||
		    !bh_round_up(b->ram[i].base, align, &start)) {
			continue;
		}
		/* Each round either succeeds or skips past one reservation. */
		for (int round = 0; round <= nres; round++) {
			const struct bh_range *hit = NULL;

			if (start > end || end - start < size) {
				break;
			}
			for (int r = 0; r < nres && hit == NULL; r++) {
				if (ranges_overlap(start, size, res[r].base,
						   res[r].size)) {
					hit = &res[r];
				}
			}
			if (hit == NULL) {
				*out = start;
				return true;
			}
			if (hit->base + hit->size < hit->base ||
			    !bh_round_up(hit->base + hit->size, align,
					 &start)) {
				break;
			}
		}
	}
	return false;
}

/*
 * Gives every channel without memory-base a physical range after the
 * partitions: first fit, 4 KiB aligned, in description order.
 */
static int bh_channels_place(struct bh_ctx *ctx, struct bh_range *res,
			     int nres)
{
	for (int c = 0; c < ctx->chan_count; c++) {
		struct bh_chan *ch = &ctx->chan[c];
		uint64_t size;

		if (ch->has_base || ch->size == 0) {
			continue; /* a zero size: config_validate() says so */
		}
		if (!bh_round_up(ch->size, SZ_4K, &size) ||
		    !bh_first_fit(&ctx->cfg.board, res, nres, size, SZ_4K,
				  &ch->base)) {
			bh_error(ctx->system.path,
				 "channel \"%s\": property \"memory-size\": no free range of 0x%" PRIx64
				 " bytes left in board RAM [CFG_E_MEM_NOT_ON_BOARD]",
				 ch->name, ch->size);
			return -1;
		}
		res[nres++] = (struct bh_range){ ch->base, size };
	}
	return 0;
}

/*
 * Places coloured partition @p (no memory-base): the lowest period-aligned
 * span whose pages of its colours are free (hv/colour.h); spans of other
 * coloured partitions with other colours may overlap it.
 */
static int bh_place_coloured(struct bh_ctx *ctx, uint32_t p,
			     const struct colour_res *cres, int ncres)
{
	struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];

	if (colour_part_span(pc, &ctx->cfg.board) == 0) {
		return 0; /* colours the board lacks: config_validate() says so */
	}
	if (colour_fit(&ctx->cfg.board, cres, ncres, pc->ram_size,
		       pc->colours, &pc->ram_pa)) {
		return 0;
	}
	bh_part_error(ctx, (int)p, "memory-size",
		      "no free range left in board RAM for 0x%" PRIx64
		      " bytes in cache colours 0x%" PRIx32
		      " [CFG_E_MEM_NOT_ON_BOARD]",
		      pc->ram_size, pc->colours);
	return -1;
}

/**
 * Gives every partition without memory-base a physical RAM range: first
 * fit, 2 MiB aligned, in partition order, after reserving the hypervisor
 * region and every fixed placement (partitions and channels); a coloured
 * partition gets a span of one colour period alignment that may share
 * physical memory with coloured partitions of other colours. Then places
 * the channels without memory-base and fills in every channel end.
 * Applies memory-identity. Returns 0, or -1 after printing the error.
 */
int bh_memory_place(struct bh_ctx *ctx)
{
	const struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_range res[HV_MAX_PARTITIONS + HV_MAX_CHANNELS + 1];
	struct colour_res cres[HV_MAX_PARTITIONS + HV_MAX_CHANNELS + 1];
	int nres = 0;

	res[nres++] = (struct bh_range){ b->hv_base, b->hv_size };
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		if (ctx->part[p].has_base) {
			res[nres++] = (struct bh_range){
				ctx->cfg.partitions[p].ram_pa,
				colour_part_span(&ctx->cfg.partitions[p], b)
			};
		}
	}
	for (int c = 0; c < ctx->chan_count; c++) {
		if (ctx->chan[c].has_base) {
			res[nres++] = (struct bh_range){ ctx->chan[c].base,
							 ctx->chan[c].size };
		}
	}
	for (int r = 0; r < nres; r++) {
		cres[r] = (struct colour_res){ res[r].base, res[r].size, 0 };
	}
	for (uint32_t p = 0, r = 1; p < ctx->cfg.partition_count; p++) {
		if (ctx->part[p].has_base) {
			cres[r++].colours = ctx->cfg.partitions[p].colours;
		}
	}
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
		uint64_t size;

		if (!ctx->part[p].has_base && pc->ram_size != 0 &&
		    colour_part(pc)) {
			if (bh_place_coloured(ctx, p, cres, nres) != 0) {
				return -1;
			}
			size = colour_part_span(pc, b);
			cres[nres] = (struct colour_res){ pc->ram_pa, size,
							  pc->colours };
			res[nres++] = (struct bh_range){ pc->ram_pa, size };
		} else if (!ctx->part[p].has_base && pc->ram_size != 0) {
			if (!bh_round_up_2m(pc->ram_size, &size) ||
			    !bh_first_fit(b, res, nres, size, SZ_2M,
					  &pc->ram_pa)) {
				bh_part_error(
					ctx, (int)p, "memory-size",
					"no free 2 MiB-aligned range of 0x%" PRIx64
					" bytes left in board RAM [CFG_E_MEM_NOT_ON_BOARD]",
					pc->ram_size);
				return -1;
			}
			cres[nres] = (struct colour_res){ pc->ram_pa, size, 0 };
			res[nres++] = (struct bh_range){ pc->ram_pa, size };
		}
		if (ctx->part[p].identity) {
			pc->ram_ipa = pc->ram_pa;
		}
	}
	if (bh_channels_place(ctx, res, nres) != 0) {
		return -1;
	}
	bh_channels_fill(ctx);
	return 0;
}

/* A Linux kernel needs image_size bytes (with BSS) below the initrd/DTB. */
static int bh_check_kernel_room(const struct bh_ctx *ctx, int p)
{
	const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	uint64_t mem = ctx->part[p].image_mem_size;
	uint64_t limit = pc->initrd.size != 0 ? pc->initrd.offset
					      : pc->dtb.offset;

	if (mem <= pc->image.size) {
		return 0;
	}
	if (pc->image.offset > limit || mem > limit - pc->image.offset) {
		bh_part_error(
			ctx, p, "image",
			"the kernel needs 0x%" PRIx64
			" bytes (image_size in its header) at offset 0x%" PRIx64
			", which runs into the initrd or device tree at 0x%" PRIx64
			"; give the partition more memory [CFG_E_IMAGE_TOO_BIG]",
			mem, pc->image.offset, limit);
		return -1;
	}
	return 0;
}

/**
 * Places the blobs inside each partition's RAM: the device tree 2 MiB below
 * the end (64 KiB below it in a partition of less than 4 MiB), the initrd
 * right below it (4 KiB aligned), the image at its load offset; defaults
 * the entry offset to the load offset. Returns 0, or -1
 * after printing the error.
 */
int bh_blobs_place(struct bh_ctx *ctx)
{
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];

		if (!ctx->part[p].has_entry) {
			pc->entry_offset = pc->image.offset;
		}
		if (pc->ram_size == 0) {
			continue; /* config_validate() reports it */
		}
		if (pc->ram_size < BH_MIN_RAM) {
			bh_part_error(
				ctx, (int)p, "memory-size",
				"0x%" PRIx64
				" bytes is too small: at least 1 MiB is needed",
				pc->ram_size);
			return -1;
		}
		pc->dtb.offset = pc->ram_size - (pc->ram_size >= BH_DTB_LARGE_RAM
							 ? BH_DTB_FROM_END
							 : BH_DTB_MAX);
		if (pc->initrd.size > pc->dtb.offset) {
			bh_part_error(
				ctx, (int)p, "initrd",
				"0x%" PRIx64
				" bytes do not fit below the device tree at offset 0x%" PRIx64
				" [CFG_E_IMAGE_TOO_BIG]",
				pc->initrd.size, pc->dtb.offset);
			return -1;
		}
		if (pc->initrd.size != 0) {
			pc->initrd.offset = (pc->dtb.offset - pc->initrd.size) &
					    ~(SZ_4K - 1);
		}
		if (bh_check_kernel_room(ctx, (int)p) != 0) {
			return -1;
		}
	}
	return 0;
}
