/* SPDX-License-Identifier: MIT */
/*
 * Keel's console: polled output on a PL011 (Arm DDI 0183G, 3.3 "Register
 * descriptions"), a small formatter, panic, and the two memory functions
 * the compiler may call.
 *
 * The UART is used as the firmware or hypervisor left it (QEMU and
 * Bulkhead need no set-up). Messages are formatted into a buffer first and
 * written whole; once tasks run, a semaphore rather than an IRQ mask
 * serialises the writers, so printing a line never delays a task of higher
 * priority than the printer (on a trapped, emulated UART a line can take
 * a while).
 */
#include "internal.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF (1u << 5)

#define MSG_MAX 192

static uint64_t uart;
static struct keel_sem console_sem = { .count = 1, .waiters = 0 };

/** console_init() - See internal.h. */
void console_init(uint64_t base)
{
	uart = base;
}

static void put_raw(char c)
{
	uint32_t fr;

	/* The asm writes fr: not the infinite loop clang-tidy sees. */
	do { /* NOLINT(bugprone-infinite-loop) */
		__asm__ volatile("ldr %w0, [%1]"
				 : "=r"(fr)
				 : "r"(uart + UARTFR)
				 : "memory");
	} while ((fr & UARTFR_TXFF) != 0);
	__asm__ volatile("str %w0, [%1]"
			 :
			 : "r"((uint32_t)(uint8_t)c), "r"(uart + UARTDR)
			 : "memory");
}

/** console_write() - See internal.h. */
void console_write(const char *s, size_t n)
{
	if (uart == 0) {
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			put_raw('\r');
		}
		put_raw(s[i]);
	}
}

/** Formatter output: writes what fits, counts everything. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, bool neg,
		    unsigned width, char pad)
{
	char tmp[24];
	unsigned n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (neg && pad == '0') {
		put(o, '-');
		width = width > 0 ? width - 1 : 0;
	} else if (neg) {
		tmp[n++] = '-';
	}
	while (width > n) {
		put(o, pad);
		width--;
	}
	while (n > 0) {
		put(o, tmp[--n]);
	}
}

/* One conversion at *f (after '%', flags and width); returns past it. */
static const char *convert(struct out *o, const char *f, va_list *ap,
			   unsigned width, char pad)
{
	unsigned lng = 0;

	while (*f == 'l' || *f == 'z') {
		lng = 1;
		f++;
	}
	switch (*f) {
	case 'd': {
		int64_t v = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
		uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

		put_num(o, mag, 10, v < 0, width, pad);
		break;
	}
	case 'u':
	case 'x':
		put_num(o, lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned),
			*f == 'u' ? 10 : 16, false, width, pad);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);

		for (s = s != NULL ? s : "(null)"; *s != '\0'; s++) {
			put(o, *s);
		}
		break;
	}
	case '\0':
		return f;
	default:
		put(o, *f);
		break;
	}
	return f + 1;
}

/** keel_vsnprintf() - The formatter behind keel_printf(). */
int keel_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt != '\0') {
		unsigned width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9') {
			width = width * 10 + (unsigned)(*fmt++ - '0');
		}
		fmt = convert(&o, fmt, &aq, width, pad);
	}
	va_end(aq);
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

/** keel_snprintf() - See keel.h. */
int keel_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = keel_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/** keel_printf() - See keel.h. */
void keel_printf(const char *fmt, ...)
{
	char buf[MSG_MAX];
	va_list ap;
	size_t n;
	bool lock = kernel_can_block();

	va_start(ap, fmt);
	n = (size_t)keel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
	}
	if (lock) {
		(void)keel_sem_take(&console_sem, KEEL_FOREVER);
	}
	console_write(buf, n);
	if (lock) {
		keel_sem_give(&console_sem);
	}
}

/** keel_panic() - See keel.h. */
void keel_panic(const char *fmt, ...)
{
	static const char tag[] = "keel: PANIC: ";
	char buf[MSG_MAX];
	va_list ap;
	size_t n;

	(void)keel_irq_save();
	va_start(ap, fmt);
	n = (size_t)keel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
	}
	console_write(tag, sizeof(tag) - 1);
	console_write(buf, n);
	console_write("\n", 1);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

/**
 * memset() - The C library function, which the compiler may call for
 * struct clears (-ffreestanding does not stop it). Byte by byte.
 */
void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n-- > 0) {
		*p++ = (uint8_t)c;
	}
	return d;
}

/** memcpy() - As memset(): for struct copies. d and s must not overlap. */
void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n-- > 0) {
		*p++ = *q++;
	}
	return d;
}
