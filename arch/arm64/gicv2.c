/* SPDX-License-Identifier: MIT */
/*
 * Physical GICv2 driver (GIC-400 and QEMU's GICv2): distributor, the
 * memory-mapped CPU interface, and the hooks the virtual GIC needs. All
 * interrupts are Group 0, signalled as IRQ. EOImode is 1
 * (GICC_CTLR.EOImode): EOIR drops priority, GICC_DIR deactivates, so a
 * forwarded interrupt stays active until the guest's EOI.
 *
 * GIC Architecture Specification v2, IHI 0048B: 4.3 (GICD_*), 4.4
 * (GICC_*), 5.3 (GICH_*).
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/pcpu.h"
#include "hv/spinlock.h"
#include "hv/vgic.h"

#include "arch/gicv2.h"
#include "arch/sysreg.h"

#define HV_IPI_SGI 0
/* The EL2 physical timer, PPI 10: the watchdog clock (core/health.c). */
#define HV_HYP_TIMER_INTID 26
#define HV_PRIO_KICK 0x80
#define HV_PRIO_GUEST 0xa0

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_DIR 0x1000
#define GICC_CTLR_EN0 (1u << 0)
#define GICC_CTLR_EOIMODE (1u << 9)

extern const struct hv_config hv_cfg;

/* GICv2 names CPUs by CPU interface number; each core learns its own. */
static uint8_t cpu_mask[HV_MAX_CPUS];
static struct spinlock gicd_rmw_lock = SPINLOCK_INIT(LOCK_GICD);

static uint64_t gicd(void)
{
	return hv_cfg.board.gicd_base;
}

static uint64_t gicc(void)
{
	return hv_cfg.board.gicc_base;
}

/** Distributor: all SPIs disabled, inactive, not pending, Group 0. */
void gic_init_dist(void)
{
	uint32_t lines = (mmio_read32(gicd() + GICD_TYPER) & 0x1f) + 1;

	mmio_write32(gicd() + GICD_CTLR, 0);
	for (uint32_t i = 1; i < lines; i++) {
		mmio_write32(gicd() + GIC_ICENABLER + 4ul * i, ~0u);
		mmio_write32(gicd() + GIC_ICPENDR + 4ul * i, ~0u);
		mmio_write32(gicd() + GIC_ICACTIVER + 4ul * i, ~0u);
		mmio_write32(gicd() + GICD_IGROUPR + 4ul * i, 0);
	}
	for (uint32_t i = 32; i < lines * 32; i += 4) {
		mmio_write32(gicd() + GICD_IPRIORITYR + i,
			     HV_PRIO_GUEST * 0x01010101u);
	}
	mmio_write32(gicd() + GICD_CTLR, 1);
	if (!vgic_hw_lr_deactivates()) {
		log_info("GICv2 of QEMU: a guest's EOI does not re-signal a "
			 "HW interrupt; deactivating them on EOI maintenance");
	}
}

/** Banked private interrupts, priorities, CPU interface (EOImode 1). */
void gic_init_cpu(unsigned core)
{
	/* ITARGETSR0-7 read back this CPU interface's own bit. */
	cpu_mask[core] = (uint8_t)mmio_read32(gicd() + GICD_ITARGETSR);
	mmio_write32(gicd() + GIC_ICENABLER, ~0u);
	mmio_write32(gicd() + GIC_ICPENDR, ~0u);
	mmio_write32(gicd() + GIC_ICACTIVER, ~0u);
	mmio_write32(gicd() + GICD_IGROUPR, 0);
	for (uint32_t i = 0; i < 32; i += 4) {
		mmio_write32(gicd() + GICD_IPRIORITYR + i,
			     HV_PRIO_GUEST * 0x01010101u);
	}
	mmio_write8(gicd() + GICD_IPRIORITYR + HV_IPI_SGI, HV_PRIO_KICK);
	mmio_write8(gicd() + GICD_IPRIORITYR + HV_DOORBELL_SGI, HV_PRIO_KICK);
	mmio_write8(gicd() + GICD_IPRIORITYR + VGIC_MAINT_INTID, HV_PRIO_KICK);
	mmio_write8(gicd() + GICD_IPRIORITYR + HV_HYP_TIMER_INTID, HV_PRIO_KICK);
	mmio_write32(gicd() + GIC_ISENABLER,
		     (1u << HV_IPI_SGI) | (1u << HV_DOORBELL_SGI) |
			     (1u << VGIC_MAINT_INTID) |
			     (1u << HV_HYP_TIMER_INTID));
	mmio_write32(gicc() + GICC_PMR, 0xff);
	mmio_write32(gicc() + GICC_BPR, 0);
	mmio_write32(gicc() + GICC_CTLR, GICC_CTLR_EN0 | GICC_CTLR_EOIMODE);
	arch_vgic_cpu_reset();
}

/** PPI @intid of the calling core (@core) at the hypervisor's priority,
 * enabled (banked registers): the regulation counter's overflow. */
