/* SPDX-License-Identifier: MIT */
/*
 * The lock witness (HV_LOCK_WITNESS builds, make LOCK_WITNESS=1): each
 * core keeps the levels of the locks it holds, and spin_lock() of a lock
 * whose level is not above all of them stops the system with both levels
 * named. That turns a lock-order inversion into a panic on the first run
 * that takes the two locks in the wrong order, whether or not another
 * core happened to deadlock with it. The order: hv/spinlock.h and
 * docs/architecture.md, "Lock order".
 */
#include "hv/panic.h"
#include "hv/pcpu.h"
#include "hv/spinlock.h"

static const char *const level_names[LOCK_LEVELS] = {
	[LOCK_UNRANKED] = "unranked",	 [LOCK_PARTITION] = "partition",
	[LOCK_VGIC] = "vgic",		 [LOCK_GICD] = "gic-distributor",
	[LOCK_SMMU] = "smmu",		 [LOCK_SETWAY] = "set/way",
	[LOCK_LOG] = "log",
};

static const char *level_name(uint32_t level)
{
	return level < LOCK_LEVELS ? level_names[level] : "bad level";
}

/** lock_witness_take() - See hv/spinlock.h. */
void lock_witness_take(const struct spinlock *l)
{
	struct pcpu *c = pcpu_this();
	uint32_t level = l->level;
	uint32_t held;

	if (c == NULL) {
		return; /* early boot, before this core's state is set */
	}
	held = c->locks_held;
	if (level == LOCK_UNRANKED || level >= LOCK_LEVELS) {
		c->locks_held = 0; /* the panic's own log lock */
		hv_panic("lock witness: lock %p has no level (%s)",
			 (const void *)l, level_name(level));
	}
	if ((held >> level) != 0) {
		c->locks_held = 0;
		hv_panic("lock witness: lock order inverted: taking a %s lock "
			 "while holding a %s lock",
			 level_name(level),
			 level_name(31u - (uint32_t)__builtin_clz(held)));
	}
	c->locks_held = held | (1u << level);
}

/** lock_witness_drop() - See hv/spinlock.h. */
void lock_witness_drop(const struct spinlock *l)
{
	struct pcpu *c = pcpu_this();

	if (c != NULL) {
		c->locks_held &= ~(1u << l->level);
	}
}
