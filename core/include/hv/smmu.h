/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv3: the in-memory structures the hypervisor builds for it
 * (stream table entries, level-1 stream table descriptors, commands, event
 * records, queue indices) and the plan of the stream table computed from
 * the configuration. Pure: no register access, so it is built and tested
 * on the host (tests/host/test_smmu.c). The driver is arch/arm64/smmuv3.c.
 *
 * Arm IHI 0070 (SMMUv3 architecture specification), G.b: 3.3 "Data
 * structures and translation procedure" (2-level stream table), 3.5
 * "Command and event queues" (index and wrap bits), 4 "Commands", 5.1
 * "Level 1 Stream Table Descriptor", 5.2 "Stream Table Entry", 7.3
 * "Event records".
 */
#ifndef HV_SMMU_H
#define HV_SMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/bits.h"
#include "hv/config.h"
#include "hv/err.h"

/*
 * Stream table geometry: 2-level, SPLIT 8 (IHI 0070 6.3.24
 * SMMU_STRTAB_BASE_CFG): StreamID bits [15:8] index the level-1 table of
 * 256 descriptors, bits [7:0] a level-2 table of 256 STEs of 64 bytes
 * (16 KiB, aligned to its size).
 */
#define SMMU_SPLIT 8
#define SMMU_L2_STES (1u << SMMU_SPLIT)
#define SMMU_L1_COUNT (HV_SMMU_SID_LIMIT >> SMMU_SPLIT)
#define SMMU_STE_DWORDS 8
#define SMMU_L2_BYTES (SMMU_L2_STES * SMMU_STE_DWORDS * 8)
/* Level-2 tables the hypervisor has: one per partition owning a whole
 * level-1 slot (its "uniform" table, shared by all such slots) plus one per
 * slot shared by several owners or partly unowned ("mixed"). */
#define SMMU_L2_POOL 16
#define SMMU_NO_TABLE 0xffu
#define SMMU_NO_OWNER 0xffu

/* 5.1 Level 1 Stream Table Descriptor: SPAN [4:0], L2Ptr [51:6]. A SPAN
 * of 0 makes the whole slot invalid: its StreamIDs get C_BAD_STREAMID. */
#define SMMU_L1_SPAN BITS(4, 0)
#define SMMU_L1_L2PTR BITS(51, 6)

/* 5.2 Stream Table Entry, 64-bit word 0. */
#define SMMU_STE0_V BIT(0)
#define SMMU_STE0_CONFIG BITS(3, 1)
#define SMMU_STE_CONFIG_ABORT 0u /* 0b000: abort, no event recorded */
#define SMMU_STE_CONFIG_S2 6u	 /* 0b110: stage 1 bypass, stage 2 */
/* Word 1. */
#define SMMU_STE1_SHCFG BITS(45, 44)
#define SMMU_STE1_SHCFG_INCOMING 1u
/* Word 2: S2VMID, then the stage-2 VTCR fields at [50:32] in the layout
 * of VTCR_EL2 [18:0] (T0SZ, SL0, IRGN0, ORGN0, SH0, TG0, PS). */
#define SMMU_STE2_S2VMID BITS(15, 0)
#define SMMU_STE2_S2T0SZ BITS(37, 32)
#define SMMU_STE2_S2SL0 BITS(39, 38)
#define SMMU_STE2_S2IR0 BITS(41, 40)
#define SMMU_STE2_S2OR0 BITS(43, 42)
#define SMMU_STE2_S2SH0 BITS(45, 44)
#define SMMU_STE2_S2TG BITS(47, 46)
#define SMMU_STE2_S2PS BITS(50, 48)
#define SMMU_STE2_S2AA64 BIT(51)
#define SMMU_STE2_S2ENDI BIT(52)
#define SMMU_STE2_S2AFFD BIT(53)
#define SMMU_STE2_S2PTW BIT(54)
#define SMMU_STE2_S2S BIT(57)
#define SMMU_STE2_S2R BIT(58)
/* Word 3. */
#define SMMU_STE3_S2TTB BITS(51, 4)

/* VTCR_EL2 fields (Arm ARM DDI 0487 J.a, D19.2.161) read by
 * smmu_ste_make(). */
