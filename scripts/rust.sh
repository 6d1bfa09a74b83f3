#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dmashim's Rust side: bindings, the safe wrapper, its compile-fail tests and
# the Rust sample driver.  Uses Debian's rustc 1.63 and bindgen 0.60 (never
# the rustup toolchain first in PATH) and a Rust-enabled kernel build tree.
#
# Usage: scripts/rust.sh COMMAND [KDIR]
#   bindings  regenerate the checked-in generated files:
#               bindings/dmashim_raw.rs             bindgen over include/dmashim.h
#               bindings/dmashim_layout.rs          struct layout, enumerators and
#                                                   errnos as gcc sees them
#               samples/rust/dmashim_rust_glue_raw.rs  bindgen over the sample's
#                                                   C glue header
#   check     everything below; fails on any difference or failure:
#               regenerate into build/rust/gen and diff with the checked-in copies;
#               compare the Rust layout (host) with the C layout;
#               build the wrapper standalone with the kernel's Rust lints;
#               run the compile-fail tests (bindings/tests/ui).
#   wrapper   only build the wrapper standalone (build/rust/libdmashim.rlib)
#   ui        only build the wrapper and run the compile-fail tests
#   module MODULES_DIR OUTDIR
#             build the Rust sample driver (samples/rust) against KDIR into
#             OUTDIR, resolving dmashim's symbols from MODULES_DIR/Module.symvers
#             (the KDIR for this command comes from $KDIR or the cache)
#
# KDIR defaults to $KDIR, else the cached test kernel of
# scripts/build-kernel.sh (which builds it first if the cache is stale).
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT=$DMASHIM_ROOT
OUT=$ROOT/build/rust
RUSTC=/usr/bin/rustc
BINDGEN=/usr/bin/bindgen
HEADER=$ROOT/include/dmashim.h
GLUE_HEADER=$ROOT/samples/rust/dmashim_rust_glue.h
RAW=bindings/dmashim_raw.rs
LAYOUT=bindings/dmashim_layout.rs
GLUE_RAW=samples/rust/dmashim_rust_glue_raw.rs
# The compile tests; overridable to test the harness itself.
UI_DIR=${DMASHIM_RUST_UI_DIR:-$ROOT/bindings/tests/ui}

# The lints the kernel applies to all of its Rust code (rust_common_flags in
# the kernel's Makefile), minus the clippy ones; warnings are errors here as
# they are in scripts/build-modules.sh.
KERNEL_LINTS=(-Dunsafe_op_in_unsafe_fn -Drust_2018_idioms -Dunreachable_pub
	      -Dnon_ascii_idents -Wmissing_docs -Dwarnings)

log() {
	echo "rust: $*" >&2
}

# resolve_kdir [KDIR]: set KDIR to a Rust-enabled kernel build tree.
resolve_kdir() {
	KDIR=${1:-${KDIR:-}}
	if [ -z "$KDIR" ]; then
		KDIR=$("$ROOT/scripts/build-kernel.sh" --print-dir)
	fi
	KDIR=$(cd "$KDIR" && pwd) || die "rust: no kernel tree at $KDIR"
	kconfig_enabled "$KDIR" RUST || die "rust: $KDIR has no CONFIG_RUST=y"
	[ -f "$KDIR/rust/bindings/.bindings_generated.rs.cmd" ] ||
		die "rust: $KDIR has no rust/bindings/.bindings_generated.rs.cmd (kernel not built?)"
}

