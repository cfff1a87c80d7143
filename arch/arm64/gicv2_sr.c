/* SPDX-License-Identifier: MIT */
/*
 * The GICv2 virtual interface control (GICH, banked per core) and the
 * vgic_hw_* hooks for GICv2. The guest's virtual CPU interface (GICV) is
 * mapped in its stage 2 at its GICC address; its first page is taken out
 * while the vGIC checks an acknowledge, and its accesses are then made
 * here (vgic_hw_gicv_read(), vgic_hw_gicv_write()).
 *
 * IHI 0048B, 5.3 "GIC virtual interface control registers": GICH_HCR
 * 0x00, GICH_VTR 0x04, GICH_VMCR 0x08, GICH_MISR 0x10, GICH_ELRSR0 0x30,
 * GICH_APR 0xf0, GICH_LRn 0x100 + 4n.
 */
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/pcpu.h"
#include "hv/vgic.h"

#include "arch/gicv2.h"
#include "arch/sysreg.h"

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_ELRSR0 0x030
#define GICH_APR 0x0f0
#define GICH_LR 0x100
#define GICC_IIDR 0x00fc
#define GICC_IIDR_QEMU 0x0002043bu
#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1)
#define GICH_HCR_NPIE (1u << 3)

extern const struct hv_config hv_cfg;

static uint64_t gich(void)
{
	return hv_cfg.board.gich_base;
}

struct lr_val vgic_hw_lr_read(unsigned i)
{
	return gicv2_lr_decode(mmio_read32(gich() + GICH_LR + 4ul * i));
}

void vgic_hw_lr_write(unsigned i, const struct lr_val *lr)
{
	mmio_write32(gich() + GICH_LR + 4ul * i,
		     lr->state == 0 ? 0 : gicv2_lr_encode(lr));
}

uint32_t vgic_hw_lr_empty(void)
{
	return mmio_read32(gich() + GICH_ELRSR0);
}

/* @trap_ack: a GICv2 has no register that traps the guest's GICV_IAR
 * read; the vGIC takes the GICC page out of stage 2 instead
 * (vgic_hw_gicv_trap()). */
void vgic_hw_underflow_irqs(bool npie, bool uie, bool trap_ack)
{
	(void)trap_ack;
	uint32_t hcr = mmio_read32(gich() + GICH_HCR);
	uint32_t want = (hcr & ~(GICH_HCR_NPIE | GICH_HCR_UIE)) |
			(npie ? GICH_HCR_NPIE : 0) | (uie ? GICH_HCR_UIE : 0);

	if (want != hcr) {
		mmio_write32(gich() + GICH_HCR, want);
	}
}

/* This core's GICV frame, as the guest would have reached it: the GIC
 * banks it per CPU interface (IHI 0048B 5.4), so an access from EL2 on
 * the vCPU's core reaches that vCPU's virtual interface. */
uint32_t vgic_hw_gicv_read(uint32_t off)
{
	return mmio_read32(hv_cfg.board.gicv_base + off);
}

void vgic_hw_gicv_write(uint32_t off, uint32_t val)
{
	mmio_write32(hv_cfg.board.gicv_base + off, val);
}

/** Priority bits of the virtual CPU interface (VTR.PRIbits, [31:29]). */
uint8_t arch_vgic_prio_mask(void)
{
	unsigned bits = (unsigned)((mmio_read32(gich() + GICH_VTR) >> 29) & 7) + 1;

	return (uint8_t)(0xff00u >> bits);
}

uint32_t arch_vgic_lr_count(void)
{
	return (mmio_read32(gich() + GICH_VTR) & 0x3f) + 1;
}

/** Clean virtual interface for a (re)starting vCPU; interface enabled. */
void arch_vgic_cpu_reset(void)
{
	uint32_t n = arch_vgic_lr_count();

	for (unsigned i = 0; i < n && i < VGIC_MAX_LRS; i++) {
		mmio_write32(gich() + GICH_LR + 4ul * i, 0);
	}
	mmio_write32(gich() + GICH_APR, 0);
	mmio_write32(gich() + GICH_VMCR, 0);
	mmio_write32(gich() + GICH_HCR, GICH_HCR_EN);
}

void arch_vgic_cpu_off(void)
{
	mmio_write32(gich() + GICH_HCR, 0);
}

void vgic_hw_kick(uint32_t pcpu)
{
	gic_send_ipi(pcpu);
}

void vgic_hw_doorbell(uint32_t pcpu)
{
	gic_send_doorbell(pcpu);
}

/* No ICC_SGI1R_EL1 here: the vector's SGI write path stays off. */
uint64_t vgic_hw_doorbell_sgi1r(uint32_t pcpu)
{
	(void)pcpu;
	return 0;
}

uint32_t vgic_hw_current_pcpu(void)
{
	return pcpu_this()->index;
}

/*
 * Whether the guest's EOI of a HW interrupt (GICH_LRn.HW = 1) deactivates
 * the physical interrupt such that, still pending, it is signalled again
 * (IHI 0048B 5.3.11 and 3.2.4). QEMU 7.2's GICv2 model deactivates it but
 * re-evaluates only the virtual interface, so a level interrupt still
 * asserted at the EOI (a timer whose next deadline has passed, a re-pended
 * SPI) waits for some unrelated GIC event. Its CPU interface identifies as
 * product 0 of Arm (GICC_IIDR 0x0002043b); GIC-400 is product 0x020.
 */
bool vgic_hw_lr_deactivates(void)
{
	uint32_t iidr = mmio_read32(hv_cfg.board.gicc_base + GICC_IIDR);

	return iidr != GICC_IIDR_QEMU;
}

uint64_t vgic_hw_lr_encode(const struct lr_val *lr)
{
	return gicv2_lr_encode(lr);
}

/* The vector's fast path for a GICv2: arch/arm64/gicv2_fast.S. */
bool vgic_hw_fast_irq(void)
{
	return true;
}

bool vgic_hw_fast_now(void)
{
	return pcpu_this()->exit_mitigation == 0;
}

/* gicv2_fast.S reaches GICC_IAR, GICC_EOIR, GICC_DIR and GICH_* through
 * these (the hypervisor maps the GIC at its physical addresses). */
void vgic_hw_fast_bases(uint64_t base[2])
{
	base[0] = hv_cfg.board.gicc_base;
	base[1] = hv_cfg.board.gich_base;
}

void vgic_hw_enable(uint32_t pintid, uint32_t pcpu, bool on)
{
	gicv2_set_bit(pintid, pcpu, on ? GIC_ISENABLER : GIC_ICENABLER);
}

void vgic_hw_pend(uint32_t pintid, uint32_t pcpu, bool on)
{
	gicv2_set_bit(pintid, pcpu, on ? GIC_ISPENDR : GIC_ICPENDR);
}

bool vgic_hw_is_pending(uint32_t pintid, uint32_t pcpu)
{
	return gicv2_get_bit(pintid, pcpu, GIC_ISPENDR);
}

void vgic_hw_deactivate(uint32_t pintid)
{
	gic_deactivate(pintid);
}

void vgic_hw_clear_active(uint32_t pintid, uint32_t pcpu)
{
	gicv2_set_bit(pintid, pcpu, GIC_ICACTIVER);
}

void vgic_hw_route(uint32_t pintid, uint32_t pcpu)
{
	gicv2_route(pintid, pcpu);
}

void vgic_hw_config(uint32_t pintid, bool edge)
{
	gicv2_config(pintid, edge);
}
