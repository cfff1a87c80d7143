/* SPDX-License-Identifier: MIT */
/*
 * Channel test guest: two partitions joined by one channel (the first
 * "bulkhead,channel" node of the device tree), its shared memory and its
 * doorbells on the virtual PL061 (docs/channels.md). Boot arguments:
 *
 *   role=writer   the read-write end: writes a message, rings, waits for
 *                 the reply doorbell, then checks its data is unchanged
 *   role=reader   the read-only end: raises its ring line as "ready",
 *                 then per doorbell reads the message, tries to overwrite
 *                 it (the write must abort: fault-policy "inject") and
 *                 rings back
 *   rounds=N      exchanges (default 3)
 *   hostile       (reader) first try a 64-bit access to the PL061, which
 *                 the hypervisor must refuse (an abort), not emulate
 *   pingpong=N    (writer) instead of the rounds, ring N times, each time
 *                 waiting for the reply, and print the round-trip times
 *   echo          (reader) ring back from the interrupt handler at once,
 *                 printing nothing: the other end of pingpong
 *   role=storm    ring the peer as fast as possible, from every vCPU
 *                 (the others started with CPU_ON): a doorbell storm
 *   role=idle     the same vCPUs started, then idle in WFI: the control
 *                 run (under icount a vCPU spinning on RAM would hold the
 *                 others back for whole time slices, an emulation artefact)
 *   level         (both ends) the reader's doorbell input is level-sensitive
 *                 (high) instead of rising-edge: the writer holds its line
 *                 high until the reply comes, the reader masks the line
 *                 while handling and unmasks it once the line is low
 *
 * Prints "chan: PASS" at the end of the writer's rounds, or a FAIL line.
 */
#include "gic.h"
#include "guest.h"

#define GPIO_INTID 39
#define GPIODIR 0x400
#define GPIOIS 0x404
#define GPIOIEV 0x40c
#define GPIOIE 0x410
#define GPIOMIS 0x418
#define GPIOIC 0x41c
#define GPIO_PERIPH_ID0 0xfe0
#define GPIO_CELL_ID3 0xffc
#define MAGIC 0x43484e4c54455354ULL /* "CHNLTEST" */

static uint64_t gpio;
static volatile uint64_t *shm;
static uint32_t line_out, line_in;
static volatile uint32_t bells;
static bool level;   /* "level": doorbells held, reader's input level */
static bool reading; /* role=reader */
static bool echo;    /* echo: the handler rings back */

static uint32_t rd(uint64_t off)
{
	return *(volatile uint32_t *)(gpio + off);
}

static void wr(uint64_t off, uint32_t v)
{
	*(volatile uint32_t *)(gpio + off) = v;
}

/* GPIODATA through the address mask of one line (PL061 TRM 3.3.1). */
static void set_line(uint32_t line, bool on)
{
	wr((1u << line) << 2, on ? 1u << line : 0);
}

static bool get_line(uint32_t line)
{
	return (rd((1u << line) << 2) & (1u << line)) != 0;
}

static void ring(void)
{
	set_line(line_out, true);
	set_line(line_out, false);
}

bool guest_irq_handler(uint64_t kind)
{
	uint32_t iar = gic_ack();
	uint32_t intid = gic_iar_intid(iar);

	(void)kind;
	if (intid >= GIC_FIRST_SPECIAL) {
		return true;
	}
	if (intid == GPIO_INTID) {
		uint32_t mis = rd(GPIOMIS);

		if (mis & (1u << line_in)) {
			bells++;
			if (echo) {
				set_line(line_out, false); /* drop "ready" */
				ring();
			}
		}
		/* A level line stays asserted while the peer holds it:
		 * mask it until the main loop has seen the bell. */
		if (level && reading) {
			wr(GPIOIE, 0);
		} else {
			wr(GPIOIC, mis);
		}
	} else {
		gprintf("chan: FAIL: unexpected interrupt %u\n", intid);
	}
	gic_eoi(iar);
	return true;
}

