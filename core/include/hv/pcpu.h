/* SPDX-License-Identifier: MIT */
/*
 * Per-core state. TPIDR_EL2 points at the running core's struct pcpu, set
 * once at boot. Only the embedded vCPU's shared fields are touched by other
 * cores.
 */
#ifndef HV_PCPU_H
#define HV_PCPU_H

#include <stdint.h>

#include "hv/config.h"
#include "hv/regulate.h"
#include "hv/vcpu.h"

#define HV_STACK_SHIFT 14 /* 16 KiB stacks, each below a 16 KiB guard */
#define HV_STACK_SIZE (1UL << HV_STACK_SHIFT)

/** One physical core. */
struct pcpu {
	struct vcpu vcpu;   /* first: regs at offset 0 */
	uint64_t stack_top; /* reset on every guest entry */
	uint64_t emerg_sp;  /* used after a stack overflow at EL2 */
	uint32_t index;	    /* board core index */
	uint32_t used;	    /* 1 if a partition owns the core */
	uint32_t exit_mitigation; /* hv_exit_mitigation, for the vectors */
	/* Levels of the locks this core holds (bit n: enum lock_level n),
	 * kept by the lock witness (HV_LOCK_WITNESS builds only). */
	uint32_t locks_held;
	uint64_t mpidr;
	/* Deadlines of this core's CNTHP (enum hyp_timer), counter ticks,
	 * 0 for none; own core only (core/health.c). */
	uint64_t hyp_timer_due[4];
	/* Memory-bandwidth regulation of this core's vCPU (core/regulate.c,
	 * arch/arm64/regulate.c); own core only. */
	struct regulate_core reg;
};

extern struct pcpu hv_pcpus[HV_MAX_CPUS];

/** The running core's state (TPIDR_EL2). */
static inline struct pcpu *pcpu_this(void)
{
	struct pcpu *p;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

#endif /* HV_PCPU_H */
