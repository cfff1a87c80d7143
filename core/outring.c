/* SPDX-License-Identifier: MIT */
/*
 * Console output rings (hv/outring.h). Head and tail run freely over
 * 32 bits; the byte at position i lives at buf[i % size], and
 * tail - head is the fill level whatever the wrap.
 */
#include "hv/outring.h"

void outring_init(struct outring *r, char *buf, uint32_t size, uint64_t rate,
		  uint64_t burst)
{
	r->buf = buf;
	r->size = size;
	__atomic_store_n(&r->head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->tail, 0, __ATOMIC_RELAXED);
	r->rate = rate;
	r->burst = burst;
	r->credit = burst;
	r->last = 0;
	r->dropped = 0;
	r->unreported = 0;
}

uint32_t outring_used(const struct outring *r)
{
	return __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
}

uint32_t outring_room(const struct outring *r)
{
	return r->size - outring_used(r);
}

/* Credit earned since the last look, capped at the burst. The product
 * stays below 2^64 for gaps under a few minutes at GHz counters; a longer
 * gap fills the bucket anyway. */
static void refill(struct outring *r, uint64_t now, uint64_t hz)
{
	uint64_t gap = now - r->last;

	if (now < r->last || hz == 0) {
		r->last = now;
		return;
	}
	if (gap >= hz * 64) {
		r->credit = r->burst;
	} else {
		uint64_t earned = gap * r->rate / hz;

		if (earned == 0) {
			return; /* keep the fraction: do not move last */
		}
		r->credit = r->credit + earned > r->burst ? r->burst
							  : r->credit + earned;
	}
	r->last = now;
}

bool outring_put_free(struct outring *r, const char *s, size_t n)
{
	uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);

	if (n > outring_room(r)) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		r->buf[(tail + (uint32_t)i) & (r->size - 1)] = s[i];
	}
	/* The bytes before the tail that publishes them. */
	__atomic_store_n(&r->tail, tail + (uint32_t)n, __ATOMIC_SEQ_CST);
	return true;
}

bool outring_put(struct outring *r, const char *s, size_t n, uint64_t now,
		 uint64_t hz)
{
	if (r->rate != OUTRING_NO_BUDGET) {
		refill(r, now, hz);
		if (n > r->credit) {
			goto drop;
		}
	}
	if (!outring_put_free(r, s, n)) {
		goto drop;
	}
	if (r->rate != OUTRING_NO_BUDGET) {
		r->credit -= n;
	}
	return true;
drop:
	r->dropped += n;
	r->unreported += n;
	return false;
}

int outring_peek(const struct outring *r)
{
	uint32_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED);

	if (head == __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) {
		return -1;
	}
	return (unsigned char)r->buf[head & (r->size - 1)];
}

bool outring_charge(struct outring *r, size_t n, uint64_t now, uint64_t hz)
{
	if (r->rate == OUTRING_NO_BUDGET) {
		return true;
	}
	refill(r, now, hz);
	if (n > r->credit) {
		r->dropped += n;
		r->unreported += n;
		return false;
	}
	r->credit -= n;
	return true;
}

int outring_get(struct outring *r)
{
	uint32_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
	int c;

	if (head == __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) {
		return -1;
	}
	c = (unsigned char)r->buf[head & (r->size - 1)];
	/* The byte is read before the slot is handed back. */
	__atomic_store_n(&r->head, head + 1, __ATOMIC_SEQ_CST);
	return c;
}

void ratelimit_init(struct ratelimit *l, uint32_t burst)
{
	l->last = 0;
	l->tokens = burst;
	l->suppressed = 0;
}

bool ratelimit_take(struct ratelimit *l, uint64_t now, uint64_t period,
		    uint32_t burst, uint32_t *missed)
{
	if (now < l->last) {
		l->last = now;
	}
	if (period != 0 && now - l->last >= period) {
		uint64_t earned = (now - l->last) / period;

		l->tokens = earned >= burst - l->tokens ? burst
						       : l->tokens + (uint32_t)earned;
		l->last += earned * period;
		if (l->tokens == burst) {
			l->last = now;
		}
	}
	if (l->tokens == 0) {
		l->suppressed++;
		return false;
	}
	l->tokens--;
	*missed = l->suppressed;
	l->suppressed = 0;
	return true;
}
