/* SPDX-License-Identifier: MIT */
/*
 * EL2 configuration of each core, vCPU reset and exception injection.
 */
#include "hv/arch.h"
#include "hv/colour.h"
#include "hv/config.h"
#include "hv/hardening.h"
#include "hv/log.h"
#include "hv/partition.h"

#include "arch/esr.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;

/* Guest-facing trap configuration (docs/traps.md has the table):
 * VM: stage 2 on. SWIO: set/way invalidate is clean+invalidate. FMO/IMO/AMO:
 * physical FIQ, IRQ and SError go to EL2; the guest gets virtual ones.
 * FB/BSU: guest TLB and cache maintenance broadcast in the inner shareable
 * domain, since a partition's vCPUs run on several cores. TSC: SMC traps
 * (nothing reaches firmware unfiltered). TSW: set/way maintenance, which
 * would reach the shared L2, is emulated. TACR: ACTLR_EL1 is RAZ/WI.
 * TIDCP: IMPLEMENTATION DEFINED registers UNDEF. TID3: feature ID
 * registers read sanitised values. RW: EL1 is AArch64. TLOR and TERR are
 * added where LORegions and RAS exist (arch_cpu_init_el2). Arm ARM DDI 0487
 * J.a, D19.2.48 HCR_EL2. */
#define HCR_GUEST                                                          \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB |       \
	 HCR_BSU_IS | HCR_TSC | HCR_TSW | HCR_TACR | HCR_TIDCP | HCR_TID3 | \
	 HCR_RW)

/* HCR_EL2 for guests on this system: HCR_GUEST plus the feature-dependent
 * traps. Written by the boot core before the others start. */
static uint64_t hcr_guest = HCR_GUEST;

/* MDCR_EL2 for guests, and whether this core's PMU may be handed to a
 * partition that asks for it (PMUv3p1: HPMD keeps EL2 from being
 * counted). Computed per core in arch_cpu_init_el2(). */
static uint64_t mdcr_guest;
static bool pmu_grantable;
static bool has_pmu; /* PMUv3 (PMUVer 1-14): its registers exist at EL2 */

/*
 * MDCR_EL2 (Arm ARM DDI 0487 J.a, D19.3): the PMU (TPM, TPMCR) and every debug register (TDA,
 * TDOSA, TDRA) trap; SPE (TPMS) and trace filter controls (TTRF) where they
 * exist; E2PB and E2TB stay 0, so the profiling and trace buffers belong
 * to EL2 and their EL1 controls trap. HPMD stops counting at EL2 where
 * PMUv3p1 has it. HPMN keeps PMCR_EL0.N (the guest cannot reach any).
 */
static uint64_t mdcr_value(uint64_t dfr0, uint64_t pmcr_n)
{
	uint64_t pmuver = FIELD_GET(DFR0_PMUVER, dfr0);
	uint64_t m = FIELD_PREP(MDCR_HPMN_MASK, pmcr_n) | MDCR_TPMCR |
		     MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;

	if (FIELD_GET(DFR0_PMSVER, dfr0) != 0) {
		m |= MDCR_TPMS;
	}
	if (FIELD_GET(DFR0_TRACEFILT, dfr0) != 0) {
		m |= MDCR_TTRF;
	}
	if (pmuver >= 4 && pmuver != 0xf) {
		m |= MDCR_HPMD;
	}
	return m;
}

/**
 * Set every EL2 control register this core uses to a known value: a
 * bootloader may have left anything (U-Boot leaves HCR_EL2 = 0x20).
 */
