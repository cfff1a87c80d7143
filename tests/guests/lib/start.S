/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal test guest entry. Carries an arm64 Image header so it is loaded
 * and entered like Linux: EL1h, MMU off, x0 = DTB. vCPUs started with PSCI
 * CPU_ON enter at secondary_entry with x0 = their index (the context).
 * The first instruction reads the virtual counter, so a benchmark can tell
 * how much virtual time passed before the guest got control.
 */
	.section .text.head, "ax"
	.global _start
_start:
	mrs	x20, cntvct_el0		/* code0: the counter at the first
					 * instruction (guest_entry_ticks) */
	b	primary			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size */
	.quad	0x2
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

	.text
primary:
	mov	x19, x0
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adrp	x1, guest_entry_ticks
	str	x20, [x1, :lo12:guest_entry_ticks]
	mov	x0, #0
	bl	set_stack_and_vectors
	mov	x0, x19
	bl	guest_main
3:	wfi
	b	3b

	.global secondary_entry
secondary_entry:
	mov	x19, x0
	bl	set_stack_and_vectors
	mov	x0, x19
	bl	guest_secondary
4:	wfi
	b	4b

/* x0 = vCPU index: SP = top of its stack; VBAR_EL1 = guest_vectors;
 * FP/SIMD enabled (CPACR_EL1.FPEN). Clobbers x1, x2. */
set_stack_and_vectors:
	adrp	x1, guest_stacks
	add	x1, x1, :lo12:guest_stacks
	add	x2, x0, #1
	lsl	x2, x2, #14
	add	sp, x1, x2
	adrp	x1, guest_vectors
	add	x1, x1, :lo12:guest_vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	ret

/* EL1 vectors: every exception calls guest_exception(frame, kind). */
.macro gvec kind
	.balign	0x80
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	mov	x1, #\kind
	b	guest_exc_common
.endm

	.balign	0x800
	.global guest_vectors
guest_vectors:
	gvec 0
	gvec 1
	gvec 2
	gvec 3
	gvec 4
	gvec 5
	gvec 6
	gvec 7
	gvec 8
	gvec 9
	gvec 10
	gvec 11
	gvec 12
	gvec 13
	gvec 14
	gvec 15

guest_exc_common:
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mov	x0, sp
	bl	guest_exception
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #272
	eret
