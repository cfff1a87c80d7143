/* SPDX-License-Identifier: MIT */
/*
 * Parsing the system description (configs/<board>/<system>.dts): the root,
 * the optional /hypervisor node and the /partitions node, whose children
 * are handed to partition.c one by one.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"

static const char *const bh_sys_root_props[] = { "compatible", "model",
						 "#address-cells",
						 "#size-cells", NULL };
static const char *const bh_sys_root_nodes[] = { "hypervisor", "partitions",
						 "channels", NULL };
static const char *const bh_sys_hv_props[] = { "memory-size", NULL };

static int bh_system_hv(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct bh_node n;
	char what[300];
	int rc = bh_node_at(root, "hypervisor", false, &n, what, sizeof(what));

	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, bh_sys_hv_props) != 0 ||
	    bh_check_children(&n, NULL) != 0) {
		return -1;
	}
	rc = bh_prop_u64(&n, "memory-size", false, &ctx->cfg.board.hv_size);
	ctx->hv_size_set = rc == 0;
	return rc < 0 ? -1 : 0;
}

static int bh_system_partitions(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct bh_node n;
	char what[300];
	int child;
	int rc = bh_node_at(root, "partitions", false, &n, what, sizeof(what));

	if (rc != 0) {
		/* No partitions at all: config_validate() reports it. */
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, NULL) != 0) {
		return -1;
	}
	fdt_for_each_subnode(child, n.fdt, n.off) {
		int p = (int)ctx->cfg.partition_count;

		if (p == HV_MAX_PARTITIONS) {
			bh_node_error(
				&n, NULL,
				"more than %d partitions [CFG_E_NO_PARTITIONS]",
				HV_MAX_PARTITIONS);
			return -1;
		}
		ctx->cfg.partition_count++;
		if (bh_partition_parse(ctx, p, child) != 0 ||
		    bh_partition_devices(ctx, p) != 0) {
			return -1;
		}
	}
	return 0;
}

/**
 * Parses ctx->system (loaded and checked) into the partitions of ctx->cfg,
 * after bh_board_parse(), then its optional /channels (channel.c). An
 * optional /hypervisor memory-size overrides the board's hypervisor region
 * size. Returns 0, or -1 after printing the error.
 */
int bh_system_parse(struct bh_ctx *ctx)
{
	struct bh_node root = { ctx->system.path, ctx->system.fdt, 0,
				"node \"/\"" };

	if (fdt_node_check_compatible(root.fdt, 0, "bulkhead,system") != 0) {
		bh_node_error(
			&root, "compatible",
			"not a Bulkhead system description (needs \"bulkhead,system\")");
		return -1;
	}
	if (bh_check_props(&root, bh_sys_root_props) != 0 ||
	    bh_check_children(&root, bh_sys_root_nodes) != 0 ||
	    bh_system_hv(ctx, &root) != 0 ||
	    bh_system_partitions(ctx, &root) != 0 ||
	    bh_channels_parse(ctx, &root) != 0 ||
	    bh_partition_monitors(ctx) != 0) {
		return -1;
	}
	return 0;
}
