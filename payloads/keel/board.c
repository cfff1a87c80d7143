/* SPDX-License-Identifier: MIT */
/*
 * Keel's view of the machine: the device tree (Devicetree Specification
 * v0.4, chapter 5 "Flattened Devicetree (DTB) Format"), boot arguments,
 * PSCI, and the boot sequence that brings them up.
 *
 * Only the children of the root node are read, with the root's
 * #address-cells and #size-cells: that is where QEMU virt and Bulkhead
 * put the GIC, the PL011, the timer, PSCI, /chosen, and the channel ends
 * and their PL061. Anything the tree
 * does not say keeps the QEMU virt default. Every offset read from the
 * blob is bounds-checked against its header; a malformed blob is ignored
 * from the first bad token on.
 */
#include "internal.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

/* PSCI 0.2 function ID (Arm DEN 0022, 5.1 "Function prototypes"). */
#define PSCI_SYSTEM_OFF 0x84000008u

/* QEMU virt (docs: shared/PLATFORM-FACTS.md). */
#define VIRT_UART 0x09000000ull
#define VIRT_GICD 0x08000000ull
#define VIRT_GICR 0x080a0000ull
#define VIRT_GICR_SIZE 0x00f60000ull
#define VIRT_GICC 0x08010000ull
#define VIRT_VTIMER_INTID 27u

/* PL011 candidates kept until /chosen/stdout-path is known. */
#define MAX_UARTS 4

/** The facts of one root child node, gathered from its properties. */
struct node {
	const char *name;
	const uint8_t *compat;
	uint32_t compat_len;
	const uint8_t *reg;
	uint32_t reg_len;
	const uint8_t *irqs;
	uint32_t irqs_len;
	const char *method;
	const char *label;	/* channel ends: label, access, lines */
	const char *access;
	const uint8_t *lines;
	uint32_t lines_len;
	const uint8_t *freq; /* clock-frequency, 4 bytes */
};

/** Walk state: the blob's blocks and what has been found so far. */
struct walk {
	const uint8_t *strings;
	uint32_t strings_size;
	uint32_t addr_cells;
	uint32_t size_cells;
	struct node node;
	const char *stdout_path;
	unsigned nuarts;
	const char *uart_name[MAX_UARTS];
	uint64_t uart_base[MAX_UARTS];
};

static struct board the_board;
static struct keel_platform platform;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static bool streq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Length of s, but at most max (then s is not terminated within max). */
static size_t strnlen_(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0') {
		n++;
	}
	return n;
}

/* A string-list property holds s. */
static bool has_string(const uint8_t *list, uint32_t len, const char *s)
{
	uint32_t i = 0;

	while (i < len) {
		const char *e = (const char *)list + i;
		size_t n = strnlen_(e, len - i);

		if (n < len - i && streq(e, s)) {
			return true;
		}
		i += (uint32_t)n + 1;
	}
	return false;
}

/* Big-endian number of cells cells (1 or 2) at p. */
static uint64_t cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? (uint64_t)be32(p) << 32 | be32(p + 4) : be32(p);
}

/* Entry i of node n's reg: false if it has none. */
static bool reg_entry(const struct walk *w, unsigned i, uint64_t *base,
		      uint64_t *size)
{
	uint32_t ac = w->addr_cells, sc = w->size_cells;
	uint32_t entry = 4 * (ac + sc);

	if (w->node.reg == NULL || ac < 1 || ac > 2 || sc > 2 ||
	    w->node.reg_len < entry * (i + 1)) {
		return false;
	}
	*base = cells(w->node.reg + (size_t)entry * i, ac);
	*size = sc == 0 ? 0
			: cells(w->node.reg + (size_t)entry * i + 4ul * ac, sc);
	return true;
}

static bool compatible(const struct node *n, const char *c)
{
	return n->compat != NULL && has_string(n->compat, n->compat_len, c);
}

