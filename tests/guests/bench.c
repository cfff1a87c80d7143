/* SPDX-License-Identifier: MIT */
/*
 * Interrupt-latency and overhead benchmark guest (tools/bench/irq_bench.py,
 * docs/performance.md). The same binary runs natively on QEMU virt at EL1
 * and in a Bulkhead partition. Run it under QEMU's
 * -icount shift=0,align=off,sleep=off with the CPU's cntfrq at 1 GHz: the
 * generic counter then advances one tick per instruction, so every figure
 * below is a path length in instructions and the same in every run.
 *
 * Words in /chosen/bootargs:
 *
 *   timers=N        timer interrupts to measure (default 1000)
 *   sgis=N          SGIs to measure (default 200; needs two vCPUs)
 *   loops=N         repetitions of the trap round trips (default 200)
 *   neighbour=idle  be the idle neighbour: WFI forever
 *   neighbour=busy  be the busy neighbour: a store loop with a 20 us timer
 *
 * Output lines, all starting "bench: ", are parsed by the host script:
 *
 *   counter: cntfrq F, 100 nops N ticks      check of the set-up
 *   entry: T                                 counter at the first instruction
 *   timer: n N min A mean B max C p50 D p99 E rest F first G
 *                                            deadline to the handler's first
 *                                            instruction (CNTV_CVAL to the
 *                                            CNTVCT read that opens the vector);
 *                                            p50 and p99 by nearest rank,
 *                                            rest: the mean without the first
 *                                            sample, first: that sample
 *   hist: timer LAT COUNT                    one line per distinct latency
 *   eoi: (the same fields)                   the handler's EOI of each timer
 *                                            interrupt, the counter reads
 *                                            around it minus the same reads
 *                                            with nothing between them: with
 *                                            the exit it causes, if any
 *   sgi: (the same fields)                   vCPU 0 reads the counter, sends
 *                                            SGI 1 to vCPU 1; to vCPU 1's
 *                                            handler's first instruction
 *   hvc: n N min A mean B max C              PSCI_VERSION through HVC #0,
 *                                            the counter reads around it
 *                                            minus the same reads with
 *                                            nothing between them
 *   mmio-gicd: ...                           a 32-bit read of GICD_TYPER
 *   mmio-uart: ...                           a 32-bit read of UARTFR
 *   done
 */
#include "gic.h"
#include "guest.h"

#define VTIMER 27
#define SGI_BENCH 1
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define GICD_TYPER 0x004
#define UARTFR 0x018
#define MAX_SAMPLES 4000
#define HIST_MAX 64

/*
 * EL1 vectors: the IRQ entry for the current EL with SP_ELx (offset 0x280)
 * reads the counter into x18 as its first instruction; every other entry
 * goes to the library's vectors. x18 is the handler's result: the waits
 * below declare it and take interrupts only there, and bench_irq restores
 * it after the C handler (the compiler may use x18).
 */
