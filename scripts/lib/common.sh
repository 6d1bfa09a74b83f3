# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Helpers shared by the runner's scripts: paths, locks, the kernel source,
# the stock kernel, the manifest and the out-of-tree module sources.
# Sourced, not executed:  source "$(dirname "$0")/lib/common.sh"

DMASHIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Kernels and the extracted source are cached outside the repository.  The
# path is resolved (symlinks, a relative DMASHIM_CACHE_DIR) as the kernel's
# Makefile resolves O=, so that what a build records can be matched to it.
DMASHIM_CACHE=$(realpath -m "${DMASHIM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dmashim}")
# One guest or kernel build at a time on this machine (2 cores, TCG is
# CPU-bound): every boot and every kernel build of every checkout holds this
# lock, whatever DMASHIM_CACHE_DIR says.
DMASHIM_MACHINE_LOCK=${XDG_CACHE_HOME:-$HOME/.cache}/dmashim/.lock
export DMASHIM_ROOT DMASHIM_CACHE

# The rustup toolchain first in PATH is too new for 6.1: always Debian's.
DMASHIM_RUST_ARGS=(RUSTC=/usr/bin/rustc BINDGEN=/usr/bin/bindgen
		   HOSTRUSTC=/usr/bin/rustc)
DMASHIM_PYTHON=/usr/bin/python3
# The Debian package the test kernel, kunit.py and kselftest.h come from.
DMASHIM_SRC_PKG=linux-source-6.1
# Our Rust-enabled kernel flavour: its release is <version>-$DMASHIM_FLAVOUR
# and its packages come from source $DMASHIM_FLAVOUR_SOURCE.
DMASHIM_FLAVOUR=dmashim
DMASHIM_FLAVOUR_SOURCE=linux-dmashim
# The sets of scripts/manifest that make a test guest (make test, make soak).
DMASHIM_TEST_SETS=(dmashim kunit mmap model samples local rust)
# The driver-local copies make test builds (build_local), in build/test/local/;
# the second has a "-" in its file name, which kbuild makes "_" in KBUILD_MODNAME.
DMASHIM_LOCAL_DRIVERS=(edu_local_a edu-local-b)

die() {
	echo "$*" >&2
	exit 1
}

# lock_machine: wait for the machine lock (fd 9, held until exit).
lock_machine() {
	mkdir -p "${DMASHIM_MACHINE_LOCK%/*}"
	exec 9>>"$DMASHIM_MACHINE_LOCK"
	flock 9
}

# lock_cache: wait for the cache directory's lock (fd 8), which protects
# extractions and kernel builds into it; with the default cache it is the
# machine lock itself.  Take it before the machine lock, never after.
lock_cache() {
	mkdir -p "$DMASHIM_CACHE"
	touch "$DMASHIM_CACHE/.lock"
	if [ "$DMASHIM_CACHE/.lock" -ef "$DMASHIM_MACHINE_LOCK" ]; then
		lock_machine
	else
		exec 8>>"$DMASHIM_CACHE/.lock"
		flock 8
	fi
}

# kernel_source: the directory of Debian's kernel source, extracted once
# (atomically, under the cache lock) the first time it is needed.
kernel_source() {
	local version dir tmp tarball=/usr/src/$DMASHIM_SRC_PKG.tar.xz

	version=$(dpkg-query -W -f='${Version}' "$DMASHIM_SRC_PKG" 2>/dev/null) ||
		die "$DMASHIM_SRC_PKG is not installed; run scripts/setup.sh"
	dir=$DMASHIM_CACHE/$DMASHIM_SRC_PKG-$version
	if [ ! -f "$dir/Makefile" ]; then
		(
			lock_cache
			[ -f "$dir/Makefile" ] && exit 0
			[ -f "$tarball" ] || die "$tarball missing; run scripts/setup.sh"
			echo "extracting $tarball (once)..." >&2
			tmp=$(mktemp -d "$DMASHIM_CACHE/.tmp-src.XXXXXX")
			tar -xf "$tarball" -C "$tmp"
			mv -T "$tmp/$DMASHIM_SRC_PKG" "$dir"
			rmdir "$tmp"
		) || exit 1
	fi
	echo "$dir"
}

# kernel_release KDIR: the release a prepared kernel tree builds modules for.
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null | grep . ||
		die "$1 is not a prepared kernel tree"
}

# kconfig_enabled KDIR SYMBOL: true when KDIR/.config has CONFIG_SYMBOL=y.
kconfig_enabled() { grep -qx "CONFIG_$2=y" "$1/.config" 2>/dev/null; }

