/* SPDX-License-Identifier: MIT */
/*
 * Parsing the board description (boards/<board>/board.dts) into
 * struct hv_board_desc. Only the shape of the input is checked here (which
 * nodes and properties exist, their lengths, the interrupt specifier form);
 * whether the values make sense is config_validate()'s job.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"

/* Interrupt specifier cell 0 (GIC binding): 0 = SPI, 1 = PPI. */
#define BH_GIC_SPI 0u

static const char *const bh_root_props[] = { "compatible", "model",
					     "#address-cells", "#size-cells",
					     NULL };
static const char *const bh_root_nodes[] = {
	"cpus",	  "memory",  "hypervisor", "gic",  "uart", "devices",
	"clocks", "aliases", "chosen",	   "smmu", "llc",  "pmu",
	NULL
};
static const char *const bh_pmu_props[] = { "interrupts", NULL };
static const char *const bh_llc_props[] = { "cache-size", "cache-ways",
					    NULL };
static const char *const bh_cells_props[] = { "#address-cells", "#size-cells",
					      "ranges", NULL };
static const char *const bh_cpu_nodes[] = { "cpu", NULL };
static const char *const bh_memory_props[] = { "device_type", "reg", NULL };
static const char *const bh_reg_props[] = { "reg", NULL };
static const char *const bh_gic_props[] = { "version",	     "spi-count",
					    "distributor",   "redistributors",
					    "cpu-interface", "virtual-control",
					    "virtual-cpu",   NULL };
static const char *const bh_smmu_props[] = { "compatible",	"reg",
					     "interrupts",	"interrupt-names",
					     "dma-coherent", "#iommu-cells",
					     NULL };
static const char *const bh_uart_props[] = { "compatible",  "reg",
					     "interrupts",  "clocks",
					     "clock-names", "current-speed",
					     NULL };

/* Converts a GIC SPI number to an INTID without wrapping. */
static uint32_t bh_spi_intid(uint32_t spi)
{
	return spi > UINT32_MAX - HV_SPI_BASE ? UINT32_MAX : spi + HV_SPI_BASE;
}

static int bh_board_cpus(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n, c;
	char what[300], cwhat[300];
	int child;

	if (bh_node_at(root, "cpus", true, &n, what, sizeof(what)) != 0 ||
	    bh_check_props(&n, bh_cells_props) != 0 ||
	    bh_check_children(&n, bh_cpu_nodes) != 0) {
		return -1;
	}
	c = n;
	c.what = cwhat;
	fdt_for_each_subnode(child, n.fdt, n.off) {
		const uint8_t *reg;
		int count;

		if (b->cpu_count == HV_MAX_CPUS) {
			bh_node_error(&n, NULL, "more than %d cores",
				      HV_MAX_CPUS);
			return -1;
		}
		c.off = child;
		snprintf(cwhat, sizeof(cwhat), "node \"/cpus/%s\"",
			 fdt_get_name(n.fdt, child, NULL));
		if (bh_prop_cells(&c, "reg", true, 1, &reg, &count) != 0) {
			return -1;
		}
		/* MPIDR: one cell, or two with #address-cells = <2>. */
		if (count == 1) {
			b->cpu_mpidr[b->cpu_count++] = bh_cell(reg, 0);
		} else if (count == 2) {
			b->cpu_mpidr[b->cpu_count++] =
				((uint64_t)bh_cell(reg, 0) << 32) |
				bh_cell(reg, 1);
		} else {
			bh_node_error(&c, "reg",
				      "expected the MPIDR as one or two cells");
			return -1;
		}
	}
	return 0;
}

