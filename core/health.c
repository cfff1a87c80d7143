/* SPDX-License-Identifier: MIT */
/*
 * Partition health: the counter pages (hv/stats.h) and the virtual SP805
 * watchdog's clock (docs/lifecycle.md).
 *
 * Watchdog expiry is measured with the physical counter at EL2: when a
 * guest access leaves the watchdog running towards a reset, the core of
 * the vCPU that made the access arms its EL2 physical timer (CNTHP, PPI
 * 10, INTID 26) for that instant and becomes the watchdog's core. Each
 * core hosts one vCPU of one partition, so a core's CNTHP serves one
 * watchdog. A hung guest still takes the CNTHP interrupt to EL2 (HCR_EL2
 * .IMO routes physical interrupts to EL2 whatever the guest's PSTATE.I),
 * so expiry needs no cooperation from it. A core whose timer fires but is
 * no longer the watchdog's core just disables it.
 *
 * Arm ARM DDI 0487 J.a, D11.2 "The AArch64 view of the Generic Timer",
 * D19.12 CNTHP_CTL_EL2 / CNTHP_CVAL_EL2 (ENABLE bit 0, IMASK bit 1,
 * ISTATUS bit 2; the condition is CNTPCT >= CVAL).
 */
#include "hv/arch.h"
#include "hv/log.h"
#include "hv/partition.h"
#include "hv/string.h"

#include "arch/sysreg.h"

#define HYP_TIMER_INTID 26u

_Static_assert(sizeof(((struct pcpu *)0)->hyp_timer_due) ==
		       HYP_TIMERS * sizeof(uint64_t),
	       "one deadline per enum hyp_timer");
#define CNTHP_ENABLE 1u

extern const struct hv_config hv_cfg;

/*
 * One page per partition; mapped read-only into monitors (stage 2). In
 * .noinit, neither zeroed nor invalidated by boot.S: health_init()
 * invalidates and zeroes the page of each configured partition before
 * anything reads it, and the pages of partition indices beyond the
 * configuration are never mapped or read (health_stats_pa() is asked only
 * for configured partitions).
 */
static union {
	struct hv_stats s;
	uint8_t page[HV_STATS_PAGE];
} hv_stats_pages[HV_MAX_PARTITIONS]
	__attribute__((aligned(HV_STATS_PAGE), section(".noinit.stats")));

static void clean(const void *p, size_t n)
{
	arch_clean_range((uintptr_t)p, (uintptr_t)p + n);
}

static uint64_t counter_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/** Physical address of partition @partition's stats page (identity). */
uint64_t health_stats_pa(uint32_t partition)
{
	return (uintptr_t)&hv_stats_pages[partition];
}

/**
 * Boot: set up @p's stats page and point its vCPUs' exit counters into it.
 * Before any vCPU runs, with the MMU off (partition_prepare_all()).
 */
void health_init(struct partition *p)
{
	struct hv_stats *st = &hv_stats_pages[p->index].s;

	/* The page is in .noinit: drop what the loader may have left cached
	 * before writing it with the MMU off (as boot.S does for .bss). */
	arch_invalidate_range(st, sizeof(hv_stats_pages[0]));
	memset(st, 0, sizeof(hv_stats_pages[0]));
	st->magic = HV_STATS_MAGIC;
	st->version = HV_STATS_VERSION;
	memcpy(st->name, p->cfg->name, sizeof(st->name));
	st->name[sizeof(st->name) - 1] = '\0';
	st->index = p->index;
	st->vcpu_count = p->cfg->cpu_count;
	st->exit_kinds = EXIT_KINDS;
	st->counter_hz = read_sysreg(cntfrq_el0);
	p->stats = st;
	for (uint32_t j = 0; j < p->cfg->cpu_count; j++) {
		p->vcpus[j]->exits = st->exits[j];
	}
	p->wdog_core = WDOG_NO_CORE;
	vwdt_reset(&p->wdog);
	clean(st, sizeof(*st));
}

/**
 * @p is being (re)loaded: its watchdog back to reset values (a CNTHP
 * timer still armed somewhere finds it no longer its job), the start time
 * noted. Caller owns the partition (no vCPU in its guest).
 */
