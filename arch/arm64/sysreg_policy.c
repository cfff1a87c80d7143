/* SPDX-License-Identifier: MIT */
/*
 * The trapped system register policy and the ID register sanitiser. Pure
 * logic, host tested (tests/host/test_sysreg.c) and fuzzed
 * (tests/fuzz/fuzz_trap.c). The hardware side is sysreg_trap.c.
 *
 * Which accesses trap at all is set in cpu.c (HCR_EL2, MDCR_EL2, CPTR_EL2);
 * this file decides what the guest sees for each one that does. Anything
 * not listed is UNDEFINED to the guest, which is what it would see on a
 * core without the feature the ID registers now hide.
 */
#include "arch/sysreg_policy.h"

/*
 * A field kept from the hardware value, or forced. Field positions: Arm ARM
 * DDI 0487 J.a, D19.2, the ID_AA64*_EL1 register descriptions.
 * keep: fields passed through; set: value of the other fields (mostly 0,
 * "not implemented").
 */
struct id_rule {
	uint64_t keep;
	uint64_t set;
};

static const struct id_rule id_rules[ID_COUNT] = {
	/* ID_AA64PFR0_EL1. Kept: FP 19:16, AdvSIMD 23:20, GIC
	 * 27:24, DIT 51:48, CSV2 59:56, CSV3 63:60. EL0 and EL1 3:0, 7:4 are
	 * forced to 1 (AArch64 only: AArch32 exits stop the partition); EL2,
	 * EL3, RAS, SVE, SEL2, MPAM, AMU and RME read as not implemented. */
	[ID_PFR0] = { BITS(27, 16) | BITS(51, 48) | BITS(63, 56), 0x11 },
	/* ID_AA64PFR1_EL1. Kept: BT 3:0, SSBS 7:4, CSV2_frac
	 * 35:32. Hidden: MTE 11:8, RAS_frac, MPAM_frac, SME 27:24, RNDR_trap,
	 * NMI and the rest. */
	[ID_PFR1] = { BITS(7, 0) | BITS(35, 32), 0 },
	/* ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1: no SVE, no SME. */
	[ID_ZFR0] = { 0, 0 },
	[ID_SMFR0] = { 0, 0 },
	/* ID_AA64DFR0_EL1. Kept: DebugVer 3:0, BRPs 15:12, WRPs
	 * 23:20, CTX_CMPs 31:28, DoubleLock 39:36 (their registers are
	 * RAZ/WI). Hidden: TraceVer 7:4, PMUVer 11:8, PMSVer 35:32 (SPE),
	 * TraceFilt, TraceBuffer (TRBE), MTPMU, BRBE, HPMN0. */
	[ID_DFR0] = { BITS(3, 0) | BITS(15, 12) | BITS(23, 20) |
			      BITS(31, 28) | BITS(39, 36),
		      0 },
	[ID_DFR1] = { 0, 0 },
	[ID_AFR0] = { 0, 0 },
	[ID_AFR1] = { 0, 0 },
	/* ID_AA64ISAR0_EL1: instructions only, nothing to virtualise. */
	[ID_ISAR0] = { ~0ULL, 0 },
	/* ID_AA64ISAR1_EL1. Hidden: pointer authentication APA
	 * 7:4, API 11:8, GPA 27:24, GPI 31:28 (HCR_EL2.API/APK trap it). */
	[ID_ISAR1] = { ~(BITS(11, 4) | BITS(31, 24)), 0 },
	/* ID_AA64ISAR2_EL1. Kept: WFxT 3:0, RPRES 7:4, MOPS 19:16, BC 23:20,
	 * CLRBHB 31:28. Hidden: GPA3, APA3, PAC_frac and later fields. */
	[ID_ISAR2] = { BITS(7, 0) | BITS(23, 16) | BITS(31, 28), 0 },
	/* ID_AA64MMFR0_EL1. Kept: ASIDBits .. TGran4 31:4, ExS
	 * 47:44. PARange 3:0 is capped in sysreg_id_sanitise(); stage-2
	 * granules (TGran*_2), FGT and ECV are EL2 features. */
	[ID_MMFR0] = { BITS(31, 4) | BITS(47, 44), 0 },
	/* ID_AA64MMFR1_EL1. Kept: HAFDBS 3:0, HPDS 15:12, PAN 23:20, ETS
	 * 39:36, AFP 47:44, ECBHB 63:60. Hidden: VMIDBits, VH, LO (TLOR
	 * traps LORegions), SpecSEI, XNX, TWED, HCX, nTLBPA, TIDCP1, CMOW. */
	[ID_MMFR1] = { BITS(3, 0) | BITS(15, 12) | BITS(23, 20) |
			       BITS(39, 36) | BITS(47, 44) | BITS(63, 60),
		       0 },
	/* ID_AA64MMFR2_EL1. Hidden: NV 27:24, FWB 43:40, EVT 59:56 and the
	 * reserved 47:44; the rest are stage-1 or cache properties. */
	[ID_MMFR2] = { ~(BITS(27, 24) | BITS(47, 40) | BITS(59, 56)), 0 },
};

