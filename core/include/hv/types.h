/* SPDX-License-Identifier: MIT */
/*
 * Sizes, alignment and address-range helpers.
 *
 * Addresses are plain uint64_t. Typed address structs (paddr_t, ipa_t)
 * were defined here once and used nowhere: every address crosses its
 * boundaries inside the configuration tables bhcfg generates
 * (struct hv_partition_cfg: ram_pa, chans[].pa and .ipa, ...), whose
 * field names say which space they are in, so wrappers on a few
 * function arguments would have been decoration. If a boundary that
 * takes a bare address pair appears, typed addresses come back with it.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

static inline bool is_aligned(uint64_t x, uint64_t align)
{
	return (x & (align - 1)) == 0;
}

/** True if [a, a + as) and [b, b + bs) share a byte; sizes may be 0. */
static inline bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b,
				  uint64_t bs)
{
	return as != 0 && bs != 0 && a < b + bs && b < a + as;
}

/** True if [inner, inner + is) lies within [outer, outer + os). */
static inline bool range_within(uint64_t inner, uint64_t is, uint64_t outer,
				uint64_t os)
{
	return inner >= outer && is <= os && inner - outer <= os - is;
}

/** True if base + size wraps around the 64-bit address space. */
static inline bool range_wraps(uint64_t base, uint64_t size)
{
	return size != 0 && base + size - 1 < base;
}

#endif /* HV_TYPES_H */
