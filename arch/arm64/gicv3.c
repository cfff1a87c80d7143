/* SPDX-License-Identifier: MIT */
/*
 * Physical GICv3 driver: distributor, redistributors and the system
 * register CPU interface. The hypervisor uses one SGI, the cross-core kick
 * (HV_IPI_SGI), and the maintenance PPI; every other interrupt it takes
 * belongs to a partition and is forwarded to it.
 *
 * EOImode is 1 (ICC_CTLR_EL1.EOImode): EOIR only drops the running
 * priority, so a forwarded interrupt stays active until the guest's EOI
 * deactivates it through the list register's HW bit.
 *
 * GIC Architecture Specification, IHI 0069H: 12.9 (GICD_*), 12.10-12.11
 * (GICR_*), 12.2 (ICC_* system registers), 4.1.1 (priority drop and
 * deactivation).
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/panic.h"
#include "hv/regulate.h"
#include "hv/spinlock.h"

#include "arch/gicv3.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

#define HV_IPI_SGI 0
/* The EL2 physical timer, PPI 10: the watchdog clock (core/health.c). */
#define HV_HYP_TIMER_INTID 26
#define HV_PRIO_KICK 0x80
#define HV_PRIO_GUEST 0xa0

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)

#define GICR_FRAME 0x20000ULL
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_LAST (1ULL << 4)
#define WAKER_PSLEEP (1u << 1)
#define WAKER_CASLEEP (1u << 2)
#define GICR_SGI 0x10000ULL
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define SYS_ICC_DIR_EL1 S3_0_C12_C11_1
#define INTID_SPURIOUS 1020

extern const struct hv_config hv_cfg;

/* Each core's redistributor, found at boot. */
static uint64_t gicr_base[HV_MAX_CPUS];
/* ICFGR is shared by 16 interrupts of possibly different partitions:
 * read-modify-write under this lock. */
static struct spinlock gicd_cfg_lock = SPINLOCK_INIT(LOCK_GICD);

static uint64_t gicd(void)
{
	return hv_cfg.board.gicd_base;
}

static void gicd_wait_rwp(void)
{
	while (mmio_read32(gicd() + GICD_CTLR) & GICD_CTLR_RWP) {
		__asm__ volatile("yield");
	}
}

/* Find the redistributor whose GICR_TYPER affinity matches @mpidr. */
static uint64_t find_redist(uint64_t mpidr)
{
	uint64_t aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
	uint64_t rd = hv_cfg.board.gicr_base;

	for (unsigned i = 0; i < HV_MAX_CPUS * 4; i++, rd += GICR_FRAME) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((typer >> 32) == aff) {
			return rd;
		}
		if (typer & GICR_TYPER_LAST) {
			break;
		}
	}
	hv_panic("no GIC redistributor for MPIDR 0x%lx", mpidr);
}

/**
 * Distributor: every SPI disabled, inactive, not pending, Group 1 and
 * lowest-but-one priority; affinity routing and Group 1 on. Also finds
 * every core's redistributor. Boot core only, before other cores start.
 */
