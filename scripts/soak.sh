#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak`: boot the debug kernel again and again and count, per boot,
# the checker reports the judge would see (scripts/check-log.sh --reports,
# the judge's own rules) and whether the guest finished.  For measuring how
# often a boot is red by chance; it never makes a test run green.
#
# Usage: scripts/soak.sh [-n BOOTS] [-m none|test] [VARIANT...]
#   -n  boots per variant (default 10)
#   -m  none: guests that only boot (no module, no hook: about 15 s each);
#       test: make test's guest, every module and hook (default)
#   VARIANT  plain, iommu, iommu-strict (default: all three, in turn)
# make soak BOOTS=N MODULES=none|test VARIANT="..." passes them on.  Logs:
# build/soak/VARIANT-MODULES-CPU-N.log; each boot waits for the machine lock.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
OUT=$DMASHIM_ROOT/build/soak
boots=10 mods=test
while getopts "n:m:" opt; do
	case $opt in
	n) boots=$OPTARG ;;
	m) mods=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
variants=("$@")
[ $# -gt 0 ] || variants=(plain iommu iommu-strict)
case $mods in
none) sets=() ;;
test) sets=("${DMASHIM_TEST_SETS[@]}") ;;
*) die "soak: -m none or -m test" ;;
esac

KDIR=$("$SCRIPTS/build-kernel.sh" --print-dir)
mkdir -p "$OUT"
[ "$mods" = none ] || build_test_tree "$KDIR" >"$OUT/modules.log"
"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$DMASHIM_ROOT/build/test" "$OUT/$mods.cpio.gz" "${sets[@]}"

cpu=${DMASHIM_QEMU_CPU:-default}
echo "soak: $KDIR, $boots boots per variant, modules: $mods, CPU $cpu"
cpu=${cpu//[^a-z0-9]/_}
total=0 red=0 lines=0 unfinished=0
for v in "${variants[@]}"; do
	for i in $(seq 1 "$boots"); do
		log=$OUT/$v-$mods-$cpu-$i.log
		start=$SECONDS
		"$SCRIPTS/run-qemu.sh" "$v" "$KDIR/arch/x86/boot/bzImage" \
			"$OUT/$mods.cpio.gz" "$log" 2>/dev/null || true
		"$SCRIPTS/check-log.sh" --reports "$log" >"$log.reports"
		n=$(wc -l <"$log.reports") done=finished
		grep -qE '^(\[ *[0-9.]+\] )?DMASHIM-RUN-COMPLETE.?$' "$log" || done=UNFINISHED
		total=$((total + 1)) lines=$((lines + n)) red=$((red + (n > 0)))
		[ $done = finished ] || unfinished=$((unfinished + 1))
		echo "soak: $v $mods boot $i/$boots: $n report lines, $done ($((SECONDS - start)) s)"
		head -n 3 "$log.reports" | sed 's/^/soak:   /'
	done
done
echo "soak: $total boots, $red with checker reports ($lines lines), $unfinished unfinished"
