/* SPDX-License-Identifier: MIT */
/*
 * GIC and generic timer conformance test guest. Runs at EL1 on a machine
 * that looks like QEMU virt (GICv2 or GICv3), natively or in a partition.
 * Every test prints "TEST <name> PASS" or "TEST <name> FAIL: <details>";
 * the run ends with "GICTEST DONE: N passed, M failed" and PSCI
 * SYSTEM_OFF. Every wait is bounded by the generic counter, and a timeout
 * is a failure, so the guest never hangs.
 *
 * Boot arguments (/chosen/bootargs):
 *   spis=A,B,...   SPIs (INTIDs) the tests may use; at least 8 (default
 *                  48..55: the virt virtio-mmio slots, which nothing drives)
 *   tests=a,b,...  run only these tests (default: all)
 *   ppi=N          PPI used by the "enable" test (default 27)
 *
 * Spec references: IHI 0069H (GICv3/v4) and IHI 0048B.b (GICv2), cited by
 * section title; see tests/guests/lib/gic.h.
 */
#include "gic.h"
#include "guest.h"

#define MIN_SPIS 8
#define MAX_SPIS 16
#define MAX_RECS 64
#define STORM_LIMIT 200
#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define PRIO_TEST 0x80

/* Distributor offsets used directly by the "init" test. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_PIDR2_V3 0xffe8
#define GICD_PIDR2_V2 0x0fe8
#define GICR_WAKER 0x0014
#define GICC_CTLR 0x0000
#define GICC_IIDR 0x00fc

/* Generic timer CNT*_CTL_EL0 bits (Arm ARM DDI 0487, D11 "The Generic
 * Timer in AArch64 state"). */
#define CTL_ENABLE (1u << 0)
#define CTL_IMASK (1u << 1)
#define CTL_ISTATUS (1u << 2)

#define PSCI_CPU_ON 0xc4000003u
#define PSCI_SYSTEM_OFF 0x84000008u

/* ---- Result text: a tiny formatter into fixed buffers ---- */

/** Accumulated failure or note text for the current test. */
struct msgbuf {
	char s[480];
	unsigned n;
};

static struct msgbuf fails, notes;

static void mb_putc(struct msgbuf *b, char c)
{
	if (b->n + 1 < sizeof(b->s)) {
		b->s[b->n++] = c;
		b->s[b->n] = '\0';
	}
}

static void mb_num(struct msgbuf *b, uint64_t v, unsigned base, int width,
		   char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (width-- > n) {
		mb_putc(b, pad);
	}
	while (n > 0) {
		mb_putc(b, tmp[--n]);
	}
}

/* Supports %s %c %d %u %x with an optional 0 flag, width and l. */
static void mb_vadd(struct msgbuf *b, const char *f, va_list ap)
{
	if (b->n != 0) {
		mb_putc(b, ';');
		mb_putc(b, ' ');
	}
	for (; *f != '\0'; f++) {
		int width = 0;
		bool lng = false;
		char pad = ' ';

		if (*f != '%') {
			mb_putc(b, *f);
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
			lng = true;
			f++;
		}
		if (*f == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++) {
				mb_putc(b, *s);
			}
		} else if (*f == 'd') {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			if (v < 0) {
				mb_putc(b, '-');
				v = -v;
			}
			mb_num(b, (uint64_t)v, 10, width, pad);
		} else if (*f == 'u' || *f == 'x') {
			uint64_t v = lng ? va_arg(ap, uint64_t)
					 : va_arg(ap, unsigned);

			mb_num(b, v, *f == 'u' ? 10 : 16, width, pad);
		} else {
			mb_putc(b, *f);
		}
	}
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mb_vadd(&fails, fmt, ap);
	va_end(ap);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mb_vadd(&notes, fmt, ap);
	va_end(ap);
}

/* ---- Configuration ---- */

static struct dt_info dt;
static uint32_t spis[MAX_SPIS];
static unsigned spi_count;
static uint32_t test_ppi = PPI_VTIMER;
static const char *test_list;
static bool psci_smc;
static bool gic_ok;

/* ---- Interrupt log, one per vCPU ---- */

/** One acknowledged interrupt, as seen on entry to the handler. */
struct irq_rec {
	uint32_t intid;
	uint32_t iar;
	uint32_t rpr;
	bool pending;
	bool active;
	uint8_t depth;
};

/** What one vCPU's IRQ handler saw since the last log reset. */
struct cpu_log {
	volatile uint32_t n;
	struct irq_rec rec[MAX_RECS];
	volatile uint16_t count[GIC_FIRST_SPECIAL];
	volatile uint32_t spurious;
	volatile uint32_t depth;
	volatile uint32_t max_depth;
	volatile uint32_t storm;
};

static struct cpu_log logs[GUEST_MAX_VCPUS];

/** What the IRQ handler of vCPU 0 does besides logging and EOI. */
enum scen_kind {
	SCEN_NONE,
	SCEN_TIMER,
	SCEN_PREEMPT,
	SCEN_EOI_ORDER,
	SCEN_DISABLE_ACTIVE,
	SCEN_REPEND,
};

/** Scenario inputs (a..d, timer) and what the handler observed. */
struct scen {
	volatile enum scen_kind kind;
	uint32_t a, b, c, d;
	bool phys;
	uint32_t ppi;
	volatile bool ok1, ok2, st1, st2, st3, st4;
	volatile uint32_t rpr1, rpr2, early_c, early_d;
	volatile uint64_t cnt, cval, ctl;
};

static struct scen sc;

static void scen_reset(enum scen_kind kind)
{
	sc.kind = SCEN_NONE;
	sc.a = sc.b = sc.c = sc.d = 0;
	sc.phys = false;
	sc.ppi = 0;
	sc.ok1 = sc.ok2 = sc.st1 = sc.st2 = sc.st3 = sc.st4 = false;
	sc.rpr1 = sc.rpr2 = sc.early_c = sc.early_d = 0;
	sc.cnt = sc.cval = sc.ctl = 0;
	__atomic_store_n(&sc.kind, kind, __ATOMIC_RELEASE);
}

static void log_reset(unsigned cpu)
{
	struct cpu_log *l = &logs[cpu];

	for (unsigned i = 0; i < GIC_FIRST_SPECIAL; i++) {
		l->count[i] = 0;
	}
	l->n = 0;
	l->spurious = 0;
	l->depth = 0;
	l->max_depth = 0;
	l->storm = 0;
}

static uint64_t ms_ticks(unsigned ms)
{
	return ticks_per_sec() / 1000 * ms;
}

/*
 * Pause in a wait loop. Under QEMU TCG each YIELD ends the translation
 * block and returns to QEMU's main loop (so another vCPU may run, which
 * matters with one TCG thread, e.g. under -icount); that is costly in host
 * time, so spin a little between yields.
 */
static void relax(void)
{
	for (unsigned i = 0; i < 64; i++) {
		__asm__ volatile("nop" : : : "memory");
	}
	__asm__ volatile("yield" : : : "memory");
}

/* A delay like delay_ms(), with the cheaper relax(). */
static void settle(unsigned ms)
{
	uint64_t end = now_ticks() + ms_ticks(ms);

	while (now_ticks() < end) {
		relax();
	}
}

/* The handler writes the logs behind the compiler's back: after a wait,
 * reload everything from memory. */
static void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

