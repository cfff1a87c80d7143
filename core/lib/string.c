/* SPDX-License-Identifier: MIT */
/*
 * memcpy and friends for the freestanding hypervisor (GCC may emit calls to
 * them for struct copies). memcpy and memset move 32 bytes an iteration
 * when the addresses are 8-byte aligned: memcpy copies whole guest images
 * and memset clears the statistics pages at boot. Only aligned 64-bit
 * accesses: the boot runs with the MMU off, where memory is Device memory
 * and an unaligned access faults (-mstrict-align).
 */
#include <stdint.h>

#include "hv/string.h"

/* A 64-bit word that may alias any object (GCC's may_alias). */
typedef uint64_t __attribute__((may_alias)) word_t;

/** Copy @n bytes; the areas must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		word_t *d8 = (word_t *)(void *)d;
		const word_t *s8 = (const word_t *)(const void *)s;

		for (; n >= 32; n -= 32) {
			word_t a = s8[0], b = s8[1], c = s8[2], e = s8[3];

			d8[0] = a;
			d8[1] = b;
			d8[2] = c;
			d8[3] = e;
			d8 += 4;
			s8 += 4;
		}
		for (; n >= 8; n -= 8) {
			*d8++ = *s8++;
		}
		d = (uint8_t *)d8;
		s = (const uint8_t *)s8;
	}
	while (n-- > 0) {
		*d++ = *s++;
	}
	return dst;
}

/** Copy @n bytes; the areas may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n) {
		while (n-- > 0) {
			*d++ = *s++;
		}
	} else {
		while (n-- > 0) {
			d[n] = s[n];
		}
	}
	return dst;
}

/** Fill @n bytes with @c. */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (((uintptr_t)d & 7) == 0) {
		word_t v = 0x0101010101010101ULL * (uint8_t)c;
		word_t *d8 = (word_t *)(void *)d;

		for (; n >= 32; n -= 32) {
			d8[0] = v;
			d8[1] = v;
			d8[2] = v;
			d8[3] = v;
			d8 += 4;
		}
		for (; n >= 8; n -= 8) {
			*d8++ = v;
		}
		d = (uint8_t *)d8;
	}
	while (n-- > 0) {
		*d++ = (uint8_t)c;
	}
	return dst;
}

/** Compare @n bytes. */
int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] < y[i] ? -1 : 1;
		}
	}
	return 0;
}

/** Length of a NUL-terminated string. */
size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}
