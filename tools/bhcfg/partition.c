/* SPDX-License-Identifier: MIT */
/*
 * Parsing one partition node of the system description, and turning the
 * board devices it names into the page-granular device ranges of the
 * configuration table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"

static const char *const bh_part_props[] = { "cpus",
					     "memory-size",
					     "memory-base",
					     "guest-base",
					     "memory-identity",
					     "memory-no-blocks",
					     "image",
					     "initrd",
					     "load-offset",
					     "entry-offset",
					     "bootargs",
					     "devices",
					     "fault-policy",
					     "trap-wfi",
					     "trap-wfe",
					     "pmu",
					     "debug",
					     "no-debug",
					     "on-trap",
					     "on-stage2-fault",
					     "on-watchdog",
					     "on-system-reset",
					     "on-system-off",
					     "monitor",
					     "dma-unprotected",
					     "cache-colours",
					     "memory-budget",
					     "memory-period-us",
					     "memory-event",
					     NULL };

static const char *const bh_policies[HV_FAULT_POLICIES] = {
	[HV_FAULT_STOP] = "stop",
	[HV_FAULT_INJECT] = "inject",
	[HV_FAULT_RESTART] = "restart",
	[HV_FAULT_LOG] = "log",
};

/* Booleans: "trap-wfi" and "trap-wfe" (default not trapped, for
 * latency), "pmu" (default trapped), "debug" (default given: the ID
 * registers advertise breakpoints and watchpoints, and the architecture
 * has no encoding for none, so they must work; "no-debug" traps them,
 * RAZ/WI, docs/traps.md) and "dma-unprotected" (default: every bus master
 * must be behind an SMMU). */
static int bh_part_traps(const struct bh_node *n, struct hv_partition_cfg *pc)
{
	static const struct {
		const char *name;
		uint32_t flag;
	} props[] = {
		{ "trap-wfi", HV_PART_TRAP_WFI },
		{ "trap-wfe", HV_PART_TRAP_WFE },
		{ "pmu", HV_PART_PMU },
		{ "debug", HV_PART_DEBUG },
		{ "dma-unprotected", HV_PART_DMA_UNPROTECTED },
	};

	bool off = false;

	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		bool on = false;

		if (bh_prop_bool(n, props[i].name, &on) < 0) {
			return -1;
		}
		pc->flags |= on ? props[i].flag : 0u;
	}
	if (bh_prop_bool(n, "no-debug", &off) < 0) {
		return -1;
	}
	pc->flags = off ? pc->flags & ~(uint32_t)HV_PART_DEBUG
			: pc->flags | HV_PART_DEBUG;
	return 0;
}

static int bh_part_cpus(const struct bh_node *n, struct hv_partition_cfg *pc)
{
	const uint8_t *cells;
	int count;

	if (bh_prop_cells(n, "cpus", true, 1, &cells, &count) != 0) {
		return -1;
	}
	if (count > HV_MAX_CPUS) {
		bh_node_error(n, "cpus", "more than %d cores", HV_MAX_CPUS);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		uint32_t core = bh_cell(cells, i);

		if (core > UINT8_MAX) {
			bh_node_error(
				n, "cpus",
				"core %u does not exist [CFG_E_CPU_NOT_ON_BOARD]",
				core);
			return -1;
		}
		pc->cpus[i] = (uint8_t)core;
	}
	pc->cpu_count = (uint32_t)count;
	return 0;
}

/* Adds colours @lo..@hi to @mask; -1 after the error if one cannot be. */
static int bh_colour_add(const struct bh_node *n, uint64_t lo, uint64_t hi,
			 uint32_t *mask)
{
	if (lo > hi) {
		bh_node_error(n, "cache-colours",
			      "range %" PRIu64 "-%" PRIu64
			      " runs backwards", lo, hi);
		return -1;
	}
	if (hi >= HV_MAX_COLOURS) {
		bh_node_error(n, "cache-colours",
			      "colour %" PRIu64
			      " does not exist (at most %d colours) [CFG_E_COLOUR_NOT_ON_BOARD]",
			      hi, HV_MAX_COLOURS);
		return -1;
	}
	for (uint64_t c = lo; c <= hi; c++) {
		*mask |= 1u << c;
	}
	return 0;
}

