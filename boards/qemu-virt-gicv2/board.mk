# QEMU virt with virtualization extensions and a GICv2, four Cortex-A53s.
GIC_VERSION := 2
BOARD_DTS := boards/qemu-virt/board-gicv2.dts
include boards/qemu-virt/virt.mk
