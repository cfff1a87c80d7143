#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Negative tests for bhcfg: every tests/configs/bad/*.dts must be refused
# with exit status 1 and an error naming the file and containing the text of
# its first line, `/* expect: TEXT */`. A case may name another board on
# its second line, `/* board: PATH */` (relative to the repository root).
# Malformed device-tree blobs generated here (truncated, garbage, empty,
# wrong property size, random byte flips) must also be refused cleanly.
# A crash, a signal (status >= 128) or any sanitizer report is a failure.
#
# Environment:
#   BHCFG      bhcfg binary to test; default: build one here with
#              -fsanitize=address,undefined
#   BOARD      default board (default: boards/qemu-virt/board.dts)
#   IMAGE_DIR  optional extra image directory (passed with -I)
#   FUZZ_RUNS  number of random byte-flip runs (default 200)
#   CC         compiler for the sanitizer build (default: cc)
#
# Output: `PASS cfg.<case>` / `FAIL cfg.<case>: <why>` per case, then
# `N passed, M failed`. Exit status is non-zero if anything failed.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BOARD=${BOARD:-$ROOT/boards/qemu-virt/board.dts}
FUZZ_RUNS=${FUZZ_RUNS:-200}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bhcfg-neg.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM

passed=0
failed=0

pass() {
	echo "PASS cfg.$1"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL cfg.$1: $2"
	failed=$((failed + 1))
}

if [ -z "${BHCFG:-}" ]; then
	BHCFG=$WORK/bhcfg
	if ! ${CC:-cc} -O1 -g -fsanitize=address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer \
		-Wall -Wextra -Werror -std=gnu11 \
		-I"$ROOT/core/include" -I"$ROOT/arch/arm64/include" -I"$ROOT/tools/bhcfg" \
		"$ROOT"/tools/bhcfg/*.c "$ROOT/core/config_validate.c" \
		"$ROOT/core/config_channels.c" "$ROOT/core/config_dma.c" "$ROOT/core/colour.c" \
		"$ROOT/stage2/pt.c" "$ROOT/stage2/stage2.c" -lfdt \
		-o "$BHCFG"; then
		echo "FAIL cfg.build: cannot build bhcfg with sanitizers"
		echo "0 passed, 1 failed"
		exit 1
	fi
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Images the cases refer to.
IMG=$WORK/img
mkdir -p "$IMG"
head -c 5000 /dev/zero | tr '\0' 'h' >"$IMG/hello.bin"
head -c 3145728 /dev/zero >"$IMG/big.bin"
: >"$IMG/empty.bin"
# An arm64 Linux Image header: text_offset 0, image_size 3 MiB, magic.
{
	printf '\000\000\000\024\000\000\000\000'	# code0, code1
	printf '\000\000\000\000\000\000\000\000'	# text_offset = 0
	printf '\000\000\060\000\000\000\000\000'	# image_size = 3 MiB
	head -c 32 /dev/zero				# flags, res2..res4
	printf 'ARM\144'				# magic 0x644d5241
	printf '\000\000\000\000'			# res5
	head -c 4032 /dev/zero
} >"$IMG/linux.bin"
INCS="-I $IMG"
if [ -n "${IMAGE_DIR:-}" ]; then
	INCS="$INCS -I $IMAGE_DIR"
fi

OUT=$WORK/out
# run_tool BOARD SYSTEM: runs bhcfg with all outputs requested.
run_tool() {
	rm -rf "$OUT"
	mkdir -p "$OUT"
	# shellcheck disable=SC2086 # INCS is a list of options
	# A hang (status 124 from timeout) fails like a crash.
	timeout 60 "$BHCFG" --board "$1" --system "$2" $INCS --out-c "$OUT/cfg.c" \
		--out-s "$OUT/blobs.S" --out-dir "$OUT/dtb" \
		>"$WORK/stdout" 2>"$WORK/stderr"
	rc=$?
}

# check_refused NAME EXPECT FILE...: the last run failed cleanly, its
# stderr contains EXPECT and one of the FILEs, and nothing was written.
check_refused() {
	name=$1
	expect=$2
	shift 2
	if [ "$rc" -ge 128 ]; then
		fail "$name" "crashed (exit status $rc)"
		return
	fi
	if grep -q -e 'Sanitizer' -e 'runtime error' "$WORK/stderr"; then
		fail "$name" "sanitizer report: $(grep -m1 -e Sanitizer -e 'runtime error' "$WORK/stderr")"
		return
	fi
	if [ "$rc" -ne 1 ]; then
		fail "$name" "exit status $rc, expected 1"
		return
	fi
	if ! grep -q -F -e "$expect" "$WORK/stderr"; then
		fail "$name" "stderr lacks '$expect': $(head -c 400 "$WORK/stderr")"
		return
	fi
	named=0
	for f in "$@"; do
		if grep -q -F -e "$f" "$WORK/stderr"; then
			named=1
		fi
	done
	if [ "$named" -ne 1 ]; then
		fail "$name" "stderr does not name the file: $(head -c 400 "$WORK/stderr")"
		return
	fi
	if [ -e "$OUT/cfg.c" ] || [ -e "$OUT/blobs.S" ] || [ -e "$OUT/dtb" ]; then
		fail "$name" "outputs were written despite the error"
		return
	fi
	pass "$name"
}

# The bad system descriptions.
for sys in "$ROOT"/tests/configs/bad/*.dts; do
	name=$(basename "$sys" .dts)
	expect=$(sed -n '1s|^/\* expect: \(.*\) \*/$|\1|p' "$sys")
	if [ -z "$expect" ]; then
		fail "$name" "first line is not /* expect: ... */"
		continue
	fi
	board=$(sed -n '2s|^/\* board: \(.*\) \*/$|\1|p' "$sys")
	if [ -n "$board" ]; then
		board=$ROOT/$board
		run_tool "$board" "$sys"
		check_refused "$name" "$expect" "$sys" "$board"
	else
		run_tool "$BOARD" "$sys"
		check_refused "$name" "$expect" "$sys"
	fi
