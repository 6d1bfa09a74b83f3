#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# DKMS's POST_BUILD script for dmashim (dist/dkms.conf): run in the build
# directory after a successful build, before DKMS deletes that directory.
# Keeps the build's Module.symvers, whose CRCs a driver importing dmashim's
# symbols must be built with, in the DKMS tree beside the built module;
# "dkms remove" deletes it with the module.  dkms 3.0.10 ignores this
# script's exit status; dmashim-dev's dmashim.mk reports the missing file.
#
# Usage: dkms-post-build.sh DKMS_TREE/dmashim/VERSION/KERNELVER/ARCH/module
set -eu

die() {
	echo "dkms-post-build.sh: $*" >&2
	exit 1
}

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	die "usage: $0 MODULE_DIR (an existing directory)"
fi
[ -s Module.symvers ] || die "the build left no Module.symvers in $(pwd)"
cp Module.symvers "$1/Module.symvers"
