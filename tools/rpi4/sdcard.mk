# The Raspberry Pi 4's SD card and its boot under QEMU's raspi4b
# (docs/boards/rpi4.md). Included by tools/sdcard/sdcard.mk for BOARD=rpi4.
#
#   make sdcard BOARD=rpi4      $(OUT)/sdcard.img
#   make print-sdcard-qemu      QEMU arguments that boot it as on the board

RPI4_FW := build/rpi4/firmware
RPI4_FW_FILES := $(addprefix $(RPI4_FW)/,bl31.bin u-boot.bin start4.elf \
	fixup4.dat bcm2711-rpi-4-b.dtb)
# Where the QEMU boot puts the device tree, as the firmware would: in the
# first GiB, clear of U-Boot at its top and of the FIT at 256 MiB.
RPI4_QEMU_DTB_ADDR := 0x2e000000

$(RPI4_FW_FILES) &: tools/rpi4/fetch.sh tools/linux/fetch.sh
	$(Q)sh tools/rpi4/fetch.sh $(RPI4_FW)

$(OUT)/sdcard/boot.scr: tools/rpi4/boot.cmd tools/rpi4/sdcard.mk
	@mkdir -p $(dir $@)
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "Bulkhead boot" \
		-d $< $@.tmp > /dev/null
	$(Q)mv $@.tmp $@

# Debian's U-Boot for the Pi has no FIT support: a legacy uImage, whose
# CRC32 bootm checks, is what boot.scr boots. Compressed with gzip (the
# kernel inside compresses to a third), because reading the card is the
# slowest part of the boot under QEMU, about 300 KiB/s; bootm unpacks it
# to the load address.
$(OUT)/sdcard/bulkhead.uimg: $(OUT)/bulkhead.bin tools/rpi4/sdcard.mk
	@mkdir -p $(dir $@)
	$(Q)gzip -6 -n -c $< > $(OUT)/sdcard/bulkhead.bin.gz
	$(Q)mkimage -A arm64 -O linux -T kernel -C gzip -a $(HV_LOAD_ADDR) \
		-e $(HV_LOAD_ADDR) -n "Bulkhead $(BOARD) $(CONFIG_NAME)" \
		-d $(OUT)/sdcard/bulkhead.bin.gz $@.tmp > /dev/null
	$(Q)rm -f $(OUT)/sdcard/bulkhead.bin.gz
	$(Q)mv $@.tmp $@

SDCARD_FILES := $(RPI4_FW_FILES) tools/rpi4/config.txt \
	$(OUT)/sdcard/boot.scr $(OUT)/sdcard/bulkhead.uimg

# QEMU's raspi4b has no VideoCore firmware: tools/rpi4/qemu-vcfw.sh does
# its part. TF-A at 0 starts every core and U-Boot (loaded at 0x80000) on
# the first, which boots the card like on the board.
$(OUT)/qemu-vcfw/bl31.bin $(OUT)/qemu-vcfw/board.dtb &: $(RPI4_FW_FILES) \
		tools/rpi4/qemu-vcfw.sh
	$(Q)sh tools/rpi4/qemu-vcfw.sh $(RPI4_FW)/bl31.bin \
		$(RPI4_FW)/bcm2711-rpi-4-b.dtb $(RPI4_QEMU_DTB_ADDR) $(OUT)/qemu-vcfw

sdcard-qemu: $(OUT)/sdcard.img $(OUT)/qemu-vcfw/bl31.bin

SDCARD_QEMU_ARGS = -M raspi4b -display none -monitor none -serial stdio \
	-device loader,file=$(OUT)/qemu-vcfw/bl31.bin,addr=0x0,cpu-num=0 \
	-device loader,file=$(RPI4_FW)/u-boot.bin,addr=0x80000 \
	-device loader,file=$(OUT)/qemu-vcfw/board.dtb,addr=$(RPI4_QEMU_DTB_ADDR) \
	-drive if=sd,format=raw,snapshot=on,file=$(OUT)/sdcard.img
