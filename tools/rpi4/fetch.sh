#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch the Raspberry Pi 4 boot chain from Debian's arm64 packages, with
# apt, from the archive apt is configured with, and unpack it under OUT
# (default build/rpi4/firmware). Nothing is installed on the host: apt runs
# with its own sources, package lists and an empty dpkg status under
# OUT/apt, as tools/linux/fetch.sh does for the kernel.
#
# raspi-firmware is in the archive's non-free-firmware component, which the
# host's sources may not list. The private sources are derived from the
# host's entry for its release (same URIs, same key) with the components
# main and non-free-firmware; no host name is written here.
#
# Results (docs/boards/rpi4.md says what each is for):
#   OUT/bl31.bin             arm-trusted-firmware: rpi4/bl31.bin (TF-A BL31)
#   OUT/u-boot.bin           u-boot-rpi: rpi_arm64/u-boot.bin (Pi 3 and 4)
#   OUT/start4.elf           raspi-firmware: the VideoCore firmware
#   OUT/fixup4.dat           raspi-firmware: its memory split
#   OUT/bcm2711-rpi-4-b.dtb  the Pi 4's device tree, from the kernel package
#                            tools/linux/fetch.sh unpacks (LINUX, default
#                            build/linux)
#   OUT/versions             the package versions used
# Idempotent: does nothing when every result is there.
set -eu
# shellcheck source=tools/lib/apt.sh
. "$(dirname "$0")/../lib/apt.sh"

OUT=${1:-build/rpi4/firmware}
LINUX=${LINUX:-build/linux}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
FILES="bl31.bin u-boot.bin start4.elf fixup4.dat bcm2711-rpi-4-b.dtb versions"

have_all() {
	for f in $FILES; do
		[ -f "$OUT/$f" ] || return 1
	done
}
have_all && exit 0

# The Pi 4 device tree comes with Debian's kernel (tools/linux/fetch.sh).
sh "$(dirname "$0")/../linux/fetch.sh" "$LINUX"
kver=$(cat "$LINUX/kernel-version")
dtb="$LINUX/root/usr/lib/linux-image-$kver/broadcom/bcm2711-rpi-4-b.dtb"
[ -f "$dtb" ] || { echo "rpi4: no $dtb in the kernel package" >&2; exit 1; }

A="$OUT/apt"
rm -rf "$A/sources.list.d"
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/debs" \
	"$A/sources.list.d"
: > "$A/status"

# The host's entry for its release: URIs and Signed-By of the first
# deb822 stanza whose Suites list the codename, else the first one-line
# "deb" entry for it in sources.list.
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || { echo "rpi4: no VERSION_CODENAME in /etc/os-release" >&2; exit 1; }
apt_source "$codename"
[ -n "$APT_URIS" ] || { echo "rpi4: no '$codename' entry in apt's sources" >&2; exit 1; }
printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main non-free-firmware\nSigned-By: %s\n' \
	"$APT_URIS" "$codename" "$codename" "$APT_KEY" > "$A/sources.list.d/rpi4.sources"

set -- -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
	-o Dir::Etc::SourceList=/dev/null \
	-o Dir::Etc::SourceParts="$A/sources.list.d" \
	-o Dir::State::Lists="$A/lists" -o Dir::State::Status="$A/status" \
	-o Dir::Cache="$A/cache" -o Debug::NoLocking=1

echo "rpi4: apt-get update (arm64, main and non-free-firmware, lists private to $A)"
apt-get "$@" update >/dev/null

pkgs="arm-trusted-firmware u-boot-rpi raspi-firmware"
echo "rpi4: downloading $pkgs"
rm -f "$A/debs"/*.deb
apt_in "$A/debs" "$@" download $pkgs

R="$OUT/root"
rm -rf "$R"
mkdir -p "$R"
: > "$OUT/versions.tmp"
for p in $pkgs; do
	deb=$(ls "$A/debs/${p}_"*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || { echo "rpi4: $p was not downloaded" >&2; exit 1; }
	dpkg-deb -x "$deb" "$R"
	echo "$p $(dpkg-deb -f "$deb" Version)" >> "$OUT/versions.tmp"
done
echo "linux-image-$kver (bcm2711-rpi-4-b.dtb)" >> "$OUT/versions.tmp"

pick() {
	[ -f "$R/$1" ] || { echo "rpi4: no /$1 in the packages" >&2; exit 1; }
	cp "$R/$1" "$OUT/$2.tmp"
	mv "$OUT/$2.tmp" "$OUT/$2"
}
pick usr/lib/arm-trusted-firmware/rpi4/bl31.bin bl31.bin
pick usr/lib/u-boot/rpi_arm64/u-boot.bin u-boot.bin
pick usr/lib/raspi-firmware/start4.elf start4.elf
pick usr/lib/raspi-firmware/fixup4.dat fixup4.dat
cp "$dtb" "$OUT/bcm2711-rpi-4-b.dtb.tmp"
mv "$OUT/bcm2711-rpi-4-b.dtb.tmp" "$OUT/bcm2711-rpi-4-b.dtb"
mv "$OUT/versions.tmp" "$OUT/versions"
echo "rpi4: boot firmware ready in $OUT:"
sed 's/^/  /' "$OUT/versions"
