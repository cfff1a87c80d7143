/* SPDX-License-Identifier: MIT */
/*
 * Emulated distributor (GICD) at HV_GUEST_GICD_IPA, for GICv3 (affinity
 * routing always on) and GICv2 (ITARGETSR, SGIR, banked private
 * interrupts). Accesses are word-sized except the byte-accessible
 * priority and target registers and the 64-bit IROUTER; any other width is
 * refused (the caller applies the partition's fault policy). Reserved and
 * unimplemented offsets read as zero and ignore writes.
 *
 * GIC Architecture Specification, IHI 0069H, 12.8 "The GIC Distributor
 * register map" and 12.9 "The GIC Distributor register descriptions";
 * GICv2: IHI 0048B, 4.3 "Distributor register descriptions".
 */
#include "vgic_regs.h"

#define GICD_IGROUPR 0x0080
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_SPENDSGIR 0x0f20
#define GICD_IROUTER 0x6000


/** GICD_TYPER of @g, fixed once its configuration is (vgic_init()). */
uint32_t vgic_dist_typer(const struct vgic *g)
{
	uint32_t v = (g->spi_count / 32) | ((g->vcpu_count - 1) << 5);

	if (g->version == 3) {
		v |= (9u << 19) | (1u << 25); /* IDbits: 10 bits; No1N */
	}
	return v;
}

static VGIC_OUT_OF_LINE enum vgic_result
write_ctlr(struct vgic *g, unsigned self, uint32_t val)
{
	/* EnableGrp0, EnableGrp1; stored whole (vgic_dist_read_nolock()). */
	__atomic_store_n(&g->ctlr, val & 3u, __ATOMIC_RELAXED);
	vgic_update_all(g, self);
	return VGIC_OK;
}

/* GICv2 SGIR: TargetListFilter[25:24], CPUTargetList[23:16], INTID[3:0]. */
static void write_sgir(struct vgic *g, unsigned self, uint32_t val)
{
	vgic_send_sgi(g, self, val & 15, vgic_sgir_targets(g, self, val));
}

/** The vCPUs (bit i: vCPU i) a GICD_SGIR value @val written by vCPU @self
 * names, within the partition (IHI 0048B 4.3.15); the reserved filter
 * names none. Needs no lock. */
uint32_t vgic_sgir_targets(const struct vgic *g, unsigned self, uint32_t val)
{
	uint32_t all = (1u << g->vcpu_count) - 1;

	switch ((val >> 24) & 3) {
	case 0:
		return ((val >> 16) & 0xff) & all;
	case 1:
		return all & ~(1u << self);
	case 2:
		return (1u << self) & all;
	default:
		return 0;
	}
}

/* GICv2 ITARGETSR: a byte per INTID; private ones read as this CPU. */
static VGIC_OUT_OF_LINE enum vgic_result
targets_access(struct vgic *g, unsigned self, uint32_t intid, unsigned size,
	       bool write, uint64_t *val)
{
	uint64_t out = 0;

	for (unsigned i = 0; i < size; i++) {
		struct virq *q = vgic_virq(g, self, intid + i);
		uint8_t byte = (uint8_t)(*val >> (8 * i));
		uint8_t valid = (uint8_t)((1u << g->vcpu_count) - 1);

		if (q == NULL) {
			continue;
		}
		if (intid + i < VGIC_PRIVATE) {
			out |= (uint64_t)(1u << self) << (8 * i);
		} else if (write) {
			q->targets = byte & valid;
			if (q->targets != 0) {
				vgic_set_target(g, self, q,
						(unsigned)__builtin_ctz(q->targets));
			}
		} else {
			out |= (uint64_t)q->targets << (8 * i);
		}
	}
	if (!write) {
		*val = out;
	}
	return VGIC_OK;
}

/*
 * GICv2 CPENDSGIR/SPENDSGIR: a byte per SGI of the accessing vCPU, one bit
 * per source vCPU that has it pending (IHI 0048B 4.3.13-14). @n is the
 * byte offset from CPENDSGIR0: SGI n % 16, set if n >= 16.
 */
