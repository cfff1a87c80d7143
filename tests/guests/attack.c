/* SPDX-License-Identifier: MIT */
/*
 * The isolation attack suite: a hostile partition (fault policy "inject",
 * RAM identity mapped at 0x48000000) runs one attack after another against
 * a victim partition (tests/configs/qemu-virt/attack-suite.dts: testguest
 * with a 64 KiB canary at PA 0x44801000 and a heartbeat) and against the
 * hypervisor. Its own exception hook records every fault and resumes after
 * the faulting instruction, so the suite survives what it provokes.
 *
 * One row per attack:
 *   attack NN | what it tried | what happened | contained
 * "contained" means the outcome is one the hypervisor promises
 * (docs/traps.md): an injected abort, an injected UNDEF, RAZ/WI, an
 * emulated result or a PSCI/SMCCC error code, with no effect outside the
 * partition that the attacker can see. Whether the victim stayed intact is
 * judged from the victim's own heartbeat lines by tests/run/attack_report.py.
 * The last attack is PSCI SYSTEM_OFF, which must stop this partition only.
 *
 * The addresses above are QEMU virt's; a board with another memory map names
 * its own in bootargs (victim-canary=, hv-text=, hv-data=, victim-dev=,
 * victim-spi=, victim-dev-end=, victim-ram=, victim-ram-end=;
 * tests/configs/rpi4/attack-suite.dts).
 */
#include "gic.h"
#include "guest.h"

#define FOREIGN_GICR 0x080e0000UL  /* GICv3 frame of a vCPU 2 (we have 2) */
#define GICH_FRAME 0x08030000UL	   /* GICv2 virtual interface control */
#define GICD 0x08000000UL
#define UART 0x09000000UL

/*
 * Physical addresses attacked (this partition's RAM is identity mapped, so
 * they are also its IPAs), from bootargs, with QEMU virt's as defaults
 * (tests/configs/qemu-virt/attack-suite.dts); set once in guest_main().
 */
static uint64_t victim_canary; /* victim RAM + 8 MiB + 4 KiB: 0x44801000 */
static uint64_t hv_text;       /* the hypervisor's load address: 0x40200000 */
static uint64_t hv_data;       /* inside the hypervisor's region: 0x41000000 */
static uint64_t own_base;      /* this partition's RAM, from its device tree */
static uint64_t own_end;       /* first byte past it */
static uint64_t victim_dev;    /* the victim's device: virtio slot 0x0a000000 */
static uint64_t victim_dev_end; /* first byte past it: 0x0a000200 */
static uint64_t victim_spi;    /* and its SPI: 48 */
static uint64_t victim_ram;    /* the victim's RAM: 0x44000000 */
static uint64_t victim_ram_end; /* first byte past it: 0x48000000 */
/* The boundary probes' addresses (attacks 46-52). */
static uint64_t below_own, victim_last, dev_below, dev_last;

#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMS (-2)
#define PSCI_INVALID_ADDRESS (-9)

static volatile unsigned n_exc;
static volatile uint64_t last_esr;
static unsigned exc_mark;
static struct dt_info dt;

bool guest_fault_hook(uint64_t kind, uint64_t esr, uint64_t far)
{
	(void)kind;
	(void)far;
	last_esr = esr;
	n_exc++;
	return true;
}

static void begin(void)
{
	exc_mark = n_exc;
	last_esr = 0;
}

static unsigned faults(void)
{
	return n_exc - exc_mark;
}

static unsigned ec(void)
{
	return (unsigned)(last_esr >> 26);
}

/* Synchronous external abort, as the "inject" policy delivers. */
static bool injected_abort(void)
{
	return faults() != 0 && (ec() == 0x25 || ec() == 0x24) &&
	       (last_esr & 0x3f) == 0x10;
}

static bool undef(void)
{
	return faults() != 0 && ec() == 0x00;
}

/* ---- memory ---- */

static const char *mem(uint64_t addr, bool write, bool *ok)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aULL;

	begin();
	if (write) {
		__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
	} else {
		__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	}
	*ok = injected_abort();
	return *ok ? "data abort injected"
	     : faults() ? "unexpected exception"
			: "access SUCCEEDED";
}

