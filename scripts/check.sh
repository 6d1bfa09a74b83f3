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
#  * kdoc-sections: every function of include/dmashim.h documented, with a
#    Context: section, and a Return: one unless it returns void
#  * docs: build/doc/dmashim-api.rst generated from the header without a
#    warning, and every ".. kernel-doc::" in Documentation/ resolvable
#  * sparse: the modules (KUnit ones included) built with C=2
#  * exports: header prototypes == symbols exported in namespace DMASHIM
#  * sparse-bites: the scripts/sparse/ fixtures warn exactly as expected
#  * coccinelle: every rule in scripts/coccinelle/ against its fixtures
#  * migration-build: scripts/migrate.sh --test-build: every fixture migrates
#    to its expected output and compiles, before and after, against
#    include/dmashim.h with no new diagnostic outside marked statements
#  * coccinelle-tree: the report rules over our own sources
#  * abi: the ABI (function CRCs, layout, enumerators) against the
#    baseline abi/dmashim.abi, by the policy of scripts/abi.py
#
# Usage: scripts/check.sh [GATE...]     (default: all gates)
# Environment: KDIR (kernel build tree, default: the stock headers),
#              DMASHIM_CHECK_JOBS (make -j for the sparse builds, default 2).
# Writes only under build/; checkpatch.pl and kernel-doc come from the
# kernel source.  A gate fails on its findings, and a failing tool prints
# one (hence no pipefail).
set -eu

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT=$DMASHIM_ROOT
OUT=$ROOT/build/check
SPARSE_DIR=$ROOT/build/check-sparse
COCCI_DIR=$ROOT/scripts/coccinelle
ALL_GATES=(spdx shellcheck checkpatch kernel-doc kdoc-sections docs sparse
	   exports sparse-bites coccinelle migration-build coccinelle-tree abi)

# findings [SED-EXPRESSION]: stdin as findings (indented under the gate),
# false if there was any.
findings() {
	local out

	out=$(sed -e "${1:-}" -e '/^[[:space:]]*$/d' -e 's/^/    /')
	[ -z "$out" ] && return 0
	echo "$out"
	return 1
}

# our_files: every file of the project, tracked or new, minus ignored ones
# and dot-directories (git metadata and CI machinery are not ours to check).
our_files() {
	git -C "$ROOT" ls-files --cached --others --exclude-standard |
		grep -v -e '^\.' -e '/\.' | LC_ALL=C sort -u |
		while read -r f; do [ -f "$ROOT/$f" ] && echo "$f"; done
}

# kernel_tree: $KDIR (make check passes the Makefile's), else the stock
# kernel's headers.
kernel_tree() {
	[ -n "${KDIR:-}" ] || stock_kernel
	[ -f "$KDIR/Makefile" ] || die "no kernel build tree at '$KDIR' (set KDIR)"
	echo "$KDIR"
}

# kbuild KDIR DIR ARGS...: an out-of-tree build with sparse on every file.
kbuild() {
	local kdir=$1 dir=$2 args=()
	shift 2

	kconfig_enabled "$kdir" RUST && args+=("${DMASHIM_RUST_ARGS[@]}")
	make -C "$kdir" M="$dir" -j"${DMASHIM_CHECK_JOBS:-2}" C=2 CHECK=sparse "${args[@]}" "$@"
}

# run_spatch RULE MODE FILE...: spatch quietly in MODE (patch or report),
# with the rule's own "// Options:" line and our include directory.
run_spatch() {
	local rule=$1 mode=$2 opts
	shift 2

	read -r -a opts <<<"$(sed -n 's|^// Options: *||p' "$rule" | head -n 1)"
	spatch --very-quiet -D "$mode" "${opts[@]}" -I "$ROOT/include" --sp-file "$rule" "$@"
}

# header_functions: the functions include/dmashim.h declares.
header_functions() {
	sed -e 's|/\*.*\*/||' -e 's|^ \*.*||' "$ROOT/include/dmashim.h" |
		grep -oE '^[a-z][a-z0-9_ ]*[ *]((devm_)?dmashim_[a-z0-9_]+)\(' |
		grep -oE '(devm_)?dmashim_[a-z0-9_]+'
}

