/* SPDX-License-Identifier: MIT */
/*
 * Runs every registered host unit test and prints one line per test plus
 * a closing `N passed, M failed` line. Exit status is non-zero on failure.
 * An optional argument selects tests whose "suite.name" contains it.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

extern const struct harness_test __start_harness_tests[];
extern const struct harness_test __stop_harness_tests[];

static const char *harness_current;

void harness_report(const char *file, int line, const char *what)
{
	printf("  %s:%d: %s: check failed: %s\n", file, line, harness_current,
	       what);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	char full[160];

	for (const struct harness_test *t = __start_harness_tests;
	     t < __stop_harness_tests; t++) {
		int bad = 0;

		snprintf(full, sizeof(full), "%s.%s", t->suite, t->name);
		if (argc > 1 && strstr(full, argv[1]) == NULL) {
			continue;
		}
		harness_current = full;
		t->fn(&bad);
		printf("%s host.%s\n", bad ? "FAIL" : "PASS", full);
		if (bad) {
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
