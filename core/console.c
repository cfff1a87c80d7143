/* SPDX-License-Identifier: MIT */
/*
 * Console input. The hypervisor owns the board UART; received characters
 * go to one partition at a time (the focus), into its virtual PL011.
 *
 *   Ctrl-] n        focus moves to the next partition
 *   Ctrl-] 1 .. 8   focus moves to partition 1 .. 8 (description order)
 *   Ctrl-] s        prints every partition's counters (console_stats)
 *   Ctrl-] q        powers the machine off (PSCI SYSTEM_OFF to firmware)
 *   Ctrl-] Ctrl-]   sends one Ctrl-] to the partition with focus
 *
 * Each switch prints which partition now has focus. The partition with
 * focus has its output sent byte by byte as it comes, escape sequences
 * intact (its virtual PL011's direct mode, hv/vpl011.h); the others' is
 * sent line by line (core/log.c). Input for a partition that is not
 * running is dropped. The board UART interrupt is taken by the first core
 * that hosts a partition (the console core).
 */
#include "hv/arch.h"
#include "hv/board.h"
#include "hv/console.h"
#include "hv/log.h"
#include "hv/partition.h"

#define CONSOLE_ESC 0x1d /* Ctrl-] */

extern const struct hv_config hv_cfg;

static uint32_t console_focus;
static bool console_escape;

/*
 * Give the focus to partition @to: the one that had it goes back to line
 * mode, @to to direct mode. One "[bulkhead]" line says so; it goes into
 * @to's ring, so it comes before the partial line @to had printed (a
 * prompt, now sent at once, with its tag) and before what @to prints
 * next. Each mode change is made under the partition's lock, where its
 * output is put into its ring (arch/arm64/trap.c), so no byte is put in
 * the wrong mode.
 */
static void focus(uint32_t to)
{
	struct partition *old = &hv_partitions[console_focus];
	struct partition *p = &hv_partitions[to];
	char partial[VPL011_OUT_MAX];
	size_t n;

	if (old != p) {
		spin_lock(&old->lock);
		(void)vpl011_set_direct(&old->uart, false, partial);
		spin_unlock(&old->lock);
	}
	console_focus = to;
	log_info_part(to, "console input: partition %s (Ctrl-] n: next, "
			  "Ctrl-] 1-%u: choose, Ctrl-] q: quit)",
		      hv_cfg.partitions[to].name, hv_cfg.partition_count);
	spin_lock(&p->lock);
	n = vpl011_set_direct(&p->uart, true, partial);
	log_partition_raw(to, partial, n, false);
	spin_unlock(&p->lock);
	log_kick();
}

/** Route the board UART's receive interrupt to @core; say who has focus. */
void console_init(unsigned core)
{
	board_uart_rx_enable(hv_cfg.board.uart_base);
	gic_enable_hv_irq(hv_cfg.board.uart_irq, core, false);
	log_start_rings();
	focus(0);
}

/* Ctrl-] q: power the machine off through firmware, once what the
 * console holds is out. */
static void quit(void)
{
	int64_t r;

	log_info("console: Ctrl-] q: powering off");
	log_final_flush();
	r = arch_psci_fw_system_off();
	/* Still here: the firmware refused. Nothing else prints now. */
	log_raw("[bulkhead] console: PSCI SYSTEM_OFF failed: %ld\n", (long)r);
	arch_halt();
}

static const char *const exit_names[EXIT_KINDS] = {
	[EXIT_IRQ] = "irq",	  [EXIT_MAINT] = "maint", [EXIT_HVC] = "hvc",
	[EXIT_SMC] = "smc",	  [EXIT_SYSREG] = "sysreg", [EXIT_GIC] = "gic",
	[EXIT_UART] = "uart",	  [EXIT_GPIO] = "gpio",   [EXIT_WDOG] = "wdog",
	[EXIT_ABORT] = "abort",	  [EXIT_WFX] = "wfx",	  [EXIT_OTHER] = "other",
	[EXIT_IRQ_FAST] = "irqfast", [EXIT_MAINT_FAST] = "maintfast",
};

