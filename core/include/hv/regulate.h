/* SPDX-License-Identifier: MIT */
/*
 * Memory-bandwidth regulation, MemGuard style (docs/isolation.md): each
 * core of a regulated partition may count at most `memory-budget` events
 * of one PMU event per `memory-period-us`. An event counter reserved for
 * EL2 (MDCR_EL2.HPMN) is preset so that it overflows after the budget;
 * its overflow interrupt throttles the core's vCPU (held at EL2 in WFI)
 * until the period ends on the EL2 timer, where the counter is preset
 * again and the period's figures are recorded.
 *
 * The arithmetic and bookkeeping here are pure (host-tested,
 * tests/host/test_regulate.c); the PMU and the wait are
 * arch/arm64/regulate.c.
 */
#ifndef HV_REGULATE_H
#define HV_REGULATE_H

#include <stdbool.h>
#include <stdint.h>

/* Common PMU event numbers (Arm ARM DDI 0487 J.a, chapter D13 "The
 * Performance Monitors Extension", common architectural and
 * microarchitectural events). */
#define PMU_EV_INST_RETIRED 0x08u
#define PMU_EV_L2D_CACHE_REFILL 0x17u
#define PMU_EV_BUS_ACCESS 0x19u

/** One core's regulation state (struct pcpu, own core only). */
struct regulate_core {
	uint32_t on;	    /* this core's vCPU is regulated */
	uint32_t throttled; /* overflowed this period: held at EL2 */
	uint32_t counter;   /* the reserved event counter: PMCR_EL0.N - 1 */
	uint32_t preset;    /* value loaded at each period start */
	uint32_t irq;	    /* INTID of its overflow: the PPI or its SPI */
	uint64_t period;    /* counter ticks */
	uint64_t due;	    /* end of the current period (counter tick) */
	uint64_t throttle_start; /* counter tick the throttle began */
};

/** Per-period figures of one core (the stats page holds a copy). */
struct regulate_acct {
	uint64_t periods;	  /* periods ended */
	uint64_t throttled;	  /* periods in which it was throttled */
	uint64_t throttled_ticks; /* ticks spent throttled */
	uint64_t last_events;	  /* events counted in the last period */
	uint64_t max_events;	  /* most events counted in one period */
};

/* The 32-bit value that overflows after @budget (1..2^31) more events. */
static inline uint32_t regulate_preset(uint32_t budget)
{
	return (uint32_t)(0x100000000ULL - budget);
}

uint64_t regulate_events(uint32_t preset, uint32_t now, bool overflowed);
uint64_t regulate_period_ticks(uint32_t period_us, uint64_t hz);
uint64_t regulate_next_due(uint64_t due, uint64_t period, uint64_t now,
			   uint64_t *skipped);
void regulate_account(struct regulate_acct *a, uint64_t events,
		      bool throttled, uint64_t throttled_ticks);
uint32_t regulate_pick_event(uint32_t wanted, uint64_t pmceid0);

struct hv_board_desc;

/**
 * The GIC distributor writes that make board core @core's PMU overflow
 * SPI the hypervisor's (regulate_spi_plan(); arch/arm64/gicv2.c and
 * gicv3.c apply them): offsets from the distributor base.
 */
struct regulate_spi_plan {
	uint32_t intid;
	uint32_t icfgr;	       /* GICD_ICFGR<n>: clear icfgr_bit (level) */
	uint32_t icfgr_bit;
	uint32_t ipriorityr;   /* GICD_IPRIORITYR<n> byte: prio */
	uint8_t prio;
	uint8_t route_bytes;   /* 8: GICD_IROUTER<n>; 1: GICD_ITARGETSR<n> */
	uint32_t route;	       /* its offset */
	uint64_t route_val;
	uint32_t isenabler;    /* GICD_ISENABLER<n>: write isenabler_bit */
	uint32_t isenabler_bit;
};

uint32_t regulate_pmu_intid(const struct hv_board_desc *b, unsigned core);
bool regulate_spi_plan(const struct hv_board_desc *b, unsigned core,
		       const uint8_t *cpu_if, uint8_t prio,
		       struct regulate_spi_plan *p);

#endif /* HV_REGULATE_H */
