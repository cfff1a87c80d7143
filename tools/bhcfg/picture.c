/* SPDX-License-Identifier: MIT */
/*
 * The system as a picture (SVG) and as a text table: see picture.h. Both
 * are drawn from the validated table (ctx->cfg) and the channels bhcfg
 * placed (ctx->chan), after config_validate() accepted them, so every
 * address shown is the one the hypervisor uses.
 *
 * The RAM map is not to scale: a 4 KiB channel next to a 1 GiB bank would
 * be invisible. Each range (used or free) gets a height that grows with the
 * logarithm of its size, and is labelled with its addresses and size.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/colour.h"
#include "picture.h"

#define PIC_MAX_LINES 96
#define PIC_LINE 192
#define PIC_MAX_SEGS (HV_MAX_RAM_BANKS * 2 + HV_MAX_PARTITIONS * 2 + \
		      HV_MAX_CHANNELS * 2 + 4)

/* SVG geometry, in pixels. */
#define PIC_W 1040
#define PIC_MAP_X 20
#define PIC_MAP_W 400
#define PIC_CARD_X 450
#define PIC_CARD_W 570
#define PIC_LINE_H 15
/* Width of a character at 11 px DejaVu Sans Mono, in tenths of a pixel. */
#define PIC_CHAR_W10 67

enum pic_kind { PIC_HV, PIC_PART, PIC_CHAN, PIC_FREE };

/** A range of board RAM and what holds it. */
struct pic_seg {
	uint64_t base;
	uint64_t size;
	enum pic_kind kind;
	int idx; /* partition or channel index */
};

/** Lines of text, built once and written to both outputs. */
struct pic_lines {
	int count;
	char line[PIC_MAX_LINES][PIC_LINE];
};

static const char *const pic_colour[HV_MAX_PARTITIONS] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
	"#76b7b2", "#b07aa1", "#9c755f", "#edc948",
};
#define PIC_HV_COLOUR "#606060"
#define PIC_CHAN_COLOUR "#f6d55c"

static void pic_add(struct pic_lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Appends one formatted line (silently dropped past PIC_MAX_LINES). */
static void pic_add(struct pic_lines *l, const char *fmt, ...)
{
	va_list ap;

	if (l->count >= PIC_MAX_LINES) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(l->line[l->count], PIC_LINE, fmt, ap);
	va_end(ap);
	l->count++;
}

/** "256 MiB", "4 KiB", or "0x1234 bytes" when not a whole unit. */
static const char *pic_size(uint64_t size, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB",
					    "TiB" };
	int u = 0;
	uint64_t v = size;

	while (u < 4 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u == 0 && size >= 1024) {
		/* Not a whole number of KiB: an approximate size is clearer. */
		double d = (double)size;

		while (u < 4 && d >= 1024) {
			d /= 1024;
			u++;
		}
		snprintf(buf, len, "%.1f %s", d, unit[u]);
	} else if (u == 0) {
		snprintf(buf, len, "0x%" PRIx64 " bytes", size);
	} else if (v >= 1024 && u < 4) {
		snprintf(buf, len, "%.1f %s", (double)v / 1024, unit[u + 1]);
	} else {
		snprintf(buf, len, "%" PRIu64 " %s", v, unit[u]);
	}
	return buf;
}

static const char *pic_part_name(const struct bh_ctx *ctx, uint32_t p)
{
	return p < ctx->cfg.partition_count ? ctx->cfg.partitions[p].name
					    : "?";
}

/* The partition that runs on board core @core, or -1. */
static int pic_core_owner(const struct bh_ctx *ctx, uint32_t core)
{
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];

		for (uint32_t i = 0; i < pc->cpu_count && i < HV_MAX_CPUS;
		     i++) {
			if (pc->cpus[i] == core) {
				return (int)p;
			}
		}
	}
	return -1;
}

/* Appends ", N" (or "N" first) to @buf, keeping it terminated. */
static void pic_cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void pic_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * SMMU StreamIDs: printed when this tree's config.h has the fields
 * (HV_MAX_PART_SIDS comes with them); without them there is nothing to say.
 */
