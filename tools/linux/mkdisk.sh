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
# The same TEXT gives the same image (fixed UUID, hash seed and times), so
# benchmark runs are repeatable.
touch -d @1700000000 "$dir/bulkhead.txt" "$dir"
E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext4 -L bulkhead \
	-U 0b0e1a4d-0000-4000-8000-000000000001 \
	-E hash_seed=0b0e1a4d-0000-4000-8000-000000000002 \
	-d "$dir" "$out.tmp" 8M >/dev/null
mv "$out.tmp" "$out"
