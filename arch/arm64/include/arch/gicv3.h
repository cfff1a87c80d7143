/* SPDX-License-Identifier: MIT */
/* Physical GICv3 driver internals shared by gicv3.c and gicv3_sr.c. */
#ifndef ARCH_GICV3_H
#define ARCH_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vgic.h"

#include "arch/gic_bitreg.h"

uint64_t gicv3_lr_encode(const struct lr_val *lr);
struct lr_val gicv3_lr_decode(uint64_t v);

void gicv3_set_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg);
uint64_t gic_doorbell_sgi1r(unsigned core);
bool gicv3_get_bit(uint32_t intid, uint32_t pcpu, enum gic_bitreg reg);
void gicv3_route(uint32_t intid, uint32_t pcpu);
void gicv3_config(uint32_t intid, bool edge);

#endif /* ARCH_GICV3_H */
