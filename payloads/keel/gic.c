/* SPDX-License-Identifier: MIT */
/*
 * Keel's interrupt controller and timer: just enough GICv2 and GICv3 for
 * private interrupts (the tick) and level-sensitive SPIs (the channel
 * doorbells' PL061) on one core, and the EL1 virtual timer.
 *
 * References: Arm GIC Architecture Specification GICv3 and GICv4, IHI
 * 0069H ("IHI 0069H": chapter 12 for the registers), GICv2, IHI 0048B.b
 * ("IHI 0048B": chapter 4), Arm ARM DDI 0487 D11 "The Generic Timer".
 *
 * GICv3 uses affinity routing and the system-register CPU interface, with
 * every private interrupt in Group 1; GICv2 leaves them in the reset group,
 * which the CPU interface signals as IRQ. EOImode is 0 on both: the EOI
 * write drops the priority and deactivates at once.
 *
 * Every MMIO access is one plain LDR or STR of 32 bits with no writeback,
 * so that a hypervisor trapping it gets a usable syndrome (ESR_EL2.ISV).
 */
#include "internal.h"

/* Distributor (IHI 0069H 12.9, IHI 0048B 4.3). */
#define GICD_CTLR 0x0000
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
/* EnableGrp0/1 (DS = 1) or EnableGrp1/1A (Non-secure view), and ARE. */
#define GICD_CTLR_EN0 (1u << 0)
#define GICD_CTLR_EN1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)

/* Redistributor: RD_base frame, then SGI_base 64 KiB above (12.10, 12.11). */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_PS (1u << 1)
#define GICR_WAKER_CA (1u << 2)
#define GICR_FRAMES 0x20000
#define GICR_FRAMES_VLPI 0x40000

/* GICv2 CPU interface (IHI 0048B 4.4). */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

/* GICv3 CPU interface registers by encoding (IHI 0069H 12.2). */
#define ICC_PMR_EL1 "s3_0_c4_c6_0"
#define ICC_IAR1_EL1 "s3_0_c12_c12_0"
#define ICC_EOIR1_EL1 "s3_0_c12_c12_1"
#define ICC_BPR1_EL1 "s3_0_c12_c12_3"
#define ICC_CTLR_EL1 "s3_0_c12_c12_4"
#define ICC_SRE_EL1 "s3_0_c12_c12_5"
#define ICC_IGRPEN1_EL1 "s3_0_c12_c12_7"

#define MPIDR_AFF0_2 0xffffffull
#define MPIDR_AFF3_SHIFT 32

/* CNTV_CTL_EL0.ENABLE; IMASK (bit 1) clear. */
#define CNTV_CTL_ENABLE 1u

static unsigned version;
static uint64_t gicd;
static uint64_t gicc;
static uint64_t sgi_frame;	/* GICv3: this core's SGI_base */

static inline uint32_t rd32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void wr32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint64_t rd64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

#define sysreg_write(name, val)                                                \
	__asm__ volatile("msr " name ", %0" : : "r"((uint64_t)(val)) : "memory")
#define sysreg_read(name, var) __asm__ volatile("mrs %0, " name : "=r"(var))

/* Wait, at most 100 ms of counter time, for (*addr & mask) == 0. */
static bool wait_clear(uint64_t addr, uint32_t mask)
{
	uint64_t hz;
	uint64_t start = keel_cycles();

	sysreg_read("cntfrq_el0", hz);
	while ((rd32(addr) & mask) != 0) {
		if (keel_cycles() - start > hz / 10) {
			return false;
		}
	}
	return true;
}

/* This core's redistributor: the frame whose GICR_TYPER.Affinity_Value
 * (bits 63:32, Aff3.Aff2.Aff1.Aff0) matches MPIDR_EL1, or 0. */
static uint64_t find_redist(const struct board *b)
{
	uint64_t mpidr, want, off = 0;

	sysreg_read("mpidr_el1", mpidr);
	want = (((mpidr >> MPIDR_AFF3_SHIFT) & 0xff) << 24) |
	       (mpidr & MPIDR_AFF0_2);
	while (off + GICR_FRAMES <= b->gicr_size) {
		uint64_t typer = rd64(b->gicr + off + GICR_TYPER);

		if ((typer >> 32) == want) {
			return b->gicr + off;
		}
		if ((typer & GICR_TYPER_LAST) != 0) {
			break;
		}
		off += (typer & GICR_TYPER_VLPIS) ? GICR_FRAMES_VLPI
						  : GICR_FRAMES;
	}
	return 0;
}

/* Write GICD_CTLR and wait until the write has taken effect. */
static bool dist_ctlr(uint32_t v)
{
	wr32(gicd + GICD_CTLR, v);
	return wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

static const char *init_v3(const struct board *b)
{
	uint64_t rd = find_redist(b);
	uint64_t sre;

	/* Disabled, then ARE alone: changing ARE with a group enabled is
	 * UNPREDICTABLE (IHI 0069H 12.9.4 GICD_CTLR). */
	if (!dist_ctlr(0) || !dist_ctlr(GICD_CTLR_ARE) ||
	    !dist_ctlr(GICD_CTLR_ARE | GICD_CTLR_EN1 | GICD_CTLR_EN0)) {
		return "GICD_CTLR.RWP stuck";
	}
	if (rd == 0) {
		return "no redistributor for this core";
	}
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_PS);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_CA)) {
		return "GICR_WAKER.ChildrenAsleep stuck";
	}
	sgi_frame = rd + GICR_SGI_BASE;
	wr32(sgi_frame + GICD_ICENABLER, ~0u);
	if (!wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP)) {
		return "GICR_CTLR.RWP stuck";
	}
	wr32(sgi_frame + GICD_IGROUPR, ~0u);
	wr32(sgi_frame + GICD_ICPENDR, ~0u);
	wr32(sgi_frame + GICD_ICACTIVER, ~0u);

	sysreg_read(ICC_SRE_EL1, sre);
	sysreg_write(ICC_SRE_EL1, sre | 1);
	__asm__ volatile("isb");
	sysreg_read(ICC_SRE_EL1, sre);
	if ((sre & 1) == 0) {
		return "ICC_SRE_EL1.SRE does not stick";
	}
	sysreg_write(ICC_PMR_EL1, 0xff);
	sysreg_write(ICC_BPR1_EL1, 0);
	sysreg_write(ICC_CTLR_EL1, 0);
	sysreg_write(ICC_IGRPEN1_EL1, 1);
	__asm__ volatile("isb");
	return NULL;
}