void arch_cpu_init_el2(void)
{
	uint64_t parange = FIELD_GET(MMFR0_PARANGE,
				     read_sysreg(id_aa64mmfr0_el1));
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t cptr = CPTR_EL2_RES1 | CPTR_TTA;

	write_sysreg(hcr_el2, HCR_RW);
	/* FP/SIMD not trapped (guests use it); SVE (TZ) and SME (TSM) trap
	 * through the RES1 bits, trace registers (TTA) and activity monitors
	 * (TAM, where FEAT_AMUv1 exists) trap. D19.2.33 CPTR_EL2. */
	if (FIELD_GET(PFR0_AMU, pfr0) != 0) {
		cptr |= CPTR_TAM;
	}
	write_sysreg(cptr_el2, cptr);
	has_pmu = FIELD_GET(DFR0_PMUVER, dfr0) != 0 &&
		  FIELD_GET(DFR0_PMUVER, dfr0) != 0xf;
	/* HPMN = PMCR_EL0.N: every counter is the guest's when it is given
	 * the PMU. */
	mdcr_guest = mdcr_value(dfr0, has_pmu ? (read_sysreg(pmcr_el0) >> 11) &
							0x1f
					      : 0);
	pmu_grantable = (mdcr_guest & MDCR_HPMD) != 0;
	write_sysreg(mdcr_el2, mdcr_guest);
	/* No counter runs for EL2's sake: the PMU stays disabled. */
	if (has_pmu) {
		write_sysreg(pmcr_el0, 0);
	}
	if (FIELD_GET(MMFR1_LO, read_sysreg(id_aa64mmfr1_el1)) != 0) {
		hcr_guest |= HCR_TLOR;
	}
	if (FIELD_GET(PFR0_RAS, pfr0) != 0) {
		hcr_guest |= HCR_TERR;
	}
	sysreg_id_init();
	arch_smccc_core_init();
	write_sysreg(hstr_el2, 0);
	/* IMPLEMENTATION DEFINED, but on Arm's cores (Cortex-A53 TRM,
	 * ACTLR_EL2) its bits only let EL1 write CPUACTLR, CPUECTLR, L2CTLR,
	 * L2ECTLR and L2ACTLR, and 0 is their reset value. Some firmware sets
	 * them for its next stage; left set, a partition could reconfigure
	 * the L2 cache that the other partitions share. */
	write_sysreg(actlr_el2, 0);
	/* EL1 may use the physical counter and timer directly. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(vttbr_el2, 0);
	/* Stage 2: 40-bit IPA, start level 1 (two concatenated tables),
	 * 4K granule, inner shareable write-back walks. D19.2.161 VTCR_EL2. */
	write_sysreg(vtcr_el2, VTCR_RES1 | TCR_T0SZ(HV_GUEST_IPA_BITS) |
				       (1ULL << VTCR_SL0_SHIFT) |
				       TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
				       TCR_SH0_INNER |
				       ((parange > 5 ? 5 : parange)
					<< VTCR_PS_SHIFT));
	isb();
}

/* Reset the EL1/EL0 system state a previous run could leave behind, so a
 * restarted partition starts as from cold and learns nothing. */
static void reset_el1_sysregs(void)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(csselr_el1, 0);
	write_sysreg(mdscr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
	arch_fpsimd_reset();
}

/* HCR_EL2 for a partition: WFI and WFE trap only if its description says
 * so (trap-wfi, trap-wfe), since a trapped WFI costs interrupt latency. */
static uint64_t hcr_el2_for(const struct hv_partition_cfg *c)
{
	uint64_t h = hcr_guest;

	if (c->flags & HV_PART_TRAP_WFI) {
		h |= HCR_TWI;
	}
	if (c->flags & HV_PART_TRAP_WFE) {
		h |= HCR_TWE;
	}
	return h;
}

/*
 * MDCR_EL2 for a partition. "pmu" gives it the PMU (TPM and TPMCR clear,
 * every counter below HPMN) only where HPMD stops counting at EL2; on an
 * older PMU it stays trapped and the boot says so once. "debug" gives it
 * the debug registers (TDA, TDOSA, TDRA clear): its breakpoints and
 * watchpoints target EL1, and debug exceptions are never taken from EL2
 * while MDCR_EL2.TDE is 0 (Arm ARM DDI 0487 J.a, D2.1).
 */
static uint64_t mdcr_el2_for(const struct partition *p)
{
	static uint32_t warned;
	uint64_t m = mdcr_guest;

	if ((p->cfg->flags & HV_PART_PMU) != 0) {
		if (pmu_grantable) {
			m &= ~(MDCR_TPM | MDCR_TPMCR);
		} else if ((__atomic_fetch_or(&warned, 1u << p->index,
					      __ATOMIC_RELAXED) &
			    (1u << p->index)) == 0) {
			log_info("partition %s: pmu not given: this core's PMU "
				 "cannot exclude EL2 (no PMUv3p1)",
				 p->cfg->name);
		}
	}
	if ((p->cfg->flags & HV_PART_DEBUG) != 0) {
		m &= ~(MDCR_TDA | MDCR_TDOSA | MDCR_TDRA);
	}
	return arch_regulate_mdcr(m); /* HPMN: a counter kept for EL2 */
}

