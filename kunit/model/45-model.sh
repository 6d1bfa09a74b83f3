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
# standing for spaces.

# shellcheck source=scripts/guest/ktap.sh
. /lib/ktap.sh

# make test runs every case, the concurrent one included (its stuck
# releases were a quiesce that an unbind overtook, 61dd291; a 2100 s soak
# after it ran 241 concurrent rounds clean).
args=
read -r cmdline </proc/cmdline
# shellcheck disable=SC2086 # split into words
for word in $cmdline; do
	case $word in
	dmashim_model=*) args=$(echo "${word#dmashim_model=}" | tr , ' ') ;;
	esac
done

# shellcheck disable=SC2086 # the arguments are separate words
ktap_run dmashim_model /bin/dmashim_model -H 60 -P $args
