/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for memory-bandwidth regulation (core/regulate.c,
 * docs/isolation.md): the counter preset and the events counted from it,
 * periods in counter ticks and their grid, the per-period bookkeeping, the
 * choice of event from PMCEID0/1_EL0, and the validator's regulation rule
 * (CFG_E_REGULATION).
 */
#include "hv/config.h"
#include "hv/config_validate.h"
#include "hv/regulate.h"

#include "cfg_fixture.h"
#include "harness.h"

TEST(regulate, preset_overflows_after_the_budget)
{
	EXPECT_EQ(regulate_preset(1), 0xffffffffu);
	EXPECT_EQ(regulate_preset(200000), 0xfffcf2c0u);
	EXPECT_EQ(regulate_preset(HV_MEM_BUDGET_MAX), 0x80000000u);
	/* budget events later the 32-bit counter wraps to 0. */
	EXPECT_EQ((uint32_t)(regulate_preset(200000) + 200000u), 0u);
}

TEST(regulate, events_counted_from_the_preset)
{
	uint32_t p = regulate_preset(200000);

	EXPECT_EQ(regulate_events(p, p, false), 0u);
	EXPECT_EQ(regulate_events(p, p + 150000u, false), 150000u);
	/* Overflowed: the budget, then what counted past the wrap (the
	 * interrupt's latency). */
	EXPECT_EQ(regulate_events(p, 0, true), 200000u);
	EXPECT_EQ(regulate_events(p, 13083, true), 213083u);
	/* The largest budget, overflowed by a little. */
	EXPECT_EQ(regulate_events(regulate_preset(HV_MEM_BUDGET_MAX), 5, true),
		  0x80000005ULL);
}

TEST(regulate, period_in_counter_ticks)
{
	EXPECT_EQ(regulate_period_ticks(1000, 62500000), 62500u);
	EXPECT_EQ(regulate_period_ticks(1000, 1000000000), 1000000u);
	EXPECT_EQ(regulate_period_ticks(100, 19200000), 1920u);
	EXPECT_EQ(regulate_period_ticks(1000000, 54000000), 54000000u);
	/* A frequency that is not a whole number of MHz keeps its
	 * remainder; a period is never 0 ticks. */
	EXPECT_EQ(regulate_period_ticks(1000, 1500000), 1500u);
	EXPECT_EQ(regulate_period_ticks(100, 1000), 1u);
}

TEST(regulate, periods_stay_on_their_grid)
{
	uint64_t skipped = 99;

	/* Served late within the next period: the next end is one period on. */
	EXPECT_EQ(regulate_next_due(1000, 500, 1000, &skipped), 1500u);
	EXPECT_EQ(skipped, 0u);
	EXPECT_EQ(regulate_next_due(1000, 500, 1499, &skipped), 1500u);
	EXPECT_EQ(skipped, 0u);
	/* Whole periods missed are skipped, never run back to back. */
	EXPECT_EQ(regulate_next_due(1000, 500, 1500, &skipped), 2000u);
	EXPECT_EQ(skipped, 1u);
	EXPECT_EQ(regulate_next_due(1000, 500, 3720, &skipped), 4000u);
	EXPECT_EQ(skipped, 5u);
}

TEST(regulate, bookkeeping_per_period)
{
	struct regulate_acct a = { 0 };

	regulate_account(&a, 150000, false, 12345);
	EXPECT_EQ(a.periods, 1u);
	EXPECT_EQ(a.throttled, 0u);
	EXPECT_EQ(a.throttled_ticks, 0u); /* not throttled: not counted */
	EXPECT_EQ(a.last_events, 150000u);
	EXPECT_EQ(a.max_events, 150000u);
	regulate_account(&a, 213083, true, 49000);
	regulate_account(&a, 200100, true, 51000);
	EXPECT_EQ(a.periods, 3u);
	EXPECT_EQ(a.throttled, 2u);
	EXPECT_EQ(a.throttled_ticks, 100000u);
	EXPECT_EQ(a.last_events, 200100u);
	EXPECT_EQ(a.max_events, 213083u);
}

TEST(regulate, event_from_pmceid)
{
	uint64_t a53 = (1ULL << 0x08) | (1ULL << 0x17) | (1ULL << 0x19);
	uint64_t bus_only = (1ULL << 0x19);
	uint64_t qemu = (1ULL << 0x00) | (1ULL << 0x08) | (1ULL << 0x11);

	EXPECT_EQ(regulate_pick_event(HV_MEM_EVENT_AUTO, a53),
		  PMU_EV_L2D_CACHE_REFILL);
	EXPECT_EQ(regulate_pick_event(HV_MEM_EVENT_AUTO, bus_only),
		  PMU_EV_BUS_ACCESS);
	EXPECT_EQ(regulate_pick_event(HV_MEM_EVENT_AUTO, qemu),
		  HV_MEM_EVENT_AUTO);
	EXPECT_EQ(regulate_pick_event(PMU_EV_INST_RETIRED, qemu),
		  PMU_EV_INST_RETIRED);
	EXPECT_EQ(regulate_pick_event(PMU_EV_BUS_ACCESS, qemu),
		  HV_MEM_EVENT_AUTO);
	/* PMCEID1_EL0 in the upper half: event 0x24 is bit 36. */
	EXPECT_EQ(regulate_pick_event(0x24, 1ULL << 0x24), 0x24u);
	EXPECT_EQ(regulate_pick_event(0x40, ~0ULL), HV_MEM_EVENT_AUTO);
}

/* ---- the validator (one negative test per way to break the rule) ---- */

static void regulated(void)
{
	valid();
	cfg.board.pmu_irq = 23;
	alpha()->mem_budget = 200000;
	alpha()->mem_period_us = 1000;
	alpha()->mem_event = HV_MEM_EVENT_AUTO;
}

TEST(regulate, validator_accepts_a_regulated_partition)
{
	regulated();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha()->mem_event = PMU_EV_INST_RETIRED;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha()->mem_budget = HV_MEM_BUDGET_MAX;
	alpha()->mem_period_us = HV_MEM_PERIOD_MAX_US;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(regulate, validator_refuses_bad_regulation)
{
	regulated();
	alpha()->mem_budget = 0;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-budget");
	regulated();
	alpha()->mem_budget = HV_MEM_BUDGET_MAX + 1;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-budget");
	regulated();
	alpha()->mem_period_us = 0;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-period-us");
	regulated();
	alpha()->mem_period_us = HV_MEM_PERIOD_MIN_US - 1;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-period-us");
	regulated();
	alpha()->mem_period_us = HV_MEM_PERIOD_MAX_US + 1;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-period-us");
	regulated();
	alpha()->mem_event = 0;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-event");
	regulated();
	alpha()->mem_event = HV_MEM_EVENT_MAX + 1;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-event");
	regulated();
	alpha()->flags |= HV_PART_PMU;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "pmu");
	regulated();
	cfg.board.pmu_irq = 0;
	CHECK_DIAG(CFG_E_REGULATION, 0, -1, "memory-budget");
}
