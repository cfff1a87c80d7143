/* SPDX-License-Identifier: MIT */
/*
 * GIC driver for bare-metal test guests: GICv2 and GICv3, chosen at run
 * time. See gic.h for the contract and the spec references.
 *
 * Every MMIO access goes through an inline-asm accessor that issues one
 * plain LDR/STR with a base register and no writeback, so that under a
 * hypervisor each trapped access is reported with a valid syndrome
 * (ESR_EL2.ISV == 1). The compiler would otherwise be free to use
 * pre/post-indexed forms, which a hypervisor cannot emulate.
 */
#include "gic.h"
#include "guest.h"

/* Distributor registers (IHI 0069H ch. 12; IHI 0048B ch. 4). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_IROUTER 0x6000

#define GICD_CTLR_RWP (1u << 31)
/* ARE_NS (ARE when GICD_CTLR.DS == 1). */
#define GICD_CTLR_ARE (1u << 4)
/* With DS == 1: EnableGrp0 and EnableGrp1; Non-secure view: EnableGrp1(A). */
#define GICD_CTLR_EN0 (1u << 0)
#define GICD_CTLR_EN1 (1u << 1)

/* Redistributor: RD_base frame, then the SGI_base frame 64 KiB above. */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000
#define GICR_FRAME_SIZE 0x20000
#define GICR_VLPI_FRAME_SIZE 0x40000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER_PS (1u << 1)
#define GICR_WAKER_CA (1u << 2)

/* GICv2 CPU interface. */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_RPR 0x14
#define GICC_HPPIR 0x18
#define GICC_DIR 0x1000

/* GICv2 GICD_SGIR.TargetListFilter (IHI 0048B, 4.3.15 GICD_SGIR). */
#define SGIR_FILTER_LIST (0u << 24)
#define SGIR_FILTER_OTHERS (1u << 24)
#define SGIR_FILTER_SELF (2u << 24)

/* ICC_SGI1R_EL1 fields (IHI 0069H ch. 12, ICC_SGI1R_EL1). */
#define SGI1R_AFF1_SHIFT 16
#define SGI1R_INTID_SHIFT 24
#define SGI1R_AFF2_SHIFT 32
#define SGI1R_IRM (1ULL << 40)
#define SGI1R_AFF3_SHIFT 48

/* MPIDR_EL1 affinity fields: Aff0..Aff2 in [23:0], Aff3 in [39:32]. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

/* GICv3 CPU interface system registers, by encoding (IHI 0069H ch. 12). */
#define ICC_PMR_EL1 "s3_0_c4_c6_0"
#define ICC_IAR1_EL1 "s3_0_c12_c12_0"
#define ICC_EOIR1_EL1 "s3_0_c12_c12_1"
#define ICC_HPPIR1_EL1 "s3_0_c12_c12_2"
#define ICC_BPR1_EL1 "s3_0_c12_c12_3"
#define ICC_CTLR_EL1 "s3_0_c12_c12_4"
#define ICC_DIR_EL1 "s3_0_c12_c11_1"
#define ICC_SRE_EL1 "s3_0_c12_c12_5"
#define ICC_IGRPEN1_EL1 "s3_0_c12_c12_7"
#define ICC_RPR_EL1 "s3_0_c12_c11_3"
#define ICC_SGI1R_EL1 "s3_0_c12_c11_5"

#define read_sysreg(name)                                                      \
	({                                                                     \
		uint64_t sysreg_v_;                                            \
		__asm__ volatile("mrs %0, " name : "=r"(sysreg_v_));           \
		sysreg_v_;                                                     \
	})

#define write_sysreg(name, val)                                                \
	do {                                                                   \
		uint64_t sysreg_w_ = (val);                                    \
		__asm__ volatile("msr " name ", %0"                            \
				 :                                             \
				 : "r"(sysreg_w_)                              \
				 : "memory");                                  \
	} while (0)

/* Defaults: QEMU virt (docs: PLATFORM-FACTS). The DTB overrides them. */
static enum gic_version gic_ver;
static uint64_t gicd_base = 0x08000000UL;
static uint64_t gicr_base = 0x080a0000UL;
static uint64_t gicr_size = 0x00f60000UL;
static uint64_t gicc_base = 0x08010000UL;

/* Per vCPU index: RD_base (GICv3), MPIDR affinity, CPU interface mask. */
static uint64_t rd_base[GUEST_MAX_VCPUS];
static uint64_t cpu_mpidr[GUEST_MAX_VCPUS];
static uint8_t cpu_iface[GUEST_MAX_VCPUS];
static volatile bool cpu_known[GUEST_MAX_VCPUS];

static uint32_t nr_irqs = 64;
static uint8_t dist_prio_mask = 0xff;
static uint8_t cpu_prio_mask = 0xff;
static const char *gic_err = "";

static uint64_t frame_of(uint32_t intid);

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