__asm__(".text\n"
	".balign 0x800\n"
	".global bench_vectors\n"
	"bench_vectors:\n"
	".balign 0x80\n b guest_vectors + 0x000\n"
	".balign 0x80\n b guest_vectors + 0x080\n"
	".balign 0x80\n b guest_vectors + 0x100\n"
	".balign 0x80\n b guest_vectors + 0x180\n"
	".balign 0x80\n b guest_vectors + 0x200\n"
	".balign 0x80\n mrs x18, cntvct_el0\n b bench_irq\n"
	".balign 0x80\n b guest_vectors + 0x300\n"
	".balign 0x80\n b guest_vectors + 0x380\n"
	".balign 0x80\n b guest_vectors + 0x400\n"
	".balign 0x80\n b guest_vectors + 0x480\n"
	".balign 0x80\n b guest_vectors + 0x500\n"
	".balign 0x80\n b guest_vectors + 0x580\n"
	".balign 0x80\n b guest_vectors + 0x600\n"
	".balign 0x80\n b guest_vectors + 0x680\n"
	".balign 0x80\n b guest_vectors + 0x700\n"
	".balign 0x80\n b guest_vectors + 0x780\n"
	"bench_irq:\n"
	" sub sp, sp, #176\n"
	" stp x0, x1, [sp, #0]\n"
	" stp x2, x3, [sp, #16]\n"
	" stp x4, x5, [sp, #32]\n"
	" stp x6, x7, [sp, #48]\n"
	" stp x8, x9, [sp, #64]\n"
	" stp x10, x11, [sp, #80]\n"
	" stp x12, x13, [sp, #96]\n"
	" stp x14, x15, [sp, #112]\n"
	" stp x16, x17, [sp, #128]\n"
	" stp x18, x30, [sp, #144]\n"
	" bl bench_irq_c\n"
	" ldp x18, x30, [sp, #144]\n"
	" ldp x16, x17, [sp, #128]\n"
	" ldp x14, x15, [sp, #112]\n"
	" ldp x12, x13, [sp, #96]\n"
	" ldp x10, x11, [sp, #80]\n"
	" ldp x8, x9, [sp, #64]\n"
	" ldp x6, x7, [sp, #48]\n"
	" ldp x4, x5, [sp, #32]\n"
	" ldp x2, x3, [sp, #16]\n"
	" ldp x0, x1, [sp, #0]\n"
	" add sp, sp, #176\n"
	" eret\n");

extern char bench_vectors[];
void bench_irq_c(void);

/* A figure's samples: summary and, up to MAX_SAMPLES, the values. */
struct stats {
	uint64_t n, min, max, sum, first;
	uint64_t *v;
};

static struct dt_info dt;
static uint64_t samples[MAX_SAMPLES];
static uint64_t eoi_samples[MAX_SAMPLES];
static struct stats eoi_stats = { .v = eoi_samples }; /* timer EOIs */
static uint64_t eoi_base;		  /* empty_bracket(), when measuring */
static volatile uint64_t busy_period;	  /* neighbour=busy: timer period */
static volatile uint32_t sgi_ready;	  /* vCPU 1 waits for SGI number */
static volatile uint64_t sgi_stamp;	  /* vCPU 1's handler counter */
static volatile uint32_t sgi_done;	  /* SGIs vCPU 1 has measured */
static volatile uint32_t sgi_total;	  /* SGIs to measure */
static volatile uint32_t vcpu1_up;

static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static void set_vectors(void)
{
	__asm__ volatile("msr vbar_el1, %0; isb" : : "r"(bench_vectors));
}

static void stats_add(struct stats *s, uint64_t v);
static uint64_t empty_bracket(void);

/** IRQ handler body, IRQs masked: acknowledge, quiet the source, EOI. */
void bench_irq_c(void)
{
	uint32_t iar = gic_ack();
	uint32_t intid = gic_iar_intid(iar);

	if (intid >= GIC_FIRST_SPECIAL) {
		return;
	}
	if (intid == VTIMER) {
		if (busy_period != 0) {
			uint64_t cval;

			__asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(cval));
			__asm__ volatile("msr cntv_cval_el0, %0"
					 :
					 : "r"(cval + busy_period));
		} else {
			uint64_t a, b;

			__asm__ volatile("msr cntv_ctl_el0, %0" : : "r"(0ULL));
			__asm__ volatile("mrs %0, cntvct_el0" : "=r"(a)::"memory");
			gic_eoi(iar);
			__asm__ volatile("mrs %0, cntvct_el0" : "=r"(b)::"memory");
			stats_add(&eoi_stats, b - a - eoi_base);
			return;
		}
	}
	gic_eoi(iar);
}

/*
 * Wait for one interrupt with IRQs masked and take it right after the WFI
 * wakes: no window in which it could be taken before the WFI. Returns the
 * counter read by the vector's first instruction.
 */
