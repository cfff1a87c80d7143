/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 structures and the stream-table plan (hv/smmu.h). Pure: the
 * driver (arch/arm64/smmuv3.c) writes what these functions compute.
 *
 * Arm IHI 0070 G.b: 4 "Commands", 5.1 "Level 1 Stream Table Descriptor",
 * 5.2 "Stream Table Entry", 7.3 "Event records".
 */
#include "hv/smmu.h"

/* The driver's pool has one level-2 table per index; the plan's indices
 * are bytes. */
_Static_assert(SMMU_L2_POOL < SMMU_NO_TABLE, "pool index fits a byte");
_Static_assert(HV_MAX_PARTITIONS < SMMU_NO_OWNER, "owner fits a byte");
_Static_assert(SMMU_L1_COUNT * SMMU_L2_STES == HV_SMMU_SID_LIMIT,
	       "the two levels cover the StreamID space");

/**
 * Word 0 of a partition's STE: valid, and either stage-2 translation or
 * abort (Config 0b000: the transaction is terminated with an abort and no
 * event is recorded, 5.2 STE.Config). Words 1-3 are the same in both, so
 * switching between the two is one single-copy-atomic 64-bit write.
 */
uint64_t smmu_ste_word0(bool translate)
{
	return SMMU_STE0_V |
	       FIELD_PREP(SMMU_STE0_CONFIG, translate ? SMMU_STE_CONFIG_S2
						      : SMMU_STE_CONFIG_ABORT);
}

/**
 * Build the STE of a StreamID owned by a partition with stage 2 @s2
 * (5.2): stage 1 bypassed; stage 2 with the partition's VMID, root table
 * and the VTCR fields its CPUs use (S2PS capped to the SMMU's output
 * size), AArch64 tables (S2AA64), little-endian, access-flag faults
 * enabled, S2PTW set, no stall (S2S 0: the SMMU terminates a faulting
 * transaction), S2R = @record (record faults in the event queue);
 * shareability taken from the incoming transaction (SHCFG 0b01). Words
 * 4-7 are zero.
 */
void smmu_ste_make(uint64_t ste[SMMU_STE_DWORDS], const struct smmu_s2 *s2,
		   bool translate, bool record)
{
	uint64_t v = s2->vtcr;
	uint64_t ps = FIELD_GET(SMMU_VTCR_PS, v);

	if (ps > s2->oas_ps) {
		ps = s2->oas_ps;
	}
	for (unsigned i = 0; i < SMMU_STE_DWORDS; i++) {
		ste[i] = 0;
	}
	ste[0] = smmu_ste_word0(translate);
	ste[1] = FIELD_PREP(SMMU_STE1_SHCFG, SMMU_STE1_SHCFG_INCOMING);
	ste[2] = FIELD_PREP(SMMU_STE2_S2VMID, s2->vmid) |
		 FIELD_PREP(SMMU_STE2_S2T0SZ, FIELD_GET(SMMU_VTCR_T0SZ, v)) |
		 FIELD_PREP(SMMU_STE2_S2SL0, FIELD_GET(SMMU_VTCR_SL0, v)) |
		 FIELD_PREP(SMMU_STE2_S2IR0, FIELD_GET(SMMU_VTCR_IRGN0, v)) |
		 FIELD_PREP(SMMU_STE2_S2OR0, FIELD_GET(SMMU_VTCR_ORGN0, v)) |
		 FIELD_PREP(SMMU_STE2_S2SH0, FIELD_GET(SMMU_VTCR_SH0, v)) |
		 FIELD_PREP(SMMU_STE2_S2TG, FIELD_GET(SMMU_VTCR_TG0, v)) |
		 FIELD_PREP(SMMU_STE2_S2PS, ps) | SMMU_STE2_S2AA64 |
		 SMMU_STE2_S2PTW | (record ? SMMU_STE2_S2R : 0);
	ste[3] = s2->ttb & SMMU_STE3_S2TTB;
}

/**
 * A level-1 descriptor pointing at a level-2 table of SMMU_L2_STES STEs
 * at @l2_pa (aligned to its size): SPAN = log2(STEs) + 1 (5.1).
 */
uint64_t smmu_l1_desc(uint64_t l2_pa)
{
	return (l2_pa & SMMU_L1_L2PTR) | FIELD_PREP(SMMU_L1_SPAN, SMMU_SPLIT + 1);
}

static struct smmu_cmd cmd(uint64_t w0, uint64_t w1)
{
	struct smmu_cmd c = { { w0, w1 } };

	return c;
}