/* Wait until vCPU cpu has taken intid at least n times. */
static bool wait_count(unsigned cpu, uint32_t intid, unsigned n, unsigned ms)
{
	uint64_t end = now_ticks() + ms_ticks(ms);

	while (logs[cpu].count[intid] < n) {
		if (now_ticks() > end) {
			return false;
		}
		relax();
	}
	barrier();
	return true;
}

static bool wait_total(unsigned cpu, unsigned n, unsigned ms)
{
	uint64_t end = now_ticks() + ms_ticks(ms);

	while (logs[cpu].n < n) {
		if (now_ticks() > end) {
			return false;
		}
		relax();
	}
	barrier();
	return true;
}

/* Wait until intid reads the wanted pending and active state. */
static bool wait_state(uint32_t intid, bool pend, bool act, unsigned ms)
{
	uint64_t end = now_ticks() + ms_ticks(ms);

	while (gic_is_pending(intid) != pend || gic_is_active(intid) != act) {
		if (now_ticks() > end) {
			return false;
		}
		relax();
	}
	return true;
}

static uint32_t prio(uint32_t p)
{
	return p & gic_prio_mask();
}

/* Fail unless intid ends up neither pending nor active. */
static void expect_idle(uint32_t intid, const char *when)
{
	if (!wait_state(intid, false, false, 100)) {
		fail("%s: INTID %u still pending=%u active=%u", when, intid,
		     gic_is_pending(intid), gic_is_active(intid));
	}
}

static void expect_rpr_idle(const char *when)
{
	uint32_t rpr = gic_rpr();

	if (rpr != GIC_PRIO_IDLE) {
		fail("%s: RPR 0x%x, want idle 0xff", when, rpr);
	}
}

static void expect_count(unsigned cpu, uint32_t intid, unsigned want,
			 const char *what)
{
	unsigned got = logs[cpu].count[intid];

	if (got != want) {
		fail("%s: INTID %u taken %u times on vCPU %u, want %u", what,
		     intid, got, cpu, want);
	}
}

/* ---- Generic timer access ---- */

static uint64_t tmr_cnt(bool phys)
{
	uint64_t v;

	if (phys) {
		__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v));
	} else {
		__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	}
	return v;
}

static uint64_t tmr_ctl(bool phys)
{
	uint64_t v;

	if (phys) {
		__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	} else {
		__asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
	}
	return v;
}

static void tmr_set_ctl(bool phys, uint64_t v)
{
	if (phys) {
		__asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" : : "r"(v));
	} else {
		__asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" : : "r"(v));
	}
}

static uint64_t tmr_cval(bool phys)
{
	uint64_t v;

	if (phys) {
		__asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v));
	} else {
		__asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(v));
	}
	return v;
}

static void tmr_set_cval(bool phys, uint64_t v)
{
	if (phys) {
		__asm__ volatile("msr cntp_cval_el0, %0\n\tisb" : : "r"(v));
	} else {
		__asm__ volatile("msr cntv_cval_el0, %0\n\tisb" : : "r"(v));
	}
}

/* ---- The IRQ handler ---- */

static struct irq_rec *log_irq(struct cpu_log *l, uint32_t id, uint32_t iar)
{
	static struct irq_rec overflow;
	uint32_t n = l->n;
	struct irq_rec *r = n < MAX_RECS ? &l->rec[n] : &overflow;

	l->depth++;
	if (l->depth > l->max_depth) {
		l->max_depth = l->depth;
	}
	r->intid = id;
	r->iar = iar;
	r->rpr = gic_rpr();
	r->pending = gic_is_pending(id);
	r->active = gic_is_active(id);
	r->depth = (uint8_t)l->depth;
	l->count[id]++;
	__atomic_store_n(&l->n, n + 1, __ATOMIC_RELEASE);
	if (l->count[id] > STORM_LIMIT) {
		/* A level source that never drops: stop it, never hang. */
		gic_disable(id);
		l->storm = id;
	}
	return r;
}

/* Preempt scenario, in the handler of a (low priority): b must preempt,
 * c (same priority as a) and d (lower) must not (IHI 0069H chapter 4,
 * "Preemption": only a higher group priority than the running priority
 * preempts). */
static void scen_preempt(uint32_t id)
{
	struct gic_nest n;

	if (id != sc.a) {
		return;
	}
	gic_nest_begin(&n);
	gic_set_pending(sc.b);
	sc.ok1 = wait_count(0, sc.b, 1, 1000);
	sc.rpr1 = gic_rpr();
	gic_set_pending(sc.c);
	gic_set_pending(sc.d);
	settle(10);
	sc.early_c = logs[0].count[sc.c];
	sc.early_d = logs[0].count[sc.d];
	sc.st1 = gic_is_pending(sc.c);
	sc.st2 = gic_is_pending(sc.d);
	gic_nest_end(&n);
}

/* EOI order scenario: a nests b, b nests c; each level checks the running
 * priority after the inner one's EOI (IHI 0069H chapter 4, "Priority drop
 * and interrupt deactivation"). */
static void scen_eoi_order(uint32_t id)
{
	struct gic_nest n;

	if (id == sc.a) {
		gic_nest_begin(&n);
		gic_set_pending(sc.b);
		sc.ok1 = wait_count(0, sc.b, 1, 1000);
		sc.rpr1 = gic_rpr();
		sc.st1 = gic_is_active(sc.b);
		sc.st2 = gic_is_active(sc.a);
		gic_nest_end(&n);
	} else if (id == sc.b) {
		gic_nest_begin(&n);
		gic_set_pending(sc.c);
		sc.ok2 = wait_count(0, sc.c, 1, 1000);
		sc.rpr2 = gic_rpr();
		sc.st3 = gic_is_active(sc.c);
		sc.st4 = gic_is_active(sc.b);
		gic_nest_end(&n);
	}
}

static void scenario_irq(uint32_t id)
{
	switch (sc.kind) {
	case SCEN_TIMER:
		if (id == sc.ppi) {
			sc.cnt = tmr_cnt(sc.phys);
			sc.cval = tmr_cval(sc.phys);
			sc.ctl = tmr_ctl(sc.phys);
			/* Deassert the level source before the EOI. */
			tmr_set_ctl(sc.phys, CTL_ENABLE | CTL_IMASK);
		}
		break;
	case SCEN_PREEMPT:
		scen_preempt(id);
		break;
	case SCEN_EOI_ORDER:
		scen_eoi_order(id);
		break;
	case SCEN_DISABLE_ACTIVE:
		if (id == sc.a && logs[0].count[id] == 1) {
			gic_disable(id);
			sc.st1 = gic_is_enabled(id);
			sc.st2 = gic_is_active(id);
		}
		break;
	case SCEN_REPEND:
		if (id == sc.a && logs[0].count[id] == 1) {
			gic_set_pending(id);
			sc.st1 = gic_is_pending(id);
			sc.st2 = gic_is_active(id);
		}
		break;
	case SCEN_NONE:
	default:
		break;
	}
}

/**
 * guest_irq_handler() - The library's IRQ hook: acknowledge, log what the
 * GIC reports on entry, run the current scenario's action (vCPU 0 only),
 * EOI. Spurious INTIDs are counted and not EOId.
 */
bool guest_irq_handler(uint64_t kind)
{
	unsigned me = gic_this_cpu();
	struct cpu_log *l = &logs[me];
	uint32_t iar = gic_ack();
	uint32_t id = gic_iar_intid(iar);

	(void)kind;
	if (id >= GIC_FIRST_SPECIAL) {
		l->spurious++;
		return true;
	}
	(void)log_irq(l, id, iar);
	if (me == 0) {
		scenario_irq(id);
	}
	gic_eoi(iar);
	l->depth--;
	return true;
}

