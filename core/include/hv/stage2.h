/* SPDX-License-Identifier: MIT */
/*
 * A partition's stage-2 map, built from its configuration: RAM as Normal
 * write-back, passthrough devices as Device-nGnRE and execute-never, nothing
 * else. Pure: builds and is tested on the host.
 */
#ifndef HV_STAGE2_H
#define HV_STAGE2_H

#include "hv/config.h"
#include "hv/pt.h"

#define STAGE2_RAM_ATTRS                                              \
	(S2_MEMATTR_NORMAL_WB | S2_AP_RW | PTE_SH_INNER | PTE_AF | \
	 PTE_SW_OWNED)
#define STAGE2_DEV_ATTRS \
	(S2_MEMATTR_DEVICE_nGnRE | S2_AP_RW | PTE_AF | PTE_XN | PTE_SW_DEVICE)

/* Channel shared memory: Normal write-back like RAM, never executable,
 * read-only for a read-only end (a write is a permission fault). */
#define STAGE2_CHAN_ATTRS                                          \
	(S2_MEMATTR_NORMAL_WB | PTE_SH_INNER | PTE_AF | PTE_XN | \
	 PTE_SW_SHARED)
#define STAGE2_CHAN_RW_ATTRS (STAGE2_CHAN_ATTRS | S2_AP_RW)
#define STAGE2_CHAN_RO_ATTRS (STAGE2_CHAN_ATTRS | S2_AP_RO)
/* A monitor partition's view of a stats page: read-only, never executed. */
#define STAGE2_MONITOR_ATTRS                                          \
	(S2_MEMATTR_NORMAL_WB | S2_AP_RO | PTE_SH_INNER | PTE_AF | PTE_XN)

/** A region mapped besides the configured ones (monitor pages). */
struct stage2_extra {
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
	uint64_t attrs;
};

/* GICv2: the virtual CPU interface (GICV) appears at the guest's GICC. */
#define STAGE2_GICV_SIZE 0x2000ULL
/* Its first page (GICC_IAR and the rest but GICC_DIR), unmapped while the
 * vGIC checks an acknowledge: stage2_gicv_trap(). */
#define STAGE2_GICV_TRAP_SIZE 0x1000ULL

hv_err_t __must_check stage2_build(struct pt *t, struct pt_pool *pool,
				   const struct hv_partition_cfg *p,
				   const struct hv_board_desc *b);
hv_err_t __must_check stage2_verify(const struct pt *t,
				    const struct hv_partition_cfg *p,
				    const struct hv_board_desc *b);
hv_err_t __must_check stage2_verify_extra(const struct pt *t,
					  const struct hv_partition_cfg *p,
					  const struct hv_board_desc *b,
					  const struct stage2_extra *x,
					  unsigned x_count);
hv_err_t __must_check stage2_gicv_trap(struct pt *t, struct pt_pool *pool,
				       const struct hv_board_desc *b,
				       bool trap);

#endif /* HV_STAGE2_H */
