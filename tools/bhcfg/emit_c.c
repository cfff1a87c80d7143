/* SPDX-License-Identifier: MIT */
/*
 * Writing the configuration table as C: `const struct hv_config hv_cfg`
 * with designated initializers, compiled into the hypervisor.
 */
#include <inttypes.h>
#include <stdio.h>

#include "bhcfg.h"

static const char *const bh_blob_kinds[3] = { "image", "dtb", "initrd" };

/* Writes @s (at most @max bytes) as a C string literal. */
static void bh_c_string(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; i < max && s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\' || ch == '?') {
			/* '?' is escaped so no trigraph can ever form. */
			fprintf(f, "\\%c", ch);
		} else if (ch >= 0x20 && ch < 0x7f) {
			fputc(ch, f);
		} else {
			/* Always three octal digits, so a digit may follow. */
			fprintf(f, "\\%03o", ch);
		}
	}
	fputc('"', f);
}

/* Writes @s inside a C comment: no comment end, no line breaks. */
static void bh_c_comment_text(FILE *f, const char *s)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f ||
		    (ch == '/' && i > 0 && s[i - 1] == '*')) {
			fputc('_', f);
		} else {
			fputc(ch, f);
		}
	}
}

/* Writes `.irqs = { a, b, },` unless there are none. */
static void bh_c_irqs(FILE *f, const char *indent, const uint32_t *irqs,
		      uint32_t count)
{
	if (count == 0) {
		return;
	}
	fprintf(f, "%s.irqs = {", indent);
	for (uint32_t k = 0; k < count && k < HV_MAX_DEV_IRQS; k++) {
		fprintf(f, " %" PRIu32 ",", irqs[k]);
	}
	fprintf(f, " },\n");
}

static void bh_c_board_devices(FILE *f, const struct hv_board_desc *b)
{
	fprintf(f, "\t\t.device_count = %" PRIu32 ",\n", b->device_count);
	if (b->device_count == 0) {
		return; /* no empty initializer braces: they are not C11 */
	}
	fprintf(f, "\t\t.devices = {\n");
	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *d = &b->devices[i];

		fprintf(f, "\t\t\t[%" PRIu32 "] = {\n\t\t\t\t.name = ", i);
		bh_c_string(f, d->name, HV_NAME_LEN);
		fprintf(f, ",\n\t\t\t\t.flags = 0x%" PRIx32 ",\n", d->flags);
		fprintf(f, "\t\t\t\t.reg_count = %" PRIu32 ",\n\t\t\t\t.regs = {\n",
			d->reg_count);
		for (uint32_t k = 0; k < d->reg_count && k < HV_MAX_DEV_REGS;
		     k++) {
			fprintf(f,
				"\t\t\t\t\t{ .base = 0x%" PRIx64
				"ULL, .size = 0x%" PRIx64 "ULL },\n",
				d->regs[k].base, d->regs[k].size);
		}
		fprintf(f, "\t\t\t\t},\n");
		fprintf(f, "\t\t\t\t.smmu = 0x%" PRIx32 "u,\n", d->smmu);
		fprintf(f, "\t\t\t\t.sid_first = 0x%" PRIx32 "u,\n",
			d->sid_first);
		fprintf(f, "\t\t\t\t.sid_count = 0x%" PRIx32 "u,\n",
			d->sid_count);
		fprintf(f, "\t\t\t\t.irq_count = %" PRIu32 ",\n", d->irq_count);
		bh_c_irqs(f, "\t\t\t\t", d->irqs, d->irq_count);
		fprintf(f, "\t\t\t},\n");
	}
	fprintf(f, "\t\t},\n");
}

static void bh_c_board_smmus(FILE *f, const struct hv_board_desc *b)
{
	fprintf(f, "\t\t.smmu_count = %" PRIu32 ",\n", b->smmu_count);
	if (b->smmu_count == 0) {
		return;
	}
	fprintf(f, "\t\t.smmus = {\n");
	for (uint32_t i = 0; i < b->smmu_count && i < HV_MAX_SMMUS; i++) {
		const struct hv_smmu_desc *s = &b->smmus[i];

		fprintf(f,
			"\t\t\t{ .base = 0x%" PRIx64 "ULL, .size = 0x%" PRIx64
			"ULL, .evtq_irq = %" PRIu32 ", .gerror_irq = %" PRIu32
			" },\n",
			s->base, s->size, s->evtq_irq, s->gerror_irq);
	}
	fprintf(f, "\t\t},\n");
}

