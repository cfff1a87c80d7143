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

/*
 * What a ring holds, record after record:
 *   a line                 text ending in "\r\n" (a partition's tagged
 *                          line; never starts with a byte below 0x20)
 *   LOG_MARK_HV, a line    a hypervisor line: it goes out at once
 *   LOG_MARK_RAW, n, bytes n (1-255) bytes of the partition with the
 *                          console focus, sent as they are
 */
#define LOG_MARK_HV 0x01
#define LOG_MARK_RAW 0x02
#define LOG_LINE_MAX 300u /* bytes of one record's text, at most */
/* How long another partition's line waits for the one with focus to end
 * its line (1/LOG_HOLD_DIV s), and how full its ring may get meanwhile. */
#define LOG_HOLD_DIV 2u
#define LOG_HOLD_FILL (LOG_PART_RING / 2u)

enum log_kind { LOG_KIND_LINE, LOG_KIND_HV, LOG_KIND_RAW };

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
static uint32_t log_cur;      /* ring of the record being sent */
static bool log_mid_line;     /* a line of log_cur is half sent */
/* After a line break, ring log_retag - 1 (0: none) is tagged again in front
 * of its next byte: "[name] ", sent from log_tag[log_tag_pos]. Done here,
 * where the break is made, not where the partition wrote its bytes, which
 * may already wait in its ring behind a tag-less start. */
static uint32_t log_retag;
static char log_tag[HV_NAME_LEN + 4];
static uint32_t log_tag_pos, log_tag_len;
static uint32_t log_raw_left; /* bytes of log_cur's raw record unsent */
static unsigned log_brk;      /* bytes of a "\r\n" line break unsent */
static bool log_term_mid;     /* raw output left the terminal mid-line */
static uint32_t log_term_ring; /* ... of this ring */
static bool log_holding;      /* lines wait for that line to end */
static uint64_t log_hold_since; /* ... since this tick */
static bool log_tx_on;	      /* the transmit interrupt is enabled */

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

/* Write out what the rings hold, straight, record by record (panic and
 * power-off: the one core printing then may wait for the UART). */
