/* SPDX-License-Identifier: MIT */
/*
 * Partition lifecycle: prepare at boot, load, start, stop, restart; and the
 * per-core park loop every vCPU waits in while it is off.
 *
 * Cross-core protocol. A vCPU runs guest code only with in_guest == 1 and
 * the partition RUNNING; it sets in_guest before checking the state, and a
 * core that stops or resets the partition changes the state before it
 * kicks the others and waits for their in_guest to drop (sequentially
 * consistent atomics on both sides, so one of the two always sees the
 * other). Kicks are SGIs; a kicked core in its guest exits to EL2 and
 * parks in vcpu_check_requests().
 */
#include "hv/arch.h"
#include "hv/channel.h"
#include "hv/colour.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/pcie.h"
#include "hv/smmu.h"
#include "hv/stage2.h"
#include "hv/string.h"

#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;
extern uint32_t hv_halted;

/*
 * In .noinit, page-aligned: boot.S neither zeroes nor invalidates it
 * (76 KiB for HV_MAX_PARTITIONS, of which a system uses its
 * partition_count entries). partition_prepare_all() invalidates the
 * configured entries and zeroes each before anything else touches it;
 * every other index into it is a validated partition index (channel peers,
 * the console's focus, vCPUs' partitions), below partition_count.
 */
struct partition hv_partitions[HV_MAX_PARTITIONS]
	__attribute__((aligned(4096), section(".noinit.partitions")));

/*
 * Map the stats pages of the partitions @p may monitor, read-only, one
 * after the other from HV_GUEST_MONITOR_IPA in partition order, and prove
 * the whole stage 2 (configured regions plus these pages). Boot only.
 */
static hv_err_t map_monitor_pages(struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	struct stage2_extra x[HV_MAX_PARTITIONS];
	unsigned n = 0;

	for (uint32_t q = 0; q < hv_cfg.partition_count; q++) {
		if (!(c->monitor_mask & (1u << q))) {
			continue;
		}
		x[n].ipa = HV_GUEST_MONITOR_IPA + n * HV_GUEST_MONITOR_PAGE;
		x[n].pa = health_stats_pa(q);
		x[n].size = HV_GUEST_MONITOR_PAGE;
		x[n].attrs = STAGE2_MONITOR_ATTRS;
		TRY(pt_map(&p->s2, &hv_pt_pool, x[n].ipa, x[n].pa, x[n].size,
			   x[n].attrs, 0));
		n++;
	}
	return stage2_verify_extra(&p->s2, c, &hv_cfg.board, x, n);
}

/**
 * Build every partition's stage-2 tables and verify them, bind vCPUs to
 * cores and prepare the loading windows. Boot core, before the page-table
 * pool is sealed. Partitions stay RESETTING until their first load.
 */
/*
 * Lifecycle lines (started, stopped, restarting, restarted) are rate
 * limited per partition like fault reports, but across incarnations: a
 * burst of LIFE_BURST, then one per LIFE_PERIOD_MS; the next line let by
 * says how many were not logged. A SYSTEM_RESET loop printed ~6,900 lines
 * in 40 s without it.
 */
#define LIFE_BURST 8u
#define LIFE_PERIOD_MS 500u

static void life_log(struct partition *p, const char *fmt, ...)
	HV_PRINTF(2, 3);

static void life_log(struct partition *p, const char *fmt, ...)
{
	uint64_t period = read_sysreg(cntfrq_el0) * LIFE_PERIOD_MS / 1000u;
	char text[200];
	uint32_t missed;
	va_list ap;

	isb();
	if (!ratelimit_take(&p->life_lines, read_sysreg(cntpct_el0), period,
			    LIFE_BURST, &missed)) {
		return;
	}
	va_start(ap, fmt);
	(void)fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (missed != 0) {
		log_info("partition %s: %s (%u lifecycle lines not logged)",
			 p->cfg->name, text, missed);
	} else {
		log_info("partition %s: %s", p->cfg->name, text);
	}
}

