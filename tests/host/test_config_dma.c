/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for core/config_dma.c: the board's SMMU and the DMA
 * fields of its devices, and the per-partition trust rule (bus masters
 * behind the SMMU or the partition dma-unprotected), PCIe host bridges
 * and StreamIDs. One negative test per rule, each checking the code and
 * where the diagnostic points.
 */
#include <string.h>

#include "hv/config.h"
#include "hv/config_validate.h"

#include "cfg_fixture.h"
#include "harness.h"

/* Board device indices in the fixture (make_board() order, then ours). */
#define DEV_PL031 0
#define DEV_VIRTIO0 2
#define DEV_VIRTIO1 3
#define DEV_FWCFG 4
#define DEV_PCIE 5

#define SMMU_BASE 0x09050000ULL
#define SMMU_EVTQ 106u
#define SMMU_GERROR 109u
#define ECAM_BASE 0x4010000000ULL
#define ECAM_SIZE 0x10000000ULL
#define PCI_MEM 0x10000000ULL
#define PCI_MEM_SIZE 0x2eff0000ULL
#define PCI_IO 0x3eff0000ULL
#define PCI_IO_SIZE 0x10000ULL

/*
 * valid() plus what QEMU virt with iommu=smmuv3 has: the SMMU, the PCIe
 * host bridge behind it (StreamIDs 0..0xffff), the virtio-mmio slots and
 * fw-cfg as bus masters with no SMMU; beta, which owns a virtio page, is
 * dma-unprotected.
 */
static struct hv_config *valid_dma(void)
{
	struct hv_board_desc *b = &cfg.board;
	struct hv_board_device *pci;

	valid();
	b->smmu_count = 1;
	b->smmus[0].base = SMMU_BASE;
	b->smmus[0].size = 0x20000;
	b->smmus[0].evtq_irq = SMMU_EVTQ;
	b->smmus[0].gerror_irq = SMMU_GERROR;
	b->devices[DEV_VIRTIO0].flags = HV_DEV_BUS_MASTER;
	b->devices[DEV_VIRTIO1].flags = HV_DEV_BUS_MASTER;
	b->devices[DEV_FWCFG].flags = HV_DEV_BUS_MASTER;
	add_board_dev(b, "pcie@10000000", ECAM_BASE, ECAM_SIZE, 35);
	pci = &b->devices[DEV_PCIE];
	pci->flags = HV_DEV_BUS_MASTER | HV_DEV_PCI_HOST;
	pci->reg_count = 3;
	pci->regs[1] = (struct hv_region){ PCI_MEM, PCI_MEM_SIZE };
	pci->regs[2] = (struct hv_region){ PCI_IO, PCI_IO_SIZE };
	pci->irq_count = 4;
	for (uint32_t k = 0; k < 4; k++) {
		pci->irqs[k] = 35 + k; /* SPIs 3..6 */
	}
	pci->smmu = 0;
	pci->sid_first = 0;
	pci->sid_count = 0x10000;
	beta()->flags |= HV_PART_DMA_UNPROTECTED;
	return &cfg;
}

/* Sets device range @i of @p to @pa+@size at IPA = PA, no interrupts. */
static void set_window(struct hv_partition_cfg *p, int i, uint64_t pa,
		       uint64_t size)
{
	set_dev(&p->devices[i], "pcie@10000000", pa, 0, 0);
	p->devices[i].size = size;
	p->devices[i].irq_count = 0;
}

/* valid_dma(), with alpha given the PCIe host bridge as bhcfg gives it. */
static struct hv_config *alpha_pci(void)
{
	struct hv_partition_cfg *a = alpha();

	valid_dma();
	a->device_count = 4; /* the PL061, then the bridge's three */
	set_window(a, 1, PCI_MEM, PCI_MEM_SIZE);
	a->devices[1].irq_count = 4;
	for (uint32_t k = 0; k < 4; k++) {
		a->devices[1].irqs[k] = 35 + k;
	}
	set_window(a, 2, PCI_IO, PCI_IO_SIZE);
	set_window(a, 3, ECAM_BASE, ECAM_SIZE);
	a->sid_count = 1;
	a->sids[0] = (struct hv_sid_range){ 0, 0, 0x10000 };
	return &cfg;
}

TEST(cfg_dma, valid_configurations)
{
	valid_dma();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	alpha_pci();
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	/* Ownership is by page: beta's page holds both virtio slots. */
	EXPECT_TRUE(cfg_part_has_dev(beta(), &cfg.board.devices[DEV_VIRTIO1]));
	EXPECT_TRUE(!cfg_part_has_dev(beta(), &cfg.board.devices[DEV_PCIE]));
	EXPECT_TRUE(cfg_part_has_dev(alpha(), &cfg.board.devices[DEV_PCIE]));
}

