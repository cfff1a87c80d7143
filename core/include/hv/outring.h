/* SPDX-License-Identifier: MIT */
/*
 * Console output rings (core/log.c, docs/architecture.md): one per
 * partition and one for the hypervisor. A producer puts whole lines; the
 * UART's transmit interrupt takes bytes out. One producer at a time (the
 * caller serialises them) and one consumer at a time (the drainer) may
 * work at once without a lock between them: the producer publishes the
 * bytes then the tail, the consumer reads the tail then the bytes.
 *
 * A partition's ring has a budget: a byte rate with a burst (a token
 * bucket, time in the caller's counter ticks). A line over the budget, or
 * one that does not fit, is dropped whole and counted. Pure C, host
 * tested.
 */
#ifndef HV_OUTRING_H
#define HV_OUTRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTRING_NO_BUDGET 0u

struct outring {
	char *buf;
	uint32_t size;	       /* a power of two */
	/* head and tail: accessed only with the __atomic builtins. */
	uint32_t head;	       /* next byte out (consumer), free-running */
	uint32_t tail;	       /* next byte in (producer), free-running */
	/* Producer side only: */
	uint64_t rate;	      /* budget, bytes per second (0: none) */
	uint64_t burst;	      /* bytes the budget lets by at once */
	uint64_t credit;      /* bytes it lets by now */
	uint64_t last;	      /* tick the credit was last brought up */
	uint64_t dropped;     /* bytes dropped, in all */
	uint64_t unreported;  /* of them, not yet reported */
};

/** Empty ring over @buf (@size bytes, a power of two); @rate bytes/s
 * with @burst bytes at once (rate 0: no budget). */
void outring_init(struct outring *r, char *buf, uint32_t size, uint64_t rate,
		  uint64_t burst);
/** Bytes the ring holds. */
uint32_t outring_used(const struct outring *r);
/** Bytes the ring can still take. */
uint32_t outring_room(const struct outring *r);
/**
 * Put @n bytes of @s whole at tick @now (counter at @hz), or drop them
 * and count them (no room, or over the budget). True if put.
 */
bool outring_put(struct outring *r, const char *s, size_t n, uint64_t now,
		 uint64_t hz);
/** Put @n bytes whole if there is room, outside the budget. */
bool outring_put_free(struct outring *r, const char *s, size_t n);
/** The next byte out, or -1 if empty. */
int outring_get(struct outring *r);
/** The next byte out, left in the ring, or -1 if empty. */
int outring_peek(const struct outring *r);
/**
 * Take @n bytes from the budget at tick @now (counter at @hz): true if it
 * lets them by, else they are counted as dropped. For a caller that puts
 * more bytes than it charges (framing) with outring_put_free().
 */
bool outring_charge(struct outring *r, size_t n, uint64_t now, uint64_t hz);

/**
 * A rate limit for report lines: @burst at once, then one per @period
 * ticks; the lines refused are counted for the next one let by.
 */
struct ratelimit {
	uint64_t last;	     /* tick the tokens were last brought up */
	uint32_t tokens;
	uint32_t suppressed; /* refused since the last line let by */
};

void ratelimit_init(struct ratelimit *l, uint32_t burst);
/**
 * May a line go out at @now? If so, returns true and sets *@missed to
 * the lines refused since the last one (then 0); else counts it.
 */
bool ratelimit_take(struct ratelimit *l, uint64_t now, uint64_t period,
		    uint32_t burst, uint32_t *missed);

#endif /* HV_OUTRING_H */
