/* SPDX-License-Identifier: MIT */
/*
 * Offsets of the one-bit-per-interrupt registers, the same in the GICv2
 * and GICv3 distributor and in a GICv3 redistributor's SGI frame
 * (IHI 0069H 12.9 / 12.11; IHI 0048B 4.3).
 */
#ifndef ARCH_GIC_BITREG_H
#define ARCH_GIC_BITREG_H

enum gic_bitreg {
	GIC_ISENABLER = 0x100,
	GIC_ICENABLER = 0x180,
	GIC_ISPENDR = 0x200,
	GIC_ICPENDR = 0x280,
	GIC_ISACTIVER = 0x300,
	GIC_ICACTIVER = 0x380,
};

#endif /* ARCH_GIC_BITREG_H */
