/* SPDX-License-Identifier: MIT */
/*
 * Where the virtual GIC meets vCPUs and the physical GIC: taking physical
 * interrupts on a core, preparing the virtual CPU interface when a vCPU
 * starts, and dispatching trapped GIC accesses.
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/console.h"
#include "hv/partition.h"
#include "hv/panic.h"
#include "hv/smmu.h"
#include "hv/stage2.h"
#include "hv/vgic.h"

#include "arch/regs.h"

#define INTID_SPURIOUS 1020

extern const struct hv_config hv_cfg;

/**
 * Drain every pending physical interrupt of this core (running vCPU @v):
 * kicks are completed, maintenance is handled, anything else belongs to
 * @v's partition and becomes pending in its vGIC (it stays active
 * physically until the guest's EOI).
 */
void vcpu_take_irqs(struct vcpu *v)
{
	struct vgic *g = &v->part->vgic;
	/* The vector's fast path may have acknowledged the first one. */
	uint32_t iar = v->irq_iar;
	bool kicked = false;

	v->irq_iar = VCPU_NO_IAR;
	if (iar == VCPU_NO_IAR) {
		iar = gic_ack();
	}
	for (;; iar = gic_ack()) {
		uint32_t irq = gic_intid(iar);

		if (irq >= INTID_SPURIOUS) {
			break;
		}
		gic_eoi(iar);
		if (gic_is_kick(irq)) {
			gic_deactivate(iar);
			kicked = true;
			continue;
		}
		if (health_is_timer_irq(irq)) {
			health_timer_irq(v, iar);
			continue;
		}
		if (irq == hv_cfg.board.uart_irq) {
			console_irq();
			gic_deactivate(iar);
			continue;
		}
		if (irq == pcpu_this()->reg.irq) { /* 0 (none) is a kick */
			arch_regulate_irq(iar);
			continue;
		}
		if (smmu_is_irq(irq)) {
			gic_deactivate(iar);
			smmu_handle_irq(irq);
			continue;
		}
		spin_lock(&g->lock);
		if (irq == VGIC_MAINT_INTID) {
			vcpu_count(v, EXIT_MAINT);
			gic_deactivate(iar);
			vgic_maintenance(g, v->index);
		} else if (!vgic_inject_private_hw(g, v->index, irq)) {
			vgic_phys_irq(g, v->index, irq);
			if (v->regs.spsr & SPSR_I) {
				vgic_latched_masked(g, v->index, irq);
			}
		}
		health_sync_irqs(v->part); /* the fast path skips the sync */
		spin_unlock(&g->lock);
	}
	/* SGIs posted to this vCPU (its doorbell is a kick above). */
	if (vgic_sgi_posted(g, v->index)) {
		spin_lock(&g->lock);
		vgic_sgi_drain(g, v->index);
		health_sync_irqs(v->part);
		spin_unlock(&g->lock);
	}
	if (kicked) {
		partition_dma_check(v); /* may not return */
	}
}

/**
 * Fold and load the list registers of @v's core (vcpu_vgic_sync() calls it
 * when there is work). With nothing to inject and no change to an
 * interrupt in a list register, what the guest did with its LRs
 * (acknowledge, EOI) is folded at the next flush; a hypercall or a UART
 * access then costs no list-register work at all.
 */
void vcpu_vgic_flush(struct vcpu *v)
{
	struct vgic *g = &v->part->vgic;

	spin_lock(&g->lock);
	vgic_flush(g, v->index);
	health_sync_irqs(v->part);
	spin_unlock(&g->lock);
}

/**
 * vCPU @v starts (boot, CPU_ON, restart) on this core: drop what its list
 * registers held (deactivating physical interrupts the guest can no
 * longer EOI), reset the virtual CPU interface, load what is pending.
 */
void vcpu_vgic_power_on(struct vcpu *v)
{
	struct vgic *g = &v->part->vgic;

	spin_lock(&g->lock);
	vgic_vcpu_power_on(g, v->index);
	arch_vgic_cpu_reset();
	vgic_flush(g, v->index);
	spin_unlock(&g->lock);
}

/*
 * Does a register at @off of the distributor (or, @redist, of a
 * redistributor frame pair) show pending or active state, which the list
 * registers hold while an interrupt is in one? Those are I[SC]PENDR and
 * I[SC]ACTIVER (0x200-0x3ff; in the SGI frame, 0x10000 above, for a
 * redistributor) and the GICv2 C/SPENDSGIR (0xf10-0xf2f). IHI 0069H
 * 12.9, 12.11; IHI 0048B 4.1.2.
 */
