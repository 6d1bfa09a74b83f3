#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a test guest's initramfs: busybox-static, scripts/guest/init and
# scripts/guest/ktap.sh, and the items of the given sets of scripts/manifest
# (modules checked against KDIR's release, static programs built here).  The
# gzip'd newc archive is made by the kernel's own usr/gen_init_cpio (from
# KDIR, or built from Debian's source for a headers-only tree), so device
# nodes need no root privileges.  No set at all: a guest that only boots.
#
# Usage: scripts/mkinitramfs.sh KDIR MODDIR OUT.cpio.gz [SET...]
#   MODDIR  the module build for KDIR (build_modules, scripts/lib/common.sh)
# Environment: DMASHIM_PARAMS_<module> ("-" as "_") adds insmod parameters to a module.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[ $# -ge 3 ] || die "usage: $0 KDIR MODDIR OUT.cpio.gz [SET...]"
KDIR=$1 MODDIR=$2 OUT=$3
shift 3
GUEST=$DMASHIM_ROOT/scripts/guest
[ -x /bin/busybox ] || die "initramfs: /bin/busybox missing; run scripts/setup.sh"

# stage_module KO: a module built for KDIR's release.
stage_module() {
	local vermagic

	[ -f "$MODDIR/$1" ] || die "initramfs: $MODDIR/$1 was not built"
	vermagic=$(modinfo -F vermagic "$MODDIR/$1")
	[ "${vermagic%% *}" = "$RELEASE" ] ||
		die "initramfs: $1 is for ${vermagic%% *}, not $RELEASE"
	echo "file /modules/${1##*/} $MODDIR/$1 0644 0 0"
}

# spec: gen_init_cpio's list of everything in the archive.
spec() {
	local d kind path params name var

	for d in /bin /dev /lib /proc /sys /tmp /modules /tests; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "file /bin/busybox /bin/busybox 0755 0 0"
	echo "file /init $GUEST/init 0755 0 0"
	echo "file /lib/ktap.sh $GUEST/ktap.sh 0644 0 0"
	echo "file /modules/manifest $WORK/manifest 0644 0 0"
	: >"$WORK/manifest"
	while read -r kind path params; do
		name=${path##*/}
		case $kind in
		load | module)
			stage_module "$path"
			var=${name%.ko} var=DMASHIM_PARAMS_${var//-/_}
			params+=${!var:+ ${!var}}
			[ "$kind" = module ] || echo "$name $params" >>"$WORK/manifest" ;;
		prog)
			name=${name%.c}
			gcc -static -O2 -Wall -Wextra -Werror -I"$SELFTESTS" \
				-o "$MODDIR/guest-bin/$name" "$DMASHIM_ROOT/$path"
			echo "file /bin/$name $MODDIR/guest-bin/$name 0755 0 0" ;;
		hook) echo "file /tests/$name $DMASHIM_ROOT/$path 0755 0 0" ;;
		lib) echo "file /lib/$name $DMASHIM_ROOT/$path 0644 0 0" ;;
		"") ;;
		*) die "initramfs: unknown kind '$kind' in scripts/manifest" ;;
		esac
	done <<<"$ITEMS"
}

RELEASE=$(kernel_release "$KDIR")
ITEMS=$(manifest "$@")
mkdir -p "$MODDIR/guest-bin" "$(dirname "$OUT")"
MODDIR=$(cd "$MODDIR" && pwd)
SRC=$(kernel_source)
SELFTESTS=$SRC/tools/testing/selftests
GEN=$KDIR/usr/gen_init_cpio
if [ ! -x "$GEN" ]; then
	GEN=$DMASHIM_CACHE/gen_init_cpio
	if [ ! "$GEN" -nt "$SRC/usr/gen_init_cpio.c" ]; then
		gcc -O2 -o "$GEN.tmp" "$SRC/usr/gen_init_cpio.c"
		mv "$GEN.tmp" "$GEN"
	fi
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
spec >"$WORK/spec"
"$GEN" "$WORK/spec" | gzip -n -6 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
