#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build dmashim's modules out of tree without writing into the repository:
# copy the module sources into OUTDIR (incrementally) and run
# `make -C KDIR M=OUTDIR` there, so one checkout can be built for several
# kernels side by side.  Any compiler or modpost warning fails the build.
#
# Usage: scripts/build-modules.sh KDIR OUTDIR [extra make args...]
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Kbuild artefacts: never copied from the checkout, never deleted in OUTDIR.
ARTEFACTS=('*.o' '*.ko' '*.mod' '*.mod.c' '.*.cmd' '*.a' '*.d' '*.tmp'
	   '*.symvers' '*.order' '*.lst' '.tmp_versions/' '.cache.mk'
	   '*.rmeta' 'build.log')

# sync_sources OUTDIR: mirror the module sources into OUTDIR.  Contents are
# compared by checksum and copies get a fresh mtime, so make rebuilds exactly
# what changed, even when a checkout moves a file back to older content.
sync_sources() {
	local out=$1 item excludes=() items=()

	for item in "${ARTEFACTS[@]}"; do
		excludes+=(--exclude="$item")
	done
	for item in Kbuild kernel include kunit samples bindings; do
		[ -e "$DMASHIM_ROOT/$item" ] && items+=("$item")
	done
	(cd "$DMASHIM_ROOT" &&
		rsync -rlpc --delete --relative "${excludes[@]}" "${items[@]}" "$out/")
}

# forget_objects OUTDIR: drop build results so the next run recompiles (and
# so reprints the warnings of) every file.
forget_objects() {
	find "$1" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete
}

# forget_other_kernel KDIR OUT: objects built for another kernel must go.
# Kbuild names the kernel tree relatively in its command lines and compares
# timestamps, so a kernel rebuilt into a new directory leaves stale .mod.o
# files that insmod then rejects ("invalid relocation target").
forget_other_kernel() {
	local stamp

	stamp="$1 $(cat "$1/.config" "$1/include/generated/utsrelease.h" |
		    sha256sum | cut -c1-16)"
	if [ "$(cat "$2/.kdir-stamp" 2>/dev/null)" != "$stamp" ]; then
		forget_objects "$2"
		echo "$stamp" >"$2/.kdir-stamp"
	fi
}

main() {
	local kdir out buildlog args=()

	[ $# -ge 2 ] || die "usage: $0 KDIR OUTDIR [extra make args...]"
	kdir=$(cd "$1" && pwd) || die "modules: no kernel tree at $1"
	[ -f "$kdir/Makefile" ] || die "modules: $kdir is not a kernel build tree"
	mkdir -p "$2"
	out=$(cd "$2" && pwd)
	shift 2

	sync_sources "$out"
	forget_other_kernel "$kdir" "$out"
	kconfig_enabled "$kdir" RUST && args+=("${DMASHIM_RUST_ARGS[@]}")
	buildlog=$out/build.log

	if ! make -C "$kdir" M="$out" "${args[@]}" "$@" modules 2>&1 | tee "$buildlog"; then
		die "modules: build against $kdir failed"
	fi
	if grep -qi 'warning:' "$buildlog"; then
		echo "modules: ERROR: the build printed warnings:" >&2
		grep -i 'warning:' "$buildlog" >&2
		forget_objects "$out"
		die "modules: warnings are errors (full log: $buildlog)"
	fi
}

main "$@"
