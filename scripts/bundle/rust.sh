#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the Rust sample driver for the test guest (consumed by
# scripts/test.sh):
#   OUT_DIR/root/rust/dmashim_rust_sample.ko   copied into the initramfs root
#   OUT_DIR/tests/60-rust.sh                    guest hook (busybox sh): loads
#                                              it after dmashim.ko, which runs
#                                              the KTAP suite dmashim_rust at
#                                              probe, and unloads it
# The module comes from MODULES_DIR/samples/rust/ when the top-level Kbuild
# built it there; otherwise it is built here into OUT_DIR/build against
# KDIR, with dmashim's symbols from MODULES_DIR/Module.symvers.
#
# Usage: scripts/bundle/rust.sh KDIR MODULES_DIR OUT_DIR
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

MODULE=dmashim_rust_sample.ko

main() {
	local kdir mods out ko start

	[ $# -eq 3 ] || die "usage: $0 KDIR MODULES_DIR OUT_DIR"
	start=$(now)
	kdir=$(cd "$1" && pwd) || die "bundle-rust: no kernel tree at $1"
	mods=$(cd "$2" && pwd) || die "bundle-rust: no modules directory $2"
	out=$3
	kconfig_enabled "$kdir" RUST ||
		die "bundle-rust: $kdir has no CONFIG_RUST=y; the Rust sample needs it"

	if [ -f "$mods/samples/rust/$MODULE" ]; then
		ko=$mods/samples/rust/$MODULE
	else
		ko=$(KDIR=$kdir "$DMASHIM_ROOT/scripts/rust.sh" module "$mods" "$out/build")
	fi
	[ -f "$ko" ] || die "bundle-rust: $MODULE was not built"

	rm -rf "$out/root/rust" "$out/tests/60-rust.sh"
	mkdir -p "$out/root/rust" "$out/tests"
	cp "$ko" "$out/root/rust/$MODULE"
	install -m 0755 "$DMASHIM_ROOT/samples/rust/dmashim_rust_hook.sh" \
		"$out/tests/60-rust.sh"
	echo "bundle-rust: staged rust/$MODULE and tests/60-rust.sh in $out ($(($(now) - start)) s)"
}

main "$@"
