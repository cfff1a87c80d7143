/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean": the known name nearest to a misspelt one, for the
 * unknown-property and unknown-node errors of fdt_prop.c.
 */
#ifndef BHCFG_SUGGEST_H
#define BHCFG_SUGGEST_H

#include <stddef.h>

/*
 * Codes of the two parse errors that no validator rule has (the hypervisor
 * never sees such a description): docs/config.md, "Errors found while
 * parsing".
 */
#define BH_CODE_UNKNOWN_PROPERTY "CFG_E_UNKNOWN_PROPERTY"
#define BH_CODE_UNKNOWN_NODE "CFG_E_UNKNOWN_NODE"

/**
 * The entry of NULL-ended @known nearest to the first @len characters of
 * @name (edit distance: insertions, deletions, substitutions and swaps of
 * neighbours), or NULL when none is close enough to be a likely typo: at
 * most a third of the name's length, and at least 1 and at most 3 edits.
 */
const char *bh_suggest(const char *name, size_t len, const char *const *known);

#endif /* BHCFG_SUGGEST_H */
