/* SPDX-License-Identifier: MIT */
/*
 * Keel's channel API (keel.h, docs/channels.md): the shared memory of a
 * channel end and its doorbells on the partition's virtual PL061.
 *
 * PL061 registers (Arm PrimeCell GPIO TRM, DDI 0190B, 3.3): GPIODATA is
 * addressed through a mask, address bits [9:2] selecting the lines a
 * write changes, so one line is set without a read-modify-write; a line
 * the peer rings is an input interrupting on its rising edge (GPIOIS 0,
 * GPIOIBE 0, GPIOIEV 1), unmasked in GPIOIE and acknowledged in GPIOIC.
 * Every access is one 32-bit LDR or STR, so a hypervisor trapping it gets
 * a syndrome. Keel runs with the MMU off: the shared region is Device
 * memory here, so it is read and written a word at a time, aligned.
 */
#include "internal.h"

#define GPIODIR 0x400
#define GPIOIS 0x404
#define GPIOIBE 0x408
#define GPIOIEV 0x40c
#define GPIOIE 0x410
#define GPIOMIS 0x418
#define GPIOIC 0x41c
#define CHAN_IRQ_PRIO 0x80

static struct keel_chan chans[BOARD_MAX_CHANS];
static bool attached[BOARD_MAX_CHANS];
static bool gpio_irq_on;

static uint32_t gpio_rd(uint64_t off)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]"
			 : "=r"(v)
			 : "r"(board_get()->gpio + off)
			 : "memory");
	return v;
}

static void gpio_wr(uint64_t off, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]"
			 :
			 : "r"(v), "r"(board_get()->gpio + off)
			 : "memory");
}

static bool name_is(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/** keel_chan_attach() - See keel.h. */
struct keel_chan *keel_chan_attach(const char *name)
{
	const struct board *b = board_get();
	uint64_t daif;

	for (unsigned i = 0; i < b->nchans; i++) {
		const struct board_chan *bc = &b->chans[i];
		struct keel_chan *c = &chans[i];
		uint32_t in, out;

		if (!name_is(bc->name, name) || b->gpio == 0) {
			continue;
		}
		if (attached[i]) {
			return c;
		}
		in = 1u << bc->line_in;
		out = 1u << bc->line_out;
		c->name = bc->name;
		c->base = bc->base;
		c->size = bc->size;
		c->writable = bc->writable;
		c->line_out = bc->line_out;
		c->line_in = bc->line_in;
		keel_sem_init(&c->bell, 0);
		daif = keel_irq_save();
		gpio_wr(GPIODIR, gpio_rd(GPIODIR) | out);
		gpio_wr(GPIOIS, gpio_rd(GPIOIS) & ~in);
		gpio_wr(GPIOIBE, gpio_rd(GPIOIBE) & ~in);
		gpio_wr(GPIOIEV, gpio_rd(GPIOIEV) | in);
		gpio_wr(GPIOIC, in); /* forget edges from before */
		gpio_wr(GPIOIE, gpio_rd(GPIOIE) | in);
		attached[i] = true;
		if (!gpio_irq_on) {
			gic_enable_spi(b->gpio_intid, CHAN_IRQ_PRIO);
			gpio_irq_on = true;
		}
		keel_irq_restore(daif);
		return c;
	}
	return NULL;
}

/** chan_irq() - See internal.h: acknowledge, then give each bell rung. */
void chan_irq(uint32_t intid)
{
	uint32_t mis;

	if (!gpio_irq_on || intid != board_get()->gpio_intid) {
		return;
	}
	mis = gpio_rd(GPIOMIS);
	gpio_wr(GPIOIC, mis);
	for (unsigned i = 0; i < BOARD_MAX_CHANS; i++) {
		if (attached[i] && (mis & (1u << chans[i].line_in)) != 0) {
			keel_sem_give(&chans[i].bell);
		}
	}
}

static bool in_region(const struct keel_chan *c, uint64_t off)
{
	return off % 8 == 0 && off < c->size && c->size - off >= 8;
}

/** keel_chan_read64() - See keel.h. */
uint64_t keel_chan_read64(const struct keel_chan *c, uint64_t off)
{
	if (!in_region(c, off)) {
		return 0;
	}
	return *(volatile const uint64_t *)(uintptr_t)(c->base + off);
}

/** keel_chan_write64() - See keel.h. */
int keel_chan_write64(struct keel_chan *c, uint64_t off, uint64_t v)
{
	if (!c->writable || !in_region(c, off)) {
		return KEEL_EINVAL;
	}
	*(volatile uint64_t *)(uintptr_t)(c->base + off) = v;
	return KEEL_OK;
}

/** keel_chan_read_str() - See keel.h. */
void keel_chan_read_str(const struct keel_chan *c, uint64_t off, char *buf,
			size_t size)
{
	size_t n = 0;

	while (n + 1 < size && in_region(c, off)) {
		uint64_t v = keel_chan_read64(c, off);

		for (unsigned b = 0; b < 8 && n + 1 < size; b++) {
			buf[n] = (char)(v >> (8 * b));
			if (buf[n++] == '\0') {
				return;
			}
		}
		off += 8;
	}
	buf[n] = '\0';
}

/** keel_chan_ring() - See keel.h. */
void keel_chan_ring(struct keel_chan *c)
{
	uint32_t out = 1u << c->line_out;

	gpio_wr(out << 2, out);
	gpio_wr(out << 2, 0);
}

/** keel_chan_wait() - See keel.h. */
int keel_chan_wait(struct keel_chan *c, uint64_t timeout)
{
	return keel_sem_take(&c->bell, timeout);
}