static uint64_t wait_irq(void)
{
	register uint64_t t __asm__("x18") = 0;

	__asm__ volatile("1: wfi\n"
			 " msr daifclr, #2\n"
			 " isb\n"
			 " msr daifset, #2\n"
			 " cbz %0, 1b\n"
			 : "+r"(t)
			 :
			 : "memory");
	return t;
}

static void stats_add(struct stats *s, uint64_t v)
{
	if (s->n == 0) {
		s->first = v;
	}
	if (s->v != NULL && s->n < MAX_SAMPLES) {
		s->v[s->n] = v;
	}
	if (s->n == 0 || v < s->min) {
		s->min = v;
	}
	if (v > s->max) {
		s->max = v;
	}
	s->sum += v;
	s->n++;
}

/* Sort @v[0..n) (insertion sort: a few thousand values at most). */
static void sort_values(uint64_t *v, uint64_t n)
{
	for (uint64_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		uint64_t j = i;

		for (; j > 0 && v[j - 1] > x; j--) {
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

/* Nearest-rank percentile @pct of the sorted @v[0..n). */
static uint64_t percentile(const uint64_t *v, uint64_t n, uint64_t pct)
{
	uint64_t rank = (n * pct + 99) / 100;

	return n == 0 ? 0 : v[rank == 0 ? 0 : rank - 1];
}

/* One decimal of @sum / @n, as "I.F". */
static void mean10(uint64_t sum, uint64_t n, uint64_t *i, uint64_t *f)
{
	uint64_t m = n ? (sum * 10 + n / 2) / n : 0;

	*i = m / 10;
	*f = m % 10;
}

/* The summary line; sorts the stats' samples (which the histogram uses). */
static void stats_print(const char *name, struct stats *s)
{
	uint64_t n = s->n < MAX_SAMPLES ? s->n : MAX_SAMPLES;
	uint64_t mi, mf, ri, rf;

	mean10(s->sum, s->n, &mi, &mf);
	mean10(s->n > 1 ? s->sum - s->first : 0, s->n > 1 ? s->n - 1 : 0, &ri,
	       &rf);
	sort_values(s->v, n);
	gprintf("bench: %s: n %lu min %lu mean %lu.%lu max %lu p50 %lu p99 %lu "
		"rest %lu.%lu first %lu\n",
		name, s->n, s->min, mi, mf, s->max, percentile(s->v, n, 50),
		percentile(s->v, n, 99), ri, rf, s->first);
}

/* One line per distinct value of the sorted samples (after stats_print). */
static void hist_print(const char *name, const struct stats *s)
{
	uint64_t n = s->n < MAX_SAMPLES ? s->n : MAX_SAMPLES;
	unsigned lines = 0;

	for (uint64_t i = 0; i < n && lines < HIST_MAX; lines++) {
		uint64_t j = i;

		while (j < n && s->v[j] == s->v[i]) {
			j++;
		}
		gprintf("bench: hist: %s %lu %lu\n", name, s->v[i], j - i);
		i = j;
	}
}

static void bench_timer(uint64_t count)
{
	struct stats s = { .v = samples };

	gic_set_priority(VTIMER, 0x40);
	gic_enable(VTIMER);
	eoi_base = empty_bracket();
	for (uint64_t i = 0; i < count; i++) {
		/* Deadlines 2000..2999 instructions ahead: far enough to be in
		 * the WFI, varied so no phase lock with anything hides a cost. */
		uint64_t cval = counter() + 2000 + (i * 389) % 1000;
		uint64_t lat;

		__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(cval));
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(1ULL));
		lat = wait_irq() - cval;
		stats_add(&s, lat);
	}
	gic_disable(VTIMER);
	stats_print("timer", &s);
	hist_print("timer", &s);
	stats_print("eoi", &eoi_stats);
}

/*
 * vCPU 0 stamps the counter and sends SGI 1 to vCPU 1, which waits in
 * wait_irq(); both sides wait for each other with WFE, so under icount the
 * other vCPU runs at once.
 */
static void bench_sgi(uint32_t count)
{
	struct stats s = { .v = samples };

	sgi_total = count;
	__asm__ volatile("dsb sy; sev");
	for (uint32_t i = 0; i < count; i++) {
		uint64_t t0;

		while (__atomic_load_n(&sgi_ready, __ATOMIC_ACQUIRE) != i + 1) {
			__asm__ volatile("wfe");
		}
		t0 = counter();
		gic_send_sgi(SGI_BENCH, 1u << 1);
		while (__atomic_load_n(&sgi_done, __ATOMIC_ACQUIRE) != i + 1) {
			__asm__ volatile("wfe");
		}
		stats_add(&s, sgi_stamp - t0);
	}
	stats_print("sgi", &s);
}

/* The bracket: counter reads around one instruction, minus the empty
 * bracket, so only the instruction and what it causes remain. */
static uint64_t empty_bracket(void)
{
	uint64_t a, b;

	__asm__ volatile("mrs %0, cntvct_el0\n mrs %1, cntvct_el0"
			 : "=&r"(a), "=&r"(b));
	return b - a;
}

static void bench_hvc(uint64_t loops)
{
	struct stats s = { .v = samples };
	uint64_t base = empty_bracket();

	for (uint64_t i = 0; i < loops; i++) {
		register uint64_t x0 __asm__("x0") = PSCI_VERSION;
		uint64_t a, b;

		__asm__ volatile("mrs %1, cntvct_el0\n"
				 " hvc #0\n"
				 " mrs %2, cntvct_el0\n"
				 : "+r"(x0), "=&r"(a), "=&r"(b)
				 :
				 : "x1", "x2", "x3", "memory");
		if (x0 == (uint64_t)-1) {
			gprintf("bench: hvc: PSCI_VERSION failed\n");
			return;
		}
		stats_add(&s, b - a - base);
	}
	stats_print("hvc", &s);
}

static void bench_mmio(const char *name, uint64_t addr, uint64_t loops)
{
	struct stats s = { .v = samples };
	uint64_t base = empty_bracket();
	volatile uint32_t *reg = (volatile uint32_t *)addr;

	for (uint64_t i = 0; i < loops; i++) {
		uint64_t a, b;
		uint32_t v;

		__asm__ volatile("mrs %0, cntvct_el0\n"
				 " ldr %w2, [%3]\n"
				 " mrs %1, cntvct_el0\n"
				 : "=&r"(a), "=&r"(b), "=&r"(v)
				 : "r"(reg)
				 : "memory");
		(void)v;
		stats_add(&s, b - a - base);
	}
	stats_print(name, &s);
}

/*
 * A known instruction count between two reads: is the counter exact? The
 * least of eight tries: under icount a busy neighbour's vCPU may run in
 * the middle of one (QEMU's round robin), which only ever adds ticks.
 */
static void counter_check(void)
{
	uint64_t best = ~0ULL, f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	for (int i = 0; i < 8; i++) {
		uint64_t a, b;

		__asm__ volatile("mrs %0, cntvct_el0\n"
				 ".rept 100\n nop\n .endr\n"
				 " mrs %1, cntvct_el0\n"
				 : "=&r"(a), "=&r"(b));
		best = b - a < best ? b - a : best;
	}
	gprintf("bench: counter: cntfrq %lu, 100 nops %lu ticks\n", f,
		best - empty_bracket());
}

static void neighbour(bool busy)
{
	gprintf("bench: neighbour %s\n", busy ? "busy" : "idle");
	if (!busy) {
		for (;;) {
			__asm__ volatile("wfi");
		}
	}
	busy_period = ticks_per_sec() / 50000; /* 20 us */
	gic_set_priority(VTIMER, 0x40);
	gic_enable(VTIMER);
	__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(counter() +
							  busy_period));
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(1ULL));
	/* Stores over samples[] (32 KiB), forever, interrupts taken as
	 * they come. */
	__asm__ volatile("msr daifclr, #2\n"
			 "1: mov x1, %0\n"
			 " add x2, x1, %1\n"
			 "2: stp x2, x2, [x1], #16\n"
			 " cmp x1, x2\n"
			 " b.lo 2b\n"
			 " b 1b\n"
			 :
			 : "r"(samples), "r"(sizeof(samples))
			 : "x1", "x2", "x18", "memory");
}

