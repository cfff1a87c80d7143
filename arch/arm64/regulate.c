/* SPDX-License-Identifier: MIT */
/*
 * Memory-bandwidth regulation on the PMU (hv/regulate.h; docs/isolation.md).
 *
 * The last event counter, n = PMCR_EL0.N - 1, is the hypervisor's on each
 * core of a regulated partition: MDCR_EL2.HPMN = n (arch/arm64/cpu.c)
 * puts it in the range only EL2 can reach. EL1 and EL0 then see
 * PMCR_EL0.N = HPMN, cannot enable, reset, select or read counters >= HPMN
 * (PMCR_EL0.E and .P act on counters below HPMN only; the PMCNTEN, PMINTEN
 * and PMOVS bits of the others are RAZ/WI below EL2), and MDCR_EL2.HPME
 * alone enables them. A regulated partition never has the PMU ("pmu"),
 * so every EL1 PMU access traps (MDCR_EL2.TPM, TPMCR) and is UNDEFINED
 * besides. Arm ARM DDI 0487 J.a, chapter D13 "The Performance Monitors
 * Extension" (counters reserved for EL2, event filtering) and the
 * register descriptions of MDCR_EL2, PMCR_EL0, PMEVTYPER<n>_EL0 and
 * PMOVSSET_EL0.
 *
 * The counter counts the partition's event at EL0 and EL1 only
 * (PMEVTYPER: P, U, NSK, NSU clear: EL1 and EL0 counted; NSH clear: EL2
 * not counted), preset to 2^32 - budget so it overflows after the
 * budget. Its overflow interrupt (the PMU's PPI, or the core's own SPI on
 * boards that wire one per core; board description) is taken at EL2 like
 * every physical interrupt (HCR_EL2.IMO): the vCPU is then held at EL2 in
 * WFI, taking the hypervisor's interrupts and queueing the guest's in its
 * vGIC, until the period ends on the EL2 timer (HYP_TIMER_REGULATE), where
 * the counter is preset again and the period's figures go to the stats
 * page.
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/regulate.h"

#include "arch/regs.h"
#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;

/* The event each partition's cores count (HV_MEM_EVENT_AUTO resolved at
 * boot, arch_regulate_check()). */
static uint32_t reg_event[HV_MAX_PARTITIONS];

static const char *event_name(uint32_t ev)
{
	switch (ev) {
	case PMU_EV_INST_RETIRED:
		return " (INST_RETIRED)";
	case PMU_EV_L2D_CACHE_REFILL:
		return " (L2D_CACHE_REFILL)";
	case PMU_EV_BUS_ACCESS:
		return " (BUS_ACCESS)";
	default:
		return "";
	}
}

/* Counters this core's PMU has (PMCR_EL0.N, bits 15:11), 0 with no PMUv3. */
static uint32_t pmu_counters(void)
{
	uint64_t ver = FIELD_GET(DFR0_PMUVER, read_sysreg(id_aa64dfr0_el1));

	if (ver == 0 || ver == 0xf) {
		return 0;
	}
	return (uint32_t)(read_sysreg(pmcr_el0) >> 11) & 0x1fu;
}

/**
 * Boot core, before any partition starts: every regulated partition's
 * event must be one the core counts (PMCEID0_EL0, PMCEID1_EL0), and the
 * PMU must have a counter to reserve besides one for EL1 (HPMN = 0 is
 * CONSTRAINED UNPREDICTABLE without FEAT_HPMN0). Refuses to boot
 * otherwise: the partition would run unregulated.
 */
