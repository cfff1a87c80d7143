/* SPDX-License-Identifier: MIT */
/*
 * Virtual GIC core: interrupt state, list-register management, injection.
 * Hardware access goes through the vgic_hw_* hooks, so this file is also
 * built and tested on the host with fake hooks. The state machine and the
 * LR ownership rules are described in hv/vgic.h.
 *
 * GIC Architecture Specification, IHI 0069H: 4.1 (interrupt states and
 * life cycle), 11.2 (virtual CPU interface, list registers), 12.5.x
 * (ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_MISR_EL2).
 */
#include "hv/config.h"
#include "hv/panic.h"
#include "hv/vgic.h"

/** The virq for @intid as seen by vCPU @vcpu, or NULL if not owned. */
struct virq *vgic_virq(struct vgic *g, unsigned vcpu, uint32_t intid)
{
	struct virq *q;

	if (intid < VGIC_PRIVATE) {
		return vcpu < g->vcpu_count ? &g->cpu[vcpu].priv[intid] : NULL;
	}
	if (intid - VGIC_PRIVATE >= g->spi_count) {
		return NULL;
	}
	q = &g->spi[intid - VGIC_PRIVATE];
	return (q->flags & VIRQ_OWNED) ? q : NULL;
}

/* The vCPU that receives @q (private: its owner; SPI: its target). */
static unsigned virq_dest(const struct virq *q, unsigned vcpu)
{
	return q->intid < VGIC_PRIVATE ? vcpu : q->target;
}

static bool line_pending(const struct virq *q)
{
	return (q->flags & VIRQ_PENDING) ||
	       (!(q->flags & VIRQ_EDGE) && (q->flags & VIRQ_LINE));
}

static bool group_enabled(const struct vgic *g, const struct virq *q)
{
	return (g->ctlr & ((q->flags & VIRQ_GROUP1) ? 2u : 1u)) != 0;
}

/* Should @q be in an LR of its destination vCPU? */
static bool deliverable(const struct vgic *g, const struct virq *q)
{
	return (q->flags & VIRQ_ENABLED) && line_pending(q) &&
	       group_enabled(g, q);
}

static void want_set(struct vgic_vcpu *c, uint32_t intid, bool on)
{
	uint64_t bit = 1ULL << (intid % 64);

	if (on) {
		c->want[intid / 64] |= bit;
	} else {
		c->want[intid / 64] &= ~bit;
	}
}

/*
 * Re-evaluate @q after a change; @vcpu names its owner for private
 * interrupts. A virq in an LR gets @req recorded for the LR's core; others
 * update the destination's want bit. The destination core is kicked if it
 * is not the caller's.
 */
void vgic_changed(struct vgic *g, unsigned self, struct virq *q,
		  unsigned vcpu, uint8_t req)
{
	unsigned dest = virq_dest(q, vcpu);

	if (q->lr >= 0) {
		q->req |= req;
		g->cpu[q->lr_vcpu].dirty = true;
		dest = q->lr_vcpu;
	} else {
		want_set(&g->cpu[dest], q->intid, deliverable(g, q));
		if (!deliverable(g, q)) {
			return;
		}
	}
	if (dest != self) {
		vgic_hw_kick(g->cpu[dest].pcpu);
	}
}

/** Enable or disable; HW interrupts are enabled physically too. */
void vgic_set_enable(struct vgic *g, unsigned self, struct virq *q,
		     unsigned vcpu, bool on)
{
	if (on == ((q->flags & VIRQ_ENABLED) != 0)) {
		return;
	}
	q->flags = (uint8_t)(on ? (q->flags | VIRQ_ENABLED)
				 : (q->flags & ~VIRQ_ENABLED));
	if (q->flags & VIRQ_HW) {
		vgic_hw_enable(q->pintid, g->cpu[virq_dest(q, vcpu)].pcpu, on);
	}
	vgic_changed(g, self, q, vcpu, VREQ_REFRESH);
}

/**
 * Set or clear the pending state (ISPENDR/ICPENDR). A HW interrupt is
 * pended in the physical distributor and taken by its destination core
 * like a device's, so the physical GIC's own bookkeeping (per-CPU active
 * state on a GICv2) stays right and the guest's EOI deactivates it. For
 * the calling core that happens as soon as it returns to the guest: the
 * physical interrupt goes to EL2 whatever the guest's PSTATE.I. Clearing
 * clears both states.
 */
void vgic_set_pending(struct vgic *g, unsigned self, struct virq *q,
		      unsigned vcpu, bool on)
{
	uint32_t pcpu = g->cpu[virq_dest(q, vcpu)].pcpu;

	if ((q->flags & VIRQ_HW) && on) {
		/* A software pend is a latch, not the line: remember it so
		 * the level resample does not drop it. */
		q->soft = true;
		vgic_hw_pend(q->pintid, pcpu, true);
		return;
	}
	if (q->flags & VIRQ_HW) {
		q->soft = false;
		vgic_hw_pend(q->pintid, pcpu, false);
	}
	if (q->intid < 16 && g->version == 2) {
		q->sgi_src = on ? (uint8_t)(q->sgi_src | (1u << vcpu)) : 0;
	}
	q->flags = (uint8_t)(on ? (q->flags | VIRQ_PENDING)
				 : (q->flags & ~VIRQ_PENDING));
	vgic_changed(g, self, q, vcpu, on ? VREQ_PEND_SET : VREQ_PEND_CLR);
}

/** Set or clear the active state (ISACTIVER/ICACTIVER). */
void vgic_set_active(struct vgic *g, unsigned self, struct virq *q,
		     unsigned vcpu, bool on)
{
	q->flags = (uint8_t)(on ? (q->flags | VIRQ_ACTIVE)
				 : (q->flags & ~VIRQ_ACTIVE));
	vgic_changed(g, self, q, vcpu, on ? VREQ_ACT_SET : VREQ_ACT_CLR);
}

/*
 * Pending and active as the guest would read them. For a virq in an LR of
 * the calling core the LR is read; for one in a remote core's LR the last
 * folded state is returned (the register read races with that vCPU anyway).
 */
bool vgic_is_pending(struct vgic *g, const struct virq *q, unsigned vcpu)
{
	if (line_pending(q)) {
		return true;
	}
	/* Pended physically (ISPENDR write-through) but not yet taken. */
	return (q->flags & VIRQ_HW) &&
	       vgic_hw_is_pending(q->pintid, g->cpu[virq_dest(q, vcpu)].pcpu);
}

