#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: the edu_nic sample.  Loads the driver, runs its descriptor
# ring once with interrupt completion and once polling, checks that every
# packet came back intact and that the live handles return to where they
# were, then unloads the driver.  Prints the KTAP suite "edu_nic".

# Case functions are called through run_case.
# shellcheck disable=SC2317
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

NIC=$DEBUGFS/edu_nic
BDF=$(edu_bdf) || BDF=none
LIVE_PROBE=none

case_probe() {
	local t0

	t0=$(uptime_cs)
	if ! insmod "$SAMPLES/edu_nic.ko"; then
		fail "insmod edu_nic.ko"
		return
	fi
	[ -e "/sys/bus/pci/drivers/edu_nic/$BDF" ] ||
		fail "edu_nic is not bound to the edu device ($BDF)"
	LIVE_PROBE=$(ctx_live "$BDF")
	report "probe: device $BDF, completion by $(key_value "$NIC/info" irq)," \
		"$(key_value "$NIC/info" ring) descriptors," \
		"handles live $LIVE_PROBE, $(since_s "$t0")"
	[ "$LIVE_PROBE" != none ] || fail "no dmashim context for $BDF"
}

# result KEY: a value of the last run's results.
result() {
	key_value "$NIC/results" "$1"
}

# result_s KEY: a time of the last run's results (microseconds) in seconds.
result_s() {
	awk -v us="$(result "$1")" 'BEGIN { printf "%.3f s\n", us / 1e6 }'
}

# ring_run MODE: one run of the ring ("irq" or "poll"), checked, reported.
ring_run() {
	echo "$1" >"$NIC/run" || fail "the $1 run failed: error $(result error)"
	report "$1: $(result dmas) DMAs moved $(result bytes_to_device) B" \
		"RAM->edu and $(result bytes_to_ram) B edu->RAM," \
		"completion by $(result mode) ($(result irqs) interrupts)"
	report "$1: $(result verified)/$(result packets) packets verified," \
		"$(result mismatched) mismatched; handles live" \
		"$(result live_before) -> $(result live_during) during the run" \
		"-> $(result live_after) after"
	report "$1: $(result_s run_us) (waiting for DMA $(result_s dma_us))"
	if [ "$(result verified)" != "$(result packets)" ] ||
	   [ "$(result mismatched)" != 0 ]; then
		fail "not every packet came back intact"
	fi
	[ "$(result live_during)" -gt "$(result live_before)" ] ||
		fail "the RX payloads were not allocated for the run"
	[ "$(result live_after)" = "$(result live_before)" ] ||
		fail "the run leaked handles"
}

case_ring_irq() {
	ring_run irq
	if [ "$(result mode)" = poll ]; then
		note "no interrupt could be set up: the driver fell back to polling"
	elif [ "$(result irqs)" != "$(result dmas)" ]; then
		fail "$(result irqs) interrupts for $(result dmas) transfers"
	fi
}

case_ring_poll() {
	ring_run poll
	[ "$(result irqs)" = 0 ] || fail "interrupts while polling"
}

case_handles_balanced() {
	local d live allocs frees

	d=$(ctx_dirs "$BDF")
	live=$(key_value "$d/stats" live)
	allocs=$(key_value "$d/stats" allocs)
	frees=$(key_value "$d/stats" frees)
	report "after both runs: handles live $live (after probe: $LIVE_PROBE)," \
		"$allocs allocated, $frees freed"
	[ "$live" = "$LIVE_PROBE" ] ||
		fail "live handles $live, $LIVE_PROBE after probe"
	[ "$((allocs - frees))" = "$live" ] || fail "allocs - frees != live"
}

case_unload() {
	local t0

	t0=$(uptime_cs)
	rmmod edu_nic || fail "rmmod edu_nic"
	ctx_gone "$BDF" ||
		fail "the dmashim context outlived the driver"
	report "unload: context released, $(since_s "$t0")"
}

ktap_begin edu_nic 5
run_case edu_nic_probe case_probe
run_case edu_nic_ring_irq case_ring_irq
run_case edu_nic_ring_poll case_ring_poll
run_case edu_nic_handles_balanced case_handles_balanced
run_case edu_nic_unload case_unload
ktap_end
