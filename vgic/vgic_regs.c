/* SPDX-License-Identifier: MIT */
/*
 * The register families the distributor and the redistributors share:
 * the one-bit-per-interrupt registers, priorities and configuration,
 * reached through a row of a decode table (vgic_regs.h). Interrupts the
 * partition does not own read as zero and ignore writes.
 *
 * GIC Architecture Specification, IHI 0069H: 12.9 (GICD_IGROUPR<n>,
 * GICD_ISENABLER<n> and the other set/clear registers, GICD_IPRIORITYR<n>,
 * GICD_ICFGR<n>), 12.11 (their GICR_*0 counterparts); GICv2: IHI 0048B,
 * 4.3.
 */
#include "vgic_regs.h"

/*
 * The virqs of the @n INTIDs from @first, as vgic_virq() gives them one by
 * one: the address of the first, with *@n cut to those that exist, or
 * NULL if none does. A register's INTIDs are all private or all SPIs (it
 * starts at a multiple of its field count); SPIs the partition does not own
 * still have to be skipped (owned()). Must agree with vgic_virq()
 * (vgic/vgic.c), which it spares the loops below a call per INTID.
 */
static struct virq *virq_run(struct vgic *g, unsigned vcpu, uint32_t first,
			     unsigned *n)
{
	uint32_t spi = first - VGIC_PRIVATE;

	if (first < VGIC_PRIVATE) {
		return vcpu < g->vcpu_count ? &g->cpu[vcpu].priv[first] : NULL;
	}
	if (spi >= g->spi_count) {
		return NULL;
	}
	if (*n > g->spi_count - spi) {
		*n = g->spi_count - spi;
	}
	return &g->spi[spi];
}

/* Does vgic_virq() give @q for INTID @intid? (See virq_run().) */
static bool owned(const struct virq *q, uint32_t intid)
{
	return intid < VGIC_PRIVATE || (q->flags & VIRQ_OWNED);
}

/* Read one register of 32 one-bit fields for INTIDs first..first+31. */
static uint32_t bits_read(struct vgic *g, unsigned vcpu, uint32_t first,
			  enum vgic_bitreg reg)
{
	unsigned n = 32;
	struct virq *q = virq_run(g, vcpu, first, &n);
	uint32_t v = 0;

	if (q == NULL) {
		return 0;
	}
	if (reg == VGIC_R_GROUP || reg == VGIC_R_SENABLE ||
	    reg == VGIC_R_CENABLE) {
		/* A flag of each virq: one test a bit. */
		uint8_t need = (reg == VGIC_R_GROUP ? VIRQ_GROUP1 : VIRQ_ENABLED) |
			       (first < VGIC_PRIVATE ? 0 : VIRQ_OWNED);

		for (unsigned b = 0; b < n; b++) {
			v |= (uint32_t)((q[b].flags & need) == need) << b;
		}
		return v;
	}
	for (unsigned b = 0; b < n; b++, q++) {
		bool on;

		if (!owned(q, first)) {
			continue;
		}
		if (reg == VGIC_R_SPEND || reg == VGIC_R_CPEND) {
			on = vgic_is_pending(g, q, vcpu);
		} else {
			on = vgic_is_active(g, q, vcpu);
		}
		v |= (uint32_t)on << b;
	}
	return v;
}

/* Write one such register: assign each group bit; set or clear as the
 * one bits of the others say. */
static void bits_write(struct vgic *g, unsigned self, unsigned vcpu,
		       uint32_t first, enum vgic_bitreg reg, uint32_t val)
{
	unsigned n = 32;
	struct virq *q = virq_run(g, vcpu, first, &n);

	if (q == NULL) {
		return;
	}
	if (reg == VGIC_R_GROUP) {
		for (unsigned b = 0; b < n; b++, q++) {
			if (!owned(q, first)) {
				continue;
			}
			q->flags = (uint8_t)(((val >> b) & 1)
					     ? (q->flags | VIRQ_GROUP1)
					     : (q->flags & ~VIRQ_GROUP1));
			vgic_changed(g, self, q, vcpu, VREQ_REFRESH);
		}
		return;
	}
	if (n < 32) {
		val &= (1u << n) - 1;
	}
	for (; val != 0; val &= val - 1) {
		unsigned b = (unsigned)__builtin_ctz(val);
		struct virq *p = q + b;

		if (!owned(p, first)) {
			continue;
		}
		switch (reg) {
		case VGIC_R_SENABLE:
		case VGIC_R_CENABLE:
			/* GICv2 SGIs are always enabled (RAO/WI). */
			if (!(first + b < 16 && g->version == 2)) {
				vgic_set_enable(g, self, p, vcpu,
						reg == VGIC_R_SENABLE);
			}
			break;
		case VGIC_R_SPEND:
		case VGIC_R_CPEND:
			vgic_set_pending(g, self, p, vcpu,
					 reg == VGIC_R_SPEND);
			break;
		default: /* VGIC_R_SACTIVE, VGIC_R_CACTIVE */
			vgic_set_active(g, self, p, vcpu,
					reg == VGIC_R_SACTIVE);
			break;
		}
	}
}

