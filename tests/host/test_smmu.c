/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests: SMMUv3 structure encodings (against values worked out
 * by hand from Arm IHI 0070 G.b), queue index arithmetic, event decoding,
 * the stream-table plan, and the text digest.
 */
#include <stdlib.h>

#include "hv/digest.h"
#include "hv/smmu.h"

#include "harness.h"

/* VTCR_EL2 as arch_cpu_init_el2() writes it for PARange 40 bits:
 * T0SZ 24, SL0 1, IRGN0 1, ORGN0 1, SH0 3, TG0 0, PS 2, RES1 bit 31. */
#define TEST_VTCR (0x80000000ULL | 24 | (1 << 6) | (1 << 8) | (1 << 10) | \
		   (3 << 12) | (2ULL << 16))

TEST(smmu, ste_stage2_translate)
{
	struct smmu_s2 s2 = { .vmid = 3, .vtcr = TEST_VTCR,
			      .ttb = 0x40a12000, .oas_ps = 4 };
	uint64_t ste[SMMU_STE_DWORDS];

	smmu_ste_make(ste, &s2, true, true);
	/* V=1, Config=0b110 at [3:1]: 1 | 6 << 1. */
	EXPECT_EQ(ste[0], 0xd);
	/* SHCFG=0b01 (incoming) at [45:44]. */
	EXPECT_EQ(ste[1], 1ULL << 44);
	/* VMID 3; [50:32] = VTCR[18:0] = 0x23558; S2AA64 51, S2PTW 54,
	 * S2R 58; S2S (57), S2ENDI (52), S2AFFD (53) clear. */
	EXPECT_EQ(ste[2], 3 | (0x23558ULL << 32) | (1ULL << 51) |
				  (1ULL << 54) | (1ULL << 58));
	EXPECT_EQ(ste[3], 0x40a12000);
	for (unsigned i = 4; i < SMMU_STE_DWORDS; i++) {
		EXPECT_EQ(ste[i], 0);
	}
}

TEST(smmu, ste_abort_and_no_record)
{
	struct smmu_s2 s2 = { .vmid = 1, .vtcr = TEST_VTCR,
			      .ttb = 0x40a10000, .oas_ps = 4 };
	uint64_t ste[SMMU_STE_DWORDS];
	uint64_t t[SMMU_STE_DWORDS];

	smmu_ste_make(ste, &s2, false, false);
	smmu_ste_make(t, &s2, true, false);
	/* Abort: V=1, Config 0b000; words 1-3 identical to translate. */
	EXPECT_EQ(ste[0], 1);
	EXPECT_EQ(smmu_ste_word0(false), 1);
	EXPECT_EQ(smmu_ste_word0(true), 0xd);
	EXPECT_EQ(ste[1], t[1]);
	EXPECT_EQ(ste[2], t[2]);
	EXPECT_EQ(ste[3], t[3]);
	EXPECT_EQ(ste[2] & SMMU_STE2_S2R, 0);
	EXPECT_EQ(ste[2] & SMMU_STE2_S2S, 0);
}

TEST(smmu, ste_ps_capped_to_oas)
{
	/* VTCR.PS 5 (48 bits) on an SMMU with OAS 2 (40 bits). */
	struct smmu_s2 s2 = { .vmid = 1,
			      .vtcr = (TEST_VTCR & ~SMMU_VTCR_PS) | (5ULL << 16),
			      .ttb = 0x1000, .oas_ps = 2 };
	uint64_t ste[SMMU_STE_DWORDS];

	smmu_ste_make(ste, &s2, true, true);
	EXPECT_EQ(FIELD_GET(SMMU_STE2_S2PS, ste[2]), 2);
}

TEST(smmu, l1_descriptor)
{
	/* L2Ptr [51:6], SPAN 9 (256 STEs = 2^(9-1)). */
	EXPECT_EQ(smmu_l1_desc(0x40b04000), 0x40b04009);
}

