/* SPDX-License-Identifier: MIT */
/*
 * The Keel demo application: a periodic task that measures its own release
 * jitter, a producer and a consumer that prove the semaphore and the
 * message queue, and a reporter that prints statistics. Words in
 * /chosen/bootargs (all optional):
 *
 *   tick-hz=N     tick rate (default 1000)
 *   period-us=N   period of the periodic task (default 1000), rounded to
 *                 a whole number of ticks
 *   report-ms=N   time between reports (default 1000)
 *   reports=N     power off (PSCI SYSTEM_OFF) after N reports (default 0:
 *                 never)
 *   wdog-ms=N     start the SP805 watchdog with an N ms timeout and pet it
 *                 every N/4 ms from a task (default 0: not started)
 *   hang-ms=N     N ms after start, hang on purpose: the highest-priority
 *                 task masks interrupts and spins, so nothing else runs
 *                 and the watchdog is no longer petted (default 0: never)
 *
 * With the demo's channels in the device tree (docs/channels.md), each
 * report is also published on "stats" (demo_chan.h) and the peer is rung;
 * a control task waits for doorbells on "control" and acts on the
 * commands it finds there: "reset" (statistics start again) and
 * "report-ms=N" (a new report period), saying on the console what it did.
 *
 * Jitter is the time from a release's due time (the counter value at which
 * its tick falls due, keel_tick_time()) to the moment the periodic task
 * runs: timer interrupt latency, the tick handler and the context switch,
 * plus whatever the platform adds (a hypervisor, a host). A job misses its
 * deadline if it ends after its next release is due, or never runs at all
 * because that release had already passed.
 */
#include "demo_chan.h"
#include "keel.h"

#define PRIO_HANG 31
#define PRIO_PERIODIC 30
#define PRIO_WATCHDOG 25
#define PRIO_CONSUMER 20
#define PRIO_PRODUCER 19
#define PRIO_CONTROL 10
#define PRIO_REPORTER 5

#define QUEUE_LEN 8
#define USEC 1000000u
#define NSEC 1000000000u

/*
 * Statistics. Each field has one writer (jitter and misses: the periodic
 * task; the rest as named), so no increment can be lost to preemption.
 * Times are in counter cycles.
 */
struct stats {
	uint64_t releases;
	uint64_t missed;
	uint64_t min;
	uint64_t max;
	uint64_t win_max;	/* max since the last report (reporter resets) */
	uint64_t sum;
	uint64_t sem_takes;	/* by the producer */
	uint64_t received;	/* by the consumer */
	uint64_t prod_errors;	/* timeouts */
	uint64_t cons_errors;	/* timeouts, messages out of order */
};

/** A queue message: a sequence number and when it was sent. */
struct msg {
	uint64_t seq;
	uint64_t sent;
};

static struct stats stats = { .min = UINT64_MAX };
static uint64_t period_ticks;
static uint64_t report_ticks;	/* the control task may change it */
static struct keel_chan *stats_chan;	/* NULL without the channel */
static struct keel_chan *control_chan;
static uint64_t commands_done;	/* seq of the last command acted on */
static uint64_t published;	/* records published on stats_chan */
static uint64_t wait_ticks;	/* producer and consumer timeouts */
static uint64_t max_reports;
static uint64_t wdog_ms;
static uint64_t hang_ms;

static struct keel_sem release_sem;
static struct keel_queue queue;
KEEL_QUEUE_STORAGE(queue_buf, sizeof(struct msg), QUEUE_LEN);

KEEL_STACK(periodic_stack, 4096);
KEEL_STACK(consumer_stack, 4096);
KEEL_STACK(producer_stack, 4096);
KEEL_STACK(reporter_stack, 8192);
KEEL_STACK(control_stack, 4096);
KEEL_STACK(watchdog_stack, 2048);
KEEL_STACK(hang_stack, 4096);

