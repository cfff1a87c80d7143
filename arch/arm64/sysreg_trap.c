/* SPDX-License-Identifier: MIT */
/*
 * Trapped system registers and instructions (EC 0x18): the hardware side
 * of sysreg_policy.c. Which accesses trap is set in cpu.c; docs/traps.md
 * has the table of what a guest sees.
 *
 * Arm ARM DDI 0487 J.a, D19.2.40 "ESR_EL2", ISS encoding for an exception
 * from MSR, MRS, or System instruction execution in AArch64 state.
 */
#include "hv/arch.h"
#include "hv/colour.h"
#include "hv/hardening.h"
#include "hv/log.h"
#include "hv/partition.h"

#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/sysreg_policy.h"

extern const struct hv_config hv_cfg;

/* Guest-visible ID register values: written once by the boot core before
 * any guest runs, then only read. */
static uint64_t id_guest[ID_COUNT];
static bool id_ready;

/* Lines logged per partition (saturating; see hardening_log()); __atomic
 * builtins only. */
static uint32_t log_count[HV_MAX_PARTITIONS];

/* One set/way emulation at a time per partition: it maps the partition's
 * loading window, which is per partition. */
static struct spinlock setway_lock[HV_MAX_PARTITIONS] = {
	[0 ... HV_MAX_PARTITIONS - 1] = SPINLOCK_INIT(LOCK_SETWAY)
};

/* Older assemblers lack the names of the later ID registers. */
static uint64_t read_hw_id(enum sysreg_id id)
{
	switch (id) {
	case ID_PFR0:
		return read_sysreg(S3_0_C0_C4_0);
	case ID_PFR1:
		return read_sysreg(S3_0_C0_C4_1);
	case ID_ZFR0:
		return read_sysreg(S3_0_C0_C4_4);
	case ID_SMFR0:
		return read_sysreg(S3_0_C0_C4_5);
	case ID_DFR0:
		return read_sysreg(S3_0_C0_C5_0);
	case ID_DFR1:
		return read_sysreg(S3_0_C0_C5_1);
	case ID_AFR0:
		return read_sysreg(S3_0_C0_C5_4);
	case ID_AFR1:
		return read_sysreg(S3_0_C0_C5_5);
	case ID_ISAR0:
		return read_sysreg(S3_0_C0_C6_0);
	case ID_ISAR1:
		return read_sysreg(S3_0_C0_C6_1);
	case ID_ISAR2:
		return read_sysreg(S3_0_C0_C6_2);
	case ID_MMFR0:
		return read_sysreg(S3_0_C0_C7_0);
	case ID_MMFR1:
		return read_sysreg(S3_0_C0_C7_1);
	case ID_MMFR2:
		return read_sysreg(S3_0_C0_C7_2);
	default:
		return 0;
	}
}

/**
 * Boot core (first call): compute the guest-visible ID values. Other
 * cores: compare theirs and log a difference. Runs in arch_cpu_init_el2(),
 * before any guest runs on the calling core.
 */
void sysreg_id_init(void)
{
	for (unsigned i = 0; i < ID_COUNT; i++) {
		uint64_t v = sysreg_id_sanitise((enum sysreg_id)i,
						read_hw_id((enum sysreg_id)i));

		if (!id_ready) {
			id_guest[i] = v;
		} else if (v != id_guest[i]) {
			log_info("core %u: ID register %u is 0x%lx, boot core "
				 "0x%lx: guests see the boot core's",
				 pcpu_this()->index, i, v, id_guest[i]);
		}
	}
	id_ready = true;
}

/* The value a guest reads: the boot core's sanitised one, with PMUVer
 * shown where this core's PMU is the partition's ("pmu" in its
 * description and MDCR_EL2.TPM clear, see cpu.c). */
static uint64_t id_value(enum sysreg_id id)
{
	if (id == ID_RAZ) {
		return 0;
	}
	if (id == ID_DFR0 && (read_sysreg(mdcr_el2) & MDCR_TPM) == 0) {
		return id_guest[id] | (read_hw_id(id) & DFR0_PMUVER);
	}
	return id_guest[id];
}

/**
 * Log @what for @v's partition, at most HARDENING_LOG_MAX lines per
 * partition since boot (lock-free counter; the log takes its own lock).
 */
