/* SPDX-License-Identifier: MIT */
/*
 * Keel: the small real-time kernel that ships with Bulkhead as a guest
 * payload. This is its whole public API; README.md in this folder describes
 * the scheduling model.
 *
 * One core, fixed-priority preemptive scheduling, one task per priority
 * (so a priority also names its task), time in ticks of the EL1 virtual
 * timer. Every object is allocated statically by its user; the kernel never
 * allocates.
 *
 * Contexts: "task" functions may be called only from a task, after
 * keel_start(). "any" functions may also be called from the boot code
 * before keel_start() and from interrupt handlers (timeouts must then be
 * 0: an interrupt handler cannot block).
 */
#ifndef KEEL_H
#define KEEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEEL_VERSION "0.1"

/* Priorities 0 (the idle task, lowest) to KEEL_PRIOS - 1 (highest). */
#define KEEL_PRIOS 32
#define KEEL_PRIO_IDLE 0

/* A timeout or deadline in ticks that never expires. */
#define KEEL_FOREVER UINT64_MAX

/* Smallest stack keel_task_create() accepts, in bytes. */
#define KEEL_STACK_MIN 1024

/** Return codes: 0 or a negative error. */
enum keel_status {
	KEEL_OK = 0,
	KEEL_TIMEOUT = -1,	/* the timeout expired first */
	KEEL_EINVAL = -2,	/* bad argument or wrong context */
	KEEL_EBUSY = -3,	/* that priority already has a task */
	KEEL_LATE = -4,		/* keel_sleep_until(): the tick had passed */
};

/* A task stack: 16-byte aligned, as the AArch64 PCS requires of SP. */
#define KEEL_STACK(name, bytes) \
	static uint64_t name[(bytes) / 8] __attribute__((aligned(16)))

typedef void (*keel_entry_t)(void *arg);

/* ---- Kernel and tasks ---- */

/**
 * keel_init() - Prepare the kernel: no tasks but idle, tick rate tick_hz
 * (a tick is the counter frequency / tick_hz cycles, rounded down). Boot
 * code only (keel_app_main()), once. Returns KEEL_EINVAL if tick_hz is 0
 * or above the counter frequency.
 */
int keel_init(uint32_t tick_hz);

/**
 * keel_task_create() - Create the task of priority prio, ready to run
 * entry(arg) on stack (size bytes, 16-byte aligned, at least
 * KEEL_STACK_MIN). A task whose entry returns exits (keel_task_exit()).
 * Context: any but an interrupt handler. Returns KEEL_EINVAL for a bad
 * priority (0 is idle's) or stack, KEEL_EBUSY if prio is taken.
 */
int keel_task_create(unsigned prio, const char *name, keel_entry_t entry,
		     void *arg, void *stack, size_t size);

/** keel_task_exit() - End the calling task for good. Context: task. */
__attribute__((noreturn)) void keel_task_exit(void);

/** keel_task_name() - Name of the running task ("boot" before start). */
const char *keel_task_name(void);

/**
 * keel_start() - Start the tick and run the highest-priority ready task.
 * Boot code only; the boot stack is abandoned.
 */
__attribute__((noreturn)) void keel_start(void);

/* ---- Time ---- */

/** keel_now() - Ticks since keel_start(). Context: any. */
uint64_t keel_now(void);

/** keel_cycles() - The virtual counter, CNTVCT_EL0. Context: any. */
uint64_t keel_cycles(void);

/** keel_cycles_per_sec() - The counter frequency, CNTFRQ_EL0. */
uint64_t keel_cycles_per_sec(void);

/** keel_tick_hz() - The tick rate given to keel_init(). */
uint32_t keel_tick_hz(void);

/** keel_tick_cycles() - Counter cycles per tick. */
uint64_t keel_tick_cycles(void);

/**
 * keel_tick_time() - The counter value at which tick number tick is due:
 * the tick interrupt for it fires no earlier, so a task woken by it can
 * measure its release latency against this value. Context: any.
 */
