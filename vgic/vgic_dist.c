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

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
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
#define GICD_PIDR2 0xffe8

#define CTLR_ARE (1u << 4)
#define CTLR_DS (1u << 6)

static bool in(uint64_t off, uint64_t base, uint64_t len)
{
	return off >= base && off < base + len;
}

static uint32_t typer(const struct vgic *g)
{
	uint32_t v = (g->spi_count / 32) | ((g->vcpu_count - 1) << 5);

	if (g->version == 3) {
		v |= (9u << 19) | (1u << 25); /* IDbits: 10 bits; No1N */
	}
	return v;
}

static void write_ctlr(struct vgic *g, unsigned self, uint32_t val)
{
	g->ctlr = val & 3u; /* EnableGrp0, EnableGrp1 */
	vgic_update_all(g, self);
}

/* The one-bit registers: which kind, and the first INTID of the word. */
static bool bitreg_of(uint64_t off, enum vgic_bitreg *reg, uint32_t *first)
{
	static const struct {
		uint32_t base;
		enum vgic_bitreg reg;
	} regs[] = {
		{ GICD_IGROUPR, VGIC_R_GROUP },	    { GICD_ISENABLER, VGIC_R_SENABLE },
		{ GICD_ICENABLER, VGIC_R_CENABLE }, { GICD_ISPENDR, VGIC_R_SPEND },
		{ GICD_ICPENDR, VGIC_R_CPEND },	    { GICD_ISACTIVER, VGIC_R_SACTIVE },
		{ GICD_ICACTIVER, VGIC_R_CACTIVE },
	};

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (in(off, regs[i].base, 0x80)) {
			*reg = regs[i].reg;
			*first = (uint32_t)(off - regs[i].base) * 8;
			return true;
		}
	}
	return false;
}

/* GICv2 SGIR: TargetListFilter[25:24], CPUTargetList[23:16], INTID[3:0]. */
static void write_sgir(struct vgic *g, unsigned self, uint32_t val)
{
	uint32_t all = (1u << g->vcpu_count) - 1;
	uint32_t mask;

	switch ((val >> 24) & 3) {
	case 0:
		mask = (val >> 16) & 0xff;
		break;
	case 1:
		mask = all & ~(1u << self);
		break;
	case 2:
		mask = 1u << self;
		break;
	default:
		return;
	}
	vgic_send_sgi(g, self, val & 15, mask & all);
}

/* GICv2 ITARGETSR: a byte per INTID; private ones read as this CPU. */
static enum vgic_result targets_access(struct vgic *g, unsigned self,
				       uint32_t intid, unsigned size,
				       bool write, uint64_t *val)
{
	uint64_t out = 0;

	if (size != 1 && size != 4) {
		return VGIC_BAD_ACCESS;
	}
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
 * per source vCPU that has it pending (IHI 0048B 4.3.13-14).
 */
static enum vgic_result sgi_pend_access(struct vgic *g, unsigned self,
					uint64_t off, unsigned size,
					bool write, uint64_t *val)
{
	bool set = off >= GICD_SPENDSGIR;
	uint32_t first = (uint32_t)(off - (set ? GICD_SPENDSGIR
					       : GICD_CPENDSGIR));
	uint8_t valid = (uint8_t)((1u << g->vcpu_count) - 1);
	uint64_t out = 0;

	if (size != 1 && size != 4) {
		return VGIC_BAD_ACCESS;
	}
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
				q->flags &= ~VIRQ_PENDING;
				vgic_changed(g, self, q, self, VREQ_PEND_CLR);
			}
		}
	}
	if (!write) {
		*val = out;
	}
	return VGIC_OK;
}

/* GICv3 IROUTER<n>: Aff0 names the vCPU; Aff1-3 must be zero; 1-of-N
 * routing (IRM) is not supported (GICD_TYPER.No1N). */
