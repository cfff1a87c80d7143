#!/bin/sh
# SPDX-License-Identifier: MIT
# Write an SD-card image: an MBR with one bootable FAT32 partition (type
# 0x0c) from 1 MiB to the end, holding the files given. Nothing is mounted:
# mkfs.fat formats the partition as a file of its own, mtools copies into
# it, and it is then placed behind the MBR.
#
#   mkimg.sh OUT.img SIZE_MIB LABEL FILE[=NAME]...
#
# SIZE_MIB must be a power of two: QEMU accepts no other SD-card size. A
# FILE whose NAME has a "/" (overlays/x.dtbo) goes into that folder.
set -eu

out=$1 size=$2 label=$3
shift 3
part=$out.part
rm -f "$out.tmp" "$part"
# FAT32 with 512-byte clusters needs at least 65525 clusters (about 33 MiB).
[ "$size" -ge 64 ] || { echo "mkimg: $size MiB is too small for FAT32" >&2; exit 1; }
truncate -s $(( (size - 1) * 1024 * 1024 )) "$part"
mkfs.fat -F 32 -i 42484b44 -n "$label" "$part" >/dev/null
for spec in "$@"; do
	src=${spec%%=*}
	name=${spec#*=}
	[ "$name" != "$spec" ] || name=$(basename "$src")
	case "$name" in
	*/*) MTOOLS_SKIP_CHECK=1 mmd -D s -i "$part" "::${name%/*}" 2>/dev/null || true ;;
	esac
	MTOOLS_SKIP_CHECK=1 mcopy -o -i "$part" "$src" "::$name"
done
truncate -s "${size}M" "$out.tmp"
# One partition at sector 2048 (1 MiB), to the end, type 0x0c, bootable.
printf 'label: dos\nlabel-id: 0x42484b44\n2048,,c,*\n' | sfdisk -q "$out.tmp" >/dev/null
dd if="$part" of="$out.tmp" bs=1M seek=1 conv=notrunc status=none
rm -f "$part"
mv "$out.tmp" "$out"
