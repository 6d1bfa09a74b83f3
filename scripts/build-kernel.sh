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
# build directory (O=) doubles as KDIR for `make M=` module builds:
#
#   $DMASHIM_CACHE/kernel-<source version>-<hash of fragment and RECIPE>/
#
# Built once, under the cache lock and the machine lock, in a temporary
# directory renamed into place on success.
#
# Usage: scripts/build-kernel.sh [--print-dir]
#   --print-dir  print the kernel directory on stdout (progress: stderr)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Bump when this recipe changes the kernel it produces (not for other edits).
RECIPE=3
FRAGMENT=$DMASHIM_ROOT/scripts/kernel/dmashim-test.config

log() { echo "kernel: $*" >&2; }

kmake() { make -C "$SRC" O="$BUILD" "${DMASHIM_RUST_ARGS[@]}" "$@"; }

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
# it into the parent directory; the packages move into deb/.
compile() {
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
	mv "$DMASHIM_CACHE"/linux-{image,headers,libc-dev}*_"$(cat "$BUILD/debian/arch")".deb \
		"$DMASHIM_CACHE"/linux-upstream_* "$BUILD/deb/"
}

SRC=$(kernel_source)
VERSION=${SRC##*/"$DMASHIM_SRC_PKG"-}
HASH=$( (cat "$FRAGMENT" && echo "recipe $RECIPE") | sha256sum | cut -c1-12)
KDIR=$DMASHIM_CACHE/kernel-$VERSION-$HASH
case ${1:-} in
--print-dir | "") ;;
*) die "usage: $0 [--print-dir]" ;;
esac

if [ ! -f "$KDIR/dmashim-kernel.info" ]; then
	lock_cache
	lock_machine
fi
if [ -f "$KDIR/dmashim-kernel.info" ]; then
	log "cached $KDIR"
else
	start=$SECONDS
	rm -rf "$DMASHIM_CACHE"/.tmp-kernel.*
	BUILD=$(mktemp -d "$DMASHIM_CACHE/.tmp-kernel.XXXXXX")
	trap 'rm -rf "$BUILD"' EXIT
	configure
	verify_config
	compile
	printf 'source=%s %s\nrecipe=%s\nhash=%s\nbuilt=%s\n' "$DMASHIM_SRC_PKG" \
		"$VERSION" "$RECIPE" "$HASH" "$(date -u +%FT%TZ)" >"$BUILD/dmashim-kernel.info"
	chmod 755 "$BUILD"
	rm -rf "$KDIR"
	mv "$BUILD" "$KDIR"
	trap - EXIT
	log "built $KDIR in $((SECONDS - start)) s"
	for dir in "$DMASHIM_CACHE"/kernel-*; do
		[ "$dir" = "$KDIR" ] || log "note: older kernel $dir may be removed (about 400 MB)"
	done
fi
[ "${1:-}" != --print-dir ] || echo "$KDIR"
