/* SPDX-License-Identifier: MIT */
/*
 * The channel part of a partition's generated device tree: the virtual
 * PL061 that carries the doorbells, and one node per channel end
 * (docs/channels.md, "In the partition's device tree").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"

#define BH_GPIO_LINES 8
#define BH_IRQ_LEVEL_HIGH 4u

static const char *const bh_dt_access[] = {
	[HV_CHAN_RW] = "read-write",
	[HV_CHAN_RO] = "read-only",
};

/*
 * gpio-line-names: "NAME-out" (rings the peer) and "NAME-in" (rung by it)
 * for each end, "" for unused lines. Returns the length used in @buf.
 */
static int bh_line_names(const struct hv_partition_cfg *pc, char *buf,
			 size_t len)
{
	size_t used = 0;

	for (uint32_t line = 0; line < BH_GPIO_LINES; line++) {
		uint32_t i = line / 2;
		int n;

		if (i < pc->chan_count) {
			n = snprintf(buf + used, len - used, "%.*s-%s",
				     HV_NAME_LEN, pc->chans[i].name,
				     line % 2 == 0 ? "out" : "in");
		} else {
			n = snprintf(buf + used, len - used, "%s", "");
		}
		if (n < 0 || (size_t)n + 1 > len - used) {
			return -FDT_ERR_NOSPACE;
		}
		used += (size_t)n + 1; /* keep the NUL: a string list */
	}
	return (int)used;
}

static int bh_dt_gpio(void *fdt, const struct hv_partition_cfg *pc)
{
	static const char pl061[] = "arm,pl061\0arm,primecell";
	fdt32_t irq[3] = { cpu_to_fdt32(0),
			   cpu_to_fdt32(HV_GUEST_GPIO_INTID - HV_SPI_BASE),
			   cpu_to_fdt32(BH_IRQ_LEVEL_HIGH) };
	fdt64_t reg[2] = { cpu_to_fdt64(HV_GUEST_GPIO_IPA),
			   cpu_to_fdt64(HV_GUEST_GPIO_SIZE) };
	char names[BH_GPIO_LINES * (HV_NAME_LEN + 8)];
	char node[40];
	void *unused;
	int n = bh_line_names(pc, names, sizeof(names));
	int rc;

	if (n < 0) {
		return n;
	}
	snprintf(node, sizeof(node), "pl061@%llx", HV_GUEST_GPIO_IPA);
	rc = fdt_begin_node(fdt, node);
	rc = rc < 0 ? rc : fdt_property(fdt, "compatible", pl061, sizeof(pl061));
	rc = rc < 0 ? rc : fdt_property(fdt, "reg", reg, sizeof(reg));
	rc = rc < 0 ? rc : fdt_property(fdt, "interrupts", irq, sizeof(irq));
	rc = rc < 0 ? rc : fdt_property_placeholder(fdt, "gpio-controller", 0,
						     &unused);
	rc = rc < 0 ? rc : fdt_property_u32(fdt, "#gpio-cells", 2);
	rc = rc < 0 ? rc : fdt_property_placeholder(fdt, "interrupt-controller",
						     0, &unused);
	rc = rc < 0 ? rc : fdt_property_u32(fdt, "#interrupt-cells", 2);
	rc = rc < 0 ? rc : fdt_property_u32(fdt, "clocks", BH_PHANDLE_CLK);
	rc = rc < 0 ? rc : fdt_property_string(fdt, "clock-names", "apb_pclk");
	rc = rc < 0 ? rc : fdt_property_u32(fdt, "phandle", BH_PHANDLE_GPIO);
	rc = rc < 0 ? rc : fdt_property(fdt, "gpio-line-names", names, n);
	return rc < 0 ? rc : fdt_end_node(fdt);
}

static int bh_dt_chan_end(void *fdt, const struct bh_ctx *ctx,
			  const struct hv_partition_cfg *pc, uint32_t i)
{
	const struct hv_chan_end *e = &pc->chans[i];
	fdt64_t reg[2] = { cpu_to_fdt64(e->ipa), cpu_to_fdt64(e->size) };
	fdt32_t lines[2] = { cpu_to_fdt32(2 * i), cpu_to_fdt32(2 * i + 1) };
	fdt32_t gpios[6] = { cpu_to_fdt32(BH_PHANDLE_GPIO),
			     cpu_to_fdt32(2 * i), cpu_to_fdt32(0),
			     cpu_to_fdt32(BH_PHANDLE_GPIO),
			     cpu_to_fdt32(2 * i + 1), cpu_to_fdt32(0) };
	char node[40];
	int rc;

	snprintf(node, sizeof(node), "channel@%" PRIx64, e->ipa);
	rc = fdt_begin_node(fdt, node);
	rc = rc < 0 ? rc : fdt_property_string(fdt, "compatible",
					       "bulkhead,channel");
	rc = rc < 0 ? rc : fdt_property(fdt, "reg", reg, sizeof(reg));
	rc = rc < 0 ? rc : fdt_property_string(fdt, "label", e->name);
	rc = rc < 0 ? rc : fdt_property_string(
				   fdt, "bulkhead,peer",
				   ctx->cfg.partitions[e->peer].name);
	rc = rc < 0 ? rc : fdt_property_string(fdt, "bulkhead,access",
					       bh_dt_access[e->access]);
	rc = rc < 0 ? rc : fdt_property(fdt, "bulkhead,doorbell-lines", lines,
					sizeof(lines));
	rc = rc < 0 ? rc : fdt_property(fdt, "doorbell-gpios", gpios,
					sizeof(gpios));
	return rc < 0 ? rc : fdt_end_node(fdt);
}

/**
 * Adds the virtual PL061 and a node per channel end to partition @p's
 * device tree (being written with the sequential-write API), if it has
 * channels. Returns 0 or a negative libfdt error.
 */
int bh_dt_channels(void *fdt, const struct bh_ctx *ctx, int p)
{
	const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	int rc;

	if (pc->chan_count == 0 || pc->chan_count > HV_MAX_PART_CHANNELS) {
		return 0; /* too many: config_validate() reports it */
	}
	rc = bh_dt_gpio(fdt, pc);
	for (uint32_t i = 0; i < pc->chan_count && rc >= 0; i++) {
		if (pc->chans[i].peer >= ctx->cfg.partition_count ||
		    pc->chans[i].access >= ARRAY_SIZE(bh_dt_access)) {
			continue; /* config_validate() reports it */
		}
		rc = bh_dt_chan_end(fdt, ctx, pc, i);
	}
	return rc < 0 ? rc : 0;
}
