/* SPDX-License-Identifier: MIT */
/*
 * EL2 self-tests, reachable only in HV_SELFTEST builds through vendor
 * hypercalls 0xc6000f01.. (SMCCC owner 6, vendor hypervisor service). Each
 * deliberately breaks a hardening rule and must end in the EL2 exception
 * dump: the tests check that the protection is real, not just configured,
 * and that the fault is the one named (ESR_EL2 class and fault status,
 * FAR_EL2 the address printed here; tests/run/el2_fault.py).
 */
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/pcpu.h"
#include "hv/selftest.h"

#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;
void hv_main(uint64_t dtb);
/* Each core's stack slot: the unmapped guard, then the stack (mmu.c). */
extern uint8_t hv_stacks[][2 * HV_STACK_SIZE];

/*
 * Recurse with a 1 KiB frame until the guard page below the 16 KiB stack.
 * The only recursion in the hypervisor (a MISRA 17.2 deviation): it exists
 * to hit the guard, and the depth bound is far beyond the stack size.
 */
/* NOLINTNEXTLINE(misc-no-recursion): the deviation above. */
static __attribute__((noinline)) uint64_t eat_stack(volatile uint64_t depth)
{
	volatile uint8_t frame[1024];

	frame[0] = (uint8_t)depth;
	if (depth > 1000) {
		return 0;
	}
	return eat_stack(depth + 1) + frame[0];
}

/* A RET instruction in writable data: with SCTLR_EL2.WXN it is never
 * executable. */
static uint32_t writable_code[1] = { 0xd65f03c0u };

/* Self-test 5's rendezvous: cores that have arrived. */
static uint32_t panic_arrived;

static void panic_together(struct vcpu *v)
{
	uint64_t end = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0);

	log_info("selftest: core %u waits to panic together", v->pcpu);
	__atomic_fetch_add(&panic_arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&panic_arrived, __ATOMIC_SEQ_CST) < 2 &&
	       read_sysreg(cntpct_el0) < end) {
	}
	hv_panic("selftest 5: core %u panics", v->pcpu);
}

/**
 * Run self-test @n on the calling vCPU's core. 1: write to hypervisor text
 * (W^X); 2: overflow the stack into its guard page; 3: read partition RAM,
 * which EL2 does not map; 4: execute from writable data (W^X, the other
 * half); 5: two cores panic at once (the first to ask waits up to 1 s for a
 * second one, then both call hv_panic together): one dump, the other's
 * message after it, never interleaved. Returns only for an unknown @n.
 */
void selftest_run(struct vcpu *v, unsigned n)
{
	switch (n) {
	case 1:
		log_info("selftest: writing to hypervisor text at %p",
			 (void *)hv_main);
		*(volatile uint32_t *)(uintptr_t)hv_main = 0;
		break;
	case 2:
		log_info("selftest: overflowing the EL2 stack into its guard "
			 "0x%lx-0x%lx",
			 (uint64_t)(uintptr_t)hv_stacks[v->pcpu],
			 (uint64_t)(uintptr_t)hv_stacks[v->pcpu] +
				 HV_STACK_SIZE);
		(void)eat_stack(0);
		break;
	case 3:
		log_info("selftest: reading partition %s RAM at 0x%lx from EL2",
			 v->part->cfg->name, v->part->cfg->ram_pa);
		(void)*(volatile uint64_t *)(uintptr_t)v->part->cfg->ram_pa;
		break;
	case 5:
		panic_together(v);
		break;
	case 4:
		log_info("selftest: executing writable data at %p",
			 (void *)writable_code);
		((void (*)(void))(uintptr_t)writable_code)();
		break;
	default:
		return;
	}
	log_info("selftest %u: no exception: protection MISSING", n);
}
