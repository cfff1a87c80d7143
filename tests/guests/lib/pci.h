/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal PCIe for test guests: a generic ECAM host bridge
 * ("pci-host-ecam-generic", as on QEMU virt), bus 0 only, memory BARs
 * placed in the bridge's 32-bit memory window (bus address = CPU address).
 */
#ifndef PCI_H
#define PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_BARS 6

/* PCI Local Bus Specification 3.0, 6.1 "Configuration Space Organization". */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_CAP_PTR 0x34

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAP_LIST (1u << 4)

/** The host bridge: where its ECAM is and its 32-bit memory window. */
struct pci_host {
	uint64_t ecam_base;
	uint64_t ecam_size;
	uint64_t mem_base; /* CPU address = bus address */
	uint64_t mem_size;
	uint64_t mem_next; /* next free byte of the window (BAR allocation) */
	bool from_dt;	   /* false: QEMU virt defaults were used */
};

/** One function on bus 0 and the CPU addresses of its memory BARs. */
struct pci_dev {
	const struct pci_host *host;
	unsigned bus, dev, fn;
	uint16_t vendor, device;
	uint64_t bar[PCI_MAX_BARS];	 /* 0 = none or not a memory BAR */
	uint64_t bar_size[PCI_MAX_BARS];
};

/*
 * Find the host bridge in the device tree (compatible
 * "pci-host-ecam-generic": "reg" and the 32-bit memory entry of "ranges");
 * if the tree lacks it, QEMU virt's values (ECAM 0x40_1000_0000, window
 * 0x1000_0000 + 0x2eff_0000).
 */
void pci_host_init(const void *dtb, struct pci_host *h);

uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off);
uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off);
uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off);
void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v);
void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v);

/*
 * Scan bus 0 for the first function with this vendor and one of the two
 * device IDs; fill *d. Returns false if there is none.
 */
bool pci_find(const struct pci_host *h, uint16_t vendor, uint16_t dev_a,
	      uint16_t dev_b, struct pci_dev *d);

/*
 * Size every memory BAR of *d and place it in the host's 32-bit window
 * (naturally aligned, 64-bit BARs get a zero upper half), then enable
 * memory decoding and bus mastering (I/O decoding and INTx off: the
 * drivers poll). Returns false if the window is too small.
 */
bool pci_assign_bars(struct pci_host *h, struct pci_dev *d);

/* Offset of the first capability with this ID at or after @from's next
 * pointer (from = 0: the list head), or 0 if none. */
unsigned pci_next_cap(const struct pci_dev *d, unsigned from, uint8_t id);

#endif
