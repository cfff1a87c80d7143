/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor failure: print what we know, stop every core. Other cores are
 * kicked and halt in their interrupt exit or park loop when they see
 * hv_halted; the panicking core waits (boundedly) until they have, so
 * nothing a guest does is printed after "all cores stopped".
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/trap.h"

#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;

/* All accessed only with the __atomic builtins. */
uint32_t hv_halted;
static uint32_t halted_cores;
/* The first core to panic prints and stops the others; a core that panics
 * after it (two failures at once) leaves its message in `second` and
 * halts, and the first prints it once every core has stopped, so the two
 * dumps never interleave on the UART. second_state: 0 free, 1 being
 * written, 2 ready. */
static uint32_t panic_claimed;
static uint32_t second_state;
static int second_core;
static char second_msg[160];
static uint32_t panics_lost; /* third and later panics: counted only */

/** A core that saw hv_halted stops here. */
void hv_halt_self(void)
{
	__atomic_fetch_add(&halted_cores, 1, __ATOMIC_SEQ_CST);
	arch_halt();
}

/* Stop the other cores; false if some did not within 2 s (one stuck with
 * interrupts masked, say; a loaded host can delay an emulated core a lot). */
static bool halt_all(void)
{
	struct pcpu *me = pcpu_this();
	uint32_t others = 0;
	uint64_t end;

	__atomic_store_n(&hv_halted, 1, __ATOMIC_SEQ_CST);
	if (me == NULL) {
		return true; /* early boot: no other core runs yet */
	}
	for (unsigned i = 0; i < hv_cfg.board.cpu_count; i++) {
		if (hv_pcpus[i].used && i != me->index) {
			gic_send_ipi(i);
			others++;
		}
	}
	end = read_sysreg(cntpct_el0) + 2 * read_sysreg(cntfrq_el0);
	while (__atomic_load_n(&halted_cores, __ATOMIC_SEQ_CST) < others) {
		if (read_sysreg(cntpct_el0) > end) {
			return false;
		}
	}
	return true;
}

/* True for the first core to panic. Another one leaves @msg for it and
 * halts: it never returns. */
static bool claim_panic(const char *msg)
{
	uint32_t free = 0;
	struct pcpu *me = pcpu_this();

	if (__atomic_compare_exchange_n(&panic_claimed, &free, 1, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		return true;
	}
	free = 0;
	if (__atomic_compare_exchange_n(&second_state, &free, 1, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		second_core = me != NULL ? (int)me->index : -1;
		fmt_snprintf(second_msg, sizeof(second_msg), "%s", msg);
		__atomic_store_n(&second_state, 2, __ATOMIC_SEQ_CST);
	} else {
		__atomic_fetch_add(&panics_lost, 1, __ATOMIC_SEQ_CST);
	}
	hv_halt_self();
	UNREACHABLE();
}

static __attribute__((noreturn)) void stop_all(void)
{
	bool all = halt_all();

	if (__atomic_load_n(&second_state, __ATOMIC_SEQ_CST) == 2) {
		log_info("PANIC on core %d too: %s", second_core, second_msg);
	}
	if (__atomic_load_n(&panics_lost, __ATOMIC_SEQ_CST) != 0) {
		log_info("and %u more panics not shown",
			 __atomic_load_n(&panics_lost, __ATOMIC_SEQ_CST));
	}
	if (all) {
		log_info("all cores stopped");
	} else {
		log_info("all cores told to stop; some did not confirm");
	}
	arch_halt();
}

/** Print "PANIC: <message>", stop all cores. */
void hv_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)claim_panic(msg);
	log_info("PANIC: %s", msg);
	log_set_panic_mode();
	stop_all();
}

static const char *const el2_kinds[8] = {
	"synchronous (SP_EL0)", "IRQ (SP_EL0)", "FIQ (SP_EL0)",
	"SError (SP_EL0)",	"synchronous",	"IRQ",
	"FIQ",			"SError",
};

/**
 * An exception taken at EL2 is a hypervisor bug: dump ESR, ELR, FAR, SPSR
 * and x0-x30, then stop every core. x0 reads 0xdead after a stack overflow
 * (its value is lost switching to the emergency stack).
 */
void hv_exception_panic(struct el2_frame *f, unsigned kind)
{
	struct pcpu *me = pcpu_this();
	char msg[96];

	fmt_snprintf(msg, sizeof(msg), "%s exception at EL2, ESR 0x%lx ELR 0x%lx",
		     el2_kinds[kind & 7], f->esr, f->elr);
	(void)claim_panic(msg);
	log_info("PANIC: %s exception at EL2 on core %d",
		 el2_kinds[kind & 7], me != NULL ? (int)me->index : -1);
	log_set_panic_mode();
	log_raw("  ESR 0x%016lx  ELR 0x%016lx\n  FAR 0x%016lx  SPSR "
		"0x%016lx  SP 0x%016lx\n",
		f->esr, f->elr, f->far, f->spsr, f->sp);
	for (unsigned i = 0; i < 31; i += 2) {
		if (i + 1 < 31) {
			log_raw("  x%-2u 0x%016lx  x%-2u 0x%016lx\n", i,
				f->x[i], i + 1, f->x[i + 1]);
		} else {
			log_raw("  x%-2u 0x%016lx\n", i, f->x[i]);
		}
	}
	stop_all();
}
