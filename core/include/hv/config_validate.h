/* SPDX-License-Identifier: MIT */
/*
 * The one validator for system configurations. Pure C: it is linked into the
 * host tool (a bad description fails the build), into the host unit tests
 * (one negative test per error code) and into the hypervisor (which re-checks
 * its compiled-in table at boot before touching any hardware).
 */
#ifndef HV_CONFIG_VALIDATE_H
#define HV_CONFIG_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/config.h"

/** Every rule the validator enforces has its own code. */
enum cfg_err {
	CFG_OK = 0,
	CFG_E_BAD_MAGIC,	   /* table magic or version wrong */
	CFG_E_BOARD,		   /* board description itself inconsistent */
	CFG_E_NO_PARTITIONS,	   /* zero partitions, or more than the max */
	CFG_E_NAME,		   /* partition name empty, too long or duplicated */
	CFG_E_NO_CPUS,		   /* partition has no core */
	CFG_E_CPU_NOT_ON_BOARD,	   /* core index >= board cpu_count */
	CFG_E_CPU_TWO_OWNERS,	   /* core in two partitions (or twice in one) */
	CFG_E_UNALIGNED,	   /* RAM base/size not 2 MiB aligned (4K if NO_BLOCKS), device not 4K */
	CFG_E_MEM_ZERO,		   /* RAM size 0 */
	CFG_E_MEM_NOT_ON_BOARD,	   /* RAM outside the board's RAM banks */
	CFG_E_MEM_OVERLAP,	   /* RAM of two partitions overlaps */
	CFG_E_OVERLAPS_HV,	   /* RAM or device over the hypervisor's region */
	CFG_E_IPA_RANGE,	   /* an IPA beyond the guest IPA space */
	CFG_E_IPA_OVERLAP,	   /* two things overlap in a partition's IPA space */
	CFG_E_NO_IMAGE,		   /* image missing or empty */
	CFG_E_IMAGE_TOO_BIG,	   /* image/dtb/initrd outside RAM or overlapping */
	CFG_E_ENTRY,		   /* entry point outside the image */
	CFG_E_DEV_NOT_ON_BOARD,	   /* device range not a board device */
	CFG_E_DEV_TWO_OWNERS,	   /* device given to two partitions or twice */
	CFG_E_IRQ_NOT_ON_BOARD,	   /* interrupt not an SPI of the board */
	CFG_E_IRQ_TWO_OWNERS,	   /* interrupt given twice */
	CFG_E_POLICY,		   /* unknown policy, or inject for reset/off */
	CFG_E_HV_TOO_SMALL,	   /* embedded images do not fit the hv region */
	CFG_E_CHAN_COUNT,	   /* more channel ends than a partition holds */
	CFG_E_CHAN_NAME,	   /* channel name empty, bad or used twice */
	CFG_E_CHAN_ACCESS,	   /* unknown access, or no end may write */
	CFG_E_CHAN_PEER,	   /* the two ends of a channel do not agree */
	CFG_E_MONITOR,		   /* monitor names a partition that is not there */
	CFG_E_SMMU_OWNED,	   /* device range or interrupt is the SMMU's */
	CFG_E_PCI_HOST,		   /* PCIe host bridge not whole, or not IPA = PA */
	CFG_E_DMA_UNPROTECTED,	   /* bus master with no SMMU, partition not dma-unprotected */
	CFG_E_DMA_STALE,	   /* dma-unprotected, but no unprotected bus master */
	CFG_E_SID,		   /* StreamID range bad, or not one of its bus masters' */
	CFG_E_SID_TWO_OWNERS,	   /* StreamID ranges of two partitions (or two of one) overlap */
	CFG_E_SID_MISSING,	   /* bus master behind an SMMU, its StreamIDs not given */
	CFG_E_CHAN_DOORBELL,	   /* doorbell interval over 1 s */
	CFG_E_COLOUR_NOT_ON_BOARD, /* cache colour the board does not have */
	CFG_E_COLOUR_OVERLAP,	   /* cache colour in two coloured partitions */
	CFG_E_COLOUR_DMA,	   /* coloured partition with DMA no SMMU translates */
	CFG_E_REGULATION,	   /* memory budget, period or event out of range */
	CFG_E_COUNT,
};

/** Where a validation error was found. Indices are -1 when not relevant. */
struct cfg_diag {
	enum cfg_err code;
	int partition;	      /* index into partitions[] */
	int other;	      /* the other partition, for two-owner rules */
	int item;	      /* index of the cpu, device or irq concerned */
	const char *property; /* system-description property, e.g. "cpus" */
};

/**
 * Check every rule in docs/config.md. Runs without side effects other than
 * filling @diag (which may be NULL). Returns CFG_OK or the first error found.
 */
enum cfg_err config_validate(const struct hv_config *c, struct cfg_diag *diag);

/*
 * Internal: shared by config_validate.c and config_channels.c, which
 * checks the channel rules after every partition passed.
 */
enum cfg_err cfg_fail(struct cfg_diag *d, enum cfg_err code, int part,
		      int other, int item, const char *prop);
bool cfg_name_ok(const char *s, size_t max);
bool cfg_streq(const char *a, const char *b, size_t max);
bool cfg_wraps(uint64_t base, uint64_t size);
enum cfg_err config_validate_channels(const struct hv_config *c,
				      struct cfg_diag *d);
bool cfg_page_round(uint64_t base, uint64_t size, uint64_t *rbase,
		    uint64_t *rsize);
bool cfg_board_clashes(const struct hv_board_desc *b, uint64_t base,
		       uint64_t size);
bool cfg_board_dev_hit(const struct hv_board_desc *b, uint64_t base,
		       uint64_t size, bool whole);
bool cfg_is_spi(const struct hv_board_desc *b, uint32_t irq);
/* The board core whose PMU overflow SPI @irq is (pmu_spis), or -1. */
int cfg_pmu_spi_core(const struct hv_board_desc *b, uint32_t irq);
/* config_dma.c: the bus-master, SMMU and StreamID rules. */
enum cfg_err config_validate_board_dma(const struct hv_board_desc *b,
				       struct cfg_diag *d);
enum cfg_err config_validate_part_dma(const struct hv_config *c, int p,
				      struct cfg_diag *d);
bool cfg_smmu_range(const struct hv_board_desc *b, uint64_t base,
		    uint64_t size);
bool cfg_smmu_irq(const struct hv_board_desc *b, uint32_t irq);
/**
 * True if partition @pc has a page of board device @bd mapped (then it
 * drives the device, and the device's DMA). Used by bhcfg too.
 */
bool cfg_part_has_dev(const struct hv_partition_cfg *pc,
		      const struct hv_board_device *bd);
/** Index of a bus master with no SMMU that @pc owns, or -1. */
int cfg_part_unprotected_master(const struct hv_board_desc *b,
				const struct hv_partition_cfg *pc);
/** The property naming each event's policy: "on-trap", "on-watchdog"... */
extern const char *const config_event_props[HV_EVENTS];

/** One-line English description of a code (never NULL). */
const char *cfg_strerror(enum cfg_err e);

#endif /* HV_CONFIG_VALIDATE_H */
