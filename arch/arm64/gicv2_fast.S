/* SPDX-License-Identifier: MIT */
/*
 * The GICv2 half of the exception vector's interrupt fast path
 * (vectors.S, irq_entry; struct vgic_vcpu, fast_irq). With x0 = this
 * core's struct pcpu, x3 = the armed fast_irq (pINTID | LR << 32), x4 =
 * fast_lr and x5 = &fast_irq, x0-x5 saved (irq_fast.h), it acknowledges
 * (GICC_IAR; IHI 0048B 4.4.4) and finishes one of three exits without C,
 * or goes to guest_irq_iar with w1 = the IAR. The GICC and GICH bases come
 * from the same struct (fast_gic), in one LDP.
 *
 * - The armed PPI, its LR empty: drop the running priority (GICC_EOIR,
 *   4.4.5; EOImode 1 leaves it active), write the prepared value into
 *   that LR (GICH_LRn, 5.3.11). "Empty" is what GICH_ELRSR0 says (5.3.8),
 *   read from the LR itself, whose address the fast path needs anyway:
 *   State invalid (bits 29:28 0) and no EOI maintenance outstanding (HW 0
 *   with EOI 1). The armed LR only ever holds fast_lr, in whatever state
 *   the guest moved it to, or 0 (vgic.c, fast_arm(): any other write
 *   disarms it), and fast_lr is a PPI, so bit 19 is the EOI bit when HW
 *   is 0 and physical INTID bit 9, 0, when HW is 1: bit 19 clear and
 *   State invalid is exactly ELRSR's "empty" for every value it can hold.
 *
 * - The maintenance interrupt (VGIC_MAINT_INTID), raised only by the
 *   armed LR's EOI request (GICH_MISR is EOI alone, 5.3.5; GICH_EISR0 has
 *   that LR's bit alone, 5.3.7: its State went invalid through the
 *   guest's EOI or deactivation of that virtual instance, with HW 0 and
 *   EOI 1). That is a GIC whose guest EOI does not deactivate a HW
 *   interrupt (QEMU's GICv2, struct vgic, hw_eoi), so the armed value has
 *   HW 0 and EOI 1: do what the HW bit would have done, deactivate the
 *   physical interrupt (GICC_DIR, 4.4.15) with the armed pINTID, and
 *   empty the LR, which ends the EOI request (and with it this cause, so
 *   a second maintenance interrupt for the same instance cannot find the
 *   bit: the deactivation happens once); then end the maintenance
 *   interrupt itself (EOIR, DIR). vgic_sync() finds the LR empty as it
 *   would after a HW LR's EOI (vgic.c, release_hw()). With a HW armed
 *   value (GIC-400) the EOI raises no maintenance. Any other cause, alone
 *   or with it, goes to C with the IAR, which handles them all.
 *
 * - The SGI doorbell (below).
 *
 * The vCPU sees the LR write once it has reached the GIC; the ERET does
 * not wait for it, as the C path does not.
 */
#include "arch/asm.h"
#include "arch/irq_fast.h"
#include "asm_offsets.h"

#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010
#define GICC_DIR	0x1000
#define GICH_MISR	0x0010
#define GICH_EISR0	0x0020
#define GICH_ELRSR0	0x0030
#define GICH_LR		0x0100
#define GICH_MISR_EOI	1
#define GICH_LR_STATE	0x30000000	/* GICH_LRn bits 29:28 */
#define GICH_LR_EOI	19		/* with HW 0 */

