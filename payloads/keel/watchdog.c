/* SPDX-License-Identifier: MIT */
/*
 * Keel's SP805 watchdog driver (Arm Watchdog Module SP805 TRM, DDI 0270B,
 * 3.3): the device tree's "arm,sp805" node, clocked by its first
 * fixed-clock (24 MHz if the tree names none). The counter runs down
 * twice before the reset output fires (an interrupt at the first zero,
 * the reset at the second unless the interrupt was cleared), so the load
 * is half the timeout. Petting clears the interrupt, which reloads the
 * counter.
 */
#include "internal.h"

#define WDOGLOAD 0x000
#define WDOGCONTROL 0x008
#define WDOGINTCLR 0x00c
#define WDOGLOCK 0xc00
#define CTL_INTEN_RESEN 3u
#define LOCK_KEY 0x1acce551u
#define DEFAULT_CLOCK_HZ 24000000u

static uint64_t wdog_base;

static void wr(uint64_t off, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]"
			 :
			 : "r"(v), "r"(wdog_base + off)
			 : "memory");
}

/** keel_wdog_start() - See keel.h. */
int keel_wdog_start(uint32_t timeout_ms)
{
	const struct board *b = board_get();
	uint64_t hz = b->wdog_clock_hz != 0 ? b->wdog_clock_hz
					    : DEFAULT_CLOCK_HZ;
	uint64_t load = hz / 2 * timeout_ms / 1000;

	if (b->wdog == 0) {
		return KEEL_EINVAL;
	}
	if (timeout_ms == 0 || load == 0 || load > 0xffffffffull) {
		return KEEL_EINVAL;
	}
	wdog_base = b->wdog;
	wr(WDOGLOCK, LOCK_KEY);
	wr(WDOGLOAD, (uint32_t)(load - 1));
	wr(WDOGINTCLR, 1);
	wr(WDOGCONTROL, CTL_INTEN_RESEN);
	wr(WDOGLOCK, 0);
	return KEEL_OK;
}

/** keel_wdog_pet() - See keel.h. */
void keel_wdog_pet(void)
{
	if (wdog_base == 0) {
		return;
	}
	wr(WDOGLOCK, LOCK_KEY);
	wr(WDOGINTCLR, 1);
	wr(WDOGLOCK, 0);
}