/* PARange 0b0010: 40 bits, the partition's IPA space (HV_GUEST_IPA_BITS). */
#define GUEST_PARANGE 2u

/** The guest's view of ID register @id whose hardware value is @hw
 * (contract in arch/sysreg_policy.h). Pure. */
uint64_t sysreg_id_sanitise(enum sysreg_id id, uint64_t hw)
{
	uint64_t v;

	if ((unsigned)id >= ID_COUNT) {
		return 0;
	}
	v = (hw & id_rules[id].keep) | id_rules[id].set;
	if (id == ID_MMFR0) {
		uint64_t pa = hw & BITS(3, 0);

		v |= pa < GUEST_PARANGE ? pa : GUEST_PARANGE;
	}
	return v;
}

/* The AArch64 feature ID space that HCR_EL2.TID3 traps: op0 3, op1 0,
 * CRn 0, CRm 1-7 (D19.2.48, HCR_EL2.TID3). CRm 1-3 are the AArch32 ID
 * registers: RAZ, since guests have no AArch32. */
static bool in_id_space(uint64_t enc)
{
	uint64_t crm = FIELD_GET(ESR_SYS_CRM, enc);

	return FIELD_GET(ESR_SYS_OP0, enc) == 3 &&
	       FIELD_GET(ESR_SYS_OP1, enc) == 0 &&
	       FIELD_GET(ESR_SYS_CRN, enc) == 0 && crm >= 1 && crm <= 7;
}

/** Which ID table entry the encoding @enc reads; ID_RAZ outside the
 * table. Pure. */
enum sysreg_id sysreg_id_index(uint64_t enc)
{
	if (!in_id_space(enc)) {
		return ID_RAZ;
	}
	switch (FIELD_GET(ESR_SYS_CRM, enc) << 3 |
		FIELD_GET(ESR_SYS_OP2, enc)) {
	case 4 << 3 | 0:
		return ID_PFR0;
	case 4 << 3 | 1:
		return ID_PFR1;
	case 4 << 3 | 4:
		return ID_ZFR0;
	case 4 << 3 | 5:
		return ID_SMFR0;
	case 5 << 3 | 0:
		return ID_DFR0;
	case 5 << 3 | 1:
		return ID_DFR1;
	case 5 << 3 | 4:
		return ID_AFR0;
	case 5 << 3 | 5:
		return ID_AFR1;
	case 6 << 3 | 0:
		return ID_ISAR0;
	case 6 << 3 | 1:
		return ID_ISAR1;
	case 6 << 3 | 2:
		return ID_ISAR2;
	case 7 << 3 | 0:
		return ID_MMFR0;
	case 7 << 3 | 1:
		return ID_MMFR1;
	case 7 << 3 | 2:
		return ID_MMFR2;
	default:
		return ID_RAZ;
	}
}

