/* SPDX-License-Identifier: MIT */
/*
 * A minimal flattened device tree reader for test guests: memory range
 * (root #address-cells and #size-cells of 2), number of cpu nodes, and
 * /chosen/bootargs. Devicetree Specification v0.4, 5 "Flattened Devicetree
 * (DTB) Format".
 */
#include "guest.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static bool prefix(const char *s, const char *p)
{
	while (*p) {
		if (*s++ != *p++) {
			return false;
		}
	}
	return true;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool dt_parse(const void *dtb, struct dt_info *out)
{
	const uint8_t *base = dtb;
	const uint8_t *p, *strings;
	const char *top = "";
	int depth = 0;

	out->mem_base = out->mem_size = 0;
	out->cpus = 0;
	out->bootargs[0] = '\0';
	if (be32(base) != FDT_MAGIC) {
		return false;
	}
	p = base + be32(base + 8);
	strings = base + be32(base + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			size_t n = 0;

			while (name[n]) {
				n++;
			}
			p += (n + 4) & ~3UL;
			depth++;
			if (depth == 2) {
				top = name;
			}
			if (depth == 3 && same(top, "cpus") &&
			    prefix(name, "cpu@")) {
				out->cpus++;
			}
		} else if (tok == FDT_END_NODE) {
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p);
			const char *pname = (const char *)strings + be32(p + 4);
			const uint8_t *val = p + 8;

			if (depth == 2 && prefix(top, "memory") &&
			    same(pname, "reg") && len >= 16) {
				out->mem_base = be64(val);
				out->mem_size = be64(val + 8);
			}
			if (depth == 2 && same(top, "chosen") &&
			    same(pname, "bootargs")) {
				uint32_t i;

				for (i = 0; i < len && i < 255 && val[i]; i++) {
					out->bootargs[i] = (char)val[i];
				}
				out->bootargs[i] = '\0';
			}
			p += 8 + ((len + 3) & ~3U);
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			return tok == FDT_END;
		}
	}
}

/* True if the stringlist value (len bytes) holds the string s exactly. */
static bool strlist_has(const char *list, uint32_t len, const char *s)
{
	uint32_t i = 0;

	while (i < len) {
		const char *e = list + i;
		uint32_t n = 0;

		while (i + n < len && e[n]) {
			n++;
		}
		if (i + n < len && same(e, s)) {
			return true;
		}
		i += n + 1;
	}
	return false;
}

/**
 * dt_compat_prop() - Find the first node whose "compatible" list contains
 * compat and return a pointer to the value of its property prop, or NULL if
 * there is no such node or it lacks prop. *len receives the value's length.
 * Properties of a node precede its subnodes in the structure block
 * (Devicetree Specification v0.4, 5.4), so a node's properties are complete
 * at the next BEGIN_NODE or END_NODE token.
 */
const void *dt_compat_prop(const void *dtb, const char *compat,
			   const char *prop, uint32_t *len)
{
	const uint8_t *base = dtb;
	const uint8_t *p, *strings;
	const uint8_t *found = NULL;
	uint32_t found_len = 0;
	bool match = false;

	if (be32(base) != FDT_MAGIC) {
		return NULL;
	}
	p = base + be32(base + 8);
	strings = base + be32(base + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE || tok == FDT_END_NODE ||
		    tok == FDT_END) {
			if (match && found != NULL) {
				*len = found_len;
				return found;
			}
			match = false;
			found = NULL;
		}
		if (tok == FDT_BEGIN_NODE) {
			size_t n = 0;

			while (p[n]) {
				n++;
			}
			p += (n + 4) & ~3UL;
		} else if (tok == FDT_PROP) {
			uint32_t plen = be32(p);
			const char *pname = (const char *)strings + be32(p + 4);
			const uint8_t *val = p + 8;

			if (same(pname, "compatible") &&
			    strlist_has((const char *)val, plen, compat)) {
				match = true;
			}
			if (same(pname, prop)) {
				found = val;
				found_len = plen;
			}
			p += 8 + ((plen + 3) & ~3U);
		} else if (tok != FDT_END_NODE && tok != FDT_NOP) {
			return NULL;
		}
	}
}

/**
 * dt_compat_reg() - Entry index of the "reg" property of the first node
 * compatible with compat, read as two-cell address and two-cell size (the
 * parent's #address-cells and #size-cells must be 2, as on QEMU virt).
 * Returns false if there is no such node or entry.
 */
bool dt_compat_reg(const void *dtb, const char *compat, unsigned index,
		   uint64_t *base, uint64_t *size)
{
	uint32_t len = 0;
	const uint8_t *reg = dt_compat_prop(dtb, compat, "reg", &len);

	if (reg == NULL || len < 16 * (index + 1)) {
		return false;
	}
	*base = be64(reg + 16UL * index);
	*size = be64(reg + 16UL * index + 8);
	return true;
}
