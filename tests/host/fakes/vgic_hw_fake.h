/* SPDX-License-Identifier: MIT */
#ifndef VGIC_HW_FAKE_H
#define VGIC_HW_FAKE_H

#include <string.h>

#include "hv/vgic.h"

#define FAKE_LRS 4

struct fake_gic {
	struct lr_val lr[FAKE_LRS];
	unsigned lr_writes;
	bool npie, uie, trap_ack;
	uint32_t kicks;
	uint32_t doorbells; /* vgic_hw_doorbell() */
	bool phys_enabled[1024];
	bool phys_pending[1024];
	unsigned deactivated[1024];
	unsigned cleared_active[1024];
	uint32_t route[1024];
	bool edge[1024];
	bool no_hw_eoi; /* model QEMU's GICv2 (struct vgic, hw_eoi) */
	bool no_fast_irq; /* no vector fast path (struct vgic, fast_ok) */
	bool exit_mitigation; /* a workaround runs on every exit (fast_now) */
	/* GICv2: the GICC page with GICV_IAR out of stage 2, how often it
	 * went out or back, and the GICV frame's other words. */
	bool gicv_out;
	unsigned gicv_changes;
	uint32_t gicv_reg[VGICV_TRAP_SIZE / 4];
};

extern struct fake_gic fake;

void fake_reset(void);
void fake_own(uint32_t pintid);
struct hv_partition_cfg;
void fake_partition_cfg(struct hv_partition_cfg *c);
void fake_guest_ack(unsigned i);
void fake_guest_eoi(unsigned i);
int fake_lr_of(uint32_t intid);
bool fake_vector_irq(const struct vgic *g, unsigned self, uint32_t pintid);
bool fake_vector_maint(const struct vgic *g, unsigned self);
bool fake_vector_doorbell(struct vgic *g, unsigned self);
uint32_t fake_misr(void);

#endif