void partition_prepare_all(void)
{
	/* MMU off: drop what the loader may have left cached of the entries
	 * used, before any write to them (as boot.S does for .bss); the
	 * array starts on a page, so no line of it holds anything written
	 * before. */
	arch_invalidate_range(hv_partitions,
			      hv_cfg.partition_count * sizeof(hv_partitions[0]));
	for (uint32_t i = 0; i < hv_cfg.partition_count; i++) {
		struct partition *p = &hv_partitions[i];
		const struct hv_partition_cfg *c = &hv_cfg.partitions[i];
		hv_err_t e;

		memset(p, 0, sizeof(*p));
		spin_init(&p->lock, LOCK_PARTITION);
		ratelimit_init(&p->life_lines, LIFE_BURST);
		p->cfg = c;
		p->index = i;
		p->vmid = i + 1;
		e = stage2_build(&p->s2, &hv_pt_pool, c, &hv_cfg.board);
		if (e != HV_OK) {
			hv_panic("partition %s: stage-2 build failed (%d)",
				 c->name, e);
			UNREACHABLE();
		}
		e = map_monitor_pages(p);
		if (e != HV_OK) {
			hv_panic("partition %s: stage-2 verify failed", c->name);
			UNREACHABLE();
		}
		p->vttbr = (uintptr_t)p->s2.root | ((uint64_t)p->vmid << 48);
		for (uint32_t j = 0; j < c->cpu_count; j++) {
			struct pcpu *core = &hv_pcpus[c->cpus[j]];

			core->used = 1;
			core->vcpu.part = p;
			core->vcpu.index = j;
			core->vcpu.pcpu = c->cpus[j];
			core->vcpu.vgic_fast = &p->vgic.cpu[j].fast_irq;
			core->vcpu.irq_iar = VCPU_NO_IAR;
			p->vcpus[j] = &core->vcpu;
		}
		arch_mmu_prepare_window(p);
		health_init(p);
		vpl011_set_tag(&p->uart, c->name);
		vpl011_reset(&p->uart);
		vgic_init(&p->vgic, c, hv_cfg.board.gic_version,
			  hv_cfg.board.spi_count, arch_vgic_lr_count());
		p->vgic.prio_mask = arch_vgic_prio_mask();
		__atomic_store_n(&p->state, PART_RESETTING, __ATOMIC_SEQ_CST);
		health_set_state(p);
	}
}

/*
 * No DMA of @p's devices until it runs again: its StreamIDs abort (no
 * stale translation survives, hv/smmu.h), then its PCIe functions are
 * quiesced, so requests they had queued cannot complete into its next
 * incarnation (hv/pcie.h). Caller owns the partition.
 */
static void dma_stop(const struct partition *p)
{
	smmu_partition_block(p);
	pcie_quiesce(p->cfg);
}

/*
 * Copy blob @b to its offset in @c's RAM (mapped by the loading window)
 * and clean the copy to PoC, run by run: coloured RAM is contiguous only
 * in IPA (hv/colour.h). Whole pages go through arch_copy_and_clean()
 * (blob offsets and data are 4 KiB aligned, runs are whole pages), the
 * rest byte by byte.
 */
static void copy_blob(const struct hv_partition_cfg *c,
		      const struct hv_blob *b)
{
	struct colour_iter it;
	struct colour_run r;

	colour_iter_init(&it, c, &hv_cfg.board);
	while (b->size != 0 && colour_iter_next(&it, &r)) {
		uint64_t off = r.ipa - c->ram_ipa;
		uint64_t from = off > b->offset ? off : b->offset;
		uint64_t to = off + r.size < b->offset + b->size
				      ? off + r.size
				      : b->offset + b->size;
		uint8_t *dst;
		const uint8_t *src;
		uint64_t whole;

		if (from >= to) {
			continue;
		}
		dst = (uint8_t *)(uintptr_t)(r.pa + (from - off));
		src = b->data + (from - b->offset);
		whole = 0;
		if ((((uintptr_t)dst | (uintptr_t)src) & 63) == 0) {
			whole = align_down(to - from, SZ_4K);
		}
		if (whole != 0) {
			arch_copy_and_clean((uintptr_t)dst, (uintptr_t)src,
					    whole);
		}
		if (whole < to - from) {
			memcpy(dst + whole, src + whole,
			       (size_t)(to - from - whole));
			arch_clean_range((uintptr_t)dst + whole,
					 (uintptr_t)dst + (to - from));
		}
	}
}