static void flush_straight(void)
{
	for (uint32_t i = 0; i <= LOG_HV; i++) {
		uint32_t raw = 0;
		int k;

		while ((k = outring_get(&log_rings[i])) >= 0) {
			char c = (char)k;

			if (raw == 0 && k == LOG_MARK_RAW) {
				k = outring_get(&log_rings[i]);
				raw = k > 0 ? (uint32_t)k : 0;
			} else if (raw != 0) {
				raw--;
				if (c != '\r') {
					out(&c, 1);
				}
			} else if (c != '\r' && k != LOG_MARK_HV) {
				out(&c, 1);
			}
		}
	}
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
		flush_straight();
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

/* Drainer: the raw output ended its line (or a break ended it for it). */
static void term_line_done(void)
{
	log_term_mid = false;
	log_holding = false;
}

/* Drainer: end the terminal's line before held lines; the next byte of
 * the partition with focus goes out behind its tag again (retag()). */
static void line_break(void)
{
	log_retag = log_term_ring + 1;
	log_brk = 2;
	term_line_done();
}

/* Arm this core's EL2 timer to look at held lines again at @due (a core
 * without a partition has none: the next output or input looks). */
static void hold_timer(uint64_t due)
{
	const struct pcpu *c = pcpu_this();

	if (c != NULL && c->used && c->vcpu.part != NULL) {
		health_timer_set(HYP_TIMER_CONSOLE, due);
	}
}

/*
 * The ring whose next record may go out now, round robin after log_cur,
 * or -1. While raw output of the partition with focus has left the
 * terminal mid-line, lines of other rings wait (log_holding) until it
 * ends its line, for at most 1/LOG_HOLD_DIV s or until the waiting ring
 * is half full; then, and at once for a line of that partition's own
 * ring, a line break comes first. The hypervisor's own lines wait the same
 * way: a fault report must not split a line the focused partition is in
 * the middle of writing (tests and users parse those lines). Raw records
 * go. With
 * @commit false only looks (a wait not yet started counts as sendable,
 * so the caller comes back to start it).
 */
static int pick(uint64_t now, uint64_t hz, bool commit)
{
	int held = -1;

	for (uint32_t k = 1; k <= LOG_HV + 1; k++) {
		uint32_t i = (log_cur + k) % (LOG_HV + 1);
		int c = outring_peek(&log_rings[i]);

		if (c < 0) {
			continue;
		}
		if (c == LOG_MARK_RAW || !log_term_mid) {
			return (int)i;
		}
		if (i == log_term_ring ||
		    outring_used(&log_rings[i]) > LOG_HOLD_FILL) {
			if (commit) {
				line_break();
			}
			return (int)i;
		}
		if (held < 0) {
			held = (int)i;
		}
	}
	if (held < 0) {
		return -1;
	}
	if (!log_holding) {
		if (commit) {
			log_holding = true;
			log_hold_since = now;
			hold_timer(now + hz / LOG_HOLD_DIV);
			return -1;
		}
		return held;
	}
	if (now - log_hold_since >= hz / LOG_HOLD_DIV) {
		if (commit) {
			line_break();
		}
		return held;
	}
	return -1;
}

/* Drainer: if ring @i is to be tagged again and its next byte @c starts
 * text (not a line end), queue its tag to go first. */
static void retag(uint32_t i, int c)
{
	const char *name = hv_cfg.partitions[i].name;
	uint32_t n = 0;

	if (log_retag != i + 1) {
		return;
	}
	log_retag = 0;
	if (c == '\r' || c == '\n') {
		return;
	}
	log_tag[n++] = '[';
	for (uint32_t k = 0; k < HV_NAME_LEN && name[k] != '\0'; k++) {
		log_tag[n++] = name[k];
	}
	log_tag[n++] = ']';
	log_tag[n++] = ' ';
	log_tag_pos = 0;
	log_tag_len = n;
}

/*
 * Send up to @max bytes while the transmit FIFO has room (never waiting):
 * the rest of the current record, then whole records from the next rings
 * round robin (pick()). Returns whether anything may go out now is left.
 * Drainer only.
 */
static bool drain(unsigned max)
{
	const uint64_t base = hv_cfg.board.uart_base;
	const uint64_t data = base + board_uart_tx.data;
	uint64_t now = read_sysreg(cntpct_el0), hz = read_sysreg(cntfrq_el0);
	unsigned n = 0;

	while (n < max && board_uart_tx_room(base)) {
		int c;

		if (log_brk != 0) {
			mmio_write32(data, log_brk == 2 ? '\r' : '\n');
			log_brk--;
			n++;
		} else if (log_tag_pos < log_tag_len) {
			mmio_write32(data, (uint8_t)log_tag[log_tag_pos++]);
			n++;
		} else if (log_raw_left != 0 && log_retag == log_cur + 1) {
			retag(log_cur, outring_peek(&log_rings[log_cur]));
		} else if (log_raw_left != 0) {
			c = outring_get(&log_rings[log_cur]);
			log_raw_left = c < 0 ? 0 : log_raw_left - 1;
			if (c >= 0) {
				mmio_write32(data, (uint8_t)c);
				n++;
				log_term_mid = c != '\n';
				log_term_ring = log_cur;
				if (!log_term_mid) {
					term_line_done();
				}
			}
		} else if (log_mid_line) {
			c = outring_get(&log_rings[log_cur]);
			if (c < 0 || c == '\n') {
				log_mid_line = false;
			}
			if (c >= 0) {
				mmio_write32(data, (uint8_t)c);
				n++;
			}
		} else {
			int i = pick(now, hz, true);

			if (i < 0) {
				return false;
			}
			log_cur = (uint32_t)i;
			c = outring_peek(&log_rings[log_cur]);
			if (c == LOG_MARK_RAW) {
				(void)outring_get(&log_rings[log_cur]);
				c = outring_get(&log_rings[log_cur]);
				log_raw_left = c > 0 ? (uint32_t)c : 0;
			} else {
				if (c == LOG_MARK_HV) {
					(void)outring_get(&log_rings[log_cur]);
				}
				log_mid_line = true;
			}
		}
	}
	return log_brk != 0 || log_tag_pos < log_tag_len || log_raw_left != 0 || log_mid_line ||
	       pick(now, hz, false) >= 0;
}

/*
 * Become the drainer and send up to @max bytes (@from_irq: from the
 * transmit interrupt, which is acknowledged first); then let go and look
 * again, so output put while another core drained is never left without
 * a drainer. The transmit interrupt stays enabled while anything that may
 * go out is left (lines held for the focused partition's line wait for
 * the EL2 timer of the core that began holding them, log_hold_timer()).
 */
static void drain_turn(bool from_irq, unsigned max)
{
	const uint64_t base = hv_cfg.board.uart_base;
	bool left;

	do {
		if (__atomic_exchange_n(&log_drainer, 1, __ATOMIC_SEQ_CST)) {
			return; /* the holder looks again after letting go */
		}
		if (from_irq) {
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
	} while (!__atomic_load_n(&log_tx_on, __ATOMIC_RELAXED) && left);
}

/** The UART's transmit interrupt (console core): send the next bytes. */
void log_tx_irq(void)
{
	if (__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST)) {
		drain_turn(true, LOG_TX_CHUNK);
	}
}

/** This core's EL2 timer: lines held for the focused line may be due. */
void log_hold_timer(void)
{
	if (__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST)) {
		drain_turn(false, LOG_TX_CHUNK);
	}
}


/* Tick of each ring's last "bytes dropped" report: at most one a second. */
static uint64_t log_note_at[HV_MAX_PARTITIONS + 1];

/*
 * Put the @n bytes of @s (at most LOG_LINE_MAX; a raw record at most 255)
 * into ring @i as one record of @kind: a partition's line or raw bytes,
 * under the partition's budget, or a hypervisor line, outside it. True if
 * put. A report of what the ring dropped goes in front, as one unit with
 * it, at most once a second, so the reports cannot flood either. Then,
 * if @send, send some of what the rings hold.
 */
