/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal test guest. One binary; what it does is chosen by words
 * in /chosen/bootargs, so each system test is a configuration, not code:
 *
 *   smp            start every other vCPU with PSCI CPU_ON; each prints
 *   psci-checks    exercise PSCI error paths (invalid target, already on)
 *   probe=A,B,...  read then write each address (0x hexadecimal, at most
 *                  16), report abort or success
 *   probe-smp      with smp: every other vCPU probes the same addresses
 *                  too, right after it starts (several vCPUs fault at once)
 *   reset-after=N  PSCI SYSTEM_RESET after N heartbeats
 *   off-after=N    PSCI SYSTEM_OFF after N heartbeats
 *   beats=N        stop after N heartbeats (default: forever)
 *   beat-ms=N      heartbeat period in ms of virtual time (default 20)
 *   hvc-junk       unknown HVC and SMC function IDs must be refused
 *   hv-selftest=N  after the heartbeats, ask an HV_SELFTEST build to run
 *                  EL2 self-test N (it must end in an EL2 exception dump)
 *   echo           read the console (polling) and print each line received
 *   canary         fill 64 KiB at RAM + 8 MiB + 4 KiB with a pattern at
 *                  boot and guard the first and the last page of RAM: a
 *                  checksum of the first (the image's first page) taken at
 *                  boot, a pattern filled into the last; all checked at
 *                  every heartbeat
 *   canary-ends    the same (the DMA attack's name for it)
 *   irq-watch=I    the victim that can notice (issue 16, item 2): run with
 *                  interrupts on, every vCPU; at the start of each
 *                  heartbeat window pend own SPI I (a passthrough SPI the
 *                  partition owns) and require exactly one delivery of it
 *                  in the window; count every other interrupt (SGIs,
 *                  PPIs, SPIs: it causes none) as stray. The heartbeat
 *                  then reads "heartbeat N canary ok, irq ok: own SPI 1,
 *                  stray SGI 0 PPI 0 SPI 0, at T ms" (T: virtual time
 *                  since entry), or "irq WRONG: ..." on any departure
 *   pmu-check      report whether the PMU is visible and works: PMUVer,
 *                  PMCR_EL0 readable or UNDEF, the cycle counter counting
 *   flood          print lines to the console as fast as it can, forever
 *   hog            a memory hog: store over 256 KiB of its RAM (at RAM +
 *                  16 MiB) again and again, forever, reading UARTFR once
 *                  per pass (an exit: QEMU notices a PMU counter overflow
 *                  only when the vCPU changes exception level) and
 *                  printing "hog: N passes" every 8192 passes; with smp,
 *                  every vCPU hogs its own 256 KiB (vCPU 0 prints)
 *   hog-attack     first try to stop, reset and read the event counter the
 *                  hypervisor keeps for regulation (probe_pmu_access()),
 *                  printing "hog-attack: N of 7 accesses UNDEF"; then hog
 *   wdog-load=N    start the SP805 at 0x09800000 with WdogLoad = N and
 *                  the reset enabled, and never pet it
 *
 * At boot it checks a marker at RAM base + 8 MiB: a restart must have
 * cleared memory, so finding the marker means state leaked.
 */
#include "gic.h"
#include "guest.h"

#define MARKER_OFFSET (8UL << 20)
#define MARKER 0x42484b4d41524b31ULL

#define CANARY_OFFSET (MARKER_OFFSET + 4096)
#define CANARY_WORDS (65536 / 8)

#define PAGE_WORDS (4096 / 8)

static struct dt_info dt;
static bool canary;
static bool canary_ends;
static uint64_t first_page_sum;

static volatile uint64_t *canary_base(void)
{
	return (volatile uint64_t *)(dt.mem_base + CANARY_OFFSET);
}

static void canary_fill(void)
{
	for (uint64_t i = 0; i < CANARY_WORDS; i++) {
		canary_base()[i] = 0xc0ffee0000000000ULL ^ (i * 0x9e3779b97f4a7c15ULL);
	}
}

static volatile uint64_t *last_page(void)
{
	return (volatile uint64_t *)(dt.mem_base + dt.mem_size - 4096);
}

static uint64_t first_page_checksum(void)
{
	volatile uint64_t *p = (volatile uint64_t *)dt.mem_base;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (unsigned i = 0; i < PAGE_WORDS; i++) {
		h = (h ^ p[i]) * 0x100000001b3ULL;
	}
	return h;
}

static void canary_ends_fill(void)
{
	first_page_sum = first_page_checksum();
	for (unsigned i = 0; i < PAGE_WORDS; i++) {
		last_page()[i] = 0x1a57fa6e00000000ULL ^ i;
	}
}

static bool canary_ends_ok(void)
{
	for (unsigned i = 0; i < PAGE_WORDS; i++) {
		if (last_page()[i] != (0x1a57fa6e00000000ULL ^ i)) {
			return false;
		}
	}
	return first_page_checksum() == first_page_sum;
}

static const char *canary_state(void)
{
	if (!canary) {
		return "";
	}
	if (canary_ends && !canary_ends_ok()) {
		return " canary CORRUPTED";
	}
	for (uint64_t i = 0; i < CANARY_WORDS; i++) {
		if (canary_base()[i] !=
		    (0xc0ffee0000000000ULL ^ (i * 0x9e3779b97f4a7c15ULL))) {
			return " canary CORRUPTED";
		}
	}
	return " canary ok";
}
static volatile uint32_t vcpus_up;

/*
 * irq-watch (issue 16, item 2). The handler runs on any vCPU; the
 * counters are only ever added to. GICv3 IHI 0069H chapter 4, GICv2
 * IHI 0048B chapter 3: ack, count, EOI (EOImode 0).
 */
static uint32_t watch_spi;
static volatile uint64_t own_seen, stray_sgi, stray_ppi, stray_spi;
static uint64_t own_mark;

bool guest_irq_handler(uint64_t kind)
{
	uint32_t iar = gic_ack();
	uint32_t intid = gic_iar_intid(iar);

	(void)kind;
	if (intid >= GIC_FIRST_SPECIAL) {
		return true;
	}
	if (watch_spi != 0 && intid == watch_spi) {
		__atomic_fetch_add(&own_seen, 1, __ATOMIC_RELAXED);
	} else if (intid < GIC_FIRST_PPI) {
		__atomic_fetch_add(&stray_sgi, 1, __ATOMIC_RELAXED);
	} else if (intid < GIC_FIRST_SPI) {
		__atomic_fetch_add(&stray_ppi, 1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&stray_spi, 1, __ATOMIC_RELAXED);
	}
	gic_eoi(iar);
	return true;
}

/* This vCPU's interface: every SGI and PPI enabled (it causes none, so
 * any that arrives is stray), then PSTATE.I cleared. */
static void watch_cpu_init(unsigned vcpu)
{
	if (!gic_cpu_init(vcpu)) {
		gprintf("irq-watch: vCPU %u: GIC set-up FAILED: %s\n", vcpu,
			gic_error());
		return;
	}
	for (uint32_t i = 0; i < GIC_FIRST_SPI; i++) {
		gic_enable(i);
	}
	gic_irq_unmask();
}

static bool watch_init(const void *dtb)
{
	watch_spi = (uint32_t)arg_num(dt.bootargs, "irq-watch", 0);
	if (watch_spi < GIC_FIRST_SPI) {
		gprintf("irq-watch: own SPI %u is not an SPI\n", watch_spi);
		watch_spi = 0;
		return false;
	}
	if (!gic_probe(dtb) || !gic_dist_init()) {
		gprintf("irq-watch: GIC set-up FAILED: %s\n", gic_error());
		watch_spi = 0;
		return false;
	}
	gic_set_priority(watch_spi, 0x80);
	gic_route_spi(watch_spi, 0);
	gic_enable(watch_spi);
	if (!gic_is_enabled(watch_spi)) {
		gprintf("irq-watch: own SPI %u does not enable: not owned?\n",
			watch_spi);
	}
	watch_cpu_init(0);
	gprintf("irq-watch: GICv%u, own SPI %u\n", (unsigned)gic_version(),
		watch_spi);
	return true;
}

/* Start of a heartbeat window: pend the own SPI once. */
static void watch_window(void)
{
	own_mark = __atomic_load_n(&own_seen, __ATOMIC_RELAXED);
	gic_set_pending(watch_spi);
}

/* The heartbeat's interrupt verdict for the window now ending. */
static void watch_line(uint64_t n, const char *canary_words)
{
	uint64_t own = __atomic_load_n(&own_seen, __ATOMIC_RELAXED) - own_mark;
	uint64_t sg = stray_sgi, pp = stray_ppi, sp = stray_spi;
	uint64_t ms = (now_ticks() - guest_entry_ticks) * 1000 /
		      ticks_per_sec();

	gprintf("heartbeat %lu%s, irq %s: own SPI %lu, stray SGI %lu PPI %lu "
		"SPI %lu, at %lu ms\n",
		n, canary_words,
		own == 1 && sg == 0 && pp == 0 && sp == 0 ? "ok" : "WRONG", own,
		sg, pp, sp, ms);
}

/*
 * One word that must read zero at boot (or hold MARKER if the RAM was not
 * cleared since the boot that wrote it); marks it for the next boot.
 * Returns false if it was not zero.
 */
static bool check_word(uint64_t addr)
{
	volatile uint64_t *m = (volatile uint64_t *)addr;
	bool ok = true;

	if (*m == MARKER) {
		gprintf("memory NOT cleared since the last boot at +0x%lx\n",
			addr - dt.mem_base);
		ok = false;
	} else if (*m != 0) {
		gprintf("memory holds junk 0x%lx at boot at +0x%lx\n", *m,
			addr - dt.mem_base);
		ok = false;
	}
	*m = MARKER;
	return ok;
}

/* The end of the guest's image and .bss (guest.ld). */
extern char __bss_end[]; /* NOLINT(bugprone-reserved-identifier) */

/* A word of the RAM that is not the guest's own nor the DTB's. */
static bool free_word(uint64_t addr, uint64_t dtb, uint64_t dtb_end)
{
	return addr >= (uint64_t)__bss_end && addr >= dt.mem_base &&
	       addr + 8 <= dt.mem_base + dt.mem_size &&
	       (addr + 8 <= dtb || addr >= dtb_end);
}

/*
 * The RAM must be clear at every boot: one word in the middle, and the
 * words around the device tree, which the hypervisor copies in after
 * clearing all but the pages an image covers whole: the word before it,
 * the last word of its last page (past its end) and the first word of
 * the page after. A load that skipped one page too many at either end
 * leaves this boot's marker there for the next.
 */
static void check_memory_cleared(const void *dtb_ptr)
{
	uint64_t dtb = (uint64_t)dtb_ptr;
	const uint8_t *h = dtb_ptr;
	uint64_t size = (uint64_t)h[4] << 24 | (uint64_t)h[5] << 16 |
			(uint64_t)h[6] << 8 | h[7]; /* totalsize, big-endian */
	uint64_t dtb_end = dtb + size;
	uint64_t page_end = (dtb_end + 4095) & ~4095UL;
	uint64_t words[4] = { dt.mem_base + MARKER_OFFSET, dtb - 8,
			      page_end - 8, page_end };
	bool ok = true;

	for (unsigned i = 0; i < 4; i++) {
		if (free_word(words[i], dtb, dtb_end)) {
			ok = check_word(words[i]) && ok;
		}
	}
	if (ok) {
		gputs("memory clear at boot");
	}
}

static void start_secondaries(void)
{
	for (unsigned i = 1; i < dt.cpus; i++) {
		int64_t r = psci_call(0xc4000003, i,
				      (uint64_t)secondary_entry, i);

		gprintf("CPU_ON vCPU %u: %d\n", i, (int)r);
	}
	while (__atomic_load_n(&vcpus_up, __ATOMIC_ACQUIRE) + 1 < dt.cpus) {
		__asm__ volatile("yield");
	}
	gprintf("all %u vCPUs up\n", dt.cpus);
}

/*
 * cpu-on-race=N: vCPUs 0, 1 and 2 call CPU_ON for vCPU 3 at the same time,
 * N rounds; vCPU 3 counts its start and calls CPU_OFF. Each round must
 * give exactly one SUCCESS and ALREADY_ON for the others, never
 * ON_PENDING (issue 15, item 8; DEN0022D 5.1.4, CPU_ON), as KVM and QEMU
 * answer.
 */
#define RACE_TARGET 3
#define RACE_CALLERS 3
static volatile uint32_t race_gen, race_arrived, race_started;
static volatile int64_t race_ret[RACE_CALLERS];

static void race_wait_gen(uint32_t gen)
{
	while (__atomic_load_n(&race_gen, __ATOMIC_ACQUIRE) < gen) {
		__asm__ volatile("wfe");
	}
}

/* One caller's CPU_ON of round @gen. */
static void race_call(unsigned me, uint32_t gen)
{
	race_wait_gen(gen);
	race_ret[me] = psci_call(0xc4000003, RACE_TARGET,
				 (uint64_t)secondary_entry, RACE_TARGET);
	__atomic_fetch_add(&race_arrived, 1, __ATOMIC_ACQ_REL);
	__asm__ volatile("sev");
}

static void race_caller(unsigned me, uint64_t rounds)
{
	for (uint32_t gen = 1; gen <= rounds; gen++) {
		race_call(me, gen);
	}
	for (;;) {
		__asm__ volatile("wfi");
	}
}

static void cpu_on_race(uint64_t rounds)
{
	unsigned ok = 0, already = 0, pending = 0, other = 0;

	if (dt.cpus < RACE_TARGET + 1) {
		gputs("cpu-on race: needs 4 vCPUs");
		return;
	}
	for (unsigned i = 1; i < RACE_CALLERS; i++) {
		(void)psci_call(0xc4000003, i, (uint64_t)secondary_entry, i);
	}
	for (uint32_t gen = 1; gen <= rounds; gen++) {
		/* vCPU 3 off again before the next round. */
		while (psci_call(0xc4000004, RACE_TARGET, 0, 0) != 1) {
			__asm__ volatile("yield");
		}
		__atomic_store_n(&race_gen, gen, __ATOMIC_RELEASE);
		__asm__ volatile("sev");
		race_call(0, gen);
		while (__atomic_load_n(&race_arrived, __ATOMIC_ACQUIRE) <
		       gen * RACE_CALLERS) {
			__asm__ volatile("wfe");
		}
		for (unsigned i = 0; i < RACE_CALLERS; i++) {
			switch (race_ret[i]) {
			case 0:
				ok++;
				break;
			case -4:
				already++;
				break;
			case -5:
				pending++;
				break;
			default:
				other++;
				break;
			}
		}
	}
	while (psci_call(0xc4000004, RACE_TARGET, 0, 0) != 1) {
		__asm__ volatile("yield");
	}
	gprintf("cpu-on race: %lu rounds: SUCCESS %u, ALREADY_ON %u, "
		"ON_PENDING %u, other %u; target started %u times\n",
		rounds, ok, already, pending, other, race_started);
}

/*
 * thumb-el0: a 16-bit Thumb store to the emulated UART from AArch32 EL0
 * (issue 15, item 5). Cortex-A53 implements AArch32 at EL0, whatever the
 * sanitised ID_AA64PFR0_EL1 says, and with EL1 in AArch64 the exception
 * reaches EL2 on the vector for a lower EL using AArch64 (DDI 0487 J.a,
 * D1.10.2). The hypervisor must step the PC by the instruction's length,
 * ESR_EL2.IL (2 here), so the MOVS after the store runs: r2 becomes 1.
 * The code, hand-encoded Thumb (DDI 0487 J.a, F3 T32 encodings):
 *   strb r1, [r0]   0x7001 (STRB immediate T1, imm5 0)
 *   movs r2, #1     0x2201 (MOV immediate T1)
 *   svc  #0         0xdf00 (back to EL1: guest_a32_hook)
 * a32_run(pc, r0, r1) saves x19-x30 and SP, ERETs to AArch32 User mode
 * in Thumb state (SPSR_EL1 M[4] = 1, T = 1); a32_back is where the hook
 * resumes at EL1, and returns r2.
 */
__asm__(".text\n"
	".balign 4\n"
	"thumb_store:\n"
	"	.hword 0x7001, 0x2201, 0xdf00, 0xdf00\n"
	".balign 4\n"
	"a32_run:\n"
	"	adrp x9, a32_save\n"
	"	add x9, x9, :lo12:a32_save\n"
	"	stp x19, x20, [x9, #0]\n"
	"	stp x21, x22, [x9, #16]\n"
	"	stp x23, x24, [x9, #32]\n"
	"	stp x25, x26, [x9, #48]\n"
	"	stp x27, x28, [x9, #64]\n"
	"	stp x29, x30, [x9, #80]\n"
	"	mov x10, sp\n"
	"	str x10, [x9, #96]\n"
	"	msr elr_el1, x0\n"
	"	mov x10, #0x30\n" /* AArch32, T, User, DAIF clear */
	"	msr spsr_el1, x10\n"
	"	mov x0, x1\n"
	"	mov x1, x2\n"
	"	mov x2, #0\n"
	"	isb\n"
	"	eret\n"
	"a32_back:\n"
	"	adrp x9, a32_save\n"
	"	add x9, x9, :lo12:a32_save\n"
	"	ldr x10, [x9, #96]\n"
	"	mov sp, x10\n"
	"	ldp x19, x20, [x9, #0]\n"
	"	ldp x21, x22, [x9, #16]\n"
	"	ldp x23, x24, [x9, #32]\n"
	"	ldp x25, x26, [x9, #48]\n"
	"	ldp x27, x28, [x9, #64]\n"
	"	ldp x29, x30, [x9, #80]\n"
	"	mov w0, w2\n"
	"	ret\n");

uint64_t a32_save[13];
static volatile uint64_t a32_esr;
extern char thumb_store[], a32_back[];
uint32_t a32_run(uint64_t pc, uint64_t r0, uint64_t r1);

uint64_t guest_a32_hook(uint64_t esr)
{
	a32_esr = esr;
	return (uint64_t)a32_back;
}

static void thumb_el0(void)
{
	uint32_t r2;

	gprintf("thumb el0 store: ");
	r2 = a32_run((uint64_t)thumb_store, 0x09000000, 'T');
	gprintf(", next instruction %s (r2 %u), back by EC 0x%x\n",
		r2 == 1 ? "ran" : "SKIPPED", r2, (unsigned)(a32_esr >> 26));
}

/*
 * fault-loop: point VBAR_EL1 at an address outside the partition's memory
 * and load from another: the injected abort's vector fetch aborts again,
 * at the same PC and address every time. The hypervisor's loop guard
 * stops the partition (docs/lifecycle.md, "Unbacked memory").
 */
static void fault_loop(void)
{
	uint64_t v;

	gputs("fault loop: vectors outside memory, then a load outside it");
	__asm__ volatile("msr vbar_el1, %1\n\t"
			 "isb\n\t"
			 "ldr %0, [%2]"
			 : "=r"(v)
			 : "r"(0x30000000ULL), "r"(0x30001000ULL)
			 : "memory");
	gputs("fault loop: UNEXPECTED return");
}

/*
 * debug-check: self-hosted debug in the partition (issue 15, item 9),
 * DDI 0487 J.a D2 "AArch64 Self-hosted Debug": an EL1 breakpoint
 * (DBGBVR0/DBGBCR0: E, PMC = EL1, BAS = all), a store watchpoint
 * (DBGWVR0/DBGWCR0: E, PAC = EL1, LSC = store, BAS = 8 bytes), and
 * software step over three instructions, one of them a store to the
 * emulated UART that the hypervisor performs (the step must still end
 * after it, not one later). MDSCR_EL1: MDE (15), KDE (13), SS (0);
 * OSLAR_EL1 = 0 unlocks; PSTATE.D clear.
 */
static volatile unsigned dbg_bkpt, dbg_watch, dbg_steps;
static volatile uint64_t dbg_step_pc[8];
static volatile uint64_t dbg_var;
extern char dbg_bp_insn[], dbg_st0[], dbg_st1[], dbg_st2[], dbg_st3[];

bool guest_debug_hook(uint64_t esr, uint64_t *elr)
{
	switch (esr >> 26) {
	case 0x31: /* breakpoint: disable it, run the instruction */
		dbg_bkpt++;
		__asm__ volatile("msr dbgbcr0_el1, xzr\n\tisb");
		return true;
	case 0x35: /* watchpoint: disable it, run the access */
		dbg_watch++;
		__asm__ volatile("msr dbgwcr0_el1, xzr\n\tisb");
		return true;
	case 0x33: /* software step: record, go on stepping */
		if (dbg_steps < 8) {
			dbg_step_pc[dbg_steps] = *elr;
		}
		dbg_steps++;
		/* Step the next one too: SPSR_EL1.SS = 1 (D2.12). */
		__asm__ volatile("mrs x9, spsr_el1\n\t"
				 "orr x9, x9, #(1 << 21)\n\t"
				 "msr spsr_el1, x9" ::: "x9");
		return true;
	default:
		return false;
	}
}

static void debug_check(void)
{
	uint64_t ss_on = (1u << 15) | (1u << 13) | 1u;

	__asm__ volatile("msr oslar_el1, xzr\n\t"
			 "msr mdscr_el1, %0\n\t"
			 "msr dbgbvr0_el1, %1\n\t"
			 "msr dbgbcr0_el1, %2\n\t"
			 "msr dbgwvr0_el1, %3\n\t"
			 "msr dbgwcr0_el1, %4\n\t"
			 "isb\n\t"
			 "msr daifclr, #8\n\t"
			 "isb"
			 :
			 : "r"((uint64_t)((1u << 15) | (1u << 13))),
			   "r"((uint64_t)dbg_bp_insn),
			   "r"((uint64_t)(1u | (1u << 1) | (0xfu << 5))),
			   "r"((uint64_t)&dbg_var),
			   "r"((uint64_t)(1u | (1u << 1) | (2u << 3) |
					  (0xffu << 5))));
	gputs("debug: armed");
	__asm__ volatile(".global dbg_bp_insn\n"
			 "dbg_bp_insn:\n\tnop" ::: "memory");
	gprintf("debug: breakpoint %u\n", dbg_bkpt);
	dbg_var = 42; /* the watched store */
	gprintf("debug: watchpoint %u\n", dbg_watch);
	/* Step: MDSCR_EL1.SS and SPSR_EL1.SS = 1, ERET to the first
	 * instruction; each step exception returns with SPSR.SS still 1
	 * until MDSCR_EL1.SS is cleared at dbg_st3. */
	__asm__ volatile("msr daifset, #8\n\t" /* no step until the ERET */
			 "msr mdscr_el1, %0\n\t"
			 "adr x9, dbg_st0\n\t"
			 "msr elr_el1, x9\n\t"
			 "mov x9, #0x1c5\n\t" /* EL1h, A, I, F masked, D clear */
			 "orr x9, x9, #(1 << 21)\n\t" /* SS */
			 "msr spsr_el1, x9\n\t"
			 "mov x10, #0x09000000\n\t"
			 "mov w11, #0x53\n\t" /* 'S' */
			 "isb\n\t"
			 "eret\n"
			 ".global dbg_st0, dbg_st1, dbg_st2, dbg_st3\n"
			 "dbg_st0:\tmov x12, #1\n"
			 "dbg_st1:\tstrb w11, [x10]\n"
			 "dbg_st2:\tadd x12, x12, #1\n"
			 "dbg_st3:\tmsr mdscr_el1, %1\n\t"
			 "isb"
			 :
			 : "r"(ss_on), "r"((uint64_t)((1u << 15) | (1u << 13)))
			 : "x9", "x10", "x11", "x12", "memory");
	__asm__ volatile("msr daifset, #8\n\tmsr mdscr_el1, xzr\n\tisb");
	gprintf(" <- stepped store\ndebug: breakpoint %u, watchpoint %u "
		"(value %lu), steps %u: %s\n",
		dbg_bkpt, dbg_watch, dbg_var, dbg_steps,
		dbg_steps >= 3 && dbg_step_pc[0] == (uint64_t)dbg_st1 &&
				dbg_step_pc[1] == (uint64_t)dbg_st2 &&
				dbg_step_pc[2] == (uint64_t)dbg_st3
			? "one instruction each"
			: "WRONG");
	if (dbg_steps >= 3) {
		gprintf("debug: step pcs +%lu +%lu +%lu\n",
			dbg_step_pc[0] - (uint64_t)dbg_st0,
			dbg_step_pc[1] - (uint64_t)dbg_st0,
			dbg_step_pc[2] - (uint64_t)dbg_st0);
	}
}

static void psci_checks(void)
{
	gprintf("PSCI_VERSION 0x%x\n", (unsigned)psci_call(0x84000000, 0, 0, 0));
	gprintf("CPU_ON self: %d\n",
		(int)psci_call(0xc4000003, 0, (uint64_t)secondary_entry, 0));
	gprintf("CPU_ON vCPU 7: %d\n",
		(int)psci_call(0xc4000003, 7, (uint64_t)secondary_entry, 7));
	gprintf("CPU_ON bad entry: %d\n",
		(int)psci_call(0xc4000003, 1, 0x1000, 1));
	gprintf("AFFINITY_INFO vCPU 0: %d\n",
		(int)psci_call(0xc4000004, 0, 0, 0));
	gprintf("AFFINITY_INFO vCPU 1: %d\n",
		(int)psci_call(0xc4000004, 1, 0, 0));
	gprintf("PSCI_FEATURES CPU_ON: %d, CPU_SUSPEND: %d\n",
		(int)psci_call(0x8400000a, 0xc4000003, 0, 0),
		(int)psci_call(0x8400000a, 0xc4000001, 0, 0));
}

/* HVC #0 @fid with x1-x17 holding known values: returns x0 and sets *kept
 * if x1-x17 came back unchanged (the vector answers the version calls
 * itself, with a register save of its own). */
static int64_t hvc_regs_kept(uint32_t fid, bool *kept)
{
	uint64_t r[18];

	for (unsigned i = 1; i < 18; i++) {
		r[i] = 0x5a5a000000000000ULL | (i << 8) | i;
	}
	r[0] = fid;
	__asm__ volatile("ldp x0, x1, [%0]\n\t"
			 "ldp x2, x3, [%0, #16]\n\t"
			 "ldp x4, x5, [%0, #32]\n\t"
			 "ldp x6, x7, [%0, #48]\n\t"
			 "ldp x8, x9, [%0, #64]\n\t"
			 "ldp x10, x11, [%0, #80]\n\t"
			 "ldp x12, x13, [%0, #96]\n\t"
			 "ldp x14, x15, [%0, #112]\n\t"
			 "ldp x16, x17, [%0, #128]\n\t"
			 "hvc #0\n\t"
			 "stp x0, x1, [%0]\n\t"
			 "stp x2, x3, [%0, #16]\n\t"
			 "stp x4, x5, [%0, #32]\n\t"
			 "stp x6, x7, [%0, #48]\n\t"
			 "stp x8, x9, [%0, #64]\n\t"
			 "stp x10, x11, [%0, #80]\n\t"
			 "stp x12, x13, [%0, #96]\n\t"
			 "stp x14, x15, [%0, #112]\n\t"
			 "stp x16, x17, [%0, #128]"
			 :
			 : "r"(r)
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
			   "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	*kept = true;
	for (unsigned i = 1; i < 18; i++) {
		if (r[i] != (0x5a5a000000000000ULL | (i << 8) | i)) {
			*kept = false;
		}
	}
	return (int64_t)r[0];
}

static void hvc_version_regs(void)
{
	bool kp, ks;
	int64_t p = hvc_regs_kept(0x84000000, &kp);
	int64_t s = hvc_regs_kept(0x80000000, &ks);

	gprintf("HVC PSCI_VERSION 0x%x, SMCCC_VERSION 0x%x, x1-x17 %s\n",
		(unsigned)p, (unsigned)s, kp && ks ? "kept" : "CHANGED");
}

static void hvc_junk(void)
{
	hvc_version_regs();
	gprintf("HVC 0x86001234: %d\n", (int)psci_call(0x86001234, 1, 2, 3));
	gprintf("SMC 0x82000010: %d\n", (int)smc_call(0x82000010, 1, 2, 3));
	gprintf("SMC PSCI_VERSION: 0x%x\n",
		(unsigned)smc_call(0x84000000, 0, 0, 0));
}

static void pmu_check(void)
{
	uint64_t dfr0, pmcr = 0, cycles = 0;
	unsigned ver;
	bool readable;

	__asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(dfr0));
	ver = (unsigned)(dfr0 >> 8) & 0xf;
	readable = probe_pmcr(&pmcr);
	if (readable && ver != 0) {
		__asm__ volatile("msr pmcntenset_el0, %0" : : "r"(1ULL << 31));
		__asm__ volatile("msr pmcr_el0, %0; isb" : : "r"(pmcr | 1));
		delay_ms(5);
		__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(cycles));
		__asm__ volatile("msr pmcr_el0, %0; isb" : : "r"(pmcr & ~1ULL));
	}
	gprintf("pmu: PMUVer %u, PMCR_EL0 %s, %u counters, cycle counter %s\n",
		ver, readable ? "readable" : "UNDEF",
		(unsigned)(pmcr >> 11) & 0x1f,
		cycles != 0 ? "counting" : "not counting");
}

