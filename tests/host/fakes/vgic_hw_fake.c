/* SPDX-License-Identifier: MIT */
/*
 * Fake GIC hardware for the vGIC host tests: four list registers held in
 * memory (the guest's acknowledge and EOI are simulated by the tests), and
 * a record of physical operations.
 *
 * Ownership oracle: a physical operation on an SPI the partition of
 * fake_partition_cfg() (or fake_own()) does not own aborts the process,
 * so a host test or the fuzz_vgic target that makes the vGIC touch another
 * partition's interrupt fails at once, whatever it checks itself. The one
 * exception is vgic_hw_deactivate(): an interrupt acknowledged on this
 * core that the partition does not own is dropped by deactivating it
 * (vgic_phys_irq()), which is the required end of its life cycle.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/config.h"
#include "hv/panic.h"

#include "vgic_hw_fake.h"

struct fake_gic fake;

/* Physical INTIDs the partition owns (kept across fake_reset()). */
static bool fake_owned[1024];

void fake_own(uint32_t pintid)
{
	if (pintid < 1024) {
		fake_owned[pintid] = true;
	}
}

static void check_owned(const char *op, uint32_t pintid)
{
	if (pintid < 32 || (pintid < 1024 && fake_owned[pintid])) {
		return; /* a private interrupt of the vCPU's own core */
	}
	fprintf(stderr, "vgic_hw_fake: %s on INTID %u, which the partition "
			"does not own\n", op, pintid);
	abort();
}

struct lr_val vgic_hw_lr_read(unsigned i)
{
	return fake.lr[i];
}

void vgic_hw_lr_write(unsigned i, const struct lr_val *lr)
{
	fake.lr[i] = *lr;
	fake.lr_writes++;
}

uint32_t vgic_hw_lr_empty(void)
{
	uint32_t m = 0;

	for (unsigned i = 0; i < FAKE_LRS; i++) {
		/* Empty: no state and no EOI maintenance owed (IHI 0048B
		 * 5.3.9 GICH_ELRSRn; IHI 0069H ICH_ELRSR_EL2). */
		if (fake.lr[i].state == 0 &&
		    (fake.lr[i].hw || !fake.lr[i].eoi_maint)) {
			m |= 1u << i;
		}
	}
	return m;
}

void vgic_hw_underflow_irqs(bool npie, bool uie, bool trap_ack)
{
	fake.npie = npie;
	fake.uie = uie;
	fake.trap_ack = trap_ack;
}

void vgic_hw_kick(uint32_t pcpu)
{
	fake.kicks |= 1u << pcpu;
}

void vgic_hw_doorbell(uint32_t pcpu)
{
	fake.doorbells |= 1u << pcpu;
}

uint64_t vgic_hw_doorbell_sgi1r(uint32_t pcpu)
{
	return 0x100000000ULL | pcpu;
}

void vgic_hw_enable(uint32_t pintid, uint32_t pcpu, bool on)
{
	check_owned("enable", pintid);
	(void)pcpu;
	fake.phys_enabled[pintid] = on;
}

bool vgic_hw_is_pending(uint32_t pintid, uint32_t pcpu)
{
	check_owned("is_pending", pintid);
	(void)pcpu;
	return fake.phys_pending[pintid];
}

void vgic_hw_pend(uint32_t pintid, uint32_t pcpu, bool on)
{
	check_owned("pend", pintid);
	(void)pcpu;
	fake.phys_pending[pintid] = on;
}

void vgic_hw_deactivate(uint32_t pintid)
{
	fake.deactivated[pintid]++;
}

void vgic_hw_clear_active(uint32_t pintid, uint32_t pcpu)
{
	check_owned("clear_active", pintid);
	(void)pcpu;
	fake.cleared_active[pintid]++;
}

void vgic_hw_route(uint32_t pintid, uint32_t pcpu)
{
	check_owned("route", pintid);
	fake.route[pintid] = pcpu;
}

void vgic_hw_config(uint32_t pintid, bool edge)
{
	check_owned("config", pintid);
	fake.edge[pintid] = edge;
}