# kernel_bindgen_args: the kernel's own bindgen invocation, from the command
# kbuild recorded when it generated rust/bindings/bindings_generated.rs (that
# is, rust/Makefile's cmd_bindgen over the kernel's c_flags, with its GCC-only
# flags filtered out).  Prints one argument per line: the bindgen options,
# "--", then the clang flags.  Dropped: the input and output, the kernel's
# own --opaque-type list (kernel-internal structs we never see), dependency
# file output, per-object KBUILD_* defines and the rust/ include directories;
# include directories relative to the kernel's objtree are made absolute.
kernel_bindgen_args() {
	"$DMASHIM_PYTHON" - "$KDIR" <<'EOF'
import shlex
import sys

kdir = sys.argv[1]
cmd = open(kdir + "/rust/bindings/.bindings_generated.rs.cmd").readline()
cmd = cmd.split(":=", 1)[1]
args = shlex.split(cmd)
sep = args.index("--")
opts, cflags = args[2:sep], args[sep + 1:]

out = []
i = 0
while i < len(opts):
    a = opts[i]
    if a in ("--opaque-type", "-o"):
        i += 2
        continue
    if a in ("--ctypes-prefix", "--no-debug"):
        out += [a, opts[i + 1]]
        i += 2
        continue
    out.append(a)
    i += 1
out.append("--")
i = 0
while i < len(cflags):
    a = cflags[i]
    if a == "-I":
        d = cflags[i + 1]
        i += 2
        if d.endswith("/rust") or d == "./rust":
            continue
        a = "-I" + d
    else:
        i += 1
    if a.startswith("-Wp,") or a.startswith("-DKBUILD_") or a.startswith("-D__KBUILD_"):
        continue
    if a.startswith("-I./"):
        a = "-I" + kdir + "/" + a[4:]
    out.append(a)
print("\n".join(out))
EOF
}

# generated_header FILE...: the comment every generated file starts with.
generated_header() {
	echo "// SPDX-License-Identifier: GPL-2.0"
	echo "//"
	echo "// GENERATED FILE, DO NOT EDIT: regenerate with \`make bindings\`"
	echo "// (scripts/rust.sh bindings); \`scripts/rust.sh check\` fails when it is stale."
	echo "// Input: $*"
}

# run_bindgen HEADER OUT EXTRA_BINDGEN_ARGS...: bindgen HEADER with the
# kernel's flags plus ours.
run_bindgen() {
	local header=$1 out=$2 opts=() cflags=() arg seen=0
	shift 2

	while IFS= read -r arg; do
		if [ "$arg" = "--" ]; then
			seen=1
		elif [ $seen -eq 0 ]; then
			opts+=("$arg")
		else
			cflags+=("$arg")
		fi
	done < <(kernel_bindgen_args)
	[ $seen -eq 1 ] || die "rust: cannot parse the kernel's bindgen command"
	"$BINDGEN" "$header" "${opts[@]}" "$@" -o "$out.tmp" -- "${cflags[@]}" \
		-I"$ROOT/include" || die "rust: bindgen failed on $header"
}

# The C declarations of these are incomplete; the Rust side must never see,
# copy, construct or size them: bindgen's forward-declared structs derive
# Copy, Clone and Default, so we define them ourselves (see
# https://doc.rust-lang.org/nomicon/ffi.html#representing-opaque-structs).
OPAQUE=(device sg_table vm_area_struct dmashim_ctx)

opaque_raw_lines() {
	local t

	for t in "$@"; do
		printf '%s\n' "--raw-line" \
			"/// Opaque C \`struct $t\`: only ever handled through raw pointers." \
			"--raw-line" "#[repr(C)]" "--raw-line" "pub struct $t {" \
			"--raw-line" "    _opaque: [u8; 0]," \
			"--raw-line" "    _not_send_sync_unpin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>," \
			"--raw-line" "}"
	done
}

# gen_raw OUT: bindings/dmashim_raw.rs.
gen_raw() {
	local out=$1 opaque_args=() t

	mapfile -t opaque_args < <(opaque_raw_lines "${OPAQUE[@]}")
	for t in "${OPAQUE[@]}"; do
		opaque_args+=(--blocklist-type "$t")
	done
	run_bindgen "$HEADER" "$out" \
		--allowlist-function 'dmashim_.*|devm_dmashim_.*' \
		--allowlist-type 'dmashim_.*' --allowlist-var 'DMASHIM_.*' \
		"${opaque_args[@]}"
	{
		generated_header "include/dmashim.h, by Debian's bindgen" \
			"$("$BINDGEN" --version | cut -d' ' -f2) with the kernel's flags"
		echo
		cat "$out.tmp"
	} >"$out"
	rm -f "$out.tmp"
}

