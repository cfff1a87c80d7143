/* SPDX-License-Identifier: MIT */
/*
 * Per-partition counters, kept in one 4 KiB page per partition. The page
 * is the storage of record: the hypervisor counts into it and cleans each
 * updated line to the point of coherency, so a monitor partition that has
 * the page mapped read-only (its `monitor` property) reads current values
 * even through an uncached mapping. The layout is an ABI: docs/lifecycle.md
 * describes it, payloads/linux/tools/bhtool.c reads it. Only fixed-width
 * types; little-endian.
 */
#ifndef HV_STATS_H
#define HV_STATS_H

#include <stdint.h>

#define HV_STATS_MAGIC 0x54534842u /* "BHST" */
#define HV_STATS_VERSION 1u
#define HV_STATS_VCPUS 8
#define HV_STATS_EXITS 16 /* room for enum vcpu_exit */
#define HV_STATS_PAGE 4096

/** One partition's counters (offsets fixed; docs/lifecycle.md). */
struct hv_stats {
	uint32_t magic;		  /* 0x00: HV_STATS_MAGIC */
	uint32_t version;	  /* 0x04: HV_STATS_VERSION */
	char name[32];		  /* 0x08: partition name, NUL-terminated */
	uint32_t index;		  /* 0x28: partition index */
	uint32_t vcpu_count;	  /* 0x2c */
	uint32_t state;		  /* 0x30: 0 running, 1 stopped, 2 resetting */
	uint32_t exit_kinds;	  /* 0x34: counters used per vCPU */
	uint64_t restarts;	  /* 0x38: completed restarts */
	uint64_t faults;	  /* 0x40: traps and stage-2 faults, total */
	uint64_t wdog_expiries;	  /* 0x48: watchdog reset outputs */
	uint64_t irqs_injected;	  /* 0x50: interrupts made pending for it */
	uint64_t started_at;	  /* 0x58: physical counter at last start */
	uint64_t counter_hz;	  /* 0x60: its frequency */
	uint64_t dma_faults;	  /* 0x68: DMA faults its devices caused
				   * (recorded by the SMMU, all
				   * incarnations) */
	uint64_t doorbells_coalesced; /* 0x70: its doorbell line changes
				       * merged by the budget */
	uint64_t console_dropped; /* 0x78: console bytes dropped */
	/* 0x80: exits per vCPU, indexed by enum vcpu_exit (names in
	 * docs/lifecycle.md: irq maint hvc smc sysreg gic uart gpio wdog
	 * abort wfx other). */
	uint64_t exits[HV_STATS_VCPUS][HV_STATS_EXITS];
	/* 0x480: memory-bandwidth regulation (docs/isolation.md); all 0 for
	 * a partition that is not regulated. */
	uint32_t mem_budget;	/* 0x480: events per period, per core */
	uint32_t mem_period_us; /* 0x484 */
	uint32_t mem_event;	/* 0x488: PMU event counted */
	uint32_t mem_pad;	/* 0x48c */
	/* 0x490: per vCPU (its core), 5 counters each */
	struct hv_stats_mem {
		uint64_t periods;	  /* periods ended */
		uint64_t throttled;	  /* periods in which it was throttled */
		uint64_t throttled_ticks; /* counter ticks spent throttled */
		uint64_t last_events;	  /* events counted in the last period */
		uint64_t max_events;	  /* most events counted in one period */
	} mem[HV_STATS_VCPUS];
};

_Static_assert(sizeof(struct hv_stats) == 0x490 + 8 * 5 * 8,
	       "struct hv_stats layout is an ABI");
_Static_assert(sizeof(struct hv_stats) <= HV_STATS_PAGE,
	       "struct hv_stats must fit one page");

#endif /* HV_STATS_H */
