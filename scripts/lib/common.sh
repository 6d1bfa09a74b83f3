# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Helpers shared by the dmashim pipeline scripts.  Sourced, not executed.

# Repository root (this file lives in scripts/lib/).
DMASHIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DMASHIM_ROOT

# Where kernels and extracted sources are cached, outside the repository.
DMASHIM_CACHE=${DMASHIM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dmashim}
export DMASHIM_CACHE

# The rustup toolchain first in PATH is too new for 6.1: always use Debian's.
DMASHIM_RUST_ARGS=(RUSTC=/usr/bin/rustc BINDGEN=/usr/bin/bindgen
		   HOSTRUSTC=/usr/bin/rustc)

# Python for the kernel's own tools (kunit.py), not a pyenv shim.
DMASHIM_PYTHON=/usr/bin/python3

# The Debian package whose source the test kernel and kunit.py come from.
DMASHIM_SRC_PKG=linux-source-6.1

# kernel_source_dir: where scripts/build-kernel.sh extracts that source.
kernel_source_dir() {
	local version

	version=$(dpkg-query -W -f='${Version}' "$DMASHIM_SRC_PKG" 2>/dev/null) ||
		die "$DMASHIM_SRC_PKG is not installed; run scripts/setup.sh"
	echo "$DMASHIM_CACHE/$DMASHIM_SRC_PKG-$version"
}

# die MESSAGE...: print to stderr and exit 1.
die() {
	echo "$*" >&2
	exit 1
}

# now: seconds since the epoch (for timings).
now() {
	date +%s
}

# kconfig_enabled KDIR SYMBOL: true when KDIR/.config sets CONFIG_SYMBOL=y.
kconfig_enabled() {
	grep -qx "CONFIG_$2=y" "$1/.config" 2>/dev/null
}
