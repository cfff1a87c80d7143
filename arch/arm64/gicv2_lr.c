/* SPDX-License-Identifier: MIT */
/*
 * GICv2 list register encoding. Pure: built into the hypervisor and into
 * the host tests. IHI 0048B, 5.3.11 "List Registers, GICH_LRn":
 * VirtualID[9:0], PhysicalID[19:10] (HW = 1) or EOI[19] and CPUID[12:10]
 * (HW = 0), Priority[27:23] (the top five bits), State[29:28],
 * Grp1[30], HW[31].
 */
#include "hv/bits.h"

#include "arch/gicv2.h"

#define LR2_VID BITS(9, 0)
#define LR2_PID BITS(19, 10)
#define LR2_CPUID BITS(12, 10)
#define LR2_EOI BIT(19)
#define LR2_PRIO BITS(27, 23)
#define LR2_STATE BITS(29, 28)
#define LR2_GRP1 BIT(30)
#define LR2_HW BIT(31)

/** Encode a GICH_LR value. */
uint32_t gicv2_lr_encode(const struct lr_val *lr)
{
	uint64_t v = FIELD_PREP(LR2_VID, lr->vintid) |
		     FIELD_PREP(LR2_PRIO, lr->prio >> 3) |
		     FIELD_PREP(LR2_STATE, lr->state);

	if (lr->group1) {
		v |= LR2_GRP1;
	}
	if (lr->hw) {
		v |= LR2_HW | FIELD_PREP(LR2_PID, lr->pintid);
	} else {
		v |= FIELD_PREP(LR2_CPUID, lr->src);
		if (lr->eoi_maint) {
			v |= LR2_EOI;
		}
	}
	return (uint32_t)v;
}

/** Decode a GICH_LR value. */
struct lr_val gicv2_lr_decode(uint32_t v)
{
	struct lr_val lr = {
		.vintid = (uint32_t)FIELD_GET(LR2_VID, v),
		.pintid = 0,
		.prio = (uint8_t)(FIELD_GET(LR2_PRIO, v) << 3),
		.state = (uint8_t)FIELD_GET(LR2_STATE, v),
		.hw = (v & LR2_HW) != 0,
		.group1 = (v & LR2_GRP1) != 0,
		.eoi_maint = false,
		.src = 0,
	};

	if (lr.hw) {
		lr.pintid = (uint32_t)FIELD_GET(LR2_PID, v);
	} else {
		lr.src = (uint8_t)FIELD_GET(LR2_CPUID, v);
		lr.eoi_maint = (v & LR2_EOI) != 0;
	}
	return lr;
}
