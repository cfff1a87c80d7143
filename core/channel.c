/* SPDX-License-Identifier: MIT */
/*
 * Channel doorbells: each partition with channels has a virtual PL061
 * (core/vpl061.c); an output line of one partition is wired to an input
 * line of the peer's. Writing the PL061 happens under the writer's
 * partition lock. Each wired line passes the channel's doorbell budget
 * (core/doorbell.c, state under the writer's lock): what it lets by is
 * published in gpio_wire, and only a peer whose line changed there
 * re-samples its inputs from its peers' gpio_wire under its own lock; a
 * change held back takes no lock of the peer's and is delivered by the
 * writer's core's EL2 timer when the interval ends (channel_timer()). No
 * two partition locks are ever held together (lock order: partition lock,
 * then that partition's vgic lock), and because a peer always reads the
 * current gpio_wire, it ends up with the last value let by whatever order
 * concurrent updates run in.
 */
#include "hv/channel.h"
#include "hv/config.h"
#include "hv/doorbell.h"
#include "hv/partition.h"

#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;

/* Bit of the line that end @i of a partition rings its peer with. */
static uint8_t out_line(uint32_t i)
{
	return (uint8_t)(1u << (2 * i));
}

/* Bit of the line on which end @i of a partition is rung by its peer. */
static uint8_t in_line(uint32_t i)
{
	return (uint8_t)(1u << (2 * i + 1));
}

/* The lines @p rings its peers with. */
static uint8_t wired(const struct partition *p)
{
	uint8_t m = 0;

	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		m |= out_line(i);
	}
	return m;
}

/* @p's input lines: what its peers' wired output lines drive now. */
static uint8_t inputs_of(const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	uint8_t in = 0;

	for (uint32_t i = 0; i < c->chan_count; i++) {
		const struct hv_chan_end *e = &c->chans[i];
		const struct partition *q = &hv_partitions[e->peer];

		if (__atomic_load_n(&q->gpio_wire, __ATOMIC_SEQ_CST) &
		    out_line(e->peer_end)) {
			in |= in_line(i);
		}
	}
	return in;
}

/* Drive @p's PL061 interrupt line into its vGIC. Holds p->lock. */
static void set_irq(struct partition *p, int self)
{
	spin_lock(&p->vgic.lock);
	vgic_set_line(&p->vgic, self, HV_GUEST_GPIO_INTID,
		      vpl061_irq_level(&p->gpio));
	spin_unlock(&p->vgic.lock);
}

/*
 * @p's input lines on which a peer left a held-back pulse to take (and
 * takes them): the wire goes to the other level and back.
 */
static uint8_t pulses_of(const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	uint8_t pulse = 0;

	for (uint32_t i = 0; i < c->chan_count; i++) {
		const struct hv_chan_end *e = &c->chans[i];
		struct partition *q = &hv_partitions[e->peer];
		uint8_t bit = out_line(e->peer_end);

		if (__atomic_load_n(&q->gpio_pulse, __ATOMIC_SEQ_CST) & bit &&
		    __atomic_fetch_and(&q->gpio_pulse, (uint8_t)~bit,
				       __ATOMIC_SEQ_CST) & bit) {
			pulse |= in_line(i);
		}
	}
	return pulse;
}

/*
 * The peers at the ends in @ends (bit i: end i) of @p sample their inputs
 * again (called by no vCPU of them, without p->lock).
 */
static void notify_peers(const struct partition *p, uint32_t ends)
{
	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		struct partition *q = &hv_partitions[p->cfg->chans[i].peer];
		uint8_t in, pulse;

		if (!(ends & (1u << i))) {
			continue;
		}
		spin_lock(&q->lock);
		in = inputs_of(q);
		pulse = pulses_of(q);
		if (pulse != 0) {
			vpl061_set_inputs(&q->gpio, in ^ pulse);
		}
		vpl061_set_inputs(&q->gpio, in);
		set_irq(q, -1);
		spin_unlock(&q->lock);
	}
}

/* Minimum interval of end @i's budget, in counter ticks. */
static uint64_t interval_of(const struct hv_chan_end *e)
{
	return (uint64_t)e->db_interval_us * read_sysreg(cntfrq_el0) /
	       1000000u;
}

/* Arm this core's timer for the earliest held-back change of @p. */
static void arm_timer(const struct partition *p)
{
	uint64_t first = DOORBELL_NEVER;

	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		uint64_t due = doorbell_due(&p->db[i]);

		first = due < first ? due : first;
	}
	health_timer_set(HYP_TIMER_DOORBELL,
			 first == DOORBELL_NEVER ? 0 : (first ? first : 1));
}

static void publish(struct partition *p, uint8_t bit, bool level)
{
	if (level) {
		__atomic_fetch_or(&p->gpio_wire, bit, __ATOMIC_SEQ_CST);
	} else {
		__atomic_fetch_and(&p->gpio_wire, (uint8_t)~bit,
				   __ATOMIC_SEQ_CST);
	}
}