#define SMMU_VTCR_T0SZ BITS(5, 0)
#define SMMU_VTCR_SL0 BITS(7, 6)
#define SMMU_VTCR_IRGN0 BITS(9, 8)
#define SMMU_VTCR_ORGN0 BITS(11, 10)
#define SMMU_VTCR_SH0 BITS(13, 12)
#define SMMU_VTCR_TG0 BITS(15, 14)
#define SMMU_VTCR_PS BITS(18, 16)

/* 4 Commands: opcode in word 0 [7:0]. */
#define SMMU_CMD_OP BITS(7, 0)
#define SMMU_CMD_CFGI_STE 0x03
#define SMMU_CMD_CFGI_STE_RANGE 0x04 /* CFGI_ALL is Range 31 */
#define SMMU_CMD_TLBI_S12_VMALL 0x28
#define SMMU_CMD_TLBI_NSNH_ALL 0x30
#define SMMU_CMD_SYNC 0x46
#define SMMU_CMD0_SID BITS(63, 32)   /* CFGI_STE, CFGI_STE_RANGE */
#define SMMU_CMD1_LEAF BIT(0)	     /* CFGI_STE */
#define SMMU_CMD1_RANGE BITS(4, 0)   /* CFGI_STE_RANGE */
#define SMMU_CMD0_VMID BITS(47, 32)  /* TLBI_S12_VMALL */
#define SMMU_CMD0_SYNC_CS BITS(13, 12) /* CMD_SYNC: 0 = SIG_NONE */

/* 7.3 Event records (32 bytes). */
#define SMMU_EVT0_ID BITS(7, 0)
#define SMMU_EVT0_SSV BIT(11)
#define SMMU_EVT0_SID BITS(63, 32)
#define SMMU_EVT1_RNW BIT(35)
#define SMMU_EVT1_S2 BIT(39)
#define SMMU_EVT1_CLASS BITS(41, 40)
#define SMMU_EVT3_IPA BITS(51, 12)

/* Event numbers (7.3, table 7-1). */
enum smmu_event_id {
	SMMU_EVT_F_UUT = 0x01,
	SMMU_EVT_C_BAD_STREAMID = 0x02,
	SMMU_EVT_F_STE_FETCH = 0x03,
	SMMU_EVT_C_BAD_STE = 0x04,
	SMMU_EVT_F_BAD_ATS_TREQ = 0x05,
	SMMU_EVT_F_STREAM_DISABLED = 0x06,
	SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07,
	SMMU_EVT_C_BAD_SUBSTREAMID = 0x08,
	SMMU_EVT_F_CD_FETCH = 0x09,
	SMMU_EVT_C_BAD_CD = 0x0a,
	SMMU_EVT_F_WALK_EABT = 0x0b,
	SMMU_EVT_F_TRANSLATION = 0x10,
	SMMU_EVT_F_ADDR_SIZE = 0x11,
	SMMU_EVT_F_ACCESS = 0x12,
	SMMU_EVT_F_PERMISSION = 0x13,
	SMMU_EVT_F_TLB_CONFLICT = 0x20,
	SMMU_EVT_F_CFG_CONFLICT = 0x21,
};

/** One 16-byte command (4.1.1). */
struct smmu_cmd {
	uint64_t w[2];
};

/** A decoded event record. */
struct smmu_event {
	uint32_t id;	   /* enum smmu_event_id */
	uint32_t sid;	   /* StreamID */
	uint64_t addr;	   /* InputAddr: the address the device used */
	uint64_t ipa;	   /* for a stage-1 walk fault: the IPA */
	bool read;	   /* RnW: the transaction was a read */
	bool stage2;	   /* S2: the fault came from stage 2 */
	bool has_addr;	   /* addr and read are meaningful for this id */
};

/** What a partition's stream table entries translate with (its stage 2). */
struct smmu_s2 {
	uint32_t vmid;
	uint64_t vtcr;	  /* VTCR_EL2 as its CPUs use it */
	uint64_t ttb;	  /* stage-2 root table (VTTBR_EL2.BADDR) */
	uint32_t oas_ps;  /* SMMU_IDR5.OAS: S2PS is capped to it */
};