/* Reads a decimal number at *@s, advancing it; false if there is none. */
static bool bh_colour_num(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9') {
		return false;
	}
	while (*p >= '0' && *p <= '9' && v < 1000) {
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	*s = p;
	*out = v;
	return true;
}

/*
 * "cache-colours": a list of cells, <0 1 2 3>, or a string of colours and
 * ranges, "0-3,8,10-11" (docs/config.md).
 */
static int bh_part_colours(const struct bh_node *n,
			   struct hv_partition_cfg *pc)
{
	const uint8_t *v;
	const char *s;
	int len;

	v = fdt_getprop(n->fdt, n->off, "cache-colours", &len);
	if (v == NULL) {
		return 0;
	}
	if (len > 0 && v[0] >= '0' && v[0] <= '9' && v[len - 1] == '\0' &&
	    strlen((const char *)v) + 1 == (size_t)len) {
		s = (const char *)v;
		for (;;) {
			uint64_t lo, hi;

			if (!bh_colour_num(&s, &lo)) {
				break;
			}
			hi = lo;
			if (*s == '-' && (s++, !bh_colour_num(&s, &hi))) {
				break;
			}
			if (bh_colour_add(n, lo, hi, &pc->colours) != 0) {
				return -1;
			}
			if (*s == '\0') {
				return 0;
			}
			if (*s++ != ',') {
				break;
			}
		}
		bh_node_error(n, "cache-colours",
			      "expected colours and ranges such as \"0-3,8\"");
		return -1;
	}
	if (len <= 0 || len % 4 != 0) {
		bh_node_error(n, "cache-colours",
			      "expected a list of colours, <0 1 2>, or a string of ranges, \"0-3,8\"");
		return -1;
	}
	for (int i = 0; i < len / 4; i++) {
		uint32_t c = bh_cell(v, i);

		if (bh_colour_add(n, c, c, &pc->colours) != 0) {
			return -1;
		}
	}
	return 0;
}

static int bh_part_memory(const struct bh_node *n, struct hv_partition_cfg *pc,
			  struct bh_part *bp)
{
	bool no_blocks;
	int rc;

	if (bh_prop_u64(n, "memory-size", true, &pc->ram_size) != 0 ||
	    bh_prop_bool(n, "memory-identity", &bp->identity) != 0 ||
	    bh_prop_bool(n, "memory-no-blocks", &no_blocks) != 0) {
		return -1;
	}
	rc = bh_prop_u64(n, "memory-base", false, &pc->ram_pa);
	if (rc < 0) {
		return -1;
	}
	bp->has_base = rc == 0;
	pc->ram_ipa = HV_GUEST_RAM_IPA_DEFAULT;
	rc = bh_prop_u64(n, "guest-base", false, &pc->ram_ipa);
	if (rc < 0) {
		return -1;
	}
	bp->has_guest_base = rc == 0;
	if (bp->has_guest_base && bp->identity) {
		bh_node_error(
			n, "guest-base",
			"conflicts with memory-identity (which sets the guest base to the physical base)");
		return -1;
	}
	if (no_blocks) {
		pc->flags |= HV_PART_RAM_NO_BLOCKS;
	}
	if (bh_part_colours(n, pc) != 0) {
		return -1;
	}
	if (pc->colours != 0 && bp->identity) {
		bh_node_error(
			n, "memory-identity",
			"conflicts with cache-colours (coloured RAM is contiguous only in guest-physical addresses)");
		return -1;
	}
	return bh_part_traps(n, pc);
}

static int bh_part_images(const struct bh_node *n, struct hv_partition_cfg *pc,
			  struct bh_part *bp)
{
	int rc;

	if (bh_prop_string(n, "image", true, &bp->image_name) != 0 ||
	    bh_prop_string(n, "initrd", false, &bp->initrd_name) < 0) {
		return -1;
	}
	if (bp->image_name[0] == '\0' ||
	    (bp->initrd_name != NULL && bp->initrd_name[0] == '\0')) {
		bh_node_error(n, bp->image_name[0] == '\0' ? "image" : "initrd",
			      "empty file name [CFG_E_NO_IMAGE]");
		return -1;
	}
	rc = bh_prop_u64(n, "load-offset", false, &pc->image.offset);
	if (rc < 0) {
		return -1;
	}
	bp->has_load = rc == 0;
	rc = bh_prop_u64(n, "entry-offset", false, &pc->entry_offset);
	if (rc < 0) {
		return -1;
	}
	bp->has_entry = rc == 0;
	return 0;
}

