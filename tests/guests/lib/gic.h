/* SPDX-License-Identifier: MIT */
/*
 * A small GIC driver for bare-metal test guests running at EL1. GICv2
 * (memory-mapped CPU interface) and GICv3 (system-register CPU interface,
 * affinity routing) are chosen at run time from the DTB.
 *
 * References: Arm GIC Architecture Specification GICv3/GICv4, IHI 0069H
 * ("IHI 0069H" below; chapter 4 "Physical Interrupt Handling and
 * Prioritization", chapter 12 register descriptions), and GICv2,
 * IHI 0048B.b ("IHI 0048B", chapter 3 "Interrupt Handling and
 * Prioritization", chapter 4 register descriptions). Sections are cited by
 * title.
 *
 * All interrupts are configured as Group 1 on GICv3 (IHI 0069H, chapter 4,
 * "Interrupt grouping"); on GICv2 they stay in the reset group, which the
 * CPU interface signals as IRQ, as Linux does. EOImode is 0: one EOI write
 * both drops the running priority and deactivates the interrupt (IHI 0069H,
 * chapter 4, "Priority drop and interrupt deactivation").
 *
 * Per-CPU functions act on the calling vCPU's interface and its banked or
 * redistributor copy of SGI/PPI state. gic_cpu_init() records the caller's
 * vCPU index in TPIDR_EL1 (this library's only use of that register).
 */
#ifndef GIC_H
#define GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_NR_SGIS 16
#define GIC_FIRST_PPI 16
#define GIC_FIRST_SPI 32
/* Special INTIDs 1020..1023; 1023: none pending (IHI 0069H, "INTIDs"). */
#define GIC_FIRST_SPECIAL 1020
#define GIC_SPURIOUS 1023
#define GIC_PRIO_IDLE 0xff

/* Default priority given to every interrupt at init. */
#define GIC_PRIO_DEFAULT 0xa0

/** Which GIC the DTB described (or the fallback chose). */
enum gic_version {
	GIC_NONE = 0,
	GIC_V2 = 2,
	GIC_V3 = 3,
};

/**
 * Saved exception state for a nested IRQ handler: the vector does not save
 * ELR_EL1/SPSR_EL1, so a handler that unmasks IRQs keeps them here.
 */
struct gic_nest {
	uint64_t elr;
	uint64_t spsr;
};

/* Set-up. */
bool gic_probe(const void *dtb);
enum gic_version gic_version(void);
bool gic_dist_init(void);
bool gic_cpu_init(unsigned vcpu);
unsigned gic_this_cpu(void);
const char *gic_error(void);

/* Identification and raw register access for conformance checks. */
uint32_t gic_dist_read(uint32_t off);
uintptr_t gic_dist_base(void);
void gic_dist_write(uint32_t off, uint32_t val);
bool gic_dist_wait_rwp(void);
uint32_t gic_cpuif_read(uint32_t off);
void gic_cpuif_write(uint32_t off, uint32_t val);
uint64_t gic_redist_typer(unsigned vcpu);
uint32_t gic_redist_read(unsigned vcpu, uint32_t off);
uint32_t gic_nr_irqs(void);
uint8_t gic_prio_mask(void);
uint64_t gic_icc_sre(void);
uint64_t gic_icc_ctlr(void);
uint64_t gic_icc_igrpen1(void);
uint32_t gic_pmr(void);
void gic_set_pmr(uint32_t pmr);

/* Per-interrupt state. */
void gic_enable(uint32_t intid);
void gic_disable(uint32_t intid);
bool gic_is_enabled(uint32_t intid);
bool gic_enabled_via_clear_reg(uint32_t intid);
void gic_set_pending(uint32_t intid);
void gic_clear_pending(uint32_t intid);
bool gic_is_pending(uint32_t intid);
bool gic_pending_via_clear_reg(uint32_t intid);
void gic_set_active(uint32_t intid);
void gic_clear_active(uint32_t intid);
bool gic_is_active(uint32_t intid);
void gic_set_priority(uint32_t intid, uint8_t prio);
uint8_t gic_get_priority(uint32_t intid);
void gic_set_config(uint32_t intid, bool edge);
bool gic_is_edge(uint32_t intid);
void gic_route_spi(uint32_t intid, unsigned vcpu);
uint64_t gic_get_route(uint32_t intid);
uint64_t gic_route_value(unsigned vcpu);

/* SGIs. */
void gic_send_sgi(uint32_t sgi, uint32_t vcpu_mask);
void gic_send_sgi_others(uint32_t sgi);
void gic_send_sgi_self(uint32_t sgi);
unsigned gic_cpu_iface(unsigned vcpu);

/* CPU interface. */
uint32_t gic_ack(void);
void gic_eoi(uint32_t iar);
void gic_set_split_eoi(bool split);
void gic_deactivate(uint32_t iar);
uint32_t gic_iar_intid(uint32_t iar);
unsigned gic_iar_source(uint32_t iar);
uint32_t gic_rpr(void);
uint32_t gic_hppir(void);

/* PSTATE.I helpers, including the nesting pair for IRQ handlers. */
void gic_irq_mask(void);
void gic_irq_unmask(void);
bool gic_irq_masked(void);
void gic_nest_begin(struct gic_nest *n);
void gic_nest_end(const struct gic_nest *n);

#endif