static inline uint8_t rd8(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (uint8_t)v;
}

static inline void wr8(uint64_t addr, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]"
			 :
			 : "r"((uint32_t)v), "r"(addr)
			 : "memory");
}

static inline uint64_t rd64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void wr64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

/* Wait (at most 100 ms of counter time) for (*addr & mask) == want. */
static bool poll32(uint64_t addr, uint32_t mask, uint32_t want)
{
	uint64_t end = now_ticks() + ticks_per_sec() / 10;

	while ((rd32(addr) & mask) != want) {
		if (now_ticks() > end) {
			return false;
		}
		__asm__ volatile("yield");
	}
	return true;
}

/** gic_this_cpu() - The caller's vCPU index, as given to gic_cpu_init(). */
unsigned gic_this_cpu(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
	return (unsigned)(v % GUEST_MAX_VCPUS);
}

/** gic_error() - Why the last failed init call failed (static text). */
const char *gic_error(void)
{
	return gic_err;
}

/** gic_version() - The GIC chosen by gic_probe(). */
enum gic_version gic_version(void)
{
	return gic_ver;
}

/**
 * gic_probe() - Choose the GIC version and frame addresses from the DTB's
 * interrupt-controller node ("arm,gic-v3" or a GICv2 compatible). Without a
 * matching node, fall back to the QEMU virt addresses and to
 * ID_AA64PFR0_EL1.GIC (non-zero: the GICv3 system registers exist).
 * Returns true if the DTB described the GIC. Boot CPU only, before init.
 */
bool gic_probe(const void *dtb)
{
	static const char *const v2_compat[] = {
		"arm,gic-400",
		"arm,cortex-a15-gic",
		"arm,cortex-a7-gic",
		"arm,cortex-a9-gic",
	};
	uint64_t base, size;
	uint64_t pfr0;

	if (dtb != NULL && dt_compat_reg(dtb, "arm,gic-v3", 0, &base, &size)) {
		gic_ver = GIC_V3;
		gicd_base = base;
		if (dt_compat_reg(dtb, "arm,gic-v3", 1, &base, &size)) {
			gicr_base = base;
			gicr_size = size;
		}
		return true;
	}
	for (unsigned i = 0; dtb != NULL && i < 4; i++) {
		if (dt_compat_reg(dtb, v2_compat[i], 0, &base, &size)) {
			gic_ver = GIC_V2;
			gicd_base = base;
			if (dt_compat_reg(dtb, v2_compat[i], 1, &base, &size)) {
				gicc_base = base;
			}
			return true;
		}
	}
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	gic_ver = ((pfr0 >> 24) & 0xf) != 0 ? GIC_V3 : GIC_V2;
	return false;
}

/** gic_dist_base() - Address of the distributor (from the device tree). */
uintptr_t gic_dist_base(void)
{
	return (uintptr_t)gicd_base;
}

/** gic_dist_read() - Raw 32-bit read of the distributor at offset off. */
uint32_t gic_dist_read(uint32_t off)
{
	return rd32(gicd_base + off);
}

/** gic_dist_write() - Raw 32-bit write to the distributor at offset off. */
void gic_dist_write(uint32_t off, uint32_t val)
{
	wr32(gicd_base + off, val);
}

/**
 * gic_dist_wait_rwp() - On GICv3, wait until GICD_CTLR.RWP reads 0, i.e.
 * the effects of earlier GICD_CTLR and GICD_ICENABLER writes are visible
 * (IHI 0069H ch. 12, GICD_CTLR.RWP). Returns false on timeout; always true
 * on GICv2, which has no RWP bit.
 */
bool gic_dist_wait_rwp(void)
{
	if (gic_ver != GIC_V3) {
		return true;
	}
	return poll32(gicd_base + GICD_CTLR, GICD_CTLR_RWP, 0);
}

static bool redist_wait_rwp(void)
{
	return poll32(rd_base[gic_this_cpu()] + GICR_CTLR, GICR_CTLR_RWP, 0);
}

/** gic_cpuif_read() - Raw read of the GICv2 CPU interface (GICC). */
uint32_t gic_cpuif_read(uint32_t off)
{
	return rd32(gicc_base + off);
}

/** gic_cpuif_write() - Raw write to the GICv2 CPU interface (GICC). */
void gic_cpuif_write(uint32_t off, uint32_t val)
{
	wr32(gicc_base + off, val);
}

/** gic_redist_typer() - GICR_TYPER of vCPU vcpu's redistributor, or 0
 * (GICv2, or that vCPU has not run gic_cpu_init()). */
uint64_t gic_redist_typer(unsigned vcpu)
{
	if (gic_ver != GIC_V3 || rd_base[vcpu % GUEST_MAX_VCPUS] == 0) {
		return 0;
	}
	return rd64(rd_base[vcpu % GUEST_MAX_VCPUS] + GICR_TYPER);
}