static int bh_part_misc(const struct bh_node *n, struct hv_partition_cfg *pc)
{
	const char *s = NULL;

	if (bh_prop_string(n, "bootargs", false, &s) < 0) {
		return -1;
	}
	if (s != NULL && strlen(s) >= HV_MAX_BOOTARGS) {
		bh_node_error(n, "bootargs", "longer than %d characters",
			      HV_MAX_BOOTARGS - 1);
		return -1;
	}
	if (s != NULL) {
		memcpy(pc->bootargs, s, strlen(s) + 1);
	}
	return 0;
}

/*
 * Reads policy property @prop into @out if present (left alone if absent).
 * "inject" is refused for @no_inject (PSCI reset and power-off: there is
 * no faulting access to inject an abort for).
 */
static int bh_part_policy(const struct bh_node *n, const char *prop,
			  bool no_inject, uint8_t *out)
{
	const char *s = NULL;
	int rc = bh_prop_string(n, prop, false, &s);

	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(bh_policies); i++) {
		if (strcmp(s, bh_policies[i]) != 0) {
			continue;
		}
		if (no_inject && i == HV_FAULT_INJECT) {
			bh_node_error(
				n, prop,
				"\"inject\" is not possible here: the guest asked for it with a PSCI call (expected \"log\", \"stop\" or \"restart\") [CFG_E_POLICY]");
			return -1;
		}
		*out = (uint8_t)i;
		return 0;
	}
	bh_node_error(
		n, prop,
		"unknown fault policy \"%s\" (expected \"stop\", \"inject\", \"restart\" or \"log\") [CFG_E_POLICY]",
		s);
	return -1;
}

/*
 * The policy per event: "fault-policy" is the default for traps and
 * stage-2 faults; without it an unhandled trap stops the partition and a
 * stage-2 fault injects a synchronous external abort, which is what an
 * access to unbacked memory gives on hardware (docs/lifecycle.md); a
 * watchdog expiry and SYSTEM_RESET restart and SYSTEM_OFF stops unless
 * the on-* properties say otherwise.
 */
static int bh_part_policies(const struct bh_node *n,
			    struct hv_partition_cfg *pc)
{
	uint8_t dflt = HV_FAULT_POLICIES; /* "fault-policy" absent */

	if (bh_part_policy(n, "fault-policy", false, &dflt) != 0) {
		return -1;
	}
	pc->policy[HV_EV_TRAP] =
		dflt == HV_FAULT_POLICIES ? HV_FAULT_STOP : dflt;
	pc->policy[HV_EV_STAGE2] =
		dflt == HV_FAULT_POLICIES ? HV_FAULT_INJECT : dflt;
	pc->policy[HV_EV_WATCHDOG] = HV_FAULT_RESTART;
	pc->policy[HV_EV_SYSRESET] = HV_FAULT_RESTART;
	pc->policy[HV_EV_SYSOFF] = HV_FAULT_STOP;
	for (int k = 0; k < HV_EVENTS; k++) {
		if (bh_part_policy(n, config_event_props[k],
				   k == HV_EV_SYSRESET || k == HV_EV_SYSOFF,
				   &pc->policy[k]) != 0) {
			return -1;
		}
	}
	return 0;
}

/* Looks up the board devices named in "devices". */
static int bh_part_devnames(struct bh_ctx *ctx, const struct bh_node *n,
			    struct bh_part *bp)
{
	int count = fdt_stringlist_count(n->fdt, n->off, "devices");