/* A "bulkhead,channel" node (docs/channels.md): one channel end. */
static void apply_chan(const struct walk *w, struct board *b)
{
	const struct node *n = &w->node;
	struct board_chan *c = &b->chans[b->nchans];
	uint64_t base, size;
	size_t i;

	if (b->nchans == BOARD_MAX_CHANS || n->label == NULL ||
	    n->access == NULL || n->lines == NULL || n->lines_len != 8 ||
	    !reg_entry(w, 0, &base, &size)) {
		return;
	}
	for (i = 0; n->label[i] != '\0' && i + 1 < sizeof(c->name); i++) {
		c->name[i] = n->label[i];
	}
	c->name[i] = '\0';
	c->base = base;
	c->size = size;
	c->writable = streq(n->access, "read-write");
	c->line_out = be32(n->lines);
	c->line_in = be32(n->lines + 4);
	b->nchans++;
}

/* A root child has ended: take from it what Keel needs. */
static void apply_node(struct walk *w, struct board *b)
{
	static const char *const gicv2[] = {
		"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
		"arm,cortex-a7-gic",
	};
	const struct node *n = &w->node;
	uint64_t base, size;

	if (compatible(n, "arm,gic-v3") && reg_entry(w, 0, &base, &size)) {
		b->gic_version = 3;
		b->gicd = base;
		if (reg_entry(w, 1, &base, &size)) {
			b->gicr = base;
			b->gicr_size = size;
		}
	}
	for (unsigned i = 0; i < sizeof(gicv2) / sizeof(gicv2[0]); i++) {
		if (compatible(n, gicv2[i]) && reg_entry(w, 0, &base, &size)) {
			b->gic_version = 2;
			b->gicd = base;
			if (reg_entry(w, 1, &base, &size)) {
				b->gicc = base;
			}
		}
	}
	if (compatible(n, "arm,pl011") && w->nuarts < MAX_UARTS &&
	    reg_entry(w, 0, &base, &size)) {
		w->uart_name[w->nuarts] = n->name;
		w->uart_base[w->nuarts++] = base;
	}
	/* Timer interrupts: secure, non-secure, virtual, hypervisor; each
	 * <type number flags>, a PPI number counting from INTID 16. */
	if (compatible(n, "arm,armv8-timer") && n->irqs != NULL &&
	    n->irqs_len >= 36 && be32(n->irqs + 24) == 1 &&
	    be32(n->irqs + 28) < 16) {
		b->vtimer_intid = 16 + be32(n->irqs + 28);
	}
	if (compatible(n, "arm,sp805") && reg_entry(w, 0, &base, &size)) {
		b->wdog = base;
	}
	if (compatible(n, "fixed-clock") && n->freq != NULL &&
	    b->wdog_clock_hz == 0) {
		b->wdog_clock_hz = be32(n->freq);
	}
	if ((compatible(n, "arm,psci-0.2") || compatible(n, "arm,psci-1.0")) &&
	    n->method != NULL) {
		b->psci_smc = streq(n->method, "smc");
	}
	/* The virtual PL061 of the channel doorbells: <0 SPI flags>. */
	if (compatible(n, "arm,pl061") && reg_entry(w, 0, &base, &size) &&
	    n->irqs != NULL && n->irqs_len >= 12 && be32(n->irqs) == 0) {
		b->gpio = base;
		b->gpio_intid = 32 + be32(n->irqs + 4);
	}
	if (compatible(n, "bulkhead,channel")) {
		apply_chan(w, b);
	}
}

