/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv3 at EL2. The hypervisor owns every SMMU of the board (none is
 * in any partition's stage 2: the validator refuses it). Each partition's
 * StreamIDs translate through the partition's own stage 2 (its VMID, its
 * tables, the VTCR its CPUs use) while it runs, and abort while it is
 * stopped or being reloaded; every other StreamID aborts, with an event.
 * The stream table's shape is planned from the configuration at boot
 * (stage2/smmu_tbl.c); after boot only STE word 0 (translate or abort)
 * and S2R (record faults) ever change.
 *
 * Tables and queues are in hypervisor memory (.noinit, mapped RW at EL2,
 * identity: their addresses are physical). Every write the SMMU reads is
 * cleaned to the point of coherency (DC CIVAC) and every event record is
 * cleaned and invalidated before it is read, whether or not the SMMU is
 * coherent (IDR0.COHACC): without COHACC this is required, with it the
 * cost is a few cache operations on rare paths, and one code path is
 * tested on QEMU.
 *
 * Locking: smmu_lock serialises STE updates and the command queue (any
 * core: partition stop/restart, the console core's event handling). The
 * event queue and GERROR are handled on the console core only. Lock order:
 * smmu_lock is taken with no other lock held.
 *
 * Arm IHI 0070 G.b: 3.3 (stream table), 3.5 (queues), 3.18 (interrupts),
 * 3.21.3 (configuration structure update procedure), 4 (commands), 6.3
 * (registers), 7.2-7.3 (errors, events).
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/smmu.h"
#include "hv/spinlock.h"
#include "hv/string.h"

#include "arch/sysreg.h"

/* 6.3 Register offsets; page 1 (0x10000) holds the event queue's PROD and
 * CONS (QEMU aliases the two pages; real SMMUs need page 1). */
#define SMMU_IDR0 0x00
#define SMMU_IDR1 0x04
#define SMMU_IDR5 0x14
#define SMMU_CR0 0x20
#define SMMU_CR0ACK 0x24
#define SMMU_CR1 0x28
#define SMMU_CR2 0x2c
#define SMMU_GBPA 0x44
#define SMMU_IRQ_CTRL 0x50
#define SMMU_IRQ_CTRLACK 0x54
#define SMMU_GERROR 0x60
#define SMMU_GERRORN 0x64
#define SMMU_GERROR_IRQ_CFG0 0x68
#define SMMU_STRTAB_BASE 0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_EVENTQ_BASE 0xa0
#define SMMU_EVENTQ_IRQ_CFG0 0xb0
#define SMMU_EVENTQ_PROD 0x100a8
#define SMMU_EVENTQ_CONS 0x100ac

/* 6.3.1 IDR0, 6.3.2 IDR1, 6.3.6 IDR5. */
#define IDR0_S2P BIT(0)
#define IDR0_TTF BITS(3, 2) /* bit 1 of it: AArch64 tables */
#define IDR0_COHACC BIT(4)
#define IDR0_ST_LEVEL BITS(28, 27) /* 1: 2-level stream table */
#define IDR1_SIDSIZE BITS(5, 0)
#define IDR1_EVENTQS BITS(20, 16)
#define IDR1_CMDQS BITS(25, 21)
#define IDR1_QUEUES_PRESET BIT(29)
#define IDR1_TABLES_PRESET BIT(30)
#define IDR5_OAS BITS(2, 0)
#define IDR5_GRAN4K BIT(4)
/* 6.3.9 CR0, 6.3.11 CR1, 6.3.12 CR2, 6.3.14 GBPA, 6.3.16 IRQ_CTRL,
 * 6.3.18 GERROR. */
#define CR0_SMMUEN BIT(0)
#define CR0_EVENTQEN BIT(2)
#define CR0_CMDQEN BIT(3)
#define CR1_QUEUE_IC BITS(1, 0)
#define CR1_QUEUE_OC BITS(3, 2)
#define CR1_QUEUE_SH BITS(5, 4)
#define CR1_TABLE_IC BITS(7, 6)
#define CR1_TABLE_OC BITS(9, 8)
#define CR1_TABLE_SH BITS(11, 10)
#define CR1_WB 1u  /* write-back cacheable */
#define CR1_ISH 3u /* inner shareable */
#define CR1_OSH 2u /* outer shareable */
#define CR2_RECINVSID BIT(1)
#define CR2_PTM BIT(2)
#define GBPA_ABORT BIT(20)
#define GBPA_UPDATE BIT(31)
#define IRQ_CTRL_GERROR BIT(0)
#define IRQ_CTRL_EVENTQ BIT(2)
#define GERROR_CMDQ_ERR BIT(0)
#define GERROR_EVENTQ_ABT BIT(2)
#define GERROR_SFM BIT(8)
/* 6.3.23-6.3.29 stream table and queue bases. */
#define STRTAB_BASE_RA BIT(62)
#define STRTAB_BASE_ADDR BITS(51, 6)
#define STRTAB_CFG_LOG2SIZE BITS(5, 0)
#define STRTAB_CFG_SPLIT BITS(10, 6)
#define STRTAB_CFG_FMT BITS(17, 16) /* 1: 2-level */
#define Q_BASE_ALLOC BIT(62)	    /* RA (command), WA (event) */
#define Q_BASE_ADDR BITS(51, 5)
#define Q_BASE_LOG2SIZE BITS(4, 0)
#define CMDQ_CONS_ERR BITS(30, 24)
#define EVENTQ_OVFLG BIT(31) /* PROD.OVFLG, CONS.OVACKFLG */

#define QUEUE_SHIFT_MAX 8 /* 256 commands (4 KiB), 256 events (8 KiB) */
#define EVENTS_LOGGED 4	  /* unassigned StreamIDs, global errors */

/** One SMMU's memory: level-2 tables, queues, level-1 table, each aligned
 * to its size (3.3.2, 6.3.24, 6.3.26). */
struct smmu_mem {
	uint64_t l2[SMMU_L2_POOL][SMMU_L2_STES * SMMU_STE_DWORDS];
	uint64_t evtq[(1u << QUEUE_SHIFT_MAX) * 4];
	uint64_t cmdq[(1u << QUEUE_SHIFT_MAX) * 2];
	uint64_t l1[SMMU_L1_COUNT];
};

_Static_assert(sizeof(((struct smmu_mem *)0)->l2[0]) == (size_t)SMMU_L2_BYTES,
	       "level-2 table size");

/** One SMMU at run time. */
struct smmu {
	uint64_t base;
	struct smmu_mem *mem;
	struct smmu_plan plan;
	unsigned cmdq_shift;
	unsigned evtq_shift;
	unsigned sid_bits;
	uint32_t oas;	     /* IDR5.OAS encoding */
	uint32_t cmdq_prod;  /* our PROD (smmu_lock) */
	uint32_t evtq_cons;  /* our CONS with OVACKFLG (console core) */
	bool coherent;
};

/* In .noinit: smmu_init() zeroes what it uses, with the MMU on. */
static struct smmu_mem smmu_mem[HV_MAX_SMMUS]
	__attribute__((aligned(SMMU_L2_BYTES), section(".noinit.smmu")));
static struct smmu smmus[HV_MAX_SMMUS];
static struct spinlock smmu_lock = SPINLOCK_INIT(LOCK_SMMU);
/* Per partition (smmu_lock): its STEs translate; they record faults. */
static bool part_translate[HV_MAX_PARTITIONS];
static bool part_record[HV_MAX_PARTITIONS];
static uint64_t smmu_vtcr; /* VTCR_EL2 of every core */
static uint32_t unassigned_logged, gerrors_logged; /* console core */
uint32_t smmu_hv_irqs[2];

extern const struct hv_config hv_cfg;

static uint32_t rd32(const struct smmu *s, uint32_t off)
{
	return mmio_read32(s->base + off);
}

static void wr32(const struct smmu *s, uint32_t off, uint32_t v)
{
	mmio_write32(s->base + off, v);
}

static void wr64(const struct smmu *s, uint32_t off, uint64_t v)
{
	mmio_write64(s->base + off, v);
}

static uint64_t ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* Wait (at most 100 ms) for (register & mask) == want. */
static void wait_reg(const struct smmu *s, uint32_t off, uint32_t mask,
		     uint32_t want, const char *what)
{
	uint64_t end = ticks() + read_sysreg(cntfrq_el0) / 10;

	while ((rd32(s, off) & mask) != want) {
		if (ticks() > end) {
			hv_panic("SMMUv3 at 0x%lx: %s: no acknowledge",
				 s->base, what);
		}
	}
}

static void set_cr0(const struct smmu *s, uint32_t v, const char *what)
{
	wr32(s, SMMU_CR0, v);
	wait_reg(s, SMMU_CR0ACK, ~0u, v, what);
}

/* Make [p, p + n) visible to the SMMU (clean to PoC; ends with a DSB). */
static void to_smmu(const void *p, size_t n)
{
	arch_clean_range((uintptr_t)p, (uintptr_t)p + n);
}

/* A command queue error is a hypervisor bug (we only send commands the
 * SMMU advertised): stop everything (7.1 "Command queue errors"). */
static void cmdq_check(const struct smmu *s)
{
	uint32_t cons = rd32(s, SMMU_CMDQ_CONS);
	uint32_t gerr = rd32(s, SMMU_GERROR) ^ rd32(s, SMMU_GERRORN);

	if ((gerr & GERROR_CMDQ_ERR) != 0 ||
	    FIELD_GET(CMDQ_CONS_ERR, cons) != 0) {
		hv_panic("SMMUv3 at 0x%lx: command queue error %lu at "
			 "command 0x%lx (CONS 0x%x): a hypervisor bug",
			 s->base, FIELD_GET(CMDQ_CONS_ERR, cons),
			 s->mem->cmdq[2ul * smmu_q_index(cons, s->cmdq_shift)],
			 cons);
	}
}

/* Queue @n commands; caller holds smmu_lock. */
static void cmdq_submit(struct smmu *s, const struct smmu_cmd *cmds,
			unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t *slot;

		while (smmu_q_full(s->cmdq_prod, rd32(s, SMMU_CMDQ_CONS),
				   s->cmdq_shift)) {
			cmdq_check(s);
		}
		slot = &s->mem->cmdq[2ul * smmu_q_index(s->cmdq_prod,
							s->cmdq_shift)];
		slot[0] = cmds[i].w[0];
		slot[1] = cmds[i].w[1];
		to_smmu(slot, 16);
		s->cmdq_prod = smmu_q_next(s->cmdq_prod, s->cmdq_shift);
	}
	/* The commands are in memory (to_smmu() ended with a DSB) before
	 * the SMMU sees the new PROD. */
	wr32(s, SMMU_CMDQ_PROD, s->cmdq_prod);
}

