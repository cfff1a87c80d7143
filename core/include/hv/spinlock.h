/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock. Fair, so a busy partition cannot starve the console lock.
 * Only used with the MMU on (exclusives need cacheable memory).
 * Lock order (outer first): partition.lock -> log lock. Nothing else nests.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <stdint.h>

/** A ticket lock: owner serves, next hands out tickets. */
struct spinlock {
	uint16_t next; /* only accessed with __atomic builtins */
	uint16_t owner;
};

#define SPINLOCK_INIT { 0, 0 }

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
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	uint32_t owner;

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
}

#endif /* HV_SPINLOCK_H */