void health_reset(struct partition *p)
{
	spin_lock(&p->lock);
	vwdt_reset(&p->wdog);
	p->wdog_core = WDOG_NO_CORE;
	spin_unlock(&p->lock);
	__atomic_store_n(&p->events_logged, 0, __ATOMIC_SEQ_CST);
	p->stats->started_at = counter_now();
	clean(&p->stats->started_at, 8);
}

/* Counters updated by several cores: atomic add, then clean. */
static void bump(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
	clean(c, 8);
}

void health_count_fault(struct partition *p)
{
	bump(&p->stats->faults);
}

void health_count_dma_fault(struct partition *p)
{
	bump(&p->stats->dma_faults);
}

void health_count_restart(struct partition *p)
{
	bump(&p->stats->restarts);
}

/** Publish @p's state (after every change of p->state). */
void health_set_state(struct partition *p)
{
	p->stats->state = __atomic_load_n(&p->state, __ATOMIC_SEQ_CST);
	clean(&p->stats->state, 4);
}

/** Publish @p's coalesced doorbell changes; caller holds p->lock. */
void health_set_doorbells_coalesced(struct partition *p, uint64_t n)
{
	if (p->stats->doorbells_coalesced != n) {
		__atomic_store_n(&p->stats->doorbells_coalesced, n,
				 __ATOMIC_RELAXED);
		clean(&p->stats->doorbells_coalesced, 8);
	}
}

/** Publish @p's dropped console bytes (a count that only grows). */
void health_set_console_dropped(struct partition *p, uint64_t n)
{
	if (__atomic_load_n(&p->stats->console_dropped, __ATOMIC_RELAXED) != n) {
		__atomic_store_n(&p->stats->console_dropped, n,
				 __ATOMIC_RELAXED);
		clean(&p->stats->console_dropped, 8);
	}
}

/** Publish the vGIC's injection count; caller holds p->vgic.lock. */
void health_sync_irqs(struct partition *p)
{
	if (p->stats->irqs_injected != p->vgic.injected) {
		p->stats->irqs_injected = p->vgic.injected;
		clean(&p->stats->irqs_injected, 8);
	}
}

/* Counter ticks <-> watchdog clock ticks, without overflow (the
 * remainder product stays below 2^64 for frequencies under 4 GHz). */
static uint64_t to_wdog(uint64_t cnt)
{
	uint64_t hz = read_sysreg(cntfrq_el0);

	return cnt / hz * VWDT_CLOCK_HZ + cnt % hz * VWDT_CLOCK_HZ / hz;
}

static uint64_t to_counter(uint64_t wd)
{
	uint64_t hz = read_sysreg(cntfrq_el0);

	return wd / VWDT_CLOCK_HZ * hz +
	       (wd % VWDT_CLOCK_HZ * hz + VWDT_CLOCK_HZ - 1) / VWDT_CLOCK_HZ;
}

/*
 * Program this core's CNTHP for the earliest of its deadlines, or turn it
 * off. Each core serves one partition's watchdog and the doorbells its
 * vCPU's partition holds back (core/channel.c), on this one timer.
 */
static void timer_program(void)
{
	const uint64_t *due = pcpu_this()->hyp_timer_due;
	uint64_t first = 0;

	for (unsigned t = 0; t < HYP_TIMERS; t++) {
		if (due[t] != 0 && (first == 0 || due[t] < first)) {
			first = due[t];
		}
	}
	if (first == 0) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, first);
		write_sysreg(cnthp_ctl_el2, CNTHP_ENABLE);
	}
	isb();
}

/** Set this core's deadline @t to counter tick @due (0: none). */
void health_timer_set(enum hyp_timer t, uint64_t due)
{
	uint64_t *slot = &pcpu_this()->hyp_timer_due[t];

	if (*slot != due) {
		*slot = due;
		timer_program();
	}
}

uint64_t health_counter_now(void)
{
	return counter_now();
}

/*
 * After any change to @p's watchdog: arm this core's CNTHP for its reset
 * output, or disarm it; @now is the watchdog tick the model was brought
 * up to. Never sooner than 1 ms after @now (vwdt_check_at()), so a guest
 * that loads a tiny count cannot keep its core in EL2 timer interrupts.
 * Caller holds p->lock, on the core of one of @p's vCPUs.
 */
