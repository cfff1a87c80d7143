/* SPDX-License-Identifier: MIT */
/*
 * Console output.
 *
 * At boot, until the console is up (log_start_rings(), from
 * console_init()), lines go straight to the board UART under one lock;
 * before the MMU is on only the boot core runs, so the lock is skipped
 * then (the exclusive monitor is not usable on Device memory).
 *
 * Then every line goes into an output ring (hv/outring.h): each
 * partition's console lines into its own ring, with a budget (bytes per
 * second, a burst); a hypervisor "[bulkhead]" line into the ring of the
 * partition whose core prints it, outside the budget (so it keeps its
 * place among that partition's lines), or, on a core without a partition,
 * into one more ring. The UART's transmit interrupt (on the console
 * core) drains the rings, whole line by whole line, round robin, so lines
 * never mix and a flooding partition gets one turn in N. No core ever
 * waits for the UART, and none holds a lock while it writes to it: a
 * producer copies its line under its ring's lock (other producers of the
 * same ring only), then sends what the FIFO takes at once, up to twice
 * the bytes it put (so its share of the work follows its own output), and
 * leaves the rest to the transmit interrupt. One core at a
 * time drains (log_drainer, taken with an atomic exchange, never waited
 * for): whoever finds it taken leaves the work to its holder, who looks
 * again after letting go. A line that does not fit, or is over its
 * partition's budget, is dropped and counted; the count is reported in
 * the partition's ring with its next line that fits, at most once a
 * second: "[bulkhead] partition NAME: N bytes dropped".
 *
 * After a panic, the panicking core writes out what the rings hold, then
 * prints straight, lock-free, alone. Register dumps (log_raw) always go
 * straight out.
 */
#include <stdbool.h>

#include "hv/board.h"
#include "hv/config.h"
#include "hv/log.h"
#include "hv/outring.h"
#include "hv/partition.h"
#include "hv/pcpu.h"
#include "hv/spinlock.h"

#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;

/* Budget of each partition's console: 32 KiB/s (a 115200-baud UART
 * carries 11.5 KB/s in all), in bursts of up to 16 KiB. */
#define LOG_PART_RATE (32ul * 1024u)
#define LOG_PART_BURST (16ul * 1024u)
#define LOG_PART_RING 16384u
#define LOG_HV_RING 16384u
/* Bytes a producer whose line was dropped still sends, and the most one
 * transmit interrupt sends. */
#define LOG_PRIME 32u
#define LOG_TX_CHUNK 64u
#define LOG_HV HV_MAX_PARTITIONS /* index of the hypervisor's ring */

static struct spinlock log_lock = SPINLOCK_INIT(LOCK_LOG);
static bool log_locking;  /* set once the MMU is on */
static bool log_rings_on; /* set once the console is up */
static bool log_panicked; /* set by a panic: print lock-free */
static const struct pcpu *log_panic_core; /* the only core printing then */

static struct outring log_rings[HV_MAX_PARTITIONS + 1];
/* Serialise the producers of each ring. */
static struct spinlock log_ring_locks[HV_MAX_PARTITIONS + 1] = {
	[0 ... HV_MAX_PARTITIONS] = SPINLOCK_INIT(LOCK_LOG)
};
static char log_part_bufs[HV_MAX_PARTITIONS][LOG_PART_RING];
static char log_hv_buf[LOG_HV_RING];
/* The drainer: 1 while a core drains (__atomic builtins only). What follows
 * is the drainer's. */
static uint32_t log_drainer;
static uint32_t log_cur;    /* ring of the line being sent */
static bool log_mid_line;   /* a line of log_cur is half sent */
static bool log_tx_on;      /* the transmit interrupt is enabled */

static void out(const char *s, size_t len);

/** Start using the lock; called when the boot core enables its MMU. */
void log_enable_locking(void);

void log_enable_locking(void)
{
	log_locking = true;
}

/**
 * From now on lines go through the output rings, drained by the UART's
 * transmit interrupt (console_init(), once that interrupt is routed).
 */