void arch_regulate_check(void)
{
	uint32_t n = pmu_counters();
	uint64_t ceid = 0;

	if (n >= 2) {
		ceid = (read_sysreg(pmceid0_el0) & 0xffffffffu) |
		       (read_sysreg(pmceid1_el0) << 32);
	}
	for (uint32_t i = 0; i < hv_cfg.partition_count; i++) {
		const struct hv_partition_cfg *pc = &hv_cfg.partitions[i];
		uint32_t ev;

		if (pc->mem_budget == 0) {
			continue;
		}
		if (n < 2) {
			hv_panic("partition %s: memory-budget: this core's PMU "
				 "has %u event counters, 2 needed (one kept "
				 "for EL2): refusing to boot unregulated",
				 pc->name, n);
		}
		ev = regulate_pick_event(pc->mem_event, ceid);
		if (ev == HV_MEM_EVENT_AUTO && pc->mem_event == HV_MEM_EVENT_AUTO) {
			hv_panic("partition %s: memory-budget: this core "
				 "implements neither L2D_CACHE_REFILL (0x17) nor "
				 "BUS_ACCESS (0x19) (PMCEID0_EL0): refusing to "
				 "boot unregulated",
				 pc->name);
		}
		if (ev == HV_MEM_EVENT_AUTO) {
			hv_panic("partition %s: memory-event: this core does "
				 "not implement PMU event 0x%x%s (PMCEID0_EL0/"
				 "PMCEID1_EL0): refusing to boot unregulated",
				 pc->name, pc->mem_event,
				 event_name(pc->mem_event));
		}
		reg_event[i] = ev;
		log_info("partition %s: memory budget %u events of 0x%x%s per "
			 "%u us on each core, counter %u kept for EL2",
			 pc->name, pc->mem_budget, ev, event_name(ev),
			 pc->mem_period_us, n - 1);
	}
}

/**
 * This core (@c, used) starts: if its partition is regulated, note the
 * counter and period and enable the PMU's overflow interrupt at EL2: the
 * board's PPI, or this core's own SPI (zcu102, rpi4), routed to it alone.
 */
void arch_regulate_core_init(struct pcpu *c)
{
	const struct hv_partition_cfg *pc = c->vcpu.part->cfg;
	struct regulate_core *r = &c->reg;

	if (pc->mem_budget == 0) {
		return;
	}
	r->on = 1;
	r->counter = pmu_counters() - 1;
	r->preset = regulate_preset(pc->mem_budget);
	r->period = regulate_period_ticks(pc->mem_period_us,
					  read_sysreg(cntfrq_el0));
	r->irq = regulate_pmu_intid(&hv_cfg.board, c->index);
	if (hv_cfg.board.pmu_irq != 0) {
		gic_enable_hv_ppi(c->index, r->irq);
	} else {
		gic_enable_hv_pmu_spi(c->index);
	}
}

/** MDCR_EL2.HPMN (bits 4:0) for a regulated core: its counter is EL2's,
 * enabled by MDCR_EL2.HPME (bit 7). @m: the partition's value. */
uint64_t arch_regulate_mdcr(uint64_t m)
{
	const struct regulate_core *r = &pcpu_this()->reg;

	if (r->on == 0) {
		return m;
	}
	return (m & ~(uint64_t)MDCR_HPMN_MASK) |
	       FIELD_PREP(MDCR_HPMN_MASK, r->counter) | MDCR_HPME;
}

/* Select the reserved counter (PMSELR_EL0.SEL) for PMXEV*: EL1 never
 * has the PMU here, so PMSELR_EL0 is the hypervisor's to change. */
static void select_counter(const struct regulate_core *r)
{
	write_sysreg(pmselr_el0, r->counter);
	isb();
}

/* Preset the counter, clear its overflow flag, enable its interrupt. */
static void counter_preset(const struct regulate_core *r)
{
	uint64_t bit = 1ULL << r->counter;

	select_counter(r);
	write_sysreg(pmxevcntr_el0, r->preset);
	write_sysreg(pmovsclr_el0, bit);
	write_sysreg(pmintenset_el1, bit);
	isb();
}

/* Publish @a as vCPU @v's figures on its stats page. */
static void publish(const struct vcpu *v, const struct regulate_acct *a)
{
	struct hv_stats_mem *m = &v->part->stats->mem[v->index];

	m->periods = a->periods;
	m->throttled = a->throttled;
	m->throttled_ticks = a->throttled_ticks;
	m->last_events = a->last_events;
	m->max_events = a->max_events;
	arch_clean_range((uintptr_t)m, (uintptr_t)(m + 1));
}

/**
 * After arch_vcpu_reset() reset the PMU: program the reserved counter for
 * @v (a regulated vCPU) and start its first period now.
 */