/* ---- Secondary vCPU: runs commands from vCPU 0 ---- */

enum smp_op {
	OP_SGI,
	OP_SGI_OTHERS,
};

/** A command mailbox from vCPU 0 to vCPU 1 (sequence-number protocol). */
struct smp_mbox {
	volatile uint32_t seq;
	volatile uint32_t done;
	volatile uint32_t op;
	volatile uint32_t sgi;
	volatile uint32_t mask;
	volatile uint32_t state;
};

static struct smp_mbox mbox;

/* mbox.state: 0 = not started, 1 = running, 2 = GIC init failed. */
void guest_secondary(uint64_t index)
{
	bool ok = gic_cpu_init((unsigned)index);

	for (uint32_t i = 0; ok && i < GIC_NR_SGIS; i++) {
		gic_set_priority(i, PRIO_TEST);
		gic_enable(i);
	}
	__atomic_store_n(&mbox.state, ok ? 1 : 2, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
	if (!ok || index != 1) {
		for (;;) {
			__asm__ volatile("wfi");
		}
	}
	gic_irq_unmask();
	for (;;) {
		uint32_t seq = __atomic_load_n(&mbox.seq, __ATOMIC_ACQUIRE);

		if (seq != mbox.done) {
			if (mbox.op == OP_SGI) {
				gic_send_sgi(mbox.sgi, mbox.mask);
			} else {
				gic_send_sgi_others(mbox.sgi);
			}
			__atomic_store_n(&mbox.done, seq, __ATOMIC_RELEASE);
		}
		relax();
	}
}

static bool smp_cmd(uint32_t op, uint32_t sgi, uint32_t mask)
{
	uint64_t end = now_ticks() + ms_ticks(1000);
	uint32_t seq = mbox.seq + 1;

	mbox.op = op;
	mbox.sgi = sgi;
	mbox.mask = mask;
	__atomic_store_n(&mbox.seq, seq, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
	while (__atomic_load_n(&mbox.done, __ATOMIC_ACQUIRE) != seq) {
		if (now_ticks() > end) {
			return false;
		}
		relax();
	}
	return true;
}

static int64_t psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return psci_smc ? smc_call(fid, a1, a2, a3) : psci_call(fid, a1, a2, a3);
}

/* Start vCPU 1 once. Returns false (with a failure recorded) if it should
 * exist and does not come up; *present tells whether there is one. */
static bool ensure_secondary(bool *present)
{
	uint64_t end;
	int64_t r;

	*present = dt.cpus >= 2;
	if (!*present || mbox.state == 1) {
		return true;
	}
	if (mbox.state == 0) {
		r = psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)secondary_entry,
			 1);
		if (r != 0) {
			fail("PSCI CPU_ON(1) returned %ld", r);
			return false;
		}
	}
	end = now_ticks() + ms_ticks(2000);
	while (__atomic_load_n(&mbox.state, __ATOMIC_ACQUIRE) == 0) {
		if (now_ticks() > end) {
			fail("vCPU 1 did not come up");
			return false;
		}
		relax();
	}
	if (mbox.state != 1) {
		fail("vCPU 1 GIC init failed: %s", gic_error());
		return false;
	}
	return true;
}

/* ---- Per-test set-up and clean-up ---- */

static void reset_one(uint32_t intid)
{
	gic_disable(intid);
	gic_clear_pending(intid);
	gic_clear_active(intid);
	gic_set_priority(intid, GIC_PRIO_DEFAULT);
}

/* Put every interrupt the tests touch back to the init state. */
static void reset_irqs(void)
{
	gic_irq_mask();
	tmr_set_ctl(false, 0);
	tmr_set_ctl(true, 0);
	for (unsigned i = 0; i < spi_count; i++) {
		reset_one(spis[i]);
		gic_set_config(spis[i], false);
		gic_route_spi(spis[i], 0);
	}
	for (uint32_t i = 0; i < GIC_NR_SGIS; i++) {
		reset_one(i);
	}
	reset_one(PPI_VTIMER);
	reset_one(PPI_PTIMER);
	reset_one(test_ppi);
}

/* Enable each of n INTIDs at the given priority. */
static void setup(const uint32_t *ids, const uint8_t *prios, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		gic_set_priority(ids[i], prios[i]);
		gic_enable(ids[i]);
	}
}

/* ---- Tests ---- */

static void init_v3(void)
{
	uint32_t typer = gic_dist_read(GICD_TYPER);
	uint32_t idbits = (typer >> 19) & 0x1f;
	uint32_t arch = (gic_dist_read(GICD_PIDR2_V3) >> 4) & 0xf;
	uint64_t mpidr, rtyper = gic_redist_typer(0);
	uint32_t waker = gic_redist_read(0, GICR_WAKER);

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	note("IDbits=%u ArchRev=%u GICR_TYPER=0x%lx", idbits + 1, arch,
	     rtyper);
	/* INTIDs 1020..1023 need at least 10 ID bits; at most 24. */
	if (idbits < 9 || idbits > 23) {
		fail("GICD_TYPER.IDbits %u implausible", idbits);
	}
	if (arch != 3 && arch != 4) {
		fail("GICD_PIDR2.ArchRev %u, want 3 or 4", arch);
	}
	if ((rtyper >> 32) != (((mpidr >> 32) & 0xff) << 24 |
			       (mpidr & 0xffffff))) {
		fail("GICR_TYPER affinity 0x%lx != MPIDR 0x%lx", rtyper >> 32,
		     mpidr);
	}
	if ((waker & 6) != 0) {
		fail("GICR_WAKER 0x%x: redistributor asleep", waker);
	}
	if ((gic_icc_sre() & 1) == 0) {
		fail("ICC_SRE_EL1.SRE 0");
	}
	if ((gic_icc_igrpen1() & 1) == 0) {
		fail("ICC_IGRPEN1_EL1.Enable did not stick");
	}
	if ((gic_icc_ctlr() & 2) != 0) {
		fail("ICC_CTLR_EL1.EOImode 1, want 0");
	}
}

static void init_v2(void)
{
	uint32_t typer = gic_dist_read(GICD_TYPER);
	uint32_t ncpu = ((typer >> 5) & 7) + 1;

	note("CPUNumber+1=%u ArchRev=%u GICC_IIDR=0x%x GICC_CTLR=0x%x", ncpu,
	     (gic_dist_read(GICD_PIDR2_V2) >> 4) & 0xf,
	     gic_cpuif_read(GICC_IIDR), gic_cpuif_read(GICC_CTLR));
	if (ncpu < dt.cpus) {
		fail("GICD_TYPER.CPUNumber %u < %u vCPUs", ncpu - 1, dt.cpus);
	}
	if ((gic_cpuif_read(GICC_CTLR) & 1) == 0) {
		fail("GICC_CTLR.Enable did not stick");
	}
	gic_cpuif_write(GICC_CTLR, 0);
	if ((gic_cpuif_read(GICC_CTLR) & 1) != 0) {
		fail("GICC_CTLR.Enable does not clear");
	}
	gic_cpuif_write(GICC_CTLR, 1);
}

/* TYPER, IIDR, CTLR (IHI 0069H ch. 12 GICD_TYPER, GICD_CTLR; IHI 0048B
 * 4.3.1-4.3.3). */
