#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the dmashim test kernel from Debian's linux-source-6.1: tinyconfig plus
# scripts/kernel/dmashim-test.config, built with O= into a cache directory
# outside the repository that doubles as KDIR for `make M=` module builds:
#
#   $DMASHIM_CACHE/kernel-<source package version>-<config+script hash>/
#
# Built once; later runs reuse it.  The build runs in a temporary directory
# that is renamed into place only on success, so an interrupted build is never
# mistaken for a cached one.
#
# Usage: scripts/build-kernel.sh [--print-dir]
#   --print-dir  print only the kernel directory on stdout (building it first
#                if needed); all progress goes to stderr.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SRC_PKG=$DMASHIM_SRC_PKG
FRAGMENT=$DMASHIM_ROOT/scripts/kernel/dmashim-test.config
SELF=$DMASHIM_ROOT/scripts/build-kernel.sh

log() {
	echo "kernel: $*" >&2
}

config_hash() {
	cat "$FRAGMENT" "$SELF" | sha256sum | cut -c1-12
}

kmake() {
	make -C "$SRCDIR" O="$BUILD" "${DMASHIM_RUST_ARGS[@]}" "$@"
}

# check_rust: the Rust toolchain must satisfy this kernel before configuring,
# otherwise CONFIG_RUST silently disappears.
check_rust() {
	if ! kmake -s rustavailable >"$BUILD/rustavailable.log" 2>&1; then
		cat "$BUILD/rustavailable.log" >&2
		die "kernel: 'make rustavailable' failed (need Debian's rustc, rust-src, bindgen, libclang-dev)"
	fi
}

configure() {
	log "configuring: tinyconfig + ${FRAGMENT#"$DMASHIM_ROOT"/}"
	kmake -s tinyconfig >/dev/null
	cat "$FRAGMENT" >>"$BUILD/.config"
	kmake -s olddefconfig >/dev/null 2>"$BUILD/olddefconfig.log" || {
		cat "$BUILD/olddefconfig.log" >&2
		die "kernel: olddefconfig failed"
	}
}

# config_value FILE SYMBOL: the value of CONFIG_SYMBOL in FILE, "n" if unset.
config_value() {
	local line

	line=$(grep -m1 -E "^(CONFIG_$2=|# CONFIG_$2 is not set)" "$1" || true)
	case $line in
	"CONFIG_$2="*) echo "${line#*=}" ;;
	*) echo n ;;
	esac
}

# verify_config: every option of the fragment must have survived olddefconfig.
verify_config() {
	local line sym want got bad=()

	while IFS= read -r line; do
		if [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ CONFIG_([A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]} want=n
		else
			continue
		fi
		got=$(config_value "$BUILD/.config" "$sym")
		[ "$got" = "$want" ] || bad+=("CONFIG_$sym: wanted $want, got $got")
	done <"$FRAGMENT"

	if [ ${#bad[@]} -gt 0 ]; then
		log "ERROR: olddefconfig dropped or changed ${#bad[@]} option(s) of ${FRAGMENT#"$DMASHIM_ROOT"/}:"
		printf 'kernel:   %s\n' "${bad[@]}" >&2
		cp "$BUILD/.config" "$DMASHIM_CACHE/last-failed.config"
		die "kernel: fix the fragment (missing dependency?); see $DMASHIM_CACHE/last-failed.config"
	fi
	log "config verified: all fragment options present"
}

# progress: turn kbuild's output into a line every 250 objects.
progress() {
	awk '/^  (CC|AS|RUSTC|LD|AR) / { n++; if (n % 250 == 0) {
		printf "kernel: building... %d files compiled\n", n; fflush() } }
	     /^  (LD|BUILD) .*(vmlinux|bzImage)$/ { print "kernel: " $0; fflush() }' >&2
}

compile() {
	local buildlog=$BUILD/dmashim-build.log

	log "building bzImage and modules_prepare with -j$(nproc) (takes minutes)"
	if ! kmake -j"$(nproc)" all modules_prepare 2>&1 | tee "$buildlog" | progress; then
		grep -E 'error|Error' "$buildlog" | tail -n 30 >&2 || true
		cp "$buildlog" "$DMASHIM_CACHE/last-failed-kernel-build.log"
		die "kernel: build failed; full log in $DMASHIM_CACHE/last-failed-kernel-build.log"
	fi
	[ -f "$BUILD/arch/x86/boot/bzImage" ] || die "kernel: no bzImage after build"
	[ -f "$BUILD/Module.symvers" ] || die "kernel: no Module.symvers after build"
}

# build_kernel: configure and build in a temporary directory, then rename it.
build_kernel() {
	local start

	start=$(now)
	BUILD=$(mktemp -d "$DMASHIM_CACHE/.tmp-kernel.XXXXXX")
	trap 'rm -rf "$BUILD"' EXIT
	check_rust
	configure
	verify_config
	compile
	printf 'source=%s %s\nhash=%s\nbuilt=%s\n' "$SRC_PKG" "$VERSION" "$HASH" \
		"$(date -u +%FT%TZ)" >"$BUILD/dmashim-kernel.info"
	chmod 755 "$BUILD"
	rm -rf "$KDIR"
	mv "$BUILD" "$KDIR"
	trap - EXIT
	log "built $KDIR in $(($(now) - start)) s"
	note_stale
}

# note_stale: kernels built from other fragments are kept (another checkout
# may still use them) but mentioned, as each takes some 400 MB.
note_stale() {
	local dir

	for dir in "$DMASHIM_CACHE"/kernel-*; do
		[ "$dir" = "$KDIR" ] || log "note: older kernel $dir may be removed"
	done
}

main() {
	local print_dir=0

	case ${1:-} in
	--print-dir) print_dir=1 ;;
	"") ;;
	*) die "usage: $0 [--print-dir]" ;;
	esac

	mkdir -p "$DMASHIM_CACHE"
	SRCDIR=$(kernel_source_dir)
	VERSION=${SRCDIR##*/"$SRC_PKG"-}
	HASH=$(config_hash)
	KDIR=$DMASHIM_CACHE/kernel-$VERSION-$HASH

	# One kernel build at a time; leftovers of interrupted runs are junk.
	exec 9>"$DMASHIM_CACHE/.lock"
	flock 9
	if [ -f "$KDIR/dmashim-kernel.info" ]; then
		log "cached $KDIR"
	else
		rm -rf "$DMASHIM_CACHE"/.tmp-kernel.* "$DMASHIM_CACHE"/.tmp-src.*
		extract_kernel_source "$SRCDIR"
		build_kernel
	fi
	[ $print_dir -eq 0 ] || echo "$KDIR"
}

main "$@"
