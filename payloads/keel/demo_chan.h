/* SPDX-License-Identifier: MIT */
/*
 * The records the Keel demo and Linux's bhtool exchange through the
 * demo's channels (docs/channels.md). Little-endian 64-bit words, each
 * written and read with one aligned access (the regions are Device
 * memory on both sides).
 *
 * "stats" (Keel writes, Linux reads): a sequence lock. Keel makes seq odd,
 * writes the figures, then makes seq even (2 x the report number), and
 * rings. A reader that sees seq odd, or different before and after it
 * read the figures, reads again.
 *
 * "control" (Linux writes, Keel reads): the command text first, then seq
 * (one more than the last command), then a ring. Keel acts on each new
 * seq once and reports it back in STATS_CMD_SEQ.
 */
#ifndef KEEL_DEMO_CHAN_H
#define KEEL_DEMO_CHAN_H

#define STATS_MAGIC 0x544154534c45454bULL /* "KEELSTAT" */
#define STATS_OFF_MAGIC 0
#define STATS_OFF_SEQ 8
#define STATS_OFF_T_MS 16
#define STATS_OFF_RELEASES 24
#define STATS_OFF_MISSED 32
#define STATS_OFF_MIN_NS 40
#define STATS_OFF_AVG_NS 48
#define STATS_OFF_MAX_NS 56
#define STATS_OFF_WIN_MAX_NS 64
#define STATS_OFF_WIN_MISSED 72
#define STATS_OFF_REPORT_MS 80
#define STATS_OFF_CMD_SEQ 88 /* last command acted on */

#define CTRL_MAGIC 0x4c5254434c45454bULL /* "KEELCTRL" */
#define CTRL_OFF_MAGIC 0
#define CTRL_OFF_SEQ 8
#define CTRL_OFF_TEXT 16
#define CTRL_TEXT_MAX 112 /* bytes, with the NUL */

#endif
