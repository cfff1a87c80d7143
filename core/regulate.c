/* SPDX-License-Identifier: MIT */
/*
 * Memory-bandwidth regulation: the pure arithmetic and per-period
 * bookkeeping (hv/regulate.h). No hardware access; host-tested.
 */
#include "hv/config.h"
#include "hv/regulate.h"

/**
 * Events counted since the counter was preset to @preset, now reading
 * @now. @overflowed: the overflow flag (PMOVSSET_EL0) is set, so the
 * counter wrapped past 2^32 once (a wrap takes 2^31 or more events past
 * the budget, which the throttle never lets happen in one period).
 */
uint64_t regulate_events(uint32_t preset, uint32_t now, bool overflowed)
{
	if (overflowed) {
		return (0x100000000ULL - preset) + now;
	}
	return (uint32_t)(now - preset);
}

/** A period of @period_us microseconds in ticks of a @hz counter (>= 1). */
uint64_t regulate_period_ticks(uint32_t period_us, uint64_t hz)
{
	uint64_t t = hz / 1000000u * period_us +
		     hz % 1000000u * period_us / 1000000u;

	return t != 0 ? t : 1;
}

/**
 * The end of the next period after one that ended at @due, seen at @now
 * (>= @due): periods stay on their grid; whole periods that passed
 * unserved (the core held elsewhere) are skipped and counted in
 * *@skipped.
 */
uint64_t regulate_next_due(uint64_t due, uint64_t period, uint64_t now,
			   uint64_t *skipped)
{
	uint64_t next = due + period;
	uint64_t n = 0;

	if (next <= now) {
		n = (now - due) / period;
		next = due + (n + 1) * period;
	}
	*skipped = n;
	return next;
}

/** Record one ended period: @events counted, throttled for @ticks. */
void regulate_account(struct regulate_acct *a, uint64_t events,
		      bool throttled, uint64_t throttled_ticks)
{
	a->periods++;
	a->last_events = events;
	if (events > a->max_events) {
		a->max_events = events;
	}
	if (throttled) {
		a->throttled++;
		a->throttled_ticks += throttled_ticks;
	}
}

/**
 * The event to count: @wanted (HV_MEM_EVENT_AUTO: L2D_CACHE_REFILL, or
 * BUS_ACCESS where that is missing) if PMCEID0_EL0 @pmceid0 says the core
 * implements it (bit n: common event n, for n < 32; PMCEID1_EL0 bit n - 32
 * above, passed shifted into the upper half here). Returns the event, or
 * HV_MEM_EVENT_AUTO if it is not implemented. Arm ARM DDI 0487 J.a,
 * chapter D13 "The Performance Monitors Extension" (common event
 * numbers) and the register descriptions of PMCEID0_EL0 / PMCEID1_EL0.
 */
uint32_t regulate_pick_event(uint32_t wanted, uint64_t pmceid0)
{
	if (wanted == HV_MEM_EVENT_AUTO) {
		if ((pmceid0 >> PMU_EV_L2D_CACHE_REFILL) & 1u) {
			return PMU_EV_L2D_CACHE_REFILL;
		}
		return ((pmceid0 >> PMU_EV_BUS_ACCESS) & 1u) ? PMU_EV_BUS_ACCESS
							     : HV_MEM_EVENT_AUTO;
	}
	if (wanted > HV_MEM_EVENT_MAX || ((pmceid0 >> wanted) & 1u) == 0) {
		return HV_MEM_EVENT_AUTO;
	}
	return wanted;
}
