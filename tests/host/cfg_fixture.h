/* SPDX-License-Identifier: MIT */
/*
 * The configuration the validator tests start from (test_config_validate.c,
 * test_config_dma.c): a board like boards/qemu-virt/board.dts with a few
 * devices, and two valid partitions, alpha and beta.
 */
#ifndef CFG_FIXTURE_H
#define CFG_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "hv/config.h"
#include "hv/config_validate.h"

#define MIB (1ULL << 20)
#define RAM_A 0x42000000ULL
#define RAM_B 0x46000000ULL
#define PART_RAM (64 * MIB)

extern struct hv_config cfg;

void add_board_dev(struct hv_board_desc *b, const char *name, uint64_t base,
		   uint64_t size, uint32_t irq);
void make_board(struct hv_board_desc *b);
void make_part(struct hv_partition_cfg *p, const char *name, uint8_t cpu0,
	       uint64_t ram_pa);
void set_dev(struct hv_device *d, const char *name, uint64_t pa,
	     uint32_t irq0, uint32_t irq1);
struct hv_config *valid(void);
struct hv_partition_cfg *alpha(void);
struct hv_partition_cfg *beta(void);
int prop_eq(const char *got, const char *want);

/* Runs the validator and checks code, partition, other and property. */
#define CHECK_DIAG(code_, part_, other_, prop_)               \
	do {                                                  \
		struct cfg_diag d_;                           \
		EXPECT_EQ(config_validate(&cfg, &d_), code_); \
		EXPECT_EQ(d_.code, code_);                    \
		EXPECT_EQ(d_.partition, part_);               \
		EXPECT_EQ(d_.other, other_);                  \
		EXPECT_TRUE(prop_eq(d_.property, (prop_)));   \
	} while (0)

/* Same, and the item index. */
#define CHECK_ITEM(code_, part_, other_, prop_, item_)   \
	do {                                             \
		struct cfg_diag di_;                     \
		CHECK_DIAG(code_, part_, other_, prop_); \
		config_validate(&cfg, &di_);             \
		EXPECT_EQ(di_.item, item_);              \
	} while (0)

#endif /* CFG_FIXTURE_H */
