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
#define GICR_IPRIORITYR (SGI_BASE + 0x0400)
#define GICR_ICFGR0 (SGI_BASE + 0x0c00)

#define WAKER_PSLEEP (1u << 1)
#define WAKER_CASLEEP (1u << 2)

static uint64_t typer(const struct vgic *g, unsigned vcpu)
{
	return ((uint64_t)vcpu << 32) | ((uint64_t)vcpu << 8) |
	       (vcpu + 1 == g->vcpu_count ? (1u << 4) : 0);
}

/*
 * A frame pair's register map as decode rows (vgic_regs.h): IHI 0069H
 * 12.10 "The GIC Redistributor register map". RD_base: GICR_CTLR (RAZ/WI:
 * no LPIs), GICR_IIDR, GICR_TYPER (also one 64-bit read), GICR_WAKER; the
 * rest of it (GICR_STATUSR, GICR_PROPBASER, GICR_PENDBASER, ...) is
 * reserved here, as are the ID registers but GICR_PIDR2. SGI_base: the
 * register 0 of each SGI and PPI family (GICR_IGROUPR0 .. GICR_ICACTIVER0,
 * GICR_IPRIORITYR<0..7>, GICR_ICFGR0-1, the distributor's layout for
 * INTIDs 0-31); the extended PPI range (GICR_TYPER.PPInum = 0),
 * GICR_IGRPMODR0 and GICR_NSACR (RAZ/WI with GICD_CTLR.DS = 1) are
 * reserved.
 */
enum {
	ROW_RES,
	ROW_RD_CTL,
	ROW_ID,
	ROW_BITS, /* 7 rows, enum vgic_bitreg order */
	ROW_IPRIORITYR = ROW_BITS + 7,
	ROW_ICFGR,
};

static const struct vgic_reg_row gicr_rows[] = {
	[ROW_RES] = VGIC_ROW_ONE(VGIC_K_RES, VGIC_SZ(4), 0),
	[ROW_RD_CTL] = VGIC_ROW_ONE(VGIC_K_RD_CTL, VGIC_SZ(4) | VGIC_SZ(8),
				    GICR_CTLR),
	[ROW_ID] = VGIC_ROW_ONE(VGIC_K_ID, VGIC_SZ(4), 0xff80),
	/* GICR_IGROUPR0 .. GICR_ICACTIVER0. */
	VGIC_ROWS_BITS(ROW_BITS, GICR_IGROUPR0, 0, VGIC_PRIVATE),
	/* A byte per INTID, byte-accessible. */
	[ROW_IPRIORITYR] = VGIC_ROW_IRQ(VGIC_K_PRIO, VGIC_SZ(1) | VGIC_SZ(4), 3,
					0, GICR_IPRIORITYR, 0, VGIC_PRIVATE),
	/* Two bits per INTID; fixed for SGIs and PPIs (writes ignored). */
	[ROW_ICFGR] = VGIC_ROW_IRQ(VGIC_K_CFG, VGIC_SZ(4), 1, 0, GICR_ICFGR0, 0,
				   VGIC_PRIVATE),
};

static const uint8_t gicr_map[VGIC_BLOCK(HV_GUEST_GICR_STRIDE)] = {
	[VGIC_BLOCK(GICR_CTLR)] = ROW_RD_CTL,
	[VGIC_BLOCK(GICR_PIDR2)] = ROW_ID,
	VGIC_MAP_BITS(ROW_BITS, GICR_IGROUPR0),
	[VGIC_BLOCK(GICR_IPRIORITYR)] = ROW_IPRIORITYR,
	[VGIC_BLOCK(GICR_ICFGR0)] = ROW_ICFGR,
};

/* RD_base's first block: GICR_CTLR, GICR_IIDR, GICR_TYPER, GICR_WAKER
 * (IHI 0069H 12.11). */
static enum vgic_result rd_ctl_access(struct vgic *g, unsigned vcpu,
				      uint32_t off, unsigned size,
				      bool write, uint64_t *val)
{
	uint32_t *waker = &g->cpu[vcpu].gicr_waker;

	if (size == 8) {
		/* GICR_TYPER is the one 64-bit register; read-only. */
		if (off != GICR_TYPER || write) {
			return VGIC_BAD_ACCESS;
		}
		*val = typer(g, vcpu);
		return VGIC_OK;
	}
	if (write) {
		if (off == GICR_WAKER) {
			*waker = (uint32_t)*val & WAKER_PSLEEP;
		}
		return VGIC_OK;
	}
	switch (off) {
	case GICR_IIDR:
		*val = VGIC_IIDR;
		break;
	case GICR_TYPER:
		*val = (uint32_t)typer(g, vcpu);
		break;
	case GICR_TYPER + 4:
		*val = (uint32_t)(typer(g, vcpu) >> 32);
		break;
	case GICR_WAKER:
		/* ChildrenAsleep follows ProcessorSleep at once. */
		*val = *waker | ((*waker & WAKER_PSLEEP) ? WAKER_CASLEEP : 0);
		break;
	default:
		*val = 0; /* GICR_CTLR (no LPIs) and reserved */
		break;
	}
	return VGIC_OK;
}

/**
 * Guest access of @size bytes (1, 2, 4 or 8) by vCPU @self at offset @off
 * of the redistributor window (all the partition's frames). Returns
 * VGIC_BAD_ACCESS for an unaligned access, a width the register does not
 * allow or a frame no vCPU of the partition has. Caller holds g->lock.
 */
enum vgic_result vgic_redist_access(struct vgic *g, unsigned self,
				    uint64_t off, unsigned size, bool write,
				    uint64_t *val)
{
	unsigned vcpu = (unsigned)(off / HV_GUEST_GICR_STRIDE);
	const struct vgic_reg_row *r;
	uint32_t n;

	off %= HV_GUEST_GICR_STRIDE;
	if (vcpu >= g->vcpu_count || (off & (size - 1)) != 0) {
		return VGIC_BAD_ACCESS;
	}
	r = vgic_decode(gicr_map, gicr_rows, (uint32_t)off, size, &n);
	if (r == NULL) {
		return VGIC_BAD_ACCESS;
	}
	switch (r->kind) {
	case VGIC_K_RD_CTL:
		return rd_ctl_access(g, vcpu, n, size, write, val);
	case VGIC_K_ID:
		if (!write) {
			/* RD_base's ID block, as the distributor's. */
			*val = vgic_id_read(3, off);
		}
		return VGIC_OK;
	default:
		return vgic_irq_access(g, self, vcpu, r, n, size, write, val);
	}
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
	vgic_send_sgi(g, self, (uint32_t)(val >> 24) & 15,
		      vgic_sgi1r_targets(g, self, val));
}

/** The vCPUs (bit i: vCPU i) an ICC_SGI1R_EL1 value @val written by vCPU
 * @self names, within the partition (see vgic_sgi1r()); IRM = 1 names
 * every other vCPU of the partition. Needs no lock. */
uint32_t vgic_sgi1r_targets(const struct vgic *g, unsigned self,
			    uint64_t val)
{
	uint32_t all = (1u << g->vcpu_count) - 1;

	if (val & (1ULL << 40)) {
		return all & ~(1u << self);
	}
	if ((val & 0x00ff00ff00ff0000ULL) != 0 || ((val >> 44) & 0xf) != 0) {
		return 0;
	}
	return (uint32_t)(val & 0xffff) & all;
}
