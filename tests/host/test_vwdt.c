/* SPDX-License-Identifier: MIT */
/*
 * The emulated SP805 (core/vwdt.c): PrimeCell IDs, lock, the counter as a
 * function of time, interrupt then reset, the ping Linux's sp805_wdt
 * driver does (WdogIntClr), and its "restart now" sequence (load 0).
 */
#include "harness.h"
#include "hv/vwdt.h"

static uint64_t rd(struct vwdt *w, uint64_t off, uint64_t now)
{
	uint64_t v = 0xdeadbeef;

	if (vwdt_read(w, off, 4, now, &v) != VWDT_OK) {
		return 0xbadbadbadULL;
	}
	return v;
}

/* A write; any refusal shows up as the register keeping its old value. */
static void wr(struct vwdt *w, uint64_t off, uint32_t val, uint64_t now)
{
	(void)vwdt_write(w, off, 4, val, now);
}

TEST(vwdt, reset_values_and_ids)
{
	struct vwdt w;
	static const uint32_t ids[8] = { 0x05, 0x18, 0x14, 0x00,
					 0x0d, 0xf0, 0x05, 0xb1 };

	vwdt_reset(&w);
	EXPECT_EQ(rd(&w, 0x000, 0), 0xffffffffu);
	EXPECT_EQ(rd(&w, 0x004, 0), 0xffffffffu);
	EXPECT_EQ(rd(&w, 0x008, 0), 0u);
	EXPECT_EQ(rd(&w, 0x010, 0), 0u);
	EXPECT_EQ(rd(&w, 0xc00, 0), 0u);
	for (unsigned i = 0; i < 8; i++) {
		EXPECT_EQ(rd(&w, 0xfe0 + 4 * i, 0), ids[i]);
	}
	EXPECT_EQ(vwdt_reset_due(&w), VWDT_NEVER);
	/* Stopped: time passing changes nothing. */
	EXPECT_TRUE(!vwdt_advance(&w, 1000000000ULL));
	EXPECT_EQ(rd(&w, 0x004, 1000000000ULL), 0xffffffffu);
}

TEST(vwdt, bad_widths_refused)
{
	struct vwdt w;
	uint64_t v;

	vwdt_reset(&w);
	EXPECT_EQ(vwdt_read(&w, 0x000, 1, 0, &v), VWDT_BAD_ACCESS);
	EXPECT_EQ(vwdt_read(&w, 0x002, 4, 0, &v), VWDT_BAD_ACCESS);
	EXPECT_EQ(vwdt_read(&w, 0x000, 8, 0, &v), VWDT_BAD_ACCESS);
	EXPECT_EQ(vwdt_write(&w, 0x000, 2, 1, 0), VWDT_BAD_ACCESS);
	EXPECT_EQ(rd(&w, 0x000, 0), 0xffffffffu);
}

TEST(vwdt, lock_blocks_writes)
{
	struct vwdt w;

	vwdt_reset(&w);
	wr(&w, 0xc00, 0, 0); /* any value but the key locks */
	EXPECT_EQ(rd(&w, 0xc00, 0), 1u);
	wr(&w, 0x000, 100, 0);
	wr(&w, 0x008, 3, 0);
	EXPECT_EQ(rd(&w, 0x000, 0), 0xffffffffu);
	EXPECT_EQ(rd(&w, 0x008, 0), 0u);
	wr(&w, 0xc00, 0x1acce551, 0);
	EXPECT_EQ(rd(&w, 0xc00, 0), 0u);
	wr(&w, 0x000, 100, 0);
	EXPECT_EQ(rd(&w, 0x000, 0), 100u);
}

TEST(vwdt, counts_interrupts_then_resets)
{
	struct vwdt w;

	vwdt_reset(&w);
	wr(&w, 0x000, 99, 1000); /* 100 ticks to each zero */
	wr(&w, 0x008, 3, 1000);	 /* INTEN | RESEN: starts from load */
	EXPECT_EQ(rd(&w, 0x004, 1010), 89u);
	/* Reset at the second zero: 1000 + 100 + 100. */
	EXPECT_EQ(vwdt_reset_due(&w), 1200u);
	EXPECT_TRUE(!vwdt_advance(&w, 1099));
	EXPECT_EQ(rd(&w, 0x010, 1099), 0u);
	EXPECT_TRUE(!vwdt_advance(&w, 1100));
	EXPECT_EQ(rd(&w, 0x010, 1100), 1u);
	EXPECT_EQ(rd(&w, 0x014, 1100), 1u);
	EXPECT_EQ(rd(&w, 0x004, 1100), 99u); /* reloaded */
	EXPECT_EQ(vwdt_reset_due(&w), 1200u);
	EXPECT_TRUE(!vwdt_advance(&w, 1199));
	EXPECT_TRUE(vwdt_advance(&w, 1200));
	/* It goes on: another period, another reset. */
	EXPECT_EQ(vwdt_reset_due(&w), 1300u);
}