static void test_init(void)
{
	uint32_t typer = gic_dist_read(GICD_TYPER);
	uint32_t lines = 32 * ((typer & 0x1f) + 1);
	uint32_t ctlr = gic_dist_read(GICD_CTLR);
	uint32_t en = 0x1;

	/* GICv3: ARE plus the Group 1 enable, which is bit 1 with a single
	 * Security state (DS == 1) and bit 0 in the Non-secure view. */
	if (gic_version() == GIC_V3) {
		en = 0x10 | ((ctlr & (1u << 6)) != 0 ? 0x2 : 0x1);
	}

	note("GICv%u TYPER=0x%x IIDR=0x%x CTLR=0x%x lines=%u prio_mask=0x%x",
	     gic_version(), typer, gic_dist_read(GICD_IIDR), ctlr, lines,
	     gic_prio_mask());
	if ((typer & 0x1f) == 0) {
		fail("ITLinesNumber 0: no SPIs");
	}
	for (unsigned i = 0; i < spi_count; i++) {
		if (spis[i] >= lines) {
			fail("SPI %u beyond ITLinesNumber (%u lines)", spis[i],
			     lines);
		}
	}
	if ((ctlr & en) != en) {
		fail("GICD_CTLR 0x%x lacks enable/ARE bits 0x%x", ctlr, en);
	}
	/* The group enables must clear and set again; ARE stays. */
	gic_dist_write(GICD_CTLR, ctlr & ~3u);
	(void)gic_dist_wait_rwp();
	if ((gic_dist_read(GICD_CTLR) & 3) != 0) {
		fail("GICD_CTLR enables do not clear (0x%x)",
		     gic_dist_read(GICD_CTLR));
	}
	gic_dist_write(GICD_CTLR, ctlr);
	if (!gic_dist_wait_rwp()) {
		fail("GICD_CTLR.RWP stuck");
	}
	if ((gic_dist_read(GICD_CTLR) & en) != en) {
		fail("GICD_CTLR enables not restored (0x%x)",
		     gic_dist_read(GICD_CTLR));
	}
	if (prio(0xff) != gic_pmr()) {
		fail("PMR 0x%x after writing 0xff, priority mask 0x%x",
		     gic_pmr(), gic_prio_mask());
	}
	/* At least 16 priority levels (IHI 0069H ch. 4, "Interrupt
	 * prioritization"; IHI 0048B 3.3). */
	if ((gic_prio_mask() & 0xf0) != 0xf0) {
		fail("fewer than 4 priority bits (mask 0x%x)", gic_prio_mask());
	}
	if (gic_version() == GIC_V3) {
		init_v3();
	} else {
		init_v2();
	}
	expect_rpr_idle("init");
}

/* Set/clear enable of one INTID; both registers read the enable state
 * (IHI 0069H ch. 12, GICD_ISENABLER<n>/GICD_ICENABLER<n>). */
static void check_enable(uint32_t id, const char *kind, bool may_be_fixed)
{
	bool off1, off2, on1, on2, off3;

	gic_disable(id);
	off1 = gic_is_enabled(id);
	off2 = gic_enabled_via_clear_reg(id);
	gic_enable(id);
	on1 = gic_is_enabled(id);
	on2 = gic_enabled_via_clear_reg(id);
	gic_disable(id);
	off3 = gic_is_enabled(id);
	if (!on1 || !on2) {
		fail("%s %u: not enabled after ISENABLER (IS=%u IC=%u)", kind,
		     id, on1, on2);
	}
	if (off1 || off2 || off3) {
		if (may_be_fixed && off1 && off2 && off3) {
			/* IHI 0048B 4.3.5 and IHI 0069H ch. 12: whether SGIs
			 * can be disabled is IMPLEMENTATION DEFINED. */
			note("SGI %u is permanently enabled (ICENABLER WI)", id);
		} else {
			fail("%s %u: enabled after ICENABLER (%u/%u/%u)", kind,
			     id, off1, off2, off3);
		}
	}
}

static void test_enable(void)
{
	check_enable(spis[0], "SPI", false);
	check_enable(test_ppi, "PPI", false);
	check_enable(1, "SGI", true);
	/* A write of one bit leaves its neighbours alone. */
	gic_enable(spis[1]);
	gic_enable(spis[0]);
	gic_disable(spis[1]);
	if (!gic_is_enabled(spis[0]) || gic_is_enabled(spis[1])) {
		fail("ISENABLER/ICENABLER bit writes touch other INTIDs");
	}
}

static void test_pending(void)
{
	const uint32_t s0 = spis[0], s1 = spis[1], s2 = spis[2];
	const uint8_t p[] = { PRIO_TEST, PRIO_TEST };

	setup(spis, p, 2);
	gic_set_pending(s0);
	if (!gic_is_pending(s0) || !gic_pending_via_clear_reg(s0) ||
	    gic_is_active(s0)) {
		fail("after ISPENDR: pending IS=%u IC=%u active=%u",
		     gic_is_pending(s0), gic_pending_via_clear_reg(s0),
		     gic_is_active(s0));
	}
	gic_set_pending(s1);
	gic_clear_pending(s1);
	if (!gic_is_pending(s0) || gic_is_pending(s1)) {
		fail("ICPENDR of %u disturbed %u (pending %u/%u)", s1, s0,
		     gic_is_pending(s0), gic_is_pending(s1));
	}
	gic_clear_pending(s0);
	if (gic_is_pending(s0) || gic_pending_via_clear_reg(s0)) {
		fail("still pending after ICPENDR");
	}
	/* The pending state does not depend on the enable. */
	gic_set_pending(s2);
	if (!gic_is_pending(s2)) {
		fail("disabled SPI %u cannot be made pending", s2);
	}
	gic_clear_pending(s2);
	/* Pending then cleared while masked: nothing is delivered. */
	gic_set_pending(s0);
	gic_clear_pending(s0);
	gic_irq_unmask();
	settle(20);
	gic_irq_mask();
	if (logs[0].n != 0) {
		fail("%u interrupt(s) delivered after ICPENDR (first %u)",
		     logs[0].n, logs[0].rec[0].intid);
	}
}

static void test_deliver(void)
{
	const uint32_t s0 = spis[0], s1 = spis[1];
	const uint8_t p[] = { PRIO_TEST };

	setup(spis, p, 1);
	gic_set_priority(s1, PRIO_TEST);
	gic_irq_unmask();
	gic_set_pending(s0);
	if (!wait_count(0, s0, 1, 1000)) {
		fail("enabled SPI %u not delivered", s0);
	}
	settle(10);
	expect_count(0, s0, 1, "enabled");
	if (logs[0].n >= 1 && logs[0].rec[0].intid != s0) {
		fail("IAR INTID %u, want %u", logs[0].rec[0].intid, s0);
	}
	expect_idle(s0, "after EOI");
	gic_set_pending(s1);
	settle(20);
	expect_count(0, s1, 0, "disabled");
	if (!gic_is_pending(s1)) {
		fail("disabled SPI %u not pending", s1);
	}
	gic_enable(s1);
	if (!wait_count(0, s1, 1, 1000)) {
		fail("SPI %u not delivered once enabled", s1);
	}
	settle(10);
	expect_count(0, s1, 1, "after enable");
	expect_idle(s1, "after enable");
	if (logs[0].n != 2) {
		fail("%u deliveries in total, want 2", logs[0].n);
	}
	expect_rpr_idle("end");
}

