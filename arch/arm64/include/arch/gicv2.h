/* SPDX-License-Identifier: MIT */
/* Physical GICv2 driver internals shared by gicv2.c and gicv2_sr.c. */
#ifndef ARCH_GICV2_H
#define ARCH_GICV2_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vgic.h"

enum gicv2_bitreg {
	GICV2_ISENABLER = 0x100,
	GICV2_ICENABLER = 0x180,
	GICV2_ISPENDR = 0x200,
	GICV2_ICPENDR = 0x280,
	GICV2_ISACTIVER = 0x300,
	GICV2_ICACTIVER = 0x380,
};

uint32_t gicv2_lr_encode(const struct lr_val *lr);
struct lr_val gicv2_lr_decode(uint32_t v);

void gicv2_set_bit(uint32_t intid, uint32_t pcpu, enum gicv2_bitreg reg);
bool gicv2_get_bit(uint32_t intid, uint32_t pcpu, enum gicv2_bitreg reg);
void gicv2_route(uint32_t intid, uint32_t pcpu);
void gicv2_config(uint32_t intid, bool edge);

#endif /* ARCH_GICV2_H */
