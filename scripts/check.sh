#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Static analysis of dmashim (`make check`).  Every gate must be clean: any
# finding fails the run.  Gates, in order:
#
#  * spdx: every file of ours starts with its SPDX line
#  * shellcheck: every shell script of ours (*.sh and shebang scripts)
#  * checkpatch: checkpatch.pl --strict over our C sources and headers
#  * kernel-doc: kernel-doc -v -none over the header and the implementation
#  * kdoc-sections: each prototype in include/dmashim.h documented, with
#    Context: (and Return: unless it returns void)
#  * docs: build/doc/dmashim-api.rst generated from the header without a
#    warning, and every ".. kernel-doc::" in Documentation/ resolvable
#  * sparse: the modules (KUnit ones included) built with C=2
#  * exports: header prototypes == symbols exported in namespace DMASHIM
#  * sparse-bites: the scripts/sparse/ fixtures warn exactly as expected
#  * coccinelle: every rule in scripts/coccinelle/ against its fixtures
#  * migration-build: the expected migrations, minus the statements marked
#    TODO for a human, compile against include/dmashim.h (gcc and sparse)
#  * coccinelle-tree: the report rules over our own sources
#
# Usage: scripts/check.sh [GATE...]     (default: all gates)
# Environment: KDIR (kernel build tree, default as in the Makefile),
#              DMASHIM_CHECK_JOBS (make -j for the sparse builds, default 2).
#
# Writes only under build/ (and extracts the kernel's checkpatch.pl and
# kernel-doc into the dmashim cache once, when the source is not there).
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT=$DMASHIM_ROOT
OUT=$ROOT/build/check
SPARSE_DIR=$ROOT/build/check-sparse
DOC_DIR=$ROOT/build/doc
COCCI_DIR=$ROOT/scripts/coccinelle
JOBS=${DMASHIM_CHECK_JOBS:-2}
ALL_GATES=(spdx shellcheck checkpatch kernel-doc kdoc-sections docs sparse
	   exports sparse-bites coccinelle migration-build coccinelle-tree)

# ---- helpers ------------------------------------------------------------

# finding MESSAGE...: report one problem (stdout, indented under its gate).
finding() {
	echo "    $*"
}

# our_files: every file of the project, tracked or new, minus ignored ones
# and dot-directories (git metadata and CI machinery are not ours to check).
our_files() {
	git -C "$ROOT" ls-files --cached --others --exclude-standard |
		grep -v -e '^\.' -e '/\.' | LC_ALL=C sort -u |
		while read -r f; do [ -f "$ROOT/$f" ] && echo "$f"; done
}

# default_kdir: the Makefile's choice; the running kernel's build tree, else
# Debian's newest linux-headers-*-amd64.
default_kdir() {
	local running

	running=/lib/modules/$(uname -r)/build
	if [ -d "$running" ]; then
		echo "$running"
	else
		find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sort -V | tail -n 1
	fi
}

# kernel_tools: a directory with the 6.1 scripts/checkpatch.pl and
# scripts/kernel-doc.  The source tree that scripts/build-kernel.sh extracts
# when it is there; otherwise just those files, extracted once into the cache.
KERNEL_TOOL_FILES=(scripts/checkpatch.pl scripts/kernel-doc scripts/spelling.txt
		   scripts/const_structs.checkpatch)