static void pic_sids(const struct hv_partition_cfg *pc, struct pic_lines *l)
{
#ifdef HV_MAX_PART_SIDS
	char buf[PIC_LINE] = "";

	for (uint32_t i = 0; i < pc->sid_count && i < HV_MAX_PART_SIDS; i++) {
		const struct hv_sid_range *s = &pc->sids[i];

		pic_cat(buf, sizeof(buf), "%sSMMU %" PRIu32 " 0x%" PRIx32,
			i != 0 ? ", " : "", s->smmu, s->first);
		if (s->count > 1) {
			pic_cat(buf, sizeof(buf), "-0x%" PRIx32,
				s->first + s->count - 1);
		}
	}
	pic_add(l, "SMMU StreamIDs: %s", buf[0] != '\0' ? buf : "none");
#else
	(void)pc;
	(void)l;
#endif
}

/** Everything about partition @p, one fact per line. */
/* A host tool's flat list of facts: the size limit is the hypervisor's. */
/* NOLINTNEXTLINE(readability-function-size) */
static void pic_part_lines(const struct bh_ctx *ctx, uint32_t p,
			   struct pic_lines *l)
{
	const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
	char buf[PIC_LINE] = "", sz[32], irqs[PIC_LINE] = "";
	bool gpio = pc->chan_count != 0;

	for (uint32_t i = 0; i < pc->cpu_count && i < HV_MAX_CPUS; i++) {
		pic_cat(buf, sizeof(buf), "%s%u", i != 0 ? ", " : "",
			pc->cpus[i]);
	}
	pic_add(l, "cores: %s (%" PRIu32 " vCPU%s)", buf, pc->cpu_count,
		pc->cpu_count == 1 ? "" : "s");
	if (colour_part(pc)) {
		pic_add(l, "RAM: %s in cache colours 0x%" PRIx32
			   " of 0x%" PRIx64 "-0x%" PRIx64
			   ", guest 0x%" PRIx64 ", 4 KiB pages",
			pic_size(pc->ram_size, sz, sizeof(sz)), pc->colours,
			pc->ram_pa,
			pc->ram_pa + colour_part_span(pc, &ctx->cfg.board) - 1,
			pc->ram_ipa);
	} else {
		pic_add(l, "RAM: 0x%" PRIx64 "-0x%" PRIx64 " (%s), guest 0x%" PRIx64
			   "%s%s",
			pc->ram_pa, pc->ram_pa + pc->ram_size - 1,
			pic_size(pc->ram_size, sz, sizeof(sz)), pc->ram_ipa,
			pc->ram_ipa == pc->ram_pa ? " (identity)" : "",
			(pc->flags & HV_PART_RAM_NO_BLOCKS) != 0 ? ", 4 KiB pages"
								 : "");
	}
	pic_add(l, "image: %s, 0x%" PRIx64 " bytes at +0x%" PRIx64
		   ", entry +0x%" PRIx64,
		ctx->part[p].image_name != NULL ? ctx->part[p].image_name : "?",
		pc->image.size, pc->image.offset, pc->entry_offset);
	if (pc->initrd.size != 0) {
		pic_add(l, "initrd: %s, 0x%" PRIx64 " bytes at +0x%" PRIx64,
			ctx->part[p].initrd_name != NULL ? ctx->part[p].initrd_name
							 : "?",
			pc->initrd.size, pc->initrd.offset);
	}
	pic_add(l, "device tree: 0x%" PRIx64 " bytes at +0x%" PRIx64,
		pc->dtb.size, pc->dtb.offset);

