#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the test pipeline: boot the plain variant three times with the
# kunit/selftest modules and require the judge's exact verdict each time:
#   pass   dmashim_selftest_pass                 -> GREEN
#   fail   + dmashim_selftest_fail (1 bad case)  -> RED: test-failures
#   kasan  + dmashim_selftest_kasan (OOB read)   -> RED: checker-report
# A judge that calls green red, or red green, or red for the wrong reason,
# fails the self-test.
#
# Usage: scripts/selftest-runner.sh KDIR MODDIR
#   MODDIR: output of scripts/build-modules.sh KDIR MODDIR (holds
#           kunit/selftest/*.ko).  Logs go to build/logs/selftest-*.log.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
WORK=$DMASHIM_ROOT/build/selftest
LOGS=$DMASHIM_ROOT/build/logs

# run_case NAME EXPECTED MODULE...: boot with the modules and compare the
# judge's verdict line with EXPECTED ("GREEN" or "RED: reason ...").
run_case() {
	local name=$1 expected=$2 verdict got start log=$LOGS/selftest-$1.log
	shift 2

	start=$(now)
	printf '%s\n' "$@" >"$WORK/$name.manifest"
	"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$WORK/$name.cpio.gz" "$WORK/$name.manifest"
	"$SCRIPTS/run-qemu.sh" plain "$KDIR/arch/x86/boot/bzImage" \
		"$WORK/$name.cpio.gz" "$log" || true
	"$SCRIPTS/check-log.sh" "$log" >"$WORK/$name.judge" 2>&1 || true
	verdict=$(grep -E '^judge: (GREEN|RED) ' "$WORK/$name.judge" || echo "judge: (no verdict)")
	grep -F 'BUG: KASAN' "$WORK/$name.judge" | head -n 1 || true
	echo "$verdict"
	got=$(sed -E 's/^judge: (GREEN|RED) [^:]*(:)?/\1\2/' <<<"$verdict")
	if [ "$got" = "$expected" ]; then
		echo "selftest: $name: ok, expected '$expected' ($(($(now) - start)) s)"
		return 0
	fi
	echo "selftest: $name: FAILED: expected '$expected', judge said '$got'"
	sed 's/^/selftest:   /' "$WORK/$name.judge"
	return 1
}

main() {
	local sel failed=0

	[ $# -eq 2 ] || die "usage: $0 KDIR MODDIR"
	KDIR=$1
	sel=$(cd "$2" && pwd)/kunit/selftest
	for m in pass fail kasan; do
		[ -f "$sel/dmashim_selftest_$m.ko" ] ||
			die "selftest: $sel/dmashim_selftest_$m.ko missing (kernel without KUNIT?)"
	done
	mkdir -p "$WORK" "$LOGS"

	run_case pass "GREEN" "$sel/dmashim_selftest_pass.ko" || failed=1
	run_case fail "RED: test-failures" \
		"$sel/dmashim_selftest_pass.ko" "$sel/dmashim_selftest_fail.ko" || failed=1
	run_case kasan "RED: checker-report" \
		"$sel/dmashim_selftest_pass.ko" "$sel/dmashim_selftest_kasan.ko" || failed=1
	if [ $failed -ne 0 ]; then
		echo "selftest: FAILED: the judge cannot be trusted"
		return 1
	fi
	echo "selftest: ok: green is green, a failing case and a KASAN report are red"
}

main "$@"
