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
(cd "$A/debs" && apt-get "$@" download "$kpkg" busybox-static 2>&1 |
	grep -v -e 'unsandboxed' -e '^Get:' -e '^Fetched' || true)

rm -rf "$OUT/root"
mkdir -p "$OUT/root"
for deb in "$A/debs"/*.deb; do
	dpkg-deb -x "$deb" "$OUT/root"
done
ver=${kpkg#linux-image-}
[ -f "$OUT/root/boot/vmlinuz-$ver" ] || { echo "linux: no vmlinuz-$ver in $kpkg" >&2; exit 1; }
[ -x "$OUT/root/bin/busybox" ] || { echo "linux: busybox-static has no /bin/busybox" >&2; exit 1; }
cp "$OUT/root/boot/vmlinuz-$ver" "$OUT/Image.tmp"
mv "$OUT/Image.tmp" "$OUT/Image"
echo "$ver" > "$OUT/kernel-version"
echo "linux: $ver ready in $OUT"
