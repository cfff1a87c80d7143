# Booting Bulkhead from U-Boot with a FIT image (docs/boot.md).
# Included from the top-level Makefile, after the hypervisor rules.
#
#   make fit               $(OUT)/bulkhead.itb   FIT image of bulkhead.bin
#                          $(OUT)/bootdisk.img   FAT disk holding it
#                          $(OUT)/uboot-env.img  U-Boot environment (pflash 1)
#   make print-uboot-qemu  the QEMU arguments of that boot
#   make run-uboot         boot it: U-Boot loads the FIT from the disk, bootm

# Debian's u-boot-qemu (tools/setup.sh installs it).
UBOOT_QEMU_BIN ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
# Where U-Boot loads the FIT: clear of the hypervisor (RAM base + 2 MiB),
# below U-Boot itself, which relocates to the top of RAM (1 GiB on QEMU).
UBOOT_FIT_ADDR ?= 0x60000000
# U-Boot's environment size on qemu_arm64 (CONFIG_ENV_SIZE) and the size of
# QEMU virt's second flash bank, which holds it at offset 0.
UBOOT_ENV_SIZE := 0x40000
UBOOT_PFLASH_SIZE := 64M

FIT_FILES := $(OUT)/bulkhead.itb $(OUT)/bootdisk.img $(OUT)/uboot-env.img
MTOOLS := MTOOLS_SKIP_CHECK=1

.PHONY: fit print-uboot-qemu run-uboot

fit: $(FIT_FILES)

# The FIT source: bulkhead.its.in with this build's values. It sits next to
# bulkhead.bin, which its /incbin/ names relative to itself.
$(OUT)/bulkhead.its: tools/fit/bulkhead.its.in boards/$(BOARD)/board.mk tools/fit/fit.mk
	@mkdir -p $(dir $@)
	$(Q)load=$$(printf '0x%x 0x%x' $$(($(HV_LOAD_ADDR) >> 32)) \
		$$(($(HV_LOAD_ADDR) & 0xffffffff))) && \
	sed -e 's|@BOARD@|$(BOARD)|g' -e 's|@CONFIG@|$(CONFIG_NAME)|g' \
		-e "s|@LOAD_ADDR@|$$load|g" $< > $@.tmp
	$(Q)mv $@.tmp $@

$(OUT)/bulkhead.itb: $(OUT)/bulkhead.its $(OUT)/bulkhead.bin
	$(Q)mkimage -f $< $@.tmp > /dev/null
	$(Q)mv $@.tmp $@
	@echo "  FIT     $@ ($$(stat -c %s $@) bytes)"

# A FAT file system on the whole disk (no partition table), as on an SD
# card's boot partition, with 1 MiB to spare over the FIT.
$(OUT)/bootdisk.img: $(OUT)/bulkhead.itb
	$(Q)rm -f $@.tmp
	$(Q)truncate -s $$(( $$(stat -c %s $<) / 1048576 + 2 ))M $@.tmp
	$(Q)$(MTOOLS) mformat -i $@.tmp -N 0 -v BULKHEAD ::
	$(Q)$(MTOOLS) mcopy -i $@.tmp $< ::bulkhead.itb
	$(Q)mv $@.tmp $@

$(OUT)/uboot-env.img: tools/fit/uboot-env.txt tools/fit/fit.mk
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@FIT_ADDR@|$(UBOOT_FIT_ADDR)|g' $< > $(OUT)/uboot-env.txt
	$(Q)mkenvimage -s $(UBOOT_ENV_SIZE) -o $@.tmp $(OUT)/uboot-env.txt
	$(Q)truncate -s $(UBOOT_PFLASH_SIZE) $@.tmp
	$(Q)mv $@.tmp $@

# Read-only drives: U-Boot never writes them here, and parallel runs of the
# same build can share the files.
UBOOT_QEMU_ARGS = $(QEMU_ARGS) -bios $(UBOOT_QEMU_BIN) \
	-drive if=pflash,index=1,format=raw,readonly=on,file=$(OUT)/uboot-env.img \
	-drive if=none,id=bootdisk,format=raw,readonly=on,file=$(OUT)/bootdisk.img \
	-device virtio-blk-device,drive=bootdisk

# Debian's qemu_arm64 U-Boot is built for QEMU's virt machine only.
UBOOT_QEMU_CHECK = $(if $(filter virt%,$(QEMU_MACHINE)),,$(error \
	$@: U-Boot boot is set up for QEMU virt boards, not $(BOARD)))

# Used by tests/run/systest.py for "boot: uboot" tests.
print-uboot-qemu:
	$(UBOOT_QEMU_CHECK)
	@echo $(UBOOT_QEMU_ARGS)

run-uboot: deps fit $(RUN_DEPS)
	$(UBOOT_QEMU_CHECK)
	$(RUN_KEYS)
	@qemu-system-aarch64 $(call RUN_TTY,$(UBOOT_QEMU_ARGS)) $(RUN_QEMU_ARGS)
