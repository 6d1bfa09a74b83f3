#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy dmashim into a driver's own tree, to be linked into the driver's
# module (kernel/local.mk says how; README "A driver-local copy").  DEST
# gets include/ (the API header and dmashim_local.h), kernel/ (the sources
# and the Kbuild fragments) and ORIGIN (which dmashim this is).  A DEST
# that is a copy already is replaced; any other non-empty DEST is refused.
# The copy works in a module only (never built in), one module per copy.
#
# Usage: scripts/vendor.sh DEST     (or: make vendor DEST=...)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

{ [ $# -eq 1 ] && [ -n "$1" ]; } || die "usage: $0 DEST"
dest=$1
if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ] &&
   ! grep -q '^dmashim ' "$dest/ORIGIN" 2>/dev/null; then
	die "vendor: $dest is not empty and not a dmashim copy; refusing to touch it"
fi
rm -rf "$dest/include" "$dest/kernel"
mkdir -p "$dest/include" "$dest/kernel"
cp "$DMASHIM_ROOT"/include/dmashim.h "$DMASHIM_ROOT"/include/dmashim_local.h "$dest/include/"
cp "$DMASHIM_ROOT"/kernel/*.[ch] "$DMASHIM_ROOT"/kernel/*.mk "$dest/kernel/"
origin=$(GIT_OPTIONAL_LOCKS=0 git -C "$DMASHIM_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
echo "dmashim $origin, ABI $(sed -n 's/.*DMASHIM_ABI_VERSION = \([0-9]*\),.*/\1/p' \
	"$DMASHIM_ROOT/include/dmashim.h")" >"$dest/ORIGIN"
echo "vendor: dmashim ($origin) copied into $dest"
