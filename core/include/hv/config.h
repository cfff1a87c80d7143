/* SPDX-License-Identifier: MIT */
/*
 * The system configuration: what the board has and how it is split into
 * partitions. The host tool tools/bhcfg reads the board and system
 * descriptions (device-tree sources), fills these structures, validates them
 * with config_validate() and emits them as const C tables that are compiled
 * into the hypervisor. The hypervisor validates the same table again at boot.
 *
 * All arrays have fixed maximum sizes so the table is one const object with
 * no pointers other than the embedded image blobs.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include "hv/types.h"

#define HV_CONFIG_MAGIC 0x46434842u /* "BHCF" little-endian */
#define HV_CONFIG_VERSION 1u

#define HV_NAME_LEN 32
#define HV_MAX_CPUS 8
#define HV_MAX_PARTITIONS 8
#define HV_MAX_RAM_BANKS 4
#define HV_MAX_BOARD_DEVICES 48
#define HV_MAX_DEVICES 16 /* per partition */
#define HV_MAX_DEV_IRQS 4 /* per device */
/* MMIO regions per board device: one for most; a PCIe host bridge has its
 * ECAM, its 32-bit memory window and its I/O window. */
#define HV_MAX_DEV_REGS 4
#define HV_MAX_SMMUS 1
#define HV_MAX_PART_SIDS 4 /* StreamID ranges per partition */
#define HV_NO_SMMU 0xffffffffu
/* StreamIDs the hypervisor's stream tables cover (a 16-bit PCIe requester
 * ID: bus, device, function). Every other StreamID aborts. */
#define HV_SMMU_SID_LIMIT 0x10000u
#define HV_MAX_BOOTARGS 256
/* Last-level-cache colours (docs/isolation.md): at most 32, so a
 * partition's colours fit one 32-bit mask. */
#define HV_MAX_COLOURS 32
/*
 * The hypervisor's pool of 4 KiB translation-table pages (hv_pt_pool_pages,
 * which bhcfg emits with the configuration table): its own EL2 map, every
 * partition's stage 2 and loading window come from it at boot, and nothing
 * after. HV_PT_OWN_PAGES pages for the hypervisor's own EL2 map (image,
 * stacks, devices, the pool's pages), plus the pages bhcfg counts for the
 * partitions (tools/bhcfg/tables.c, docs/isolation.md), at least
 * HV_PT_POOL_PAGES in all; the boot checks both parts.
 */
#define HV_PT_POOL_PAGES 512u
#define HV_PT_OWN_PAGES 32u
#define HV_EL2_VA_BITS 39u /* the EL2 stage-1 map's input address bits */
/*
 * Channels (docs/channels.md): shared memory between two partitions with a
 * doorbell each way. Each end takes two lines of its partition's virtual
 * PL061 (line 2i rings the peer, line 2i+1 is rung by it), so a partition
 * has at most 4 channel ends.
 */
#define HV_MAX_CHANNELS 8	  /* per system */
#define HV_MAX_PART_CHANNELS 4 /* channel ends per partition */
/*
 * Room the hypervisor image needs besides the embedded blobs (code, data,
 * stacks, a page-table pool of up to HV_PT_POOL_PAGES). config_validate()
 * checks that the blobs plus this, plus the pool's pages beyond
 * HV_PT_POOL_PAGES, fit the board's hypervisor region.
 */
#define HV_IMAGE_OVERHEAD (8ULL << 20)

/* Guest-physical layout every partition sees (mirrors QEMU's virt machine). */
#define HV_GUEST_GICD_IPA 0x08000000ULL
#define HV_GUEST_GICD_SIZE 0x10000ULL
#define HV_GUEST_GICR_IPA 0x080a0000ULL
#define HV_GUEST_GICR_STRIDE 0x20000ULL
#define HV_GUEST_GICC_IPA 0x08010000ULL
#define HV_GUEST_GICC_SIZE 0x10000ULL
#define HV_GUEST_UART_IPA 0x09000000ULL
#define HV_GUEST_UART_SIZE 0x1000ULL
/* The virtual PL011's interrupt: SPI 1, as on QEMU virt, whatever the
 * board UART's own interrupt is. */
