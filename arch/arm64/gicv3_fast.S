/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 half of the exception vector's interrupt fast path
 * (vectors.S, guest_irq; struct vgic_vcpu, fast_irq). With x0 = this
 * core's struct pcpu and x1 = the armed fast_irq (pINTID | LR << 32), x0-x5
 * saved by guest_irq: acknowledge (ICC_IAR1_EL1; IHI 0069H 12.2.13); if
 * it is the armed PPI and its LR is empty (ICH_ELRSR_EL2, 12.5.10: the
 * guest's EOI of the last instance deactivated the physical interrupt
 * through the HW bit), drop the running priority (ICC_EOIR1_EL1, 12.2.10;
 * EOImode 1 leaves it active for the guest's EOI to deactivate), write the
 * prepared value into that LR (ICH_LR<n>_EL2, 12.5.11) and finish at
 * guest_irq_done (whose ERET synchronises the LR write with the guest, DDI
 * 0487 J.a D1.10.1). Anything else goes to guest_irq_iar with w1 = the
 * IAR. The LR's HW bit makes the guest's EOI end the instance, so a GICv3
 * never needs the maintenance interrupt here.
 */
#include "arch/asm.h"
#include "asm_offsets.h"

#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_DIR_EL1	S3_0_C12_C11_1
#define ICH_ELRSR_EL2	S3_4_C12_C11_5

.global gic_fast_irq
gic_fast_irq:
	mov	x2, x1
	mrs	x1, ICC_IAR1_EL1
	cmp	w1, w2
	b.ne	2f
	lsr	x2, x2, #32
	mrs	x4, ICH_ELRSR_EL2
	lsr	x4, x4, x2
	tbz	x4, #0, guest_irq_iar
	msr	ICC_EOIR1_EL1, x1
	ldr	x3, [x0, #VCPU_VGIC_FAST]
	ldr	x3, [x3, #8]			/* fast_lr */
3:	mov	x5, #EXIT_IRQ_FAST_OFF
	adr	x4, 1f
	add	x4, x4, x2, lsl #3
	br	x4

	/*
	 * The doorbell (HV_DOORBELL_SGI): SGIs posted to this vCPU by
	 * another (or itself), in its mailbox (struct vgic_vcpu, sgi_mbox;
	 * vgic/vgic.c, vgic_sgi_post()). The ISB orders the mailbox loads
	 * after the acknowledge; the sender's DSB made its post visible
	 * before the SGI was sent. If the mailbox holds exactly the armed
	 * SGI (fast_sgi_bit) and its LR is empty (ICH_ELRSR_EL2), take it
	 * (exclusive pair: a sender may post at the same time), end the
	 * doorbell (ICC_EOIR1_EL1, then ICC_DIR_EL1 as EOImode is 1; IHI
	 * 0069H 12.2.10, 12.2.7) and write the armed value into the LR. An
	 * empty mailbox (taken by an earlier exit) only ends the doorbell.
	 * Anything else goes to C with the IAR (vgic_sgi_drain()).
	 */
.global gic_fast_irq_none
gic_fast_irq_none:				/* no PPI armed */
	mrs	x1, ICC_IAR1_EL1
2:	cmp	w1, #DOORBELL_SGI
	b.ne	guest_irq_iar
	isb
	ldr	x3, [x0, #VCPU_VGIC_FAST]
	ldr	x2, [x3, #FAST_SGI_MBOX1]
	cbnz	x2, guest_irq_iar
	ldr	x2, [x3, #FAST_SGI_BIT]
	add	x4, x3, #FAST_SGI_MBOX0
4:	ldxr	x5, [x4]
	cbz	x5, 6f
	cmp	x5, x2
	b.ne	5f
	ldr	x5, [x3, #FAST_SGI_IDX]
	mrs	x2, ICH_ELRSR_EL2
	lsr	x2, x2, x5
	tbz	x2, #0, 5f
	stxr	w5, xzr, [x4]
	ldr	x2, [x3, #FAST_SGI_BIT]
	cbnz	w5, 4b
	msr	ICC_EOIR1_EL1, x1
	msr	ICC_DIR_EL1, x1
	ldr	x2, [x3, #FAST_SGI_IDX]
	ldr	x3, [x3, #FAST_SGI_LR]
	b	3b
5:	clrex
	b	guest_irq_iar
6:	clrex
	msr	ICC_EOIR1_EL1, x1
	msr	ICC_DIR_EL1, x1
	mov	x5, #EXIT_IRQ_FAST_OFF
	b	guest_irq_done

	/* msr ICH_LR<n>_EL2, x3; two instructions an entry. */
	.macro	lr_entry crm, op2
	msr	S3_4_C12_\crm\()_\op2, x3
	b	guest_irq_done
	.endm
1:	lr_entry C12, 0
	lr_entry C12, 1
	lr_entry C12, 2
	lr_entry C12, 3
	lr_entry C12, 4
	lr_entry C12, 5
	lr_entry C12, 6
	lr_entry C12, 7
	lr_entry C13, 0
	lr_entry C13, 1
	lr_entry C13, 2
	lr_entry C13, 3
	lr_entry C13, 4
	lr_entry C13, 5
	lr_entry C13, 6
	lr_entry C13, 7
