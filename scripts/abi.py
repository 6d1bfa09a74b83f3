#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dmashim's ABI, as data, and the policy that checks it (make abi-check).

Usage:
  scripts/abi.py dump GENKSYMS_OUTPUT LAYOUT_RS      print the ABI
  scripts/abi.py check BASELINE CURRENT              findings, exit 1 on any
  scripts/abi.py selftest BASELINE                   prove the check bites

The ABI is what a driver built against include/dmashim.h depends on:
  version N                     DMASHIM_ABI_VERSION
  symbol NAME CRC               every function, with the genksyms CRC of its
                                declaration in the public header alone (the
                                kernel's types it names are opaque there)
  type NAME SIZE ALIGN          every struct and typedef of the header
  field TYPE NAME OFFSET        every struct field
  value NAME VALUE              every enumerator
(the layout comes from bindings/dmashim_layout.rs, which the layout probe
measures from gcc's view of the header and scripts/rust.sh check keeps
current).

Policy: without a version bump, the ABI may only grow: a new function, a
new enumerator, a new type, and a field appended to a size-first struct
(one whose first field is "sz" at offset 0, which callers fill with
sizeof): its size may grow, its old fields keep their offsets.  Anything
else (a removed or changed function, a moved, removed or inserted field, a
changed size or alignment, a changed enumerator) is a finding.  A version
bump allows all of it, and the baseline must be regenerated with it
(DMASHIM_ABI_UPDATE=1 scripts/check.sh abi).
"""
import re
import sys

LAYOUT = re.compile(r"\(\s*([A-Za-z0-9_]+)\s*,\s*([A-Za-z0-9_-]+)\s*(?:,\s*(-?\d+)\s*)?\)")


def dump(genksyms_out, layout_rs):
    lines = []
    with open(genksyms_out) as f:
        for line in f:
            m = re.match(r"#SYMVER (\S+) (0x[0-9a-f]+)", line)
            if m:
                lines.append(f"symbol {m[1]} {m[2]}")
    section = None
    with open(layout_rs) as f:
        for line in f:
            word = line.strip().rstrip("{").strip()
            if word in ("types", "fields", "values", "errnos"):
                section = word
                continue
            m = LAYOUT.search(line)
            if not m or section is None:
                continue
            a, b, c = m[1], m[2], m[3]
            if section == "types":
                lines.append(f"type {a} {b} {c}")
            elif section == "fields":
                lines.append(f"field {a} {b} {c}")
            elif section == "values":
                if a == "dmashim_abi_DMASHIM_ABI_VERSION":
                    lines.append(f"version {b}")
                else:
                    lines.append(f"value {a} {b}")
    return sorted(set(lines))


def parse(lines):
    abi = {"version": None, "symbol": {}, "type": {}, "field": {}, "value": {}}
    for line in lines:
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        kind = parts[0]
        if kind == "version":
            abi["version"] = int(parts[1])
        elif kind == "symbol":
            abi["symbol"][parts[1]] = parts[2]
        elif kind == "type":
            abi["type"][parts[1]] = (int(parts[2]), int(parts[3]))
        elif kind == "field":
            abi["field"][(parts[1], parts[2])] = int(parts[3])
        elif kind == "value":
            abi["value"][parts[1]] = int(parts[2])
    return abi


def size_first(abi, name):
    return abi["field"].get((name, "sz")) == 0


def check(base, cur):
    """The findings of CURRENT against BASELINE, as sentences."""
    out = []
    if base["version"] != cur["version"]:
        return [f"DMASHIM_ABI_VERSION is {cur['version']}, the baseline's "
                f"{base['version']}: regenerate the baseline with the bump "
                "(DMASHIM_ABI_UPDATE=1 scripts/check.sh abi)"]
    for name, crc in base["symbol"].items():
        if name not in cur["symbol"]:
            out.append(f"removed: {name}()")
        elif cur["symbol"][name] != crc:
            out.append(f"changed: {name}() (its declaration or a type it "
                       f"uses; CRC {crc} -> {cur['symbol'][name]})")
    for name, (size, align) in base["type"].items():
        if name not in cur["type"]:
            out.append(f"removed: type {name}")
            continue
        nsize, nalign = cur["type"][name]
        if nalign != align:
            out.append(f"changed: alignment of {name} {align} -> {nalign}")
        if nsize < size or (nsize > size and not size_first(base, name)):
            out.append(f"changed: size of {name} {size} -> {nsize}"
                       + ("" if size_first(base, name) else
                          " (not a size-first struct: it cannot grow)"))
    for (t, f), off in base["field"].items():
        if (t, f) not in cur["field"]:
            out.append(f"removed: field {t}.{f}")
        elif cur["field"][(t, f)] != off:
            out.append(f"moved: field {t}.{f} {off} -> {cur['field'][(t, f)]}")
    for (t, f), off in cur["field"].items():
        if (t, f) in base["field"] or t not in base["type"]:
            continue
        if off < base["type"][t][0]:
            out.append(f"inserted: field {t}.{f} at {off}, inside the old "
                       f"{base['type'][t][0]} bytes: append it instead")
    for name, value in base["value"].items():
        if name not in cur["value"]:
            out.append(f"removed: enumerator {name}")
        elif cur["value"][name] != value:
            out.append(f"changed: enumerator {name} {value} -> {cur['value'][name]}")
    return out


def selftest(baseline_lines):
    """Mutations of the baseline that must, and must not, be findings."""
    base = parse(baseline_lines)
    sym = sorted(base["symbol"])[0]
    sized = next(t for t in sorted(base["type"]) if size_first(base, t))
    fixed = next(t for t in sorted(base["type"]) if not size_first(base, t))
    field = next(k for k in sorted(base["field"]) if k[1] != "sz")
    value = sorted(base["value"])[0]
    size, align = base["type"][sized]

    def mutate(edit):
        cur = parse(baseline_lines)
        edit(cur)
        return check(base, cur)

    def grow(name, cur):
        cur["type"][name] = (cur["type"][name][0] + 8, cur["type"][name][1])

    cases = [
        ("a changed CRC", "changed: " + sym,
         lambda c: c["symbol"].__setitem__(sym, "0x00000000")),
        ("a removed function", "removed: " + sym,
         lambda c: c["symbol"].pop(sym)),
        ("a moved field", "moved: field " + ".".join(field),
         lambda c: c["field"].__setitem__(field, c["field"][field] + 4)),
        ("a grown fixed-size type", "changed: size of " + fixed,
         lambda c: grow(fixed, c)),
        ("an inserted field", "inserted: field " + sized + ".new",
         lambda c: c["field"].__setitem__((sized, "new"), 4)),
        ("a changed enumerator", "changed: enumerator " + value,
         lambda c: c["value"].__setitem__(value, c["value"][value] + 100)),
        ("a version bump", "DMASHIM_ABI_VERSION is",
         lambda c: c.__setitem__("version", c["version"] + 1)),
        ("a new function", None,
         lambda c: c["symbol"].__setitem__("dmashim_new_call", "0x1")),
        ("a field appended to a size-first struct", None,
         lambda c: (grow(sized, c),
                    c["field"].__setitem__((sized, "appended"), size))),
        ("a new enumerator", None,
         lambda c: c["value"].__setitem__("dmashim_new_VALUE", 1)),
    ]
    bad = 0
    for what, want, edit in cases:
        got = mutate(edit)
        ok = (not got) if want is None else any(want in g for g in got)
        if not ok:
            bad += 1
            print(f"abi selftest: {what}: wanted "
                  f"{'no finding' if want is None else repr(want)}, got {got}")
    return bad


def main(argv):
    if len(argv) == 4 and argv[1] == "dump":
        print("\n".join(dump(argv[2], argv[3])))
        return 0
    if len(argv) == 4 and argv[1] == "check":
        with open(argv[2]) as b, open(argv[3]) as c:
            findings = check(parse(b), parse(c))
        for f in findings:
            print(f)
        return 1 if findings else 0
    if len(argv) == 3 and argv[1] == "selftest":
        with open(argv[2]) as b:
            return 1 if selftest(b.read().splitlines()) else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