bool vgic_is_active(struct vgic *g, const struct virq *q, unsigned vcpu)
{
	(void)g;
	(void)vcpu;
	return (q->flags & VIRQ_ACTIVE) != 0;
}

/** Route an SPI to vCPU @vcpu (physical routing follows for HW SPIs). */
void vgic_set_target(struct vgic *g, unsigned self, struct virq *q,
		     unsigned vcpu)
{
	if (vcpu >= g->vcpu_count || q->target == vcpu) {
		return;
	}
	if (q->lr < 0) {
		want_set(&g->cpu[q->target], q->intid, false);
	}
	q->target = (uint8_t)vcpu;
	if (q->flags & VIRQ_HW) {
		vgic_hw_route(q->pintid, g->cpu[vcpu].pcpu);
	}
	vgic_changed(g, self, q, vcpu, 0);
}

/* ---- List registers (calling core only) ---- */

static bool virq_hw(const struct virq *q)
{
	return (q->flags & VIRQ_HW) != 0;
}

/*
 * The exception vector's injection fast path (arch/arm64/vectors.S,
 * irq_entry; struct vgic_vcpu, fast_irq). vgic_inject_private_hw() arms
 * it for the HW PPI it just put in LR @lr.vintid's LR, with exactly the
 * value it wrote: as long as nothing else writes or frees that LR, the
 * next instance needs nothing but the same write once the guest's EOI has
 * emptied the LR (the vector checks ICH_ELRSR_EL2), which is the case
 * vgic_inject_private_hw() handles the same way. Everything that changes
 * the interrupt's LR (a request applied, an eviction, a fold that frees
 * it, a restart) goes through lr_write() or lr_free() below on this core,
 * which disarm it; the next instance then takes the general path, which
 * arms it again. Another core changing the interrupt (enable, priority,
 * pending state) records a request on it and kicks this core: an
 * instance the vector injects in between is followed by that exit, as if
 * it had come just before the change. Where the guest's EOI does not
 * deactivate the physical interrupt (QEMU's GICv2, g->hw_eoi false) the
 * armed LR asks for EOI maintenance, and the vector takes that
 * maintenance interrupt too when the armed LR is its only cause: it
 * deactivates the physical interrupt and empties the LR, which leaves
 * exactly the state a HW LR has after the guest's EOI. It is not armed
 * while a speculation workaround runs on every exit (vgic_hw_fast_now()):
 * the vector's timer and maintenance paths do not check for that.
 */
static void fast_arm(const struct vgic *g, struct vgic_vcpu *c,
		     const struct virq *q, struct lr_val lr)
{
	if (g->fast_ok && virq_hw(q) && q->pintid >= 16 && q->pintid < 32 &&
	    vgic_hw_fast_now()) {
		c->fast_lr = vgic_hw_lr_encode(&lr);
		c->fast_irq = q->pintid | ((uint64_t)(uint8_t)q->lr << 32);
	}
}

/*
 * Where source vCPU @src posts in a target's sgi_mbox (struct vgic_vcpu):
 * the word, and the bit of SGI @sgi in it. A GICv3 SGI's state does not
 * record its source, so every source posts as 0 there.
 */
static unsigned mbox_src(const struct vgic *g, unsigned src)
{
	return g->version == 2 ? src : 0;
}

static uint64_t mbox_bit(unsigned src, uint32_t sgi)
{
	return 1ULL << ((src % 4) * 16 + (sgi & 15));
}

static void fast_disarm(struct vgic_vcpu *c, unsigned i)
{
	if (c->fast_irq != 0 && (c->fast_irq >> 32) == i) {
		c->fast_irq = 0;
	}
	if (c->fast_sgi_bit != 0 && c->fast_sgi_idx == i) {
		c->fast_sgi_bit = 0;
	}
}

/*
 * The same for SGIs (struct vgic_vcpu, fast_sgi_bit): vgic_flush() just
 * wrote @lr, SGI @q pending only, into LR @i. The next instance from the
 * same source, once the guest's EOI has emptied that LR, is that same
 * value in that LR, which the vector writes when the doorbell finds
 * exactly that SGI posted (its source in the LR's CPUID field on a GICv2,
 * so only sources 0-3, which post in word 0). Anything that changes the
 * LR disarms it (fast_disarm()); changes made to the SGI by another core
 * come with a request and a kick, as for fast_irq.
 */
static void fast_arm_sgi(const struct vgic *g, struct vgic_vcpu *c,
			 const struct virq *q, struct lr_val lr, unsigned i)
{
	unsigned src = mbox_src(g, q->lr_src);

	if (g->fast_ok && q->intid < 16 && lr.state == LR_STATE_P &&
	    !lr.eoi_maint && src < 4) {
		c->fast_sgi_lr = vgic_hw_lr_encode(&lr);
		c->fast_sgi_idx = i;
		c->fast_sgi_bit = mbox_bit(src, q->intid);
	}
}

/* Every LR write but the fast path's own arming goes through here. */
static void lr_write(struct vgic *g, unsigned self, unsigned i,
		     const struct lr_val *lr)
{
	fast_disarm(&g->cpu[self], i);
	vgic_hw_lr_write(i, lr);
}

/* LR @i no longer belongs to a virq. */
static void lr_free(struct vgic *g, unsigned self, unsigned i)
{
	fast_disarm(&g->cpu[self], i);
	g->cpu[self].lr_intid[i] = VGIC_NO_IRQ;
}

static struct lr_val lr_from_virq(const struct vgic *g, const struct virq *q,
				  uint8_t state)
{
	struct lr_val lr = {
		.vintid = q->intid,
		.pintid = q->pintid,
		.prio = q->prio,
		.state = state,
		.hw = virq_hw(q) && g->hw_eoi,
		.group1 = (q->flags & VIRQ_GROUP1) != 0,
		.eoi_maint = false,
		.src = q->lr_src,
	};

	/* A level interrupt of an emulated device must be resampled when
	 * the guest is done with it; a HW one whose GIC does not deactivate
	 * it at the guest's EOI is deactivated by us then. */
	if (virq_hw(q) ? !g->hw_eoi
		       : !(q->flags & VIRQ_EDGE) && (q->flags & VIRQ_LINE)) {
		lr.eoi_maint = true;
	}
	return lr;
}

