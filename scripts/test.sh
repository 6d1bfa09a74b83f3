#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make test`: the whole pipeline, in order, stopping at the first failed
# stage:
#   1. install dependencies (scripts/setup.sh);
#   2. build against the stock Debian headers, warning-free (build/stock),
#      a driver-local copy too, and the Debian packages with a driver built
#      against them (scripts/deb.sh test, build/deb);
#   3. static analysis (scripts/check.sh);
#   4. the debug test kernel (scripts/build-kernel.sh, cached), the
#      modules for it (build/test) and the drivers with their own copies of
#      dmashim (build/test/local): common.sh's build_test_tree;
#   5. the Rust bindings and wrapper (scripts/rust.sh check), and the test
#      kernel as packages with the Rust sample built against them
#      (scripts/deb.sh test-rust);
#   6. the runner's self-test (selftest below);
#   7. one boot of the debug kernel per variant (plain, iommu,
#      iommu-strict) with the test sets of scripts/manifest, one of the
#      stock kernel with the set "dkms" (stock-dkms) and one of the packaged
#      test kernel with the set "dkms-rust" (rust-packages), each judged by
#      scripts/check-log.sh; a skipped case is a failure there: each kernel
#      has all its cases need.
# Logs: build/logs/.  The last line is the totals line "N passed, N failed,
# N skipped" over the variants; a failed stage or a red run without a
# failed case counts as one failure, so 0 failed means all is green.
#
# Usage: scripts/test.sh (exits non-zero on any failure)

# Stage functions are called through stage(): shellcheck cannot see it.
# shellcheck disable=SC2317
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
BUILD=$DMASHIM_ROOT/build
LOGS=$BUILD/logs
PASSED=0 FAILED=0 SKIPPED=0 STATUS=0
SUMMARY=()

progress() { echo "test: [${SECONDS}s] $*"; }

# failed WHAT [N]: a failed stage or run, counted as N failures (default 1).
failed() {
	SUMMARY+=("FAILED  $1")
	FAILED=$((FAILED + ${2:-1}))
	STATUS=1
}

# finish: the summary and, last, the totals line.
finish() {
	trap - EXIT
	echo "test: summary after $SECONDS s (logs in ${LOGS#"$DMASHIM_ROOT"/}/):"
	printf 'test:   %s\n' "${SUMMARY[@]}"
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	exit $STATUS
}

# stage NAME COMMAND...: one stage in a subshell, so that die() ends only
# the stage (errexit does not hold there: stage functions check each step);
# a failed stage ends the run.
stage() {
	local name=$1 start=$SECONDS rc=0
	shift

	progress "$name..."
	("$@") || rc=$?
	if [ $rc -ne 0 ]; then
		progress "$name FAILED"
		failed "$name"
		finish
	fi
	SUMMARY+=("ok      $name ($((SECONDS - start)) s)")
}

test_kernel() { "$SCRIPTS/build-kernel.sh" --print-dir >"$BUILD/kdir"; }

# selftest_case NAME VERDICT SET...: boot the plain variant with the sets;
# the judge must say exactly VERDICT ("GREEN" or "RED: reason ...").
selftest_case() {
	local name=$1 want=$2 log=$LOGS/selftest-$1.log got
	shift 2

	"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$BUILD/test" "$BUILD/test/$name.cpio.gz" "$@" || return 1
	DMASHIM_QEMU_APPEND=dmashim_kmemleak=off "$SCRIPTS/run-qemu.sh" plain \
		"$KDIR/arch/x86/boot/bzImage" "$BUILD/test/$name.cpio.gz" "$log" || true
	"$SCRIPTS/check-log.sh" "$log" >"$log.judge" 2>&1 || true
	grep -F 'BUG: KASAN' "$log.judge" | head -n 1 || true
	got=$(sed -nE 's/^judge: (GREEN|RED) [^:]*(:)?/\1\2/p' "$log.judge")
	if [ "$got" = "$want" ]; then
		echo "selftest: $name: ok, the judge said '$got'"
		return 0
	fi
	echo "selftest: $name: FAILED: expected '$want', the judge said '${got:-nothing}'"
	sed 's/^/selftest:   /' "$log.judge"
	return 1
}

