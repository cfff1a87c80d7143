/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own EL2 stage-1 map: identity mapped, W^X (text RX,
 * rodata R, data RW XN, SCTLR_EL2.WXN on), stacks with unmapped guard
 * pages, of the table pool only the pages taken, devices as
 * Device-nGnRE. Partition RAM is not mapped except through a temporary
 * window while an image is (re)loaded.
 *
 * Arm ARM DDI 0487 J.a, D8 "The AArch64 Virtual Memory System
 * Architecture"; TCR_EL2 D19.2.139, SCTLR_EL2 D19.2.118.
 */
#include "hv/pcie.h"
#include "hv/arch.h"
#include "hv/bits.h"
#include "hv/colour.h"
#include "hv/config.h"
#include "hv/panic.h"
#include "hv/partition.h"

#include "arch/regs.h"
#include "arch/sysreg.h"

extern const struct hv_config hv_cfg;
extern char __hv_start[], __text_end[], __rodata_end[], __stacks[],
	__stacks_end[], __hv_end[];
extern uint8_t hv_stacks[][2 * HV_STACK_SIZE];

struct mmu_regs hv_mmu_regs;
struct pt_pool hv_pt_pool;
static struct pt el2_pt;
/* Table pages the hypervisor's own EL2 map took in arch_mmu_build(). */
static size_t own_pages;
/* hv_pt_pool_count(&hv_cfg) pages, emitted by bhcfg with the
 * configuration (gen/config.c). Not cleared at boot (.noinit, see
 * hv.ld.S): pool_alloc() zeroes the pages it hands out. */
extern uint64_t hv_pt_pool_pages[][PT_ENTRIES];

#define S1_NORMAL (S1_ATTRIDX(MAIR_IDX_NORMAL_WB) | PTE_SH_INNER | PTE_AF)
#define S1_TEXT (S1_NORMAL | S1_AP_RO)
#define S1_RODATA (S1_NORMAL | S1_AP_RO | PTE_XN)
#define S1_DATA (S1_NORMAL | S1_AP_RW | PTE_XN)
#define S1_DEVICE \
	(S1_ATTRIDX(MAIR_IDX_DEVICE_nGnRE) | PTE_AF | S1_AP_RW | PTE_XN)

static void map_flags_or_panic(uint64_t base, uint64_t end, uint64_t attrs,
			       unsigned flags)
{
	hv_err_t e;

	if (end <= base) {
		return;
	}
	e = pt_map(&el2_pt, &hv_pt_pool, base, base, align_up(end - base, SZ_4K),
		   attrs, flags);
	if (e != HV_OK) {
		hv_panic("EL2 map of 0x%lx-0x%lx failed (%d)", base, end, e);
	}
}

static void map_or_panic(uint64_t base, uint64_t end, uint64_t attrs)
{
	map_flags_or_panic(base, end, attrs, 0);
}

static void map_devices(void)
{
	const struct hv_board_desc *b = &hv_cfg.board;

	map_or_panic(align_down(b->uart_base, SZ_4K),
		     align_down(b->uart_base, SZ_4K) + SZ_4K, S1_DEVICE);
	map_or_panic(b->gicd_base, b->gicd_base + SZ_64K, S1_DEVICE);
	/* The SMMUs are the hypervisor's alone (never in a stage 2). */
	for (uint32_t i = 0; i < b->smmu_count; i++) {
		map_or_panic(b->smmus[i].base,
			     b->smmus[i].base + b->smmus[i].size, S1_DEVICE);
	}
	/* Bus 0 of each PCIe host bridge's ECAM: a partition's functions are
	 * quiesced there while it is down (hv/pcie.h). */
	for (uint32_t i = 0; i < b->device_count; i++) {
		const struct hv_board_device *d = &b->devices[i];

		if ((d->flags & HV_DEV_PCI_HOST) && d->reg_count > 0) {
			map_or_panic(d->regs[0].base,
				     d->regs[0].base + PCIE_ECAM_BUS0_SIZE,
				     S1_DEVICE);
		}
	}
	if (b->gic_version == HV_GIC_V3) {
		map_or_panic(b->gicr_base,
			     b->gicr_base + 0x20000ULL * b->cpu_count,
			     S1_DEVICE);
	} else {
		map_or_panic(b->gicc_base, b->gicc_base + 0x2000, S1_DEVICE);
		map_or_panic(b->gich_base, b->gich_base + 0x1000, S1_DEVICE);
		/* The GICV page a guest's acknowledge is emulated on while
		 * the vGIC checks it (vgic_hw_gicv_read()). */
		map_or_panic(b->gicv_base, b->gicv_base + 0x1000, S1_DEVICE);
	}
}

/**
 * Build the EL2 tables and compute the register values every core loads.
 * Boot core only, MMU off, before partition_prepare_all() adds windows.
 */