#define HV_GUEST_UART_INTID 33
/* The virtual PL061 GPIO controller that carries channel doorbells: where
 * QEMU virt has its PL061, on SPI 7. Present only with channels. */
#define HV_GUEST_GPIO_IPA 0x09030000ULL
#define HV_GUEST_GPIO_SIZE 0x1000ULL
#define HV_GUEST_GPIO_INTID 39
/* The virtual SP805 watchdog every partition has (docs/lifecycle.md). Its
 * interrupt output is not connected. */
#define HV_GUEST_WDOG_IPA 0x09800000ULL
#define HV_GUEST_WDOG_SIZE 0x1000ULL
/* Where a monitor partition sees the counter pages of the partitions it
 * may watch: one read-only 4 KiB page each, in its `monitor` order. */
#define HV_GUEST_MONITOR_IPA 0x09900000ULL
#define HV_GUEST_MONITOR_PAGE 0x1000ULL
#define HV_GUEST_RAM_IPA_DEFAULT 0x40000000ULL
/* Guest-physical address space size (40 bits, a 1 TiB IPA space). */
#define HV_GUEST_IPA_BITS 40

/* Interrupt numbering (GIC architecture): SPIs start at INTID 32. */
#define HV_SPI_BASE 32u

enum hv_gic_version {
	HV_GIC_V2 = 2,
	HV_GIC_V3 = 3,
};

enum hv_uart_kind {
	HV_UART_PL011 = 1,
	HV_UART_CADENCE = 2,
};

/** What happens to a partition on one kind of event (enum hv_event). */
enum hv_fault_policy {
	HV_FAULT_STOP = 0,    /* stop all its vCPUs; log once */
	HV_FAULT_INJECT = 1,  /* inject an abort (or Undefined Instruction) */
	HV_FAULT_RESTART = 2, /* reload the image and start again */
	HV_FAULT_LOG = 3,     /* log (rate limited) and carry on */
	HV_FAULT_POLICIES
};

/**
 * The events a partition has a policy for (docs/lifecycle.md). Index into
 * hv_partition_cfg.policy.
 */
enum hv_event {
	HV_EV_TRAP = 0,	      /* unhandled trap, SError, AArch32 */
	HV_EV_STAGE2 = 1,     /* access outside its map, bad emulated access */
	HV_EV_WATCHDOG = 2,   /* its virtual SP805 expired */
	HV_EV_SYSRESET = 3,   /* guest PSCI SYSTEM_RESET */
	HV_EV_SYSOFF = 4,     /* guest PSCI SYSTEM_OFF */
	HV_EVENTS
};

/** One bank of physical RAM on the board. */
struct hv_ram_bank {
	uint64_t base;
	uint64_t size;
};

/** A physical address range. */
struct hv_region {
	uint64_t base;
	uint64_t size;
};

/* Board device flags (docs/config.md, "Bus masters"). */
#define HV_DEV_BUS_MASTER (1u << 0) /* can master the bus: its DMA reaches memory */
#define HV_DEV_PCI_HOST (1u << 1)   /* a PCIe ECAM host bridge (regs: ECAM,
				     * 32-bit memory window, I/O window) */

/** A device on the board that may be passed through to one partition. */
struct hv_board_device {
	char name[HV_NAME_LEN]; /* board device-tree node name */
	uint32_t flags;		/* HV_DEV_* */
	uint32_t reg_count;
	struct hv_region regs[HV_MAX_DEV_REGS];
	uint32_t irq_count;
	uint32_t irqs[HV_MAX_DEV_IRQS]; /* GIC INTIDs (SPIs: >= 32) */
	/* For a bus master: the SMMU in front of it (index into
	 * hv_board_desc.smmus, or HV_NO_SMMU) and the StreamIDs its
	 * transactions carry there: sid_first .. sid_first+sid_count-1. */
	uint32_t smmu;
	uint32_t sid_first;
	uint32_t sid_count;
};

/** An Arm SMMUv3 that the hypervisor owns (never mapped into a partition). */
struct hv_smmu_desc {
	uint64_t base; /* register pages 0 and 1 */
	uint64_t size;
	uint32_t evtq_irq;   /* INTID of its event-queue interrupt (wired SPI) */
	uint32_t gerror_irq; /* INTID of its global-error interrupt (wired SPI) */
};

