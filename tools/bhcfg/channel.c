/* SPDX-License-Identifier: MIT */
/*
 * Channels in the system description (docs/channels.md):
 *
 *   channels {
 *           stats {                              channel name
 *                   memory-size = <0x0 0x10000>; shared region size
 *                   memory-base = <hi lo>;       optional physical base
 *                   doorbell-min-interval-us = <n>;  optional doorbell budget
 *                   keel { access = "read-write"; };
 *                   linux { access = "read-only"; guest-base = <hi lo>; };
 *           };
 *   };
 *
 * Each channel has exactly two ends, child nodes named after partitions.
 * Parsing turns them into one hv_chan_end in each partition's table; the
 * validator (core/config_channels.c) then checks that the ends agree and
 * that the region overlaps nothing else. Messages for its diagnostics on
 * channels are written here too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "bhcfg.h"
#include "hv/doorbell.h"

static const char *const bh_chan_props[] = { "memory-size", "memory-base",
					     "doorbell-min-interval-us",
					     NULL };
static const char *const bh_end_props[] = { "access", "guest-base", NULL };
static const char *const bh_access_names[] = {
	[HV_CHAN_RW] = "read-write",
	[HV_CHAN_RO] = "read-only",
};

/* Index of the partition called @name, or -1. */
static int bh_find_partition(const struct bh_ctx *ctx, const char *name)
{
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		if (strncmp(ctx->cfg.partitions[p].name, name, HV_NAME_LEN) ==
		    0) {
			return (int)p;
		}
	}
	return -1;
}

static int bh_end_access(const struct bh_node *n, uint32_t *access)
{
	const char *s;

	if (bh_prop_string(n, "access", true, &s) != 0) {
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(bh_access_names); i++) {
		if (strcmp(s, bh_access_names[i]) == 0) {
			*access = (uint32_t)i;
			return 0;
		}
	}
	bh_node_error(
		n, "access",
		"unknown access \"%s\" (expected \"read-write\" or \"read-only\") [CFG_E_CHAN_ACCESS]",
		s);
	return -1;
}

/* Parses end node @off of channel @ch (its @k-th end). */
static int bh_end_parse(struct bh_ctx *ctx, struct bh_chan *ch, int k,
			const struct bh_node *cn, int off)
{
	const char *pname = fdt_get_name(cn->fdt, off, NULL);
	struct bh_chan_end *e = &ch->end[k];
	char what[2 * HV_NAME_LEN + 64];
	struct bh_node n = { cn->file, cn->fdt, off, what };
	struct hv_partition_cfg *pc;
	int rc;

	snprintf(what, sizeof(what), "channel \"%s\": end \"%s\"", ch->name,
		 pname != NULL ? pname : "?");
	e->part = pname != NULL ? bh_find_partition(ctx, pname) : -1;
	if (e->part < 0) {
		bh_node_error(
			&n, NULL,
			"no partition of that name: each end of a channel is a node named after a partition [CFG_E_CHAN_PEER]");
		return -1;
	}
	if (bh_check_props(&n, bh_end_props) != 0 ||
	    bh_check_children(&n, NULL) != 0 ||
	    bh_end_access(&n, &e->access) != 0) {
		return -1;
	}
	rc = bh_prop_u64(&n, "guest-base", false, &e->guest_base);
	if (rc < 0) {
		return -1;
	}
	e->has_guest_base = rc == 0;
	pc = &ctx->cfg.partitions[e->part];
	if (pc->chan_count == HV_MAX_PART_CHANNELS) {
		bh_node_error(
			&n, NULL,
			"partition \"%s\" already has %d channel ends, the most its virtual PL061 (8 lines, 2 per end) carries [CFG_E_CHAN_COUNT]",
			pname, HV_MAX_PART_CHANNELS);
		return -1;
	}
	e->slot = (int)pc->chan_count++;
	return 0;
}