/* Wait up to 5 s for doorbell number @n. */
static bool wait_bell(uint32_t n)
{
	uint64_t end = now_ticks() + 5 * ticks_per_sec();

	while (bells < n && now_ticks() < end) {
		__asm__ volatile("wfi");
	}
	return bells >= n;
}

static bool setup(const void *dtb, const struct dt_info *dt)
{
	uint64_t base, size, gsize;
	uint32_t len = 0, alen = 0;
	const uint8_t *lines = dt_compat_prop(dtb, "bulkhead,channel",
					      "bulkhead,doorbell-lines", &len);
	const char *access = dt_compat_prop(dtb, "bulkhead,channel",
					    "bulkhead,access", &alen);

	if (!dt_compat_reg(dtb, "bulkhead,channel", 0, &base, &size) ||
	    !dt_compat_reg(dtb, "arm,pl061", 0, &gpio, &gsize) ||
	    lines == NULL || len != 8 || access == NULL) {
		gputs("chan: FAIL: no channel or PL061 in the device tree");
		return false;
	}
	line_out = (uint32_t)lines[3];
	line_in = (uint32_t)lines[7];
	shm = (volatile uint64_t *)base;
	level = arg_has(dt->bootargs, "level");
	reading = arg_has(dt->bootargs, "role=reader");
	echo = reading && arg_has(dt->bootargs, "echo");
	gprintf("chan: channel at 0x%lx+0x%lx %s, PL061 at 0x%lx id %x/%x, "
		"lines out %u in %u%s\n", base, size, access, gpio,
		rd(GPIO_PERIPH_ID0), rd(GPIO_CELL_ID3), line_out, line_in,
		level ? " (level)" : "");
	if (!gic_probe(dtb) || !gic_dist_init() || !gic_cpu_init(0)) {
		gprintf("chan: FAIL: GIC set-up: %s\n", gic_error());
		return false;
	}
	wr(GPIODIR, 1u << line_out);
	wr(GPIOIS, level && reading ? 1u << line_in : 0);
	wr(GPIOIEV, 1u << line_in); /* rising edge, or high level */
	wr(GPIOIC, 0xff);
	wr(GPIOIE, 1u << line_in);
	gic_set_config(GPIO_INTID, false);
	gic_set_priority(GPIO_INTID, 0x80);
	gic_route_spi(GPIO_INTID, 0);
	gic_enable(GPIO_INTID);
	gic_irq_unmask();
	return true;
}

/* Doorbell round trips to an echoing reader: figures, not a verdict. */
static void pingpong(unsigned n)
{
	uint64_t min = UINT64_MAX, max = 0, sum = 0;

	for (unsigned i = 1; i <= n; i++) {
		uint64_t t0 = now_ticks(), dt;

		ring();
		if (!wait_bell(i)) {
			gprintf("chan: FAIL: ping %u: no reply\n", i);
			return;
		}
		dt = now_ticks() - t0;
		min = dt < min ? dt : min;
		max = dt > max ? dt : max;
		sum += dt;
	}
	gprintf("chan: doorbell round trip over %u pings: min %lu avg %lu max "
		"%lu counter ticks at %lu Hz\n", n, min, sum / n, max,
		ticks_per_sec());
	gputs("chan: PASS");
}

