/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock. Fair, so a busy partition cannot starve the console lock.
 * Only used with the MMU on (exclusives need cacheable memory).
 *
 * Lock order: every lock has a level (enum lock_level), and a core takes
 * locks in strictly increasing level only; docs/architecture.md, "Lock
 * order", says which code nests which. A build with HV_LOCK_WITNESS
 * (make LOCK_WITNESS=1) checks it on every spin_lock() and panics on an
 * inversion, on two locks of one level held at once, and on a lock with
 * no level (core/lock_witness.c).
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <stdint.h>

/** A lock's place in the lock order, outer first. */
enum lock_level {
	LOCK_UNRANKED = 0, /* not allowed: the witness panics on it */
	LOCK_PARTITION,	   /* partition.lock */
	LOCK_VGIC,	   /* vgic.lock, under partition.lock */
	LOCK_GICD,	   /* the physical distributor's read-modify-write
			    * (gicv2.c, gicv3.c), under vgic.lock */
	LOCK_SMMU,	   /* smmu_lock (arch/arm64/smmuv3.c) */
	LOCK_SETWAY,	   /* a partition's set/way window (sysreg_trap.c) */
	LOCK_LOG,	   /* log_lock and the output rings' locks: innermost */
	LOCK_LEVELS
};

/** A ticket lock: owner serves, next hands out tickets. */
struct spinlock {
	uint16_t next; /* only accessed with __atomic builtins */
	uint16_t owner;
	uint16_t level; /* enum lock_level */
	uint16_t pad;	/* explicit: a lock is 8 bytes */
};

#define SPINLOCK_INIT(lvl) { 0, 0, (lvl), 0 }

#ifdef HV_LOCK_WITNESS
/** Record that this core takes @l; panic if that breaks the lock order. */
void lock_witness_take(const struct spinlock *l);
/** Record that this core let go of @l. */
void lock_witness_drop(const struct spinlock *l);
#else
static inline void lock_witness_take(const struct spinlock *l)
{
	(void)l;
}

static inline void lock_witness_drop(const struct spinlock *l)
{
	(void)l;
}
#endif

/** Give @l its level (for locks inside zeroed structures). */
static inline void spin_init(struct spinlock *l, enum lock_level level)
{
	l->next = 0;
	l->owner = 0;
	l->level = (uint16_t)level;
	l->pad = 0;
}

/*
 * Waiting for the ticket sleeps in WFE instead of spinning: the load of
 * the owner is exclusive (LDAXRH), which arms this core's exclusives
 * monitor on it, and the releasing core's store to it clears the monitor,
 * which is a WFE wake-up event (DDI 0487 J.a, "Wait for Event mechanism
 * and Send event", and "Synchronization and semaphores" for the
 * exclusives monitors). SEVL makes the first
 * WFE fall through, so an owner already equal to our ticket is seen at
 * once; any other wake-up (an interrupt, another core taking a ticket)
 * just loads again.
 */
static inline void spin_lock(struct spinlock *l)
{
	uint16_t me;
	uint32_t owner;

	lock_witness_take(l);
	me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) == me) {
		return;
	}
	__asm__ volatile("sevl" ::: "memory");
	/* The asm writes owner: not the infinite loop clang-tidy sees. */
	do { /* NOLINT(bugprone-infinite-loop) */
		__asm__ volatile("wfe\n\tldaxrh %w0, %1"
				 : "=&r"(owner)
				 : "Q"(l->owner)
				 : "memory");
	} while ((uint16_t)owner != me);
}

static inline void spin_unlock(struct spinlock *l)
{
	uint16_t o = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->owner, (uint16_t)(o + 1), __ATOMIC_RELEASE);
	lock_witness_drop(l);
}

#endif /* HV_SPINLOCK_H */