/* The piece of partition RAM one core takes at a time (clear_ram()). */
#define HV_CLEAR_CHUNK (1UL << 20)

/*
 * Zero and clean to PoC what a load must clear of @c's RAM bytes
 * [@off, @off + @size) from its start: all but the whole pages an image
 * overwrites (ram_clear_next()), run by run, since coloured RAM is
 * contiguous only in IPA (hv/colour.h).
 */
static void clear_span(const struct hv_partition_cfg *c, uint64_t off,
		       uint64_t size)
{
	struct colour_iter it;
	struct colour_run r;

	colour_iter_init(&it, c, &hv_cfg.board);
	colour_iter_window(&it, off, size);
	while (colour_iter_next(&it, &r)) {
		uint64_t base = r.ipa - c->ram_ipa;
		uint64_t at = base;
		uint64_t end;

		while ((at = ram_clear_next(c, at, base + r.size, &end)) <
		       base + r.size) {
			arch_zero_and_clean(r.pa + (at - base), end - at);
			at = end;
		}
	}
}

/*
 * Take pieces of @p's RAM being cleared until none is left; each is
 * cleared (clear_span(): zeroed and cleaned to PoC by
 * arch_zero_and_clean(), which ends with a DSB, so the piece is done
 * before it is counted). Any core of @p: the one loading it, and the
 * others from their park loop. A piece is a range of the RAM's IPAs, so
 * a coloured partition's pieces are shared out like a plain one's.
 */
static void clear_pieces(struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	uint32_t n = __atomic_load_n(&p->clear_chunks, __ATOMIC_ACQUIRE);

	while (n != 0) {
		uint32_t k = __atomic_fetch_add(&p->clear_next, 1,
						__ATOMIC_SEQ_CST);
		uint64_t off = (uint64_t)k * HV_CLEAR_CHUNK;

		if (k >= n) {
			break;
		}
		clear_span(c, off,
			   c->ram_size - off < HV_CLEAR_CHUNK ? c->ram_size - off
							      : HV_CLEAR_CHUNK);
		__atomic_fetch_add(&p->clear_done, 1, __ATOMIC_SEQ_CST);
		sev();
		/* No YIELD here to make QEMU's round robin share the pieces:
		 * under icount it moved when other partitions' vCPUs ran (a
		 * 95-296 us late tick for Keel beside a booting partition). On
		 * hardware the cores clear at once; on QEMU mostly one does. */
	}
}

/*
 * Zero @p's RAM and clean it to PoC (its guest starts with the MMU and
 * caches off, and nothing may pass from an earlier user of the RAM),
 * except the whole pages its images overwrite next (partition_load()), on
 * all of its cores at once: its other cores are parked (at boot, or
 * evicted by a restart), and a kick makes them take pieces from their
 * park loop (park(), clear_pieces()). A core that is not there yet leaves
 * its share to the others; this one waits until every piece is done.
 * The loading window is mapped, in the EL2 tables all cores share.
 */
static void clear_ram(struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	uint32_t n = (uint32_t)((c->ram_size + HV_CLEAR_CHUNK - 1) /
				HV_CLEAR_CHUNK);
	uint32_t self = pcpu_this()->index;

	__atomic_store_n(&p->clear_next, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->clear_done, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->clear_chunks, n, __ATOMIC_SEQ_CST);
	if (n > 1) {
		for (uint32_t j = 0; j < c->cpu_count; j++) {
			if (p->vcpus[j]->pcpu != self) {
				gic_send_ipi(p->vcpus[j]->pcpu);
			}
		}
	}
	clear_pieces(p);
	while (__atomic_load_n(&p->clear_done, __ATOMIC_SEQ_CST) != n) {
		wfe();
	}
	__atomic_store_n(&p->clear_chunks, 0, __ATOMIC_SEQ_CST);
}

/**
 * Clear @p's RAM and copy in its pristine image, DTB and initrd through the
 * temporary EL2 window, then drop the window and stale translations. The
 * caller owns the partition (RESETTING, no vCPU in its guest).
 */
