/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors.
 *
 * Arm ARM DDI 0487 J.a, D1.10.2 "Exception vectors": 16 entries of 0x80
 * bytes; offsets 0x000/0x200 for the current EL (SP_EL0 / SP_ELx), 0x400
 * for a lower EL in AArch64, 0x600 for a lower EL in AArch32.
 *
 * Guest exits save x0-x30, ELR_EL2 and SPSR_EL2 into the running core's
 * struct pcpu (TPIDR_EL2) and call C with x0 = that vCPU. An exception
 * taken at EL2 is always a hypervisor bug: it dumps and stops.
 */
#include "arch/asm.h"
#include "asm_offsets.h"

.macro ventry target
	.balign	0x80
	b	\target
.endm

/* Save guest GPRs, ELR and SPSR into *TPIDR_EL2; x0 = vCPU afterwards. */
.macro save_guest
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #(VCPU_REGS_X + 16)]
	stp	x4, x5, [x0, #(VCPU_REGS_X + 32)]
	stp	x6, x7, [x0, #(VCPU_REGS_X + 48)]
	stp	x8, x9, [x0, #(VCPU_REGS_X + 64)]
	stp	x10, x11, [x0, #(VCPU_REGS_X + 80)]
	stp	x12, x13, [x0, #(VCPU_REGS_X + 96)]
	stp	x14, x15, [x0, #(VCPU_REGS_X + 112)]
	stp	x16, x17, [x0, #(VCPU_REGS_X + 128)]
	stp	x18, x19, [x0, #(VCPU_REGS_X + 144)]
	stp	x20, x21, [x0, #(VCPU_REGS_X + 160)]
	stp	x22, x23, [x0, #(VCPU_REGS_X + 176)]
	stp	x24, x25, [x0, #(VCPU_REGS_X + 192)]
	stp	x26, x27, [x0, #(VCPU_REGS_X + 208)]
	stp	x28, x29, [x0, #(VCPU_REGS_X + 224)]
	str	x30, [x0, #(VCPU_REGS_X + 240)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #VCPU_REGS_X]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [x0, #VCPU_REGS_ELR]
.endm

/*
 * Exception at EL2. First check the stack: slots are 2^(STACK_SHIFT+1)
 * aligned with the stack in the upper half, so bit STACK_SHIFT of a valid SP
 * is set. Test it without a scratch register (x0 is parked in SP); after an
 * overflow x0 is lost and we move to the core's emergency stack.
 */
.macro el2_exception kind
	sub	sp, sp, #EL2_FRAME_SIZE
	add	sp, sp, x0
	sub	x0, sp, x0
	tbz	x0, #STACK_SHIFT, 1f
	sub	x0, sp, x0
	sub	sp, sp, x0
	b	2f
1:	mrs	x0, tpidr_el2
	cbz	x0, .			/* no core state yet: nothing to do */
	ldr	x0, [x0, #PCPU_EMERG_SP]
	sub	sp, x0, #EL2_FRAME_SIZE
	mov	x0, #0xdead
2:	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x1, sp, #EL2_FRAME_SIZE
	stp	x30, x1, [sp, #240]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #256]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [sp, #272]
	mov	x0, sp
	mov	x1, #\kind
	bl	hv_exception_panic
	b	.
.endm

	.text
	.balign	0x800
	.global	el2_vectors
el2_vectors:
	ventry	el2_sp0_sync
	ventry	el2_sp0_irq
	ventry	el2_sp0_fiq
	ventry	el2_sp0_serror
	ventry	el2_spx_sync
	ventry	el2_spx_irq
	ventry	el2_spx_fiq
	ventry	el2_spx_serror
	ventry	guest_sync
	ventry	guest_irq
	ventry	guest_irq		/* FIQ: treated as an interrupt exit */
	ventry	guest_serror
	ventry	guest_aarch32
	ventry	guest_aarch32
	ventry	guest_aarch32
	ventry	guest_aarch32

el2_sp0_sync:	el2_exception 0
el2_sp0_irq:	el2_exception 1
el2_sp0_fiq:	el2_exception 2
el2_sp0_serror:	el2_exception 3
el2_spx_sync:	el2_exception 4
el2_spx_irq:	el2_exception 5
el2_spx_fiq:	el2_exception 6
el2_spx_serror:	el2_exception 7

guest_sync:
	save_guest
	bl	arch_trap_sync
	b	vcpu_return

guest_irq:
	save_guest
	bl	arch_trap_irq
	b	vcpu_return

guest_serror:
	save_guest
	bl	arch_trap_serror
	b	vcpu_return

guest_aarch32:
	save_guest
	bl	arch_trap_aarch32
	b	vcpu_return

/*
 * arch_vcpu_enter(struct pcpu *): enter the guest from any depth of EL2
 * code: reset SP to the top of this core's stack, then return to the guest.
 */
	.global	arch_vcpu_enter
arch_vcpu_enter:
	ldr	x1, [x0, #PCPU_STACK_TOP]
	mov	sp, x1
	/* fall through */
vcpu_return:
	mrs	x0, tpidr_el2
	ldp	x1, x2, [x0, #VCPU_REGS_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #(VCPU_REGS_X + 16)]
	ldp	x4, x5, [x0, #(VCPU_REGS_X + 32)]
	ldp	x6, x7, [x0, #(VCPU_REGS_X + 48)]
	ldp	x8, x9, [x0, #(VCPU_REGS_X + 64)]
	ldp	x10, x11, [x0, #(VCPU_REGS_X + 80)]
	ldp	x12, x13, [x0, #(VCPU_REGS_X + 96)]
	ldp	x14, x15, [x0, #(VCPU_REGS_X + 112)]
	ldp	x16, x17, [x0, #(VCPU_REGS_X + 128)]
	ldp	x18, x19, [x0, #(VCPU_REGS_X + 144)]
	ldp	x20, x21, [x0, #(VCPU_REGS_X + 160)]
	ldp	x22, x23, [x0, #(VCPU_REGS_X + 176)]
	ldp	x24, x25, [x0, #(VCPU_REGS_X + 192)]
	ldp	x26, x27, [x0, #(VCPU_REGS_X + 208)]
	ldp	x28, x29, [x0, #(VCPU_REGS_X + 224)]
	ldr	x30, [x0, #(VCPU_REGS_X + 240)]
	ldp	x0, x1, [x0, #VCPU_REGS_X]
	eret
	/* No speculation past ERET (ARMv8.0 has no SB instruction). */
	dsb	nsh
	isb
