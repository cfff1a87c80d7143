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

/* ---- a PMU overflow SPI per core (zcu102, rpi4) ---- */

static void spi_board(void)
{
	valid();
	cfg.board.pmu_irq = 0;
	for (uint32_t i = 0; i < 4; i++) {
		cfg.board.pmu_spis[i] = 64 + i;
	}
}

TEST(regulate, validator_accepts_pmu_spis)
{
	spi_board();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha()->mem_budget = 200000;
	alpha()->mem_period_us = 1000;
	alpha()->mem_event = HV_MEM_EVENT_AUTO;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(regulate, validator_refuses_bad_pmu_spis)
{
	spi_board();
	cfg.board.pmu_irq = 23; /* a PPI and SPIs */
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "pmu/interrupts");
	spi_board();
	cfg.board.pmu_irq = 32; /* not a PPI */
	cfg.board.pmu_spis[0] = 0;
	cfg.board.pmu_spis[1] = 0;
	cfg.board.pmu_spis[2] = 0;
	cfg.board.pmu_spis[3] = 0;
	CHECK_DIAG(CFG_E_BOARD, -1, -1, "pmu/interrupts");
	spi_board();
	cfg.board.pmu_spis[3] = 0; /* a core without its SPI */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "pmu/interrupts", 3);
	spi_board();
	cfg.board.pmu_spis[4] = 68; /* a core the board does not have */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "pmu/interrupts", 4);
	spi_board();
	cfg.board.pmu_spis[1] = 23; /* a PPI */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "pmu/interrupts", 1);
	spi_board();
	cfg.board.pmu_spis[1] = 32 + 256; /* past the GIC's SPIs */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "pmu/interrupts", 1);
	spi_board();
	cfg.board.pmu_spis[2] = cfg.board.uart_irq;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "pmu/interrupts", 2);
	spi_board();
	cfg.board.pmu_spis[3] = 65; /* core 1's as well */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "pmu/interrupts", 3);
}

/* The SPIs are the hypervisor's: a partition device with one is refused,
 * whether or not anything is regulated (alpha's GPIO has SPI 39, beta's
 * virtio 48 and 49). */
TEST(regulate, validator_refuses_a_pmu_spi_to_a_partition)
{
	spi_board();
	cfg.board.pmu_spis[2] = 39;
	CHECK_DIAG(CFG_E_IRQ_TWO_OWNERS, 0, -1, "devices");
	EXPECT_EQ(cfg_pmu_spi_core(&cfg.board, 39), 2);
	spi_board();
	cfg.board.pmu_spis[0] = 49;
	CHECK_DIAG(CFG_E_IRQ_TWO_OWNERS, 1, -1, "devices");
	EXPECT_EQ(cfg_pmu_spi_core(&cfg.board, 64), -1);
}

TEST(regulate, pmu_intid_of_each_core)
{
	spi_board();
	for (unsigned i = 0; i < 4; i++) {
		EXPECT_EQ(regulate_pmu_intid(&cfg.board, i), 64 + i);
	}
	regulated(); /* the PPI board: the same PPI on every core */
	EXPECT_EQ(regulate_pmu_intid(&cfg.board, 0), 23u);
	EXPECT_EQ(regulate_pmu_intid(&cfg.board, 3), 23u);
}

/* GICv3: each core's SPI level-sensitive, at the given priority, routed
 * by GICD_IROUTER to that core's affinity alone (Interrupt_Routing_Mode
 * 0; MPIDR's bit 31 and MT bit 24 are not affinity), enabled. */
