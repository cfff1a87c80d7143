/* SPDX-License-Identifier: MIT */
/*
 * Typed, length-checked property access. Each getter returns 0 when the
 * property is present and well formed, 1 when an optional property is
 * absent, and -1 (after printing why) when it is malformed or a required
 * property is missing. The blob has passed fdt_check_full().
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"
#include "suggest.h"

/** Big-endian cell @i of a property value (no alignment assumed). */
uint32_t bh_cell(const uint8_t *cells, int i)
{
	const uint8_t *c = cells + (size_t)4 * (size_t)i;

	return ((uint32_t)c[0] << 24) | ((uint32_t)c[1] << 16) |
	       ((uint32_t)c[2] << 8) | (uint32_t)c[3];
}

static uint64_t bh_cell64(const uint8_t *cells, int i)
{
	return ((uint64_t)bh_cell(cells, i) << 32) | bh_cell(cells, i + 1);
}

/* Fetches a property; on absence reports (if required) and returns NULL. */
static const uint8_t *bh_get(const struct bh_node *n, const char *name,
			     bool req, int *len, int *rc)
{
	const uint8_t *v = fdt_getprop(n->fdt, n->off, name, len);

	*rc = 0;
	if (v != NULL) {
		return v;
	}
	if (*len != -FDT_ERR_NOTFOUND) {
		bh_node_error(n, name, "cannot read (%s)", fdt_strerror(*len));
		*rc = -1;
	} else if (req) {
		bh_node_error(n, name, "missing required property");
		*rc = -1;
	} else {
		*rc = 1;
	}
	return NULL;
}

/** Reads a one-cell property `<value>`. */
int bh_prop_u32(const struct bh_node *n, const char *name, bool req,
		uint32_t *out)
{
	int len, rc;
	const uint8_t *v = bh_get(n, name, req, &len, &rc);

	if (v == NULL) {
		return rc;
	}
	if (len != 4) {
		bh_node_error(
			n, name,
			"wrong length %d bytes (expected 4: one cell, <value>)",
			len);
		return -1;
	}
	*out = bh_cell(v, 0);
	return 0;
}

/** Reads a 64-bit property written as two cells `<hi lo>`. */
int bh_prop_u64(const struct bh_node *n, const char *name, bool req,
		uint64_t *out)
{
	int len, rc;
	const uint8_t *v = bh_get(n, name, req, &len, &rc);

	if (v == NULL) {
		return rc;
	}
	if (len != 8) {
		bh_node_error(
			n, name,
			"wrong length %d bytes (expected 8: one 64-bit value written as two cells, <hi lo>)",
			len);
		return -1;
	}
	*out = bh_cell64(v, 0);
	return 0;
}

/**
 * Reads a cell array made of groups of @group cells; *count receives the
 * number of groups (possibly 0 for an empty property).
 */
int bh_prop_cells(const struct bh_node *n, const char *name, bool req,
		  int group, const uint8_t **cells, int *count)
{
	int len, rc;
	const uint8_t *v = bh_get(n, name, req, &len, &rc);

	if (v == NULL) {
		return rc;
	}
	if (len % (4 * group) != 0) {
		bh_node_error(
			n, name,
			"wrong length %d bytes (expected a multiple of %d: groups of %d cells)",
			len, 4 * group, group);
		return -1;
	}
	*cells = v;
	*count = len / (4 * group);
	return 0;
}

/** Reads a single NUL-terminated string. */
int bh_prop_string(const struct bh_node *n, const char *name, bool req,
		   const char **out)
{
	int len, rc;
	const uint8_t *v = bh_get(n, name, req, &len, &rc);

	if (v == NULL) {
		return rc;
	}
	if (len < 1 || v[len - 1] != '\0' ||
	    strlen((const char *)v) + 1 != (size_t)len) {
		bh_node_error(n, name, "expected a single string, \"...\"");
		return -1;
	}
	*out = (const char *)v;
	return 0;
}

/** Reads a boolean (empty) property; absent means false. */
int bh_prop_bool(const struct bh_node *n, const char *name, bool *out)
{
	int len, rc;
	const uint8_t *v = bh_get(n, name, false, &len, &rc);

	*out = false;
	if (v == NULL) {
		return rc < 0 ? -1 : 0;
	}
	if (len != 0) {
		bh_node_error(n, name,
			      "is a boolean and takes no value (write \"%s;\")",
			      name);
		return -1;
	}
	*out = true;
	return 0;
}