void partition_load(struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	const struct hv_blob *blobs[3] = { &c->image, &c->dtb, &c->initrd };

	/* No DMA of its devices until it runs again (it may be in flight:
	 * it must not land in the fresh image), and no stale translation
	 * survives (hv/smmu.h). */
	dma_stop(p);
	__atomic_store_n(&p->dma_request, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->dma_faults, 0, __ATOMIC_SEQ_CST);
	arch_mmu_map_window(p);
	clear_ram(p);
	for (unsigned i = 0; i < 3; i++) {
		copy_blob(c, blobs[i]);
	}
	arch_mmu_unmap_window(p);
	arch_partition_flush(p);
	spin_lock(&p->lock);
	vpl011_reset(&p->uart);
	spin_unlock(&p->lock);
	health_reset(p);
	gic_quiesce_partition(c);
	spin_lock(&p->vgic.lock);
	vgic_reset_state(&p->vgic);
	spin_unlock(&p->vgic.lock);
	channel_reset(p);
}

/* Hand vCPU 0 its boot entry and open the partition. */
static void partition_open(struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	struct vcpu *v0 = p->vcpus[0];

	for (uint32_t j = 0; j < c->cpu_count; j++) {
		__atomic_store_n(&p->vcpus[j]->power, VCPU_OFF,
				 __ATOMIC_SEQ_CST);
	}
	v0->on_entry = c->ram_ipa + c->entry_offset;
	v0->on_context = c->ram_ipa + c->dtb.offset;
	__atomic_store_n(&v0->power, VCPU_ON_PENDING, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->faults, 0, __ATOMIC_SEQ_CST);
	smmu_partition_allow(p);
	__atomic_store_n(&p->state, PART_RUNNING, __ATOMIC_SEQ_CST);
	health_set_state(p);
	gic_send_ipi(v0->pcpu);
}

/** First start of a partition, on the core of its vCPU 0. */
void partition_boot(struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;

	partition_load(p);
	if (colour_part(c)) {
		life_log(p, "started: %u vCPU(s), RAM 0x%lx bytes in cache "
			 "colours 0x%x of 0x%lx-0x%lx at IPA 0x%lx, entry 0x%lx",
			 c->cpu_count, c->ram_size, c->colours, c->ram_pa,
			 c->ram_pa + colour_part_span(c, &hv_cfg.board) - 1,
			 c->ram_ipa, c->ram_ipa + c->entry_offset);
	} else {
		life_log(p, "started: %u vCPU(s), RAM 0x%lx-0x%lx at IPA "
			 "0x%lx, entry 0x%lx",
			 c->cpu_count, c->ram_pa, c->ram_pa + c->ram_size - 1,
			 c->ram_ipa, c->ram_ipa + c->entry_offset);
	}
	partition_open(p);
}

/* Kick every other vCPU of @p out of its guest; wait until all parked. */
static void evict_others(struct partition *p, const struct vcpu *self)
{
	for (uint32_t j = 0; j < p->cfg->cpu_count; j++) {
		if (p->vcpus[j] != self) {
			gic_send_ipi(p->vcpus[j]->pcpu);
		}
	}
	for (uint32_t j = 0; j < p->cfg->cpu_count; j++) {
		struct vcpu *o = p->vcpus[j];

		while (o != self &&
		       __atomic_load_n(&o->in_guest, __ATOMIC_SEQ_CST) != 0) {
			wfe();
		}
	}
}

