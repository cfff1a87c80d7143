#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch Debian's stock arm64 kernel and busybox-static with apt, from the
# sources apt is configured with, and unpack them under OUT (default
# build/linux). Nothing is installed on the host: apt runs with its own
# package lists and an empty dpkg status under OUT/apt.
#
# Results:
#   OUT/Image            the kernel (Debian's vmlinuz is an uncompressed Image)
#   OUT/root/            the unpacked kernel package (modules) and busybox
#   OUT/kernel-version   e.g. 6.1.0-56-arm64
# Idempotent: does nothing when OUT/Image and busybox are already there.
set -eu
# shellcheck source=tools/lib/apt.sh
. "$(dirname "$0")/../lib/apt.sh"

OUT=${1:-build/linux}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ -f "$OUT/Image" ] && [ -x "$OUT/root/bin/busybox" ] && [ -f "$OUT/kernel-version" ]; then
	exit 0
fi

A="$OUT/apt"
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/debs"
: > "$A/status"
set -- -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
	-o Dir::State::Lists="$A/lists" -o Dir::State::Status="$A/status" \
	-o Dir::Cache="$A/cache" -o Debug::NoLocking=1

echo "linux: apt-get update (arm64 package lists, private to $A)"
apt-get "$@" update >/dev/null

# linux-image-arm64 is the meta package; its dependency names the kernel.
kpkg=$(apt-cache "$@" depends linux-image-arm64 |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -n 1)
case "$kpkg" in
linux-image-6.1.0-*-arm64) ;;
*) echo "linux: cannot resolve linux-image-arm64 to a 6.1 kernel (got '$kpkg')" >&2; exit 1 ;;
esac

echo "linux: downloading $kpkg busybox-static"
rm -f "$A/debs"/*.deb
apt_in "$A/debs" "$@" download "$kpkg" busybox-static

apt_unpack "$A/debs" "$OUT/root"
ver=${kpkg#linux-image-}
[ -x "$OUT/root/bin/busybox" ] || { echo "linux: busybox-static has no /bin/busybox" >&2; exit 1; }
kernel_install linux "$OUT" "$ver"
echo "linux: $ver ready in $OUT"