static const char *init_v2(void)
{
	/* Private interrupts are banked per CPU in the distributor. */
	wr32(gicd + GICD_ICENABLER, ~0u);
	wr32(gicd + GICD_ICPENDR, ~0u);
	wr32(gicd + GICD_ICACTIVER, ~0u);
	wr32(gicd + GICD_CTLR, GICD_CTLR_EN0);
	wr32(gicc + GICC_PMR, 0xff);
	wr32(gicc + GICC_BPR, 0);
	wr32(gicc + GICC_CTLR, 1);	/* EnableGrp0, FIQEn 0, EOImode 0 */
	if ((rd32(gicd + GICD_CTLR) & GICD_CTLR_EN0) == 0) {
		return "GICD_CTLR enable does not stick";
	}
	return NULL;
}

/** gic_init() - See internal.h. */
const char *gic_init(const struct board *b)
{
	version = b->gic_version;
	gicd = b->gicd;
	gicc = b->gicc;
	return version == 3 ? init_v3(b) : init_v2();
}

/* The frame holding private interrupt state on this core. */
static uint64_t private_frame(void)
{
	return version == 3 ? sgi_frame : gicd;
}

/* Read-modify-write of the byte for @intid in a byte-per-interrupt
 * register array at @base, with one 32-bit access each way. */
static void set_byte(uint64_t base, uint32_t intid, uint8_t v)
{
	uint64_t reg = base + (intid & ~3u);
	unsigned shift = 8 * (intid & 3);

	wr32(reg, (rd32(reg) & ~(0xffu << shift)) | ((uint32_t)v << shift));
}

/** gic_enable_ppi() - Priority (read-modify-write of the word), enable. */
void gic_enable_ppi(uint32_t intid, uint8_t prio)
{
	uint64_t frame = private_frame();

	set_byte(frame + GICD_IPRIORITYR, intid, prio);
	wr32(frame + GICD_ISENABLER, 1u << (intid % 32));
}

/**
 * gic_enable_spi() - Shared interrupt intid: level-sensitive, priority
 * prio, routed to this core (GICv3: GICD_IROUTER with this core's
 * affinity, Group 1; GICv2: GICD_ITARGETSR with this CPU interface's bit,
 * which GICD_ITARGETSR0 reads as), then enabled. IHI 0069H 12.9.7
 * GICD_ICFGR, 12.9.22 GICD_IROUTER; IHI 0048B 4.3.12 GICD_ITARGETSR.
 */
void gic_enable_spi(uint32_t intid, uint8_t prio)
{
	uint64_t cfg = gicd + GICD_ICFGR + 4ul * (intid / 16);
	uint32_t bit = 1u << (intid % 32);

	wr32(cfg, rd32(cfg) & ~(2u << (2 * (intid % 16))));
	set_byte(gicd + GICD_IPRIORITYR, intid, prio);
	if (version == 3) {
		uint64_t mpidr, aff;
		uint64_t grp = gicd + GICD_IGROUPR + 4ul * (intid / 32);

		sysreg_read("mpidr_el1", mpidr);
		aff = (((mpidr >> MPIDR_AFF3_SHIFT) & 0xff) << 32) |
		      (mpidr & MPIDR_AFF0_2);
		wr32(grp, rd32(grp) | bit);
		wr32(gicd + GICD_IROUTER + 8ul * intid, (uint32_t)aff);
		wr32(gicd + GICD_IROUTER + 8ul * intid + 4,
		     (uint32_t)(aff >> 32));
	} else {
		set_byte(gicd + GICD_ITARGETSR, intid,
			 (uint8_t)rd32(gicd + GICD_ITARGETSR));
	}
	wr32(gicd + GICD_ISENABLER + 4ul * (intid / 32), bit);
}

/** gic_ack() - Read IAR. */
uint32_t gic_ack(void)
{
	uint64_t iar;

	if (version == 3) {
		sysreg_read(ICC_IAR1_EL1, iar);
		/* Reads of the interrupt state must not pass the IAR read. */
		__asm__ volatile("dsb sy" : : : "memory");
		return (uint32_t)iar;
	}
	return rd32(gicc + GICC_IAR);
}

/** gic_eoi() - Write EOIR. */
void gic_eoi(uint32_t iar)
{
	if (version == 3) {
		sysreg_write(ICC_EOIR1_EL1, iar);
		__asm__ volatile("isb");
		return;
	}
	wr32(gicc + GICC_EOIR, iar);
}

/** timer_arm() - Program and enable the EL1 virtual timer. */
void timer_arm(uint64_t cval)
{
	sysreg_write("cntv_cval_el0", cval);
	sysreg_write("cntv_ctl_el0", CNTV_CTL_ENABLE);
	__asm__ volatile("isb");
}