static const char *a_victim_rd(bool *ok) { return mem(victim_canary, false, ok); }
static const char *a_victim_wr(bool *ok) { return mem(victim_canary, true, ok); }
static const char *a_hvtext_rd(bool *ok) { return mem(hv_text, false, ok); }
static const char *a_hvtext_wr(bool *ok) { return mem(hv_text, true, ok); }
static const char *a_hvdata_wr(bool *ok) { return mem(hv_data, true, ok); }
static const char *a_past_end(bool *ok) { return mem(own_end, true, ok); }
static const char *a_gicr_rd(bool *ok) { return mem(FOREIGN_GICR, false, ok); }
static const char *a_gicr_wr(bool *ok) { return mem(FOREIGN_GICR, true, ok); }
static const char *a_gich(bool *ok) { return mem(GICH_FRAME, true, ok); }
static const char *a_dev_rd(bool *ok) { return mem(victim_dev, false, ok); }
static const char *a_dev_wr(bool *ok) { return mem(victim_dev + 0x70, true, ok); }

/*
 * Boundary probes: a read and then a write of the 8 bytes at @addr, each
 * of which must come back as an injected abort. A stage 2 that mapped one
 * page too many at either end of a region (RAM or a device) lets one of
 * them through.
 */
static const char *probe(uint64_t addr, bool *ok)
{
	bool rd, wr;

	(void)mem(addr, false, &rd);
	(void)mem(addr, true, &wr);
	*ok = rd && wr;
	return *ok ? "read and write aborted"
	     : !rd ? "read NOT aborted"
		   : "write NOT aborted";
}

static const char *a_below_own(bool *ok) { return probe(below_own, ok); }
static const char *a_above_own(bool *ok) { return probe(own_end, ok); }
static const char *a_victim_first(bool *ok) { return probe(victim_ram, ok); }
static const char *a_victim_last(bool *ok) { return probe(victim_last, ok); }
static const char *a_dev_below(bool *ok) { return probe(dev_below, ok); }
static const char *a_dev_last(bool *ok) { return probe(dev_last, ok); }
static const char *a_dev_above(bool *ok) { return probe(victim_dev_end, ok); }

/* Cache maintenance by address on the victim's RAM: DC IVAC would discard
 * its dirty lines if it reached them. */
static const char *a_dc_ivac(bool *ok)
{
	begin();
	__asm__ volatile("dc ivac, %0" : : "r"(victim_canary) : "memory");
	__asm__ volatile("dc civac, %0" : : "r"(hv_text) : "memory");
	__asm__ volatile("dsb sy");
	/* A stage-2 fault on maintenance is an abort; none (a no-op on an
	 * address outside the map) is also harmless. */
	*ok = faults() == 0 || injected_abort();
	return faults() ? "data abort injected" : "no effect (not mapped)";
}

/* ---- the distributor and SGIs ---- */

static const char *a_spi_enable(bool *ok)
{
	gic_enable(victim_spi);
	gic_set_pending(victim_spi);
	gic_set_active(victim_spi);
	*ok = !gic_is_enabled(victim_spi) && !gic_is_pending(victim_spi) &&
	      !gic_is_active(victim_spi);
	return *ok ? "RAZ/WI (reads back 0)" : "foreign SPI CHANGED";
}

static const char *a_spi_route(bool *ok)
{
	gic_set_priority(victim_spi, 0x10);
	gic_set_config(victim_spi, true);
	gic_route_spi(victim_spi, 0);
	gic_disable(victim_spi);
	gic_clear_pending(victim_spi);
	*ok = gic_get_priority(victim_spi) == 0 && !gic_is_edge(victim_spi);
	return *ok ? "RAZ/WI (reads back 0)" : "foreign SPI CHANGED";
}

static const char *a_sgi_all(bool *ok)
{
	begin();
	gic_send_sgi(3, 0xff);
	gic_send_sgi_others(4);
	*ok = faults() == 0;
	return *ok ? "delivered to own vCPUs only" : "unexpected exception";
}

static const char *a_sgi_foreign_aff(bool *ok)
{
	begin();
	if (gic_version() == GIC_V3) {
		/* Aff1 = 1, and range selector 1: cores of nobody we own. */
		uint64_t aff1 = (3ULL << 24) | (1ULL << 16) | 0xffff;
		uint64_t rs = (4ULL << 24) | (1ULL << 44) | 0xffff;
		uint64_t irm = (5ULL << 24) | (1ULL << 40);

		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"(aff1));
		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"(rs));
		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"(irm));
		__asm__ volatile("msr S3_0_C12_C11_6, %0" : : "r"(irm));
		__asm__ volatile("isb");
	} else {
		gic_dist_write(0xf00, (0xffu << 16) | 5);
		gic_dist_write(0xf00, (1u << 24) | 6);
	}
	*ok = faults() == 0;
	return *ok ? "ignored beyond own vCPUs" : "unexpected exception";
}