/* Pets the watchdog four times per timeout. */
static void watchdog_main(void *arg)
{
	uint64_t period = keel_ms_to_ticks(wdog_ms / 4 != 0 ? wdog_ms / 4 : 1);

	(void)arg;
	for (uint64_t t = keel_now();; t += period) {
		keel_wdog_pet();
		(void)keel_sleep_until(t + period);
	}
}

/* hang-ms: stop the whole system on purpose, as a runaway task would. */
static void hang_main(void *arg)
{
	(void)arg;
	keel_sleep(keel_ms_to_ticks(hang_ms));
	keel_printf("keel: hanging on purpose after %lu ms: interrupts "
		    "masked, spinning\n", hang_ms);
	(void)keel_irq_save();
	for (;;) {
		__asm__ volatile("" ::: "memory");
	}
}

static void periodic_main(void *arg)
{
	uint64_t release = keel_now() + 1;
	uint64_t period_cycles = period_ticks * keel_tick_cycles();

	(void)arg;
	for (;;) {
		uint64_t due, start, jitter;

		(void)keel_sleep_until(release);
		start = keel_cycles();
		due = keel_tick_time(release);
		jitter = start - due;
		stats.releases++;
		stats.sum += jitter;
		stats.min = jitter < stats.min ? jitter : stats.min;
		stats.max = jitter > stats.max ? jitter : stats.max;
		stats.win_max = jitter > stats.win_max ? jitter : stats.win_max;
		keel_sem_give(&release_sem);
		if (keel_cycles() > due + period_cycles) {
			stats.missed++;
		}
		release += period_ticks;
		/* A release whose whole period has passed is lost, not run
		 * late: catching up back to back would only add misses. */
		while (keel_now() >= release + period_ticks) {
			stats.missed++;
			release += period_ticks;
		}
	}
}

/* Takes one semaphore count per release and sends it on as a message. */
static void producer_main(void *arg)
{
	struct msg m = { 0, 0 };

	(void)arg;
	for (;;) {
		if (keel_sem_take(&release_sem, wait_ticks) != KEEL_OK) {
			stats.prod_errors++;
			continue;
		}
		stats.sem_takes++;
		m.seq++;
		m.sent = keel_cycles();
		if (keel_queue_send(&queue, &m, wait_ticks) != KEEL_OK) {
			stats.prod_errors++;
		}
	}
}

/* Receives the messages (preempting the producer at each send) and checks
 * they arrive complete and in order. */
static void consumer_main(void *arg)
{
	struct msg m;
	uint64_t expect = 1;

	(void)arg;
	for (;;) {
		if (keel_queue_recv(&queue, &m, wait_ticks) != KEEL_OK) {
			stats.cons_errors++;
			continue;
		}
		if (m.seq != expect || m.sent > keel_cycles()) {
			stats.cons_errors++;
		}
		expect = m.seq + 1;
		stats.received++;
	}
}

/* The blocking paths the demo does not take in steady state. */
static const char *self_test(void)
{
	static uint32_t slots[2];
	struct keel_sem s;
	struct keel_queue q;
	uint32_t a = 1, b = 2, c = 3;
	uint64_t t0;
	int first, second;

	keel_sem_init(&s, 0);
	t0 = keel_now();
	if (keel_sem_take(&s, 3) != KEEL_TIMEOUT || keel_now() < t0 + 3) {
		return "semaphore timeout";
	}
	keel_sem_give(&s);
	first = keel_sem_take(&s, 0);
	second = keel_sem_take(&s, 0);
	if (first != KEEL_OK || second != KEEL_TIMEOUT) {
		return "semaphore count";
	}
	if (keel_queue_init(&q, slots, sizeof(uint32_t), 2) != KEEL_OK ||
	    keel_queue_recv(&q, &c, 0) != KEEL_TIMEOUT) {
		return "empty queue";
	}
	if (keel_queue_send(&q, &a, 0) != KEEL_OK ||
	    keel_queue_send(&q, &b, 0) != KEEL_OK) {
		return "queue send";
	}
	t0 = keel_now();
	if (keel_queue_send(&q, &c, 2) != KEEL_TIMEOUT || keel_now() < t0 + 2) {
		return "full queue timeout";
	}
	if (keel_queue_recv(&q, &c, 0) != KEEL_OK || c != 1 ||
	    keel_queue_recv(&q, &c, 0) != KEEL_OK || c != 2) {
		return "queue order";
	}
	return NULL;
}

