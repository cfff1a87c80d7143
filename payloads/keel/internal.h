/* SPDX-License-Identifier: MIT */
/*
 * Keel internals: the exception frame, the kernel hooks the synchronisation
 * objects use, and the platform layer (device tree, GIC, timer, console,
 * PSCI). Not part of the API (keel.h).
 */
#ifndef KEEL_INTERNAL_H
#define KEEL_INTERNAL_H

#include "keel.h"

/*
 * A task's full integer state, as start.S saves it on the task's stack at
 * every exception: x0-x30, the interrupted PC (ELR_EL1) and PSTATE
 * (SPSR_EL1). The saved SP is the frame's address plus its size. The
 * offsets are fixed: start.S uses them.
 */
struct keel_frame {
	uint64_t x[31];		/* offset 0; x30 at 240 */
	uint64_t elr;		/* offset 248 */
	uint64_t spsr;		/* offset 256 */
	uint64_t pad;		/* keeps SP 16-byte aligned */
};
_Static_assert(sizeof(struct keel_frame) == 272, "start.S FRAME_SIZE");

/*
 * Vector kinds start.S passes to keel_trap(): the vector's index in the
 * table (Arm ARM DDI 0487, D1.10.2 "Exception vectors"): 4 groups (current
 * EL with SP_EL0, current EL with SP_ELx, lower EL AArch64, lower EL
 * AArch32) of sync, IRQ, FIQ, SError. Keel runs at EL1h, so only the
 * second group is expected.
 */
#define VEC_SYNC_SPX 4
#define VEC_IRQ_SPX 5

/* SPSR for a new task: EL1h; Debug and FIQ masked; IRQ and SError not. */
#define SPSR_EL1H 0x5u
#define SPSR_D (1u << 9)
#define SPSR_F (1u << 6)

/* ESR_EL1.EC (bits 31:26) of an SVC from AArch64. */
#define ESR_EC_SHIFT 26
#define ESR_EC_SVC64 0x15

/* ---- start.S ---- */

struct keel_frame *keel_trap(struct keel_frame *f, uint64_t kind);
__attribute__((noreturn)) void keel_resume(struct keel_frame *f);
void keel_boot(const void *dtb, uint64_t load_base);
extern char keel_vectors[];

/* ---- kernel.c, for sync.c: all with IRQs masked ---- */

/**
 * kernel_deadline() - The absolute tick a timeout of timeout ticks
 * (KEEL_FOREVER: none) started now expires at.
 */
uint64_t kernel_deadline(uint64_t timeout);

/**
 * kernel_block() - Queue the running task on waitset (a bitmap by
 * priority; may be NULL for a plain sleep) until kernel_wake_one() takes
 * it or tick deadline comes, and switch away. Returns KEEL_OK if woken,
 * KEEL_TIMEOUT if the deadline came (at once if it already had). Task
 * context only; panics in an interrupt handler or before keel_start().
 */
int kernel_block(uint32_t *waitset, uint64_t deadline);

/**
 * kernel_wake_one() - Make the highest-priority task in waitset ready;
 * false if waitset is empty. Does not switch: see kernel_preempt().
 */
bool kernel_wake_one(uint32_t *waitset);

/**
 * kernel_preempt() - In a task, switch now if a task of higher priority is
 * ready. In an interrupt handler, nothing: the exception return switches.
 */
void kernel_preempt(void);

/** kernel_can_block() - True in a task after keel_start(). */
bool kernel_can_block(void);

/* ---- board.c: the device tree, PSCI ---- */

/* Channel ends the device tree may describe (docs/channels.md). */
#define BOARD_MAX_CHANS 4
#define BOARD_CHAN_NAME 32

/** A "bulkhead,channel" node: one end of a channel. */
struct board_chan {
	char name[BOARD_CHAN_NAME]; /* its label */
	uint64_t base;
	uint64_t size;
	bool writable;
	uint32_t line_out; /* PL061 line that rings the peer */
	uint32_t line_in;  /* PL061 line the peer rings */
};

/** What the device tree says, with QEMU virt defaults for what it omits. */
struct board {
	uint64_t uart;
	uint64_t gicd;
	uint64_t gicr;		/* GICv3 redistributors */
	uint64_t gicr_size;
	uint64_t gicc;		/* GICv2 CPU interface */
	uint64_t wdog;		/* "arm,sp805" watchdog, 0 if none */
	uint64_t wdog_clock_hz;	/* the first fixed-clock, 0 if none */
	unsigned gic_version;
	uint32_t vtimer_intid;
	bool psci_smc;
	bool dt_ok;		/* the DTB was valid */
	char bootargs[256];
	uint64_t gpio;		/* the "arm,pl061", 0 if none */
	uint32_t gpio_intid;
	unsigned nchans;
	struct board_chan chans[BOARD_MAX_CHANS];
};

/**
 * board_probe() - Fill b from the DTB at dtb (may be NULL or invalid: the
 * QEMU virt defaults stay and dt_ok is false). Boot only.
 */
void board_probe(const void *dtb, struct board *b);

/** board_get() - The board keel_boot() probed. */
const struct board *board_get(void);

/* ---- gic.c: interrupt controller and virtual timer ---- */

/**
 * gic_init() - Bring up the distributor and this core's CPU interface
 * (and redistributor on GICv3) of the GIC b describes, with every private
 * interrupt disabled. Boot only. Returns NULL or why it failed.
 */
const char *gic_init(const struct board *b);

/** gic_enable_ppi() - Enable private interrupt intid at priority prio. */
void gic_enable_ppi(uint32_t intid, uint8_t prio);

/** gic_enable_spi() - Enable SPI intid, level, routed here, at prio. */
void gic_enable_spi(uint32_t intid, uint8_t prio);

/** gic_ack() - Acknowledge the highest pending interrupt (IAR value). */
uint32_t gic_ack(void);

/** gic_eoi() - End the interrupt gic_ack() returned iar for. */
void gic_eoi(uint32_t iar);

/* INTIDs 1020-1023 are special: nothing to handle. */
#define GIC_INTID_MASK 0x3ffu
#define GIC_FIRST_SPECIAL 1020u

/** timer_arm() - Virtual timer: fire when CNTVCT >= cval. */
void timer_arm(uint64_t cval);

/* ---- chan.c ---- */

/** chan_irq() - The PL061's interrupt: give the rung channels' bells. */
void chan_irq(uint32_t intid);

/* ---- console.c ---- */

/** console_init() - Use the PL011 at base; printing before is dropped. */
void console_init(uint64_t base);

/** console_write() - Print n bytes raw, "\n" as "\r\n". No lock. */
void console_write(const char *s, size_t n);

int keel_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
