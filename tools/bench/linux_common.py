# SPDX-License-Identifier: MIT
"""What the Linux benchmarks share: the build, and the two QEMU command
lines (native, and the same kernel in a Bulkhead partition) with the same
virtio-blk-pci disk."""
import os
import re
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "bench")
# Linux alone in a partition, its disk on the PCIe bridge behind the SMMU.
CONFIG = "tests/configs/qemu-virt/linux-alone.dts"
# Exact, repeatable virtual time: icount, no random seed in QEMU's device
# tree, the RTC on the virtual clock (docs/performance.md).
ICOUNT = ["-icount", "shift=0,align=off,sleep=off", "-machine", "dtb-randomness=off",
          "-rtc", "base=2026-01-01T00:00:00,clock=vm"]
UNIT = re.compile(r"^\t([A-Za-z0-9,._+-]+)@([0-9a-f]+) \{$", re.M)


def make(board, *targets, config=CONFIG):
    r = subprocess.run(["make", "--no-print-directory", "-s", f"BOARD={board}",
                        f"CONFIG={config}"] + list(targets), cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: make {' '.join(targets)} failed:\n{r.stdout[-2000:]}")
    return r.stdout.strip()


def dts(path):
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path], check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def native_tree(board, config=CONFIG):
    """The partition's DTB less the top-level nodes whose unit address
    QEMU's machine lacks; returns (path, bootargs, removed node names).
    Builds first: the partition's DTB is a build product."""
    make(board, "all", config=config)
    out = os.path.dirname(make(board, "print-image", config=config))
    name = os.path.splitext(os.path.basename(config))[0]
    part = os.path.join(ROOT, out, "gen", "dtbs", "linux.dtb")
    machine = os.path.join(OUT, f"qemu-{board}.dtb")
    args = make(board, "print-native-qemu", config=config).split()
    # -machine dumpdtb= writes QEMU's own tree for these options and exits.
    for i, a in enumerate(args):
        if a == "-M":
            args[i + 1] += f",dumpdtb={machine}"
    subprocess.run(["qemu-system-aarch64"] + args, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    have = set(UNIT.findall(dts(machine)))
    have_addr = {addr for _, addr in have}
    tree = os.path.join(OUT, f"{name}-native-{board}.dtb")
    subprocess.run(["cp", part, tree], check=True)
    removed = []
    for node, addr in UNIT.findall(dts(part)):
        if node != "memory" and addr not in have_addr:
            subprocess.run(["fdtput", "-r", tree, f"/{node}@{addr}"], check=True)
            removed.append(f"{node}@{addr}")
    bootargs = subprocess.run(["fdtget", tree, "/chosen", "bootargs"], check=True,
                              stdout=subprocess.PIPE, text=True).stdout.strip()
    return tree, bootargs, removed


def commands(board, disk, extra=(), drive_opts="", native_dtb=None, config=CONFIG,
             kernel="build/payloads/linux-Image",
             initrd="build/payloads/linux-initramfs.cpio.gz"):
    """Build, then return the (native, Bulkhead) QEMU command lines. QEMU
    lets a virtio PCI device bypass the IOMMU unless it offers
    ACCESS_PLATFORM (boards/qemu-virt/virt.mk, VIRTIO_PCI_SMMU). With no
    disk, no disk is attached. native_dtb: the device tree the native
    kernel gets instead of QEMU's own (and its bootargs). config, kernel,
    initrd: the system description and, for native, the same payloads."""
    make(board, "all", config=config)
    drive = [] if disk is None else [
        "-drive", f"if=none,format=raw,id=disk0,file={disk}{drive_opts}",
        "-device", "virtio-blk-pci,drive=disk0,disable-legacy=on,iommu_platform=on"]
    tree = [] if native_dtb is None else ["-dtb", native_dtb[0]]
    bootargs = "console=ttyAMA0 quiet nokaslr" if native_dtb is None else native_dtb[1]
    native = (["qemu-system-aarch64"] + make(board, "print-native-qemu", config=config).split() +
              list(extra) + drive + tree +
              ["-kernel", kernel, "-initrd", initrd, "-append", bootargs])
    hyp = (["qemu-system-aarch64"] + make(board, "print-qemu", config=config).split() +
           list(extra) + drive + ["-kernel", make(board, "print-image", config=config)])
    return native, hyp


class Qemu:
    """One QEMU run of a benchmark: started in ROOT, its output copied to
    log_path and given line by line (lines()) until the caller has what it
    wants or timeout seconds have passed: a guest that goes quiet cannot
    hang the benchmark. send() types into its console. Killed on leaving
    the with block.

        with Qemu(cmd, log, 600) as q:
            for line in q.lines():
                ...
        sys.exit(...)   # reached when the output ended or timed out
    """

    def __init__(self, cmd, log_path, timeout):
        self.log_path, self.timeout = log_path, timeout
        self.start = time.monotonic()
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()
        self.log.close()

    def elapsed(self):
        """Wall-clock seconds since QEMU started."""
        return time.monotonic() - self.start

    def lines(self):
        """QEMU's output, one decoded line at a time (with its newline)."""
        buf = b""
        while self.elapsed() < self.timeout:
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace") + "\n"
                self.log.write(text)
                yield text

    def send(self, text):
        """Type text into the console (the hypervisor's, or native Linux's)."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def where(self):
        """The log's path, relative to ROOT, for messages."""
        return os.path.relpath(self.log_path, ROOT)
