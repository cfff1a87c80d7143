/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 virtual CPU interface: list registers and ICH_* state of the
 * calling core, plus the vgic_hw_* hooks that reach the physical
 * distributor and redistributors. The only file that touches ICH_*_EL2.
 *
 * GIC Architecture Specification, IHI 0069H: 12.5.11 ICH_LR<n>_EL2,
 * 12.5.4 ICH_HCR_EL2, 12.5.6 ICH_ELRSR_EL2, 12.5.10 ICH_VTR_EL2,
 * 12.5.12 ICH_VMCR_EL2, 12.5.1-2 ICH_AP0R<n>_EL2/ICH_AP1R<n>_EL2.
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/pcpu.h"
#include "hv/vgic.h"

#include "arch/gicv3.h"
#include "arch/sysreg.h"

#define ICH_LR_EL2(n) S3_4_C12_C12_##n
#define ICH_LR8_EL2(n) S3_4_C12_C13_##n
#define SYS_ICH_VTR_EL2 S3_4_C12_C11_1
#define SYS_ICH_MISR_EL2 S3_4_C12_C11_2
#define SYS_ICH_ELRSR_EL2 S3_4_C12_C11_5
#define SYS_ICH_VMCR_EL2 S3_4_C12_C11_7
#define SYS_ICH_AP0R0_EL2 S3_4_C12_C8_0
#define SYS_ICH_AP1R0_EL2 S3_4_C12_C9_0

#define ICH_HCR_EN (1ULL << 0)
#define ICH_HCR_UIE (1ULL << 1)
#define ICH_HCR_NPIE (1ULL << 3)
#define ICH_HCR_TALL1 (1ULL << 12)

static uint64_t lr_raw_read(unsigned i)
{
	switch (i) {
	case 0: return read_sysreg(ICH_LR_EL2(0));
	case 1: return read_sysreg(ICH_LR_EL2(1));
	case 2: return read_sysreg(ICH_LR_EL2(2));
	case 3: return read_sysreg(ICH_LR_EL2(3));
	case 4: return read_sysreg(ICH_LR_EL2(4));
	case 5: return read_sysreg(ICH_LR_EL2(5));
	case 6: return read_sysreg(ICH_LR_EL2(6));
	case 7: return read_sysreg(ICH_LR_EL2(7));
	case 8: return read_sysreg(ICH_LR8_EL2(0));
	case 9: return read_sysreg(ICH_LR8_EL2(1));
	case 10: return read_sysreg(ICH_LR8_EL2(2));
	case 11: return read_sysreg(ICH_LR8_EL2(3));
	case 12: return read_sysreg(ICH_LR8_EL2(4));
	case 13: return read_sysreg(ICH_LR8_EL2(5));
	case 14: return read_sysreg(ICH_LR8_EL2(6));
	default: return read_sysreg(ICH_LR8_EL2(7));
	}
}

static void lr_raw_write(unsigned i, uint64_t v)
{
	switch (i) {
	case 0: write_sysreg(ICH_LR_EL2(0), v); break;
	case 1: write_sysreg(ICH_LR_EL2(1), v); break;
	case 2: write_sysreg(ICH_LR_EL2(2), v); break;
	case 3: write_sysreg(ICH_LR_EL2(3), v); break;
	case 4: write_sysreg(ICH_LR_EL2(4), v); break;
	case 5: write_sysreg(ICH_LR_EL2(5), v); break;
	case 6: write_sysreg(ICH_LR_EL2(6), v); break;
	case 7: write_sysreg(ICH_LR_EL2(7), v); break;
	case 8: write_sysreg(ICH_LR8_EL2(0), v); break;
	case 9: write_sysreg(ICH_LR8_EL2(1), v); break;
	case 10: write_sysreg(ICH_LR8_EL2(2), v); break;
	case 11: write_sysreg(ICH_LR8_EL2(3), v); break;
	case 12: write_sysreg(ICH_LR8_EL2(4), v); break;
	case 13: write_sysreg(ICH_LR8_EL2(5), v); break;
	case 14: write_sysreg(ICH_LR8_EL2(6), v); break;
	default: write_sysreg(ICH_LR8_EL2(7), v); break;
	}
}

struct lr_val vgic_hw_lr_read(unsigned i)
{
	return gicv3_lr_decode(lr_raw_read(i));
}

void vgic_hw_lr_write(unsigned i, const struct lr_val *lr)
{
	lr_raw_write(i, lr->state == 0 ? 0 : gicv3_lr_encode(lr));
}

uint32_t vgic_hw_lr_empty(void)
{
	return (uint32_t)read_sysreg(SYS_ICH_ELRSR_EL2);
}

/* NPIE and UIE as asked; TALL1 traps the guest's Group 1 CPU interface
 * registers, ICC_IAR1_EL1 among them (vgic_latched_masked()). */