	if (pc->device_count == 0) {
		pic_add(l, "devices: none passed through");
	} else {
		pic_add(l, "devices (passthrough):");
	}
	for (uint32_t d = 0; d < pc->device_count && d < HV_MAX_DEVICES; d++) {
		const struct hv_device *dev = &pc->devices[d];
		char ints[64] = "";

		for (uint32_t i = 0; i < dev->irq_count && i < HV_MAX_DEV_IRQS;
		     i++) {
			pic_cat(ints, sizeof(ints), "%s%" PRIu32,
				i != 0 ? ", " : "", dev->irqs[i]);
			pic_cat(irqs, sizeof(irqs), "%s%" PRIu32,
				irqs[0] != '\0' ? ", " : "", dev->irqs[i]);
		}
		pic_add(l, "  %s: 0x%" PRIx64 "+0x%" PRIx64 ", guest 0x%" PRIx64
			   "%s%s",
			dev->name, dev->pa, dev->size, dev->ipa,
			ints[0] != '\0' ? ", INTID " : "", ints);
	}
	pic_add(l, "interrupts passed through: %s",
		irqs[0] != '\0' ? irqs : "none");
	pic_add(l, "virtual interrupts: UART %d, virtual timer 27%s",
		HV_GUEST_UART_INTID, gpio ? ", doorbells 39" : "");
	pic_add(l, "emulated: GIC 0x%llx, PL011 0x%llx, SP805 0x%llx%s",
		HV_GUEST_GICD_IPA, HV_GUEST_UART_IPA, HV_GUEST_WDOG_IPA,
		gpio ? ", PL061 0x9030000" : "");

	if (pc->chan_count != 0) {
		pic_add(l, "channel ends:");
	}
	for (uint32_t c = 0; c < pc->chan_count && c < HV_MAX_PART_CHANNELS;
	     c++) {
		const struct hv_chan_end *e = &pc->chans[c];

		pic_add(l, "  %s: %s, 0x%" PRIx64 "+0x%" PRIx64 ", guest 0x%" PRIx64
			   ", peer %s; doorbell lines out %" PRIu32 " in %" PRIu32,
			e->name, e->access == HV_CHAN_RO ? "read-only" : "read-write",
			e->pa, e->size, e->ipa, pic_part_name(ctx, e->peer),
			2 * c, 2 * c + 1);
	}
	if (pc->monitor_mask != 0) {
		buf[0] = '\0';
		for (uint32_t q = 0; q < ctx->cfg.partition_count; q++) {
			if ((pc->monitor_mask & (1u << q)) != 0) {
				pic_cat(buf, sizeof(buf), "%s%s",
					buf[0] != '\0' ? ", " : "",
					pic_part_name(ctx, q));
			}
		}
		pic_add(l, "monitors: %s (counter pages at guest 0x%llx)", buf,
			HV_GUEST_MONITOR_IPA);
	}
	pic_sids(pc, l);
	if (pc->bootargs[0] != '\0') {
		pic_add(l, "bootargs: %.*s", HV_MAX_BOOTARGS, pc->bootargs);
	}
}

/** One line per channel, then one per doorbell direction. */
static void pic_chan_lines(const struct bh_ctx *ctx, struct pic_lines *l)
{
	char sz[32];

	for (int c = 0; c < ctx->chan_count; c++) {
		const struct bh_chan *ch = &ctx->chan[c];

		pic_add(l, "%s: 0x%" PRIx64 "-0x%" PRIx64 " (%s)", ch->name,
			ch->base, ch->base + ch->size - 1,
			pic_size(ch->size, sz, sizeof(sz)));
		for (int e = 0; e < 2; e++) {
			const struct bh_chan_end *me = &ch->end[e];
			const struct bh_chan_end *peer = &ch->end[1 - e];
			const struct hv_chan_end *he =
				&ctx->cfg.partitions[me->part].chans[me->slot];

			pic_add(l, "  %s: %s at guest 0x%" PRIx64
				   "; rings %s with its line %d (%s's line %d, INTID 39)",
				pic_part_name(ctx, (uint32_t)me->part),
				me->access == HV_CHAN_RO ? "read-only" : "read-write",
				he->ipa, pic_part_name(ctx, (uint32_t)peer->part),
				2 * me->slot, pic_part_name(ctx, (uint32_t)peer->part),
				2 * peer->slot + 1);
		}
	}
	if (ctx->chan_count == 0) {
		pic_add(l, "none");
	}
}

static int pic_seg_cmp(const void *a, const void *b)
{
	const struct pic_seg *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base ? 1 : 0;
}

