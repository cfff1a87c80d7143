/* SPDX-License-Identifier: MIT */
/* Physical GICv3 driver internals shared by gicv3.c and gicv3_sr.c. */
#ifndef ARCH_GICV3_H
#define ARCH_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vgic.h"

/* Offsets of the one-bit registers, in the distributor (SPIs) and in a
 * redistributor's SGI frame (SGIs, PPIs): GICD_ISENABLER<n> etc. */
enum gicv3_bitreg {
	GICV3_ISENABLER = 0x100,
	GICV3_ICENABLER = 0x180,
	GICV3_ISPENDR = 0x200,
	GICV3_ICPENDR = 0x280,
	GICV3_ISACTIVER = 0x300,
	GICV3_ICACTIVER = 0x380,
};

uint64_t gicv3_lr_encode(const struct lr_val *lr);
struct lr_val gicv3_lr_decode(uint64_t v);

void gicv3_set_bit(uint32_t intid, uint32_t pcpu, enum gicv3_bitreg reg);
bool gicv3_get_bit(uint32_t intid, uint32_t pcpu, enum gicv3_bitreg reg);
void gicv3_route(uint32_t intid, uint32_t pcpu);
void gicv3_config(uint32_t intid, bool edge);

#endif /* ARCH_GICV3_H */