	if (count == -FDT_ERR_NOTFOUND) {
		return 0;
	}
	if (count < 0) {
		bh_node_error(n, "devices",
			      "expected a list of strings, \"a\", \"b\"");
		return -1;
	}
	if (count > HV_MAX_BOARD_DEVICES) {
		bh_node_error(n, "devices", "more than %d devices",
			      HV_MAX_BOARD_DEVICES);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		const char *name =
			fdt_stringlist_get(n->fdt, n->off, "devices", i, NULL);
		int idx = name != NULL ? bh_board_find_device(ctx, name) : -1;

		if (idx < 0) {
			bh_node_error(
				n, "devices",
				"\"%s\" is not a device of the board (a child of its /devices node) [CFG_E_DEV_NOT_ON_BOARD]",
				name != NULL ? name : "?");
			return -1;
		}
		for (int j = 0; j < i; j++) {
			if (bp->dev[j] == idx) {
				bh_node_error(
					n, "devices",
					"device \"%s\" is listed twice [CFG_E_DEV_TWO_OWNERS]",
					name);
				return -1;
			}
		}
		bp->dev[i] = idx;
	}
	bp->dev_count = count;
	return 0;
}

/*
 * Memory-bandwidth regulation (docs/isolation.md): "memory-budget" events
 * per "memory-period-us" on each of the partition's cores, both or
 * neither; "memory-event" names the PMU event (default: L2D_CACHE_REFILL
 * or BUS_ACCESS, whichever the core has). The PMU's overflow interrupt is
 * not shared with the guest, so a regulated partition cannot also have
 * the PMU ("pmu").
 */
static int bh_part_regulation(const struct bh_ctx *ctx, const struct bh_node *n,
			      struct hv_partition_cfg *pc)
{
	uint32_t budget = 0, period = 0, event = HV_MEM_EVENT_AUTO;
	int rb, rp, re;

	rb = bh_prop_u32(n, "memory-budget", false, &budget);
	rp = bh_prop_u32(n, "memory-period-us", false, &period);
	re = bh_prop_u32(n, "memory-event", false, &event);
	if (rb < 0 || rp < 0 || re < 0) {
		return -1;
	}
	if (rb != 0 && rp != 0) {
		if (re == 0) {
			bh_node_error(n, "memory-event",
				      "needs memory-budget and memory-period-us [CFG_E_REGULATION]");
			return -1;
		}
		return 0;
	}
	if (rb != 0 || rp != 0) {
		bh_node_error(n, rb != 0 ? "memory-budget" : "memory-period-us",
			      "missing: memory-budget and memory-period-us go together [CFG_E_REGULATION]");
		return -1;
	}
	if (budget == 0 || budget > HV_MEM_BUDGET_MAX) {
		bh_node_error(n, "memory-budget",
			      "%u events is out of range (1 to %u) [CFG_E_REGULATION]",
			      budget, HV_MEM_BUDGET_MAX);
		return -1;
	}
	if (period < HV_MEM_PERIOD_MIN_US || period > HV_MEM_PERIOD_MAX_US) {
		bh_node_error(n, "memory-period-us",
			      "%u us is out of range (%u to %u) [CFG_E_REGULATION]",
			      period, HV_MEM_PERIOD_MIN_US,
			      HV_MEM_PERIOD_MAX_US);
		return -1;
	}
	if (re == 0 && (event == 0 || event > HV_MEM_EVENT_MAX)) {
		bh_node_error(n, "memory-event",
			      "event 0x%x cannot be used (common events 0x01 to 0x%x) [CFG_E_REGULATION]",
			      event, HV_MEM_EVENT_MAX);
		return -1;
	}
	if ((pc->flags & HV_PART_PMU) != 0) {
		bh_node_error(n, "pmu",
			      "a regulated partition (memory-budget) cannot also have the PMU: its overflow interrupt is the hypervisor's [CFG_E_REGULATION]");
		return -1;
	}
	if (ctx->cfg.board.pmu_irq == 0 && ctx->cfg.board.pmu_spis[0] == 0) {
		bh_node_error(n, "memory-budget",
			      "the board describes no PMU interrupt (a pmu node) [CFG_E_REGULATION]");
		return -1;
	}
	pc->mem_budget = budget;
	pc->mem_period_us = period;
	pc->mem_event = event;
	return 0;
}

/**
 * Parses partition node @node of the system description into partition
 * slot @p (zeroed). Unknown properties and child nodes are errors.
 * Returns 0, or -1 after printing the error.
 */
