/* SPDX-License-Identifier: MIT */
/* Bare-metal test guest support: console, PSCI, DTB, faults, time. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_MAX_VCPUS 8
#define UART_BASE 0x09000000UL

void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gputs(const char *s);

int64_t psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t smc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Device tree facts. */
struct dt_info {
	uint64_t mem_base;
	uint64_t mem_size;
	unsigned cpus;
	char bootargs[256];
};
bool dt_parse(const void *dtb, struct dt_info *out);

/* Probe an address; returns false if it aborted (the abort is caught). */
bool probe_read(uint64_t addr, uint64_t *val);
bool probe_write(uint64_t addr, uint64_t val);
/* Read PMCR_EL0; false if it was UNDEFINED (the exception is caught). */
bool probe_pmcr(uint64_t *val);
bool probe_pmu_access(unsigned which);
#define PMU_ACCESSES 7

uint64_t now_ticks(void);
/* CNTVCT_EL0 as read by the image's first instruction (start.S). */
extern uint64_t guest_entry_ticks;
uint64_t ticks_per_sec(void);
void delay_ms(unsigned ms);

/* Boot-argument helpers. */
bool arg_has(const char *args, const char *key);
uint64_t arg_num(const char *args, const char *key, uint64_t dflt);
/* "key=a,b,c": up to @max numbers (each decimal or 0x hexadecimal) into
 * @out; their count (0 if there is no "key="). */
unsigned arg_list(const char *args, const char *key, uint64_t *out,
		  unsigned max);

/*
 * IRQ dispatch hook, called from the EL1 vectors for an IRQ taken from the
 * current EL (vector kinds 1 and 5) with IRQs masked. The library has a weak
 * default that returns false (the IRQ is then reported as an unexpected
 * exception); a test program overrides it and returns true once it has
 * handled the interrupt. ELR_EL1/SPSR_EL1 are not saved by the vector: a
 * handler that unmasks IRQs to allow nesting must save and restore them.
 */
bool guest_irq_handler(uint64_t kind);

/*
 * Synchronous exception hook, called first for an exception taken from the
 * current EL (kinds 0 and 4). The weak default returns false; a program
 * that returns true resumes at the instruction after the faulting one.
 */
bool guest_fault_hook(uint64_t kind, uint64_t esr, uint64_t far);

/* Synchronous exception from AArch32 EL0 (kind 12): the EL1 address to
 * resume at, or 0 (unexpected). Weak default returns 0. */
uint64_t guest_a32_hook(uint64_t esr);

/* Debug exception from the current EL: true if handled, resuming at *elr.
 * Weak default returns false. */
bool guest_debug_hook(uint64_t esr, uint64_t *elr);

/* Device tree look-ups by "compatible" (root #address-cells/#size-cells 2). */
const void *dt_compat_prop(const void *dtb, const char *compat,
			   const char *prop, uint32_t *len);
bool dt_compat_reg(const void *dtb, const char *compat, unsigned index,
		   uint64_t *base, uint64_t *size);

/* Provided by each test program. */
void guest_main(const void *dtb);
void guest_secondary(uint64_t index);

extern char secondary_entry[];

#endif
