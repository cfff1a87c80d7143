/* SPDX-License-Identifier: MIT */
/*
 * Memory-bandwidth regulation: the pure arithmetic and per-period
 * bookkeeping (hv/regulate.h). No hardware access; host-tested.
 */
#include "hv/config.h"
#include "hv/regulate.h"

/**
 * Events counted since the counter was preset to @preset, now reading
 * @now. @overflowed: the overflow flag (PMOVSSET_EL0) is set, so the
 * counter wrapped past 2^32 once (a wrap takes 2^31 or more events past
 * the budget, which the throttle never lets happen in one period).
 */
uint64_t regulate_events(uint32_t preset, uint32_t now, bool overflowed)
{
	if (overflowed) {
		return (0x100000000ULL - preset) + now;
	}
	return (uint32_t)(now - preset);
}

/** A period of @period_us microseconds in ticks of a @hz counter (>= 1). */
uint64_t regulate_period_ticks(uint32_t period_us, uint64_t hz)
{
	uint64_t t = hz / 1000000u * period_us +
		     hz % 1000000u * period_us / 1000000u;

	return t != 0 ? t : 1;
}

/**
 * The end of the next period after one that ended at @due, seen at @now
 * (>= @due): periods stay on their grid; whole periods that passed
 * unserved (the core held elsewhere) are skipped and counted in
 * *@skipped.
 */
uint64_t regulate_next_due(uint64_t due, uint64_t period, uint64_t now,
			   uint64_t *skipped)
{
	uint64_t next = due + period;
	uint64_t n = 0;

	if (next <= now) {
		n = (now - due) / period;
		next = due + (n + 1) * period;
	}
	*skipped = n;
	return next;
}

/** Record one ended period: @events counted, throttled for @ticks. */
void regulate_account(struct regulate_acct *a, uint64_t events,
		      bool throttled, uint64_t throttled_ticks)
{
	a->periods++;
	a->last_events = events;
	if (events > a->max_events) {
		a->max_events = events;
	}
	if (throttled) {
		a->throttled++;
		a->throttled_ticks += throttled_ticks;
	}
}

/**
 * The event to count: @wanted (HV_MEM_EVENT_AUTO: L2D_CACHE_REFILL, or
 * BUS_ACCESS where that is missing) if PMCEID0_EL0 @pmceid0 says the core
 * implements it (bit n: common event n, for n < 32; PMCEID1_EL0 bit n - 32
 * above, passed shifted into the upper half here). Returns the event, or
 * HV_MEM_EVENT_AUTO if it is not implemented. Arm ARM DDI 0487 J.a,
 * chapter D13 "The Performance Monitors Extension" (common event
 * numbers) and the register descriptions of PMCEID0_EL0 / PMCEID1_EL0.
 */
uint32_t regulate_pick_event(uint32_t wanted, uint64_t pmceid0)
{
	if (wanted == HV_MEM_EVENT_AUTO) {
		if ((pmceid0 >> PMU_EV_L2D_CACHE_REFILL) & 1u) {
			return PMU_EV_L2D_CACHE_REFILL;
		}
		return ((pmceid0 >> PMU_EV_BUS_ACCESS) & 1u) ? PMU_EV_BUS_ACCESS
							     : HV_MEM_EVENT_AUTO;
	}
	if (wanted > HV_MEM_EVENT_MAX || ((pmceid0 >> wanted) & 1u) == 0) {
		return HV_MEM_EVENT_AUTO;
	}
	return wanted;
}

/** The INTID of board core @core's PMU overflow interrupt: the board's
 * PPI, or the core's SPI (0: the board describes neither). */
uint32_t regulate_pmu_intid(const struct hv_board_desc *b, unsigned core)
{
	if (b->pmu_irq != 0 || core >= HV_MAX_CPUS) {
		return b->pmu_irq;
	}
	return b->pmu_spis[core];
}

/* Distributor register offsets, the same in GICv2 and GICv3 but
 * GICD_ITARGETSR (GICv2 only; RES0 with affinity routing) and
 * GICD_IROUTER (GICv3 only). */
#define RS_GICD_ISENABLER 0x0100u
#define RS_GICD_IPRIORITYR 0x0400u
#define RS_GICD_ITARGETSR 0x0800u
#define RS_GICD_ICFGR 0x0c00u
#define RS_GICD_IROUTER 0x6000u
#define RS_MPIDR_AFF 0xff00ffffffULL /* Aff3 [39:32], Aff2-Aff0 [23:0] */

/**
 * The distributor writes that make board core @core's PMU overflow SPI
 * (pmu_spis) the hypervisor's, delivered to that core only, into *@p:
 * level-sensitive (the PMU holds it while the overflow flag is set),
 * priority @prio (the PPI's), routed to @core, enabled. @cpu_if (GICv2):
 * each board core's CPU interface bit, read from GICD_ITARGETSR0 on that
 * core. Returns false if the core has no PMU SPI (a PPI board, or none).
 *
 * GICv3 (IHI 0069H, 12.9 "The GIC Distributor register descriptions"):
 * GICD_ICFGR<n> (Int_config bit 1 of field n % 16: 0 level-sensitive),
 * GICD_IPRIORITYR<n> (byte n), GICD_IROUTER<n> (Interrupt_Routing_Mode 0:
 * to the PE whose affinity Aff3.Aff2.Aff1.Aff0 it holds, with affinity
 * routing, GICD_CTLR.ARE), GICD_ISENABLER<n> (bit n % 32).
 * GICv2 (IHI 0048B.b): 4.3.13 GICD_ICFGRn, 4.3.11 GICD_IPRIORITYRn,
 * 4.3.12 GICD_ITARGETSRn (byte n: the CPU interfaces it goes to),
 * 4.3.5 GICD_ISENABLERn.
 */
bool regulate_spi_plan(const struct hv_board_desc *b, unsigned core,
		       const uint8_t *cpu_if, uint8_t prio,
		       struct regulate_spi_plan *p)
{
	unsigned to = core; /* the core itself, and no other */
	uint32_t n = regulate_pmu_intid(b, core);

	if (b->pmu_irq != 0 || n < HV_SPI_BASE || core >= b->cpu_count) {
		return false;
	}
	p->intid = n;
	p->icfgr = RS_GICD_ICFGR + 4u * (n / 16u);
	p->icfgr_bit = 2u << (2u * (n % 16u));
	p->ipriorityr = RS_GICD_IPRIORITYR + n;
	p->prio = prio;
	if (b->gic_version == HV_GIC_V2) {
		p->route_bytes = 1;
		p->route = RS_GICD_ITARGETSR + n;
		p->route_val = cpu_if != NULL ? cpu_if[to] : 0;
	} else {
		p->route_bytes = 8;
		p->route = RS_GICD_IROUTER + 8u * n;
		p->route_val = b->cpu_mpidr[to] & RS_MPIDR_AFF;
	}
	p->isenabler = RS_GICD_ISENABLER + 4u * (n / 32u);
	p->isenabler_bit = 1u << (n % 32u);
	return true;
}
