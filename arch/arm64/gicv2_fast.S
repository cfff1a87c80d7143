/* SPDX-License-Identifier: MIT */
/*
 * The GICv2 half of the exception vector's interrupt fast path
 * (vectors.S, guest_irq; struct vgic_vcpu, fast_irq). With x0 = this
 * core's struct pcpu and x1 = the armed fast_irq (pINTID | LR << 32), x0-x5
 * saved by guest_irq, it acknowledges (GICC_IAR; IHI 0048B 4.4.4) and
 * finishes one of two exits without C, or goes to guest_irq_iar with
 * w1 = the IAR:
 *
 * - The armed PPI, its LR empty (GICH_ELRSR0, 5.3.8: the last instance is
 *   over): drop the running priority (GICC_EOIR, 4.4.5; EOImode 1 leaves
 *   it active), write the prepared value into that LR (GICH_LRn, 5.3.11).
 *
 * - The maintenance interrupt (VGIC_MAINT_INTID), raised only by the
 *   armed LR's EOI request (GICH_MISR is EOI alone, 5.3.5; GICH_EISR0 has
 *   that LR's bit alone, 5.3.7). That is a GIC whose guest EOI does not
 *   deactivate a HW interrupt (QEMU's GICv2, struct vgic, hw_eoi), so the
 *   armed value has HW 0 and EOI 1, and the guest has just EOIed it: do
 *   what the HW bit would have done, deactivate the physical interrupt
 *   (GICC_DIR, 4.4.15), and empty the LR, which ends the EOI request; then
 *   end the maintenance interrupt itself (EOIR, DIR). vgic_sync() finds
 *   the LR empty as it would after a HW LR's EOI (vgic.c, release_hw()).
 *   With a HW armed value (GIC-400) the EOI raises no maintenance.
 *
 * The vCPU sees the LR write once it has reached the GIC; the ERET at
 * guest_irq_done does not wait for it, as the C path does not.
 */
#include "arch/asm.h"
#include "asm_offsets.h"

#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010
#define GICC_DIR	0x1000
#define GICH_MISR	0x0010
#define GICH_EISR0	0x0020
#define GICH_ELRSR0	0x0030
#define GICH_LR		0x0100
#define GICH_MISR_EOI	1

.global gic_fast_irq
gic_fast_irq:
	adrp	x3, hv_cfg
	add	x3, x3, :lo12:hv_cfg
	ldr	x4, [x3, #CFG_GICC_BASE]
	ldr	x3, [x3, #CFG_GICH_BASE]
	mov	x2, x1
	ldr	w1, [x4, #GICC_IAR]
	lsr	x5, x2, #32			/* the armed LR */
	cmp	w1, w2
	b.ne	1f
	ldr	w2, [x3, #GICH_ELRSR0]
	lsr	w2, w2, w5
	tbz	w2, #0, guest_irq_iar
	str	w1, [x4, #GICC_EOIR]
	ldr	x2, [x0, #VCPU_VGIC_FAST]
	ldr	w2, [x2, #8]			/* fast_lr */
	add	x3, x3, x5, lsl #2
	str	w2, [x3, #GICH_LR]
	mov	x5, #EXIT_IRQ_FAST_OFF
	b	guest_irq_done

1:	cmp	w1, #VGIC_MAINT_INTID
	b.ne	7f
	ldr	w1, [x3, #GICH_MISR]
	cmp	w1, #GICH_MISR_EOI
	b.ne	2f
	mov	w2, #1
	lsl	w2, w2, w5
	ldr	w1, [x3, #GICH_EISR0]
	cmp	w1, w2
	b.ne	2f
	ldr	x2, [x0, #VCPU_VGIC_FAST]
	ldr	w2, [x2]			/* the armed pINTID */
	str	w2, [x4, #GICC_DIR]
	add	x3, x3, x5, lsl #2
	str	wzr, [x3, #GICH_LR]
	mov	w1, #VGIC_MAINT_INTID
	str	w1, [x4, #GICC_EOIR]
	str	w1, [x4, #GICC_DIR]
	ldr	x1, [x0, #VCPU_EXITS]		/* count it as maint too */
	ldr	x2, [x1, #EXIT_MAINT_OFF]
	add	x2, x2, #1
	str	x2, [x1, #EXIT_MAINT_OFF]
	mov	x5, #EXIT_MAINT_FAST_OFF
	b	guest_irq_done
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
	 */
.global gic_fast_irq_none
gic_fast_irq_none:				/* no PPI armed */
	adrp	x3, hv_cfg
	add	x3, x3, :lo12:hv_cfg
	ldr	x4, [x3, #CFG_GICC_BASE]
	ldr	x3, [x3, #CFG_GICH_BASE]
	ldr	w1, [x4, #GICC_IAR]
7:	and	w2, w1, #0x3ff
	cmp	w2, #DOORBELL_SGI
	b.ne	guest_irq_iar
	dmb	ishld
	stp	x6, x7, [sp, #-16]!
	ldr	x6, [x0, #VCPU_VGIC_FAST]
	ldr	x2, [x6, #FAST_SGI_MBOX1]
	cbnz	x2, 9f
	ldr	x7, [x6, #FAST_SGI_IDX]
	ldr	w2, [x3, #GICH_ELRSR0]
	lsr	w2, w2, w7
	and	w5, w2, #1			/* the armed LR is empty */
	ldr	x2, [x6, #FAST_SGI_BIT]
	add	x6, x6, #FAST_SGI_MBOX0
4:	ldxr	x7, [x6]
	cbz	x7, 6f
	cmp	x7, x2
	b.ne	8f
	cbz	w5, 8f
	stxr	w7, xzr, [x6]
	cbnz	w7, 4b
	str	w1, [x4, #GICC_EOIR]
	str	w1, [x4, #GICC_DIR]
	ldr	x7, [x6, #(FAST_SGI_IDX - FAST_SGI_MBOX0)]
	ldr	w2, [x6, #(FAST_SGI_LR - FAST_SGI_MBOX0)]
	add	x3, x3, x7, lsl #2
	str	w2, [x3, #GICH_LR]
	b	5f
6:	clrex
	str	w1, [x4, #GICC_EOIR]
	str	w1, [x4, #GICC_DIR]
5:	ldp	x6, x7, [sp], #16
	mov	x5, #EXIT_IRQ_FAST_OFF
	b	guest_irq_done
8:	clrex
9:	ldp	x6, x7, [sp], #16
	b	guest_irq_iar
