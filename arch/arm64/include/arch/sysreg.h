/* SPDX-License-Identifier: MIT */
/* System register access and barriers (target only). */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define SYSREG_STR_(x) #x
#define SYSREG_STR(x) SYSREG_STR_(x)

/* Two levels so a register named by a macro (SYS_*) is expanded first. */
#define read_sysreg(r)                                                   \
	({                                                               \
		uint64_t sysreg_v_;                                      \
		__asm__ volatile("mrs %0, " SYSREG_STR(r)                \
				 : "=r"(sysreg_v_));                     \
		sysreg_v_;                                               \
	})

#define write_sysreg(r, v)                                               \
	do {                                                             \
		uint64_t sysreg_w_ = (uint64_t)(v);                      \
		__asm__ volatile("msr " SYSREG_STR(r) ", %0"             \
				 :                                       \
				 : "r"(sysreg_w_));                      \
	} while (0)

/* Registers named by encoding where older assemblers lack the name. */
#define SYS_ICC_SRE_EL2 S3_4_C12_C9_5
#define SYS_ICC_SGI1R_EL1 S3_0_C12_C11_5
#define SYS_ICC_IAR1_EL1 S3_0_C12_C12_0
#define SYS_ICC_EOIR1_EL1 S3_0_C12_C12_1
#define SYS_ICC_PMR_EL1 S3_0_C4_C6_0
#define SYS_ICC_BPR1_EL1 S3_0_C12_C12_3
#define SYS_ICC_CTLR_EL1 S3_0_C12_C12_4
#define SYS_ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define SYS_ICH_HCR_EL2 S3_4_C12_C11_0

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

static inline void dmb_ish(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

/* A hint that this core is waiting on others (DDI 0487 J.a C6.2.400
 * YIELD): no effect on hardware that runs them in parallel; QEMU's
 * round-robin TCG switches to the next vCPU on it. */
static inline void yield_hint(void)
{
	__asm__ volatile("yield" ::: "memory");
}

static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

#endif /* ARCH_SYSREG_H */