/** The RAM map: used ranges sorted by address, free gaps in the banks. */
static int pic_segments(const struct bh_ctx *ctx, struct pic_seg *seg)
{
	const struct hv_board_desc *b = &ctx->cfg.board;
	struct pic_seg used[HV_MAX_PARTITIONS + HV_MAX_CHANNELS + 1];
	int nused = 0, n = 0;

	used[nused++] = (struct pic_seg){ b->hv_base, b->hv_size, PIC_HV, 0 };
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		const struct hv_partition_cfg *pc = &ctx->cfg.partitions[p];
		uint64_t span = colour_part_span(pc, b);
		bool merged = false;

		/* Coloured spans interleave: one segment for each group. */
		for (int i = 0; colour_part(pc) && i < nused && !merged; i++) {
			struct pic_seg *u = &used[i];
			uint64_t end;

			if (u->kind != PIC_PART ||
			    !colour_part(&ctx->cfg.partitions[u->idx]) ||
			    !ranges_overlap(u->base, u->size, pc->ram_pa, span)) {
				continue;
			}
			end = u->base + u->size > pc->ram_pa + span
				      ? u->base + u->size
				      : pc->ram_pa + span;
			u->base = u->base < pc->ram_pa ? u->base : pc->ram_pa;
			u->size = end - u->base;
			merged = true;
		}
		if (!merged) {
			used[nused++] = (struct pic_seg){ pc->ram_pa, span,
							  PIC_PART, (int)p };
		}
	}
	for (int c = 0; c < ctx->chan_count; c++) {
		used[nused++] = (struct pic_seg){ ctx->chan[c].base,
						  ctx->chan[c].size, PIC_CHAN, c };
	}
	qsort(used, (size_t)nused, sizeof(used[0]), pic_seg_cmp);
	for (uint32_t k = 0; k < b->ram_count && k < HV_MAX_RAM_BANKS; k++) {
		uint64_t at = b->ram[k].base, end = b->ram[k].base + b->ram[k].size;

		for (int i = 0; i < nused; i++) {
			if (used[i].base < at || used[i].base >= end) {
				continue;
			}
			if (used[i].base > at) {
				seg[n++] = (struct pic_seg){ at, used[i].base - at,
							     PIC_FREE, (int)k };
			}
			seg[n++] = used[i];
			at = used[i].base + used[i].size;
		}
		if (at < end) {
			seg[n++] = (struct pic_seg){ at, end - at, PIC_FREE, (int)k };
		}
	}
	return n;
}

static const char *pic_seg_name(const struct bh_ctx *ctx,
				const struct pic_seg *s, char *buf, size_t len)
{
	switch (s->kind) {
	case PIC_HV:
		return "hypervisor";
	case PIC_PART:
		if (!colour_part(&ctx->cfg.partitions[s->idx])) {
			return ctx->cfg.partitions[s->idx].name;
		}
		snprintf(buf, len, "coloured:");
		for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
			const struct hv_partition_cfg *pc =
				&ctx->cfg.partitions[p];
			size_t at = strlen(buf);

			if (colour_part(pc) &&
			    ranges_overlap(s->base, s->size, pc->ram_pa,
					   colour_part_span(pc,
							    &ctx->cfg.board))) {
				snprintf(buf + at, len - at, " %s", pc->name);
			}
		}
		return buf;
	case PIC_CHAN:
		snprintf(buf, len, "channel %s", ctx->chan[s->idx].name);
		return buf;
	case PIC_FREE:
	default:
		return "free";
	}
}

/* ---- text ---- */