# gen_glue_raw OUT: samples/rust/dmashim_rust_glue_raw.rs.  The functions the
# Rust side implements itself (dmashim_rust_edu_*) are left out, and
# struct device and struct dmashim_ctx are those of the dmashim bindings.
gen_glue_raw() {
	local out=$1 opaque_args=()

	mapfile -t opaque_args < <(opaque_raw_lines dmashim_rust_edu)
	run_bindgen "$GLUE_HEADER" "$out" \
		--allowlist-function 'dmashim_rust_glue_.*' \
		--allowlist-type 'dmashim_rust_edu_regs' --allowlist-var 'DMASHIM_RUST_.*' \
		--blocklist-type 'device|dmashim_ctx|dmashim_rust_edu' \
		--raw-line 'pub use super::dmashim::raw::{device, dmashim_ctx};' \
		"${opaque_args[@]}"
	{
		generated_header "samples/rust/dmashim_rust_glue.h, by Debian's bindgen" \
			"$("$BINDGEN" --version | cut -d' ' -f2) with the kernel's flags"
		echo
		cat "$out.tmp"
	} >"$out"
	rm -f "$out.tmp"
}

# raw_structs RAW: "struct field" per field of every struct with fields, and
# "struct" alone for fieldless ones, in the order bindgen emitted them.
raw_structs() {
	awk '/^pub struct [A-Za-z0-9_]+ \{$/ { s = $3; n = 0; next }
	     s != "" && /^    pub [A-Za-z0-9_]+:/ { f = $2; sub(":", "", f); print s, f; n++; next }
	     s != "" && /^\}$/ { if (n == 0) print s " -"; s = "" }' "$1"
}

# raw_consts RAW: "rust_name c_name" for every enumerator.  bindgen names
# them <enum type>_<enumerator>.
raw_consts() {
	awk '/^pub const [A-Za-z0-9_]+: [A-Za-z0-9_]+ = / {
		n = $3; sub(":", "", n); t = $4
		if (index(n, t "_") == 1) print n, substr(n, length(t) + 2)
	}' "$1"
}

ERRNOS=(EINVAL EBADF EXDEV ENODEV EACCES ERANGE EOVERFLOW E2BIG ENOMEM ENOSPC
	EBUSY EOPNOTSUPP ENXIO)

# c_layout RAW WORKDIR: compile a probe of every struct, field, enumerator and
# errno with kbuild (gcc and the kernel's C flags for modules, as dmashim.ko
# itself is compiled) and print "NAME VALUE" lines, in the kernel's
# asm-offsets way (include/linux/kbuild.h).
c_layout() {
	local raw=$1 work=$2 s f n c e prev

	rm -rf "$work"
	mkdir -p "$work"
	{
		echo "// SPDX-License-Identifier: GPL-2.0"
		echo "/* Generated by scripts/rust.sh: dmashim.h as the C compiler lays it out. */"
		echo "#include <linux/errno.h>"
		echo "#include <linux/kbuild.h>"
		echo "#include <linux/stddef.h>"
		echo "#include <dmashim.h>"
		echo "void dmashim_layout_probe(void);"
		echo "void dmashim_layout_probe(void)"
		echo "{"
		prev=
		while read -r s f; do
			if [ "$s" != "$prev" ]; then
				echo "	DEFINE(size__$s, sizeof(struct $s));"
				echo "	DEFINE(align__$s, __alignof__(struct $s));"
				prev=$s
			fi
			[ "$f" = "-" ] || echo "	OFFSET(offset__${s}__$f, $s, $f);"
		done < <(raw_structs "$raw" | grep -vE "^($(
			IFS='|'
			echo "${OPAQUE[*]}"
		)) ")
		echo "	DEFINE(size__dmashim_handle_t, sizeof(dmashim_handle_t));"
		echo "	DEFINE(size__dmashim_pool_t, sizeof(dmashim_pool_t));"
		while read -r n c; do
			echo "	DEFINE(const__$n, $c);"
		done < <(raw_consts "$raw")
		for e in "${ERRNOS[@]}"; do
			echo "	DEFINE(errno__$e, $e);"
		done
		echo "}"
	} >"$work/dmashim_layout_probe.c"
	printf 'ccflags-y += -I%s/include\nobj-m += dmashim_layout_probe.o\n' "$ROOT" \
		>"$work/Kbuild"
	make -s -C "$KDIR" M="$work" "${DMASHIM_RUST_ARGS[@]}" dmashim_layout_probe.s >&2 ||
		die "rust: compiling the C layout probe failed"
	sed -nE 's/.*"->([A-Za-z0-9_]+) \$?(-?[0-9]+) .*/\1 \2/p' \
		"$work/dmashim_layout_probe.s"
}

