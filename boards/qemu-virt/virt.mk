# Shared by the QEMU virt boards (qemu-virt: GICv3, qemu-virt-gicv2): set
# GIC_VERSION and BOARD_DTS, then include this.
HV_LOAD_ADDR := 0x40200000
BOARD_SRCS := core/drivers/uart_pl011.c
GIC_SRCS := arch/arm64/gicv$(GIC_VERSION).c arch/arm64/gicv$(GIC_VERSION)_sr.c \
	arch/arm64/gicv$(GIC_VERSION)_lr.c arch/arm64/gicv$(GIC_VERSION)_fast.S
# An SMMUv3 in front of the PCIe root bus, with stage 2 (QEMU 8.1 and
# later; the default is stage 1): Bulkhead translates every PCIe device's
# DMA with its owner's stage 2 (docs/traps.md, "Trust boundaries").
QEMU_MACHINE := virt,virtualization=on,gic-version=$(GIC_VERSION),iommu=smmuv3
# -nic none: QEMU's virt machine otherwise adds a virtio-net-pci NIC of its
# own, which bypasses the SMMU (below) and, once the PCIe bridge is given
# to a partition, would let it DMA to physical addresses.
QEMU_ARGS := -M $(QEMU_MACHINE) -global arm-smmuv3.stage=2 \
	-cpu cortex-a53 -smp 4 -m 1G -nic none \
	-display none -monitor none -serial stdio
NATIVE_QEMU_ARGS := -M virt,gic-version=$(GIC_VERSION) -cpu cortex-a53 -smp 2 -m 256M \
	-nic none -display none -monitor none -serial stdio
# QEMU lets a virtio PCI device bypass the IOMMU unless it offers
# VIRTIO_F_ACCESS_PLATFORM (iommu_platform=on, modern only); real PCIe
# devices always go through it. Every virtio PCI device we attach sets it.
VIRTIO_PCI_SMMU := disable-legacy=on,iommu_platform=on
# make run: the demo's Linux partition gets a data disk (virtio-blk on
# PCIe, behind the SMMU).
RUN_DEPS := build/demo-disk.img
RUN_QEMU_ARGS := -drive if=none,id=demodisk,format=raw,file=build/demo-disk.img \
	-device virtio-blk-pci,drive=demodisk,$(VIRTIO_PCI_SMMU)
