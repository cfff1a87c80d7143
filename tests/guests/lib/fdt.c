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