TEST(cfg_dma, board_smmu_registers)
{
	valid_dma();
	cfg.board.smmu_count = HV_MAX_SMMUS + 1;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu", -1);
	valid_dma();
	cfg.board.smmus[0].size = 0;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = SMMU_BASE + SZ_4K; /* not 64 KiB aligned */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = 0x40000000ULL; /* RAM */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = 0x08000000ULL; /* GICD */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = 0x09000000ULL; /* the UART */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = 0x09010000ULL; /* the PL031's page */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = 0x0a000000ULL; /* the virtio page */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
	valid_dma();
	cfg.board.smmus[0].base = UINT64_MAX - 0xffff; /* wraps */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/reg", 0);
}

TEST(cfg_dma, board_smmu_interrupts)
{
	valid_dma();
	cfg.board.smmus[0].evtq_irq = 33; /* the UART's */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/interrupts", 0);
	valid_dma();
	cfg.board.smmus[0].gerror_irq = 48; /* a virtio slot's */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/interrupts", 0);
	valid_dma();
	cfg.board.smmus[0].evtq_irq = 27; /* a PPI */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/interrupts", 0);
	valid_dma();
	cfg.board.smmus[0].gerror_irq = SMMU_EVTQ;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "smmu/interrupts", 0);
}

TEST(cfg_dma, board_device_dma_fields)
{
	struct hv_board_device *pci = &cfg.board.devices[DEV_PCIE];
	struct hv_board_device *v0 = &cfg.board.devices[DEV_VIRTIO0];

	valid_dma();
	v0->flags |= 1u << 7; /* unknown */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_VIRTIO0);
	valid_dma();
	v0->sid_count = 1; /* StreamIDs without an SMMU */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_VIRTIO0);
	valid_dma();
	v0->flags = 0; /* StreamIDs, but no bus master */
	v0->smmu = 0;
	v0->sid_first = 0x10;
	v0->sid_count = 1;
	pci->sid_first = 0x100;
	pci->sid_count = 0x100;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_VIRTIO0);
	v0->flags = HV_DEV_BUS_MASTER; /* now it may have them */
	beta()->sid_count = 1;
	beta()->sids[0] = (struct hv_sid_range){ 0, 0x10, 1 };
	beta()->flags &= ~HV_PART_DMA_UNPROTECTED; /* virtio 1 has none */
	CHECK_ITEM(CFG_E_DMA_UNPROTECTED, 1, -1, "devices", DEV_VIRTIO1);
	beta()->flags |= HV_PART_DMA_UNPROTECTED;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
	valid_dma();
	pci->flags = HV_DEV_PCI_HOST; /* a bridge that is no bus master */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->smmu = 1; /* no such SMMU */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->sid_count = 0;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->sid_first = 1; /* 1 + 0x10000 > HV_SMMU_SID_LIMIT */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->sid_first = 0xfffffff0u; /* wraps */
	pci->sid_count = 0x20;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	/* Two devices' StreamIDs overlap on one SMMU. */
	valid_dma();
	v0->smmu = 0;
	v0->sid_first = 0xfff0;
	v0->sid_count = 1;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
}

TEST(cfg_dma, board_pci_host_shape)
{
	struct hv_board_device *pci = &cfg.board.devices[DEV_PCIE];

	valid_dma();
	pci->reg_count = 2;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->irq_count = 3;
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->regs[0].size = ECAM_SIZE + 0x100000; /* 257 buses */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->regs[0].size = 0x80000; /* half a bus */
	CHECK_ITEM(CFG_E_BOARD, -1, -1, "devices", DEV_PCIE);
	valid_dma();
	pci->regs[0].size = 0x100000; /* one bus: fine */
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg_dma, smmu_never_given_to_a_partition)
{
	/* Its registers: refused as the SMMU's, not just as no device. */
	valid_dma();
	set_dev(&alpha()->devices[0], "smmu", SMMU_BASE, 0, 0);
	alpha()->devices[0].irq_count = 0;
	CHECK_ITEM(CFG_E_SMMU_OWNED, 0, -1, "devices", 0);
	valid_dma();
	alpha()->devices[0].irqs[0] = SMMU_EVTQ;
	CHECK_ITEM(CFG_E_SMMU_OWNED, 0, -1, "devices", 0);
	valid_dma();
	alpha()->devices[0].irqs[0] = SMMU_GERROR;
	CHECK_ITEM(CFG_E_SMMU_OWNED, 0, -1, "devices", 0);
}

