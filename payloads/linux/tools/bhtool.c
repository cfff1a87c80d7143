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
 * Channels (chan.c, docs/channels.md):
 *
 *   bhtool chan NAME info            where the channel is, access, lines
 *   bhtool chan NAME read OFF [LEN]  print LEN bytes (default 64) at OFF as
 *                                    64-bit hex words
 *   bhtool chan NAME write OFF TEXT  store TEXT (NUL-terminated) at OFF
 *   bhtool chan NAME ring            ring the peer's doorbell
 *   bhtool chan NAME wait [MS]       wait for the peer's doorbell (default
 *                                    forever); exit 1 on timeout
 *
 * The Keel demo's channels (payloads/keel/demo_chan.h):
 *
 *   bhtool stats [N]   wait for N (default 1) statistics reports Keel
 *                      publishes on "stats" and print each
 *   bhtool cmd TEXT    send a command to Keel on "control" ("reset",
 *                      "report-ms=N") and wait until Keel reports it done
 *
 * Partition health (health.c, docs/lifecycle.md):
 *
 *   bhtool health   print the hypervisor's counters of every partition
 *                   this one may monitor (its `monitor` property)
 *   bhtool ticker   print "ticker N up S" every second, and "ticker: GAP"
 *                   if two turns are more than 3 s apart
 *
 * EL0 may read CNTVCT_EL0 and CNTFRQ_EL0 because Linux sets
 * CNTKCTL_EL1.EL0VCTEN for its vDSO (Arm ARM D11.2.2).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"
#include "demo_chan.h"
#include "health.h"

/* Doorbells Keel rings at each report; a few seconds covers any period. */
#define STATS_WAIT_MS 10000

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
	fputs("usage: bhtool counter\n"
	      "       bhtool chan NAME info|read OFF [LEN]|write OFF TEXT|ring|wait [MS]\n"
	      "       bhtool stats [N]\n"
	      "       bhtool cmd TEXT\n"
	      "       bhtool health | ticker\n",
	      stderr);
	return 2;
}

static int chan_read_cmd(const struct chan *c, uint64_t off, uint64_t len)
{
	if (off % 8 != 0 || off > c->size || len > c->size - off) {
		fprintf(stderr, "bhtool: offset must be 8-byte aligned and "
			"the range inside 0x%" PRIx64 " bytes\n", c->size);
		return 2;
	}
	for (uint64_t o = off; o < off + len; o += 8) {
		printf("%s0x%016" PRIx64, (o - off) % 32 == 0 ? "" : " ",
		       chan_load(c, o));
		if ((o - off) % 32 == 24 || o + 8 >= off + len) {
			putchar('\n');
		}
	}
	return 0;
}

static int chan_cmd(int argc, char **argv)
{
	struct chan c;
	const char *op = argc > 3 ? argv[3] : "info";
	uint64_t off = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
	int fd, rc;

	if (argc < 3 || !chan_find(argv[2], &c)) {
		return argc < 3 ? usage() : 1;
	}
	if (strcmp(op, "info") == 0) {
		printf("channel %s: 0x%" PRIx64 "+0x%" PRIx64 " %s, peer %s, "
		       "doorbell lines out %u in %u\n", c.name, c.base, c.size,
		       c.writable ? "read-write" : "read-only", c.peer,
		       c.line_out, c.line_in);
		return 0;
	}
	if (strcmp(op, "ring") == 0) {
		return chan_ring(&c) ? 0 : 1;
	}
	if (strcmp(op, "wait") == 0) {
		fd = chan_listen(&c);
		rc = fd < 0 ? -1 : chan_wait(fd, argc > 4 ? (int)off : -1);
		printf("channel %s: %s\n", c.name,
		       rc > 0 ? "doorbell" : rc == 0 ? "timeout" : "error");
		return rc > 0 ? 0 : 1;
	}
	if (strcmp(op, "read") == 0 && argc >= 5 && chan_map(&c, false)) {
		return chan_read_cmd(&c, off,
				     argc > 5 ? strtoull(argv[5], NULL, 0) : 64);
	}
	if (strcmp(op, "write") == 0 && argc == 6 && chan_map(&c, true)) {
		if (!chan_store_string(&c, off, argv[5])) {
			printf("channel %s: write at 0x%" PRIx64 " refused "
			       "(SIGBUS: the hypervisor aborted it)\n",
			       c.name, off);
			return 1;
		}
		printf("channel %s: wrote %zu bytes at 0x%" PRIx64 "\n",
		       c.name, strlen(argv[5]) + 1, off);
		return 0;
	}
	return usage();
}