static const char *a_gicd_ctlr(bool *ok)
{
	uint32_t ctlr = gic_dist_read(0x0);

	gic_dist_write(0x0, 0);
	gic_dist_write(0x0, ctlr);
	*ok = gic_dist_read(0x0) == ctlr;
	return *ok ? "own virtual distributor only" : "GICD_CTLR lost";
}

/* ---- PSCI ---- */

static volatile uint64_t v1_ids[2];
static volatile uint32_t v1_done;

static int64_t hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return psci_call(fid, a1, a2, a3);
}

static const char *a_cpu_on_foreign(bool *ok)
{
	int64_t r1 = hvc(0xc4000003, 2, (uint64_t)secondary_entry, 2);
	int64_t r2 = hvc(0xc4000003, 0x100, (uint64_t)secondary_entry, 2);
	int64_t r3 = hvc(0xc4000003, 0x80000000, (uint64_t)secondary_entry, 2);

	*ok = r1 == PSCI_INVALID_PARAMS && r2 == PSCI_INVALID_PARAMS &&
	      r3 == PSCI_INVALID_PARAMS;
	return *ok ? "INVALID_PARAMETERS" : "foreign core STARTED";
}

static const char *a_cpu_on_victim_entry(bool *ok)
{
	int64_t r = hvc(0xc4000003, 1, victim_canary, 1);

	*ok = r == PSCI_INVALID_ADDRESS;
	return *ok ? "INVALID_ADDRESS" : "ACCEPTED";
}

static const char *a_affinity_foreign(bool *ok)
{
	int64_t r1 = hvc(0xc4000004, 2, 0, 0);
	int64_t r2 = hvc(0xc4000004, 0, 7, 0);

	*ok = r1 == PSCI_INVALID_PARAMS && r2 == PSCI_INVALID_PARAMS;
	return *ok ? "INVALID_PARAMETERS" : "answered";
}

/* vCPU 1 records its ID registers, then calls CPU_OFF: only it stops. */
static const char *a_cpu_off(bool *ok)
{
	int64_t r = hvc(0xc4000003, 1, (uint64_t)secondary_entry, 1);
	uint64_t end = now_ticks() + ticks_per_sec();

	while (!v1_done && now_ticks() < end) {
		__asm__ volatile("yield");
	}
	end = now_ticks() + ticks_per_sec();
	while (hvc(0xc4000004, 1, 0, 0) != 1 && now_ticks() < end) {
		__asm__ volatile("yield");
	}
	*ok = r == 0 && v1_done && hvc(0xc4000004, 1, 0, 0) == 1 &&
	      hvc(0xc4000004, 0, 0, 0) == 0;
	return *ok ? "only the caller (own vCPU 1) went off" : "CPU_OFF wrong";
}

static const char *a_cpu_suspend(bool *ok)
{
	int64_t r = hvc(0xc4000001, 0, 0, 0);

	*ok = r == PSCI_NOT_SUPPORTED;
	return *ok ? "NOT_SUPPORTED" : "answered";
}

/* ---- SMC and HVC ---- */

static const char *a_smc_ids(bool *ok)
{
	static const uint32_t ids[] = {
		0x82000000, 0x82000001, 0xc2000000, 0x83000000, 0xc3000010,
		0xb2000000, 0xbf00ff00, 0xf2000000, 0x86000000, 0xc6000f01,
		0x8400ffff, 0xc4000050, 0x00000000, 0x7fffffff, 0xffffffff,
		0x80000002, 0x8000ffff,
	};
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (smc_call(ids[i], 1, 2, 3) != PSCI_NOT_SUPPORTED) {
			bad++;
		}
	}
	*ok = bad == 0;
	return *ok ? "NOT_SUPPORTED for all 17 IDs" : "some ID ANSWERED";
}