# gen_layout RAW OUT: bindings/dmashim_layout.rs from the C layout: const
# assertions for sizes, alignments, enumerators and errnos (checked by every
# build of the wrapper, for the kernel target too), and the field offsets,
# compared at run time (const pointer arithmetic needs Rust 1.65+).
gen_layout() {
	local raw=$1 out=$2 name val s f nfields=0

	c_layout "$raw" "$OUT/layout" >"$OUT/layout.txt"
	[ -s "$OUT/layout.txt" ] || die "rust: the C layout probe printed nothing"
	{
		generated_header "include/dmashim.h compiled by kbuild (gcc," \
			"the kernel's C flags for modules)"
		echo
		echo "//! What the C compiler says about \`include/dmashim.h\`: struct sizes,"
		echo "//! alignments and field offsets, enumerator and errno values."
		echo "//!"
		echo "//! Sizes, alignments and values are checked at compile time, for every"
		echo "//! target the wrapper is built for; field offsets by [\`verify\`] at run time."
		echo
		echo "use super::error;"
		echo "use super::raw;"
		echo "use core::mem::{align_of, size_of};"
		echo
		while read -r name val; do
			case $name in
			size__*) echo "const _: () = assert!(size_of::<raw::${name#size__}>() == $val);" ;;
			align__*) echo "const _: () = assert!(align_of::<raw::${name#align__}>() == $val);" ;;
			const__*) echo "const _: () = assert!(raw::${name#const__} as i64 == $val);" ;;
			errno__*) echo "const _: () = assert!(error::${name#errno__} == $val);" ;;
			offset__*) nfields=$((nfields + 1)) ;;
			esac
		done <"$OUT/layout.txt"
		echo
		echo "/// One field offset: as the C compiler placed it, and as Rust does."
		echo "#[derive(Clone, Copy, Debug)]"
		echo "pub struct FieldOffset {"
		echo "    /// \`struct.field\`."
		echo "    pub name: &'static str,"
		echo "    /// The offset gcc chose."
		echo "    pub c: usize,"
		echo "    /// The offset of the field in the bindgen struct."
		echo "    pub rust: usize,"
		echo "}"
		echo
		echo "macro_rules! rust_offset {"
		echo "    (\$t:ty, \$f:ident) => {{"
		echo "        let value = core::mem::MaybeUninit::<\$t>::uninit();"
		echo "        let base = value.as_ptr();"
		echo "        // SAFETY: \`addr_of!\` computes the field's address inside \`value\`"
		echo "        // without creating a reference or reading the uninitialised memory."
		echo "        let field = unsafe { core::ptr::addr_of!((*base).\$f) };"
		echo "        field as usize - base as usize"
		echo "    }};"
		echo "}"
		echo
		echo "/// Every field offset of every struct of the header."
		echo "pub fn field_offsets() -> [FieldOffset; $nfields] {"
		echo "    ["
		while read -r name val; do
			case $name in
			offset__*)
				s=${name#offset__}
				f=${s#*__}
				s=${s%%__*}
				echo "        FieldOffset {"
				echo "            name: \"$s.$f\","
				echo "            c: $val,"
				echo "            rust: rust_offset!(raw::$s, $f),"
				echo "        },"
				;;
			esac
		done <"$OUT/layout.txt"
		echo "    ]"
		echo "}"
		echo
		echo "/// Compares every field offset; returns how many were checked, or the"
		echo "/// first that differs."
		echo "pub fn verify() -> Result<usize, FieldOffset> {"
		echo "    let offsets = field_offsets();"
		echo "    for f in offsets.iter() {"
		echo "        if f.c != f.rust {"
		echo "            return Err(*f);"
		echo "        }"
		echo "    }"
		echo "    Ok(offsets.len())"
		echo "}"
	} >"$out"
}

