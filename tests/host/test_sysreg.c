/* SPDX-License-Identifier: MIT */
/* Host unit tests: the trapped system register policy and ID sanitiser. */
#include "arch/sysreg_policy.h"

#include "harness.h"

static uint64_t E(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		  unsigned op2)
{
	return ESR_SYSREG(op0, op1, crn, crm, op2);
}

static enum sysreg_action RD(unsigned op0, unsigned op1, unsigned crn,
			     unsigned crm, unsigned op2)
{
	return sysreg_classify(E(op0, op1, crn, crm, op2), true);
}

static enum sysreg_action WR(unsigned op0, unsigned op1, unsigned crn,
			     unsigned crm, unsigned op2)
{
	return sysreg_classify(E(op0, op1, crn, crm, op2), false);
}

TEST(sysreg, id_space_reads_are_sanitised_writes_undef)
{
	EXPECT_EQ(RD(3, 0, 0, 4, 0), SR_ID); /* ID_AA64PFR0_EL1 */
	EXPECT_EQ(RD(3, 0, 0, 5, 0), SR_ID); /* ID_AA64DFR0_EL1 */
	EXPECT_EQ(RD(3, 0, 0, 1, 0), SR_ID); /* ID_PFR0_EL1 (AArch32) */
	EXPECT_EQ(RD(3, 0, 0, 7, 7), SR_ID); /* reserved: RAZ */
	EXPECT_EQ(WR(3, 0, 0, 4, 0), SR_UNDEF);
	EXPECT_EQ(sysreg_id_index(E(3, 0, 0, 4, 0)), ID_PFR0);
	EXPECT_EQ(sysreg_id_index(E(3, 0, 0, 7, 2)), ID_MMFR2);
	EXPECT_EQ(sysreg_id_index(E(3, 0, 0, 1, 0)), ID_RAZ);
	EXPECT_EQ(sysreg_id_index(E(3, 0, 0, 6, 7)), ID_RAZ);
	/* MIDR_EL1 (CRm 0) is not in the TID3 space. */
	EXPECT_EQ(sysreg_id_index(E(3, 0, 0, 0, 0)), ID_RAZ);
}

TEST(sysreg, outcomes_of_other_traps)
{
	EXPECT_EQ(RD(3, 0, 1, 0, 1), SR_RAZ_WI);   /* ACTLR_EL1 */
	EXPECT_EQ(WR(3, 0, 1, 0, 1), SR_RAZ_WI);
	EXPECT_EQ(WR(1, 0, 7, 14, 2), SR_SETWAY);  /* DC CISW */
	EXPECT_EQ(WR(1, 0, 7, 10, 2), SR_SETWAY);  /* DC CSW */
	EXPECT_EQ(WR(1, 0, 7, 6, 2), SR_SETWAY);   /* DC ISW */
	EXPECT_EQ(WR(3, 0, 12, 11, 5), SR_SGI);    /* ICC_SGI1R_EL1 */
	EXPECT_EQ(RD(3, 0, 12, 11, 5), SR_UNDEF);
	/* Group 1 CPU interface, trapped only by ICH_HCR_EL2.TALL1. */
	EXPECT_EQ(RD(3, 0, 12, 12, 0), SR_ICC_RETRY); /* ICC_IAR1_EL1 */
	EXPECT_EQ(WR(3, 0, 12, 12, 1), SR_ICC_RETRY); /* ICC_EOIR1_EL1 */
	EXPECT_EQ(RD(3, 0, 12, 12, 7), SR_ICC_RETRY); /* ICC_IGRPEN1_EL1 */
	EXPECT_EQ(RD(3, 0, 12, 9, 3), SR_ICC_RETRY);  /* ICC_AP1R3_EL1 */
	EXPECT_EQ(RD(3, 0, 12, 12, 4), SR_UNDEF);     /* ICC_CTLR_EL1 (TC) */
	EXPECT_EQ(RD(3, 0, 12, 8, 0), SR_UNDEF);      /* ICC_IAR0_EL1 */
	EXPECT_EQ(RD(3, 1, 15, 2, 0), SR_UNDEF);   /* CPUACTLR (IMPDEF) */
	EXPECT_EQ(WR(3, 1, 11, 0, 2), SR_UNDEF);   /* L2CTLR (IMPDEF) */
	EXPECT_EQ(RD(3, 3, 9, 12, 0), SR_UNDEF);   /* PMCR_EL0 */
	EXPECT_EQ(RD(3, 3, 14, 8, 0), SR_UNDEF);   /* PMEVCNTR0_EL0 */
	EXPECT_EQ(WR(2, 0, 0, 2, 2), SR_RAZ_WI);   /* MDSCR_EL1 */
	EXPECT_EQ(WR(2, 0, 0, 0, 4), SR_RAZ_WI);   /* DBGBVR0_EL1 */
	EXPECT_EQ(WR(2, 0, 1, 0, 4), SR_RAZ_WI);   /* OSLAR_EL1 */
	EXPECT_EQ(RD(2, 0, 1, 1, 4), SR_OSLSR);    /* OSLSR_EL1 */
	EXPECT_EQ(RD(2, 1, 0, 1, 0), SR_UNDEF);    /* trace unit */
	EXPECT_EQ(RD(3, 0, 10, 4, 7), SR_UNDEF);   /* LORID_EL1 */
	EXPECT_EQ(RD(3, 0, 5, 3, 0), SR_UNDEF);    /* ERRIDR_EL1 */
	/* Rt and the direction bit do not change the classification. */
	uint64_t esr = E(3, 0, 1, 0, 1) | FIELD_PREP(ESR_SYS_RT, 7) | 1;

	EXPECT_EQ(sysreg_classify(sysreg_enc(esr), true), SR_RAZ_WI);
}