/*
 * Queue @n commands and a CMD_SYNC, and wait until CONS has passed the
 * sync: the SMMU has then completed every command before it (4.7.3).
 * Caller holds smmu_lock.
 */
static void cmdq_run(struct smmu *s, const struct smmu_cmd *cmds, unsigned n)
{
	struct smmu_cmd sync = smmu_cmd_sync();
	uint64_t end;

	cmdq_submit(s, cmds, n);
	cmdq_submit(s, &sync, 1);
	end = ticks() + read_sysreg(cntfrq_el0) / 10;
	while (!smmu_q_empty(s->cmdq_prod, rd32(s, SMMU_CMDQ_CONS),
			     s->cmdq_shift)) {
		cmdq_check(s);
		if (ticks() > end) {
			hv_panic("SMMUv3 at 0x%lx: CMD_SYNC not completed in "
				 "100 ms (PROD 0x%x, CONS 0x%x)",
				 s->base, s->cmdq_prod,
				 rd32(s, SMMU_CMDQ_CONS));
		}
	}
}

/*
 * Write STE @ste at @dst so that the SMMU, which may fetch it at any time,
 * sees the old or the new entry and never a mix (3.21.3.1): words 1-7
 * first (ignored while word 0 says abort or invalid; when word 0 stays
 * translating only S2R in word 2 changes, one single-copy-atomic 64-bit
 * write), then word 0 by one 64-bit store.
 */
