# QEMU virt with virtualization extensions and a GICv2, four Cortex-A53s.
HV_LOAD_ADDR := 0x40200000
BOARD_DTS := boards/qemu-virt/board-gicv2.dts
BOARD_SRCS := core/drivers/uart_pl011.c
GIC_SRCS := arch/arm64/gicv2.c arch/arm64/gicv2_sr.c arch/arm64/gicv2_lr.c
QEMU_MACHINE := virt,virtualization=on,gic-version=2
QEMU_ARGS := -M $(QEMU_MACHINE) -cpu cortex-a53 -smp 4 -m 1G \
	-display none -monitor none -serial stdio
NATIVE_QEMU_ARGS := -M virt,gic-version=2 -cpu cortex-a53 -smp 2 -m 256M \
	-display none -monitor none -serial stdio
# make run: the demo's Linux partition gets a data disk (virtio-blk).
RUN_DEPS := build/demo-disk.img
RUN_QEMU_ARGS := -drive if=none,id=demodisk,format=raw,file=build/demo-disk.img \
	-device virtio-blk-device,drive=demodisk