/* Record property pname (value val, len bytes) of the node at depth. */
static void take_prop(struct walk *w, struct board *b, unsigned depth,
		      const char *pname, const uint8_t *val, uint32_t len)
{
	struct node *n = &w->node;
	bool str = len > 0 && val[len - 1] == '\0';

	if (depth == 1 && len == 4 && streq(pname, "#address-cells")) {
		w->addr_cells = be32(val);
	} else if (depth == 1 && len == 4 && streq(pname, "#size-cells")) {
		w->size_cells = be32(val);
	} else if (depth != 2) { /* NOLINT(bugprone-branch-clone): as below */
		return;
	} else if (streq(pname, "compatible")) {
		n->compat = val;
		n->compat_len = len;
	} else if (streq(pname, "reg")) {
		n->reg = val;
		n->reg_len = len;
	} else if (streq(pname, "interrupts")) {
		n->irqs = val;
		n->irqs_len = len;
	} else if (streq(pname, "method") && str) {
		n->method = (const char *)val;
	} else if (streq(pname, "label") && str) {
		n->label = (const char *)val;
	} else if (streq(pname, "bulkhead,access") && str) {
		n->access = (const char *)val;
	} else if (streq(pname, "bulkhead,doorbell-lines")) {
		n->lines = val;
		n->lines_len = len;
	} else if (streq(pname, "clock-frequency") && len == 4) {
		n->freq = val;
	} else if (!streq(n->name, "chosen") || !str) {
		return;
	} else if (streq(pname, "bootargs")) {
		size_t i;

		for (i = 0; i + 1 < len && i + 1 < sizeof(b->bootargs); i++) {
			b->bootargs[i] = (char)val[i];
		}
		b->bootargs[i] = '\0';
	} else if (streq(pname, "stdout-path")) {
		w->stdout_path = (const char *)val;
	}
}

/* A property name at offset off lies, terminated, in the strings block. */
static bool in_strings(const struct walk *w, uint32_t off)
{
	return off < w->strings_size &&
	       strnlen_((const char *)w->strings + off, w->strings_size - off) <
		       w->strings_size - off;
}

/* stdout-path "/pl011@9000000:115200n8" names root child "pl011@9000000". */
static bool is_stdout(const char *path, const char *name)
{
	if (path == NULL || *path++ != '/') {
		return false;
	}
	while (*name != '\0' && *path == *name) {
		path++;
		name++;
	}
	return *name == '\0' && (*path == '\0' || *path == ':');
}

/* Walk the structure block; false at the first malformed token. */
static bool walk_tree(const uint8_t *p, const uint8_t *end, struct walk *w,
		      struct board *b)
{
	unsigned depth = 0;

	while (p + 4 <= end) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			size_t n = strnlen_((const char *)p, (size_t)(end - p));

			if (n == (size_t)(end - p)) {
				return false;
			}
			if (++depth == 2) {
				memset(&w->node, 0, sizeof(w->node));
				w->node.name = (const char *)p;
			}
			p += (n + 4) & ~(size_t)3;
		} else if (tok == FDT_END_NODE) {
			if (depth == 0) {
				return false;
			}
			if (depth-- == 2) {
				apply_node(w, b);
			}
		} else if (tok == FDT_PROP) {
			uint32_t len, nameoff;

			if (end - p < 8) {
				return false;
			}
			len = be32(p);
			nameoff = be32(p + 4);
			p += 8;
			if (len > (size_t)(end - p) ||
			    !in_strings(w, nameoff)) {
				return false;
			}
			take_prop(w, b, depth,
				  (const char *)w->strings + nameoff, p, len);
			p += (len + 3) & ~3u;
		} else if (tok == FDT_END) {
			return depth == 0;
		} else if (tok != FDT_NOP) {
			return false;
		}
	}
	return false;
}

