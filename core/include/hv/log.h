/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's console log. Every line is printed whole under one lock,
 * so cores never interleave characters. Hypervisor lines are tagged
 * "[bulkhead]"; partition console lines are tagged with the partition name.
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define HV_PRINTF(f, a) __attribute__((format(printf, f, a)))

/** Print one hypervisor line ("[bulkhead] " + text + newline). */
void log_info(const char *fmt, ...) HV_PRINTF(1, 2);
/** Print a partition console line: "[name] text". */
void log_partition_line(const char *name, const char *text, size_t len);
/** Print raw formatted text under the lock (panic dumps). */
void log_raw(const char *fmt, ...) HV_PRINTF(1, 2);
/** After a panic: print without taking the lock (it may be held). */
void log_set_panic_mode(void);
/** Format into a buffer (always NUL-terminated); returns length. */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	HV_PRINTF(3, 4);

#endif /* HV_LOG_H */
