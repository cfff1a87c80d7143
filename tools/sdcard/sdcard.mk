# SD-card images for boards that boot from one (docs/boards/).
# Included from the top-level Makefile, after tools/fit/fit.mk.
#
#   make sdcard            $(OUT)/sdcard.img: MBR, one FAT32 partition
#                          holding $(SDCARD_FILES)
#   make sdcard-qemu       that and whatever QEMU's boot of it needs
#   make print-sdcard-qemu the QEMU arguments of that boot (tests/run/)
#   make run-sdcard        boot it in QEMU
#
# A board's board.mk names its rules in SDCARD_MK; they set SDCARD_FILES
# and, where QEMU models the board, SDCARD_QEMU_ARGS.

.PHONY: sdcard sdcard-qemu print-sdcard-qemu run-sdcard

ifneq ($(SDCARD_MK),)
include $(SDCARD_MK)

sdcard: $(OUT)/sdcard.img

# The smallest power of two (QEMU's rule for SD cards) of at least 64 MiB
# (FAT32's smallest) that holds the files with 8 MiB to spare.
$(OUT)/sdcard.img: $(SDCARD_FILES) tools/sdcard/mkimg.sh
	$(Q)kib=$$(du -cLk $(SDCARD_FILES) | tail -n 1 | cut -f 1); \
	size=64; while [ $$((size * 1024)) -lt $$((kib + 9 * 1024)) ]; do \
		size=$$((size * 2)); done; \
	sh tools/sdcard/mkimg.sh $@ $$size BULKHEAD $(SDCARD_FILES)
	@echo "  SDCARD  $@ ($$(($$(stat -c %s $@) / 1048576)) MiB)"

print-sdcard-qemu:
	@echo $(or $(SDCARD_QEMU_ARGS),$(error $@: BOARD=$(BOARD)'s SD card is not booted in QEMU; see docs/boards/))

run-sdcard: deps sdcard-qemu
	$(RUN_KEYS)
	@qemu-system-aarch64 $(call RUN_TTY,$(SDCARD_QEMU_ARGS))
else
sdcard sdcard-qemu print-sdcard-qemu run-sdcard:
	$(error $@: BOARD=$(BOARD) has no SD card; see docs/boards/)
endif
