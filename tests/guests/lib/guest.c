/* SPDX-License-Identifier: MIT */
/* Bare-metal test guest support library. */
#include "guest.h"

#define UARTDR 0x000
#define UARTFR 0x018

uint8_t guest_stacks[GUEST_MAX_VCPUS][16384] __attribute__((aligned(16)));
/* Written by start.S once .bss is clear, before guest_main(). */
uint64_t guest_entry_ticks;

static volatile uint32_t print_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE)) {
	}
}

static void unlock(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static void putc_raw(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + UARTFR);
	volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + UARTDR);

	while (*fr & (1u << 5)) {
	}
	*dr = (uint8_t)c;
}

static void put_num(uint64_t v, unsigned base, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n) {
		putc_raw(pad);
	}
	while (n) {
		putc_raw(tmp[--n]);
	}
}

static void vprint(const char *f, va_list ap)
{
	for (; *f; f++) {
		int width = 0, lng = 0;
		char pad = ' ';

		if (*f != '%') {
			putc_raw(*f);
			continue;
		}
		f++;
		if (*f == '0') {
			pad = '0';
			f++;
		}
		while (*f >= '0' && *f <= '9') {
			width = width * 10 + (*f++ - '0');
		}
		while (*f == 'l') {
			lng = 1;
			f++;
		}
		switch (*f) {
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			if (v < 0) {
				putc_raw('-');
				v = -v;
			}
			put_num((uint64_t)v, 10, width, pad);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				10, width, pad);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				16, width, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (*s) {
				putc_raw(*s++);
			}
			break;
		}
		default:
			putc_raw(*f);
			break;
		}
	}
}

void gprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lock();
	vprint(fmt, ap);
	unlock();
	va_end(ap);
}

void gputs(const char *s)
{
	gprintf("%s\n", s);
}

int64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return (int64_t)x0;
}

int64_t smc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return (int64_t)x0;
}

/* ---- Faults: a probe sets expect, the handler skips the access ---- */

static volatile int fault_expected[GUEST_MAX_VCPUS];
static volatile int fault_seen[GUEST_MAX_VCPUS];

static unsigned my_vcpu(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned)(mpidr & 0xff) % GUEST_MAX_VCPUS;
}

struct exc_frame {
	uint64_t x[20];
};

void guest_exception(struct exc_frame *f, uint64_t kind);

/*
 * Default IRQ hook: no interrupt handling, so an IRQ is reported as an
 * unexpected exception like any other. A test program that takes
 * interrupts defines its own (strong) guest_irq_handler().
 */
__attribute__((weak)) bool guest_irq_handler(uint64_t kind)
{
	(void)kind;
	return false;
}

/*
 * Default synchronous-exception hook: not handled. A test program that
 * provokes faults on purpose (the attack and fuzz guests) defines its own;
 * returning true resumes after the faulting instruction.
 */
__attribute__((weak)) bool guest_fault_hook(uint64_t kind, uint64_t esr,
					    uint64_t far)
{
	(void)kind;
	(void)esr;
	(void)far;
	return false;
}

/*
 * Default hook for a synchronous exception from a lower EL in AArch32
 * (kind 12): not handled. A program that runs AArch32 code at EL0 returns
 * the EL1 address to go on at (ERET there with the EL0 registers as they
 * were, EL1h, DAIF masked), or 0.
 */
__attribute__((weak)) uint64_t guest_a32_hook(uint64_t esr)
{
	(void)esr;
	return 0;
}

/*
 * Default hook for a debug exception from the current EL (breakpoint EC
 * 0x31, software step 0x33, watchpoint 0x35): not handled. A program that
 * uses self-hosted debug returns true with *elr where to resume (a
 * breakpoint or watchpoint reports the instruction itself, a step the next
 * one to run).
 */
__attribute__((weak)) bool guest_debug_hook(uint64_t esr, uint64_t *elr)
{
	(void)esr;
	(void)elr;
	return false;
}