static void test_active(void)
{
	const uint32_t s0 = spis[0];
	const uint8_t p[] = { PRIO_TEST };
	struct irq_rec *r = &logs[0].rec[0];

	setup(spis, p, 1);
	gic_irq_unmask();
	gic_set_pending(s0);
	if (!wait_count(0, s0, 1, 1000)) {
		fail("SPI %u not delivered", s0);
	} else if (!r->active || r->pending || r->rpr != prio(PRIO_TEST)) {
		/* Acknowledge: pending -> active (IHI 0069H chapter 4,
		 * "Interrupt handling state machine"). */
		fail("in handler: active=%u pending=%u RPR=0x%x", r->active,
		     r->pending, r->rpr);
	}
	expect_idle(s0, "after EOI");
	gic_irq_mask();
	gic_set_active(s0);
	if (!gic_is_active(s0) || gic_is_pending(s0)) {
		fail("after ISACTIVER: active=%u pending=%u",
		     gic_is_active(s0), gic_is_pending(s0));
	}
	gic_clear_active(s0);
	if (gic_is_active(s0)) {
		fail("still active after ICACTIVER");
	}
	/* Active and pending: not signalled until deactivated. */
	gic_set_active(s0);
	gic_set_pending(s0);
	gic_irq_unmask();
	settle(20);
	expect_count(0, s0, 1, "active+pending");
	if (!gic_is_active(s0) || !gic_is_pending(s0)) {
		fail("want active+pending, got active=%u pending=%u",
		     gic_is_active(s0), gic_is_pending(s0));
	}
	gic_clear_active(s0);
	if (!wait_count(0, s0, 2, 1000)) {
		fail("pending SPI not delivered after ICACTIVER");
	}
	settle(10);
	expect_count(0, s0, 2, "after ICACTIVER");
	expect_idle(s0, "end");
	expect_rpr_idle("end");
}

/* Highest priority first, whatever the INTID order (IHI 0069H chapter 4,
 * "Interrupt prioritization"). */
static void test_priority(void)
{
	const uint8_t p[] = { 0xa0, 0x80, 0x60, 0x40, 0x20 };
	const unsigned n = 5;

	setup(spis, p, n);
	for (unsigned i = 0; i < n; i++) {
		if (gic_get_priority(spis[i]) != prio(p[i])) {
			fail("IPRIORITYR %u reads 0x%x, wrote 0x%x", spis[i],
			     gic_get_priority(spis[i]), p[i]);
		}
		gic_set_pending(spis[i]);
	}
	for (unsigned i = 0; i < n; i++) {
		if (!wait_state(spis[i], true, false, 100)) {
			fail("SPI %u not pending", spis[i]);
		}
	}
	if (gic_hppir() != spis[n - 1]) {
		fail("HPPIR %u, want %u", gic_hppir(), spis[n - 1]);
	}
	gic_irq_unmask();
	if (!wait_total(0, n, 1000)) {
		fail("only %u of %u delivered", logs[0].n, n);
	}
	settle(10);
	for (unsigned i = 0; i < n && i < logs[0].n; i++) {
		const struct irq_rec *r = &logs[0].rec[i];
		uint32_t want = spis[n - 1 - i];

		if (r->intid != want || r->rpr != prio(p[n - 1 - i])) {
			fail("delivery %u: INTID %u RPR 0x%x, want %u 0x%x", i,
			     r->intid, r->rpr, want, prio(p[n - 1 - i]));
		}
	}
	for (unsigned i = 0; i < n; i++) {
		expect_count(0, spis[i], 1, "each");
	}
	expect_rpr_idle("end");
}

static void test_preempt(void)
{
	const uint8_t p[] = { 0xa0, 0x40, 0xa0, 0xc0 };
	const struct irq_rec *rec = logs[0].rec;

	setup(spis, p, 4);
	scen_reset(SCEN_PREEMPT);
	sc.a = spis[0];
	sc.b = spis[1];
	sc.c = spis[2];
	sc.d = spis[3];
	gic_irq_unmask();
	gic_set_pending(sc.a);
	if (!wait_total(0, 4, 2000)) {
		fail("only %u of 4 deliveries", logs[0].n);
	}
	settle(10);
	gic_irq_mask();
	if (!sc.ok1) {
		fail("higher priority %u did not preempt %u", sc.b, sc.a);
	}
	if (logs[0].n >= 4 &&
	    (rec[0].intid != sc.a || rec[1].intid != sc.b ||
	     rec[2].intid != sc.c || rec[3].intid != sc.d)) {
		fail("order %u,%u,%u,%u want %u,%u,%u,%u", rec[0].intid,
		     rec[1].intid, rec[2].intid, rec[3].intid, sc.a, sc.b,
		     sc.c, sc.d);
	}
	if (logs[0].n >= 2 && (rec[1].depth != 2 || rec[1].rpr != prio(0x40) ||
			       rec[0].rpr != prio(0xa0))) {
		fail("nesting depth %u RPR outer 0x%x inner 0x%x", rec[1].depth,
		     rec[0].rpr, rec[1].rpr);
	}
	if (sc.rpr1 != prio(0xa0)) {
		fail("RPR after nested EOI 0x%x, want 0x%x", sc.rpr1,
		     prio(0xa0));
	}
	if (sc.early_c != 0 || sc.early_d != 0) {
		fail("same (%u) or lower (%u) priority preempted", sc.early_c,
		     sc.early_d);
	}
	if (!sc.st1 || !sc.st2) {
		fail("held-back interrupts not pending (%u, %u)", sc.st1,
		     sc.st2);
	}
	for (unsigned i = 0; i < 4; i++) {
		expect_count(0, spis[i], 1, "each");
	}
	expect_rpr_idle("end");
}

/* Twelve interrupts (8 SPIs + 4 SGIs), more than a hypervisor's 4 list
 * registers, each delivered once and in priority order. */
static void test_many(void)
{
	static const uint8_t perm[12] = { 5, 11, 0, 7, 2, 9, 4, 10, 1, 6, 3, 8 };
	uint32_t ids[12];
	uint8_t p[12];
	uint32_t last = 0;
	unsigned i;

	for (i = 0; i < 12; i++) {
		ids[i] = i < 8 ? spis[i] : 8 + (i - 8);
		p[i] = (uint8_t)(0x10 * (1 + perm[i]));
	}
	setup(ids, p, 12);
	for (i = 0; i < 8; i++) {
		gic_set_pending(ids[i]);
	}
	for (i = 8; i < 12; i++) {
		gic_send_sgi(ids[i], 1u << 0);
	}
	for (i = 0; i < 12; i++) {
		if (!wait_state(ids[i], true, false, 100)) {
			fail("INTID %u not pending before unmask", ids[i]);
		}
	}
	gic_irq_unmask();
	if (!wait_total(0, 12, 2000)) {
		fail("only %u of 12 delivered", logs[0].n);
	}
	settle(10);
	gic_irq_mask();
	for (i = 0; i < 12; i++) {
		expect_count(0, ids[i], 1, "each");
	}
	for (i = 0; i < logs[0].n && i < MAX_RECS; i++) {
		uint32_t pr = gic_get_priority(logs[0].rec[i].intid);

		if (pr <= last && i > 0) {
			fail("delivery %u: INTID %u priority 0x%x after 0x%x",
			     i, logs[0].rec[i].intid, pr, last);
		}
		last = pr;
	}
	expect_rpr_idle("end");
}

/* Int_config and the software pending latch. For a level-sensitive
 * interrupt made pending by a write to ISPENDR the pending state does not
 * follow the (deasserted) input: it stays until acknowledged or cleared by
 * ICPENDR (IHI 0069H chapter 4, "Interrupt handling state machine", and
 * ch. 12 GICD_ISPENDR<n>/GICD_ICPENDR<n>; IHI 0048B 3.2.4). SGIs are
 * always edge-triggered: their Int_config bits are read-only. */