void log_start_rings(void)
{
	for (uint32_t i = 0; i < HV_MAX_PARTITIONS; i++) {
		outring_init(&log_rings[i], log_part_bufs[i], LOG_PART_RING,
			     LOG_PART_RATE, LOG_PART_BURST);
	}
	outring_init(&log_rings[LOG_HV], log_hv_buf, LOG_HV_RING,
		     OUTRING_NO_BUDGET, 0);
	__atomic_store_n(&log_rings_on, true, __ATOMIC_SEQ_CST);
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
	/* What the rings hold goes out first, straight (the panic line). */
	if (__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST)) {
		for (uint32_t i = 0; i <= LOG_HV; i++) {
			char c;
			int k;

			while ((k = outring_get(&log_rings[i])) >= 0) {
				c = (char)k;
				if (c != '\r') {
					out(&c, 1);
				}
			}
		}
	}
}

/* Write @c to the board UART once its transmit FIFO has room (boot and
 * panic only: the one core printing then may wait). */
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

static void direct_out(const char *a, size_t alen, const char *b, size_t blen)
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

static bool rings_pending(void)
{
	for (uint32_t i = 0; i <= LOG_HV; i++) {
		if (outring_used(&log_rings[i]) != 0) {
			return true;
		}
	}
	return false;
}

/*
 * Send up to @max bytes while the transmit FIFO has room (never waiting):
 * the rest of the current line, then whole lines from the next rings
 * round robin. Returns whether anything is left. Drainer only.
 */
static bool drain(unsigned max)
{
	const uint64_t base = hv_cfg.board.uart_base;

	for (unsigned n = 0; n < max && board_uart_tx_room(base); n++) {
		int c;

		if (!log_mid_line) {
			uint32_t i = 1;

			while (i <= LOG_HV + 1 &&
			       outring_used(&log_rings[(log_cur + i) %
						       (LOG_HV + 1)]) == 0) {
				i++;
			}
			if (i > LOG_HV + 1) {
				return false;
			}
			log_cur = (log_cur + i) % (LOG_HV + 1);
			log_mid_line = true;
		}
		c = outring_get(&log_rings[log_cur]);
		if (c < 0 || c == '\n') {
			log_mid_line = false;
		}
		if (c >= 0) {
			mmio_write32(base + board_uart_tx.data, (uint8_t)c);
		}
	}
	return rings_pending();
}

/*
 * Become the drainer and send up to @max bytes (@from_irq: from the
 * transmit interrupt, which is acknowledged first); then let go and look
 * again, so output put while another core drained is never left without
 * a drainer. The transmit interrupt stays enabled while anything is left.
 */
static void drain_turn(bool from_irq, unsigned max)
{
	const uint64_t base = hv_cfg.board.uart_base;

	do {
		bool left;

		if (__atomic_exchange_n(&log_drainer, 1, __ATOMIC_SEQ_CST)) {
			return; /* the holder looks again after letting go */
		}
		if (from_irq && rings_pending()) {
			board_uart_tx_ack(base);
		}
		left = drain(max);
		if (left != log_tx_on) {
			board_uart_tx_irq(base, left);
			log_tx_on = left;
		}
		__atomic_store_n(&log_drainer, 0, __ATOMIC_SEQ_CST);
		from_irq = false;
		max = LOG_PRIME;
	} while (!__atomic_load_n(&log_tx_on, __ATOMIC_RELAXED) &&
		 rings_pending());
}

/** The UART's transmit interrupt (console core): send the next bytes. */
void log_tx_irq(void)
{
	if (__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST)) {
		drain_turn(true, LOG_TX_CHUNK);
	}
}

/* Tick of each ring's last "bytes dropped" report: at most one a second. */
static uint64_t log_note_at[HV_MAX_PARTITIONS + 1];

/*
 * Put the @n bytes of @s (one line, at most 300) into ring @i, under the
 * partition's budget if @budget; true if put. A report of what the ring
 * dropped goes in front of the line, as one unit with it, at most once a
 * second, so the reports cannot flood either.
 */