/** What the board has. Filled from boards/<board>/board.dts. */
struct hv_board_desc {
	char name[HV_NAME_LEN];
	uint32_t cpu_count;
	uint64_t cpu_mpidr[HV_MAX_CPUS]; /* affinity fields, index = core */
	uint32_t ram_count;
	struct hv_ram_bank ram[HV_MAX_RAM_BANKS];
	uint64_t hv_base; /* physical region reserved for the hypervisor */
	uint64_t hv_size;
	uint32_t gic_version; /* enum hv_gic_version */
	uint32_t spi_count;   /* SPIs implemented: INTIDs 32 .. 32+n-1 */
	uint64_t gicd_base;
	uint64_t gicr_base; /* v3: redistributors, 0x20000 per core */
	uint64_t gicc_base; /* v2: CPU interface */
	uint64_t gich_base; /* v2: virtual interface control */
	uint64_t gicv_base; /* v2: virtual CPU interface */
	uint32_t uart_kind; /* enum hv_uart_kind */
	uint32_t uart_irq;
	uint64_t uart_base;
	uint32_t device_count;
	struct hv_board_device devices[HV_MAX_BOARD_DEVICES];
	uint32_t smmu_count;
	struct hv_smmu_desc smmus[HV_MAX_SMMUS];
	/* Last-level cache colours with 4 KiB pages (way size / 4 KiB), a
	 * power of two up to HV_MAX_COLOURS; 0: the board does not say. */
	uint32_t llc_colours;
	/* INTID of the PMU overflow interrupt, a PPI (16-31) every core has
	 * (its `pmu` node); 0: the board does not say, or gives one SPI per
	 * core (pmu_spis). With neither, no partition can be regulated
	 * (docs/isolation.md, "Memory-bandwidth regulation"). */
	uint32_t pmu_irq;
	/* Boards whose PMU overflow is one SPI per core (zcu102, rpi4): the
	 * INTID of board core i's, pmu_spis[i], for each of the cpu_count
	 * cores; all 0 otherwise. The hypervisor's: no partition has them. */
	uint32_t pmu_spis[HV_MAX_CPUS];
};

/** A passthrough device in a partition: MMIO mapped, interrupts owned. */
struct hv_device {
	char name[HV_NAME_LEN]; /* name of the board device it is */
	uint64_t pa;
	uint64_t ipa; /* where the guest sees it; identity by default */
	uint64_t size;
	uint32_t irq_count;
	uint32_t irqs[HV_MAX_DEV_IRQS];
};

/** A blob embedded in the hypervisor image and copied at boot. */
struct hv_blob {
	const uint8_t *data; /* NULL in the host tool before emission */
	uint64_t size;
	uint64_t offset; /* load offset from the partition's RAM IPA base */
};

/** How one end of a channel may access the shared region. */
enum hv_chan_access {
	HV_CHAN_RW = 0, /* read and write */
	HV_CHAN_RO = 1, /* read only: a write is a stage-2 fault */
};

/**
 * One end of a channel, held by the partition at that end. The two ends of
 * a channel name each other (peer, peer_end) and agree on the name and the
 * physical region; config_validate() checks it. The end's doorbell lines
 * follow from its index i in the partition's chans[]: GPIO line 2i rings
 * the peer, line 2i+1 is rung by the peer.
 */
struct hv_chan_end {
	char name[HV_NAME_LEN]; /* channel name */
	uint32_t peer;		/* partition index of the other end */
	uint32_t peer_end;	/* index of the other end in its chans[] */
	uint32_t access;	/* enum hv_chan_access */
	uint32_t db_interval_us; /* doorbell budget: minimum interval */
	uint64_t pa;		/* shared region, physical */
	uint64_t ipa;		/* where this end sees it */
	uint64_t size;
};

