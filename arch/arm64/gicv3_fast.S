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
#define ICH_ELRSR_EL2	S3_4_C12_C11_5

.global gic_fast_irq
gic_fast_irq:
	mov	x2, x1
	mrs	x1, ICC_IAR1_EL1
	cmp	w1, w2
	b.ne	guest_irq_iar
	lsr	x2, x2, #32
	mrs	x4, ICH_ELRSR_EL2
	lsr	x4, x4, x2
	tbz	x4, #0, guest_irq_iar
	msr	ICC_EOIR1_EL1, x1
	ldr	x3, [x0, #VCPU_VGIC_FAST]
	ldr	x3, [x3, #8]			/* fast_lr */
	mov	x5, #EXIT_IRQ_FAST_OFF
	adr	x4, 1f
	add	x4, x4, x2, lsl #3
	br	x4

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
