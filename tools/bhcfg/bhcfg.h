/* SPDX-License-Identifier: MIT */
/*
 * bhcfg: the host tool that turns a board description and a system
 * description (device-tree sources or blobs) into the hypervisor's const
 * configuration table, an assembly file embedding the partition images, and
 * one generated device tree per partition. See docs/config.md.
 *
 * Every function that can fail prints its own error message (compiler
 * style: FILE: context: message) and returns -1; callers just propagate.
 */
#ifndef BHCFG_H
#define BHCFG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hv/config.h"
#include "hv/config_validate.h"

/* Largest generated guest device tree. */
#define BH_DTB_MAX SZ_64K
/*
 * The guest device tree sits this far below the end of partition RAM: in a
 * 2 MiB region of its own (what the arm64 Linux boot protocol asks) from
 * BH_DTB_LARGE_RAM on, in the last BH_DTB_MAX bytes of a smaller partition
 * (too small for Linux; a bare-metal guest wants its RAM for itself).
 */
#define BH_DTB_FROM_END SZ_2M
#define BH_DTB_LARGE_RAM (2 * SZ_2M)
/*
 * Smallest partition RAM the tool lays out: an image, its data and the
 * device tree (a small RTOS or bare-metal guest). Below 2 MiB the size is
 * not a multiple of a stage-2 block, so config_validate() asks for
 * memory-no-blocks (4 KiB pages).
 */
#define BH_MIN_RAM SZ_1M
#define BH_MAX_INCDIRS 32
/* Phandles used in every generated guest device tree. */
#define BH_PHANDLE_GIC 1u
#define BH_PHANDLE_CLK 2u
#define BH_PHANDLE_GPIO 3u
/* #address-cells of the generated GIC node (an interrupt-map's parent
 * unit address has this many cells). */
#define BH_GIC_ADDR_CELLS 2

/** A device tree input: the user's path and the checked blob. */
struct bh_dt {
	const char *path;
	void *fdt;
	size_t size;
};

/** A node being parsed, with the context used in error messages. */
struct bh_node {
	const char *file; /* user's path, for messages */
	const void *fdt;
	int off;
	const char *what; /* e.g. `partition "alpha"` or `node "/gic"` */
};

/** Tool-side facts about one partition that the C table does not hold. */
struct bh_part {
	int node; /* node offset in the system device tree */
	const char *image_name;
	const char *initrd_name;
	char image_path[PATH_MAX]; /* resolved, absolute */
	char initrd_path[PATH_MAX];
	bool has_base;
	bool has_guest_base;
	bool identity;
	bool has_load;
	bool has_entry;
	uint64_t image_mem_size; /* Linux header image_size, 0 if unknown */
	int dev_count;		 /* board devices named in "devices" */
	int dev[HV_MAX_BOARD_DEVICES];
	uint8_t *dtb; /* generated guest device tree */
	size_t dtb_size;
	uint32_t table_pages; /* its share of cfg.table_pages (tables.c) */
};

/** One end of a channel as written in the system description. */
struct bh_chan_end {
	int part;	 /* partition index */
	int slot;	 /* index of this end in the partition's chans[] */
	uint32_t access; /* enum hv_chan_access */
	bool has_guest_base;
	uint64_t guest_base;
};

/** A channel of the system description (/channels/NAME). */
struct bh_chan {
	int node;		  /* offset in the system device tree */
	char name[HV_NAME_LEN];
	bool has_base;
	uint64_t base;		  /* physical, placed by bhcfg if not given */
	uint64_t size;
	uint32_t db_interval_us;  /* doorbell-min-interval-us */
	struct bh_chan_end end[2];
};

/** Everything the tool knows; one instance, built up stage by stage. */
struct bh_ctx {
	struct bh_dt board;
	struct bh_dt system;
	const char *incdirs[BH_MAX_INCDIRS];
	int incdir_count;
	const char *out_c;
	const char *out_s;
	const char *out_dir;
	bool hv_size_set; /* the system description overrides hv_size */
	int board_dev_node[HV_MAX_BOARD_DEVICES]; /* offsets in board.fdt */
	struct hv_config cfg;
	struct bh_part part[HV_MAX_PARTITIONS];
	int chan_count;
	struct bh_chan chan[HV_MAX_CHANNELS];
};