bool vgic_hw_lr_deactivates(void)
{
	return !fake.no_hw_eoi;
}

/* A readable stand-in: state, HW, EOI, priority, pINTID, vINTID. */
uint64_t vgic_hw_lr_encode(const struct lr_val *lr)
{
	return (uint64_t)lr->state << 62 | (uint64_t)lr->hw << 61 |
	       (uint64_t)lr->eoi_maint << 60 | (uint64_t)lr->group1 << 59 |
	       (uint64_t)(lr->src & 7) << 56 | (uint64_t)lr->prio << 48 |
	       (uint64_t)lr->pintid << 32 | lr->vintid;
}

/* The inverse of vgic_hw_lr_encode(): what a vector's write of a
 * prepared value puts in the list register. */
static struct lr_val lr_decode(uint64_t raw)
{
	return (struct lr_val){
		.vintid = (uint32_t)raw,
		.pintid = (uint32_t)(raw >> 32) & 0xffff,
		.prio = (uint8_t)(raw >> 48),
		.state = (uint8_t)(raw >> 62),
		.hw = ((raw >> 61) & 1) != 0,
		.eoi_maint = ((raw >> 60) & 1) != 0,
		.group1 = ((raw >> 59) & 1) != 0,
		.src = (uint8_t)((raw >> 56) & 7),
	};
}

void vgic_hw_gicv_trap(struct vgic *g, bool on)
{
	(void)g;
	fake.gicv_out = on;
	fake.gicv_changes++;
}

/* GICV_IAR and GICV_AIAR acknowledge the highest-priority pending LR, or
 * read 1023; any other word reads what was last written there. */
uint32_t vgic_hw_gicv_read(uint32_t off)
{
	int best = -1;

	if (off != VGICV_IAR && off != VGICV_AIAR) {
		return fake.gicv_reg[off / 4];
	}
	for (int i = 0; i < FAKE_LRS; i++) {
		if ((fake.lr[i].state & LR_STATE_P) &&
		    (best < 0 || fake.lr[i].prio < fake.lr[best].prio)) {
			best = i;
		}
	}
	if (best < 0) {
		return 1023;
	}
	fake_guest_ack((unsigned)best);
	return fake.lr[best].vintid;
}

void vgic_hw_gicv_write(uint32_t off, uint32_t val)
{
	fake.gicv_reg[off / 4] = val;
}

bool vgic_hw_fast_irq(void)
{
	return !fake.no_fast_irq;
}

bool vgic_hw_fast_now(void)
{
	return !fake.exit_mitigation;
}

void vgic_hw_fast_bases(uint64_t base[2])
{
	base[0] = 0x08010000;
	base[1] = 0x08030000;
}

uint32_t vgic_hw_current_pcpu(void)
{
	return 0;
}

/* The partition the vGIC tests and fuzz target use: two vCPUs on cores 2
 * and 3, owning device SPIs 48 and 49 (HW-backed). */
