#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the user-space half of the mmap tests for a guest run (a test
# bundle, see scripts/mkinitramfs.sh):
#
#   OUT_DIR/root/bin/dmashim_mmap_user   (static, built here)
#   OUT_DIR/tests/40-mmap.sh
#
# The test device, kunit/mmap/dmashim_mmap_dev.ko, is in the test manifest
# with the KUnit modules, so it is loaded when the hook runs.  The program
# prints the KTAP suite dmashim_mmap_user; its last case unbinds the device.
#
# Usage: scripts/bundle/mmap.sh KDIR MODULES_DIR OUT_DIR
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

MMAP=$DMASHIM_ROOT/kunit/mmap

main() {
	local out

	[ $# -eq 3 ] || die "usage: $0 KDIR MODULES_DIR OUT_DIR"
	out=$3
	[ -f "$2/kunit/mmap/dmashim_mmap_dev.ko" ] ||
		die "mmap: $2/kunit/mmap/dmashim_mmap_dev.ko was not built"
	rm -rf "$out/root" "$out/tests"
	mkdir -p "$out/tests"
	build_static "$out/root/bin/dmashim_mmap_user" "$MMAP/dmashim_mmap_user.c"
	install -m 0755 "$MMAP/40-mmap.sh" "$out/tests/"
}

main "$@"
