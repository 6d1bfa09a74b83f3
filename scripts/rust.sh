#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dmashim's Rust side, with Debian's rustc 1.63 and bindgen 0.60 (never the
# rustup toolchain first in PATH) and a Rust-enabled kernel tree: $KDIR, else
# the cached test kernel.  (The Rust sample is built with the other modules.)
#
# Usage: scripts/rust.sh bindings|check|ui
#   bindings  regenerate (scripts/rustgen.py) the bindgen output for
#             include/dmashim.h and samples/rust/dmashim_rust_glue.h, and
#             the layout gcc gives the header (bindings/dmashim_layout.rs)
#   check     fail on any difference or failure of: a fresh generation
#             (build/rust/gen) against the checked-in files; the Rust layout
#             on the host against the C layout; the wrapper built as a
#             #![no_std] rlib with the kernel's Rust lints; the compile tests
#   ui        only the wrapper and the compile tests, bindings/tests/ui (or
#             DMASHIM_RUST_UI_DIR): each fail_*.rs must fail with exactly the
#             error code of its "// expect-error:" line and the text of its
#             "// expect-text:" line, each pass_*.rs compile (proving the
#             harness)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT=$DMASHIM_ROOT
OUT=$ROOT/build/rust
GEN=$ROOT/scripts/rustgen.py
UI_DIR=${DMASHIM_RUST_UI_DIR:-$ROOT/bindings/tests/ui}
GENERATED=(bindings/dmashim_raw.rs bindings/dmashim_layout.rs
	   samples/rust/dmashim_rust_glue_raw.rs)
# The lints of the kernel's rust_common_flags, minus clippy's; warnings are
# errors, as in the module builds.
KERNEL_LINTS=(-Dunsafe_op_in_unsafe_fn -Drust_2018_idioms -Dunreachable_pub
	      -Dnon_ascii_idents -Wmissing_docs -Dwarnings)

log() { echo "rust: $*" >&2; }

kernel_tree() {
	KDIR=${KDIR:-$("$ROOT/scripts/build-kernel.sh" --print-dir)}
	KDIR=$(cd "$KDIR" && pwd)
	kconfig_enabled "$KDIR" RUST || die "rust: $KDIR has no CONFIG_RUST=y"
}

# generate DIR: every generated file into DIR/<its repository path>.  The
# opaque structs (bindings/opaque.rs) and the functions Rust implements
# itself are left out of bindgen's output.
generate() {
	local dir=$1 work=$OUT/layout

	mkdir -p "$dir/bindings" "$dir/samples/rust" "$work"
	"$DMASHIM_PYTHON" "$GEN" bindgen "$KDIR" "$ROOT/include/dmashim.h" \
		"$dir/${GENERATED[0]}" --allowlist-function 'dmashim_.*|devm_dmashim_.*' \
		--allowlist-type 'dmashim_.*' --allowlist-var 'DMASHIM_.*' \
		--blocklist-type 'device|page|sg_table|vm_area_struct|dmashim_ctx' \
		--raw-line 'pub use super::opaque::*;'
	"$DMASHIM_PYTHON" "$GEN" probe "$dir/${GENERATED[0]}" "$ROOT/bindings/error.rs" \
		>"$work/dmashim_layout_probe.c"
	printf 'ccflags-y += -I%s/include\nobj-m += dmashim_layout_probe.o\n' "$ROOT" >"$work/Kbuild"
	make -s -C "$KDIR" M="$work" "${DMASHIM_RUST_ARGS[@]}" dmashim_layout_probe.s >&2
	"$DMASHIM_PYTHON" "$GEN" layout "$work/dmashim_layout_probe.s" >"$dir/${GENERATED[1]}"
	"$DMASHIM_PYTHON" "$GEN" bindgen "$KDIR" "$ROOT/samples/rust/dmashim_rust_glue.h" \
		"$dir/${GENERATED[2]}" --allowlist-function 'dmashim_rust_glue_.*' \
		--allowlist-type 'edu_.*' --allowlist-var 'DMASHIM_RUST_.*' \
		--blocklist-type 'device|dmashim_ctx|dmashim_rust_edu' \
		--raw-line 'pub use super::{dmashim::raw::{device, dmashim_ctx}, dmashim_rust_edu};'
}