static const char *a_smc_imm(bool *ok)
{
	register uint64_t x0 __asm__("x0") = 0x84000000;

	__asm__ volatile("smc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	*ok = (int64_t)x0 == PSCI_NOT_SUPPORTED;
	return *ok ? "NOT_SUPPORTED" : "answered";
}

static const char *a_hvc_imm(bool *ok)
{
	register uint64_t x0 __asm__("x0") = 0x84000000;

	__asm__ volatile("hvc #0x1234" : "+r"(x0) : : "x1", "x2", "x3",
			 "memory");
	*ok = (int64_t)x0 == PSCI_NOT_SUPPORTED;
	return *ok ? "NOT_SUPPORTED" : "answered";
}

static const char *a_hvc_bad_args(bool *ok)
{
	int64_t r1 = hvc(0x8400000a, 0xdeadbeef, 0, 0);	    /* FEATURES */
	int64_t r2 = hvc(0xc4000003, 1, own_base + 2, 1);	    /* unaligned */
	int64_t r3 = hvc(0xc4000003, ~0ULL, ~0ULL, ~0ULL); /* all ones */
	int64_t r4 = hvc(0x84000005, 0, 0, 0);		    /* MIGRATE */

	*ok = r1 == PSCI_NOT_SUPPORTED && r2 == PSCI_INVALID_ADDRESS &&
	      r3 == PSCI_INVALID_PARAMS && r4 == PSCI_NOT_SUPPORTED;
	return *ok ? "error codes (-1, -9, -2, -1)" : "unexpected answer";
}

static const char *a_smccc_wa(bool *ok)
{
	int64_t f1 = hvc(0x80000001, 0x80008000, 0, 0);
	int64_t w1 = hvc(0x80008000, 0, 0, 0);
	int64_t w2 = smc_call(0x80007fff, 0, 0, 0); /* try to turn SSBD off */
	int64_t v = hvc(0x80000000, 0, 0, 0);

	*ok = v == 0x10001 && (f1 == PSCI_NOT_SUPPORTED || f1 == 0) &&
	      (w1 == PSCI_NOT_SUPPORTED || w1 == 0) &&
	      (w2 == PSCI_NOT_SUPPORTED || w2 == 0);
	if (!*ok) {
		return "unexpected answer";
	}
	return f1 == 0 ? "passed to firmware (offered); WA2 off refused"
		       : "NOT_SUPPORTED (firmware offers none)";
}

/* ---- system registers ---- */

#define MRS(reg, v) __asm__ volatile("mrs %0, " reg : "=r"(v))
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0" : : "r"((uint64_t)(v)))

static const char *a_setway(bool *ok)
{
	static volatile uint64_t data[8] __attribute__((aligned(64)));

	data[0] = 0x1234567887654321ULL;
	begin();
	/* Level 1 and level 2, set 0 way 0 (the emulated clean), then some
	 * other set and way (ignored). ISW, CSW and CISW. */
	__asm__ volatile("dc isw, %0" : : "r"(0UL));
	__asm__ volatile("dc isw, %0" : : "r"(2UL));
	__asm__ volatile("dc csw, %0" : : "r"(0x40000042UL));
	__asm__ volatile("dc cisw, %0" : : "r"(0x80000100UL));
	__asm__ volatile("dsb sy");
	*ok = faults() == 0 && data[0] == 0x1234567887654321ULL;
	return *ok ? "emulated: own memory cleaned, data kept"
		   : "set/way FAILED";
}

static const char *a_actlr(bool *ok)
{
	uint64_t v = 1;

	begin();
	MSR("actlr_el1", ~0ULL);
	MRS("actlr_el1", v);
	*ok = faults() == 0 && v == 0;
	return *ok ? "RAZ/WI" : "ACTLR_EL1 reached hardware";
}

/*
 * IMPLEMENTATION DEFINED registers (Cortex-A53 CPUACTLR_EL1, CPUECTLR_EL1,
 * L2CTLR_EL1): HCR_EL2.TIDCP makes them UNDEF (DDI 0487 J.a, D19.2.48,
 * HCR_EL2.TIDCP). QEMU 10 applies TIDCP to them on the Cortex-A53 and
 * A72 models, so the row requires UNDEF for all three: with TIDCP
 * dropped they would read as constants and the row fails. (QEMU 7.2 did
 * not apply TIDCP there; the row then reports "inert", NOT CONTAINED.)
 */
#define IMPDEF_TRY(reg, undefs, inert)                                     \
	do {                                                               \
		uint64_t before_ = 0, after_ = 0;                          \
		begin();                                                   \
		MRS(reg, before_);                                         \
		MSR(reg, ~before_);                                        \
		MRS(reg, after_);                                          \
		if (undef()) {                                             \
			(undefs)++;                                        \
		} else if (after_ == before_) {                            \
			(inert)++;                                         \
		}                                                          \
	} while (0)

static const char *a_impdef(bool *ok)
{
	unsigned undefs = 0, inert = 0;

	IMPDEF_TRY("S3_1_C15_C2_0", undefs, inert); /* CPUACTLR */
	IMPDEF_TRY("S3_1_C11_C0_2", undefs, inert); /* L2CTLR */
	IMPDEF_TRY("S3_1_C15_C2_1", undefs, inert); /* CPUECTLR */
	*ok = undefs == 3;
	if (*ok) {
		return "UNDEF (3 of 3)";
	}
	return undefs + inert == 3 ? "not trapped; writes inert"
				   : "IMPDEF register CHANGED";
}

static const char *a_pmu(bool *ok)
{
	uint64_t v = 0;
	unsigned undefs = 0;

	begin();
	MRS("pmcr_el0", v);
	undefs += undef();
	begin();
	MSR("pmcr_el0", 1); /* E: count */
	undefs += undef();
	begin();
	MRS("pmccntr_el0", v);
	undefs += undef();
	begin();
	MSR("pmuserenr_el0", 0xf);
	undefs += undef();
	begin();
	MSR("S3_3_C14_C15_7", ~0ULL); /* PMCCFILTR_EL0: count at EL2 */
	undefs += undef();
	(void)v;
	*ok = undefs == 5;
	return *ok ? "UNDEF (5 of 5)" : "PMU REACHED";
}

static const char *a_debug(bool *ok)
{
	uint64_t mdscr = 1, bcr = 1, oslsr = 0;

	begin();
	MSR("mdscr_el1", (1ULL << 15) | (1ULL << 13) | 1); /* MDE KDE SS */
	MRS("mdscr_el1", mdscr);
	MSR("dbgbvr0_el1", hv_text);
	MSR("dbgbcr0_el1", 0x1e7); /* enabled, any EL */
	MRS("dbgbcr0_el1", bcr);
	MSR("oslar_el1", 1);
	MSR("osdlr_el1", 1);
	MRS("oslsr_el1", oslsr);
	*ok = faults() == 0 && mdscr == 0 && bcr == 0 && oslsr == 0x8;
	return *ok ? "RAZ/WI (OSLSR: unlocked)" : "debug REACHED";
}

static const char *a_el2_timer(bool *ok)
{
	uint64_t v = 0;
	unsigned undefs = 0;

	begin();
	MSR("S3_4_C14_C0_3", 0x1000000); /* CNTVOFF_EL2 */
	undefs += undef();
	begin();
	MRS("S3_4_C14_C0_3", v);
	undefs += undef();
	begin();
	MSR("S3_4_C14_C1_0", 0); /* CNTHCTL_EL2 */
	undefs += undef();
	begin();
	MSR("S3_4_C14_C2_1", 1); /* CNTHP_CTL_EL2 */
	undefs += undef();
	(void)v;
	*ok = undefs == 4;
	return *ok ? "UNDEF (4 of 4)" : "EL2 timer REACHED";
}

static const char *a_el2_regs(bool *ok)
{
	uint64_t v = 0;
	unsigned undefs = 0;

	begin();
	MSR("hcr_el2", 0);
	undefs += undef();
	begin();
	MRS("vttbr_el2", v);
	undefs += undef();
	begin();
	MSR("vbar_el2", 0);
	undefs += undef();
	(void)v;
	*ok = undefs == 3;
	return *ok ? "UNDEF (3 of 3)" : "EL2 register REACHED";
}

static uint64_t read_dfr0(void)
{
	uint64_t v;

	MRS("id_aa64dfr0_el1", v);
	return v;
}

static uint64_t read_pfr0(void)
{
	uint64_t v;

	MRS("id_aa64pfr0_el1", v);
	return v;
}

static const char *a_id_regs(bool *ok)
{
	uint64_t dfr0 = read_dfr0(), pfr0 = read_pfr0();

	/* PMUVer 11:8, TraceVer 7:4, PMSVer 35:32; EL2 11:8, EL3 15:12,
	 * SVE 35:32, RAS 31:28, AMU 47:44 all 0; EL0/EL1 AArch64 only. */
	*ok = (dfr0 & 0xf00000ff0ULL) == 0 && (pfr0 & 0xf00ff000ff00ULL) == 0 &&
	      (pfr0 & 0xff) == 0x11 && v1_ids[0] == dfr0 && v1_ids[1] == pfr0;
	return *ok ? "sanitised, same on both vCPUs" : "ID registers LEAK";
}

static const char *a_tlbi(bool *ok)
{
	unsigned undefs;

	begin();
	__asm__ volatile("dsb ishst; tlbi vmalle1is; ic ialluis; dsb ish; isb");
	__asm__ volatile("tlbi vaae1is, %0; dsb ish" : : "r"(0UL));
	*ok = faults() == 0;
	begin();
	__asm__ volatile("tlbi alle1is");
	undefs = undef();
	begin();
	__asm__ volatile("tlbi alle2is");
	undefs += undef();
	begin();
	__asm__ volatile("at s12e1r, %0" : : "r"(victim_canary));
	undefs += undef();
	*ok = *ok && undefs == 3;
	return *ok ? "own VMID only; EL2 forms UNDEF" : "TLBI REACHED";
}

/* ---- emulated devices ---- */

static const char *a_uart_unaligned(bool *ok)
{
	uint32_t v = 0;

	begin();
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(UART + 1) : "memory");
	/* With the MMU off the access is Device. QEMU 10 takes the stage-2
	 * fault first (no stage-1 alignment fault at EL1), so the emulated
	 * UART sees the unaligned access and must refuse it with an injected
	 * abort (docs/traps.md); emulating it is NOT CONTAINED. */
	*ok = injected_abort();
	return *ok ? "data abort injected"
	       : faults() ? "other exception (alignment fault?)"
			  : "access SUCCEEDED";
}