static void write_ste(uint64_t *dst, const uint64_t ste[SMMU_STE_DWORDS])
{
	for (unsigned i = 1; i < SMMU_STE_DWORDS; i++) {
		__atomic_store_n(&dst[i], ste[i], __ATOMIC_RELAXED);
	}
	to_smmu(dst, SMMU_STE_DWORDS * sizeof(dst[0]));
	__atomic_store_n(&dst[0], ste[0], __ATOMIC_RELAXED);
	to_smmu(dst, 8);
}

/* Rewrite every STE of partition @p on @s from part_translate and
 * part_record. Caller holds smmu_lock. */
static void write_partition(struct smmu *s, uint32_t smmu,
			    const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	uint8_t u = s->plan.uniform_table[p->index];
	struct smmu_s2 s2 = { .vmid = p->vmid, .vtcr = smmu_vtcr,
			      .ttb = (uintptr_t)p->s2.root, .oas_ps = s->oas };
	uint64_t ste[SMMU_STE_DWORDS];

	smmu_ste_make(ste, &s2, part_translate[p->index],
		      part_record[p->index]);
	if (u != SMMU_NO_TABLE) {
		for (uint32_t i = 0; i < SMMU_L2_STES; i++) {
			write_ste(&s->mem->l2[u][(size_t)i * SMMU_STE_DWORDS], ste);
		}
	}
	for (uint32_t r = 0; r < c->sid_count; r++) {
		uint32_t sid = c->sids[r].first;
		uint32_t end = sid + c->sids[r].count;

		while (c->sids[r].smmu == smmu && sid < end) {
			uint32_t slot = sid >> SMMU_SPLIT;

			if (s->plan.slot_kind[slot] == SMMU_SLOT_MIXED) {
				uint8_t t = s->plan.slot_table[slot];
				uint32_t i = sid & (SMMU_L2_STES - 1);

				write_ste(&s->mem->l2[t][(size_t)i * SMMU_STE_DWORDS],
					  ste);
				sid++;
			} else {
				sid = (slot + 1) << SMMU_SPLIT; /* uniform */
			}
		}
	}
}