/*
 * A HW virq's LR is released with final state 0 after holding state @old
 * (@empty: the LR reads as empty, ELRSR). Its physical interrupt, active
 * since we took it, is still active unless the guest's EOI ended it: an
 * LR with the HW bit is empty once its state is 0, and the EOI deactivated
 * the physical interrupt (IHI 0069H 12.5.x ICH_LR<n>_EL2.HW; IHI 0048B
 * 5.3.11 GICH_LRn.HW). An LR asking for EOI maintenance instead (QEMU's
 * GICv2) is not empty after the EOI (5.3.9 GICH_ELRSRn) until the
 * maintenance interrupt is handled; the vector's fast path handles it by
 * deactivating the physical interrupt and emptying the LR. So the
 * physical interrupt is still active unless the LR is empty with state 0.
 */
static void release_hw(const struct virq *q, uint8_t old, bool empty)
{
	if (virq_hw(q) && (old != 0 || !empty)) {
		vgic_hw_deactivate(q->pintid);
	}
}

/*
 * A GICv2 SGI's instance in the LR is no longer pending: the guest took
 * it. Its source leaves the pending set (once per instance), and sources
 * that sent again while it sat in the LR join it: a second SGI from the
 * same source after the acknowledge is a new instance (IHI 0048B 3.2.3,
 * "Interrupt handling state machine": active and pending). One sent again
 * before the acknowledge but folded after it is delivered twice, which a
 * guest's SGI handler tolerates; losing it would not be tolerated.
 */
static void sgi_fold_taken(struct virq *q)
{
	if (!q->sgi_taken) {
		q->sgi_src &= (uint8_t)~(1u << q->lr_src);
		q->sgi_taken = true;
	}
	q->sgi_src |= q->sgi_again;
	q->sgi_again = 0;
	if (q->sgi_src != 0) {
		q->flags |= VIRQ_PENDING;
	}
}

/* Fold an LR's final state @st back into @q; free the LR if empty. */
static void fold_state(struct vgic *g, unsigned self, unsigned i,
		       struct virq *q, uint8_t st)
{
	if (!(st & LR_STATE_P) && (q->flags & VIRQ_PENDING)) {
		/* Acknowledged (or its pending state cleared) since the last
		 * fold. A HW re-pend made while active is held physically
		 * (PENDING clear), so its soft mark survives later folds. */
		q->flags &= (uint8_t)~VIRQ_PENDING;
		q->soft = false;
		if (q->intid < 16 && g->version == 2) {
			sgi_fold_taken(q);
		}
	}
	q->flags = (uint8_t)((st & LR_STATE_A) ? (q->flags | VIRQ_ACTIVE)
					       : (q->flags & ~VIRQ_ACTIVE));
	if (st == 0) {
		q->lr = -1;
		lr_free(g, self, i);
		want_set(&g->cpu[virq_dest(q, self)], q->intid,
			 deliverable(g, q));
	}
}

/* Apply the requests recorded on an in-LR virq to the LR state. */
static uint8_t apply_requests(const struct vgic *g, const struct virq *q,
			      uint8_t st)
{
	/* A GICv2 SGI from another source waits for this one to end. */
	if ((q->req & VREQ_PEND_SET) && !(q->intid < 16 && g->version == 2)) {
		st |= LR_STATE_P;
	}
	if (q->req & VREQ_PEND_CLR) {
		st &= (uint8_t)~LR_STATE_P;
	}
	if (q->req & VREQ_ACT_SET) {
		st |= LR_STATE_A;
	}
	if (q->req & VREQ_ACT_CLR) {
		st &= (uint8_t)~LR_STATE_A;
	}
	return st;
}

/*
 * Take a pending-only interrupt that may no longer be delivered (disabled,
 * or its group off) back out of LR @i. It stays pending: a software one in
 * its latch; a HW one physically, where it waits for the enable (an edge
 * is pended again; a level line re-asserts by itself).
 */
static void evict(struct vgic *g, unsigned self, unsigned i, struct virq *q,
		  bool hw)
{
	struct lr_val none = { 0 };

	lr_write(g, self, i, &none);
	if (hw) {
		vgic_hw_deactivate(q->pintid);
		q->flags &= (uint8_t)~VIRQ_PENDING;
		if (q->flags & VIRQ_EDGE) {
			vgic_hw_pend(q->pintid, g->cpu[self].pcpu, true);
		}
	} else if (!(q->flags & VIRQ_LINE)) {
		q->flags |= VIRQ_PENDING;
	}
	q->lr = -1;
	lr_free(g, self, i);
	want_set(&g->cpu[virq_dest(q, self)], q->intid, deliverable(g, q));
}

/* vgic_sync() of LR @i, done with (empty) and pended again since @q was
 * routed elsewhere: release the LR; the pending state goes to its new
 * destination. */
static void sync_rerouted(struct vgic *g, unsigned self, unsigned i,
			  struct virq *q, bool eoi_maint, bool empty)
{
	bool latch = (q->flags & VIRQ_PENDING) != 0;

	q->req = 0;
	release_hw(q, 0, empty);
	if (eoi_maint) {
		lr_write(g, self, i, &(struct lr_val){ 0 });
	}
	fold_state(g, self, i, q, 0);
	if (latch) {
		q->flags |= VIRQ_PENDING;
	}
	vgic_changed(g, self, q, self, 0);
}

/**
 * Bring this core's LRs and their virqs in line: fold what the guest did
 * (acknowledge, EOI), apply requests made while the virq sat in an LR,
 * resample level-sensitive HW lines, and evict pending-only virqs that may
 * not be delivered any more. Called on vCPU @self's core, with g->lock.
 */