void arch_mmu_build(void)
{
	uint64_t parange = FIELD_GET(MMFR0_PARANGE,
				     read_sysreg(id_aa64mmfr0_el1));
	size_t pool_count = (size_t)hv_pt_pool_count(&hv_cfg);
	hv_err_t e;

	pt_pool_init(&hv_pt_pool, hv_pt_pool_pages, pool_count);
	hv_pt_pool.take = arch_invalidate_range;
	e = pt_init(&el2_pt, &hv_pt_pool, HV_EL2_VA_BITS, false);
	CHECK(e == HV_OK);
	map_or_panic((uintptr_t)__hv_start, (uintptr_t)__text_end, S1_TEXT);
	map_or_panic((uintptr_t)__text_end, (uintptr_t)__rodata_end,
		     S1_RODATA);
	map_or_panic((uintptr_t)__rodata_end, (uintptr_t)__stacks,
		     S1_DATA);
	/* Each stack slot: lower half is the unmapped guard. */
	for (unsigned i = 0; i <= HV_MAX_CPUS; i++) {
		uint64_t top = (uintptr_t)hv_stacks[i] + 2 * HV_STACK_SIZE;

		map_or_panic(top - HV_STACK_SIZE, top, S1_DATA);
	}
	/* The table pool is mapped by arch_mmu_seal(), as far as it is used;
	 * anything else in .noinit is mapped here. */
	map_or_panic((uintptr_t)__stacks_end, (uintptr_t)hv_pt_pool_pages,
		     S1_DATA);
	map_or_panic((uintptr_t)(hv_pt_pool_pages + pool_count),
		     (uintptr_t)__hv_end, S1_DATA);
	map_devices();
	own_pages = hv_pt_pool.used;
	if (own_pages > HV_PT_OWN_PAGES) {
		hv_panic("the hypervisor's own EL2 map took %zu table pages, "
			 "more than the %u set aside",
			 own_pages, HV_PT_OWN_PAGES);
	}

	hv_mmu_regs.mair = MAIR_EL2_VALUE;
	hv_mmu_regs.tcr = TCR_EL2_RES1 | TCR_T0SZ(HV_EL2_VA_BITS) |
			  TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
			  ((parange > 5 ? 5 : parange) << TCR_EL2_PS_SHIFT);
	hv_mmu_regs.ttbr0 = (uintptr_t)el2_pt.root;
	hv_mmu_regs.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA |
			    SCTLR_I | SCTLR_WXN;
}

/**
 * Map the table pages taken from the pool (mapping them may take more, so
 * until all are mapped) and seal the pool. The rest of the pool stays
 * unmapped: nothing can take it any more. Stops the boot if the
 * partitions took more pages than bhcfg's bound or the hypervisor's own
 * map more than HV_PT_OWN_PAGES (either would mean the tool's count and
 * the tables drifted apart: hv/config.h). Boot core, MMU off, after every
 * table is built.
 */
void arch_mmu_seal(void)
{
	size_t parts = hv_pt_pool.used - own_pages;
	size_t mapped = 0;

	if (parts > hv_cfg.table_pages) {
		hv_panic("the partitions' tables took %zu pages, more than "
			 "the %u bhcfg counted",
			 parts, hv_cfg.table_pages);
	}
	while (mapped < hv_pt_pool.used) {
		size_t used = hv_pt_pool.used;

		map_or_panic((uintptr_t)hv_pt_pool_pages[mapped],
			     (uintptr_t)hv_pt_pool_pages[used], S1_DATA);
		mapped = used;
	}
	own_pages = hv_pt_pool.used - parts;
	if (own_pages > HV_PT_OWN_PAGES) {
		hv_panic("the hypervisor's own EL2 map took %zu table pages, "
			 "more than the %u set aside",
			 own_pages, HV_PT_OWN_PAGES);
	}
	pt_pool_seal(&hv_pt_pool);
}

static void tlb_flush_el2(void)
{
	dsb_ishst();
	__asm__ volatile("tlbi alle2is" ::: "memory");
	dsb_ish();
	isb();
}

/**
 * Create the tables of @p's loading window (its RAM at VA == PA) so that
 * mapping it later needs no allocation; the window itself stays unmapped
 * (PT_TABLES_ONLY writes no leaf, and fails if any of its slots is
 * already mapped). Boot only.
 */
void arch_mmu_prepare_window(const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	struct colour_iter it;
	struct colour_run r;

	/* Coloured RAM: only its own pages, 4 KiB each (docs/isolation.md). */
	colour_iter_init(&it, c, &hv_cfg.board);
	while (colour_iter_next(&it, &r)) {
		map_flags_or_panic(r.pa, r.pa + r.size, S1_DATA,
				   PT_TABLES_ONLY | colour_window_flags(c));
	}
}

/** Map @p's RAM at EL2 for loading; tables exist (prepared at boot). */
void arch_mmu_map_window(const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	struct colour_iter it;
	struct colour_run r;

	colour_iter_init(&it, c, &hv_cfg.board);
	while (colour_iter_next(&it, &r)) {
		CHECK(pt_map(&el2_pt, &hv_pt_pool, r.pa, r.pa, r.size, S1_DATA,
			     colour_window_flags(c)) == HV_OK);
	}
	dsb_ishst();
	isb();
}

/** Remove the loading window and flush it from every core's TLB. */
void arch_mmu_unmap_window(const struct partition *p)
{
	const struct hv_partition_cfg *c = p->cfg;
	struct colour_iter it;
	struct colour_run r;

	colour_iter_init(&it, c, &hv_cfg.board);
	while (colour_iter_next(&it, &r)) {
		CHECK(pt_unmap(&el2_pt, r.pa, r.size) == HV_OK);
	}
	tlb_flush_el2();
}
