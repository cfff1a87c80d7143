/* SPDX-License-Identifier: MIT */
/*
 * Image header and entry points.
 *
 * The image starts with an arm64 Linux Image header (Linux
 * Documentation/arch/arm64/booting.rst, "Call the kernel image"), so QEMU's
 * -kernel and U-Boot's booti load it 0x200000 bytes above a 2 MiB aligned
 * RAM base and enter it at EL2 with the MMU off and x0 = DTB.
 */
#include "arch/asm.h"
#include "asm_offsets.h"

#define SCTLR_EL2_RES1 0x30c50830

	.section .text.head, "ax"
	.global _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0x200000		/* text_offset */
	.quad	__hv_image_size		/* image_size, including bss */
	.quad	0x2			/* flags: LE, 4K pages, 2 MiB base */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
primary_entry:
	/* booting.rst asks the loader to mask DAIF and says nothing of
	 * SPSel: take neither on trust. Exceptions from the guests always
	 * use SP_EL2, so that is the stack the boot must set up. */
	msr	daifset, #0xf
	msr	spsel, #1
	mov	x20, x0			/* DTB from the loader */
	/*
	 * The loader cleans only the loaded file to the PoC (booting.rst,
	 * "Caches, MMUs"). Lines of the range past it (.bss: page-table
	 * roots, per-core state; the boot stack) may still be cached, clean
	 * or dirty, from the loader's own use of that memory with its D-cache
	 * on. Everything up to arch_mmu_on() writes there with the MMU off,
	 * that is straight to memory (Device-nGnRnE, DDI 0487 I.a D8.2.10), so
	 * drop those lines first: a dirty one evicted later would overwrite
	 * our writes, and a clean one would be read instead of them once the
	 * MMU is on. With SCTLR_EL2.M clear nothing is allocated again until
	 * then. The rest of .noinit needs nothing here: the per-core and
	 * emergency stacks need no value, the table pool is done page by page
	 * as it is taken (arch_invalidate_range() from pool_alloc()), the
	 * statistics pages by health_init() and the partitions' state by
	 * partition_prepare_all() (hv.ld.S).
	 */
	adr_l	x1, __rodata_end	/* start of the writable part */
	adr_l	x2, __bss_end
	bl	boot_invalidate
	/* The boot stack: the mapped upper half of the extra slot after the
	 * per-core ones. It keeps hv_main()'s frame across arch_mmu_on(). */
	adr_l	x1, hv_stacks
	mov	x2, #(HV_MAX_CPUS_ASM + 1)
	lsl	x2, x2, #(STACK_SHIFT + 1)
	add	x2, x1, x2
	sub	x1, x2, #(1 << STACK_SHIFT)
	bl	boot_invalidate
	/* Zero .bss before using any stack, 128 bytes an iteration: both ends
	 * are 4 KiB aligned (hv.ld.S). With the MMU off this is Device memory,
	 * where DC ZVA would fault. The stacks are not in .bss: they need no
	 * initial value. */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	.irp	off, 0, 16, 32, 48, 64, 80, 96, 112
	stp	xzr, xzr, [x1, #\off]
	.endr
	add	x1, x1, #128
	b	1b
2:	/* Boot stack: the extra stack slot after the per-core ones. */
	adr_l	x1, hv_stacks
	mov	x2, #(HV_MAX_CPUS_ASM + 1)
	lsl	x2, x2, #(STACK_SHIFT + 1)
	add	sp, x1, x2
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	wrong_el
	/* Known EL2 state: MMU and caches off, little-endian. */
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	msr	hcr_el2, xzr
	isb
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	msr	tpidr_el2, xzr
	isb
	/* Refuse to run anywhere but where we are linked. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	wrong_address
	mov	x0, x20
	bl	hv_main
	b	.

/*
 * boot_invalidate: DC IVAC every line of [x1, x2), both ends 4 KiB aligned,
 * then DSB. 8 lines an iteration when 8 fit in 4 KiB. Uses x1-x4, no stack.
 */
boot_invalidate:
	dcache_line_size x4, x3
	cmp	x4, #512
	b.hi	1f
0:	.rept	8
	dc	ivac, x1
	add	x1, x1, x4
	.endr
	cmp	x1, x2
	b.lo	0b
	b	2f
1:	dc	ivac, x1
	add	x1, x1, x4
	cmp	x1, x2
	b.lo	1b
2:	dsb	sy
	ret

wrong_el:
	/* At EL1 writing VBAR_EL2 is UNDEFINED: say so and stop. */
	mov	x0, x1
	bl	boot_wrong_el
	b	.

wrong_address:
	mov	x0, x1
	mov	x1, x2
	bl	boot_wrong_address
	b	.

/*
 * Secondary cores, started by PSCI CPU_ON with x0 = board core index.
 * Firmware enters at EL2 with the MMU off.
 */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	msr	hcr_el2, xzr
	isb
	mov	x19, x0
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	/* Stack: top of slot x19 (guard page below it). */
	adr_l	x1, hv_stacks
	add	x2, x19, #1
	lsl	x2, x2, #(STACK_SHIFT + 1)
	add	sp, x1, x2
	/* TPIDR_EL2 = &hv_pcpus[x19] */
	adr_l	x1, hv_pcpus
	mov	x2, #PCPU_SIZE
	madd	x1, x19, x2, x1
	msr	tpidr_el2, x1
	/* MMU on before touching anything the boot core wrote with it on. */
	adr_l	x0, hv_mmu_regs
	bl	arch_mmu_on
	mov	x0, x19
	bl	hv_secondary_main
	b	.

/*
 * arch_mmu_on(const struct mmu_regs *r): program MAIR, TCR, TTBR0 and turn
 * the EL2 stage-1 MMU on. Uses no stack and no memory but *r.
 */
	.global arch_mmu_on
arch_mmu_on:
	ldp	x1, x2, [x0]		/* mair, tcr */
	ldp	x3, x4, [x0, #16]	/* ttbr0, sctlr */
	msr	mair_el2, x1
	msr	tcr_el2, x2
	msr	ttbr0_el2, x3
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x4
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * arch_switch_stack(sp, fn, arg): continue on a new stack by calling
 * fn(arg), which does not return.
 */
	.global arch_switch_stack
arch_switch_stack:
	mov	sp, x0
	mov	x0, x2
	br	x1
