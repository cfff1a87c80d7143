# Bulkhead: ARM64 static-partitioning hypervisor.
#
#   make                 build the hypervisor for BOARD and CONFIG
#   make run             boot the demo in QEMU
#   make layout          a picture (SVG) and a text table of the system
#   make debug, make gdb QEMU halted with its gdb stub; gdb attached to it
#   make test            install what is missing, run every test
#   make test-host       host unit tests (ASan/UBSan)
#   make test-cfg        configuration tool negative tests
#   make test-qemu       system tests, one fresh QEMU boot each
#   make test-docs       the claims in README.md and docs/ a script can check
#   make test-fuzz       build the libFuzzer targets, run each on its seeds
#   make check           static analysis: headers, -Wconversion, clang,
#                        clang-tidy, cppcheck (zero findings)
#   make fuzz            long fuzzing: libFuzzer targets (FUZZ_SECONDS each)
#                        and the fuzzing guest's long run in QEMU
#   make mutants         break isolation rules one at a time (tests/mutants/),
#                        check the tests catch each (MUTANTS="M1 M6" for some)
#
# BOARD names boards/<board>; CONFIG is a name in configs/<board>/ or a
# path to a .dts file. Output goes to build/<board>/<config>/.

.DEFAULT_GOAL := all
BOARD ?= qemu-virt
CONFIG ?= demo
V ?= 0

include boards/$(BOARD)/board.mk

ifeq ($(suffix $(CONFIG)),.dts)
CONFIG_DTS := $(CONFIG)
else
CONFIG_DTS := configs/$(BOARD)/$(CONFIG).dts
endif
CONFIG_NAME := $(basename $(notdir $(CONFIG_DTS)))
OUT := build/$(BOARD)/$(CONFIG_NAME)$(if $(filter 1,$(SELFTEST)),-selftest)$(if $(filter 1,$(LOCK_WITNESS)),-witness)
# The hypervisor's objects depend on the board (and SELFTEST, LOCK_WITNESS), not on the
# system description: every configuration of a board links the same ones
# with its own generated tables (gen/config.c, gen/images.S).
OBJ := build/$(BOARD)/obj$(if $(filter 1,$(SELFTEST)),-selftest)$(if $(filter 1,$(LOCK_WITNESS)),-witness)

CROSS ?= aarch64-linux-gnu-
TCC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
HOSTCC ?= cc

Q := $(if $(filter 1,$(V)),,@)

GCC_INC := $(shell $(TCC) -print-file-name=include 2>/dev/null)
TARGET_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INC) \
	-fno-common -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns \
	-march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wshadow -Wvla -Wundef
HV_CFLAGS := $(TARGET_CFLAGS) -Icore/include -Iarch/arm64/include -I$(OBJ)/gen \
	$(if $(filter 1,$(SELFTEST)),-DHV_SELFTEST) \
	$(if $(filter 1,$(LOCK_WITNESS)),-DHV_LOCK_WITNESS)
HV_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack

HV_SRCS := arch/arm64/boot.S arch/arm64/vectors.S arch/arm64/cpu_asm.S \
	arch/arm64/cpu.c arch/arm64/mmu.c arch/arm64/trap.c \
	arch/arm64/sysreg_trap.c arch/arm64/sysreg_policy.c arch/arm64/smccc_fw.c \
	arch/arm64/regulate.c core/regulate.c \
	$(GIC_SRCS) \
	vgic/vgic.c vgic/vgic_regs.c vgic/vgic_dist.c vgic/vgic_redist.c \
	vgic/vgic_glue.c \
	core/main.c core/log.c core/panic.c core/psci.c core/vpl011.c \
	core/selftest.c core/console.c core/vwdt.c core/health.c core/pcie.c \
	core/config_validate.c core/config_channels.c core/config_dma.c core/colour.c \
	core/vpl061.c core/channel.c core/doorbell.c core/outring.c core/lib/fmt.c core/lib/string.c \
	core/lib/digest.c arch/arm64/smmuv3.c stage2/smmu_tbl.c \
	stage2/pt.c stage2/stage2.c partitions/partition.c $(BOARD_SRCS) \
	$(if $(filter 1,$(LOCK_WITNESS)),core/lock_witness.c)