void arch_regulate_vcpu_start(struct vcpu *v)
{
	struct regulate_core *r = &pcpu_this()->reg;
	const struct hv_partition_cfg *pc = v->part->cfg;
	struct hv_stats *st = v->part->stats;

	if (r->on == 0) {
		return;
	}
	r->throttled = 0;
	st->mem_budget = pc->mem_budget;
	st->mem_period_us = pc->mem_period_us;
	st->mem_event = reg_event[v->part->index];
	arch_clean_range((uintptr_t)&st->mem_budget,
			 (uintptr_t)&st->mem_budget + 16);
	select_counter(r);
	write_sysreg(pmxevtyper_el0, st->mem_event); /* filters all 0 */
	counter_preset(r);
	write_sysreg(pmcntenset_el0, 1ULL << r->counter);
	/* PMCR_EL0.E enables only counters below HPMN, none of which is
	 * enabled in PMCNTENSET_EL0 (reset_pmu()), so architecturally it
	 * changes nothing here; but QEMU (10.0, pmu_update_irq()) raises the
	 * overflow interrupt only while PMCR_EL0.E is set, whatever HPMN. */
	write_sysreg(pmcr_el0, 1u);
	isb();
	r->due = health_counter_now() + r->period;
	health_timer_set(HYP_TIMER_REGULATE, r->due);
}

/**
 * The PMU's overflow (PPI or SPI) was taken (priority dropped, not
 * deactivated): if the reserved counter overflowed, the budget is spent:
 * mask its interrupt until the period ends (the overflow flag stays, for
 * the figures) and hold the vCPU (arch_regulate_hold()).
 */
void arch_regulate_irq(uint32_t iar)
{
	struct regulate_core *r = &pcpu_this()->reg;
	uint64_t bit = 1ULL << r->counter;

	if (r->on != 0 && (read_sysreg(pmovsset_el0) & bit) != 0) {
		write_sysreg(pmintenclr_el1, bit);
		isb();
		if (r->throttled == 0) {
			r->throttled = 1;
			r->throttle_start = health_counter_now();
		}
	}
	gic_deactivate(iar);
}

/**
 * The period ended (this core's CNTHP, HYP_TIMER_REGULATE, at @now):
 * count what the period used, release a held vCPU, preset the counter and
 * arm the next period end. A parked vCPU (off, stopped or being reset)
 * counts nothing: its periods stop until arch_regulate_vcpu_start().
 */
void arch_regulate_period_end(struct vcpu *v, uint64_t now)
{
	struct regulate_core *r = &pcpu_this()->reg;
	struct regulate_acct a;
	const struct hv_stats_mem *m = &v->part->stats->mem[v->index];
	uint64_t bit = 1ULL << r->counter;
	uint64_t events, skipped;
	uint32_t cnt;
	bool over;

	if (r->on == 0) {
		return;
	}
	if (__atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST) == 0) {
		r->throttled = 0;
		return;
	}
	select_counter(r);
	cnt = (uint32_t)read_sysreg(pmxevcntr_el0);
	over = (read_sysreg(pmovsset_el0) & bit) != 0;
	events = regulate_events(r->preset, cnt, over);
	a.periods = m->periods;
	a.throttled = m->throttled;
	a.throttled_ticks = m->throttled_ticks;
	a.last_events = m->last_events;
	a.max_events = m->max_events;
	regulate_account(&a, events, r->throttled != 0,
			 now - r->throttle_start);
	publish(v, &a);
	r->throttled = 0;
	counter_preset(r);
	r->due = regulate_next_due(r->due, r->period, now, &skipped);
	health_timer_set(HYP_TIMER_REGULATE, r->due);
}

/**
 * Before returning to the guest after an interrupt exit: while the budget
 * of this period is spent, stay at EL2 in WFI, taking interrupts (the
 * period end releases it; the guest's own are queued in its vGIC) and
 * honouring stop, restart and halt requests.
 */
void arch_regulate_hold(struct vcpu *v)
{
	const struct regulate_core *r = &pcpu_this()->reg;

	while (__atomic_load_n(&r->throttled, __ATOMIC_RELAXED) != 0) {
		vcpu_check_requests(v);
		dsb_sy();
		wfi(); /* wakes on a pending interrupt even with PSTATE.I set */
		vcpu_take_irqs(v);
	}
}
