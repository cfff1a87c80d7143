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
	uint64_t reserved[2];	  /* 0x70 */
	/* 0x80: exits per vCPU, indexed by enum vcpu_exit (names in
	 * docs/lifecycle.md: irq maint hvc smc sysreg gic uart gpio wdog
	 * abort wfx other). */
	uint64_t exits[HV_STATS_VCPUS][HV_STATS_EXITS];
};

_Static_assert(sizeof(struct hv_stats) == 0x80 + 8 * 16 * 8,
	       "struct hv_stats layout is an ABI");
_Static_assert(sizeof(struct hv_stats) <= HV_STATS_PAGE,
	       "struct hv_stats must fit one page");

#endif /* HV_STATS_H */