/* List registers the vGIC model holds for vCPU @n (a racy read: only for
 * the counters; 0 for a parked vCPU whose partition was reset). */
static unsigned lrs_in_use(const struct partition *p, uint32_t n)
{
	unsigned used = 0;

	for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
		used += __atomic_load_n(&p->vgic.cpu[n].lr_intid[i],
					__ATOMIC_RELAXED) != VGIC_NO_IRQ;
	}
	return used;
}

/* One line: the list registers the vGIC holds for each of @p's vCPUs. */
static void log_lrs(const struct partition *p)
{
	char line[120];
	size_t len = 0;

	line[0] = 0;
	for (uint32_t n = 0; n < p->cfg->cpu_count && len < sizeof(line); n++) {
		len += fmt_snprintf(line + len, sizeof(line) - len,
				    " vcpu%u %u", n, lrs_in_use(p, n));
	}
	log_info("stats %s list registers in use:%s", p->cfg->name, line);
}

/* One line for a partition with channels: the doorbell changes each of
 * its ends drove that the budget merged (a racy read of counters). */
static void log_doorbells(const struct partition *p)
{
	char line[160];
	size_t len = 0;

	if (p->cfg->chan_count == 0) {
		return;
	}
	line[0] = 0;
	for (uint32_t i = 0; i < p->cfg->chan_count && len < sizeof(line); i++) {
		len += fmt_snprintf(line + len, sizeof(line) - len,
				    " %s %lu", p->cfg->chans[i].name,
				    (unsigned long)__atomic_load_n(
					    &p->db[i].coalesced,
					    __ATOMIC_RELAXED));
	}
	log_info("stats %s doorbells coalesced:%s", p->cfg->name, line);
}

/* One line: console output of @p dropped over its budget. */
static void log_console(const struct partition *p)
{
	log_info("stats %s console: %lu bytes dropped", p->cfg->name,
		 (unsigned long)log_dropped(p->index));
}

/* One line per vCPU of a regulated partition (docs/isolation.md): its
 * budget, then periods ended, periods throttled, time held, the events
 * counted in the last period and the most in one (its stats page). */
static void log_memory(const struct partition *p)
{
	const struct hv_stats *st = p->stats;
	uint64_t hz = st->counter_hz != 0 ? st->counter_hz : 1;

	if (p->cfg->mem_budget == 0) {
		return;
	}
	for (uint32_t n = 0; n < p->cfg->cpu_count; n++) {
		const struct hv_stats_mem *m = &st->mem[n];
		uint64_t held = __atomic_load_n(&m->throttled_ticks,
						__ATOMIC_RELAXED);

		log_info("stats %s vcpu%u memory: budget %u events 0x%x per %u "
			 "us, periods %lu, throttled %lu, held %lu us, events "
			 "last %lu max %lu",
			 p->cfg->name, n, st->mem_budget, st->mem_event,
			 st->mem_period_us,
			 (unsigned long)__atomic_load_n(&m->periods,
							__ATOMIC_RELAXED),
			 (unsigned long)__atomic_load_n(&m->throttled,
							__ATOMIC_RELAXED),
			 (unsigned long)(held / hz * 1000000u +
					 held % hz * 1000000u / hz),
			 (unsigned long)__atomic_load_n(&m->last_events,
							__ATOMIC_RELAXED),
			 (unsigned long)__atomic_load_n(&m->max_events,
							__ATOMIC_RELAXED));
	}
}

/**
 * Print each partition's state and counters (its stats page: restarts,
 * faults, watchdog expiries, interrupts injected, DMA faults), each vCPU's exit
 * counters (one line per vCPU), the list registers in use; then the
 * hypervisor's table pages in use (fixed after boot: a leak would show).
 * The counters belong to other cores and are read without stopping them:
 * each value is exact, a line is not a snapshot of one instant.
 */
