/* SPDX-License-Identifier: MIT */
/* Host unit tests: ESR decoding, the virtual PL011, the log formatter. */
#include "hv/log.h"
#include <stdlib.h>
#include <string.h>

#include "hv/vpl011.h"

#include "arch/esr.h"

#include "harness.h"

TEST(esr, data_abort_fields)
{
	/* STR w1, [x0] to an unmapped IPA: EC 0x24, IL, ISV, SAS=2 (word),
	 * SRT=1, WnR, DFSC = translation fault level 3. */
	uint64_t esr = (0x24ULL << 26) | ESR_IL | ESR_DABT_ISV | (2ULL << 22) |
		       (1ULL << 16) | ESR_DABT_WNR | 0x07;

	EXPECT_EQ(esr_ec(esr), ESR_EC_DABT_LOW);
	EXPECT_TRUE(esr_il32(esr));
	EXPECT_TRUE(esr_dabt_isv(esr));
	EXPECT_EQ(esr_dabt_size(esr), 4);
	EXPECT_EQ(esr_dabt_srt(esr), 1);
	EXPECT_TRUE(esr_dabt_write(esr));
	EXPECT_TRUE(!esr_dabt_sse(esr));
	EXPECT_TRUE(esr_fsc_is_s2_kind(esr));
	EXPECT_TRUE(!esr_dabt_s1ptw(esr));
}

TEST(esr, fault_kinds)
{
	EXPECT_TRUE(esr_fsc_is_s2_kind(0x04)); /* translation, level 0 */
	EXPECT_TRUE(esr_fsc_is_s2_kind(0x0b)); /* access flag, level 3 */
	EXPECT_TRUE(esr_fsc_is_s2_kind(0x0f)); /* permission, level 3 */
	EXPECT_TRUE(!esr_fsc_is_s2_kind(0x10)); /* external abort */
	EXPECT_TRUE(!esr_fsc_is_s2_kind(0x21)); /* alignment */
	EXPECT_EQ(esr_dabt_size(3ULL << 22), 8);
	EXPECT_EQ(esr_dabt_size(0), 1);
}

TEST(esr, fault_ipa_from_hpfar)
{
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]. */
	EXPECT_EQ(esr_fault_ipa(0x44801ULL << 4, 0xffff000012345abcULL),
		  0x44801abcULL);
	EXPECT_EQ(esr_fault_ipa(0xfffffffffULL << 4, 0), 0xfffffffff000ULL);
}

static uint64_t rd(struct vpl011 *u, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	if (vpl011_read(u, off, size, &v) != VPL011_OK) {
		return ~0ULL;
	}
	return v;
}

TEST(vpl011, id_registers_match_a_pl011)
{
	struct vpl011 u = { 0 };

	vpl011_reset(&u);
	/* PrimeCell ID 0xb105f00d and peripheral ID 0x00141011 (part 0x011,
	 * designer 0x41 Arm): what Linux's AMBA bus matches on. */
	EXPECT_EQ(rd(&u, 0xfe0, 4), 0x11);
	EXPECT_EQ(rd(&u, 0xfe4, 4), 0x10);
	EXPECT_EQ(rd(&u, 0xfe8, 4), 0x14);
	EXPECT_EQ(rd(&u, 0xfec, 4), 0x00);
	EXPECT_EQ(rd(&u, 0xff0, 4), 0x0d);
	EXPECT_EQ(rd(&u, 0xff4, 4), 0xf0);
	EXPECT_EQ(rd(&u, 0xff8, 4), 0x05);
	EXPECT_EQ(rd(&u, 0xffc, 4), 0xb1);
	EXPECT_EQ(rd(&u, 0x018, 4), 0x90); /* TXFE | RXFE */
	EXPECT_EQ(rd(&u, 0x030, 4), 0x301);
	EXPECT_EQ(rd(&u, 0x800, 4), 0); /* reserved: RAZ */
}

/* The light exit's lock-free read answers exactly what the locked read
 * would, for every register, width and FIFO level, changes nothing, and
 * declines UARTDR (whose read pops the FIFO) and refused accesses. */
TEST(vpl011, read_nolock_matches_read_and_changes_nothing)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	struct vpl011 u = { 0 };

	for (unsigned fill = 0; fill <= VPL011_RX_FIFO;
	     fill += VPL011_RX_FIFO / 2) {
		vpl011_reset(&u);
		for (unsigned i = 0; i < fill; i++) {
			ASSERT_TRUE(vpl011_rx_push(&u, (uint8_t)('a' + i % 26)));
		}
		for (uint64_t off = 0; off < 0x1004; off++) {
			for (unsigned k = 0; k < 4; k++) {
				struct vpl011 before = u;
				uint64_t fast = 0x5a5a, slow = 0xa5a5;
				bool ok = vpl011_read_nolock(&u, off, sizes[k],
							     &fast);

				EXPECT_TRUE(memcmp(&before, &u, sizeof(u)) == 0);
				if ((off & ~3ULL) == 0) {
					EXPECT_TRUE(!ok); /* UARTDR */
					continue;
				}
				if (!ok) {
					EXPECT_TRUE(vpl011_read(&u, off, sizes[k],
								&slow) !=
						    VPL011_OK);
					continue;
				}
				ASSERT_TRUE(vpl011_read(&u, off, sizes[k],
							&slow) == VPL011_OK);
				EXPECT_EQ(fast, slow);
			}
		}
		/* The FIFO is what it was: nothing popped. */
		EXPECT_EQ(u.rx_count, fill);
	}
}

