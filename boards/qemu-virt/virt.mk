# Shared by the QEMU virt boards (qemu-virt: GICv3, qemu-virt-gicv2): set
# GIC_VERSION and BOARD_DTS, then include this.
HV_LOAD_ADDR := 0x40200000
BOARD_SRCS := core/drivers/uart_pl011.c
GIC_SRCS := arch/arm64/gicv$(GIC_VERSION).c arch/arm64/gicv$(GIC_VERSION)_sr.c \
	arch/arm64/gicv$(GIC_VERSION)_lr.c arch/arm64/gicv$(GIC_VERSION)_fast.S
# The SMMUv3 in front of the PCIe root bus, stage 2 only (the hypervisor
# owns it: arch/arm64/smmuv3.c).
QEMU_MACHINE := virt,virtualization=on,gic-version=$(GIC_VERSION),iommu=smmuv3
QEMU_ARGS := -M $(QEMU_MACHINE) -global arm-smmuv3.stage=2 -cpu cortex-a53 \
	-smp 4 -m 1G -display none -monitor none -serial stdio
NATIVE_QEMU_ARGS := -M virt,gic-version=$(GIC_VERSION) -cpu cortex-a53 -smp 2 -m 256M \
	-display none -monitor none -serial stdio
# make run: the demo's Linux partition gets a data disk (virtio-blk).
RUN_DEPS := build/demo-disk.img
RUN_QEMU_ARGS := -drive if=none,id=demodisk,format=raw,file=build/demo-disk.img \
	-device virtio-blk-device,drive=demodisk