static void probe_list(const char *args)
{
	uint64_t addr[16];
	unsigned n = arg_list(args, "probe", addr, 16);

	if (!arg_has(args, "probe")) {
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t a = addr[i], v = 0;

		gprintf("probe 0x%lx read: %s\n", a,
			probe_read(a, &v) ? "SUCCEEDED" : "aborted");
		gprintf("probe 0x%lx write: %s\n", a,
			probe_write(a, 0x5a5a5a5a5a5a5a5aULL) ? "SUCCEEDED"
							      : "aborted");
	}
	gputs("probes done");
}

/* SP805 (DDI 0270B 3.3): unlock, load @n, INTEN | RESEN; never pet. */
static void wdog_start(uint64_t n)
{
	volatile uint32_t *wd = (volatile uint32_t *)0x09800000UL;

	wd[0xc00 / 4] = 0x1acce551u; /* WdogLock */
	wd[0x000 / 4] = (uint32_t)n; /* WdogLoad */
	wd[0x008 / 4] = 3u;	     /* WdogControl */
	gprintf("watchdog started, load %lu\n", n);
}

static void echo(void)
{
	volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + 0x000);
	volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + 0x018);
	char line[128];
	unsigned n = 0;

	gputs("echo: ready");
	for (;;) {
		char c;

		if (*fr & (1u << 4)) {
			__asm__ volatile("yield");
			continue;
		}
		c = (char)(*dr & 0xff);
		if (c == '\r' || c == '\n') {
			line[n] = '\0';
			gprintf("echo: got \"%s\"\n", line);
			n = 0;
		} else if (n < sizeof(line) - 1) {
			line[n++] = c;
		}
	}
}

