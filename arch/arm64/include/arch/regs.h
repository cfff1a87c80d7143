/* SPDX-License-Identifier: MIT */
/*
 * EL2 control register fields. Pure constants.
 * Arm ARM DDI 0487 J.a, D19.2 "General system control registers".
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include "hv/bits.h"

/* D19.2.48 HCR_EL2 */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (1ULL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22)
#define HCR_TID1 BIT(16)
#define HCR_TID2 BIT(17)
#define HCR_TID3 BIT(18)
#define HCR_RW BIT(31)
#define HCR_TLOR BIT(35)
#define HCR_TERR BIT(36)

/* MDCR_EL2 (D19.3, debug registers). */
#define MDCR_HPMN_MASK BITS(4, 0)
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_HPME BIT(7)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)
#define MDCR_TPMS BIT(14)
#define MDCR_HPMD BIT(17)
#define MDCR_TTRF BIT(19)

/* Feature fields used to decide what to trap (D19.2, ID_AA64DFR0_EL1,
 * ID_AA64PFR0_EL1, ID_AA64MMFR1_EL1). */
#define DFR0_PMUVER BITS(11, 8)
#define DFR0_PMSVER BITS(35, 32)
#define DFR0_TRACEFILT BITS(43, 40)
#define PFR0_RAS BITS(31, 28)
#define PFR0_AMU BITS(47, 44)
#define MMFR1_LO BITS(19, 16)

/* D19.2.118 SCTLR_EL2 (non-VHE): RES1 bits 4,5,11,16,18,22,23,28,29. */
#define SCTLR_EL2_RES1 0x30c50830ULL
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

/* D19.2.117 SCTLR_EL1 reset value for a guest: RES1 bits, MMU off. */
#define SCTLR_EL1_RES1 0x30d00800ULL

/* D19.2.139 TCR_EL2 (non-VHE): RES1 bits 31 and 23. */
#define TCR_EL2_RES1 (BIT(31) | BIT(23))
#define TCR_T0SZ(bits) ((uint64_t)(64 - (bits)))
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_EL2_PS_SHIFT 16

/* D19.2.161 VTCR_EL2: RES1 bit 31. */
#define VTCR_RES1 BIT(31)
#define VTCR_SL0_SHIFT 6
#define VTCR_PS_SHIFT 16

/* MAIR_EL2 attribute bytes, indices as in arch/pte.h. */
#define MAIR_EL2_VALUE                                              \
	((0x00ULL << (8 * 0)) | (0x04ULL << (8 * 1)) |              \
	 (0xffULL << (8 * 2)) | (0x44ULL << (8 * 3)))

/* D19.12.x CNTHCTL_EL2 (non-VHE): EL1PCTEN bit 0, EL1PCEN bit 1. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)

/* D19.2.33 CPTR_EL2 (non-VHE): RES1 bits 13:12, 9:0 (these include TZ,
 * bit 8, and TSM, bit 12: SVE and SME trap); TFP bit 10. */
#define CPTR_EL2_RES1 0x33ffULL
#define CPTR_TFP BIT(10)
#define CPTR_TTA BIT(20)
#define CPTR_TAM BIT(30)
#define CPTR_TCPAC BIT(31)

/* SPSR for a guest entering EL1h with D, A, I, F masked (C5.2.19). */
#define SPSR_EL1H_MASKED 0x3c5ULL
/* SPSR_EL2.I: the guest had IRQs masked (DDI 0487 J.a, C5.2.19 SPSR_EL2). */
#define SPSR_I (1ULL << 7)
/* SPSR_EL2.SS: software step state (C5.2.19; D2.12 "Software Step"). */
#define SPSR_SS (1ULL << 21)
#define SPSR_MODE_MASK 0x1fULL
#define SPSR_MODE_EL0T 0x0ULL
#define SPSR_MODE_EL1T 0x4ULL
#define SPSR_MODE_EL1H 0x5ULL
#define SPSR_MODE_AARCH32 BIT(4)

/* ID_AA64MMFR0_EL1.PARange, bits 3:0. */
#define MMFR0_PARANGE BITS(3, 0)

#define MPIDR_AFF_MASK 0xff00ffffffULL

#endif /* ARCH_REGS_H */