static void bh_c_board(FILE *f, const struct hv_board_desc *b)
{
	fprintf(f, "\t.board = {\n\t\t.name = ");
	bh_c_string(f, b->name, HV_NAME_LEN);
	fprintf(f, ",\n\t\t.cpu_count = %" PRIu32 ",\n\t\t.cpu_mpidr = {",
		b->cpu_count);
	for (uint32_t i = 0; i < b->cpu_count; i++) {
		fprintf(f, " 0x%" PRIx64 "ULL,", b->cpu_mpidr[i]);
	}
	fprintf(f, " },\n\t\t.ram_count = %" PRIu32 ",\n\t\t.ram = {\n",
		b->ram_count);
	for (uint32_t i = 0; i < b->ram_count; i++) {
		fprintf(f,
			"\t\t\t{ .base = 0x%" PRIx64 "ULL, .size = 0x%" PRIx64
			"ULL },\n",
			b->ram[i].base, b->ram[i].size);
	}
	fprintf(f, "\t\t},\n");
	fprintf(f, "\t\t.hv_base = 0x%" PRIx64 "ULL,\n", b->hv_base);
	fprintf(f, "\t\t.hv_size = 0x%" PRIx64 "ULL,\n", b->hv_size);
	fprintf(f, "\t\t.llc_colours = %" PRIu32 ",\n", b->llc_colours);
	fprintf(f, "\t\t.pmu_irq = %" PRIu32 ",\n", b->pmu_irq);
	fprintf(f, "\t\t.pmu_spis = {");
	for (uint32_t i = 0; i < b->cpu_count; i++) {
		fprintf(f, " %" PRIu32 ",", b->pmu_spis[i]);
	}
	fprintf(f, " },\n");
	fprintf(f, "\t\t.gic_version = %" PRIu32 ",\n", b->gic_version);
	fprintf(f, "\t\t.spi_count = %" PRIu32 ",\n", b->spi_count);
	fprintf(f, "\t\t.gicd_base = 0x%" PRIx64 "ULL,\n", b->gicd_base);
	fprintf(f, "\t\t.gicr_base = 0x%" PRIx64 "ULL,\n", b->gicr_base);
	fprintf(f, "\t\t.gicc_base = 0x%" PRIx64 "ULL,\n", b->gicc_base);
	fprintf(f, "\t\t.gich_base = 0x%" PRIx64 "ULL,\n", b->gich_base);
	fprintf(f, "\t\t.gicv_base = 0x%" PRIx64 "ULL,\n", b->gicv_base);
	fprintf(f, "\t\t.uart_kind = %" PRIu32 ",\n", b->uart_kind);
	fprintf(f, "\t\t.uart_irq = %" PRIu32 ",\n", b->uart_irq);
	fprintf(f, "\t\t.uart_base = 0x%" PRIx64 "ULL,\n", b->uart_base);
	bh_c_board_devices(f, b);
	bh_c_board_smmus(f, b);
	fprintf(f, "\t},\n");
}

static void bh_c_blob(FILE *f, const struct hv_blob *b, uint32_t p, int kind)
{
	fprintf(f, "\t\t\t.%s = {\n", bh_blob_kinds[kind]);
	if (b->size != 0) {
		fprintf(f, "\t\t\t\t.data = bh_blob_%" PRIu32 "_%s,\n", p,
			bh_blob_kinds[kind]);
	} else {
		fprintf(f, "\t\t\t\t.data = NULL,\n");
	}
	fprintf(f, "\t\t\t\t.size = 0x%" PRIx64 "ULL,\n", b->size);
	fprintf(f, "\t\t\t\t.offset = 0x%" PRIx64 "ULL,\n\t\t\t},\n",
		b->offset);
}