TEST(smmu, commands)
{
	struct smmu_cmd c;

	c = smmu_cmd_cfgi_ste(0x1234);
	EXPECT_EQ(c.w[0], 0x0000123400000003ULL);
	EXPECT_EQ(c.w[1], 1);
	c = smmu_cmd_cfgi_all();
	EXPECT_EQ(c.w[0], 0x04);
	EXPECT_EQ(c.w[1], 31);
	c = smmu_cmd_tlbi_s12_vmall(7);
	EXPECT_EQ(c.w[0], 0x0000000700000028ULL);
	EXPECT_EQ(c.w[1], 0);
	c = smmu_cmd_tlbi_nsnh_all();
	EXPECT_EQ(c.w[0], 0x30);
	c = smmu_cmd_sync();
	EXPECT_EQ(c.w[0], 0x46);
	EXPECT_EQ(c.w[1], 0);
}

TEST(smmu, queue_wrap)
{
	const unsigned shift = 2; /* 4 entries */
	uint32_t prod = 0, cons = 0;

	EXPECT_TRUE(smmu_q_empty(prod, cons, shift));
	EXPECT_TRUE(!smmu_q_full(prod, cons, shift));
	for (int i = 0; i < 4; i++) {
		EXPECT_TRUE(!smmu_q_full(prod, cons, shift));
		prod = smmu_q_next(prod, shift);
	}
	EXPECT_EQ(prod, 4); /* index 0, wrap 1 */
	EXPECT_TRUE(smmu_q_full(prod, cons, shift));
	EXPECT_TRUE(!smmu_q_empty(prod, cons, shift));
	cons = smmu_q_next(cons, shift);
	EXPECT_TRUE(!smmu_q_full(prod, cons, shift));
	for (int i = 0; i < 3; i++) {
		cons = smmu_q_next(cons, shift);
	}
	EXPECT_TRUE(smmu_q_empty(prod, cons, shift));
	/* Wrap back to 0 after 2 * entries. */
	for (int i = 0; i < 4; i++) {
		prod = smmu_q_next(prod, shift);
	}
	EXPECT_EQ(prod, 0);
	EXPECT_TRUE(smmu_q_full(prod, cons, shift));
	/* Register bits above the wrap bit (CONS.ERR, PROD.OVFLG) do not
	 * count. */
	EXPECT_TRUE(smmu_q_empty(0x80000003, 3, shift));
	EXPECT_EQ(smmu_q_index(0x7f000006, shift), 2);
	EXPECT_EQ(smmu_q_wrap(0x7f000006, shift), 1);
}

TEST(smmu, event_decode)
{
	/* F_TRANSLATION from StreamID 8, stage 2, a read of 0x44000000. */
	uint64_t rec[4] = { 0x0000000800000010ULL,
			    (1ULL << 35) | (1ULL << 39), 0x44000000, 0 };
	struct smmu_event e;

	smmu_event_decode(rec, &e);
	EXPECT_EQ(e.id, SMMU_EVT_F_TRANSLATION);
	EXPECT_EQ(e.sid, 8);
	EXPECT_EQ(e.addr, 0x44000000);
	EXPECT_TRUE(e.read);
	EXPECT_TRUE(e.stage2);
	EXPECT_TRUE(e.has_addr);
	EXPECT_STREQ(smmu_event_name(e.id), "translation");
	/* A write (RnW 0) permission fault. */
	rec[0] = 0x0000010000000013ULL;
	rec[1] = 1ULL << 39;
	rec[2] = 0x1000;
	smmu_event_decode(rec, &e);
	EXPECT_EQ(e.id, SMMU_EVT_F_PERMISSION);
	EXPECT_EQ(e.sid, 0x100);
	EXPECT_TRUE(!e.read);
	EXPECT_STREQ(smmu_event_name(e.id), "permission");
	/* C_BAD_STREAMID has no address. */
	rec[0] = 0x0000abcd00000002ULL;
	rec[1] = ~0ULL;
	rec[2] = 0x5000;
	smmu_event_decode(rec, &e);
	EXPECT_EQ(e.id, SMMU_EVT_C_BAD_STREAMID);
	EXPECT_EQ(e.sid, 0xabcd);
	EXPECT_TRUE(!e.has_addr);
	EXPECT_EQ(e.addr, 0);
	EXPECT_TRUE(!e.stage2);
}

