/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 half of the exception vector's interrupt fast path
 * (vectors.S, irq_entry; struct vgic_vcpu, fast_irq). With x0 = this
 * core's struct pcpu, x3 = the armed fast_irq (pINTID | LR << 32), x4 =
 * fast_lr and x5 = &fast_irq, x0-x5 saved (irq_fast.h): acknowledge
 * (ICC_IAR1_EL1; IHI 0069H 12.2.13); if it is the armed PPI and its LR is
 * empty (ICH_ELRSR_EL2, 12.5.10: the guest's EOI of the last instance
 * deactivated the physical interrupt through the HW bit), drop the running
 * priority (ICC_EOIR1_EL1, 12.2.10; EOImode 1 leaves it active for the
 * guest's EOI to deactivate), write the prepared value into that LR
 * (ICH_LR<n>_EL2, 12.5.11) and finish at guest_irq_fast_done (whose ERET
 * synchronises the LR write with the guest, DDI 0487 J.a D1.10.1).
 * Anything else goes to guest_irq_iar with w1 = the IAR. The LR's HW bit
 * makes the guest's EOI end the instance, so a GICv3 never needs the
 * maintenance interrupt here.
 */
#include "arch/asm.h"
#include "arch/irq_fast.h"
#include "asm_offsets.h"

#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_DIR_EL1	S3_0_C12_C11_1
#define ICH_ELRSR_EL2	S3_4_C12_C11_5

.global gic_fast_irq
gic_fast_irq:
	mrs	x1, ICC_IAR1_EL1
	cmp	w1, w3
	b.ne	2f
	lsr	x2, x3, #32
	mrs	x3, ICH_ELRSR_EL2
	lsr	x3, x3, x2
	tbz	x3, #0, guest_irq_iar
	msr	ICC_EOIR1_EL1, x1
3:	adr	x3, 1f				/* x2 = the LR, x4 = its value */
	add	x3, x3, x2, lsl #3
	br	x3

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
	 * Anything else goes to C with the IAR (vgic_sgi_drain()). The
	 * exit mitigation is checked here: fast_irq is never armed with it.
	 */
.global gic_fast_irq_none
gic_fast_irq_none:				/* no PPI armed */
	ldr	w1, [x0, #PCPU_EXIT_MITIGATION]
	cbnz	w1, guest_irq_slow
	mrs	x1, ICC_IAR1_EL1
2:	cmp	w1, #DOORBELL_SGI
	b.ne	guest_irq_iar
	isb
	ldr	x2, [x5, #FAST_SGI_MBOX1]
	cbnz	x2, guest_irq_iar
	add	x3, x5, #FAST_SGI_MBOX0
	.macro	v3_sgi_lr_free			/* clobbers x2, x4 */
	ldr	x4, [x5, #FAST_SGI_IDX]
	mrs	x2, ICH_ELRSR_EL2
	lsr	x2, x2, x4
	tbz	x2, #0, 5f
	.endm
	sgi_mbox_take x3, (FAST_SGI_BIT - FAST_SGI_MBOX0), x2, x4, w4, 6f, 5f, v3_sgi_lr_free
	msr	ICC_EOIR1_EL1, x1
	msr	ICC_DIR_EL1, x1
	ldr	x2, [x5, #FAST_SGI_IDX]
	ldr	x4, [x5, #FAST_SGI_LR]
	b	3b
5:	clrex
	b	guest_irq_iar
6:	clrex
	msr	ICC_EOIR1_EL1, x1
	msr	ICC_DIR_EL1, x1
	irq_fast_count_eret EXIT_IRQ_FAST_OFF

	/* msr ICH_LR<n>_EL2, x4; two instructions an entry. */
	.macro	lr_entry crm, op2
	msr	S3_4_C12_\crm\()_\op2, x4
	b	guest_irq_fast_done
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