/*
 * Set @p's STEs to translate or abort and to record faults or not, on
 * every SMMU where it has StreamIDs; then drop every cached STE (CFGI_ALL)
 * and, with @tlbi, every TLB entry of its VMID, and wait for both
 * (CMD_SYNC). Any core.
 */
static void update_partition(const struct partition *p, bool translate,
			     bool record, bool tlbi)
{
	for (uint32_t i = 0; i < hv_cfg.board.smmu_count; i++) {
		struct smmu *s = &smmus[i];
		struct smmu_cmd cmds[2] = { smmu_cmd_cfgi_all(),
					    smmu_cmd_tlbi_s12_vmall(p->vmid) };

		if (s->plan.sid_count[p->index] == 0) {
			continue;
		}
		spin_lock(&smmu_lock);
		part_translate[p->index] = translate;
		part_record[p->index] = record;
		write_partition(s, i, p);
		cmdq_run(s, cmds, tlbi ? 2 : 1);
		spin_unlock(&smmu_lock);
	}
}

/**
 * @p is stopped or about to be (re)loaded: its StreamIDs abort, and when
 * this returns the SMMU uses neither its old STEs nor any translation
 * cached for its VMID, so DMA still in flight cannot reach the memory
 * being reloaded. Caller owns the partition (no vCPU in its guest).
 */