/** CMD_CFGI_STE (4.3.1): drop cached copies of @sid's STE (Leaf 1). */
struct smmu_cmd smmu_cmd_cfgi_ste(uint32_t sid)
{
	return cmd(FIELD_PREP(SMMU_CMD_OP, SMMU_CMD_CFGI_STE) |
			   FIELD_PREP(SMMU_CMD0_SID, sid),
		   SMMU_CMD1_LEAF);
}

/** CMD_CFGI_ALL (4.3.3): CFGI_STE_RANGE with Range 31, every STE. */
struct smmu_cmd smmu_cmd_cfgi_all(void)
{
	return cmd(FIELD_PREP(SMMU_CMD_OP, SMMU_CMD_CFGI_STE_RANGE),
		   FIELD_PREP(SMMU_CMD1_RANGE, 31));
}

/** CMD_TLBI_S12_VMALL (4.4.6): every TLB entry tagged with @vmid. */
struct smmu_cmd smmu_cmd_tlbi_s12_vmall(uint32_t vmid)
{
	return cmd(FIELD_PREP(SMMU_CMD_OP, SMMU_CMD_TLBI_S12_VMALL) |
			   FIELD_PREP(SMMU_CMD0_VMID, vmid),
		   0);
}

/** CMD_TLBI_NSNH_ALL (4.4.8): every non-secure, non-hypervisor entry. */
struct smmu_cmd smmu_cmd_tlbi_nsnh_all(void)
{
	return cmd(FIELD_PREP(SMMU_CMD_OP, SMMU_CMD_TLBI_NSNH_ALL), 0);
}

/** CMD_SYNC (4.7.3) with no completion signal: software polls CONS. */
struct smmu_cmd smmu_cmd_sync(void)
{
	return cmd(FIELD_PREP(SMMU_CMD_OP, SMMU_CMD_SYNC) |
			   FIELD_PREP(SMMU_CMD0_SYNC_CS, 0),
		   0);
}

/* Events whose record carries InputAddr and RnW (7.3.2-7.3.19). */
static bool has_addr(uint32_t id)
{
	switch (id) {
	case SMMU_EVT_F_UUT:
	case SMMU_EVT_F_TRANSL_FORBIDDEN:
	case SMMU_EVT_F_WALK_EABT:
	case SMMU_EVT_F_TRANSLATION:
	case SMMU_EVT_F_ADDR_SIZE:
	case SMMU_EVT_F_ACCESS:
	case SMMU_EVT_F_PERMISSION:
		return true;
	default:
		return false;
	}
}

/** Decode the 32-byte event record @rec (7.3). */
void smmu_event_decode(const uint64_t rec[4], struct smmu_event *e)
{
	e->id = (uint32_t)FIELD_GET(SMMU_EVT0_ID, rec[0]);
	e->sid = (uint32_t)FIELD_GET(SMMU_EVT0_SID, rec[0]);
	e->has_addr = has_addr(e->id);
	e->addr = e->has_addr ? rec[2] : 0;
	e->read = e->has_addr && (rec[1] & SMMU_EVT1_RNW) != 0;
	e->stage2 = e->id >= SMMU_EVT_F_WALK_EABT &&
		    e->id <= SMMU_EVT_F_PERMISSION &&
		    (rec[1] & SMMU_EVT1_S2) != 0;
	e->ipa = rec[3] & SMMU_EVT3_IPA;
}

/** A short name for event @id, for the log. */
const char *smmu_event_name(uint32_t id)
{
	switch (id) {
	case SMMU_EVT_F_UUT:
		return "unsupported upstream transaction";
	case SMMU_EVT_C_BAD_STREAMID:
		return "bad StreamID";
	case SMMU_EVT_F_STE_FETCH:
		return "STE fetch abort";
	case SMMU_EVT_C_BAD_STE:
		return "bad STE";
	case SMMU_EVT_F_STREAM_DISABLED:
		return "stream disabled";
	case SMMU_EVT_F_TRANSL_FORBIDDEN:
		return "translation forbidden";
	case SMMU_EVT_C_BAD_SUBSTREAMID:
		return "bad SubstreamID";
	case SMMU_EVT_F_WALK_EABT:
		return "table walk external abort";
	case SMMU_EVT_F_TRANSLATION:
		return "translation";
	case SMMU_EVT_F_ADDR_SIZE:
		return "address size";
	case SMMU_EVT_F_ACCESS:
		return "access flag";
	case SMMU_EVT_F_PERMISSION:
		return "permission";
	case SMMU_EVT_F_TLB_CONFLICT:
		return "TLB conflict";
	case SMMU_EVT_F_CFG_CONFLICT:
		return "configuration cache conflict";
	default:
		return "other";
	}
}