static void test_level_edge(void)
{
	const uint32_t lv = spis[0], ed = spis[1];
	const uint8_t p[] = { PRIO_TEST, PRIO_TEST };

	gic_set_config(lv, false);
	gic_set_config(ed, true);
	if (gic_is_edge(lv) || !gic_is_edge(ed)) {
		fail("ICFGR reads level %u edge=%u, edge %u edge=%u", lv,
		     gic_is_edge(lv), ed, gic_is_edge(ed));
	}
	gic_set_config(1, false);
	if (!gic_is_edge(1)) {
		fail("SGI 1 Int_config became level");
	}
	setup(spis, p, 2);
	gic_set_pending(lv);
	settle(20);
	if (!gic_is_pending(lv)) {
		fail("level SPI lost its software pending state");
	}
	gic_clear_pending(lv);
	if (gic_is_pending(lv)) {
		fail("ICPENDR did not clear a software-pended level SPI");
	}
	gic_set_pending(lv);
	gic_set_pending(ed);
	gic_irq_unmask();
	if (!wait_total(0, 2, 1000)) {
		fail("only %u of 2 delivered", logs[0].n);
	}
	settle(20);
	gic_irq_mask();
	expect_count(0, lv, 1, "level");
	expect_count(0, ed, 1, "edge");
	for (unsigned i = 0; i < logs[0].n && i < 2; i++) {
		const struct irq_rec *r = &logs[0].rec[i];

		if (!r->active || r->pending) {
			fail("INTID %u in handler: active=%u pending=%u",
			     r->intid, r->active, r->pending);
		}
	}
	expect_idle(lv, "level end");
	expect_idle(ed, "edge end");
}

static void sgi_expect(uint32_t sgi, unsigned want0, unsigned want1,
		       unsigned src, const char *what)
{
	if (want0 != 0) {
		(void)wait_count(0, sgi, want0, 1000);
	}
	if (want1 != 0) {
		(void)wait_count(1, sgi, want1, 1000);
	}
	settle(10);
	expect_count(0, sgi, want0, what);
	expect_count(1, sgi, want1, what);
	if (gic_version() != GIC_V2) {
		return;
	}
	/* GICC_IAR.CPUID names the requesting CPU interface (IHI 0048B,
	 * 4.4.4 GICC_IAR). */
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		for (unsigned i = 0; i < logs[cpu].n && i < MAX_RECS; i++) {
			const struct irq_rec *r = &logs[cpu].rec[i];

			if (r->intid == sgi && gic_iar_source(r->iar) != src) {
				fail("%s: SGI %u source %u, want %u", what, sgi,
				     gic_iar_source(r->iar), src);
			}
		}
	}
}

static void test_sgi(void)
{
	unsigned me = gic_cpu_iface(0), other = gic_cpu_iface(1);
	bool smp;

	if (!ensure_secondary(&smp)) {
		return;
	}
	for (uint32_t i = 0; i < GIC_NR_SGIS; i++) {
		gic_set_priority(i, PRIO_TEST);
		gic_enable(i);
	}
	gic_irq_unmask();
	gic_send_sgi(5, 1u << 0);
	sgi_expect(5, 1, 0, me, "list self");
	gic_send_sgi_self(6);
	sgi_expect(6, 1, 0, me, "self");
	if (!smp) {
		note("single vCPU: cross-vCPU part skipped");
		return;
	}
	gic_send_sgi(3, 1u << 1);
	sgi_expect(3, 0, 1, me, "0->1");
	if (!smp_cmd(OP_SGI, 4, 1u << 0)) {
		fail("vCPU 1 did not run its command");
	}
	sgi_expect(4, 1, 0, other, "1->0");
	gic_send_sgi(7, 3);
	sgi_expect(7, 1, 1, me, "list 0+1");
	gic_send_sgi_others(9);
	sgi_expect(9, 0, 1, me, "others");
	if (!smp_cmd(OP_SGI_OTHERS, 11, 0)) {
		fail("vCPU 1 did not run its command");
	}
	sgi_expect(11, 1, 0, other, "1->others");
	if (dt.cpus < GUEST_MAX_VCPUS) {
		/* A target that does not exist: the SGI goes nowhere. */
		gic_send_sgi(10, 1u << dt.cpus);
		sgi_expect(10, 0, 0, me, "absent vCPU");
		gic_send_sgi(10, 1u << 0);
		sgi_expect(10, 1, 0, me, "after absent");
	}
}

/* SPI routing (GICv3 GICD_IROUTER<n>, GICv2 GICD_ITARGETSR<n>). */
static void test_route(void)
{
	const uint32_t s = spis[0];
	bool smp;

	if (!ensure_secondary(&smp)) {
		return;
	}
	if (!smp) {
		note("single vCPU: skipped");
		return;
	}
	gic_set_priority(s, PRIO_TEST);
	gic_route_spi(s, 1);
	if (gic_get_route(s) != gic_route_value(1)) {
		fail("route reads 0x%lx, wrote 0x%lx", gic_get_route(s),
		     gic_route_value(1));
	}
	gic_enable(s);
	gic_irq_unmask();
	gic_set_pending(s);
	(void)wait_count(1, s, 1, 1000);
	settle(10);
	expect_count(1, s, 1, "routed to 1");
	expect_count(0, s, 0, "routed to 1");
	gic_route_spi(s, 0);
	if (gic_get_route(s) != gic_route_value(0)) {
		fail("route reads 0x%lx, wrote 0x%lx", gic_get_route(s),
		     gic_route_value(0));
	}
	gic_set_pending(s);
	(void)wait_count(0, s, 1, 1000);
	settle(10);
	expect_count(0, s, 1, "routed to 0");
	expect_count(1, s, 1, "routed to 0");
}

/* Wait until the timer PPI reads pending (or not); QEMU propagates the
 * timer output lazily (see timer_masked()). */
static bool wait_ppi(uint32_t ppi, bool pend)
{
	uint64_t end = now_ticks() + ms_ticks(250);

	while (gic_is_pending(ppi) != pend) {
		if (now_ticks() > end) {
			return false;
		}
		relax();
	}
	return true;
}

/* Timer fired while IRQs are masked: the PPI reads pending, IMASK makes
 * it not pending, unmasking the CPU delivers it once. */