void smmu_partition_block(const struct partition *p)
{
	update_partition(p, false, true, true);
}

/**
 * @p is about to run: its StreamIDs translate through its stage 2 again,
 * recording faults. Caller owns the partition.
 */
void smmu_partition_allow(const struct partition *p)
{
	update_partition(p, true, true, false);
}

/* Stop recording @p's faults (S2R 0), leaving translate/abort as it is.
 * Console core. */
static void stop_recording(const struct partition *p)
{
	for (uint32_t i = 0; i < hv_cfg.board.smmu_count; i++) {
		struct smmu *s = &smmus[i];
		struct smmu_cmd cfgi = smmu_cmd_cfgi_all();

		if (s->plan.sid_count[p->index] == 0) {
			continue;
		}
		spin_lock(&smmu_lock);
		if (part_record[p->index]) {
			part_record[p->index] = false;
			write_partition(s, i, p);
			cmdq_run(s, &cfgi, 1);
		}
		spin_unlock(&smmu_lock);
	}
}

/* Check the SMMU can do what we need (6.3.1-6.3.6); panic if not. */
static void probe(struct smmu *s)
{
	uint32_t idr0 = rd32(s, SMMU_IDR0);
	uint32_t idr1 = rd32(s, SMMU_IDR1);
	uint32_t idr5 = rd32(s, SMMU_IDR5);
	const char *missing = NULL;

	if (!(idr0 & IDR0_S2P)) {
		missing = "stage 2 translation (IDR0.S2P)";
	} else if (!(FIELD_GET(IDR0_TTF, idr0) & 2)) {
		missing = "AArch64 translation tables (IDR0.TTF)";
	} else if (FIELD_GET(IDR0_ST_LEVEL, idr0) != 1) {
		missing = "a 2-level stream table (IDR0.ST_LEVEL)";
	} else if (!(idr5 & IDR5_GRAN4K)) {
		missing = "the 4 KiB granule (IDR5.GRAN4K)";
	} else if (idr1 & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET)) {
		missing = "programmable table and queue bases (IDR1)";
	}
	if (missing != NULL) {
		hv_panic("SMMUv3 at 0x%lx lacks %s: cannot isolate DMA",
			 s->base, missing);
	}
	s->coherent = (idr0 & IDR0_COHACC) != 0;
	s->sid_bits = (unsigned)FIELD_GET(IDR1_SIDSIZE, idr1);
	if (s->sid_bits > 16) {
		s->sid_bits = 16; /* StreamIDs above HV_SMMU_SID_LIMIT abort */
	}
	s->cmdq_shift = (unsigned)FIELD_GET(IDR1_CMDQS, idr1);
	s->evtq_shift = (unsigned)FIELD_GET(IDR1_EVENTQS, idr1);
	if (s->cmdq_shift > QUEUE_SHIFT_MAX) {
		s->cmdq_shift = QUEUE_SHIFT_MAX;
	}
	if (s->evtq_shift > QUEUE_SHIFT_MAX) {
		s->evtq_shift = QUEUE_SHIFT_MAX;
	}
	s->oas = (uint32_t)FIELD_GET(IDR5_OAS, idr5);
}

/* Level-1 descriptors and every partition's STEs (abort); the rest of
 * each level-2 table stays invalid (V 0: C_BAD_STE). Only the level-2
 * tables the plan uses are zeroed and cleaned (the queues need neither:
 * the SMMU reads no command before PROD passes it, and writes events
 * before it moves its PROD): the pool is 256 KiB, and zeroing it all
 * cost about 50,000 instructions at every boot. */
