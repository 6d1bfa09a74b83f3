#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test guest's initramfs: busybox-static, scripts/guest/init, the
# modules of a manifest and optional hook scripts, as a gzip'd newc cpio.
# The archive is made by the kernel's own usr/gen_init_cpio from KDIR, so
# /dev/console exists without root privileges.
#
# Usage: scripts/mkinitramfs.sh KDIR OUT.cpio.gz MANIFEST [HOOKS_DIR]
#
# MANIFEST has one line per module, loaded in this order:
#     path/to/file.ko [param=value ...]
# (host path, relative to the current directory; blank and # lines ignored).
# HOOKS_DIR/*.sh are copied to /tests/ and run by init after the insmods.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

BUSYBOX=/bin/busybox
INIT=$DMASHIM_ROOT/scripts/guest/init

# spec_base: directories, device nodes and programs of every initramfs.
spec_base() {
	local d

	for d in /bin /dev /proc /sys /tmp /modules /tests; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "file /bin/busybox $BUSYBOX 0755 0 0"
	echo "file /init $INIT 0755 0 0"
}

# spec_modules MANIFEST GUEST_MANIFEST: the .ko files, and the guest's copy
# of the manifest with bare file names.
spec_modules() {
	local ko params name

	: >"$2"
	while read -r ko params; do
		case $ko in "" | "#"*) continue ;; esac
		[ -f "$ko" ] || die "initramfs: module $ko not found"
		name=$(basename "$ko")
		echo "file /modules/$name $(realpath "$ko") 0644 0 0"
		echo "$name $params" >>"$2"
	done <"$1"
	echo "file /modules/manifest $2 0644 0 0"
}

spec_hooks() {
	local hook

	[ -n "$1" ] || return 0
	[ -d "$1" ] || die "initramfs: hooks directory $1 not found"
	for hook in "$1"/*.sh; do
		[ -f "$hook" ] || continue
		echo "file /tests/$(basename "$hook") $(realpath "$hook") 0755 0 0"
	done
}

main() {
	local kdir out manifest hooks gen tmp

	if [ $# -lt 3 ] || [ $# -gt 4 ]; then
		die "usage: $0 KDIR OUT.cpio.gz MANIFEST [HOOKS_DIR]"
	fi
	kdir=$1 out=$2 manifest=$3 hooks=${4:-}
	gen=$kdir/usr/gen_init_cpio
	[ -x "$gen" ] || die "initramfs: $gen missing (kernel without BLK_DEV_INITRD?)"
	[ -x "$BUSYBOX" ] || die "initramfs: $BUSYBOX missing; run scripts/setup.sh"
	[ -f "$manifest" ] || die "initramfs: manifest $manifest not found"

	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	{
		spec_base
		spec_modules "$manifest" "$tmp/manifest"
		spec_hooks "$hooks"
	} >"$tmp/spec"
	mkdir -p "$(dirname "$out")"
	"$gen" "$tmp/spec" | gzip -n -6 >"$out.tmp"
	mv "$out.tmp" "$out"
}

main "$@"
