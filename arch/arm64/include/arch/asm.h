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
#endif
#endif /* ARCH_ASM_H */
