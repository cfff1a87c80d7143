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

static inline void spin_lock(struct spinlock *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
		__asm__ volatile("yield");
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	uint16_t o = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->owner, (uint16_t)(o + 1), __ATOMIC_RELEASE);
}

#endif /* HV_SPINLOCK_H */
