/* SPDX-License-Identifier: MIT */
/*
 * The doorbell budget (core/doorbell.c): rings inside the budget pass at
 * once, a storm is held to one pulse per interval, held-back changes are
 * delivered (never lost) and counted, and an interval of 0 is no budget.
 */
#include "harness.h"
#include "hv/doorbell.h"

#define IV 1000u

/* A ring (rise, fall) at @t; returns how many changes passed at once. */
static int ring(struct doorbell *d, uint64_t t)
{
	return doorbell_drive(d, true, t, IV) + doorbell_drive(d, false, t, IV);
}

TEST(doorbell, rings_within_budget_pass_at_once)
{
	struct doorbell d;

	doorbell_reset(&d);
	for (uint64_t t = 0; t < 10 * IV; t += IV) {
		EXPECT_EQ(ring(&d, t), 2);
		EXPECT_EQ(doorbell_due(&d), DOORBELL_NEVER);
	}
	EXPECT_EQ(d.coalesced, 0u);
	EXPECT_TRUE(!d.seen);
}

TEST(doorbell, storm_is_one_pulse_per_interval)
{
	struct doorbell d;
	uint64_t t = 5, delivered = 0;

	doorbell_reset(&d);
	EXPECT_EQ(ring(&d, t), 2);
	/* 1000 more rings in the same interval: all held back. */
	for (int i = 0; i < 1000; i++) {
		EXPECT_EQ(ring(&d, t + 1 + (uint64_t)i / 2), 0);
	}
	EXPECT_EQ(doorbell_due(&d), t + IV);
	/* Not before the interval ends. */
	EXPECT_EQ(doorbell_flush(&d, false, t + IV - 1, IV), DOORBELL_NONE);
	/* Then one pulse: the line ended low, where the receiver saw it. */
	EXPECT_EQ(doorbell_flush(&d, false, t + IV, IV), DOORBELL_PULSE);
	EXPECT_EQ(d.coalesced, 2000u - 2u);
	EXPECT_EQ(doorbell_due(&d), DOORBELL_NEVER);
	/* A storm that goes on: one pulse per interval, the rest counted. */
	for (uint64_t n = 1; n <= 100; n++) {
		uint64_t start = t + n * IV;

		for (int i = 0; i < 50; i++) {
			delivered += (uint64_t)ring(&d, start + (uint64_t)i);
		}
		if (doorbell_flush(&d, false, doorbell_due(&d), IV) ==
		    DOORBELL_PULSE) {
			delivered += 2;
		}
	}
	EXPECT_EQ(delivered, 200u);
	EXPECT_EQ(d.coalesced, 1998u + 100u * 100u - 200u);
}

TEST(doorbell, held_back_level_is_delivered)
{
	struct doorbell d;

	doorbell_reset(&d);
	EXPECT_EQ(ring(&d, 0), 2);
	/* The writer raises its line and holds it (a level request). */
	EXPECT_TRUE(!doorbell_drive(&d, true, 10, IV));
	EXPECT_TRUE(!d.seen);
	EXPECT_EQ(doorbell_flush(&d, true, IV, IV), DOORBELL_LEVEL);
	EXPECT_TRUE(d.seen);
	EXPECT_EQ(d.coalesced, 0u);
	/* The fall that answers it is the window's second change: at once. */
	EXPECT_TRUE(doorbell_drive(&d, false, IV + 1, IV));
	EXPECT_TRUE(!d.seen);
	/* Rise, fall, rise held back: delivered as the level, two merged. */
	EXPECT_TRUE(!doorbell_drive(&d, true, IV + 2, IV));
	EXPECT_TRUE(!doorbell_drive(&d, false, IV + 3, IV));
	EXPECT_TRUE(!doorbell_drive(&d, true, IV + 4, IV));
	EXPECT_EQ(doorbell_flush(&d, true, 2 * IV + 1, IV), DOORBELL_LEVEL);
	EXPECT_EQ(d.coalesced, 2u);
}

TEST(doorbell, zero_interval_is_no_budget)
{
	struct doorbell d;

	doorbell_reset(&d);
	for (uint64_t t = 0; t < 1000; t++) {
		EXPECT_TRUE(doorbell_drive(&d, true, 7, 0));
		EXPECT_TRUE(doorbell_drive(&d, false, 7, 0));
	}
	EXPECT_EQ(doorbell_due(&d), DOORBELL_NEVER);
	EXPECT_EQ(d.coalesced, 0u);
}
