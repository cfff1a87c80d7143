/* SPDX-License-Identifier: MIT */
/*
 * Partitions: created from the configuration at boot, then started,
 * stopped and restarted; never created or destroyed after boot.
 */
#ifndef HV_PARTITION_H
#define HV_PARTITION_H

#include <stdint.h>

#include "hv/config.h"
#include "hv/doorbell.h"
#include "hv/outring.h"
#include "hv/pt.h"
#include "hv/spinlock.h"
#include "hv/vcpu.h"
#include "hv/stats.h"
#include "hv/vgic.h"
#include "hv/vpl011.h"
#include "hv/vpl061.h"
#include "hv/vwdt.h"

/*
 * Partition state.
 *   RUNNING   -> STOPPED    fault with stop policy, guest SYSTEM_OFF
 *   RUNNING   -> RESETTING  guest SYSTEM_RESET, fault with restart policy
 *   RESETTING -> RUNNING    reload finished (vCPU 0 pending at entry)
 *   STOPPED   (final)
 * A vCPU enters its guest only while the state is RUNNING.
 */
enum partition_state {
	PART_RUNNING = 0,
	PART_STOPPED = 1,
	PART_RESETTING = 2,
};

/** Why a partition is stopped, restarted or sees an abort. */
enum fault_kind {
	FAULT_DATA_ABORT, /* data access outside its map, or bad MMIO */
	FAULT_INSN_ABORT, /* instruction fetch outside its map */
	FAULT_UNHANDLED,  /* a trap with no emulation */
	FAULT_SERROR,	  /* asynchronous external abort */
	FAULT_AARCH32,	  /* an exception from AArch32: cannot be resumed */
};

/** What the caller of partition_fault() does next (if it returns). */
enum fault_result {
	FAULT_RESUMED, /* an exception was injected: return to the guest */
	FAULT_SKIP,    /* policy "log": skip the access or instruction */
};

#define WDOG_NO_CORE 0xffffffffu

/** A partition at run time. */
struct partition {
	const struct hv_partition_cfg *cfg;
	uint32_t index;
	uint32_t vmid;
	uint64_t vttbr;
	struct pt s2;
	struct vcpu *vcpus[HV_MAX_CPUS];
	/* (atomic): shared between cores and accessed only with the
	 * __atomic builtins, never by plain loads and stores (GCC and clang
	 * both accept them on plain integers; clang refuses them on
	 * _Atomic-qualified ones). */
	uint32_t state;	   /* (atomic) enum partition_state */
	uint32_t restarts; /* (atomic) completed restarts */
	uint32_t faults;   /* (atomic) faults seen, for log rate limiting */
	/* Its RAM being cleared at a load, by all of its cores (partition.c,
	 * clear_ram()): HV_CLEAR_CHUNK pieces, clear_chunks of them (0: no
	 * clearing under way), the next one to take and how many are done. */
	uint32_t clear_chunks; /* (atomic) */
	uint32_t clear_next;   /* (atomic) */
	uint32_t clear_done;   /* (atomic) */
	struct spinlock lock;	   /* protects uart, gpio, wdog, wdog_core */
	struct vpl011 uart;
	struct vpl061 gpio;	   /* channel doorbells (with channels) */
	uint8_t gpio_out;	   /* wired lines gpio drives high (lock) */
	uint8_t gpio_wire;	   /* (atomic) wired lines as the peers see them */
	uint8_t gpio_pulse;	   /* (atomic) lines whose held-back pulse a
				    * peer has still to take (core/channel.c) */
	struct doorbell db[HV_MAX_PART_CHANNELS]; /* budget of each end's
						   * ring line (lock) */
	struct vwdt wdog;	   /* virtual SP805 */
	uint32_t wdog_core;	   /* core whose CNTHP timer watches wdog */
	uint32_t events_logged;	   /* (atomic) log/inject event reports,
				    * this incarnation (rate limit) */
	struct hv_stats *stats;	   /* its counter page (core/health.c) */
	/* DMA faults (the SMMU's events, taken on the console core): the
	 * count this incarnation, for rate limiting; a stop or restart
	 * requested from its vCPUs (restarts + 1 of the incarnation it is
	 * for, 0: none) and the reason, written before the request. */
	uint32_t dma_faults;	   /* (atomic) */
	uint32_t dma_request;	   /* (atomic) */
	char dma_why[112];
	struct ratelimit life_lines; /* lifecycle lines (lock: by whoever
				      * won the state change, or boots it) */
	struct vgic vgic;	   /* own lock: vgic.lock */
};

