/* SPDX-License-Identifier: MIT */
/*
 * Keel entry, self-relocation, exception vectors and the context switch.
 *
 * The image carries an arm64 Linux Image header, so QEMU's -kernel, U-Boot's
 * booti and Bulkhead load it like a kernel and enter it at EL1h with the
 * MMU off and x0 = DTB (Linux Documentation/arch/arm64/booting.rst). It is
 * linked at address 0 as a static PIE: the code only uses PC-relative
 * addressing, and the few absolute pointers in data (function pointers,
 * string tables) are fixed up here from .rela.dyn, which holds only
 * R_AARCH64_RELATIVE entries (the build checks that). So one binary runs
 * wherever it is loaded: 0x40200000 natively on QEMU virt, the RAM base
 * inside a partition.
 *
 * Every task runs at EL1h on its own stack. An exception (the tick IRQ, or
 * the SVC a task uses to give up the CPU) pushes the full integer state
 * (struct keel_frame in internal.h) on the running task's stack and calls
 * keel_trap(), which returns the frame to resume: the same one, or another
 * task's. Switching tasks is just loading SP from that frame.
 */

#define FRAME_SIZE 272
#define FRAME_X30 240
#define FRAME_SPSR 256
#define R_AARCH64_RELATIVE 1027
#define KEEL_BOOT_STACK_SIZE 8192

/* SCTLR_EL1: RES1 bits of ARMv8.0 (11, 20, 22, 23, 28, 29), I-cache on,
 * SP alignment check; MMU, D-cache and alignment check off. */
#define SCTLR_EL1_BOOT 0x30d01808

	.section .text.head, "ax"
	.global _start
_start:
	b	keel_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, BSS included */
	.quad	0xa			/* LE, 4 KiB pages, any 2 MiB base */
	.quad	0, 0, 0			/* res2, res3, res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
keel_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	ldr	x1, =SCTLR_EL1_BOOT
	msr	sctlr_el1, x1
	/* FP/SIMD traps: Keel is built with -mgeneral-regs-only. */
	msr	cpacr_el1, xzr
	isb
	mov	x19, x0			/* DTB */
	adr	x20, _start		/* load base = link-time bias */

	/* *(base + r_offset) = base + r_addend, for each Elf64_Rela. */
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	halt			/* the build refuses other types */
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b

2:	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b

4:	adrp	x1, keel_boot_stack
	add	x1, x1, :lo12:keel_boot_stack
	add	sp, x1, #KEEL_BOOT_STACK_SIZE
	adrp	x1, keel_vectors
	add	x1, x1, :lo12:keel_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	mov	x1, x20
	bl	keel_boot
halt:
	wfi
	b	halt

/*
 * Vector entry: make room for a frame, free two registers, and branch to
 * the common path with x1 = the vector's index. 0x80 bytes per entry.
 */
.macro ventry kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	trap_common
.endm

	.balign	0x800
	.global	keel_vectors
keel_vectors:
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ventry	\kind
	.endr

trap_common:
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
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #FRAME_X30]
	mrs	x2, spsr_el1
	str	x2, [sp, #FRAME_SPSR]
	mov	x0, sp
	bl	keel_trap
	/* Fall through: resume the frame keel_trap() chose. */

/* keel_resume(frame): restore a task's state from its frame and return to
 * it. Also starts the first task. IRQs are masked on entry. */
	.global	keel_resume
keel_resume:
	mov	sp, x0
	ldr	x2, [sp, #FRAME_SPSR]
	msr	spsr_el1, x2
	ldp	x30, x2, [sp, #FRAME_X30]
	msr	elr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret

	.ltorg

/* The boot stack: keel_boot() and the application's set-up run on it. */
	.bss
	.balign	16
keel_boot_stack:
	.space	KEEL_BOOT_STACK_SIZE
