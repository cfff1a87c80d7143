/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal PCIe for test guests: ECAM configuration access, a bus-0
 * scan, memory BAR placement. The guest runs with its MMU off, so every
 * access here is Device-nGnRnE and needs no barriers beyond the ones the
 * memory type already gives.
 *
 * References: PCI Express Base Specification 4.0, 7.2.2 "PCI Express
 * Enhanced Configuration Access Mechanism (ECAM)"; PCI Local Bus
 * Specification 3.0, 6.2.5 "Base Addresses"; IEEE Std 1275 PCI bus
 * binding, 2.2.1.1 (the three-cell PCI address in "ranges").
 */
#include "pci.h"

#include "guest.h"

/* QEMU virt (hw/arm/virt.c, high ECAM): used if the DTB lacks the bridge. */
#define VIRT_ECAM_BASE 0x4010000000ULL
#define VIRT_ECAM_SIZE 0x10000000ULL
#define VIRT_MMIO_BASE 0x10000000ULL
#define VIRT_MMIO_SIZE 0x2eff0000ULL

/* "ranges" entry of a PCI bridge under a parent with #address-cells 2:
 * 3 cells of PCI address, 2 of CPU address, 2 of size. */
#define RANGE_CELLS 7
#define SPACE_CODE(hi) (((hi) >> 24) & 3u)
#define SPACE_MEM32 2u

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void host_from_ranges(struct pci_host *h, const uint8_t *r,
			     uint32_t len)
{
	for (uint32_t i = 0; i + RANGE_CELLS * 4 <= len; i += RANGE_CELLS * 4) {
		uint64_t bus = be64(r + i + 4);
		uint64_t cpu = be64(r + i + 12);
		uint64_t size = be64(r + i + 20);

		/* Only a window where bus address = CPU address is usable
		 * as it is: the BAR value is what the CPU uses. */
		if (SPACE_CODE(be32(r + i)) == SPACE_MEM32 && bus == cpu) {
			h->mem_base = cpu;
			h->mem_size = size;
			return;
		}
	}
}

void pci_host_init(const void *dtb, struct pci_host *h)
{
	uint32_t len = 0;
	const uint8_t *ranges;

	h->ecam_base = VIRT_ECAM_BASE;
	h->ecam_size = VIRT_ECAM_SIZE;
	h->mem_base = VIRT_MMIO_BASE;
	h->mem_size = VIRT_MMIO_SIZE;
	h->from_dt = dt_compat_reg(dtb, "pci-host-ecam-generic", 0,
				   &h->ecam_base, &h->ecam_size);
	ranges = dt_compat_prop(dtb, "pci-host-ecam-generic", "ranges", &len);
	if (ranges != NULL) {
		host_from_ranges(h, ranges, len);
	}
	h->mem_next = h->mem_base;
}

/* PCIe 4.0, 7.2.2, Table 7-1: bus in bits 27:20, device 19:15, function
 * 14:12, register 11:0. */
static uint64_t cfg_addr(const struct pci_dev *d, unsigned off)
{
	return d->host->ecam_base + ((uint64_t)d->bus << 20) +
	       ((uint64_t)d->dev << 15) + ((uint64_t)d->fn << 12) + off;
}

uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off)
{
	return *(volatile uint32_t *)cfg_addr(d, off);
}

uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off)
{
	return *(volatile uint16_t *)cfg_addr(d, off);
}

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off)
{
	return *(volatile uint8_t *)cfg_addr(d, off);
}

void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)cfg_addr(d, off) = v;
}

void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)cfg_addr(d, off) = v;
}

static bool id_matches(const struct pci_dev *d, uint16_t vendor,
		       uint16_t dev_a, uint16_t dev_b)
{
	return d->vendor == vendor && (d->device == dev_a || d->device == dev_b);
}