/* A memory hog (bootargs "hog", "hog-attack"): see the top. vCPU @index
 * stores over its own 256 KiB; only vCPU 0 prints. */
static void hog(unsigned index, bool attack)
{
	volatile uint64_t *buf = (volatile uint64_t *)(dt.mem_base + (16UL << 20) +
						       index * (256UL << 10));

	if (attack) {
		unsigned undef = 0;

		for (unsigned i = 0; i < PMU_ACCESSES; i++) {
			undef += probe_pmu_access(i) ? 0u : 1u;
		}
		gprintf("hog-attack: %u of %u accesses UNDEF\n", undef,
			(unsigned)PMU_ACCESSES);
	}
	for (uint64_t pass = 1;; pass++) {
		for (uint64_t i = 0; i < (256u << 10) / 8; i += 8) {
			buf[i] = pass + i;
		}
		(void)*(volatile uint32_t *)(UART_BASE + 0x018);
		if (pass % 8192 == 0 && index == 0) {
			gprintf("hog: %lu passes\n", pass);
		}
	}
}

/* A test guest's flat script of steps: the size limit is the hypervisor's. */
/* NOLINTNEXTLINE(readability-function-size) */
void guest_main(const void *dtb)
{
	uint64_t beats, period, reset_after, off_after;

	if (!dt_parse(dtb, &dt)) {
		gputs("no valid DTB in x0");
		return;
	}
	gprintf("hello from vCPU 0: %u vCPU(s), memory 0x%lx bytes at 0x%lx\n",
		dt.cpus, dt.mem_size, dt.mem_base);
	gprintf("bootargs: %s\n", dt.bootargs);
	check_memory_cleared(dtb);
	if (arg_has(dt.bootargs, "psci-checks")) {
		psci_checks();
	}
	if (arg_has(dt.bootargs, "irq-watch")) {
		(void)watch_init(dtb);
	}
	if (arg_has(dt.bootargs, "smp")) {
		start_secondaries();
	}
	if (arg_has(dt.bootargs, "debug-check")) {
		debug_check();
	}
	if (arg_has(dt.bootargs, "fault-loop")) {
		fault_loop();
	}
	if (arg_has(dt.bootargs, "thumb-el0")) {
		thumb_el0();
	}
	if (arg_has(dt.bootargs, "cpu-on-race")) {
		cpu_on_race(arg_num(dt.bootargs, "cpu-on-race", 100));
	}
	if (arg_has(dt.bootargs, "hvc-junk")) {
		hvc_junk();
	}
	canary = arg_has(dt.bootargs, "canary") ||
		 arg_has(dt.bootargs, "canary-ends");
	canary_ends = canary;
	if (canary) {
		canary_fill();
	}
	if (canary_ends) {
		canary_ends_fill();
	}
	if (arg_has(dt.bootargs, "pmu-check")) {
		pmu_check();
	}
	probe_list(dt.bootargs);
	if (arg_num(dt.bootargs, "wdog-load", 0) != 0) {
		wdog_start(arg_num(dt.bootargs, "wdog-load", 0));
	}
	if (arg_has(dt.bootargs, "flood")) {
		for (uint64_t n = 0;; n++) {
			gprintf("flood %lu: the quick brown fox jumps over the "
				"lazy dog, again and again\n", n);
		}
	}
	if (arg_has(dt.bootargs, "echo")) {
		echo();
	}
	if (arg_has(dt.bootargs, "hog") || arg_has(dt.bootargs, "hog-attack")) {
		hog(0, arg_has(dt.bootargs, "hog-attack"));
	}
	beats = arg_num(dt.bootargs, "beats", ~0ULL);
	period = arg_num(dt.bootargs, "beat-ms", 20);
	reset_after = arg_num(dt.bootargs, "reset-after", ~0ULL);
	off_after = arg_num(dt.bootargs, "off-after", ~0ULL);
	for (uint64_t n = 1; n <= beats; n++) {
		if (watch_spi != 0) {
			watch_window();
		}
		delay_ms((unsigned)period);
		if (watch_spi != 0) {
			watch_line(n, canary_state());
		} else {
			gprintf("heartbeat %lu%s\n", n, canary_state());
		}
		if (n == reset_after) {
			gputs("calling SYSTEM_RESET");
			psci_call(0x84000009, 0, 0, 0);
			gputs("SYSTEM_RESET returned");
		}
		if (n == off_after) {
			gputs("calling SYSTEM_OFF");
			psci_call(0x84000008, 0, 0, 0);
			gputs("SYSTEM_OFF returned");
		}
	}
	if (arg_num(dt.bootargs, "hv-selftest", 0) != 0) {
		gputs("requesting EL2 self-test");
		psci_call(0xc6000f00u + (uint32_t)arg_num(dt.bootargs,
							  "hv-selftest", 0),
			  0, 0, 0);
		gputs("EL2 self-test returned");
	}
	gputs("done");
}

