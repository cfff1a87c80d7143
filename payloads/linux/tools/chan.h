// SPDX-License-Identifier: MIT
/* bhtool's access to Bulkhead channels (chan.c, docs/channels.md). */
#ifndef BHTOOL_CHAN_H
#define BHTOOL_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A channel end found in /proc/device-tree. */
struct chan {
	char name[64];
	char peer[64];
	uint64_t base; /* guest-physical */
	uint64_t size;
	bool writable;
	uint32_t line_out; /* PL061 line that rings the peer */
	uint32_t line_in;  /* PL061 line the peer rings */
	void *mem;	   /* after chan_map() */
};

bool chan_find(const char *name, struct chan *c);
bool chan_map(struct chan *c, bool write);
bool chan_ring(const struct chan *c);
int chan_listen(const struct chan *c);
int chan_wait(int fd, int timeout_ms);
uint64_t chan_load(const struct chan *c, uint64_t off);
bool chan_store(const struct chan *c, uint64_t off, uint64_t v);
void chan_load_string(const struct chan *c, uint64_t off, char *out,
		      size_t max);
bool chan_store_string(const struct chan *c, uint64_t off, const char *s);

#endif