/** gic_redist_read() - Raw read in vCPU vcpu's RD_base frame, or 0. */
uint32_t gic_redist_read(unsigned vcpu, uint32_t off)
{
	if (gic_ver != GIC_V3 || rd_base[vcpu % GUEST_MAX_VCPUS] == 0) {
		return 0;
	}
	return rd32(rd_base[vcpu % GUEST_MAX_VCPUS] + off);
}

/** gic_nr_irqs() - INTIDs below this are implemented (GICD_TYPER). */
uint32_t gic_nr_irqs(void)
{
	return nr_irqs;
}

/** gic_prio_mask() - Implemented priority bits (distributor and CPU
 * interface): a priority p is kept as p & mask. Valid after init. */
uint8_t gic_prio_mask(void)
{
	return dist_prio_mask & cpu_prio_mask;
}

/** gic_icc_sre() - ICC_SRE_EL1 (GICv3), else 0. */
uint64_t gic_icc_sre(void)
{
	return gic_ver == GIC_V3 ? read_sysreg(ICC_SRE_EL1) : 0;
}

/** gic_icc_ctlr() - ICC_CTLR_EL1 (GICv3), else 0. */
uint64_t gic_icc_ctlr(void)
{
	return gic_ver == GIC_V3 ? read_sysreg(ICC_CTLR_EL1) : 0;
}

/** gic_icc_igrpen1() - ICC_IGRPEN1_EL1 (GICv3), else 0. */
uint64_t gic_icc_igrpen1(void)
{
	return gic_ver == GIC_V3 ? read_sysreg(ICC_IGRPEN1_EL1) : 0;
}

/** gic_pmr() - The priority mask (ICC_PMR_EL1 or GICC_PMR). */
uint32_t gic_pmr(void)
{
	if (gic_ver == GIC_V3) {
		return (uint32_t)read_sysreg(ICC_PMR_EL1);
	}
	return rd32(gicc_base + GICC_PMR);
}

/** gic_set_pmr() - Set the priority mask; 0 masks every interrupt. */
void gic_set_pmr(uint32_t pmr)
{
	if (gic_ver == GIC_V3) {
		write_sysreg(ICC_PMR_EL1, pmr);
		__asm__ volatile("isb");
	} else {
		wr32(gicc_base + GICC_PMR, pmr);
	}
}

static uint64_t my_affinity(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & MPIDR_AFF_MASK;
}

/* IROUTER value for an MPIDR affinity: Aff3 moves to [39:32], IRM = 0. */
static uint64_t irouter_of(uint64_t aff)
{
	return aff & MPIDR_AFF_MASK;
}

static void dist_init_v3(void)
{
	uint64_t route = irouter_of(my_affinity());

	for (uint32_t i = GIC_FIRST_SPI; i < nr_irqs; i += 32) {
		wr32(gicd_base + GICD_IGROUPR + i / 8, ~0u);
		wr32(gicd_base + GICD_ICENABLER + i / 8, ~0u);
		wr32(gicd_base + GICD_ICPENDR + i / 8, ~0u);
		wr32(gicd_base + GICD_ICACTIVER + i / 8, ~0u);
	}
	for (uint32_t i = GIC_FIRST_SPI; i < nr_irqs; i++) {
		wr64(gicd_base + GICD_IROUTER + 8ULL * i, route);
	}
}

static void dist_init_v2(void)
{
	/*
	 * GICD_ITARGETSR0..7 are read-only and read as the reading CPU
	 * interface's own bit (IHI 0048B, 4.3.12 GICD_ITARGETSRn); a
	 * uniprocessor GIC may make them RAZ, then interface 0 is the only one.
	 */
	uint32_t mask = rd8(gicd_base + GICD_ITARGETSR);

	if (mask == 0) {
		mask = 1;
	}
	for (uint32_t i = GIC_FIRST_SPI; i < nr_irqs; i += 32) {
		wr32(gicd_base + GICD_ICENABLER + i / 8, ~0u);
		wr32(gicd_base + GICD_ICPENDR + i / 8, ~0u);
		wr32(gicd_base + GICD_ICACTIVER + i / 8, ~0u);
	}
	for (uint32_t i = GIC_FIRST_SPI; i < nr_irqs; i += 4) {
		wr32(gicd_base + GICD_ITARGETSR + i, mask * 0x01010101u);
	}
}

/**
 * gic_dist_init() - Reset the distributor the way Linux does: disabled
 * while configured; every SPI disabled, not pending, not active, level
 * triggered, default priority, targeted at the calling CPU, Group 1 on
 * GICv3; then enabled (GICv3: affinity routing and both group enables).
 * Boot CPU only, once, after gic_probe(). Returns false (see gic_error())
 * if the distributor does not respond as required.
 */