void guest_secondary(uint64_t index)
{
	uint64_t mpidr;

	if (arg_has(dt.bootargs, "cpu-on-race")) {
		if (index == RACE_TARGET) {
			uint32_t gen = __atomic_load_n(&race_gen,
						       __ATOMIC_ACQUIRE);

			__atomic_fetch_add(&race_started, 1, __ATOMIC_RELEASE);
			/* Off only once every caller of the round has been
			 * answered, so a late one cannot start it again. */
			while (__atomic_load_n(&race_arrived, __ATOMIC_ACQUIRE) <
			       gen * RACE_CALLERS) {
				__asm__ volatile("wfe");
			}
			(void)psci_call(0x84000002, 0, 0, 0); /* CPU_OFF */
		}
		race_caller((unsigned)index,
			    arg_num(dt.bootargs, "cpu-on-race", 100));
	}
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	gprintf("hello from vCPU %lu (MPIDR 0x%lx)\n", index, mpidr);
	if (watch_spi != 0) {
		watch_cpu_init((unsigned)index);
	}
	__atomic_fetch_add(&vcpus_up, 1, __ATOMIC_RELEASE);
	if (arg_has(dt.bootargs, "probe-smp")) {
		probe_list(dt.bootargs);
	}
	if (arg_has(dt.bootargs, "hog")) {
		hog((unsigned)index, false);
	}
	for (;;) {
		__asm__ volatile("wfi");
	}
}
