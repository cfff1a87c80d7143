/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's only use of a PCIe host bridge it passes through: stop
 * the DMA of the functions behind it while their partition is down.
 */
#ifndef HV_PCIE_H
#define HV_PCIE_H

#include "hv/config.h"

/* Configuration space of bus 0 in an ECAM window (PCIe Base 7.2.2): 32
 * devices x 8 functions x 4 KiB. The hypervisor maps only this much. */
#define PCIE_ECAM_BUS0_SIZE 0x100000ULL

/**
 * Clear Bus Master Enable in every function on bus 0 of each PCIe host
 * bridge partition @c owns. A function can then issue no memory request,
 * and a bridge forwards none from below it, until the partition's next
 * incarnation enables it again. Caller owns the partition (no vCPU in its
 * guest) and its StreamIDs already abort.
 */
void pcie_quiesce(const struct hv_partition_cfg *c);

#endif /* HV_PCIE_H */