uint64_t keel_tick_time(uint64_t tick);

/** keel_ms_to_ticks() - ms milliseconds in ticks, rounded up. */
uint64_t keel_ms_to_ticks(uint64_t ms);

/**
 * keel_sleep_until() - Block until keel_now() >= tick. Returns KEEL_OK
 * after sleeping, or KEEL_LATE at once if tick had already come. Context:
 * task.
 */
int keel_sleep_until(uint64_t tick);

/**
 * keel_sleep() - Block for ticks ticks: until tick keel_now() + ticks, which
 * is between ticks - 1 and ticks periods from now. Context: task.
 */
void keel_sleep(uint64_t ticks);

/* ---- Counting semaphores ---- */

/** A counting semaphore; fields are private to the kernel. */
struct keel_sem {
	uint32_t count;
	uint32_t waiters;	/* bit p: the task of priority p waits */
};

/** keel_sem_init() - Initial count count. Context: any, before use. */
void keel_sem_init(struct keel_sem *s, uint32_t count);

/**
 * keel_sem_take() - Decrement the count, waiting at most timeout ticks
 * (0: do not wait, KEEL_FOREVER: no limit) for it to be non-zero. Returns
 * KEEL_OK or KEEL_TIMEOUT. Context: task; any with timeout 0.
 */
int keel_sem_take(struct keel_sem *s, uint64_t timeout);

/**
 * keel_sem_give() - Increment the count (saturating at UINT32_MAX) and
 * wake the highest-priority waiter, which preempts the caller if it has a
 * higher priority. Context: any.
 */
void keel_sem_give(struct keel_sem *s);

/* ---- Message queues ---- */

/** A queue of fixed-size messages; fields are private to the kernel. */
struct keel_queue {
	uint8_t *buf;
	uint32_t msg_size;
	uint32_t capacity;
	uint32_t head;		/* slot of the oldest message */
	uint32_t count;
	uint32_t senders;	/* bit p: task of priority p waits to send */
	uint32_t receivers;	/* bit p: ... waits to receive */
};

/* Storage for a queue of cap messages of msg_size bytes each. */
#define KEEL_QUEUE_STORAGE(name, msg_size, cap) \
	static uint8_t name[(msg_size) * (cap)] __attribute__((aligned(8)))

/**
 * keel_queue_init() - A queue of capacity messages of msg_size bytes in
 * storage (capacity * msg_size bytes). Returns KEEL_EINVAL if either is
 * 0. Context: any, before use.
 */
int keel_queue_init(struct keel_queue *q, void *storage, uint32_t msg_size,
		    uint32_t capacity);

/**
 * keel_queue_send() - Copy msg (msg_size bytes) to the back of the queue,
 * waiting at most timeout ticks for room. Returns KEEL_OK or KEEL_TIMEOUT.
 * Context: task; any with timeout 0.
 */
int keel_queue_send(struct keel_queue *q, const void *msg, uint64_t timeout);

/**
 * keel_queue_recv() - Move the oldest message to msg, waiting at most
 * timeout ticks for one. Returns KEEL_OK or KEEL_TIMEOUT. Context: task;
 * any with timeout 0.
 */
int keel_queue_recv(struct keel_queue *q, void *msg, uint64_t timeout);

/* ---- Interrupt masking (the kernel's only lock: one core) ---- */

/** keel_irq_save() - Mask IRQs; returns the previous DAIF for restore. */
uint64_t keel_irq_save(void);

/** keel_irq_restore() - Put back the DAIF that keel_irq_save() returned. */
void keel_irq_restore(uint64_t daif);

/* ---- Console and power ---- */

/**
 * keel_printf() - Format (%s %c %d %u %x, with l/ll/z, a width and 0 pad)
 * and print one message on the console, whole: printers are serialised
 * by a semaphore once tasks run, so a higher-priority task is never held
 * up by a lower one's printing except while it prints itself. At most 191
 * characters. Context: task, or boot code.
 */
