#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug test kernel from Debian's linux-source-6.1, the kernel's
# way of applying a fragment (what `make foo.config` does): tinyconfig,
# scripts/kconfig/merge_config.sh -m with scripts/kernel/dmashim-test.config,
# olddefconfig; then every option of the fragment must have survived.  It
# is built with the kernel's own `make bindeb-pkg`, so that the same build
# is also our Rust-enabled kernel flavour as Debian packages (linux-image,
# linux-headers, linux-libc-dev), kept in deb/ of the build directory.  The
# release is <kernel version>-dmashim-<hash> and the package version
# <version>-1+dmashim<RECIPE>.<hash>, so two different builds never share a
# release or a version.  The build directory (O=) doubles as KDIR for
# `make M=` module builds:
#
#   $DMASHIM_CACHE/kernel-<source version>-<hash>/
#
# where the hash covers the fragment, RECIPE, the flavour's names, the rustc
# wrapper and the rustc that built it: the Rust metadata is only readable by
# that rustc (same version, same Debian build of std), which
# dmashim-kernel.info records.  Built once, under the cache lock and the
# machine lock, in a private temporary directory (bindeb-pkg writes its
# packages next to O=, into that directory only) renamed into place on
# success.
#
# Usage: scripts/build-kernel.sh [--print-dir]
#   --print-dir  print the kernel directory on stdout (progress: stderr)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Bump when this recipe changes the kernel it produces (not for other edits).
RECIPE=6
FRAGMENT=$DMASHIM_ROOT/scripts/kernel/dmashim-test.config
# "Name <address>", as dmashim's own packages name their maintainer.
MAINTAINER=$(sed -n 's/^Maintainer: //p' "$DMASHIM_ROOT/debian/control")
EMAIL=${MAINTAINER#* <}

log() { echo "kernel: $*" >&2; }

# The packages' release, version, source name and maintainer, and who
# built it; the source paths that Rust records as the installed packages
# have them, not the cache's (scripts/kernel/rustc-remap, reading $TMP/rustc.args).
kmake() {
	local rustc=$DMASHIM_ROOT/scripts/kernel/rustc-remap

	DMASHIM_RUSTC_ARGS=$TMP/rustc.args \
	make -C "$SRC" O="$BUILD" "${DMASHIM_RUST_ARGS[@]}" RUSTC="$rustc" HOSTRUSTC="$rustc" \
		LOCALVERSION="${RELEASE#"$KERNELVERSION"}" \
		KDEB_PKGVERSION="$VERSION-1+$DMASHIM_FLAVOUR$RECIPE.$HASH" \
		KDEB_SOURCENAME="$DMASHIM_FLAVOUR_SOURCE" \
		DEBFULLNAME="${MAINTAINER% <*}" DEBEMAIL="${EMAIL%>}" \
		KBUILD_BUILD_USER="$DMASHIM_FLAVOUR" KBUILD_BUILD_HOST="$DMASHIM_FLAVOUR_SOURCE" "$@"
}

# configure: the Rust toolchain must satisfy this kernel first, otherwise
# CONFIG_RUST silently disappears.
configure() {
	kmake -s rustavailable >"$BUILD/config.log" 2>&1 ||
		die "kernel: 'make rustavailable' failed: $(cat "$BUILD/config.log")"
	log "configuring: tinyconfig + ${FRAGMENT#"$DMASHIM_ROOT"/} (merge_config.sh)"
	{
		kmake -s tinyconfig &&
			(cd "$BUILD" && "$SRC/scripts/kconfig/merge_config.sh" -m .config "$FRAGMENT") &&
			kmake -s olddefconfig
	} >>"$BUILD/config.log" 2>&1 ||
		{ cat "$BUILD/config.log" >&2; die "kernel: configuration failed"; }
}

# verify_config: each "CONFIG_X=v" of the fragment must be in .config, and
# no "# CONFIG_X is not set" may be set there.
verify_config() {
	local line bad=()

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF -- "$line" "$BUILD/.config" || bad+=("$line") ;;
		"# CONFIG_"*" is not set")
			line=${line#\# }
			! grep -q "^${line%% *}=" "$BUILD/.config" || bad+=("${line%% *}=n") ;;
		esac
	done <"$FRAGMENT"
	if [ ${#bad[@]} -gt 0 ]; then
		cp "$BUILD/.config" "$DMASHIM_CACHE/last-failed.config"
		log "ERROR: olddefconfig dropped or changed ${#bad[@]} option(s) of the fragment:"
		printf 'kernel:   wanted %s\n' "${bad[@]}" >&2
		die "kernel: missing dependency? see $DMASHIM_CACHE/last-failed.config"
	fi
	log "config verified: all fragment options present"
}

# compile: bindeb-pkg builds all (modules_prepare included), then packages
# it into the private parent directory; what debian/files lists and the
# .changes move into deb/, and the staging trees of the packages go.
compile() {
	local file
	log "building the kernel and its packages (bindeb-pkg) with -j$(nproc) (takes minutes)"
	if ! kmake -j"$(nproc)" bindeb-pkg >"$BUILD/build.log" 2>&1; then
		grep -E 'error|Error' "$BUILD/build.log" | tail -n 30 >&2 || true
		cp "$BUILD/build.log" "$DMASHIM_CACHE/last-failed-kernel-build.log"
		die "kernel: build failed; log in $DMASHIM_CACHE/last-failed-kernel-build.log"
	fi
	if [ ! -f "$BUILD/arch/x86/boot/bzImage" ] || [ ! -f "$BUILD/Module.symvers" ]; then
		die "kernel: no bzImage or Module.symvers after the build"
	fi
	mkdir "$BUILD/deb"
	while read -r file _; do
		mv "$TMP/$file" "$BUILD/deb/"
	done <"$BUILD/debian/files"
	mv "$TMP"/*.changes "$BUILD/deb/"
	rm -rf "$BUILD"/debian/linux-*/
}

SRC=$(kernel_source)
VERSION=${SRC##*/"$DMASHIM_SRC_PKG"-}
KERNELVERSION=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' \
	"$SRC/Makefile" | paste -sd.)
[[ $KERNELVERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
	die "kernel: no VERSION.PATCHLEVEL.SUBLEVEL in $SRC/Makefile (got '$KERNELVERSION')"
# The rustc the Rust metadata is bound to: its version, and the Debian
# package that owns /usr/bin/rustc (a new revision rebuilds std, whose
# hashes libmacros.so records).
RUSTC_VERSION=$(/usr/bin/rustc -V) || die "kernel: no /usr/bin/rustc; run scripts/setup.sh"
RUSTC_PKG=$(dpkg-query -S /usr/bin/rustc | cut -d: -f1) ||
	die "kernel: /usr/bin/rustc belongs to no package"
RUSTC_DEB=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$RUSTC_PKG")
[[ $RUSTC_DEB == "installed "* ]] || die "kernel: $RUSTC_PKG is not installed ($RUSTC_DEB)"
RUSTC_DEB=${RUSTC_DEB#installed }
HASH=$( (cat "$FRAGMENT" "$DMASHIM_ROOT/scripts/kernel/rustc-remap" &&
	 echo "recipe $RECIPE $DMASHIM_FLAVOUR $DMASHIM_FLAVOUR_SOURCE $MAINTAINER" &&
	 echo "$RUSTC_VERSION $RUSTC_PKG $RUSTC_DEB") | sha256sum | cut -c1-12)
# Every build its own release, as Debian's ABI names do: DKMS builds its
# modules per release, and would keep one built for another build's symbols.
RELEASE=$KERNELVERSION-$DMASHIM_FLAVOUR-$HASH
KDIR=$DMASHIM_CACHE/kernel-$VERSION-$HASH
case ${1:-} in
--print-dir | "") ;;
*) die "usage: $0 [--print-dir]" ;;
esac

# built: the build finished (dmashim-kernel.info is written last) and its
# packages are there.
built() { [ -f "$KDIR/dmashim-kernel.info" ] && [ -d "$KDIR/deb" ]; }

if ! built; then
	lock_cache
	lock_machine
fi
if built; then
	log "cached $KDIR"
else
	start=$SECONDS
	rm -rf "$DMASHIM_CACHE"/.tmp-kernel.*
	TMP=$(mktemp -d "$DMASHIM_CACHE/.tmp-kernel.XXXXXX")
	BUILD=$TMP/o
	mkdir "$BUILD"
	printf -- '--remap-path-prefix=%s\n' "$SRC=/usr/src/$DMASHIM_SRC_PKG" \
		"$BUILD=/usr/src/linux-headers-$RELEASE" >"$TMP/rustc.args"
	trap 'rm -rf "$TMP"' EXIT
	configure
	verify_config
	compile
	[ "$(kernel_release "$BUILD")" = "$RELEASE" ] ||
		die "kernel: built release $(kernel_release "$BUILD"), not $RELEASE"
	printf '%s\n' "source=$DMASHIM_SRC_PKG $VERSION" "release=$RELEASE" "recipe=$RECIPE" \
		"hash=$HASH" "rustc=$RUSTC_VERSION" "rustc-pkg=$RUSTC_PKG" "rustc-deb=$RUSTC_DEB" \
		"built=$(date -u +%FT%TZ)" >"$BUILD/dmashim-kernel.info"
	chmod 755 "$BUILD"
	rm -rf "$KDIR"
	mv "$BUILD" "$KDIR"
	rm -rf "$TMP"
	trap - EXIT
	log "built $KDIR in $((SECONDS - start)) s"
	for dir in "$DMASHIM_CACHE"/kernel-*; do
		[ "$dir" = "$KDIR" ] || log "note: older kernel $dir may be removed (about 450 MB)"
	done
fi
[ "${1:-}" != --print-dir ] || echo "$KDIR"