done

# Malformed blobs, made from a good system description.
GOOD=$ROOT/tests/configs/qemu-virt/two.dts
DTB=$WORK/good.dtb
if ! dtc -q -I dts -O dtb -o "$DTB" "$GOOD"; then
	fail dtb.setup "dtc cannot compile $GOOD"
else
	size=$(wc -c <"$DTB")

	head -c $((size / 2)) "$DTB" >"$WORK/truncated.dtb"
	run_tool "$BOARD" "$WORK/truncated.dtb"
	check_refused dtb.truncated "not a valid device tree" truncated.dtb

	head -c 40 "$DTB" >"$WORK/header-only.dtb"
	run_tool "$BOARD" "$WORK/header-only.dtb"
	check_refused dtb.header_only "not a valid device tree" header-only.dtb

	head -c 3000 /dev/urandom >"$WORK/garbage.dtb"
	run_tool "$BOARD" "$WORK/garbage.dtb"
	check_refused dtb.garbage "not a valid device tree" garbage.dtb

	# Garbage behind a valid magic, with no .dtb suffix.
	{ printf '\320\015\376\355'; head -c 3000 /dev/urandom; } \
		>"$WORK/magic-garbage.bin"
	run_tool "$BOARD" "$WORK/magic-garbage.bin"
	check_refused dtb.magic_garbage "not a valid device tree" \
		magic-garbage.bin

	: >"$WORK/empty.dtb"
	run_tool "$BOARD" "$WORK/empty.dtb"
	check_refused dtb.empty "not a valid device tree" empty.dtb

	# A valid blob whose totalsize claims more than the file holds.
	{ head -c 4 "$DTB"; printf '\000\020\000\000'; tail -c +9 "$DTB"; } \
		>"$WORK/bad-totalsize.dtb"
	run_tool "$BOARD" "$WORK/bad-totalsize.dtb"
	check_refused dtb.bad_totalsize "not a valid device tree" \
		bad-totalsize.dtb

	# Version 5 (bytes 20-23): libfdt 1.6.1's fdt_check_full() crashes on
	# such a blob (found by tests/fuzz/fuzz_bhcfg.c); the tool refuses it.
	cp "$ROOT/tests/fuzz/seeds/fuzz_bhcfg/old-version.dtb" "$WORK/old-version.dtb"
	run_tool "$BOARD" "$WORK/old-version.dtb"
	check_refused dtb.old_version "not a valid device tree" \
		old-version.dtb

	# A property length that makes libfdt 1.6.1's tag walk step back:
	# fdt_check_full() never returned (found by tests/fuzz/fuzz_bhcfg.c).
	cp "$ROOT/tests/fuzz/seeds/fuzz_bhcfg/tag-cycle.dtb" "$WORK/tag-cycle.dtb"
	run_tool "$BOARD" "$WORK/tag-cycle.dtb"
	check_refused dtb.tag_cycle "not a valid device tree" tag-cycle.dtb

	head -c $((size - 8)) "$DTB" >"$WORK/board-truncated.dtb"
	run_tool "$WORK/board-truncated.dtb" "$GOOD"
	check_refused dtb.board_truncated "not a valid device tree" \
		board-truncated.dtb

	sed 's/memory-size = <0x0 0x4000000>;/memory-size = <0x4000000>;/' \
		"$GOOD" >"$WORK/wrong-size.dts"
	dtc -q -I dts -O dtb -o "$WORK/wrong-size.dtb" "$WORK/wrong-size.dts"
	run_tool "$BOARD" "$WORK/wrong-size.dtb"
	check_refused dtb.wrong_property_size "wrong length 4 bytes" \
		wrong-size.dtb
