/* SPDX-License-Identifier: MIT */
/*
 * Console output rings (core/outring.c) against a slow fake UART: a
 * transmitter that takes one byte every so many ticks. Whole lines in,
 * bytes out in order; a flood is held to its budget and what is over it
 * dropped whole and counted; a quiet partition's lines all pass.
 */
#include <string.h>

#include "harness.h"
#include "hv/outring.h"

#define HZ 1000000u /* ticks per second of the fake clock */

/* A fake UART sending one byte per @per ticks; collects what it sent. */
struct slow_uart {
	uint64_t per;
	uint64_t next;
	char out[1 << 16];
	size_t len;
};

/* Let the UART take what it can from @r until tick @now. */
static void uart_run(struct slow_uart *u, struct outring *r, uint64_t now)
{
	while (u->next <= now) {
		int c = outring_get(r);

		if (c < 0) {
			u->next = now + 1;
			return;
		}
		if (u->len < sizeof(u->out)) {
			u->out[u->len++] = (char)c;
		}
		u->next += u->per;
	}
}

static struct outring ring;
static char ring_buf[4096];
#define OUTRING_SIZE sizeof(ring_buf)
static struct slow_uart uart;

TEST(outring, lines_out_whole_and_in_order)
{
	char line[32];
	size_t want = 0;

	outring_init(&ring, ring_buf, sizeof(ring_buf), OUTRING_NO_BUDGET, 0);
	memset(&uart, 0, sizeof(uart));
	uart.per = 87; /* 115200 baud: 87 us a byte */
	for (int i = 0; i < 100; i++) {
		size_t n = (size_t)snprintf(line, sizeof(line), "line %d\r\n", i);

		/* One line every 2 ms: the UART keeps up. */
		EXPECT_TRUE(outring_put(&ring, line, n, (uint64_t)i * 2000, HZ));
		want += n;
		uart_run(&uart, &ring, (uint64_t)i * 2000 + 1999);
	}
	uart_run(&uart, &ring, 10 * HZ);
	EXPECT_EQ(uart.len, want);
	EXPECT_TRUE(memcmp(uart.out, "line 0\r\nline 1\r\n", 16) == 0);
	EXPECT_TRUE(memcmp(uart.out + want - 9, "line 99\r\n", 9) == 0);
	EXPECT_EQ(ring.dropped, 0u);
}

TEST(outring, full_ring_drops_whole_lines_and_counts)
{
	char line[100];
	uint64_t put = 0, dropped = 0;

	outring_init(&ring, ring_buf, sizeof(ring_buf), OUTRING_NO_BUDGET, 0);
	memset(&uart, 0, sizeof(uart));
	uart.per = 87;
	memset(line, 'x', sizeof(line));
	line[98] = '\r';
	line[99] = '\n';
	/* 100 lines at once: far faster than the UART. */
	for (int i = 0; i < 100; i++) {
		if (outring_put(&ring, line, sizeof(line), 0, HZ)) {
			put += sizeof(line);
		} else {
			dropped += sizeof(line);
		}
	}
	EXPECT_EQ(put, (OUTRING_SIZE / 100) * 100u);
	EXPECT_EQ(ring.dropped, dropped);
	EXPECT_EQ(ring.unreported, dropped);
	uart_run(&uart, &ring, 10 * HZ);
	EXPECT_EQ(uart.len, put);
	/* Every line that went out is whole. */
	for (size_t i = 0; i < uart.len; i += 100) {
		EXPECT_EQ(uart.out[i + 99], '\n');
	}
}

TEST(outring, budget_holds_a_flood_to_its_rate)
{
	char line[64];
	uint64_t put = 0;

	/* 1000 bytes/s, burst 500; a UART fast enough for anything. */
	outring_init(&ring, ring_buf, sizeof(ring_buf), 1000, 500);
	memset(&uart, 0, sizeof(uart));
	uart.per = 1;
	memset(line, 'y', sizeof(line));
	line[63] = '\n';
	/* A line every 1 ms for 10 s: 64 kB/s asked for. */
	for (uint64_t t = 0; t < 10 * HZ; t += 1000) {
		put += outring_put(&ring, line, sizeof(line), t, HZ)
			       ? sizeof(line)
			       : 0;
		uart_run(&uart, &ring, t + 999);
	}
	/* The burst plus 1000 bytes a second, to within a line. */
	EXPECT_TRUE(put <= 500 + 10 * 1000);
	EXPECT_TRUE(put + 64 >= 10 * 1000);
	EXPECT_EQ(ring.dropped, 10000u * 64u - put);
	EXPECT_EQ(uart.len, put);
	/* Quiet for a second: the burst is back. */
	EXPECT_TRUE(outring_put(&ring, line, sizeof(line), 11 * HZ, HZ));
}

TEST(outring, wraps_around)
{
	char line[7] = "abcdef\n";

	outring_init(&ring, ring_buf, sizeof(ring_buf), OUTRING_NO_BUDGET, 0);
	for (int i = 0; i < 5000; i++) {
		ASSERT_TRUE(outring_put(&ring, line, sizeof(line), 0, HZ));
		for (size_t k = 0; k < sizeof(line); k++) {
			EXPECT_EQ(outring_get(&ring), line[k]);
		}
	}
	EXPECT_EQ(outring_get(&ring), -1);
	EXPECT_EQ(outring_used(&ring), 0u);
}

TEST(outring, ratelimit_burst_then_one_per_period)
{
	struct ratelimit l;
	uint32_t missed = 99, passed = 0;

	ratelimit_init(&l, 4);
	/* 100 lines at once: the burst of 4 passes. */
	for (int i = 0; i < 100; i++) {
		passed += ratelimit_take(&l, 1000, 500, 4, &missed);
	}
	EXPECT_EQ(passed, 4u);
	EXPECT_EQ(missed, 0u);
	/* One period later one more passes, and says 96 were refused. */
	EXPECT_TRUE(ratelimit_take(&l, 1500, 500, 4, &missed));
	EXPECT_EQ(missed, 96u);
	EXPECT_TRUE(!ratelimit_take(&l, 1600, 500, 4, &missed));
	/* A long quiet time gives the burst back, no more. */
	passed = 0;
	for (int i = 0; i < 10; i++) {
		passed += ratelimit_take(&l, 1000000, 500, 4, &missed);
	}
	EXPECT_EQ(passed, 4u);
}

TEST(outring, peek_leaves_the_byte_and_charge_counts_what_is_over)
{
	static char buf[64];
	struct outring r;

	outring_init(&r, buf, sizeof(buf), 100, 10);
	EXPECT_EQ(outring_peek(&r), -1);
	ASSERT_TRUE(outring_put_free(&r, "\x02x", 2));
	EXPECT_EQ(outring_peek(&r), 0x02);
	EXPECT_EQ(outring_peek(&r), 0x02);
	EXPECT_EQ(outring_get(&r), 0x02);
	EXPECT_EQ(outring_peek(&r), 'x');
	/* The budget counts only what is charged: 10 bytes at once. */
	EXPECT_TRUE(outring_charge(&r, 6, 0, HZ));
	EXPECT_TRUE(!outring_charge(&r, 6, 0, HZ));
	EXPECT_EQ(r.dropped, 6);
	EXPECT_TRUE(outring_charge(&r, 4, 0, HZ));
	/* A tenth of a second later, 10 more bytes' credit at 100 bytes/s. */
	EXPECT_TRUE(outring_charge(&r, 10, HZ / 10, HZ));
}