/**
 * The partition whose StreamID ranges on SMMU @smmu contain @sid, or
 * SMMU_NO_OWNER.
 */
uint32_t smmu_sid_owner(const struct hv_config *c, uint32_t smmu,
			uint32_t sid)
{
	for (uint32_t p = 0; p < c->partition_count; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];

		for (uint32_t i = 0; i < pc->sid_count; i++) {
			const struct hv_sid_range *r = &pc->sids[i];

			if (r->smmu == smmu && sid >= r->first &&
			    sid - r->first < r->count) {
				return p;
			}
		}
	}
	return SMMU_NO_OWNER;
}

/* How many StreamIDs of [base, base + n) partition @p owns on @smmu. */
static uint32_t owned_in(const struct hv_partition_cfg *pc, uint32_t smmu,
			 uint32_t base, uint32_t n)
{
	uint32_t total = 0;

	for (uint32_t i = 0; i < pc->sid_count; i++) {
		const struct hv_sid_range *r = &pc->sids[i];
		uint64_t lo = r->first > base ? r->first : base;
		uint64_t hi = (uint64_t)r->first + r->count;

		if (r->smmu != smmu) {
			continue;
		}
		if (hi > (uint64_t)base + n) {
			hi = (uint64_t)base + n;
		}
		if (hi > lo) {
			total += (uint32_t)(hi - lo);
		}
	}
	return total;
}

/* Take the next level-2 table of the pool, or fail. */
static hv_err_t take_table(struct smmu_plan *plan, uint8_t *out)
{
	if (plan->tables_used >= SMMU_L2_POOL) {
		return HV_ENOMEM;
	}
	*out = (uint8_t)plan->tables_used++;
	return HV_OK;
}

/* Decide level-1 slot @s: invalid, one partition's uniform table, or a
 * mixed table of its own. */
static hv_err_t plan_slot(struct smmu_plan *plan, const struct hv_config *c,
			  uint32_t smmu, uint32_t s)
{
	uint32_t base = s << SMMU_SPLIT;
	uint32_t total = 0;
	uint32_t whole = SMMU_NO_OWNER;

	for (uint32_t p = 0; p < c->partition_count; p++) {
		uint32_t n = owned_in(&c->partitions[p], smmu, base,
				      SMMU_L2_STES);

		total += n;
		plan->sid_count[p] += n;
		if (n == SMMU_L2_STES) {
			whole = p;
		}
	}
	if (total > SMMU_L2_STES) {
		return HV_EINVAL; /* ranges overlap */
	}
	plan->sids_owned += total;
	if (total == 0) {
		plan->slot_kind[s] = SMMU_SLOT_INVALID;
		plan->slot_table[s] = SMMU_NO_TABLE;
		return HV_OK;
	}
	if (whole != SMMU_NO_OWNER) {
		if (plan->uniform_table[whole] == SMMU_NO_TABLE) {
			TRY(take_table(plan, &plan->uniform_table[whole]));
		}
		plan->slot_kind[s] = SMMU_SLOT_UNIFORM;
		plan->slot_table[s] = plan->uniform_table[whole];
		return HV_OK;
	}
	plan->slot_kind[s] = SMMU_SLOT_MIXED;
	return take_table(plan, &plan->slot_table[s]);
}

/**
 * Plan the stream table of SMMU @smmu from configuration @c. Fails with
 * HV_EINVAL if a range reaches past HV_SMMU_SID_LIMIT or two ranges
 * overlap (the validator refuses both), HV_ENOMEM if more than
 * SMMU_L2_POOL level-2 tables would be needed. Pure; boot only.
 */
hv_err_t smmu_plan_build(struct smmu_plan *plan, const struct hv_config *c,
			 uint32_t smmu)
{
	*plan = (struct smmu_plan){ .tables_used = 0 };
	for (uint32_t p = 0; p < HV_MAX_PARTITIONS; p++) {
		plan->uniform_table[p] = SMMU_NO_TABLE;
	}
	for (uint32_t p = 0; p < c->partition_count; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];

		for (uint32_t i = 0; i < pc->sid_count; i++) {
			const struct hv_sid_range *r = &pc->sids[i];

			if (r->smmu == smmu &&
			    (uint64_t)r->first + r->count > HV_SMMU_SID_LIMIT) {
				return HV_EINVAL;
			}
		}
	}
	for (uint32_t s = 0; s < SMMU_L1_COUNT; s++) {
		TRY(plan_slot(plan, c, smmu, s));
	}
	for (uint32_t p = 0; p < c->partition_count; p++) {
		plan->owners += plan->sid_count[p] != 0;
	}
	return HV_OK;
}