static bool reg_shows_lr_state(bool redist, uint64_t off)
{
	if (redist) {
		off = (off % HV_GUEST_GICR_STRIDE) - 0x10000;
	} else if (off >= 0xf10 && off < 0xf30) {
		return true;
	}
	return off >= 0x200 && off < 0x400;
}

/**
 * A data access to the partition's GIC windows. Returns false for an
 * access the registers do not allow (the caller applies fault policy).
 */
bool vgic_mmio(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
	       uint64_t *val)
{
	struct vgic *g = &v->part->vgic;
	bool redist = ipa >= HV_GUEST_GICD_IPA + HV_GUEST_GICD_SIZE;
	uint64_t off = ipa - (redist ? HV_GUEST_GICR_IPA : HV_GUEST_GICD_IPA);
	enum vgic_result r;

	if (g->version == 2 && ipa - HV_GUEST_GICC_IPA < VGICV_TRAP_SIZE) {
		/* The GICC page with GICV_IAR, while it is out of stage 2. */
		bool ok;

		spin_lock(&g->lock);
		ok = vgic_gicv_access(g, v->index, ipa - HV_GUEST_GICC_IPA,
				      size, write, val);
		spin_unlock(&g->lock);
		return ok;
	}
	spin_lock(&g->lock);
	/* Pending and active state must be what the guest's acknowledges
	 * and EOIs on this core made it; other registers do not depend on
	 * the list registers. */
	if (reg_shows_lr_state(redist, off)) {
		vgic_sync(g, v->index);
	}
	if (redist) {
		r = vgic_redist_access(g, v->index, off, size, write, val);
	} else {
		r = vgic_dist_access(g, v->index, off, size, write, val);
	}
	if (vgic_has_work(g, v->index)) {
		vgic_flush(g, v->index);
	}
	spin_unlock(&g->lock);
	return r == VGIC_OK;
}

/** Trapped ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 / ICC_SGI0R_EL1 write. */
void vgic_sgi_sysreg(struct vcpu *v, uint64_t val)
{
	struct vgic *g = &v->part->vgic;

	spin_lock(&g->lock);
	vgic_sgi1r(g, v->index, val);
	if (vgic_has_work(g, v->index)) {
		vgic_flush(g, v->index);
	}
	spin_unlock(&g->lock);
}

/** A trapped Group 1 CPU interface register (ICH_HCR_EL2.TALL1): see
 * vgic_ack_trap(). The access is then run again, untrapped. */
void vgic_icc_trap(struct vcpu *v)
{
	struct vgic *g = &v->part->vgic;

	spin_lock(&g->lock);
	vgic_ack_trap(g, v->index);
	spin_unlock(&g->lock);
}

/**
 * GICv2: take the GICC page holding GICV_IAR out of @g's partition's
 * stage 2, or put it back (see vgic_gicv_access()). Called with g->lock
 * held, from vgic_flush() on a core of that partition or from its reset,
 * so the page's changes are serialised. The level-3 table stays, so
 * neither way can fail on a board with a GICv2; anything else is a bug.
 */
void vgic_hw_gicv_trap(struct vgic *g, bool on)
{
	struct partition *p = (struct partition *)(void *)((char *)g -
		offsetof(struct partition, vgic));

	if (stage2_gicv_trap(&p->s2, &hv_pt_pool, &hv_cfg.board, on) !=
	    HV_OK) {
		hv_panic("partition %s: GICC page %s stage 2 failed",
			 p->cfg->name, on ? "out of" : "back into");
	}
	if (on) {
		arch_stage2_unmapped(p, HV_GUEST_GICC_IPA);
	} else {
		arch_stage2_mapped();
	}
}

/** Is @ipa in one of @v's partition's trapped GIC windows? On a GICv2 the
 * first GICC page is one while it is out of stage 2 (no access can fault
 * there otherwise). */
bool vgic_owns_ipa(const struct vcpu *v, uint64_t ipa)
{
	uint64_t redist = HV_GUEST_GICR_STRIDE * v->part->cfg->cpu_count;

	if (ipa >= HV_GUEST_GICD_IPA &&
	    ipa < HV_GUEST_GICD_IPA + HV_GUEST_GICD_SIZE) {
		return true;
	}
	if (v->part->vgic.version == 2) {
		return ipa - HV_GUEST_GICC_IPA < VGICV_TRAP_SIZE;
	}
	return v->part->vgic.version == 3 && ipa >= HV_GUEST_GICR_IPA &&
	       ipa < HV_GUEST_GICR_IPA + redist;
}
