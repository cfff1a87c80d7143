/* SPDX-License-Identifier: MIT */
/* Helpers shared by vgic_dist.c and vgic_redist.c. */
#ifndef VGIC_REGS_H
#define VGIC_REGS_H

#include "hv/vgic.h"

enum vgic_bitreg {
	VGIC_R_GROUP,
	VGIC_R_SENABLE,
	VGIC_R_CENABLE,
	VGIC_R_SPEND,
	VGIC_R_CPEND,
	VGIC_R_SACTIVE,
	VGIC_R_CACTIVE,
};

uint32_t vgic_bits_read(struct vgic *g, unsigned vcpu, uint32_t first,
			enum vgic_bitreg reg);
void vgic_bits_write(struct vgic *g, unsigned self, unsigned vcpu,
		     uint32_t first, enum vgic_bitreg reg, uint32_t val);
enum vgic_result vgic_prio_access(struct vgic *g, unsigned self,
				  unsigned vcpu, uint32_t intid,
				  unsigned size, bool write, uint64_t *val);
uint32_t vgic_cfg_read(struct vgic *g, unsigned vcpu, uint32_t first);
void vgic_cfg_write(struct vgic *g, unsigned self, unsigned vcpu,
		    uint32_t first, uint32_t val);

/* Identification. */
#define VGIC_IIDR 0x4200043bu /* product 0x42 ('B'ulkhead), Arm JEP106 */

#endif /* VGIC_REGS_H */
