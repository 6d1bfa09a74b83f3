#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: the model-based test against /dev/dmashim_model
# (kunit/model/dmashim_model_dev.ko, loaded from the manifest).  The program
# prints the KTAP suite dmashim_model through kselftest.h and fails if any
# case fails.  make test runs its short run; arguments (a soak, a seed)
# come from the kernel command line, in place of make test's, as
# dmashim_model=ARG,ARG,... (scripts/soak-model.sh sets it), commas
# standing for spaces.  With dmashim_failsites on the command line too
# (scripts/soak-model.sh -f), every failed slab allocation is recorded with
# its stack in the trace buffer (an event trigger, nothing on the console),
# and the first dmashim frame of each is printed afterwards as a
# "# failsite" line for scripts/fail-sites.py.

# shellcheck source=scripts/guest/ktap.sh
. /lib/ktap.sh

# make test runs every case, the concurrent one included (its stuck
# releases were a quiesce that an unbind overtook, 61dd291; a 2100 s soak
# after it ran 241 concurrent rounds clean).
args=
failsites=
T=/sys/kernel/tracing
read -r cmdline </proc/cmdline
# shellcheck disable=SC2086 # split into words
for word in $cmdline; do
	case $word in
	dmashim_model=*) args=$(echo "${word#dmashim_model=}" | tr , ' ') ;;
	dmashim_failsites) failsites=1 ;;
	esac
done

# failsites_on: a stack trace of every slab allocation that returns NULL.
# (Failed page allocations leave no event in 6.1: prepare_alloc_pages()
# returns before trace_mm_page_alloc().)
failsites_on() {
	local ev

	[ -d $T/events ] || mount -t tracefs nodev $T || return 1
	echo 16384 >$T/buffer_size_kb
	echo 1 >$T/options/sym-offset
	for ev in kmem/kmalloc kmem/kmem_cache_alloc; do
		echo 'ptr == 0' >$T/events/$ev/filter || return 1
		echo 'stacktrace if ptr == 0' >$T/events/$ev/trigger || return 1
		echo 1 >$T/events/$ev/enable || return 1
	done
}

# failsites_print: per failed allocation, its first frame in dmashim.ko.
failsites_print() {
	echo 0 >$T/tracing_on
	awk '/<stack trace>/ { want = 1; next }
	     / => / { if (want && /\[dmashim\]/) { print $2; want = 0 }; next }
	     { want = 0 }' $T/trace |
		sort | uniq -c | awk '{ print "# failsite", $2, $1 }'
	echo "# failsite-events $(grep -c '<stack trace>' $T/trace) failed" \
		"allocations recorded, $(grep -m 1 'entries-in-buffer' $T/trace)"
}

if [ -n "$failsites" ]; then
	failsites_on || echo "# failsite setup failed"
fi
# shellcheck disable=SC2086 # the arguments are separate words
ktap_run dmashim_model /bin/dmashim_model -H 60 -P $args
[ -z "$failsites" ] || failsites_print
