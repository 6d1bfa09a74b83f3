#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every build and test dependency of dmashim from Debian's own
# packages, and nothing from anywhere else.  Idempotent: when every package is
# already installed it only checks and returns (no apt-get update, no network).
#
# Usage: scripts/setup.sh   (make setup; as root or with sudo)
set -euo pipefail

PACKAGES=(
	build-essential bc bison flex cpio kmod xz-utils zstd rsync
	libelf-dev libssl-dev dwarves python3
	linux-source-6.1 linux-headers-amd64 linux-image-amd64
	qemu-system-x86 busybox-static
	sparse coccinelle shellcheck gnuplot-nox
	debhelper dh-dkms dkms openssl fakeroot
	rustc rust-src bindgen clang llvm lld libclang-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] ||
		missing+=("$pkg")
done
[ ${#missing[@]} -gt 0 ] || exit 0

echo "setup: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
