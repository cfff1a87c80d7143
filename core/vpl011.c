/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL011: enough of the register file for Linux's amba-pl011 driver
 * and earlycon, bare-metal guests and RTOSes. Output is collected per line
 * (the caller prints completed lines with the partition's tag), or, for
 * the partition with the console focus, handed over byte by byte
 * (hv/vpl011.h, "direct mode"). Pure C.
 *
 * Register offsets and reset values: Arm PrimeCell UART (PL011) Technical
 * Reference Manual, DDI 0183G, 3.2 "Summary of registers" and 3.3 "Register
 * descriptions".
 */
#include "hv/vpl011.h"

/* UARTPeriphID0-3 then UARTPCellID0-3 (3.3.14-3.3.15). */
const uint8_t vpl011_ids[8] = { 0x11, 0x10, 0x14, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

/** Reset values (TRM 3.2): UART and both directions enabled as firmware
 * leaves them, interrupts masked, FIFO trigger at half. */
void vpl011_reset(struct vpl011 *u)
{
	u->cr = 0x301;
	u->lcr_h = 0;
	u->ibrd = 0;
	u->fbrd = 0;
	u->ifls = 0x12;
	u->imsc = 0;
	u->ris = 0;
	u->dmacr = 0;
	u->ilpr = 0;
	u->rx_head = 0;
	u->rx_count = 0;
	u->rx_dropped = 0;
	u->line_len = 0;
	u->at_start = true;
	u->sends_cr = false;
	u->esc = 0;
	u->last = 0;
}

void vpl011_set_tag(struct vpl011 *u, const char *name)
{
	size_t n = 0;

	u->tag[n++] = '[';
	for (size_t i = 0; name[i] != '\0' && n < VPL011_TAG_MAX - 3; i++) {
		u->tag[n++] = name[i];
	}
	u->tag[n++] = ']';
	u->tag[n++] = ' ';
	u->tag[n] = '\0';
}

static size_t put_tag(const struct vpl011 *u, char *out)
{
	size_t n = 0;

	while (u->tag[n] != '\0') {
		out[n] = u->tag[n];
		n++;
	}
	return n;
}

size_t vpl011_set_direct(struct vpl011 *u, bool direct, char *out)
{
	size_t n = 0;

	if (direct && !u->direct && u->line_len != 0) {
		n = put_tag(u, out);
		for (size_t i = 0; i < u->line_len; i++) {
			out[n++] = u->line[i];
		}
		u->line_len = 0;
		u->at_start = false;
	} else if (direct != u->direct) {
		/* The console starts a fresh line for whoever has focus. */
		u->at_start = true;
	}
	u->esc = 0;
	u->direct = direct;
	return n;
}

/*
 * Receive interrupts follow the FIFO level: RXRIS and RTRIS are set while
 * data waits (a simplification of the trigger level and the receive
 * timeout, which a driver handles the same way: it reads until RXFE).
 */
/** Queue a received character for the guest. */
bool vpl011_rx_push(struct vpl011 *u, uint8_t c)
{
	if (u->rx_count == VPL011_RX_FIFO) {
		u->rx_dropped++;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % VPL011_RX_FIFO] = c;
	u->rx_count++;
	return true;
}

static uint32_t rx_pop(struct vpl011 *u)
{
	uint32_t c;

	if (u->rx_count == 0) {
		return 0;
	}
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
	u->rx_count--;
	return c;
}


/**
 * Guest read of @size bytes at @off. Reserved offsets read as zero, like
 * the hardware; 64-bit or misaligned accesses are refused.
 */
enum vpl011_result vpl011_read(struct vpl011 *u, uint64_t off, unsigned size,
			       uint64_t *val)
{
	uint64_t reg = off & ~3ULL;
	uint32_t v;

	if (!vpl011_access_ok(off, size)) {
		return VPL011_BAD_ACCESS;
	}
	if (reg == UARTDR) {
		v = off == UARTDR ? rx_pop(u) : 0;
	} else {
		v = vpl011_reg_value(u, reg);
	}
	*val = vpl011_lanes(v, off, size);
	return VPL011_OK;
}

/* A sub-word write changes only the bytes it covers. */
static uint32_t merge(uint32_t old, uint32_t v, uint32_t lanes)
{
	return (old & ~lanes) | v;
}

/* Printable ASCII and tab pass; anything else (escape sequences included)
 * becomes '.', so a guest cannot move the cursor or forge another line. */
static char sanitize(uint8_t c)
{
	return (c == '\t' || (c >= 0x20 && c < 0x7f)) ? (char)c : '.';
}

/*
 * Direct mode: the bytes that send @c, into @out. The tag goes in front
 * of the first printable byte of a line, never inside an escape sequence
 * (ESC, then one byte, or a CSI: ESC '[' parameters and a final byte in
 * 0x40-0x7e; ECMA-48 5.4). A line starts after "\r" or "\n". When the
 * console breaks the line to show other partitions' lines, it tags the
 * rest itself (log.c, retag()).
 */
static size_t direct_char(struct vpl011 *u, uint8_t c, char *out)
{
	size_t n = 0;
	bool text = false;

	if (c == '\n') {
		if (u->last == '\r') {
			u->sends_cr = true;
		} else if (!u->sends_cr) {
			out[n++] = '\r';
		}
		u->at_start = true;
		u->esc = 0;
	} else if (c == '\r') {
		u->at_start = true;
	} else if (u->esc == 1) {
		u->esc = c == '[' ? 2 : 0;
	} else if (u->esc == 2) {
		if (c >= 0x40 && c <= 0x7e) {
			u->esc = 0;
		}
	} else if (c == 0x1b) {
		u->esc = 1;
	} else {
		text = c >= 0x20 && c != 0x7f;
	}
	if (text && u->at_start) {
		n += put_tag(u, out + n);
		u->at_start = false;
	}
	out[n++] = (char)c;
	u->last = c;
	return n;
}

static size_t put_char(struct vpl011 *u, uint8_t c, char *out)
{
	size_t n;

	if (u->direct) {
		return direct_char(u, c, out);
	}

	if (c == '\r') {
		return 0;
	}
	if (c != '\n') {
		u->line[u->line_len++] = sanitize(c);
		if (u->line_len < VPL011_LINE_MAX - 1) {
			return 0;
		}
	}
	n = u->line_len;
	for (size_t i = 0; i < n; i++) {
		out[i] = u->line[i];
	}
	out[n] = '\0';
	u->line_len = 0;
	return n + 1; /* +1 so an empty line still counts as a line */
}

/**
 * Guest write. Line mode: a transmitted character that completes a line
 * (newline, or a full buffer) copies the line to @out and sets @out_len
 * to its length plus one; otherwise @out_len is 0. Direct mode: the bytes
 * to send go to @out, their count to @out_len.
 */
enum vpl011_result vpl011_write(struct vpl011 *u, uint64_t off,
				unsigned size, uint64_t val, char *out,
				size_t *out_len)
{
	uint32_t lanes, v;

	*out_len = 0;
	if (!vpl011_access_ok(off, size)) {
		return VPL011_BAD_ACCESS;
	}
	lanes = (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1)
		<< (8 * (off & 3));
	v = (uint32_t)(val << (8 * (off & 3))) & lanes;
	switch (off & ~3ULL) {
	case UARTDR:
		if ((off & 3) == 0) {
			*out_len = put_char(u, (uint8_t)val, out);
			u->ris |= INT_TX; /* FIFO drained at once */
		}
		break;
	case UARTILPR: u->ilpr = merge(u->ilpr, v, lanes) & 0xff; break;
	case UARTIBRD: u->ibrd = merge(u->ibrd, v, lanes) & 0xffff; break;
	case UARTFBRD: u->fbrd = merge(u->fbrd, v, lanes) & 0x3f; break;
	case UARTLCR_H: u->lcr_h = merge(u->lcr_h, v, lanes) & 0xff; break;
	case UARTCR: u->cr = merge(u->cr, v, lanes) & 0xff87; break;
	case UARTIFLS: u->ifls = merge(u->ifls, v, lanes) & 0x3f; break;
	case UARTIMSC: u->imsc = merge(u->imsc, v, lanes) & INT_ALL; break;
	case UARTICR: u->ris &= ~(v & INT_ALL); break;
	case UARTDMACR: u->dmacr = merge(u->dmacr, v, lanes) & 0x7; break;
	default:
		break; /* UARTRSR/ECR clear, read-only and reserved: ignored */
	}
	return VPL011_OK;
}

/** Level of the UART's combined interrupt line (UARTINTR). */
bool vpl011_irq_level(const struct vpl011 *u)
{
	return (vpl011_ris(u) & u->imsc) != 0;
}
