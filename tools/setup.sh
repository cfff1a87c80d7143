#!/bin/sh
# Install Bulkhead's build and test dependencies from Debian's archive when
# any is missing. Idempotent and quick when everything is present.
set -eu

need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd aarch64-linux-gnu-gcc || need="$need gcc-aarch64-linux-gnu"
# The C library for the static arm64 tools of the Linux initramfs (a
# Recommends of the cross compiler, so not there with --no-install-recommends).
[ -f /usr/aarch64-linux-gnu/lib/libc.a ] || need="$need libc6-dev-arm64-cross"
have_cmd qemu-system-aarch64 || need="$need qemu-system-arm"
# QEMU's virt machine loads the boot ROM of its default virtio NIC at start
# and refuses to run without it (a Recommends of qemu-system-data).
[ -f /usr/lib/ipxe/qemu/efi-virtio.rom ] || need="$need ipxe-qemu"
have_cmd dtc || need="$need device-tree-compiler"
[ -f /usr/include/libfdt.h ] || need="$need libfdt-dev"
have_cmd mkimage || need="$need u-boot-tools"
[ -f /usr/lib/u-boot/qemu_arm64/u-boot.bin ] || need="$need u-boot-qemu"
have_cmd mcopy || need="$need mtools"
# The Linux partition's test disk (tools/linux/mkdisk.sh) and its packages.
[ -x /sbin/mke2fs ] || [ -x /usr/sbin/mke2fs ] || need="$need e2fsprogs"
have_cmd dpkg-deb || need="$need dpkg"
have_cmd python3 || need="$need python3"
# make bench: the latency histograms.
have_cmd gnuplot || need="$need gnuplot-nox"
have_cmd cc || need="$need gcc"
have_cmd make || need="$need make"
# Host fuzz targets (make fuzz; make test runs them briefly): clang's
# libFuzzer with ASan and UBSan.
have_cmd clang || need="$need clang"
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
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