bool gic_dist_init(void)
{
	uint32_t ctlr;

	wr32(gicd_base + GICD_CTLR, 0);
	if (!gic_dist_wait_rwp()) {
		gic_err = "GICD_CTLR.RWP stuck after disable";
		return false;
	}
	nr_irqs = 32 * ((rd32(gicd_base + GICD_TYPER) & 0x1f) + 1);
	if (nr_irqs > GIC_FIRST_SPECIAL) {
		nr_irqs = GIC_FIRST_SPECIAL;
	}
	if (gic_ver == GIC_V3) {
		dist_init_v3();
	} else {
		dist_init_v2();
	}
	for (uint32_t i = GIC_FIRST_SPI; i < nr_irqs; i += 16) {
		wr32(gicd_base + GICD_ICFGR + i / 4, 0);
	}
	for (uint32_t i = GIC_FIRST_SPI; i < nr_irqs; i += 4) {
		wr32(gicd_base + GICD_IPRIORITYR + i,
		     GIC_PRIO_DEFAULT * 0x01010101u);
	}
	if (!gic_dist_wait_rwp()) {
		gic_err = "GICD_CTLR.RWP stuck after ICENABLER";
		return false;
	}
	if (gic_ver == GIC_V3) {
		/* Set ARE on its own first: changing ARE with a group enabled
		 * is UNPREDICTABLE (IHI 0069H ch. 12, GICD_CTLR). */
		wr32(gicd_base + GICD_CTLR, GICD_CTLR_ARE);
		if (!gic_dist_wait_rwp()) {
			gic_err = "GICD_CTLR.RWP stuck after ARE";
			return false;
		}
		ctlr = GICD_CTLR_ARE | GICD_CTLR_EN1 | GICD_CTLR_EN0;
	} else {
		ctlr = GICD_CTLR_EN0;
	}
	wr32(gicd_base + GICD_CTLR, ctlr);
	if (!gic_dist_wait_rwp()) {
		gic_err = "GICD_CTLR.RWP stuck after enable";
		return false;
	}
	if ((rd32(gicd_base + GICD_CTLR) & ctlr) == 0) {
		gic_err = "GICD_CTLR enable bits do not stick";
		return false;
	}
	return true;
}

/* Find this CPU's redistributor by GICR_TYPER.Affinity_Value. */
static uint64_t find_redist(uint64_t aff)
{
	uint64_t want = ((aff >> 32) & 0xff) << 24 | (aff & 0xffffff);
	uint64_t off = 0;

	while (off + GICR_FRAME_SIZE <= gicr_size) {
		uint64_t typer = rd64(gicr_base + off + GICR_TYPER);

		if ((typer >> 32) == want) {
			return gicr_base + off;
		}
		if (typer & GICR_TYPER_LAST) {
			break;
		}
		off += (typer & GICR_TYPER_VLPIS) ? GICR_VLPI_FRAME_SIZE
						  : GICR_FRAME_SIZE;
	}
	return 0;
}