kernel_tools() {
	local src tools tmp tarball=/usr/src/$DMASHIM_SRC_PKG.tar.xz f members=()

	src=$(kernel_source_dir)
	if [ -f "$src/scripts/checkpatch.pl" ] && [ -f "$src/scripts/kernel-doc" ]; then
		echo "$src"
		return
	fi
	tools=$DMASHIM_CACHE/check-tools-${src##*/}
	if [ ! -f "$tools/scripts/kernel-doc" ]; then
		[ -f "$tarball" ] || die "check: $tarball missing; run scripts/setup.sh"
		echo "check: extracting checkpatch.pl and kernel-doc from $tarball" >&2
		for f in "${KERNEL_TOOL_FILES[@]}"; do
			members+=("$DMASHIM_SRC_PKG/$f")
		done
		mkdir -p "$DMASHIM_CACHE"
		tmp=$(mktemp -d "$DMASHIM_CACHE/.tmp-tools.XXXXXX")
		tar -xJf "$tarball" -C "$tmp" "${members[@]}"
		rm -rf "$tools"
		mv "$tmp/$DMASHIM_SRC_PKG" "$tools"
		rmdir "$tmp"
	fi
	echo "$tools"
}

# spatch_opts RULE: the "// Options:" line of a Coccinelle rule.
spatch_opts() {
	sed -n 's|^// Options: *||p' "$1" | head -n 1
}

# run_spatch RULE MODE FILE...: spatch quietly in MODE (patch or report),
# with the rule's own options and our include directory.
run_spatch() {
	local rule=$1 mode=$2 opts
	shift 2

	read -r -a opts <<<"$(spatch_opts "$rule")"
	spatch --very-quiet -D "$mode" "${opts[@]}" -I "$ROOT/include" \
		--sp-file "$rule" "$@"
}

# ---- gates --------------------------------------------------------------

# SPDX line expected at the top of FILE, or nothing for files without one.
spdx_expected() {
	case $1 in
	*.expected) ;;
	*.c | *.rs | *.cocci) echo '// SPDX-License-Identifier:' ;;
	*.h) echo '/* SPDX-License-Identifier:' ;;
	*.rst) echo '.. SPDX-License-Identifier:' ;;
	*.sh | *.py | *.pl | *.config | */Makefile | Makefile | */Kbuild | Kbuild)
		echo '# SPDX-License-Identifier:' ;;
	*) head -c 2 "$ROOT/$1" | grep -q '^#!' && echo '# SPDX-License-Identifier:' ;;
	esac
}

gate_spdx() {
	local f want line bad=0

	while read -r f; do
		want=$(spdx_expected "$f") || true
		[ -n "$want" ] || continue
		line=$(head -n 1 "$ROOT/$f")
		if [[ $line == '#!'* ]]; then
			line=$(sed -n 2p "$ROOT/$f")
		fi
		if [[ $line != "$want "GPL-2.0* ]]; then
			finding "$f:1: expected '$want GPL-2.0...' as the first line (after any shebang), found '${line:0:60}'"
			bad=1
		elif [[ $want == '/*'* && $line != *' */' ]]; then
			finding "$f:1: SPDX comment in a header must be closed on its line: '$line'"
			bad=1
		fi
	done < <(our_files)
	return "$bad"
}

# Our shell scripts: *.sh and anything with a shell shebang.  Shebang-less
# files without a "shellcheck shell=" directive, and busybox scripts, are
# checked as POSIX sh.
shell_scripts() {
	local f first

	while read -r f; do
		first=$(head -n 1 "$ROOT/$f")
		case $first in
		'#!'*busybox*) echo "sh $f" ;;
		'#!'*sh) echo "auto $f" ;;
		'#!'*) ;;
		*)
			[[ $f == *.sh ]] || continue
			if grep -q '^# shellcheck shell=' "$ROOT/$f"; then
				echo "auto $f"
			else
				echo "sh $f"
			fi ;;
		esac
	done < <(our_files)
}