static struct hv_config *new_cfg(void)
{
	static struct hv_config *c;

	free(c);
	c = calloc(1, sizeof(*c));
	c->partition_count = 3;
	return c;
}

static void add_range(struct hv_config *c, uint32_t p, uint32_t smmu,
		      uint32_t first, uint32_t count)
{
	struct hv_partition_cfg *pc = &c->partitions[p];

	pc->sids[pc->sid_count].smmu = smmu;
	pc->sids[pc->sid_count].first = first;
	pc->sids[pc->sid_count].count = count;
	pc->sid_count++;
}

/* Every StreamID: unowned ones sit in an invalid slot or in a mixed
 * table; owned ones in their owner's uniform table or a mixed table. */
static void check_plan(int *harness_failed, const struct hv_config *c,
		       const struct smmu_plan *plan)
{
	for (uint32_t sid = 0; sid < HV_SMMU_SID_LIMIT; sid++) {
		uint32_t s = sid >> SMMU_SPLIT;
		uint32_t owner = smmu_sid_owner(c, 0, sid);

		if (owner == SMMU_NO_OWNER) {
			if (plan->slot_kind[s] != SMMU_SLOT_INVALID &&
			    plan->slot_kind[s] != SMMU_SLOT_MIXED) {
				EXPECT_EQ(sid, ~0u); /* reports the sid */
				return;
			}
			continue;
		}
		if (plan->slot_kind[s] == SMMU_SLOT_UNIFORM) {
			if (plan->slot_table[s] != plan->uniform_table[owner]) {
				EXPECT_EQ(sid, ~0u);
				return;
			}
		} else if (plan->slot_kind[s] != SMMU_SLOT_MIXED) {
			EXPECT_EQ(sid, ~0u);
			return;
		}
	}
}

TEST(smmu, plan_empty)
{
	struct hv_config *c = new_cfg();
	struct smmu_plan plan;

	ASSERT_EQ(smmu_plan_build(&plan, c, 0), HV_OK);
	EXPECT_EQ(plan.tables_used, 0);
	EXPECT_EQ(plan.sids_owned, 0);
	EXPECT_EQ(plan.owners, 0);
	for (uint32_t s = 0; s < SMMU_L1_COUNT; s++) {
		EXPECT_EQ(plan.slot_kind[s], SMMU_SLOT_INVALID);
	}
}

TEST(smmu, plan_slot_boundaries)
{
	struct hv_config *c = new_cfg();
	struct smmu_plan plan;

	/* Partition 0: bus 1 entirely (0x100-0x1ff) and bus 2 too: one
	 * uniform table for both. Partition 1: 0x300-0x3ff minus its last
	 * StreamID: a mixed slot. Partition 2: 0x3ff, 0x400 straddles a
	 * boundary: two mixed slots (0x3 is shared with partition 1). */
	add_range(c, 0, 0, 0x100, 0x200);
	add_range(c, 1, 0, 0x300, 0xff);
	add_range(c, 2, 0, 0x3ff, 2);
	/* A range on another SMMU is not this plan's business. */
	add_range(c, 2, 1, 0x500, 0x100);
	ASSERT_EQ(smmu_plan_build(&plan, c, 0), HV_OK);
	EXPECT_EQ(plan.slot_kind[0], SMMU_SLOT_INVALID);
	EXPECT_EQ(plan.slot_kind[1], SMMU_SLOT_UNIFORM);
	EXPECT_EQ(plan.slot_kind[2], SMMU_SLOT_UNIFORM);
	EXPECT_EQ(plan.slot_table[1], plan.slot_table[2]);
	EXPECT_EQ(plan.slot_table[1], plan.uniform_table[0]);
	EXPECT_EQ(plan.slot_kind[3], SMMU_SLOT_MIXED);
	EXPECT_EQ(plan.slot_kind[4], SMMU_SLOT_MIXED);
	EXPECT_NE(plan.slot_table[3], plan.slot_table[4]);
	EXPECT_EQ(plan.slot_kind[5], SMMU_SLOT_INVALID);
	EXPECT_EQ(plan.uniform_table[1], SMMU_NO_TABLE);
	EXPECT_EQ(plan.uniform_table[2], SMMU_NO_TABLE);
	EXPECT_EQ(plan.tables_used, 3);
	EXPECT_EQ(plan.sid_count[0], 0x200);
	EXPECT_EQ(plan.sid_count[1], 0xff);
	EXPECT_EQ(plan.sid_count[2], 2);
	EXPECT_EQ(plan.sids_owned, 0x301);
	EXPECT_EQ(plan.owners, 3);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0xff), SMMU_NO_OWNER);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x100), 0);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x2ff), 0);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x3fe), 1);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x3ff), 2);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x400), 2);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x401), SMMU_NO_OWNER);
	EXPECT_EQ(smmu_sid_owner(c, 0, 0x500), SMMU_NO_OWNER);
	EXPECT_EQ(smmu_sid_owner(c, 1, 0x500), 2);
	check_plan(harness_failed, c, &plan);
}