static int bh_board_memory(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n;
	char what[300];
	const uint8_t *cells;
	int count;

	if (bh_node_at(root, "memory", true, &n, what, sizeof(what)) != 0 ||
	    bh_check_props(&n, bh_memory_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_cells(&n, "reg", true, 4, &cells, &count) != 0) {
		return -1;
	}
	if (count == 0 || count > HV_MAX_RAM_BANKS) {
		bh_node_error(&n, "reg", "needs 1..%d RAM ranges, has %d",
			      HV_MAX_RAM_BANKS, count);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		b->ram[i].base = ((uint64_t)bh_cell(cells, 4 * i) << 32) |
				 bh_cell(cells, 4 * i + 1);
		b->ram[i].size = ((uint64_t)bh_cell(cells, 4 * i + 2) << 32) |
				 bh_cell(cells, 4 * i + 3);
	}
	b->ram_count = (uint32_t)count;
	if (bh_node_at(root, "hypervisor", true, &n, what, sizeof(what)) != 0 ||
	    bh_check_props(&n, bh_reg_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_reg(&n, "reg", true, &b->hv_base, &b->hv_size) != 0) {
		return -1;
	}
	return 0;
}

/*
 * The optional last-level cache node: its size and ways give the way size,
 * and with 4 KiB pages the number of colours (docs/isolation.md).
 */
static int bh_board_llc(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n;
	char what[300];
	uint32_t size, ways;
	int rc;

	rc = bh_node_at(root, "llc", false, &n, what, sizeof(what));
	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, bh_llc_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_u32(&n, "cache-size", true, &size) != 0 ||
	    bh_prop_u32(&n, "cache-ways", true, &ways) != 0) {
		return -1;
	}
	if (ways == 0 || size % ways != 0 || (size / ways) % SZ_4K != 0) {
		bh_node_error(&n, "cache-size",
			      "0x%x bytes in %u ways is not a whole number of 4 KiB pages per way [CFG_E_BOARD]",
			      size, ways);
		return -1;
	}
	b->llc_colours = (uint32_t)((size / ways) / SZ_4K);
	return 0;
}

/*
 * The optional PMU node: its overflow interrupt, needed to regulate a
 * partition (docs/isolation.md), in the GIC binding's cells: either one
 * PPI every core has, <1 ppi-number flags>, or one SPI per board core in
 * core order, <0 spi-number 4> each (level-sensitive, high), as the
 * Cortex-A53 cluster of the ZynqMP and the BCM2711 wire them. The SPIs
 * are the hypervisor's (core/config_validate.c refuses them to
 * partitions).
 */
static int bh_board_pmu(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n;
	char what[300];
	const uint8_t *cells;
	int count, rc;

	rc = bh_node_at(root, "pmu", false, &n, what, sizeof(what));
	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, bh_pmu_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_cells(&n, "interrupts", true, 3, &cells, &count) != 0) {
		return -1;
	}
	if (count == 1 && bh_cell(cells, 0) == 1u) {
		if (bh_cell(cells, 1) > 15u) {
			bh_node_error(&n, "interrupts",
				      "PPI %u: ppi-number must be 0-15 [CFG_E_BOARD]",
				      bh_cell(cells, 1));
			return -1;
		}
		b->pmu_irq = 16u + bh_cell(cells, 1);
		return 0;
	}
	if ((uint32_t)count != b->cpu_count) {
		bh_node_error(&n, "interrupts",
			      "expected one PPI, <1 ppi-number flags>, or one SPI per core (%u), <0 spi-number 4> each; found %d entries [CFG_E_BOARD]",
			      b->cpu_count, count);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		uint32_t spi = bh_cell(cells, 3 * i + 1);

		if (bh_cell(cells, 3 * i) != 0u ||
		    bh_cell(cells, 3 * i + 2) != 4u ||
		    spi >= b->spi_count) {
			bh_node_error(&n, "interrupts",
				      "entry %d (core %d): expected an SPI of the board, <0 spi-number 4> (level-sensitive, spi-number below gic/spi-count %u) [CFG_E_BOARD]",
				      i, i, b->spi_count);
			return -1;
		}
		for (int k = 0; k < i; k++) {
			if (b->pmu_spis[k] == HV_SPI_BASE + spi) {
				bh_node_error(&n, "interrupts",
					      "SPI %u is given to cores %d and %d: each core needs its own [CFG_E_BOARD]",
					      spi, k, i);
				return -1;
			}
		}
		b->pmu_spis[i] = HV_SPI_BASE + spi;
	}
	return 0;
}