static void pic_text(const struct bh_ctx *ctx, FILE *f)
{
	const struct hv_board_desc *b = &ctx->cfg.board;
	struct pic_seg seg[PIC_MAX_SEGS];
	struct pic_lines *l = calloc(1, sizeof(*l));
	int n = pic_segments(ctx, seg);
	char sz[32], nm[64];

	fprintf(f, "Bulkhead system %s on board %.*s (GICv%" PRIu32 ")\n\n",
		ctx->system.path, HV_NAME_LEN, b->name, b->gic_version);
	fprintf(f, "Cores\n");
	for (uint32_t c = 0; c < b->cpu_count && c < HV_MAX_CPUS; c++) {
		int p = pic_core_owner(ctx, c);

		fprintf(f, "  core %" PRIu32 "  %s\n", c,
			p >= 0 ? pic_part_name(ctx, (uint32_t)p) : "(off)");
	}
	fprintf(f, "\nBoard RAM (physical)\n");
	fprintf(f, "  %-18s  %-18s  %-10s  %s\n", "start", "end", "size", "what");
	for (int i = 0; i < n; i++) {
		fprintf(f, "  0x%016" PRIx64 "  0x%016" PRIx64 "  %-10s  %s\n",
			seg[i].base, seg[i].base + seg[i].size - 1,
			pic_size(seg[i].size, sz, sizeof(sz)),
			pic_seg_name(ctx, &seg[i], nm, sizeof(nm)));
	}
	for (uint32_t p = 0; p < ctx->cfg.partition_count && l != NULL; p++) {
		l->count = 0;
		pic_part_lines(ctx, p, l);
		fprintf(f, "\nPartition %s\n", pic_part_name(ctx, p));
		for (int i = 0; i < l->count; i++) {
			fprintf(f, "  %s\n", l->line[i]);
		}
	}
	if (l != NULL) {
		l->count = 0;
		pic_chan_lines(ctx, l);
		fprintf(f, "\nChannels (doorbells on each partition's virtual PL061)\n");
		for (int i = 0; i < l->count; i++) {
			fprintf(f, "  %s\n", l->line[i]);
		}
	}
	free(l);
}

/* ---- SVG ---- */

/* Writes @s with XML's special characters escaped. */
static void pic_xml(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i] != '\0'; i++) {
		switch (s[i]) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(s[i], f);
		}
	}
}

static void pic_svg_text(FILE *f, int x, int y, const char *attrs,
			 const char *s, size_t len)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" %s>", x, y, attrs);
	pic_xml(f, s, len);
	fputs("</text>\n", f);
}

/* Height of a RAM map range: grows with log2 of its size. */
static int pic_seg_height(uint64_t size)
{
	int bits = 0;

	while (bits < 63 && (1ULL << (bits + 1)) <= size) {
		bits++;
	}
	bits = bits < 12 ? 12 : bits > 32 ? 32 : bits;
	return 20 + 4 * (bits - 12);
}

/* Characters that fit a card @w pixels wide. */
static size_t pic_wrap_at(int w)
{
	return (size_t)((w - 24) * 10 / PIC_CHAR_W10);
}

/* Splits @s at spaces into pieces of at most @wrap characters. */
static int pic_wrap(const char *s, size_t wrap, const char **piece,
		    size_t *plen, int max)
{
	int n = 0;
	size_t len = strlen(s), at = 0;
	size_t indent = strspn(s, " ") + 2;

	while (at < len && n < max) {
		size_t room = n == 0 ? wrap : wrap - indent;
		size_t take = len - at;

		if (take > room) {
			take = room;
			while (take > room / 2 && s[at + take] != ' ') {
				take--;
			}
		}
		piece[n] = s + at;
		plen[n] = take;
		n++;
		at += take;
		while (at < len && s[at] == ' ') {
			at++;
		}
	}
	return n;
}

static int pic_card_rows(const struct pic_lines *l, int w)
{
	const char *piece[8];
	size_t plen[8];
	int rows = 0;

	for (int i = 0; i < l->count; i++) {
		rows += pic_wrap(l->line[i], pic_wrap_at(w), piece, plen, 8);
	}
	return rows;
}

/* Draws a card: a coloured title bar and the lines under it. */
static int pic_card(FILE *f, int x, int y, int w, const char *colour,
		    const char *title, const struct pic_lines *l)
{
	int h = 28 + PIC_LINE_H * pic_card_rows(l, w) + 8;
	int row = 0;

	fprintf(f, "<g class=\"card\">\n");
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" "
		   "fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"2\"/>\n",
		x, y, w, h, colour);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" rx=\"6\" "
		   "fill=\"%s\"/>\n",
		x, y, w, colour);
	pic_svg_text(f, x + 10, y + 16, "class=\"title\"", title, strlen(title));
	for (int i = 0; i < l->count; i++) {
		const char *piece[8];
		size_t plen[8];
		int n = pic_wrap(l->line[i], pic_wrap_at(w), piece, plen, 8);
		size_t indent = strspn(l->line[i], " ");

		for (int k = 0; k < n; k++) {
			int dx = (int)(k == 0 ? indent : indent + 2) *
				 PIC_CHAR_W10 / 10;

			pic_svg_text(f, x + 10 + dx, y + 40 + PIC_LINE_H * row,
				     "class=\"mono\"", piece[k] + (k == 0 ? indent : 0),
				     plen[k] - (k == 0 ? indent : 0));
			row++;
		}
	}
	fprintf(f, "</g>\n");
	return h;
}