TEST(regulate, spi_plan_gicv3_routes_each_core_to_itself)
{
	struct regulate_spi_plan p;
	static const uint64_t mpidr[4] = { 0x80000000ULL, 0x80000001ULL,
					   0x181000102ULL, 0x200010000ULL };

	spi_board();
	for (unsigned i = 0; i < 4; i++) {
		cfg.board.cpu_mpidr[i] = mpidr[i];
	}
	for (unsigned i = 0; i < 4; i++) {
		uint32_t n = 64 + i;

		memset(&p, 0xa5, sizeof(p));
		EXPECT_TRUE(regulate_spi_plan(&cfg.board, i, NULL, 0x80, &p));
		EXPECT_EQ(p.intid, n);
		EXPECT_EQ(p.icfgr, 0xc00u + 4u * (n / 16u));
		EXPECT_EQ(p.icfgr_bit, 2u << (2u * (n % 16u)));
		EXPECT_EQ(p.ipriorityr, 0x400u + n);
		EXPECT_EQ(p.prio, 0x80u);
		EXPECT_EQ(p.route_bytes, 8u);
		EXPECT_EQ(p.route, 0x6000u + 8u * n);
		EXPECT_EQ(p.isenabler, 0x100u + 4u * (n / 32u));
		EXPECT_EQ(p.isenabler_bit, 1u << (n % 32u));
	}
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 0, NULL, 0x80, &p));
	EXPECT_EQ(p.route_val, 0x0ULL);
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 1, NULL, 0x80, &p));
	EXPECT_EQ(p.route_val, 0x1ULL);
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 2, NULL, 0x80, &p));
	EXPECT_EQ(p.route_val, 0x100000102ULL);
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 3, NULL, 0x80, &p));
	EXPECT_EQ(p.route_val, 0x200010000ULL);
	/* INTID 64: GICD_ICFGR4 bits 1:0, GICD_ISENABLER2 bit 0. */
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 0, NULL, 0x80, &p));
	EXPECT_EQ(p.icfgr, 0xc10u);
	EXPECT_EQ(p.icfgr_bit, 0x2u);
	EXPECT_EQ(p.isenabler, 0x108u);
	EXPECT_EQ(p.isenabler_bit, 0x1u);
}

/* GICv2 (zcu102, rpi4): GICD_ITARGETSR byte n = the core's own CPU
 * interface bit, as each core read it from GICD_ITARGETSR0. The zcu102's
 * core 0 and 1 SPIs, 175 and 176, as regulate_zcu102_spi.test sees QEMU
 * written. */
TEST(regulate, spi_plan_gicv2_targets_each_core_alone)
{
	struct regulate_spi_plan p;
	static const uint8_t cpu_if[4] = { 0x01, 0x02, 0x04, 0x08 };

	spi_board();
	cfg.board.gic_version = HV_GIC_V2;
	for (unsigned i = 0; i < 4; i++) {
		EXPECT_TRUE(regulate_spi_plan(&cfg.board, i, cpu_if, 0x80, &p));
		EXPECT_EQ(p.route_bytes, 1u);
		EXPECT_EQ(p.route, 0x800u + 64u + i);
		EXPECT_EQ(p.route_val, (uint64_t)cpu_if[i]);
	}
	cfg.board.spi_count = 160;
	cfg.board.pmu_spis[0] = 175;
	cfg.board.pmu_spis[1] = 176;
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 0, cpu_if, 0x80, &p));
	EXPECT_EQ(p.icfgr, 0xc28u);
	EXPECT_EQ(p.icfgr_bit, 0x80000000u);
	EXPECT_EQ(p.ipriorityr, 0x4afu);
	EXPECT_EQ(p.route, 0x8afu);
	EXPECT_EQ(p.route_val, 0x01ULL);
	EXPECT_EQ(p.isenabler, 0x114u);
	EXPECT_EQ(p.isenabler_bit, 0x8000u);
	EXPECT_TRUE(regulate_spi_plan(&cfg.board, 1, cpu_if, 0x80, &p));
	EXPECT_EQ(p.icfgr, 0xc2cu);
	EXPECT_EQ(p.icfgr_bit, 0x2u);
	EXPECT_EQ(p.route, 0x8b0u);
	EXPECT_EQ(p.route_val, 0x02ULL);
	EXPECT_EQ(p.isenabler_bit, 0x10000u);
}

TEST(regulate, spi_plan_only_for_spi_boards)
{
	struct regulate_spi_plan p;

	regulated(); /* the PPI board: gic_enable_hv_ppi() instead */
	EXPECT_TRUE(!regulate_spi_plan(&cfg.board, 0, NULL, 0x80, &p));
	spi_board();
	EXPECT_TRUE(!regulate_spi_plan(&cfg.board, 4, NULL, 0x80, &p));
	EXPECT_TRUE(!regulate_spi_plan(&cfg.board, HV_MAX_CPUS, NULL, 0x80,
				       &p));
}