fi

run_tool "$BOARD" "$WORK/does-not-exist.dts"
check_refused input.missing_file "cannot open" does-not-exist.dts

: >"$WORK/empty.dts"
run_tool "$BOARD" "$WORK/empty.dts"
check_refused input.empty_source "dtc failed" empty.dts

# Random single-byte corruptions of a good system blob (even runs) or board
# blob (odd runs): any outcome but a crash or a sanitizer report is fine.
BOARD_DTB=$WORK/board.dtb
if [ -f "$DTB" ] && [ "$FUZZ_RUNS" -gt 0 ] &&
	dtc -q -I dts -O dtb -o "$BOARD_DTB" "$BOARD"; then
	fuzz_bad=""
	i=0
	while [ "$i" -lt "$FUZZ_RUNS" ]; do
		victim=$DTB
		if [ $((i % 2)) -eq 1 ]; then
			victim=$BOARD_DTB
		fi
		size=$(wc -c <"$victim")
		off=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
		off=$((off % size))
		cp "$victim" "$WORK/fuzz.dtb"
		head -c 1 /dev/urandom |
			dd of="$WORK/fuzz.dtb" bs=1 seek="$off" conv=notrunc \
				2>/dev/null
		if [ "$victim" = "$DTB" ]; then
			run_tool "$BOARD" "$WORK/fuzz.dtb"
		else
			run_tool "$WORK/fuzz.dtb" "$GOOD"
		fi
		if [ "$rc" -ge 2 ] ||
			grep -q -e 'Sanitizer' -e 'runtime error' "$WORK/stderr"; then
			cp "$WORK/fuzz.dtb" "${TMPDIR:-/tmp}/bhcfg-fuzz-fail.dtb"
			fuzz_bad="exit $rc at offset $off (input kept in ${TMPDIR:-/tmp}/bhcfg-fuzz-fail.dtb)"
			break
		fi
		i=$((i + 1))
	done
	if [ -n "$fuzz_bad" ]; then
		fail dtb.fuzz "$fuzz_bad"
	else
		pass dtb.fuzz
	fi
fi

# The good configurations must still pass (so the cases above fail for
# their own reason, not because of the setup).
for b in "$BOARD" "$ROOT/boards/qemu-virt/board-gicv2.dts"; do
	name=good.$(basename "$b" .dts)
	run_tool "$b" "$GOOD"
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit status $rc: $(head -c 400 "$WORK/stderr")"
	elif [ ! -s "$OUT/cfg.c" ] || [ ! -s "$OUT/blobs.S" ] ||
		! dtc -q -I dtb -O dts -o /dev/null "$OUT/dtb/alpha.dtb"; then
		fail "$name" "outputs missing or invalid"
	else
		pass "$name"
	fi
done