void vgic_sync(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];
	uint32_t empty = vgic_hw_lr_empty();

	for (unsigned i = 0; i < g->lr_count; i++) {
		struct virq *q;
		struct lr_val lr;
		uint8_t old;
		bool eoi_bit;

		if (c->lr_intid[i] == VGIC_NO_IRQ) {
			continue;
		}
		/* An LR is only ever given to an owned virq (vgic_flush(),
		 * vgic_inject_private_hw()), and ownership is fixed at boot:
		 * anything else is a broken invariant, not state to repair. */
		q = vgic_virq(g, self, c->lr_intid[i]);
		CHECK(q != NULL);
		lr = vgic_hw_lr_read(i);
		old = ((empty >> i) & 1) ? 0 : lr.state;
		if ((old & LR_STATE_P) && q->intid < 16 && g->version == 2) {
			q->sgi_again = 0; /* not taken yet: merged with it */
		}
		if (old == 0 && (q->req & VREQ_PEND_SET) &&
		    virq_dest(q, self) != self) {
			sync_rerouted(g, self, i, q, lr.eoi_maint,
				      (empty >> i) & 1);
			continue;
		}
		eoi_bit = lr.eoi_maint;
		lr.state = apply_requests(g, q, old);
		/*
		 * A level-sensitive HW interrupt not yet acknowledged by the
		 * guest whose line has dropped (a timer masked or re-armed)
		 * is no longer pending: the physical interrupt, active since
		 * we took it, shows the line in its pending bit.
		 */
		if (virq_hw(q) && lr.state == LR_STATE_P && !q->soft &&
		    !(q->flags & VIRQ_EDGE) &&
		    !vgic_hw_is_pending(q->pintid, c->pcpu)) {
			lr.state = 0;
			q->req = 0;
		}
		if (lr.state == LR_STATE_P &&
		    (!(q->flags & VIRQ_ENABLED) || !group_enabled(g, q))) {
			q->req = 0;
			evict(g, self, i, q, virq_hw(q));
			continue;
		}
		if (lr.state == 0) {
			release_hw(q, old, (empty >> i) & 1);
		}
		/* An LR left with state 0 and its EOI bit set keeps the EOI
		 * maintenance interrupt asserted (ICH_EISR_EL2, GICH_EISRn):
		 * clear it. */
		if (q->req != 0 || lr.state != old || (lr.state == 0 && eoi_bit)) {
			q->req = 0;
			if (lr.state == 0) {
				lr = (struct lr_val){ 0 };
			} else {
				lr = lr_from_virq(g, q, lr.state);
			}
			lr_write(g, self, i, &lr);
		}
		fold_state(g, self, i, q, lr.state);
		/*
		 * A GICv2 SGI pended again while its instance is active can
		 * only be delivered after the guest's EOI, and an EOI alone
		 * causes no exit: ask for a maintenance interrupt on it
		 * (IHI 0048B 5.3.11, GICH_LR.EOI), or a vCPU waiting in WFI
		 * for that SGI would never get it.
		 */
		if (q->lr >= 0 && lr.state == LR_STATE_A &&
		    (q->flags & VIRQ_PENDING) && !lr.hw && !lr.eoi_maint) {
			lr.eoi_maint = true;
			lr_write(g, self, i, &lr);
		}
	}
	c->dirty = false;
}

static int find_best_want(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];
	int best = -1;
	unsigned best_prio = 0x100;

	for (unsigned w = 0; w < VGIC_WANT_WORDS; w++) {
		uint64_t bits = c->want[w];

		while (bits != 0) {
			unsigned b = (unsigned)__builtin_ctzll(bits);
			uint32_t intid = w * 64 + b;
			struct virq *q = vgic_virq(g, self, intid);

			bits &= bits - 1;
			/* Want bits are only set for owned virqs. */
			CHECK(q != NULL);
			if (q->prio < best_prio) {
				best = (int)intid;
				best_prio = q->prio;
			}
		}
	}
	return best;
}

/* A free LR, or one holding a pending-only virq of lower priority than
 * @prio (evicted back to its want bit), or -1. */
static int claim_lr(struct vgic *g, unsigned self, uint8_t prio)
{
	struct vgic_vcpu *c = &g->cpu[self];
	int victim = -1;
	unsigned victim_prio = prio;

	for (unsigned i = 0; i < g->lr_count; i++) {
		struct virq *q;
		struct lr_val lr;

		if (c->lr_intid[i] == VGIC_NO_IRQ) {
			return (int)i;
		}
		q = vgic_virq(g, self, c->lr_intid[i]);
		lr = vgic_hw_lr_read(i);
		if (q != NULL && lr.state == LR_STATE_P &&
		    q->prio > victim_prio) {
			victim = (int)i;
			victim_prio = q->prio;
		}
	}
	if (victim >= 0) {
		struct lr_val none = { 0 };
		struct virq *q = vgic_virq(g, self, c->lr_intid[victim]);

		lr_write(g, self, (unsigned)victim, &none);
		q->lr = -1;
		lr_free(g, self, (unsigned)victim);
		want_set(c, q->intid, deliverable(g, q));
	}
	return victim;
}

/*
 * Is some LR in the pending state proper? ICH_MISR_EL2.NP (IHI 0069H
 * 12.5, ICH_MISR_EL2) and GICH_MISR.NP (IHI 0048B 5.3.5) assert when no
 * list register is in the *pending* state, and an active and pending LR
 * is in the active-and-pending state, not the pending one (IHI 0069H
 * 12.5, ICH_LR<n>_EL2.State; IHI 0048B 5.3.11 GICH_LRn.State). Arming NPIE
 * with only such LRs would raise the maintenance interrupt at once, again
 * and again, without the guest getting to run: a guest with split EOI
 * (EOImode 1) that holds its interrupts active did exactly that.
 */
static bool any_pending_lr(struct vgic *g, unsigned self)
{
	for (unsigned i = 0; i < g->lr_count; i++) {
		if (g->cpu[self].lr_intid[i] != VGIC_NO_IRQ &&
		    vgic_hw_lr_read(i).state == LR_STATE_P) {
			return true;
		}
	}
	return false;
}

/* A level-sensitive HW SPI the guest has not acknowledged yet, latched
 * by us (not a software pend), in one of this core's LRs? */
static bool level_hw_spi_pending_lr(struct vgic *g, unsigned self)
{
	for (unsigned i = 0; i < g->lr_count; i++) {
		const struct virq *q;

		if (g->cpu[self].lr_intid[i] < VGIC_PRIVATE) {
			continue; /* also VGIC_NO_IRQ's large value below */
		}
		q = vgic_virq(g, self, g->cpu[self].lr_intid[i]);
		if (q != NULL && virq_hw(q) && !(q->flags & VIRQ_EDGE) &&
		    !q->soft && vgic_hw_lr_read(i).state == LR_STATE_P) {
			return true;
		}
	}
	return false;
}

