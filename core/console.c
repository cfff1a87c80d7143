/* SPDX-License-Identifier: MIT */
/*
 * Console input. The hypervisor owns the board UART; received characters
 * go to one partition at a time (the focus), into its virtual PL011.
 *
 *   Ctrl-] n        focus moves to the next partition
 *   Ctrl-] 1 .. 8   focus moves to partition 1 .. 8 (description order)
 *   Ctrl-] s        prints every partition's counters (console_stats)
 *   Ctrl-] Ctrl-]   sends one Ctrl-] to the partition with focus
 *
 * Each switch prints which partition now has focus. Input for a partition
 * that is not running is dropped. The board UART interrupt is taken by the
 * first core that hosts a partition (the console core).
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

static void announce(void)
{
	log_info("console input: partition %s (Ctrl-] n: next, Ctrl-] 1-%u: "
		 "choose)",
		 hv_cfg.partitions[console_focus].name,
		 hv_cfg.partition_count);
}

/** Route the board UART's receive interrupt to @core; say who has focus. */
void console_init(unsigned core)
{
	board_uart_rx_enable(hv_cfg.board.uart_base);
	gic_enable_hv_irq(hv_cfg.board.uart_irq, core, false);
	announce();
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
		console_focus = (console_focus + 1) % hv_cfg.partition_count;
		announce();
	} else if (c == 's') {
		console_stats();
	} else if (c >= '1' && c < '1' + hv_cfg.partition_count) {
		console_focus = (uint32_t)(c - '1');
		announce();
	}
}

/** The board UART interrupt: take every received character. */
void console_rx(void)
{
	int c;

	while ((c = board_uart_getc(hv_cfg.board.uart_base)) >= 0) {
		handle((uint8_t)c);
	}
}
