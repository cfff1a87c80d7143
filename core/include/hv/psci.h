/* SPDX-License-Identifier: MIT */
/*
 * PSCI and SMCCC calls from guests (PSCI DEN0022D, SMCCC DEN0028).
 */
#ifndef HV_PSCI_H
#define HV_PSCI_H

#include <stdint.h>

#include "hv/vcpu.h"

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
/* Bulkhead's vendor-specific hypervisor service calls (SMCCC DEN0028
 * 6.2: owning entity 6, fast, SMC64). TEXT_DIGEST returns 0 in x0 and
 * the FNV-1a 64 digest of the hypervisor's text in x1. */
#define HV_HVC_TEXT_DIGEST 0xc6000001u

/* What PSCI_VERSION and SMCCC_VERSION return: 1.1 for both. The EL1
 * synchronous vector answers these two itself (vectors.S). */
#define PSCI_VERSION_RET 0x10001
#define SMCCC_VERSION_RET 0x10001

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INVALID_ADDRESS (-9)

/** Handle an SMCCC call (HVC or trapped SMC) in the vCPU's x0-x3. May not
 * return (CPU_OFF, SYSTEM_OFF, SYSTEM_RESET). */
void psci_handle(struct vcpu *v);

#endif /* HV_PSCI_H */