static int bh_board_gic(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n;
	char what[300];
	bool v2;

	if (bh_node_at(root, "gic", true, &n, what, sizeof(what)) != 0 ||
	    bh_check_props(&n, bh_gic_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_u32(&n, "version", true, &b->gic_version) != 0 ||
	    bh_prop_u32(&n, "spi-count", true, &b->spi_count) != 0 ||
	    bh_prop_u64(&n, "distributor", true, &b->gicd_base) != 0) {
		return -1;
	}
	v2 = b->gic_version == HV_GIC_V2;
	if (bh_prop_u64(&n, "redistributors", !v2, &b->gicr_base) < 0 ||
	    bh_prop_u64(&n, "cpu-interface", v2, &b->gicc_base) < 0 ||
	    bh_prop_u64(&n, "virtual-control", v2, &b->gich_base) < 0 ||
	    bh_prop_u64(&n, "virtual-cpu", v2, &b->gicv_base) < 0) {
		return -1;
	}
	return 0;
}

static int bh_board_uart(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n;
	char what[300];
	uint64_t size;
	const uint8_t *irq;
	int count;

	if (bh_node_at(root, "uart", true, &n, what, sizeof(what)) != 0 ||
	    bh_check_props(&n, bh_uart_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_reg(&n, "reg", true, &b->uart_base, &size) != 0 ||
	    bh_prop_cells(&n, "interrupts", true, 3, &irq, &count) != 0) {
		return -1;
	}
	if (fdt_node_check_compatible(n.fdt, n.off, "arm,pl011") == 0) {
		b->uart_kind = HV_UART_PL011;
	} else if (fdt_node_check_compatible(n.fdt, n.off, "cdns,uart-r1p12") ==
		   0) {
		b->uart_kind = HV_UART_CADENCE;
	} else {
		bh_node_error(
			&n, "compatible",
			"unknown UART (expected \"arm,pl011\" or \"cdns,uart-r1p12\")");
		return -1;
	}
	if (count != 1 || bh_cell(irq, 0) != BH_GIC_SPI) {
		bh_node_error(&n, "interrupts",
			      "expected one SPI, <0 spi-number flags>");
		return -1;
	}
	b->uart_irq = bh_spi_intid(bh_cell(irq, 1));
	return 0;
}

/*
 * The INTID of the SPI named @want in the node's "interrupt-names" (the
 * specifier at the same index of "interrupts"), or 0 after an error.
 */
static uint32_t bh_named_spi(const struct bh_node *n, const char *want)
{
	const uint8_t *irq;
	int count, idx;

	if (bh_prop_cells(n, "interrupts", true, 3, &irq, &count) != 0) {
		return 0;
	}
	idx = fdt_stringlist_search(n->fdt, n->off, "interrupt-names", want);
	if (idx < 0 || idx >= count) {
		bh_node_error(n, "interrupt-names",
			      "needs \"%s\", naming one of \"interrupts\"",
			      want);
		return 0;
	}
	if (bh_cell(irq, 3 * idx) != BH_GIC_SPI) {
		bh_node_error(n, "interrupts",
			      "the \"%s\" interrupt is not an SPI", want);
		return 0;
	}
	return bh_spi_intid(bh_cell(irq, 3 * idx + 1));
}

/*
 * The optional top-level "smmu" node: an Arm SMMUv3 the hypervisor owns.
 * Its interrupts named "eventq" and "gerror" are the ones it uses.
 */
static int bh_board_smmu(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct hv_smmu_desc *s = &b->smmus[0];
	struct bh_node n;
	char what[300];
	int rc = bh_node_at(root, "smmu", false, &n, what, sizeof(what));

	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, bh_smmu_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_prop_reg(&n, "reg", true, &s->base, &s->size) != 0) {
		return -1;
	}
	if (fdt_node_check_compatible(n.fdt, n.off, "arm,smmu-v3") != 0) {
		bh_node_error(&n, "compatible",
			      "unknown SMMU (expected \"arm,smmu-v3\")");
		return -1;
	}
	s->evtq_irq = bh_named_spi(&n, "eventq");
	s->gerror_irq = s->evtq_irq != 0 ? bh_named_spi(&n, "gerror") : 0;
	if (s->gerror_irq == 0) {
		return -1;
	}
	b->smmu_count = 1;
	return 0;
}

/*
 * A device's DMA properties: "bus-master" (it can master the bus) and, if
 * the board's SMMU is in front of it, "stream-ids = <first count>". A
 * device compatible with "pci-host-ecam-generic" is a PCIe host bridge:
 * reg is its ECAM, 32-bit memory window and I/O window; interrupts are
 * INTA..INTD.
 */
static int bh_board_dev_dma(const struct bh_ctx *ctx, const struct bh_node *dn,
			    struct hv_board_device *dev)
{
	const uint8_t *sids;
	int count = 0, rc;
	bool master;

	if (bh_prop_bool(dn, "bus-master", &master) != 0) {
		return -1;
	}
	dev->flags |= master ? HV_DEV_BUS_MASTER : 0u;
	if (fdt_node_check_compatible(dn->fdt, dn->off,
				      "pci-host-ecam-generic") == 0) {
		dev->flags |= HV_DEV_PCI_HOST;
	}
	rc = bh_prop_cells(dn, "stream-ids", false, 2, &sids, &count);
	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (count != 1 || !master || ctx->cfg.board.smmu_count == 0) {
		bh_node_error(
			dn, "stream-ids",
			"expected one <first count> range, on a bus-master device, with an smmu node on the board");
		return -1;
	}
	dev->smmu = 0;
	dev->sid_first = bh_cell(sids, 0);
	dev->sid_count = bh_cell(sids, 1);
	return 0;
}

/* Reads the device's "reg": 1..HV_MAX_DEV_REGS <base size> ranges. */
static int bh_board_dev_regs(const struct bh_node *dn,
			     struct hv_board_device *dev)
{
	const uint8_t *cells;
	int count;

	if (bh_prop_cells(dn, "reg", true, 4, &cells, &count) != 0) {
		return -1;
	}
	if (count == 0 || count > HV_MAX_DEV_REGS) {
		bh_node_error(dn, "reg", "needs 1..%d ranges, has %d",
			      HV_MAX_DEV_REGS, count);
		return -1;
	}
	for (int k = 0; k < count; k++) {
		struct hv_region *r = &dev->regs[k];

		r->base = ((uint64_t)bh_cell(cells, 4 * k) << 32) |
			  bh_cell(cells, 4 * k + 1);
		r->size = ((uint64_t)bh_cell(cells, 4 * k + 2) << 32) |
			  bh_cell(cells, 4 * k + 3);
		if (r->size == 0 || r->base > UINT64_MAX - SZ_4K ||
		    r->size > UINT64_MAX - SZ_4K - r->base) {
			bh_node_error(dn, "reg",
				      "range %d is empty or wraps around", k);
			return -1;
		}
	}
	dev->reg_count = (uint32_t)count;
	return 0;
}

/* Parses one child of /devices into board device slot @i. */
static int bh_board_device(struct bh_ctx *ctx, struct bh_node *dn, int i)
{
	struct hv_board_device *dev = &ctx->cfg.board.devices[i];
	const char *name = fdt_get_name(dn->fdt, dn->off, NULL);
	const uint8_t *irq;
	int count = 0;

	if (name == NULL || strlen(name) >= HV_NAME_LEN) {
		bh_node_error(dn, NULL,
			      "device node name longer than %d characters",
			      HV_NAME_LEN - 1);
		return -1;
	}
	memcpy(dev->name, name, strlen(name) + 1);
	dev->smmu = HV_NO_SMMU;
	if (bh_check_children(dn, NULL) != 0 || bh_board_dev_regs(dn, dev) != 0 ||
	    bh_board_dev_dma(ctx, dn, dev) != 0 ||
	    bh_prop_cells(dn, "interrupts", false, 3, &irq, &count) < 0) {
		return -1;
	}
	if (count > HV_MAX_DEV_IRQS) {
		bh_node_error(dn, "interrupts", "more than %d interrupts",
			      HV_MAX_DEV_IRQS);
		return -1;
	}
	for (int k = 0; k < count; k++) {
		if (bh_cell(irq, 3 * k) != BH_GIC_SPI) {
			bh_node_error(
				dn, "interrupts",
				"interrupt %d is not an SPI (<0 spi-number flags>); only SPIs can be passed through",
				k);
			return -1;
		}
		dev->irqs[k] = bh_spi_intid(bh_cell(irq, 3 * k + 1));
	}
	dev->irq_count = (uint32_t)count;
	ctx->board_dev_node[i] = dn->off;
	return 0;
}

static int bh_board_devices(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct hv_board_desc *b = &ctx->cfg.board;
	struct bh_node n, dn;
	char what[300], dwhat[300];
	int child, rc;

	rc = bh_node_at(root, "devices", false, &n, what, sizeof(what));
	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, bh_cells_props) != 0) {
		return -1;
	}
	dn = n;
	dn.what = dwhat;
	fdt_for_each_subnode(child, n.fdt, n.off) {
		if (b->device_count == HV_MAX_BOARD_DEVICES) {
			bh_node_error(&n, NULL, "more than %d devices",
				      HV_MAX_BOARD_DEVICES);
			return -1;
		}
		dn.off = child;
		snprintf(dwhat, sizeof(dwhat), "node \"/devices/%s\"",
			 fdt_get_name(n.fdt, child, NULL));
		if (bh_board_device(ctx, &dn, (int)b->device_count) != 0) {
			return -1;
		}
		b->device_count++;
	}
	return 0;
}

