#!/bin/sh
# Install Bulkhead's build and test dependencies from Debian's archive when
# any is missing. Idempotent and quick when everything is present.
set -eu
# shellcheck source=tools/lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd aarch64-linux-gnu-gcc || need="$need gcc-aarch64-linux-gnu"
# The C library for the static arm64 tools of the Linux initramfs (a
# Recommends of the cross compiler, so not there with --no-install-recommends).
[ -f /usr/aarch64-linux-gnu/lib/libc.a ] || need="$need libc6-dev-arm64-cross"
# QEMU 10.0 or newer: its virt machine has an SMMUv3 with stage 2 (the DMA
# isolation tests) and it models the Raspberry Pi 4 (raspi4b). Debian 13
# ships it; on Debian 12 it comes from the bookworm-backports suite of the
# same archive (enable_backports below).
qemu_major() {
	qemu-system-aarch64 --version 2>/dev/null |
		sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p'
}
qemu_ok() { [ "$(qemu_major)" -ge 10 ] 2>/dev/null; }
qemu_ok || need="$need qemu-system-arm"
# QEMU's virt machine loads the boot ROM of its default virtio NIC at start
# and refuses to run without it (a Recommends of qemu-system-data).
[ -f /usr/lib/ipxe/qemu/efi-virtio.rom ] || need="$need ipxe-qemu"
have_cmd dtc || need="$need device-tree-compiler"
[ -f /usr/include/libfdt.h ] || need="$need libfdt-dev"
have_cmd mkimage || need="$need u-boot-tools"
[ -f /usr/lib/u-boot/qemu_arm64/u-boot.bin ] || need="$need u-boot-qemu"
have_cmd mcopy || need="$need mtools"
# make sdcard: the card's FAT32 partition and its MBR (tools/sdcard/).
have_cmd mkfs.fat || [ -x /usr/sbin/mkfs.fat ] || [ -x /sbin/mkfs.fat ] || need="$need dosfstools"
have_cmd sfdisk || [ -x /usr/sbin/sfdisk ] || [ -x /sbin/sfdisk ] || need="$need fdisk"
have_cmd fdtput || need="$need device-tree-compiler"
# The Linux partition's test disk (tools/linux/mkdisk.sh) and its packages.
[ -x /sbin/mke2fs ] || [ -x /usr/sbin/mke2fs ] || need="$need e2fsprogs"
have_cmd dpkg-deb || need="$need dpkg"
have_cmd python3 || need="$need python3"
# make bench: the latency histograms.
have_cmd gnuplot || need="$need gnuplot-nox"
# make debug / make gdb, and the test of its gdb script.
have_cmd gdb-multiarch || need="$need gdb-multiarch"
# The interactive console test (tests/run/console_tty.py) drives make run
# in a terminal multiplexer.
have_cmd tmux || need="$need tmux"
have_cmd cc || need="$need gcc"
have_cmd make || need="$need make"
# Host fuzz targets (make fuzz; make test runs them briefly): clang's
# libFuzzer with ASan and UBSan.
have_cmd clang || need="$need clang"
# make check (tests/run/check.py): static analysis.
have_cmd clang-tidy || need="$need clang-tidy"
have_cmd cppcheck || need="$need cppcheck"
[ -n "$(find /usr/lib/llvm-*/lib/clang -name 'libclang_rt.fuzzer-x86_64.a' 2>/dev/null | head -n 1)" ] ||
	[ "$(uname -m)" != x86_64 ] || need="$need libclang-rt-14-dev"

[ -z "$need" ] && exit 0

echo "setup: installing:$need"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	have_cmd sudo || { echo "setup: need root (or sudo) to install:$need" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive

# On Debian 12, add the bookworm-backports suite of the archive apt already
# uses: same URIs and key as the configured bookworm entry, written to a
# file of our own. No host name is named here; apt's sources decide.
# Backports have priority 100, so only what we ask for comes from there.
BPO=/etc/apt/sources.list.d/bulkhead-backports.sources
enable_backports() {
	[ -f "$BPO" ] && return 0
	apt_source bookworm
	[ -n "$APT_URIS" ] || { echo "setup: no bookworm entry in apt's sources to derive bookworm-backports from" >&2; return 1; }
	echo "setup: enabling bookworm-backports ($BPO)"
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
		"$APT_URIS" "$APT_KEY" | $SUDO tee "$BPO" >/dev/null
}
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
QEMU_T=""
case " $need " in
*" qemu-system-arm "*)
	if [ "$codename" = bookworm ]; then
		enable_backports
		QEMU_T="-t bookworm-backports"
	fi ;;
esac

$SUDO apt-get update -qq
if [ -n "$QEMU_T" ]; then
	need=$(printf '%s' "$need" | sed 's/ qemu-system-arm//')
	# An older QEMU beside the new one breaks its module loading.
	$SUDO apt-get install -y -qq --no-install-recommends $QEMU_T qemu-system-arm
fi
# shellcheck disable=SC2086
[ -z "$(echo $need)" ] || $SUDO apt-get install -y -qq --no-install-recommends $need
qemu_ok || { echo "setup: qemu-system-aarch64 is older than 10.0: $(qemu-system-aarch64 --version | head -n 1)" >&2; exit 1; }