static bool claim(struct partition *p, uint32_t to)
{
	uint32_t expect = PART_RUNNING;

	return __atomic_compare_exchange_n(&p->state, &expect, to, false,
					   __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

/**
 * Stop every vCPU of the calling vCPU's partition; log once. Other
 * partitions are not touched. Does not return: the caller parks.
 */
void partition_stop(struct partition *p, const char *why)
{
	struct vcpu *self = &pcpu_this()->vcpu;

	if (claim(p, PART_STOPPED)) {
		health_set_state(p);
		life_log(p, "stopped: %s", why);
		evict_others(p, self);
		dma_stop(p);
		gic_quiesce_partition(p->cfg);
	}
	__atomic_store_n(&self->power, VCPU_OFF, __ATOMIC_SEQ_CST);
	vcpu_park(self);
	UNREACHABLE();
}

/**
 * Restart the calling vCPU's partition: stop its vCPUs, clear its memory,
 * reload the pristine image and DTB, reset its virtual devices and start
 * vCPU 0 at the entry point. Other partitions never pause.
 */
void partition_restart(struct partition *p, const char *why)
{
	struct vcpu *self = &pcpu_this()->vcpu;

	if (claim(p, PART_RESETTING)) {
		health_set_state(p);
		life_log(p, "restarting: %s", why);
		evict_others(p, self);
		partition_load(p);
		__atomic_fetch_add(&p->restarts, 1, __ATOMIC_SEQ_CST);
		health_count_restart(p);
		life_log(p, "restarted (restart %u)",
			 __atomic_load_n(&p->restarts, __ATOMIC_SEQ_CST));
		partition_open(p);
	} else {
		__atomic_store_n(&self->power, VCPU_OFF, __ATOMIC_SEQ_CST);
	}
	vcpu_park(self);
	UNREACHABLE();
}

/* At most this many "log" and "inject" reports per incarnation. */
#define REPORTS_LOGGED 4

/* Log a report that does not stop the partition, rate limited by @n
 * (the count of earlier @kind reports in this incarnation). */
static void report(const struct partition *p, uint32_t n, const char *why,
		   const char *what, const char *kind)
{
	if (n < REPORTS_LOGGED) {
		log_info("partition %s: %s: %s%s%s%s", p->cfg->name, why, what,
			 n == REPORTS_LOGGED - 1 ? " (further " : "",
			 n == REPORTS_LOGGED - 1 ? kind : "",
			 n == REPORTS_LOGGED - 1 ? " not logged)" : "");
	}
}

/**
 * Apply @v's partition policy for event @ev (a PSCI SYSTEM_RESET/OFF or a
 * watchdog expiry). Stop and restart do not return; "log" logs (rate
 * limited) and returns; "inject" is returned for the caller to carry out.
 */
enum hv_fault_policy partition_event(struct vcpu *v, enum hv_event ev,
				     const char *why)
{
	struct partition *p = v->part;
	enum hv_fault_policy pol = (enum hv_fault_policy)p->cfg->policy[ev];
	uint32_t n;

	switch (pol) {
	case HV_FAULT_RESTART:
		partition_restart(p, why);
		UNREACHABLE();
	case HV_FAULT_STOP:
		partition_stop(p, why);
		UNREACHABLE();
	default:
		n = __atomic_fetch_add(&p->events_logged, 1, __ATOMIC_SEQ_CST);
		report(p, n, why,
		       pol == HV_FAULT_LOG ? "ignored (policy log)"
					   : "SError injected",
		       "events");
		return pol;
	}
}

/*
 * An injected stage-2 abort that cannot lead anywhere: the same PC and
 * address HV_FAULT_LOOP times in a row. A guest whose abort handler
 * returns to the faulting access, or whose vector table itself lies
 * outside its memory (each abort then faults again on the vector fetch),
 * would otherwise spin between its core and EL2 for good, with only its
 * counters to show it. It costs no other partition anything (the core is
 * its own, and the reports are rate limited), but a partition that
 * cannot make progress is better stopped and said so.
 */
#define HV_FAULT_LOOP 1000

static bool fault_loops(struct vcpu *v, uint64_t addr)
{
	if (v->regs.elr == v->fault_pc && addr == v->fault_addr) {
		return ++v->fault_repeat >= HV_FAULT_LOOP;
	}
	v->fault_pc = v->regs.elr;
	v->fault_addr = addr;
	v->fault_repeat = 1;
	return false;
}

/**
 * Apply the partition's policy to a forbidden or impossible guest action
 * (on-trap for unhandled traps, SErrors and AArch32; on-stage2-fault for
 * accesses outside its map and bad emulated accesses): stop, restart,
 * inject an abort (FAULT_RESUMED), or log and skip (FAULT_SKIP). An
 * instruction fetch cannot be skipped, so "log" injects there; an AArch32
 * exception can be neither skipped nor injected, so it stops. Stop and
 * restart are logged once per incarnation; inject and log reports for the
 * first four faults, so a guest cannot flood the console.
 */
enum fault_result partition_fault(struct vcpu *v, enum fault_kind kind,
				  const char *what, uint64_t addr)
{
	struct partition *p = v->part;
	enum hv_event ev = (kind == FAULT_DATA_ABORT || kind == FAULT_INSN_ABORT)
				   ? HV_EV_STAGE2
				   : HV_EV_TRAP;
	enum hv_fault_policy pol = (enum hv_fault_policy)p->cfg->policy[ev];
	uint32_t n = __atomic_fetch_add(&p->faults, 1, __ATOMIC_SEQ_CST);
	char why[160];

	health_count_fault(p);
	fmt_snprintf(why, sizeof(why), "vCPU %u: %s (0x%lx, pc 0x%lx)",
		     v->index, what, addr, v->regs.elr);
	if (pol == HV_FAULT_LOG && kind == FAULT_INSN_ABORT) {
		pol = HV_FAULT_INJECT;
	}
	if ((pol == HV_FAULT_LOG || pol == HV_FAULT_INJECT) &&
	    kind == FAULT_AARCH32) {
		pol = HV_FAULT_STOP;
	}
	if (pol == HV_FAULT_INJECT && ev == HV_EV_STAGE2 &&
	    fault_loops(v, addr)) {
		fmt_snprintf(why, sizeof(why),
			     "vCPU %u: %s (0x%lx, pc 0x%lx) %u times in a row, "
			     "no progress",
			     v->index, what, addr, v->regs.elr, HV_FAULT_LOOP);
		pol = HV_FAULT_STOP;
	}
	switch (pol) {
	case HV_FAULT_INJECT:
		report(p, n, why, "abort injected", "faults");
		if (kind == FAULT_UNHANDLED) {
			arch_inject_undef(v);
		} else if (kind == FAULT_SERROR) {
			arch_inject_serror(v);
		} else {
			arch_inject_abort(v, kind == FAULT_INSN_ABORT);
		}
		return FAULT_RESUMED;
	case HV_FAULT_LOG:
		report(p, n, why, "ignored (policy log)", "faults");
		return kind == FAULT_SERROR ? FAULT_RESUMED : FAULT_SKIP;
	case HV_FAULT_RESTART:
		partition_restart(p, why);
		UNREACHABLE();
	default:
		partition_stop(p, why);
		UNREACHABLE();
	}
}

/* DMA faults logged (and recorded by the SMMU) per incarnation. */
#define DMA_FAULTS_RECORDED 4

/**
 * A DMA fault of one of @p's devices, from the SMMU's event queue (on the
 * console core, any partition's vCPU). Count it; log the first
 * DMA_FAULTS_RECORDED of this incarnation; apply on-stage2-fault: stop
 * and restart act on the calling vCPU's partition, so they are requested
 * from @p's vCPU 0 with a kick (partition_dma_check()); "log" and
 * "inject" only log, since nothing can be injected into a device.
 * Returns true once the SMMU should stop recording @p's faults, so a
 * device that keeps failing cannot flood the console core.
 */
bool partition_dma_fault(struct partition *p, const char *what)
{
	enum hv_fault_policy pol =
		(enum hv_fault_policy)p->cfg->policy[HV_EV_STAGE2];
	uint32_t n = __atomic_fetch_add(&p->dma_faults, 1, __ATOMIC_SEQ_CST);
	uint32_t expect = 0;

	health_count_dma_fault(p);
	if (n < DMA_FAULTS_RECORDED) {
		log_info("partition %s: DMA fault: %s%s", p->cfg->name, what,
			 n == DMA_FAULTS_RECORDED - 1
				 ? " (further DMA faults not recorded)"
				 : "");
	}
	if ((pol == HV_FAULT_STOP || pol == HV_FAULT_RESTART) &&
	    __atomic_load_n(&p->state, __ATOMIC_SEQ_CST) == PART_RUNNING &&
	    __atomic_load_n(&p->dma_request, __ATOMIC_SEQ_CST) == 0) {
		fmt_snprintf(p->dma_why, sizeof(p->dma_why), "DMA fault: %s",
			     what);
		if (__atomic_compare_exchange_n(
			    &p->dma_request, &expect,
			    __atomic_load_n(&p->restarts, __ATOMIC_SEQ_CST) + 1,
			    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			gic_send_ipi(p->vcpus[0]->pcpu);
		}
	}
	return n + 1 >= DMA_FAULTS_RECORDED;
}

/**
 * After a kick on @v's core: carry out a stop or restart requested for
 * this incarnation of its partition by partition_dma_fault(); a request
 * left from an earlier incarnation is dropped. Kicks only: no cost on
 * other exits.
 */
void partition_dma_check(struct vcpu *v)
{
	struct partition *p = v->part;
	uint32_t req = __atomic_exchange_n(&p->dma_request, 0,
					   __ATOMIC_SEQ_CST);
	char why[sizeof(p->dma_why)];

	if (req == 0 ||
	    req != __atomic_load_n(&p->restarts, __ATOMIC_SEQ_CST) + 1) {
		return;
	}
	memcpy(why, p->dma_why, sizeof(why));
	why[sizeof(why) - 1] = '\0';
	if (p->cfg->policy[HV_EV_STAGE2] == HV_FAULT_RESTART) {
		partition_restart(p, why);
		UNREACHABLE();
	}
	partition_stop(p, why);
	UNREACHABLE();
}

/* The park loop proper, on a fresh stack (see vcpu_park()). */
static __attribute__((noreturn)) void park(uint64_t arg);

/**
 * Wait, off, until this vCPU is powered on while its partition runs; then
 * enter the guest at the requested entry. Never returns. It starts again
 * from the top of the core's stack, so parking from anywhere (an exit, a
 * restart noticed while parked) never nests.
 */
void vcpu_park(struct vcpu *v)
{
	arch_switch_stack(pcpu_this()->stack_top, park, (uintptr_t)v);
	UNREACHABLE();
}

static void park(uint64_t arg)
{
	struct vcpu *v = (struct vcpu *)(uintptr_t)arg;
	struct pcpu *core = pcpu_this();
	struct partition *p = v->part;

	/* An off vCPU's timers must not interrupt anybody: a restarted
	 * partition starts with them disabled (its vCPUs reset them again
	 * when they start, arch_vcpu_reset()). */
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	arch_vgic_cpu_off();
	__atomic_store_n(&v->in_guest, 0, __ATOMIC_SEQ_CST);
	sev(); /* a core in evict_others() waits with WFE */
	for (;;) {
		if (__atomic_load_n(&hv_halted, __ATOMIC_SEQ_CST) != 0) {
			hv_halt_self();
			UNREACHABLE();
		}
		if (__atomic_load_n(&v->power, __ATOMIC_SEQ_CST) ==
		    VCPU_ON_PENDING) {
			__atomic_store_n(&v->in_guest, 1, __ATOMIC_SEQ_CST);
			if (__atomic_load_n(&p->state, __ATOMIC_SEQ_CST) ==
			    PART_RUNNING) {
				__atomic_store_n(&v->power, VCPU_ON,
						 __ATOMIC_SEQ_CST);
				arch_vcpu_reset(v, v->on_entry, v->on_context);
				vcpu_vgic_power_on(v);
				arch_vcpu_enter(core);
				UNREACHABLE();
			}
			__atomic_store_n(&v->in_guest, 0, __ATOMIC_SEQ_CST);
			sev();
		}
		clear_pieces(p); /* its RAM, if being cleared (clear_ram()) */
		dsb_sy();
		wfi(); /* wakes on a pending interrupt even with PSTATE.I set */
		vcpu_take_irqs(v);
	}
}

/**
 * On every exit, after handling: park if the partition is no longer
 * running (stopped or being reset by another vCPU) or the system halted.
 */
void vcpu_check_requests(struct vcpu *v)
{
	if (__atomic_load_n(&hv_halted, __ATOMIC_SEQ_CST) != 0) {
		hv_halt_self();
		UNREACHABLE();
	}
	if (__atomic_load_n(&v->part->state, __ATOMIC_SEQ_CST) !=
	    PART_RUNNING) {
		__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_SEQ_CST);
		vcpu_park(v);
		UNREACHABLE();
	}
}
