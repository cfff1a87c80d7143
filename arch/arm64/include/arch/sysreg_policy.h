/* SPDX-License-Identifier: MIT */
/*
 * What a guest sees for each trapped system register or system instruction,
 * and the ID register values it reads. Pure: no register access, so the
 * policy is unit tested and fuzzed on the host. docs/traps.md is the same
 * table in prose.
 *
 * Arm ARM DDI 0487 J.a, D19.2.40 "ESR_EL2": ISS encoding for an exception
 * from MSR, MRS, or System instruction execution in AArch64 state;
 * D19.1 "About the AArch64 System registers" (encoding space, op0 = 1
 * instructions, op0 = 2 debug and trace, op0 = 3 other registers).
 */
#ifndef ARCH_SYSREG_POLICY_H
#define ARCH_SYSREG_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/esr.h"

/** The outcome of a trapped MSR, MRS or SYS instruction. */
enum sysreg_action {
	SR_UNDEF,     /* Undefined Instruction injected */
	SR_RAZ_WI,    /* reads return 0, writes are ignored */
	SR_ID,	      /* ID register: the sanitised value (writes: UNDEF) */
	SR_OSLSR,     /* OSLSR_EL1: OS lock implemented, unlocked */
	SR_SETWAY,    /* DC ISW/CSW/CISW: clean+invalidate own memory */
	SR_SGI,	      /* ICC_SGI*R_EL1 write: virtual SGI */
	SR_ICC_RETRY, /* Group 1 CPU interface (ICH_HCR_EL2.TALL1): resample,
		       * then run the access again untrapped */
};

/* Indices of the sanitised ID register table. */
enum sysreg_id {
	ID_PFR0,
	ID_PFR1,
	ID_ZFR0,
	ID_SMFR0,
	ID_DFR0,
	ID_DFR1,
	ID_AFR0,
	ID_AFR1,
	ID_ISAR0,
	ID_ISAR1,
	ID_ISAR2,
	ID_MMFR0,
	ID_MMFR1,
	ID_MMFR2,
	ID_COUNT,
	ID_RAZ = ID_COUNT, /* any other encoding in the ID space */
};

/* Encodings as in the ISS (op0, op1, CRn, CRm, op2 in place). */
#define SYSREG_ACTLR_EL1 ESR_SYSREG(3, 0, 1, 0, 1)
#define SYSREG_OSLAR_EL1 ESR_SYSREG(2, 0, 1, 0, 4)
#define SYSREG_OSLSR_EL1 ESR_SYSREG(2, 0, 1, 1, 4)
#define SYSREG_DC_ISW ESR_SYSREG(1, 0, 7, 6, 2)
#define SYSREG_DC_CSW ESR_SYSREG(1, 0, 7, 10, 2)
#define SYSREG_DC_CISW ESR_SYSREG(1, 0, 7, 14, 2)
#define SYSREG_ENC_MASK                                                    \
	(ESR_SYS_OP0 | ESR_SYS_OP2 | ESR_SYS_OP1 | ESR_SYS_CRN | ESR_SYS_CRM)

/** The register or instruction named by a trapped-MSR/MRS ISS. */
static inline uint64_t sysreg_enc(uint64_t esr)
{
	return esr & SYSREG_ENC_MASK;
}

/**
 * Classify a trapped access: @enc from sysreg_enc(), @read for MRS. Every
 * encoding has an answer; the default is SR_UNDEF.
 */
enum sysreg_action sysreg_classify(uint64_t enc, bool read);

/** Which ID table entry @enc reads (ID_RAZ for reserved encodings). Only
 * meaningful when sysreg_classify() said SR_ID. */
enum sysreg_id sysreg_id_index(uint64_t enc);

/**
 * Hide what Bulkhead does not virtualise in hardware ID register @id whose
 * value is @hw: PMU, debug beyond breakpoints and watchpoints, trace, SPE,
 * SVE, SME, AMU, RAS, MTE, MPAM, pointer authentication, LORegions, EL2,
 * EL3 and AArch32; PARange capped at the partition's 40-bit IPA space.
 * Each field is either kept or set to its "not implemented" value.
 */
uint64_t sysreg_id_sanitise(enum sysreg_id id, uint64_t hw);

/** Name of a classification, for logs and the attack suite report. */
const char *sysreg_action_name(enum sysreg_action a);

#endif /* ARCH_SYSREG_POLICY_H */
