#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's report: the figures of kunit/bench/dmashim_bench.ko.

Usage: scripts/bench-report.py OUTDIR KERNEL MODE=CONSOLE_LOG...

Reads the "dmashim-bench: fig=..." lines of each guest console log (MODE
names the QEMU mode it ran under: "tcg" or "icount"), and writes

  OUTDIR/bench.json  one object per figure and mode: name, figure, x,
                     raw_ns, shim_ns, limit_ns, ratio = shim_ns / raw_ns,
                     goal (the largest acceptable ratio, or null), met,
                     rounds, shim_dev_ns, kernel, qemu_mode
  OUTDIR/bench.png   ratio against live handles and against size (gnuplot)

and prints the table.  Exits 1 if a log has no figures or a failed one; a
missed goal is reported, never an error: the numbers are the result.
"""
import json
import os
import re
import shutil
import subprocess
import sys

LINE = re.compile(
    r"dmashim-bench: fig=(?P<figure>\S+) x=(?P<x>\d+) raw_ps=(?P<raw>\d+) "
    r"shim_ps=(?P<shim>\d+) limit_ps=(?P<limit>\d+) goal=(?P<goal>\S+) "
    r"rounds=(?P<rounds>\d+) shim_dev_ps=(?P<dev>\d+)")
FAILED = re.compile(r"dmashim-bench: .* failed")

# Figures plotted against live handles, the rest against size.
BY_LIVE = ("pool_alloc_free", "load32_live")


def human(x, figure):
    if figure in BY_LIVE or figure in ("load32", "scoped_access64", "load32_threads",
                                              "raw_load32_threads"):
        return f"{x}"
    for unit, size in (("M", 1 << 20), ("K", 1 << 10)):
        if x >= size and x % size == 0:
            return f"{x // size}{unit}"
    return f"{x}B"


def parse(path, kernel, mode):
    figures, failed = [], False
    with open(path, errors="replace") as log:
        for line in log:
            if FAILED.search(line):
                failed = True
                print(f"bench: {mode}: {line.strip()}", file=sys.stderr)
            m = LINE.search(line)
            if not m:
                continue
            raw, shim = int(m["raw"]), int(m["shim"])
            goal = None if m["goal"] == "none" else float(m["goal"])
            ratio = shim / raw if raw else float("inf")
            figures.append({
                "name": f"{m['figure']}/{human(int(m['x']), m['figure'])}",
                "figure": m["figure"], "x": int(m["x"]),
                "raw_ns": raw / 1000, "shim_ns": shim / 1000,
                "limit_ns": int(m["limit"]) / 1000,
                "ratio": round(ratio, 3), "goal": goal,
                "met": None if goal is None else ratio <= goal,
                "rounds": int(m["rounds"]),
                "shim_dev_ns": int(m["dev"]) / 1000,
                "kernel": kernel, "qemu_mode": mode,
            })
    return figures, failed


def table(figures):
    print(f"{'figure':<28} {'mode':<7} {'raw ns':>10} {'shim ns':>10} "
          f"{'limit ns':>10} {'ratio':>7} {'goal':>6}  met")
    for f in figures:
        goal = "-" if f["goal"] is None else f"{f['goal']:.2f}"
        met = "-" if f["met"] is None else ("yes" if f["met"] else "NO")
        print(f"{f['name']:<28} {f['qemu_mode']:<7} {f['raw_ns']:>10.1f} "
              f"{f['shim_ns']:>10.1f} {f['limit_ns']:>10.1f} "
              f"{f['ratio']:>7.3f} {goal:>6}  {met}")


def plot(figures, outdir):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("bench: no gnuplot (scripts/setup.sh installs gnuplot-nox): no plot")
        return
    series = {}
    for f in figures:
        series.setdefault((f["figure"], f["qemu_mode"]), []).append(f)
    plots = {"live": [], "size": []}
    for (figure, mode), points in sorted(series.items()):
        if len(points) < 2:
            continue
        data = os.path.join(outdir, f"{figure}-{mode}.dat")
        with open(data, "w") as out:
            for p in sorted(points, key=lambda p: p["x"]):
                out.write(f"{max(p['x'], 1)} {p['ratio']}\n")
        kind = "live" if figure in BY_LIVE else "size"
        plots[kind].append(f"'{data}' using 1:2 with linespoints "
                           f"title '{figure} ({mode})'")
    script = f"""
set terminal pngcairo size 1200,500 noenhanced
set output '{os.path.join(outdir, "bench.png")}'
set multiplot layout 1,2
set logscale x
set ylabel 'shim / raw'
set key top left
set title 'cost against live handles'
set xlabel 'live handles (0 plotted at 1)'
plot {", ".join(plots["live"]) or "1 notitle"}
set title 'cost against size'
set xlabel 'bytes'
plot {", ".join(plots["size"]) or "1 notitle"}
unset multiplot
"""
    subprocess.run([gnuplot], input=script, text=True, check=True)
    print(f"bench: plot: {os.path.join(outdir, 'bench.png')}")


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    outdir, kernel = argv[1], argv[2]
    os.makedirs(outdir, exist_ok=True)
    figures, bad = [], False
    for arg in argv[3:]:
        mode, _, path = arg.partition("=")
        got, failed = parse(path, kernel, mode)
        if not got:
            print(f"bench: {mode}: no figures in {path}", file=sys.stderr)
        bad |= failed or not got
        figures += got
    with open(os.path.join(outdir, "bench.json"), "w") as out:
        json.dump(figures, out, indent=1)
    table(figures)
    missed = [f"{f['name']} ({f['qemu_mode']}: {f['ratio']:.2f} > {f['goal']:.2f})"
              for f in figures if f["met"] is False]
    print(f"bench: {len(figures)} figures, {len(missed)} goals missed"
          + (": " + ", ".join(missed) if missed else ""))
    plot(figures, outdir)
    print(f"bench: json: {os.path.join(outdir, 'bench.json')}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
