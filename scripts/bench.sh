#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: dmashim against the raw DMA API, on the stock Debian kernel
# (no lockdep, KASAN or DMA-API debug, which would dominate the timings).
# Builds dmashim and kunit/bench/dmashim_bench.ko against the stock headers,
# boots the stock kernel under QEMU (TCG) and prints the benchmark's lines:
#   <name> raw_ns=<n> shim_ns=<n> ratio=<shim/raw>
# Under TCG only the ratios mean something, and emulated atomic operations
# and calls cost more than on hardware.  Exits non-zero if a benchmark
# failed or the kernel reported anything.
#
# Environment: ITERATIONS (default 5000), IOMMU=1 for the intel-iommu variant.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
WORK=$DMASHIM_ROOT/build/bench

main() {
	local variant=plain log=$WORK/console.log

	[ "${IOMMU:-0}" = 1 ] && variant=iommu
	stock_kernel
	mkdir -p "$WORK"
	"$SCRIPTS/build-modules.sh" "$KDIR" "$DMASHIM_ROOT/build/stock" \
		>"$WORK/modules.log" 2>&1 || {
		cat "$WORK/modules.log" >&2
		die "bench: module build failed"
	}
	printf '%s\n%s iterations=%s\n' "$DMASHIM_ROOT/build/stock/dmashim.ko" \
		"$DMASHIM_ROOT/build/stock/kunit/bench/dmashim_bench.ko" \
		"${ITERATIONS:-5000}" >"$WORK/manifest"
	"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$WORK/initramfs.cpio.gz" \
		"$WORK/manifest"
	echo "bench: $KERNEL_DESC, QEMU TCG, $variant"
	"$SCRIPTS/run-qemu.sh" "$variant" "$BZIMAGE" "$WORK/initramfs.cpio.gz" \
		"$log" >/dev/null
	sed -n 's/^\[ *[0-9.]*\] dmashim-bench: /bench: /p' "$log"
	grep -q 'dmashim-bench: done' "$log" || die "bench: did not finish (see $log)"
	if grep -q 'dmashim-bench: .* failed' "$log"; then
		die "bench: a benchmark failed (see $log)"
	fi
	if grep -qE 'WARNING:|BUG:|Call Trace:|Oops' "$log"; then
		die "bench: the kernel reported a problem (see $log)"
	fi
}

main "$@"
