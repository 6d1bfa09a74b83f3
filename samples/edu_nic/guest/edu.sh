# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC2034 # variables for the hooks
#
# Helpers of the edu sample hooks, sourced in the test guest (busybox sh)
# from /lib/edu.sh.  The hooks print their KTAP suites with the runner's
# helpers (scripts/guest/ktap.sh: ktap_begin, run_case, fail, ktap_end,
# ktap_run), sourced here; "    # REPORT SUITE: ..." lines are the readable
# summary scripts/run.sh prints.  The sample modules are in /modules.

# shellcheck source=scripts/guest/ktap.sh
. /lib/ktap.sh

DEBUGFS=/sys/kernel/debug
SAMPLES=/modules

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

# ctx_dirs BDF [ROOT]: the debugfs directories of the device's contexts
# under ROOT: dmashim (dmashim.ko's, the default) or a driver-local copy's
# DRIVER_dmashim.
ctx_dirs() {
	local d

	for d in "$DEBUGFS/${2:-dmashim}/$1".*; do
		[ -d "$d" ] && echo "$d"
	done
}

# ctx_gone BDF [ROOT]: true once the device has no context directory under
# ROOT (as ctx_dirs); it goes shortly after revocation (a work item removes
# it), so wait up to 2 s.
ctx_gone() {
	local i=0

	while [ -n "$(ctx_dirs "$1" "$2")" ]; do
		i=$((i + 1))
		[ $i -le 200 ] || return 1
		usleep 10000
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