int bh_partition_parse(struct bh_ctx *ctx, int p, int node)
{
	struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	struct bh_part *bp = &ctx->part[p];
	const char *name = fdt_get_name(ctx->system.fdt, node, NULL);
	char what[HV_NAME_LEN + 300];
	struct bh_node n = { ctx->system.path, ctx->system.fdt, node, what };

	bp->node = node;
	snprintf(what, sizeof(what), "partition \"%s\"",
		 name != NULL ? name : "?");
	if (name == NULL || strlen(name) >= HV_NAME_LEN) {
		bh_node_error(
			&n, NULL,
			"the name is longer than %d characters [CFG_E_NAME]",
			HV_NAME_LEN - 1);
		return -1;
	}
	memcpy(pc->name, name, strlen(name) + 1);
	if (bh_check_props(&n, bh_part_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 || bh_part_cpus(&n, pc) != 0 ||
	    bh_part_memory(&n, pc, bp) != 0 ||
	    bh_part_images(&n, pc, bp) != 0 || bh_part_misc(&n, pc) != 0 ||
	    bh_part_policies(&n, pc) != 0 ||
	    bh_part_regulation(ctx, &n, pc) != 0 ||
	    bh_part_devnames(ctx, &n, bp) != 0) {
		return -1;
	}
	return 0;
}

/*
 * Sorts the named board devices of @bp by the base of their first region
 * (insertion sort): the order of their guest device-tree nodes.
 */
static void bh_sort_devs(const struct bh_ctx *ctx, struct bh_part *bp)
{
	const struct hv_board_device *bd = ctx->cfg.board.devices;

	for (int i = 1; i < bp->dev_count; i++) {
		int v = bp->dev[i], j = i;

		while (j > 0 && bd[bp->dev[j - 1]].regs[0].base >
					bd[v].regs[0].base) {
			bp->dev[j] = bp->dev[j - 1];
			j--;
		}
		bp->dev[j] = v;
	}
}

/* One MMIO region of a board device named by a partition. */
struct bh_dev_reg {
	int dev; /* board device index */
	int reg; /* index into its regs[] */
};

static uint64_t bh_reg_base(const struct bh_ctx *ctx, struct bh_dev_reg r)
{
	return ctx->cfg.board.devices[r.dev].regs[r.reg].base;
}

/*
 * Lists the regions of the board devices named by @bp into @out, sorted by
 * physical base (insertion sort). Returns how many.
 */
static int bh_sorted_regs(const struct bh_ctx *ctx, const struct bh_part *bp,
			  struct bh_dev_reg *out)
{
	int n = 0;

	for (int i = 0; i < bp->dev_count; i++) {
		const struct hv_board_device *bd =
			&ctx->cfg.board.devices[bp->dev[i]];

		for (uint32_t k = 0; k < bd->reg_count && k < HV_MAX_DEV_REGS;
		     k++) {
			struct bh_dev_reg v = { bp->dev[i], (int)k };
			int j = n++;

			while (j > 0 && bh_reg_base(ctx, out[j - 1]) >
						bh_reg_base(ctx, v)) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = v;
		}
	}
	return n;
}

/* Adds the interrupts of board device @bd to @dev, skipping duplicates. */
static int bh_merge_irqs(const struct bh_ctx *ctx, int p, struct hv_device *dev,
			 const struct hv_board_device *bd)
{
	for (uint32_t k = 0; k < bd->irq_count && k < HV_MAX_DEV_IRQS; k++) {
		bool seen = false;

		for (uint32_t j = 0; j < dev->irq_count; j++) {
			seen = seen || dev->irqs[j] == bd->irqs[k];
		}
		if (seen) {
			continue;
		}
		if (dev->irq_count == HV_MAX_DEV_IRQS) {
			bh_part_error(
				ctx, p, "devices",
				"the devices in pages 0x%llx+0x%llx have more than %d interrupts together [CFG_E_IRQ_NOT_ON_BOARD]",
				(unsigned long long)dev->pa,
				(unsigned long long)dev->size, HV_MAX_DEV_IRQS);
			return -1;
		}
		dev->irqs[dev->irq_count++] = bd->irqs[k];
	}
	return 0;
}

/*
 * Gives partition @p the StreamID range of every board device behind an
 * SMMU whose pages it has, in board order. Returns 0, or -1 after
 * printing the error.
 */
static int bh_partition_sids(struct bh_ctx *ctx, int p)
{
	struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	const struct hv_board_desc *b = &ctx->cfg.board;

	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *bd = &b->devices[i];

		if (bd->smmu == HV_NO_SMMU || !cfg_part_has_dev(pc, bd)) {
			continue;
		}
		if (pc->sid_count == HV_MAX_PART_SIDS) {
			bh_part_error(
				ctx, p, "devices",
				"more than %d devices behind an SMMU (device \"%.*s\" is one too many) [CFG_E_SID]",
				HV_MAX_PART_SIDS, HV_NAME_LEN, bd->name);
			return -1;
		}
		pc->sids[pc->sid_count++] = (struct hv_sid_range){
			.smmu = bd->smmu,
			.first = bd->sid_first,
			.count = bd->sid_count,
		};
	}
	return 0;
}

