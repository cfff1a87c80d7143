/* SPDX-License-Identifier: MIT */
/*
 * Structure offsets for assembly. Compiled to assembly only; the build
 * turns each "->NAME value" marker into a #define in asm_offsets.h.
 */
#include <stddef.h>

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/pcpu.h"
#include "hv/psci.h"
#include "hv/trap.h"
#include "hv/vgic.h"

#include "arch/esr.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);

/** Emits the markers; never called. */
void asm_offsets(void)
{
	DEFINE(VCPU_REGS_X, offsetof(struct pcpu, vcpu.regs.x));
	DEFINE(VCPU_REGS_ELR, offsetof(struct pcpu, vcpu.regs.elr));
	DEFINE(VCPU_REGS_SPSR, offsetof(struct pcpu, vcpu.regs.spsr));
	DEFINE(PCPU_STACK_TOP, offsetof(struct pcpu, stack_top));
	DEFINE(PCPU_EMERG_SP, offsetof(struct pcpu, emerg_sp));
	DEFINE(PCPU_EXIT_MITIGATION, offsetof(struct pcpu, exit_mitigation));
	DEFINE(PCPU_SIZE, sizeof(struct pcpu));
	DEFINE(STACK_SHIFT, HV_STACK_SHIFT);
	DEFINE(HV_MAX_CPUS_ASM, HV_MAX_CPUS);
	DEFINE(EL2_FRAME_SIZE, sizeof(struct el2_frame));
	DEFINE(VCPU_EXITS, offsetof(struct pcpu, vcpu.exits));
	DEFINE(EXIT_HVC_OFF, EXIT_HVC * sizeof(uint64_t));
	DEFINE(EXIT_IRQ_OFF, EXIT_IRQ * sizeof(uint64_t));
	DEFINE(EXIT_IRQ_FAST_OFF, EXIT_IRQ_FAST * sizeof(uint64_t));
	DEFINE(EXIT_MAINT_OFF, EXIT_MAINT * sizeof(uint64_t));
	DEFINE(EXIT_MAINT_FAST_OFF, EXIT_MAINT_FAST * sizeof(uint64_t));
	DEFINE(VGIC_MAINT_INTID, VGIC_MAINT_INTID);
	DEFINE(CFG_GICC_BASE, offsetof(struct hv_config, board.gicc_base));
	DEFINE(CFG_GICH_BASE, offsetof(struct hv_config, board.gich_base));
	DEFINE(VCPU_VGIC_FAST, offsetof(struct pcpu, vcpu.vgic_fast));
	DEFINE(VCPU_IRQ_IAR, offsetof(struct pcpu, vcpu.irq_iar));
	/* The vector loads both with one LDP. */
	_Static_assert(offsetof(struct vgic_vcpu, fast_lr) ==
			       offsetof(struct vgic_vcpu, fast_irq) + 8,
		       "fast_lr follows fast_irq");
	_Static_assert(VGIC_MAX_LRS == 16, "the vector's LR table has 16");
	/* The SGI fast path's fields, from the vCPU's vgic_fast pointer. */
#define FAST_OFF(f) (offsetof(struct vgic_vcpu, f) - \
		     offsetof(struct vgic_vcpu, fast_irq))
	DEFINE(FAST_SGI_MBOX0, FAST_OFF(sgi_mbox[0]));
	DEFINE(FAST_SGI_MBOX1, FAST_OFF(sgi_mbox[1]));
	DEFINE(FAST_SGI_BIT, FAST_OFF(fast_sgi_bit));
	DEFINE(FAST_SGI_LR, FAST_OFF(fast_sgi_lr));
	DEFINE(FAST_SGI_IDX, FAST_OFF(fast_sgi_idx));
	DEFINE(FAST_DOORBELL, FAST_OFF(doorbell_sgi1r));
	DEFINE(FAST_CPU0, FAST_OFF(cpu0_fast));
	DEFINE(FAST_SGI1R_ALL, FAST_OFF(sgi1r_all));
	DEFINE(FAST_SGI1R_OTHERS, FAST_OFF(sgi1r_others));
	DEFINE(FAST_GIC, FAST_OFF(fast_gic));
	_Static_assert(FAST_OFF(fast_gic) % 8 == 0 && FAST_OFF(fast_gic) <= 504,
		       "gicv2_fast.S loads fast_gic with one LDP");
	/* The fast paths count EXIT_IRQ and EXIT_MAINT with one LDP/STP
	 * and clean their line through the counters' base. */
	_Static_assert(EXIT_IRQ == 0 && EXIT_MAINT == 1,
		       "EXIT_IRQ, EXIT_MAINT first and adjacent");
	DEFINE(VGIC_VCPU_SIZE, sizeof(struct vgic_vcpu));
	DEFINE(DOORBELL_SGI, HV_DOORBELL_SGI);
	DEFINE(EXIT_SYSREG_OFF, EXIT_SYSREG * sizeof(uint64_t));
	/* ICC_SGI1R_EL1's ISS with Rt 0, for the vector (esr.h). */
	DEFINE(SYSREG_SGI1R_ISS, SYSREG_ICC_SGI1R);
	_Static_assert((SYSREG_ICC_SGI1R >> 12) < 4096,
		       "vectors.S compares the ISS with SUB #, LSL 12 and CMP");
	DEFINE(FAST_PSCI_VERSION, PSCI_VERSION);
	DEFINE(FAST_SMCCC_VERSION, SMCCC_VERSION);
	/* The vector's fast path returns one value for both calls. */
	_Static_assert(PSCI_VERSION_RET == SMCCC_VERSION_RET,
		       "vectors.S answers both version calls alike");
	_Static_assert((PSCI_VERSION & 0xffff) == 0 &&
			       (SMCCC_VERSION & 0xffff) == 0,
		       "vectors.S builds the IDs with one MOVZ");
	DEFINE(FAST_VERSION_RET, PSCI_VERSION_RET);
}