static bool cpu_init_v3(unsigned vcpu, uint64_t aff)
{
	uint64_t rd, sgi;

	/* System register interface first (IHI 0069H ch. 12, ICC_SRE_EL1). */
	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	__asm__ volatile("isb");
	if ((read_sysreg(ICC_SRE_EL1) & 1) == 0) {
		gic_err = "ICC_SRE_EL1.SRE does not stick";
		return false;
	}
	rd = find_redist(aff);
	if (rd == 0) {
		gic_err = "no redistributor with this CPU's affinity";
		return false;
	}
	rd_base[vcpu] = rd;
	/* Wake the redistributor (IHI 0069H ch. 12, GICR_WAKER). */
	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_PS);
	if (!poll32(rd + GICR_WAKER, GICR_WAKER_CA, 0)) {
		gic_err = "GICR_WAKER.ChildrenAsleep stuck";
		return false;
	}
	sgi = rd + GICR_SGI_BASE;
	wr32(sgi + GICD_IGROUPR, ~0u);
	wr32(sgi + GICD_ICENABLER, ~0u);
	if (!poll32(rd + GICR_CTLR, GICR_CTLR_RWP, 0)) {
		gic_err = "GICR_CTLR.RWP stuck";
		return false;
	}
	wr32(sgi + GICD_ICPENDR, ~0u);
	wr32(sgi + GICD_ICACTIVER, ~0u);
	for (uint32_t i = 0; i < GIC_FIRST_SPI; i += 4) {
		wr32(sgi + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	}
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	/* EOImode 0 (drop and deactivate together), CBPR 0. */
	write_sysreg(ICC_CTLR_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	__asm__ volatile("isb");
	cpu_prio_mask = (uint8_t)read_sysreg(ICC_PMR_EL1);
	return true;
}

static bool cpu_init_v2(unsigned vcpu)
{
	uint32_t mask = rd8(gicd_base + GICD_ITARGETSR);

	cpu_iface[vcpu] = (uint8_t)(mask != 0 ? mask : 1);
	wr32(gicd_base + GICD_ICENABLER, ~0u);
	wr32(gicd_base + GICD_ICPENDR, ~0u);
	wr32(gicd_base + GICD_ICACTIVER, ~0u);
	for (uint32_t i = 0; i < GIC_NR_SGIS; i += 4) {
		wr32(gicd_base + GICD_CPENDSGIR + i, ~0u);
	}
	for (uint32_t i = 0; i < GIC_FIRST_SPI; i += 4) {
		wr32(gicd_base + GICD_IPRIORITYR + i,
		     GIC_PRIO_DEFAULT * 0x01010101u);
	}
	wr32(gicc_base + GICC_PMR, 0xff);
	wr32(gicc_base + GICC_BPR, 0);
	/* EnableGrp0 (IRQ, FIQEn = 0), EOImodeNS = 0. */
	wr32(gicc_base + GICC_CTLR, 1);
	cpu_prio_mask = (uint8_t)rd32(gicc_base + GICC_PMR);
	return true;
}

/*
 * Probe the priority bits the distributor side keeps, on SGI 15's priority
 * field: a private interrupt is always the caller's own, where an SPI might
 * belong to another partition and read as zero. Needs TPIDR_EL1 and, on
 * GICv3, rd_base[] set up.
 */
static void probe_prio_bits(void)
{
	uint64_t a = frame_of(15) + GICD_IPRIORITYR + 15;
	uint8_t old = rd8(a);

	wr8(a, 0xff);
	dist_prio_mask = rd8(a);
	wr8(a, old);
}

/**
 * gic_cpu_init() - Initialise the calling CPU's interface and its private
 * interrupts (SGIs and PPIs disabled, not pending, not active, default
 * priority, Group 1 on GICv3), priority mask 0xff, minimum binary point,
 * EOImode 0, group enable. Stores vcpu in TPIDR_EL1. Each CPU calls it once
 * on itself, after gic_dist_init() ran on the boot CPU. Returns false (see
 * gic_error()) on failure.
 */
bool gic_cpu_init(unsigned vcpu)
{
	uint64_t aff = my_affinity();
	bool ok;

	vcpu %= GUEST_MAX_VCPUS;
	__asm__ volatile("msr tpidr_el1, %0" : : "r"((uint64_t)vcpu));
	cpu_mpidr[vcpu] = aff;
	if (gic_ver == GIC_V3) {
		ok = cpu_init_v3(vcpu, aff);
	} else {
		ok = cpu_init_v2(vcpu);
	}
	if (ok) {
		probe_prio_bits();
	}
	__atomic_store_n(&cpu_known[vcpu], ok, __ATOMIC_RELEASE);
	return ok;
}

/* Register frame holding intid's state: GICR SGI_base for private INTIDs
 * under affinity routing, the (banked) distributor otherwise. */
static uint64_t frame_of(uint32_t intid)
{
	if (gic_ver == GIC_V3 && intid < GIC_FIRST_SPI) {
		return rd_base[gic_this_cpu()] + GICR_SGI_BASE;
	}
	return gicd_base;
}

static void bit_set(uint32_t reg, uint32_t intid)
{
	wr32(frame_of(intid) + reg + (intid / 32) * 4ULL, 1u << (intid % 32));
}

static bool bit_get(uint32_t reg, uint32_t intid)
{
	uint32_t v = rd32(frame_of(intid) + reg + (intid / 32) * 4ULL);

	return ((v >> (intid % 32)) & 1) != 0;
}

/** gic_enable() - Set intid's enable (ISENABLER). */
void gic_enable(uint32_t intid)
{
	bit_set(GICD_ISENABLER, intid);
}

/** gic_disable() - ICENABLER, then wait for RWP (GICv3). */
void gic_disable(uint32_t intid)
{
	bit_set(GICD_ICENABLER, intid);
	if (gic_ver == GIC_V3 && intid < GIC_FIRST_SPI) {
		(void)redist_wait_rwp();
	} else {
		(void)gic_dist_wait_rwp();
	}
}

/** gic_is_enabled() - intid's enable as ISENABLER reads it. */
bool gic_is_enabled(uint32_t intid)
{
	return bit_get(GICD_ISENABLER, intid);
}

/** gic_enabled_via_clear_reg() - The enable as ICENABLER reads it (the
 * same state as ISENABLER). */
bool gic_enabled_via_clear_reg(uint32_t intid)
{
	return bit_get(GICD_ICENABLER, intid);
}

/**
 * gic_set_pending() - Make intid pending. GICv2 SGI set-pending bits in
 * GICD_ISPENDR are read-only; GICD_SPENDSGIR sets the SGI pending from this
 * CPU as the source (IHI 0048B, 4.3.17 GICD_SPENDSGIRn).
 */
void gic_set_pending(uint32_t intid)
{
	if (gic_ver == GIC_V2 && intid < GIC_NR_SGIS) {
		wr8(gicd_base + GICD_SPENDSGIR + intid,
		    cpu_iface[gic_this_cpu()]);
		return;
	}
	bit_set(GICD_ISPENDR, intid);
}

/** gic_clear_pending() - ICPENDR (GICv2 SGIs: GICD_CPENDSGIR, all sources). */
void gic_clear_pending(uint32_t intid)
{
	if (gic_ver == GIC_V2 && intid < GIC_NR_SGIS) {
		wr8(gicd_base + GICD_CPENDSGIR + intid, 0xff);
		return;
	}
	bit_set(GICD_ICPENDR, intid);
}

/** gic_is_pending() - intid's pending state as ISPENDR reads it. */
bool gic_is_pending(uint32_t intid)
{
	return bit_get(GICD_ISPENDR, intid);
}

/** gic_pending_via_clear_reg() - The pending state as ICPENDR reads it
 * (the same as ISPENDR). */
bool gic_pending_via_clear_reg(uint32_t intid)
{
	return bit_get(GICD_ICPENDR, intid);
}

/** gic_set_active() - ISACTIVER. */
void gic_set_active(uint32_t intid)
{
	bit_set(GICD_ISACTIVER, intid);
}

/** gic_clear_active() - ICACTIVER. */
void gic_clear_active(uint32_t intid)
{
	bit_set(GICD_ICACTIVER, intid);
}

/** gic_is_active() - intid's active state as ISACTIVER reads it. */
bool gic_is_active(uint32_t intid)
{
	return bit_get(GICD_ISACTIVER, intid);
}

/** gic_set_priority() - One byte write: IPRIORITYR is byte-accessible
 * (IHI 0069H ch. 12, GICD_IPRIORITYR<n>). */
void gic_set_priority(uint32_t intid, uint8_t prio)
{
	wr8(frame_of(intid) + GICD_IPRIORITYR + intid, prio);
}

/** gic_get_priority() - intid's priority byte as IPRIORITYR reads it. */
uint8_t gic_get_priority(uint32_t intid)
{
	return rd8(frame_of(intid) + GICD_IPRIORITYR + intid);
}

/**
 * gic_set_config() - Int_config bit 1 of intid's 2-bit ICFGR field:
 * 1 = edge-triggered, 0 = level-sensitive. Change it only while the
 * interrupt is disabled (IHI 0069H ch. 12, GICD_ICFGR<n>).
 */
void gic_set_config(uint32_t intid, bool edge)
{
	uint64_t a = frame_of(intid) + GICD_ICFGR + (intid / 16) * 4ULL;
	uint32_t bit = 2u << (2 * (intid % 16));
	uint32_t v = rd32(a);

	wr32(a, edge ? (v | bit) : (v & ~bit));
}

/** gic_is_edge() - Whether intid's Int_config reads edge-triggered. */
bool gic_is_edge(uint32_t intid)
{
	uint64_t a = frame_of(intid) + GICD_ICFGR + (intid / 16) * 4ULL;

	return (rd32(a) >> (2 * (intid % 16) + 1)) & 1;
}

/* Affinity recorded by gic_cpu_init(), or Aff0 = index if not yet known. */
static uint64_t vcpu_affinity(unsigned vcpu)
{
	vcpu %= GUEST_MAX_VCPUS;
	if (__atomic_load_n(&cpu_known[vcpu], __ATOMIC_ACQUIRE)) {
		return cpu_mpidr[vcpu];
	}
	return vcpu;
}

/* GICv2 CPU interface bit of a vCPU; interface number = index if unknown. */
static uint8_t vcpu_iface(unsigned vcpu)
{
	if (vcpu < GUEST_MAX_VCPUS &&
	    __atomic_load_n(&cpu_known[vcpu], __ATOMIC_ACQUIRE)) {
		return cpu_iface[vcpu];
	}
	return (uint8_t)(vcpu < 8 ? 1u << vcpu : 0);
}

/** gic_cpu_iface() - GICv2 CPU interface number of vCPU vcpu (the index
 * itself until that vCPU has run gic_cpu_init()). */
unsigned gic_cpu_iface(unsigned vcpu)
{
	uint8_t m = vcpu_iface(vcpu);
	unsigned n = 0;

	while (m > 1) {
		m >>= 1;
		n++;
	}
	return n;
}

/** gic_route_value() - IROUTER (GICv3) or ITARGETSR byte (GICv2) value
 * that targets exactly vCPU vcpu. */
uint64_t gic_route_value(unsigned vcpu)
{
	if (gic_ver == GIC_V3) {
		return irouter_of(vcpu_affinity(vcpu));
	}
	return vcpu_iface(vcpu);
}

/** gic_route_spi() - Target SPI intid at vCPU vcpu only. */
void gic_route_spi(uint32_t intid, unsigned vcpu)
{
	if (gic_ver == GIC_V3) {
		wr64(gicd_base + GICD_IROUTER + 8ULL * intid,
		     gic_route_value(vcpu));
	} else {
		wr8(gicd_base + GICD_ITARGETSR + intid,
		    (uint8_t)gic_route_value(vcpu));
	}
}

/** gic_get_route() - GICD_IROUTER<n> (GICv3) or ITARGETSR byte (GICv2). */
uint64_t gic_get_route(uint32_t intid)
{
	if (gic_ver == GIC_V3) {
		return rd64(gicd_base + GICD_IROUTER + 8ULL * intid);
	}
	return rd8(gicd_base + GICD_ITARGETSR + intid);
}

static void sgi1r_write(uint64_t v)
{
	/* Make earlier stores visible to the target before the SGI. */
	__asm__ volatile("dsb ishst" : : : "memory");
	write_sysreg(ICC_SGI1R_EL1, v);
	__asm__ volatile("isb" : : : "memory");
}

static void sgir_write(uint32_t v)
{
	__asm__ volatile("dsb ishst" : : : "memory");
	wr32(gicd_base + GICD_SGIR, v);
}

/* ICC_SGI1R_EL1 affinity fields Aff3.Aff2.Aff1 of an MPIDR affinity. */
static uint64_t sgi1r_cluster(uint64_t aff)
{
	return ((aff >> 8) & 0xff) << SGI1R_AFF1_SHIFT |
	       ((aff >> 16) & 0xff) << SGI1R_AFF2_SHIFT |
	       ((aff >> 32) & 0xff) << SGI1R_AFF3_SHIFT;
}

/**
 * gic_send_sgi() - Send SGI sgi (0..15) to every vCPU in vcpu_mask (bit n =
 * vCPU n). GICv3: one ICC_SGI1R_EL1 write per cluster, TargetList bit =
 * Aff0 (Aff0 must be below 16); GICv2: one GICD_SGIR write with the
 * CPU interface bits.
 */
void gic_send_sgi(uint32_t sgi, uint32_t vcpu_mask)
{
	uint32_t left = vcpu_mask & ((1u << GUEST_MAX_VCPUS) - 1);

	if (gic_ver == GIC_V2) {
		uint32_t ifaces = 0;

		for (unsigned i = 0; i < GUEST_MAX_VCPUS; i++) {
			if (left & (1u << i)) {
				ifaces |= vcpu_iface(i);
			}
		}
		sgir_write(SGIR_FILTER_LIST | ifaces << 16 | (sgi & 0xf));
		return;
	}
	while (left != 0) {
		unsigned first = (unsigned)__builtin_ctz(left);
		uint64_t cluster = sgi1r_cluster(vcpu_affinity(first));
		uint64_t list = 0;

		for (unsigned i = first; i < GUEST_MAX_VCPUS; i++) {
			uint64_t aff = vcpu_affinity(i);

			if ((left & (1u << i)) &&
			    sgi1r_cluster(aff) == cluster) {
				list |= 1ULL << (aff & 0xf);
				left &= ~(1u << i);
			}
		}
		sgi1r_write(cluster | list |
			    (uint64_t)(sgi & 0xf) << SGI1R_INTID_SHIFT);
	}
}

/** gic_send_sgi_others() - SGI to every PE but the caller (GICv3 IRM = 1;
 * GICv2 TargetListFilter = 0b01). */
void gic_send_sgi_others(uint32_t sgi)
{
	if (gic_ver == GIC_V3) {
		uint64_t id = (uint64_t)(sgi & 0xf) << SGI1R_INTID_SHIFT;

		sgi1r_write(SGI1R_IRM | id);
	} else {
		sgir_write(SGIR_FILTER_OTHERS | (sgi & 0xf));
	}
}

/** gic_send_sgi_self() - SGI to the caller only (GICv2 TargetListFilter =
 * 0b10; GICv3 a target list naming only the caller). */
void gic_send_sgi_self(uint32_t sgi)
{
	if (gic_ver == GIC_V3) {
		gic_send_sgi(sgi, 1u << gic_this_cpu());
	} else {
		sgir_write(SGIR_FILTER_SELF | (sgi & 0xf));
	}
}

/**
 * gic_ack() - Acknowledge the highest priority pending interrupt: read
 * ICC_IAR1_EL1 / GICC_IAR. Returns the whole IAR value (pass it to
 * gic_eoi()); its INTID is GIC_SPURIOUS if nothing of sufficient priority
 * is pending.
 */
uint32_t gic_ack(void)
{
	uint32_t iar;

	if (gic_ver == GIC_V3) {
		iar = (uint32_t)read_sysreg(ICC_IAR1_EL1);
	} else {
		iar = rd32(gicc_base + GICC_IAR);
	}
	/* Order the acknowledge before the handler's device accesses. */
	__asm__ volatile("dsb sy" : : : "memory");
	return iar;
}

/** gic_eoi() - Priority drop and deactivate (EOImode 0) for an IAR value
 * from gic_ack(). */
void gic_eoi(uint32_t iar)
{
	if (gic_ver == GIC_V3) {
		write_sysreg(ICC_EOIR1_EL1, iar);
		__asm__ volatile("isb");
	} else {
		wr32(gicc_base + GICC_EOIR, iar);
	}
}

/**
 * gic_set_split_eoi() - EOImode for the calling vCPU's CPU interface: with
 * @split, an EOI only drops the running priority and gic_deactivate()
 * deactivates (ICC_CTLR_EL1.EOImode, bit 1, IHI 0069H chapter 12,
 * ICC_CTLR_EL1; GICC_CTLR.EOImodeNS, bit 9, IHI 0048B 4.4.1 GICC_CTLR).
 */
void gic_set_split_eoi(bool split)
{
	if (gic_ver == GIC_V3) {
		uint64_t v = read_sysreg(ICC_CTLR_EL1);

		write_sysreg(ICC_CTLR_EL1, split ? v | 2 : v & ~2ULL);
		__asm__ volatile("isb");
	} else {
		uint32_t v = rd32(gicc_base + GICC_CTLR);

		wr32(gicc_base + GICC_CTLR,
		     split ? v | (1u << 9) : v & ~(1u << 9));
	}
}

/** gic_deactivate() - Deactivate the interrupt of IAR value @iar after a
 * split EOI: ICC_DIR_EL1 / GICC_DIR (IHI 0048B 4.4.15 GICC_DIR). */
void gic_deactivate(uint32_t iar)
{
	if (gic_ver == GIC_V3) {
		write_sysreg(ICC_DIR_EL1, iar);
		__asm__ volatile("isb");
	} else {
		wr32(gicc_base + GICC_DIR, iar);
	}
}

/** gic_iar_intid() - The INTID field of an IAR value. */
uint32_t gic_iar_intid(uint32_t iar)
{
	return gic_ver == GIC_V3 ? (iar & 0xffffff) : (iar & 0x3ff);
}

/** gic_iar_source() - GICv2 GICC_IAR.CPUID, bits [12:10]: an SGI's source
 * CPU interface (IHI 0048B, 4.4.4 GICC_IAR). Always 0 on GICv3. */
unsigned gic_iar_source(uint32_t iar)
{
	return gic_ver == GIC_V2 ? (iar >> 10) & 7 : 0;
}

/** gic_rpr() - Running priority (ICC_RPR_EL1 / GICC_RPR); 0xff if idle. */
uint32_t gic_rpr(void)
{
	if (gic_ver == GIC_V3) {
		return (uint32_t)read_sysreg(ICC_RPR_EL1) & 0xff;
	}
	return rd32(gicc_base + GICC_RPR) & 0xff;
}

/** gic_hppir() - INTID of the highest priority pending interrupt. */
uint32_t gic_hppir(void)
{
	if (gic_ver == GIC_V3) {
		return (uint32_t)read_sysreg(ICC_HPPIR1_EL1) & 0xffffff;
	}
	return rd32(gicc_base + GICC_HPPIR) & 0x3ff;
}

/** gic_irq_mask() - Set PSTATE.I. */
void gic_irq_mask(void)
{
	__asm__ volatile("msr daifset, #2\n\tisb" : : : "memory");
}

/** gic_irq_unmask() - Clear PSTATE.I (pending IRQs are then taken). */
void gic_irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2\n\tisb" : : : "memory");
}