TEST(vpl011, line_buffering_and_sanitising)
{
	struct vpl011 u = { 0 };
	char out[VPL011_LINE_MAX];
	size_t len = 99;
	const char *msg = "hi\x1b[2J\r\n";

	vpl011_reset(&u);
	for (const char *p = msg; *p; p++) {
		ASSERT_EQ(vpl011_write(&u, 0, 1, (uint8_t)*p, out, &len),
			  VPL011_OK);
		if (*p != '\n') {
			EXPECT_EQ(len, 0);
		}
	}
	EXPECT_EQ(len, 7);
	EXPECT_STREQ(out, "hi.[2J");
	/* An over-long line is cut into full buffers. */
	for (int i = 0; i < VPL011_LINE_MAX - 2; i++) {
		ASSERT_EQ(vpl011_write(&u, 0, 4, 'x', out, &len), VPL011_OK);
		EXPECT_EQ(len, 0);
	}
	ASSERT_EQ(vpl011_write(&u, 0, 4, 'y', out, &len), VPL011_OK);
	EXPECT_EQ(len, VPL011_LINE_MAX);
	EXPECT_EQ(strlen(out), VPL011_LINE_MAX - 1);
}

TEST(vpl011, widths_and_sub_word_writes)
{
	struct vpl011 u = { 0 };
	char out[VPL011_LINE_MAX];
	size_t len;

	vpl011_reset(&u);
	EXPECT_EQ(vpl011_write(&u, 0x030, 8, 0, out, &len), VPL011_BAD_ACCESS);
	EXPECT_EQ(vpl011_write(&u, 0x031, 2, 0, out, &len), VPL011_BAD_ACCESS);
	EXPECT_EQ(vpl011_write(&u, 0x1000, 4, 0, out, &len),
		  VPL011_BAD_ACCESS);
	EXPECT_EQ(rd(&u, 0x018, 8), ~0ULL);
	/* A byte write to CR's upper byte keeps the lower one. */
	ASSERT_EQ(vpl011_write(&u, 0x031, 1, 0x00, out, &len), VPL011_OK);
	EXPECT_EQ(rd(&u, 0x030, 4), 0x001);
	EXPECT_EQ(rd(&u, 0x030, 2), 0x001);
	ASSERT_EQ(vpl011_write(&u, 0x030, 2, 0xffff, out, &len), VPL011_OK);
	EXPECT_EQ(rd(&u, 0x030, 4), 0xff87);
	EXPECT_EQ(rd(&u, 0x031, 1), 0xff);
}

TEST(vpl011, tx_interrupt_level)
{
	struct vpl011 u = { 0 };
	char out[VPL011_LINE_MAX];
	size_t len;

	vpl011_reset(&u);
	EXPECT_TRUE(!vpl011_irq_level(&u));
	ASSERT_EQ(vpl011_write(&u, 0x038, 4, 1u << 5, out, &len), VPL011_OK);
	ASSERT_EQ(vpl011_write(&u, 0, 4, 'a', out, &len), VPL011_OK);
	EXPECT_TRUE(vpl011_irq_level(&u));
	EXPECT_EQ(rd(&u, 0x040, 4), 1u << 5);
	ASSERT_EQ(vpl011_write(&u, 0x044, 4, 1u << 5, out, &len), VPL011_OK);
	EXPECT_TRUE(!vpl011_irq_level(&u));
}

TEST(fmt, conversions)
{
	char b[64];

	fmt_snprintf(b, sizeof(b), "%d %u %x %lx %s %c", -5, 7u, 0xabu,
		     0x1234567890UL, "ok", 'z');
	EXPECT_STREQ(b, "-5 7 ab 1234567890 ok z");
	fmt_snprintf(b, sizeof(b), "[%016lx] [%-3u] [%3d] [%-4s]", 0x2aUL,
		     1u, 7, "ab");
	EXPECT_STREQ(b, "[000000000000002a] [1  ] [  7] [ab  ]");
	EXPECT_EQ(fmt_snprintf(b, 4, "%s", "abcdef"), 6);
	EXPECT_STREQ(b, "abc");
}

