#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook for the Rust sample driver, staged as /tests/60-rust.sh by
# scripts/bundle/rust.sh and run by the guest's /init (busybox sh) after
# dmashim.ko is loaded.  Loads /rust/dmashim_rust_sample.ko, which binds
# QEMU's edu device and prints the KTAP suite dmashim_rust from its probe,
# then unloads it.  Exits non-zero if either fails or the suite's result
# line is not "ok".
#
# kunit.py wants the suites of a log numbered 1, 2, ... in order, so the
# module is told its number (ktap_number=), counted as the edu sample hooks
# count theirs (samples/edu_nic/guest/lib.sh): the KUnit suites of the
# loaded modules (one debugfs directory each) plus the suites hooks printed
# before, one line each in $SUITES, to which this suite is added.

KO=/rust/dmashim_rust_sample.ko
NAME=dmashim_rust_sample
SUITE=dmashim_rust
SUITES=/tmp/edu-samples.suites
KUNIT=/sys/kernel/debug/kunit
TS='^(\[[ 0-9.]+\] )?'

say() {
	echo "dmashim-rust: $*"
}

n=0
if [ -d $KUNIT ]; then
	n=$(find $KUNIT -mindepth 1 -maxdepth 1 -type d | wc -l)
fi
if [ -f $SUITES ]; then
	n=$((n + $(wc -l <$SUITES)))
fi
n=$((n + 1))

rc=0
say "insmod $KO ktap_number=$n"
insmod $KO ktap_number=$n || rc=1
# Count the suite once it is printed, whatever its result.
if dmesg | grep -qE "${TS}(not )?ok $n - $SUITE\$"; then
	echo $SUITE >>$SUITES
fi
if [ $rc -ne 0 ]; then
	say "insmod failed"
	exit 1
fi
if ! dmesg | grep -qE "${TS}ok $n - $SUITE\$"; then
	say "suite $SUITE did not pass"
	rc=1
fi
say "rmmod $NAME"
rmmod $NAME || rc=1
exit $rc