static void build_tables(struct smmu *s, uint32_t smmu)
{
	struct smmu_mem *m = s->mem;

	memset(m->l1, 0, sizeof(m->l1));
	memset(m->l2, 0, s->plan.tables_used * sizeof(m->l2[0]));
	for (uint32_t i = 0; i < SMMU_L1_COUNT; i++) {
		if (s->plan.slot_kind[i] != SMMU_SLOT_INVALID) {
			m->l1[i] = smmu_l1_desc(
				(uintptr_t)m->l2[s->plan.slot_table[i]]);
		}
	}
	for (uint32_t p = 0; p < hv_cfg.partition_count; p++) {
		part_record[p] = true;
		if (s->plan.sid_count[p] != 0) {
			write_partition(s, smmu, &hv_partitions[p]);
		}
	}
	to_smmu(m->l1, sizeof(m->l1));
	to_smmu(m->l2, s->plan.tables_used * sizeof(m->l2[0]));
}

/* Program and enable the SMMU (6.3; the order of 3.3 and 3.5). */
static void program(struct smmu *s)
{
	struct smmu_mem *m = s->mem;
	uint32_t cache = s->coherent ? CR1_WB : 0;
	uint32_t sh = s->coherent ? CR1_ISH : CR1_OSH;
	struct smmu_cmd cmds[2] = { smmu_cmd_cfgi_all(),
				    smmu_cmd_tlbi_nsnh_all() };

	/* Abort rather than bypass while SMMUEN is 0: firmware or a
	 * previous kernel may have left it enabled or bypassing. */
	wr32(s, SMMU_GBPA, GBPA_UPDATE | GBPA_ABORT);
	wait_reg(s, SMMU_GBPA, GBPA_UPDATE, 0, "GBPA");
	set_cr0(s, 0, "disable");
	wr32(s, SMMU_IRQ_CTRL, 0);
	wait_reg(s, SMMU_IRQ_CTRLACK, ~0u, 0, "IRQ_CTRL");
	wr32(s, SMMU_GERRORN, rd32(s, SMMU_GERROR));
	wr32(s, SMMU_CR1, (uint32_t)(FIELD_PREP(CR1_QUEUE_IC, cache) |
				     FIELD_PREP(CR1_QUEUE_OC, cache) |
				     FIELD_PREP(CR1_QUEUE_SH, sh) |
				     FIELD_PREP(CR1_TABLE_IC, cache) |
				     FIELD_PREP(CR1_TABLE_OC, cache) |
				     FIELD_PREP(CR1_TABLE_SH, sh)));
	/* Record StreamIDs past the table; ignore the CPUs' broadcast TLB
	 * maintenance (stage 2 never changes; we invalidate ourselves). */
	wr32(s, SMMU_CR2, (uint32_t)(CR2_RECINVSID | CR2_PTM));
	wr64(s, SMMU_STRTAB_BASE,
	     STRTAB_BASE_RA | ((uintptr_t)m->l1 & STRTAB_BASE_ADDR));
	wr32(s, SMMU_STRTAB_BASE_CFG,
	     (uint32_t)(FIELD_PREP(STRTAB_CFG_FMT, 1) |
			FIELD_PREP(STRTAB_CFG_SPLIT, SMMU_SPLIT) |
			FIELD_PREP(STRTAB_CFG_LOG2SIZE, s->sid_bits)));
	wr64(s, SMMU_CMDQ_BASE, Q_BASE_ALLOC |
				       ((uintptr_t)m->cmdq & Q_BASE_ADDR) |
				       FIELD_PREP(Q_BASE_LOG2SIZE, s->cmdq_shift));
	wr32(s, SMMU_CMDQ_PROD, 0);
	wr32(s, SMMU_CMDQ_CONS, 0);
	wr64(s, SMMU_EVENTQ_BASE, Q_BASE_ALLOC |
					((uintptr_t)m->evtq & Q_BASE_ADDR) |
					FIELD_PREP(Q_BASE_LOG2SIZE, s->evtq_shift));
	wr32(s, SMMU_EVENTQ_PROD, 0);
	wr32(s, SMMU_EVENTQ_CONS, 0);
	s->cmdq_prod = 0;
	s->evtq_cons = 0;
	set_cr0(s, CR0_CMDQEN, "command queue enable");
	spin_lock(&smmu_lock);
	cmdq_run(s, cmds, 2);
	spin_unlock(&smmu_lock);
	set_cr0(s, CR0_CMDQEN | CR0_EVENTQEN, "event queue enable");
	/* Wired interrupts only: MSI addresses 0 (6.3.19, 6.3.31). */
	wr64(s, SMMU_GERROR_IRQ_CFG0, 0);
	wr64(s, SMMU_EVENTQ_IRQ_CFG0, 0);
	wr32(s, SMMU_IRQ_CTRL, (uint32_t)(IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ));
	wait_reg(s, SMMU_IRQ_CTRLACK, ~0u,
		 (uint32_t)(IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ), "IRQ_CTRL");
	set_cr0(s, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN, "SMMU enable");
}

