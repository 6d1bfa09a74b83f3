#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: dmashim's sample drivers doing real DMA with QEMU's edu device.
# Builds dmashim and the samples against the stock Debian kernel's headers
# (build/stock), boots the newest stock kernel under QEMU (TCG) with the
# sets "dmashim samples" of scripts/manifest (the hooks run both samples:
# transfers, verification, unbind), prints a readable report from the
# console and judges it with scripts/check-log.sh.  Exits non-zero on a
# failed case, a data mismatch or any kernel report.
#
# `make bench` (BENCH=1): the sets "dmashim bench" instead, booted twice
# (plain TCG, then -icount shift=0), and kunit/bench/dmashim_bench.ko's
# figures, dmashim against the raw API in the same run, turned by
# scripts/bench-report.py into a table, build/bench/bench.json and
# build/bench/bench.png.
# On the stock kernel: the debug kernel's checkers would dominate the
# timings.  Under TCG only the ratios mean something, and emulated atomic
# operations and calls cost more than on hardware.  Fails if a benchmark
# failed or the judge's checker rules find a report.
#
# Usage: scripts/run.sh   (make run IOMMU=1 KERNEL=debug, make bench)
#   IOMMU=1       boot with an Intel IOMMU (run-qemu.sh's "iommu" variant)
#   KERNEL=debug  the debug test kernel of scripts/build-kernel.sh instead
#   BENCH=1       the benchmarks, ITERATIONS (default 5000) per measurement
# Output: build/run/<bench|run>-<kernel>-<variant>/console.log and the pieces.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts

say() { echo "run: $*"; }

progress() { say "[$SECONDS s] $*"; }

# report LOG: the samples' results, suite by suite, from the console.
report() {
	tr -d '\r' <"$1" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | awk '
	function suite(s) {
		if (!(s in seen)) { seen[s] = 1; order[++n] = s }
		return s
	}
	function add(s, line) { text[suite(s)] = text[s] "    " line "\n" }
	/^    # Subtest: / { cur = last = suite($3); next }
	/^    # REPORT / { s = $3; sub(/:$/, "", s); sub(/^    # REPORT [^:]*: /, ""); add(s, $0); next }
	/^    # FAIL: / && last != "" { sub(/^    # /, ""); add(last, "** " $0); next }
	/dmashim: unbind released/ && last != "" {
		sub(/^.*dmashim: /, ""); add(last, "kernel: dmashim " $0); next
	}
	/^    (not )?ok [0-9]+ / && cur != "" {
		total[cur]++; if ($1 == "ok") passed[cur]++; else failed[cur] = failed[cur] " " $NF; next
	}
	/^(not )?ok [0-9]+ / { verdict[$NF] = ($1 == "ok") ? "PASS" : "FAIL"; cur = "" }
	END {
		if (!n) print "  no sample results in the log"
		for (i = 1; i <= n; i++) {
			s = order[i]
			printf "  %s: %s, %d/%d cases passed\n%s", s,
				(s in verdict) ? verdict[s] : "INCOMPLETE", passed[s], total[s], text[s]
			if (failed[s] != "") printf "    failed:%s\n", failed[s]
		}
	}'
}

variant=plain iommu_desc="no IOMMU" rc=0
[ "${IOMMU:-0}" = 1 ] && variant=iommu iommu_desc="Intel IOMMU (intel_iommu=on)"
case ${KERNEL:=stock} in
stock)
	stock_kernel
	mods=$DMASHIM_ROOT/build/stock ;;
debug)
	progress "debug kernel (scripts/build-kernel.sh; built once, then cached)..."
	KDIR=$("$SCRIPTS/build-kernel.sh" --print-dir)
	BZIMAGE=$KDIR/arch/x86/boot/bzImage
	KERNEL_DESC="$(kernel_release "$KDIR") (debug test kernel: KASAN, lockdep, kmemleak, DMA-API debug)"
	mods=$DMASHIM_ROOT/build/test ;;
*) die "run: KERNEL=$KERNEL (stock or debug)" ;;
esac
sets=(dmashim samples) what=run
[ "${BENCH:-0}" != 1 ] || sets=(dmashim bench) what=bench
work=$DMASHIM_ROOT/build/run/$what-$KERNEL-$variant
rm -rf "$work"
mkdir -p "$work"
progress "building dmashim and its modules against $KDIR..."
build_modules "$KDIR" "$mods" >"$work/modules.log" 2>&1 || {
	cat "$work/modules.log" >&2
	die "run: module build failed"
}
progress "initramfs..."
DMASHIM_PARAMS_dmashim_bench="iterations=${ITERATIONS:-5000}" \
	"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$mods" "$work/initramfs.cpio.gz" "${sets[@]}"
# boot MODE LOG: one guest; MODE "icount" counts instructions as time.
boot() {
	local t=$SECONDS icount=0 mode=TCG

	[ "$1" != icount ] || icount=1 mode="TCG, -icount shift=0"
	progress "booting ${KERNEL_DESC%% *} under QEMU ($mode, $iommu_desc); console: ${2#"$DMASHIM_ROOT"/}"
	DMASHIM_QEMU_ICOUNT=$icount "$SCRIPTS/run-qemu.sh" -t 1200 "$variant" "$BZIMAGE" \
		"$work/initramfs.cpio.gz" "$2" || rc=1
	progress "booted in $((SECONDS - t)) s, the wait for the machine lock included"
}

if [ $what = bench ]; then
	# Plain TCG, then -icount shift=0 (guest time = instructions, so the
	# ratios repeat): under TCG only the ratios mean anything.
	reports=()
	for mode in tcg icount; do
		log=$work/console-$mode.log
		boot "$mode" "$log"
		grep -q 'dmashim-bench: done' "$log" || die "bench: $mode: did not finish (see $log)"
		[ -z "$("$SCRIPTS/check-log.sh" --reports "$log")" ] ||
			die "bench: $mode: the kernel reported a problem (see $log)"
		reports+=("$mode=$log")
	done
	echo "bench: $KERNEL_DESC, QEMU TCG, $iommu_desc"
	"$DMASHIM_PYTHON" "$SCRIPTS/bench-report.py" "$DMASHIM_ROOT/build/bench" \
		"$KERNEL_DESC" "${reports[@]}" || rc=1
	exit $rc
fi

log=$work/console.log
boot tcg "$log"

say "================================================================"
say "dmashim samples on QEMU's edu device (PCI 1234:11e8)"
say "  kernel: $KERNEL_DESC"
say "  QEMU:   TCG, q35, $iommu_desc"
say "----------------------------------------------------------------"
report "$log" | sed 's/^/run: /'
say "----------------------------------------------------------------"
say "dmashim's trace events of one edu_nic probe (tracefs, events/dmashim):"
tr -d '\r' <"$log" | sed -n 's/^.*#   *\(.* dmashim_[a-z]*: .*\)$/run:   \1/p' | head -n 6
say "----------------------------------------------------------------"
"$SCRIPTS/check-log.sh" "$log" | sed 's/^/run: /' || rc=1
say "================================================================"
if [ $rc -eq 0 ]; then
	say "PASSED in $SECONDS s"
else
	say "FAILED in $SECONDS s (console: ${log#"$DMASHIM_ROOT"/})"
fi
exit $rc
