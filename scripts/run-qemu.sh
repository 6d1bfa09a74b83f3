#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test kernel and initramfs once under QEMU (TCG only: nested KVM
# hangs on the CI machines) on a q35 machine with the edu PCI device, the
# serial console going to LOG.  A run that has not powered off within the
# timeout is killed and fails.
#
# Usage: scripts/run-qemu.sh [-t SECONDS] [-a "KERNEL ARGS"] VARIANT BZIMAGE INITRD LOG
#   VARIANT: plain         no IOMMU
#            iommu         Intel VT-d (intel-iommu device, intel_iommu=on)
#            iommu-strict  as iommu, with strict TLB invalidation
#   -t  hard timeout in seconds (default $DMASHIM_QEMU_TIMEOUT or 600)
#   -a  extra kernel command line arguments
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

QEMU=qemu-system-x86_64

# variant_setup VARIANT: set VARIANT_DEVICES and VARIANT_CMDLINE.  The IOMMU
# must be created before the PCI devices it translates for; interrupt
# remapping stays off (the test kernel has no IRQ_REMAP).
variant_setup() {
	case $1 in
	plain)
		VARIANT_DEVICES=()
		VARIANT_CMDLINE=""
		;;
	iommu)
		VARIANT_DEVICES=(-device "intel-iommu,intremap=off")
		VARIANT_CMDLINE="intel_iommu=on"
		;;
	iommu-strict)
		VARIANT_DEVICES=(-device "intel-iommu,intremap=off")
		VARIANT_CMDLINE="intel_iommu=on iommu.strict=1"
		;;
	*)
		die "qemu: unknown variant '$1' (plain, iommu, iommu-strict)"
		;;
	esac
}

main() {
	local timeout_s=${DMASHIM_QEMU_TIMEOUT:-600} extra="" opt rc start

	while getopts "t:a:" opt; do
		case $opt in
		t) timeout_s=$OPTARG ;;
		a) extra=$OPTARG ;;
		*) die "usage: $0 [-t SECONDS] [-a ARGS] VARIANT BZIMAGE INITRD LOG" ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 4 ] || die "usage: $0 [-t SECONDS] [-a ARGS] VARIANT BZIMAGE INITRD LOG"
	local variant=$1 kernel=$2 initrd=$3 log=$4
	[ -f "$kernel" ] || die "qemu: kernel $kernel not found"
	[ -f "$initrd" ] || die "qemu: initramfs $initrd not found"
	variant_setup "$variant"
	mkdir -p "$(dirname "$log")"
	rm -f "$log"

	# One guest at a time on this machine (2 cores; TCG is CPU-bound), and
	# none while a kernel builds: every checkout shares the cache's lock.
	mkdir -p "$DMASHIM_CACHE"
	exec 9>"$DMASHIM_CACHE/.lock"
	flock 9
	start=$(now)
	rc=0
	timeout --kill-after=10 "$timeout_s" \
		"$QEMU" -accel tcg -machine q35 -cpu max -m 1G -smp 2 \
		-nodefaults -display none -monitor none -no-reboot \
		-serial "file:$log" \
		"${VARIANT_DEVICES[@]}" -device edu \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 printk.devkmsg=on $VARIANT_CMDLINE $extra" \
		</dev/null || rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "qemu: $variant: TIMEOUT after ${timeout_s} s (log: $log)" >&2
		return 1
	elif [ $rc -ne 0 ]; then
		echo "qemu: $variant: QEMU exited with status $rc (log: $log)" >&2
		return 1
	fi
	echo "qemu: $variant: guest finished in $(($(now) - start)) s" >&2
}

main "$@"
