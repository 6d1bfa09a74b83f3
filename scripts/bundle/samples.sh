#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the edu sample drivers for a guest run (producer side of the test
# bundle interface).  Writes
#
#   OUT_DIR/root/samples/edu_nic.ko, edu_gpu.ko, lib.sh
#   OUT_DIR/root/bin/edu_gpu_user        (static, built here)
#   OUT_DIR/tests/50-edu-nic.sh 51-edu-gpu.sh 59-edu-unbind.sh
#
# OUT_DIR/root/ is copied verbatim into the initramfs root, OUT_DIR/tests/
# into /tests/, whose hooks the guest init runs in order once the manifest's
# modules (dmashim.ko) are loaded.  The hooks load the samples themselves,
# one after the other (they drive the same edu device), print KTAP suites
# (edu_nic, edu_gpu, edu_nic_unbind) and exit non-zero on failure.
#
# Usage: scripts/bundle/samples.sh KDIR MODULES_DIR OUT_DIR
#   KDIR         the kernel the modules were built for (checked against the
#                modules' vermagic)
#   MODULES_DIR  the tree scripts/build-modules.sh built for KDIR
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

SAMPLES=$DMASHIM_ROOT/samples
MODULES=(edu_nic edu_gpu)
HOOKS=(edu_nic/guest/50-edu-nic.sh edu_gpu/guest/51-edu-gpu.sh
       edu_nic/guest/59-edu-unbind.sh)

main() {
	local kdir mods out release name hook

	[ $# -eq 3 ] || die "usage: $0 KDIR MODULES_DIR OUT_DIR"
	kdir=$1 mods=$2 out=$3
	release=$(kernel_release "$kdir")

	rm -rf "$out/root" "$out/tests"
	mkdir -p "$out/root/samples" "$out/root/bin" "$out/tests"
	for name in "${MODULES[@]}"; do
		stage_module "$mods/samples/$name/$name.ko" "$release" \
			"$out/root/samples"
	done
	install -m 0644 "$SAMPLES/edu_nic/guest/lib.sh" "$out/root/samples/"
	build_static "$out/root/bin/edu_gpu_user" \
		"$SAMPLES/edu_gpu/edu_gpu_user.c"
	for hook in "${HOOKS[@]}"; do
		install -m 0755 "$SAMPLES/$hook" "$out/tests/"
	done
}

main "$@"
