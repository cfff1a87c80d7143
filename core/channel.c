/* SPDX-License-Identifier: MIT */
/*
 * Channel doorbells: each partition with channels has a virtual PL061
 * (core/vpl061.c); an output line of one partition is wired to an input
 * line of the peer's. Writing the PL061 happens under the writer's
 * partition lock; the lines it then drives are published in gpio_out, and
 * each peer re-samples its inputs from its peers' gpio_out under its own
 * lock. No two partition locks are ever held together (lock order:
 * partition lock, then that partition's vgic lock), and because a peer
 * always reads the current gpio_out, it ends up with the writer's last
 * value whatever order concurrent updates run in.
 */
#include "hv/channel.h"
#include "hv/config.h"
#include "hv/partition.h"

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

/* @p's input lines: what its peers' wired output lines drive now. */
static uint8_t inputs_of(const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	uint8_t in = 0;

	for (uint32_t i = 0; i < c->chan_count; i++) {
		const struct hv_chan_end *e = &c->chans[i];
		const struct partition *q = &hv_partitions[e->peer];

		if (__atomic_load_n(&q->gpio_out, __ATOMIC_SEQ_CST) &
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

/* Every peer of @p samples its inputs again (called by no vCPU of them). */
static void notify_peers(const struct partition *p)
{
	for (uint32_t i = 0; i < p->cfg->chan_count; i++) {
		struct partition *q = &hv_partitions[p->cfg->chans[i].peer];

		spin_lock(&q->lock);
		vpl061_set_inputs(&q->gpio, inputs_of(q));
		set_irq(q, -1);
		spin_unlock(&q->lock);
	}
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
	uint8_t out;
	bool changed;

	spin_lock(&p->lock);
	if (write) {
		r = vpl061_write(&p->gpio, off, size, *val);
	} else {
		r = vpl061_read(&p->gpio, off, size, val);
	}
	out = vpl061_outputs(&p->gpio);
	changed = out != __atomic_load_n(&p->gpio_out, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->gpio_out, out, __ATOMIC_SEQ_CST);
	set_irq(p, (int)v->index);
	spin_unlock(&p->lock);
	if (changed) {
		notify_peers(p);
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
	__atomic_store_n(&p->gpio_out, 0, __ATOMIC_SEQ_CST);
	set_irq(p, -1);
	spin_unlock(&p->lock);
	notify_peers(p);
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