/* Reads one consistent statistics record; false if there is none. */
static bool stats_read(const struct chan *c, uint64_t v[12])
{
	for (int tries = 0; tries < 100; tries++) {
		uint64_t seq = chan_load(c, STATS_OFF_SEQ);

		for (int i = 0; i < 12; i++) {
			v[i] = chan_load(c, 8 * (uint64_t)i);
		}
		if (v[0] == STATS_MAGIC && seq % 2 == 0 && seq != 0 &&
		    chan_load(c, STATS_OFF_SEQ) == seq) {
			return true;
		}
		usleep(1000);
	}
	return false;
}

/* One line, short enough for a console line with a prefix (160 bytes). */
static void stats_print(const uint64_t v[12])
{
	printf("keel #%" PRIu64 " t=%" PRIu64 ".%03" PRIu64 "s rel=%" PRIu64
	       " miss=%" PRIu64 " jitter(ns) min=%" PRIu64 " avg=%" PRIu64
	       " max=%" PRIu64 " win max=%" PRIu64 " miss=%" PRIu64
	       " period=%" PRIu64 "ms cmd=%" PRIu64 "\n",
	       v[STATS_OFF_SEQ / 8] / 2, v[STATS_OFF_T_MS / 8] / 1000,
	       v[STATS_OFF_T_MS / 8] % 1000, v[STATS_OFF_RELEASES / 8],
	       v[STATS_OFF_MISSED / 8], v[STATS_OFF_MIN_NS / 8],
	       v[STATS_OFF_AVG_NS / 8], v[STATS_OFF_MAX_NS / 8],
	       v[STATS_OFF_WIN_MAX_NS / 8], v[STATS_OFF_WIN_MISSED / 8],
	       v[STATS_OFF_REPORT_MS / 8], v[STATS_OFF_CMD_SEQ / 8]);
	fflush(stdout);
}

/*
 * Waits for Keel's doorbells on "stats" and prints the record after each,
 * @count times; with @cmd_seq != 0, until a record reports that command.
 */
static int stats_follow(long count, uint64_t cmd_seq)
{
	struct chan c;
	uint64_t v[12];
	int fd;

	if (!chan_find("stats", &c) || !chan_map(&c, false)) {
		return 1;
	}
	fd = chan_listen(&c);
	if (fd < 0) {
		return 1;
	}
	for (long n = 0; n < count || cmd_seq != 0;) {
		if (chan_wait(fd, STATS_WAIT_MS) <= 0) {
			fprintf(stderr, "bhtool: no doorbell from keel on "
				"\"stats\" for %d ms\n", STATS_WAIT_MS);
			return 1;
		}
		if (!stats_read(&c, v)) {
			continue; /* a doorbell before the first record */
		}
		stats_print(v);
		n++;
		if (cmd_seq != 0 && v[STATS_OFF_CMD_SEQ / 8] >= cmd_seq) {
			printf("keel acted on command %" PRIu64 "\n", cmd_seq);
			return 0;
		}
	}
	return 0;
}

/* Writes command @text into "control" and rings Keel. */
static int cmd_send(const char *text)
{
	struct chan c;
	uint64_t seq;

	if (strlen(text) >= CTRL_TEXT_MAX) {
		fprintf(stderr, "bhtool: command longer than %d bytes\n",
			CTRL_TEXT_MAX - 1);
		return 2;
	}
	if (!chan_find("control", &c) || !chan_map(&c, true)) {
		return 1;
	}
	seq = chan_load(&c, CTRL_OFF_MAGIC) == CTRL_MAGIC
		      ? chan_load(&c, CTRL_OFF_SEQ) + 1
		      : 1;
	if (!chan_store_string(&c, CTRL_OFF_TEXT, text) ||
	    !chan_store(&c, CTRL_OFF_MAGIC, CTRL_MAGIC) ||
	    !chan_store(&c, CTRL_OFF_SEQ, seq) || !chan_ring(&c)) {
		fprintf(stderr, "bhtool: cannot send the command\n");
		return 1;
	}
	printf("sent command %" PRIu64 " to keel: %s\n", seq, text);
	fflush(stdout);
	return stats_follow(0, seq);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "chan") == 0) {
		return chan_cmd(argc, argv);
	}
	if (argc >= 2 && argc <= 3 && strcmp(argv[1], "stats") == 0) {
		return stats_follow(argc == 3 ? strtol(argv[2], NULL, 0) : 1,
				    0);
	}
	if (argc == 3 && strcmp(argv[1], "cmd") == 0) {
		return cmd_send(argv[2]);
	}
	if (argc == 2 && strcmp(argv[1], "health") == 0) {
		return health_cmd();
	}
	if (argc == 2 && strcmp(argv[1], "ticker") == 0) {
		ticker_cmd();
	}
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