static enum vgic_result router_access(struct vgic *g, unsigned self,
				      uint64_t off, unsigned size, bool write,
				      uint64_t *val)
{
	uint32_t intid = (uint32_t)((off - GICD_IROUTER) / 8);
	struct virq *q = vgic_virq(g, self, intid);
	unsigned half = (unsigned)(off & 4);

	if ((size != 8 && size != 4) || (size == 8 && half)) {
		return VGIC_BAD_ACCESS;
	}
	if (q == NULL || intid < VGIC_PRIVATE) {
		if (!write) {
			*val = 0;
		}
		return VGIC_OK;
	}
	if (!write) {
		*val = half ? 0 : q->target;
		return VGIC_OK;
	}
	/* Aff1, Aff2 and Aff3 zero, IRM clear, Aff0 a vCPU we have. */
	if (!half && (*val & 0xff8000ff00ULL) == 0 &&
	    (*val & 0xff) < g->vcpu_count) {
		vgic_set_target(g, self, q, (unsigned)(*val & 0xff));
	}
	return VGIC_OK;
}

static enum vgic_result word_access(struct vgic *g, unsigned self,
				    uint64_t off, bool write, uint64_t *val)
{
	enum vgic_bitreg reg;
	uint32_t first;
	uint32_t v = (uint32_t)*val;
	uint32_t out = 0;

	if (bitreg_of(off, &reg, &first)) {
		/* With affinity routing, private INTIDs live in the GICR. */
		if (g->version == 3 && first < VGIC_PRIVATE) {
			first = VGIC_MAX_INTID;
		}
		if (write) {
			vgic_bits_write(g, self, self, first, reg, v);
		} else {
			out = vgic_bits_read(g, self, first, reg);
		}
	} else if (in(off, GICD_ICFGR, 0x100)) {
		first = (uint32_t)(off - GICD_ICFGR) * 4;
		if (g->version == 3 && first < VGIC_PRIVATE) {
			first = VGIC_MAX_INTID;
		}
		if (write) {
			vgic_cfg_write(g, self, self, first, v);
		} else {
			out = vgic_cfg_read(g, self, first);
		}
	} else if (off == GICD_CTLR) {
		if (write) {
			write_ctlr(g, self, v);
		}
		out = g->ctlr | (g->version == 3 ? CTLR_ARE | CTLR_DS : 0);
	} else if (off == GICD_TYPER) {
		out = typer(g);
	} else if (off == GICD_IIDR) {
		out = VGIC_IIDR;
	} else if (off == GICD_SGIR && g->version == 2) {
		if (write) {
			write_sgir(g, self, v);
		}
	} else if (off == GICD_PIDR2) {
		out = g->version << 4;
	}
	if (!write) {
		*val = out;
	}
	return VGIC_OK;
}

/**
 * Guest access of @size bytes at offset @off of the distributor, by vCPU
 * @self. Returns VGIC_BAD_ACCESS for a width the register does not allow.
 * Caller holds g->lock.
 */
enum vgic_result vgic_dist_access(struct vgic *g, unsigned self,
				  uint64_t off, unsigned size, bool write,
				  uint64_t *val)
{
	if ((off & (size - 1)) != 0) {
		return VGIC_BAD_ACCESS;
	}
	if (in(off, GICD_IPRIORITYR, 0x400)) {
		return vgic_prio_access(g, self, self,
					(uint32_t)(off - GICD_IPRIORITYR), size,
					write, val);
	}
	if (g->version == 2 && in(off, GICD_ITARGETSR, 0x400)) {
		return targets_access(g, self,
				      (uint32_t)(off - GICD_ITARGETSR), size,
				      write, val);
	}
	if (g->version == 2 && in(off, GICD_CPENDSGIR, 0x20)) {
		return sgi_pend_access(g, self, off, size, write, val);
	}
	if (g->version == 3 && in(off, GICD_IROUTER + 8 * VGIC_PRIVATE,
				  8 * VGIC_MAX_SPIS)) {
		return router_access(g, self, off, size, write, val);
	}
	if (size != 4) {
		return VGIC_BAD_ACCESS;
	}
	return word_access(g, self, off, write, val);
}