/* Counter cycles in nanoseconds, without overflow for any count. */
static uint64_t to_ns(uint64_t cycles)
{
	uint64_t hz = keel_cycles_per_sec();

	return cycles / hz * NSEC + cycles % hz * NSEC / hz;
}

static uint64_t missed_before;	/* stats.missed at the last report */

/*
 * Publish one report on the "stats" channel (demo_chan.h): seq odd while
 * the words change, even when they are whole again; then ring Linux.
 */
static void publish(uint64_t ms, const struct stats *s, uint64_t lo,
		    uint64_t avg, uint64_t hi, uint64_t win)
{
	static const uint64_t offs[] = {
		STATS_OFF_T_MS, STATS_OFF_RELEASES, STATS_OFF_MISSED,
		STATS_OFF_MIN_NS, STATS_OFF_AVG_NS, STATS_OFF_MAX_NS,
		STATS_OFF_WIN_MAX_NS, STATS_OFF_WIN_MISSED,
		STATS_OFF_REPORT_MS, STATS_OFF_CMD_SEQ,
	};
	const uint64_t vals[] = {
		ms, s->releases, s->missed, lo, avg, hi, win,
		s->missed - missed_before,
		report_ticks * 1000 / keel_tick_hz(), commands_done,
	};

	if (stats_chan == NULL) {
		return;
	}
	published++;
	(void)keel_chan_write64(stats_chan, STATS_OFF_SEQ, 2 * published - 1);
	(void)keel_chan_write64(stats_chan, STATS_OFF_MAGIC, STATS_MAGIC);
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		(void)keel_chan_write64(stats_chan, offs[i], vals[i]);
	}
	(void)keel_chan_write64(stats_chan, STATS_OFF_SEQ, 2 * published);
	keel_chan_ring(stats_chan);
}

/*
 * One line of statistics since boot (or the last reset), then the last
 * window's alone (so a burst of misses while a neighbour boots does not
 * hide what came after). @due is the tick the report was due at.
 */
static void report(uint64_t due)
{
	struct stats s;
	uint64_t daif, ms, lo, avg, hi, win;
	char t[24];

	/* A consistent snapshot: the periodic task cannot run meanwhile. */
	daif = keel_irq_save();
	s = stats;
	stats.win_max = 0;
	keel_irq_restore(daif);
	win = to_ns(s.win_max);
	lo = s.releases != 0 ? to_ns(s.min) : 0;
	avg = s.releases != 0 ? to_ns(s.sum / s.releases) : 0;
	hi = to_ns(s.max);
	ms = due * 1000 / keel_tick_hz();
	if (ms % 1000 == 0) {
		keel_snprintf(t, sizeof(t), "%lu", ms / 1000);
	} else {
		keel_snprintf(t, sizeof(t), "%lu.%03lu", ms / 1000, ms % 1000);
	}
	keel_printf("keel: t=%ss releases=%lu jitter min=%lu.%03luus "
		    "avg=%lu.%03luus max=%lu.%03luus missed=%lu q=%lu sem=%lu "
		    "err=%lu window max=%lu.%03luus missed=%lu\n",
		    t, s.releases, lo / 1000, lo % 1000, avg / 1000, avg % 1000,
		    hi / 1000, hi % 1000, s.missed, s.received, s.sem_takes,
		    s.prod_errors + s.cons_errors, win / 1000, win % 1000,
		    s.missed - missed_before);
	publish(ms, &s, lo, avg, hi, win);
	missed_before = s.missed;
}

