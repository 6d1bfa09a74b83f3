# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC2034
#
# KTAP for the guest hooks (busybox sh), sourced from /lib/ktap.sh.  Every
# suite has the layout of 6.1's KUnit suites (indented header and cases, an
# unindented result line numbered 1: the judge, scripts/check-log.sh,
# renumbers the suites of a run and hands them to kunit.py):
#
#	ktap_begin SUITE NCASES
#	run_case NAME FUNCTION		# FUNCTION calls fail on each problem
#	ktap_end			# false if a case failed
#
#	ktap_run SUITE PROGRAM [ARG...]	# a program printing KTAP through
#					# kselftest.h, nested as SUITE

ktap_begin() {
	SUITE=$1 CASE_NUMBER=0 CASES_FAILED=0
	printf '    KTAP version 1\n    # Subtest: %s\n' "$1"
	[ -z "$2" ] || echo "    1..$2"
}

run_case() {
	CASE_FAILED=0 CASE_NUMBER=$((CASE_NUMBER + 1))
	"$2"
	if [ "$CASE_FAILED" -eq 0 ]; then
		echo "    ok $CASE_NUMBER - $1"
	else
		echo "    not ok $CASE_NUMBER - $1"
		CASES_FAILED=$((CASES_FAILED + 1))
	fi
}

# ktap_end [FAILED]: the suite's result line, "not ok" if a case (or FAILED,
# when given, is not 0).
ktap_end() {
	if [ "${1:-$CASES_FAILED}" -eq 0 ]; then
		echo "ok 1 - $SUITE"
		return 0
	fi
	echo "not ok 1 - $SUITE"
	return 1
}

fail() {
	echo "    # FAIL: $*"
	CASE_FAILED=1
}

note() { echo "    # $*"; }

# kselftest.h prints a top-level "TAP version 13", the plan and the cases:
# they go under the suite's header.  The program's exit status (not 0 when
# a case failed or the plan was not met) is the suite's result.
ktap_run() {
	ktap_begin "$1" ""
	shift
	{
		"$@"
		echo $? >/tmp/ktap_run.rc
	} | sed -e '/^TAP version /d' -e 's/^/    /'
	ktap_end "$(cat /tmp/ktap_run.rc)"
}
