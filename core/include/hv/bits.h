/* SPDX-License-Identifier: MIT */
/*
 * Mask and shift accessors for hardware register fields. We never use C
 * bitfields for registers: their layout is implementation-defined.
 */
#ifndef HV_BITS_H
#define HV_BITS_H

#include <stdint.h>

/** Bit n set. */
#define BIT(n) (1ULL << (n))

/** Mask of bits hi..lo inclusive (hi >= lo, both < 64). */
#define BITS(hi, lo) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

/** Extract the field selected by a contiguous nonzero mask. */
#define FIELD_GET(mask, v) \
	(((uint64_t)(v) & (uint64_t)(mask)) >> __builtin_ctzll(mask))

/** Place a value into the field selected by a contiguous nonzero mask. */
#define FIELD_PREP(mask, v) \
	(((uint64_t)(v) << __builtin_ctzll(mask)) & (uint64_t)(mask))

static inline uint64_t align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

static inline uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

#endif /* HV_BITS_H */
