#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: dmashim's trace events and fault injection, on the edu_nic
# sample, as a driver author would use them on any kernel (Debian's stock
# one has tracing but no CONFIG_FAULT_INJECTION).  Prints the KTAP suite
# "edu_trace_fault":
#   trace   the events of one probe, ring run and unload are recorded, with
#           the device's context, handles and the revocation
#   walk    probe with its 1st, 2nd, ... dmashim allocation failed in turn
#           (dmashim/fault/ template): each failed probe leaves no context
#           and no driver bound, until a probe needs no more allocations;
#           leaks and reports are the judge's (kmemleak, checkers)

# Case functions are called through run_case.
# shellcheck disable=SC2317
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

TRACEFS=/sys/kernel/tracing
FAULT=$DEBUGFS/dmashim/fault
NIC=$DEBUGFS/edu_nic
BDF=$(edu_bdf) || BDF=none
WALK_MAX=64

bound() {
	[ -e "/sys/bus/pci/drivers/edu_nic/$BDF" ]
}

# trace_count EVENT: records of dmashim:EVENT in the trace buffer.
trace_count() {
	grep -c " $1: " "$TRACEFS/trace"
}

case_trace() {
	local n ev

	if [ ! -d "$TRACEFS/events" ] &&
	   ! mount -t tracefs nodev "$TRACEFS" 2>/dev/null; then
		fail "no tracefs"
		return
	fi
	[ -d "$TRACEFS/events/dmashim" ] || { fail "no dmashim events"; return; }
	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/dmashim/enable"
	echo 1 >"$TRACEFS/tracing_on"
	insmod "$SAMPLES/edu_nic.ko" || fail "insmod edu_nic.ko"
	echo poll >"$NIC/run" || fail "the ring run failed"
	# Read while edu_nic is loaded: the call sites print as symbols.
	grep " dmashim_" "$TRACEFS/trace" | head -n 6 >/tmp/trace.head
	rmmod edu_nic || fail "rmmod edu_nic"
	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$TRACEFS/events/dmashim/enable"
	# edu_nic frees nothing by hand: its payloads are mappings, the rest
	# goes back at the revocation.
	for ev in dmashim_alloc dmashim_map dmashim_unmap dmashim_sync \
		  dmashim_revoke; do
		n=$(trace_count "$ev")
		report "trace: $n $ev records"
		[ "$n" -gt 0 ] || fail "no $ev record"
	done
	grep -q "dmashim_revoke: ctx=[0-9]* dev=$BDF " "$TRACEFS/trace" ||
		fail "no revocation record for $BDF"
	grep -q "dmashim_alloc: ctx=[0-9]* handle=0x[0-9a-f]* kind=" \
		"$TRACEFS/trace" || fail "alloc records without context/handle"
	echo "    # trace excerpt:"
	sed 's/^/    #   /' /tmp/trace.head
}

# walk_step N: probe with the Nth allocation failed; 0 when the probe
# failed cleanly, 1 when it succeeded (the walk is over), 2 on a problem.
walk_step() {
	echo "$BDF" >"$FAULT/device"
	echo "$1" >"$FAULT/fail_nth"
	if ! insmod "$SAMPLES/edu_nic.ko"; then
		fail "step $1: insmod edu_nic.ko"
		return 2
	fi
	echo 0 >"$FAULT/fail_nth"
	if bound; then
		rmmod edu_nic || fail "step $1: rmmod edu_nic"
		return 1
	fi
	ctx_gone "$BDF" ||
		fail "step $1: a failed probe left a dmashim context"
	rmmod edu_nic || fail "step $1: rmmod after a failed probe"
	return 0
}

case_walk() {
	local n=1 rc=0

	while [ "$n" -le "$WALK_MAX" ]; do
		walk_step "$n"
		rc=$?
		[ "$rc" -eq 0 ] || break
		n=$((n + 1))
	done
	echo 0 >"$FAULT/fail_nth"
	echo >"$FAULT/device"
	if [ "$rc" -ne 1 ]; then
		fail "the walk stopped at step $n without a successful probe"
		return
	fi
	[ "$n" -gt 1 ] || fail "probe succeeded with its first allocation failed"
	report "walk: probe failed cleanly with each of its $((n - 1))" \
		"allocations failed in turn, then succeeded"
}

ktap_begin edu_trace_fault 2
run_case edu_trace_events case_trace
run_case edu_fault_probe_walk case_walk
ktap_end
