/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL061 GPIO controller, one per partition that has channels, at
 * HV_GUEST_GPIO_IPA: the doorbells of its channels (docs/channels.md).
 * Register model: Arm PrimeCell General Purpose Input/Output (PL061)
 * Technical Reference Manual, DDI 0190B, 3.2 "Summary of PrimeCell GPIO
 * registers" and 3.3 "Register descriptions". Pure C, host tested.
 */
#ifndef HV_VPL061_H
#define HV_VPL061_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets (TRM 3.2). GPIODATA spans 0x000-0x3fc: offset = mask << 2. */
#define GPIODATA_END 0x400
#define GPIODIR 0x400
#define GPIOIS 0x404
#define GPIOIBE 0x408
#define GPIOIEV 0x40c
#define GPIOIE 0x410
#define GPIORIS 0x414
#define GPIOMIS 0x418
#define GPIOIC 0x41c
#define GPIOAFSEL 0x420
#define GPIO_ID_BASE 0xfe0
#define GPIO_WINDOW 0x1000

/**
 * Emulated GPIO state; protected by the owning partition's lock. Eight
 * lines; bit n of each field is line n. The value on a line ("pin") is
 * the data register for an output line and the external input for an
 * input line, as the PL061 feeds its pads back (TRM 2.3).
 */
struct vpl061 {
	uint8_t data;  /* GPIODATA as written (output values) */
	uint8_t dir;   /* GPIODIR: 1 = output */
	uint8_t is;    /* GPIOIS: 1 = level-sensitive, 0 = edge */
	uint8_t ibe;   /* GPIOIBE: 1 = both edges */
	uint8_t iev;   /* GPIOIEV: 1 = rising edge / high level */
	uint8_t ie;    /* GPIOIE: 1 = interrupt not masked */
	uint8_t afsel; /* GPIOAFSEL: stored, no hardware control here */
	uint8_t edges; /* latched edge interrupts (RIS of edge lines) */
	uint8_t ext;   /* external inputs, driven by the peers */
	uint8_t pins;  /* line values at the last sample */
};

enum vpl061_result {
	VPL061_OK,
	VPL061_BAD_ACCESS, /* width, alignment or offset not allowed */
};

void vpl061_reset(struct vpl061 *g, uint8_t ext);
enum vpl061_result vpl061_read(const struct vpl061 *g, uint64_t off,
			       unsigned size, uint64_t *val);
enum vpl061_result vpl061_write(struct vpl061 *g, uint64_t off,
				unsigned size, uint64_t val);
void vpl061_set_inputs(struct vpl061 *g, uint8_t ext);
uint8_t vpl061_outputs(const struct vpl061 *g);
uint8_t vpl061_ris(const struct vpl061 *g);
bool vpl061_irq_level(const struct vpl061 *g);

#endif /* HV_VPL061_H */
