#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook of the "dkms" set (make test's stock-kernel boot): dmashim as a
# distribution installs it.  /init has loaded dmashim.ko as DKMS built it
# from the dmashim-dkms package (scripts/deb.sh test); edu_ext was built in
# a tree of its own against the unpacked dmashim-dev only, edu_ext_stale the
# same way against a dmashim whose dmashim_abi_version() returns u64.  The
# stock kernel has MODVERSIONS: the stale driver must be refused, and
# edu_ext must load, do its DMA round trip at probe (the probe fails
# otherwise), keep one buffer and lose it at unbind.  Prints the KTAP
# suite "edu_ext".

# Case functions are called through run_case.
# shellcheck disable=SC2317
# shellcheck source=samples/edu_nic/guest/edu.sh
. /lib/edu.sh

BDF=$(edu_bdf) || BDF=none
DRIVER=/sys/bus/pci/drivers/edu_ext

case_stale_refused() {
	if insmod "$SAMPLES/edu_ext_stale.ko" 2>/dev/null; then
		fail "edu_ext_stale loaded: MODVERSIONS did not refuse a changed export"
		rmmod edu_ext_stale
		return
	fi
	[ ! -d /sys/module/edu_ext_stale ] || fail "edu_ext_stale is in /sys/module"
	dmesg | grep -q "edu_ext_stale: disagrees about version of symbol dmashim_abi_version" ||
		fail "no 'disagrees about version of symbol dmashim_abi_version' in the log"
	report "edu_ext_stale refused at load: it disagrees about the version of dmashim_abi_version"
}

case_load_dma() {
	local d

	insmod "$SAMPLES/edu_ext.ko" || { fail "insmod edu_ext.ko"; return; }
	[ -e "$DRIVER/$BDF" ] || { fail "edu_ext did not bind $BDF"; return; }
	dmesg | grep -q "edu_ext $BDF: 256 bytes through the device and back" ||
		fail "no round trip message from edu_ext"
	d=$(ctx_dirs "$BDF")
	[ -n "$d" ] || { fail "no dmashim context for $BDF"; return; }
	[ "$(key_value "$d/stats" live)" = 1 ] ||
		fail "the context has $(key_value "$d/stats" live) live handles, not 1"
	report "edu_ext: 256 bytes through edu and back by the DKMS-built dmashim.ko"
}

case_unbind_revokes() {
	echo "$BDF" >"$DRIVER/unbind" || fail "unbind $BDF"
	ctx_gone "$BDF" || fail "the context outlived the unbind"
	rmmod edu_ext || fail "rmmod edu_ext"
}

ktap_begin edu_ext 3
run_case edu_ext_stale_refused case_stale_refused
run_case edu_ext_load_dma case_load_dma
run_case edu_ext_unbind_revokes case_unbind_revokes
ktap_end
