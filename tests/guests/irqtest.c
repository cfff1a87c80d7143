/* SPDX-License-Identifier: MIT */
/*
 * Interrupt soak and GIC attack guest. Words in /chosen/bootargs:
 *
 *   tick-us=N     virtual timer period in microseconds (default 1000)
 *   window-ms=N   print the tick count of each window of N ms (100)
 *   ticks=N       stop after N ticks and print the soak result
 *   own-spi=I     enable SPI I (a passthrough device nothing drives) and
 *                 pend it once at the start of every window: each window
 *                 must see exactly one delivery of it (a foreign pend or
 *                 disable reaching the physical GIC shows as 2 or 0), and
 *                 it must stay enabled whatever the neighbour does
 *   flood=N       after each tick print N console lines (about 80
 *                 bytes each) at once: a console flood between WFIs
 *   reset-after=N PSCI SYSTEM_RESET after N ticks (a reset loop)
 *   attack=I,J    each window, try to enable, pend, reprioritise, route,
 *                 reconfigure and disable SPIs I, J... (not ours), and
 *                 send SGIs to every vCPU in the system in every way
 *                 the GIC allows
 *
 * The timer is re-armed at absolute deadlines (cval += period), so every
 * period yields exactly one interrupt; a handler that runs a whole period
 * or more late counts the periods it missed as lost ticks.
 */
#include "gic.h"
#include "guest.h"

#define VTIMER 27

static struct dt_info dt;
static uint64_t period, next_cval;
static volatile uint64_t ticks, lost, unexpected, sgis, own_seen;
static uint32_t own_spi;

static void arm_timer(uint64_t cval)
{
	__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(cval));
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(1ULL));
}

bool guest_irq_handler(uint64_t kind)
{
	uint32_t iar = gic_ack();
	uint32_t intid = gic_iar_intid(iar);

	(void)kind;
	if (intid >= GIC_FIRST_SPECIAL) {
		return true;
	}
	if (intid == VTIMER) {
		uint64_t now = now_ticks();

		if (now - next_cval >= period) {
			lost += (now - next_cval) / period;
			next_cval += ((now - next_cval) / period) * period;
		}
		next_cval += period;
		ticks++;
		arm_timer(next_cval);
	} else if (own_spi != 0 && intid == own_spi) {
		own_seen++;
	} else if (intid < 16) {
		sgis++;
	} else {
		unexpected++;
		gprintf("UNEXPECTED interrupt %u\n", intid);
	}
	gic_eoi(iar);
	return true;
}

/* Everything a partition might try against interrupts it does not own. */
static void attack(const uint64_t *spis, unsigned n, bool report)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t s = (uint32_t)spis[i];

		gic_enable(s);
		gic_set_pending(s);
		gic_set_active(s);
		gic_set_priority(s, 0);
		gic_set_config(s, true);
		gic_route_spi(s, 0);
		if (report) {
			gprintf("attack SPI %u: enabled %u pending %u active %u "
				"priority 0x%x\n",
				s, gic_is_enabled(s), gic_is_pending(s),
				gic_is_active(s), gic_get_priority(s));
		}
		gic_disable(s);
		gic_clear_pending(s);
		gic_clear_active(s);
	}
	gic_send_sgi_others(1);
	gic_send_sgi(2, 0xff);
	if (gic_version() == GIC_V3) {
		/* Aff1 = 1, and range selector 1: vCPUs that do not exist. */
		uint64_t aff1 = (3ULL << 24) | (1ULL << 16) | 0xffff;
		uint64_t rs = (4ULL << 24) | (1ULL << 44) | 0xffff;

		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"(aff1));
		__asm__ volatile("msr S3_0_C12_C11_5, %0" : : "r"(rs));
	} else {
		/* GICD_SGIR: CPU target list with every bit set. */
		gic_dist_write(0xf00, (0xffu << 16) | 5);
	}
}

void guest_main(const void *dtb)
{
	uint64_t window_ticks, stop, window_end, flood, reset_after;
	uint64_t spis[16];
	unsigned nspis;
	uint64_t w = 0, last = 0, own_last = 0;
	bool first = true;

	if (!dt_parse(dtb, &dt) || !gic_probe(dtb) || !gic_dist_init() ||
	    !gic_cpu_init(0)) {
		gprintf("irqtest: GIC set-up failed: %s\n", gic_error());
		return;
	}
	period = ticks_per_sec() * arg_num(dt.bootargs, "tick-us", 1000) /
		 1000000;
	window_ticks = ticks_per_sec() / 1000 *
		       arg_num(dt.bootargs, "window-ms", 100);
	stop = arg_num(dt.bootargs, "ticks", ~0ULL);
	own_spi = (uint32_t)arg_num(dt.bootargs, "own-spi", 0);
	nspis = arg_list(dt.bootargs, "attack", spis, 16);
	if (own_spi != 0) {
		gic_set_priority(own_spi, 0x80);
		gic_enable(own_spi);
	}
	gic_set_priority(VTIMER, 0x40);
	gic_enable(VTIMER);
	gic_enable(1);
	gic_enable(2);
	gic_enable(3);
	gic_enable(4);
	gic_enable(5);
	next_cval = now_ticks() + period;
	arm_timer(next_cval);
	gic_irq_unmask();
	gprintf("irqtest: GICv%u, period %lu ticks, %u SPIs to attack\n",
		(unsigned)gic_version(), period, nspis);
	window_end = now_ticks() + window_ticks;
	if (own_spi != 0) {
		gic_set_pending(own_spi);
	}
	flood = arg_num(dt.bootargs, "flood", 0);
	reset_after = arg_num(dt.bootargs, "reset-after", ~0ULL);
	while (ticks < stop) {
		for (uint64_t i = 0; i < flood; i++) {
			gprintf("flood %lu.%lu: the quick brown fox jumps over "
				"the lazy dog again\n", ticks, i);
		}
		if (ticks >= reset_after) {
			psci_call(0x84000009, 0, 0, 0);
		}
		if (nspis != 0) {
			attack(spis, nspis, first);
			first = false;
		}
		if (now_ticks() >= window_end) {
			uint64_t t = ticks;

			uint64_t own = own_seen;

			gprintf("window %lu: %lu ticks, lost %lu, unexpected %lu, "
				"own SPI %s, delivered %lu\n",
				w, t - last, lost, unexpected,
				own_spi == 0 ? "-"
				: gic_is_enabled(own_spi) ? "enabled"
							   : "DISABLED",
				own - own_last);
			last = t;
			own_last = own;
			if (own_spi != 0) {
				gic_set_pending(own_spi);
			}
			w++;
			window_end += window_ticks;
		}
		__asm__ volatile("wfi");
	}
	gic_irq_mask();
	gprintf("soak done: %lu ticks, lost %lu, unexpected %lu, SGIs %lu\n",
		ticks, lost, unexpected, sgis);
	psci_call(0x84000008, 0, 0, 0);
}

void guest_secondary(uint64_t index)
{
	(void)index;
	for (;;) {
		__asm__ volatile("wfi");
	}
}
