/* SPDX-License-Identifier: MIT */
/*
 * The doorbell budget of one channel direction (docs/channels.md): the
 * line a writer drives reaches the receiver's virtual PL061 at most twice
 * per interval (one pulse: one doorbell), whatever the writer does. A
 * change that comes too early waits for the end of the interval; changes
 * that come while one waits are merged with it (coalesced) and counted,
 * and what the receiver then sees is one change to the line's level now,
 * or one pulse if the line went back to where the receiver saw it: no
 * doorbell is lost, extra ones cost the receiver nothing.
 *
 * Pure C (host tested). Time is passed in by the caller in counter ticks;
 * the state is the writer's and is protected by the writer's partition
 * lock, so a change that is held back takes no lock of the receiver's.
 */
#ifndef HV_DOORBELL_H
#define HV_DOORBELL_H

#include <stdbool.h>
#include <stdint.h>

#define DOORBELL_NEVER UINT64_MAX
/* Default minimum interval when the description gives none (us). */
#define DOORBELL_DEFAULT_INTERVAL_US 200u
/* Largest interval a description may ask for (us): 1 s. */
#define DOORBELL_MAX_INTERVAL_US 1000000u

struct doorbell {
	uint64_t window_end; /* tick the current interval ends */
	uint64_t coalesced;  /* line changes merged into another delivery */
	uint32_t pending;    /* changes held back (0: none waits) */
	uint8_t left;	     /* changes the current interval still lets by */
	bool seen;	     /* the level the receiver sees */
};

/** What doorbell_flush() delivers to the receiver. */
enum doorbell_step {
	DOORBELL_NONE,	/* nothing waits, or not yet due */
	DOORBELL_LEVEL, /* the receiver's line takes the writer's level */
	DOORBELL_PULSE, /* it goes to the other level and back */
};

void doorbell_reset(struct doorbell *d);
/**
 * The writer drove its line to @level (a change) at @now. True if the
 * receiver sees the new level now (the caller updates it); false if the
 * change is held back until doorbell_due().
 */
bool doorbell_drive(struct doorbell *d, bool level, uint64_t now,
		    uint64_t interval);
/** Tick at which held-back changes are delivered, or DOORBELL_NEVER. */
uint64_t doorbell_due(const struct doorbell *d);
/**
 * At @now, with the writer's line at @level: deliver what was held back
 * if it is due. DOORBELL_LEVEL and DOORBELL_PULSE open a new interval.
 */
enum doorbell_step doorbell_flush(struct doorbell *d, bool level,
				  uint64_t now, uint64_t interval);

#endif /* HV_DOORBELL_H */
