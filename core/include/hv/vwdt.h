/* SPDX-License-Identifier: MIT */
/*
 * Emulated SP805 watchdog seen by each partition at HV_GUEST_WDOG_IPA.
 * Register model: Arm Watchdog Module (SP805) Technical Reference Manual,
 * DDI 0270B, 3.2 "Summary of registers" and 3.3 "Register descriptions".
 *
 * Pure C (host tested). Time is passed in by the caller in ticks of the
 * watchdog clock (WDOGCLK, VWDT_CLOCK_HZ); the model never reads a clock.
 */
#ifndef HV_VWDT_H
#define HV_VWDT_H

#include <stdbool.h>
#include <stdint.h>

/* WDOGCLK as the generated device tree describes it (the partition's
 * 24 MHz apb-pclk; docs/lifecycle.md). */
#define VWDT_CLOCK_HZ 24000000u
#define VWDT_NEVER UINT64_MAX
/*
 * The hypervisor looks at a running watchdog at most once per this many
 * ticks (1 ms). With WdogLoad = 1 the reset output fires every 3 ticks
 * (125 ns); checking at each would keep the core in EL2 for good under
 * policy "log", where the watchdog goes on after each expiry.
 */
#define VWDT_MIN_CHECK_TICKS (VWDT_CLOCK_HZ / 1000u)

/**
 * Watchdog state; protected by the owning partition's lock.
 *
 * The counter is not stored: while it runs (INTEN set) it is
 * count0 - (now - start), reaching zero count0 + 1 ticks after start. At
 * zero it reloads from WdogLoad; the first time it raises the interrupt
 * (RIS), the second time (RIS still set) it asserts the reset if RESEN is
 * set (TRM 2.1 "Functional overview").
 */
struct vwdt {
	uint32_t load; /* WdogLoad */
	uint32_t ctl;  /* WdogControl: INTEN bit 0, RESEN bit 1 */
	bool ris;      /* WdogRIS */
	bool locked;   /* WdogLock: write access disabled */
	uint64_t start;	 /* tick the counter last started from count0 */
	uint32_t count0; /* value it started from (frozen value if stopped) */
};

enum vwdt_result {
	VWDT_OK,
	VWDT_BAD_ACCESS, /* not a naturally aligned 32-bit access */
};

void vwdt_reset(struct vwdt *w);
enum vwdt_result vwdt_read(struct vwdt *w, uint64_t off, unsigned size,
			   uint64_t now, uint64_t *val);
enum vwdt_result vwdt_write(struct vwdt *w, uint64_t off, unsigned size,
			    uint64_t val, uint64_t now);
/** Bring the model up to @now; true if the reset output fired by then. */
bool vwdt_advance(struct vwdt *w, uint64_t now);
/** Tick at which the reset output will fire, or VWDT_NEVER. */
uint64_t vwdt_reset_due(const struct vwdt *w);
/**
 * When to look at the watchdog next, if it was last brought up to @now:
 * the reset's due tick, but no sooner than VWDT_MIN_CHECK_TICKS after
 * @now; VWDT_NEVER if it cannot fire. An expiry is noticed up to 1 ms
 * late, never missed.
 */
uint64_t vwdt_check_at(const struct vwdt *w, uint64_t now);

#endif /* HV_VWDT_H */
