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

/** Emulated UART state; protected by the owning partition's lock. */
struct vpl011 {
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr, ilpr;
	uint32_t rx_head, rx_count, rx_dropped;
	uint8_t rx[VPL011_RX_FIFO];
	size_t line_len;
	char line[VPL011_LINE_MAX];
};

enum vpl011_result {
	VPL011_OK,
	VPL011_BAD_ACCESS, /* width, alignment or offset not allowed */
};

void vpl011_reset(struct vpl011 *u);
enum vpl011_result vpl011_read(struct vpl011 *u, uint64_t off, unsigned size,
			       uint64_t *val);
bool vpl011_read_nolock(const struct vpl011 *u, uint64_t off, unsigned size,
			uint64_t *val);
/** A write; a completed output line is copied to @out (NUL-terminated)
 * and its length returned through @out_len (0 if none). */
enum vpl011_result vpl011_write(struct vpl011 *u, uint64_t off,
				unsigned size, uint64_t val, char *out,
				size_t *out_len);
bool vpl011_irq_level(const struct vpl011 *u);
/** Queue a received character; false (and counted) if the FIFO is full. */
bool vpl011_rx_push(struct vpl011 *u, uint8_t c);

#endif /* HV_VPL011_H */
