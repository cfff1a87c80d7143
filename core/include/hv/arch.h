/* SPDX-License-Identifier: MIT */
/*
 * Architecture hooks used by the generic code.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/pcpu.h"
#include "hv/pt.h"

struct partition;

/** EL2 stage-1 register values, read by assembly (layout fixed). */
struct mmu_regs {
	uint64_t mair;
	uint64_t tcr;
	uint64_t ttbr0;
	uint64_t sctlr;
};

extern struct mmu_regs hv_mmu_regs;
extern struct pt_pool hv_pt_pool;

void arch_cpu_init_el2(void);
void arch_mmu_build(void);
void arch_mmu_seal(void);
void arch_mmu_on(const struct mmu_regs *r);
void arch_mmu_prepare_window(const struct partition *p);
void arch_mmu_map_window(const struct partition *p);
void arch_mmu_unmap_window(const struct partition *p);
void arch_partition_flush(const struct partition *p);
void arch_stage2_unmapped(const struct partition *p, uint64_t ipa);
void arch_stage2_mapped(void);
void arch_clean_range(uint64_t base, uint64_t end);
void arch_invalidate_range(void *base, size_t bytes);
void arch_zero_and_clean(uint64_t base, uint64_t size);
void arch_copy_and_clean(uint64_t dst, uint64_t src, uint64_t size);
uint64_t arch_llc_way_size(void);
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);
__attribute__((noreturn)) void arch_vcpu_enter(struct pcpu *c);
__attribute__((noreturn)) void arch_switch_stack(uint64_t sp,
						 void (*fn)(uint64_t),
						 uint64_t arg);
void arch_inject_undef(struct vcpu *v);
void arch_inject_abort(struct vcpu *v, bool instruction);
void arch_inject_serror(struct vcpu *v);
void arch_fpsimd_reset(void);
int64_t arch_psci_fw_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx);
/** Firmware PSCI SYSTEM_OFF; returns only on failure (its error code). */
int64_t arch_psci_fw_system_off(void);
__attribute__((noreturn)) void arch_halt(void);

/* Physical GIC. */
struct hv_partition_cfg;
void gic_init_dist(void);
void gic_init_cpu(unsigned core);
void gic_send_ipi(unsigned core);
/* The physical SGI that rings a core's doorbell: SGIs posted to its vCPU
 * (struct vgic_vcpu, sgi_mbox; vgic_sgi_post()). The kick is SGI 0. */
#define HV_DOORBELL_SGI 1
void gic_send_doorbell(unsigned core);
uint32_t gic_ack(void);
uint32_t gic_intid(uint32_t iar);
void gic_eoi(uint32_t iar);
void gic_deactivate(uint32_t iar);
bool gic_is_kick(uint32_t intid);
void gic_quiesce_partition(const struct hv_partition_cfg *c);
void gic_enable_hv_irq(uint32_t intid, unsigned core, bool edge);
/** A private interrupt (PPI) of this core, @core, the hypervisor handles. */
void gic_enable_hv_ppi(unsigned core, uint32_t intid);
void gic_enable_hv_pmu_spi(unsigned core);
uint32_t arch_vgic_lr_count(void);
uint8_t arch_vgic_prio_mask(void);
void arch_vgic_cpu_reset(void);
void arch_vgic_cpu_off(void);

#endif /* HV_ARCH_H */
