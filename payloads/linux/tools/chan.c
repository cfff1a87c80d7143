// SPDX-License-Identifier: MIT
/*
 * bhtool's channel commands (docs/channels.md): a Bulkhead channel is a
 * shared memory region plus a doorbell each way on the partition's
 * virtual PL061. Everything is found by name in the device tree the
 * hypervisor generated (/proc/device-tree): a node
 * "channel@ADDR" with compatible "bulkhead,channel", label NAME, reg,
 * bulkhead,access and bulkhead,doorbell-lines = <ring rung>; the PL061's
 * lines are named NAME-out and NAME-in (gpio-line-names), which is how
 * the GPIO character device finds them.
 *
 * The region lies outside the kernel's memory node, so Debian's kernel,
 * built with STRICT_DEVMEM and IO_STRICT_DEVMEM, lets /dev/mem map it
 * (it is neither System RAM nor claimed by a driver) and maps it
 * non-cacheable. Device memory must be accessed with aligned loads and
 * stores, so copies go word by word, never through memcpy/memset.
 *
 * Doorbells use the GPIO v2 character-device API (linux/gpio.h): ringing
 * requests the NAME-out line as an output and pulses it high then low;
 * waiting requests NAME-in as an input with rising-edge events.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/gpio.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "chan.h"

#define DT_ROOT "/proc/device-tree"

static sigjmp_buf chan_fault_jmp;
static volatile sig_atomic_t chan_fault_armed;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Reads DT_ROOT/@node/@prop into @buf; returns its length or -1. */
static int dt_prop(const char *node, const char *prop, void *buf, size_t len)
{
	char path[512];
	int fd, n;

	snprintf(path, sizeof(path), DT_ROOT "/%s/%s", node, prop);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		return -1;
	}
	n = (int)read(fd, buf, len);
	close(fd);
	return n;
}

/** Finds channel @name in the device tree; false (and says why) if not. */
bool chan_find(const char *name, struct chan *c)
{
	DIR *d = opendir(DT_ROOT);
	struct dirent *ent;
	bool found = false;

	if (d == NULL) {
		fprintf(stderr, "bhtool: %s: %s\n", DT_ROOT, strerror(errno));
		return false;
	}
	while (!found && (ent = readdir(d)) != NULL) {
		char label[64] = "", access[32] = "", peer[64] = "";
		uint8_t reg[16], lines[8];

		if (strncmp(ent->d_name, "channel@", 8) != 0 ||
		    dt_prop(ent->d_name, "label", label, sizeof(label) - 1) <
			    0 ||
		    strcmp(label, name) != 0) {
			continue;
		}
		if (dt_prop(ent->d_name, "reg", reg, sizeof(reg)) != 16 ||
		    dt_prop(ent->d_name, "bulkhead,doorbell-lines", lines,
			    sizeof(lines)) != 8 ||
		    dt_prop(ent->d_name, "bulkhead,access", access,
			    sizeof(access) - 1) < 0) {
			fprintf(stderr, "bhtool: channel %s: malformed node %s\n",
				name, ent->d_name);
			break;
		}
		dt_prop(ent->d_name, "bulkhead,peer", peer, sizeof(peer) - 1);
		snprintf(c->name, sizeof(c->name), "%s", name);
		snprintf(c->peer, sizeof(c->peer), "%s", peer);
		c->base = (uint64_t)be32(reg) << 32 | be32(reg + 4);
		c->size = (uint64_t)be32(reg + 8) << 32 | be32(reg + 12);
		c->writable = strcmp(access, "read-write") == 0;
		c->line_out = be32(lines);
		c->line_in = be32(lines + 4);
		c->mem = NULL;
		found = true;
	}
	closedir(d);
	if (!found) {
		fprintf(stderr, "bhtool: no channel \"%s\" in %s\n", name,
			DT_ROOT);
	}
	return found;
}

/**
 * Maps the channel's region through /dev/mem, writable if @write (which
 * the hypervisor still refuses for a read-only end). False on failure.
 */
bool chan_map(struct chan *c, bool write)
{
	int fd = open("/dev/mem", (write ? O_RDWR : O_RDONLY) | O_SYNC);

	if (fd < 0) {
		fprintf(stderr, "bhtool: /dev/mem: %s\n", strerror(errno));
		return false;
	}
	c->mem = mmap(NULL, c->size, PROT_READ | (write ? PROT_WRITE : 0),
		      MAP_SHARED, fd, (off_t)c->base);
	close(fd);
	if (c->mem == MAP_FAILED) {
		fprintf(stderr, "bhtool: mmap of /dev/mem at 0x%" PRIx64
			": %s\n", c->base, strerror(errno));
		c->mem = NULL;
		return false;
	}
	return true;
}

/* Finds the GPIO chip with a line called @name; returns its fd or -1. */
static int gpio_find_line(const char *name, uint32_t *offset)
{
	for (int n = 0; n < 16; n++) {
		struct gpiochip_info info;
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/dev/gpiochip%d", n);
		fd = open(path, O_RDWR);
		if (fd < 0) {
			continue;
		}
		if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) == 0) {
			for (uint32_t i = 0; i < info.lines; i++) {
				struct gpio_v2_line_info li;

				memset(&li, 0, sizeof(li));
				li.offset = i;
				if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL,
					  &li) == 0 &&
				    strcmp(li.name, name) == 0) {
					*offset = i;
					return fd;
				}
			}
		}
		close(fd);
	}
	fprintf(stderr, "bhtool: no GPIO line \"%s\" (is the PL061 probed?)\n",
		name);
	return -1;
}

