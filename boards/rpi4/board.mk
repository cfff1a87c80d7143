# Raspberry Pi 4 Model B (BCM2711), four Cortex-A72s, GIC-400, PL011
# console. Booted in CI from its SD-card image on QEMU's raspi4b, with
# TF-A and U-Boot (make run-sdcard). Flashing and booting:
# docs/boards/rpi4.md.
HV_LOAD_ADDR := 0x200000
BOARD_DTS := boards/rpi4/board.dts
BOARD_SRCS := core/drivers/uart_pl011.c
GIC_SRCS := arch/arm64/gicv2.c arch/arm64/gicv2_sr.c arch/arm64/gicv2_lr.c \
	arch/arm64/gicv2_fast.S
# Expanded only by targets that start QEMU (make run, print-qemu). The
# raspi4b has no PSCI without TF-A, so QEMU boots the SD card instead.
QEMU_ARGS = $(error BOARD=rpi4 boots in QEMU from its SD card: make run-sdcard BOARD=rpi4; see docs/boards/rpi4.md)
NATIVE_QEMU_ARGS = $(QEMU_ARGS)
# make sdcard: the card's files and its boot under QEMU's raspi4b.
SDCARD_MK := tools/rpi4/sdcard.mk