static void timer_masked(bool phys, uint32_t ppi)
{
	uint64_t cval = tmr_cnt(phys) + ticks_per_sec() / 500;
	uint64_t end = now_ticks() + ms_ticks(1000);

	uint64_t seen;

	tmr_set_cval(phys, cval);
	tmr_set_ctl(phys, CTL_ENABLE);
	while (tmr_cnt(phys) < cval && now_ticks() < end) {
		relax();
	}
	/*
	 * ISTATUS should read 1 as soon as the counter reaches CVAL (DDI 0487,
	 * CNTV_CTL_EL0/CNTP_CTL_EL0.ISTATUS). QEMU (TCG) deviates: it updates
	 * ISTATUS, and the timer's interrupt output, only when its internal
	 * deadline timer fires, a little later. Accept a lag of up to 250 ms
	 * and report it.
	 */
	end = now_ticks() + ms_ticks(250);
	while ((tmr_ctl(phys) & CTL_ISTATUS) == 0 && now_ticks() < end) {
		relax();
	}
	seen = tmr_cnt(phys);
	if ((tmr_ctl(phys) & CTL_ISTATUS) == 0) {
		fail("ISTATUS 0 after the deadline (CTL=0x%lx)", tmr_ctl(phys));
	} else if (seen - cval > ms_ticks(1)) {
		note("ISTATUS lagged the deadline by %lu ticks", seen - cval);
	}
	if (!wait_ppi(ppi, true)) {
		fail("PPI %u not pending with the condition met", ppi);
	}
	tmr_set_ctl(phys, CTL_ENABLE | CTL_IMASK);
	if (!wait_ppi(ppi, false)) {
		fail("PPI %u still pending with IMASK set", ppi);
	}
	tmr_set_ctl(phys, CTL_ENABLE);
	if (!wait_ppi(ppi, true)) {
		fail("PPI %u not pending again after IMASK cleared", ppi);
	}
	gic_irq_unmask();
	if (!wait_count(0, ppi, 1, 1000)) {
		fail("masked-then-unmasked timer not delivered");
	}
	settle(10);
	gic_irq_mask();
	expect_count(0, ppi, 1, "masked phase");
	if (sc.cnt < sc.cval) {
		fail("handler counter 0x%lx before CVAL 0x%lx", sc.cnt, sc.cval);
	}
	expect_idle(ppi, "masked phase");
}

/* Timer with IRQs unmasked: taken after the deadline, within 500 ms. */
static void timer_live(bool phys, uint32_t ppi)
{
	uint64_t cval;

	log_reset(0);
	sc.cnt = sc.cval = 0;
	cval = tmr_cnt(phys) + ticks_per_sec() / 500;
	tmr_set_cval(phys, cval);
	gic_irq_unmask();
	tmr_set_ctl(phys, CTL_ENABLE);
	if (!wait_count(0, ppi, 1, 1000)) {
		fail("timer not delivered within 1 s of its deadline");
		return;
	}
	settle(10);
	gic_irq_mask();
	expect_count(0, ppi, 1, "live phase");
	if ((sc.ctl & CTL_ISTATUS) == 0) {
		fail("handler saw ISTATUS 0");
	}
	if (sc.cnt < cval) {
		fail("taken at 0x%lx, before deadline 0x%lx", sc.cnt, cval);
	} else if (sc.cnt - cval > ticks_per_sec() / 2) {
		fail("taken %lu ticks after the deadline", sc.cnt - cval);
	} else {
		note("latency %lu ticks at %lu Hz", sc.cnt - cval,
		     ticks_per_sec());
	}
}

static void test_timer(bool phys)
{
	uint32_t ppi = phys ? PPI_PTIMER : PPI_VTIMER;

	tmr_set_ctl(phys, 0);
	gic_set_priority(ppi, PRIO_TEST);
	gic_enable(ppi);
	if (!wait_ppi(ppi, false)) {
		fail("PPI %u pending with the timer disabled", ppi);
	}
	scen_reset(SCEN_TIMER);
	sc.phys = phys;
	sc.ppi = ppi;
	timer_masked(phys, ppi);
	timer_live(phys, ppi);
	tmr_set_ctl(phys, 0);
}

static void test_timer_virt(void)
{
	test_timer(false);
}

static void test_timer_phys(void)
{
	test_timer(true);
}

/* Disabling an active interrupt stops further forwarding, not the
 * completion of the active one (IHI 0069H ch. 12, GICD_ICENABLER<n>). */
static void test_disable_active(void)
{
	const uint32_t a = spis[0];
	const uint8_t p[] = { PRIO_TEST };

	setup(spis, p, 1);
	scen_reset(SCEN_DISABLE_ACTIVE);
	sc.a = a;
	gic_irq_unmask();
	gic_set_pending(a);
	if (!wait_count(0, a, 1, 1000)) {
		fail("SPI %u not delivered", a);
		return;
	}
	if (sc.st1 || !sc.st2) {
		fail("in handler after ICENABLER: enabled=%u active=%u", sc.st1,
		     sc.st2);
	}
	expect_idle(a, "after EOI");
	gic_set_pending(a);
	settle(20);
	expect_count(0, a, 1, "pended while disabled");
	if (!gic_is_pending(a) || gic_is_enabled(a)) {
		fail("disabled SPI: pending=%u enabled=%u", gic_is_pending(a),
		     gic_is_enabled(a));
	}
	gic_enable(a);
	if (!wait_count(0, a, 2, 1000)) {
		fail("not delivered after re-enable");
	}
	gic_set_pending(a);
	if (!wait_count(0, a, 3, 1000)) {
		fail("not delivered after re-pend");
	}
	settle(10);
	expect_count(0, a, 3, "end");
	expect_idle(a, "end");
}

/* Pending while active: after EOI it is delivered exactly once more (IHI
 * 0069H chapter 4, "Interrupt handling state machine": active and
 * pending -> pending on deactivation). */
static void test_repend_active(void)
{
	const uint32_t a = spis[0];
	const uint8_t p[] = { PRIO_TEST };

	setup(spis, p, 1);
	scen_reset(SCEN_REPEND);
	sc.a = a;
	gic_irq_unmask();
	gic_set_pending(a);
	if (!wait_count(0, a, 2, 1000)) {
		fail("taken %u times, want 2", logs[0].count[a]);
	}
	settle(20);
	gic_irq_mask();
	expect_count(0, a, 2, "end");
	if (!sc.st1 || !sc.st2) {
		fail("in handler after ISPENDR: pending=%u active=%u", sc.st1,
		     sc.st2);
	}
	if (logs[0].max_depth != 1) {
		fail("re-pended interrupt nested (depth %u)", logs[0].max_depth);
	}
	expect_idle(a, "end");
}

/* Acknowledge and EOI by hand with IRQs masked: a lower priority pending
 * interrupt reads as 1023 while a higher one is active. */
static void eoi_order_polled(void)
{
	const uint32_t a = spis[0], b = spis[1], c = spis[2], d = spis[3];
	uint32_t ia, ib, ic, id, r;

	gic_irq_mask();
	gic_set_pending(a);
	ia = gic_ack();
	r = gic_rpr();
	gic_set_pending(d);
	id = gic_ack();
	if (gic_iar_intid(ia) != a || r != prio(0xc0) ||
	    gic_iar_intid(id) != GIC_SPURIOUS) {
		fail("polled: IAR %u RPR 0x%x, lower one gave %u (want %u 0x%x "
		     "1023)", gic_iar_intid(ia), r, gic_iar_intid(id), a,
		     prio(0xc0));
	}
	gic_set_pending(b);
	ib = gic_ack();
	gic_set_pending(c);
	ic = gic_ack();
	r = gic_rpr();
	if (gic_iar_intid(ib) != b || gic_iar_intid(ic) != c ||
	    r != prio(0x40)) {
		fail("polled: IARs %u,%u RPR 0x%x", gic_iar_intid(ib),
		     gic_iar_intid(ic), r);
	}
	gic_eoi(ic);
	r = gic_rpr();
	gic_eoi(ib);
	if (r != prio(0x80) || gic_rpr() != prio(0xc0)) {
		fail("polled: RPR after EOIs 0x%x,0x%x", r, gic_rpr());
	}
	gic_eoi(ia);
	expect_rpr_idle("polled after last EOI");
	id = gic_ack();
	if (gic_iar_intid(id) != d) {
		fail("polled: held-back %u not acknowledged (%u)", d,
		     gic_iar_intid(id));
	}
	if (gic_iar_intid(id) < GIC_FIRST_SPECIAL) {
		gic_eoi(id);
	}
	expect_rpr_idle("polled end");
}