/* Requests line "NAME-SUFFIX" with @flags; returns the line fd or -1. */
static int gpio_request(const struct chan *c, const char *suffix,
			uint64_t flags)
{
	struct gpio_v2_line_request req;
	char lname[80];
	uint32_t offset;
	int chip, rc;

	snprintf(lname, sizeof(lname), "%s-%s", c->name, suffix);
	chip = gpio_find_line(lname, &offset);
	if (chip < 0) {
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.offsets[0] = offset;
	req.num_lines = 1;
	req.config.flags = flags;
	snprintf(req.consumer, sizeof(req.consumer), "bhtool");
	rc = ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req);
	close(chip);
	if (rc != 0) {
		fprintf(stderr, "bhtool: request GPIO line %s: %s\n", lname,
			strerror(errno));
		return -1;
	}
	return req.fd;
}

/** Rings the peer: pulses the NAME-out line high then low. */
bool chan_ring(const struct chan *c)
{
	int fd = gpio_request(c, "out", GPIO_V2_LINE_FLAG_OUTPUT);
	struct gpio_v2_line_values hi = { .bits = 1, .mask = 1 };
	struct gpio_v2_line_values lo = { .bits = 0, .mask = 1 };
	bool ok;

	if (fd < 0) {
		return false;
	}
	ok = ioctl(fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &hi) == 0 &&
	     ioctl(fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &lo) == 0;
	if (!ok) {
		fprintf(stderr, "bhtool: ring %s: %s\n", c->name,
			strerror(errno));
	}
	close(fd);
	return ok;
}

/**
 * Opens the NAME-in line for rising-edge events: the peer's doorbells
 * from now on are queued on the returned fd (-1 on failure).
 */
int chan_listen(const struct chan *c)
{
	return gpio_request(c, "in",
			    GPIO_V2_LINE_FLAG_INPUT |
				    GPIO_V2_LINE_FLAG_EDGE_RISING);
}

/**
 * Waits up to @timeout_ms (-1: forever) for a doorbell on @fd from
 * chan_listen(). Returns 1 for a doorbell, 0 on timeout, -1 on error.
 */
int chan_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct gpio_v2_line_event ev;
	int rc = poll(&pfd, 1, timeout_ms);

	if (rc <= 0) {
		return rc;
	}
	if (read(fd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev)) {
		return -1;
	}
	return 1;
}

/** Aligned 64-bit load from the region (Device memory: no memcpy). */
uint64_t chan_load(const struct chan *c, uint64_t off)
{
	uint64_t v = ((volatile uint64_t *)c->mem)[off / 8];

	__asm__ volatile("dmb ish" ::: "memory");
	return v;
}

static void chan_on_sigbus(int sig)
{
	(void)sig;
	if (chan_fault_armed) {
		siglongjmp(chan_fault_jmp, 1);
	}
	_exit(128 + SIGBUS);
}

/**
 * Aligned 64-bit store to the region. Returns false if the store was
 * refused: the hypervisor's abort reaches us as SIGBUS (a read-only end
 * with fault-policy "inject").
 */
bool chan_store(const struct chan *c, uint64_t off, uint64_t v)
{
	struct sigaction sa, old;
	bool ok = true;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = chan_on_sigbus;
	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(chan_fault_jmp, 1) == 0) {
		chan_fault_armed = 1;
		__asm__ volatile("dmb ish" ::: "memory");
		((volatile uint64_t *)c->mem)[off / 8] = v;
		__asm__ volatile("dmb ish" ::: "memory");
	} else {
		ok = false;
	}
	chan_fault_armed = 0;
	sigaction(SIGBUS, &old, NULL);
	return ok;
}

/** Copies a string of at most @max bytes out of the region, word-wise. */
void chan_load_string(const struct chan *c, uint64_t off, char *out,
		      size_t max)
{
	size_t n = 0;

	for (uint64_t w = 0; n + 1 < max && off + w + 8 <= c->size; w += 8) {
		uint64_t v = chan_load(c, off + w);

		for (int b = 0; b < 8 && n + 1 < max; b++) {
			out[n++] = (char)(v >> (8 * b));
		}
	}
	out[n < max ? n : max - 1] = '\0';
}

/**
 * Stores NUL-terminated @s into the region at @off, word-wise, padding
 * the last word with zeros. False if a store was refused.
 */
bool chan_store_string(const struct chan *c, uint64_t off, const char *s)
{
	size_t len = strlen(s) + 1;

	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = 0;

		for (size_t b = 0; b < 8 && i + b < len; b++) {
			v |= (uint64_t)(uint8_t)s[i + b] << (8 * b);
		}
		if (off + i + 8 > c->size || !chan_store(c, off + i, v)) {
			return false;
		}
	}
	return true;
}