void guest_secondary(uint64_t index)
{
	set_vectors();
	if (!gic_cpu_init((unsigned)index)) {
		gprintf("bench: vCPU %lu: GIC set-up failed: %s\n", index,
			gic_error());
		return;
	}
	gic_set_priority(SGI_BENCH, 0x40);
	gic_enable(SGI_BENCH);
	__atomic_store_n(&vcpu1_up, 1, __ATOMIC_RELEASE);
	__asm__ volatile("dsb sy; sev");
	while (sgi_total == 0) {
		__asm__ volatile("wfe");
	}
	for (uint32_t i = 0; i < sgi_total; i++) {
		uint64_t t;

		__atomic_store_n(&sgi_ready, i + 1, __ATOMIC_RELEASE);
		__asm__ volatile("dsb sy; sev");
		t = wait_irq();
		sgi_stamp = t;
		__atomic_store_n(&sgi_done, i + 1, __ATOMIC_RELEASE);
		__asm__ volatile("dsb sy; sev");
	}
	for (;;) {
		__asm__ volatile("wfi");
	}
}

static bool start_vcpu1(void)
{
	int64_t r = psci_call(PSCI_CPU_ON, 1,
			      (uint64_t)(uintptr_t)secondary_entry, 1);

	if (r != 0) {
		gprintf("bench: CPU_ON of vCPU 1 failed: %ld\n", r);
		return false;
	}
	while (__atomic_load_n(&vcpu1_up, __ATOMIC_ACQUIRE) == 0) {
		__asm__ volatile("wfe");
	}
	return true;
}