static void sgi_pend_access(struct vgic *g, unsigned self, uint32_t n,
			    unsigned size, bool write, uint64_t *val)
{
	bool set = n >= 16;
	uint32_t first = n & 15;
	uint8_t valid = (uint8_t)((1u << g->vcpu_count) - 1);
	uint64_t out = 0;

	for (unsigned i = 0; i < size; i++) {
		struct virq *q = &g->cpu[self].priv[first + i];
		uint8_t byte = (uint8_t)(*val >> (8 * i)) & valid;

		if (!write) {
			out |= (uint64_t)(q->sgi_src & valid) << (8 * i);
		} else if (set && byte != 0) {
			q->sgi_src |= byte;
			q->flags |= VIRQ_PENDING;
			vgic_changed(g, self, q, self, VREQ_PEND_SET);
		} else if (!set && byte != 0) {
			q->sgi_src &= (uint8_t)~byte;
			if (q->sgi_src == 0) {
				q->flags &= (uint8_t)~VIRQ_PENDING;
				vgic_changed(g, self, q, self, VREQ_PEND_CLR);
			}
		}
	}
	if (!write) {
		*val = out;
	}
}

/* GICv3 IROUTER<n>, SPIs only (the decode makes 0-31 reserved): Aff0
 * names the vCPU; Aff1-3 must be zero; 1-of-N routing (IRM) is not
 * supported (GICD_TYPER.No1N). @half: the upper word's 32-bit access. */
static VGIC_OUT_OF_LINE enum vgic_result
router_access(struct vgic *g, unsigned self, uint32_t intid, bool half,
	      bool write, uint64_t *val)
{
	struct virq *q = vgic_virq(g, self, intid);

	if (!write) {
		*val = (q == NULL || half) ? 0 : q->target;
	} else if (q != NULL && !half && (*val & 0xff8000ff00ULL) == 0 &&
		   (*val & 0xff) < g->vcpu_count) {
		/* Aff1, Aff2 and Aff3 zero, IRM clear, Aff0 a vCPU we have. */
		vgic_set_target(g, self, q, (unsigned)(*val & 0xff));
	}
	return VGIC_OK;
}

/*
 * The distributor's register map as decode rows (vgic_regs.h): IHI 0069H
 * 12.8 "The GIC Distributor register map" (GICv3, affinity routing on, a
 * single Security state: GICD_CTLR.DS = 1); IHI 0048B 4.1.2 "Distributor
 * register map" (GICv2). A register family's INTID is ((offset - base) *
 * 8) >> shift, so each row names its field width and which INTIDs are
 * implemented; any other INTID of the family is reserved (word access,
 * RAZ/WI), as is every block the maps below do not name, such as:
 *   - GICD_STATUSR, GICD_SETSPI_*, GICD_CLRSPI_* (0x010-0x05c): no
 *     message-based SPIs (GICD_TYPER.MBIS = 0);
 *   - GICD_IGRPMODR<n> (0xd00) and GICD_NSACR<n> (0xe00): RAZ/WI with
 *     GICD_CTLR.DS = 1 (IHI 0069H 12.9, GICD_IGRPMODR<n>, GICD_NSACR<n>);
 *   - GICD_INMIR<n> (0xf80): no NMIs (GICD_TYPER.NMI = 0);
 *   - the extended SPI registers (0x1000-0x3bff, GICD_IROUTER<n>E at
 *     0x8000-0x9ffc): GICD_TYPER.ESPI = 0;
 *   - GICv3 GICD_ITARGETSR<n>, GICD_SGIR, GICD_[CS]PENDSGIR<n>: RES0 with
 *     affinity routing (IHI 0069H 12.9); GICv2 has no GICD_IROUTER<n>.
 * With affinity routing the SGIs and PPIs live in the redistributors, so
 * a GICv3 distributor's one-bit and ICFGR registers for INTIDs 0-31 and
 * GICD_IROUTER<0..31> are reserved; GICD_IPRIORITYR<0..7> still reach
 * the accessing vCPU's own SGIs and PPIs here.
 */
