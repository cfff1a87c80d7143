/* SPDX-License-Identifier: MIT */
/*
 * Exception Syndrome Register decoding. Pure accessors.
 * Arm ARM DDI 0487 J.a, D19.2.40 "ESR_EL2, Exception Syndrome Register (EL2)".
 */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/bits.h"

#define ESR_EC_MASK BITS(31, 26)
#define ESR_IL BIT(25)
#define ESR_ISS_MASK BITS(24, 0)

/* Exception classes (D19.2.40, table "EC encoding"). */
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_FP 0x07
#define ESR_EC_HVC32 0x12
#define ESR_EC_SMC32 0x13
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYS64 0x18
#define ESR_EC_SVE 0x19
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

/* ISS for a Data Abort (D19.2.40, "ISS encoding for an exception from a
 * Data Abort"). */
#define ESR_DABT_ISV BIT(24)
#define ESR_DABT_SAS BITS(23, 22)
#define ESR_DABT_SSE BIT(21)
#define ESR_DABT_SRT BITS(20, 16)
#define ESR_DABT_SF BIT(15)
#define ESR_DABT_AR BIT(14)
#define ESR_DABT_FNV BIT(10)
#define ESR_DABT_EA BIT(9)
#define ESR_DABT_CM BIT(8)
#define ESR_DABT_S1PTW BIT(7)
#define ESR_DABT_WNR BIT(6)
#define ESR_xFSC BITS(5, 0)

/* Fault status codes (DFSC/IFSC). */
#define FSC_TYPE_MASK 0x3c
#define FSC_TRANSLATION 0x04
#define FSC_ACCESS 0x08
#define FSC_PERMISSION 0x0c
#define FSC_SEA 0x10 /* synchronous external abort */

/* ISS for a trapped MSR/MRS (D19.2.40, "ISS encoding for an exception from
 * MSR, MRS, or System instruction execution in AArch64 state"). */
#define ESR_SYS_OP0 BITS(21, 20)
#define ESR_SYS_OP2 BITS(19, 17)
#define ESR_SYS_OP1 BITS(16, 14)
#define ESR_SYS_CRN BITS(13, 10)
#define ESR_SYS_RT BITS(9, 5)
#define ESR_SYS_CRM BITS(4, 1)
#define ESR_SYS_READ BIT(0)

/* A system register as it appears in the trapped-MSR ISS (op0, op1, CRn,
 * CRm, op2 in place; Rt and direction clear). */
#define ESR_SYSREG(op0, op1, crn, crm, op2)                                 \
	(FIELD_PREP(ESR_SYS_OP0, op0) | FIELD_PREP(ESR_SYS_OP1, op1) |      \
	 FIELD_PREP(ESR_SYS_CRN, crn) | FIELD_PREP(ESR_SYS_CRM, crm) |      \
	 FIELD_PREP(ESR_SYS_OP2, op2))
#define SYSREG_ICC_SGI1R ESR_SYSREG(3, 0, 12, 11, 5)
#define SYSREG_ICC_ASGI1R ESR_SYSREG(3, 0, 12, 11, 6)
#define SYSREG_ICC_SGI0R ESR_SYSREG(3, 0, 12, 11, 7)

static inline unsigned esr_ec(uint64_t esr)
{
	return (unsigned)FIELD_GET(ESR_EC_MASK, esr);
}

static inline bool esr_il32(uint64_t esr)
{
	return (esr & ESR_IL) != 0;
}

static inline bool esr_dabt_isv(uint64_t esr)
{
	return (esr & ESR_DABT_ISV) != 0;
}

/** Access size in bytes: 1, 2, 4 or 8. */
static inline unsigned esr_dabt_size(uint64_t esr)
{
	return 1u << FIELD_GET(ESR_DABT_SAS, esr);
}

static inline unsigned esr_dabt_srt(uint64_t esr)
{
	return (unsigned)FIELD_GET(ESR_DABT_SRT, esr);
}

static inline bool esr_dabt_sse(uint64_t esr)
{
	return (esr & ESR_DABT_SSE) != 0;
}

static inline bool esr_dabt_sf(uint64_t esr)
{
	return (esr & ESR_DABT_SF) != 0;
}

static inline bool esr_dabt_write(uint64_t esr)
{
	return (esr & ESR_DABT_WNR) != 0;
}

static inline bool esr_dabt_s1ptw(uint64_t esr)
{
	return (esr & ESR_DABT_S1PTW) != 0;
}

static inline unsigned esr_fsc(uint64_t esr)
{
	return (unsigned)FIELD_GET(ESR_xFSC, esr);
}

/** A translation, access-flag or permission fault (any level): the kinds
 * a stage-2 violation produces, for which HPFAR_EL2 holds the IPA. */
static inline bool esr_fsc_is_s2_kind(uint64_t esr)
{
	unsigned t = esr_fsc(esr) & FSC_TYPE_MASK;

	return t == FSC_TRANSLATION || t == FSC_ACCESS || t == FSC_PERMISSION;
}

/** Faulting IPA from HPFAR_EL2 (FIPA in bits 39:4 → IPA[51:12]) and FAR. */
static inline uint64_t esr_fault_ipa(uint64_t hpfar, uint64_t far)
{
	return ((hpfar & BITS(43, 4)) << 8) | (far & 0xfffULL);
}

#endif /* ARCH_ESR_H */