void hardening_log(struct vcpu *v, const char *what, uint64_t info)
{
	struct partition *p = v->part;
	uint32_t n = __atomic_load_n(&log_count[p->index], __ATOMIC_RELAXED);

	if (n >= HARDENING_LOG_MAX) {
		return;
	}
	n = __atomic_fetch_add(&log_count[p->index], 1, __ATOMIC_RELAXED);
	if (n < HARDENING_LOG_MAX) {
		log_info("partition %s: vCPU %u: %s (0x%lx, pc 0x%lx)%s",
			 p->cfg->name, v->index, what, info, v->regs.elr,
			 n + 1 == HARDENING_LOG_MAX
				 ? "; further traps not logged"
				 : "");
	}
}

/*
 * DC ISW/CSW/CISW (HCR_EL2.TSW). Set/way operations act on a whole cache
 * level, and the L2 is shared with other partitions: executed as asked,
 * they would clean or discard a neighbour's lines. They are emulated by
 * cleaning and invalidating the partition's own RAM to the PoC by address,
 * a superset of what any set/way sequence can achieve for it. A set/way
 * loop over a level visits set 0 way 0 exactly once, so the clean runs on
 * that operand (all bits above the level field zero) and the other
 * operands of the loop are no-ops: one clean per level per loop.
 * Operand layout: SetWay bits 31:4, Level bits 3:1 (DDI 0487 J.a, C5.3,
 * DC CISW); set/way operations are meant for cache initialisation and
 * power-down, not for coherency with other observers.
 */
static enum trap_result emulate_setway(struct vcpu *v, uint64_t operand)
{
	struct partition *p = v->part;
	const struct hv_partition_cfg *c = p->cfg;
	struct colour_iter it;
	struct colour_run r;

	if ((operand & ~BITS(3, 0)) != 0) {
		return TRAP_HANDLED;
	}
	hardening_log(v, "set/way maintenance: own RAM cleaned by address",
		      operand);
	spin_lock(&setway_lock[p->index]);
	arch_mmu_map_window(p);
	colour_iter_init(&it, c, &hv_cfg.board);
	while (colour_iter_next(&it, &r)) {
		arch_clean_range(r.pa, r.pa + r.size);
	}
	arch_mmu_unmap_window(p);
	spin_unlock(&setway_lock[p->index]);
	return TRAP_HANDLED;
}

/**
 * A trapped MSR, MRS or SYS instruction of @v with syndrome @esr: apply
 * the outcome sysreg_classify() chose. On the vCPU's own core, from
 * arch_trap_sync(). Returns what trap_finish() must do.
 */
enum trap_result sysreg_trap(struct vcpu *v, uint64_t esr)
{
	uint64_t enc = sysreg_enc(esr);
	bool read = (esr & ESR_SYS_READ) != 0;
	unsigned rt = (unsigned)FIELD_GET(ESR_SYS_RT, esr);
	switch (sysreg_classify(enc, read)) {
	case SR_ID:
		vcpu_set_reg(v, rt, id_value(sysreg_id_index(enc)));
		return TRAP_HANDLED;
	case SR_RAZ_WI:
		if (read) {
			vcpu_set_reg(v, rt, 0);
		} else if (enc == SYSREG_ACTLR_EL1) {
			/* Logged so that a test can see HCR_EL2.TACR is set:
			 * where ACTLR_EL1 is RAZ/WI in hardware too (QEMU's
			 * cores), nothing else a guest sees differs. */
			hardening_log(v, "MSR ACTLR_EL1: ignored (RAZ/WI)",
				      vcpu_get_reg(v, rt));
		}
		return TRAP_HANDLED;
	case SR_OSLSR:
		/* OSLM = 0b10 (OS lock implemented), OSLK = 0: D19.3,
		 * OSLSR_EL1. */
		vcpu_set_reg(v, rt, 0x8);
		return TRAP_HANDLED;
	case SR_SETWAY:
		return emulate_setway(v, vcpu_get_reg(v, rt));
	case SR_SGI:
		vgic_sgi_sysreg(v, vcpu_get_reg(v, rt));
		return TRAP_HANDLED;
	case SR_ICC_RETRY:
		vgic_icc_trap(v);
		return TRAP_HANDLED_NO_ADV;
	case SR_UNDEF:
	default:
		hardening_log(v, read ? "MRS of a trapped register: UNDEF"
				      : "MSR/SYS of a trapped register: UNDEF",
			      esr);
		return TRAP_INJECT_UNDEF;
	}
}
