/* SPDX-License-Identifier: MIT */
/* Assembler helpers. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H
#ifdef __ASSEMBLER__
/* PC-relative address of a symbol anywhere within +/-4 GiB. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/*
 * \reg = the smallest data cache line in bytes, from CTR_EL0.DminLine
 * (log2 of the number of 4-byte words; Arm ARM DDI 0487 J.a, D19.2.35
 * CTR_EL0). Clobbers \tmp.
 */
.macro dcache_line_size reg, tmp
	mrs	\tmp, ctr_el0
	ubfx	\tmp, \tmp, #16, #4
	mov	\reg, #4
	lsl	\reg, \reg, \tmp
.endm
#endif
#endif /* ARCH_ASM_H */
