#!/bin/sh
# SPDX-License-Identifier: MIT
# What the VideoCore firmware does before the ARM cores start, done for
# QEMU's raspi4b, which has no VideoCore firmware (docs/boards/rpi4.md):
#
#   qemu-vcfw.sh BL31 DTB DTB_ADDR OUTDIR
#
# OUTDIR/bl31.bin is TF-A's BL31 with the armstub words the firmware
# writes into RAM after loading it. TF-A's rpi4 port reads them at 0xf0:
# the magic 0x5afe570b, which the firmware clears to 0 to say the next two
# words are valid; 0xf4, the stub version; 0xf8, the device tree's address;
# 0xfc, the kernel's (U-Boot's) entry. QEMU's -device loader cannot write
# them over the file it loads at 0 (the blobs would overlap), so they are
# written into a copy of the file.
#
# OUTDIR/board.dtb is the device tree with what the firmware fills in:
# /memory (the RAM below the VideoCore's share on every Pi 4) and the
# devices QEMU does not model (GENET, PCIe, the RNG) marked disabled, so that U-Boot
# does not probe them.
set -eu

bl31=$1 dtb=$2 addr=$3 out=$4
mkdir -p "$out"

le32() {
	v=$(($1))
	printf "\\$(printf %03o $((v & 255)))\\$(printf %03o $(((v >> 8) & 255)))"
	printf "\\$(printf %03o $(((v >> 16) & 255)))\\$(printf %03o $(((v >> 24) & 255)))"
}
magic=$(od -An -tx4 -j 0xf0 -N 4 "$bl31" | tr -d ' ')
[ "$magic" = 5afe570b ] || { echo "qemu-vcfw: $bl31 has no armstub magic at 0xf0" >&2; exit 1; }
cp "$bl31" "$out/bl31.bin.tmp"
{ le32 0; le32 0; le32 "$addr"; le32 0x80000; } |
	dd of="$out/bl31.bin.tmp" bs=1 seek=240 conv=notrunc status=none
mv "$out/bl31.bin.tmp" "$out/bl31.bin"

cp "$dtb" "$out/board.dtb.tmp"
# #address-cells = 2, #size-cells = 1 at the root of bcm2711.dtsi.
fdtput -t x "$out/board.dtb.tmp" /memory@0 reg 0 0 0x3b400000
fdtput -t s "$out/board.dtb.tmp" /scb/ethernet@7d580000 status disabled
fdtput -t s "$out/board.dtb.tmp" /scb/pcie@7d500000 status disabled
fdtput -t s "$out/board.dtb.tmp" /soc/rng@7e104000 status disabled
mv "$out/board.dtb.tmp" "$out/board.dtb"
