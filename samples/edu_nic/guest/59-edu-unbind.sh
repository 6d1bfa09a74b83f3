#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: revocation end to end with the edu_nic sample.  With the driver
# bound, buffers live and a run in progress, unbind the device through sysfs
# and check that remove() waited for the run, that dmashim released every
# buffer exactly once (its debugfs directory is gone, its trace events add
# up, and the kernel's checkers stay quiet), that the driver refuses runs
# without its device, and that the device binds and works again.  What
# dmashim says is read from dmashim's own files and events, as a driver
# author would: the sample has no hooks for the test.  (Calls through a
# context kept past the unbind, -ENODEV, are the edu_gpu hook's: its misc
# device outlives the unbind.)  Prints the KTAP suite "edu_nic_unbind".

# Case functions are called through run_case.
# shellcheck disable=SC2317
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

NIC=$DEBUGFS/edu_nic
BDF=$(edu_bdf) || BDF=none
DRIVER=/sys/bus/pci/drivers/edu_nic
TRACEFS=/sys/kernel/tracing
LIVE=none

# trace_on: record dmashim's events from now on, in an empty buffer.
trace_on() {
	[ -d "$TRACEFS/events" ] ||
		mount -t tracefs nodev "$TRACEFS" 2>/dev/null || return 1
	[ -d "$TRACEFS/events/dmashim" ] || return 1
	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/dmashim/enable"
	echo 1 >"$TRACEFS/tracing_on"
}

trace_off() {
	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$TRACEFS/events/dmashim/enable"
}

# trace_handles EVENT CTX: records of dmashim:EVENT for context CTX, but
# for pools (what pools hold are blocks, counted as buffers).
trace_handles() {
	grep " $1: ctx=$2 " "$TRACEFS/trace" | grep -vc " kind=pool "
}

case_setup() {
	trace_on || fail "no tracefs or no dmashim events"
	insmod "$SAMPLES/edu_nic.ko" || fail "insmod edu_nic.ko"
	echo irq >"$NIC/run" || fail "a first run failed"
	LIVE=$(ctx_live "$BDF")
	report "bound to $BDF, handles live $LIVE"
	case $LIVE in
	none | 0 | "") fail "no live handles" ;;
	esac
}

# wait_busy: wait (up to 10 s) until a run is in progress.
wait_busy() {
	local i=0

	while [ "$(cat "$NIC/busy")" != 1 ]; do
		i=$((i + 1))
		[ $i -le 1000 ] || return 1
		usleep 10000
	done
}

case_unbind_waits_for_run() {
	local pid rc t0

	(echo irq >"$NIC/run") &
	pid=$!
	wait_busy || fail "the run did not start"
	t0=$(uptime_cs)
	echo "$BDF" >"$DRIVER/unbind" || fail "unbind"
	report "unbind during a run took $(since_s "$t0") (remove() waited" \
		"for the run)"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || fail "the run interrupted by the unbind failed"
	report "that run: $(key_value "$NIC/results" verified)/$(key_value \
		"$NIC/results" packets) packets verified"
	[ ! -e "$DRIVER/$BDF" ] || fail "still bound"
}

# Revocation ends each handle once.  From dmashim's trace of the context:
# every buffer allocated was freed or released by the one revocation
# record, which names as many buffers as were live and none held back by
# scatter tables; every mapping was unmapped; and dmashim's unbind line
# agrees.
case_unbind_released_once() {
	local rec ctx allocs frees released held maps unmaps logged

	trace_off
	rec=$(grep " dmashim_revoke: ctx=[0-9]* dev=$BDF " "$TRACEFS/trace")
	ctx=$(echo "$rec" | sed -n 's/.* ctx=\([0-9]*\) .*/\1/p')
	released=$(echo "$rec" | sed -n 's/.* released=\([0-9]*\) .*/\1/p')
	held=$(echo "$rec" | sed -n 's/.* held=\([0-9]*\).*/\1/p')
	allocs=$(trace_handles dmashim_alloc "$ctx")
	frees=$(trace_handles dmashim_free "$ctx")
	maps=$(trace_handles dmashim_map "$ctx")
	unmaps=$(trace_handles dmashim_unmap "$ctx")
	logged=$(dmesg | sed -n "s/.*$BDF: dmashim: unbind released \([0-9]*\) buffers.*/\1/p" |
		tail -n 1)
	report "after unbind: dmashim debugfs directory" \
		"$(ctx_gone "$BDF" && echo gone || echo PRESENT); trace of" \
		"context ${ctx:-none}: $allocs allocated, $frees freed," \
		"${released:-none} released at unbind ($LIVE were live, ${held:-?}" \
		"held), $maps mapped, $unmaps unmapped; unbind line:" \
		"${logged:-none} buffers"
	ctx_gone "$BDF" || fail "dmashim debugfs directory remains"
	[ "$(echo "$rec" | grep -c .)" = 1 ] ||
		fail "not one revocation record for $BDF"
	[ "${released:-none}" = "$LIVE" ] ||
		fail "released ${released:-none} buffers, $LIVE were live"
	[ "$held" = 0 ] || fail "$held buffers held back"
	[ "$allocs" = "$((frees + released))" ] ||
		fail "$allocs allocated, $frees freed + $released released"
	if [ "$maps" = 0 ] || [ "$maps" != "$unmaps" ]; then
		fail "$maps mapped, $unmaps unmapped"
	fi
	[ "${logged:-none}" = "$LIVE" ] ||
		fail "the unbind line says ${logged:-none}, $LIVE were live"
}

# The driver answers -ENODEV itself: it drives no device any more.  (The
# message is busybox sh's: "write error: No such device".)
case_unbind_refuses_runs() {
	if echo irq >"$NIC/run" 2>/tmp/run.err; then
		fail "a run succeeded without a device"
	fi
	report "after unbind: a run fails: $(cat /tmp/run.err)"
	grep -q "No such device" /tmp/run.err || fail "not -ENODEV"
	[ "$(key_value "$NIC/info" device)" = none ] ||
		fail "info still names a device"
}

case_rebind() {
	local t0

	t0=$(uptime_cs)
	echo "$BDF" >"$DRIVER/bind" || fail "bind"
	echo irq >"$NIC/run" || fail "run after rebinding"
	report "rebound in a new context: handles live $(ctx_live "$BDF")," \
		"$(key_value "$NIC/results" verified)/$(key_value "$NIC/results" \
		packets) packets verified, $(since_s "$t0")"
	[ "$(key_value "$NIC/results" verified)" = \
	  "$(key_value "$NIC/results" packets)" ] ||
		fail "not every packet verified after rebinding"
}

case_unload() {
	local t0

	t0=$(uptime_cs)
	rmmod edu_nic || fail "rmmod edu_nic"
	ctx_gone "$BDF" ||
		fail "the dmashim context outlived the driver"
	report "unload: context released, $(since_s "$t0")"
}

ktap_begin edu_nic_unbind 6
run_case edu_nic_unbind_setup case_setup
run_case edu_nic_unbind_waits_for_run case_unbind_waits_for_run
run_case edu_nic_unbind_releases_once case_unbind_released_once
run_case edu_nic_unbind_refuses_runs case_unbind_refuses_runs
run_case edu_nic_rebind_works case_rebind
run_case edu_nic_unbind_unload case_unload
ktap_end