static bool ring_put(uint32_t i, const char *s, size_t n, enum log_kind kind,
		     bool send)
{
	struct outring *r = &log_rings[i];
	uint64_t now = read_sysreg(cntpct_el0), hz = read_sysreg(cntfrq_el0);
	char buf[128 + 2 + LOG_LINE_MAX];
	size_t k = 0, len;
	bool put;

	spin_lock(&log_ring_locks[i]);
	if (r->unreported != 0 && now - log_note_at[i] >= hz) {
		buf[k++] = LOG_MARK_HV;
		k += fmt_snprintf(buf + k, 126,
				  "[bulkhead] %s%s: %lu bytes dropped\r\n",
				  i == LOG_HV ? "hypervisor" : "partition ",
				  i == LOG_HV ? "" : hv_cfg.partitions[i].name,
				  (unsigned long)r->unreported);
	}
	n = n < LOG_LINE_MAX ? n : LOG_LINE_MAX;
	len = k;
	if (kind == LOG_KIND_HV) {
		buf[len++] = LOG_MARK_HV;
	} else if (kind == LOG_KIND_RAW) {
		n = n < 255 ? n : 255;
		buf[len++] = LOG_MARK_RAW;
		buf[len++] = (char)n;
	}
	for (size_t j = 0; j < n; j++) {
		buf[len + j] = s[j];
	}
	len += n;
	if (kind == LOG_KIND_HV) {
		put = outring_put_free(r, buf, len);
		if (!put) {
			r->dropped += n;
			r->unreported += n;
		}
	} else {
		/* The budget counts what the partition sent, not framing. */
		put = outring_charge(r, n, now, hz);
		if (put && !outring_put_free(r, buf, len)) {
			put = false;
			if (r->rate != OUTRING_NO_BUDGET) {
				r->credit += n;
			}
			r->dropped += n;
			r->unreported += n;
		}
	}
	if (put && k != 0) {
		r->unreported = 0;
		log_note_at[i] = now;
	}
	spin_unlock(&log_ring_locks[i]);
	/* Send what the FIFO takes at once, up to twice what was put: a
	 * core never waits, and the work it does for the rings is bounded
	 * by its own output (itself bounded by its budget). */
	if (send) {
		drain_turn(false, put ? 2 * (unsigned)len : LOG_PRIME);
	}
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

/* "[bulkhead] <text>\n" as one unit, into ring @ring (LOG_HV + 1: the
 * ring of this core). */
static void info_v(uint32_t ring, const char *fmt, va_list ap)
{
	char line[256];
	size_t n;

	n = fmt_snprintf(line, sizeof(line), "[bulkhead] ");
	n += fmt_vsnprintf(line + n, sizeof(line) - n - 2, fmt, ap);
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
	(void)ring_put(ring <= LOG_HV ? ring : ring_of_core(), line,
		       crlf(line, n + 1), LOG_KIND_HV, true);
}

/** Print "[bulkhead] <text>\n" as one unit. */
void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	info_v(LOG_HV + 1, fmt, ap);
	va_end(ap);
}

/** log_info() into partition @part's ring: before what it prints next. */
void log_info_part(uint32_t part, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	info_v(part < HV_MAX_PARTITIONS ? part : LOG_HV + 1, fmt, ap);
	va_end(ap);
}

/** Print a completed console line of partition @part with its tag;
 * @send: also send what the FIFO takes. */
void log_partition_line(uint32_t part, const char *name, const char *text,
			size_t len, bool send)
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
	(void)ring_put(part, line, crlf(line, n), LOG_KIND_LINE, send);
}

/** Send @n bytes of partition @part's console as they are (it has the
 * focus); @send: also send some of what the rings hold. */
void log_partition_raw(uint32_t part, const char *s, size_t n, bool send)
{
	if (n == 0) {
		return;
	}
	if (!__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&log_panicked, __ATOMIC_SEQ_CST)) {
		direct_out(s, n, "", 0);
		return;
	}
	while (n != 0) {
		size_t chunk = n < 255 ? n : 255;

		(void)ring_put(part, s, chunk, LOG_KIND_RAW, send);
		s += chunk;
		n -= chunk;
	}
}

/** Send the rings' waiting output now (the UART's transmit interrupt
 * does it otherwise). */
void log_kick(void)
{
	if (__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST)) {
		drain_turn(false, LOG_TX_CHUNK);
	}
}

/**
 * Before the machine is powered off: become the drainer for good (the
 * holder, if any, lets go within one short turn) and write out what the
 * rings hold, waiting for the UART, this core alone.
 */
void log_final_flush(void)
{
	if (!__atomic_load_n(&log_rings_on, __ATOMIC_SEQ_CST)) {
		return;
	}
	while (__atomic_exchange_n(&log_drainer, 1, __ATOMIC_SEQ_CST)) {
		__asm__ volatile("yield");
	}
	if (log_term_mid) {
		out("\n", 1);
	}
	flush_straight();
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