TEST(smmu, plan_whole_space)
{
	struct hv_config *c = new_cfg();
	struct smmu_plan plan;

	add_range(c, 1, 0, 0, HV_SMMU_SID_LIMIT);
	ASSERT_EQ(smmu_plan_build(&plan, c, 0), HV_OK);
	EXPECT_EQ(plan.tables_used, 1);
	EXPECT_EQ(plan.sids_owned, HV_SMMU_SID_LIMIT);
	check_plan(harness_failed, c, &plan);
}

TEST(smmu, plan_refuses)
{
	struct hv_config *c = new_cfg();
	struct smmu_plan plan;

	/* Past the 16-bit StreamID space. */
	add_range(c, 0, 0, 0xff00, 0x200);
	EXPECT_EQ(smmu_plan_build(&plan, c, 0), HV_EINVAL);
	/* Overlapping owners. */
	c = new_cfg();
	add_range(c, 0, 0, 0x10, 0x100);
	add_range(c, 1, 0, 0x80, 0x100);
	EXPECT_EQ(smmu_plan_build(&plan, c, 0), HV_EINVAL);
	/* One StreamID in each of SMMU_L2_POOL + 1 slots: the pool runs
	 * out. */
	c = new_cfg();
	c->partition_count = HV_MAX_PARTITIONS;
	for (uint32_t s = 0; s <= SMMU_L2_POOL; s++) {
		add_range(c, s % HV_MAX_PARTITIONS, 0, (s << SMMU_SPLIT) + 5, 1);
	}
	EXPECT_EQ(smmu_plan_build(&plan, c, 0), HV_ENOMEM);
	/* One fewer fits exactly. */
	c->partitions[SMMU_L2_POOL % HV_MAX_PARTITIONS].sid_count--;
	EXPECT_EQ(smmu_plan_build(&plan, c, 0), HV_OK);
	EXPECT_EQ(plan.tables_used, SMMU_L2_POOL);
}

TEST(digest, fnv1a64_vectors)
{
	/* Published FNV-1a 64 test values. */
	EXPECT_EQ(digest_fnv1a64(DIGEST_FNV1A64_INIT, "", 0),
		  0xcbf29ce484222325ULL);
	EXPECT_EQ(digest_fnv1a64(DIGEST_FNV1A64_INIT, "a", 1),
		  0xaf63dc4c8601ec8cULL);
	EXPECT_EQ(digest_fnv1a64(DIGEST_FNV1A64_INIT, "foobar", 6),
		  0x85944171f73967e8ULL);
	/* Incremental equals one pass. */
	EXPECT_EQ(digest_fnv1a64(digest_fnv1a64(DIGEST_FNV1A64_INIT, "foo", 3),
				 "bar", 3),
		  0x85944171f73967e8ULL);
}