void fake_partition_cfg(struct hv_partition_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->cpu_count = 2;
	c->cpus[0] = 2;
	c->cpus[1] = 3;
	c->device_count = 1;
	c->devices[0].irq_count = 2;
	c->devices[0].irqs[0] = 48;
	c->devices[0].irqs[1] = 49;
	memset(fake_owned, 0, sizeof(fake_owned));
	fake_own(48);
	fake_own(49);
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

/* The guest acknowledges the interrupt in LR @i (pending -> active). */
void fake_guest_ack(unsigned i)
{
	fake.lr[i].state = (uint8_t)((fake.lr[i].state & ~LR_STATE_P) |
				     LR_STATE_A);
}

/* The guest EOIs the interrupt in LR @i (active -> inactive; a pending
 * one stays pending). A HW one deactivates its physical interrupt. */
void fake_guest_eoi(unsigned i)
{
	fake.lr[i].state &= (uint8_t)~LR_STATE_A;
	if (fake.lr[i].hw) {
		fake.deactivated[fake.lr[i].pintid]++;
	}
}

/* Which LR holds @intid, or -1. */
int fake_lr_of(uint32_t intid)
{
	for (unsigned i = 0; i < FAKE_LRS; i++) {
		if (fake.lr[i].state != 0 && fake.lr[i].vintid == intid) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * What arch/arm64/vectors.S (irq_entry) does with physical interrupt
 * @pintid on vCPU @self's core: if the vGIC armed the fast path for it
 * and its LR is empty, write the prepared value there and report true;
 * otherwise leave everything to the general path (false).
 */
bool fake_vector_irq(const struct vgic *g, unsigned self, uint32_t pintid)
{
	const struct vgic_vcpu *c = &g->cpu[self];
	unsigned i = (unsigned)(c->fast_irq >> 32);
	uint64_t raw = c->fast_lr;

	if (c->fast_irq == 0 || (uint32_t)c->fast_irq != pintid ||
	    !((vgic_hw_lr_empty() >> i) & 1)) {
		return false;
	}
	fake.lr[i] = lr_decode(raw);
	fake.lr_writes++;
	return true;
}

/* The LRs whose EOI maintenance is owed (IHI 0048B 5.3.7 GICH_EISR0). */
static uint32_t fake_eisr(void)
{
	uint32_t m = 0;

	for (unsigned i = 0; i < FAKE_LRS; i++) {
		if (fake.lr[i].state == 0 && !fake.lr[i].hw &&
		    fake.lr[i].eoi_maint) {
			m |= 1u << i;
		}
	}
	return m;
}

/* GICH_MISR (IHI 0048B 5.3.5) as the fake's underflow requests make it:
 * EOI (bit 0), U (1: at most one LR in use), NP (3: no LR in the pending
 * state; an active and pending LR is not in it, 5.3.11 GICH_LRn.State,
 * and likewise ICH_MISR_EL2.NP, IHI 0069H 12.5). */
uint32_t fake_misr(void)
{
	unsigned used = 0;
	bool pending = false;

	for (unsigned i = 0; i < FAKE_LRS; i++) {
		used += fake.lr[i].state != 0;
		pending = pending || fake.lr[i].state == LR_STATE_P;
	}
	return (fake_eisr() != 0 ? 1u : 0) |
	       (fake.uie && used <= 1 ? 2u : 0) |
	       (fake.npie && !pending ? 8u : 0);
}

/*
 * What arch/arm64/gicv2_fast.S does with the maintenance interrupt on
 * vCPU @self's core: if the fast path is armed and the armed LR's EOI
 * request is its only cause, deactivate the physical interrupt, empty
 * the LR and report true; otherwise leave it to C (false).
 */
bool fake_vector_maint(const struct vgic *g, unsigned self)
{
	const struct vgic_vcpu *c = &g->cpu[self];
	unsigned i = (unsigned)(c->fast_irq >> 32);

	if (c->fast_irq == 0 || fake_misr() != 1 || fake_eisr() != 1u << i) {
		return false;
	}
	fake.deactivated[(uint32_t)c->fast_irq]++;
	fake.lr[i] = (struct lr_val){ 0 };
	fake.lr_writes++;
	return true;
}

/* CHECK() in the vGIC model: a broken invariant fails the test run (and
 * the fuzz target) at once, as hv_panic() stops the hypervisor. */
void hv_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * The vector's doorbell path (gicv3_fast.S, gicv2_fast.S, after the
 * acknowledge of HV_DOORBELL_SGI): true if it finished the exit (an empty
 * mailbox, or exactly the armed SGI with its LR empty, injected), false if
 * it went to C, having changed nothing.
 */
bool fake_vector_doorbell(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];
	unsigned i = (unsigned)c->fast_sgi_idx;
	uint64_t raw = c->fast_sgi_lr;

	if (c->sgi_mbox[1] != 0) {
		return false;
	}
	if (c->sgi_mbox[0] == 0) {
		return true;
	}
	if (c->sgi_mbox[0] != c->fast_sgi_bit ||
	    !((vgic_hw_lr_empty() >> i) & 1)) {
		return false;
	}
	c->sgi_mbox[0] = 0;
	fake.lr[i] = lr_decode(raw);
	fake.lr_writes++;
	return true;
}
