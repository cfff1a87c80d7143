/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the configuration tool on an arbitrary system
 * description blob, against the QEMU virt board. The input goes through
 * what `bhcfg --board ... --system X.dtb` does up to validation: parse,
 * resolve images (in build/guests), place memory, build each guest device
 * tree, config_validate(). Errors are expected (run it with
 * -close_fd_mask=2 to silence them; sanitizer reports still show); a
 * crash, a leak or a sanitizer report is a finding.
 *
 * The oracle (issue 16, item 6): a configuration the tool accepts must keep
 * the partitions apart, checked here on the emitted table with code of its
 * own (not config_validate()'s): no two partitions share a core, a byte of
 * RAM, a device's registers or an interrupt; no partition's RAM, device or
 * channel region touches the hypervisor's region, another partition's RAM
 * or devices, or the GIC; each partition's RAM lies in a board RAM bank;
 * inside one partition RAM, devices and channel windows do not overlap in
 * the IPA space. A violation prints what overlaps (on stdout: stderr is
 * closed by -close_fd_mask=2) and aborts: a finding. (Cache colours, when
 * partitions get them, belong here too.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/config_validate.h"

#include "bhcfg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bh_dt board;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct bh_ctx *ctx = calloc(1, sizeof(*ctx));

	(void)argc;
	(void)argv;
	if (ctx == NULL || bh_dt_load(ctx, "boards/qemu-virt/board.dts",
				      &board) != 0) {
		fprintf(stderr, "fuzz_bhcfg: run from the repository root\n");
		exit(1);
	}
	free(ctx);
	return 0;
}

static void violation(const char *what, uint32_t p, uint32_t q, uint64_t a,
		      uint64_t b)
{
	printf("fuzz_bhcfg: ORACLE: accepted configuration breaks isolation: "
	       "%s (partitions %u and %u, 0x%llx and 0x%llx)\n",
	       what, p, q, (unsigned long long)a, (unsigned long long)b);
	fflush(stdout);
	abort();
}

/* [a, a+as) and [b, b+bs) share a byte (sizes may be 0: no). */
static int overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as != 0 && bs != 0 && a < b + bs && b < a + as;
}

/* The board's colour count, for ram_extent() (set by check_accepted()). */
static uint32_t board_colours;

/*
 * The physical span a partition's RAM lies in: its size, or for a
 * coloured one (docs/isolation.md) whole periods of board_colours pages,
 * each holding one page of each of its colours, worked out here from the
 * definition rather than with core/colour.c's code.
 */
static uint64_t ram_extent(const struct hv_partition_cfg *pc)
{
	uint64_t k = (uint64_t)__builtin_popcount(pc->colours);
	uint64_t last, pos = 0;
	uint32_t left;

	if (pc->colours == 0 || pc->ram_size < 4096) {
		return pc->ram_size;
	}
	/* Its last page: page (last % k) of period (last / k), at the
	 * position of its (last % k)-th colour in that period. */
	last = pc->ram_size / 4096 - 1;
	left = (uint32_t)(last % k);
	for (pos = 0; pos < 32; pos++) {
		if ((pc->colours >> pos) & 1) {
			if (left == 0) {
				break;
			}
			left--;
		}
	}
	return ((last / k) * board_colours + pos + 1) * 4096;
}

/* Every physical range partition p owns, in turn: its RAM (its span if
 * coloured), then each device, then each channel region. *kind: 0 RAM,
 * 1 device, 2 channel. */
static int nth_range(const struct hv_partition_cfg *pc, uint32_t i,
		     uint64_t *base, uint64_t *size, uint64_t *ipa, int *kind)
{
	if (i == 0) {
		*base = pc->ram_pa;
		*size = ram_extent(pc);
		*ipa = pc->ram_ipa;
		*kind = 0;
		return 1;
	}
	i--;
	if (i < pc->device_count && i < HV_MAX_DEVICES) {
		*base = pc->devices[i].pa;
		*size = pc->devices[i].size;
		*ipa = pc->devices[i].ipa;
		*kind = 1;
		return 1;
	}
	i -= pc->device_count;
	if (i < pc->chan_count && i < HV_MAX_PART_CHANNELS) {
		*base = pc->chans[i].pa;
		*size = pc->chans[i].size;
		*ipa = pc->chans[i].ipa;
		*kind = 2;
		return 1;
	}
	return 0;
}

