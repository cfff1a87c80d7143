#!/bin/sh
# SPDX-License-Identifier: MIT
# mkdisk.sh OUT.img TEXT: an 8 MiB ext4 disk image holding bulkhead.txt
# with TEXT, for the Linux partition's passthrough virtio-blk device.
# Built without root or loop devices (mke2fs -d copies a directory).
set -eu
out=$1
text=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s\n' "$text" > "$dir/bulkhead.txt"
PATH="$PATH:/sbin:/usr/sbin"
mke2fs -q -F -t ext4 -L bulkhead -d "$dir" "$out.tmp" 8M >/dev/null
mv "$out.tmp" "$out"
