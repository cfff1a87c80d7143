/* SPDX-License-Identifier: MIT */
/*
 * Generating each partition's device tree with libfdt's sequential-write
 * API. The partition looks like a small QEMU virt machine: RAM, its vCPUs
 * (PSCI over HVC), the architected timer, a GIC at 0x08000000, a PL011 at
 * 0x09000000 (emulated), and the passthrough devices copied from the board.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"

/* Propagates a negative libfdt result. */
#define BH_TRY(expr)                   \
	do {                           \
		int bh_rc_ = (expr);   \
		if (bh_rc_ < 0) {      \
			return bh_rc_; \
		}                      \
	} while (0)

/* Arm architected timer PPIs on QEMU virt: secure, non-secure, virt, hyp. */
static const uint32_t bh_timer_ppis[4] = { 13, 14, 11, 10 };
#define BH_IRQ_TYPE_LEVEL_HIGH 4u
#define BH_GIC_PPI 1u
#define BH_GICV2_DT_CPU_SIZE 0x2000ULL
#define BH_APB_CLOCK_HZ 24000000u

static int bh_prop_cells64(void *fdt, const char *name, const uint64_t *v,
			   int n)
{
	fdt64_t cells[8];

	for (int i = 0; i < n && i < 8; i++) {
		cells[i] = cpu_to_fdt64(v[i]);
	}
	return fdt_property(fdt, name, cells, (int)sizeof(cells[0]) * n);
}

/* An empty (boolean) property. */
static int bh_prop_empty(void *fdt, const char *name)
{
	void *unused;

	return fdt_property_placeholder(fdt, name, 0, &unused);
}

static int bh_dt_root(void *fdt, const struct hv_partition_cfg *pc)
{
	char model[HV_NAME_LEN + 32];

	snprintf(model, sizeof(model), "Bulkhead partition %s", pc->name);
	BH_TRY(fdt_property_u32(fdt, "#address-cells", 2));
	BH_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	BH_TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	BH_TRY(fdt_property_string(fdt, "model", model));
	return fdt_property_u32(fdt, "interrupt-parent", BH_PHANDLE_GIC);
}

