/* SPDX-License-Identifier: MIT */
/*
 * Boot flow. The boot core validates the compiled-in configuration, builds
 * every translation table (EL2 and each partition's stage 2) with the MMU
 * off, seals the table pool, turns its MMU on and starts the other cores
 * through firmware PSCI. Each core then loads its partition if it hosts
 * that partition's vCPU 0, and parks until its vCPU is powered on.
 */
#include "hv/arch.h"
#include "hv/board.h"
#include "hv/config_validate.h"
#include "hv/console.h"
#include "hv/digest.h"
#include "hv/hardening.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/partition.h"
#include "hv/smmu.h"

#include "arch/regs.h"
#include "arch/sysreg.h"

#define HV_EMERG_STACK 4096

extern const struct hv_config hv_cfg;
extern char __hv_start[], __text_end[], __hv_end[];
extern char secondary_entry[];

struct pcpu hv_pcpus[HV_MAX_CPUS];
uint8_t hv_stacks[HV_MAX_CPUS + 1][2 * HV_STACK_SIZE]
	__attribute__((aligned(2 * HV_STACK_SIZE), section(".noinit.stacks")));
/* In .noinit, like the per-core stacks: a stack needs no initial value,
 * and neither does this one need invalidating at boot (boot.S). It is
 * taken only after a stack overflow at EL2, which then ends in a panic:
 * with the MMU on, cached accesses see whatever lines the loader left as
 * data; with it still off, the writes go to memory and the core halts. */
static uint8_t hv_emerg_stacks[HV_MAX_CPUS][HV_EMERG_STACK]
	__attribute__((aligned(16), section(".noinit.emerg")));

void log_enable_locking(void);
void hv_main(uint64_t dtb);
void hv_secondary_main(uint64_t core);
void boot_wrong_el(uint64_t el);
void boot_wrong_address(uint64_t runtime, uint64_t link);

/** Entered at EL1 (or EL3): we cannot run; say so on the board UART. */
void boot_wrong_el(uint64_t el)
{
	board_uart_init(hv_cfg.board.uart_base);
	log_raw("\nBulkhead: entered at EL%lu, but it must be started at EL2 "
		"(enable virtualization, e.g. QEMU -M virt,virtualization=on)."
		" Stopped.\n",
		el);
	arch_halt();
}

/** Loaded somewhere other than the link address: refuse to run. */
void boot_wrong_address(uint64_t runtime, uint64_t link)
{
	board_uart_init(hv_cfg.board.uart_base);
	log_raw("\nBulkhead: loaded at 0x%lx but linked at 0x%lx; load it "
		"0x200000 above a 2 MiB aligned RAM base. Stopped.\n",
		runtime, link);
	arch_halt();
}

/**
 * FNV-1a 64 of the hypervisor's text [__hv_start, __text_end), computed
 * now: printed at boot and returned by the HV_HVC_TEXT_DIGEST hypercall,
 * so a test can show an attack left the code unchanged.
 */
uint64_t digest_hv_text(void)
{
	return digest_fnv1a64(DIGEST_FNV1A64_INIT, __hv_start,
			      (size_t)((uintptr_t)__text_end - (uintptr_t)__hv_start));
}

static unsigned find_core(uint64_t mpidr)
{
	for (unsigned i = 0; i < hv_cfg.board.cpu_count; i++) {
		if (hv_cfg.board.cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK)) {
			return i;
		}
	}
	hv_panic("booted on core MPIDR 0x%lx, which the board description "
		 "does not list",
		 mpidr);
}

static void check_config(void)
{
	struct cfg_diag d;
	enum cfg_err e = config_validate(&hv_cfg, &d);

	if (e != CFG_OK) {
		hv_panic("configuration table rejected: %s (partition %d, "
			 "property \"%s\", item %d)",
			 cfg_strerror(e), d.partition,
			 d.property ? d.property : "-", d.item);
	}
	if ((uintptr_t)__hv_start < hv_cfg.board.hv_base ||
	    (uintptr_t)__hv_end > hv_cfg.board.hv_base + hv_cfg.board.hv_size) {
		hv_panic("hypervisor image 0x%lx-0x%lx exceeds its reserved "
			 "region 0x%lx+0x%lx",
			 (uintptr_t)__hv_start, (uintptr_t)__hv_end,
			 hv_cfg.board.hv_base, hv_cfg.board.hv_size);
	}
}

/*
 * The board description's cache colours against the cache the CPU
 * reports (docs/isolation.md): a mismatch stops the boot if a partition
 * is coloured (its isolation would rest on a wrong geometry), and is
 * only logged otherwise.
 */