# Layout: the device tree 2 MiB below the end of a 4 MiB partition, 64 KiB
# below the end of a 2 MiB one and of a 1 MiB one (the smallest bhcfg lays
# out, with 4 KiB pages).
for ram in 0x400000:0x200000 0x200000:0x1f0000 0x100000:0xf0000; do
	size=${ram%%:*}
	want=${ram#*:}
	name=layout.dtb_in_$((size >> 20))mib
	pages=
	if [ $((size % 0x200000)) -ne 0 ]; then
		pages="memory-no-blocks;"
	fi
	cat >"$WORK/small.dts" <<EOT
/dts-v1/;
/ {
	compatible = "bulkhead,system";
	partitions {
		alpha {
			cpus = <0>;
			memory-size = <0x0 $size>;
			image = "hello.bin";
			$pages
		};
	};
};
EOT
	run_tool "$BOARD" "$WORK/small.dts"
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit status $rc: $(head -c 400 "$WORK/stderr")"
	elif ! grep -A3 "\.dtb = {" "$OUT/cfg.c" | grep -q "\.offset = ${want}ULL"; then
		fail "$name" "device tree not at offset $want"
	else
		pass "$name"
	fi
done

# The PCIe host bridge in the device tree of the partition given it: the
# generic ECAM binding with the partition's GIC (phandle 1, two address
# cells) as interrupt parent, and no iommu-map or msi-map (the partition
# sees no SMMU).
cat >"$WORK/pci.dts" <<EOT
/dts-v1/;
/ {
	compatible = "bulkhead,system";
	partitions {
		alpha {
			cpus = <0>;
			memory-size = <0x0 0x4000000>;
			image = "hello.bin";
			devices = "pcie@10000000";
		};
	};
};
EOT
# pci_prop PROPERTY EXPECTED: the property of /pcie@10000000, as fdtget
# prints it (cells in hex), is EXPECTED; records the first mismatch.
pci_prop() {
	got=$(fdtget -t x "$OUT/dtb/alpha.dtb" /pcie@10000000 "$1" 2>&1)
	if [ "$got" != "$2" ] && [ -z "$pci_bad" ]; then
		pci_bad="$1 is '$got', expected '$2'"
	fi
}
run_tool "$BOARD" "$WORK/pci.dts"
pci_bad=
if [ "$rc" -ne 0 ]; then
	pci_bad="exit status $rc: $(head -c 400 "$WORK/stderr")"
else
	imap=
	for slot in 0 1 2 3; do
		for pin in 1 2 3 4; do
			spi=$(((slot + pin - 1) % 4 + 3))
			imap="$imap $(printf '%x' $((slot << 11))) 0 0 $pin 1 0 0 0 $spi 4"
		done
	done
	[ "$(fdtget -t s "$OUT/dtb/alpha.dtb" /pcie@10000000 compatible)" = \
		pci-host-ecam-generic ] || pci_bad="compatible"
	[ "$(fdtget -t s "$OUT/dtb/alpha.dtb" /pcie@10000000 device_type)" = \
		pci ] || pci_bad="device_type"
	pci_prop reg "40 10000000 0 10000000"
	pci_prop bus-range "0 ff"
	pci_prop "#address-cells" 3
	pci_prop "#size-cells" 2
	pci_prop "#interrupt-cells" 1
	pci_prop ranges "1000000 0 0 0 3eff0000 0 10000 2000000 0 10000000 0 10000000 0 2eff0000"
	pci_prop interrupt-map-mask "1800 0 0 7"
	pci_prop interrupt-map "${imap# }"
	pci_prop linux,pci-domain 0
	pci_prop dma-coherent ""
	[ "$(fdtget -t x "$OUT/dtb/alpha.dtb" /intc@8000000 "#address-cells")" = 2 ] &&
		[ "$(fdtget -t x "$OUT/dtb/alpha.dtb" /intc@8000000 phandle)" = 1 ] ||
		pci_bad="${pci_bad:-the GIC node is not phandle 1 with 2 address cells}"
	for absent in iommu-map msi-map interrupts bus-master stream-ids; do
		if fdtget "$OUT/dtb/alpha.dtb" /pcie@10000000 "$absent" \
			>/dev/null 2>&1; then
			pci_bad="${pci_bad:-$absent must not be there}"
		fi
	done
	if ! grep -q -F '.sids = {' "$OUT/cfg.c" ||
		! grep -q -F '{ .smmu = 0, .first = 0x0, .count = 0x10000 },' \
			"$OUT/cfg.c"; then
		pci_bad="${pci_bad:-the table does not give alpha StreamIDs 0..0xffff}"
	fi
fi
if [ -n "$pci_bad" ]; then
	fail guest_dt.pcie "$pci_bad"
else
	pass guest_dt.pcie
fi

# A dma-unprotected partition builds, with a warning naming its bus masters.
sed -e 's|devices = "pcie@10000000";|devices = "fw-cfg@9020000"; dma-unprotected;|' \
	"$WORK/pci.dts" >"$WORK/unprotected.dts"
run_tool "$BOARD" "$WORK/unprotected.dts"
if [ "$rc" -ne 0 ]; then
	fail warn.dma_unprotected "exit status $rc: $(head -c 400 "$WORK/stderr")"
elif ! grep -q -F 'bhcfg: warning: partition alpha is dma-unprotected: its bus masters (fw-cfg@9020000) can reach all of physical memory' "$WORK/stderr"; then
	fail warn.dma_unprotected "no warning: $(head -c 400 "$WORK/stderr")"
else
	pass warn.dma_unprotected
fi

# The picture of the system (--layout-svg, --layout-text): the SVG parses
# and, like the text table, names every partition and channel.
cat >"$WORK/pic.dts" <<EOT
/dts-v1/;
/ {
	compatible = "bulkhead,system";
	partitions {
		alpha {
			cpus = <0 1>;
			memory-size = <0x0 0x4000000>;
			image = "hello.bin";
			devices = "pl031@9010000";
			monitor = "alpha", "beta";
		};
		beta {
			cpus = <2>;
			memory-size = <0x0 0x400000>;
			image = "hello.bin";
		};
	};
	channels {
		link {
			memory-size = <0x0 0x1000>;
			alpha { access = "read-write"; };
			beta { access = "read-only"; };
		};
	};
};
EOT
for b in "$BOARD" "$ROOT/boards/qemu-virt/board-gicv2.dts"; do
	name=layout.picture_$(basename "$b" .dts)
	rm -f "$WORK/pic.svg" "$WORK/pic.txt"
	# shellcheck disable=SC2086 # INCS is a list of options
	timeout 60 "$BHCFG" --board "$b" --system "$WORK/pic.dts" $INCS \
		--layout-svg "$WORK/pic.svg" --layout-text "$WORK/pic.txt" \
		>"$WORK/stdout" 2>"$WORK/stderr"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit status $rc: $(head -c 400 "$WORK/stderr")"
	elif ! why=$(python3 "$ROOT/tests/run/layout_check.py" "$WORK/pic.svg" \
		"$WORK/pic.txt" alpha beta channel:link); then
		fail "$name" "$why"
	else
		pass "$name"
	fi
done

# The hypervisor's table pool: bhcfg sizes it (HV_PT_OWN_PAGES plus what
# it counts for the partitions, at least HV_PT_POOL_PAGES) and the
# validator fits its pages beyond HV_PT_POOL_PAGES into the hypervisor's
# region (docs/isolation.md, "What colouring costs"). In a 12 MiB region
# with a 3 MiB image, 0x27180000 bytes in 12 colours need exactly the 735
# pages that fill it (a pool of 767); one 4 KiB page more needs 736, and
# the refusal names the partition.
for case in fit:0x27180000 over:0x27181000; do
	name=tables.${case%%:*}
	cat >"$WORK/tables.dts" <<EOT
/dts-v1/;
/ {
	compatible = "bulkhead,system";
	hypervisor {
		memory-size = <0x0 0xc00000>;
	};
	partitions {
		alpha {
			cpus = <0>;
			memory-size = <0x0 ${case#*:}>;
			cache-colours = "0-11";
			image = "big.bin";
		};
	};
};
EOT
	run_tool "$BOARD" "$WORK/tables.dts"
	if [ "$name" = tables.over ]; then
		check_refused "$name" 'for the 256 table pages of its pool beyond 512 (the partitions'"'"' stage-2 tables and loading windows need 736, partition "alpha" 736 of them' tables.dts
	elif [ "$rc" -ne 0 ]; then
		fail "$name" "exit status $rc: $(head -c 600 "$WORK/stderr")"
	elif ! grep -q '^	.table_pages = 735,$' "$OUT/cfg.c" ||
		! grep -q '^uint64_t hv_pt_pool_pages\[767\]' "$OUT/cfg.c"; then
		fail "$name" "cfg.c does not size the pool for 735 pages: $(grep -e table_pages -e 'hv_pt_pool_pages\[' "$OUT/cfg.c")"
	else
		pass "$name"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
