/* SPDX-License-Identifier: MIT */
/* FP/SIMD state reset, in assembly because C is built general-regs-only. */
#include "arch/asm.h"

	.arch	armv8-a+fp+simd
	.text
	.global	arch_fpsimd_reset
arch_fpsimd_reset:
	movi	v0.16b, #0
	movi	v1.16b, #0
	movi	v2.16b, #0
	movi	v3.16b, #0
	movi	v4.16b, #0
	movi	v5.16b, #0
	movi	v6.16b, #0
	movi	v7.16b, #0
	movi	v8.16b, #0
	movi	v9.16b, #0
	movi	v10.16b, #0
	movi	v11.16b, #0
	movi	v12.16b, #0
	movi	v13.16b, #0
	movi	v14.16b, #0
	movi	v15.16b, #0
	movi	v16.16b, #0
	movi	v17.16b, #0
	movi	v18.16b, #0
	movi	v19.16b, #0
	movi	v20.16b, #0
	movi	v21.16b, #0
	movi	v22.16b, #0
	movi	v23.16b, #0
	movi	v24.16b, #0
	movi	v25.16b, #0
	movi	v26.16b, #0
	movi	v27.16b, #0
	movi	v28.16b, #0
	movi	v29.16b, #0
	movi	v30.16b, #0
	movi	v31.16b, #0
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

/* DC \op over every line of [x0, x1), then DSB and return. */
	.macro	dcache_by_line op
	dcache_line_size x4, x3
	sub	x5, x4, #1
	bic	x0, x0, x5
.Lline_\@:
	dc	\op, x0
	add	x0, x0, x4
	cmp	x0, x1
	b.lo	.Lline_\@
	dsb	sy
	ret
	.endm

/*
 * arch_zero_and_clean(base, size): zero [base, base+size) with DC ZVA when
 * permitted (64-bit stores otherwise), then clean and invalidate it to the
 * point of coherency, because the guest starts with its MMU and caches off.
 * base and size are 4 KiB aligned. When the ZVA block is one cache line
 * (the common case) each line is zeroed and cleaned in one pass: three
 * instructions a line instead of two passes of two, and with 64-byte
 * lines 64 of them an iteration (4 KiB: the loop's compare and branch
 * add 2 per 64 lines). DC ZVA and DC CIVAC take only a register address,
 * so three a line is the floor: 49,152 instructions a MiB.
 */
	.global	arch_zero_and_clean
arch_zero_and_clean:
	add	x2, x0, x1		/* end */
	mrs	x3, dczid_el0
	tbnz	x3, #4, 3f		/* DZP: DC ZVA prohibited */
	and	x3, x3, #0xf
	mov	x4, #4
	lsl	x4, x4, x3		/* ZVA block size in bytes */
	mov	x5, x0
	cmp	x4, #512		/* 8 blocks divide 4 KiB: unrolled */
	b.hi	1f
	dcache_line_size x7, x6
	cmp	x7, x4
	b.ne	6f
	cmp	x4, #64			/* 64 blocks divide 4 KiB: unrolled */
	b.hi	10f
11:	.rept	64
	dc	zva, x5
	dc	civac, x5
	add	x5, x5, x4
	.endr
	cmp	x5, x2
	b.lo	11b
	dsb	sy
	ret
10:	.rept	8
	dc	zva, x5
	dc	civac, x5
	add	x5, x5, x4
	.endr
	cmp	x5, x2
	b.lo	10b
	dsb	sy
	ret
6:	.rept	8
	dc	zva, x5
	add	x5, x5, x4
	.endr
	cmp	x5, x2
	b.lo	6b
	b	4f
1:	dc	zva, x5
	add	x5, x5, x4
	cmp	x5, x2
	b.lo	1b
	b	4f
3:	mov	x5, x0
2:	stp	xzr, xzr, [x5], #16
	cmp	x5, x2
	b.lo	2b
4:	/* Clean: 4 KiB aligned too, so 8 lines an iteration when they
	 * divide it; otherwise the general loop below. */
	dcache_line_size x4, x3
	cmp	x4, #512
	b.hi	7f
	mov	x5, x0
8:	.rept	8
	dc	civac, x5
	add	x5, x5, x4
	.endr
	cmp	x5, x2
	b.lo	8b
	dsb	sy
	ret
7:	mov	x1, x2			/* fall into the general clean */
/*
 * arch_clean_range(base, end): DC CIVAC over [base, end).
 */
	.global	arch_clean_range
arch_clean_range:
	dcache_by_line	civac

/*
 * arch_invalidate_range(base, bytes): DC IVAC over [base, base+bytes), for
 * memory about to be written with the MMU off (boot only, see boot.S:
 * before the writes, since an invalidate may also clean).
 */
	.global	arch_invalidate_range
arch_invalidate_range:
	add	x1, x0, x1
	dcache_by_line	ivac

/*
 * arch_copy_and_clean(dst, src, size): copy [src, src+size) to dst and
 * clean and invalidate the copy to the point of coherency (a guest image,
 * read by a guest that starts with its MMU and caches off). dst and src
 * are 64-byte aligned, size a multiple of 4 KiB (0 copies nothing). With
 * D-cache lines of 64 bytes or more (CTR_EL0.DminLine), 4 instructions a
 * 64-byte block: one LD1 and one ST1 of four 16-byte registers, DC CIVAC
 * and the ADD it needs (DC takes only a register address), 64 blocks an
 * iteration: 65,536 a MiB plus the loop's 2 per 4 KiB. Smaller lines:
 * copy, then clean the range.
 *
 * Uses v0-v3: FP/SIMD is not trapped at EL2 (CPTR_EL2.TFP 0, cpu.c) and
 * the hypervisor's C is built general-regs-only, so the only FP/SIMD
 * state on the core is its vCPU's. Only the core of a vCPU of the
 * partition being loaded calls this (partition_load()), and that vCPU's
 * FP/SIMD registers are reset before it runs again (arch_vcpu_reset(),
 * arch_fpsimd_reset()); a stopped vCPU's state is not kept.
 */
	.global	arch_copy_and_clean
arch_copy_and_clean:
	cbz	x2, 4f			/* the loops below run at least once */
	add	x2, x0, x2		/* end */
	dcache_line_size x4, x3
	cmp	x4, #64
	b.lo	2f
1:	.rept	64
	ld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64
	st1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x0]
	dc	civac, x0
	add	x0, x0, #64
	.endr
	cmp	x0, x2
	b.lo	1b
	dsb	sy
	ret
2:	mov	x5, x0
3:	.rept	64
	ld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64
	st1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64
	.endr
	cmp	x0, x2
	b.lo	3b
	mov	x1, x2
	mov	x0, x5
	b	arch_clean_range
4:	ret