void console_stats(void)
{
	static const char *const states[] = { "running", "stopped",
					      "resetting" };

	for (uint32_t i = 0; i < hv_cfg.partition_count; i++) {
		const struct partition *p = &hv_partitions[i];
		const struct hv_stats *st = p->stats;
		uint32_t state = __atomic_load_n(&p->state, __ATOMIC_RELAXED);
		/* The vector's fast path counts its injections per vCPU. */
		uint64_t injected = __atomic_load_n(&st->irqs_injected,
						    __ATOMIC_RELAXED);

		for (uint32_t n = 0; n < p->cfg->cpu_count; n++) {
			injected += __atomic_load_n(
				&p->vcpus[n]->exits[EXIT_IRQ_FAST],
				__ATOMIC_RELAXED);
		}

		log_info("stats %s: %s, restarts %lu, faults %lu, watchdog "
			 "expiries %lu, irqs injected %lu, DMA faults %lu",
			 p->cfg->name, state < 3 ? states[state] : "?",
			 (unsigned long)__atomic_load_n(&st->restarts,
							__ATOMIC_RELAXED),
			 (unsigned long)__atomic_load_n(&st->faults,
							__ATOMIC_RELAXED),
			 (unsigned long)__atomic_load_n(&st->wdog_expiries,
							__ATOMIC_RELAXED),
			 (unsigned long)injected,
			 (unsigned long)__atomic_load_n(&st->dma_faults,
							__ATOMIC_RELAXED));
		for (uint32_t n = 0; n < p->cfg->cpu_count; n++) {
			const struct vcpu *v = p->vcpus[n];
			char line[256];
			size_t len = 0;

			line[0] = 0;
			for (unsigned k = 0; k < EXIT_KINDS && len < sizeof(line); k++) {
				len += fmt_snprintf(line + len, sizeof(line) - len,
						    " %s %lu", exit_names[k],
						    (unsigned long)__atomic_load_n(
							    &v->exits[k],
							    __ATOMIC_RELAXED));
			}
			log_info("stats %s vcpu%u:%s", p->cfg->name, n, line);
		}
		log_lrs(p);
		log_memory(p);
		log_doorbells(p);
		log_console(p);
	}
	log_info("stats hypervisor: table pages %zu of %zu used, %zu when "
		 "sealed at boot",
		 hv_pt_pool.used, hv_pt_pool.count, hv_pt_pool.sealed_used);
}

static void deliver(uint8_t c)
{
	struct partition *p = &hv_partitions[console_focus];

	if (__atomic_load_n(&p->state, __ATOMIC_SEQ_CST) != PART_RUNNING) {
		return;
	}
	spin_lock(&p->lock);
	vpl011_rx_push(&p->uart, c);
	spin_lock(&p->vgic.lock);
	vgic_set_line(&p->vgic, -1, VGIC_UART_INTID,
		      vpl011_irq_level(&p->uart));
	spin_unlock(&p->vgic.lock);
	spin_unlock(&p->lock);
}

static void handle(uint8_t c)
{
	if (!console_escape) {
		if (c == CONSOLE_ESC) {
			console_escape = true;
		} else {
			deliver(c);
		}
		return;
	}
	console_escape = false;
	if (c == CONSOLE_ESC) {
		deliver(c);
	} else if (c == 'n') {
		focus((console_focus + 1) % hv_cfg.partition_count);
	} else if (c == 's') {
		console_stats();
	} else if (c == 'q') {
		quit();
	} else if (c >= '1' && c < '1' + hv_cfg.partition_count) {
		focus((uint32_t)(c - '1'));
	}
}

/**
 * The board UART interrupt: take every received character, then send
 * what the output rings hold (the transmit interrupt, core/log.c).
 */
void console_irq(void)
{
	int c;

	while ((c = board_uart_getc(hv_cfg.board.uart_base)) >= 0) {
		handle((uint8_t)c);
	}
	log_tx_irq();
}