/*
 * @p's PL061 now drives @out: pass each wired line that changed through
 * its end's budget. Returns the ends whose peer must sample again. Holds
 * p->lock.
 */
static uint32_t drive(struct partition *p, uint8_t out)
{
	uint64_t now = health_counter_now();
	uint32_t ends = 0;
	bool held = false;

	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		uint8_t bit = out_line(i);
		bool level = (out & bit) != 0;

		if (((p->gpio_out ^ out) & bit) == 0) {
			continue;
		}
		if (doorbell_drive(&p->db[i], level, now,
				   interval_of(&p->cfg->chans[i]))) {
			publish(p, bit, level);
			ends |= 1u << i;
		} else {
			held = true;
		}
	}
	p->gpio_out = out;
	if (held) {
		arm_timer(p);
	}
	return ends;
}

/*
 * Deliver what @p's budgets held back and is due, and sum the coalesced
 * changes into its counter page. Holds p->lock; returns the ends whose
 * peer must sample again.
 */
static uint32_t flush(struct partition *p, uint64_t now)
{
	uint64_t coalesced = 0;
	uint32_t ends = 0;

	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		uint8_t bit = out_line(i);
		bool level = (p->gpio_out & bit) != 0;
		enum doorbell_step step = doorbell_flush(
			&p->db[i], level, now, interval_of(&p->cfg->chans[i]));

		if (step == DOORBELL_LEVEL) {
			publish(p, bit, level);
		} else if (step == DOORBELL_PULSE) {
			__atomic_fetch_or(&p->gpio_pulse, bit,
					  __ATOMIC_SEQ_CST);
		}
		ends |= step != DOORBELL_NONE ? 1u << i : 0;
		coalesced += p->db[i].coalesced;
	}
	health_set_doorbells_coalesced(p, coalesced);
	arm_timer(p);
	return ends;
}

/**
 * This core's doorbell deadline passed (core/health.c): deliver what the
 * budgets of its partition @p held back.
 */
void channel_timer(struct partition *p)
{
	uint32_t ends;

	if (p->cfg->chan_count == 0) {
		return;
	}
	spin_lock(&p->lock);
	ends = flush(p, health_counter_now());
	spin_unlock(&p->lock);
	notify_peers(p, ends);
}

/** Is @ipa in @v's partition's virtual PL061 (present with channels)? */
bool channel_owns_ipa(const struct vcpu *v, uint64_t ipa)
{
	return v->part->cfg->chan_count != 0 && ipa >= HV_GUEST_GPIO_IPA &&
	       ipa < HV_GUEST_GPIO_IPA + HV_GUEST_GPIO_SIZE;
}

/**
 * A data access at offset @off of the calling vCPU's virtual PL061. If
 * the lines it drives change, the peers see it before this returns (a
 * doorbell is rung when the writer's store completes). Returns false for
 * an access the registers do not allow (the caller applies fault policy).
 */
bool channel_gpio_mmio(struct vcpu *v, uint64_t off, unsigned size,
		       bool write, uint64_t *val)
{
	struct partition *p = v->part;
	enum vpl061_result r;
	uint32_t ends;

	spin_lock(&p->lock);
	if (write) {
		r = vpl061_write(&p->gpio, off, size, *val);
	} else {
		r = vpl061_read(&p->gpio, off, size, val);
	}
	ends = drive(p, vpl061_outputs(&p->gpio) & wired(p));
	set_irq(p, (int)v->index);
	spin_unlock(&p->lock);
	if (ends != 0) {
		notify_peers(p, ends);
	}
	return r == VPL061_OK;
}

/**
 * Reset @p's virtual PL061 while @p is being loaded (no vCPU of it runs):
 * all lines inputs, so the doorbell lines it drove fall at its peers; its
 * own inputs start at what the peers drive now, with no edge latched.
 */
void channel_reset(struct partition *p)
{
	if (p->cfg->chan_count == 0) {
		return;
	}
	spin_lock(&p->lock);
	vpl061_reset(&p->gpio, inputs_of(p));
	p->gpio_out = 0;
	__atomic_store_n(&p->gpio_wire, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->gpio_pulse, 0, __ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		uint64_t coalesced = p->db[i].coalesced;

		doorbell_reset(&p->db[i]);
		p->db[i].coalesced = coalesced; /* a counter: kept */
	}
	set_irq(p, -1);
	spin_unlock(&p->lock);
	notify_peers(p, (1u << p->cfg->chan_count) - 1);
}

/**
 * The name of the read-only channel end of @v's partition that maps
 * @ipa, or NULL: names the channel when a write there faults.
 */
const char *channel_ro_name(const struct vcpu *v, uint64_t ipa)
{
	const struct hv_partition_cfg *c = v->part->cfg;

	for (uint32_t i = 0; i < c->chan_count; i++) {
		const struct hv_chan_end *e = &c->chans[i];

		if (e->access == HV_CHAN_RO && ipa >= e->ipa &&
		    ipa - e->ipa < e->size) {
			return e->name;
		}
	}
	return NULL;
}