# generate DIR: all generated files into DIR/<their repository paths>.
generate() {
	local dir=$1

	mkdir -p "$dir/bindings" "$dir/samples/rust" "$OUT"
	gen_raw "$dir/$RAW"
	gen_layout "$dir/$RAW" "$dir/$LAYOUT"
	gen_glue_raw "$dir/$GLUE_RAW"
}

cmd_bindings() {
	local start

	start=$(now)
	resolve_kdir "${1:-}"
	generate "$ROOT"
	log "wrote $RAW, $LAYOUT, $GLUE_RAW ($(($(now) - start)) s)"
}

# check_generated: the checked-in generated files must be what the
# generators make now.
check_generated() {
	local f stale=0

	rm -rf "$OUT/gen"
	generate "$OUT/gen"
	for f in "$RAW" "$LAYOUT" "$GLUE_RAW"; do
		if ! diff -u "$ROOT/$f" "$OUT/gen/$f" >"$OUT/gen/diff" 2>&1; then
			log "STALE: $f differs from a fresh generation (run 'make bindings'):"
			head -n 40 "$OUT/gen/diff" >&2
			stale=1
		else
			log "up to date: $f"
		fi
	done
	return $stale
}

# rustc_host ARGS...: Debian's rustc for the host.  RUSTC_BOOTSTRAP lets the
# stable compiler accept the one feature the kernel allows itself
# (core_ffi_c: core::ffi's C types, stable from 1.64), as kbuild does.
rustc_host() {
	RUSTC_BOOTSTRAP=1 "$RUSTC" --edition=2021 "$@"
}

# check_layout: Rust (host target, same data layout as the kernel's x86_64
# target) against the C layout just measured.
check_layout() {
	local bin=$OUT/layout_check

	mkdir -p "$OUT"
	rm -f "$bin"
	rustc_host -Dwarnings -o "$bin" "$ROOT/bindings/tests/layout_check.rs" || return 1
	"$bin"
}

# build_wrapper: the wrapper as a user-space #![no_std] rlib; its FFI
# functions stay undefined (nothing is linked).
build_wrapper() {
	mkdir -p "$OUT"
	rm -f "$OUT/libdmashim.rlib"
	rustc_host "${KERNEL_LINTS[@]}" --crate-type rlib --crate-name dmashim \
		--cfg dmashim_standalone -Cpanic=abort -O \
		--emit=link="$OUT/libdmashim.rlib" "$ROOT/bindings/lib.rs" || return 1
	log "built ${OUT#"$ROOT"/}/libdmashim.rlib"
}

# ui_tests: every bindings/tests/ui/fail_*.rs must fail to compile with
# exactly the error code of its "// expect-error: EXXXX" line (every error
# reported must carry that code) and print the text of its
# "// expect-text:" line; every pass_*.rs must compile.
ui_tests() {
	local t name code text out bad=0 n=0 codes

	for t in "$UI_DIR"/*.rs; do
		name=${t##*/}
		name=${name%.rs}
		n=$((n + 1))
		out=$OUT/ui/$name.stderr
		mkdir -p "$OUT/ui"
		if rustc_host --crate-type lib --crate-name "$name" \
			--extern dmashim="$OUT/libdmashim.rlib" \
			--emit=metadata -o "$OUT/ui/lib$name.rmeta" "$t" >"$out" 2>&1; then
			case $name in
			pass_*) echo "ui: ok      $name (compiles)" ;;
			*)
				echo "ui: FAILED  $name: compiled, but must not"
				bad=1
				;;
			esac
			continue
		fi
		case $name in
		pass_*)
			echo "ui: FAILED  $name: does not compile:"
			sed 's/^/ui:   /' "$out"
			bad=1
			continue
			;;
		esac
		code=$(sed -n 's|^// expect-error: *||p' "$t")
		text=$(sed -n 's|^// expect-text: *||p' "$t")
		if [ -z "$code" ] || [ -z "$text" ]; then
			die "rust: $t lacks its // expect-error: or // expect-text: line"
		fi
		codes=$(grep -E '^error' "$out" | grep -vE '^error: aborting due to' |
			grep -oE '^error(\[E[0-9]+\])?' | sort -u | tr '\n' ' ')
		if [ "$codes" != "error[$code] " ]; then
			echo "ui: FAILED  $name: wanted only error[$code], got: $codes"
			sed 's/^/ui:   /' "$out"
			bad=1
		elif ! grep -qF -- "$text" "$out"; then
			echo "ui: FAILED  $name: error[$code] without \"$text\":"
			sed 's/^/ui:   /' "$out"
			bad=1
		else
			echo "ui: ok      $name: error[$code] $text"
		fi
	done
	[ $n -gt 0 ] || die "rust: no compile tests in bindings/tests/ui"
	return $bad
}

