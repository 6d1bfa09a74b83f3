#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Guest hook: the user-space mmap tests against /dev/dmashim_mmap_test
# (kunit/mmap/dmashim_mmap_dev.ko, loaded from the manifest).  The program
# prints the KTAP suite dmashim_mmap_user and fails if any case fails.

exec /bin/dmashim_mmap_user