/*
 * GICv2: a GICV_IAR read cannot trap as ICC_IAR1_EL1 does (the GICV frame
 * is mapped in stage 2, not emulated), so while some vCPU's acknowledge is
 * checked (ack_check) the GICC page holding GICV_IAR is taken out of the
 * partition's stage 2 and its accesses are emulated: vgic_gicv_access().
 * The page is shared by the partition's vCPUs; it goes out with the first
 * vCPU that needs the check and comes back with the last. Nothing but a
 * load and a compare when no check is pending.
 */
static void gicv_trap_update(struct vgic *g, unsigned self)
{
	uint32_t bit = 1u << self;
	uint32_t was = g->gicv_trap;
	uint32_t now = g->cpu[self].ack_check ? (was | bit) : (was & ~bit);

	if (now == was) {
		return;
	}
	g->gicv_trap = now;
	if ((was == 0) != (now == 0)) {
		vgic_hw_gicv_trap(g, now != 0);
	}
}

/**
 * Before entering the guest on vCPU @self's core: apply requests, free the
 * LRs the guest is done with, and load the highest-priority deliverable
 * interrupts, preempting lower-priority pending ones. If some are left
 * over, ask for a maintenance interrupt: when no LR is pending any more
 * (NPIE) if one is only pending, else when at most one LR is in use (UIE).
 * NPIE is armed only while an LR is in the pending state proper (see
 * any_pending_lr()), and UIE only while more than one LR is in use, so
 * neither condition holds when it is armed: the maintenance interrupt
 * comes only after the guest acknowledged or deactivated something.
 */
void vgic_flush(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];
	bool left = false;

	vgic_sync(g, self);
	for (;;) {
		int intid = find_best_want(g, self);
		struct virq *q;
		int i;

		if (intid < 0) {
			break;
		}
		q = vgic_virq(g, self, (uint32_t)intid);
		i = claim_lr(g, self, q->prio);
		if (i < 0) {
			left = true;
			break;
		}
		if (q->intid < 16 && g->version == 2) {
			q->lr_src = (uint8_t)__builtin_ctz(q->sgi_src | 0x100u);
			q->sgi_taken = false;
			q->sgi_again = 0;
		}
		{
			struct lr_val lr = lr_from_virq(
				g, q, LR_STATE_P | ((q->flags & VIRQ_ACTIVE)
							 ? LR_STATE_A
							 : 0));

			lr_write(g, self, (unsigned)i, &lr);
			fast_arm_sgi(g, c, q, lr, (unsigned)i);
		}
		q->lr = (int8_t)i;
		q->lr_vcpu = (uint8_t)self;
		c->lr_intid[i] = q->intid;
		want_set(c, q->intid, false);
	}
	/* Kept while interrupts are left over too: the latched one may be
	 * among them, evicted by a higher-priority one (claim_lr()), and
	 * is checked when it comes back. */
	c->ack_check = c->ack_check &&
		       (left || level_hw_spi_pending_lr(g, self));
	if (g->version == 2) {
		gicv_trap_update(g, self);
	}
	if (left) {
		bool npie = any_pending_lr(g, self);

		vgic_hw_underflow_irqs(npie, !npie, c->ack_check);
	} else {
		vgic_hw_underflow_irqs(false, false, c->ack_check);
	}
}

/**
 * vCPU @self is (re)starting on its core with clean list registers: what
 * was in them loses its active state (the guest's CPU interface is reset);
 * pending interrupts stay pending and are delivered again.
 */
void vgic_vcpu_power_on(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];

	c->fast_irq = 0;
	c->fast_sgi_bit = 0;
	c->ack_check = false;
	for (unsigned i = 0; i < g->lr_count; i++) {
		struct virq *q = vgic_virq(g, self, c->lr_intid[i]);

		if (c->lr_intid[i] != VGIC_NO_IRQ && q != NULL) {
			struct lr_val lr = vgic_hw_lr_read(i);
			bool empty = (vgic_hw_lr_empty() >> i) & 1;

			release_hw(q, empty ? 0 : lr.state, empty);
			q->flags &= (uint8_t)~VIRQ_ACTIVE;
			q->req = 0;
			q->lr = -1;
			want_set(&g->cpu[virq_dest(q, self)], q->intid,
				 deliverable(g, q));
		}
		lr_free(g, self, i);
	}
	c->dirty = false;
	/* Physical state of this vCPU's HW interrupts follows the virtual
	 * state (a partition reset or CPU_OFF may have left them out of
	 * step; a GICv2's banked PPIs can only be reached from here): the
	 * enable as the guest set it, and not active unless one is waiting
	 * to be injected. */
	for (unsigned i = 0; i < VGIC_PRIVATE; i++) {
		const struct virq *q = &c->priv[i];

		if (q->flags & VIRQ_HW) {
			vgic_hw_enable(q->pintid, c->pcpu,
				       (q->flags & VIRQ_ENABLED) != 0);
			if (!(q->flags & VIRQ_PENDING)) {
				vgic_hw_clear_active(q->pintid, c->pcpu);
			}
		}
	}
}

/** Maintenance interrupt on vCPU @self's core: fold, then flush. */
void vgic_maintenance(struct vgic *g, unsigned self)
{
	vgic_hw_underflow_irqs(false, false, g->cpu[self].ack_check);
	g->cpu[self].dirty = true;
	vgic_flush(g, self);
}

/**
 * A physical interrupt owned by this partition was acknowledged (priority
 * dropped, still active) on vCPU @self's core: make its virq pending. It
 * is injected with the HW bit, so the guest's EOI deactivates it.
 */
void vgic_phys_irq(struct vgic *g, unsigned self, uint32_t pintid)
{
	struct virq *q = vgic_virq(g, self, pintid);

	if (q == NULL || !(q->flags & VIRQ_HW)) {
		vgic_hw_deactivate(pintid); /* not ours: drop it */
		return;
	}
	q->flags |= VIRQ_PENDING;
	g->injected++;
	vgic_changed(g, self, q, self, VREQ_PEND_SET);
}

/**
 * HW interrupt @pintid was just made pending on vCPU @self (after
 * vgic_phys_irq()) while the guest had IRQs masked. Natively, the pending
 * state of a level-sensitive interrupt follows its line until the CPU
 * acknowledges it (IHI 0069H chapter 4, "Interrupt handling state
 * machine"; IHI 0048B 3.2.4): a handler that EOIs first and clears its
 * device after, with IRQs masked, takes nothing more. Here the instance
 * went into a list register, where the line's fall, which causes no exit,
 * would not withdraw it; the guest would take it a second time. So the
 * guest's acknowledge of a level HW SPI latched that way traps first
 * (GICv3: ICH_HCR_EL2.TALL1, IHI 0069H 12.5, ICH_HCR_EL2: EL1 accesses to
 * the Group 1 CPU interface registers trap to EL2; GICv2: the GICC page
 * holding GICV_IAR leaves stage 2, gicv_trap_update()), and
 * vgic_ack_trap() samples the line again. Edge interrupts, software pends and the
 * timers' PPIs (vgic_inject_private_hw()) are not concerned.
 */
