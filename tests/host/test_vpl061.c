/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for core/vpl061.c, the emulated PL061 that carries the
 * channel doorbells: registers, the GPIODATA address mask, interrupt
 * detection per the PL061 TRM (DDI 0190B, 3.3) and access widths.
 */
#include "hv/vpl061.h"

#include "harness.h"

/* A 32-bit read; a refused access reads as 0xdead (no register has it). */
static uint64_t rd(const struct vpl061 *g, uint64_t off)
{
	uint64_t v = 0xdead;

	return vpl061_read(g, off, 4, &v) == VPL061_OK ? v : 0xdead;
}

/* A 32-bit write; a refused one leaves a mark the next rd() cannot. */
static void wr(struct vpl061 *g, uint64_t off, uint64_t v)
{
	if (vpl061_write(g, off, 4, v) != VPL061_OK) {
		g->afsel = 0xee;
	}
}

TEST(vpl061, reset_and_identification)
{
	static const uint8_t ids[8] = { 0x61, 0x10, 0x04, 0x00,
					0x0d, 0xf0, 0x05, 0xb1 };
	struct vpl061 g;

	vpl061_reset(&g, 0);
	for (uint64_t off = GPIODIR; off <= GPIOAFSEL; off += 4) {
		EXPECT_EQ(rd(&g, off), 0);
	}
	for (unsigned i = 0; i < 8; i++) {
		EXPECT_EQ(rd(&g, 0xfe0 + 4 * i), ids[i]);
	}
	EXPECT_EQ(rd(&g, 0x800), 0); /* reserved */
	EXPECT_TRUE(!vpl061_irq_level(&g));
}

TEST(vpl061, data_register_address_mask)
{
	struct vpl061 g;

	vpl061_reset(&g, 0xf0);
	wr(&g, GPIODIR, 0x0f);
	/* Mask 0x03 (offset 0x0c): only lines 0 and 1 change. */
	wr(&g, 0x03 << 2, 0xff);
	EXPECT_EQ(vpl061_outputs(&g), 0x03);
	/* Full mask read: outputs as written, inputs from outside. */
	EXPECT_EQ(rd(&g, 0x3fc), 0xf3);
	/* A read through mask 0x81 returns only those lines. */
	EXPECT_EQ(rd(&g, 0x81 << 2), 0x81);
	/* Mask 0: the write changes nothing. */
	wr(&g, 0, 0);
	EXPECT_EQ(vpl061_outputs(&g), 0x03);
	/* Data written to an input line drives nothing until it is an
	 * output. */
	wr(&g, 0x3fc, 0xff);
	EXPECT_EQ(vpl061_outputs(&g), 0x0f);
	wr(&g, GPIODIR, 0xff);
	EXPECT_EQ(vpl061_outputs(&g), 0xff);
}

TEST(vpl061, rising_edge_latches_until_cleared)
{
	struct vpl061 g;

	vpl061_reset(&g, 0);
	wr(&g, GPIOIEV, 0x02);
	wr(&g, GPIOIE, 0x02);
	vpl061_set_inputs(&g, 0x02);
	EXPECT_EQ(rd(&g, GPIORIS), 0x02);
	EXPECT_EQ(rd(&g, GPIOMIS), 0x02);
	EXPECT_TRUE(vpl061_irq_level(&g));
	/* The line falling does not clear a latched edge. */
	vpl061_set_inputs(&g, 0);
	EXPECT_TRUE(vpl061_irq_level(&g));
	wr(&g, GPIOIC, 0x02);
	EXPECT_EQ(rd(&g, GPIORIS), 0);
	EXPECT_TRUE(!vpl061_irq_level(&g));
	/* A pulse is one edge. */
	vpl061_set_inputs(&g, 0x02);
	vpl061_set_inputs(&g, 0);
	EXPECT_EQ(rd(&g, GPIORIS), 0x02);
}