TEST(vwdt, linux_ping_keeps_it_alive)
{
	struct vwdt w;
	uint64_t t = 0;

	vwdt_reset(&w);
	/* sp805_wdt's enable: unlock, load, clear, INTEN|RESEN, lock. */
	wr(&w, 0xc00, 0x1acce551, t);
	wr(&w, 0x000, 999, t);
	wr(&w, 0x00c, 1, t);
	wr(&w, 0x008, 3, t);
	wr(&w, 0xc00, 1, t);
	for (int i = 0; i < 50; i++) {
		t += 1500; /* past the interrupt, before the reset */
		EXPECT_TRUE(!vwdt_advance(&w, t));
		wr(&w, 0xc00, 0x1acce551, t);
		wr(&w, 0x000, 999, t);
		wr(&w, 0x00c, 1, t);
		wr(&w, 0xc00, 1, t);
	}
	EXPECT_EQ(vwdt_reset_due(&w), t + 2000);
	/* Pings stop: the reset fires 2000 ticks after the last one. */
	EXPECT_TRUE(!vwdt_advance(&w, t + 1999));
	EXPECT_TRUE(vwdt_advance(&w, t + 2000));
}

TEST(vwdt, stop_freezes_and_restart_reloads)
{
	struct vwdt w;

	vwdt_reset(&w);
	wr(&w, 0x000, 1000, 0);
	wr(&w, 0x008, 3, 0);
	wr(&w, 0x008, 0, 400); /* stopped at 600 */
	EXPECT_EQ(rd(&w, 0x004, 5000), 600u);
	EXPECT_EQ(vwdt_reset_due(&w), VWDT_NEVER);
	EXPECT_TRUE(!vwdt_advance(&w, 1000000));
	wr(&w, 0x008, 3, 10000); /* enabling reloads from WdogLoad */
	EXPECT_EQ(rd(&w, 0x004, 10000), 1000u);
	EXPECT_EQ(vwdt_reset_due(&w), 10000u + 1001 + 1001);
}

TEST(vwdt, interrupt_only_never_resets_and_skips_fast)
{
	struct vwdt w;

	vwdt_reset(&w);
	wr(&w, 0x000, 0, 0);
	wr(&w, 0x008, 1, 0); /* INTEN only: interrupts, no reset */
	EXPECT_EQ(vwdt_reset_due(&w), VWDT_NEVER);
	/* A period of one tick over 2^40 ticks must not loop 2^40 times. */
	EXPECT_TRUE(!vwdt_advance(&w, 1ULL << 40));
	EXPECT_EQ(rd(&w, 0x010, 1ULL << 40), 1u);
}

TEST(vwdt, load_zero_restarts_at_once)
{
	struct vwdt w;

	vwdt_reset(&w);
	/* sp805_wdt's restart handler: control 0, load 0, INTEN|RESEN. */
	wr(&w, 0x008, 0, 500);
	wr(&w, 0x000, 0, 500);
	wr(&w, 0x008, 3, 500);
	EXPECT_EQ(vwdt_reset_due(&w), 502u);
	EXPECT_TRUE(vwdt_advance(&w, 502));
}

/*
 * Issue 15 item 6: WdogLoad = 1 with the reset enabled fires every 2-3
 * ticks. The hypervisor's next look is never sooner than 1 ms after the
 * last, and one advance over a long gap reports one expiry and catches up
 * (the model's counter is near @now again, not thousands of periods back).
 */
TEST(vwdt, tiny_load_checked_at_most_once_a_millisecond)
{
	struct vwdt w;
	uint64_t now = 1000;

	vwdt_reset(&w);
	wr(&w, 0x000, 1, now);
	wr(&w, 0x008, 3, now); /* INTEN | RESEN */
	EXPECT_TRUE(vwdt_reset_due(&w) <= now + 4);
	EXPECT_EQ(vwdt_check_at(&w, now), now + VWDT_MIN_CHECK_TICKS);
	for (int i = 0; i < 100; i++) {
		uint64_t next = vwdt_check_at(&w, now);

		EXPECT_TRUE(next >= now + VWDT_MIN_CHECK_TICKS);
		now = next;
		EXPECT_TRUE(vwdt_advance(&w, now));
		/* Caught up: the counter started less than a period ago. */
		EXPECT_TRUE(now - w.start < 2);
		EXPECT_TRUE(rd(&w, 0x004, now) <= 1);
	}
	/* A stopped watchdog is never looked at. */
	wr(&w, 0x008, 0, now);
	EXPECT_EQ(vwdt_check_at(&w, now), VWDT_NEVER);
	/* A long timeout is looked at when it is due, not earlier. */
	wr(&w, 0x000, 24000000, now);
	wr(&w, 0x008, 3, now);
	EXPECT_EQ(vwdt_check_at(&w, now), vwdt_reset_due(&w));
}