# selftest: the runner's self-test, with the kunit/selftest modules: a
# passing suite, plus a failing case, plus a KASAN report (an out-of-bounds
# read).  A judge that calls green red, red green, or red for another
# reason fails.  These boots test the judge, not dmashim: they skip the
# guest's kmemleak scans (scripts/guest/init), 16 s each.
selftest() {
	local bad=0

	selftest_case pass "GREEN" selftest || bad=1
	selftest_case fail "RED: test-failures" selftest selftest-fail || bad=1
	selftest_case kasan "RED: checker-report" selftest selftest-kasan || bad=1
	[ "$bad" -eq 0 ] || die "selftest: FAILED: the judge cannot be trusted"
	echo "selftest: ok: green is green, a failing case and a KASAN report are red"
}

# packages KDIR: the Debian packages, DKMS and the drivers built against them
# (scripts/deb.sh), and the stock-dkms guest.
packages() {
	"$SCRIPTS/deb.sh" test "$1" &&
		"$SCRIPTS/mkinitramfs.sh" "$1" "$BUILD/deb/guest" "$BUILD/deb/initramfs.cpio.gz" dkms
}

# rust_packages KDIR: the test kernel as packages, the Rust sample against
# them (scripts/deb.sh test-rust), and the rust-packages guest.
rust_packages() {
	"$SCRIPTS/deb.sh" test-rust "$1" &&
		"$SCRIPTS/mkinitramfs.sh" "$BUILD/deb/rust-root/usr/src/linux-headers-$(kernel_release "$1")" \
			"$BUILD/deb/guest-rust" "$BUILD/deb/guest-rust/initramfs.cpio.gz" dkms-rust
}

# variant NAME QEMU_VARIANT BZIMAGE INITRAMFS: boot, judge, add the totals.
variant() {
	local v=$1 start=$SECONDS log=$LOGS/$1.log green=1 passed=0 failed=0 skipped=0

	progress "boot $v..."
	"$SCRIPTS/run-qemu.sh" "$2" "$3" "$4" "$log" || true
	"$SCRIPTS/check-log.sh" "$log" || green=0
	eval "$(cat "$LOGS/$v.totals" 2>/dev/null)"
	if [ "$skipped" -gt 0 ]; then
		progress "$v: $skipped skipped cases: the debug kernel must run them all"
		green=0
	fi
	PASSED=$((PASSED + passed)) SKIPPED=$((SKIPPED + skipped))
	if [ $green -eq 1 ]; then
		SUMMARY+=("ok      $v: $passed passed, $skipped skipped ($((SECONDS - start)) s)")
		FAILED=$((FAILED + failed))
	else
		failed "$v: $passed passed, $failed failed, $skipped skipped ($((SECONDS - start)) s),\
 see ${log#"$DMASHIM_ROOT"/}" $((failed > 0 ? failed : 1))
	fi
}

trap 'failed "test.sh stopped unexpectedly (status $?)"; finish' EXIT
mkdir -p "$LOGS"
rm -f "$LOGS"/*
stage "setup" "$SCRIPTS/setup.sh"
stock_kernel
stock=$KDIR stock_bzimage=$BZIMAGE
stage "stock build (${stock##*/})" build_modules "$stock" "$BUILD/stock"
stage "stock driver-local copy" build_local "$stock" "$BUILD/stock/local" \
	"${DMASHIM_LOCAL_DRIVERS[0]}"
stage "packages, DKMS and a driver against them" packages "$stock"
stage "static checks" "$SCRIPTS/check.sh"
stage "test kernel" test_kernel
KDIR=$(cat "$BUILD/kdir")
export KDIR
stage "test build" build_test_tree "$KDIR"
stage "rust checks" "$SCRIPTS/rust.sh" check
stage "Rust kernel packages and the Rust sample against them" rust_packages "$KDIR"
stage "runner self-test" selftest
stage "initramfs (${DMASHIM_TEST_SETS[*]})" "$SCRIPTS/mkinitramfs.sh" "$KDIR" \
	"$BUILD/test" "$BUILD/test/initramfs.cpio.gz" "${DMASHIM_TEST_SETS[@]}"
for v in plain iommu iommu-strict; do
	variant "$v" "$v" "$KDIR/arch/x86/boot/bzImage" "$BUILD/test/initramfs.cpio.gz"
done
variant stock-dkms plain "$stock_bzimage" "$BUILD/deb/initramfs.cpio.gz"
variant rust-packages plain \
	"$BUILD/deb/guest-rust/vmlinuz-$(kernel_release "$KDIR")" \
	"$BUILD/deb/guest-rust/initramfs.cpio.gz"
finish