static void check_accepted(const struct hv_config *c)
{
	const struct hv_board_desc *bd = &c->board;
	static const char *const over_hv[] = {
		"RAM over the hypervisor", "device over the hypervisor",
		"channel over the hypervisor",
	};

	board_colours = bd->llc_colours;
	for (uint32_t p = 0; p < c->partition_count; p++) {
		const struct hv_partition_cfg *pc = &c->partitions[p];
		uint64_t b, sz, ipa;
		int k, in_bank = 0;

		for (uint32_t r = 0; r < bd->ram_count; r++) {
			in_bank |= pc->ram_pa >= bd->ram[r].base &&
				   pc->ram_size <= bd->ram[r].size &&
				   pc->ram_pa - bd->ram[r].base <=
					   bd->ram[r].size - pc->ram_size;
		}
		if (!in_bank) {
			violation("RAM outside every board RAM bank", p, p,
				  pc->ram_pa, pc->ram_size);
		}
		for (uint32_t i = 0; nth_range(pc, i, &b, &sz, &ipa, &k); i++) {
			uint64_t b2, sz2, ipa2;
			int k2;

			if (overlap(b, sz, bd->hv_base, bd->hv_size)) {
				violation(over_hv[k], p, p, b, bd->hv_base);
			}
			if (overlap(b, sz, bd->gicd_base, 0x10000) ||
			    (bd->gicr_base != 0 &&
			     overlap(b, sz, bd->gicr_base,
				     0x20000ULL * bd->cpu_count))) {
				violation("a range over the GIC", p, p, b,
					  bd->gicd_base);
			}
			/* Inside the partition: IPA windows apart. */
			for (uint32_t j = i + 1;
			     nth_range(pc, j, &b2, &sz2, &ipa2, &k2); j++) {
				/* RAM's window is its size, not its span. */
				if (overlap(ipa, k == 0 ? pc->ram_size : sz, ipa2,
					    sz2)) {
					violation("IPA windows overlap", p, p,
						  ipa, ipa2);
				}
			}
			/* Against every other partition. */
			for (uint32_t q = p + 1; q < c->partition_count; q++) {
				const struct hv_partition_cfg *qc =
					&c->partitions[q];

				for (uint32_t j = 0;
				     nth_range(qc, j, &b2, &sz2, &ipa2, &k2);
				     j++) {
					/* The two ends of one channel share
					 * their region, and only they do. */
					if (k == 2 && k2 == 2) {
						continue;
					}
					/* Coloured partitions share spans
					 * page by page: disjoint colours
					 * own different pages. */
					if (k == 0 && k2 == 0 &&
					    pc->colours != 0 &&
					    qc->colours != 0 &&
					    (pc->colours & qc->colours) == 0) {
						continue;
					}
					if (overlap(b, sz, b2, sz2)) {
						violation(k == 0 && k2 == 0
							  ? "RAM shared"
							  : "physical ranges shared",
							  p, q, b, b2);
					}
				}
			}
		}
		for (uint32_t q = p + 1; q < c->partition_count; q++) {
			const struct hv_partition_cfg *qc = &c->partitions[q];

			for (uint32_t i = 0; i < pc->cpu_count && i < HV_MAX_CPUS; i++) {
				for (uint32_t j = 0; j < qc->cpu_count && j < HV_MAX_CPUS; j++) {
					if (pc->cpus[i] == qc->cpus[j]) {
						violation("core shared", p, q,
							  pc->cpus[i], qc->cpus[j]);
					}
				}
			}
			for (uint32_t d = 0; d < pc->device_count && d < HV_MAX_DEVICES; d++) {
				const struct hv_device *dp = &pc->devices[d];

				for (uint32_t e = 0; e < qc->device_count && e < HV_MAX_DEVICES; e++) {
					const struct hv_device *dq = &qc->devices[e];

					for (uint32_t x = 0; x < dp->irq_count && x < HV_MAX_DEV_IRQS; x++) {
						for (uint32_t y = 0; y < dq->irq_count && y < HV_MAX_DEV_IRQS; y++) {
							if (dp->irqs[x] == dq->irqs[y]) {
								violation("interrupt shared", p, q,
									  dp->irqs[x], dq->irqs[y]);
							}
						}
					}
				}
			}
		}
	}
}

static void run(struct bh_ctx *ctx)
{
	struct cfg_diag diag;

	if (bh_board_parse(ctx) != 0 || bh_system_parse(ctx) != 0 ||
	    bh_images_resolve(ctx) != 0 || bh_memory_place(ctx) != 0 ||
	    bh_blobs_place(ctx) != 0) {
		return;
	}
	for (uint32_t p = 0; p < ctx->cfg.partition_count; p++) {
		if (bh_guest_dt_build(ctx, (int)p) != 0) {
			return;
		}
	}
	if (config_validate(&ctx->cfg, &diag) != CFG_OK) {
		bh_report_diag(ctx, &diag);
		return;
	}
	check_accepted(&ctx->cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bh_ctx *ctx;
	void *blob;

	if (bh_dt_check("fuzz.dtb", data, size) != 0) {
		return 0;
	}
	ctx = calloc(1, sizeof(*ctx));
	blob = malloc(size);
	if (ctx == NULL || blob == NULL) {
		free(ctx);
		free(blob);
		return 0;
	}
	memcpy(blob, data, size);
	ctx->cfg.magic = HV_CONFIG_MAGIC;
	ctx->cfg.version = HV_CONFIG_VERSION;
	ctx->board = board;
	ctx->system.path = "fuzz.dtb";
	ctx->system.fdt = blob;
	ctx->system.size = size;
	ctx->incdirs[ctx->incdir_count++] = "build/guests";
	ctx->incdirs[ctx->incdir_count++] = "build/payloads";
	run(ctx);
	for (int p = 0; p < HV_MAX_PARTITIONS; p++) {
		free(ctx->part[p].dtb);
	}
	free(blob);
	free(ctx);
	return 0;
}
