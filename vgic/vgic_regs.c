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

/* Read one register of 32 one-bit fields for INTIDs first..first+31. */
static uint32_t bits_read(struct vgic *g, unsigned vcpu, uint32_t first,
			  enum vgic_bitreg reg)
{
	uint32_t v = 0;

	for (unsigned b = 0; b < 32; b++) {
		struct virq *q = vgic_virq(g, vcpu, first + b);
		bool on = false;

		if (q == NULL) {
			continue;
		}
		switch (reg) {
		case VGIC_R_GROUP:
			on = (q->flags & VIRQ_GROUP1) != 0;
			break;
		case VGIC_R_SENABLE:
		case VGIC_R_CENABLE:
			on = (q->flags & VIRQ_ENABLED) != 0;
			break;
		case VGIC_R_SPEND:
		case VGIC_R_CPEND:
			on = vgic_is_pending(g, q, vcpu);
			break;
		case VGIC_R_SACTIVE:
		case VGIC_R_CACTIVE:
			on = vgic_is_active(g, q, vcpu);
			break;
		}
		v |= (uint32_t)on << b;
	}
	return v;
}

/* Write one such register: set, clear or (groups) assign each bit. */
static void bits_write(struct vgic *g, unsigned self, unsigned vcpu,
		       uint32_t first, enum vgic_bitreg reg, uint32_t val)
{
	for (unsigned b = 0; b < 32; b++) {
		struct virq *q = vgic_virq(g, vcpu, first + b);
		bool bit = (val >> b) & 1;

		if (q == NULL || (!bit && reg != VGIC_R_GROUP)) {
			continue;
		}
		switch (reg) {
		case VGIC_R_GROUP:
			q->flags = bit ? (q->flags | VIRQ_GROUP1)
				       : (q->flags & ~VIRQ_GROUP1);
			vgic_changed(g, self, q, vcpu, VREQ_REFRESH);
			break;
		case VGIC_R_SENABLE:
		case VGIC_R_CENABLE:
			/* GICv2 SGIs are always enabled (RAO/WI). */
			if (!(first + b < 16 && g->version == 2)) {
				vgic_set_enable(g, self, q, vcpu,
						reg == VGIC_R_SENABLE);
			}
			break;
		case VGIC_R_SPEND:
		case VGIC_R_CPEND:
			vgic_set_pending(g, self, q, vcpu,
					 reg == VGIC_R_SPEND);
			break;
		case VGIC_R_SACTIVE:
		case VGIC_R_CACTIVE:
			vgic_set_active(g, self, q, vcpu,
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
	uint64_t out = 0;

	for (unsigned i = 0; i < size; i++) {
		struct virq *q = vgic_virq(g, vcpu, intid + i);
		uint8_t byte = (uint8_t)(*val >> (8 * i));

		if (q == NULL) {
			continue;
		}
		if (write) {
			q->prio = byte & g->prio_mask;
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
	uint32_t v = 0;

	for (unsigned i = 0; i < 16; i++) {
		struct virq *q = vgic_virq(g, vcpu, first + i);

		if (q != NULL && (q->flags & VIRQ_EDGE)) {
			v |= 2u << (2 * i);
		}
	}
	return v;
}

static void cfg_write(struct vgic *g, unsigned self, unsigned vcpu,
		      uint32_t first, uint32_t val)
{
	for (unsigned i = 0; i < 16; i++) {
		struct virq *q = vgic_virq(g, vcpu, first + i);
		bool edge = (val >> (2 * i + 1)) & 1;

		if (q == NULL || first + i < VGIC_PRIVATE ||
		    edge == ((q->flags & VIRQ_EDGE) != 0)) {
			continue;
		}
		q->flags = edge ? (q->flags | VIRQ_EDGE)
				: (q->flags & ~VIRQ_EDGE);
		if (q->flags & VIRQ_HW) {
			vgic_hw_config(q->pintid, edge);
		}
		vgic_changed(g, self, q, vcpu, VREQ_REFRESH);
	}
}

/**
 * An access the decode (vgic_decode()) gave row @r and start INTID
 * @intid, of one of the shared families or reserved, to the registers of
 * vCPU @vcpu (the redistributor's; the accessing vCPU's in the
 * distributor) by vCPU @self. The size is already checked.
 */
enum vgic_result vgic_irq_access(struct vgic *g, unsigned self,
				 unsigned vcpu, const struct vgic_reg_row *r,
				 uint32_t intid, unsigned size, bool write,
				 uint64_t *val)
{
	uint32_t v = (uint32_t)*val;

	switch (r->kind) {
	case VGIC_K_BITS:
		if (write) {
			bits_write(g, self, vcpu, intid,
				   (enum vgic_bitreg)r->reg, v);
		} else {
			*val = bits_read(g, vcpu, intid,
					 (enum vgic_bitreg)r->reg);
		}
		break;
	case VGIC_K_PRIO:
		prio_access(g, self, vcpu, intid, size, write, val);
		break;
	case VGIC_K_CFG:
		if (write) {
			cfg_write(g, self, vcpu, intid, v);
		} else {
			*val = cfg_read(g, vcpu, intid);
		}
		break;
	default: /* reserved */
		if (!write) {
			*val = 0;
		}
		break;
	}
	return VGIC_OK;
}