/* Priorities: one byte per INTID, byte or word access. Only the bits the
 * virtual CPU interface implements are kept (ICH_VTR_EL2.PRIbits; QEMU:
 * five), so the distributor and the CPU interface agree (IHI 0069H 4.8
 * "Interrupt prioritization"). */
static void prio_access(struct vgic *g, unsigned self, unsigned vcpu,
			uint32_t intid, unsigned size, bool write,
			uint64_t *val)
{
	unsigned n = size;
	struct virq *q = virq_run(g, vcpu, intid, &n);
	uint64_t out = 0;

	for (unsigned i = 0; q != NULL && i < n; i++, q++) {
		if (!owned(q, intid)) {
			continue;
		}
		if (write) {
			q->prio = (uint8_t)(*val >> (8 * i)) & g->prio_mask;
			vgic_changed(g, self, q, vcpu, VREQ_REFRESH);
		} else {
			out |= (uint64_t)q->prio << (8 * i);
		}
	}
	if (!write) {
		*val = out;
	}
}

/* Trigger configuration: two bits per INTID, bit 1 set = edge. SGIs are
 * always edge; PPIs are fixed (the timers are level); SPIs follow the
 * guest and, when HW-backed, the physical configuration follows. */
static uint32_t cfg_read(struct vgic *g, unsigned vcpu, uint32_t first)
{
	unsigned n = 16;
	struct virq *q = virq_run(g, vcpu, first, &n);
	uint32_t v = 0;

	for (unsigned i = 0; q != NULL && i < n; i++, q++) {
		if (owned(q, first) && (q->flags & VIRQ_EDGE)) {
			v |= 2u << (2 * i);
		}
	}
	return v;
}

static void cfg_write(struct vgic *g, unsigned self, unsigned vcpu,
		      uint32_t first, uint32_t val)
{
	unsigned n = 16;
	struct virq *q = first < VGIC_PRIVATE ? NULL
					      : virq_run(g, vcpu, first, &n);

	for (unsigned i = 0; q != NULL && i < n; i++, q++) {
		bool edge = (val >> (2 * i + 1)) & 1;

		if (!owned(q, first) || edge == ((q->flags & VIRQ_EDGE) != 0)) {
			continue;
		}
		q->flags = (uint8_t)(edge ? (q->flags | VIRQ_EDGE)
					  : (q->flags & ~VIRQ_EDGE));
		if (q->flags & VIRQ_HW) {
			vgic_hw_config(q->pintid, edge);
		}
		vgic_changed(g, self, q, vcpu, VREQ_REFRESH);
	}
}
/* The shared families' handlers, for vgic_irq_access(). */
enum vgic_result vgic_bits_access(struct vgic *g, unsigned self,
				  unsigned vcpu, uint32_t first,
				  enum vgic_bitreg reg, bool write, uint64_t *val)
{
	if (write) {
		bits_write(g, self, vcpu, first, reg, (uint32_t)*val);
	} else {
		*val = bits_read(g, vcpu, first, reg);
	}
	return VGIC_OK;
}

enum vgic_result vgic_prio_access(struct vgic *g, unsigned self,
				  unsigned vcpu, uint32_t intid,
				  unsigned size, bool write, uint64_t *val)
{
	prio_access(g, self, vcpu, intid, size, write, val);
	return VGIC_OK;
}

enum vgic_result vgic_cfg_access(struct vgic *g, unsigned self,
				 unsigned vcpu, uint32_t first, bool write,
				 uint64_t *val)
{
	if (write) {
		cfg_write(g, self, vcpu, first, (uint32_t)*val);
	} else {
		*val = cfg_read(g, vcpu, first);
	}
	return VGIC_OK;
}