.global gic_fast_irq
gic_fast_irq:
	ldp	x2, x5, [x5, #FAST_GIC]		/* GICC, GICH */
	ldr	w1, [x2, #GICC_IAR]
	cmp	w1, w3
	b.ne	1f
	add	x5, x5, x3, lsr #30		/* + 4 * the armed LR */
	ldr	w3, [x5, #GICH_LR]
	tst	w3, #GICH_LR_STATE
	b.ne	guest_irq_iar
	tbnz	w3, #GICH_LR_EOI, guest_irq_iar
	str	w1, [x2, #GICC_EOIR]
	str	w4, [x5, #GICH_LR]
	irq_fast_count_eret EXIT_IRQ_FAST_OFF

1:	cmp	w1, #VGIC_MAINT_INTID
	b.ne	7f
	ldr	w4, [x5, #GICH_MISR]
	cmp	w4, #GICH_MISR_EOI
	b.ne	guest_irq_iar
	lsr	x4, x3, #32			/* the armed LR */
	mov	w1, #1
	lsl	w1, w1, w4
	ldr	w4, [x5, #GICH_EISR0]
	cmp	w4, w1
	b.ne	2f
	str	w3, [x2, #GICC_DIR]		/* the armed pINTID */
	add	x5, x5, x3, lsr #30
	str	wzr, [x5, #GICH_LR]
	mov	w1, #VGIC_MAINT_INTID
	str	w1, [x2, #GICC_EOIR]
	str	w1, [x2, #GICC_DIR]
	irq_fast_maint_count_eret
2:	mov	w1, #VGIC_MAINT_INTID
	b	guest_irq_iar

	/*
	 * The doorbell (HV_DOORBELL_SGI, whatever core rang it: the IAR's
	 * CPUID field is kept for the EOI): SGIs posted to this vCPU, as in
	 * gicv3_fast.S. The DMB orders the mailbox loads after the
	 * acknowledge's (IHI 0048B 4.4.4; the sender's DSB made its post
	 * visible before its GICD_SGIR write). If the mailbox holds exactly
	 * the armed SGI and its LR is empty (GICH_ELRSR0), take it, end the
	 * doorbell (GICC_EOIR, GICC_DIR) and write the armed value (with its
	 * source in CPUID) into the LR. x6 and x7 are saved for this path.
	 * Here x2 = GICC, x5 = GICH, w1 = the IAR.
	 */
.global gic_fast_irq_none
gic_fast_irq_none:				/* no PPI armed */
	ldr	w1, [x0, #PCPU_EXIT_MITIGATION]
	cbnz	w1, guest_irq_slow
	ldp	x2, x5, [x5, #FAST_GIC]
	ldr	w1, [x2, #GICC_IAR]
7:	and	w3, w1, #0x3ff
	cmp	w3, #DOORBELL_SGI
	b.ne	guest_irq_iar
	dmb	ishld
	stp	x6, x7, [sp, #-16]!
	ldr	x6, [x0, #VCPU_VGIC_FAST]
	ldr	x3, [x6, #FAST_SGI_MBOX1]
	cbnz	x3, 9f
	ldr	x7, [x6, #FAST_SGI_IDX]
	ldr	w3, [x5, #GICH_ELRSR0]
	lsr	w3, w3, w7
	and	w4, w3, #1			/* the armed LR is empty */
	add	x6, x6, #FAST_SGI_MBOX0
	.macro	v2_sgi_lr_free
	cbz	w4, 8f
	.endm
	sgi_mbox_take x6, (FAST_SGI_BIT - FAST_SGI_MBOX0), x3, x7, w7, 6f, 8f, v2_sgi_lr_free
	str	w1, [x2, #GICC_EOIR]
	str	w1, [x2, #GICC_DIR]
	ldr	x7, [x6, #(FAST_SGI_IDX - FAST_SGI_MBOX0)]
	ldr	w3, [x6, #(FAST_SGI_LR - FAST_SGI_MBOX0)]
	add	x5, x5, x7, lsl #2
	str	w3, [x5, #GICH_LR]
	b	5f
6:	clrex
	str	w1, [x2, #GICC_EOIR]
	str	w1, [x2, #GICC_DIR]
5:	ldp	x6, x7, [sp], #16
	irq_fast_count_eret EXIT_IRQ_FAST_OFF
8:	clrex
9:	ldp	x6, x7, [sp], #16
	b	guest_irq_iar
