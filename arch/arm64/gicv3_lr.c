/* SPDX-License-Identifier: MIT */
/*
 * GICv3 list register encoding. Pure: built into the hypervisor and into
 * the host tests.
 * GIC Architecture Specification, IHI 0069H, 12.5.11 ICH_LR<n>_EL2.
 */
#include "hv/bits.h"

#include "arch/gicv3.h"

/* ICH_LR<n>_EL2 fields. */
#define LR_VINTID BITS(31, 0)
#define LR_PINTID BITS(44, 32)
#define LR_EOI BIT(41)
#define LR_PRIO BITS(55, 48)
#define LR_GROUP BIT(60)
#define LR_HW BIT(61)
#define LR_STATE BITS(63, 62)

/** Encode a list register value. Pure. */
uint64_t gicv3_lr_encode(const struct lr_val *lr)
{
	uint64_t v = FIELD_PREP(LR_VINTID, lr->vintid) |
		     FIELD_PREP(LR_PRIO, lr->prio) |
		     FIELD_PREP(LR_STATE, lr->state);

	if (lr->group1) {
		v |= LR_GROUP;
	}
	if (lr->hw) {
		v |= LR_HW | FIELD_PREP(LR_PINTID, lr->pintid);
	} else if (lr->eoi_maint) {
		v |= LR_EOI;
	}
	return v;
}

/** Decode a list register value. Pure. */
struct lr_val gicv3_lr_decode(uint64_t v)
{
	struct lr_val lr = {
		.vintid = (uint32_t)FIELD_GET(LR_VINTID, v),
		.pintid = 0,
		.prio = (uint8_t)FIELD_GET(LR_PRIO, v),
		.state = (uint8_t)FIELD_GET(LR_STATE, v),
		.hw = (v & LR_HW) != 0,
		.group1 = (v & LR_GROUP) != 0,
		.eoi_maint = false,
		.src = 0,
	};

	if (lr.hw) {
		lr.pintid = (uint32_t)FIELD_GET(LR_PINTID, v);
	} else {
		lr.eoi_maint = (v & LR_EOI) != 0;
	}
	return lr;
}

