# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Helpers shared by the dmashim pipeline scripts.  Sourced, not executed.

# Repository root (this file lives in scripts/lib/).
DMASHIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DMASHIM_ROOT

# Where kernels and extracted sources are cached, outside the repository.
DMASHIM_CACHE=${DMASHIM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dmashim}
export DMASHIM_CACHE

# The rustup toolchain first in PATH is too new for 6.1: always use Debian's.
DMASHIM_RUST_ARGS=(RUSTC=/usr/bin/rustc BINDGEN=/usr/bin/bindgen
		   HOSTRUSTC=/usr/bin/rustc)

# Python for the kernel's own tools (kunit.py), not a pyenv shim.
DMASHIM_PYTHON=/usr/bin/python3

# The Debian package whose source the test kernel and kunit.py come from.
DMASHIM_SRC_PKG=linux-source-6.1

# kernel_source_dir: where scripts/build-kernel.sh extracts that source.
kernel_source_dir() {
	local version

	version=$(dpkg-query -W -f='${Version}' "$DMASHIM_SRC_PKG" 2>/dev/null) ||
		die "$DMASHIM_SRC_PKG is not installed; run scripts/setup.sh"
	echo "$DMASHIM_CACHE/$DMASHIM_SRC_PKG-$version"
}

# extract_kernel_source DIR: unpack Debian's kernel source into DIR, atomically
# (into a temporary directory first).  The caller holds the cache lock.
extract_kernel_source() {
	local dir=$1 tmp tarball=/usr/src/$DMASHIM_SRC_PKG.tar.xz

	[ -f "$dir/Makefile" ] && return 0
	[ -f "$tarball" ] || die "$tarball missing; run scripts/setup.sh"
	echo "extracting $tarball (once)..." >&2
	tmp=$(mktemp -d "$DMASHIM_CACHE/.tmp-src.XXXXXX")
	tar -xf "$tarball" -C "$tmp"
	mv "$tmp/$DMASHIM_SRC_PKG" "$dir"
	rmdir "$tmp"
}

# kernel_source: print the kernel source directory, extracting it first under
# the cache lock if needed (check-log.sh needs its kunit.py, mkinitramfs.sh
# its gen_init_cpio.c for kernels known only by their headers).
kernel_source() {
	local dir

	dir=$(kernel_source_dir)
	if [ ! -f "$dir/Makefile" ]; then
		mkdir -p "$DMASHIM_CACHE"
		(
			flock 9
			extract_kernel_source "$dir"
		) 9>"$DMASHIM_CACHE/.lock"
	fi
	echo "$dir"
}

# kernel_release KDIR: the release a prepared kernel tree builds modules for.
kernel_release() {
	local release

	release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null) || true
	[ -n "$release" ] || die "$1 is not a prepared kernel tree"
	echo "$release"
}

# stage_module KO RELEASE DEST_DIR: copy KO, built for kernel RELEASE, into
# DEST_DIR (for an initramfs bundle).
stage_module() {
	local vermagic

	[ -f "$1" ] || die "bundle: $1 was not built"
	vermagic=$(modinfo -F vermagic "$1")
	[ "${vermagic%% *}" = "$2" ] ||
		die "bundle: $1 is for ${vermagic%% *}, not $2"
	install -D -m 0644 "$1" "$3/${1##*/}"
}

# build_static OUT SOURCE...: a static user-space test program for the guest.
build_static() {
	local out=$1

	shift
	mkdir -p "$(dirname "$out")"
	gcc -static -O2 -Wall -Wextra -Werror -o "$out" "$@"
}

# stock_kernel: set RELEASE, BZIMAGE, KDIR and KERNEL_DESC for the newest
# stock Debian kernel and its headers.
stock_kernel() {
	BZIMAGE=$(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' | sort -V | tail -n 1)
	[ -n "$BZIMAGE" ] || die "no /boot/vmlinuz-*-amd64; run scripts/setup.sh"
	[ -r "$BZIMAGE" ] || die "$BZIMAGE is not readable (try: sudo chmod o+r $BZIMAGE)"
	RELEASE=${BZIMAGE##*/vmlinuz-}
	KDIR=/usr/src/linux-headers-$RELEASE
	[ -f "$KDIR/Makefile" ] ||
		die "no headers for $RELEASE; install linux-headers-$RELEASE"
	KERNEL_DESC="$RELEASE (stock Debian kernel)"
}

# die MESSAGE...: print to stderr and exit 1.
die() {
	echo "$*" >&2
	exit 1
}

# now: seconds since the epoch (for timings).
now() {
	date +%s
}

# kconfig_enabled KDIR SYMBOL: true when KDIR/.config sets CONFIG_SYMBOL=y.
kconfig_enabled() {
	grep -qx "CONFIG_$2=y" "$1/.config" 2>/dev/null
}
