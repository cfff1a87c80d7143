/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors.
 *
 * Arm ARM DDI 0487 J.a, D1.10.2 "Exception vectors": 16 entries of 0x80
 * bytes; offsets 0x000/0x200 for the current EL (SP_EL0 / SP_ELx), 0x400
 * for a lower EL in AArch64, 0x600 for a lower EL in AArch32.
 *
 * Guest exits save x0-x30, ELR_EL2 and SPSR_EL2 into the running core's
 * struct pcpu (TPIDR_EL2) and call C with x0 = that vCPU, except the
 * PSCI_VERSION and SMCCC_VERSION hypercalls (guest_sync) and the vCPU's
 * own forwarded timer interrupt (irq_entry), handled in the vector, and
 * emulated-device accesses, which save only x0-x18 and x30 first (the
 * light exit, guest_sync), when no speculation workaround runs on exit. An exception
 * taken at EL2 is always a hypervisor bug: it dumps and stops.
 */
#include "arch/asm.h"
#include "arch/irq_fast.h"
#include "asm_offsets.h"

.macro ventry target
	.balign	0x80
	b	\target
.endm

/*
 * Interrupt exit, in the vector slot itself (no branch to reach it). Fast
 * path first, for the interrupts that dominate: the vCPU's own timer PPI,
 * forwarded to it, its maintenance interrupt on QEMU's GICv2, and the SGI
 * doorbell. Save x0-x5 (irq_fast.h gives the frame), load the vCPU's
 * fast_irq and fast_lr (struct vgic_vcpu; vgic/vgic.c, fast_arm() states
 * when the vGIC arms them: never while a speculation workaround has to run
 * on exit) and go to the GIC's half (gicv3_fast.S or gicv2_fast.S,
 * whichever the board links) with x0 = this core's struct pcpu, x3 =
 * fast_irq, x4 = fast_lr, x5 = &fast_irq: gic_fast_irq if one is armed,
 * else gic_fast_irq_none, which checks pcpu->exit_mitigation itself. They
 * finish the exit and ERET, or hand the acknowledged interrupt to C in
 * v->irq_iar (guest_irq_iar, w1 = the IAR), or leave it unacknowledged
 * (guest_irq_slow).
 */