enum {
	ROW_RES,
	ROW_CTL,
	ROW_BITS,		     /* 7 rows, enum vgic_bitreg order */
	ROW_ICFGR = ROW_BITS + 7,
	ROW_BITS_AR,		     /* GICv3: INTIDs 0-31 reserved */
	ROW_ICFGR_AR = ROW_BITS_AR + 7,
	ROW_IPRIORITYR,
	ROW_ITARGETSR,
	ROW_SGI,
	ROW_IROUTER,
	ROW_ID,
	ROW_ID_V2,
};

#define ALL_INTIDS 1024 /* INTIDs a family's registers can name */
#define SPIS (ALL_INTIDS - VGIC_PRIVATE)

static const struct vgic_reg_row gicd_rows[] = {
	[ROW_RES] = VGIC_ROW_ONE(VGIC_K_RES, VGIC_SZ(4), 0),
	/* GICD_CTLR, GICD_TYPER, GICD_IIDR; TYPER2 (0x00c) and the rest of
	 * the block are reserved here. */
	[ROW_CTL] = VGIC_ROW_ONE(VGIC_K_CTL, VGIC_SZ(4), VGICD_CTLR),
	/* GICD_IGROUPR<n> .. GICD_ICACTIVER<n>: 32 one-bit fields a word;
	 * GICD_ICFGR<n>: 16 two-bit fields a word. */
	VGIC_ROWS_BITS(ROW_BITS, GICD_IGROUPR, 0, ALL_INTIDS),
	[ROW_ICFGR] = VGIC_ROW_IRQ(VGIC_K_CFG, VGIC_SZ(4), 1, 0, GICD_ICFGR, 0,
				   ALL_INTIDS),
	VGIC_ROWS_BITS(ROW_BITS_AR, GICD_IGROUPR, VGIC_PRIVATE, SPIS),
	[ROW_ICFGR_AR] = VGIC_ROW_IRQ(VGIC_K_CFG, VGIC_SZ(4), 1, 0, GICD_ICFGR,
				      VGIC_PRIVATE, SPIS),
	/* GICD_IPRIORITYR<n>, GICv2 GICD_ITARGETSR<n>: a byte per INTID,
	 * byte-accessible (IHI 0069H 12.9; IHI 0048B 4.3). */
	[ROW_IPRIORITYR] = VGIC_ROW_IRQ(VGIC_K_PRIO, VGIC_SZ(1) | VGIC_SZ(4), 3,
					0, GICD_IPRIORITYR, 0, ALL_INTIDS),
	[ROW_ITARGETSR] = VGIC_ROW_IRQ(VGIC_K_TARGETS, VGIC_SZ(1) | VGIC_SZ(4),
				       3, 0, GICD_ITARGETSR, 0, ALL_INTIDS),
	/* GICv2 GICD_SGIR (word, write-only) and GICD_CPENDSGIR<n>,
	 * GICD_SPENDSGIR<n> (a byte per SGI, byte-accessible); the rest of
	 * the block is reserved (word only). */
	[ROW_SGI] = VGIC_ROW_ONE(VGIC_K_SGI, VGIC_SZ(1) | VGIC_SZ(4), GICD_SGIR),
	/* GICD_IROUTER<n>: 64 bits per SPI, 64- or 32-bit access (IHI 0069H
	 * 12.9, GICD_IROUTER<n>: n = 32 to 1019); the SPIs the vGIC has. */
	[ROW_IROUTER] = VGIC_ROW_IRQ(VGIC_K_ROUTER, VGIC_SZ(4) | VGIC_SZ(8), 6,
				     0, GICD_IROUTER, VGIC_PRIVATE,
				     VGIC_MAX_SPIS),
	/* The ID registers: GICv3 0xffd0-0xfffc, GICv2 0xfd0-0xffc, each in
	 * the last block of its frame (vgic_id_read()). */
	[ROW_ID] = VGIC_ROW_ONE(VGIC_K_ID, VGIC_SZ(4), 0xff80),
	[ROW_ID_V2] = VGIC_ROW_ONE(VGIC_K_ID, VGIC_SZ(4), 0x0f80),
};

