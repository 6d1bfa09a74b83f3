#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: revocation end to end with the edu_nic sample.  With the driver
# bound, buffers live and a run in progress, unbind the device through sysfs
# and check that remove() waited for the run, that dmashim released every
# buffer exactly once (its debugfs directory is gone, the context's counters
# add up, and the kernel's checkers stay quiet), that later calls through the
# context get -ENODEV, and that the device binds and works again.  Prints the
# KTAP suite "edu_nic_unbind".

# Case functions are called through run_case.
# shellcheck disable=SC2317
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

NIC=$DEBUGFS/edu_nic
BDF=$(edu_bdf) || BDF=none
DRIVER=/sys/bus/pci/drivers/edu_nic
LIVE=none

case_setup() {
	insmod "$SAMPLES/edu_nic.ko" || fail "insmod edu_nic.ko"
	echo irq >"$NIC/run" || fail "a first run failed"
	LIVE=$(ctx_live "$BDF")
	report "bound to $BDF, handles live $LIVE," \
		"poke through the context: $(cat "$NIC/poke")"
	case $LIVE in
	none | 0 | "") fail "no live handles" ;;
	esac
	[ "$(cat "$NIC/poke")" = 0 ] || fail "poke fails while bound"
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

# Revocation ends each handle once: frees (which count revoked handles)
# catch up with allocs, and dmashim's unbind line names the live ones.
case_unbind_released_once() {
	local s=$NIC/ctx_stats allocs frees released

	allocs=$(key_value "$s" allocs)
	frees=$(key_value "$s" frees)
	released=$(dmesg | sed -n "s/.*$BDF: dmashim: unbind released \([0-9]*\) buffers.*/\1/p" |
		tail -n 1)
	report "after unbind: dmashim debugfs directory" \
		"$(ctx_gone "$BDF" && echo gone || echo PRESENT)," \
		"live $(key_value "$s" live), pending release" \
		"$(key_value "$s" pending_release); released at unbind:" \
		"${released:-none} buffers ($LIVE were live), $allocs allocated," \
		"$frees ended"
	ctx_gone "$BDF" || fail "dmashim debugfs directory remains"
	[ "$(key_value "$s" live)" = 0 ] || fail "handles still live"
	[ "$(key_value "$s" pending_release)" = 0 ] || fail "memory not back"
	[ "$allocs" = "$frees" ] || fail "$allocs allocated, $frees ended"
	[ "${released:-none}" = "$LIVE" ] ||
		fail "released ${released:-none} buffers, $LIVE were live"
}

case_unbind_refuses_calls() {
	local poke

	poke=$(cat "$NIC/poke")
	report "after unbind: poke through the kept context returns $poke" \
		"(-ENODEV is -19)"
	[ "$poke" = -19 ] || fail "poke returned $poke, not -ENODEV"
	if echo irq >"$NIC/run" 2>/dev/null; then
		fail "a run succeeded without a device"
	fi
}

case_rebind() {
	local t0

	t0=$(uptime_cs)
	echo "$BDF" >"$DRIVER/bind" || fail "bind"
	echo irq >"$NIC/run" || fail "run after rebinding"
	report "rebound in a new context: handles live $(ctx_live "$BDF")," \
		"$(key_value "$NIC/results" verified)/$(key_value "$NIC/results" \
		packets) packets verified, poke $(cat "$NIC/poke"), $(since_s "$t0")"
	[ "$(cat "$NIC/poke")" = 0 ] || fail "poke fails after rebinding"
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
run_case edu_nic_unbind_refuses_calls case_unbind_refuses_calls
run_case edu_nic_rebind_works case_rebind
run_case edu_nic_unbind_unload case_unload
ktap_end