static void test_eoi_order(void)
{
	const uint8_t p[] = { 0xc0, 0x80, 0x40, 0xe0 };
	const struct irq_rec *rec = logs[0].rec;

	setup(spis, p, 4);
	scen_reset(SCEN_EOI_ORDER);
	sc.a = spis[0];
	sc.b = spis[1];
	sc.c = spis[2];
	gic_irq_unmask();
	gic_set_pending(sc.a);
	if (!wait_total(0, 3, 2000)) {
		fail("only %u of 3 nested deliveries", logs[0].n);
	}
	settle(10);
	gic_irq_mask();
	if (!sc.ok1 || !sc.ok2 || logs[0].max_depth != 3) {
		fail("nesting failed (b %u, c %u, depth %u)", sc.ok1, sc.ok2,
		     logs[0].max_depth);
	}
	if (logs[0].n >= 3 &&
	    (rec[0].rpr != prio(0xc0) || rec[1].rpr != prio(0x80) ||
	     rec[2].rpr != prio(0x40))) {
		fail("RPR on entry 0x%x,0x%x,0x%x", rec[0].rpr, rec[1].rpr,
		     rec[2].rpr);
	}
	if (sc.rpr2 != prio(0x80) || sc.st3 || !sc.st4) {
		fail("after EOI of c: RPR 0x%x c active %u b active %u",
		     sc.rpr2, sc.st3, sc.st4);
	}
	if (sc.rpr1 != prio(0xc0) || sc.st1 || !sc.st2) {
		fail("after EOI of b: RPR 0x%x b active %u a active %u",
		     sc.rpr1, sc.st1, sc.st2);
	}
	expect_rpr_idle("after all EOIs");
	for (unsigned i = 0; i < 3; i++) {
		expect_count(0, spis[i], 1, "each");
	}
	scen_reset(SCEN_NONE);
	eoi_order_polled();
}

/* ---- Runner ---- */

/** A test: its name for tests= and TEST lines, and its body. */
struct test {
	const char *name;
	void (*run)(void);
};

static const struct test tests[] = {
	{ "init", test_init },
	{ "enable", test_enable },
	{ "pending", test_pending },
	{ "deliver", test_deliver },
	{ "active", test_active },
	{ "priority", test_priority },
	{ "preempt", test_preempt },
	{ "many", test_many },
	{ "level_edge", test_level_edge },
	{ "sgi", test_sgi },
	{ "route", test_route },
	{ "timer_virt", test_timer_virt },
	{ "timer_phys", test_timer_phys },
	{ "disable_active", test_disable_active },
	{ "repend_active", test_repend_active },
	{ "eoi_order", test_eoi_order },
};

/* Value of "key=" in the boot arguments (a word start), or NULL. */
static const char *arg_value(const char *args, const char *key)
{
	for (const char *p = args; *p != '\0';) {
		unsigned i = 0;

		while (key[i] != '\0' && p[i] == key[i]) {
			i++;
		}
		if (key[i] == '\0' && p[i] == '=') {
			return p + i + 1;
		}
		while (*p != '\0' && *p != ' ') {
			p++;
		}
		while (*p == ' ') {
			p++;
		}
	}
	return NULL;
}

static bool list_has(const char *list, const char *name)
{
	while (*list != '\0' && *list != ' ') {
		unsigned i = 0;

		while (name[i] != '\0' && list[i] == name[i]) {
			i++;
		}
		if (name[i] == '\0' &&
		    (list[i] == ',' || list[i] == ' ' || list[i] == '\0')) {
			return true;
		}
		while (*list != '\0' && *list != ' ' && *list != ',') {
			list++;
		}
		if (*list == ',') {
			list++;
		}
	}
	return false;
}

static void parse_args(const void *dtb)
{
	const char *v = arg_value(dt.bootargs, "spis");
	uint32_t len = 0;
	const char *method = dt_compat_prop(dtb, "arm,psci-0.2", "method",
					    &len);

	if (method == NULL) {
		method = dt_compat_prop(dtb, "arm,psci", "method", &len);
	}
	psci_smc = method != NULL && len >= 3 && method[0] == 's' &&
		   method[1] == 'm' && method[2] == 'c';
	test_list = arg_value(dt.bootargs, "tests");
	test_ppi = (uint32_t)arg_num(dt.bootargs, "ppi", PPI_VTIMER) % 32;
	if (test_ppi < GIC_FIRST_PPI) {
		test_ppi = PPI_VTIMER;
	}
	spi_count = 0;
	while (v != NULL && spi_count < MAX_SPIS && *v >= '0' && *v <= '9') {
		uint32_t n = 0;

		while (*v >= '0' && *v <= '9') {
			n = n * 10 + (uint32_t)(*v++ - '0');
		}
		if (n >= GIC_FIRST_SPI && n < GIC_FIRST_SPECIAL) {
			spis[spi_count++] = n;
		}
		if (*v == ',') {
			v++;
		}
	}
	if (v == NULL) {
		for (spi_count = 0; spi_count < MIN_SPIS; spi_count++) {
			spis[spi_count] = 48 + spi_count;
		}
	}
}

static bool run_test(const struct test *t)
{
	fails.n = notes.n = 0;
	fails.s[0] = notes.s[0] = '\0';
	if (!gic_ok) {
		fail("GIC init failed: %s", gic_error());
	} else if (spi_count < MIN_SPIS) {
		fail("need at least %u SPIs in spis=, got %u", MIN_SPIS,
		     spi_count);
	} else {
		reset_irqs();
		scen_reset(SCEN_NONE);
		log_reset(0);
		log_reset(1);
		expect_rpr_idle("start");
		t->run();
		gic_irq_mask();
		scen_reset(SCEN_NONE);
		for (unsigned cpu = 0; cpu < 2; cpu++) {
			if (logs[cpu].storm != 0) {
				fail("interrupt storm on INTID %u (vCPU %u)",
				     logs[cpu].storm, cpu);
			}
			if (logs[cpu].spurious != 0) {
				note("%u spurious on vCPU %u",
				     logs[cpu].spurious, cpu);
			}
		}
		reset_irqs();
	}
	if (fails.n != 0) {
		gprintf("TEST %s FAIL: %s\n", t->name, fails.s);
		return false;
	}
	if (notes.n != 0) {
		gprintf("TEST %s PASS (%s)\n", t->name, notes.s);
	} else {
		gprintf("TEST %s PASS\n", t->name);
	}
	return true;
}

void guest_main(const void *dtb)
{
	unsigned passed = 0, failed = 0;
	bool in_dt;

	if (!dt_parse(dtb, &dt)) {
		gputs("GICTEST: no valid DTB; using defaults");
		dt.cpus = 1;
	}
	parse_args(dtb);
	in_dt = gic_probe(dtb);
	gprintf("GICTEST start: GICv%u (%s), %u vCPUs, PSCI %s, %u SPIs from "
		"%u, CNTFRQ %lu\n",
		gic_version(), in_dt ? "DTB" : "fallback", dt.cpus,
		psci_smc ? "smc" : "hvc", spi_count, spis[0], ticks_per_sec());
	gic_ok = gic_dist_init() && gic_cpu_init(0);
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (test_list != NULL && !list_has(test_list, tests[i].name)) {
			continue;
		}
		if (run_test(&tests[i])) {
			passed++;
		} else {
			failed++;
		}
	}
	gprintf("GICTEST DONE: %u passed, %u failed\n", passed, failed);
	(void)psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	gputs("GICTEST: SYSTEM_OFF returned");
}
