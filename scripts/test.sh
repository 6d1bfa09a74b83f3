#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make test`: the whole dmashim pipeline.
#   1. install dependencies (scripts/setup.sh);
#   2. build against the stock Debian headers, warning-free (build/stock);
#   3. static analysis (scripts/check.sh, when present);
#   4. build the debug test kernel (cached) and the modules for it (build/test);
#   5. check the Rust bindings and wrapper (scripts/rust.sh check);
#   6. self-test the runner (scripts/selftest-runner.sh);
#   7. boot every variant (plain, iommu, iommu-strict) with dmashim.ko, all
#      KUnit modules and the bundles (user-space mmap tests, the edu samples
#      with the unbind test, the Rust sample), and judge each console log
#      (scripts/check-log.sh); a skipped case is a failure there.
# Logs are kept in build/logs/.  The last line printed is the totals line
# "N passed, N failed, N skipped", summed over the variants; "failed" also
# counts one per stage or run that failed without a failing test case
# (build error, crash, checker report...), so it is 0 only when all is green.
# Exits non-zero on any failure.

# Stage functions are called through stage(): shellcheck cannot see it.
# shellcheck disable=SC2317
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
BUILD=$DMASHIM_ROOT/build
LOGS=$BUILD/logs
VARIANTS=(plain iommu iommu-strict)

T0=$(now)
PASSED=0
FAILED=0
SKIPPED=0
STATUS=0
SUMMARY=()

progress() {
	echo "test: [$(($(now) - T0))s] $*"
}

# record_failure WHAT: a failed stage; it counts as one failure.
record_failure() {
	SUMMARY+=("FAILED  $1")
	FAILED=$((FAILED + 1))
	STATUS=1
}

# finish: print the summary and, last, the totals line; exit with the status.
finish() {
	local s

	trap - EXIT
	echo "test: summary after $(($(now) - T0)) s (logs in ${LOGS#"$DMASHIM_ROOT"/}/):"
	for s in "${SUMMARY[@]}"; do
		echo "test:   $s"
	done
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	exit $STATUS
}

# on_exit: an unexpected exit still ends with a (failed) totals line.
on_exit() {
	local rc=$?

	record_failure "test.sh stopped unexpectedly (status $rc)"
	finish
}

# stage NAME COMMAND...: run one pipeline stage in a subshell (so errexit
# holds inside it and die() ends only the stage); abort the run if it fails.
stage() {
	local name=$1 start rc
	shift

	start=$(now)
	progress "$name..."
	set +e
	(
		set -e
		"$@"
	)
	rc=$?
	set -e
	if [ $rc -ne 0 ]; then
		progress "$name FAILED"
		record_failure "$name"
		finish
	fi
	SUMMARY+=("ok      $name ($(($(now) - start)) s)")
}

static_checks() {
	if [ -x "$SCRIPTS/check.sh" ]; then
		"$SCRIPTS/check.sh"
	else
		echo "check: not yet present"
	fi
}

test_kernel() {
	"$SCRIPTS/build-kernel.sh" --print-dir >"$BUILD/kdir"
}

# write_manifest FILE: dmashim.ko first, then every module under kunit/
# (its own directory first, then subdirectories such as test devices),
# except the runner's self-test modules and the benchmark (scripts/bench.sh;
# on the debug kernel it would time the checkers).
write_manifest() {
	[ -f "$BUILD/test/dmashim.ko" ] || die "test: $BUILD/test/dmashim.ko was not built"
	echo "$BUILD/test/dmashim.ko" >"$1"
	find "$BUILD/test/kunit" -name '*.ko' -not -path '*/selftest/*' \
		-not -path '*/bench/*' |
		awk -F/ '{ print NF, $0 }' | sort -k1,1n -k2 | cut -d' ' -f2- >>"$1"
}

# BUNDLES: what the guest runs after the modules load (scripts/bundle/*.sh):
# the user-space mmap tests, the edu sample drivers with the unbind test,
# and the Rust sample driver.
BUNDLES=(mmap samples rust)

bundles() {
	local b

	for b in "${BUNDLES[@]}"; do
		"$SCRIPTS/bundle/$b.sh" "$KDIR" "$BUILD/test" "$BUILD/test/bundles/$b"
	done
}

test_initramfs() {
	local b dirs=()

	write_manifest "$BUILD/test/modules.manifest"
	sed "s|^$BUILD/||; s|^|test:   |" "$BUILD/test/modules.manifest"
	for b in "${BUNDLES[@]}"; do
		dirs+=("$BUILD/test/bundles/$b")
	done
	"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$BUILD/test/initramfs.cpio.gz" \
		"$BUILD/test/modules.manifest" "${dirs[@]}"
}

rust_checks() {
	KDIR=$KDIR "$SCRIPTS/rust.sh" check
}

# read_totals FILE: set passed, failed, skipped from check-log.sh's totals.
read_totals() {
	local key val

	[ -f "$1" ] || return 0
	while IFS='=' read -r key val; do
		case $key in
		passed | failed | skipped) printf -v "$key" '%d' "$val" ;;
		esac
	done < <(tr ' ' '\n' <"$1")
}

# run_variant VARIANT: boot, judge, add the totals.
run_variant() {
	local v=$1 start log=$LOGS/$1.log green=1 passed=0 failed=0 skipped=0

	start=$(now)
	progress "boot $v..."
	"$SCRIPTS/run-qemu.sh" "$v" "$KDIR/arch/x86/boot/bzImage" \
		"$BUILD/test/initramfs.cpio.gz" "$log" || true
	"$SCRIPTS/check-log.sh" "$log" || green=0
	read_totals "${log%.log}.totals"
	# The debug kernel has everything a case needs (fault injection is
	# armed, the devices exist): a skip means the setup broke.
	if [ "$skipped" -gt 0 ]; then
		progress "$v: $skipped skipped cases: the debug kernel must run them all"
		green=0
	fi
	if [ $green -eq 1 ]; then
		SUMMARY+=("ok      $v: $passed passed, $skipped skipped ($(($(now) - start)) s)")
	else
		SUMMARY+=("FAILED  $v: $passed passed, $failed failed, $skipped skipped ($(($(now) - start)) s), see ${log#"$DMASHIM_ROOT"/}")
		STATUS=1
		# A red run without a failing case still counts as one failure.
		[ "$failed" -gt 0 ] || failed=1
	fi
	PASSED=$((PASSED + passed))
	FAILED=$((FAILED + failed))
	SKIPPED=$((SKIPPED + skipped))
}

main() {
	local stock v

	trap on_exit EXIT
	mkdir -p "$LOGS"
	rm -f "$LOGS"/*.log "$LOGS"/*.totals "$LOGS"/*.kunit.txt
	stage "setup" "$SCRIPTS/setup.sh"
	stock=$(stock_kernel && echo "$KDIR")
	stage "stock build (${stock##*/})" \
		"$SCRIPTS/build-modules.sh" "$stock" "$BUILD/stock"
	stage "static checks" static_checks
	stage "test kernel" test_kernel
	KDIR=$(cat "$BUILD/kdir")
	stage "test build" "$SCRIPTS/build-modules.sh" "$KDIR" "$BUILD/test"
	stage "rust checks" rust_checks
	stage "runner self-test" "$SCRIPTS/selftest-runner.sh" "$KDIR" "$BUILD/test"
	stage "bundles" bundles
	stage "initramfs" test_initramfs
	for v in "${VARIANTS[@]}"; do
		run_variant "$v"
	done
	finish
}

main "$@"