static void bh_c_part_devices(FILE *f, const struct hv_partition_cfg *pc)
{
	fprintf(f, "\t\t\t.device_count = %" PRIu32 ",\n", pc->device_count);
	if (pc->device_count == 0) {
		return;
	}
	fprintf(f, "\t\t\t.devices = {\n");
	for (uint32_t i = 0; i < pc->device_count; i++) {
		const struct hv_device *d = &pc->devices[i];

		fprintf(f, "\t\t\t\t[%" PRIu32 "] = {\n\t\t\t\t\t.name = ", i);
		bh_c_string(f, d->name, HV_NAME_LEN);
		fprintf(f, ",\n\t\t\t\t\t.pa = 0x%" PRIx64 "ULL,\n", d->pa);
		fprintf(f, "\t\t\t\t\t.ipa = 0x%" PRIx64 "ULL,\n", d->ipa);
		fprintf(f, "\t\t\t\t\t.size = 0x%" PRIx64 "ULL,\n", d->size);
		fprintf(f, "\t\t\t\t\t.irq_count = %" PRIu32 ",\n",
			d->irq_count);
		bh_c_irqs(f, "\t\t\t\t\t", d->irqs, d->irq_count);
		fprintf(f, "\t\t\t\t},\n");
	}
	fprintf(f, "\t\t\t},\n");
}

static void bh_c_part_chans(FILE *f, const struct hv_partition_cfg *pc)
{
	fprintf(f, "\t\t\t.chan_count = %" PRIu32 ",\n", pc->chan_count);
	if (pc->chan_count == 0) {
		return;
	}
	fprintf(f, "\t\t\t.chans = {\n");
	for (uint32_t i = 0; i < pc->chan_count; i++) {
		const struct hv_chan_end *e = &pc->chans[i];

		fprintf(f, "\t\t\t\t[%" PRIu32 "] = {\n\t\t\t\t\t.name = ", i);
		bh_c_string(f, e->name, HV_NAME_LEN);
		fprintf(f, ",\n\t\t\t\t\t.peer = %" PRIu32 ",\n", e->peer);
		fprintf(f, "\t\t\t\t\t.peer_end = %" PRIu32 ",\n", e->peer_end);
		fprintf(f, "\t\t\t\t\t.access = %" PRIu32 ",\n", e->access);
		fprintf(f, "\t\t\t\t\t.db_interval_us = %" PRIu32 ",\n",
			e->db_interval_us);
		fprintf(f, "\t\t\t\t\t.pa = 0x%" PRIx64 "ULL,\n", e->pa);
		fprintf(f, "\t\t\t\t\t.ipa = 0x%" PRIx64 "ULL,\n", e->ipa);
		fprintf(f, "\t\t\t\t\t.size = 0x%" PRIx64 "ULL,\n", e->size);
		fprintf(f, "\t\t\t\t},\n");
	}
	fprintf(f, "\t\t\t},\n");
}

static void bh_c_part_sids(FILE *f, const struct hv_partition_cfg *pc)
{
	fprintf(f, "\t\t\t.sid_count = %" PRIu32 ",\n", pc->sid_count);
	if (pc->sid_count == 0) {
		return;
	}
	fprintf(f, "\t\t\t.sids = {\n");
	for (uint32_t i = 0; i < pc->sid_count && i < HV_MAX_PART_SIDS; i++) {
		const struct hv_sid_range *r = &pc->sids[i];

		fprintf(f,
			"\t\t\t\t{ .smmu = %" PRIu32 ", .first = 0x%" PRIx32
			", .count = 0x%" PRIx32 " },\n",
			r->smmu, r->first, r->count);
	}
	fprintf(f, "\t\t\t},\n");
}