gate_shellcheck() {
	local auto=() posix=() kind f out=''

	command -v shellcheck >/dev/null || {
		finding "shellcheck not installed; run scripts/setup.sh"
		return 1
	}
	while read -r kind f; do
		if [ "$kind" = sh ]; then posix+=("$f"); else auto+=("$f"); fi
	done < <(shell_scripts)
	if [ ${#auto[@]} -gt 0 ]; then
		out+=$(cd "$ROOT" && shellcheck -x -f gcc "${auto[@]}" 2>&1) || true
	fi
	if [ ${#posix[@]} -gt 0 ]; then
		out+=${out:+$'\n'}$(cd "$ROOT" && shellcheck -x -s sh -f gcc "${posix[@]}" 2>&1) || true
	fi
	out=$(sed '/^$/d' <<<"$out")
	[ -z "$out" ] && return 0
	while IFS= read -r line; do finding "$line"; done <<<"$out"
	return 1
}

# C sources and headers checkpatch must pass: ours, minus Coccinelle fixtures
# (driver code written to be migrated, not dmashim style).
checkpatch_files() {
	our_files | grep -E '^(kernel|include|kunit|samples|bindings|scripts/sparse)/.*\.[ch]$'
}

gate_checkpatch() {
	local tools files=() out rc=0

	tools=$(kernel_tools) || return 1
	mapfile -t files < <(checkpatch_files)
	out=$(cd "$ROOT" && perl "$tools/scripts/checkpatch.pl" --strict --no-tree \
		--terse --show-types --no-summary -q -f "${files[@]}" 2>&1) || rc=$?
	[ "$rc" -eq 0 ] && [ -z "$out" ] && return 0
	while IFS= read -r line; do finding "$line"; done <<<"${out:-checkpatch.pl exited $rc}"
	return 1
}

gate_kernel_doc() {
	local tools files=() out

	tools=$(kernel_tools) || return 1
	mapfile -t files < <(our_files | grep -E '^(include|kernel)/.*\.[ch]$')
	# -v adds the missing-Return: and missing-description warnings
	# (-Wreturn and -Wshort-desc of later kernels); drop its "info:" lines.
	out=$(cd "$ROOT" && perl "$tools/scripts/kernel-doc" -v -none "${files[@]}" 2>&1 |
		grep -v ': info: Scanning doc for ') || true
	[ -z "$out" ] && return 0
	while IFS= read -r line; do finding "$line"; done <<<"$out"
	return 1
}

# Every function declared in include/dmashim.h needs a kernel-doc comment
# right above it with a Context: line, and a Return: line unless it is void.
gate_kdoc_sections() {
	local out

	out=$(python3 - "$ROOT/include/dmashim.h" <<'EOF'
import re
import sys

path = sys.argv[1]
text = open(path).read()
lines = text.split("\n")
# Strip comments (keeping line numbers) to find the declarations.
code = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)),
              text, flags=re.S)
proto = re.compile(r"^([A-Za-z_][\w \t\*]*?)\b(\w+)\s*\(([^;{]*?)\)\s*;", re.M | re.S)
bad = 0
for m in proto.finditer(code):
    ret, name = m.group(1).strip(), m.group(2)
    if ret.startswith(("typedef", "return", "struct", "enum", "union")) and "(" in ret:
        continue
    if name in ("if", "while", "for", "switch", "sizeof"):
        continue
    line = code.count("\n", 0, m.start()) + 1
    # The comment that ends right above the declaration.
    i = line - 2
    while i >= 0 and lines[i].strip() == "":
        i -= 1
    if i < 0 or not lines[i].strip().endswith("*/"):
        print(f"{path}:{line}: {name}() has no kernel-doc comment")
        bad = 1
        continue
    j = i
    while j >= 0 and not lines[j].lstrip().startswith("/*"):
        j -= 1
    doc = "\n".join(lines[j:i + 1])
    if not lines[j].lstrip().startswith("/**") or not re.search(
            r"^\s*\*\s*" + re.escape(name) + r"\(\)\s+-\s+\S", doc, re.M):
        print(f"{path}:{line}: {name}() has no kernel-doc comment "
              f"('/**' and '* {name}() - ...')")
        bad = 1
        continue
    if not re.search(r"^\s*\*\s*Context:\s*\S", doc, re.M):
        print(f"{path}:{j + 1}: {name}(): kernel-doc has no Context: line")
        bad = 1
    void = re.fullmatch(r"(extern\s+)?(static\s+)?(inline\s+)?void", ret)
    if not void and not re.search(r"^\s*\*\s*Return:\s*\S", doc, re.M):
        print(f"{path}:{j + 1}: {name}() returns {ret}: kernel-doc has no Return: line")
        bad = 1
sys.exit(bad)
EOF
) && return 0
	while IFS= read -r line; do finding "${line#"$ROOT"/}"; done <<<"$out"
	return 1
}

gate_docs() {
	local tools out bad=0 rst ref

	tools=$(kernel_tools) || return 1
	mkdir -p "$DOC_DIR"
	out=$(cd "$ROOT" && perl "$tools/scripts/kernel-doc" -rst -sphinx-version 5.3.0 \
		include/dmashim.h 2>&1 >"$DOC_DIR/dmashim-api.rst.tmp") || bad=1
	if [ -n "$out" ]; then
		while IFS= read -r line; do finding "$line"; done <<<"$out"
		bad=1
	fi
	mv "$DOC_DIR/dmashim-api.rst.tmp" "$DOC_DIR/dmashim-api.rst"
	if ! grep -q '^\.\. c:function:: int dmashim_alloc' "$DOC_DIR/dmashim-api.rst"; then
		finding "build/doc/dmashim-api.rst: dmashim_alloc() missing from the generated reference"
		bad=1
	fi
	# Every kernel-doc directive in Documentation/ must name a file we have.
	for rst in "$ROOT"/Documentation/*.rst; do
		[ -f "$rst" ] || continue
		while IFS=: read -r lineno ref; do
			ref=${ref#*kernel-doc::}
			ref=${ref// /}
			[ -f "$ROOT/$ref" ] && continue
			finding "${rst#"$ROOT"/}:$lineno: kernel-doc directive names missing file '$ref'"
			bad=1
		done < <(grep -n '^\.\. kernel-doc::' "$rst" || true)
	done
	return "$bad"
}

# The module sources, copied (incrementally) out of the repository.
sync_module_sources() {
	local items=() item

	for item in Kbuild kernel include kunit samples bindings; do
		[ -e "$ROOT/$item" ] && items+=("$item")
	done
	mkdir -p "$SPARSE_DIR"
	(cd "$ROOT" && rsync -rlpc --delete --relative \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.a' --exclude='*.d' --exclude='*.symvers' \
		--exclude='*.order' --exclude='.tmp_versions/' \
		"${items[@]}" "$SPARSE_DIR/")
}

# kbuild KDIR DIR ARGS...: an out-of-tree build with sparse on every file.
kbuild() {
	local kdir=$1 dir=$2 args=()
	shift 2

	kconfig_enabled "$kdir" RUST && args+=("${DMASHIM_RUST_ARGS[@]}")
	make -C "$kdir" M="$dir" -j"$JOBS" C=2 CHECK=sparse "${args[@]}" "$@"
}

# sparse_samples KDIR: the sample drivers, when the top-level Kbuild does not
# build them itself, against the symbols of the dmashim.ko just built.
sparse_samples() {
	[ -f "$SPARSE_DIR/samples/Kbuild" ] || return 0
	grep -q 'samples/' "$SPARSE_DIR/Kbuild" && return 0
	kbuild "$1" "$SPARSE_DIR/samples" KBUILD_MODPOST_WARN=1 \
		KBUILD_EXTRA_SYMBOLS="$SPARSE_DIR/Module.symvers" modules
}

# The KUnit modules are built too (CONFIG_KUNIT=m), for sparse only: the
# stock headers have no KUnit, so modpost may not resolve their symbols.
gate_sparse() {
	local kdir log=$OUT/sparse.log out

	kdir=${KDIR:-$(default_kdir)}
	[ -f "$kdir/Makefile" ] || { finding "no kernel build tree at '$kdir' (set KDIR)"; return 1; }
	command -v sparse >/dev/null || { finding "sparse not installed"; return 1; }
	sync_module_sources
	if ! kbuild "$kdir" "$SPARSE_DIR" CONFIG_KUNIT=m KBUILD_MODPOST_WARN=1 modules \
		>"$log" 2>&1 || ! sparse_samples "$kdir" >>"$log" 2>&1; then
		finding "module build against $kdir failed (log: ${log#"$ROOT"/}):"
		grep -E 'error|Error' "$log" | head -n 20 | while IFS= read -r line; do
			finding "${line//$SPARSE_DIR\//}"
		done
		return 1
	fi
	out=$(grep "^$SPARSE_DIR/" "$log" || true)
	[ -z "$out" ] && return 0
	while IFS= read -r line; do finding "${line#"$SPARSE_DIR"/}"; done <<<"$out"
	return 1
}

# The header's prototypes must be exactly the symbols dmashim.ko exports, all
# in the DMASHIM namespace (read from the sparse build's Module.symvers).
gate_exports() {
	local symvers=$SPARSE_DIR/Module.symvers bad=0 sym

	[ -f "$symvers" ] || { finding "no $symvers: the sparse gate must build first"; return 1; }
	declare -A exported=() declared=()
	while read -r _ sym mod kind ns; do
		[[ $mod == */dmashim ]] || continue
		exported[$sym]=1
		if [ "$kind" != EXPORT_SYMBOL_GPL ] || [ "$ns" != DMASHIM ]; then
			finding "$sym: exported as $kind in namespace '${ns:-none}', want EXPORT_SYMBOL_NS_GPL(..., DMASHIM)"
			bad=1
		fi
	done <"$symvers"
	while read -r sym; do
		declared[$sym]=1
		[ -n "${exported[$sym]:-}" ] && continue
		finding "include/dmashim.h: $sym() is declared but not exported by dmashim.ko"
		bad=1
	done < <(sed -e 's|/\*.*\*/||' -e 's|^ \*.*||' "$ROOT/include/dmashim.h" |
		 grep -oE '^[a-z][a-z0-9_ ]*[ *]((devm_)?dmashim_[a-z0-9_]+)\(' |
		 grep -oE '(devm_)?dmashim_[a-z0-9_]+')
	for sym in "${!exported[@]}"; do
		[ -n "${declared[$sym]:-}" ] && continue
		finding "dmashim.ko exports $sym, which include/dmashim.h does not declare"
		bad=1
	done
	return "$bad"
}