static const char *a_uart_64(bool *ok)
{
	uint64_t v = 0;

	begin();
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(UART) : "memory");
	*ok = injected_abort();
	return *ok ? "data abort injected" : "64-bit access ACCEPTED";
}

static const char *a_pair(bool *ok)
{
	uint64_t a = 0, b = 0;

	begin();
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(GICD)
			 : "memory");
	__asm__ volatile("stp %0, %1, [%2]" : : "r"(a), "r"(b), "r"(UART)
			 : "memory");
	*ok = faults() == 2 && injected_abort();
	return *ok ? "data abort injected (no syndrome)" : "pair ACCEPTED";
}

static const char *a_exclusive(bool *ok)
{
	uint32_t v = 0, st = 0;

	begin();
	__asm__ volatile("ldxr %w0, [%1]" : "=r"(v) : "r"(GICD) : "memory");
	__asm__ volatile("stxr %w0, %w1, [%2]" : "=&r"(st) : "r"(v),
			 "r"(GICD) : "memory");
	__asm__ volatile("clrex");
	/* An exclusive has no instruction syndrome (ESR_EL2.ISV = 0, DDI 0487
	 * J.a D19.2.43, ISS for a Data Abort), so the hypervisor cannot
	 * emulate it and must inject the abort (docs/traps.md). */
	*ok = injected_abort();
	return *ok ? "data abort injected"
	       : faults() ? "other exception" : "emulated as plain access";
}

