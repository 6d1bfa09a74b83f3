#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: the edu_gpu sample.  Loads the driver, runs the user-space
# program (/bin/edu_gpu_user, which prints the KTAP suite "edu_gpu" through
# kselftest.h, and ends by unbinding the device under its open file), then
# unloads the driver and checks that its context went with it.

# shellcheck disable=SC2317 # no_driver is called through run_case
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

BDF=$(edu_bdf) || BDF=none
SUITE=edu_gpu	# for report before the program prints its suite

no_driver() {
	fail "insmod edu_gpu.ko"
}

t0=$(uptime_cs)
if ! insmod "$SAMPLES/edu_gpu.ko"; then
	ktap_begin edu_gpu 1
	run_case edu_gpu_probe no_driver
	ktap_end
	exit 1
fi
report "probe: device $BDF, handles live $(ctx_live "$BDF"), $(since_s "$t0")"

rc=0
ktap_run edu_gpu /bin/edu_gpu_user || rc=1

t0=$(uptime_cs)
if ! rmmod edu_gpu; then
	note "FAIL: rmmod edu_gpu"
	rc=1
fi
if ! ctx_gone "$BDF"; then
	note "FAIL: the dmashim context outlived the driver"
	rc=1
fi
report "unload: context released, $(since_s "$t0")"
exit $rc