extern struct partition hv_partitions[HV_MAX_PARTITIONS];

void partition_prepare_all(void);
void partition_load(struct partition *p);
void partition_boot(struct partition *p);
__attribute__((noreturn)) void partition_stop(struct partition *p,
					      const char *why);
__attribute__((noreturn)) void partition_restart(struct partition *p,
						 const char *why);
__attribute__((noreturn)) void vcpu_park(struct vcpu *v);
void vcpu_check_requests(struct vcpu *v);
/* vgic/vgic_glue.c */
void vcpu_take_irqs(struct vcpu *v);
void vcpu_vgic_flush(struct vcpu *v);

/**
 * Before every return to the guest: bring the list registers up to date
 * if anything waits for them (vgic_has_work()). Inline, so an exit with
 * nothing to inject pays only the check.
 */
static inline void vcpu_vgic_sync(struct vcpu *v)
{
	if (vgic_has_work(&v->part->vgic, v->index)) {
		vcpu_vgic_flush(v);
	}
}
void vcpu_vgic_power_on(struct vcpu *v);
bool vgic_mmio(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
	       uint64_t *val);
void vgic_sgi_sysreg(struct vcpu *v, uint64_t val);
void vgic_icc_trap(struct vcpu *v);
bool vgic_owns_ipa(const struct vcpu *v, uint64_t ipa);

/** Apply the partition's policy to a fault; returns for "inject", "log". */
enum fault_result partition_fault(struct vcpu *v, enum fault_kind kind,
				  const char *what, uint64_t addr);
bool partition_dma_fault(struct partition *p, const char *what);
void partition_dma_check(struct vcpu *v);
/** Apply the policy for a PSCI reset/off or a watchdog expiry; returns
 * only for "log" (and "inject", which the caller carries out). */
enum hv_fault_policy partition_event(struct vcpu *v, enum hv_event ev,
				     const char *why);

/* core/health.c: counters, the watchdog, monitor pages. */
void health_init(struct partition *p);
void health_reset(struct partition *p);
void health_count_fault(struct partition *p);
void health_count_restart(struct partition *p);
void health_count_dma_fault(struct partition *p);
void health_set_state(struct partition *p);
void health_sync_irqs(struct partition *p);
void health_set_doorbells_coalesced(struct partition *p, uint64_t n);
void health_set_console_dropped(struct partition *p, uint64_t n);
bool health_wdog_mmio(struct vcpu *v, uint64_t off, unsigned size,
		      bool write, uint64_t *val);
void health_timer_irq(struct vcpu *v, uint32_t iar);
bool health_is_timer_irq(uint32_t intid);
/** What this core's EL2 timer (CNTHP) waits for; one deadline each. */
enum hyp_timer {
	HYP_TIMER_WDOG,
	HYP_TIMER_DOORBELL,
	HYP_TIMER_CONSOLE, /* console lines held for the focused line */
	HYP_TIMER_REGULATE, /* end of the regulation period */
	HYP_TIMERS
};
void health_timer_set(enum hyp_timer t, uint64_t due);
uint64_t health_counter_now(void);
/* core/channel.c: held-back doorbells due on this core's timer. */
void channel_timer(struct partition *p);
uint64_t health_stats_pa(uint32_t partition);
/* arch/arm64/regulate.c: memory-bandwidth regulation (hv/regulate.h). */
struct pcpu;
void arch_regulate_check(void);
void arch_regulate_core_init(struct pcpu *c);
uint64_t arch_regulate_mdcr(uint64_t m);
void arch_regulate_vcpu_start(struct vcpu *v);
void arch_regulate_irq(uint32_t iar);
void arch_regulate_period_end(struct vcpu *v, uint64_t now);
void arch_regulate_hold(struct vcpu *v);

#endif /* HV_PARTITION_H */