static int bh_dt_memory_cpus(void *fdt, const struct hv_partition_cfg *pc)
{
	uint64_t reg[2] = { pc->ram_ipa, pc->ram_size };
	char name[40];

	snprintf(name, sizeof(name), "memory@%" PRIx64, pc->ram_ipa);
	BH_TRY(fdt_begin_node(fdt, name));
	BH_TRY(fdt_property_string(fdt, "device_type", "memory"));
	BH_TRY(bh_prop_cells64(fdt, "reg", reg, 2));
	BH_TRY(fdt_end_node(fdt));
	BH_TRY(fdt_begin_node(fdt, "cpus"));
	BH_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	BH_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (uint32_t i = 0; i < pc->cpu_count && i < HV_MAX_CPUS; i++) {
		snprintf(name, sizeof(name), "cpu@%" PRIx32, i);
		BH_TRY(fdt_begin_node(fdt, name));
		BH_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		BH_TRY(fdt_property_string(fdt, "compatible",
					   "arm,cortex-a53"));
		BH_TRY(fdt_property_u32(fdt, "reg", i));
		BH_TRY(fdt_property_string(fdt, "enable-method", "psci"));
		BH_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int bh_dt_psci_timer(void *fdt, const struct bh_ctx *ctx,
			    const struct hv_partition_cfg *pc)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";
	uint32_t flags = BH_IRQ_TYPE_LEVEL_HIGH;
	fdt32_t irqs[12];

	if (ctx->cfg.board.gic_version == HV_GIC_V2) {
		/* GICv2 PPI specifiers carry a CPU mask in bits 15:8. */
		uint32_t n = pc->cpu_count > 8 ? 8 : pc->cpu_count;

		flags |= ((1u << n) - 1u) << 8;
	}
	for (size_t i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(BH_GIC_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(bh_timer_ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(flags);
	}
	BH_TRY(fdt_begin_node(fdt, "psci"));
	BH_TRY(fdt_property(fdt, "compatible", psci, sizeof(psci)));
	BH_TRY(fdt_property_string(fdt, "method", "hvc"));
	BH_TRY(fdt_end_node(fdt));
	BH_TRY(fdt_begin_node(fdt, "timer"));
	BH_TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	BH_TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	return fdt_end_node(fdt);
}

static int bh_dt_gic(void *fdt, const struct bh_ctx *ctx,
		     const struct hv_partition_cfg *pc)
{
	bool v3 = ctx->cfg.board.gic_version == HV_GIC_V3;
	uint64_t reg[4] = { HV_GUEST_GICD_IPA, HV_GUEST_GICD_SIZE,
			    HV_GUEST_GICC_IPA, BH_GICV2_DT_CPU_SIZE };
	char name[40];

	if (v3) {
		reg[2] = HV_GUEST_GICR_IPA;
		reg[3] = HV_GUEST_GICR_STRIDE * pc->cpu_count;
	}
	snprintf(name, sizeof(name), "intc@%llx", HV_GUEST_GICD_IPA);
	BH_TRY(fdt_begin_node(fdt, name));
	BH_TRY(fdt_property_u32(fdt, "phandle", BH_PHANDLE_GIC));
	BH_TRY(fdt_property_string(fdt, "compatible",
				   v3 ? "arm,gic-v3" : "arm,cortex-a15-gic"));
	BH_TRY(bh_prop_cells64(fdt, "reg", reg, 4));
	if (v3) {
		BH_TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	}
	BH_TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	BH_TRY(bh_prop_empty(fdt, "interrupt-controller"));
	BH_TRY(fdt_property_u32(fdt, "#address-cells", BH_GIC_ADDR_CELLS));
	BH_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	BH_TRY(bh_prop_empty(fdt, "ranges"));
	return fdt_end_node(fdt);
}

static int bh_dt_clk_uart(void *fdt)
{
	static const char pl011[] = "arm,pl011\0arm,primecell";
	static const char clk_names[] = "uartclk\0apb_pclk";
	fdt32_t clocks[2] = { cpu_to_fdt32(BH_PHANDLE_CLK),
			      cpu_to_fdt32(BH_PHANDLE_CLK) };
	fdt32_t irq[3] = { cpu_to_fdt32(0),
			   cpu_to_fdt32(HV_GUEST_UART_INTID - HV_SPI_BASE),
			   cpu_to_fdt32(BH_IRQ_TYPE_LEVEL_HIGH) };
	uint64_t reg[2] = { HV_GUEST_UART_IPA, HV_GUEST_UART_SIZE };
	char name[40];

	BH_TRY(fdt_begin_node(fdt, "apb-pclk"));
	BH_TRY(fdt_property_u32(fdt, "phandle", BH_PHANDLE_CLK));
	BH_TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	BH_TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	BH_TRY(fdt_property_u32(fdt, "clock-frequency", BH_APB_CLOCK_HZ));
	BH_TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	BH_TRY(fdt_end_node(fdt));
	snprintf(name, sizeof(name), "pl011@%llx", HV_GUEST_UART_IPA);
	BH_TRY(fdt_begin_node(fdt, name));
	BH_TRY(fdt_property(fdt, "compatible", pl011, sizeof(pl011)));
	BH_TRY(bh_prop_cells64(fdt, "reg", reg, 2));
	BH_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	BH_TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	BH_TRY(fdt_property(fdt, "clock-names", clk_names, sizeof(clk_names)));
	return fdt_end_node(fdt);
}

/*
 * The virtual SP805 every partition has (docs/lifecycle.md): a PrimeCell
 * whose WDOGCLK and APB clock are the partition's 24 MHz apb-pclk, so
 * Linux's sp805_wdt computes its timeouts from it. No interrupt: WDOGINT
 * is not connected.
 */
static int bh_dt_watchdog(void *fdt)
{
	static const char sp805[] = "arm,sp805\0arm,primecell";
	static const char clk_names[] = "wdog_clk\0apb_pclk";
	fdt32_t clocks[2] = { cpu_to_fdt32(BH_PHANDLE_CLK),
			      cpu_to_fdt32(BH_PHANDLE_CLK) };
	uint64_t reg[2] = { HV_GUEST_WDOG_IPA, HV_GUEST_WDOG_SIZE };
	char name[40];

	snprintf(name, sizeof(name), "watchdog@%llx", HV_GUEST_WDOG_IPA);
	BH_TRY(fdt_begin_node(fdt, name));
	BH_TRY(fdt_property(fdt, "compatible", sp805, sizeof(sp805)));
	BH_TRY(bh_prop_cells64(fdt, "reg", reg, 2));
	BH_TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	BH_TRY(fdt_property(fdt, "clock-names", clk_names, sizeof(clk_names)));
	return fdt_end_node(fdt);
}

/*
 * A monitor partition's read-only counter pages: one 4 KiB page per
 * partition it may watch, in partition order; `partitions` names them in
 * the same order. No driver binds to it (read through /dev/mem).
 */
static int bh_dt_monitor(void *fdt, const struct bh_ctx *ctx,
			 const struct hv_partition_cfg *pc)
{
	char names[HV_MAX_PARTITIONS * HV_NAME_LEN];
	uint64_t reg[2] = { HV_GUEST_MONITOR_IPA, 0 };
	size_t len = 0;
	char name[40];

	if (pc->monitor_mask == 0) {
		return 0;
	}
	for (uint32_t q = 0; q < ctx->cfg.partition_count; q++) {
		const char *n = ctx->cfg.partitions[q].name;

		if (pc->monitor_mask & (1u << q)) {
			memcpy(names + len, n, strlen(n) + 1);
			len += strlen(n) + 1;
			reg[1] += HV_GUEST_MONITOR_PAGE;
		}
	}
	snprintf(name, sizeof(name), "monitor@%llx", HV_GUEST_MONITOR_IPA);
	BH_TRY(fdt_begin_node(fdt, name));
	BH_TRY(fdt_property_string(fdt, "compatible", "bulkhead,monitor"));
	BH_TRY(bh_prop_cells64(fdt, "reg", reg, 2));
	BH_TRY(fdt_property(fdt, "partitions", names, (int)len));
	return fdt_end_node(fdt);
}

/** Guest address of physical address @pa of a device the partition owns. */
uint64_t bh_dt_guest_addr(const struct hv_partition_cfg *pc, uint64_t pa)
{
	for (uint32_t i = 0; i < pc->device_count && i < HV_MAX_DEVICES; i++) {
		const struct hv_device *d = &pc->devices[i];

		if (pa >= d->pa && pa - d->pa < d->size) {
			return pa - d->pa + d->ipa;
		}
	}
	return pa;
}

/* Writes one property of a copied board device, adjusting what must be. */
static int bh_dt_copy_prop(void *fdt, const char *name, const void *val,
			   int len, const struct hv_partition_cfg *pc)
{
	if (strcmp(name, "phandle") == 0 ||
	    strcmp(name, "linux,phandle") == 0 ||
	    strcmp(name, "interrupt-parent") == 0) {
		return 0; /* our own phandles and parent apply */
	}
	if (strcmp(name, "bus-master") == 0 ||
	    strcmp(name, "stream-ids") == 0) {
		return 0; /* for bhcfg: the partition sees no SMMU */
	}
	if (strcmp(name, "reg") == 0 && len % 16 == 0) {
		fdt32_t *cells;

		/* Each <base size> range (2 + 2 cells): base to guest. */
		BH_TRY(fdt_property_placeholder(fdt, name, len,
						(void **)&cells));
		memcpy(cells, val, (size_t)len);
		for (size_t k = 0; k < (size_t)len / 16; k++) {
			uint64_t pa = ((uint64_t)fdt32_to_cpu(cells[4 * k])
				       << 32) |
				      fdt32_to_cpu(cells[4 * k + 1]);
			uint64_t ga = bh_dt_guest_addr(pc, pa);

			cells[4 * k] = cpu_to_fdt32((uint32_t)(ga >> 32));
			cells[4 * k + 1] = cpu_to_fdt32((uint32_t)ga);
		}
		return 0;
	}
	if (strcmp(name, "clocks") == 0 && len % 4 == 0) {
		fdt32_t *cells;

		/* A partition has one clock: every reference points at it. */
		BH_TRY(fdt_property_placeholder(fdt, name, len,
						(void **)&cells));
		for (int i = 0; i < len / 4; i++) {
			cells[i] = cpu_to_fdt32(BH_PHANDLE_CLK);
		}
		return 0;
	}
	return fdt_property(fdt, name, val, len);
}

static int bh_dt_devices(void *fdt, const struct bh_ctx *ctx, int p)
{
	const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	const struct bh_part *bp = &ctx->part[p];
	const void *bfdt = ctx->board.fdt;

	for (int i = 0; i < bp->dev_count; i++) {
		const struct hv_board_device *bd =
			&ctx->cfg.board.devices[bp->dev[i]];
		int node = ctx->board_dev_node[bp->dev[i]];
		bool pci = (bd->flags & HV_DEV_PCI_HOST) != 0;
		int prop;

		BH_TRY(fdt_begin_node(fdt, bd->name));
		fdt_for_each_property_offset(prop, bfdt, node) {
			const char *name = NULL;
			int len = 0;
			const void *val =
				fdt_getprop_by_offset(bfdt, prop, &name, &len);

			if (val == NULL || name == NULL) {
				return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
			}
			if (pci && bh_pci_prop_generated(name)) {
				continue;
			}
			BH_TRY(bh_dt_copy_prop(fdt, name, val, len, pc));
		}
		if (pci) {
			BH_TRY(bh_dt_pci_host(fdt, ctx, pc, bd, node));
		}
		BH_TRY(fdt_end_node(fdt));
	}
	return 0;
}

static int bh_dt_chosen(void *fdt, const struct hv_partition_cfg *pc)
{
	char path[40];

	snprintf(path, sizeof(path), "/pl011@%llx", HV_GUEST_UART_IPA);
	BH_TRY(fdt_begin_node(fdt, "chosen"));
	if (pc->bootargs[0] != '\0') {
		BH_TRY(fdt_property_string(fdt, "bootargs", pc->bootargs));
	}
	BH_TRY(fdt_property_string(fdt, "stdout-path", path));
	if (pc->initrd.size != 0) {
		uint64_t start = pc->ram_ipa + pc->initrd.offset;

		BH_TRY(fdt_property_u64(fdt, "linux,initrd-start", start));
		BH_TRY(fdt_property_u64(fdt, "linux,initrd-end",
					start + pc->initrd.size));
	}
	return fdt_end_node(fdt);
}

static int bh_dt_write(void *fdt, const struct bh_ctx *ctx, int p)
{
	const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];

	BH_TRY(fdt_create(fdt, (int)BH_DTB_MAX));
	BH_TRY(fdt_finish_reservemap(fdt));
	BH_TRY(fdt_begin_node(fdt, ""));
	BH_TRY(bh_dt_root(fdt, pc));
	BH_TRY(bh_dt_memory_cpus(fdt, pc));
	BH_TRY(bh_dt_psci_timer(fdt, ctx, pc));
	BH_TRY(bh_dt_gic(fdt, ctx, pc));
	BH_TRY(bh_dt_clk_uart(fdt));
	BH_TRY(bh_dt_watchdog(fdt));
	BH_TRY(bh_dt_monitor(fdt, ctx, pc));
	BH_TRY(bh_dt_devices(fdt, ctx, p));
	BH_TRY(bh_dt_channels(fdt, ctx, p));
	BH_TRY(bh_dt_chosen(fdt, pc));
	BH_TRY(fdt_end_node(fdt));
	BH_TRY(fdt_finish(fdt));
	BH_TRY(fdt_pack(fdt));
	return fdt_check_full(fdt, BH_DTB_MAX);
}

/**
 * Generates partition @p's device tree into ctx->part[p].dtb and records
 * its size in the partition's dtb blob. Needs the partition's RAM, blobs
 * and devices laid out. Returns 0, or -1 after printing the error.
 */
int bh_guest_dt_build(struct bh_ctx *ctx, int p)
{
	struct bh_part *bp = &ctx->part[p];
	void *fdt = calloc(1, BH_DTB_MAX);
	int rc;

	if (fdt == NULL) {
		bh_part_error(ctx, p, NULL, "out of memory");
		return -1;
	}
	rc = bh_dt_write(fdt, ctx, p);
	if (rc < 0) {
		bh_part_error(ctx, p, NULL,
			      "cannot generate the partition device tree: %s",
			      rc == -FDT_ERR_NOSPACE ? "larger than 64 KiB"
						     : fdt_strerror(rc));
		free(fdt);
		return -1;
	}
	free(bp->dtb);
	bp->dtb = fdt;
	bp->dtb_size = fdt_totalsize(fdt);
	ctx->cfg.partitions[p].dtb.size = bp->dtb_size;
	return 0;
}
