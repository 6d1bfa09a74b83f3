#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test guest's initramfs: busybox-static, scripts/guest/init, the
# modules of a manifest and optional bundles, as a gzip'd newc cpio.  The
# archive is made by the kernel's own usr/gen_init_cpio (from KDIR, or built
# from Debian's kernel source when KDIR is a headers-only tree), so
# /dev/console exists without root privileges.
#
# Usage: scripts/mkinitramfs.sh KDIR OUT.cpio.gz MANIFEST [BUNDLE...]
#
# MANIFEST has one line per module, loaded in this order:
#     path/to/file.ko [param=value ...]
# (host path, relative to the current directory; blank and # lines ignored).
# A BUNDLE is a directory staged by scripts/bundle/*.sh: its tests/*.sh are
# copied to /tests/ and run by init after the insmods, in lexical order over
# all bundles; its root/ tree is copied to / as it is.
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

# spec_hooks BUNDLE: the bundle's hooks, into /tests/.
spec_hooks() {
	local hook

	for hook in "$1"/tests/*.sh; do
		[ -f "$hook" ] || continue
		echo "file /tests/$(basename "$hook") $(realpath "$hook") 0755 0 0"
	done
}

# spec_root BUNDLE: the bundle's root/ tree at /.
spec_root() {
	local root=$1/root path

	[ -d "$root" ] || return 0
	root=$(realpath "$root")
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort) | while read -r path; do
		path=${path#./}
		if [ -d "$root/$path" ]; then
			echo "dir /$path 0755 0 0"
		else
			echo "file /$path $root/$path $(stat -c %a "$root/$path") 0 0"
		fi
	done
}

# gen_init_cpio KDIR: the kernel's usr/gen_init_cpio; a headers-only tree
# (the stock kernel's) has none, so build it once from Debian's source.
gen_init_cpio() {
	local out=$DMASHIM_CACHE/gen_init_cpio src

	if [ -x "$1/usr/gen_init_cpio" ]; then
		echo "$1/usr/gen_init_cpio"
		return
	fi
	src=$(kernel_source)/usr/gen_init_cpio.c
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		gcc -O2 -o "$out.tmp" "$src"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}

main() {
	local kdir out manifest gen tmp bundle

	[ $# -ge 3 ] || die "usage: $0 KDIR OUT.cpio.gz MANIFEST [BUNDLE...]"
	kdir=$1 out=$2 manifest=$3
	shift 3
	[ -x "$BUSYBOX" ] || die "initramfs: $BUSYBOX missing; run scripts/setup.sh"
	[ -f "$manifest" ] || die "initramfs: manifest $manifest not found"
	for bundle in "$@"; do
		[ -d "$bundle" ] || die "initramfs: bundle $bundle not found"
	done
	gen=$(gen_init_cpio "$kdir")

	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now
	trap "rm -rf '$tmp'" EXIT
	{
		spec_base
		spec_modules "$manifest" "$tmp/manifest"
		for bundle in "$@"; do
			spec_root "$bundle"
			spec_hooks "$bundle"
		done
	} >"$tmp/spec"
	mkdir -p "$(dirname "$out")"
	"$gen" "$tmp/spec" | gzip -n -6 >"$out.tmp"
	mv "$out.tmp" "$out"
}

main "$@"