/* PMU state a previous run (or another partition's pmu) could leave:
 * counters stopped, reset and their interrupts and overflows cleared. */
static void reset_pmu(void)
{
	if (!has_pmu) {
		return;
	}
	write_sysreg(pmcr_el0, BIT(1) | BIT(2)); /* P, C: reset counters */
	write_sysreg(pmcntenclr_el0, ~0ULL);
	write_sysreg(pmintenclr_el1, ~0ULL);
	write_sysreg(pmovsclr_el0, ~0ULL);
	write_sysreg(pmuserenr_el0, 0);
	write_sysreg(pmcr_el0, 0);
}

/* Disable every breakpoint a previous run (given "debug") could have left
 * armed: their control registers' E bit (D19.3). */
static void reset_breakpoints(uint64_t dfr0)
{
	switch (FIELD_GET(BITS(15, 12), dfr0) + 1) { /* BRPs */
	case 16:
		write_sysreg(dbgbcr15_el1, 0);
		__attribute__((fallthrough));
	case 15:
		write_sysreg(dbgbcr14_el1, 0);
		__attribute__((fallthrough));
	case 14:
		write_sysreg(dbgbcr13_el1, 0);
		__attribute__((fallthrough));
	case 13:
		write_sysreg(dbgbcr12_el1, 0);
		__attribute__((fallthrough));
	case 12:
		write_sysreg(dbgbcr11_el1, 0);
		__attribute__((fallthrough));
	case 11:
		write_sysreg(dbgbcr10_el1, 0);
		__attribute__((fallthrough));
	case 10:
		write_sysreg(dbgbcr9_el1, 0);
		__attribute__((fallthrough));
	case 9:
		write_sysreg(dbgbcr8_el1, 0);
		__attribute__((fallthrough));
	case 8:
		write_sysreg(dbgbcr7_el1, 0);
		__attribute__((fallthrough));
	case 7:
		write_sysreg(dbgbcr6_el1, 0);
		__attribute__((fallthrough));
	case 6:
		write_sysreg(dbgbcr5_el1, 0);
		__attribute__((fallthrough));
	case 5:
		write_sysreg(dbgbcr4_el1, 0);
		__attribute__((fallthrough));
	case 4:
		write_sysreg(dbgbcr3_el1, 0);
		__attribute__((fallthrough));
	case 3:
		write_sysreg(dbgbcr2_el1, 0);
		__attribute__((fallthrough));
	case 2:
		write_sysreg(dbgbcr1_el1, 0);
		__attribute__((fallthrough));
	case 1:
		write_sysreg(dbgbcr0_el1, 0);
		__attribute__((fallthrough));
	default:
		break;
	}
}

/* The same for the watchpoints. */
static void reset_watchpoints(uint64_t dfr0)
{
	switch (FIELD_GET(BITS(23, 20), dfr0) + 1) { /* WRPs */
	case 16:
		write_sysreg(dbgwcr15_el1, 0);
		__attribute__((fallthrough));
	case 15:
		write_sysreg(dbgwcr14_el1, 0);
		__attribute__((fallthrough));
	case 14:
		write_sysreg(dbgwcr13_el1, 0);
		__attribute__((fallthrough));
	case 13:
		write_sysreg(dbgwcr12_el1, 0);
		__attribute__((fallthrough));
	case 12:
		write_sysreg(dbgwcr11_el1, 0);
		__attribute__((fallthrough));
	case 11:
		write_sysreg(dbgwcr10_el1, 0);
		__attribute__((fallthrough));
	case 10:
		write_sysreg(dbgwcr9_el1, 0);
		__attribute__((fallthrough));
	case 9:
		write_sysreg(dbgwcr8_el1, 0);
		__attribute__((fallthrough));
	case 8:
		write_sysreg(dbgwcr7_el1, 0);
		__attribute__((fallthrough));
	case 7:
		write_sysreg(dbgwcr6_el1, 0);
		__attribute__((fallthrough));
	case 6:
		write_sysreg(dbgwcr5_el1, 0);
		__attribute__((fallthrough));
	case 5:
		write_sysreg(dbgwcr4_el1, 0);
		__attribute__((fallthrough));
	case 4:
		write_sysreg(dbgwcr3_el1, 0);
		__attribute__((fallthrough));
	case 3:
		write_sysreg(dbgwcr2_el1, 0);
		__attribute__((fallthrough));
	case 2:
		write_sysreg(dbgwcr1_el1, 0);
		__attribute__((fallthrough));
	case 1:
		write_sysreg(dbgwcr0_el1, 0);
		__attribute__((fallthrough));
	default:
		break;
	}
}

