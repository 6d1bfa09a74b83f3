#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Migrate a driver from the coherent DMA API and dma_pool to dmashim.
#
#   scripts/migrate.sh DIR        migrate the driver whose .c and .h files are
#                                 in DIR, in place, whole or not at all
#   scripts/migrate.sh -n DIR     the same, but only print what it would do
#   scripts/migrate.sh --test [FIXTURE_DIR]
#                                 the fixture tests: every NAME.c (and its
#                                 NAME*.h) in FIXTURE_DIR, default
#                                 scripts/coccinelle/tests/migrate_dma_alloc,
#                                 migrated in a copy and compared with
#                                 NAME.expected.c (and NAME*.expected.h)
#   scripts/migrate.sh --test-build [FIXTURE_DIR [KDIR]]
#                                 --test, and each fixture compiled out of tree
#                                 before and after against include/dmashim.h:
#                                 no new diagnostic outside marked statements
#   scripts/migrate.sh --corpus [KDIR]
#                                 `make migrate-check`: the real drivers of
#                                 scripts/coccinelle/migrate/corpus.txt and
#                                 heldout.txt, compiled out of tree before and
#                                 after, one line per file, then the totals
#
# Prints one line per file: "FILE: complete", "FILE: assisted: ..." (lines
# marked "dmashim: TODO" say what a person must do) or "FILE: untouched:
# REASON".  Exits 0 unless something went wrong inside the tool (or, for
# --test and --corpus, a fixture differs or a file is broken).
#
# The planner and the rules are scripts/coccinelle/migrate/*.py; see the
# header of dmashim_migrate.py for what is converted and what is refused.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLS=$HERE/coccinelle/migrate
PY=${PYTHON:-python3}

usage() {
	sed -n '4,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

command -v "$PY" >/dev/null || { echo "migrate: $PY not found" >&2; exit 1; }

case ${1:-} in
--test)
	exec "$PY" "$TOOLS/check.py" fixtures "${2:-$HERE/coccinelle/tests/migrate_dma_alloc}"
	;;
--test-build)
	exec "$PY" "$TOOLS/check.py" fixtures-build \
		"${2:-$HERE/coccinelle/tests/migrate_dma_alloc}" "${3:-}"
	;;
--corpus)
	exec "$PY" "$TOOLS/check.py" corpus "${2:-}"
	;;
-n | --dry-run)
	if [ $# -ne 2 ] || [ ! -d "$2" ]; then usage; fi
	exec "$PY" "$TOOLS/dmashim_migrate.py" --dry-run "$2"
	;;
-h | --help | '')
	usage
	;;
*)
	if [ $# -ne 1 ] || [ ! -d "$1" ]; then usage; fi
	exec "$PY" "$TOOLS/dmashim_migrate.py" "$1"
	;;
esac
