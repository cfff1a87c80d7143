/* SPDX-License-Identifier: MIT */
/*
 * The node of a PCIe host bridge (HV_DEV_PCI_HOST) in a partition's device
 * tree, in the form of the generic ECAM binding (Linux
 * Documentation/devicetree/bindings/pci/host-generic-pci.yaml) as QEMU
 * virt writes it. The board node gives reg = ECAM, 32-bit memory window,
 * I/O window, and interrupts = INTA..INTD; from these the partition gets
 * reg = the ECAM alone, bus-range, ranges for the two windows and an
 * interrupt-map with the standard swizzle onto its own GIC. There is no
 * iommu-map and no msi-map: the partition sees no SMMU (its devices' DMA
 * addresses are its own guest-physical addresses) and no ITS.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"

#define BH_TRY(expr)                   \
	do {                           \
		int bh_rc_ = (expr);   \
		if (bh_rc_ < 0) {      \
			return bh_rc_; \
		}                      \
	} while (0)

/* The regions of the board node's reg, in order. */
#define BH_PCI_ECAM 0
#define BH_PCI_MEM 1
#define BH_PCI_IO 2
#define BH_PCI_INTX 4
/*
 * PCI bus binding (IEEE 1275 PCI bus binding, 2.2.1): phys.hi of a child
 * address: space code 01 = I/O, 10 = 32-bit memory; for interrupt-map the
 * device number is bits 15:11.
 */
#define BH_PCI_SPACE_IO 0x01000000u
#define BH_PCI_SPACE_MEM32 0x02000000u
#define BH_PCI_DEV_SHIFT 11
#define BH_PCI_SLOTS 4
/* One ECAM bus: 32 devices x 8 functions x 4 KiB. */
#define BH_ECAM_BUS 0x100000ULL
/* Cells of one interrupt-map entry: child unit address (3) and pin (1),
 * the GIC's phandle (1), its unit address and its specifier (3). */
#define BH_IMAP_CELLS (3 + 1 + 1 + BH_GIC_ADDR_CELLS + 3)

/* Properties written here, never copied from the board node. */
static const char *const bh_pci_generated[] = {
	"reg",		    "interrupts",     "device_type",
	"#address-cells",   "#size-cells",    "#interrupt-cells",
	"bus-range",	    "ranges",	      "interrupt-map",
	"interrupt-map-mask", "iommu-map",    "msi-map",
	NULL
};

/** True if board property @name of a PCIe host bridge is generated here. */
bool bh_pci_prop_generated(const char *name)
{
	for (int i = 0; bh_pci_generated[i] != NULL; i++) {
		if (strcmp(name, bh_pci_generated[i]) == 0) {
			return true;
		}
	}
	return false;
}

static void bh_put64(fdt32_t *c, uint64_t v)
{
	c[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	c[1] = cpu_to_fdt32((uint32_t)v);
}

/* ranges: the I/O window at bus address 0, the memory window 1:1. */
static int bh_pci_ranges(void *fdt, const struct hv_partition_cfg *pc,
			 const struct hv_board_device *bd)
{
	const struct hv_region *io = &bd->regs[BH_PCI_IO];
	const struct hv_region *mem = &bd->regs[BH_PCI_MEM];
	fdt32_t c[14];

	c[0] = cpu_to_fdt32(BH_PCI_SPACE_IO);
	bh_put64(&c[1], 0);
	bh_put64(&c[3], bh_dt_guest_addr(pc, io->base));
	bh_put64(&c[5], io->size);
	c[7] = cpu_to_fdt32(BH_PCI_SPACE_MEM32);
	bh_put64(&c[8], mem->base);
	bh_put64(&c[10], bh_dt_guest_addr(pc, mem->base));
	bh_put64(&c[12], mem->size);
	return fdt_property(fdt, "ranges", c, sizeof(c));
}

/*
 * interrupt-map: INTA..INTD of slots 0..3, swizzled (PCI-to-PCI Bridge
 * Architecture Specification 1.2, 9.1: slot s's pin p is wired to host
 * line (s + p) mod 4), each to the board's specifier for that line.
 */
static int bh_pci_imap(void *fdt, const fdt32_t *spec)
{
	fdt32_t mask[4] = { cpu_to_fdt32(3u << BH_PCI_DEV_SHIFT), 0, 0,
			    cpu_to_fdt32(7) };
	fdt32_t *c;
	int n = 0;

	BH_TRY(fdt_property(fdt, "interrupt-map-mask", mask, sizeof(mask)));
	BH_TRY(fdt_property_placeholder(
		fdt, "interrupt-map",
		BH_PCI_SLOTS * BH_PCI_INTX * BH_IMAP_CELLS * 4, (void **)&c));
	for (uint32_t slot = 0; slot < BH_PCI_SLOTS; slot++) {
		for (uint32_t pin = 0; pin < BH_PCI_INTX; pin++) {
			const fdt32_t *s = &spec[3ul * ((slot + pin) % 4)];

			c[n++] = cpu_to_fdt32(slot << BH_PCI_DEV_SHIFT);
			c[n++] = 0;
			c[n++] = 0;
			c[n++] = cpu_to_fdt32(pin + 1); /* INTA = 1 */
			c[n++] = cpu_to_fdt32(BH_PHANDLE_GIC);
			for (int k = 0; k < BH_GIC_ADDR_CELLS; k++) {
				c[n++] = 0;
			}
			memcpy(&c[n], s, 3 * sizeof(*s));
			n += 3;
		}
	}
	return 0;
}

/**
 * Writes the generated properties of PCIe host bridge @bd (board node
 * @node) into the open node of partition @pc's device tree. A bridge of
 * the wrong shape (config_validate() refuses it) gets only reg and
 * interrupts left out. Returns 0 or a negative libfdt error.
 */
int bh_dt_pci_host(void *fdt, const struct bh_ctx *ctx,
		   const struct hv_partition_cfg *pc,
		   const struct hv_board_device *bd, int node)
{
	const struct hv_region *ecam = &bd->regs[BH_PCI_ECAM];
	int len = 0;
	const fdt32_t *spec =
		fdt_getprop(ctx->board.fdt, node, "interrupts", &len);
	fdt32_t reg[4], range[2];
	uint32_t buses = (uint32_t)(ecam->size / BH_ECAM_BUS);

	if (bd->reg_count != 3 || spec == NULL ||
	    len != BH_PCI_INTX * 3 * 4 || buses == 0 || buses > 256) {
		return 0;
	}
	bh_put64(&reg[0], bh_dt_guest_addr(pc, ecam->base));
	bh_put64(&reg[2], ecam->size);
	BH_TRY(fdt_property_string(fdt, "device_type", "pci"));
	BH_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	BH_TRY(fdt_property_u32(fdt, "#address-cells", 3));
	BH_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	BH_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	range[0] = 0;
	range[1] = cpu_to_fdt32(buses - 1);
	BH_TRY(fdt_property(fdt, "bus-range", range, sizeof(range)));
	BH_TRY(bh_pci_ranges(fdt, pc, bd));
	return bh_pci_imap(fdt, spec);
}