cmd_check() {
	local start status=0 t

	start=$(now)
	resolve_kdir "${1:-}"
	t=$(now)
	check_generated || status=1
	log "generated files checked ($(($(now) - t)) s)"
	t=$(now)
	check_layout || status=1
	t=$(now)
	build_wrapper || status=1
	if [ $status -eq 0 ]; then
		ui_tests || status=1
		log "compile tests ($(($(now) - t)) s)"
	fi
	if [ $status -ne 0 ]; then
		log "check FAILED ($(($(now) - start)) s)"
		return 1
	fi
	log "check passed ($(($(now) - start)) s)"
}

# cmd_module MODULES_DIR OUTDIR: build samples/rust out of tree: mirror the
# sources it needs (the Rust crate includes ../../bindings/) into OUTDIR and
# run kbuild there; warnings are errors, as in scripts/build-modules.sh.
cmd_module() {
	local mods out buildlog

	[ $# -eq 2 ] || die "usage: $0 module MODULES_DIR OUTDIR"
	resolve_kdir ""
	mods=$(cd "$1" && pwd) || die "rust: no modules directory $1"
	[ -f "$mods/Module.symvers" ] || die "rust: $mods/Module.symvers missing (build dmashim.ko first)"
	mkdir -p "$2"
	out=$(cd "$2" && pwd)
	(cd "$ROOT" && rsync -rlpc --delete --relative --exclude='*.o' \
		--exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod*' \
		--exclude='*.symvers' --exclude='*.order' --exclude='*.rmeta' \
		--exclude='*.d' --exclude='tests/' \
		include bindings samples/rust "$out/")
	# Always from scratch (a few seconds): kbuild's command lines name the
	# objtree relatively, so after a kernel rebuild into another directory
	# from the same source, objects such as the .mod.o (struct module)
	# can survive from the old kernel, and insmod then refuses the module
	# ("Skipping invalid relocation target").
	find "$out/samples/rust" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '*.symvers' \
		-o -name '*.order' -o -name '*.d' -o -name '*.rmeta' \) -delete
	buildlog=$out/build.log
	if ! make -C "$KDIR" M="$out/samples/rust" "${DMASHIM_RUST_ARGS[@]}" \
		KBUILD_EXTRA_SYMBOLS="$mods/Module.symvers" modules 2>&1 | tee "$buildlog" >&2; then
		die "rust: building samples/rust against $KDIR failed"
	fi
	if grep -qi 'warning:' "$buildlog"; then
		grep -i 'warning:' "$buildlog" >&2
		die "rust: the sample build printed warnings (log: $buildlog)"
	fi
	[ -f "$out/samples/rust/dmashim_rust_sample.ko" ] ||
		die "rust: no dmashim_rust_sample.ko after the build"
	echo "$out/samples/rust/dmashim_rust_sample.ko"
}

main() {
	[ $# -ge 1 ] || die "usage: $0 bindings|check|wrapper|ui|module [ARGS]"
	local cmd=$1
	shift
	case $cmd in
	bindings) cmd_bindings "$@" ;;
	check) cmd_check "$@" ;;
	wrapper) build_wrapper ;;
	ui) build_wrapper && ui_tests ;;
	module) cmd_module "$@" ;;
	*) die "usage: $0 bindings|check|wrapper|ui|module [ARGS]" ;;
	esac
}

main "$@"