static void check_llc(void)
{
	uint32_t n = hv_cfg.board.llc_colours;
	uint64_t way = arch_llc_way_size();
	bool coloured = false;

	if (n == 0) {
		return;
	}
	for (uint32_t i = 0; i < hv_cfg.partition_count; i++) {
		coloured = coloured || hv_cfg.partitions[i].colours != 0;
	}
	if (way == (uint64_t)n * 4096u) {
		if (!coloured) {
			return;
		}
		log_info("last-level cache: way of 0x%lx bytes, %u colours",
			 way, n);
	} else if (coloured) {
		hv_panic("the board describes %u cache colours (a way of 0x%lx "
			 "bytes) but the CPU reports a last-level cache way of "
			 "0x%lx bytes: refusing to colour",
			 n, (uint64_t)n * 4096u, way);
	} else {
		log_info("last-level cache: the CPU reports a way of 0x%lx "
			 "bytes, the board %u colours (no partition coloured)",
			 way, n);
	}
}

static void pcpu_setup(unsigned core)
{
	struct pcpu *c = &hv_pcpus[core];

	c->index = core;
	c->mpidr = hv_cfg.board.cpu_mpidr[core];
	c->stack_top = (uintptr_t)hv_stacks[core] + 2 * HV_STACK_SIZE;
	c->emerg_sp = (uintptr_t)hv_emerg_stacks[core] + HV_EMERG_STACK;
	write_sysreg(tpidr_el2, (uintptr_t)c);
}

static void start_secondaries(unsigned boot)
{
	for (unsigned i = 0; i < hv_cfg.board.cpu_count; i++) {
		int64_t r;

		if (i == boot || !hv_pcpus[i].used) {
			continue;
		}
		r = arch_psci_fw_cpu_on(hv_cfg.board.cpu_mpidr[i],
					(uintptr_t)secondary_entry, i);
		if (r != 0) {
			log_info("core %u (MPIDR 0x%lx) did not start: PSCI "
				 "error %ld",
				 i, hv_cfg.board.cpu_mpidr[i], r);
		}
	}
}

/* Every core ends here, on its own stack, with its MMU on. */
static __attribute__((noreturn)) void pcpu_main(uint64_t core)
{
	struct pcpu *c = &hv_pcpus[core];

	gic_init_cpu((unsigned)core);
	if (!c->used) {
		arch_halt();
	}
	arch_regulate_core_init(c);
	/* The console core: the one hosting the first partition's vCPU 0
	 * (GICv2 can only route to a core whose CPU interface is set up). */
	if (core == hv_cfg.partitions[0].cpus[0]) {
		console_init((unsigned)core);
		smmu_init_irqs((unsigned)core);
	}
	if (c->vcpu.index == 0) {
		partition_boot(c->vcpu.part);
	}
	vcpu_park(&c->vcpu);
}

/** Boot core entry from boot.S: MMU off, on the boot stack. */
void hv_main(uint64_t dtb)
{
	unsigned boot;

	(void)dtb; /* the board is described by the compiled-in table */
	board_uart_init(hv_cfg.board.uart_base);
	log_info("Bulkhead starting on board %s", hv_cfg.board.name);
	check_config();
	check_llc();
	boot = find_core(read_sysreg(mpidr_el1));
	pcpu_setup(boot);
	arch_cpu_init_el2();
	arch_regulate_check();
	arch_mmu_build();
	partition_prepare_all();
	arch_mmu_seal();
	arch_mmu_on(&hv_mmu_regs);
	log_enable_locking();
	log_info("EL2 MMU on (W^X), %zu of %d table pages used; %u "
		 "partition(s)",
		 hv_pt_pool.used, (int)hv_pt_pool.count,
		 hv_cfg.partition_count);
	for (uint32_t i = 0; i < hv_cfg.partition_count; i++) {
		if (hv_cfg.partitions[i].flags & HV_PART_DMA_UNPROTECTED) {
			log_info("partition %s: dma-unprotected: its bus "
				 "masters reach all of physical memory; it is "
				 "part of the trusted base",
				 hv_cfg.partitions[i].name);
		}
	}
	/* Before any partition starts: DMA aborts until its owner runs. */
	smmu_init();
	/* Before the other cores start: they read what firmware offers. */
	arch_smccc_probe();
	arch_smccc_core_init();
	gic_init_dist();
	for (uint32_t i = 0; i < hv_cfg.partition_count; i++) {
		gic_quiesce_partition(&hv_cfg.partitions[i]);
	}
	start_secondaries(boot);
	arch_switch_stack(hv_pcpus[boot].stack_top, pcpu_main, boot);
}

/** Secondary core entry from boot.S: MMU on, on its own stack. */
void hv_secondary_main(uint64_t core)
{
	CHECK(core < hv_cfg.board.cpu_count);
	pcpu_setup((unsigned)core);
	arch_cpu_init_el2();
	pcpu_main(core);
}
