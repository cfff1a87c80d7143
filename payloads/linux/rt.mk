# The cyclictest benchmark's payloads (tools/bench/rt_bench.py, make
# bench-rt), built only for it: Debian's PREEMPT_RT kernel of the stock
# kernel's release, and an initramfs with busybox, cyclictest and the
# shared libraries it links against. The demo's initramfs stays as it is.
# Fetched with apt into build/linux-rt by tools/linux/fetch_rt.sh.
#
# Included from payloads/linux/linux.mk. The system descriptions
# tests/configs/qemu-virt/cyclictest-*.dts name these files.

LINUX_RT_DIR := build/linux-rt
LINUX_RT_IMAGE := build/payloads/linux-rt-Image
CYCLICTEST_INITRAMFS := build/payloads/cyclictest-initramfs.cpio.gz
# cyclictest's options: make writes the defaults; rt_bench.py writes its own
# for its run and removes the file after it, so tests get the defaults again.
CYCLICTEST_ARGS := $(LINUX_RT_DIR)/cyclictest.args
CYCLICTEST_DEFAULT_ARGS := -m -q -p 90 -i 1000 -l 1000 -h 400 --smp
# ... then one line per phase: its start offset (us).
CYCLICTEST_DEFAULT_PHASES := 0
# What cyclictest needs at run time (readelf -d: its NEEDED entries and interpreter).
CYCLICTEST_LIBS := ld-linux-aarch64.so.1 libc.so.6 librt.so.1 libpthread.so.0 libnuma.so.1

$(LINUX_RT_DIR)/kernel-version: tools/linux/fetch_rt.sh $(LINUX_DIR)/kernel-version
	$(Q)sh tools/linux/fetch_rt.sh $(LINUX_DIR) $(LINUX_RT_DIR)
	@touch $@

$(LINUX_RT_IMAGE): $(LINUX_RT_DIR)/kernel-version
	@mkdir -p $(dir $@)
	$(Q)ln -f $(LINUX_RT_DIR)/Image $@

$(CYCLICTEST_ARGS):
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n%s\n' '$(CYCLICTEST_DEFAULT_ARGS)' '$(CYCLICTEST_DEFAULT_PHASES)' > $@

$(CYCLICTEST_INITRAMFS): $(LINUX_RT_DIR)/kernel-version $(LINUX_DIR)/kernel-version \
		$(CYCLICTEST_ARGS) payloads/linux/cyclictest-init payloads/linux/rt.mk \
		tools/linux/mkinitramfs.py
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	$(Q)r=$(LINUX_RT_DIR)/root; \
	set -- dir:/bin dir:/dev dir:/proc dir:/sys dir:/tmp dir:/etc dir:/usr dir:/usr/bin \
		dir:/lib dir:/lib/aarch64-linux-gnu cdev:/dev/console=5,1 \
		file:/bin/busybox=$(LINUX_DIR)/root/bin/busybox \
		file:/init=payloads/linux/cyclictest-init:0755 \
		file:/etc/cyclictest.args=$(CYCLICTEST_ARGS):0644 \
		file:/usr/bin/cyclictest=$$r/usr/bin/cyclictest:0755 \
		link:/lib/ld-linux-aarch64.so.1=aarch64-linux-gnu/ld-linux-aarch64.so.1; \
	for l in $(CYCLICTEST_LIBS); do \
		f=$$(find $$r/lib $$r/usr/lib -name $$l | head -n 1); \
		[ -n "$$f" ] || { echo "linux-rt: $$l not in $$r" >&2; exit 1; }; \
		set -- "$$@" file:/lib/aarch64-linux-gnu/$$l=$$(readlink -f $$f):0755; \
	done; \
	python3 tools/linux/mkinitramfs.py $@ "$$@"

# Listed for the Makefile's CONFIG_IMAGES (built when a description names
# them), never by `make guests`.
BENCH_PAYLOADS += $(LINUX_RT_IMAGE) $(CYCLICTEST_INITRAMFS)

# Benchmark: cyclictest natively and in a partition, stock and PREEMPT_RT.
bench-rt: deps
	$(Q)python3 tools/bench/rt_bench.py
.PHONY: bench-rt