/** gic_irq_masked() - Whether PSTATE.I is set. */
bool gic_irq_masked(void)
{
	uint64_t daif;

	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	return (daif & (1u << 7)) != 0;
}

/**
 * gic_nest_begin() - From an IRQ handler, before its EOI: save ELR_EL1 and
 * SPSR_EL1 (a nested exception overwrites them) and unmask IRQs so that a
 * higher priority interrupt can preempt (IHI 0069H chapter 4,
 * "Preemption"). Pair with gic_nest_end() before returning.
 */
void gic_nest_begin(struct gic_nest *n)
{
	uint64_t elr, spsr;

	__asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
	__asm__ volatile("mrs %0, spsr_el1" : "=r"(spsr));
	n->elr = elr;
	n->spsr = spsr;
	__asm__ volatile("msr daifclr, #2\n\tisb" : : : "memory");
}

/**
 * gic_nest_end() - Mask IRQs again, then restore ELR_EL1 and SPSR_EL1 so the
 * vector's ERET returns to the interrupted context. IRQs stay masked until
 * that ERET restores the interrupted PSTATE.
 */
void gic_nest_end(const struct gic_nest *n)
{
	__asm__ volatile("msr daifset, #2\n\tisb" : : : "memory");
	__asm__ volatile("msr elr_el1, %0" : : "r"(n->elr) : "memory");
	__asm__ volatile("msr spsr_el1, %0" : : "r"(n->spsr) : "memory");
}