#define HV_PART_RAM_NO_BLOCKS (1u << 0) /* map RAM with 4 KiB pages only */
#define HV_PART_TRAP_WFI (1u << 1)	/* WFI exits to EL2 (HCR_EL2.TWI) */
#define HV_PART_TRAP_WFE (1u << 2)	/* WFE exits to EL2 (HCR_EL2.TWE) */
#define HV_PART_PMU (1u << 3)		/* the PMU is the guest's (if PMUv3p1) */
#define HV_PART_DEBUG (1u << 4)		/* debug registers are the guest's */
/* It owns a bus master with no SMMU in front of it: it can reach all of
 * physical memory and is part of the trusted base (docs/traps.md). */
#define HV_PART_DMA_UNPROTECTED (1u << 5)

/* Regulation: the event a regulated partition's cores count by default,
 * and the limits bhcfg and config_validate() hold a description to. */
#define HV_MEM_EVENT_AUTO 0xffffffffu
#define HV_MEM_EVENT_MAX 0x3fu	      /* PMCEID0/1_EL0 cover 0x00-0x3f */
#define HV_MEM_BUDGET_MAX 0x80000000u /* half the 32-bit event counter */
#define HV_MEM_PERIOD_MIN_US 100u
#define HV_MEM_PERIOD_MAX_US 1000000u

/** StreamIDs of one SMMU whose transactions a partition's stage 2 translates. */
struct hv_sid_range {
	uint32_t smmu; /* index into hv_board_desc.smmus */
	uint32_t first;
	uint32_t count;
};

/** One partition: cores, memory, images, devices, policy. */
struct hv_partition_cfg {
	char name[HV_NAME_LEN];
	uint32_t cpu_count;
	uint8_t cpus[HV_MAX_CPUS]; /* vCPU i runs on board core cpus[i] */
	uint64_t ram_pa;
	uint64_t ram_ipa;
	uint64_t ram_size;
	struct hv_blob image;  /* guest kernel / application */
	uint64_t entry_offset; /* entry point, from the RAM IPA base */
	struct hv_blob dtb;    /* generated device tree */
	struct hv_blob initrd; /* optional: size 0 when absent */
	uint8_t policy[HV_EVENTS]; /* enum hv_fault_policy per hv_event */
	uint32_t monitor_mask;	   /* bit q: may read partition q's counters */
	uint32_t flags;		   /* HV_PART_* */
	/* Bit c: its RAM is on pages of cache colour c only (hv/colour.h);
	 * 0: not coloured, RAM contiguous at ram_pa. */
	uint32_t colours;
	/* Memory-bandwidth regulation (docs/isolation.md): at most
	 * mem_budget events of PMU event mem_event counted on each of its
	 * cores per mem_period_us microseconds; mem_budget 0: not regulated.
	 * mem_event HV_MEM_EVENT_AUTO: L2D_CACHE_REFILL or BUS_ACCESS,
	 * whichever the core implements. */
	uint32_t mem_budget;
	uint32_t mem_period_us;
	uint32_t mem_event;
	uint32_t device_count;
	struct hv_device devices[HV_MAX_DEVICES];
	uint32_t chan_count; /* channel ends */
	struct hv_chan_end chans[HV_MAX_PART_CHANNELS];
	/* The StreamIDs of its bus masters behind an SMMU: translated by its
	 * own stage 2 (its VMID and tables). */
	uint32_t sid_count;
	struct hv_sid_range sids[HV_MAX_PART_SIDS];
	char bootargs[HV_MAX_BOOTARGS];
};

/** The whole system: emitted by bhcfg as `const struct hv_config hv_cfg`. */
struct hv_config {
	uint32_t magic;
	uint32_t version;
	struct hv_board_desc board;
	uint32_t partition_count;
	struct hv_partition_cfg partitions[HV_MAX_PARTITIONS];
	/* bhcfg's bound on the table pages the partitions' stage 2 and
	 * loading windows take; the boot stops if they take more. */
	uint32_t table_pages;
};

/** Pages of the table pool for configuration @c. */
static inline uint64_t hv_pt_pool_count(const struct hv_config *c)
{
	uint64_t n = (uint64_t)HV_PT_OWN_PAGES + c->table_pages;

	return n > HV_PT_POOL_PAGES ? n : HV_PT_POOL_PAGES;
}

#endif /* HV_CONFIG_H */