static void init_one(uint32_t i)
{
	const struct hv_smmu_desc *d = &hv_cfg.board.smmus[i];
	struct smmu *s = &smmus[i];
	uint64_t t0 = ticks();
	hv_err_t e;

	s->base = d->base;
	s->mem = &smmu_mem[i];
	e = smmu_plan_build(&s->plan, &hv_cfg, i);
	if (e == HV_ENOMEM) {
		hv_panic("SMMUv3 at 0x%lx: the StreamID ranges need more "
			 "than %u level-2 stream tables (one per partition "
			 "owning a whole bus of 256, one per bus shared or "
			 "partly owned)",
			 s->base, SMMU_L2_POOL);
	}
	if (e != HV_OK) {
		hv_panic("SMMUv3 at 0x%lx: StreamID ranges overlap or exceed "
			 "16 bits",
			 s->base);
	}
	probe(s);
	build_tables(s, i);
	program(s);
	log_info("SMMUv3 at 0x%lx: %u StreamIDs of %u partition(s) "
		 "translated by stage 2, all others blocked (%u-bit "
		 "StreamIDs, %u level-2 tables, %s, %lu us)",
		 s->base, s->plan.sids_owned, s->plan.owners, s->sid_bits,
		 s->plan.tables_used,
		 s->coherent ? "coherent" : "not coherent",
		 (ticks() - t0) * 1000000 / read_sysreg(cntfrq_el0));
}

/**
 * Set up every SMMU of the board: every StreamID aborts until its
 * partition starts. Boot core, MMU on, before any partition starts.
 */
void smmu_init(void)
{
	smmu_vtcr = read_sysreg(vtcr_el2);
	for (uint32_t i = 0; i < hv_cfg.board.smmu_count; i++) {
		init_one(i);
	}
}

/** Route the SMMUs' wired interrupts (edge, 3.18) to @core. */
void smmu_init_irqs(unsigned core)
{
	for (uint32_t i = 0; i < hv_cfg.board.smmu_count; i++) {
		const struct hv_smmu_desc *d = &hv_cfg.board.smmus[i];

		smmu_hv_irqs[0] = d->evtq_irq;
		smmu_hv_irqs[1] = d->gerror_irq;
		gic_enable_hv_irq(d->evtq_irq, core, true);
		gic_enable_hv_irq(d->gerror_irq, core, true);
	}
}