TEST(vpl011, receive_fifo_and_interrupt)
{
	struct vpl011 u = { 0 };
	char out[VPL011_LINE_MAX];
	size_t len;

	vpl011_reset(&u);
	EXPECT_EQ(rd(&u, 0x018, 4) & 0x10, 0x10); /* RXFE */
	ASSERT_EQ(vpl011_write(&u, 0x038, 4, (1u << 4) | (1u << 6), out, &len),
		  VPL011_OK);
	EXPECT_TRUE(!vpl011_irq_level(&u));
	EXPECT_TRUE(vpl011_rx_push(&u, 'a'));
	EXPECT_TRUE(vpl011_rx_push(&u, 'b'));
	EXPECT_TRUE(vpl011_irq_level(&u));
	EXPECT_EQ(rd(&u, 0x018, 4) & 0x10, 0);
	EXPECT_EQ(rd(&u, 0x040, 4), (1u << 4) | (1u << 6));
	EXPECT_EQ(rd(&u, 0x000, 4), 'a');
	EXPECT_EQ(rd(&u, 0x000, 1), 'b');
	EXPECT_EQ(rd(&u, 0x018, 4) & 0x10, 0x10);
	EXPECT_TRUE(!vpl011_irq_level(&u));
	/* A full FIFO drops and counts, and says RXFF. */
	for (int i = 0; i < VPL011_RX_FIFO; i++) {
		EXPECT_TRUE(vpl011_rx_push(&u, (uint8_t)i));
	}
	EXPECT_TRUE(!vpl011_rx_push(&u, 'x'));
	EXPECT_EQ(u.rx_dropped, 1);
	EXPECT_EQ(rd(&u, 0x018, 4) & 0x40, 0x40);
	EXPECT_EQ(rd(&u, 0x000, 4), 0);
}

/* Write @s to UARTDR byte by byte; append what was handed over to @got. */
static void send_str(struct vpl011 *u, const char *s, char *got, size_t *glen)
{
	char out[VPL011_OUT_MAX];
	size_t len;

	for (; *s; s++) {
		if (vpl011_write(u, 0, 1, (uint8_t)*s, out, &len) !=
		    VPL011_OK) {
			abort();
		}
		if (u->direct) {
			memcpy(got + *glen, out, len);
			*glen += len;
		} else if (len != 0) {
			memcpy(got + *glen, out, len - 1);
			*glen += len - 1;
			got[(*glen)++] = '|'; /* end of a line */
		}
		got[*glen] = '\0';
	}
}

TEST(vpl011, direct_mode_sends_bytes_at_once_tagged_per_line)
{
	struct vpl011 u = { 0 };
	char out[VPL011_OUT_MAX], got[1024];
	size_t glen = 0, n;

	vpl011_set_tag(&u, "linux");
	vpl011_reset(&u);
	/* Line mode: a prompt waits for its line; escapes become '.'. */
	send_str(&u, "boot\r\n# \x1b[6n", got, &glen);
	EXPECT_STREQ(got, "boot|");
	/* Focus: the partial line goes out at once, tagged. */
	n = vpl011_set_direct(&u, true, out);
	out[n] = '\0';
	EXPECT_STREQ(out, "[linux] # .[6n");
	/* Then every byte at once: echo, backspace editing, the cursor
	 * query intact, one tag per line and none inside an escape. */
	glen = 0;
	send_str(&u, "ls\b \bx\r\n\x1b[6n$ \r\n\r\n\x1b[1mbold\x1b[0m\r\n", got,
		 &glen);
	EXPECT_STREQ(got, "ls\b \bx\r\n\x1b[6n[linux] $ \r\n\r\n"
			  "\x1b[1m[linux] bold\x1b[0m\r\n");
	/* A redraw from column 0 ("\r" then text) is tagged again. */
	glen = 0;
	send_str(&u, "ab\rcd", got, &glen);
	EXPECT_STREQ(got, "[linux] ab\r[linux] cd");
	/* A line the console broke is tagged again by the console (log.c),
	 * not here: the bytes may already wait in the ring. */
	glen = 0;
	send_str(&u, "e", got, &glen);
	EXPECT_STREQ(got, "e");
	/* Focus gone: back to lines, sanitised. */
	n = vpl011_set_direct(&u, false, out);
	EXPECT_EQ(n, 0);
	glen = 0;
	send_str(&u, "f\x1b[Kg\n", got, &glen);
	EXPECT_STREQ(got, "f.[Kg|");
	/* The mode survives a reset of the UART (partition restart). */
	u.direct = true;
	vpl011_reset(&u);
	EXPECT_TRUE(u.direct);
	EXPECT_STREQ(u.tag, "[linux] ");
}

TEST(vpl011, direct_mode_adds_cr_only_for_a_guest_that_sends_none)
{
	struct vpl011 u = { 0 };
	char out[VPL011_OUT_MAX], got[256];
	size_t glen = 0;

	vpl011_set_tag(&u, "keel");
	vpl011_reset(&u);
	(void)vpl011_set_direct(&u, true, out);
	send_str(&u, "a\nb\n", got, &glen);
	EXPECT_STREQ(got, "[keel] a\r\n[keel] b\r\n");
	/* Once a guest sends "\r\n", a bare "\n" is its own (cursor down). */
	glen = 0;
	send_str(&u, "c\r\nd\ne", got, &glen);
	EXPECT_STREQ(got, "[keel] c\r\n[keel] d\n[keel] e");
}
