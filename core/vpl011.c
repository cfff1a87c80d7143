/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL011: enough of the register file for Linux's amba-pl011 driver
 * and earlycon, bare-metal guests and RTOSes. Output is collected per line;
 * the caller prints completed lines with the partition's tag. Pure C.
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

static size_t put_char(struct vpl011 *u, uint8_t c, char *out)
{
	size_t n;

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
 * Guest write. A transmitted character that completes a line (newline, or
 * a full buffer) copies the line to @out (VPL011_LINE_MAX bytes) and sets
 * @out_len to its length plus one; otherwise @out_len is 0.
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