static const char *a_gicd_junk(bool *ok)
{
	uint32_t before = gic_dist_read(0x4); /* GICD_TYPER */
	uint32_t v;

	begin();
	gic_dist_write(0x4, ~0u);     /* read-only */
	gic_dist_write(0xfffc, ~0u);  /* past the registers */
	v = gic_dist_read(0xfff0);
	*ok = (faults() == 0 || injected_abort()) &&
	      gic_dist_read(0x4) == before;
	(void)v;
	return faults() ? "data abort injected" : "RAZ/WI";
}

/* ---- storms ---- */

static const char *a_abort_storm(bool *ok)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 2000; i++) {
		bool one;

		(void)mem(victim_canary + 8ul * (i % 512), i & 1, &one);
		n += one;
	}
	*ok = n == 2000;
	return *ok ? "2000 of 2000 aborts injected" : "abort MISSING";
}

static const char *a_undef_storm(bool *ok)
{
	unsigned n = 0;
	uint64_t v;

	for (unsigned i = 0; i < 2000; i++) {
		begin();
		MRS("pmccntr_el0", v);
		n += undef();
	}
	(void)v;
	*ok = n == 2000;
	return *ok ? "2000 of 2000 UNDEF" : "UNDEF MISSING";
}

static const char *a_hvc_storm(bool *ok)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 20000; i++) {
		n += hvc(0x84000000, 0, 0, 0) == 0x10001;
	}
	*ok = n == 20000;
	return *ok ? "20000 answered" : "HVC LOST";
}

