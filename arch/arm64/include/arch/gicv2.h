/* SPDX-License-Identifier: MIT */
/* Physical GICv2 driver internals shared by gicv2.c and gicv2_sr.c. */
#ifndef ARCH_GICV2_H
#define ARCH_GICV2_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vgic.h"

#include "arch/gic_bitreg.h"

uint32_t gicv2_lr_encode(const struct lr_val *lr);
struct lr_val gicv2_lr_decode(uint32_t v);

void gicv2_set_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg);
bool gicv2_get_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg);
void gicv2_route(uint32_t intid, uint32_t pcpu);
void gicv2_config(uint32_t intid, bool edge);

#endif /* ARCH_GICV2_H */