TEST(sysreg, id_sanitiser_hides_unvirtualised_features)
{
	/* Cortex-A53: PFR0 0x1122 (EL0-EL3 AArch64+AArch32), FP, AdvSIMD. */
	EXPECT_EQ(sysreg_id_sanitise(ID_PFR0, 0x2222ULL), 0x11ULL);
	/* SVE 35:32, RAS 31:28, AMU 47:44, GIC 27:24 kept. */
	EXPECT_EQ(sysreg_id_sanitise(ID_PFR0, 0x0000100111000011ULL),
		  0x0000000001000011ULL);
	/* DFR0: PMUVer 11:8, TraceVer 7:4, PMSVer 35:32 gone; BRPs, WRPs,
	 * CTX_CMPs and DebugVer kept. */
	EXPECT_EQ(sysreg_id_sanitise(ID_DFR0, 0x10305106ULL), 0x10305006ULL);
	EXPECT_EQ(sysreg_id_sanitise(ID_DFR0, 0x100000000ULL), 0);
	/* PFR1: MTE 11:8 and SME 27:24 gone, BT and SSBS kept. */
	EXPECT_EQ(sysreg_id_sanitise(ID_PFR1, 0x01000221ULL), 0x21ULL);
	EXPECT_EQ(sysreg_id_sanitise(ID_ZFR0, ~0ULL), 0);
	EXPECT_EQ(sysreg_id_sanitise(ID_SMFR0, ~0ULL), 0);
	/* ISAR1: pointer authentication hidden, DPB 3:0 kept. */
	EXPECT_EQ(sysreg_id_sanitise(ID_ISAR1, 0x11000111ULL), 0x1ULL);
	/* MMFR0: PARange capped at 40 bits (2); 32 bits (0) stays. */
	EXPECT_EQ(sysreg_id_sanitise(ID_MMFR0, 0x1122ULL), 0x1122ULL);
	EXPECT_EQ(sysreg_id_sanitise(ID_MMFR0, 0x1125ULL), 0x1122ULL);
	EXPECT_EQ(sysreg_id_sanitise(ID_MMFR0, 0x1120ULL), 0x1120ULL);
	/* MMFR1: LO 19:16, VH 11:8 hidden; PAN kept. */
	EXPECT_EQ(sysreg_id_sanitise(ID_MMFR1, 0x00310100ULL), 0x00300000ULL);
	EXPECT_EQ(sysreg_id_sanitise(ID_COUNT, ~0ULL), 0);
}

TEST(sysreg, sanitiser_is_idempotent)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (unsigned id = 0; id < ID_COUNT; id++) {
		for (unsigned i = 0; i < 64; i++) {
			uint64_t once, twice;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			once = sysreg_id_sanitise((enum sysreg_id)id, x);
			twice = sysreg_id_sanitise((enum sysreg_id)id, once);
			EXPECT_EQ(once, twice);
		}
	}
}