/**
 * Parses ctx->board (already loaded and checked) into ctx->cfg.board and
 * ctx->board_dev_node. Returns 0, or -1 after printing the error.
 */
int bh_board_parse(struct bh_ctx *ctx)
{
	struct bh_node root = { ctx->board.path, ctx->board.fdt, 0,
				"node \"/\"" };
	const char *model;
	uint32_t ac, sc;

	if (fdt_node_check_compatible(root.fdt, 0, "bulkhead,board") != 0) {
		bh_node_error(
			&root, "compatible",
			"not a Bulkhead board description (needs \"bulkhead,board\")");
		return -1;
	}
	if (bh_check_props(&root, bh_root_props) != 0 ||
	    bh_check_children(&root, bh_root_nodes) != 0 ||
	    bh_prop_u32(&root, "#address-cells", true, &ac) != 0 ||
	    bh_prop_u32(&root, "#size-cells", true, &sc) != 0 ||
	    bh_prop_string(&root, "model", true, &model) != 0) {
		return -1;
	}
	if (ac != 2 || sc != 2) {
		bh_node_error(&root, NULL,
			      "#address-cells and #size-cells must be <2>");
		return -1;
	}
	if (strlen(model) >= HV_NAME_LEN) {
		bh_node_error(&root, "model", "longer than %d characters",
			      HV_NAME_LEN - 1);
		return -1;
	}
	memcpy(ctx->cfg.board.name, model, strlen(model) + 1);
	if (bh_board_cpus(ctx, &root) != 0 ||
	    bh_board_memory(ctx, &root) != 0 || bh_board_gic(ctx, &root) != 0 ||
	    bh_board_uart(ctx, &root) != 0 || bh_board_smmu(ctx, &root) != 0 ||
	    bh_board_devices(ctx, &root) != 0 || bh_board_llc(ctx, &root) != 0 ||
	    bh_board_pmu(ctx, &root) != 0) {
		return -1;
	}
	return 0;
}

/** Index of the board device called @name, or -1. */
int bh_board_find_device(const struct bh_ctx *ctx, const char *name)
{
	const struct hv_board_desc *b = &ctx->cfg.board;

	for (uint32_t i = 0; i < b->device_count; i++) {
		if (strncmp(b->devices[i].name, name, HV_NAME_LEN) == 0) {
			return (int)i;
		}
	}
	return -1;
}