# stock_kernel: set BZIMAGE, KDIR and KERNEL_DESC for the newest stock
# Debian kernel and its headers.
stock_kernel() {
	local release

	BZIMAGE=$(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' | sort -V | tail -n 1)
	[ -n "$BZIMAGE" ] || die "no /boot/vmlinuz-*-amd64; run scripts/setup.sh"
	[ -r "$BZIMAGE" ] || die "$BZIMAGE is not readable (try: sudo chmod o+r $BZIMAGE)"
	release=${BZIMAGE##*/vmlinuz-}
	KDIR=/usr/src/linux-headers-$release
	[ -f "$KDIR/Makefile" ] || die "no headers for $release; install linux-headers-$release"
	KERNEL_DESC="$release (stock Debian kernel)"
}

# manifest SET...: the lines "KIND PATH [PARAMS]" of scripts/manifest that
# belong to one of the sets, in the manifest's order.
manifest() {
	local want=" $* " set kind path params known=" "

	while read -r set kind path params; do
		case $set in "" | "#"*) continue ;; esac
		known+="$set "
		[[ $want == *" $set "* ]] && echo "$kind $path${params:+ $params}"
	done <"$DMASHIM_ROOT/scripts/manifest"
	for set in "$@"; do
		[[ $known == *" $set "* ]] || die "manifest: no set '$set'"
	done
}

# sync_sources OUTDIR: mirror the module sources into OUTDIR (absolute) for
# an out-of-tree build there.  The build artefacts are those of .gitignore:
# never copied, never deleted.  Contents are compared by checksum, so make
# rebuilds exactly what changed.
sync_sources() {
	mkdir -p "$1"
	(cd "$DMASHIM_ROOT" && rsync -rlpc --delete --relative \
		--exclude-from=.gitignore Kbuild kernel include kunit samples \
		bindings "$1/")
}

# build_modules KDIR OUTDIR [MAKE ARGUMENT...]: dmashim's modules, built out
# of tree in OUTDIR (never in the repository), so that one checkout builds
# for several kernels side by side; Rust ones when KDIR has CONFIG_RUST.
# Any compiler or modpost warning fails the build.  Runs in a subshell.
build_modules() (
	local kdir out stamp args=()

	[ -f "$1/Makefile" ] || die "modules: $1 is not a kernel build tree"
	mkdir -p "$2"
	kdir=$(cd "$1" && pwd) out=$(cd "$2" && pwd)
	shift 2
	sync_sources "$out"
	kconfig_enabled "$kdir" RUST && args+=("${DMASHIM_RUST_ARGS[@]}")
	# Objects built for another kernel must go: kbuild names the kernel
	# tree relatively and compares timestamps, so a kernel rebuilt into
	# another directory leaves .mod.o files that insmod rejects ("invalid
	# relocation target").  Dropped objects also print their warnings again.
	stamp="$kdir $(cat "$kdir/.config" "$kdir/include/generated/utsrelease.h" | sha256sum)"
	if [ "$(cat "$out/.kdir-stamp" 2>/dev/null)" != "$stamp" ]; then
		find "$out" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete
		echo "$stamp" >"$out/.kdir-stamp"
	fi
	set -o pipefail
	make -C "$kdir" M="$out" "${args[@]}" "$@" modules 2>&1 | tee "$out/build.log" ||
		die "modules: build against $kdir failed"
	if grep -i 'warning:' "$out/build.log" >&2; then
		rm -f "$out/.kdir-stamp"
		die "modules: ERROR: warnings are errors (above; log: $out/build.log)"
	fi
)

# build_local KDIR OUTDIR NAME: the edu_local sample as module NAME, in a
# tree of its own (OUTDIR/NAME) with its own copy of dmashim
# (scripts/vendor.sh), as a driver author would build it.  A warning, or
# any export (the copy must export nothing), fails it.  Runs in a subshell.
build_local() (
	local kdir tree=$2/$3

	kdir=$(cd "$1" && pwd)
	mkdir -p "$tree"
	cp "$DMASHIM_ROOT"/samples/edu_local/{Kbuild,edu_local_main.c} \
		"$DMASHIM_ROOT"/samples/edu/{edu.h,edu_regs.h} "$tree/"
	"$DMASHIM_ROOT/scripts/vendor.sh" "$tree/dmashim" >/dev/null
	set -o pipefail
	make -C "$kdir" M="$(cd "$tree" && pwd)" EDU_LOCAL="$3" modules 2>&1 |
		tee "$tree/build.log" || die "local: build of $3 against $kdir failed"
	! grep -i 'warning:' "$tree/build.log" >&2 ||
		die "local: ERROR: warnings are errors (above; log: $tree/build.log)"
	[ ! -s "$tree/Module.symvers" ] ||
		die "local: $3 exports symbols (its copy of dmashim must not): $(cut -f2 "$tree/Module.symvers" | head -n 3)"
)

# build_test_tree KDIR: what a test guest's modules come from (make test,
# make soak): dmashim's modules in build/test and the driver-local copies
# in build/test/local.
build_test_tree() {
	local d

	build_modules "$1" "$DMASHIM_ROOT/build/test" || return 1
	for d in "${DMASHIM_LOCAL_DRIVERS[@]}"; do
		build_local "$1" "$DMASHIM_ROOT/build/test/local" "$d" || return 1
	done
}