# rustc_host ARGS...: Debian's rustc for the host (the kernel target's data
# layout).  RUSTC_BOOTSTRAP admits core_ffi_c (stable from 1.64), the one
# feature the kernel allows itself, as kbuild does.
rustc_host() { RUSTC_BOOTSTRAP=1 /usr/bin/rustc --edition=2021 "$@"; }

check_generated() {
	local f bad=0

	rm -rf "$OUT/gen"
	generate "$OUT/gen"
	for f in "${GENERATED[@]}"; do
		if diff -u "$ROOT/$f" "$OUT/gen/$f" >"$OUT/gen/diff"; then
			log "up to date: $f"
		else
			log "STALE: $f differs from a fresh generation (run 'make bindings'):"
			head -n 40 "$OUT/gen/diff" >&2
			bad=1
		fi
	done
	return $bad
}

check_layout() {
	rustc_host -Dwarnings -o "$OUT/layout_check" "$ROOT/bindings/tests/layout_check.rs" &&
		"$OUT/layout_check"
}

# build_wrapper: never linked (its FFI functions stay undefined).
build_wrapper() {
	mkdir -p "$OUT"
	rm -f "$OUT/libdmashim.rlib"
	rustc_host "${KERNEL_LINTS[@]}" --crate-type rlib --crate-name dmashim \
		--cfg dmashim_standalone -Cpanic=abort -O \
		--emit=link="$OUT/libdmashim.rlib" "$ROOT/bindings/lib.rs" &&
		log "built ${OUT#"$ROOT"/}/libdmashim.rlib"
}

# ui_test FILE: one compile test; prints its verdict, false if it failed.
ui_test() {
	local name out code text codes

	name=$(basename "$1" .rs)
	out=$OUT/ui/$name.stderr
	if rustc_host --crate-type lib --crate-name "$name" \
		--extern dmashim="$OUT/libdmashim.rlib" --emit=metadata \
		-o "$OUT/ui/lib$name.rmeta" "$1" >"$out" 2>&1; then
		[[ $name == pass_* ]] && echo "ui: ok      $name (compiles)" && return 0
		echo "ui: FAILED  $name: compiled, but must not"
		return 1
	fi
	code=$(sed -n 's|^// expect-error: *||p' "$1")
	text=$(sed -n 's|^// expect-text: *||p' "$1")
	codes=$(grep -E '^error' "$out" | grep -v '^error: aborting due to' |
		grep -oE '^error(\[E[0-9]+\])?' | sort -u | tr '\n' ' ')
	if [[ $name == pass_* ]]; then
		echo "ui: FAILED  $name: does not compile:"
	elif [ -z "$code" ] || [ -z "$text" ]; then
		echo "ui: FAILED  $name: no // expect-error: or // expect-text: line"
	elif [ "$codes" != "error[$code] " ]; then
		echo "ui: FAILED  $name: wanted only error[$code], got: $codes"
	elif ! grep -qF -- "$text" "$out"; then
		echo "ui: FAILED  $name: error[$code] without \"$text\":"
	else
		echo "ui: ok      $name: error[$code] $text"
		return 0
	fi
	sed 's/^/ui:   /' "$out"
	return 1
}

ui_tests() {
	local t bad=0 n=0

	mkdir -p "$OUT/ui"
	for t in "$UI_DIR"/*.rs; do
		[ -f "$t" ] || continue
		n=$((n + 1))
		ui_test "$t" || bad=1
	done
	[ $n -gt 0 ] || die "rust: no compile tests in $UI_DIR"
	return $bad
}

case ${1:-} in
bindings)
	kernel_tree
	generate "$ROOT"
	log "wrote ${GENERATED[*]}" ;;
check)
	kernel_tree
	status=0
	check_generated || status=1
	check_layout || status=1
	{ build_wrapper && ui_tests; } || status=1
	[ $status -eq 0 ] || die "rust: check FAILED"
	log "check passed" ;;
ui) build_wrapper && ui_tests ;;
*) die "usage: $0 bindings|check|ui" ;;
esac