/* Disable every breakpoint and watchpoint a previous run left armed. */
static void reset_debug(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	reset_breakpoints(dfr0);
	reset_watchpoints(dfr0);
}

/**
 * Prepare this core's vCPU to enter its guest at @entry with x0 = @x0, as
 * the Linux arm64 boot protocol wants: EL1h, interrupts masked, MMU off,
 * x1-x3 zero. Runs on the vCPU's own core.
 */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	for (unsigned i = 0; i < 31; i++) {
		v->regs.x[i] = 0;
	}
	v->regs.x[0] = x0;
	v->regs.elr = entry;
	v->regs.spsr = SPSR_EL1H_MASKED;
	reset_el1_sysregs();
	/* MPIDR seen by the guest: U=0, MT=0, Aff0 = vCPU index (bit 31 RES1). */
	write_sysreg(vmpidr_el2, (1ULL << 31) | v->index);
	write_sysreg(vttbr_el2, v->part->vttbr);
	write_sysreg(hcr_el2, hcr_el2_for(v->part->cfg));
	write_sysreg(mdcr_el2, mdcr_el2_for(v->part));
	reset_pmu();
	arch_regulate_vcpu_start(v);
	reset_debug();
	isb();
}

/*
 * Where an exception taken to EL1 goes, from the guest's PSTATE.
 * Arm ARM DDI 0487 J.a, D1.10.2 "Exception vectors".
 */
static uint64_t el1_vector_offset(uint64_t spsr)
{
	if (spsr & SPSR_MODE_AARCH32) {
		return 0x600;
	}
	switch (spsr & SPSR_MODE_MASK) {
	case SPSR_MODE_EL1T:
		return 0x000;
	case SPSR_MODE_EL1H:
		return 0x200;
	default:
		return 0x400; /* from EL0 */
	}
}

static bool from_el0(uint64_t spsr)
{
	return (spsr & SPSR_MODE_AARCH32) ||
	       (spsr & SPSR_MODE_MASK) == SPSR_MODE_EL0T;
}

/* Take a synchronous exception to the guest's EL1 with syndrome @esr. */
static void inject_sync(struct vcpu *v, uint64_t esr)
{
	write_sysreg(esr_el1, esr);
	write_sysreg(elr_el1, v->regs.elr);
	write_sysreg(spsr_el1, v->regs.spsr);
	v->regs.elr = read_sysreg(vbar_el1) + el1_vector_offset(v->regs.spsr);
	v->regs.spsr = SPSR_EL1H_MASKED;
}

/**
 * Make the trapping instruction look UNDEFINED to the guest: EC 0x00
 * ("Unknown reason"), IL set. D1.10.4 / D19.2.40.
 */
void arch_inject_undef(struct vcpu *v)
{
	inject_sync(v, ESR_IL);
}

/**
 * Deliver a synchronous external abort for the faulting access (FAR_EL2),
 * as the guest would see one from a bus error: data or instruction abort,
 * same or lower EL, FSC 0x10, WnR copied for data.
 */
void arch_inject_abort(struct vcpu *v, bool instruction)
{
	uint64_t far = read_sysreg(far_el2);
	bool low = from_el0(v->regs.spsr);
	uint64_t ec, esr;

	if (instruction) {
		ec = low ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	} else {
		ec = low ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	}
	esr = FIELD_PREP(ESR_EC_MASK, ec) | ESR_IL | FSC_SEA;
	if (!instruction) {
		esr |= read_sysreg(esr_el2) & ESR_DABT_WNR;
	}
	write_sysreg(far_el1, far);
	inject_sync(v, esr);
}

/** Pend a virtual SError (HCR_EL2.VSE); taken when the guest unmasks A. */
void arch_inject_serror(struct vcpu *v)
{
	(void)v;
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | BIT(8));
}

/** Stop this core for good: interrupts masked, wait forever. */
void arch_halt(void)
{
	for (;;) {
		__asm__ volatile("msr daifset, #0xf\n\twfi" ::: "memory");
	}
}

