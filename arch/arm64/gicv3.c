/* SPDX-License-Identifier: MIT */
/*
 * Physical GICv3 driver: distributor, this core's redistributor and the
 * system-register CPU interface. The hypervisor itself uses one SGI, the
 * cross-core kick (HV_IPI_SGI), for stop, reset, CPU_ON and panic.
 *
 * GIC Architecture Specification, IHI 0069H: 12.9 (GICD_*), 12.10-12.11
 * (GICR_*), 12.2 (ICC_* system registers).
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/panic.h"

#include "arch/sysreg.h"

#define HV_IPI_SGI 0

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
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
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ICPENDR0 (GICR_SGI + 0x0280)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define INTID_SPURIOUS 1023

extern const struct hv_config hv_cfg;

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

/**
 * Distributor: every SPI disabled, inactive, not pending and Group 1;
 * affinity routing and Group 1 on. Boot core only, before other cores.
 */
void gic_init_dist(void)
{
	uint32_t lines = (mmio_read32(gicd() + GICD_TYPER) & 0x1f) + 1;

	mmio_write32(gicd() + GICD_CTLR, 0);
	gicd_wait_rwp();
	for (uint32_t i = 1; i < lines; i++) {
		mmio_write32(gicd() + GICD_ICENABLER + 4 * i, ~0u);
		mmio_write32(gicd() + GICD_ICPENDR + 4 * i, ~0u);
		mmio_write32(gicd() + GICD_ICACTIVER + 4 * i, ~0u);
		mmio_write32(gicd() + GICD_IGROUPR + 4 * i, ~0u);
	}
	gicd_wait_rwp();
	mmio_write32(gicd() + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	gicd_wait_rwp();
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
 * This core's redistributor awake, SGIs/PPIs disabled except the
 * hypervisor's kick, and the CPU interface on. Each core, once.
 */
void gic_init_cpu(unsigned core)
{
	uint64_t rd = find_redist(hv_cfg.board.cpu_mpidr[core]);

	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~WAKER_PSLEEP);
	while (mmio_read32(rd + GICR_WAKER) & WAKER_CASLEEP) {
		__asm__ volatile("yield");
	}
	mmio_write32(rd + GICR_ICENABLER0, ~0u);
	mmio_write32(rd + GICR_ICPENDR0, ~0u);
	mmio_write32(rd + GICR_ICACTIVER0, ~0u);
	mmio_write32(rd + GICR_IGROUPR0, ~0u);
	mmio_write32(rd + GICR_IPRIORITYR + HV_IPI_SGI, 0x80);
	mmio_write32(rd + GICR_ISENABLER0, 1u << HV_IPI_SGI);

	/* SRE, disable FIQ/IRQ bypass, and let EL1 use system registers. */
	write_sysreg(SYS_ICC_SRE_EL2, 0xf);
	isb();
	write_sysreg(SYS_ICC_PMR_EL1, 0xff);
	write_sysreg(SYS_ICC_BPR1_EL1, 0);
	write_sysreg(SYS_ICC_CTLR_EL1, 0); /* EOImode 0: EOI deactivates */
	write_sysreg(SYS_ICC_IGRPEN1_EL1, 1);
	write_sysreg(SYS_ICH_HCR_EL2, 0);
	isb();
}

/**
 * Kick board core @core. Stores made before the call are visible to it
 * when it takes the interrupt (the DSB orders them before the SGI).
 */
void gic_send_ipi(unsigned core)
{
	uint64_t mpidr = hv_cfg.board.cpu_mpidr[core];
	uint64_t v = (1ULL << (mpidr & 0xf)) |
		     (((mpidr >> 8) & 0xff) << 16) |
		     ((uint64_t)HV_IPI_SGI << 24) |
		     (((mpidr >> 16) & 0xff) << 32) |
		     (((mpidr >> 4) & 0xf) << 44) |
		     (((mpidr >> 32) & 0xff) << 48);

	dsb_ish();
	write_sysreg(SYS_ICC_SGI1R_EL1, v);
	isb();
}

/** Acknowledge and complete every pending interrupt (all are kicks). */
void gic_handle_irq(void)
{
	for (;;) {
		uint64_t iar = read_sysreg(SYS_ICC_IAR1_EL1) & 0xffffff;

		if (iar >= INTID_SPURIOUS) {
			break;
		}
		write_sysreg(SYS_ICC_EOIR1_EL1, iar);
	}
	isb();
}

/**
 * Sleep until an interrupt is pending (WFI wakes even with PSTATE.I set),
 * then drain it. Callers re-check their condition after each return.
 */
void gic_wait_for_ipi(void)
{
	dsb_sy();
	wfi();
	gic_handle_irq();
}