void vgic_hw_underflow_irqs(bool npie, bool uie, bool trap_ack)
{
	uint64_t hcr = read_sysreg(SYS_ICH_HCR_EL2);
	uint64_t want = (hcr & ~(ICH_HCR_NPIE | ICH_HCR_UIE | ICH_HCR_TALL1)) |
			(npie ? ICH_HCR_NPIE : 0) | (uie ? ICH_HCR_UIE : 0) |
			(trap_ack ? ICH_HCR_TALL1 : 0);

	if (want != hcr) {
		write_sysreg(SYS_ICH_HCR_EL2, want);
	}
}

/** Priority bits of the virtual CPU interface (VTR.PRIbits, [31:29]). */
uint8_t arch_vgic_prio_mask(void)
{
	unsigned bits = (unsigned)((read_sysreg(SYS_ICH_VTR_EL2) >> 29) & 7) + 1;

	return (uint8_t)(0xff00u >> bits);
}

/** Number of list registers this core implements (ICH_VTR_EL2.ListRegs). */
uint32_t arch_vgic_lr_count(void)
{
	return (uint32_t)(read_sysreg(SYS_ICH_VTR_EL2) & 0x1f) + 1;
}

/**
 * Give the calling core's virtual CPU interface a clean state for a vCPU
 * that is (re)starting: all LRs empty, no active priorities, guest
 * interface controls reset, virtual interface enabled.
 */
void arch_vgic_cpu_reset(void)
{
	uint32_t n = arch_vgic_lr_count();

	for (unsigned i = 0; i < n && i < VGIC_MAX_LRS; i++) {
		lr_raw_write(i, 0);
	}
	write_sysreg(SYS_ICH_AP0R0_EL2, 0);
	write_sysreg(SYS_ICH_AP1R0_EL2, 0);
	write_sysreg(SYS_ICH_VMCR_EL2, 0);
	write_sysreg(SYS_ICH_HCR_EL2, ICH_HCR_EN);
	isb();
}

/** A parked vCPU's interface: off, so it raises no maintenance interrupt. */
void arch_vgic_cpu_off(void)
{
	write_sysreg(SYS_ICH_HCR_EL2, 0);
	isb();
}

/* ---- physical distributor / redistributor hooks ---- */

/* A GICv3's virtual EOI of a HW interrupt deactivates the physical one
 * (IHI 0069H 12.5.x ICH_LR<n>_EL2.HW), QEMU's model included. */
bool vgic_hw_lr_deactivates(void)
{
	return true;
}

uint64_t vgic_hw_lr_encode(const struct lr_val *lr)
{
	return gicv3_lr_encode(lr);
}

/* The vector acknowledges with ICC_IAR1_EL1 and writes ICH_LR<n>_EL2. */
bool vgic_hw_fast_irq(void)
{
	return true;
}

bool vgic_hw_fast_now(void)
{
	return pcpu_this()->exit_mitigation == 0;
}

/* System registers: no bases. */
void vgic_hw_fast_bases(uint64_t base[2])
{
	base[0] = 0;
	base[1] = 0;
}

void vgic_hw_kick(uint32_t pcpu)
{
	gic_send_ipi(pcpu);
}

void vgic_hw_doorbell(uint32_t pcpu)
{
	gic_send_doorbell(pcpu);
}

uint64_t vgic_hw_doorbell_sgi1r(uint32_t pcpu)
{
	return gic_doorbell_sgi1r(pcpu);
}

uint32_t vgic_hw_current_pcpu(void)
{
	return pcpu_this()->index;
}

void vgic_hw_enable(uint32_t pintid, uint32_t pcpu, bool on)
{
	gicv3_set_bit(pintid, pcpu, on ? GIC_ISENABLER : GIC_ICENABLER);
}

void vgic_hw_pend(uint32_t pintid, uint32_t pcpu, bool on)
{
	gicv3_set_bit(pintid, pcpu, on ? GIC_ISPENDR : GIC_ICPENDR);
}

bool vgic_hw_is_pending(uint32_t pintid, uint32_t pcpu)
{
	return gicv3_get_bit(pintid, pcpu, GIC_ISPENDR);
}

void vgic_hw_deactivate(uint32_t pintid)
{
	gic_deactivate(pintid);
}

void vgic_hw_clear_active(uint32_t pintid, uint32_t pcpu)
{
	gicv3_set_bit(pintid, pcpu, GIC_ICACTIVER);
}

void vgic_hw_route(uint32_t pintid, uint32_t pcpu)
{
	gicv3_route(pintid, pcpu);
}

void vgic_hw_config(uint32_t pintid, bool edge)
{
	gicv3_config(pintid, edge);
}

/* GICv2 only (the GICV frame): never called on a GICv3. */
uint32_t vgic_hw_gicv_read(uint32_t off)
{
	(void)off;
	return 0;
}

void vgic_hw_gicv_write(uint32_t off, uint32_t val)
{
	(void)off;
	(void)val;
}