void vgic_latched_masked(struct vgic *g, unsigned self, uint32_t pintid)
{
	const struct virq *q = vgic_virq(g, self, pintid);

	if (pintid >= VGIC_PRIVATE && q != NULL && virq_hw(q) &&
	    !(q->flags & VIRQ_EDGE) && !q->soft) {
		g->cpu[self].ack_check = true;
	}
}

/*
 * At a checked acknowledge: the level HW SPIs of vCPU @self that wait for
 * an LR (evicted by higher-priority interrupts, or never loaded) are
 * sampled too. Each was taken at EL2 and is still active there, so its
 * physical pending bit is its line; one whose line fell is no longer
 * pending, and is deactivated, as vgic_sync() does for one in an LR.
 */
static void resample_waiting(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];

	for (unsigned w = VGIC_PRIVATE / 64; w < VGIC_WANT_WORDS; w++) {
		uint64_t bits = c->want[w];

		while (bits != 0) {
			uint32_t intid = w * 64 +
					 (uint32_t)__builtin_ctzll(bits);
			struct virq *q = vgic_virq(g, self, intid);

			bits &= bits - 1;
			if (intid < VGIC_PRIVATE || q == NULL || !virq_hw(q) ||
			    (q->flags & VIRQ_EDGE) || q->soft || q->lr >= 0 ||
			    !(q->flags & VIRQ_PENDING) ||
			    vgic_hw_is_pending(q->pintid, c->pcpu)) {
				continue;
			}
			q->flags = (uint8_t)(q->flags & ~VIRQ_PENDING);
			vgic_hw_deactivate(q->pintid);
			want_set(c, intid, deliverable(g, q));
		}
	}
}

/**
 * vCPU @self accessed a Group 1 CPU interface register while its
 * acknowledge was being checked (see vgic_latched_masked()): fold its LRs,
 * which samples every level HW line it has not acknowledged and withdraws
 * an instance whose line has fallen (vgic_sync(); those waiting for an LR
 * too, resample_waiting()), stop trapping, and let
 * the guest run the access again (no PC step): it then acknowledges
 * whatever is really pending, or reads the spurious INTID 1023, which the
 * architecture allows for an interrupt withdrawn between signal and
 * acknowledge (IHI 0069H chapter 4, "Interrupt handling state machine").
 */
void vgic_ack_trap(struct vgic *g, unsigned self)
{
	resample_waiting(g, self);
	g->cpu[self].ack_check = false;
	g->cpu[self].dirty = true;
	vgic_flush(g, self);
}

/**
 * GICv2: vCPU @self accessed the first page of its GICC window while it
 * was out of stage 2 (gicv_trap_update()); @off is the offset in it. Only
 * word accesses exist there (IHI 0048B 4.1.4, "GIC register access"), so
 * any other is refused (the caller applies fault policy). A read that
 * acknowledges or shows the highest pending interrupt (GICV_IAR,
 * GICV_AIAR, GICV_HPPIR, GICV_AHPPIR) by a vCPU whose acknowledge is
 * checked first folds its LRs, as the trapped ICC_IAR1_EL1 does on a
 * GICv3 (vgic_ack_trap()): a level HW SPI latched while the guest was
 * masked whose line has fallen is withdrawn and deactivated, and the
 * page goes back into stage 2 once no vCPU needs the check. Then the
 * access is made on this core's GICV frame, so the guest reads the next
 * pending interrupt, or the spurious INTID 1023, exactly as its own
 * access would have (IHI 0048B 4.4.4, GICC_IAR: 1023 when nothing is
 * pending; 5.4, the GICV registers behave as GICC's). Other registers are
 * passed through unchanged and keep the check armed. Caller holds
 * g->lock.
 */
bool vgic_gicv_access(struct vgic *g, unsigned self, uint64_t off,
		      unsigned size, bool write, uint64_t *val)
{
	if (size != 4 || (off & 3) != 0 || off >= VGICV_TRAP_SIZE ||
	    self >= g->vcpu_count) {
		return false;
	}
	if (!write && g->cpu[self].ack_check &&
	    (off == VGICV_IAR || off == VGICV_AIAR || off == VGICV_HPPIR ||
	     off == VGICV_AHPPIR)) {
		vgic_ack_trap(g, self);
	}
	if (write) {
		vgic_hw_gicv_write((uint32_t)off, (uint32_t)*val);
	} else {
		*val = vgic_hw_gicv_read((uint32_t)off);
	}
	return true;
}

/**
 * Fast path for the commonest interrupt exit: vCPU @self's own HW private
 * interrupt @intid (a timer) arrived, acknowledged and priority-dropped.
 * If it may be delivered and its previous instance is over (its LR, if it
 * still has one, is empty: the guest's EOI deactivated it physically, so
 * this is a new instance) or it has none and a list register is free, it
 * goes straight into that LR with the HW bit. Nothing else is scanned or
 * folded: other LRs wait for the next flush, which only runs when there is
 * work. Returns false, having changed nothing, when the general path
 * (vgic_phys_irq, then a flush) must decide. Caller holds g->lock.
 */
