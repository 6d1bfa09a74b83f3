#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: dmashim's sample drivers doing real DMA with QEMU's edu device.
#
#   1. install what is missing (scripts/setup.sh);
#   2. build dmashim.ko and the samples (scripts/build-modules.sh) against the
#      stock Debian kernel's headers, into build/stock;
#   3. stage the samples (scripts/bundle/samples.sh) and build an initramfs
#      with them (scripts/mkinitramfs.sh);
#   4. boot the newest stock kernel, /boot/vmlinuz-*-amd64, under QEMU (TCG)
#      with the edu device (scripts/run-qemu.sh): the guest loads dmashim.ko
#      and its hooks run both samples (transfers, verification, unbind);
#   5. print a readable report from the console log, and judge the log with
#      scripts/check-log.sh.
#
# Exits non-zero on a failed check, a data mismatch or any kernel report.
#
# Environment (make run IOMMU=1 KERNEL=debug):
#   IOMMU=1       boot with an Intel IOMMU (run-qemu.sh's "iommu" variant)
#   KERNEL=debug  the debug test kernel (KASAN, lockdep, kmemleak, DMA-API
#                 debug) from scripts/build-kernel.sh, built first if it is
#                 not cached, instead of the stock one (KERNEL=stock)
# Output: build/run/<kernel>-<variant>/console.log and the pieces.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SCRIPTS=$DMASHIM_ROOT/scripts
BUILD=$DMASHIM_ROOT/build
T0=$(now)

say() {
	echo "run: $*"
}

progress() {
	say "[$(($(now) - T0)) s] $*"
}

debug_kernel() {
	progress "debug kernel (scripts/build-kernel.sh; built once, then cached)..."
	KDIR=$("$SCRIPTS/build-kernel.sh" --print-dir)
	BZIMAGE=$KDIR/arch/x86/boot/bzImage
	RELEASE=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$KDIR/include/generated/utsrelease.h")
	KERNEL_DESC="$RELEASE (debug test kernel: KASAN, lockdep, kmemleak, DMA-API debug)"
}

# initramfs MODULES_DIR WORK: WORK/initramfs.cpio.gz with dmashim.ko in the
# manifest and the samples' bundle (hooks and staged files).
initramfs() {
	local mods=$1 work=$2

	"$SCRIPTS/bundle/samples.sh" "$KDIR" "$mods" "$work/bundle"
	echo "$mods/dmashim.ko" >"$work/manifest"
	"$SCRIPTS/mkinitramfs.sh" "$KDIR" "$work/initramfs.cpio.gz" \
		"$work/manifest" "$work/bundle"
}

# report LOG: the samples' results, suite by suite, from the console.
report() {
	tr -d '\r' <"$1" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' | awk '
	function suite(name) {
		if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		return name
	}
	/^    # Subtest: / { cur = last = suite($3); next }
	/^    # REPORT / {
		s = $3; sub(/:$/, "", s); line = $0
		sub(/^    # REPORT [^:]*: /, "", line)
		text[suite(s)] = text[s] "    " line "\n"; next
	}
	/^    # FAIL: / && last != "" {
		line = $0; sub(/^    # /, "", line)
		text[last] = text[last] "    ** " line "\n"; next
	}
	/dmashim: unbind released/ && last != "" {
		line = $0; sub(/^.*dmashim: /, "", line)
		text[last] = text[last] "    kernel: dmashim " line "\n"; next
	}
	/^    (not )?ok [0-9]+ - / && cur != "" {
		ok = ($1 == "ok"); total[cur]++; if (ok) passed[cur]++
		else failed[cur] = failed[cur] " " $NF
		next
	}
	/^(not )?ok [0-9]+ - / { verdict[$NF] = ($1 == "ok") ? "PASS" : "FAIL"; cur = "" }
	END {
		if (!n) print "  no sample results in the log"
		for (i = 1; i <= n; i++) {
			s = order[i]
			v = (s in verdict) ? verdict[s] : "INCOMPLETE"
			printf "  %s: %s, %d/%d cases passed\n", s, v, passed[s], total[s]
			printf "%s", text[s]
			if (failed[s] != "") printf "    failed:%s\n", failed[s]
		}
	}'
}

main() {
	local variant=plain iommu_desc="no IOMMU" mods work log rc=0 t

	case ${KERNEL:-stock} in
	stock | debug) ;;
	*) die "run: KERNEL=${KERNEL} (stock or debug)" ;;
	esac
	if [ "${IOMMU:-0}" = 1 ]; then
		variant=iommu iommu_desc="Intel IOMMU (intel_iommu=on)"
	fi

	progress "setup..."
	"$SCRIPTS/setup.sh"
	if [ "${KERNEL:-stock}" = debug ]; then
		debug_kernel
		mods=$BUILD/test
	else
		stock_kernel
		mods=$BUILD/stock
	fi
	work=$BUILD/run/${KERNEL:-stock}-$variant
	rm -rf "$work"
	mkdir -p "$work"
	progress "building dmashim and the samples against $KDIR..."
	"$SCRIPTS/build-modules.sh" "$KDIR" "$mods" >"$work/modules.log" 2>&1 || {
		cat "$work/modules.log" >&2
		die "run: module build failed"
	}
	progress "initramfs..."
	initramfs "$mods" "$work"
	log=$work/console.log
	progress "booting $RELEASE under QEMU (TCG, $iommu_desc); console: ${log#"$DMASHIM_ROOT"/}"
	t=$(now)
	"$SCRIPTS/run-qemu.sh" "$variant" "$BZIMAGE" "$work/initramfs.cpio.gz" "$log" || rc=1
	progress "guest ran for $(($(now) - t)) s"

	say "================================================================"
	say "dmashim samples on QEMU's edu device (PCI 1234:11e8)"
	say "  kernel: $KERNEL_DESC"
	say "  QEMU:   TCG, q35, $iommu_desc"
	say "----------------------------------------------------------------"
	report "$log" | sed 's/^/run: /'
	say "----------------------------------------------------------------"
	"$SCRIPTS/check-log.sh" "$log" | sed 's/^/run: /' || rc=1
	say "================================================================"
	if [ $rc -eq 0 ]; then
		say "PASSED in $(($(now) - T0)) s"
	else
		say "FAILED in $(($(now) - T0)) s (console: ${log#"$DMASHIM_ROOT"/})"
	fi
	return $rc
}

main "$@"
