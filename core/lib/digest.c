/* SPDX-License-Identifier: MIT */
/*
 * FNV-1a, 64-bit (Fowler, Noll, Vo; the offset basis and prime of the
 * published 64-bit variant). Pure: tested on the host.
 */
#include "hv/digest.h"

#define FNV1A64_PRIME 0x100000001b3ULL

/**
 * Fold @len bytes at @data into the FNV-1a 64 state @h (start with
 * DIGEST_FNV1A64_INIT) and return the new state.
 */
uint64_t digest_fnv1a64(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV1A64_PRIME;
	}
	return h;
}