bool vgic_inject_private_hw(struct vgic *g, unsigned self, uint32_t intid)
{
	struct vgic_vcpu *c;
	struct virq *q;
	struct lr_val lr;
	uint32_t empty;
	int i = -1;

	if (intid >= VGIC_PRIVATE || self >= g->vcpu_count) {
		return false;
	}
	c = &g->cpu[self];
	q = &c->priv[intid];
	if (!(q->flags & VIRQ_HW) || !(q->flags & VIRQ_ENABLED) ||
	    q->req != 0 || q->soft || !group_enabled(g, q)) {
		return false;
	}
	empty = vgic_hw_lr_empty();
	if (q->lr >= 0) {
		/* Reused only if the last instance ended and was deactivated
		 * physically: its LR is empty (release_hw() says when). */
		if (!((empty >> q->lr) & 1)) {
			return false;
		}
		i = (int)q->lr;
	} else if (!(q->flags & (VIRQ_PENDING | VIRQ_ACTIVE))) {
		for (unsigned k = 0; k < g->lr_count; k++) {
			if (c->lr_intid[k] == VGIC_NO_IRQ && ((empty >> k) & 1)) {
				i = (int)k;
				break;
			}
		}
	}
	if (i < 0) {
		return false;
	}
	/* The old instance's state, if any, is over: the LR is empty. */
	q->flags = (uint8_t)((q->flags & ~VIRQ_ACTIVE) | VIRQ_PENDING);
	lr = lr_from_virq(g, q, LR_STATE_P);
	vgic_hw_lr_write((unsigned)i, &lr);
	q->lr = (int8_t)i;
	q->lr_vcpu = (uint8_t)self;
	c->lr_intid[i] = q->intid;
	g->injected++;
	fast_arm(g, c, q, lr);
	return true;
}

/** Drive the level line of an emulated device's interrupt. */
void vgic_set_line(struct vgic *g, int self, uint32_t intid, bool level)
{
	struct virq *q = vgic_virq(g, 0, intid);

	if (q == NULL || level == ((q->flags & VIRQ_LINE) != 0)) {
		return;
	}
	q->flags = (uint8_t)(level ? (q->flags | VIRQ_LINE)
				    : (q->flags & ~VIRQ_LINE));
	g->injected += level ? 1 : 0;
	vgic_changed(g, self < 0 ? VGIC_MAX_VCPUS : (unsigned)self, q, 0,
		     level ? VREQ_PEND_SET : VREQ_PEND_CLR);
}

/*
 * Pend SGI @sgi from source vCPU @src on vCPU @t; @self is the calling
 * vCPU (vgic_changed() kicks @t's core if it is another).
 */
static void sgi_pend(struct vgic *g, unsigned self, unsigned src,
		     uint32_t sgi, unsigned t)
{
	struct virq *q = &g->cpu[t].priv[sgi & 15];

	if (g->version == 2) {
		if (q->lr >= 0 && q->lr_src == src) {
			q->sgi_again |= (uint8_t)(1u << src);
		}
		q->sgi_src |= (uint8_t)(1u << src);
	}
	q->flags |= VIRQ_PENDING;
	g->injected++;
	vgic_changed(g, self, q, t, VREQ_PEND_SET);
}

/**
 * Pend SGI @sgi on every vCPU of @target_mask (bit i = vCPU i); vCPUs the
 * partition does not have are ignored. Caller holds g->lock.
 */
void vgic_send_sgi(struct vgic *g, unsigned self, uint32_t sgi,
		   uint32_t target_mask)
{
	for (unsigned t = 0; t < g->vcpu_count; t++) {
		if (target_mask & (1u << t)) {
			sgi_pend(g, self, self, sgi, t);
		}
	}
}

/**
 * The light exits' SGI: post SGI @sgi from vCPU @self to every vCPU of
 * @target_mask in its mailbox (vCPUs the partition does not have are
 * ignored),
 * without g->lock, and ring each target's doorbell. The target's core
 * makes it pending (vgic_sgi_drain()) or injects it at once (the vector's
 * fast path) when it takes the doorbell; for @self that is right after
 * the exit's ERET. The atomic OR is ordered before the doorbell by
 * vgic_hw_doorbell() (a DSB before the physical SGI).
 */
void vgic_sgi_post(struct vgic *g, unsigned self, uint32_t sgi,
		   uint32_t target_mask)
{
	unsigned src = mbox_src(g, self);
	uint64_t bit = mbox_bit(src, sgi);

	for (unsigned t = 0; t < g->vcpu_count; t++) {
		if (target_mask & (1u << t)) {
			__atomic_fetch_or(&g->cpu[t].sgi_mbox[src / 4], bit,
					  __ATOMIC_RELAXED);
		}
	}
	for (unsigned t = 0; t < g->vcpu_count; t++) {
		if (target_mask & (1u << t)) {
			vgic_hw_doorbell(g->cpu[t].pcpu);
		}
	}
}

/**
 * Make every SGI posted to vCPU @self (vgic_sgi_post()) pending, as
 * vgic_send_sgi() would have. On @self's core, with g->lock. Returns
 * whether there was any.
 */
bool vgic_sgi_drain(struct vgic *g, unsigned self)
{
	bool any = false;

	for (unsigned w = 0; w < 2; w++) {
		uint64_t m = __atomic_exchange_n(&g->cpu[self].sgi_mbox[w], 0,
						 __ATOMIC_ACQUIRE);

		while (m != 0) {
			unsigned b = (unsigned)__builtin_ctzll(m);

			m &= m - 1;
			any = true;
			sgi_pend(g, self, w * 4 + b / 16, b % 16, self);
		}
	}
	return any;
}

/*
 * The reset state of a virq as the two little-endian words of its 16
 * bytes: intid, pintid, flags, lr = -1 in the first; target and
 * targets = 1 in the second; every other field 0. Two 64-bit stores
 * (struct virq is 8-byte aligned; the word type may alias it) instead of
 * a store per field: vgic_reset_state() does this for every virq of a
 * partition at each load.
 */
_Static_assert(sizeof(struct virq) == 16 &&
		       offsetof(struct virq, intid) == 0 &&
		       offsetof(struct virq, pintid) == 2 &&
		       offsetof(struct virq, flags) == 4 &&
		       offsetof(struct virq, lr) == 7 &&
		       offsetof(struct virq, target) == 9 &&
		       offsetof(struct virq, targets) == 10,
	       "virq_init() writes struct virq as two words");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "virq_init() assumes little-endian words");

typedef uint64_t virq_word __attribute__((may_alias));

/* pintid and the HW and OWNED flags in the first word. */
#define VIRQ_KEEP_MASK \
	((uint64_t)0xffffu << 16 | (uint64_t)(VIRQ_HW | VIRQ_OWNED) << 32)

static void virq_init(struct virq *q, uint32_t intid, uint8_t flags,
		      uint16_t pintid, uint8_t target)
{
	virq_word *w = (virq_word *)q;

	w[0] = (uint64_t)(uint16_t)intid | (uint64_t)pintid << 16 |
	       (uint64_t)flags << 32 | (uint64_t)0xffu << 56;
	w[1] = (uint64_t)target << 8 | (uint64_t)1u << 16;
}

