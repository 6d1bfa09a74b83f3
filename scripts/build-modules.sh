#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build dmashim's modules out of tree without writing into the repository:
# mirror the sources into OUTDIR (sync_sources, scripts/lib/common.sh) and
# run `make -C KDIR M=OUTDIR` there, so that one checkout builds for several
# kernels side by side.  Rust modules are built when KDIR has CONFIG_RUST.
# Any compiler or modpost warning fails the build.
#
# Usage: scripts/build-modules.sh KDIR OUTDIR [make arguments...]
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[ $# -ge 2 ] || die "usage: $0 KDIR OUTDIR [make arguments...]"
[ -f "$1/Makefile" ] || die "modules: $1 is not a kernel build tree"
KDIR=$(cd "$1" && pwd)
sync_sources "$2"
OUT=$(cd "$2" && pwd)
shift 2
args=()
kconfig_enabled "$KDIR" RUST && args+=("${DMASHIM_RUST_ARGS[@]}")

# Objects built for another kernel must go: kbuild names the kernel tree
# relatively and compares timestamps, so a kernel rebuilt into another
# directory leaves .mod.o files that insmod rejects ("invalid relocation
# target").  Dropped objects also make every warning print again.
stamp="$KDIR $(cat "$KDIR/.config" "$KDIR/include/generated/utsrelease.h" | sha256sum)"
if [ "$(cat "$OUT/.kdir-stamp" 2>/dev/null)" != "$stamp" ]; then
	find "$OUT" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete
	echo "$stamp" >"$OUT/.kdir-stamp"
fi

make -C "$KDIR" M="$OUT" "${args[@]}" "$@" modules 2>&1 | tee "$OUT/build.log" ||
	die "modules: build against $KDIR failed"
if grep -qi 'warning:' "$OUT/build.log"; then
	echo "modules: ERROR: the build printed warnings:" >&2
	grep -i 'warning:' "$OUT/build.log" >&2
	rm -f "$OUT/.kdir-stamp"
	die "modules: warnings are errors (log: $OUT/build.log)"
fi