.macro irq_entry
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	stp	x2, x3, [sp, #-32]!
	stp	x4, x5, [sp, #16]
	mrs	x0, tpidr_el2
	ldr	x5, [x0, #VCPU_VGIC_FAST]
	ldp	x3, x4, [x5]			/* fast_irq, fast_lr */
	cbnz	x3, gic_fast_irq
	b	gic_fast_irq_none
.endm

/* Guest x18-x29 to or from the vCPU at \base. */
.macro regs_x18_x29 op, base
	\op	x18, x19, [\base, #(VCPU_REGS_X + 144)]
	\op	x20, x21, [\base, #(VCPU_REGS_X + 160)]
	\op	x22, x23, [\base, #(VCPU_REGS_X + 176)]
	\op	x24, x25, [\base, #(VCPU_REGS_X + 192)]
	\op	x26, x27, [\base, #(VCPU_REGS_X + 208)]
	\op	x28, x29, [\base, #(VCPU_REGS_X + 224)]
.endm

/* Guest x2-x17 to or from the vCPU at \base (what a C call may change,
 * with x0, x1, x18 and x30). */
.macro regs_x2_x17 op, base
	\op	x2, x3, [\base, #(VCPU_REGS_X + 16)]
	\op	x4, x5, [\base, #(VCPU_REGS_X + 32)]
	\op	x6, x7, [\base, #(VCPU_REGS_X + 48)]
	\op	x8, x9, [\base, #(VCPU_REGS_X + 64)]
	\op	x10, x11, [\base, #(VCPU_REGS_X + 80)]
	\op	x12, x13, [\base, #(VCPU_REGS_X + 96)]
	\op	x14, x15, [\base, #(VCPU_REGS_X + 112)]
	\op	x16, x17, [\base, #(VCPU_REGS_X + 128)]
.endm

/* The light exit's save: x0-x18 and x30 (x0 and x1 already pushed) into
 * *TPIDR_EL2; x0 = vCPU afterwards, x1 (ESR_EL2) kept. */
.macro light_save
	mrs	x0, tpidr_el2
	regs_x2_x17 stp, x0
	str	x18, [x0, #(VCPU_REGS_X + 144)]
	str	x30, [x0, #(VCPU_REGS_X + 240)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #VCPU_REGS_X]
.endm

/* Save guest GPRs, ELR and SPSR into *TPIDR_EL2; x0 = vCPU afterwards. */
.macro save_guest
	stp	x0, x1, [sp, #-16]!
	save_guest_rest
.endm

/* The same, with the guest's x0 and x1 already pushed on the stack. */
.macro save_guest_rest
	mrs	x0, tpidr_el2
	regs_x2_x17 stp, x0
	regs_x18_x29 stp, x0
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
	irq_entry
	irq_entry			/* FIQ: treated as an interrupt exit */
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

/*
 * Synchronous exit. Fast path first: an HVC #0 (ESR_EL2.EC 0x16, ISS
 * imm16 0; DDI 0487 J.a D19.2.40) calling PSCI_VERSION (PSCI DEN0022D
 * 5.1.1) or SMCCC_VERSION (SMCCC DEN0028 7.2.1), whose answers are
 * constants, is answered here: count the exit, result in x0, every other
 * register as it was (as psci_handle() leaves them; SMCCC 2.6), and ERET
 * to ELR_EL2, which already points past the HVC (D1.10.1: the preferred
 * return address of HVC is the next instruction). Only W0 identifies the
 * function (SMCCC 2.5: SMC32/HVC32 IDs). Anything else, or any call while
 * arch_spectre_exit() has firmware work to do on every exit
 * (pcpu->exit_mitigation, a copy of hv_exit_mitigation), takes the full path. Nothing is pending here that
 * the full path would handle: requests and interrupts for this core come
 * with a kick (an SGI), which is taken right after the ERET.
 */
guest_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	ubfx	x0, x1, #26, #6		/* EC */
	cmp	x0, #0x24		/* data abort from a lower EL */
	b.eq	6f
	cmp	x0, #0x16		/* HVC from AArch64 */
	b.ne	10f
	tst	x1, #0xffff		/* imm16 */
	b.ne	1f
	mrs	x1, tpidr_el2
	ldr	w1, [x1, #PCPU_EXIT_MITIGATION]
	cbnz	w1, 1f
	ldr	w0, [sp]		/* guest W0: function ID */
	movz	w1, #((FAST_PSCI_VERSION >> 16) & 0xffff), lsl #16
	cmp	w0, w1
	movz	w1, #((FAST_SMCCC_VERSION >> 16) & 0xffff), lsl #16
	ccmp	w0, w1, #4, ne		/* Z set if either matched */
	b.ne	1f
	/* vcpu_count(): the counter lives in the partition's stats page,
	 * cleaned to PoC for a monitor reading it uncached (C5.3.13). */
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #VCPU_EXITS]
	add	x0, x0, #EXIT_HVC_OFF
	ldr	x1, [x0]
	add	x1, x1, #1
	str	x1, [x0]
	dc	cvac, x0
	/* One constant answers both (see the check at the top). */
	mov	x0, #(FAST_VERSION_RET & 0xffff)
	movk	x0, #(FAST_VERSION_RET >> 16), lsl #16
	ldr	x1, [sp, #8]
	add	sp, sp, #16
	eret
	dsb	nsh
	isb
1:	save_guest_rest
	bl	arch_trap_sync
	b	vcpu_return

	/*
	 * The light exit: a data abort from the guest with a valid syndrome
	 * (EC 0x24, ISS.ISV bit 24; D19.2.40), most often an emulated GIC or
	 * UART register. Save only what a C call may change, x0-x18 and x30
	 * (AAPCS64 5.1.1: x19-x29 are preserved by the callee), leave
	 * ELR_EL2 and SPSR_EL2 in their registers, and let
	 * arch_trap_dabt_light(vCPU, ESR) try it. If it did, restore those
	 * and ERET; if not, complete the save and take the full path.
	 */
6:	tbz	x1, #24, 1b		/* ISV */
	mrs	x0, tpidr_el2
	ldr	w0, [x0, #PCPU_EXIT_MITIGATION]
	cbnz	w0, 1b
	light_save
	bl	arch_trap_dabt_light	/* x0 = vCPU, x1 = ESR_EL2 */
9:	mrs	x1, tpidr_el2
	cbz	w0, 7f
	regs_x2_x17 ldp, x1
	ldr	x18, [x1, #(VCPU_REGS_X + 144)]
	ldr	x30, [x1, #(VCPU_REGS_X + 240)]
	ldp	x0, x1, [x1, #VCPU_REGS_X]
	eret
	dsb	nsh
	isb

	/*
	 * A trapped MSR, MRS or system instruction (EC 0x18; ISS: D19.2.40,
	 * "ISS encoding for an exception from MSR, MRS, or System
	 * instruction execution in AArch64 state"). A write of ICC_SGI1R_EL1
	 * (op0 3, op1 0, CRn 12, CRm 11, op2 5, direction 0; IHI 0069H
	 * 12.2.23), trapped while HCR_EL2.IMO is set, is done here on a
	 * GICv3 partition: every SGI it names is posted to its target vCPU's
	 * mailbox and that vCPU's core's doorbell rung (the assembly twin of
	 * vgic_sgi_post(), vgic/vgic.c), without the vGIC lock. The targets
	 * are those of vgic_sgi1r_targets(): the target list within the
	 * partition's vCPUs (sgi1r_all) or, with IRM = 1, all of them but
	 * this one (sgi1r_others); a value with any of Aff1, Aff2, Aff3 or
	 * RS set names none of our vCPUs and goes to C, as does anything on
	 * a GICv2 partition (sgi1r_all 0) or while a speculation workaround
	 * runs on exit. Then count the exit (EXIT_SYSREG), step ELR_EL2 past
	 * the 4-byte MSR and end a software step in progress, as
	 * trap_finish() does.
	 */
10:	cmp	x0, #0x18
	b.ne	1b
	ubfx	x0, x1, #5, #5		/* Rt, kept in x0 */
	bic	w1, w1, #(0x1f << 5)
	and	w1, w1, #0x1ffffff	/* the ISS without Rt */
	sub	w1, w1, #(SYSREG_SGI1R_ISS >> 12), lsl #12
	cmp	w1, #(SYSREG_SGI1R_ISS & 0xfff)
	b.ne	1b
	stp	x2, x3, [sp, #-32]!	/* guest x2-x5; x0, x1 above them */
	stp	x4, x5, [sp, #16]
	mrs	x4, tpidr_el2
	ldr	w2, [x4, #PCPU_EXIT_MITIGATION]
	cbnz	w2, 12f
	ldr	x4, [x4, #VCPU_VGIC_FAST]
	ldr	w3, [x4, #FAST_SGI1R_ALL]
	cbz	w3, 12f			/* GICv2 partition */
	adr	x2, 20f
	add	x2, x2, x0, lsl #3
	br	x2
11:	ldr	w5, [x4, #FAST_SGI1R_OTHERS]	/* x2 = the value written */
	ldr	x4, [x4, #FAST_CPU0]
	ubfx	x1, x2, #24, #4		/* INTID */
	mov	x0, #1
	lsl	x1, x0, x1		/* its bit in word 0 (source 0) */
	tbnz	x2, #40, 13f		/* IRM */
	movz	x0, #0x00ff, lsl #16	/* Aff1 */
	movk	x0, #0xf0ff, lsl #32	/* Aff2, RS */
	movk	x0, #0x00ff, lsl #48	/* Aff3 */
	tst	x2, x0
	b.ne	12f
	and	x2, x2, x3		/* TargetList within the partition */
	b	14f
13:	mov	x2, x5
14:	cbz	x2, 16f
15:	rbit	x5, x2			/* t = the lowest target left */
	clz	x5, x5
	mov	x0, #1
	lsl	x0, x0, x5
	bic	x2, x2, x0
	mov	x0, #VGIC_VCPU_SIZE
	madd	x0, x5, x0, x4		/* vCPU t's fast_irq */
	add	x0, x0, #FAST_SGI_MBOX0
17:	ldxr	x3, [x0]
	orr	x3, x3, x1
	stxr	w5, x3, [x0]
	cbnz	w5, 17b
	ldr	x3, [x0, #(FAST_DOORBELL - FAST_SGI_MBOX0)]
	dsb	ish			/* the post before the doorbell */
	msr	S3_0_C12_C11_5, x3	/* ICC_SGI1R_EL1 */
	cbnz	x2, 15b
16:	mrs	x0, tpidr_el2
	ldr	x0, [x0, #VCPU_EXITS]
	add	x0, x0, #EXIT_SYSREG_OFF
	ldr	x1, [x0]
	add	x1, x1, #1
	str	x1, [x0]
	dc	cvac, x0
	mrs	x0, elr_el2
	add	x0, x0, #4
	msr	elr_el2, x0
	mrs	x0, spsr_el2
	bic	x0, x0, #(1 << 21)	/* SPSR_EL2.SS */
	msr	spsr_el2, x0
	eret_x0_x5
12:	ldp	x4, x5, [sp, #16]	/* to C, as it came */
	ldp	x2, x3, [sp], #32
	b	1b

	/* x2 = guest Xt: from the stack for x0-x5, xzr for 31. */
	.macro	rt_stack off
	ldr	x2, [sp, #\off]
	b	11b
	.endm
	.macro	rt_reg n
	mov	x2, x\n
	b	11b
	.endm
20:	rt_stack 32
	rt_stack 40
	rt_stack 0
	rt_stack 8
	rt_stack 16
	rt_stack 24
	.irp	n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	rt_reg	\n
	.endr
	mov	x2, xzr
	b	11b

7:	mov	x0, x1			/* not handled: the rest of the save */
	str	x19, [x0, #(VCPU_REGS_X + 152)]
	stp	x20, x21, [x0, #(VCPU_REGS_X + 160)]
	stp	x22, x23, [x0, #(VCPU_REGS_X + 176)]
	stp	x24, x25, [x0, #(VCPU_REGS_X + 192)]
	stp	x26, x27, [x0, #(VCPU_REGS_X + 208)]
	stp	x28, x29, [x0, #(VCPU_REGS_X + 224)]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [x0, #VCPU_REGS_ELR]
	bl	arch_trap_sync
	b	vcpu_return

/* gic_fast_irq could not finish it: w1 = the IAR it read, for C. */
.global guest_irq_iar
guest_irq_iar:
	str	w1, [x0, #VCPU_IRQ_IAR]
/* Or nothing acknowledged yet: C reads the IAR. */
.global guest_irq_slow
guest_irq_slow:
	ldp	x4, x5, [sp, #16]
	ldp	x2, x3, [sp], #32
	save_guest_rest
	bl	arch_trap_irq
	b	vcpu_return

/* gic_fast_irq wrote the armed LR (gicv3_fast.S, its LR table): count the
 * exit as irqfast and return to the guest. x0 = this core's struct pcpu. */
.global guest_irq_fast_done
guest_irq_fast_done:
	irq_fast_count_eret EXIT_IRQ_FAST_OFF

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
	regs_x2_x17 ldp, x0
	regs_x18_x29 ldp, x0
	ldr	x30, [x0, #(VCPU_REGS_X + 240)]
	ldp	x0, x1, [x0, #VCPU_REGS_X]
	eret
	/* No speculation past ERET (ARMv8.0 has no SB instruction). */
	dsb	nsh
	isb
