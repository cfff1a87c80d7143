/* SPDX-License-Identifier: MIT */
/*
 * A small printf: %s %c %d %i %u %x %X %p %%, with l/ll/z length, '0' flag,
 * field width and '-' left alignment. Always NUL-terminates.
 */
#include <stdint.h>

#include "hv/log.h"

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void emit(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void emit_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0) {
		emit(o, c);
	}
}

struct fmt_spec {
	int width;
	char pad;
	int left;
	int lng;
};

static void emit_num(struct fmt_out *o, uint64_t v, unsigned base, int neg,
		     int upper, const struct fmt_spec *s)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (neg) {
		tmp[n++] = '-';
	}
	if (!s->left) {
		emit_pad(o, s->pad, s->width - n);
	}
	for (int i = n; i > 0; i--) {
		emit(o, tmp[i - 1]);
	}
	if (s->left) {
		emit_pad(o, ' ', s->width - n);
	}
}

static void emit_str(struct fmt_out *o, const char *str,
		     const struct fmt_spec *s)
{
	int n = 0;

	if (str == NULL) {
		str = "(null)";
	}
	while (str[n] != '\0') {
		n++;
	}
	if (!s->left) {
		emit_pad(o, ' ', s->width - n);
	}
	for (int i = 0; i < n; i++) {
		emit(o, str[i]);
	}
	if (s->left) {
		emit_pad(o, ' ', s->width - n);
	}
}

static uint64_t get_unsigned(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
}

static const char *parse_spec(const char *f, struct fmt_spec *s)
{
	s->width = 0;
	s->pad = ' ';
	s->left = 0;
	s->lng = 0;
	if (*f == '-') {
		s->left = 1;
		f++;
	}
	if (*f == '0') {
		s->pad = '0';
		f++;
	}
	while (*f >= '0' && *f <= '9') {
		s->width = s->width * 10 + (*f - '0');
		f++;
	}
	while (*f == 'l' || *f == 'z') {
		s->lng = 1;
		f++;
	}
	return f;
}

/**
 * Format @fmt into @buf of @size bytes; returns the length it would have
 * had without truncation.
 */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	struct fmt_spec s;
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f != '\0'; f++) {
		if (*f != '%') {
			emit(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &s);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = s.lng ? va_arg(aq, int64_t) : va_arg(aq, int);

			emit_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
				 v < 0, 0, &s);
			break;
		}
		case 'u':
			emit_num(&o, get_unsigned(&aq, s.lng), 10, 0, 0, &s);
			break;
		case 'x':
		case 'X':
			emit_num(&o, get_unsigned(&aq, s.lng), 16, 0,
				 *f == 'X', &s);
			break;
		case 'p':
			emit(&o, '0');
			emit(&o, 'x');
			emit_num(&o, (uintptr_t)va_arg(aq, void *), 16, 0, 0,
				 &s);
			break;
		case 'c':
			emit(&o, (char)va_arg(aq, int));
			break;
		case 's':
			emit_str(&o, va_arg(aq, const char *), &s);
			break;
		case '\0':
			f--;
			break;
		default:
			emit(&o, *f);
			break;
		}
	}
	va_end(aq);
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return o.len;
}

/** snprintf over fmt_vsnprintf. */
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