static const char *a_sgi_storm(bool *ok)
{
	begin();
	for (unsigned i = 0; i < 2000; i++) {
		gic_send_sgi(i % 16, 0xff);
	}
	*ok = faults() == 0;
	return *ok ? "2000 sent, own vCPUs only" : "unexpected exception";
}

/* what: printed with *addr as its argument when addr is set. */
struct attack {
	const char *what;
	const char *(*run)(bool *ok);
	const uint64_t *addr;
};

/*
 * Rows whose outcome on QEMU would be the same with the hypervisor's trap
 * broken (docs/traps.md, "The attack suite"): QEMU models no caches (DC
 * IVAC, set/way) and its Cortex-A53 ACTLR_EL1 is RAZ/WI itself. Their
 * rows get a fifth column,
 * "not evidence on QEMU", which tests/run/attack_report.py counts apart.
 */
static bool not_evidence(const char *(*run)(bool *ok))
{
	return run == a_dc_ivac || run == a_setway || run == a_actlr;
}

static const struct attack attacks[] = {
	{ "read victim RAM (PA 0x%lx)", a_victim_rd, &victim_canary },
	{ "write victim RAM (PA 0x%lx)", a_victim_wr, &victim_canary },
	{ "read hypervisor text (0x%lx)", a_hvtext_rd, &hv_text },
	{ "write hypervisor text (0x%lx)", a_hvtext_wr, &hv_text },
	{ "write hypervisor data (0x%lx)", a_hvdata_wr, &hv_data },
	{ "write past own RAM (0x%lx)", a_past_end, &own_end },
	{ "read another core's GICR frame", a_gicr_rd, NULL },
	{ "write another core's GICR frame", a_gicr_wr, NULL },
	{ "write GICv2 GICH frame (0x08030000)", a_gich, NULL },
	{ "read victim's device (0x%lx)", a_dev_rd, &victim_dev },
	{ "write victim's device (0x%lx)", a_dev_wr, &victim_dev },
	{ "DC IVAC victim RAM, DC CIVAC hv text", a_dc_ivac, NULL },
	{ "GICD enable/pend/activate victim SPI %lu", a_spi_enable, &victim_spi },
	{ "GICD route/prioritise/configure SPI %lu", a_spi_route, &victim_spi },
	{ "SGIs to all 8 target bits and others", a_sgi_all, NULL },
	{ "SGIs to foreign affinity / broadcast", a_sgi_foreign_aff, NULL },
	{ "GICD_CTLR disable and re-enable", a_gicd_ctlr, NULL },
	{ "PSCI CPU_ON foreign cores (2, 0x100)", a_cpu_on_foreign, NULL },
	{ "PSCI CPU_ON with entry in victim RAM", a_cpu_on_victim_entry, NULL },
	{ "PSCI AFFINITY_INFO foreign / bad level", a_affinity_foreign, NULL },
	{ "PSCI CPU_OFF (own vCPU 1)", a_cpu_off, NULL },
	{ "PSCI CPU_SUSPEND", a_cpu_suspend, NULL },
	{ "SMC with 17 arbitrary function IDs", a_smc_ids, NULL },
	{ "SMC #1 (non-zero immediate)", a_smc_imm, NULL },
	{ "HVC #0x1234 (non-zero immediate)", a_hvc_imm, NULL },
	{ "HVC with bad arguments", a_hvc_bad_args, NULL },
	{ "SMCCC ARCH_WORKAROUND_1/2 (SSBD off)", a_smccc_wa, NULL },
	{ "set/way DC ISW/CSW/CISW", a_setway, NULL },
	{ "ACTLR_EL1 write all ones, read", a_actlr, NULL },
	{ "IMPDEF CPUACTLR/L2CTLR/CPUECTLR", a_impdef, NULL },
	{ "PMU PMCR/PMCCNTR/PMUSERENR/PMCCFILTR", a_pmu, NULL },
	{ "debug MDSCR/DBGBCR/DBGBVR/OSLAR/OSDLR", a_debug, NULL },
	{ "timer offset CNTVOFF_EL2, CNTHCTL_EL2", a_el2_timer, NULL },
	{ "EL2 registers HCR/VTTBR/VBAR_EL2", a_el2_regs, NULL },
	{ "ID registers (PMU, SVE, EL2, RAS...)", a_id_regs, NULL },
	{ "TLBI VMALLE1IS/IC IALLUIS/ALLE1IS/AT", a_tlbi, NULL },
	{ "UART unaligned 32-bit read", a_uart_unaligned, NULL },
	{ "UART 64-bit read (oversized)", a_uart_64, NULL },
	{ "LDP from GICD, STP to UART", a_pair, NULL },
	{ "LDXR/STXR on GICD (exclusive)", a_exclusive, NULL },
	{ "GICD read-only and reserved offsets", a_gicd_junk, NULL },
	{ "storm: 2000 aborts on victim RAM", a_abort_storm, NULL },
	{ "storm: 2000 UNDEFs (PMCCNTR)", a_undef_storm, NULL },
	{ "storm: 20000 HVCs", a_hvc_storm, NULL },
	{ "storm: 2000 SGI broadcasts", a_sgi_storm, NULL },
	/* Boundary probes: the last 8 bytes below and the first above each
	 * region edge near this partition. */
	{ "probe below own RAM (0x%lx)", a_below_own, &below_own },
	{ "probe above own RAM (0x%lx)", a_above_own, &own_end },
	{ "probe victim's first RAM page (0x%lx)", a_victim_first, &victim_ram },
	{ "probe victim's last RAM page (0x%lx)", a_victim_last, &victim_last },
	{ "probe below victim's device (0x%lx)", a_dev_below, &dev_below },
	{ "probe victim's device last word (0x%lx)", a_dev_last, &dev_last },
	{ "probe above victim's device (0x%lx)", a_dev_above, &victim_dev_end },
};