/* report.c */
void bh_error(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bh_node_error(const struct bh_node *n, const char *prop, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
void bh_part_error(const struct bh_ctx *ctx, int p, const char *prop,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *bh_code_name(enum cfg_err e);
void bh_report_diag(const struct bh_ctx *ctx, const struct cfg_diag *d);

/* report_msg.c */
void bh_diag_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
		     char *buf, size_t len);

/* report_dma.c */
bool bh_dma_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
		    char *buf, size_t len);
bool bh_dma_board_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
			  char *buf, size_t len);
void bh_dma_warnings(const struct bh_ctx *ctx);

/* fdt_io.c */
int bh_dt_load(const struct bh_ctx *ctx, const char *path, struct bh_dt *dt);
int bh_dt_check(const char *path, const void *buf, size_t size);
void bh_dt_free(struct bh_dt *dt);

/* fdt_prop.c: 0 = present and valid, 1 = absent (optional), -1 = error */
int bh_prop_u32(const struct bh_node *n, const char *name, bool req,
		uint32_t *out);
int bh_prop_u64(const struct bh_node *n, const char *name, bool req,
		uint64_t *out);
int bh_prop_cells(const struct bh_node *n, const char *name, bool req,
		  int group, const uint8_t **cells, int *count);
int bh_prop_string(const struct bh_node *n, const char *name, bool req,
		   const char **out);
int bh_prop_bool(const struct bh_node *n, const char *name, bool *out);
int bh_prop_reg(const struct bh_node *n, const char *name, bool req,
		uint64_t *base, uint64_t *size);
int bh_check_props(const struct bh_node *n, const char *const *allowed);
int bh_check_children(const struct bh_node *n, const char *const *allowed);
uint32_t bh_cell(const uint8_t *cells, int i);
int bh_node_at(const struct bh_node *parent, const char *name, bool req,
	       struct bh_node *out, char *what, size_t what_len);

/* board.c */
int bh_board_parse(struct bh_ctx *ctx);
int bh_board_find_device(const struct bh_ctx *ctx, const char *name);

/* system.c, partition.c */
int bh_system_parse(struct bh_ctx *ctx);
int bh_partition_parse(struct bh_ctx *ctx, int p, int node);
int bh_partition_devices(struct bh_ctx *ctx, int p);
int bh_partition_monitors(struct bh_ctx *ctx);

/* layout.c */
int bh_images_resolve(struct bh_ctx *ctx);
int bh_memory_place(struct bh_ctx *ctx);
int bh_blobs_place(struct bh_ctx *ctx);

/* channel.c, channel_dt.c */
int bh_channels_parse(struct bh_ctx *ctx, const struct bh_node *root);
void bh_channels_fill(struct bh_ctx *ctx);
bool bh_chan_report(const struct bh_ctx *ctx, const struct cfg_diag *d,
		    const char *msg);
void bh_chan_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
		     char *buf, size_t len);
int bh_dt_channels(void *fdt, const struct bh_ctx *ctx, int p);

/* guest_dt.c, pci_dt.c */
int bh_guest_dt_build(struct bh_ctx *ctx, int p);
uint64_t bh_dt_guest_addr(const struct hv_partition_cfg *pc, uint64_t pa);
bool bh_pci_prop_generated(const char *name);
int bh_dt_pci_host(void *fdt, const struct bh_ctx *ctx,
		   const struct hv_partition_cfg *pc,
		   const struct hv_board_device *bd, int node);

/* tables.c */
int bh_tables_count(struct bh_ctx *ctx);

/* emit.c, emit_c.c */
int bh_emit_all(struct bh_ctx *ctx);
int bh_emit_c(const struct bh_ctx *ctx, FILE *f);

#endif /* BHCFG_H */