static void writer(unsigned rounds, unsigned ping)
{
	uint64_t end = now_ticks() + 10 * ticks_per_sec();

	while (!get_line(line_in) && now_ticks() < end) {
		delay_ms(10);
	}
	if (!get_line(line_in)) {
		gputs("chan: FAIL: the reader never raised its ready line");
		return;
	}
	/* Its rising edge is only "ready": drop it. */
	wr(GPIOIC, 0xff);
	bells = 0;
	gputs("chan: reader ready");
	if (ping != 0) {
		pingpong(ping);
		return;
	}
	for (unsigned n = 1; n <= rounds; n++) {
		shm[0] = MAGIC;
		shm[1] = n;
		/* Printed before the doorbell, so it precedes the reader's
		 * lines on the console. */
		gprintf("chan: round %u: wrote, ringing\n", n);
		if (level) {
			set_line(line_out, true); /* held until the reply */
		} else {
			ring();
		}
		if (!wait_bell(n)) {
			gprintf("chan: FAIL: round %u: no doorbell back\n", n);
			return;
		}
		set_line(line_out, false);
		if (shm[0] != MAGIC || shm[1] != n) {
			gprintf("chan: FAIL: round %u: data changed to 0x%lx "
				"0x%lx\n", n, shm[0], shm[1]);
			return;
		}
		gprintf("chan: round %u: doorbell back, data intact\n", n);
	}
	gputs("chan: PASS");
}

static void reader(bool hostile)
{
	uint64_t v;

	if (echo) {
		set_line(line_out, true); /* ready; the handler does the rest */
		return;
	}

	if (hostile && probe_read(gpio + GPIODIR, &v)) {
		gputs("chan: FAIL: a 64-bit PL061 read was emulated");
	} else if (hostile) {
		gputs("chan: 64-bit PL061 read refused");
	}
	set_line(line_out, true); /* ready: held until the first doorbell */
	for (uint32_t n = 1;; n++) {
		uint64_t was;

		while (bells < n) {
			__asm__ volatile("wfi");
		}
		set_line(line_out, false);
		was = shm[1];
		gprintf("chan: doorbell %u: read 0x%lx round %lu\n", n, shm[0],
			was);
		if (probe_write((uint64_t)&shm[1], 0xbad)) {
			gputs("chan: FAIL: a write to the read-only channel "
			      "went through");
		} else if (shm[1] != was) {
			gputs("chan: FAIL: aborted write changed the data");
		} else {
			gputs("chan: write refused: abort taken, data unchanged");
		}
		ring();
		if (level) {
			/* The writer drops its line on the reply (and may
			 * raise it again for its next round, after writing
			 * the round number): then unmask it. */
			while (get_line(line_in) && shm[1] == was) {
			}
			wr(GPIOIE, 1u << line_in);
		}
	}
}

static volatile bool storming;

/* Every vCPU: toggle the ring line (two trapped PL061 writes a ring), or
 * (role=idle) wait for interrupts that never come; never returns. */
static void storm(void)
{
	for (;;) {
		if (storming) {
			ring();
		} else {
			__asm__ volatile("wfi");
		}
	}
}

static void start_storm(const struct dt_info *dt, bool ring_it)
{
	storming = ring_it;
	for (unsigned i = 1; i < dt->cpus; i++) {
		(void)psci_call(0xc4000003, i, (uint64_t)secondary_entry, i);
	}
	gprintf("chan: %s on %u vCPUs\n", ring_it ? "storm" : "idle",
		dt->cpus);
	storm();
}

void guest_main(const void *dtb)
{
	struct dt_info dt;

	if (!dt_parse(dtb, &dt) || !setup(dtb, &dt)) {
		return;
	}
	if (arg_has(dt.bootargs, "role=storm") ||
	    arg_has(dt.bootargs, "role=idle")) {
		start_storm(&dt, arg_has(dt.bootargs, "role=storm"));
	} else if (arg_has(dt.bootargs, "role=writer")) {
		writer((unsigned)arg_num(dt.bootargs, "rounds", 3),
		       (unsigned)arg_num(dt.bootargs, "pingpong", 0));
	} else if (arg_has(dt.bootargs, "role=reader")) {
		reader(arg_has(dt.bootargs, "hostile"));
	} else {
		gputs("chan: FAIL: bootargs need role=writer or role=reader");
	}
}

void guest_secondary(uint64_t index)
{
	(void)index;
	storm();
}
