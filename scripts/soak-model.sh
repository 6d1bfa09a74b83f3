#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak-model`: the model-based test (kunit/model/) for a given time
# in one debug-kernel guest that has only dmashim and the model (manifest
# sets "dmashim model"): rounds of the random sequence and the concurrent
# variant, each with its own seed, until the time is up or a round fails.
# The arguments reach the guest hook on the kernel command line
# (dmashim_model=-d,SECONDS,...).  Prints the seeds, rounds and failures,
# then the judge's verdict on the console log (any checker report is red).
# scripts/soak.sh is the other soak: many short boots of make test's guest.
#
# Usage: scripts/soak-model.sh [-d SECONDS] [-s SEED] [-f] [VARIANT]
#   -d  seconds of model run in the guest (default 3600)
#   -s  first seed (default: random, printed by the program)
#   -f  no soak: the fail_nth sweeps once, with every failed slab allocation
#       traced, then scripts/fail-sites.py: which allocation sites of
#       dmashim.ko the sweeps forced (make fail-sites)
#   VARIANT  plain, iommu or iommu-strict (default plain)
# make soak-model DURATION=s SEED=n VARIANT=v passes them on.
# Log: build/soak-model/VARIANT.log; the boot waits for the machine lock.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
OUT=$DMASHIM_ROOT/build/soak-model
duration=3600 seed='' sites=''
while getopts "d:s:f" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	s) seed=$OPTARG ;;
	f) sites=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
variant=${1:-plain}
[[ $duration =~ ^[0-9]+$ ]] || die "soak-model: -d takes seconds"
[[ -z $seed || $seed =~ ^[0-9]+$ ]] || die "soak-model: -s takes a number"

model_args=-d,$duration${seed:+,-s,$seed}
append=
if [[ -n $sites ]]; then
	model_args="-c,fail_nth_sweep_*${seed:+,-s,$seed}" duration=600
	append=dmashim_failsites
fi
KDIR=$("$SCRIPTS/build-kernel.sh" --print-dir)
mkdir -p "$OUT"
build_modules "$KDIR" "$DMASHIM_ROOT/build/test" >"$OUT/modules.log"
"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$DMASHIM_ROOT/build/test" \
	"$OUT/initramfs.cpio.gz" dmashim model
echo "soak-model: $KDIR, $variant, $duration s, model arguments ${model_args//,/ }"
DMASHIM_QEMU_APPEND="${DMASHIM_QEMU_APPEND:-} dmashim_model=$model_args $append" \
	"$SCRIPTS/run-qemu.sh" -t $((duration + 900)) "$variant" \
	"$KDIR/arch/x86/boot/bzImage" "$OUT/initramfs.cpio.gz" \
	"$OUT/$variant.log" || true
grep -aE '# (seed|soak|FAIL|failsite-)' "$OUT/$variant.log" |
	sed 's/^\[[ 0-9.]*\] *//' || true
[[ -z $sites ]] || "$DMASHIM_PYTHON" "$SCRIPTS/fail-sites.py" \
	"$OUT/$variant.log" "$DMASHIM_ROOT/build/test/dmashim.ko"
"$SCRIPTS/check-log.sh" "$OUT/$variant.log"