/* Statistics start again, as after boot (the periodic task cannot run
 * meanwhile: one core, IRQs masked). */
static void reset_stats(void)
{
	uint64_t daif = keel_irq_save();
	uint64_t releases = stats.releases;

	stats = (struct stats){ .min = UINT64_MAX };
	missed_before = 0;
	keel_irq_restore(daif);
	keel_printf("keel: statistics reset (%lu releases before)\n",
		    releases);
}

static bool text_is(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Acts on command @seq, text @cmd, from the control channel. */
static void command(uint64_t seq, const char *cmd)
{
	static const char key[] = "report-ms=";
	size_t k = 0;

	while (k < sizeof(key) - 1 && cmd[k] == key[k]) {
		k++;
	}
	keel_printf("keel: command %lu on channel control: %s\n", seq, cmd);
	if (text_is(cmd, "reset")) {
		reset_stats();
	} else if (k == sizeof(key) - 1 && cmd[k] >= '0' && cmd[k] <= '9') {
		uint64_t ms = 0;

		for (; cmd[k] >= '0' && cmd[k] <= '9' && ms < 3600000; k++) {
			ms = ms * 10 + (uint64_t)(cmd[k] - '0');
		}
		if (ms < 100 || ms > 60000 || cmd[k] != '\0') {
			keel_printf("keel: report-ms must be 100..60000\n");
		} else {
			report_ticks = keel_ms_to_ticks(ms);
			keel_printf("keel: report period now %lu ms\n",
				    report_ticks * 1000 / keel_tick_hz());
		}
	} else {
		keel_printf("keel: unknown command (try \"reset\" or "
			    "\"report-ms=N\")\n");
	}
	commands_done = seq;
}

/* Waits for Linux's doorbells on "control"; acts on each new command. */
static void control_main(void *arg)
{
	char cmd[CTRL_TEXT_MAX];

	(void)arg;
	for (;;) {
		uint64_t seq;

		(void)keel_chan_wait(control_chan, KEEL_FOREVER);
		seq = keel_chan_read64(control_chan, CTRL_OFF_SEQ);
		if (keel_chan_read64(control_chan, CTRL_OFF_MAGIC) !=
			    CTRL_MAGIC ||
		    seq == commands_done) {
			continue;
		}
		keel_chan_read_str(control_chan, CTRL_OFF_TEXT, cmd,
				   sizeof(cmd));
		command(seq, cmd);
	}
}

static void reporter_main(void *arg)
{
	const char *failed = self_test();

	(void)arg;
	if (failed != NULL) {
		keel_printf("keel: self-test FAILED: %s\n", failed);
	} else {
		keel_printf("keel: self-test passed: semaphore and queue "
			    "timeouts, counts, FIFO order\n");
	}
	for (uint64_t n = 1, due = report_ticks;; n++) {
		(void)keel_sleep_until(due);
		report(due);
		due += report_ticks;
		if (n == max_reports) {
			keel_printf("keel: %lu reports done, powering off\n",
				    n);
			keel_power_off();
			keel_printf("keel: PSCI SYSTEM_OFF failed\n");
			keel_task_exit();
		}
	}
}

static void create(unsigned prio, const char *name, keel_entry_t entry,
		   void *stack, size_t size)
{
	int ret = keel_task_create(prio, name, entry, NULL, stack, size);

	if (ret != KEEL_OK) {
		keel_panic("cannot create task %s: %d", name, ret);
	}
}

/* The demo's channels, if the device tree has them (docs/channels.md). */
static void attach_channels(void)
{
	stats_chan = keel_chan_attach("stats");
	control_chan = keel_chan_attach("control");
	if (stats_chan != NULL && !stats_chan->writable) {
		keel_printf("keel: channel stats is read-only here: not "
			    "publishing\n");
		stats_chan = NULL;
	}
	if (stats_chan != NULL) {
		keel_printf("keel: publishing reports on channel stats at "
			    "0x%lx\n", stats_chan->base);
	}
	if (control_chan != NULL) {
		keel_printf("keel: taking commands on channel control at "
			    "0x%lx\n", control_chan->base);
		create(PRIO_CONTROL, "control", control_main, control_stack,
		       sizeof(control_stack));
	}
}

/** keel_app_main() - Read the boot arguments, create the tasks, start. */
void keel_app_main(void)
{
	const struct keel_platform *p = keel_platform();
	uint64_t hz = keel_arg("tick-hz", 1000);
	uint64_t period_us = keel_arg("period-us", 1000);
	uint64_t report_ms = keel_arg("report-ms", 1000);

	if (hz == 0 || hz > 100000 || keel_init((uint32_t)hz) != KEEL_OK) {
		keel_printf("keel: tick-hz=%lu unusable, using 1000\n", hz);
		hz = 1000;
		if (keel_init(1000) != KEEL_OK) {
			keel_panic("no usable tick (CNTFRQ_EL0 %lu)",
				   keel_cycles_per_sec());
		}
	}
	period_ticks = (period_us * hz + USEC / 2) / USEC;
	period_ticks = period_ticks != 0 ? period_ticks : 1;
	report_ticks = keel_ms_to_ticks(report_ms != 0 ? report_ms : 1);
	/* Generous: a stalled host can hold the whole machine for a while,
	 * and the tick then counts the lost time all at once. */
	wait_ticks = 2 * period_ticks + keel_ms_to_ticks(1000);
	max_reports = keel_arg("reports", 0);
	wdog_ms = keel_arg("wdog-ms", 0);
	hang_ms = keel_arg("hang-ms", 0);
	keel_printf("keel %s: GICv%u, tick %lu Hz, period %lu us, report %lu "
		    "ms\n", KEEL_VERSION, p->gic_version, hz,
		    period_ticks * USEC / hz, report_ticks * 1000 / hz);
	keel_printf("keel: image at 0x%lx, UART 0x%lx, GICD 0x%lx, counter "
		    "%lu Hz, bootargs \"%s\"\n", p->load_base, p->uart_base,
		    p->gicd_base, keel_cycles_per_sec(), p->bootargs);
	keel_sem_init(&release_sem, 0);
	if (keel_queue_init(&queue, queue_buf, sizeof(struct msg),
			    QUEUE_LEN) != KEEL_OK) {
		keel_panic("queue set-up failed");
	}
	create(PRIO_PERIODIC, "periodic", periodic_main, periodic_stack,
	       sizeof(periodic_stack));
	create(PRIO_CONSUMER, "consumer", consumer_main, consumer_stack,
	       sizeof(consumer_stack));
	create(PRIO_PRODUCER, "producer", producer_main, producer_stack,
	       sizeof(producer_stack));
	create(PRIO_REPORTER, "reporter", reporter_main, reporter_stack,
	       sizeof(reporter_stack));
	attach_channels();
	if (wdog_ms != 0) {
		if (wdog_ms > 0xffffffffu ||
		    keel_wdog_start((uint32_t)wdog_ms) != KEEL_OK) {
			keel_panic("no usable SP805 watchdog for wdog-ms=%lu",
				   wdog_ms);
		}
		keel_printf("keel: watchdog: SP805 at 0x%lx, timeout %lu ms\n",
			    p->wdog_base, wdog_ms);
		create(PRIO_WATCHDOG, "watchdog", watchdog_main,
		       watchdog_stack, sizeof(watchdog_stack));
	}
	if (hang_ms != 0) {
		create(PRIO_HANG, "hang", hang_main, hang_stack,
		       sizeof(hang_stack));
	}
	keel_start();
}
