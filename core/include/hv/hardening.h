/* SPDX-License-Identifier: MIT */
/*
 * Trap hardening (docs/traps.md): the trapped system register handler, the
 * guest-visible ID registers, the SMCCC architecture calls passed to
 * firmware, and rate-limited logging of what guests tried.
 */
#ifndef HV_HARDENING_H
#define HV_HARDENING_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/trap.h"
#include "hv/vcpu.h"

/* SMCCC architecture calls (SMC Calling Convention DEN0028, 7). */
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu
#define SMCCC_RET_NOT_REQUIRED (-2)

/** Handle a trapped MSR, MRS or SYS instruction (EC 0x18). */
enum trap_result sysreg_trap(struct vcpu *v, uint64_t esr);

/**
 * Compute the ID register values guests see (boot core, first call), or
 * check that this core's agree with them (later calls; a difference is
 * logged and guests keep the boot core's values). Runs in
 * arch_cpu_init_el2().
 */
void sysreg_id_init(void);

/**
 * Log what a guest tried, at most HARDENING_LOG_MAX lines per partition
 * since boot, so a guest cannot flood the console.
 */
void hardening_log(struct vcpu *v, const char *what, uint64_t info);
#define HARDENING_LOG_MAX 8

/** Ask firmware which SMCCC workarounds it offers. Boot core, once, before
 * the other cores start. */
void arch_smccc_probe(void);
/** Per core: turn on firmware's speculative-store-bypass mitigation
 * (ARCH_WORKAROUND_2) for EL2 if firmware offers it. */
void arch_smccc_core_init(void);
/** On every exit from a guest: invalidate branch predictor state through
 * firmware (ARCH_WORKAROUND_1 or _3) if firmware offers it. */
void arch_spectre_exit(void);
/**
 * A guest's SMCCC architecture call @fid (ARCH_FEATURES with @a1, or a
 * workaround): the answer for x0. Returns false if @fid is not one.
 */
bool arch_smccc_guest_call(uint32_t fid, uint64_t a1, int64_t *ret);

#endif /* HV_HARDENING_H */
