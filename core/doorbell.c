/* SPDX-License-Identifier: MIT */
/*
 * The doorbell budget (hv/doorbell.h). A window opens at the first change
 * delivered after the previous one ended and lets two changes by (a ring
 * is a rise and a fall); a change beyond that waits for the window's end.
 * At the end, the held-back changes become one delivery:
 *
 *   held back   writer's level vs seen   delivered       changes used
 *   odd         differs                  the new level   1
 *   even        equal                    a pulse         2
 *
 * and everything else held back is counted as coalesced. A pulse is the
 * only way the receiver can learn of a ring that began and ended while
 * it was held back, and it is what an edge-sensitive input needs (either
 * edge, rising or falling); a level-sensitive input sees the level at
 * most one interval late.
 */
#include "hv/doorbell.h"

void doorbell_reset(struct doorbell *d)
{
	d->window_end = 0;
	d->coalesced = 0;
	d->pending = 0;
	d->left = 0;
	d->seen = false;
}

bool doorbell_drive(struct doorbell *d, bool level, uint64_t now,
		    uint64_t interval)
{
	if (d->pending != 0) {
		d->pending++;
		return false;
	}
	if (now >= d->window_end) {
		d->window_end = now + interval;
		d->left = 2;
	}
	if (d->left == 0) {
		d->pending = 1;
		return false;
	}
	d->left--;
	d->seen = level;
	return true;
}

uint64_t doorbell_due(const struct doorbell *d)
{
	return d->pending != 0 ? d->window_end : DOORBELL_NEVER;
}

enum doorbell_step doorbell_flush(struct doorbell *d, bool level,
				  uint64_t now, uint64_t interval)
{
	enum doorbell_step step;
	uint32_t used;

	if (d->pending == 0 || now < d->window_end) {
		return DOORBELL_NONE;
	}
	step = level != d->seen ? DOORBELL_LEVEL : DOORBELL_PULSE;
	used = step == DOORBELL_LEVEL ? 1 : 2;
	/* An even count that ends where it started is at least 2. */
	d->coalesced += d->pending > used ? d->pending - used : 0;
	d->pending = 0;
	d->seen = level;
	d->window_end = now + interval;
	d->left = (uint8_t)(2 - used);
	return step;
}
