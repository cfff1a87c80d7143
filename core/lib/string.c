/* SPDX-License-Identifier: MIT */
/*
 * memcpy and friends for the freestanding hypervisor (GCC may emit calls to
 * them for struct copies). memcpy moves 8 bytes at a time when both sides
 * are aligned: it copies whole guest images.
 */
#include <stdint.h>

#include "hv/string.h"

/** Copy @n bytes; the areas must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		uint64_t *d8 = (uint64_t *)(void *)d;
		const uint64_t *s8 = (const uint64_t *)(const void *)s;

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
