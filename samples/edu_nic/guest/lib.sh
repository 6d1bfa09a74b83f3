# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC2034 # variables for the hooks
#
# Helpers of the edu sample hooks, sourced in the test guest (busybox sh)
# from /samples/lib.sh.  A hook prints one KTAP suite in the layout of 6.1's
# KUnit (indented cases, then an unindented suite result), so that
# scripts/check-log.sh parses it with the KUnit suites:
#
#	ktap_begin SUITE NCASES
#	run_case NAME FUNCTION	# FUNCTION calls fail on each problem
#	ktap_end		# returns non-zero if a case failed
#
# "    # REPORT SUITE: ..." lines are the readable summary scripts/run.sh
# prints.

DEBUGFS=/sys/kernel/debug
SAMPLES=/samples
# One line per suite the sample hooks printed (for the suite numbers).
KTAP_SUITES=/tmp/edu-samples.suites

# edu_bdf: the PCI address of the first edu device (1234:11e8).
edu_bdf() {
	local d

	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = 0x1234 ] &&
		   [ "$(cat "$d/device")" = 0x11e8 ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

# ktap_number: the top-level number of the next suite: after the KUnit
# suites of the loaded modules (one debugfs directory each) and the suites
# the hooks printed before.
ktap_number() {
	local n=0

	if [ -d "$DEBUGFS/kunit" ]; then
		n=$(find "$DEBUGFS/kunit" -mindepth 1 -maxdepth 1 -type d | wc -l)
	fi
	if [ -f "$KTAP_SUITES" ]; then
		n=$((n + $(wc -l <"$KTAP_SUITES")))
	fi
	echo $((n + 1))
}

# ktap_begin SUITE NCASES
ktap_begin() {
	SUITE=$1
	SUITE_NUMBER=$(ktap_number)
	CASE_NUMBER=0
	CASES_FAILED=0
	echo "$SUITE" >>"$KTAP_SUITES"
	echo "    KTAP version 1"
	echo "    # Subtest: $SUITE"
	echo "    1..$2"
}

# run_case NAME FUNCTION: run one case and print its result.
run_case() {
	CASE_FAILED=0
	CASE_NUMBER=$((CASE_NUMBER + 1))
	"$2"
	if [ "$CASE_FAILED" -eq 0 ]; then
		echo "    ok $CASE_NUMBER - $1"
	else
		echo "    not ok $CASE_NUMBER - $1"
		CASES_FAILED=$((CASES_FAILED + 1))
	fi
}

# ktap_end: the suite's result; false if a case failed.
ktap_end() {
	if [ "$CASES_FAILED" -eq 0 ]; then
		echo "ok $SUITE_NUMBER - $SUITE"
		return 0
	fi
	echo "not ok $SUITE_NUMBER - $SUITE"
	return 1
}

# ktap_reserve_number: the number for a suite a program prints itself.
ktap_reserve_number() {
	local n

	n=$(ktap_number)
	echo "$1" >>"$KTAP_SUITES"
	echo "$n"
}

fail() {
	echo "    # FAIL: $*"
	CASE_FAILED=1
}

note() {
	echo "    # $*"
}

report() {
	echo "    # REPORT $SUITE: $*"
}

# uptime_cs: time since boot in hundredths of a second.
uptime_cs() {
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

# since_s T0: seconds elapsed since uptime_cs printed T0, as "1.23 s".
since_s() {
	awk -v t0="$1" '{ printf "%.2f s\n", $1 - t0 / 100 }' /proc/uptime
}

# key_value FILE KEY: the value of a "key value" line of FILE.
key_value() {
	awk -v k="$2" '$1 == k { print $2; exit }' "$1" 2>/dev/null
}

# ctx_dirs BDF: dmashim's debugfs directories of the device's contexts.
ctx_dirs() {
	local d

	for d in "$DEBUGFS"/dmashim/"$1".*; do
		[ -d "$d" ] && echo "$d"
	done
}

# ctx_live BDF: live handles in the device's dmashim context ("none" when
# it has none).
ctx_live() {
	local d

	d=$(ctx_dirs "$1")
	if [ -z "$d" ]; then
		echo none
		return
	fi
	key_value "$d/stats" live
}