#define GICD_FRAME 0x10000
#define GICD_BLOCKS VGIC_BLOCK(GICD_FRAME)
#define GICD_RESERVED 0x1000 /* a reserved block in both maps */
#define BLOCKS(first, last) [VGIC_BLOCK(first)... VGIC_BLOCK(last)]

static const uint8_t gicd_map_v2[GICD_BLOCKS] = {
	[VGIC_BLOCK(VGICD_CTLR)] = ROW_CTL,
	VGIC_MAP_BITS(ROW_BITS, GICD_IGROUPR),
	BLOCKS(GICD_IPRIORITYR, 0x7ff) = ROW_IPRIORITYR,
	BLOCKS(GICD_ITARGETSR, 0xbff) = ROW_ITARGETSR,
	BLOCKS(GICD_ICFGR, 0xcff) = ROW_ICFGR,
	[VGIC_BLOCK(GICD_SGIR)] = ROW_SGI,
	[VGIC_BLOCK(VGIC_ID_BASE_V2)] = ROW_ID_V2,
};

static const uint8_t gicd_map_v3[GICD_BLOCKS] = {
	[VGIC_BLOCK(VGICD_CTLR)] = ROW_CTL,
	VGIC_MAP_BITS(ROW_BITS_AR, GICD_IGROUPR),
	BLOCKS(GICD_IPRIORITYR, 0x7ff) = ROW_IPRIORITYR,
	BLOCKS(GICD_ICFGR, 0xcff) = ROW_ICFGR_AR,
	BLOCKS(GICD_IROUTER, 0x7fff) = ROW_IROUTER,
	[VGIC_BLOCK(VGIC_ID_BASE_V3)] = ROW_ID,
};

/* The GICv2 block at GICD_SGIR; @n is the offset in it. */
static VGIC_OUT_OF_LINE enum vgic_result
sgi_access(struct vgic *g, unsigned self, uint32_t n, unsigned size,
	   bool write, uint64_t *val)
{
	uint32_t pend = n - (GICD_CPENDSGIR - GICD_SGIR);

	if (pend < 0x20) {
		sgi_pend_access(g, self, pend, size, write, val);
		return VGIC_OK;
	}
	if (size != 4) {
		return VGIC_BAD_ACCESS;
	}
	if (!write) {
		*val = 0; /* GICD_SGIR is write-only; the rest reserved */
	} else if (n == 0) {
		write_sgir(g, self, (uint32_t)*val);
	}
	return VGIC_OK;
}

/**
 * Guest access of @size bytes (1, 2, 4 or 8) at offset @off of the
 * distributor, by vCPU @self. Returns VGIC_BAD_ACCESS for an unaligned
 * access or a width the register does not allow. Caller holds g->lock.
 */
enum vgic_result vgic_dist_access(struct vgic *g, unsigned self,
				  uint64_t off, unsigned size, bool write,
				  uint64_t *val)
{
	const uint8_t *map = g->version == 3 ? gicd_map_v3 : gicd_map_v2;
	const struct vgic_reg_row *r;
	uint32_t n;

	if ((off & (size - 1)) != 0) {
		return VGIC_BAD_ACCESS;
	}
	if (off >= GICD_FRAME) {
		off = GICD_RESERVED; /* beyond the frame: reserved too */
	}
	r = vgic_decode(map, gicd_rows, (uint32_t)off, size, &n);
	if (r == NULL) {
		return VGIC_BAD_ACCESS;
	}
	switch (r->kind) {
	case VGIC_K_CTL:
		if (!write) {
			*val = vgic_dist_ctl_read(g, n);
		} else if (n == VGICD_CTLR) {
			return write_ctlr(g, self, (uint32_t)*val);
		}
		return VGIC_OK;
	case VGIC_K_TARGETS:
		return targets_access(g, self, n, size, write, val);
	case VGIC_K_ROUTER:
		return router_access(g, self, n, (off & 4) != 0, write, val);
	case VGIC_K_SGI:
		return sgi_access(g, self, n, size, write, val);
	case VGIC_K_ID:
		if (!write) {
			*val = vgic_dist_id_read(g, off);
		}
		return VGIC_OK;
	default:
		return vgic_irq_access(g, self, self, r, n, size, write, val);
	}
}