void guest_exception(struct exc_frame *f, uint64_t kind)
{
	uint64_t esr, elr, far;
	unsigned me;

	if (kind == 4) {
		uint64_t ec;

		__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
		__asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
		ec = esr >> 26;
		if ((ec == 0x31 || ec == 0x33 || ec == 0x35) &&
		    guest_debug_hook(esr, &elr)) {
			__asm__ volatile("msr elr_el1, %0" : : "r"(elr));
			return;
		}
	}
	if (kind == 12) {
		uint64_t cont;

		__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
		cont = guest_a32_hook(esr);
		if (cont != 0) {
			__asm__ volatile("msr elr_el1, %0\n\tmsr spsr_el1, %1"
					 : : "r"(cont), "r"(0x3c5ULL));
			return;
		}
	}

	/* Kinds 1 and 5: IRQ taken from the current EL with SP_EL0 / SP_ELx. */
	if ((kind == 1 || kind == 5) && guest_irq_handler(kind)) {
		return;
	}
	me = my_vcpu();
	(void)f;
	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	if ((kind == 4 || kind == 0) && guest_fault_hook(kind, esr, far)) {
		elr += 4;
		__asm__ volatile("msr elr_el1, %0" : : "r"(elr));
		return;
	}
	if ((kind == 4 || kind == 0) && fault_expected[me]) {
		fault_seen[me] = 1;
		fault_expected[me] = 0;
		gprintf("guest: caught exception ec=0x%x fsc=0x%x far=0x%lx\n",
			(unsigned)(esr >> 26), (unsigned)(esr & 0x3f), far);
		elr += 4;
		__asm__ volatile("msr elr_el1, %0" : : "r"(elr));
		return;
	}
	gprintf("guest: UNEXPECTED exception kind %lu esr=0x%lx elr=0x%lx "
		"far=0x%lx\n",
		kind, esr, elr, far);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

bool probe_read(uint64_t addr, uint64_t *val)
{
	unsigned me = my_vcpu();
	uint64_t v = 0;

	fault_seen[me] = 0;
	fault_expected[me] = 1;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	fault_expected[me] = 0;
	*val = v;
	return !fault_seen[me];
}

bool probe_write(uint64_t addr, uint64_t val)
{
	unsigned me = my_vcpu();

	fault_seen[me] = 0;
	fault_expected[me] = 1;
	__asm__ volatile("str %0, [%1]" : : "r"(val), "r"(addr) : "memory");
	fault_expected[me] = 0;
	return !fault_seen[me];
}

bool probe_pmcr(uint64_t *val)
{
	unsigned me = my_vcpu();
	uint64_t v = 0;

	fault_seen[me] = 0;
	fault_expected[me] = 1;
	__asm__ volatile("mrs %0, pmcr_el0" : "+r"(v) : : "memory");
	fault_expected[me] = 0;
	*val = v;
	return !fault_seen[me];
}

/*
 * One access that would stop, reset or read the event counter the
 * hypervisor keeps for regulation (the last one; a Cortex-A53 has six):
 * PMCR_EL0 = E|P|C, PMCNTENCLR_EL0, PMINTENCLR_EL1, PMOVSCLR_EL0 (all
 * bits), PMSELR_EL0 = 5, PMXEVCNTR_EL0 written, then read. True if it
 * did not UNDEF.
 */
bool probe_pmu_access(unsigned which)
{
	unsigned me = my_vcpu();
	uint64_t v = 0;

	fault_seen[me] = 0;
	fault_expected[me] = 1;
	switch (which) {
	case 0:
		__asm__ volatile("msr pmcr_el0, %0; isb" : : "r"(7ULL) : "memory");
		break;
	case 1:
		__asm__ volatile("msr pmcntenclr_el0, %0" : : "r"(~0ULL) : "memory");
		break;
	case 2:
		__asm__ volatile("msr pmintenclr_el1, %0" : : "r"(~0ULL) : "memory");
		break;
	case 3:
		__asm__ volatile("msr pmovsclr_el0, %0" : : "r"(~0ULL) : "memory");
		break;
	case 4:
		__asm__ volatile("msr pmselr_el0, %0; isb" : : "r"(5ULL) : "memory");
		break;
	case 5:
		__asm__ volatile("msr pmxevcntr_el0, %0" : : "r"(0ULL) : "memory");
		break;
	default:
		__asm__ volatile("mrs %0, pmxevcntr_el0" : "+r"(v) : : "memory");
		break;
	}
	fault_expected[me] = 0;
	return !fault_seen[me];
}

/* ---- Time ---- */

uint64_t now_ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t ticks_per_sec(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

void delay_ms(unsigned ms)
{
	uint64_t end = now_ticks() + ticks_per_sec() / 1000 * ms;

	while (now_ticks() < end) {
		__asm__ volatile("yield");
	}
}

/* ---- Boot arguments: "key" or "key=number" words ---- */

static const char *find_key(const char *args, const char *key)
{
	size_t kl = 0;

	while (key[kl]) {
		kl++;
	}
	for (const char *p = args; *p;) {
		size_t i = 0;

		while (i < kl && p[i] == key[i]) {
			i++;
		}
		if (i == kl && (p[i] == '=' || p[i] == ' ' || p[i] == '\0')) {
			return p + kl;
		}
		while (*p && *p != ' ') {
			p++;
		}
		while (*p == ' ') {
			p++;
		}
	}
	return NULL;
}

bool arg_has(const char *args, const char *key)
{
	return find_key(args, key) != NULL;
}

/* One number at *@pp, decimal or 0x hexadecimal, up to a space, a comma
 * or the end; *@pp is left on that character. */
static uint64_t parse_num(const char **pp)
{
	const char *p = *pp;
	uint64_t v = 0;
	unsigned base = 10;

	if (p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	}
	for (; *p && *p != ' ' && *p != ','; p++) {
		unsigned d = (*p >= 'a') ? (unsigned)(*p - 'a' + 10)
					 : (unsigned)(*p - '0');
		v = v * base + d;
	}
	*pp = p;
	return v;
}

uint64_t arg_num(const char *args, const char *key, uint64_t dflt)
{
	const char *p = find_key(args, key);

	if (p == NULL || *p != '=') {
		return dflt;
	}
	p++;
	return parse_num(&p);
}

unsigned arg_list(const char *args, const char *key, uint64_t *out,
		  unsigned max)
{
	const char *p = find_key(args, key);
	unsigned n = 0;

	if (p == NULL || *p != '=') {
		return 0;
	}
	for (p++; *p && *p != ' ' && n < max;) {
		out[n++] = parse_num(&p);
		if (*p == ',') {
			p++;
		}
	}
	return n;
}
