#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: the user-space mmap tests against /dev/dmashim_mmap_test
# (kunit/mmap/dmashim_mmap_dev.ko, loaded from the manifest).  The program
# prints the KTAP suite dmashim_mmap_user through kselftest.h and fails if
# any case fails.

# shellcheck source=scripts/guest/ktap.sh
. /lib/ktap.sh

ktap_run dmashim_mmap_user /bin/dmashim_mmap_user
