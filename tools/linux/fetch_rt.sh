#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch what the cyclictest benchmark (tools/bench/rt_bench.py) needs on
# top of tools/linux/fetch.sh: Debian's PREEMPT_RT arm64 kernel of the same
# 6.1 version as the stock one, and rt-tests with the shared libraries
# cyclictest links against (libc6, libnuma1). apt runs with fetch.sh's
# private package lists (LINUX/apt, the same snapshot, so the two kernels
# are the same release) and nothing is installed on the host.
#
# usage: fetch_rt.sh [LINUX [OUT]]   (default build/linux build/linux-rt)
# Results:
#   OUT/Image            the PREEMPT_RT kernel (uncompressed Image)
#   OUT/root/            the unpacked packages (cyclictest, libraries)
#   OUT/kernel-version   e.g. 6.1.0-57-rt-arm64
set -eu
# shellcheck source=tools/lib/apt.sh
. "$(dirname "$0")/../lib/apt.sh"

LINUX=${1:-build/linux}
OUT=${2:-build/linux-rt}
if [ ! -f "$LINUX/kernel-version" ] || [ ! -d "$LINUX/apt/lists" ]; then
	echo "linux-rt: run tools/linux/fetch.sh first (no $LINUX/kernel-version)" >&2
	exit 1
fi
mkdir -p "$OUT"
LINUX=$(cd "$LINUX" && pwd)
OUT=$(cd "$OUT" && pwd)

stock=$(cat "$LINUX/kernel-version")
if [ -f "$OUT/Image" ] && [ -x "$OUT/root/usr/bin/cyclictest" ] &&
	[ "$(cat "$OUT/kernel-version" 2>/dev/null)" = "${stock%-arm64}-rt-arm64" ]; then
	exit 0
fi

A="$LINUX/apt"
set -- -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
	-o Dir::State::Lists="$A/lists" -o Dir::State::Status="$A/status" \
	-o Dir::Cache="$A/cache" -o Debug::NoLocking=1

# linux-image-rt-arm64 names the RT kernel; it must be the stock one's release.
kpkg=$(apt-cache "$@" depends linux-image-rt-arm64 |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-rt-arm64\)$/\1/p' | head -n 1)
if [ "$kpkg" != "linux-image-${stock%-arm64}-rt-arm64" ]; then
	echo "linux-rt: linux-image-rt-arm64 resolves to '$kpkg', not the RT build of $stock" >&2
	exit 1
fi
# rt-tests and the libraries it depends on (its python3 dependency is for
# other tools of the package, not cyclictest).
libs=$(apt-cache "$@" depends rt-tests | sed -n 's/^ *Depends: \(lib[^ <]*\)$/\1/p' | sort -u | tr "\n" " ")
echo "linux-rt: downloading $kpkg rt-tests $libs"
D="$OUT/debs"
rm -rf "$D"
mkdir -p "$D"
# shellcheck disable=SC2086
apt_in "$D" "$@" -o Dir::Cache::Archives="$D" download "$kpkg" rt-tests $libs

apt_unpack "$D" "$OUT/root"
ver=${kpkg#linux-image-}
[ -x "$OUT/root/usr/bin/cyclictest" ] || { echo "linux-rt: rt-tests has no /usr/bin/cyclictest" >&2; exit 1; }
kernel_install linux-rt "$OUT" "$ver"
echo "linux-rt: $ver and cyclictest ready in $OUT"