HV_OBJS := $(patsubst %,$(OBJ)/%.o,$(HV_SRCS)) \
	$(OUT)/obj/gen/config.c.o $(OUT)/obj/gen/images.S.o

# Host tools and tests.
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
BHCFG := build/tools/bhcfg
BHCFG_SAN := build/tools/bhcfg-san
BHCFG_SRCS := $(wildcard tools/bhcfg/*.c) core/config_validate.c \
	core/config_channels.c core/config_dma.c core/colour.c \
	stage2/pt.c stage2/stage2.c
HOST_TEST_SRCS := tests/host/harness.c $(wildcard tests/host/test_*.c) \
	tests/host/fakes/vgic_hw_fake.c tests/host/cfg_fixture.c \
	stage2/pt.c stage2/stage2.c stage2/smmu_tbl.c core/lib/digest.c \
	core/config_validate.c core/config_channels.c core/config_dma.c core/colour.c \
	core/regulate.c core/vpl011.c core/vpl061.c core/vwdt.c core/doorbell.c core/outring.c \
	core/lib/fmt.c vgic/vgic.c vgic/vgic_regs.c vgic/vgic_dist.c \
	vgic/vgic_redist.c arch/arm64/gicv3_lr.c arch/arm64/gicv2_lr.c \
	arch/arm64/sysreg_policy.c

# Guest payloads used by the tests.
GUEST_DIR := build/guests
GUEST_CFLAGS := $(TARGET_CFLAGS) -Itests/guests/lib
GUEST_LIB := tests/guests/lib/start.S tests/guests/lib/guest.c \
	tests/guests/lib/fdt.c
GUESTS := $(GUEST_DIR)/testguest.bin $(GUEST_DIR)/testguest-48000000.bin \
	$(GUEST_DIR)/irqtest.bin $(GUEST_DIR)/gictest.bin \
	$(GUEST_DIR)/attack.bin $(GUEST_DIR)/attack-10000000.bin $(GUEST_DIR)/fuzz.bin \
	$(GUEST_DIR)/chantest.bin $(GUEST_DIR)/bench.bin \
	$(GUEST_DIR)/dma_attack.bin
# The bare-metal PCIe virtio-blk driver of the DMA attack guest.
GUEST_PCI := tests/guests/lib/pci.c tests/guests/lib/virtio_pci_blk.c
GUEST_PCI_H := tests/guests/lib/pci.h tests/guests/lib/virtio_pci_blk.h
GUEST_LINK = $(TCC) $(GUEST_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments -Wl,-T,tests/guests/lib/guest.ld

include payloads/keel/keel.mk
include payloads/linux/linux.mk

# The test guests and payloads this system description names (its image and
# initrd strings): only those are built for it, so `make run` of the demo
# compiles none of the test guests. `make guests` builds them all.
CONFIG_WORDS := $(shell tr -c 'A-Za-z0-9._-' ' ' < $(CONFIG_DTS) 2>/dev/null)
CONFIG_IMAGES := $(foreach f,$(GUESTS) $(PAYLOADS) $(BENCH_PAYLOADS),\
	$(if $(filter $(notdir $(f)),$(CONFIG_WORDS)),$(f)))

.PHONY: all deps run test test-host test-cfg test-qemu test-input-delay guests tools clean bench layout \
	debug gdb test-docs check print-hv-srcs print-target-cflags print-bhcfg-srcs \
	test-fuzz fuzz fuzz-targets bench-irq mutants

all: $(OUT)/bulkhead.bin

deps:
	$(Q)sh tools/setup.sh

# ---- hypervisor ----

# A refused description leaves no empty build folder: remove the folders
# made for it, up to the first one that holds anything.
BUILD_DIR_UNDO := rmdir -p --ignore-fail-on-non-empty

# Generated first, after the configuration: a broken description fails fast.
$(OBJ)/gen/asm_offsets.h: arch/arm64/asm_offsets.c core/include/hv/*.h | $(OUT)/gen/config.c
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(TARGET_CFLAGS) -Icore/include -Iarch/arm64/include -S $< -o $@.s
	$(Q)sed -n 's/.*->\([A-Za-z0-9_]*\) #\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/#define \1 \2/p' $@.s > $@.tmp
	$(Q)mv $@.tmp $@

# One bhcfg run writes both (a grouped target: with images.S as a rule of
# its own and no recipe, make kept an images.S.o built from the old guest
# images after a guest changed).
$(OUT)/gen/config.c $(OUT)/gen/images.S &: $(CONFIG_DTS) $(BOARD_DTS) $(BHCFG) $(CONFIG_IMAGES) \
		$(if $(LINUX_USED),$(LINUX_PAYLOADS))
	@mkdir -p $(OUT)/gen/dtbs
	@echo "  BHCFG   $(CONFIG_DTS)"
	$(Q)$(BHCFG) --board $(BOARD_DTS) --system $(CONFIG_DTS) -I $(GUEST_DIR) \
		-I build/payloads --out-c $(OUT)/gen/config.c --out-s $(OUT)/gen/images.S \
		--out-dir $(OUT)/gen/dtbs || { $(BUILD_DIR_UNDO) $(OUT)/gen/dtbs; exit 1; }

# A picture of the system (SVG) and a text table: RAM, cores, devices,
# interrupts, channels (docs/config.md, "A picture of the system").
$(OUT)/layout.svg: $(CONFIG_DTS) $(BOARD_DTS) $(BHCFG) $(CONFIG_IMAGES) \
		$(if $(LINUX_USED),$(LINUX_PAYLOADS))
	@mkdir -p $(dir $@)
	$(Q)$(BHCFG) --board $(BOARD_DTS) --system $(CONFIG_DTS) -I $(GUEST_DIR) \
		-I build/payloads --layout-svg $@ --layout-text $(OUT)/layout.txt || \
		{ $(BUILD_DIR_UNDO) $(OUT); exit 1; }
$(OUT)/layout.txt: $(OUT)/layout.svg

layout: $(OUT)/layout.svg
	@cat $(OUT)/layout.txt
	@echo "  LAYOUT  $(OUT)/layout.svg $(OUT)/layout.txt"

$(OBJ)/%.c.o: %.c $(OBJ)/gen/asm_offsets.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(TCC) $(HV_CFLAGS) -MMD -c $< -o $@

$(OUT)/obj/gen/%.c.o: $(OUT)/gen/%.c
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(HV_CFLAGS) -c $< -o $@

$(OBJ)/%.S.o: %.S $(OBJ)/gen/asm_offsets.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(TCC) $(HV_CFLAGS) -D__ASSEMBLER__ -MMD -c $< -o $@

$(OUT)/obj/gen/%.S.o: $(OUT)/gen/%.S
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(HV_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(OUT)/hv.ld: arch/arm64/hv.ld.S boards/$(BOARD)/board.mk | $(OUT)/gen/config.c
	@mkdir -p $(dir $@)
	$(Q)$(TCC) -E -P -x c -DHV_LOAD_ADDR=$(HV_LOAD_ADDR) $< -o $@

$(OUT)/bulkhead.elf: $(HV_OBJS) $(OUT)/hv.ld
	@echo "  LD      $@"
	$(Q)$(TCC) $(HV_LDFLAGS) -T $(OUT)/hv.ld $(HV_OBJS) -lgcc -o $@

$(OUT)/bulkhead.bin: $(OUT)/bulkhead.elf
	$(Q)$(OBJCOPY) -O binary $< $@
	@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes)"

# Header dependencies of this board's hypervisor objects (-MMD).
-include $(shell find $(OBJ) -name '*.d' -type f 2>/dev/null)
include tools/fit/fit.mk
include tools/sdcard/sdcard.mk

# ---- host tools ----

tools: $(BHCFG)

$(BHCFG): $(BHCFG_SRCS) $(wildcard tools/bhcfg/*.h) core/include/hv/*.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Icore/include -Iarch/arm64/include -Itools/bhcfg $(BHCFG_SRCS) -lfdt -o $@

$(BHCFG_SAN): $(BHCFG_SRCS) $(wildcard tools/bhcfg/*.h) core/include/hv/*.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -O1 $(SAN) -Icore/include -Iarch/arm64/include -Itools/bhcfg $(BHCFG_SRCS) -lfdt -o $@

# ---- guests ----

guests: $(GUESTS) $(PAYLOADS)

$(GUEST_DIR)/testguest.elf: tests/guests/testguest.c tests/guests/lib/gic.c tests/guests/lib/gic.h $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(TCC) $(GUEST_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-T,tests/guests/lib/guest.ld -Wl,--defsym=GUEST_BASE=0x40000000 \
		tests/guests/testguest.c tests/guests/lib/gic.c $(GUEST_LIB) -lgcc -o $@

$(GUEST_DIR)/testguest-48000000.elf: tests/guests/testguest.c tests/guests/lib/gic.c tests/guests/lib/gic.h $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(TCC) $(GUEST_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-T,tests/guests/lib/guest.ld -Wl,--defsym=GUEST_BASE=0x48000000 \
		tests/guests/testguest.c tests/guests/lib/gic.c $(GUEST_LIB) -lgcc -o $@

# The attack suite's hostile guest runs identity mapped at 0x48000000, so
# that the hypervisor's region (0x40000000) is outside its map.
$(GUEST_DIR)/attack.elf: tests/guests/attack.c tests/guests/lib/gic.c tests/guests/lib/gic.h $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(GUEST_LINK) -Wl,--defsym=GUEST_BASE=0x48000000 $< \
		tests/guests/lib/gic.c $(GUEST_LIB) -lgcc -o $@

# The DMA attack guest runs at guest-base 0x60000000 (RAM elsewhere), so
# that its IPAs differ from its physical addresses and no target's
# physical address is one of its IPAs; natively at RAM + 2 MiB.
$(GUEST_DIR)/dma_attack.elf: tests/guests/dma_attack.c $(GUEST_PCI) $(GUEST_PCI_H) $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(GUEST_LINK) -Wl,--defsym=GUEST_BASE=0x60000000 $< \
		$(GUEST_PCI) $(GUEST_LIB) -lgcc -o $@

$(GUEST_DIR)/native/dma_attack.elf: tests/guests/dma_attack.c $(GUEST_PCI) $(GUEST_PCI_H) $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_LINK) -Wl,--defsym=GUEST_BASE=0x40200000 $< \
		$(GUEST_PCI) $(GUEST_LIB) -lgcc -o $@

# The same, identity mapped at 0x10000000, for the Raspberry Pi 4, whose RAM
# ends below 1 GiB (tests/configs/rpi4/attack-suite.dts).
$(GUEST_DIR)/attack-10000000.elf: tests/guests/attack.c tests/guests/lib/gic.c tests/guests/lib/gic.h $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(GUEST_LINK) -Wl,--defsym=GUEST_BASE=0x10000000 $< \
		tests/guests/lib/gic.c $(GUEST_LIB) -lgcc -o $@

# Guests built on the GIC library; linked at the partition RAM base.
$(GUEST_DIR)/%.elf: tests/guests/%.c tests/guests/lib/gic.c tests/guests/lib/gic.h $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(GUEST_LINK) -Wl,--defsym=GUEST_BASE=0x40000000 $< \
		tests/guests/lib/gic.c $(GUEST_LIB) -lgcc -o $@

# The same guests linked for a native run (QEMU loads them at RAM + 2 MiB).
$(GUEST_DIR)/native/%.elf: tests/guests/%.c tests/guests/lib/gic.c tests/guests/lib/gic.h $(GUEST_LIB) tests/guests/lib/guest.h tests/guests/lib/guest.ld
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_LINK) -Wl,--defsym=GUEST_BASE=0x40200000 $< \
		tests/guests/lib/gic.c $(GUEST_LIB) -lgcc -o $@

$(GUEST_DIR)/%.bin: $(GUEST_DIR)/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- run, benchmark and test ----

# Benchmarks print figures (never pass/fail on timing): docs/performance.md.
bench: bench-irq bench-linux bench-disk bench-rt

# Interrupt latency and trap overheads, natively and in a partition, on
# both QEMU virt GICs (tools/bench/irq_bench.py).
bench-irq: deps $(BHCFG)
	$(Q)python3 tools/bench/irq_bench.py

# An interactive QEMU (make run, run-uboot, run-sdcard, debug): its serial
# line on the terminal as mon:stdio, which leaves the terminal raw and
# turns QEMU's own Ctrl-C handling off, so Ctrl-C reaches the partition
# with focus; Ctrl-A x quits QEMU, Ctrl-A c its monitor. The first line
# shown says how to quit (docs/boot.md, "The console").
RUN_TTY = $(subst -serial stdio,-serial mon:stdio,$(1))
RUN_KEYS = @echo "  RUN     console: Ctrl-] q quits, Ctrl-] n next partition, Ctrl-] s counters; Ctrl-C goes to the partition (QEMU: Ctrl-A x quits)"

run: deps $(OUT)/bulkhead.bin $(RUN_DEPS)
	$(RUN_KEYS)
	@qemu-system-aarch64 $(call RUN_TTY,$(QEMU_ARGS)) $(RUN_QEMU_ARGS) -kernel $(OUT)/bulkhead.bin

# make debug: QEMU halted before the first instruction, its gdb stub on
# localhost:GDB_PORT; make gdb (same BOARD and CONFIG) attaches gdb with the
# hypervisor's symbols and the commands of tools/debug/bulkhead.py
# (docs/testing.md, "Debugging with gdb").
GDB_PORT ?= 1234
GDB ?= gdb-multiarch
debug: deps $(OUT)/bulkhead.bin $(OUT)/layout.svg $(RUN_DEPS)
	@echo "  DEBUG   QEMU halted, gdb stub on localhost:$(GDB_PORT); in another terminal:"
	@echo "          make gdb BOARD=$(BOARD) CONFIG=$(CONFIG) GDB_PORT=$(GDB_PORT)"
	$(RUN_KEYS)
	qemu-system-aarch64 $(call RUN_TTY,$(QEMU_ARGS)) $(RUN_QEMU_ARGS) -S -gdb tcp:localhost:$(GDB_PORT) \
		-kernel $(OUT)/bulkhead.bin

gdb:
	$(GDB) -q -x tools/debug/bulkhead.py -ex 'bh-connect $(OUT) $(GDB_PORT)'

# The demo's data disk: an ext4 image whose bulkhead.txt the Linux
# partition prints (boards' RUN_QEMU_ARGS attach it).
build/demo-disk.img: tools/linux/mkdisk.sh
	@mkdir -p $(dir $@)
	$(Q)sh tools/linux/mkdisk.sh $@ "hello from the host: this is build/demo-disk.img"

build/tests/host_tests: $(HOST_TEST_SRCS) tests/host/harness.h tests/host/fakes/*.h core/include/hv/*.h vgic/*.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -O1 $(SAN) -Icore/include -Iarch/arm64/include \
		-Itests/host -Ivgic $(HOST_TEST_SRCS) -o $@

test-host: build/tests/host_tests
	$(Q)build/tests/host_tests

test-cfg: $(BHCFG_SAN)
	$(Q)BHCFG=$(BHCFG_SAN) sh tests/run/cfg_negative.sh

# Claims in README.md and docs/ that a script can check (paths, quoted
# errors, performance figures, quoted files and commands).
test-docs: $(BHCFG)
	$(Q)python3 tests/run/docs_check.py

test-qemu: guests $(BHCFG)
	$(Q)python3 tests/run/systest.py

# The system tests that type input under -icount sleep=off, with the input
# 3 s late: the guest seconds a loaded host can put between an expect and
# its input (tests/run/systest.py). Not part of make test.
test-input-delay: guests $(BHCFG)
	$(Q)INPUT_DELAY=3 python3 tests/run/systest.py $$(grep -l '^qemu:.*sleep=off' \
		$$(grep -l '^input:' tests/system/*.test))

# Static analysis, one line per check, zero findings (docs/testing.md,
# "Static checks"; suppressions: .clang-tidy, tools/check/).
check: deps
	$(Q)python3 tests/run/check.py

test: deps
	$(Q)$(MAKE) --no-print-directory build/tests/host_tests $(BHCFG_SAN) $(BHCFG) guests \
		fuzz-targets
	$(Q)python3 tests/run/run_all.py

clean:
	rm -rf build

# The mutation harness (tools/mutants.py, docs/testing.md "Mutation
# testing"): not part of make test, it takes about half an hour.
mutants: deps
	$(Q)python3 tools/mutants.py $(MUTANTS)

# ---- host fuzzing (clang's libFuzzer, ASan, UBSan) ----

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Icore/include -Iarch/arm64/include \
	-Itests/host -Ivgic -Itools/bhcfg
FUZZ_TARGETS := build/fuzz/fuzz_trap build/fuzz/fuzz_vgic build/fuzz/fuzz_bhcfg
FUZZ_VGIC_SRCS := vgic/vgic.c vgic/vgic_regs.c vgic/vgic_dist.c \
	vgic/vgic_redist.c arch/arm64/gicv3_lr.c arch/arm64/gicv2_lr.c \
	tests/host/fakes/vgic_hw_fake.c
FUZZ_BHCFG_SRCS := $(filter-out tools/bhcfg/main.c,$(BHCFG_SRCS))

fuzz-targets: $(FUZZ_TARGETS)

build/fuzz/fuzz_trap: tests/fuzz/fuzz_trap.c arch/arm64/sysreg_policy.c arch/arm64/include/arch/*.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_trap.c arch/arm64/sysreg_policy.c -o $@

build/fuzz/fuzz_vgic: tests/fuzz/fuzz_vgic.c $(FUZZ_VGIC_SRCS) core/include/hv/*.h vgic/*.h tests/host/fakes/*.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_vgic.c $(FUZZ_VGIC_SRCS) -o $@

build/fuzz/fuzz_bhcfg: tests/fuzz/fuzz_bhcfg.c $(FUZZ_BHCFG_SRCS) tools/bhcfg/*.h core/include/hv/*.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_bhcfg.c $(FUZZ_BHCFG_SRCS) -lfdt -o $@

# make test: every target over its seeds plus a few thousand mutations,
# so they stay built and working. make fuzz: FUZZ_SECONDS each, then the
# fuzzing guest's long run (tests/fuzz/fuzz_long.test).
test-fuzz: $(FUZZ_TARGETS) guests
	$(Q)sh tests/run/fuzz_run.sh smoke

fuzz: deps $(FUZZ_TARGETS) guests $(BHCFG)
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/run/fuzz_run.sh long
	$(Q)python3 tests/run/systest.py tests/fuzz/fuzz_long.test

# Used by tests/run/systest.py.
print-qemu:
	@echo $(QEMU_ARGS)
print-image:
	@echo $(OUT)/bulkhead.bin
# The QEMU command line of make run (docs/boards/qemu-virt.md quotes it).
print-run:
	@echo qemu-system-aarch64 $(call RUN_TTY,$(QEMU_ARGS)) $(RUN_QEMU_ARGS) -kernel $(OUT)/bulkhead.bin
print-native-qemu:
	@echo $(NATIVE_QEMU_ARGS)
# Used by tests/run/check.py: the hypervisor's C sources for BOARD, its
# compiler flags, the configuration tool's sources.
print-hv-srcs:
	@echo $(filter %.c,$(HV_SRCS))
print-target-cflags:
	@echo $(TARGET_CFLAGS)
print-bhcfg-srcs:
	@echo $(BHCFG_SRCS)
