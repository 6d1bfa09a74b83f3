#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The judge: decide from a guest console log whether a test run is green.
#
# The KTAP that the modules' KUnit suites print at insmod time is parsed by
# the kernel's own tools/testing/kunit/kunit.py.  The run is RED when
#   - a test failed or crashed, or kunit.py reports KTAP errors;
#   - no test ran at all;
#   - the end marker is missing (guest crashed or timed out);
#   - the guest init reported an error (DMASHIM-ERROR: insmod, rmmod, hook);
#   - anywhere in the log: a KASAN, UBSAN, lockdep, RCU, kmemleak or DMA-API
#     debug report, a WARNING, BUG, Oops, panic, GPF or a call trace.
#
# Usage: scripts/check-log.sh LOG
# Writes LOG's basename + .totals ("passed=N failed=N skipped=N") and
# .kunit.txt (kunit.py's full output) next to LOG.  Exit 0 green, 1 red.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

END_MARKER=DMASHIM-RUN-COMPLETE

# Checker reports: any of these anywhere in the console fails the run.
CHECKERS='BUG: KASAN|UBSAN:|WARNING: possible|inconsistent lock state'
CHECKERS+='|possible recursive locking|suspicious RCU usage'
CHECKERS+='|unreferenced object|suspected memory leaks'
CHECKERS+='|WARNING:|BUG:|Oops|Kernel panic|general protection fault'
CHECKERS+='|Call Trace:|DMA-API:'
# ... except dma-debug's harmless boot and housekeeping messages.
DMA_API_BENIGN='DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config|dma_debug_entry pool grown to)'

# Filled in by the judge_* steps.
REASONS=()
PASSED=0
FAILED=0
SKIPPED=0
ERRORS=0

say() {
	echo "judge: $*"
}

# indent [PREFIX]: judge's detail lines, without kunit.py's timestamps.
indent() {
	sed -E "s/^\[[0-9:]+\] //; s/^/judge:   ${1:-}/"
}

# checker_lines CONSOLE: numbered checker report lines.
checker_lines() {
	grep -nE "$CHECKERS" "$1" | grep -vE "$DMA_API_BENIGN" || true
}

# failure_details KUNIT_TXT: kunit.py's report without the passing cases.
failure_details() {
	sed -E 's/^\[[0-9:]+\] //' "$1" |
		grep -vE '^\[(PASSED|SKIPPED)\] |^=+$|^=+ .* =+$|^dmashim-init: |^# .*pass:[0-9]+ fail:|^Test results stored|^$' || true
}

# normalize LOG: the console without CRs and printk timestamps.
normalize() {
	tr -d '\r' <"$1" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //'
}

# ktap CONSOLE: the suites printed while the modules loaded (and by hooks),
# under a synthesised top-level header: module suites have none of their own.
ktap() {
	local suites

	suites=$(grep -c '^    # Subtest: ' "$1" || true)
	echo "KTAP version 1"
	echo "1..$suites"
	# Suite result lines are renumbered in order: the kernel's counter
	# restarts when a module with suites goes away.
	awk '/^DMASHIM-INSMOD-BEGIN$/ { on = 1; next }
	     /^DMASHIM-RMMOD-BEGIN$/ { on = 0 }
	     on && /^(not )?ok [0-9]+ / { sub(/ok [0-9]+ /, "ok " ++n " ") }
	     on' "$1"
}

# kunit_counts JSON: per-suite lines "suite NAME P F S", then "total all P F S".
# Crashed and missing cases (kunit.py's ERROR) count as failed.
kunit_counts() {
	"$DMASHIM_PYTHON" - "$1" <<'EOF'
import json
import sys

def leaves(group):
    for case in group.get("test_cases", []):
        yield case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaves(sub)

def count(statuses):
    n = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for s in statuses:
        n["PASS" if s == "PASS" else "SKIP" if s == "SKIP" else "FAIL"] += 1
    return n["PASS"], n["FAIL"], n["SKIP"]

with open(sys.argv[1]) as f:
    top = json.load(f)
for suite in top.get("sub_groups", []):
    print("suite %s %d %d %d" % ((suite["name"],) + count(leaves(suite))))
for case in top.get("test_cases", []):
    print("suite %s %d %d %d" % ((case["name"],) + count([case["status"]])))
print("total all %d %d %d" % count(leaves(top)))
EOF
}

