#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook for the Rust sample driver, run by the guest's /init after
# dmashim.ko is loaded.  Loads /modules/dmashim_rust_sample.ko, which binds
# QEMU's edu device and prints the KTAP suite dmashim_rust from its probe
# (as the hooks do, "ok 1": the judge renumbers the suites), then unloads
# it.  Exits non-zero if either fails or the suite did not pass.

SUITE=dmashim_rust

rc=0
insmod /modules/dmashim_rust_sample.ko || exit 1
if ! dmesg | grep -qE "^(\[[ 0-9.]+\] )?ok 1 - $SUITE\$"; then
	echo "dmashim-rust: suite $SUITE did not pass"
	rc=1
fi
rmmod dmashim_rust_sample || rc=1
exit $rc