void guest_main(const void *dtb)
{
	uint64_t entry = guest_entry_ticks;
	uint64_t timers, loops, sgis, uart = UART_BASE;
	uint64_t gicd, size;

	set_vectors();
	if (!dt_parse(dtb, &dt) || !gic_probe(dtb) || !gic_dist_init() ||
	    !gic_cpu_init(0)) {
		gprintf("bench: GIC set-up failed: %s\n", gic_error());
		return;
	}
	if (arg_has(dt.bootargs, "neighbour=idle") ||
	    arg_has(dt.bootargs, "neighbour=busy")) {
		neighbour(arg_has(dt.bootargs, "neighbour=busy"));
		return;
	}
	timers = arg_num(dt.bootargs, "timers", 1000);
	loops = arg_num(dt.bootargs, "loops", 200);
	sgis = arg_num(dt.bootargs, "sgis", 200);
	if (timers > MAX_SAMPLES) {
		timers = MAX_SAMPLES;
	}
	gprintf("bench: start: GICv%u, %u vCPUs\n", (unsigned)gic_version(),
		dt.cpus);
	gprintf("bench: entry: %lu\n", entry);
	counter_check();
	bench_timer(timers);
	if (dt.cpus >= 2 && sgis != 0 && start_vcpu1()) {
		bench_sgi((uint32_t)sgis);
	}
	bench_hvc(loops);
	if (!dt_compat_reg(dtb, "arm,gic-v3", 0, &gicd, &size) &&
	    !dt_compat_reg(dtb, "arm,cortex-a15-gic", 0, &gicd, &size)) {
		gicd = 0x08000000;
	}
	bench_mmio("mmio-gicd", gicd + GICD_TYPER, loops);
	bench_mmio("mmio-uart", uart + UARTFR, loops);
	gprintf("bench: done\n");
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
