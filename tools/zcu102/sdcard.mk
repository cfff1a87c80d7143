# The ZCU102's SD card (docs/boards/zcu102.md). Included by
# tools/sdcard/sdcard.mk for BOARD=zcu102.
#
#   make sdcard BOARD=zcu102    $(OUT)/sdcard.img with everything Bulkhead
#                               owns: boot.scr and bulkhead.itb. BOOT.BIN
#                               (FSBL, PMU firmware, TF-A, U-Boot) is not
#                               in Debian; the user adds it.

$(OUT)/sdcard/boot.scr: tools/zcu102/boot.cmd tools/zcu102/sdcard.mk
	@mkdir -p $(dir $@)
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "Bulkhead boot" \
		-d $< $@.tmp > /dev/null
	$(Q)mv $@.tmp $@

SDCARD_FILES := $(OUT)/sdcard/boot.scr $(OUT)/bulkhead.itb \
	tools/zcu102/README.txt

# QEMU's xlnx-zcu102 is booted with -kernel (make run): Debian has no
# ZynqMP U-Boot or TF-A to boot the card with.
SDCARD_QEMU_ARGS :=