/* Parses channel node @off into ctx->chan[ctx->chan_count]. */
static int bh_chan_parse(struct bh_ctx *ctx, const struct bh_node *parent,
			 int off)
{
	const char *name = fdt_get_name(parent->fdt, off, NULL);
	struct bh_chan *ch = &ctx->chan[ctx->chan_count];
	char what[HV_NAME_LEN + 300];
	struct bh_node n = { parent->file, parent->fdt, off, what };
	int child, k = 0, rc;

	snprintf(what, sizeof(what), "channel \"%s\"",
		 name != NULL ? name : "?");
	if (name == NULL || !cfg_name_ok(name, HV_NAME_LEN)) {
		bh_node_error(
			&n, NULL,
			"the name must be 1..%d characters from [A-Za-z0-9_-] [CFG_E_CHAN_NAME]",
			HV_NAME_LEN - 1);
		return -1;
	}
	ch->node = off;
	memcpy(ch->name, name, strlen(name) + 1);
	if (bh_check_props(&n, bh_chan_props) != 0 ||
	    bh_prop_u64(&n, "memory-size", true, &ch->size) != 0) {
		return -1;
	}
	rc = bh_prop_u64(&n, "memory-base", false, &ch->base);
	if (rc < 0) {
		return -1;
	}
	ch->has_base = rc == 0;
	ch->db_interval_us = DOORBELL_DEFAULT_INTERVAL_US;
	rc = bh_prop_u32(&n, "doorbell-min-interval-us", false,
			 &ch->db_interval_us);
	if (rc < 0) {
		return -1;
	}
	if (ch->db_interval_us > DOORBELL_MAX_INTERVAL_US) {
		bh_node_error(
			&n, "doorbell-min-interval-us",
			"%u us is more than %u (1 s) [CFG_E_CHAN_DOORBELL]",
			ch->db_interval_us, DOORBELL_MAX_INTERVAL_US);
		return -1;
	}
	fdt_for_each_subnode(child, n.fdt, off) {
		if (k == 2) {
			break;
		}
		if (bh_end_parse(ctx, ch, k, &n, child) != 0) {
			return -1;
		}
		k++;
	}
	if (k != 2 || child >= 0) {
		bh_node_error(
			&n, NULL,
			"needs exactly two ends, child nodes named after the two partitions [CFG_E_CHAN_PEER]");
		return -1;
	}
	ctx->chan_count++;
	return 0;
}

/**
 * Parses the optional /channels node of the system description, after
 * the partitions. Each channel's ends are counted into their partitions'
 * chan_count; their regions are filled by bh_channels_fill() once memory
 * is placed. Returns 0, or -1 after printing the error.
 */
int bh_channels_parse(struct bh_ctx *ctx, const struct bh_node *root)
{
	struct bh_node n;
	char what[300];
	int child;
	int rc = bh_node_at(root, "channels", false, &n, what, sizeof(what));

	if (rc != 0) {
		return rc < 0 ? -1 : 0;
	}
	if (bh_check_props(&n, NULL) != 0) {
		return -1;
	}
	fdt_for_each_subnode(child, n.fdt, n.off) {
		if (ctx->chan_count == HV_MAX_CHANNELS) {
			bh_node_error(&n, NULL,
				      "more than %d channels [CFG_E_CHAN_COUNT]",
				      HV_MAX_CHANNELS);
			return -1;
		}
		if (bh_chan_parse(ctx, &n, child) != 0) {
			return -1;
		}
	}
	return 0;
}

/**
 * Writes both ends of every channel into the partitions' tables: name,
 * peer, access, the placed physical region, and the guest base (the
 * physical base unless the end gives guest-base). After bh_memory_place().
 */
void bh_channels_fill(struct bh_ctx *ctx)
{
	for (int c = 0; c < ctx->chan_count; c++) {
		const struct bh_chan *ch = &ctx->chan[c];

		for (int k = 0; k < 2; k++) {
			const struct bh_chan_end *me = &ch->end[k];
			const struct bh_chan_end *other = &ch->end[1 - k];
			struct hv_chan_end *e =
				&ctx->cfg.partitions[me->part].chans[me->slot];

			memcpy(e->name, ch->name, sizeof(e->name));
			e->peer = (uint32_t)other->part;
			e->peer_end = (uint32_t)other->slot;
			e->access = me->access;
			e->db_interval_us = ch->db_interval_us;
			e->pa = ch->base;
			e->ipa = me->has_guest_base ? me->guest_base : ch->base;
			e->size = ch->size;
		}
	}
}