/**
 * Builds the device ranges of partition @p from the board devices it names:
 * each region of a board device (most have one; a PCIe host bridge has
 * three) is rounded out to 4 KiB pages, and regions whose pages overlap
 * (e.g. virtio-mmio slots 0x200 apart) become one range named after the
 * first. A board device's interrupts go with the range holding its first
 * region. IPA = PA. Returns 0, or -1 after printing the error.
 */
int bh_partition_devices(struct bh_ctx *ctx, int p)
{
	struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	struct bh_dev_reg regs[HV_MAX_BOARD_DEVICES * HV_MAX_DEV_REGS];
	int n;

	bh_sort_devs(ctx, &ctx->part[p]);
	n = bh_sorted_regs(ctx, &ctx->part[p], regs);

	for (int i = 0; i < n; i++) {
		const struct hv_board_device *bd =
			&ctx->cfg.board.devices[regs[i].dev];
		const struct hv_region *r = &bd->regs[regs[i].reg];
		uint64_t start = r->base & ~(SZ_4K - 1);
		uint64_t end = (r->base + r->size + SZ_4K - 1) & ~(SZ_4K - 1);
		struct hv_device *dev = NULL;

		if (pc->device_count > 0) {
			dev = &pc->devices[pc->device_count - 1];
		}
		if (dev == NULL || start >= dev->pa + dev->size) {
			if (pc->device_count == HV_MAX_DEVICES) {
				bh_part_error(
					ctx, p, "devices",
					"more than %d separate device ranges [CFG_E_DEV_NOT_ON_BOARD]",
					HV_MAX_DEVICES);
				return -1;
			}
			dev = &pc->devices[pc->device_count++];
			memcpy(dev->name, bd->name, sizeof(dev->name));
			dev->pa = start;
			dev->ipa = start;
			dev->size = 0;
		}
		if (end > dev->pa + dev->size) {
			dev->size = end - dev->pa;
		}
		if (regs[i].reg == 0 &&
		    bh_merge_irqs(ctx, p, dev, bd) != 0) {
			return -1;
		}
	}
	return bh_partition_sids(ctx, p);
}

/**
 * Resolves every partition's `monitor` list (names of partitions whose
 * counters it may read) into its monitor mask, once all partitions are
 * parsed. Returns 0, or -1 after printing the error.
 */
int bh_partition_monitors(struct bh_ctx *ctx)
{
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
		const void *fdt = ctx->system.fdt;
		int node = ctx->part[p].node;
		int count = fdt_stringlist_count(fdt, node, "monitor");

		if (count == -FDT_ERR_NOTFOUND) {
			continue;
		}
		if (count <= 0) {
			bh_part_error(ctx, (int)p, "monitor",
				      "expected a list of partition names, \"a\", \"b\"");
			return -1;
		}
		for (int i = 0; i < count; i++) {
			const char *name =
				fdt_stringlist_get(fdt, node, "monitor", i, NULL);
			uint32_t q = 0;

			while (q < ctx->cfg.partition_count && name != NULL &&
			       strcmp(ctx->cfg.partitions[q].name, name) != 0) {
				q++;
			}
			if (q == ctx->cfg.partition_count) {
				bh_part_error(
					ctx, (int)p, "monitor",
					"\"%s\" is not a partition of this system [CFG_E_MONITOR]",
					name != NULL ? name : "?");
				return -1;
			}
			if (pc->monitor_mask & (1u << q)) {
				bh_part_error(
					ctx, (int)p, "monitor",
					"partition \"%s\" is listed twice [CFG_E_MONITOR]",
					name);
				return -1;
			}
			pc->monitor_mask |= 1u << q;
		}
	}
	return 0;
}