/*
 * Debug registers (op0 2). MDCR_EL2.TDA/TDOSA/TDRA trap them; the guest
 * gets RAZ/WI, so self-hosted debug is inert but a kernel that resets its
 * breakpoints, MDSCR_EL1 or the OS lock at boot keeps running (D2.1,
 * "About self-hosted debug"). op1 1 is the trace unit (CPTR_EL2.TTA):
 * UNDEF, as TraceVer reads 0.
 */
static enum sysreg_action classify_debug(uint64_t enc, bool read)
{
	if (FIELD_GET(ESR_SYS_OP1, enc) == 1) {
		return SR_UNDEF;
	}
	if (enc == SYSREG_OSLSR_EL1) {
		return read ? SR_OSLSR : SR_UNDEF;
	}
	return SR_RAZ_WI;
}

/*
 * The registers ICH_HCR_EL2.TALL1 traps: ICC_IAR1_EL1, ICC_EOIR1_EL1,
 * ICC_HPPIR1_EL1, ICC_BPR1_EL1, ICC_IGRPEN1_EL1 (op0 3, op1 0, CRn 12,
 * CRm 12, op2 0-3 and 7) and ICC_AP1R<n>_EL1 (CRm 9, op2 0-3) (IHI 0069H
 * 12.5, ICH_HCR_EL2.TALL1). They trap only while the vGIC checks an
 * acknowledge (vgic_latched_masked()).
 */
static bool is_icc_group1(uint64_t enc)
{
	unsigned op2 = (unsigned)FIELD_GET(ESR_SYS_OP2, enc);
	unsigned crm = (unsigned)FIELD_GET(ESR_SYS_CRM, enc);

	if (FIELD_GET(ESR_SYS_OP0, enc) != 3 || FIELD_GET(ESR_SYS_OP1, enc) != 0 ||
	    FIELD_GET(ESR_SYS_CRN, enc) != 12) {
		return false;
	}
	return (crm == 12 && (op2 <= 3 || op2 == 7)) || (crm == 9 && op2 <= 3);
}

/** The outcome of a trapped access to @enc (MRS if @read): see the table
 * in docs/traps.md. Pure; every input has an answer. */
enum sysreg_action sysreg_classify(uint64_t enc, bool read)
{
	enc &= SYSREG_ENC_MASK;
	if (in_id_space(enc)) {
		return read ? SR_ID : SR_UNDEF;
	}
	if (FIELD_GET(ESR_SYS_OP0, enc) == 2) {
		return classify_debug(enc, read);
	}
	switch (enc) {
	case SYSREG_ICC_SGI1R:
	case SYSREG_ICC_ASGI1R:
	case SYSREG_ICC_SGI0R:
		return read ? SR_UNDEF : SR_SGI;
	case SYSREG_DC_ISW:
	case SYSREG_DC_CSW:
	case SYSREG_DC_CISW:
		return read ? SR_UNDEF : SR_SETWAY;
	case SYSREG_ACTLR_EL1:
		return SR_RAZ_WI;
	default:
		break;
	}
	if (is_icc_group1(enc)) {
		return SR_ICC_RETRY;
	}
	/* IMPLEMENTATION DEFINED registers (op0 3, CRn 11 or 15; HCR_EL2.TIDCP,
	 * D19.2 HCR_EL2): a partition must not reconfigure a shared cache or
	 * core. PMU, SPE, AMU, RAS error records, LORegions and anything else
	 * trapped: UNDEF, consistent with the ID registers. */
	return SR_UNDEF;
}

/** A short name of @a for logs. Pure. */
const char *sysreg_action_name(enum sysreg_action a)
{
	switch (a) {
	case SR_RAZ_WI:
		return "RAZ/WI";
	case SR_ID:
		return "sanitised ID value";
	case SR_OSLSR:
		return "OSLSR emulated";
	case SR_SETWAY:
		return "set/way: own memory cleaned";
	case SR_SGI:
		return "virtual SGI";
	case SR_ICC_RETRY:
		return "GIC acknowledge check";
	case SR_UNDEF:
	default:
		return "UNDEF";
	}
}
