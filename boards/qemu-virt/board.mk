# QEMU virt with virtualization extensions, GICv3, four Cortex-A53 cores.
GIC_VERSION := 3
BOARD_DTS := boards/qemu-virt/board.dts
include boards/qemu-virt/virt.mk