/* One event record: charge it to the partition owning its StreamID. */
static void handle_event(uint32_t smmu, const uint64_t rec[4])
{
	struct smmu_event e;
	uint32_t owner;
	char what[96];

	smmu_event_decode(rec, &e);
	owner = smmu_sid_owner(&hv_cfg, smmu, e.sid);
	if (e.has_addr) {
		fmt_snprintf(what, sizeof(what), "StreamID 0x%x %s 0x%lx (%s)",
			     e.sid, e.read ? "read" : "write", e.addr,
			     smmu_event_name(e.id));
	} else {
		fmt_snprintf(what, sizeof(what), "StreamID 0x%x (%s)", e.sid,
			     smmu_event_name(e.id));
	}
	if (owner == SMMU_NO_OWNER) {
		if (unassigned_logged < EVENTS_LOGGED) {
			unassigned_logged++;
			log_info("SMMUv3: DMA from unassigned %s%s", what,
				 unassigned_logged == EVENTS_LOGGED
					 ? " (further ones not logged)"
					 : "");
		}
		return;
	}
	if (partition_dma_fault(&hv_partitions[owner], what)) {
		stop_recording(&hv_partitions[owner]);
	}
}

/* Take every event record (3.5.2); an overflow is acknowledged and
 * reported. Console core. */
static void drain_events(struct smmu *s, uint32_t smmu)
{
	uint32_t prod = rd32(s, SMMU_EVENTQ_PROD);

	while (!smmu_q_empty(prod, s->evtq_cons, s->evtq_shift)) {
		uint64_t *slot = &s->mem->evtq[4ul * smmu_q_index(
					s->evtq_cons, s->evtq_shift)];
		uint64_t rec[4];

		/* The PROD read above is ordered before these loads by the
		 * DSB that ends the invalidate. */
		arch_clean_range((uintptr_t)slot, (uintptr_t)slot + 32);
		memcpy(rec, slot, sizeof(rec));
		handle_event(smmu, rec);
		s->evtq_cons = smmu_q_next(s->evtq_cons, s->evtq_shift) |
			       (s->evtq_cons & EVENTQ_OVFLG);
		dsb_sy(); /* the record is read before the slot is freed */
		wr32(s, SMMU_EVENTQ_CONS, s->evtq_cons);
		if (smmu_q_empty(prod, s->evtq_cons, s->evtq_shift)) {
			prod = rd32(s, SMMU_EVENTQ_PROD);
		}
	}
	if ((prod & EVENTQ_OVFLG) != (s->evtq_cons & EVENTQ_OVFLG)) {
		s->evtq_cons ^= EVENTQ_OVFLG;
		wr32(s, SMMU_EVENTQ_CONS, s->evtq_cons);
		log_info("SMMUv3 at 0x%lx: event queue overflowed: events "
			 "lost",
			 s->base);
	}
}

/* Global errors (7.2): acknowledge, log; a command queue error panics. */
static void handle_gerror(struct smmu *s)
{
	uint32_t g = rd32(s, SMMU_GERROR);
	uint32_t active = g ^ rd32(s, SMMU_GERRORN);

	cmdq_check(s);
	if (active == 0) {
		return;
	}
	wr32(s, SMMU_GERRORN, g);
	if (gerrors_logged < EVENTS_LOGGED) {
		gerrors_logged++;
		log_info("SMMUv3 at 0x%lx: global error 0x%x%s%s", s->base,
			 active,
			 (active & GERROR_EVENTQ_ABT)
				 ? ": event queue write aborted, events lost"
				 : "",
			 (active & GERROR_SFM)
				 ? ": service failure mode, all DMA aborts"
				 : "");
	}
}

/**
 * An SMMU interrupt @intid, taken on the console core (already
 * deactivated: they are edge-triggered, so one raised while this runs is
 * taken again).
 */
void smmu_handle_irq(uint32_t intid)
{
	for (uint32_t i = 0; i < hv_cfg.board.smmu_count; i++) {
		const struct hv_smmu_desc *d = &hv_cfg.board.smmus[i];

		if (intid == d->gerror_irq) {
			handle_gerror(&smmus[i]);
		} else if (intid == d->evtq_irq) {
			drain_events(&smmus[i], i);
		}
	}
}