TEST(cfg_dma, bus_master_without_smmu_needs_dma_unprotected)
{
	valid_dma();
	beta()->flags &= ~HV_PART_DMA_UNPROTECTED;
	CHECK_ITEM(CFG_E_DMA_UNPROTECTED, 1, -1, "devices", DEV_VIRTIO0);
	/* fw-cfg's page, named by nobody else. */
	valid_dma();
	set_dev(&alpha()->devices[0], "fw-cfg@9020000", 0x09020000ULL, 0, 0);
	alpha()->devices[0].irq_count = 0;
	CHECK_ITEM(CFG_E_DMA_UNPROTECTED, 0, -1, "devices", DEV_FWCFG);
	alpha()->flags |= HV_PART_DMA_UNPROTECTED;
	EXPECT_EQ(config_validate(&cfg, NULL), CFG_OK);
}

TEST(cfg_dma, stale_dma_unprotected_refused)
{
	valid_dma();
	alpha()->flags |= HV_PART_DMA_UNPROTECTED; /* it has a PL061 only */
	CHECK_ITEM(CFG_E_DMA_STALE, 0, -1, "dma-unprotected", -1);
	/* A bus master behind the SMMU does not need it either. */
	alpha_pci();
	alpha()->flags |= HV_PART_DMA_UNPROTECTED;
	CHECK_ITEM(CFG_E_DMA_STALE, 0, -1, "dma-unprotected", -1);
}

TEST(cfg_dma, pci_host_given_whole_identity_mapped)
{
	alpha_pci();
	alpha()->device_count = 3; /* no ECAM */
	CHECK_ITEM(CFG_E_PCI_HOST, 0, -1, "devices", DEV_PCIE);
	alpha_pci();
	alpha()->devices[2].size = SZ_4K; /* part of the I/O window */
	CHECK_ITEM(CFG_E_PCI_HOST, 0, -1, "devices", DEV_PCIE);
	alpha_pci();
	alpha()->devices[3].ipa = 0x8000000000ULL; /* ECAM elsewhere */
	CHECK_ITEM(CFG_E_PCI_HOST, 0, -1, "devices", DEV_PCIE);
	/* Its windows collide with guest RAM: the IPA layout rule. */
	alpha_pci();
	alpha()->ram_ipa = 0x20000000ULL;
	CHECK_ITEM(CFG_E_IPA_OVERLAP, 0, -1, "devices", 1);
}

TEST(cfg_dma, stream_ids_well_formed)
{
	alpha_pci();
	alpha()->sid_count = HV_MAX_PART_SIDS + 1;
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", -1);
	alpha_pci();
	alpha()->sids[0].smmu = 1; /* no such SMMU */
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", 0);
	alpha_pci();
	alpha()->sids[0].count = 0;
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", 0);
	alpha_pci();
	alpha()->sids[0].first = HV_SMMU_SID_LIMIT; /* beyond the table */
	alpha()->sids[0].count = 1;
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", 0);
	alpha_pci();
	alpha()->sids[0].first = 0xfffffff0u; /* wraps */
	alpha()->sids[0].count = 0x20;
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", 0);
}

TEST(cfg_dma, stream_ids_exactly_the_bus_masters)
{
	/* A sub-range of the bridge's StreamIDs. */
	alpha_pci();
	alpha()->sids[0].count = 0x100;
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", 0);
	/* StreamIDs of a device the partition does not have. */
	valid_dma();
	alpha()->sid_count = 1;
	alpha()->sids[0] = (struct hv_sid_range){ 0, 0, 0x10000 };
	CHECK_ITEM(CFG_E_SID, 0, -1, "devices", 0);
	/* The bridge, without its StreamIDs. */
	alpha_pci();
	alpha()->sid_count = 0;
	CHECK_ITEM(CFG_E_SID_MISSING, 0, -1, "devices", DEV_PCIE);
}

TEST(cfg_dma, stream_ids_have_one_owner)
{
	alpha_pci();
	beta()->sid_count = 1;
	beta()->sids[0] = (struct hv_sid_range){ 0, 0x100, 0x10 };
	CHECK_ITEM(CFG_E_SID_TWO_OWNERS, 1, 0, "devices", 0);
	/* On another SMMU they would not collide (but there is none). */
	beta()->sids[0].smmu = 1;
	CHECK_ITEM(CFG_E_SID, 1, -1, "devices", 0);
	/* Twice in one partition. */
	alpha_pci();
	alpha()->sid_count = 2;
	alpha()->sids[1] = (struct hv_sid_range){ 0, 0xff00, 1 };
	CHECK_ITEM(CFG_E_SID_TWO_OWNERS, 0, 0, "devices", 1);
}
