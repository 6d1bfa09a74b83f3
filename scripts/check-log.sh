#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The judge: decide from a guest's console log whether a run is green.  The
# KTAP of the suites (KUnit's, printed at insmod, and the hooks') is parsed
# by the kernel's own tools/testing/kunit/kunit.py.  The run is RED when
#   - a case failed or crashed, or kunit.py reports KTAP errors;
#   - no test ran at all;
#   - the end marker is missing (the guest crashed, hung or timed out);
#   - the guest init reported an error (DMASHIM-ERROR: insmod, rmmod, hook);
#   - anywhere in the log: a KASAN, UBSAN, lockdep, RCU, kmemleak or DMA-API
#     debug report, a WARNING, BUG, Oops, panic, GPF or a call trace.
#
# Usage: scripts/check-log.sh LOG
#          writes LOG's base name + .totals ("passed=N failed=N skipped=N")
#          and + .kunit.txt (kunit.py's output); exit 0 green, 1 red
#        scripts/check-log.sh --reports LOG
#          print the checker report lines of LOG, numbered (the same rules;
#          scripts/soak.sh counts them)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

END_MARKER=DMASHIM-RUN-COMPLETE
# Checker reports: any of these anywhere in the console fails the run ...
CHECKERS='BUG: KASAN|UBSAN:|WARNING: possible|inconsistent lock state'
CHECKERS+='|possible recursive locking|suspicious RCU usage'
CHECKERS+='|unreferenced object|suspected memory leaks'
CHECKERS+='|WARNING:|BUG:|Oops|Kernel panic|general protection fault'
CHECKERS+='|Call Trace:|DMA-API:'
# ... and these dma-debug boot and housekeeping messages are no report.
DMA_API_BENIGN='DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config|dma_debug_entry pool grown to)'

say() { echo "judge: $*"; }

# indent [PREFIX]: detail lines, without kunit.py's timestamps.
indent() { sed -E "s/^\[[0-9:]+\] //; s/^/judge:   ${1:-}/"; }

# normalize LOG: the console without CRs and printk timestamps.
normalize() { tr -d '\r' <"$1" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //'; }

reports() { grep -nE "$CHECKERS" "$1" | grep -vE "$DMA_API_BENIGN" || true; }

# ktap CONSOLE: the suites printed while the modules were loaded, under a
# top-level header (KUnit's module suites have none of their own), their
# result lines renumbered in order (the kernel's counter restarts when a
# module with suites goes away; hooks always print 1).
ktap() {
	echo "KTAP version 1"
	echo "1..$(grep -c '^    # Subtest: ' "$1" || true)"
	awk '/^DMASHIM-INSMOD-BEGIN$/ { on = 1; next }
	     /^DMASHIM-RMMOD-BEGIN$/ { on = 0 }
	     on && /^(not )?ok [0-9]+ / { sub(/ok [0-9]+ /, "ok " ++n " ") }
	     on' "$1"
}

# count NAME: a count of kunit.py's "Testing complete. Ran N tests: ..."
# line, which lists only the counts that are not 0.
count() {
	sed -nE "s/^(\[[0-9:]+\] )?Testing complete\. .*[ ,]$1: ([0-9]+).*/\2/p" \
		"$BASE.kunit.txt" | grep . || echo 0
}

judge() {
	local console=$WORK/console.txt reasons=() passed failed skipped errors

	normalize "$LOG" >"$console"
	say "$LOG"
	ktap "$console" >"$WORK/ktap.txt"
	"$DMASHIM_PYTHON" "$(kernel_source)/tools/testing/kunit/kunit.py" parse \
		"$WORK/ktap.txt" >"$BASE.kunit.txt" 2>&1 || true
	grep -q 'Testing complete\.' "$BASE.kunit.txt" || reasons+=(ktap-unparsable)
	passed=$(count passed)
	failed=$(($(count failed) + $(count crashed)))
	skipped=$(count skipped)
	errors=$(count errors)
	printf 'passed=%d failed=%d skipped=%d\n' "$passed" "$failed" "$skipped" >"$BASE.totals"
	grep -E '^(not )?ok [0-9]+ ' "$WORK/ktap.txt" | indent "suite " || true

	if [ "$failed" -gt 0 ]; then
		reasons+=(test-failures)
		say "  failures (kunit.py, passing cases left out):"
		sed -E 's/^\[[0-9:]+\] //' "$BASE.kunit.txt" |
			grep -vE '^\[(PASSED|SKIPPED)\] |^=+( .* =+)?$|^dmashim-init: |^# .*pass:[0-9]+ fail:|^$' |
			head -n 80 | indent || true
	fi
	if [ "$errors" -gt 0 ]; then
		reasons+=(ktap-errors)
		grep -F '[ERROR]' "$BASE.kunit.txt" | indent || true
	fi
	[ $((passed + failed + skipped)) -gt 0 ] || reasons+=(no-tests)
	if ! grep -qx "$END_MARKER" "$console"; then
		reasons+=(incomplete)
		say "  end marker $END_MARKER missing (guest crashed, hung or timed out); last lines:"
		tail -n 15 "$console" | indent "| "
	fi
	if grep -q '^DMASHIM-ERROR:' "$console"; then
		reasons+=(guest-error)
		grep '^DMASHIM-ERROR:' "$console" | indent
	fi
	reports "$console" >"$WORK/reports.txt"
	if [ -s "$WORK/reports.txt" ]; then
		reasons+=(checker-report)
		say "  checker reports ($(wc -l <"$WORK/reports.txt") lines, first 40):"
		head -n 40 "$WORK/reports.txt" | indent "line "
	fi

	say "  totals: $passed passed, $failed failed, $skipped skipped"
	if [ ${#reasons[@]} -eq 0 ]; then
		say "GREEN ${LOG##*/}"
		return 0
	fi
	say "RED ${LOG##*/}: ${reasons[*]}"
	return 1
}

if [ "${1:-}" = --reports ] && [ $# -eq 2 ]; then
	[ -f "$2" ] || die "judge: no log $2"
	normalize "$2" | reports /dev/stdin
	exit 0
fi
[ $# -eq 1 ] || die "usage: $0 [--reports] LOG"
LOG=$1 BASE=${1%.log}
[ -f "$LOG" ] || die "judge: no log $LOG"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
judge
