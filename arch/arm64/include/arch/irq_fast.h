/* SPDX-License-Identifier: MIT */
/*
 * Macros shared by the exception vector's interrupt fast paths (vectors.S,
 * irq_entry; gicv2_fast.S or gicv3_fast.S). The entry saves the guest's
 * x0-x5: [sp] x2, x3; [sp + 16] x4, x5; [sp + 32] x0, x1.
 */
#ifndef ARCH_IRQ_FAST_H
#define ARCH_IRQ_FAST_H
#ifdef __ASSEMBLER__
#include "asm_offsets.h"

/* Restore the guest's x0-x5 from that frame and return to it (also
 * used by vectors.S' ICC_SGI1R_EL1 path, which saves the same frame). */
.macro eret_x0_x5
	ldp	x4, x5, [sp, #16]
	ldp	x2, x3, [sp], #32
	ldp	x0, x1, [sp], #16
	eret
	/* No speculation past ERET (ARMv8.0 has no SB instruction). */
	dsb	nsh
	isb
.endm

/*
 * With x0 = this core's struct pcpu: count an interrupt exit and, at
 * offset \off of the vCPU's exit counters, the fast path that finished it
 * (vcpu_count(): the counters live in the partition's stats page, cleaned
 * to PoC for a monitor reading it uncached, C5.3.13; EXIT_IRQ is the
 * first slot, asm_offsets.c), then return to the guest.
 */
.macro irq_fast_count_eret off
	ldr	x0, [x0, #VCPU_EXITS]
	ldr	x1, [x0, #EXIT_IRQ_OFF]
	ldr	x2, [x0, #\off]
	add	x1, x1, #1
	add	x2, x2, #1
	str	x1, [x0, #EXIT_IRQ_OFF]
	dc	cvac, x0
	str	x2, [x0, #\off]!
	dc	cvac, x0
	eret_x0_x5
.endm

/* The same for an ended maintenance interrupt: EXIT_IRQ and EXIT_MAINT
 * (adjacent, one LDP/STP) and EXIT_MAINT_FAST. */
.macro irq_fast_maint_count_eret
	ldr	x0, [x0, #VCPU_EXITS]
	ldp	x1, x2, [x0, #EXIT_IRQ_OFF]
	add	x1, x1, #1
	add	x2, x2, #1
	stp	x1, x2, [x0, #EXIT_IRQ_OFF]
	dc	cvac, x0
	ldr	x1, [x0, #EXIT_MAINT_FAST_OFF]
	add	x1, x1, #1
	str	x1, [x0, #EXIT_MAINT_FAST_OFF]!
	dc	cvac, x0
	eret_x0_x5
.endm

/*
 * The doorbell's mailbox take (struct vgic_vcpu, sgi_mbox; vgic_sgi_post()
 * posts with an atomic OR): with \mbox = &sgi_mbox[0], load the armed bit
 * (fast_sgi_bit, at \bit_off from \mbox) into \bit and exclusively
 * \val = sgi_mbox[0]; empty: go to \empty, anything but exactly the armed
 * bit: to \other (both with the exclusive monitor still open, for CLREX);
 * then \lr_free (a macro: go to \other unless the armed LR is empty), and
 * store 0 exclusively, again from the load if a sender came in between.
 */
.macro sgi_mbox_take mbox, bit_off, bit, val, wval, empty, other, lr_free
.Lmbox_take\@:
	ldr	\bit, [\mbox, #\bit_off]
	ldxr	\val, [\mbox]
	cbz	\val, \empty
	cmp	\val, \bit
	b.ne	\other
	\lr_free
	stxr	\wval, xzr, [\mbox]
	cbnz	\wval, .Lmbox_take\@
.endm

#endif
#endif /* ARCH_IRQ_FAST_H */