void gic_enable_hv_ppi(unsigned core, uint32_t intid)
{
	(void)core;
	mmio_write8(gicd() + GICD_IPRIORITYR + intid, HV_PRIO_KICK);
	mmio_write32(gicd() + GIC_ISENABLER, 1u << intid);
	dsb_sy();
}

/** Board core @core's PMU overflow SPI (pmu_spis): the hypervisor's,
 * level-sensitive, at the PPI's priority, targeted at @core's CPU
 * interface only, enabled (regulate_spi_plan(), which cites the GIC
 * registers). Runs on @core, after gic_init_cpu() read its mask. */
void gic_enable_hv_pmu_spi(unsigned core)
{
	struct regulate_spi_plan p;
	uint32_t v;

	if (!regulate_spi_plan(&hv_cfg.board, core, cpu_mask, HV_PRIO_KICK,
			       &p)) {
		return;
	}
	spin_lock(&gicd_rmw_lock);
	v = mmio_read32(gicd() + p.icfgr);
	mmio_write32(gicd() + p.icfgr, v & ~p.icfgr_bit);
	spin_unlock(&gicd_rmw_lock);
	mmio_write8(gicd() + p.ipriorityr, p.prio);
	mmio_write8(gicd() + p.route, (uint8_t)p.route_val);
	mmio_write32(gicd() + p.isenabler, p.isenabler_bit);
	dsb_sy();
}

void gic_send_ipi(unsigned core)
{
	dsb_ish();
	mmio_write32(gicd() + GICD_SGIR,
		     ((uint32_t)cpu_mask[core] << 16) | HV_IPI_SGI);
}

/** Ring board core @core's doorbell (HV_DOORBELL_SGI), as gic_send_ipi(). */
void gic_send_doorbell(unsigned core)
{
	dsb_ish();
	mmio_write32(gicd() + GICD_SGIR,
		     ((uint32_t)cpu_mask[core] << 16) | HV_DOORBELL_SGI);
}

/** Acknowledge: the raw IAR (INTID plus, for SGIs, the source CPU). */
uint32_t gic_ack(void)
{
	return mmio_read32(gicc() + GICC_IAR);
}

uint32_t gic_intid(uint32_t iar)
{
	return iar & 0x3ff;
}

void gic_eoi(uint32_t iar)
{
	mmio_write32(gicc() + GICC_EOIR, iar);
}

void gic_deactivate(uint32_t iar)
{
	mmio_write32(gicc() + GICC_DIR, iar);
}

bool gic_is_kick(uint32_t intid)
{
	return intid < 16;
}

/*
 * One-bit registers. SPIs are in the shared distributor; SGIs and PPIs
 * are banked per CPU, so they can only be reached from the core itself:
 * callers only ask for the calling core's private interrupts.
 */
void gicv2_set_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg)
{
	(void)pcpu;
	mmio_write32(gicd() + reg + 4ul * (intid / 32), 1u << (intid % 32));
}

bool gicv2_get_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg)
{
	(void)pcpu;
	return (mmio_read32(gicd() + reg + 4ul * (intid / 32)) >>
		(intid % 32)) & 1;
}

/** Route SPI @intid to board core @pcpu (ITARGETSR is byte-accessible). */
void gicv2_route(uint32_t intid, uint32_t pcpu)
{
	if (intid >= 32) {
		mmio_write8(gicd() + GICD_ITARGETSR + intid, cpu_mask[pcpu]);
	}
}

void gicv2_config(uint32_t intid, bool edge)
{
	uint64_t reg = gicd() + GICD_ICFGR + 4ul * (intid / 16);
	uint32_t bit = 2u << (2 * (intid % 16));
	uint32_t v;

	if (intid < 32) {
		return;
	}
	spin_lock(&gicd_rmw_lock);
	v = mmio_read32(reg);
	mmio_write32(reg, edge ? (v | bit) : (v & ~bit));
	spin_unlock(&gicd_rmw_lock);
}

/**
 * A partition's SPIs idle: disabled, not pending, not active, routed to
 * its vCPU 0. Its cores' banked PPIs are brought in line with the reset
 * virtual state when each vCPU next starts (vgic_vcpu_power_on).
 */
void gic_quiesce_partition(const struct hv_partition_cfg *c)
{
	for (uint32_t d = 0; d < c->device_count; d++) {
		for (uint32_t k = 0; k < c->devices[d].irq_count; k++) {
			uint32_t irq = c->devices[d].irqs[k];

			gicv2_set_bit(irq, 0, GIC_ICENABLER);
			gicv2_set_bit(irq, 0, GIC_ICPENDR);
			gicv2_set_bit(irq, 0, GIC_ICACTIVER);
			gicv2_route(irq, c->cpus[0]);
		}
	}
	dsb_sy();
}

/** An interrupt the hypervisor itself handles (the console UART, the
 * SMMU's), @edge-triggered or level-sensitive, routed to @core. */
void gic_enable_hv_irq(uint32_t intid, unsigned core, bool edge)
{
	gicv2_config(intid, edge);
	gicv2_route(intid, core);
	gicv2_set_bit(intid, core, GIC_ISENABLER);
}
