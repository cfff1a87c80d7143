# Xilinx ZCU102 (Zynq UltraScale+ MPSoC), four Cortex-A53s, GIC-400, and
# QEMU's xlnx-zcu102 model of it. Booting: docs/boards/zcu102.md.
HV_LOAD_ADDR := 0x200000
BOARD_DTS := boards/zcu102/board.dts
BOARD_SRCS := core/drivers/uart_cdns.c
GIC_SRCS := arch/arm64/gicv2.c arch/arm64/gicv2_sr.c arch/arm64/gicv2_lr.c \
	arch/arm64/gicv2_fast.S
QEMU_MACHINE := xlnx-zcu102,virtualization=on
# QEMU gives its NICs to GEM0, GEM1, ... in order, so GEM3, the board's
# Ethernet port (the demo's Linux uses it), is the fourth: a user-mode
# network (gateway 10.0.2.2). GEM0-2 are not wired on the ZCU102; they get
# user-mode networks of their own only because QEMU warns about a NIC left
# unconnected.
# The model has a DisplayPort with audio: -audio none keeps QEMU from
# opening the host's sound card (ALSA errors on a host without one).
QEMU_ARGS := -M $(QEMU_MACHINE) -m 2G \
	-display none -monitor none -serial stdio -audio none \
	-nic user -nic user -nic user -nic user
# No native runs: QEMU makes no device tree for this machine, and the test
# guests need one.
NATIVE_QEMU_ARGS :=
# make sdcard: what Bulkhead owns of the card (docs/boards/zcu102.md).
SDCARD_MK := tools/zcu102/sdcard.mk