static void wdog_arm(struct partition *p, uint64_t now)
{
	uint64_t due = vwdt_check_at(&p->wdog, now);
	uint32_t core = pcpu_this()->index;

	if (due == VWDT_NEVER) {
		if (p->wdog_core == core) {
			p->wdog_core = WDOG_NO_CORE;
		}
		health_timer_set(HYP_TIMER_WDOG, 0);
	} else {
		p->wdog_core = core;
		health_timer_set(HYP_TIMER_WDOG, to_counter(due));
	}
}

/*
 * The reset output fired: count, then the partition's watchdog policy.
 * "inject" pends a virtual SError for the vCPU of this core if it is in
 * its guest; a parked vCPU (it called CPU_OFF after it last programmed the
 * watchdog) cannot take one, and the report is all that happens.
 */
static void wdog_expired(struct vcpu *v, bool in_guest)
{
	struct partition *p = v->part;
	enum hv_fault_policy pol;

	bump(&p->stats->wdog_expiries);
	pol = partition_event(v, HV_EV_WATCHDOG, "watchdog expired");
	if (pol == HV_FAULT_INJECT && in_guest) {
		arch_inject_serror(v);
	}
}

/**
 * A guest access to its SP805 window (offset @off). Returns false for an
 * access the registers do not allow (the caller applies fault policy).
 * May not return: an expiry noticed here applies the policy.
 */
bool health_wdog_mmio(struct vcpu *v, uint64_t off, unsigned size,
		      bool write, uint64_t *val)
{
	struct partition *p = v->part;
	uint64_t now = to_wdog(counter_now());
	enum vwdt_result r;
	bool fired;

	spin_lock(&p->lock);
	fired = vwdt_advance(&p->wdog, now);
	if (write) {
		r = vwdt_write(&p->wdog, off, size, *val, now);
	} else {
		r = vwdt_read(&p->wdog, off, size, now, val);
	}
	wdog_arm(p, now);
	spin_unlock(&p->lock);
	if (fired) {
		wdog_expired(v, true);
	}
	return r == VWDT_OK;
}

bool health_is_timer_irq(uint32_t intid)
{
	return intid == HYP_TIMER_INTID;
}

/*
 * The watchdog deadline of this core passed: if the core still watches its
 * partition's watchdog, bring the model up to date and re-arm; true if the
 * reset output fired. Else the deadline is dropped.
 */
static bool wdog_due(struct partition *p)
{
	bool fired = false;

	spin_lock(&p->lock);
	if (p->wdog_core == pcpu_this()->index &&
	    __atomic_load_n(&p->state, __ATOMIC_SEQ_CST) == PART_RUNNING) {
		uint64_t now = to_wdog(counter_now());

		fired = vwdt_advance(&p->wdog, now);
		wdog_arm(p, now);
	}
	spin_unlock(&p->lock);
	return fired;
}

/**
 * This core's CNTHP fired (taken, priority dropped, not yet deactivated):
 * serve each deadline that has passed (the watchdog, held-back doorbells,
 * console lines held for the focused partition's line),
 * then program the timer for what is left. The timer is re-armed or
 * disabled before the interrupt is deactivated, so a level that stays
 * high cannot fire again at once.
 */
void health_timer_irq(struct vcpu *v, uint32_t iar)
{
	uint64_t *due = pcpu_this()->hyp_timer_due;
	uint64_t now = counter_now();
	bool fired = false, console_due = false;

	if (due[HYP_TIMER_WDOG] != 0 && now >= due[HYP_TIMER_WDOG]) {
		due[HYP_TIMER_WDOG] = 0;
		fired = wdog_due(v->part);
	}
	if (due[HYP_TIMER_DOORBELL] != 0 && now >= due[HYP_TIMER_DOORBELL]) {
		due[HYP_TIMER_DOORBELL] = 0;
		channel_timer(v->part);
	}
	if (due[HYP_TIMER_CONSOLE] != 0 && now >= due[HYP_TIMER_CONSOLE]) {
		due[HYP_TIMER_CONSOLE] = 0;
		console_due = true;
	}
	if (due[HYP_TIMER_REGULATE] != 0 && now >= due[HYP_TIMER_REGULATE]) {
		due[HYP_TIMER_REGULATE] = 0;
		arch_regulate_period_end(v, now);
	}
	timer_program();
	gic_deactivate(iar);
	if (console_due) {
		log_hold_timer();
	}
	if (fired) {
		wdog_expired(v, __atomic_load_n(&v->in_guest,
						__ATOMIC_SEQ_CST) != 0);
	}
}
