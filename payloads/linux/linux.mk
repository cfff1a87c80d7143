# Linux partition payload: Debian's stock arm64 kernel and an initramfs
# with busybox-static, the virtio, file-system and Cadence GEM Ethernet
# (macb, for the zcu102 demo) modules and our /init.
# Fetched with apt into build/linux (never committed), see tools/linux/.
#
# Included from the top-level Makefile. A system description that names
# linux-Image or linux-initramfs.cpio.gz pulls these in (LINUX_USED).

LINUX_DIR := build/linux
LINUX_IMAGE := build/payloads/linux-Image
LINUX_INITRAMFS := build/payloads/linux-initramfs.cpio.gz
# Loaded in this order by /init (dependencies first).
LINUX_MODULES := crc16 mbcache jbd2 crc32c_generic ext4 virtio_mmio \
	virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk \
	failover net_failover virtio_net \
	libphy fixed_phy fwnode_mdio of_mdio phylink macb sp805_wdt
LINUX_USED := $(if $(shell grep -l 'linux-' $(CONFIG_DTS) 2>/dev/null),y)

# Our own static arm64 tools for the initramfs (payloads/linux/tools/).
LINUX_BHTOOL := $(LINUX_DIR)/bhtool
LINUX_EXTRA_DEPS += $(LINUX_BHTOOL)
LINUX_EXTRA_FILES += file:/bin/bhtool=$(LINUX_BHTOOL):0755

BHTOOL_SRCS := payloads/linux/tools/bhtool.c payloads/linux/tools/chan.c \
	payloads/linux/tools/health.c
$(LINUX_BHTOOL): $(BHTOOL_SRCS) payloads/linux/tools/chan.h \
		payloads/keel/demo_chan.h payloads/linux/tools/health.h \
		core/include/hv/stats.h
	@mkdir -p $(dir $@)
	@echo "  TOOL    $@"
	$(Q)$(CROSS)gcc -static -O2 -Wall -Wextra -Werror -Ipayloads/keel \
		-Icore/include -o $@ $(BHTOOL_SRCS)

$(LINUX_DIR)/kernel-version: tools/linux/fetch.sh
	$(Q)sh tools/linux/fetch.sh $(LINUX_DIR)
	@touch $@

$(LINUX_IMAGE): $(LINUX_DIR)/kernel-version
	@mkdir -p $(dir $@)
	$(Q)ln -f $(LINUX_DIR)/Image $@

$(LINUX_DIR)/load-order: payloads/linux/linux.mk
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(LINUX_MODULES) > $@

$(LINUX_INITRAMFS): $(LINUX_DIR)/kernel-version $(LINUX_DIR)/load-order \
		payloads/linux/init tools/linux/mkinitramfs.py $(LINUX_EXTRA_DEPS)
	@mkdir -p $(dir $@)
	@echo "  INITRD  $@"
	$(Q)kv=$$(cat $(LINUX_DIR)/kernel-version); \
	mods=$(LINUX_DIR)/root/lib/modules/$$kv; \
	set -- dir:/bin dir:/dev dir:/proc dir:/sys dir:/mnt dir:/tmp dir:/root \
		dir:/lib dir:/lib/modules cdev:/dev/console=5,1 \
		file:/bin/busybox=$(LINUX_DIR)/root/bin/busybox \
		file:/init=payloads/linux/init:0755 \
		file:/lib/modules/load-order=$(LINUX_DIR)/load-order \
		$(LINUX_EXTRA_FILES); \
	for m in $(LINUX_MODULES); do \
		f=$$(find $$mods -name "$$m.ko" | head -n 1); \
		[ -n "$$f" ] || { echo "linux: module $$m not in $$kv" >&2; exit 1; }; \
		set -- "$$@" file:/lib/modules/$$m.ko=$$f; \
	done; \
	python3 tools/linux/mkinitramfs.py $@ "$$@"

LINUX_PAYLOADS := $(LINUX_IMAGE) $(LINUX_INITRAMFS)
linux: $(LINUX_PAYLOADS)

# Benchmark: Linux boot time natively and under Bulkhead (tools/bench/).
bench-linux: deps
	$(Q)python3 tools/bench/linux_boot.py
# Disk throughput through the SMMU against native (tools/bench/).
bench-disk: deps
	$(Q)python3 tools/bench/linux_disk.py
.PHONY: linux bench-linux bench-disk

include payloads/linux/rt.mk
