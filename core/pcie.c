/* SPDX-License-Identifier: MIT */
/*
 * Quiescing a partition's PCIe functions (hv/pcie.h). The SMMU aborts a
 * stopped partition's StreamIDs, but a device keeps the requests its
 * driver queued: once the partition runs again they would complete into
 * its fresh image. Clearing Bus Master Enable stops them at the device.
 */
#include "hv/pcie.h"

extern const struct hv_config hv_cfg;

/* Type 0/1 configuration header (PCIe Base 7.5.1.1): Vendor ID at 0x00
 * (all ones where no function answers), Command at 0x04 with Bus Master
 * Enable in bit 2 (7.5.1.1.3). A bridge's Bus Master Enable also gates
 * the memory requests it forwards upstream. */
#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_NO_FUNCTION 0xffffu

static volatile uint16_t *cfg16(uint64_t ecam, unsigned dev, unsigned fn,
				unsigned reg)
{
	return (volatile uint16_t *)(uintptr_t)(ecam + ((uint64_t)dev << 15) +
						((uint64_t)fn << 12) + reg);
}

static bool owns_window(const struct hv_partition_cfg *c, uint64_t pa)
{
	for (uint32_t i = 0; i < c->device_count; i++) {
		if (c->devices[i].pa == pa) {
			return true;
		}
	}
	return false;
}

static void quiesce_bus0(uint64_t ecam)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			volatile uint16_t *cmd = cfg16(ecam, dev, fn,
						       PCI_COMMAND);

			if (*cfg16(ecam, dev, fn, PCI_VENDOR_ID) ==
			    PCI_NO_FUNCTION) {
				continue;
			}
			*cmd = (uint16_t)(*cmd & ~PCI_COMMAND_MASTER);
		}
	}
	__asm__ volatile("dsb sy" ::: "memory");
}

void pcie_quiesce(const struct hv_partition_cfg *c)
{
	const struct hv_board_desc *b = &hv_cfg.board;

	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *d = &b->devices[i];

		if ((d->flags & HV_DEV_PCI_HOST) && d->reg_count > 0 &&
		    owns_window(c, d->regs[0].base)) {
			quiesce_bus0(d->regs[0].base);
		}
	}
}
