#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel and initramfs once under QEMU (TCG only: nested KVM hangs on
# the CI machines) on a q35 machine with the edu PCI device, the serial
# console going to LOG.  Every boot waits for the machine lock first (one
# guest or kernel build at a time, scripts/lib/common.sh).  A guest that has
# not powered off within the timeout is killed, and the boot fails.
#
# Usage: scripts/run-qemu.sh [-t SECONDS] VARIANT BZIMAGE INITRD LOG
#   VARIANT  plain         no IOMMU, normal RCU grace periods
#            iommu         Intel VT-d (intel-iommu device, intel_iommu=on),
#                          expedited RCU grace periods (below)
#            iommu-strict  as iommu, with strict TLB invalidation
#   -t       hard timeout (default $DMASHIM_QEMU_TIMEOUT, else 600 s)
# Environment: DMASHIM_QEMU_CPU overrides the CPU model (to re-measure, see
# below), DMASHIM_QEMU_APPEND adds kernel command line arguments,
# DMASHIM_QEMU_ICOUNT=1 runs the guest with -icount shift=0 (one virtual
# nanosecond per instruction: guest time counts instructions, for make
# bench's repeatable ratios) on one vCPU: with two, 6.1's secondary CPU
# bring-up did not finish in minutes (measured).
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# The guest CPU, for every guest (the stock kernel's too): QEMU's "max"
# without LA57, i.e. 4-level paging as on most real machines.  With LA57 a
# 6.1 CONFIG_X86_5LEVEL kernel has a window in early boot (identify_cpu()
# clears boot_cpu_data's capability words, IRQs are already on) in which
# pgtable_l5_enabled() reads false; an interrupt taken then makes KASAN's
# addr_has_metadata() see 4-level bounds and call a valid 5-level
# direct-map address a "wild-memory-access", 0.003 s into boot, before any
# dmashim code exists (RIP in identify_cpu() right after the memset).
# Measured with make soak (scripts/soak.sh), debug kernel, all sessions:
#   -cpu max             1 of 9 of make test's guests (plain) red with it;
#                        0 of 100 guests that only boot (LA57 active:
#                        max_arch_pfn 0x10000000000)
#   -cpu max,la57=off    0 of 42 guests that only boot (three variants,
#                        30 of them in one run), 0 of 38 of make test's
#                        and self-test guests, 0 red in every CI run since
CPU=${DMASHIM_QEMU_CPU:-max,la57=off}

timeout_s=${DMASHIM_QEMU_TIMEOUT:-600}
while getopts "t:" opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 4 ] || die "usage: $0 [-t SECONDS] VARIANT BZIMAGE INITRD LOG"
variant=$1 kernel=$2 initrd=$3 log=$4
[ -f "$kernel" ] || die "qemu: kernel $kernel not found"
[ -f "$initrd" ] || die "qemu: initramfs $initrd not found"

# The IOMMU must come before the devices it translates for; interrupt
# remapping stays off (the test kernel has no IRQ_REMAP).
# The IOMMU variants also run with expedited RCU grace periods
# (rcupdate.rcu_expedited=1, as Android and ChromeOS boot), plain with
# normal ones: both kinds of grace period a context's teardown and the
# deferred releases wait for are under test, and make test's debug boots
# with the IOMMU take 113 s instead of 149 s (measured: KUnit's 1000 cases
# each make and tear down a context, which waits for grace periods).
devices=() cmdline='' smp=2
[ "${DMASHIM_QEMU_ICOUNT:-0}" != 1 ] || devices+=(-icount shift=0) smp=1
case $variant in
plain) ;;
iommu)
	devices+=(-device "intel-iommu,intremap=off")
	cmdline="intel_iommu=on rcupdate.rcu_expedited=1" ;;
iommu-strict)
	devices+=(-device "intel-iommu,intremap=off")
	cmdline="intel_iommu=on iommu.strict=1 rcupdate.rcu_expedited=1" ;;
*) die "qemu: unknown variant '$variant' (plain, iommu, iommu-strict)" ;;
esac

mkdir -p "$(dirname "$log")"
rm -f "$log"
lock_machine
start=$SECONDS
rc=0
timeout --kill-after=10 "$timeout_s" \
	qemu-system-x86_64 -accel tcg -machine q35 -cpu "$CPU" -m 1G -smp $smp \
	-nodefaults -display none -monitor none -no-reboot \
	-serial "file:$log" "${devices[@]}" -device edu \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 printk.devkmsg=on $cmdline ${DMASHIM_QEMU_APPEND:-}" \
	</dev/null || rc=$?
case $rc in
0) echo "qemu: $variant: guest finished in $((SECONDS - start)) s" >&2 ;;
124 | 137) die "qemu: $variant: TIMEOUT after $timeout_s s (log: $log)" ;;
*) die "qemu: $variant: QEMU exited with status $rc (log: $log)" ;;
esac