# api_rst: the header's kernel-doc as reStructuredText (warnings: stderr).
api_rst() {
	(cd "$ROOT" && perl "$SRC/scripts/kernel-doc" -rst -sphinx-version 5.3.0 include/dmashim.h)
}

gate_spdx() {
	local f want line

	while read -r f; do
		case $f in
		*.expected) continue ;;
		*.c | *.rs | *.cocci) want='// SPDX-License-Identifier:' ;;
		*.h) want='/* SPDX-License-Identifier:' ;;
		*.rst) want='.. SPDX-License-Identifier:' ;;
		*.sh | *.py | *.pl | *.config | *.conf | *.control | *.abi | *.mk | *Makefile | \
		*Kbuild | */manifest | debian/rules | debian/control)
			want='# SPDX-License-Identifier:' ;;
		*) head -c 2 "$ROOT/$f" | grep -q '^#!' || continue
		   want='# SPDX-License-Identifier:' ;;
		esac
		line=$(grep -m1 -v '^#!' "$ROOT/$f" || true)
		if [[ $line != "$want "GPL-2.0* ]]; then
			echo "$f:1: expected '$want GPL-2.0...' as the first line (after any shebang), found '${line:0:60}'"
		elif [[ $want == '/*'* && $line != *' */' ]]; then
			echo "$f:1: SPDX comment in a header must be closed on its line: '$line'"
		fi
	done < <(our_files) | findings
}

# Shell scripts: *.sh, and files with a shell shebang.  shellcheck takes
# the shell from the shebang or a "# shellcheck shell=" directive, and
# fails a script that has neither.
gate_shellcheck() {
	local f files=()

	while read -r f; do
		case $f:$(head -n 1 "$ROOT/$f") in
		*.sh:* | *:'#!'*sh | *:'#!'*'sh '*) files+=("$f") ;;
		esac
	done < <(our_files)
	(cd "$ROOT" && shellcheck -x -f gcc "${files[@]}" 2>&1) | findings
}

gate_checkpatch() {
	local files=()

	mapfile -t files < <(our_files |
		grep -E '^(kernel|include|kunit|samples|bindings|scripts/sparse)/.*\.[ch]$')
	(cd "$ROOT" && perl "$SRC/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types --no-summary -q -f "${files[@]}" 2>&1 ||
		echo "checkpatch.pl failed") | findings
}

# -v adds the missing-Return: and missing-description warnings (-Wreturn
# and -Wshort-desc of later kernels); its "info:" lines are dropped.
gate_kernel_doc() {
	local files=()

	mapfile -t files < <(our_files | grep -E '^(include|kernel)/.*\.[ch]$')
	(cd "$ROOT" && perl "$SRC/scripts/kernel-doc" -v -none "${files[@]}" 2>&1 |
		grep -v ': info: Scanning doc for ') | findings
}