static void bh_c_partition(FILE *f, const struct hv_partition_cfg *pc,
			   uint32_t p)
{
	fprintf(f, "\t\t[%" PRIu32 "] = {\n\t\t\t.name = ", p);
	bh_c_string(f, pc->name, HV_NAME_LEN);
	fprintf(f, ",\n\t\t\t.cpu_count = %" PRIu32 ",\n\t\t\t.cpus = {",
		pc->cpu_count);
	for (uint32_t i = 0; i < pc->cpu_count; i++) {
		fprintf(f, " %u,", pc->cpus[i]);
	}
	fprintf(f, " },\n");
	fprintf(f, "\t\t\t.ram_pa = 0x%" PRIx64 "ULL,\n", pc->ram_pa);
	fprintf(f, "\t\t\t.ram_ipa = 0x%" PRIx64 "ULL,\n", pc->ram_ipa);
	fprintf(f, "\t\t\t.ram_size = 0x%" PRIx64 "ULL,\n", pc->ram_size);
	bh_c_blob(f, &pc->image, p, 0);
	fprintf(f, "\t\t\t.entry_offset = 0x%" PRIx64 "ULL,\n",
		pc->entry_offset);
	bh_c_blob(f, &pc->dtb, p, 1);
	bh_c_blob(f, &pc->initrd, p, 2);
	fprintf(f, "\t\t\t.policy = {");
	for (int k = 0; k < HV_EVENTS; k++) {
		fprintf(f, " %u,", pc->policy[k]);
	}
	fprintf(f, " },\n");
	fprintf(f, "\t\t\t.monitor_mask = 0x%" PRIx32 ",\n",
		pc->monitor_mask);
	fprintf(f, "\t\t\t.flags = 0x%" PRIx32 ",\n", pc->flags);
	fprintf(f, "\t\t\t.colours = 0x%" PRIx32 ",\n", pc->colours);
	fprintf(f, "\t\t\t.mem_budget = %" PRIu32 ",\n", pc->mem_budget);
	fprintf(f, "\t\t\t.mem_period_us = %" PRIu32 ",\n",
		pc->mem_period_us);
	fprintf(f, "\t\t\t.mem_event = 0x%" PRIx32 ",\n", pc->mem_event);
	bh_c_part_devices(f, pc);
	bh_c_part_chans(f, pc);
	bh_c_part_sids(f, pc);
	fprintf(f, "\t\t\t.bootargs = ");
	bh_c_string(f, pc->bootargs, HV_MAX_BOOTARGS);
	fprintf(f, ",\n\t\t},\n");
}

/**
 * Writes the whole C table for ctx->cfg (validated) to @f, declaring the
 * bh_blob_<partition>_<image|dtb|initrd> symbols defined by the .S output.
 * Returns 0, or -1 if the stream reports an error.
 */
int bh_emit_c(const struct bh_ctx *ctx, FILE *f)
{
	const struct hv_config *c = &ctx->cfg;

	fprintf(f, "/* Generated by bhcfg from ");
	bh_c_comment_text(f, ctx->board.path);
	fprintf(f, " and ");
	bh_c_comment_text(f, ctx->system.path);
	fprintf(f, ". Do not edit. */\n");
	fprintf(f, "#include <stddef.h>\n#include <stdint.h>\n\n");
	fprintf(f, "#include \"hv/config.h\"\n#include \"hv/pt.h\"\n\n");
	for (uint32_t p = 0; p < c->partition_count; p++) {
		const struct hv_blob *blobs[3] = { &c->partitions[p].image,
						   &c->partitions[p].dtb,
						   &c->partitions[p].initrd };

		for (int k = 0; k < 3; k++) {
			if (blobs[k]->size != 0) {
				fprintf(f,
					"extern const uint8_t bh_blob_%" PRIu32
					"_%s[];\n",
					p, bh_blob_kinds[k]);
			}
		}
	}
	fprintf(f, "\nextern const struct hv_config hv_cfg;\n");
	fprintf(f, "\nconst struct hv_config hv_cfg = {\n");
	fprintf(f, "\t.magic = HV_CONFIG_MAGIC,\n");
	fprintf(f, "\t.version = HV_CONFIG_VERSION,\n");
	bh_c_board(f, &c->board);
	fprintf(f, "\t.partition_count = %" PRIu32 ",\n\t.partitions = {\n",
		c->partition_count);
	for (uint32_t p = 0; p < c->partition_count; p++) {
		bh_c_partition(f, &c->partitions[p], p);
	}
	fprintf(f, "\t},\n\t.table_pages = %" PRIu32 ",\n};\n",
		c->table_pages);
	/* The translation-table pool (arch/arm64/mmu.c, hv/config.h). */
	fprintf(f, "\nextern uint64_t hv_pt_pool_pages[][PT_ENTRIES];\n"
		   "uint64_t hv_pt_pool_pages[%" PRIu64 "][PT_ENTRIES]\n"
		   "\t__attribute__((aligned(0x10000), "
		   "section(\".noinit.pt_pool\")));\n",
		hv_pt_pool_count(c));
	return ferror(f) ? -1 : 0;
}