/**
 * Reset every virtual interrupt to its power-on state (all disabled,
 * inactive, not pending, priority 0), keeping ownership and HW backing.
 * The caller resets the hardware side (physical enables, LRs).
 */
void vgic_reset_state(struct vgic *g)
{
	__atomic_store_n(&g->ctlr, 0, __ATOMIC_RELAXED);
	for (unsigned v = 0; v < g->vcpu_count; v++) {
		struct vgic_vcpu *c = &g->cpu[v];

		for (unsigned i = 0; i < VGIC_PRIVATE; i++) {
			uint8_t keep = c->priv[i].flags & (VIRQ_HW | VIRQ_OWNED);

			/* SGIs are edge (and always enabled on GICv2);
			 * PPIs here are level. */
			virq_init(&c->priv[i], i,
				  keep | (i < 16 ? VIRQ_EDGE : 0) |
					  (i < 16 && g->version == 2
						   ? VIRQ_ENABLED
						   : 0),
				  (keep & VIRQ_HW) ? (uint16_t)i : 0,
				  (uint8_t)v);
		}
		for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
			c->lr_intid[i] = VGIC_NO_IRQ;
		}
		for (unsigned w = 0; w < VGIC_WANT_WORDS; w++) {
			c->want[w] = 0;
		}
		c->dirty = false;
		c->fast_irq = 0;
		c->fast_sgi_bit = 0;
		c->sgi_mbox[0] = 0;
		c->sgi_mbox[1] = 0;
		c->ack_check = false;
		c->gicr_waker = 1u << 1; /* ProcessorSleep */
		c->gicr_ctlr = 0;
	}
	if (g->gicv_trap != 0) {
		g->gicv_trap = 0;
		vgic_hw_gicv_trap(g, false);
	}
	/*
	 * SPIs keep pintid and the HW and OWNED flags: the first word masked,
	 * as virq_init() lays it out. Locals, because the word stores may
	 * alias *g.
	 */
	virq_word *w = (virq_word *)g->spi;
	virq_word *const end = w + 2ul * g->spi_count;
	uint64_t intid = VGIC_PRIVATE;

	for (; w < end; w += 2, intid++) {
		w[0] = (w[0] & VIRQ_KEEP_MASK) | intid |
		       (uint64_t)0xffu << 56;
		w[1] = (uint64_t)1u << 16;
	}
}

/**
 * Build @g for partition @c at boot: which interrupts it owns (its
 * devices' SPIs with HW backing, the virtual UART's SPI, the virtual
 * PL061's SPI if it has channels, the timer PPIs
 * with HW backing), then reset all state.
 */
void vgic_init(struct vgic *g, const struct hv_partition_cfg *c,
	       uint32_t version, uint32_t board_spis, uint32_t lr_count)
{
	spin_init(&g->lock, LOCK_VGIC);
	g->version = version;
	g->vcpu_count = c->cpu_count;
	g->spi_count = board_spis > VGIC_MAX_SPIS ? VGIC_MAX_SPIS
						  : (board_spis & ~31u);
	g->lr_count = lr_count > VGIC_MAX_LRS ? VGIC_MAX_LRS : lr_count;
	g->prio_mask = 0xff;
	g->hw_eoi = vgic_hw_lr_deactivates();
	g->fast_ok = vgic_hw_fast_irq();
	g->gicd_typer = vgic_dist_typer(g);
	g->gicv_trap = 0;
	for (unsigned v = 0; v < c->cpu_count && v < VGIC_MAX_VCPUS; v++) {
		struct vgic_vcpu *cpu = &g->cpu[v];

		cpu->pcpu = c->cpus[v];
		cpu->cpu0_fast = &g->cpu[0].fast_irq;
		vgic_hw_fast_bases(cpu->fast_gic);
		if (version == 3) {
			cpu->doorbell_sgi1r = vgic_hw_doorbell_sgi1r(cpu->pcpu);
			cpu->sgi1r_all = (1u << c->cpu_count) - 1;
			cpu->sgi1r_others = cpu->sgi1r_all & ~(1u << v);
		}
		for (unsigned i = 0; i < VGIC_PRIVATE; i++) {
			cpu->priv[i].flags = VIRQ_OWNED;
		}
		cpu->priv[VGIC_VTIMER_INTID].flags |= VIRQ_HW;
		cpu->priv[VGIC_PTIMER_INTID].flags |= VIRQ_HW;
	}
	for (unsigned i = 0; i < g->spi_count; i++) {
		g->spi[i].flags = 0;
		g->spi[i].pintid = 0;
	}
	if (VGIC_UART_INTID - VGIC_PRIVATE < g->spi_count) {
		g->spi[VGIC_UART_INTID - VGIC_PRIVATE].flags = VIRQ_OWNED;
	}
	/* The virtual PL061 of a partition with channels (doorbells). */
	if (c->chan_count != 0 &&
	    HV_GUEST_GPIO_INTID - VGIC_PRIVATE < g->spi_count) {
		g->spi[HV_GUEST_GPIO_INTID - VGIC_PRIVATE].flags = VIRQ_OWNED;
	}
	for (unsigned d = 0; d < c->device_count; d++) {
		for (unsigned k = 0; k < c->devices[d].irq_count; k++) {
			uint32_t irq = c->devices[d].irqs[k];

			if (irq >= VGIC_PRIVATE &&
			    irq - VGIC_PRIVATE < g->spi_count) {
				g->spi[irq - VGIC_PRIVATE].flags =
					VIRQ_OWNED | VIRQ_HW;
				g->spi[irq - VGIC_PRIVATE].pintid =
					(uint16_t)irq;
			}
		}
	}
	vgic_reset_state(g);
}

/** Re-evaluate every interrupt (after GICD_CTLR group enables change). */
void vgic_update_all(struct vgic *g, unsigned self)
{
	for (unsigned v = 0; v < g->vcpu_count; v++) {
		for (unsigned i = 0; i < VGIC_PRIVATE; i++) {
			vgic_changed(g, self, &g->cpu[v].priv[i], v,
				     VREQ_REFRESH);
		}
	}
	for (unsigned i = 0; i < g->spi_count; i++) {
		if (g->spi[i].flags & VIRQ_OWNED) {
			vgic_changed(g, self, &g->spi[i], 0, VREQ_REFRESH);
		}
	}
}