static bool ring_put(uint32_t i, const char *s, size_t n, bool budget)
{
	struct outring *r = &log_rings[i];
	uint64_t now = read_sysreg(cntpct_el0), hz = read_sysreg(cntfrq_el0);
	char buf[420];
	size_t k = 0;
	bool put;

	spin_lock(&log_ring_locks[i]);
	if (r->unreported != 0 && now - log_note_at[i] >= hz) {
		k = fmt_snprintf(buf, sizeof(buf) - 300,
				 "[bulkhead] %s%s: %lu bytes dropped\r\n",
				 i == LOG_HV ? "hypervisor" : "partition ",
				 i == LOG_HV ? "" : hv_cfg.partitions[i].name,
				 (unsigned long)r->unreported);
	}
	n = n < 300 ? n : 300;
	for (size_t j = 0; j < n; j++) {
		buf[k + j] = s[j];
	}
	if (budget) {
		put = outring_put(r, buf, k + n, now, hz);
		if (!put) {
			/* Only the line counts as dropped, not the report. */
			r->dropped -= k;
			r->unreported -= k;
		}
	} else if (!(put = outring_put_free(r, buf, k + n))) {
		r->dropped += n;
		r->unreported += n;
	}
	if (put && k != 0) {
		r->unreported = 0;
		log_note_at[i] = now;
	}
	spin_unlock(&log_ring_locks[i]);
	/* Send what the FIFO takes at once, up to twice what was put: a
	 * core never waits, and the work it does for the rings is bounded
	 * by its own output (itself bounded by its budget). */
	drain_turn(false, put ? 2 * (unsigned)(k + n) : LOG_PRIME);
	return put;
}

/*
 * The ring for a hypervisor line printed on this core: the ring of the
 * partition the core runs, outside its budget, so the line keeps its
 * place among that partition's own lines (a guest's "calling
 * SYSTEM_RESET" before "partition X: restarting"); the hypervisor's ring
 * for a core with no partition.
 */
static uint32_t ring_of_core(void)
{
	const struct pcpu *c = pcpu_this();

	return c != NULL && c->used && c->vcpu.part != NULL
		       ? c->vcpu.part->index
		       : LOG_HV;
}

/* "\n" becomes "\r\n" in a line bound for a ring: @line holds @n bytes
 * ending in "\n" and has room for one more. */
static size_t crlf(char *line, size_t n)
{
	line[n - 1] = '\r';
	line[n] = '\n';
	return n + 1;
}

/** Print "[bulkhead] <text>\n" as one unit. */
void log_info(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t n;

	n = fmt_snprintf(line, sizeof(line), "[bulkhead] ");
	va_start(ap, fmt);
	n += fmt_vsnprintf(line + n, sizeof(line) - n - 2, fmt, ap);
	va_end(ap);
	if (n > sizeof(line) - 3) {
		n = sizeof(line) - 3;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	if (!__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&log_panicked, __ATOMIC_SEQ_CST)) {
		direct_out(line, n + 1, "", 0);
		return;
	}
	(void)ring_put(ring_of_core(), line, crlf(line, n + 1), false);
}

/** Print a completed console line of partition @part with its tag. */
void log_partition_line(uint32_t part, const char *name, const char *text,
			size_t len)
{
	char line[HV_NAME_LEN + 4 + 200];
	size_t n = fmt_snprintf(line, sizeof(line) - 2, "[%s] %s\n", name,
				text);

	(void)len;
	if (!__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&log_panicked, __ATOMIC_SEQ_CST)) {
		direct_out(line, n, "", 0);
		return;
	}
	(void)ring_put(part, line, crlf(line, n), true);
}

/** Bytes of partition @part's console output dropped so far. */
uint64_t log_dropped(uint32_t part)
{
	return __atomic_load_n(&log_rings[part].dropped, __ATOMIC_RELAXED);
}

/** Formatted output with no tag (register dumps): straight out. */
void log_raw(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	direct_out(buf, n < sizeof(buf) ? n : sizeof(buf) - 1, "", 0);
}
