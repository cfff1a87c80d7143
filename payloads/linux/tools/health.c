/* SPDX-License-Identifier: MIT */
/*
 * bhtool health: print the counters of every partition this one may
 * monitor (its `monitor` property): the read-only pages the hypervisor
 * keeps (layout in core/include/hv/stats.h, docs/lifecycle.md), found
 * through the device tree's /monitor@9900000 node and read with /dev/mem.
 *
 * bhtool ticker: forever, once a second, print "ticker N up S" (S: seconds
 * of CLOCK_BOOTTIME), and "ticker: GAP" whenever two turns are more than
 * 3 s apart, so a test can see this partition never paused.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hv/stats.h"

#include "health.h"

#define MONITOR_NODE "/proc/device-tree/monitor@9900000"

/* A whole device-tree property file; its length, or -1. */
static ssize_t read_prop(const char *name, void *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", MONITOR_NODE, name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		return -1;
	}
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++) {
		v = v << 8 | p[i];
	}
	return v;
}

static void print_page(const volatile struct hv_stats *st, uint64_t now)
{
	static const char *const states[] = { "running", "stopped",
					      "resetting" };
	static const char *const exits[] = { "irq", "maint", "hvc", "smc",
					     "sysreg", "gic", "uart", "gpio",
					     "wdog", "abort", "wfx", "other",
					     "irqfast", "maintfast" };
	uint64_t hz = st->counter_hz != 0 ? st->counter_hz : 1;
	uint64_t up = now > st->started_at ? now - st->started_at : 0;
	char name[sizeof(st->name) + 1];
	uint64_t injected = st->irqs_injected;

	for (size_t i = 0; i < sizeof(st->name); i++) {
		name[i] = st->name[i];
	}
	name[sizeof(st->name)] = '\0';
	/* irqs_injected leaves out the hypervisor's vector fast path, which
	 * counts its injections per vCPU (exit kind 12, "irqfast"). */
	for (uint32_t v = 0; v < st->vcpu_count && v < HV_STATS_VCPUS; v++) {
		injected += st->exit_kinds > 12 ? st->exits[v][12] : 0;
	}
	printf("health %s: %s, restarts %" PRIu64 ", faults %" PRIu64
	       ", watchdog expiries %" PRIu64 ", irqs injected %" PRIu64
	       ", DMA faults %" PRIu64 ", up %" PRIu64 ".%03" PRIu64 " s\n",
	       name, st->state < 3 ? states[st->state] : "?", st->restarts,
	       st->faults, st->wdog_expiries, injected, st->dma_faults,
	       up / hz,
	       up % hz * 1000 / hz);
	for (uint32_t v = 0; v < st->vcpu_count && v < HV_STATS_VCPUS; v++) {
		printf("health %s vcpu%u:", name, v);
		for (uint32_t k = 0; k < st->exit_kinds && k < HV_STATS_EXITS &&
				     k < sizeof(exits) / sizeof(exits[0]);
		     k++) {
			printf(" %s %" PRIu64, exits[k], st->exits[v][k]);
		}
		printf("\n");
	}
	/* Memory-bandwidth regulation (docs/isolation.md), if regulated. */
	for (uint32_t v = 0; st->mem_budget != 0 && v < st->vcpu_count &&
			     v < HV_STATS_VCPUS;
	     v++) {
		const volatile struct hv_stats_mem *m = &st->mem[v];

		printf("health %s vcpu%u memory: budget %u events 0x%x per %u "
		       "us, periods %" PRIu64 ", throttled %" PRIu64
		       ", held %" PRIu64 " us, events last %" PRIu64
		       " max %" PRIu64 "\n",
		       name, v, st->mem_budget, st->mem_event,
		       st->mem_period_us, m->periods, m->throttled,
		       m->throttled_ticks / hz * 1000000u +
			       m->throttled_ticks % hz * 1000000u / hz,
		       m->last_events, m->max_events);
	}
}

/** bhtool health: see the comment at the top. */
int health_cmd(void)
{
	uint8_t reg[16];
	uint64_t base, size, now;
	const uint8_t *map;
	int fd;

	if (read_prop("reg", reg, sizeof(reg)) != (ssize_t)sizeof(reg)) {
		fputs("bhtool: no monitor pages: this partition has no "
		      "`monitor` property\n", stderr);
		return 1;
	}
	base = be64(reg);
	size = be64(reg + 8);
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0) {
		perror("bhtool: /dev/mem");
		return 1;
	}
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, (off_t)base);
	close(fd);
	if (map == MAP_FAILED) {
		perror("bhtool: mmap of the monitor pages");
		return 1;
	}
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(now));
	for (uint64_t off = 0; off + HV_STATS_PAGE <= size;
	     off += HV_STATS_PAGE) {
		const volatile struct hv_stats *st =
			(const volatile struct hv_stats *)(map + off);

		if (st->magic != HV_STATS_MAGIC ||
		    st->version != HV_STATS_VERSION) {
			fprintf(stderr, "bhtool: page at 0x%" PRIx64
				" is not a version %u stats page\n",
				base + off, HV_STATS_VERSION);
			return 1;
		}
		print_page(st, now);
	}
	return 0;
}

/** bhtool ticker: see the comment at the top. */
void ticker_cmd(void)
{
	struct timespec last, now;

	clock_gettime(CLOCK_BOOTTIME, &last);
	for (unsigned long n = 1;; n++) {
		sleep(1);
		clock_gettime(CLOCK_BOOTTIME, &now);
		if (now.tv_sec - last.tv_sec > 3) {
			printf("ticker: GAP of %ld s\n",
			       (long)(now.tv_sec - last.tv_sec));
		}
		printf("ticker %lu up %ld\n", n, (long)now.tv_sec);
		fflush(stdout);
		last = now;
	}
}
