# SPDX-License-Identifier: MIT
"""What the Linux benchmarks share: the build, and the two QEMU command
lines (native, and the same kernel in a Bulkhead partition) with the same
virtio-blk-pci disk."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "bench")
# Linux alone in a partition, its disk on the PCIe bridge behind the SMMU.
CONFIG = "tests/configs/qemu-virt/linux-alone.dts"


def make(board, *targets):
    r = subprocess.run(["make", "--no-print-directory", "-s", f"BOARD={board}",
                        f"CONFIG={CONFIG}"] + list(targets), cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: make {' '.join(targets)} failed:\n{r.stdout[-2000:]}")
    return r.stdout.strip()


def commands(board, disk, extra=(), drive_opts="", native_dtb=None):
    """Build, then return the (native, Bulkhead) QEMU command lines. QEMU
    lets a virtio PCI device bypass the IOMMU unless it offers
    ACCESS_PLATFORM (boards/qemu-virt/virt.mk, VIRTIO_PCI_SMMU). With no
    disk, no disk is attached. native_dtb: the device tree the native
    kernel gets instead of QEMU's own (and its bootargs)."""
    make(board, "all")
    drive = [] if disk is None else [
        "-drive", f"if=none,format=raw,id=disk0,file={disk}{drive_opts}",
        "-device", "virtio-blk-pci,drive=disk0,disable-legacy=on,iommu_platform=on"]
    tree = [] if native_dtb is None else ["-dtb", native_dtb[0]]
    bootargs = "console=ttyAMA0 quiet nokaslr" if native_dtb is None else native_dtb[1]
    native = (["qemu-system-aarch64"] + make(board, "print-native-qemu").split() +
              list(extra) + drive + tree +
              ["-kernel", "build/payloads/linux-Image",
               "-initrd", "build/payloads/linux-initramfs.cpio.gz",
               "-append", bootargs])
    hyp = (["qemu-system-aarch64"] + make(board, "print-qemu").split() + list(extra) +
           drive + ["-kernel", make(board, "print-image")])
    return native, hyp
