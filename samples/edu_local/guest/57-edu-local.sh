#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: drivers with their own copies of dmashim beside the shared
# dmashim.ko.  Loads edu_local_a and edu_local_b (each built in a tree of
# its own, with a copy from scripts/vendor.sh; the second's file is
# edu-local-b.ko) and edu_nic (a consumer of
# dmashim.ko) at once; the edu device is handed from one to the next, and
# each does DMA through its own dmashim: the edu_local probes fail unless
# their round trip through the device came back intact, edu_nic runs its
# ring.  Then checks that the copies are named after their drivers
# (debugfs, trace events), that nothing clashed, and that all unload.
# Needs the "samples" set too (edu_nic.ko, edu.sh).  Prints the KTAP suite
# "edu_local".

# Case functions are called through run_case.
# shellcheck disable=SC2317
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

TRACEFS=/sys/kernel/tracing
PCI_DRIVERS=/sys/bus/pci/drivers
BDF=$(edu_bdf) || BDF=none

# bound_to DRIVER: true when the edu device is bound to DRIVER.
bound_to() {
	[ -e "$PCI_DRIVERS/$1/$BDF" ]
}

# hand_over FROM TO: unbind the device from FROM, bind it to TO.
hand_over() {
	echo "$BDF" >"$PCI_DRIVERS/$1/unbind" || fail "unbind from $1"
	echo "$BDF" >"$PCI_DRIVERS/$2/bind" || fail "bind to $2"
	bound_to "$2" || fail "the device is not bound to $2"
}

case_load_all() {
	local m

	for m in edu_local_a edu-local-b edu_nic; do
		insmod "$SAMPLES/$m.ko" || fail "insmod $m.ko"
	done
	for m in dmashim edu_local_a edu_local_b edu_nic; do
		[ -d "/sys/module/$m" ] || fail "$m is not loaded"
	done
	bound_to edu_local_a || fail "edu_local_a did not bind the device"
	report "loaded dmashim, edu_local_a, edu_local_b and edu_nic together"
}

case_copy_a_dma() {
	local d

	d=$(ctx_dirs "$BDF" edu_local_a_dmashim)
	[ -n "$d" ] || { fail "no context in $DEBUGFS/edu_local_a_dmashim"; return; }
	# The coherent buffer the device read from stays until unbind.
	[ "$(key_value "$d/stats" live)" = 1 ] ||
		fail "edu_local_a's context has $(key_value "$d/stats" live) live handles, not 1"
	[ "$(key_value "$d/stats" maps)" = 1 ] ||
		fail "edu_local_a's context made $(key_value "$d/stats" maps) mappings, not 1"
	[ -z "$(ctx_dirs "$BDF")" ] || fail "dmashim.ko has a context on $BDF"
}

case_copy_b_dma_traced() {
	local events=$TRACEFS/events/edu_local_b_dmashim n

	if [ ! -d "$TRACEFS/events" ] &&
	   ! mount -t tracefs nodev "$TRACEFS" 2>/dev/null; then
		fail "no tracefs"
		return
	fi
	[ -d "$events" ] || { fail "no trace system edu_local_b_dmashim"; return; }
	[ -d "$TRACEFS/events/edu_local_a_dmashim" ] || fail "no trace system edu_local_a_dmashim"
	[ -d "$TRACEFS/events/dmashim" ] || fail "no trace system dmashim"
	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$events/enable"
	echo 1 >"$TRACEFS/tracing_on"
	hand_over edu_local_a edu_local_b
	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$events/enable"
	ctx_gone "$BDF" edu_local_a_dmashim || fail "edu_local_a's context outlived the unbind"
	[ -n "$(ctx_dirs "$BDF" edu_local_b_dmashim)" ] || fail "no context in $DEBUGFS/edu_local_b_dmashim"
	n=$(grep -c " dmashim_alloc: " "$TRACEFS/trace")
	[ "$n" = 1 ] || fail "$n dmashim_alloc records from edu_local_b's copy, not 1"
	grep -q " dmashim_map: " "$TRACEFS/trace" || fail "no dmashim_map record from edu_local_b's copy"
	report "edu_local_b's probe: $n alloc record in events/edu_local_b_dmashim"
}

case_shared_dma() {
	local nic=$DEBUGFS/edu_nic

	hand_over edu_local_b edu_nic
	ctx_gone "$BDF" edu_local_b_dmashim || fail "edu_local_b's context outlived the unbind"
	[ -n "$(ctx_dirs "$BDF")" ] || fail "edu_nic has no dmashim.ko context"
	echo poll >"$nic/run" || { fail "edu_nic run"; return; }
	[ "$(key_value "$nic/results" verified)" = "$(key_value "$nic/results" packets)" ] ||
		fail "edu_nic: not every packet verified"
	report "edu_nic beside the copies: $(key_value "$nic/results" verified) packets verified"
}

case_no_clash() {
	if dmesg | grep -E "already present|[Cc]ould not create|[Dd]uplicate|exports duplicate"; then
		fail "the copies and dmashim.ko clashed (above)"
	fi
}

case_unload_all() {
	local m

	for m in edu_nic edu_local_b edu_local_a; do
		rmmod "$m" || fail "rmmod $m"
	done
	for m in edu_local_a edu_local_b; do
		[ ! -e "$DEBUGFS/${m}_dmashim" ] || fail "$DEBUGFS/${m}_dmashim outlived $m"
		[ ! -e "$TRACEFS/events/${m}_dmashim" ] || fail "events/${m}_dmashim outlived $m"
	done
	ctx_gone "$BDF" || fail "edu_nic's context outlived it"
	[ -d "$DEBUGFS/dmashim" ] || fail "dmashim.ko's debugfs went with the copies"
}

ktap_begin edu_local 6
run_case edu_local_load_beside_shared case_load_all
run_case edu_local_copy_a_dma case_copy_a_dma
run_case edu_local_copy_b_dma_traced case_copy_b_dma_traced
run_case edu_local_shared_dma case_shared_dma
run_case edu_local_no_clash case_no_clash
run_case edu_local_unload_all case_unload_all
ktap_end