/**
 * Call firmware PSCI CPU_ON (SMC Calling Convention, DEN0028; PSCI DEN0022D
 * 5.1.4) with the target masked to its affinity fields: firmware may reject
 * MPIDR bit 31.
 */
int64_t arch_psci_fw_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	register uint64_t x0 __asm__("x0") = 0xc4000003ULL;
	register uint64_t x1 __asm__("x1") = mpidr & MPIDR_AFF_MASK;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = ctx;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

/**
 * Ask firmware to power the machine off: PSCI SYSTEM_OFF over SMC (PSCI
 * DEN0022D 5.1.9; SMC Calling Convention DEN0028). Returns only if the
 * firmware refused or has no PSCI; the PSCI return code then.
 */
int64_t arch_psci_fw_system_off(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000008ULL;

	__asm__ volatile("smc #0"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
			   "x10", "x11", "x12", "x13", "x14", "x15", "x16",
			   "x17", "memory");
	return (int64_t)x0;
}

/**
 * A valid stage-2 leaf of @p at @ipa was just made invalid (the "break" of
 * break-before-make; here the page stays out for a while). Make the store
 * visible to the table walkers, then drop what the TLBs hold of it on
 * every core: TLBI IPAS2E1IS removes the stage-2 entry for the IPA, but
 * entries that combine stage 1 and stage 2 are tagged by VA, so a TLBI
 * VMALLE1IS must follow once the first has completed (DDI 0487 J.a,
 * "Using break-before-make when updating translation table entries", and
 * the description of TLBI IPAS2E1IS, on entries from both stages). Both
 * act on the VMID in VTTBR_EL2, so it is set to @p's (a core of @p has it
 * already).
 */
void arch_stage2_unmapped(const struct partition *p, uint64_t ipa)
{
	write_sysreg(vttbr_el2, p->vttbr);
	isb();
	dsb_ishst();
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(ipa >> 12) : "memory");
	dsb_ish();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	isb();
}

/**
 * An invalid stage-2 entry was just made valid (the "make"): an invalid
 * entry is never held in a TLB, so it only has to be visible to the table
 * walkers before the guest runs again.
 */
void arch_stage2_mapped(void)
{
	dsb_ishst();
	isb();
}

/**
 * Forget every translation and instruction cached for @p: its VMID's
 * stage-1 and stage-2 TLB entries on all cores, and the I-cache (new code
 * was written). Leaves VTTBR_EL2 pointing at @p; only @p's cores call it.
 */
void arch_partition_flush(const struct partition *p)
{
	write_sysreg(vttbr_el2, p->vttbr);
	isb();
	dsb_ishst();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb_ish();
	isb();
}

/**
 * The way size in bytes of the last data or unified cache level that
 * CLIDR_EL1 names (sets x line size, from CCSIDR_EL1 selected through
 * CSSELR_EL1), or 0 if there is none. Arm ARM DDI 0487 J.a, D23.2.27
 * CLIDR_EL1 (Ctype<n>: 0b010 data, 0b011 separate, 0b100 unified),
 * D23.2.32 CSSELR_EL1 (Level, InD), D23.2.29 CCSIDR_EL1 (LineSize 2:0,
 * NumSets 27:13, or 55:32 with FEAT_CCIDX, ID_AA64MMFR2_EL1.CCIDX 23:20).
 * Boot core, before any partition runs.
 */
uint64_t arch_llc_way_size(void)
{
	uint64_t clidr = read_sysreg(clidr_el1);
	bool ccidx = ((read_sysreg(id_aa64mmfr2_el1) >> 20) & 0xf) != 0;
	unsigned last = 0;
	uint64_t ccsidr, sets, line;

	for (unsigned n = 1; n <= 7; n++) {
		uint64_t ctype = (clidr >> (3 * (n - 1))) & 7;

		if (ctype >= 2 && ctype <= 4) {
			last = n;
		}
	}
	if (last == 0) {
		return 0;
	}
	write_sysreg(csselr_el1, (uint64_t)(last - 1) << 1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	line = 1ULL << ((ccsidr & 7) + 4);
	sets = ccidx ? ((ccsidr >> 32) & 0xffffff) + 1
		     : ((ccsidr >> 13) & 0x7fff) + 1;
	return sets * line;
}