# Normalised sparse output for one fixture: path and the variable name after
# "[usertype]" dropped, so that a renamed parameter is not a failure.
sparse_fixture_output() {
	local dir=$1 name=$2

	grep "^$dir/$name.c:" "$dir/build.log" |
		sed -e "s|^$dir/||" -e 's/\(\[usertype\]\) [A-Za-z_][A-Za-z0-9_]*$/\1/'
}

gate_sparse_bites() {
	local kdir dir=$OUT/sparse-fixtures src objs=() name bad=0 got want

	kdir=${KDIR:-$(default_kdir)}
	[ -f "$kdir/Makefile" ] || { finding "no kernel build tree at '$kdir' (set KDIR)"; return 1; }
	mkdir -p "$dir"
	for src in "$ROOT"/scripts/sparse/*.c; do
		name=$(basename "$src" .c)
		cmp -s "$src" "$dir/$name.c" || cp "$src" "$dir/$name.c"
		objs+=("$name.o")
	done
	[ ${#objs[@]} -gt 0 ] || { finding "no fixtures in scripts/sparse/"; return 1; }
	echo "ccflags-y += -I$ROOT/include" >"$dir/Kbuild"
	# Objects only: no modpost, no linking.
	if ! kbuild "$kdir" "$dir" "${objs[@]}" >"$dir/build.log" 2>&1; then
		finding "fixture build failed (log: ${dir#"$ROOT"/}/build.log)"
		return 1
	fi
	for src in "$ROOT"/scripts/sparse/*.c; do
		name=$(basename "$src" .c)
		want=$ROOT/scripts/sparse/$name.expected
		got=$(sparse_fixture_output "$dir" "$name")
		if [ ! -f "$want" ]; then
			finding "scripts/sparse/$name.c: no $name.expected next to it"
			bad=1
		elif [ -s "$want" ] && [ -z "$got" ]; then
			finding "scripts/sparse/$name.c: sparse no longer warns: the check no longer bites"
			bad=1
		elif ! diff -u --label "expected $name" --label "sparse $name" \
			"$want" <(printf '%s' "$got${got:+$'\n'}") >"$dir/$name.diff"; then
			finding "scripts/sparse/$name.c: sparse output differs from $name.expected:"
			while IFS= read -r line; do finding "  $line"; done <"$dir/$name.diff"
			bad=1
		fi
	done
	return "$bad"
}

# Report lines of spatch for FILE, with the fixture directory dropped and in
# line order (spatch prints them in rule order).
normalise_report() {
	sed -e "s|^$1/||" | LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3
}

# cocci_test RULE INPUT: one fixture of one rule; 0 when it matches.
cocci_test() {
	local rule=$1 input=$2 base dir out mode
	base=${input%.c}
	dir=$OUT/cocci/$(basename "$rule" .cocci)
	mkdir -p "$dir"
	out=$dir/$(basename "$base")

	if grep -q '^virtual patch' "$rule"; then
		mode='patch'
		if [ ! -f "$base.expected.c" ]; then
			finding "${input#"$ROOT"/}: no $(basename "$base").expected.c next to it"
			return 1
		fi
		rm -f "$out.c"
		run_spatch "$rule" patch "$input" -o "$out.c" >"$out.log" 2>&1 || {
			finding "${input#"$ROOT"/}: spatch failed:"
			while IFS= read -r line; do finding "  $line"; done <"$out.log"
			return 1
		}
		[ -f "$out.c" ] || cp "$input" "$out.c"	# no change at all
		diff -u --label "expected $(basename "$base").expected.c" \
			--label "spatch $(basename "$input")" "$base.expected.c" "$out.c" \
			>"$out.diff" && return 0
	else
		mode='report'
		if [ ! -f "$base.expected" ]; then
			finding "${input#"$ROOT"/}: no $(basename "$base").expected next to it"
			return 1
		fi
		run_spatch "$rule" report "$input" >"$out.raw" 2>"$out.log" || {
			finding "${input#"$ROOT"/}: spatch failed:"
			while IFS= read -r line; do finding "  $line"; done <"$out.log"
			return 1
		}
		normalise_report "$(dirname "$input")" <"$out.raw" >"$out.report"
		if [ -s "$base.expected" ] && [ ! -s "$out.report" ]; then
			finding "${input#"$ROOT"/}: $(basename "$rule") reports nothing: the rule no longer bites"
			return 1
		fi
		diff -u --label "expected $(basename "$base").expected" \
			--label "spatch $(basename "$input")" "$base.expected" "$out.report" \
			>"$out.diff" && return 0
	fi
	finding "${input#"$ROOT"/}: $mode output of $(basename "$rule") differs from the expected one:"
	while IFS= read -r line; do finding "  $line"; done <"$out.diff"
	return 1
}

gate_coccinelle() {
	local rule name input bad=0 fires quiet

	command -v spatch >/dev/null || { finding "spatch not installed"; return 1; }
	for rule in "$COCCI_DIR"/*.cocci; do
		name=$(basename "$rule" .cocci)
		fires=0 quiet=0
		for input in "$COCCI_DIR/tests/$name"/*.c; do
			[ -f "$input" ] || continue
			[[ $input == *.expected.c ]] && continue
			cocci_test "$rule" "$input" || bad=1
			if [ -s "${input%.c}.expected" ] || { [ -f "${input%.c}.expected.c" ] &&
				! cmp -s "$input" "${input%.c}.expected.c"; }; then
				fires=1
			else
				quiet=1
			fi
		done
		if [ "$fires" -eq 0 ]; then
			finding "scripts/coccinelle/$name.cocci: no fixture in tests/$name/ proves it fires"
			bad=1
		fi
		if [ "$quiet" -eq 0 ]; then
			finding "scripts/coccinelle/$name.cocci: no clean fixture in tests/$name/ proves it stays quiet"
			bad=1
		fi
	done
	return "$bad"
}

# Keeps migrate_dma_alloc.cocci in step with the header: its expected outputs
# must compile once the statements it marks for a human are dropped.  Unused
# code and undeclared non-static functions are fixture artefacts, not
# findings.
gate_migration_build() {
	local kdir dir=$OUT/migration-build src name objs=() out

	kdir=${KDIR:-$(default_kdir)}
	[ -f "$kdir/Makefile" ] || { finding "no kernel build tree at '$kdir' (set KDIR)"; return 1; }
	mkdir -p "$dir"
	for src in "$COCCI_DIR"/tests/migrate_dma_alloc/*.expected.c; do
		[ -f "$src" ] || continue
		name=$(basename "$src" .expected.c)
		awk '/dmashim: TODO: was a CPU pointer/ { skip = 1; next }
		     skip { if ($0 ~ /;[[:space:]]*$/) skip = 0; next }
		     { print }' "$src" >"$dir/$name.c.new"
		if cmp -s "$dir/$name.c.new" "$dir/$name.c"; then
			rm "$dir/$name.c.new"
		else
			mv "$dir/$name.c.new" "$dir/$name.c"
		fi
		objs+=("$name.o")
	done
	[ ${#objs[@]} -gt 0 ] || return 0
	echo "ccflags-y += -I$ROOT/include" >"$dir/Kbuild"
	kbuild "$kdir" "$dir" "${objs[@]}" >"$dir/build.log" 2>&1 ||
		finding "migrated fixtures do not build (log: ${dir#"$ROOT"/}/build.log)"
	out=$(grep -E "^$dir/[^:]+:[0-9]+:[0-9]+: (warning|error):" "$dir/build.log" |
	      grep -v -e 'unused variable' -e 'defined but not used' \
		      -e 'was not declared. Should it be static' || true)
	if [ -z "$out" ] && ! grep -q 'Error [0-9]' "$dir/build.log"; then
		return 0
	fi
	while IFS= read -r line; do
		finding "${line#"$dir"/}"
	done <<<"$out"
	return 1
}

# The report rules over the sources that use the API like a driver would.
gate_coccinelle_tree() {
	local rule files=() out bad=0

	mapfile -t files < <(our_files | grep -E '^(kernel|kunit|samples)/.*\.c$')
	[ ${#files[@]} -gt 0 ] || return 0
	for rule in "$COCCI_DIR"/*.cocci; do
		grep -q '^virtual report' "$rule" || continue
		out=$(cd "$ROOT" && run_spatch "$rule" report "${files[@]}" 2>&1 |
			LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3) || bad=1
		[ -z "$out" ] && continue
		while IFS= read -r line; do finding "${line#"$ROOT"/}"; done <<<"$out"
		bad=1
	done
	return "$bad"
}

# ---- main ---------------------------------------------------------------

run_gate() {
	local gate=$1 start rc=0 out

	start=$EPOCHREALTIME
	out=$("gate_${gate//-/_}") || rc=$?
	printf 'check: %-16s %-6s (%s s)\n' "$gate" \
		"$([ "$rc" -eq 0 ] && echo ok || echo FAILED)" \
		"$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"
	[ -z "$out" ] || echo "$out"
	return "$rc"
}

main() {
	local gates=("$@") gate failed=() start

	[ ${#gates[@]} -gt 0 ] || gates=("${ALL_GATES[@]}")
	for gate in "${gates[@]}"; do
		declare -F "gate_${gate//-/_}" >/dev/null ||
			die "check: unknown gate '$gate' (gates: ${ALL_GATES[*]})"
	done
	git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 ||
		die "check: $ROOT is not a git checkout; the gates list files with git"
	mkdir -p "$OUT"
	start=$(now)
	for gate in "${gates[@]}"; do
		run_gate "$gate" || failed+=("$gate")
	done
	if [ ${#failed[@]} -gt 0 ]; then
		echo "check: FAILED: ${failed[*]} (${#failed[@]} of ${#gates[@]} gates, $(($(now) - start)) s)"
		exit 1
	fi
	echo "check: all ${#gates[@]} gates ok ($(($(now) - start)) s)"
}

main "$@"