/** Reads exactly one (2 + 2)-cell range `<base-hi base-lo size-hi size-lo>`. */
int bh_prop_reg(const struct bh_node *n, const char *name, bool req,
		uint64_t *base, uint64_t *size)
{
	int len, rc;
	const uint8_t *v = bh_get(n, name, req, &len, &rc);

	if (v == NULL) {
		return rc;
	}
	if (len != 16) {
		bh_node_error(
			n, name,
			"wrong length %d bytes (expected 16: one range, <base-hi base-lo size-hi size-lo>)",
			len);
		return -1;
	}
	*base = bh_cell64(v, 0);
	*size = bh_cell64(v, 2);
	return 0;
}

static bool bh_in_list(const char *s, size_t len, const char *const *list)
{
	for (int i = 0; list != NULL && list[i] != NULL; i++) {
		if (strlen(list[i]) == len && strncmp(s, list[i], len) == 0) {
			return true;
		}
	}
	return false;
}

/** Fails on the first property of the node not in NULL-ended @allowed. */
int bh_check_props(const struct bh_node *n, const char *const *allowed)
{
	int prop;

	fdt_for_each_property_offset(prop, n->fdt, n->off) {
		const char *name = NULL;

		if (fdt_getprop_by_offset(n->fdt, prop, &name, NULL) == NULL ||
		    name == NULL) {
			bh_node_error(n, NULL, "unreadable property");
			return -1;
		}
		if (!bh_in_list(name, strlen(name), allowed)) {
			const char *near = bh_suggest(name, strlen(name), allowed);

			bh_node_error(n, name, "unknown property%s%s%s [%s]",
				      near != NULL ? "; did you mean \"" : "",
				      near != NULL ? near : "",
				      near != NULL ? "\"?" : "",
				      BH_CODE_UNKNOWN_PROPERTY);
			return -1;
		}
	}
	return 0;
}

/**
 * Fails on the first child whose name (without its @unit-address) is not in
 * NULL-ended @allowed; a NULL list allows no children.
 */
int bh_check_children(const struct bh_node *n, const char *const *allowed)
{
	int child;

	fdt_for_each_subnode(child, n->fdt, n->off) {
		const char *name = fdt_get_name(n->fdt, child, NULL);
		const char *at = name != NULL ? strchr(name, '@') : NULL;
		size_t len;

		if (name == NULL) {
			bh_node_error(n, NULL, "unreadable child node");
			return -1;
		}
		len = at != NULL ? (size_t)(at - name) : strlen(name);
		if (!bh_in_list(name, len, allowed)) {
			const char *near = bh_suggest(name, len, allowed);

			bh_node_error(n, NULL, "unknown child node \"%s\"%s%s%s [%s]",
				      name,
				      near != NULL ? "; did you mean \"" : "",
				      near != NULL ? near : "",
				      near != NULL ? "\"?" : "",
				      BH_CODE_UNKNOWN_NODE);
			return -1;
		}
	}
	return 0;
}

/* Number of children of @parent called @name, with or without @unit. */
static int bh_count_named(const struct bh_node *parent, const char *name)
{
	size_t len = strlen(name);
	int child, count = 0;

	fdt_for_each_subnode(child, parent->fdt, parent->off) {
		const char *n = fdt_get_name(parent->fdt, child, NULL);

		if (n != NULL && strncmp(n, name, len) == 0 &&
		    (n[len] == '\0' || n[len] == '@')) {
			count++;
		}
	}
	return count;
}

/**
 * Finds child @name of @parent and describes it in @out, with @what (a
 * caller buffer) holding `node "/path"`. Returns 0, 1 if absent and not
 * required, or -1.
 */
int bh_node_at(const struct bh_node *parent, const char *name, bool req,
	       struct bh_node *out, char *what, size_t what_len)
{
	int off = fdt_subnode_offset(parent->fdt, parent->off, name);
	char path[256];

	if (off < 0) {
		if (!req && off == -FDT_ERR_NOTFOUND) {
			return 1;
		}
		bh_node_error(parent, NULL, "missing required node \"%s\"",
			      name);
		return -1;
	}
	if (bh_count_named(parent, name) > 1) {
		bh_node_error(parent, NULL,
			      "more than one \"%s\" node (write one node)",
			      name);
		return -1;
	}
	if (fdt_get_path(parent->fdt, off, path, sizeof(path)) != 0) {
		snprintf(path, sizeof(path), "%s", name);
	}
	snprintf(what, what_len, "node \"%s\"", path);
	out->file = parent->file;
	out->fdt = parent->fdt;
	out->off = off;
	out->what = what;
	return 0;
}