# parse_tests CONSOLE BASE: run kunit.py over the KTAP, print per-suite
# results, set PASSED FAILED SKIPPED ERRORS and write BASE.totals.
parse_tests() {
	local console=$1 base=$2 kunit_py kind name p f s

	kunit_py=$(kernel_source)/tools/testing/kunit/kunit.py
	[ -f "$kunit_py" ] || die "judge: $kunit_py missing"
	ktap "$console" >"$WORK/ktap.txt"
	"$DMASHIM_PYTHON" "$kunit_py" parse --json="$WORK/results.json" \
		"$WORK/ktap.txt" >"$base.kunit.txt" 2>&1 || true
	if [ -f "$WORK/results.json" ]; then
		while read -r kind name p f s; do
			case $kind in
			suite) say "  suite $name: $p passed, $f failed, $s skipped" ;;
			total) PASSED=$p FAILED=$f SKIPPED=$s ;;
			esac
		done < <(kunit_counts "$WORK/results.json")
	else
		REASONS+=(ktap-unparsable)
	fi
	ERRORS=$(sed -nE 's/.*Testing complete\..*errors: ([0-9]+).*/\1/p' "$base.kunit.txt")
	ERRORS=${ERRORS:-0}
	printf 'passed=%d failed=%d skipped=%d\n' "$PASSED" "$FAILED" "$SKIPPED" >"$base.totals"
}

# judge_tests BASE: failed or crashed cases, KTAP errors, no tests at all.
judge_tests() {
	if [ "$FAILED" -gt 0 ]; then
		REASONS+=(test-failures)
		say "  failures (kunit.py, passing cases left out):"
		failure_details "$1.kunit.txt" | head -n 80 | indent
	fi
	if [ "$ERRORS" -gt 0 ]; then
		REASONS+=(ktap-errors)
		grep -F '[ERROR]' "$1.kunit.txt" | indent || true
	fi
	[ $((PASSED + FAILED + SKIPPED)) -gt 0 ] || REASONS+=(no-tests)
}

# judge_guest CONSOLE: the run must have completed without init errors.
judge_guest() {
	if ! grep -qx "$END_MARKER" "$1"; then
		REASONS+=(incomplete)
		say "  end marker $END_MARKER missing (guest crashed, hung or timed out); last lines:"
		tail -n 15 "$1" | indent "| "
	fi
	if grep -q '^DMASHIM-ERROR:' "$1"; then
		REASONS+=(guest-error)
		grep '^DMASHIM-ERROR:' "$1" | indent
	fi
}

# judge_checkers CONSOLE: no checker may have reported anything.
judge_checkers() {
	checker_lines "$1" >"$WORK/checkers.txt"
	[ -s "$WORK/checkers.txt" ] || return 0
	REASONS+=(checker-report)
	say "  checker reports ($(wc -l <"$WORK/checkers.txt") lines, first 40):"
	head -n 40 "$WORK/checkers.txt" | indent "line "
}

main() {
	[ $# -eq 1 ] || die "usage: $0 LOG"
	local log=$1 base=${1%.log}

	[ -f "$log" ] || die "judge: no log $log"
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
	normalize "$log" >"$WORK/console.txt"

	say "$log"
	parse_tests "$WORK/console.txt" "$base"
	judge_tests "$base"
	judge_guest "$WORK/console.txt"
	judge_checkers "$WORK/console.txt"

	say "  totals: $PASSED passed, $FAILED failed, $SKIPPED skipped"
	if [ ${#REASONS[@]} -eq 0 ]; then
		say "GREEN $(basename "$log")"
		return 0
	fi
	say "RED $(basename "$log"): ${REASONS[*]}"
	return 1
}

main "$@"