TEST(vpl061, falling_and_both_edges_and_mask)
{
	struct vpl061 g;

	vpl061_reset(&g, 0x01);
	/* IEV 0: falling edges only. */
	vpl061_set_inputs(&g, 0x01);
	EXPECT_EQ(rd(&g, GPIORIS), 0);
	vpl061_set_inputs(&g, 0);
	EXPECT_EQ(rd(&g, GPIORIS), 0x01);
	/* Masked (IE 0): raw status set, no interrupt. */
	EXPECT_EQ(rd(&g, GPIOMIS), 0);
	EXPECT_TRUE(!vpl061_irq_level(&g));
	wr(&g, GPIOIC, 0xff);
	/* IBE: both edges, whatever IEV says. */
	wr(&g, GPIOIBE, 0x01);
	wr(&g, GPIOIEV, 0x01);
	vpl061_set_inputs(&g, 0x01);
	EXPECT_EQ(rd(&g, GPIORIS), 0x01);
	wr(&g, GPIOIC, 0x01);
	vpl061_set_inputs(&g, 0);
	EXPECT_EQ(rd(&g, GPIORIS), 0x01);
}

TEST(vpl061, level_sensitive_is_live)
{
	struct vpl061 g;

	vpl061_reset(&g, 0);
	wr(&g, GPIOIS, 0x04);
	wr(&g, GPIOIEV, 0x04);
	wr(&g, GPIOIE, 0x04);
	EXPECT_TRUE(!vpl061_irq_level(&g));
	vpl061_set_inputs(&g, 0x04);
	EXPECT_TRUE(vpl061_irq_level(&g));
	/* GPIOIC does not clear a level. */
	wr(&g, GPIOIC, 0x04);
	EXPECT_EQ(rd(&g, GPIORIS), 0x04);
	vpl061_set_inputs(&g, 0);
	EXPECT_TRUE(!vpl061_irq_level(&g));
	/* Low level. */
	wr(&g, GPIOIEV, 0);
	EXPECT_EQ(rd(&g, GPIORIS), 0x04);
}

TEST(vpl061, own_outputs_are_detected_too)
{
	struct vpl061 g;

	vpl061_reset(&g, 0);
	wr(&g, GPIODIR, 0x01);
	wr(&g, GPIOIEV, 0x01);
	wr(&g, 0x01 << 2, 0x01);
	EXPECT_EQ(rd(&g, GPIORIS), 0x01);
	/* An output line ignores its external input. */
	wr(&g, GPIOIC, 0x01);
	vpl061_set_inputs(&g, 0);
	EXPECT_EQ(rd(&g, 0x3fc), 0x01);
}

TEST(vpl061, reset_latches_no_edge)
{
	struct vpl061 g;

	vpl061_reset(&g, 0x02);
	wr(&g, GPIOIEV, 0x02);
	EXPECT_EQ(rd(&g, GPIORIS), 0);
	EXPECT_EQ(rd(&g, 0x3fc), 0x02);
}

TEST(vpl061, access_widths)
{
	struct vpl061 g;
	uint64_t v = 0;

	vpl061_reset(&g, 0);
	EXPECT_EQ(vpl061_read(&g, GPIODIR, 8, &v), VPL061_BAD_ACCESS);
	EXPECT_EQ(vpl061_read(&g, GPIODIR + 2, 4, &v), VPL061_BAD_ACCESS);
	EXPECT_EQ(vpl061_read(&g, 0x1000, 1, &v), VPL061_BAD_ACCESS);
	EXPECT_EQ(vpl061_write(&g, GPIODIR, 3, 1), VPL061_BAD_ACCESS);
	/* Bytes 1-3 of a register: read as zero, writes ignored. */
	EXPECT_EQ(vpl061_write(&g, GPIODIR + 1, 1, 0xff), VPL061_OK);
	EXPECT_EQ(rd(&g, GPIODIR), 0);
	EXPECT_EQ(vpl061_write(&g, GPIODIR, 1, 0x5a), VPL061_OK);
	EXPECT_EQ(vpl061_read(&g, GPIODIR, 1, &v), VPL061_OK);
	EXPECT_EQ(v, 0x5a);
	EXPECT_EQ(vpl061_read(&g, GPIODIR + 1, 1, &v), VPL061_OK);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(vpl061_read(&g, GPIODIR, 2, &v), VPL061_OK);
	EXPECT_EQ(v, 0x5a);
	/* Read-only registers ignore writes. */
	wr(&g, GPIORIS, 0xff);
	wr(&g, GPIOMIS, 0xff);
	EXPECT_EQ(rd(&g, GPIORIS), 0);
}