#define ATTACK_COUNT (sizeof(attacks) / sizeof(attacks[0]))

void guest_main(const void *dtb)
{
	unsigned contained = 0;
	uint64_t pause;

	if (!dt_parse(dtb, &dt) || !gic_probe(dtb) || !gic_dist_init() ||
	    !gic_cpu_init(0)) {
		gprintf("attack: GIC set-up failed: %s\n", gic_error());
		return;
	}
	pause = arg_num(dt.bootargs, "pause-ms", 15);
	victim_canary = arg_num(dt.bootargs, "victim-canary", 0x44801000);
	hv_text = arg_num(dt.bootargs, "hv-text", 0x40200000);
	hv_data = arg_num(dt.bootargs, "hv-data", 0x41000000);
	victim_dev = arg_num(dt.bootargs, "victim-dev", 0x0a000000);
	victim_spi = arg_num(dt.bootargs, "victim-spi", 48);
	victim_dev_end = arg_num(dt.bootargs, "victim-dev-end", 0x0a000200);
	victim_ram = arg_num(dt.bootargs, "victim-ram", 0x44000000);
	victim_ram_end = arg_num(dt.bootargs, "victim-ram-end", 0x48000000);
	own_base = dt.mem_base;
	own_end = dt.mem_base + dt.mem_size;
	below_own = own_base - 8;
	victim_last = victim_ram_end - 8;
	dev_below = victim_dev - 8;
	dev_last = victim_dev_end - 8;
	gprintf("attack suite: %u attacks, GICv%u\n", (unsigned)ATTACK_COUNT,
		(unsigned)gic_version());
	/* vCPU 1 must have run once for the ID comparison (attack 21 starts
	 * it; attack 35 compares). */
	for (unsigned i = 0; i < ATTACK_COUNT; i++) {
		bool ok = false;
		const char *what = attacks[i].run(&ok);

		contained += ok;
		gprintf("attack %02u | ", i + 1);
		gprintf(attacks[i].what, attacks[i].addr ? *attacks[i].addr : 0);
		gprintf(" | %s | %s%s%s\n", what, ok ? "contained" : "NOT CONTAINED",
			not_evidence(attacks[i].run) ? " | " : "",
			not_evidence(attacks[i].run) ? "not evidence on QEMU"
						      : "");
		delay_ms((unsigned)pause);
	}
	gprintf("attack suite: %u attacks, %u contained\n",
		(unsigned)ATTACK_COUNT, contained);
	delay_ms((unsigned)pause);
	gprintf("attack %02u | PSCI SYSTEM_OFF | calling\n",
		(unsigned)ATTACK_COUNT + 1);
	hvc(0x84000008, 0, 0, 0);
	gputs("SYSTEM_OFF RETURNED");
}

void guest_secondary(uint64_t index)
{
	(void)index;
	v1_ids[0] = read_dfr0();
	v1_ids[1] = read_pfr0();
	v1_done = 1;
	hvc(0x84000002, 0, 0, 0); /* CPU_OFF */
	gputs("CPU_OFF RETURNED");
	for (;;) {
		__asm__ volatile("wfi");
	}
}
