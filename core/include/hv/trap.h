/* SPDX-License-Identifier: MIT */
/*
 * Trap handling: the one switch on the exception class, and the one place
 * that finishes a trap (advances the PC, injects, or stops).
 */
#ifndef HV_TRAP_H
#define HV_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"

/** Outcome of a trap handler; only trap_finish() acts on it. */
enum trap_result {
	TRAP_HANDLED,	     /* emulated: skip the trapping instruction */
	TRAP_HANDLED_NO_ADV, /* handled, PC already right (HVC, injection) */
	TRAP_INJECT_UNDEF,   /* guest sees an Undefined Instruction */
};

/** Register frame of an exception taken at EL2 itself (a bug). */
struct el2_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Entry points called from vectors.S. */
void arch_trap_sync(struct vcpu *v);
bool arch_trap_dabt_light(struct vcpu *v, uint64_t esr);
void arch_trap_irq(struct vcpu *v);
void arch_trap_serror(struct vcpu *v);
void arch_trap_aarch32(struct vcpu *v);
__attribute__((noreturn)) void hv_exception_panic(struct el2_frame *f,
						  unsigned kind);

/** Read or write guest register @n: x31 reads as zero, writes are lost. */
static inline uint64_t vcpu_get_reg(const struct vcpu *v, unsigned n)
{
	return n < 31 ? v->regs.x[n] : 0;
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned n, uint64_t val)
{
	if (n < 31) {
		v->regs.x[n] = val;
	}
}

#endif /* HV_TRAP_H */
