#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Which of dmashim's allocation sites the fail_nth sweeps forced.
#
# A site is a call instruction in dmashim.ko to a kernel function that can
# fail for want of memory (ALLOCATORS below), named by its return address
# as a stack trace prints it: FUNCTION+0xOFFSET.  The sites come from
# `objdump -dr` of the module; the forced ones from the "# failsite FRAME
# COUNT" lines the model hook prints (kunit/model/45-model.sh), each the
# first dmashim frame of a slab allocation that failed.  A tail call (a
# jmp to an allocator) leaves no frame of its own: its failures show at the
# return address of the call to its function, and are counted for it.
# Prints every site, forced or not, and the total.
#
# Usage: scripts/fail-sites.py CONSOLE_LOG DMASHIM_KO
import re
import subprocess
import sys

# Kernel functions that allocate and can fail, as dmashim.ko calls them.
ALLOCATORS = {
    "__kmalloc", "kmalloc_trace", "__alloc_percpu", "__xa_alloc_cyclic",
    "__xa_insert", "xa_store", "alloc_anon_inode", "alloc_file_pseudo",
    "alloc_workqueue", "dma_alloc_attrs", "dma_alloc_pages",
    "dma_get_sgtable_attrs", "dma_map_page_attrs", "dma_map_sgtable",
    "sg_alloc_table", "kern_mount", "seq_open", "single_open",
    "devm_add_action", "vmf_insert_pfn", "debugfs_create_dir",
    "debugfs_create_file",
}
# Sites whose failure dmashim ignores by design, or that run only at
# module load, before any test can inject a failure.
NOT_REACHABLE = {
    "debugfs_create_dir": "debugfs files: failure ignored by design",
    "debugfs_create_file": "debugfs files: failure ignored by design",
}
INIT_FUNCTIONS = re.compile(r"_init$|^init_module$")

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\s+(?:[0-9a-f]{2} )+\s*(\S+)")
RELOC = re.compile(r"^\s*([0-9a-f]+): R_X86_64_PLT32\s+(\S+?)(-0x4)?$")
FORCED = re.compile(r"# failsite (\S+?)\+0x([0-9a-f]+)/0x[0-9a-f]+ (\d+)")


def calls(ko):
    """Every call and tail call of the module: two maps.

    calls: (function, return offset) -> callee, for each call;
    tails: (function, end offset) -> callee, for each jmp to an allocator.
    """
    out = subprocess.run(["objdump", "-dr", ko], check=True,
                         capture_output=True, text=True).stdout
    found, tails, func, base, insn = {}, {}, None, 0, ""
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            base, func = int(m.group(1), 16), m.group(2)
            continue
        m = INSN.match(line)
        if m:
            insn = m.group(1)
            continue
        m = RELOC.match(line)
        if not (m and func):
            continue
        # The relocation is the 4-byte operand: it ends the instruction.
        key = (func, int(m.group(1), 16) + 4 - base)
        if insn.startswith("call"):
            found[key] = m.group(2)
        elif insn.startswith("jmp") and m.group(2) in ALLOCATORS:
            tails[key] = m.group(2)
    return found, tails


def forced(log):
    counts = {}
    with open(log, errors="replace") as f:
        for line in f:
            m = FORCED.search(line)
            if m:
                key = (m.group(1), int(m.group(2), 16))
                counts[key] = counts.get(key, 0) + int(m.group(3))
    return counts


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fail-sites.py CONSOLE_LOG DMASHIM_KO")
    found, tails = calls(sys.argv[2])
    all_sites = {k: c for k, c in found.items() if c in ALLOCATORS}
    all_sites.update(tails)
    hits = forced(sys.argv[1])
    # A frame at a call of a function whose one allocator site is a tail
    # call: the failure was that tail call's.
    for frame in [f for f in hits if f not in all_sites and f in found]:
        tail = [k for k in tails if k[0] == found[frame]]
        if len(tail) == 1:
            hits[tail[0]] = hits.get(tail[0], 0) + hits.pop(frame)
    n_forced = n_reach = 0
    for (func, off), callee in sorted(all_sites.items()):
        count = hits.pop((func, off), 0)
        why = NOT_REACHABLE.get(callee) or (
            "module load only" if INIT_FUNCTIONS.search(func) else "")
        n_reach += not why
        n_forced += count > 0 and not why
        state = f"forced {count}x" if count else "NOT FORCED"
        kind = " (tail call)" if (func, off) in tails else ""
        print(f"  {func}+{off:#x} -> {callee}{kind}: {state}"
              + (f" ({why})" if why else ""))
    for (func, off), count in sorted(hits.items()):
        print(f"  {func}+{off:#x}: forced {count}x, a call not in the list")
    print(f"fail-sites: {n_forced} of {n_reach} reachable sites forced"
          f" ({len(all_sites)} in all)")


if __name__ == "__main__":
    main()