/** board_probe() - See internal.h. */
void board_probe(const void *dtb, struct board *b)
{
	const uint8_t *h = dtb;
	uint32_t total, off_struct, off_strings, size_struct;
	struct walk w;
	uint64_t pfr0;

	memset(b, 0, sizeof(*b));
	b->uart = VIRT_UART;
	b->gicd = VIRT_GICD;
	b->gicr = VIRT_GICR;
	b->gicr_size = VIRT_GICR_SIZE;
	b->gicc = VIRT_GICC;
	b->vtimer_intid = VIRT_VTIMER_INTID;
	/* No GIC in the tree: the GICv3 system registers exist if
	 * ID_AA64PFR0_EL1.GIC (bits 27:24) is non-zero. */
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	b->gic_version = ((pfr0 >> 24) & 0xf) != 0 ? 3 : 2;
	if (h == NULL || ((uintptr_t)h & 3) != 0 || be32(h) != FDT_MAGIC) {
		return;
	}
	total = be32(h + 4);
	off_struct = be32(h + 8);
	off_strings = be32(h + 12);
	size_struct = be32(h + 36);
	memset(&w, 0, sizeof(w));
	w.addr_cells = 2;	/* Devicetree Specification 2.3.5 defaults */
	w.size_cells = 1;
	w.strings = h + off_strings;
	w.strings_size = be32(h + 32);
	if (off_struct > total || size_struct > total - off_struct ||
	    off_strings > total || w.strings_size > total - off_strings) {
		return;
	}
	b->dt_ok = walk_tree(h + off_struct, h + off_struct + size_struct,
			     &w, b);
	/* The PL011 /chosen/stdout-path names, else the first one. */
	for (unsigned i = 0; i < w.nuarts; i++) {
		if (i == 0 || is_stdout(w.stdout_path, w.uart_name[i])) {
			b->uart = w.uart_base[i];
		}
	}
}

/** board_get() - The probed board. */
const struct board *board_get(void)
{
	return &the_board;
}

/** keel_platform() - See keel.h. */
const struct keel_platform *keel_platform(void)
{
	return &platform;
}

/* The number at p, up to a space or the end: decimal, or hex after 0x. */
static uint64_t parse_num(const char *p, uint64_t dflt)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (p[0] == '0' && p[1] == 'x') {
		base = 16;
		p += 2;
	}
	for (; *p != '\0' && *p != ' '; p++) {
		unsigned d = *p >= 'a' ? (unsigned)(*p - 'a') + 10
				       : (unsigned)(*p - '0');

		if (d >= base) {
			return dflt;
		}
		v = v * base + d;
	}
	return v;
}

/** keel_arg() - See keel.h: words are separated by spaces. */
uint64_t keel_arg(const char *key, uint64_t dflt)
{
	const char *p = the_board.bootargs;
	size_t kl = strnlen_(key, 64);

	while (*p != '\0') {
		size_t i = 0;

		while (i < kl && p[i] == key[i]) {
			i++;
		}
		if (i == kl && p[kl] == '=') {
			return parse_num(p + kl + 1, dflt);
		}
		while (*p != '\0' && *p != ' ') {
			p++;
		}
		while (*p == ' ') {
			p++;
		}
	}
	return dflt;
}

/** keel_power_off() - PSCI SYSTEM_OFF by HVC or SMC. */
void keel_power_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	/* SMCCC 1.0 lets the callee corrupt x1-x17. */
	if (the_board.psci_smc) {
		__asm__ volatile("smc #0"
				 : "+r"(x0)
				 :
				 : "x1", "x2", "x3", "x4", "x5", "x6", "x7",
				   "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	} else {
		__asm__ volatile("hvc #0"
				 : "+r"(x0)
				 :
				 : "x1", "x2", "x3", "x4", "x5", "x6", "x7",
				   "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	}
}

/**
 * keel_boot() - Called by start.S on the boot stack, relocated, BSS clear,
 * IRQs masked: probe the machine, bring up the console and the GIC, run
 * the application. Never returns.
 */
void keel_boot(const void *dtb, uint64_t load_base)
{
	const char *why;

	board_probe(dtb, &the_board);
	console_init(the_board.uart);
	platform.gic_version = the_board.gic_version;
	platform.uart_base = the_board.uart;
	platform.gicd_base = the_board.gicd;
	platform.wdog_base = the_board.wdog;
	platform.load_base = load_base;
	platform.bootargs = the_board.bootargs;
	if (!the_board.dt_ok) {
		keel_printf("keel: no valid device tree at 0x%lx, using QEMU "
			    "virt defaults\n", (uint64_t)(uintptr_t)dtb);
	}
	why = gic_init(&the_board);
	if (why != NULL) {
		keel_panic("GICv%u at 0x%lx: %s", the_board.gic_version,
			   the_board.gicd, why);
	}
	keel_app_main();
	keel_panic("keel_app_main() returned");
}