/* The end that diagnostic @d points at, or NULL. */
static const struct hv_chan_end *bh_diag_end(const struct bh_ctx *ctx,
					     const struct cfg_diag *d)
{
	const struct hv_partition_cfg *pc;

	if (d->partition < 0 || d->partition >= HV_MAX_PARTITIONS ||
	    d->item < 0 || d->item >= HV_MAX_PART_CHANNELS) {
		return NULL;
	}
	pc = &ctx->cfg.partitions[d->partition];
	return (uint32_t)d->item < pc->chan_count ? &pc->chans[d->item] : NULL;
}

/* The system-description property an error about end @e is about. */
static const char *bh_chan_prop(const struct bh_ctx *ctx,
				const struct cfg_diag *d,
				const struct hv_chan_end *e)
{
	switch (d->code) {
	case CFG_E_MEM_ZERO:
		return "memory-size";
	case CFG_E_UNALIGNED:
		if (!is_aligned(e->size, SZ_4K) || e->size == 0) {
			return "memory-size";
		}
		return is_aligned(e->pa, SZ_4K) ? "guest-base" : "memory-base";
	case CFG_E_MEM_NOT_ON_BOARD:
	case CFG_E_OVERLAPS_HV:
	case CFG_E_MEM_OVERLAP:
		return "memory-base";
	case CFG_E_IPA_RANGE:
	case CFG_E_IPA_OVERLAP:
		return "guest-base";
	case CFG_E_CHAN_ACCESS:
		return "access";
	case CFG_E_CHAN_DOORBELL:
		return "doorbell-min-interval-us";
	default:
		(void)ctx;
		return NULL;
	}
}

/**
 * For a validator diagnostic on a channel end (property "channels", an
 * item), prints `FILE: channel "C": end "P": property "X": MSG [CODE]` and
 * returns true; otherwise prints nothing and returns false.
 */
bool bh_chan_report(const struct bh_ctx *ctx, const struct cfg_diag *d,
		    const char *msg)
{
	const struct hv_chan_end *e = bh_diag_end(ctx, d);
	const char *prop;

	if (d->property == NULL || strcmp(d->property, "channels") != 0 ||
	    e == NULL) {
		return false;
	}
	prop = bh_chan_prop(ctx, d, e);
	fprintf(stderr, "%s: channel \"%.*s\": end \"%.*s\": ",
		ctx->system.path, HV_NAME_LEN, e->name, HV_NAME_LEN,
		ctx->cfg.partitions[d->partition].name);
	if (prop != NULL) {
		fprintf(stderr, "property \"%s\": ", prop);
	}
	fprintf(stderr, "%s [%s]\n", msg, bh_code_name(d->code));
	return true;
}

/* Messages about a partition's virtual PL061 (no end concerned). */
static void bh_gpio_message(const struct cfg_diag *d, char *buf, size_t len)
{
	if (d->code == CFG_E_IRQ_TWO_OWNERS) {
		snprintf(buf, len,
			 "a passthrough device uses interrupt %d, which the virtual PL061 that carries its channel doorbells needs",
			 HV_GUEST_GPIO_INTID);
	} else if (d->code == CFG_E_IPA_OVERLAP) {
		snprintf(buf, len,
			 "guest RAM or a device overlaps the virtual PL061 at guest 0x%llx+0x%llx that carries its channel doorbells",
			 HV_GUEST_GPIO_IPA, HV_GUEST_GPIO_SIZE);
	} else {
		snprintf(buf, len,
			 "the board has too few SPIs for the virtual PL061's interrupt %d",
			 HV_GUEST_GPIO_INTID);
	}
}

