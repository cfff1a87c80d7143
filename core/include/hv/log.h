/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's console log. Every line is printed whole, so cores
 * never interleave characters; once the console is up, lines go through
 * per-partition output rings drained by the UART's transmit interrupt
 * (core/log.c), so no core waits for the UART. Hypervisor lines are tagged
 * "[bulkhead]"; partition console lines are tagged with the partition name.
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HV_PRINTF(f, a) __attribute__((format(printf, f, a)))

/** Print one hypervisor line ("[bulkhead] " + text + newline). */
void log_info(const char *fmt, ...) HV_PRINTF(1, 2);
/** Print a console line of partition @part: "[name] text" (its budget
 * applies; over it the line is dropped and counted); @send: also send
 * what the FIFO takes (else log_kick() later). */
void log_partition_line(uint32_t part, const char *name, const char *text,
			size_t len, bool send);
/** Print a hypervisor line into partition @part's ring (before what it
 * prints next). */
void log_info_part(uint32_t part, const char *fmt, ...) HV_PRINTF(2, 3);
/** Send @n bytes of the console of partition @part, which has the focus,
 * as they are (its budget applies); @send: also send what the FIFO takes. */
void log_partition_raw(uint32_t part, const char *s, size_t n, bool send);
/** Send some of the rings' waiting output now. */
void log_kick(void);
/** This core's EL2 timer: lines held for the focused line may be due. */
void log_hold_timer(void);
/** Before a power-off: write out everything waiting, this core alone. */
void log_final_flush(void);
/** Bytes of partition @part's console output dropped so far. */
uint64_t log_dropped(uint32_t part);
/** From now on, print through the output rings (console_init()). */
void log_start_rings(void);
/** The board UART's transmit interrupt: send the next bytes. */
void log_tx_irq(void);
/** Print raw formatted text under the lock (panic dumps). */
void log_raw(const char *fmt, ...) HV_PRINTF(1, 2);
/** After a panic: print without taking the lock (it may be held). */
void log_set_panic_mode(void);
/** Format into a buffer (always NUL-terminated); returns length. */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	HV_PRINTF(3, 4);

#endif /* HV_LOG_H */