/** Kinds of level-1 slot in a plan. */
enum smmu_slot_kind {
	SMMU_SLOT_INVALID = 0, /* no StreamID owned: SPAN 0 */
	SMMU_SLOT_UNIFORM = 1, /* all 256 owned by one partition */
	SMMU_SLOT_MIXED = 2,   /* its own level-2 table */
};

/**
 * The stream table of one SMMU, decided from the configuration: for each
 * level-1 slot, its kind and level-2 table (an index into the driver's pool
 * of SMMU_L2_POOL tables); for each partition, its uniform table if it has
 * a whole slot, and how many StreamIDs it owns here.
 */
struct smmu_plan {
	uint8_t slot_kind[SMMU_L1_COUNT];
	uint8_t slot_table[SMMU_L1_COUNT];
	uint8_t uniform_table[HV_MAX_PARTITIONS];
	uint32_t sid_count[HV_MAX_PARTITIONS];
	uint32_t tables_used;
	uint32_t sids_owned;
	uint32_t owners; /* partitions owning at least one StreamID */
};

/* Queue indices (3.5): the low @shift bits index the queue, the next bit
 * is the wrap flag; higher register bits (ERR, OVFLG) are not part of
 * it. */
static inline uint32_t smmu_q_index(uint32_t v, unsigned shift)
{
	return v & ((1u << shift) - 1);
}

static inline uint32_t smmu_q_wrap(uint32_t v, unsigned shift)
{
	return (v >> shift) & 1u;
}

/** Empty: same index, same wrap. */
static inline bool smmu_q_empty(uint32_t prod, uint32_t cons, unsigned shift)
{
	return smmu_q_index(prod, shift) == smmu_q_index(cons, shift) &&
	       smmu_q_wrap(prod, shift) == smmu_q_wrap(cons, shift);
}

/** Full: same index, wrap flags differ. */
static inline bool smmu_q_full(uint32_t prod, uint32_t cons, unsigned shift)
{
	return smmu_q_index(prod, shift) == smmu_q_index(cons, shift) &&
	       smmu_q_wrap(prod, shift) != smmu_q_wrap(cons, shift);
}

/** The next index and wrap value after @v (other bits dropped). */
static inline uint32_t smmu_q_next(uint32_t v, unsigned shift)
{
	return (v + 1) & ((2u << shift) - 1);
}

void smmu_ste_make(uint64_t ste[SMMU_STE_DWORDS], const struct smmu_s2 *s2,
		   bool translate, bool record);
uint64_t smmu_ste_word0(bool translate);
uint64_t smmu_l1_desc(uint64_t l2_pa);

struct smmu_cmd smmu_cmd_cfgi_ste(uint32_t sid);
struct smmu_cmd smmu_cmd_cfgi_all(void);
struct smmu_cmd smmu_cmd_tlbi_s12_vmall(uint32_t vmid);
struct smmu_cmd smmu_cmd_tlbi_nsnh_all(void);
struct smmu_cmd smmu_cmd_sync(void);

void smmu_event_decode(const uint64_t rec[4], struct smmu_event *e);
const char *smmu_event_name(uint32_t id);

uint32_t smmu_sid_owner(const struct hv_config *c, uint32_t smmu,
			uint32_t sid);
hv_err_t __must_check smmu_plan_build(struct smmu_plan *plan,
				      const struct hv_config *c,
				      uint32_t smmu);

/*
 * The EL2 driver (arch/arm64/smmuv3.c). Every function does nothing on a
 * board without an SMMU. A partition's StreamIDs translate through its
 * stage 2 only while it runs: smmu_partition_allow() when it is opened,
 * smmu_partition_block() when it is stopped or (re)loaded, which returns
 * once the SMMU can no longer use the old configuration or any
 * translation cached from it.
 */
struct partition;
extern uint32_t smmu_hv_irqs[2]; /* event queue, global error; 0: none */

void smmu_init(void);
void smmu_init_irqs(unsigned core);
void smmu_partition_block(const struct partition *p);
void smmu_partition_allow(const struct partition *p);
void smmu_handle_irq(uint32_t intid);

/** Is @intid one of the SMMU's (never 0: an SGI)? */
static inline bool smmu_is_irq(uint32_t intid)
{
	return intid == smmu_hv_irqs[0] || intid == smmu_hv_irqs[1];
}

#endif /* HV_SMMU_H */
