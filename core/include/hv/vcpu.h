/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPUs. Each vCPU is pinned to one physical core for the life of the
 * system, so its EL1 system registers simply stay in the hardware: only the
 * general-purpose registers are saved on an exit.
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdint.h>

/** Guest registers saved by the exception vectors (layout used by asm). */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t elr;  /* ELR_EL2: guest PC */
	uint64_t spsr; /* SPSR_EL2: guest PSTATE */
};

_Static_assert(sizeof(struct vcpu_regs) == 33 * sizeof(uint64_t),
	       "vcpu_regs layout");

/*
 * Power state, as PSCI sees it (DEN0022D 5.1.5 AFFINITY_INFO).
 *
 *   from        event                          to
 *   OFF         CPU_ON claims it (CAS)         CLAIMED
 *   CLAIMED     entry/context written          ON_PENDING
 *   ON_PENDING  its core enters the guest      ON
 *   ON          CPU_OFF / partition stop/reset OFF
 *   any         partition reset                OFF (vCPU 0: ON_PENDING)
 */
enum vcpu_power {
	VCPU_OFF = 0,
	VCPU_CLAIMED = 1,
	VCPU_ON_PENDING = 2,
	VCPU_ON = 3,
};

/** What made a vCPU leave its guest (counted per vCPU, see vcpu_count). */
enum vcpu_exit {
	EXIT_IRQ,	/* a physical interrupt (forwarded, kick or console) */
	EXIT_MAINT,	/* of which: the vGIC maintenance interrupt */
	EXIT_HVC,	/* hypercall (PSCI, SMCCC) */
	EXIT_SMC,	/* trapped SMC */
	EXIT_SYSREG,	/* trapped system register access */
	EXIT_GIC,	/* emulated distributor / redistributor access */
	EXIT_UART,	/* emulated PL011 access */
	EXIT_GPIO,	/* emulated PL061 access (channel doorbells) */
	EXIT_WDOG,	/* emulated SP805 access */
	EXIT_ABORT,	/* stage-2 fault outside the partition's map */
	EXIT_WFX,	/* trapped WFI/WFE */
	EXIT_OTHER,	/* anything else (fault policy applied) */
	EXIT_IRQ_FAST,	/* of EXIT_IRQ: injected by the vector's fast path */
	EXIT_MAINT_FAST, /* of EXIT_MAINT: ended by the vector's fast path */
	EXIT_KINDS
};

struct partition;

#define VCPU_NO_IAR 0xffffffffu

/**
 * A vCPU. Fields above the line are touched only by the owning core; the
 * atomics below it are written by other cores of the same partition
 * (protocols in partition.c: CPU_ON, stop and reset).
 */
struct vcpu {
	struct vcpu_regs regs; /* first: the vectors save here */
	struct partition *part;
	uint32_t index; /* vCPU number, also its MPIDR Aff0 */
	uint32_t pcpu;	/* board core it is pinned to */
	uint64_t entry_ipa;
	uint64_t entry_x0;
	uint64_t *exits; /* EXIT_KINDS counters in the partition's stats page,
			  * written by the owning core only */
	const uint64_t *vgic_fast; /* its vGIC's fast_irq, fast_lr (vgic.h) */
	uint32_t irq_iar; /* acknowledged by the vector, for vcpu_take_irqs(),
			   * or VCPU_NO_IAR */
	/* ---- shared with other cores ---- */
	/* (atomic): accessed only with the __atomic builtins. */
	uint32_t power;	   /* (atomic) enum vcpu_power */
	uint32_t in_guest; /* (atomic) 1 while it may run guest code */
	uint64_t on_entry;	   /* valid once power == ON_PENDING */
	uint64_t on_context;
	/* The last injected stage-2 abort (its PC and address) and how many
	 * came in a row at that PC and address: partition_fault()'s loop
	 * guard. Its own core only. */
	uint64_t fault_pc, fault_addr;
	uint32_t fault_repeat;
};

/**
 * Count one exit of @kind (plain increment: only the owning core writes)
 * and clean the line to the point of coherency, so a monitor reading the
 * stats page without caches sees it (Arm ARM C5.3.13 DC CVAC).
 */
static inline void vcpu_count(struct vcpu *v, enum vcpu_exit kind)
{
	uint64_t *c = &v->exits[kind];

	(*c)++;
	__asm__ volatile("dc cvac, %0" : : "r"(c) : "memory");
}

#endif /* HV_VCPU_H */
