/* SPDX-License-Identifier: MIT */
/*
 * Emulated GICv3 redistributors: one 128 KiB frame pair per vCPU at
 * HV_GUEST_GICR_IPA + i * HV_GUEST_GICR_STRIDE (RD_base, then SGI_base).
 * A vCPU may access any of its partition's frames, as on hardware; no
 * frame of another partition's vCPU exists in its address space. LPIs are
 * not implemented (GICR_TYPER.PLPIS = 0).
 *
 * GIC Architecture Specification, IHI 0069H, 12.10 "The GIC Redistributor
 * register map" and 12.11 "The GIC Redistributor register descriptions".
 */
#include "hv/config.h"

#include "vgic_regs.h"

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define SGI_BASE 0x10000
#define GICR_IGROUPR0 (SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (SGI_BASE + 0x0180)
#define GICR_ISPENDR0 (SGI_BASE + 0x0200)
#define GICR_ICPENDR0 (SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (SGI_BASE + 0x0380)
#define GICR_IPRIORITYR (SGI_BASE + 0x0400)
#define GICR_ICFGR0 (SGI_BASE + 0x0c00)
#define GICR_ICFGR1 (SGI_BASE + 0x0c04)

#define WAKER_PSLEEP (1u << 1)
#define WAKER_CASLEEP (1u << 2)

static uint64_t typer(const struct vgic *g, unsigned vcpu)
{
	return ((uint64_t)vcpu << 32) | ((uint64_t)vcpu << 8) |
	       (vcpu + 1 == g->vcpu_count ? (1u << 4) : 0);
}

static bool bitreg(uint64_t off, enum vgic_bitreg *reg)
{
	switch (off) {
	case GICR_IGROUPR0: *reg = VGIC_R_GROUP; return true;
	case GICR_ISENABLER0: *reg = VGIC_R_SENABLE; return true;
	case GICR_ICENABLER0: *reg = VGIC_R_CENABLE; return true;
	case GICR_ISPENDR0: *reg = VGIC_R_SPEND; return true;
	case GICR_ICPENDR0: *reg = VGIC_R_CPEND; return true;
	case GICR_ISACTIVER0: *reg = VGIC_R_SACTIVE; return true;
	case GICR_ICACTIVER0: *reg = VGIC_R_CACTIVE; return true;
	default: return false;
	}
}

static uint32_t rd_read(struct vgic *g, unsigned vcpu, uint64_t off)
{
	switch (off) {
	case GICR_IIDR:
		return VGIC_IIDR;
	case GICR_TYPER:
		return (uint32_t)typer(g, vcpu);
	case GICR_TYPER + 4:
		return (uint32_t)(typer(g, vcpu) >> 32);
	case GICR_WAKER:
		/* ChildrenAsleep follows ProcessorSleep at once. */
		return g->cpu[vcpu].gicr_waker |
		       ((g->cpu[vcpu].gicr_waker & WAKER_PSLEEP) ? WAKER_CASLEEP
								  : 0);
	case GICR_PIDR2:
		return 0x3b; /* ArchRev 3 */
	default:
		return 0; /* CTLR (no LPIs), STATUSR, PROPBASER, ... */
	}
}

/**
 * Guest access by vCPU @self at offset @off of the redistributor window
 * (all the partition's frames). Caller holds g->lock.
 */
enum vgic_result vgic_redist_access(struct vgic *g, unsigned self,
				    uint64_t off, unsigned size, bool write,
				    uint64_t *val)
{
	unsigned vcpu = (unsigned)(off / HV_GUEST_GICR_STRIDE);
	enum vgic_bitreg reg;

	off %= HV_GUEST_GICR_STRIDE;
	if (vcpu >= g->vcpu_count || (off & (size - 1)) != 0) {
		return VGIC_BAD_ACCESS;
	}
	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
		return vgic_prio_access(g, self, vcpu,
					(uint32_t)(off - GICR_IPRIORITYR), size,
					write, val);
	}
	if (size == 8 && off == GICR_TYPER && !write) {
		*val = typer(g, vcpu);
		return VGIC_OK;
	}
	if (size != 4) {
		return VGIC_BAD_ACCESS;
	}
	if (bitreg(off, &reg)) {
		if (write) {
			vgic_bits_write(g, self, vcpu, 0, reg, (uint32_t)*val);
		} else {
			*val = vgic_bits_read(g, vcpu, 0, reg);
		}
	} else if (off == GICR_ICFGR0 || off == GICR_ICFGR1) {
		if (!write) {
			*val = vgic_cfg_read(g, vcpu, off == GICR_ICFGR0 ? 0 : 16);
		}
	} else if (write) {
		if (off == GICR_WAKER) {
			g->cpu[vcpu].gicr_waker = (uint32_t)*val & WAKER_PSLEEP;
		}
	} else {
		*val = rd_read(g, vcpu, off);
	}
	return VGIC_OK;
}

/**
 * A trapped write of ICC_SGI1R_EL1 (or ICC_ASGI1R_EL1, ICC_SGI0R_EL1) by
 * vCPU @self. IHI 0069H 12.2.23: TargetList[15:0], Aff1[23:16],
 * INTID[27:24], Aff2[39:32], IRM[40], RS[47:44], Aff3[55:48]. Our vCPUs
 * have Aff0 = index and all other affinity fields zero, so any other
 * affinity or range selector names no vCPU. Caller holds g->lock.
 */
void vgic_sgi1r(struct vgic *g, unsigned self, uint64_t val)
{
	uint32_t all = (1u << g->vcpu_count) - 1;
	uint32_t mask;

	if (val & (1ULL << 40)) {
		mask = all & ~(1u << self);
	} else if ((val & 0x00ff00ff00ff0000ULL) != 0 ||
		   ((val >> 44) & 0xf) != 0) {
		mask = 0;
	} else {
		mask = (uint32_t)(val & 0xffff) & all;
	}
	vgic_send_sgi(g, self, (uint32_t)(val >> 24) & 15, mask);
}