/* @e's region overlaps partition d->other's RAM or one of its ends. */
static void bh_overlap_message(const struct bh_ctx *ctx,
			       const struct cfg_diag *d,
			       const struct hv_chan_end *e, char *buf,
			       size_t len)
{
	const struct hv_partition_cfg *oc =
		d->other >= 0 && d->other < HV_MAX_PARTITIONS
			? &ctx->cfg.partitions[d->other]
			: NULL;

	for (uint32_t j = 0; oc != NULL && j < oc->chan_count &&
			     j < HV_MAX_PART_CHANNELS;
	     j++) {
		const struct hv_chan_end *o = &oc->chans[j];

		if (o != e && strncmp(o->name, e->name, HV_NAME_LEN) != 0 &&
		    ranges_overlap(e->pa, e->size, o->pa, o->size)) {
			snprintf(buf, len,
				 "shared region 0x%" PRIx64 "+0x%" PRIx64
				 " overlaps the region of channel \"%.*s\" (0x%" PRIx64
				 "+0x%" PRIx64
				 "): only the two ends of one channel share memory",
				 e->pa, e->size, HV_NAME_LEN, o->name, o->pa,
				 o->size);
			return;
		}
	}
	snprintf(buf, len,
		 "shared region 0x%" PRIx64 "+0x%" PRIx64
		 " overlaps the RAM of partition \"%.*s\" (0x%" PRIx64
		 "+0x%" PRIx64 ")",
		 e->pa, e->size, HV_NAME_LEN, oc != NULL ? oc->name : "?",
		 oc != NULL ? oc->ram_pa : 0, oc != NULL ? oc->ram_size : 0);
}

/**
 * Writes a specific message for a validator diagnostic whose property is
 * "channels" into @buf of @len bytes.
 */
void bh_chan_message(const struct bh_ctx *ctx, const struct cfg_diag *d,
		     char *buf, size_t len)
{
	const struct hv_chan_end *e = bh_diag_end(ctx, d);

	if (e == NULL) {
		if (d->code == CFG_E_CHAN_COUNT) {
			snprintf(buf, len, "%s", cfg_strerror(d->code));
		} else {
			bh_gpio_message(d, buf, len);
		}
		return;
	}
	switch (d->code) {
	case CFG_E_CHAN_ACCESS:
		snprintf(buf, len,
			 d->other >= 0
				 ? "both ends are read-only: nobody could write the shared region"
				 : "unknown access");
		break;
	case CFG_E_MEM_OVERLAP:
		bh_overlap_message(ctx, d, e, buf, len);
		break;
	case CFG_E_MEM_ZERO:
		snprintf(buf, len, "the shared region's size is zero");
		break;
	case CFG_E_UNALIGNED:
		snprintf(buf, len,
			 "shared region physical 0x%" PRIx64 ", guest 0x%" PRIx64
			 ", size 0x%" PRIx64 ": each must be a multiple of 4 KiB",
			 e->pa, e->ipa, e->size);
		break;
	case CFG_E_MEM_NOT_ON_BOARD:
		snprintf(buf, len,
			 "shared region 0x%" PRIx64 "+0x%" PRIx64
			 " is not inside one board RAM bank",
			 e->pa, e->size);
		break;
	case CFG_E_IPA_OVERLAP:
		snprintf(buf, len,
			 "shared region at guest 0x%" PRIx64 "+0x%" PRIx64
			 " overlaps guest RAM, a device, another channel or an emulated window (GIC 0x%llx, UART 0x%llx, GPIO 0x%llx, watchdog 0x%llx, monitor pages 0x%llx)",
			 e->ipa, e->size, HV_GUEST_GICD_IPA, HV_GUEST_UART_IPA,
			 HV_GUEST_GPIO_IPA, HV_GUEST_WDOG_IPA,
			 HV_GUEST_MONITOR_IPA);
		break;
	default:
		snprintf(buf, len,
			 "shared region physical 0x%" PRIx64 ", guest 0x%" PRIx64
			 ", size 0x%" PRIx64 ": %s",
			 e->pa, e->ipa, e->size, cfg_strerror(d->code));
		break;
	}
}
