/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation table descriptor encodings for the 4 KiB granule,
 * stage 1 (EL2 regime, one privilege level) and stage 2. Pure inline
 * functions with no system-register access, so page-table code using them
 * builds and is tested on the host with the real encoding.
 *
 * Arm ARM DDI 0487 J.a, D8.3 "Translation table descriptor formats" and
 * D8.4.1 (stage 1 attribute fields), D8.4.2 (stage 2 attribute fields).
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/bits.h"

#define PTE_VALID BIT(0)
#define PTE_TYPE_TABLE BIT(1) /* levels 0-2: table; level 3: page */
#define PTE_ADDR_MASK BITS(47, 12)
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_XN BIT(54) /* stage 1 EL2 regime: XN; stage 2: XN[1] */
#define PTE_SW_OWNED BIT(55) /* software bit: RAM owned by the partition */
#define PTE_SW_DEVICE BIT(56) /* software bit: passthrough device */
#define PTE_SW_SHARED BIT(57) /* software bit: channel shared memory */

/* Stage 1, EL2: AttrIndx[2:0] at [4:2], AP[2:1] at [7:6]. */
#define S1_ATTRIDX(i) ((uint64_t)(i) << 2)
#define S1_AP_RW (0ULL << 6)
#define S1_AP_RO (2ULL << 6)

/* MAIR_EL2 indices used with S1_ATTRIDX (values in arch/regs.h). */
#define MAIR_IDX_DEVICE_nGnRnE 0
#define MAIR_IDX_DEVICE_nGnRE 1
#define MAIR_IDX_NORMAL_WB 2
#define MAIR_IDX_NORMAL_NC 3

/* Stage 2: MemAttr[3:0] at [5:2] (FWB off), S2AP[1:0] at [7:6]. */
#define S2_MEMATTR_DEVICE_nGnRE (0x1ULL << 2)
#define S2_MEMATTR_NORMAL_WB (0xfULL << 2)
#define S2_AP_NONE (0ULL << 6)
#define S2_AP_RO (1ULL << 6)
#define S2_AP_WO (2ULL << 6)
#define S2_AP_RW (3ULL << 6)

/* Leaf attributes are everything except the address and the type bits. */
#define PTE_ATTR_MASK (~(PTE_ADDR_MASK | PTE_VALID | PTE_TYPE_TABLE))

#define PT_LEVELS 4
#define PT_ENTRIES 512

/** log2 of the size mapped by one entry at @level (0..3). */
static inline unsigned pte_level_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

static inline uint64_t pte_level_size(unsigned level)
{
	return 1ULL << pte_level_shift(level);
}

static inline bool pte_valid(uint64_t pte)
{
	return (pte & PTE_VALID) != 0;
}

/** A table descriptor (levels 0-2 only). */
static inline bool pte_is_table(uint64_t pte, unsigned level)
{
	return level < 3 && (pte & (PTE_VALID | PTE_TYPE_TABLE)) ==
				    (PTE_VALID | PTE_TYPE_TABLE);
}

/** A block (levels 1-2) or page (level 3) descriptor. */
static inline bool pte_is_leaf(uint64_t pte, unsigned level)
{
	return pte_valid(pte) && !pte_is_table(pte, level);
}

static inline uint64_t pte_addr(uint64_t pte)
{
	return pte & PTE_ADDR_MASK;
}

static inline uint64_t pte_attrs(uint64_t pte)
{
	return pte & PTE_ATTR_MASK;
}

static inline uint64_t pte_table(uint64_t next_pa)
{
	return (next_pa & PTE_ADDR_MASK) | PTE_VALID | PTE_TYPE_TABLE;
}

/** Leaf descriptor at @level: a page at level 3, a block above. */
static inline uint64_t pte_leaf(uint64_t pa, uint64_t attrs, unsigned level)
{
	uint64_t type = level == 3 ? PTE_TYPE_TABLE : 0;

	return (pa & PTE_ADDR_MASK) | (attrs & PTE_ATTR_MASK) | PTE_VALID |
	       type;
}

/** With the 4 KiB granule, blocks exist at level 1 (1 GiB) and 2 (2 MiB). */
static inline bool pte_level_allows_block(unsigned level)
{
	return level == 1 || level == 2;
}

#endif /* ARCH_PTE_H */