void gic_init_dist(void)
{
	uint32_t lines = (mmio_read32(gicd() + GICD_TYPER) & 0x1f) + 1;

	mmio_write32(gicd() + GICD_CTLR, 0);
	gicd_wait_rwp();
	for (uint32_t i = 1; i < lines; i++) {
		mmio_write32(gicd() + GIC_ICENABLER + 4ul * i, ~0u);
		mmio_write32(gicd() + GIC_ICPENDR + 4ul * i, ~0u);
		mmio_write32(gicd() + GIC_ICACTIVER + 4ul * i, ~0u);
		mmio_write32(gicd() + GICD_IGROUPR + 4ul * i, ~0u);
	}
	for (uint32_t i = 32; i < lines * 32; i += 4) {
		mmio_write32(gicd() + GICD_IPRIORITYR + i,
			     HV_PRIO_GUEST * 0x01010101u);
	}
	gicd_wait_rwp();
	mmio_write32(gicd() + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	gicd_wait_rwp();
	for (unsigned c = 0; c < hv_cfg.board.cpu_count; c++) {
		gicr_base[c] = find_redist(hv_cfg.board.cpu_mpidr[c]);
	}
}

/**
 * This core's redistributor awake; SGIs and PPIs disabled except the kick,
 * the doorbell, the EL2 timer and the maintenance interrupt; the CPU interface on with EOImode 1.
 * Each core, once.
 */
void gic_init_cpu(unsigned core)
{
	uint64_t rd = gicr_base[core];

	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~WAKER_PSLEEP);
	while (mmio_read32(rd + GICR_WAKER) & WAKER_CASLEEP) {
		__asm__ volatile("yield");
	}
	mmio_write32(rd + GICR_SGI + GIC_ICENABLER, ~0u);
	mmio_write32(rd + GICR_SGI + GIC_ICPENDR, ~0u);
	mmio_write32(rd + GICR_SGI + GIC_ICACTIVER, ~0u);
	mmio_write32(rd + GICR_IGROUPR0, ~0u);
	for (uint32_t i = 0; i < 32; i += 4) {
		mmio_write32(rd + GICR_IPRIORITYR + i,
			     HV_PRIO_GUEST * 0x01010101u);
	}
	mmio_write8(rd + GICR_IPRIORITYR + HV_IPI_SGI, HV_PRIO_KICK);
	mmio_write8(rd + GICR_IPRIORITYR + HV_DOORBELL_SGI, HV_PRIO_KICK);
	mmio_write8(rd + GICR_IPRIORITYR + VGIC_MAINT_INTID, HV_PRIO_KICK);
	mmio_write8(rd + GICR_IPRIORITYR + HV_HYP_TIMER_INTID, HV_PRIO_KICK);
	mmio_write32(rd + GICR_SGI + GIC_ISENABLER,
		     (1u << HV_IPI_SGI) | (1u << HV_DOORBELL_SGI) |
			     (1u << VGIC_MAINT_INTID) |
			     (1u << HV_HYP_TIMER_INTID));

	/* SRE, disable FIQ/IRQ bypass, and let EL1 use system registers. */
	write_sysreg(SYS_ICC_SRE_EL2, 0xf);
	isb();
	write_sysreg(SYS_ICC_PMR_EL1, 0xff);
	write_sysreg(SYS_ICC_BPR1_EL1, 0);
	write_sysreg(SYS_ICC_CTLR_EL1, 1u << 1); /* EOImode 1 */
	write_sysreg(SYS_ICC_IGRPEN1_EL1, 1);
	arch_vgic_cpu_reset();
}

/**
 * Kick board core @core. Stores made before the call are visible to it
 * when it takes the interrupt (the DSB orders them before the SGI).
 */
/* ICC_SGI1R_EL1 for physical SGI @sgi to board core @core (IHI 0069H
 * 12.2.23: TargetList, Aff1, INTID, Aff2, RS, Aff3). */
static uint64_t sgi1r_value(unsigned core, uint64_t sgi)
{
	uint64_t mpidr = hv_cfg.board.cpu_mpidr[core];

	return (1ULL << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
	       (sgi << 24) | (((mpidr >> 16) & 0xff) << 32) |
	       (((mpidr >> 4) & 0xf) << 44) | (((mpidr >> 32) & 0xff) << 48);
}

void gic_send_ipi(unsigned core)
{
	dsb_ish();
	write_sysreg(SYS_ICC_SGI1R_EL1, sgi1r_value(core, HV_IPI_SGI));
	isb();
}

/**
 * Ring board core @core's doorbell (HV_DOORBELL_SGI). Stores made before
 * the call are visible to it when it takes the interrupt. No ISB: the
 * caller's ERET synchronises.
 */
void gic_send_doorbell(unsigned core)
{
	dsb_ish();
	write_sysreg(SYS_ICC_SGI1R_EL1, sgi1r_value(core, HV_DOORBELL_SGI));
}

/** The ICC_SGI1R_EL1 value gic_send_doorbell(@core) writes. */
uint64_t gic_doorbell_sgi1r(unsigned core)
{
	return sgi1r_value(core, HV_DOORBELL_SGI);
}

/** Acknowledge the highest-priority pending interrupt (1020+: none). */
uint32_t gic_ack(void)
{
	return (uint32_t)(read_sysreg(SYS_ICC_IAR1_EL1) & 0xffffff);
}

/** Drop the running priority (EOImode 1: the interrupt stays active). */
void gic_eoi(uint32_t intid)
{
	write_sysreg(SYS_ICC_EOIR1_EL1, intid);
	isb();
}

/** Deactivate @intid on this core's CPU interface. */
void gic_deactivate(uint32_t intid)
{
	write_sysreg(SYS_ICC_DIR_EL1, intid);
	isb();
}

/** The INTID of an acknowledge value (GICv3 IAR holds only the INTID). */
uint32_t gic_intid(uint32_t iar)
{
	return iar;
}

bool gic_is_kick(uint32_t intid)
{
	return intid < 16;
}

/* The register holding @intid's bit: distributor for SPIs, the core's
 * redistributor SGI frame for SGIs and PPIs. */
static uint64_t bit_reg(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg)
{
	if (intid < 32) {
		return gicr_base[pcpu] + GICR_SGI + reg;
	}
	return gicd() + reg + 4ul * (intid / 32);
}

/** Write-one register access for @intid (set/clear enable, pend, active). */
void gicv3_set_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg)
{
	mmio_write32(bit_reg(intid, pcpu, reg), 1u << (intid % 32));
}

