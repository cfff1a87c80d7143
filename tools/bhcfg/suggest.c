/* SPDX-License-Identifier: MIT */
/* The nearest known name to a misspelt one: see suggest.h. */
#include <string.h>

#include "suggest.h"

/* Longest name compared; longer ones are never suggested for. */
#define BH_SUGGEST_MAX 64

/* Optimal string alignment distance between a[0..la) and b[0..lb). */
static size_t bh_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d[BH_SUGGEST_MAX + 1][BH_SUGGEST_MAX + 1];

	for (size_t i = 0; i <= la; i++) {
		d[i][0] = i;
	}
	for (size_t j = 0; j <= lb; j++) {
		d[0][j] = j;
	}
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best) {
				best = d[i - 1][j] + 1;
			}
			if (d[i][j - 1] + 1 < best) {
				best = d[i][j - 1] + 1;
			}
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best) {
				best = d[i - 2][j - 2] + 1;
			}
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *bh_suggest(const char *name, size_t len, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = 0, limit = len / 3;

	if (len == 0 || len > BH_SUGGEST_MAX) {
		return NULL;
	}
	limit = limit < 1 ? 1 : limit > 3 ? 3 : limit;
	for (int i = 0; known != NULL && known[i] != NULL; i++) {
		size_t lk = strlen(known[i]);
		size_t d;

		if (lk > BH_SUGGEST_MAX) {
			continue;
		}
		d = bh_distance(name, len, known[i], lk);
		if (d <= limit && (best == NULL || d < best_d)) {
			best = known[i];
			best_d = d;
		}
	}
	return best;
}