# From the header's kernel-doc, as kernel-doc renders it: one line per
# documented function, "NAME RETURN-TYPE CONTEXT? RETURN?".
gate_kdoc_sections() {
	declare -A doc=()
	local name type ctx ret

	while read -r name type ctx ret; do
		doc[$name]="$type $ctx $ret"
	done < <(api_rst 2>/dev/null | awk '
		function flush() { if (name != "") print name, type, ctx, ret }
		/^\.\. c:/ { flush(); name = "" }
		/^\.\. c:function:: / { type = $3; name = $4; ctx = "-"; ret = "-" }
		/^\*\*Context\*\*$/ { ctx = "Context" }
		/^\*\*Return\*\*$/ { ret = "Return" }
		END { flush() }')
	while read -r name; do
		read -r type ctx ret <<<"${doc[$name]:-}"
		if [ -z "$type" ]; then
			echo "include/dmashim.h: $name() has no kernel-doc comment"
			continue
		fi
		[ "$ctx" = Context ] || echo "include/dmashim.h: $name(): kernel-doc has no Context: line"
		[ "$ret" = Return ] || [ "$type" = void ] ||
			echo "include/dmashim.h: $name() returns $type: kernel-doc has no Return: line"
	done < <(header_functions) | findings
}

gate_docs() {
	local rst lineno ref

	mkdir -p "$ROOT/build/doc"
	{
		api_rst 2>&1 >"$ROOT/build/doc/dmashim-api.rst" || echo "kernel-doc failed"
		grep -q '^\.\. c:function:: int dmashim_alloc' "$ROOT/build/doc/dmashim-api.rst" ||
			echo "build/doc/dmashim-api.rst: dmashim_alloc() missing from the generated reference"
		(cd "$ROOT" && grep -Hn '^\.\. kernel-doc::' Documentation/*.rst) |
			while IFS=: read -r rst lineno ref; do
				ref=${ref#*kernel-doc::} ref=${ref// /}
				[ -f "$ROOT/$ref" ] ||
					echo "$rst:$lineno: kernel-doc directive names missing file '$ref'"
			done
	} | findings
}

# The KUnit modules are built too (CONFIG_KUNIT=m), for sparse only: the
# stock headers have no KUnit, so modpost may not resolve their symbols.
gate_sparse() {
	local kdir log=$OUT/sparse.log

	kdir=$(kernel_tree)
	sync_sources "$SPARSE_DIR"
	if ! kbuild "$kdir" "$SPARSE_DIR" CONFIG_KUNIT=m KBUILD_MODPOST_WARN=1 modules >"$log" 2>&1; then
		echo "module build against $kdir failed (log: ${log#"$ROOT"/}):"
		grep -E 'error|Error' "$log" | head -n 20
	else
		grep "^$SPARSE_DIR/" "$log"
	fi | findings "s|$SPARSE_DIR/||g"
}

# From the sparse build's Module.symvers (CRC, symbol, module, kind, ns).
gate_exports() {
	local symvers=$SPARSE_DIR/Module.symvers

	[ -f "$symvers" ] || { echo "no $symvers: the sparse gate must build first" | findings; return; }
	{
		awk -F'\t' -v q="'" '$3 ~ /\/dmashim$/ && ($4 != "EXPORT_SYMBOL_GPL" || $5 != "DMASHIM") {
			print $2 ": exported as " $4 " in namespace " q ($5 ? $5 : "none") q \
				", want EXPORT_SYMBOL_NS_GPL(..., DMASHIM)" }' "$symvers"
		comm -3 <(header_functions | sort) <(awk -F'\t' '$3 ~ /\/dmashim$/ { print $2 }' "$symvers" | sort) |
			sed -E 's|^\t(.*)|dmashim.ko exports \1, which include/dmashim.h does not declare|; t
				s|^(.*)|include/dmashim.h: \1() is declared but not exported by dmashim.ko|'
	} | findings
}

# sparse's output per fixture, against its .expected: path and the name
# after "[usertype]" dropped, so that a renamed parameter is no failure.
gate_sparse_bites() {
	local dir=$OUT/sparse-fixtures src name objs=() got want

	mkdir -p "$dir"
	for src in "$ROOT"/scripts/sparse/*.c; do
		name=$(basename "$src" .c)
		cmp -s "$src" "$dir/$name.c" || cp "$src" "$dir/$name.c"
		objs+=("$name.o")
	done
	echo "ccflags-y += -I$ROOT/include" >"$dir/Kbuild"
	# Objects only: no modpost, no linking.
	kbuild "$(kernel_tree)" "$dir" "${objs[@]}" >"$dir/build.log" 2>&1 ||
		{ echo "fixture build failed (log: ${dir#"$ROOT"/}/build.log)" | findings; return; }
	for src in "$ROOT"/scripts/sparse/*.c; do
		name=$(basename "$src" .c)
		want=${src%.c}.expected
		got=$(grep "^$dir/$name.c:" "$dir/build.log" |
			sed -e "s|^$dir/||" -e 's/\(\[usertype\]\) [A-Za-z_][A-Za-z0-9_]*$/\1/')
		if [ ! -f "$want" ]; then
			echo "scripts/sparse/$name.c: no $name.expected next to it"
		elif [ -s "$want" ] && [ -z "$got" ]; then
			echo "scripts/sparse/$name.c: sparse no longer warns: the check no longer bites"
		elif ! diff -u --label "expected $name" --label "sparse $name" \
			"$want" <(printf '%s' "$got${got:+$'\n'}") >"$dir/$name.diff"; then
			echo "scripts/sparse/$name.c: sparse output differs from $name.expected:"
			sed 's/^/  /' "$dir/$name.diff"
		fi
	done | findings
}

# cocci_test RULE INPUT: one fixture of a rule: a patch rule's output must be
# INPUT's .expected.c, a report rule's (in line order) its .expected.
cocci_test() {
	local rule=$1 input=$2 mode=report want=${2%.c}.expected out got

	grep -q '^virtual patch' "$rule" && mode=patch want=${2%.c}.expected.c
	out=$OUT/cocci/$(basename "$rule" .cocci)/$(basename "$input" .c)
	mkdir -p "${out%/*}"
	rm -f "$out.c"
	[ -f "$want" ] || { echo "${input#"$ROOT"/}: no ${want##*/} next to it"; return; }
	if ! run_spatch "$rule" $mode "$input" -o "$out.c" >"$out.raw" 2>"$out.log"; then
		echo "${input#"$ROOT"/}: spatch failed:"
		sed 's/^/  /' "$out.log"
		return
	fi
	if [ $mode = patch ]; then
		[ -f "$out.c" ] || cp "$input" "$out.c"	# no change at all
		got=$out.c
	else
		got=$out.report
		sed "s|^${input%/*}/||" "$out.raw" | LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3 >"$got"
		if [ -s "$want" ] && [ ! -s "$got" ]; then
			echo "${input#"$ROOT"/}: $(basename "$rule") reports nothing: the rule no longer bites"
			return
		fi
	fi
	diff -u --label "expected ${want##*/}" --label "spatch ${input##*/}" "$want" "$got" >"$out.diff" ||
		{ echo "${input#"$ROOT"/}: output of $(basename "$rule") differs from the expected one:" &&
		  sed 's/^/  /' "$out.diff"; }
}

# Each rule needs a fixture proving it fires, and one that it stays quiet.
gate_coccinelle() {
	local rule name input fires quiet

	for rule in "$COCCI_DIR"/*.cocci; do
		name=$(basename "$rule" .cocci)
		fires=0 quiet=0
		for input in "$COCCI_DIR/tests/$name"/*.c; do
			[[ -f $input && $input != *.expected.c ]] || continue
			cocci_test "$rule" "$input"
			if [ -s "${input%.c}.expected" ] || { [ -f "${input%.c}.expected.c" ] &&
				! cmp -s "$input" "${input%.c}.expected.c"; }; then
				fires=1
			else
				quiet=1
			fi
		done
		[ $fires -eq 1 ] || echo "scripts/coccinelle/$name.cocci: no fixture in tests/$name/ proves it fires"
		[ $quiet -eq 1 ] || echo "scripts/coccinelle/$name.cocci: no clean fixture in tests/$name/ proves it stays quiet"
	done | findings
}

# Keeps the migration (scripts/migrate.sh) in step with the header: every
# fixture migrates to its expected output, and builds before and after.
gate_migration_build() {
	local log=$OUT/migration-build.log

	mkdir -p "$OUT"
	if ! "$ROOT/scripts/migrate.sh" --test-build "" "$(kernel_tree)" >"$log" 2>&1; then
		grep -v -e ': complete$' -e ': assisted: ' -e ': untouched: ' "$log"
		echo "migration fixtures failed (log: ${log#"$ROOT"/})"
	fi | findings
}

# Over the sources that use the API like a driver would.
gate_coccinelle_tree() {
	local rule files=()

	mapfile -t files < <(our_files | grep -E '^(kernel|kunit|samples)/.*\.c$')
	for rule in "$COCCI_DIR"/*.cocci; do
		grep -q '^virtual report' "$rule" || continue
		(cd "$ROOT" && run_spatch "$rule" report "${files[@]}" 2>&1 ||
			echo "spatch failed: $rule") | LC_ALL=C sort -t: -k1,1 -k2,2n -k3,3
	done | findings "s|$ROOT/||"
}

# The ABI (scripts/abi.py) against the baseline abi/dmashim.abi: genksyms
# CRCs of the header's declarations, from the header alone, plus the
# measured layout.  DMASHIM_ABI_UPDATE=1 writes the baseline instead.  The
# policy's self-test proves each kind of break is a finding.
gate_abi() {
	local dir=$OUT/abi kdir probe=$OUT/abi/probe.c baseline=$ROOT/abi/dmashim.abi

	kdir=$(kernel_tree)
	mkdir -p "$dir"
	{
		echo '#include <linux/export.h>'
		echo '#include <dmashim.h>'
		header_functions | sed 's/.*/EXPORT_SYMBOL_NS_GPL(&, DMASHIM);/'
	} >"$probe.new"
	if cmp -s "$probe.new" "$probe"; then rm "$probe.new"; else mv "$probe.new" "$probe"; fi
	echo "ccflags-y += -I$ROOT/include" >"$dir/Kbuild"
	{
		make -s -C "$kdir" M="$dir" KCPPFLAGS=-D__GENKSYMS__ probe.i >"$dir/build.log" 2>&1 ||
			{ echo "the ABI probe does not preprocess (log: ${dir#"$ROOT"/}/build.log)"; return; }
		"$kdir/scripts/genksyms/genksyms" <"$dir/probe.i" >"$dir/genksyms.out"
		"$DMASHIM_PYTHON" "$ROOT/scripts/abi.py" dump "$dir/genksyms.out" \
			"$ROOT/bindings/dmashim_layout.rs" >"$dir/current.abi"
		if [ "${DMASHIM_ABI_UPDATE:-0}" = 1 ]; then
			mkdir -p "${baseline%/*}"
			{
				echo "# SPDX-License-Identifier: GPL-2.0"
				echo "#"
				echo "# dmashim ABI baseline: scripts/abi.py explains each line and the"
				echo "# policy; regenerate only with a DMASHIM_ABI_VERSION bump or an"
				echo "# addition: DMASHIM_ABI_UPDATE=1 scripts/check.sh abi"
				cat "$dir/current.abi"
			} >"$baseline"
		fi
		[ -f "$baseline" ] || { echo "no baseline ${baseline#"$ROOT"/}"; return; }
		"$DMASHIM_PYTHON" "$ROOT/scripts/abi.py" check "$baseline" "$dir/current.abi"
		"$DMASHIM_PYTHON" "$ROOT/scripts/abi.py" selftest "$baseline"
	} | findings
}

gates=("$@")
[ $# -gt 0 ] || gates=("${ALL_GATES[@]}")
for gate in "${gates[@]}"; do
	declare -F "gate_${gate//-/_}" >/dev/null ||
		die "check: unknown gate '$gate' (gates: ${ALL_GATES[*]})"
done
git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1 ||
	die "check: $ROOT is not a git checkout; the gates list files with git"
for tool in shellcheck sparse spatch; do
	command -v $tool >/dev/null || die "check: $tool not installed; run scripts/setup.sh"
done
SRC=$(kernel_source)
mkdir -p "$OUT"
failed=()
for gate in "${gates[@]}"; do
	start=$EPOCHREALTIME rc=0
	out=$("gate_${gate//-/_}") || rc=$?
	printf 'check: %-16s %-6s (%.1f s)\n' "$gate" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" \
		"$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')"
	[ -z "$out" ] || echo "$out"
	[ $rc -eq 0 ] || failed+=("$gate")
done
if [ ${#failed[@]} -gt 0 ]; then
	die "check: FAILED: ${failed[*]} (${#failed[@]} of ${#gates[@]} gates, $SECONDS s)"
fi
echo "check: all ${#gates[@]} gates ok ($SECONDS s)"