void keel_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** keel_snprintf() - Format into buf (size bytes, always terminated). */
int keel_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** keel_panic() - Print "keel: PANIC: ..." and stop this core for good. */
__attribute__((noreturn)) void keel_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/**
 * keel_power_off() - PSCI SYSTEM_OFF with the conduit the device tree names.
 * Returns only if it failed.
 */
void keel_power_off(void);

/* ---- Channels (docs/channels.md) ---- */

/**
 * One end of a Bulkhead channel: shared memory with another partition and
 * a doorbell each way. Found by name in the device tree; the fields are
 * read-only for the application.
 */
struct keel_chan {
	const char *name;
	uint64_t base;		/* where the shared region is */
	uint64_t size;
	bool writable;		/* false: a write is refused by the hypervisor */
	uint32_t line_out;	/* PL061 line that rings the peer */
	uint32_t line_in;	/* PL061 line the peer rings */
	struct keel_sem bell;	/* one count per doorbell received */
};

/**
 * keel_chan_attach() - The channel end called name, set up so the peer's
 * doorbells count on its bell (the PL061 interrupt is enabled on first
 * use), or NULL if the device tree has no such channel. Attaching twice
 * returns the same end. Context: any but an interrupt handler, IRQs
 * masked or a task.
 */
struct keel_chan *keel_chan_attach(const char *name);

/**
 * keel_chan_read64() - The 64-bit word at byte offset off (8-byte
 * aligned, inside the region; otherwise 0). Context: any.
 */
uint64_t keel_chan_read64(const struct keel_chan *c, uint64_t off);

/**
 * keel_chan_write64() - Store v at byte offset off. Returns KEEL_EINVAL,
 * storing nothing, if the end is read-only or off is not an aligned
 * offset inside the region. Context: any.
 */
int keel_chan_write64(struct keel_chan *c, uint64_t off, uint64_t v);

/**
 * keel_chan_read_str() - Copy a NUL-terminated string of at most size
 * bytes (always terminated) from byte offset off. Context: any.
 */
void keel_chan_read_str(const struct keel_chan *c, uint64_t off, char *buf,
			size_t size);

/**
 * keel_chan_ring() - Ring the peer: a pulse, high then low, on line_out.
 * Context: any.
 */
void keel_chan_ring(struct keel_chan *c);

/**
 * keel_chan_wait() - Wait at most timeout ticks for a doorbell from the
 * peer (one that arrived since the last wait counts at once). Returns
 * KEEL_OK or KEEL_TIMEOUT. Context: task; any with timeout 0.
 */
int keel_chan_wait(struct keel_chan *c, uint64_t timeout);

/* ---- Watchdog (SP805, payloads/keel/watchdog.c) ---- */

/**
 * keel_wdog_start() - Start the device tree's SP805 so that the board (or
 * partition) is reset if it is not petted for timeout_ms. Returns
 * KEEL_EINVAL if there is no watchdog or the timeout does not fit.
 * Context: any.
 */
int keel_wdog_start(uint32_t timeout_ms);

/** keel_wdog_pet() - Restart the watchdog's countdown. Context: any. */
void keel_wdog_pet(void);

/* ---- Platform facts (from the device tree) ---- */

/** The machine Keel found. */
struct keel_platform {
	unsigned gic_version;	/* 2 or 3 */
	uint64_t uart_base;
	uint64_t gicd_base;
	uint64_t wdog_base;	/* SP805 watchdog, 0 if none */
	uint64_t load_base;	/* where this image runs */
	const char *bootargs;	/* /chosen/bootargs, or "" */
};

/** keel_platform() - The platform probed at boot. Context: any. */
const struct keel_platform *keel_platform(void);

/**
 * keel_arg() - The value of the word "key=N" in the boot arguments
 * (decimal or 0x hex), or dflt if there is no such word.
 */
uint64_t keel_arg(const char *key, uint64_t dflt);

/* Provided by the application: runs on the boot stack, IRQs masked. */
void keel_app_main(void);

#endif
