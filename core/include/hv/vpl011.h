/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL011 UART seen by each partition at HV_GUEST_UART_IPA.
 * Register model: Arm PrimeCell UART (PL011) TRM, DDI 0183G, 3.2
 * "Summary of registers".
 */
#ifndef HV_VPL011_H
#define HV_VPL011_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VPL011_LINE_MAX 160
#define VPL011_RX_FIFO 64 /* 32 in hardware; more slack for pasted text */
#define VPL011_TAG_MAX 40 /* "[name] ", cut to fit */
/* What one write can hand the caller: a line, or in direct mode a held
 * partial line, a tag and the byte with its "\r\n". */
#define VPL011_OUT_MAX (VPL011_LINE_MAX + VPL011_TAG_MAX + 4)

/**
 * Emulated UART state; protected by the owning partition's lock.
 *
 * Output has two modes. Line mode (a partition without the console
 * focus): printable bytes are collected per line, anything else becomes
 * '.', and a completed line is handed to the caller to print with its
 * tag. Direct mode (the partition with the focus, vpl011_set_direct()):
 * every byte is handed over at once, escape sequences intact, with the
 * tag "[name] " put in front of the first printable byte of each line
 * (not inside an escape sequence), and "\r" added before a "\n" unless
 * the guest sends "\r\n" itself.
 */
struct vpl011 {
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr, ilpr;
	uint32_t rx_head, rx_count, rx_dropped;
	uint8_t rx[VPL011_RX_FIFO];
	size_t line_len;
	char line[VPL011_LINE_MAX];
	/* Direct mode; kept by vpl011_reset(): */
	bool direct;	       /* the partition has the console focus */
	char tag[VPL011_TAG_MAX]; /* "[name] " */
	/* Direct mode; reset: */
	bool at_start;	       /* the next printable byte begins a line */
	bool sends_cr;	       /* the guest was seen sending "\r\n" */
	uint8_t esc;	       /* 0, or in an escape sequence: 1 after ESC, 2 CSI */
	uint8_t last;	       /* the byte sent before */
};

enum vpl011_result {
	VPL011_OK,
	VPL011_BAD_ACCESS, /* width, alignment or offset not allowed */
};

void vpl011_reset(struct vpl011 *u);
/** Set the tag "[@name] " put in front of direct-mode lines. */
void vpl011_set_tag(struct vpl011 *u, const char *name);
/**
 * Enter (@direct) or leave direct mode. Entering it hands the partial
 * line held in line mode, with its tag, to @out (VPL011_OUT_MAX bytes)
 * so it shows at once (a prompt); returns its length (0 if none).
 */
size_t vpl011_set_direct(struct vpl011 *u, bool direct, char *out);
enum vpl011_result vpl011_read(struct vpl011 *u, uint64_t off, unsigned size,
			       uint64_t *val);
/** A write. Line mode: a completed output line is copied to @out
 * (NUL-terminated) and its length plus one returned through @out_len (0
 * if none). Direct mode (u->direct): the bytes to send go to @out and
 * their count to @out_len. @out has VPL011_OUT_MAX bytes. */
enum vpl011_result vpl011_write(struct vpl011 *u, uint64_t off,
				unsigned size, uint64_t val, char *out,
				size_t *out_len);
bool vpl011_irq_level(const struct vpl011 *u);
/** Queue a received character; false (and counted) if the FIFO is full. */
bool vpl011_rx_push(struct vpl011 *u, uint8_t c);

/* Register map: DDI 0183G, 3.2. */
#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UART_ID_BASE 0xfe0

#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_ALL 0x7ffu

extern const uint8_t vpl011_ids[8]; /* UARTPeriphID0-3, UARTPCellID0-3 */

#define VPL011_LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/*
 * Receive interrupts follow the FIFO level: RXRIS and RTRIS are set while
 * data waits (a simplification of the trigger level and the receive
 * timeout, which a driver handles the same way: it reads until RXFE).
 */
static inline uint32_t vpl011_ris(const struct vpl011 *u)
{
	return VPL011_LOAD(u->ris) |
	       (VPL011_LOAD(u->rx_count) != 0 ? INT_RX | INT_RT : 0);
}

/*
 * The value of register @reg (word offset), for any register but UARTDR,
 * whose read pops the FIFO. No side effect. Fields are loaded atomically:
 * vpl011_read_nolock() runs without the partition lock, while console
 * input may push into the receive FIFO on another core (each value read
 * is then one the FIFO had at some instant).
 */
static inline uint32_t vpl011_reg_value(const struct vpl011 *u, uint64_t reg)
{
	if (reg == UARTFR) { /* first: polled for every character sent */
		uint32_t count = VPL011_LOAD(u->rx_count);

		/* Output is never backed up. */
		return FR_TXFE | (count == 0 ? FR_RXFE : 0) |
		       (count == VPL011_RX_FIFO ? FR_RXFF : 0);
	}
	switch (reg) {
	case UARTILPR: return VPL011_LOAD(u->ilpr);
	case UARTIBRD: return VPL011_LOAD(u->ibrd);
	case UARTFBRD: return VPL011_LOAD(u->fbrd);
	case UARTLCR_H: return VPL011_LOAD(u->lcr_h);
	case UARTCR: return VPL011_LOAD(u->cr);
	case UARTIFLS: return VPL011_LOAD(u->ifls);
	case UARTIMSC: return VPL011_LOAD(u->imsc);
	case UARTRIS: return vpl011_ris(u);
	case UARTMIS: return vpl011_ris(u) & VPL011_LOAD(u->imsc);
	case UARTDMACR: return VPL011_LOAD(u->dmacr);
	default:
		if (reg >= UART_ID_BASE) {
			return vpl011_ids[(reg - UART_ID_BASE) / 4];
		}
		return 0; /* UARTRSR, reserved: zero */
	}
}

/* Byte, halfword or word, aligned, inside the 4 KiB frame. */
static inline bool vpl011_access_ok(uint64_t off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && off < 0x1000 &&
	       (off & (size - 1)) == 0;
}

/* The bytes of register value @v an access of @size at @off reads. */
static inline uint64_t vpl011_lanes(uint32_t v, uint64_t off, unsigned size)
{
	return (v >> (8 * (off & 3))) &
	       (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
}

/**
 * vpl011_read() without the partition lock, for a register whose read
 * changes nothing (all but UARTDR) and so cannot change the interrupt
 * line either: the exit's light path (inline there). False for UARTDR or
 * an access vpl011_read() refuses; the caller then takes the locked path.
 */
static inline bool vpl011_read_nolock(const struct vpl011 *u, uint64_t off,
				      unsigned size, uint64_t *val)
{
	if (off < 4 || !vpl011_access_ok(off, size)) { /* UARTDR, refused */
		return false;
	}
	*val = vpl011_lanes(vpl011_reg_value(u, off & ~3ULL), off, size);
	return true;
}

#endif /* HV_VPL011_H */
