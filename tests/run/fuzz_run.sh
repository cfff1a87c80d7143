#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Run the host libFuzzer targets (build/fuzz/fuzz_*, made by
# `make fuzz-targets`) from the repository root.
#
#   fuzz_run.sh smoke   each target over its seed corpus plus FUZZ_RUNS
#                       (default 2000) mutations: part of make test
#   fuzz_run.sh long    each target for FUZZ_SECONDS (default 60): make fuzz
#
# Seeds: tests/fuzz/seeds/<target>/ (checked in; findings stay there as
# regression inputs) and, for fuzz_bhcfg, every system description of
# tests/configs compiled with dtc. New inputs go to
# build/fuzz/corpus/<target>/, crashes and hangs to build/fuzz/ (libFuzzer's
# crash-* and timeout-* files). Output: PASS/FAIL fuzz.<target> and "N passed, M failed".

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
MODE=${1:-smoke}
FUZZ_RUNS=${FUZZ_RUNS:-2000}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
passed=0
failed=0

mkdir -p build/fuzz/seeds/fuzz_bhcfg
for d in tests/configs/qemu-virt/*.dts tests/configs/bad/*.dts; do
	out=build/fuzz/seeds/fuzz_bhcfg/$(basename "$d" .dts).dtb
	[ -f "$out" ] && [ "$out" -nt "$d" ] && continue
	dtc -q -I dts -O dtb -o "$out" "$d" 2>/dev/null || rm -f "$out"
done

for t in fuzz_trap fuzz_vgic fuzz_bhcfg; do
	corpus=build/fuzz/corpus/$t
	mkdir -p "$corpus"
	seeds=tests/fuzz/seeds/$t
	[ "$t" = fuzz_bhcfg ] && seeds="$seeds build/fuzz/seeds/fuzz_bhcfg"
	if [ "$MODE" = long ]; then
		limit="-max_total_time=$FUZZ_SECONDS"
	else
		limit="-runs=$FUZZ_RUNS"
	fi
	log=build/fuzz/$t.log
	# The config tool prints an error per bad input: keep it quiet
	# (libFuzzer keeps its own and the sanitizers' reports).
	[ "$t" = fuzz_bhcfg ] && limit="$limit -close_fd_mask=2"
	# An input that runs 10 s is a hang: a finding (timeout-* artifact).
	if build/fuzz/$t $limit -timeout=10 -artifact_prefix=build/fuzz/ "$corpus" $seeds \
		>"$log" 2>&1; then
		echo "PASS fuzz.$t ($(grep -c . "$log") log lines, $(ls "$corpus" | wc -l) corpus inputs)"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz.$t: see $log"
		tail -20 "$log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
