/* SPDX-License-Identifier: MIT */
/*
 * Firmware's SMCCC architecture calls: which speculation workarounds it
 * offers, asked once at boot, and their use on guest exits. Guests never
 * reach firmware except through the three workaround calls, and only when
 * firmware says it implements them.
 *
 * SMC Calling Convention DEN0028 (1.1 and later): 7.2 SMCCC_VERSION, 7.3
 * SMCCC_ARCH_FEATURES, 7.4 SMCCC_ARCH_WORKAROUND_1 (CVE-2017-5715,
 * branch target injection), 7.5 SMCCC_ARCH_WORKAROUND_2 (CVE-2018-3639,
 * speculative store bypass), 7.6 SMCCC_ARCH_WORKAROUND_3 (CVE-2022-23960,
 * branch history injection). PSCI DEN0022D 5.1.14 PSCI_FEATURES is how a
 * caller learns whether SMCCC_VERSION may be called at all.
 */
#include "hv/arch.h"
#include "hv/hardening.h"
#include "hv/log.h"
#include "hv/pcpu.h"
#include "hv/psci.h"

/* Firmware's answers to ARCH_FEATURES; written by the boot core before
 * the other cores start, then read only. PSCI_NOT_SUPPORTED if not
 * offered. */
static int64_t fw_wa1 = PSCI_NOT_SUPPORTED;
/* Nonzero when arch_spectre_exit() calls firmware: the vector's hypercall
 * fast path (vectors.S) then takes the full path. Set before any guest
 * runs, read-only afterwards. */
uint32_t hv_exit_mitigation;
static int64_t fw_wa2 = PSCI_NOT_SUPPORTED;
static int64_t fw_wa3 = PSCI_NOT_SUPPORTED;

static int64_t fw_call(uint32_t fid, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1)
			 :
			 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
			   "x10", "x11", "x12", "x13", "x14", "x15", "x16",
			   "x17", "memory");
	return (int64_t)x0;
}

/** Ask firmware what it offers (DEN0028 7.2.1 discovery). Boot core,
 * once, MMU on, before the other cores start. */
void arch_smccc_probe(void)
{
	int64_t psci = fw_call(PSCI_VERSION, 0);
	int64_t smccc;

	/* PSCI_FEATURES exists from PSCI 1.0; before it, or if it says no,
	 * SMCCC_VERSION must not be called (DEN0028 7.2.1). */
	if (psci < 0x10000 ||
	    fw_call(PSCI_FEATURES, SMCCC_VERSION) < 0) {
		log_info("firmware: PSCI 0x%lx, no SMCCC_VERSION: no "
			 "speculation workarounds offered",
			 psci);
		return;
	}
	smccc = fw_call(SMCCC_VERSION, 0);
	if (smccc >= 0x10001) {
		fw_wa1 = fw_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1);
		fw_wa2 = fw_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2);
		fw_wa3 = fw_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3);
	}
	hv_exit_mitigation = fw_wa3 == 0 || fw_wa1 == 0;
	log_info("firmware: PSCI 0x%lx, SMCCC 0x%lx; ARCH_WORKAROUND_1 %ld, "
		 "_2 %ld, _3 %ld (0: offered, used on guest exit / at boot)",
		 psci, smccc, fw_wa1, fw_wa2, fw_wa3);
}

/** Per core, before its first guest entry: SSBD on for good where
 * firmware offers it. */
void arch_smccc_core_init(void)
{
	/* The vectors' fast paths read it through TPIDR_EL2 (the boot core
	 * calls this again after arch_smccc_probe()). */
	pcpu_this()->exit_mitigation = hv_exit_mitigation;
	/* 0: the mitigation can be switched per PE; switch it on for good.
	 * Guests are told it is not required (-2) and cannot turn it off. */
	if (fw_wa2 == 0) {
		(void)fw_call(SMCCC_ARCH_WORKAROUND_2, 1);
	}
}

/** On every guest exit, first thing: branch predictor invalidation
 * through firmware where offered; nothing otherwise. */
void arch_spectre_exit(void)
{
	/* WORKAROUND_3 also covers what WORKAROUND_1 does (DEN0028 7.6). */
	if (fw_wa3 == 0) {
		(void)fw_call(SMCCC_ARCH_WORKAROUND_3, 0);
	} else if (fw_wa1 == 0) {
		(void)fw_call(SMCCC_ARCH_WORKAROUND_1, 0);
	}
}

static int64_t features(uint32_t of)
{
	switch (of) {
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		return 0;
	case SMCCC_ARCH_WORKAROUND_1:
		return fw_wa1;
	case SMCCC_ARCH_WORKAROUND_3:
		return fw_wa3;
	case SMCCC_ARCH_WORKAROUND_2:
		return fw_wa2 == 0 ? SMCCC_RET_NOT_REQUIRED : fw_wa2;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/** A guest's SMCCC architecture call @fid with argument @a1: sets *@ret
 * and returns true, or returns false if @fid is none of them. */
bool arch_smccc_guest_call(uint32_t fid, uint64_t a1, int64_t *ret)
{
	switch (fid) {
	case SMCCC_ARCH_FEATURES:
		*ret = features((uint32_t)a1);
		return true;
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_3:
		/* Stateless invalidations of this core's predictors. They
		 * return nothing (DEN0028, 7.4 and 7.6): whatever firmware
		 * leaves in x0 (TF-A leaves the function ID) is not passed
		 * on, so the guest always sees 0. */
		if (features(fid) != 0) {
			*ret = PSCI_NOT_SUPPORTED;
			return true;
		}
		(void)fw_call(fid, 0);
		*ret = 0;
		return true;
	case SMCCC_ARCH_WORKAROUND_2:
		/* Permanently on since boot: never forwarded, so a guest
		 * cannot switch it off for the hypervisor. */
		*ret = fw_wa2 == 0 ? 0 : PSCI_NOT_SUPPORTED;
		return true;
	default:
		return false;
	}
}
