// SPDX-License-Identifier: MIT
/*
 * bhtool: a small static arm64 Linux program shipped in the Linux
 * partition's initramfs (payloads/linux/linux.mk), for what busybox cannot
 * do from a shell.
 *
 *   bhtool counter   print the generic timer's virtual count and frequency
 *                    and their quotient: seconds since the board powered on
 *                    (Bulkhead and QEMU both leave CNTVOFF at 0), the clock
 *                    the Linux boot-time benchmark reads at the shell marker.
 *
 * EL0 may read CNTVCT_EL0 and CNTFRQ_EL0 because Linux sets
 * CNTKCTL_EL1.EL0VCTEN for its vDSO (Arm ARM D11.2.2).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static uint64_t read_cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t read_cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static int usage(void)
{
	fputs("usage: bhtool counter\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "counter") == 0) {
		uint64_t cnt = read_cntvct();
		uint64_t frq = read_cntfrq();

		if (frq == 0) {
			fputs("bhtool: CNTFRQ_EL0 is 0\n", stderr);
			return 1;
		}
		printf("counter %" PRIu64 " at %" PRIu64 " Hz = %" PRIu64
		       ".%06" PRIu64 " s\n",
		       cnt, frq, cnt / frq, (cnt % frq) * 1000000 / frq);
		return 0;
	}
	return usage();
}
