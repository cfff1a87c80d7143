# SPDX-License-Identifier: MIT
# Keel, the project's own RTOS payload (payloads/keel/README.md).
# Included by the top-level Makefile; uses its TCC, TARGET_CFLAGS, OBJCOPY,
# CROSS and Q. One binary for every board: it reads the device tree.
#
# Built as a static PIE linked at 0 (-fpie overrides TARGET_CFLAGS'
# -fno-pie); start.S applies the R_AARCH64_RELATIVE relocations, and the
# link fails if any other kind is left.

# Included before the Makefile's first target: these rules must not become
# its default goal, so the goal in force here is put back at the end.
KEEL_SAVED_GOAL := $(.DEFAULT_GOAL)

KEEL_DIR := payloads/keel
KEEL_OUT := build/payloads
KEEL_SRCS := $(KEEL_DIR)/start.S $(KEEL_DIR)/kernel.c $(KEEL_DIR)/sync.c \
	$(KEEL_DIR)/gic.c $(KEEL_DIR)/board.c $(KEEL_DIR)/console.c \
	$(KEEL_DIR)/chan.c $(KEEL_DIR)/demo.c $(KEEL_DIR)/watchdog.c
KEEL_DEPS := $(KEEL_SRCS) $(KEEL_DIR)/keel.h $(KEEL_DIR)/internal.h \
	$(KEEL_DIR)/demo_chan.h \
	$(KEEL_DIR)/keel.ld $(KEEL_DIR)/keel.mk
KEEL_CFLAGS := $(TARGET_CFLAGS) -fpie -I$(KEEL_DIR)
KEEL_LDFLAGS := -nostdlib -static-pie -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments -Wl,-T,$(KEEL_DIR)/keel.ld

$(KEEL_OUT)/keel.elf: $(KEEL_DEPS)
	@mkdir -p $(dir $@)
	@echo "  KEEL    $@"
	$(Q)$(TCC) $(KEEL_CFLAGS) $(KEEL_LDFLAGS) $(KEEL_SRCS) -lgcc -o $@.tmp
	$(Q)if $(CROSS)readelf -rW $@.tmp | grep '^[0-9a-f]' | \
		grep -v R_AARCH64_RELATIVE; then \
		echo "$@: relocations start.S cannot apply" >&2; \
		rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

$(KEEL_OUT)/keel.bin: $(KEEL_OUT)/keel.elf
	$(Q)$(OBJCOPY) -O binary $< $@

PAYLOADS += $(KEEL_OUT)/keel.bin

.DEFAULT_GOAL := $(KEEL_SAVED_GOAL)
