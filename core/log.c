/* SPDX-License-Identifier: MIT */
/*
 * Console output. One lock serialises whole lines from every core. Before
 * the MMU is on only the boot core runs, so the lock is skipped then (the
 * exclusive monitor is not usable on Device memory).
 */
#include <stdbool.h>

#include "hv/board.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/pcpu.h"
#include "hv/spinlock.h"

#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;

static struct spinlock log_lock = SPINLOCK_INIT;
static bool log_locking;  /* set once the MMU is on */
static bool log_panicked; /* set by a panic: print lock-free */
static const struct pcpu *log_panic_core; /* the only core printing then */

/** Start using the lock; called when the boot core enables its MMU. */
void log_enable_locking(void);

void log_enable_locking(void)
{
	log_locking = true;
}

/**
 * After a panic: print without the lock (a stopped core may hold it), and
 * only from the panicking core, so what other cores still print while
 * they are being stopped cannot interleave with the dump.
 */
void log_set_panic_mode(void)
{
	log_panic_core = pcpu_this();
	__atomic_store_n(&log_panicked, true, __ATOMIC_SEQ_CST);
}

/* Write @c to the board UART once its transmit FIFO has room. */
static inline void tx_putc(uint64_t status, uint32_t full, uint64_t data,
			   char c)
{
	while (mmio_read32(status) & full) {
		__asm__ volatile("yield");
	}
	mmio_write32(data, (uint8_t)c);
}

/* The first @len characters of @s, or those before a NUL; "\r" before
 * "\n". The registers are looked up once a string, not per character. */
static void out(const char *s, size_t len)
{
	const uint64_t base = hv_cfg.board.uart_base;
	const uint64_t status = base + board_uart_tx.status;
	const uint64_t data = base + board_uart_tx.data;
	const uint32_t full = board_uart_tx.full;

	for (size_t i = 0; i < len && s[i] != '\0'; i++) {
		if (s[i] == '\n') {
			tx_putc(status, full, data, '\r');
		}
		tx_putc(status, full, data, s[i]);
	}
}

static void locked_out(const char *a, size_t alen, const char *b, size_t blen)
{
	bool panicked = __atomic_load_n(&log_panicked, __ATOMIC_SEQ_CST);
	bool lock = log_locking && !panicked;

	if (panicked && pcpu_this() != log_panic_core) {
		return;
	}
	if (lock) {
		spin_lock(&log_lock);
	}
	out(a, alen);
	out(b, blen);
	if (lock) {
		spin_unlock(&log_lock);
	}
}

/** Print "[bulkhead] <text>\n" as one unit. */
void log_info(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > sizeof(line) - 2) {
		n = sizeof(line) - 2;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	locked_out("[bulkhead] ", 11, line, n + 1);
}

/** Print a completed partition console line with its tag. */
void log_partition_line(const char *name, const char *text, size_t len)
{
	char tag[HV_NAME_LEN + 4];
	char line[200];
	size_t t = fmt_snprintf(tag, sizeof(tag), "[%s] ", name);
	size_t n = fmt_snprintf(line, sizeof(line), "%s\n", text);

	(void)len;
	locked_out(tag, t, line, n < sizeof(line) ? n : sizeof(line) - 1);
}

/** Formatted output with no tag (register dumps). */
void log_raw(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	locked_out(buf, n < sizeof(buf) ? n : sizeof(buf) - 1, "", 0);
}
