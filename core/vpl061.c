/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL061 GPIO controller: the register file Linux's gpio-pl061
 * driver and the amba bus use, the PrimeCell identification registers,
 * and interrupt detection on the eight lines. Pure C.
 *
 * Arm PrimeCell GPIO (PL061) TRM, DDI 0190B:
 *   3.3.1  GPIODATA: address bits [9:2] mask which bits a read returns
 *          and a write changes (offsets 0x000-0x3fc);
 *   3.3.2  GPIODIR (0x400), 3.3.3 GPIOIS (0x404), 3.3.4 GPIOIBE (0x408),
 *   3.3.5  GPIOIEV (0x40c), 3.3.6 GPIOIE (0x410), 3.3.7 GPIORIS (0x414),
 *   3.3.8  GPIOMIS (0x418), 3.3.9 GPIOIC (0x41c, write-only),
 *   3.3.10 GPIOAFSEL (0x420); all reset to 0;
 *   3.3.11-3.3.18 GPIOPeriphID0-3 = 0x61 0x10 0x04 0x00 and
 *          GPIOPCellID0-3 = 0x0d 0xf0 0x05 0xb1 (0xfe0-0xffc).
 *
 * Interrupt detection, per line:
 *
 *   IS  IBE  IEV   raw status (GPIORIS bit)
 *   0   1    -     latched on either edge, until GPIOIC clears it
 *   0   0    1     latched on a rising edge, until GPIOIC
 *   0   0    0     latched on a falling edge, until GPIOIC
 *   1   -    1     live: the line is high
 *   1   -    0     live: the line is low
 *
 * GPIOMIS = GPIORIS & GPIOIE; the controller's interrupt (GPIOINTR) is
 * high while any GPIOMIS bit is set. Edges are detected on the line
 * value whatever its direction, as the pads feed back into the detector.
 */
#include "hv/vpl061.h"

/* GPIOPeriphID0-3, then GPIOPCellID0-3. */
static const uint8_t vpl061_ids[8] = { 0x61, 0x10, 0x04, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

static uint8_t pins_now(const struct vpl061 *g)
{
	return (uint8_t)((g->dir & g->data) | (~g->dir & g->ext));
}

/* Sample the lines: latch the edges edge-sensitive lines are set for. */
static void sample(struct vpl061 *g)
{
	uint8_t now = pins_now(g);
	uint8_t rise = (uint8_t)(now & ~g->pins);
	uint8_t fall = (uint8_t)(~now & g->pins);
	uint8_t hit = (uint8_t)((g->ibe & (rise | fall)) |
				(~g->ibe & g->iev & rise) |
				(~g->ibe & ~g->iev & fall));

	g->edges |= (uint8_t)(hit & ~g->is);
	g->pins = now;
}

/**
 * Reset (TRM: every register 0, so all lines are edge-sensitive inputs
 * with interrupts masked) with external inputs @ext; the lines start at
 * their current values, so the reset itself latches no edge.
 */
void vpl061_reset(struct vpl061 *g, uint8_t ext)
{
	g->data = 0;
	g->dir = 0;
	g->is = 0;
	g->ibe = 0;
	g->iev = 0;
	g->ie = 0;
	g->afsel = 0;
	g->edges = 0;
	g->ext = ext;
	g->pins = ext;
}

/** GPIORIS: latched edges of edge lines, live levels of level lines. */
uint8_t vpl061_ris(const struct vpl061 *g)
{
	uint8_t level = (uint8_t)((g->iev & g->pins) | (~g->iev & ~g->pins));

	return (uint8_t)((g->edges & ~g->is) | (level & g->is));
}

/** Level of the controller's combined interrupt, GPIOINTR. */
bool vpl061_irq_level(const struct vpl061 *g)
{
	return (vpl061_ris(g) & g->ie) != 0;
}

/** Lines driven high: outputs whose data bit is 1 (what the peers see). */
uint8_t vpl061_outputs(const struct vpl061 *g)
{
	return g->dir & g->data;
}

/** The external inputs changed to @ext: sample the lines. */
void vpl061_set_inputs(struct vpl061 *g, uint8_t ext)
{
	g->ext = ext;
	sample(g);
}

/* 8-bit registers on a 32-bit grid: accesses of 1, 2 or 4 bytes, aligned. */
static bool access_ok(uint64_t off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && off < GPIO_WINDOW &&
	       (off & (size - 1)) == 0;
}

static uint8_t reg_read(const struct vpl061 *g, uint64_t reg)
{
	if (reg < GPIODATA_END) {
		return (uint8_t)(g->pins & (reg >> 2));
	}
	switch (reg) {
	case GPIODIR: return g->dir;
	case GPIOIS: return g->is;
	case GPIOIBE: return g->ibe;
	case GPIOIEV: return g->iev;
	case GPIOIE: return g->ie;
	case GPIORIS: return vpl061_ris(g);
	case GPIOMIS: return vpl061_ris(g) & g->ie;
	case GPIOAFSEL: return g->afsel;
	default:
		if (reg >= GPIO_ID_BASE) {
			return vpl061_ids[(reg - GPIO_ID_BASE) / 4];
		}
		return 0; /* GPIOIC is write-only; reserved reads as 0 */
	}
}

/**
 * Guest read of @size bytes at @off. Each register is 8 bits wide in the
 * low byte of its word; the other bytes read as zero.
 */
enum vpl061_result vpl061_read(const struct vpl061 *g, uint64_t off,
			       unsigned size, uint64_t *val)
{
	if (!access_ok(off, size)) {
		return VPL061_BAD_ACCESS;
	}
	*val = (off & 3) == 0 ? reg_read(g, off) : 0;
	return VPL061_OK;
}

/**
 * Guest write. Only the low byte of a register's word holds bits; writes
 * to the other bytes, to read-only and to reserved registers are ignored.
 * Every write samples the lines, since a data, direction or sense change
 * can make an edge.
 */
enum vpl061_result vpl061_write(struct vpl061 *g, uint64_t off,
				unsigned size, uint64_t val)
{
	uint8_t v = (uint8_t)val;

	if (!access_ok(off, size)) {
		return VPL061_BAD_ACCESS;
	}
	if ((off & 3) != 0) {
		return VPL061_OK;
	}
	if (off < GPIODATA_END) {
		uint8_t mask = (uint8_t)(off >> 2);

		g->data = (uint8_t)((g->data & ~mask) | (v & mask));
	} else {
		switch (off) {
		case GPIODIR: g->dir = v; break;
		case GPIOIS: g->is = v; break;
		case GPIOIBE: g->ibe = v; break;
		case GPIOIEV: g->iev = v; break;
		case GPIOIE: g->ie = v; break;
		case GPIOIC: g->edges &= (uint8_t)~v; break;
		case GPIOAFSEL: g->afsel = v; break;
		default: break; /* RIS, MIS, IDs, reserved */
		}
	}
	sample(g);
	return VPL061_OK;
}