/* By hand: a struct assignment would call memset, which guests lack. */
static void pci_dev_clear(struct pci_dev *d)
{
	d->host = NULL;
	d->bus = d->dev = d->fn = 0;
	d->vendor = d->device = 0;
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		d->bar[i] = d->bar_size[i] = 0;
	}
}

bool pci_find(const struct pci_host *h, uint16_t vendor, uint16_t dev_a,
	      uint16_t dev_b, struct pci_dev *d)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		unsigned fns = 1;

		for (unsigned fn = 0; fn < fns; fn++) {
			pci_dev_clear(d);
			d->host = h;
			d->dev = dev;
			d->fn = fn;
			d->vendor = pci_cfg_read16(d, PCI_VENDOR_ID);
			if (d->vendor == 0xffff) {
				continue;
			}
			d->device = pci_cfg_read16(d, PCI_DEVICE_ID);
			/* Header type bit 7: a multi-function device. */
			if (fn == 0 &&
			    (pci_cfg_read8(d, PCI_HEADER_TYPE) & 0x80)) {
				fns = 8;
			}
			if (id_matches(d, vendor, dev_a, dev_b)) {
				return true;
			}
		}
	}
	return false;
}

/* Size memory BAR @i (PCI 3.0, 6.2.5.1: write all ones, read back the
 * writable bits) and place it. Returns the number of BAR slots used (2 for
 * a 64-bit BAR), 0 if the window is full. */
static unsigned assign_one(struct pci_host *h, struct pci_dev *d, unsigned i)
{
	unsigned off = PCI_BAR0 + 4 * i;
	uint32_t orig = pci_cfg_read32(d, off);
	bool is64 = (orig & 0x7u) == 0x4u;
	uint64_t mask, size, base;

	if (orig & 1u) {
		return 1; /* an I/O BAR: left unassigned, I/O decoding off */
	}
	pci_cfg_write32(d, off, 0xffffffffu);
	mask = pci_cfg_read32(d, off) & ~0xfULL;
	if (is64) {
		pci_cfg_write32(d, off + 4, 0xffffffffu);
		mask |= (uint64_t)pci_cfg_read32(d, off + 4) << 32;
	} else {
		mask |= 0xffffffff00000000ULL;
	}
	if (mask == 0xffffffff00000000ULL || mask == 0) {
		pci_cfg_write32(d, off, 0);
		return is64 ? 2 : 1; /* not implemented */
	}
	size = ~mask + 1;
	base = (h->mem_next + size - 1) & ~(size - 1);
	if (base + size > h->mem_base + h->mem_size || base >> 32) {
		return 0;
	}
	h->mem_next = base + size;
	pci_cfg_write32(d, off, (uint32_t)base);
	if (is64) {
		pci_cfg_write32(d, off + 4, 0);
	}
	d->bar[i] = base;
	d->bar_size[i] = size;
	return is64 ? 2 : 1;
}

bool pci_assign_bars(struct pci_host *h, struct pci_dev *d)
{
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);

	/* Decoding off while the BARs hold sizing patterns. */
	pci_cfg_write16(d, PCI_COMMAND,
			cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned i = 0; i < PCI_MAX_BARS;) {
		unsigned used = assign_one(h, d, i);

		if (used == 0) {
			return false;
		}
		i += used;
	}
	pci_cfg_write16(d, PCI_COMMAND,
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
				PCI_COMMAND_INTX_DISABLE);
	return true;
}

unsigned pci_next_cap(const struct pci_dev *d, unsigned from, uint8_t id)
{
	unsigned off;
	unsigned guard = 48; /* at most 48 capabilities fit in 192 bytes */

	if (from == 0) {
		if (!(pci_cfg_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
			return 0;
		}
		off = pci_cfg_read8(d, PCI_CAP_PTR);
	} else {
		off = pci_cfg_read8(d, from + 1);
	}
	while (off >= 0x40 && guard--) {
		off &= ~3u;
		if (pci_cfg_read8(d, off) == id) {
			return off;
		}
		off = pci_cfg_read8(d, off + 1);
	}
	return 0;
}