/* A host tool's drawing, one element after the other: the size limit is
 * the hypervisor's. */
/* NOLINTNEXTLINE(readability-function-size) */
static void pic_svg(const struct bh_ctx *ctx, FILE *f, struct pic_lines *l)
{
	const struct hv_board_desc *b = &ctx->cfg.board;
	struct pic_seg seg[PIC_MAX_SEGS];
	int n = pic_segments(ctx, seg);
	int map_h = 0, cards_h = 0, top = 150, chan_y, height;
	char buf[PIC_LINE], sz[32], nm[64];

	/* Heights first: the canvas size goes in the opening tag. */
	for (int i = 0; i < n; i++) {
		map_h += pic_seg_height(seg[i].size);
	}
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		l->count = 0;
		pic_part_lines(ctx, p, l);
		cards_h += 28 + PIC_LINE_H * pic_card_rows(l, PIC_CARD_W) + 8 + 14;
	}
	l->count = 0;
	pic_chan_lines(ctx, l);
	chan_y = top + 30 + (map_h + 40 > cards_h ? map_h + 40 : cards_h);
	height = chan_y + 28 +
		 PIC_LINE_H * pic_card_rows(l, PIC_CARD_X + PIC_CARD_W - PIC_MAP_X) +
		 8 + 20;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		PIC_W, height, PIC_W, height);
	fprintf(f, "<style>\n"
		   "text { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 12px; fill: #222; }\n"
		   "text.h1 { font-size: 18px; font-weight: bold; }\n"
		   "text.h2 { font-size: 14px; font-weight: bold; }\n"
		   "text.title { font-size: 13px; font-weight: bold; fill: #fff; }\n"
		   "text.mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; }\n"
		   "text.seg { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; }\n"
		   "text.small { font-size: 11px; fill: #555; }\n"
		   "</style>\n");
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n");
	snprintf(buf, sizeof(buf), "Bulkhead: %s on board %.*s (GICv%" PRIu32 ")",
		 ctx->system.path, HV_NAME_LEN, b->name, b->gic_version);
	pic_svg_text(f, 20, 30, "class=\"h1\"", buf, strlen(buf));

	/* Cores. */
	pic_svg_text(f, 20, 60, "class=\"h2\"", "Cores", 5);
	for (uint32_t c = 0; c < b->cpu_count && c < HV_MAX_CPUS; c++) {
		int p = pic_core_owner(ctx, c);
		int x = 20 + (int)c * 120;
		const char *who = p >= 0 ? pic_part_name(ctx, (uint32_t)p) : "off";

		fprintf(f, "<rect x=\"%d\" y=\"70\" width=\"110\" height=\"44\" "
			   "rx=\"5\" fill=\"%s\" stroke=\"#333\"/>\n",
			x, p >= 0 ? pic_colour[p] : "#e0e0e0");
		snprintf(buf, sizeof(buf), "core %" PRIu32, c);
		pic_svg_text(f, x + 8, 88, p >= 0 ? "class=\"title\"" : "", buf,
			     strlen(buf));
		pic_svg_text(f, x + 8, 106, p >= 0 ? "class=\"title\"" : "", who,
			     strlen(who));
	}

	/* RAM map. */
	pic_svg_text(f, PIC_MAP_X, top - 12, "class=\"h2\"", "Board RAM (physical)",
		     20);
	{
		int y = top;

		for (int i = 0; i < n; i++) {
			int h = pic_seg_height(seg[i].size);
			const char *fill = "#ffffff", *stroke = "#999";
			const char *dash = "";
			const char *name = pic_seg_name(ctx, &seg[i], nm, sizeof(nm));

			switch (seg[i].kind) {
			case PIC_HV:
				fill = PIC_HV_COLOUR;
				break;
			case PIC_PART:
				fill = pic_colour[seg[i].idx];
				break;
			case PIC_CHAN:
				fill = PIC_CHAN_COLOUR;
				break;
			case PIC_FREE:
			default:
				dash = " stroke-dasharray=\"4 3\"";
				break;
			}
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				   "fill=\"%s\" fill-opacity=\"%s\" stroke=\"%s\"%s/>\n",
				PIC_MAP_X, y, PIC_MAP_W, h, fill,
				seg[i].kind == PIC_FREE ? "1" : "0.85", stroke, dash);
			snprintf(buf, sizeof(buf), "0x%09" PRIx64, seg[i].base);
			pic_svg_text(f, PIC_MAP_X + 6, y + h / 2 + 4,
				     seg[i].kind == PIC_PART || seg[i].kind == PIC_HV
					     ? "class=\"seg\" style=\"fill:#fff\""
					     : "class=\"seg\"",
				     buf, strlen(buf));
			snprintf(buf, sizeof(buf), "%s  %s", name,
				 pic_size(seg[i].size, sz, sizeof(sz)));
			pic_svg_text(f, PIC_MAP_X + 110, y + h / 2 + 4,
				     seg[i].kind == PIC_PART || seg[i].kind == PIC_HV
					     ? "class=\"seg\" style=\"fill:#fff;font-weight:bold\""
					     : "class=\"seg\"",
				     buf, strlen(buf));
			y += h;
		}
		snprintf(buf, sizeof(buf), "0x%09" PRIx64 " end",
			 n > 0 ? seg[n - 1].base + seg[n - 1].size : 0);
		pic_svg_text(f, PIC_MAP_X + 6, y + 14, "class=\"seg\"", buf,
			     strlen(buf));
		pic_svg_text(f, PIC_MAP_X + 6, y + 34, "class=\"small\"",
			     "Not to scale: a range's height grows with the log of its size.",
			     62);
	}

	/* Partition cards. */
	pic_svg_text(f, PIC_CARD_X, top - 12, "class=\"h2\"", "Partitions", 10);
	{
		int y = top;

		for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
			l->count = 0;
			pic_part_lines(ctx, p, l);
			snprintf(buf, sizeof(buf), "partition %s",
				 pic_part_name(ctx, p));
			y += pic_card(f, PIC_CARD_X, y, PIC_CARD_W, pic_colour[p],
				      buf, l) + 14;
		}
	}

	/* Channels. */
	l->count = 0;
	pic_chan_lines(ctx, l);
	pic_card(f, PIC_MAP_X, chan_y, PIC_CARD_X + PIC_CARD_W - PIC_MAP_X,
		 "#b8860b", "Channels: shared memory, and a doorbell each way on the virtual PL061",
		 l);
	fprintf(f, "</svg>\n");
}

/* ---- files ---- */

static int pic_file(const struct bh_ctx *ctx, const char *path, bool svg)
{
	char tmp[PATH_MAX + 8];
	struct pic_lines *l;
	FILE *f;
	int bad;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		bh_error(path, "path too long");
		return -1;
	}
	l = calloc(1, sizeof(*l));
	f = fopen(tmp, "w");
	if (f == NULL || l == NULL) {
		bh_error(path, "cannot write");
		if (f != NULL) {
			fclose(f);
			remove(tmp);
		}
		free(l);
		return -1;
	}
	if (svg) {
		pic_svg(ctx, f, l);
	} else {
		pic_text(ctx, f);
	}
	free(l);
	bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		bh_error(path, "cannot write");
		remove(tmp);
		return -1;
	}
	return 0;
}

int bh_picture_write(const struct bh_ctx *ctx, const char *svg_path,
		     const char *text_path)
{
	if (svg_path != NULL && pic_file(ctx, svg_path, true) != 0) {
		return -1;
	}
	if (text_path != NULL && pic_file(ctx, text_path, false) != 0) {
		return -1;
	}
	return 0;
}