bool gicv3_get_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg)
{
	return (mmio_read32(bit_reg(intid, pcpu, reg)) >> (intid % 32)) & 1;
}

/** Route SPI @intid to board core @pcpu. */
void gicv3_route(uint32_t intid, uint32_t pcpu)
{
	mmio_write64(gicd() + GICD_IROUTER + 8ul * intid,
		     hv_cfg.board.cpu_mpidr[pcpu] & MPIDR_AFF_MASK &
			     ~(1ULL << 31));
}

/** Make SPI @intid edge- or level-triggered. */
void gicv3_config(uint32_t intid, bool edge)
{
	uint64_t reg = gicd() + GICD_ICFGR + 4ul * (intid / 16);
	uint32_t bit = 2u << (2 * (intid % 16));
	uint32_t v;

	if (intid < 32) {
		return;
	}
	spin_lock(&gicd_cfg_lock);
	v = mmio_read32(reg);
	mmio_write32(reg, edge ? (v | bit) : (v & ~bit));
	spin_unlock(&gicd_cfg_lock);
}

/**
 * Put a partition's physical interrupts in their idle state: disabled, not
 * pending, not active; SPIs routed to the core of its vCPU 0. Used at boot
 * and when the partition stops or restarts (its vCPUs are all parked).
 */
void gic_quiesce_partition(const struct hv_partition_cfg *c)
{
	for (uint32_t d = 0; d < c->device_count; d++) {
		for (uint32_t k = 0; k < c->devices[d].irq_count; k++) {
			uint32_t irq = c->devices[d].irqs[k];

			gicv3_set_bit(irq, 0, GIC_ICENABLER);
			gicv3_set_bit(irq, 0, GIC_ICPENDR);
			gicv3_set_bit(irq, 0, GIC_ICACTIVER);
			gicv3_route(irq, c->cpus[0]);
		}
	}
	for (uint32_t v = 0; v < c->cpu_count; v++) {
		static const uint32_t ppis[] = { VGIC_VTIMER_INTID,
						 VGIC_PTIMER_INTID };

		for (unsigned i = 0; i < 2; i++) {
			gicv3_set_bit(ppis[i], c->cpus[v], GIC_ICENABLER);
			gicv3_set_bit(ppis[i], c->cpus[v], GIC_ICPENDR);
			gicv3_set_bit(ppis[i], c->cpus[v], GIC_ICACTIVER);
		}
	}
	dsb_sy();
}

/** PPI @intid of @core (the calling core) at the hypervisor's priority,
 * enabled: the regulation counter's overflow (arch/arm64/regulate.c). */
void gic_enable_hv_ppi(unsigned core, uint32_t intid)
{
	uint64_t rd = gicr_base[core];

	mmio_write8(rd + GICR_IPRIORITYR + intid, HV_PRIO_KICK);
	mmio_write32(rd + GICR_SGI + GIC_ISENABLER, 1u << intid);
	dsb_sy();
}

/** Board core @core's PMU overflow SPI (pmu_spis): the hypervisor's,
 * level-sensitive, at the PPI's priority, routed to @core by affinity,
 * enabled (regulate_spi_plan(), which cites the GIC registers). */
void gic_enable_hv_pmu_spi(unsigned core)
{
	struct regulate_spi_plan p;
	uint32_t v;

	if (!regulate_spi_plan(&hv_cfg.board, core, NULL, HV_PRIO_KICK, &p)) {
		return;
	}
	spin_lock(&gicd_cfg_lock);
	v = mmio_read32(gicd() + p.icfgr);
	mmio_write32(gicd() + p.icfgr, v & ~p.icfgr_bit);
	spin_unlock(&gicd_cfg_lock);
	mmio_write8(gicd() + p.ipriorityr, p.prio);
	mmio_write64(gicd() + p.route, p.route_val);
	mmio_write32(gicd() + p.isenabler, p.isenabler_bit);
	gicd_wait_rwp();
	dsb_sy();
}

/** An interrupt the hypervisor itself handles (the console UART, the
 * SMMU's), @edge-triggered or level-sensitive, routed to @core. */
void gic_enable_hv_irq(uint32_t intid, unsigned core, bool edge)
{
	gicv3_config(intid, edge);
	gicv3_route(intid, core);
	gicv3_set_bit(intid, core, GIC_ISENABLER);
}
