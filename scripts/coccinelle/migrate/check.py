#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check.py - the migration's tests (called by scripts/migrate.sh).

  check.py fixtures DIR   every DIR/NAME.c (with DIR/NAME*.h) migrated in a
                          copy and compared with NAME.expected.c/.h
  check.py corpus [KDIR]  the drivers of corpus.txt and heldout.txt (only
                          those named in $DMASHIM_MIGRATE_ONLY, a comma
                          separated list, when it is set): copied
                          from Debian's linux-source-6.1 into build/, each
                          compiled out of tree against the stock headers
                          before and after scripts/migrate.sh, and judged

Judging one file, mechanically:
  untouched  byte-identical to the original, with the tool's reason;
  complete   changed, no "dmashim: TODO", compiles with no diagnostic the
             original did not have, and no coherent/pool DMA API call or
             DMA_ATTR_* value left;
  assisted   as complete, except that TODO markers are present and every new
             diagnostic and every DMA API call left is inside a statement a
             marker stands in front of;
  broken     anything else (and a driver whose files are only partly
             converted, or converted without creating the context).
Exits 1 when a file is broken or a fixture differs.
"""
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, HERE)
import cparse  # noqa: E402
import dmashim_migrate  # noqa: E402

MIGRATE = os.path.join(ROOT, 'scripts', 'migrate.sh')
API_RE = re.compile(r'\b(%s)\s*\(' % '|'.join(sorted(dmashim_migrate.API)))
DIAG_RE = re.compile(r'^(?P<f>[^:\s]+):(?P<l>\d+):(?P<c>\d+): (?P<k>warning|error): (?P<m>.*)$')


# ---- fixtures ------------------------------------------------------------------

def fixtures(d, kdir=None):
    """With kdir, also compile each fixture before and after (objects only)
    and judge the result as make migrate-check does: no fixture may be
    broken (the migration-build gate).  The fixtures' names are their own
    (NAME.c, NAME*.h), so all originals build in one directory and all
    migrated files in another: two kbuild runs instead of two per fixture."""
    bad = 0
    built = []
    bdir = os.path.join(ROOT, 'build', 'migrate-fixtures')
    if kdir:
        shutil.rmtree(bdir, ignore_errors=True)
        for sub in ('orig', 'new'):
            os.makedirs(os.path.join(bdir, sub))
    srcs = [s for s in sorted(glob.glob(os.path.join(d, '*.c'))) if not s.endswith('.expected.c')]
    for src in srcs:
        name = os.path.basename(src)[:-2]
        with tempfile.TemporaryDirectory() as t:
            files = [src] + [h for h in glob.glob(os.path.join(d, name + '*.h'))
                             if not h.endswith('.expected.h')]
            for f in files:
                shutil.copy(f, t)
            r = subprocess.run([MIGRATE, t], capture_output=True, text=True)
            if r.returncode:
                print('fixture %s: migrate.sh failed: %s' % (name, r.stderr.strip()))
                bad += 1
                continue
            for f in files:
                base = os.path.basename(f)
                exp = os.path.join(d, base[:-2] + '.expected' + base[-2:])
                got = open(os.path.join(t, base)).read()
                if not os.path.exists(exp):
                    print('fixture %s: no %s' % (name, os.path.basename(exp)))
                    bad += 1
                elif open(exp).read() != got:
                    diff = subprocess.run(['diff', '-u', exp, os.path.join(t, base)],
                                          capture_output=True, text=True).stdout
                    print('fixture %s: %s differs from the expected output:\n%s' % (
                        name, base, diff))
                    bad += 1
            for line in r.stdout.splitlines():
                print('fixture %s: %s' % (name, line))
            if kdir:
                for f in files:
                    shutil.copy(f, os.path.join(bdir, 'orig'))
                    shutil.copy(os.path.join(t, os.path.basename(f)), os.path.join(bdir, 'new'))
                built.append((name, files))
    if built:
        _, od = compile_dir(kdir, os.path.join(bdir, 'orig'))
        _, nd = compile_dir(kdir, os.path.join(bdir, 'new'), os.path.join(ROOT, 'include'))
        for name, files in built:
            ok = os.path.exists(os.path.join(bdir, 'orig', name + '.o'))
            for f in files:
                base = os.path.basename(f)
                v, why = judge_file(base, open(f).read(),
                                    open(os.path.join(bdir, 'new', base)).read(), od, nd, '')
                if not ok or v == 'broken':
                    print('fixture %s: %s: %s %s (logs: %s)' % (
                        name, base, 'original does not build' if not ok else 'broken',
                        why, os.path.relpath(bdir, ROOT)))
                    bad += 1
    n = len(srcs)
    print('fixtures: %d passed, %d failed' % (n - bad if bad <= n else 0, bad))
    return 1 if bad else 0


# ---- corpus --------------------------------------------------------------------

def kernel_src():
    c = os.environ.get('DMASHIM_CACHE_DIR', os.path.expanduser('~/.cache/dmashim'))
    cands = sorted(glob.glob(os.path.join(c, 'linux-source-6.1*')))
    cands = [x for x in cands if os.path.isdir(os.path.join(x, 'drivers'))]
    if not cands:
        sys.exit('migrate-check: no linux-source-6.1 tree under %s '
                 '(scripts/build-kernel.sh or check.sh extract it)' % c)
    return cands[-1]


def default_kdir():
    c = sorted(glob.glob('/usr/src/linux-headers-*-amd64'),
               key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r'(\d+)', p)])
    if not c:
        sys.exit('migrate-check: no /usr/src/linux-headers-*-amd64 (apt-get install '
                 'linux-headers-amd64)')
    return c[-1]


def read_list(path):
    out = []
    for line in open(path):
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split('|')]
        if len(parts) != 4:
            sys.exit('%s: bad line: %s' % (path, line))
        out.append({'name': parts[0], 'cat': parts[1], 'paths': parts[2].split(),
                    'why': parts[3]})
    return out


def copy_driver(src, drv, dest):
    """The driver's files, and the headers from its own directories that
    they include (quoted includes, transitively)."""
    os.makedirs(dest)
    todo = []
    srcdirs = set()
    for p in drv['paths']:
        full = os.path.join(src, p)
        if os.path.isdir(full):
            srcdirs.add(full)
            for f in sorted(os.listdir(full)):
                if f.endswith(('.c', '.h')):
                    todo.append(os.path.join(full, f))
        else:
            srcdirs.add(os.path.dirname(full))
            todo.append(full)
    seen = set()
    while todo:
        f = todo.pop()
        b = os.path.basename(f)
        if b in seen:
            continue
        seen.add(b)
        shutil.copy(f, os.path.join(dest, b))
        for inc in re.findall(r'#\s*include\s+"([^"]+)"', open(f, errors='replace').read()):
            for sd in srcdirs | {os.path.dirname(f)}:
                cand = os.path.join(sd, inc)
                if '/' not in inc and os.path.isfile(cand):
                    todo.append(cand)
                    break
    return sorted(x for x in os.listdir(dest) if x.endswith('.c'))


def compile_dir(kdir, d, extra_inc=None):
    objs = [c[:-2] + '.o' for c in sorted(os.listdir(d)) if c.endswith('.c')]
    with open(os.path.join(d, 'Kbuild'), 'w') as fh:
        if extra_inc:
            fh.write('ccflags-y += -I%s\n' % extra_inc)
        for o in objs:
            fh.write('obj-m += %s\n' % o)
    r = subprocess.run(['make', '-k', '-C', kdir, 'M=' + d, '-j2'] + objs,
                       capture_output=True, text=True)
    log = r.stdout + r.stderr
    with open(os.path.join(d, 'build.log'), 'w') as fh:
        fh.write(log)
    diags = []
    for line in log.splitlines():
        m = DIAG_RE.match(line)
        if m:
            f = m.group('f')
            diags.append((os.path.basename(f), int(m.group('l')), m.group('k'),
                          re.sub(r'\s+', ' ', m.group('m'))))
    ok = r.returncode == 0
    return ok, diags


def covered_ranges(text):
    """Line ranges that a "dmashim: TODO" marker stands in front of: the
    statement after it (for if/while/for/switch, up to its condition)."""
    toks, pps, cms = cparse.lex(text)
    out = []
    for cm in cms:
        if 'dmashim: TODO' not in cm.text:
            continue
        nxt = [t for t in toks if t.s > cm.e]
        if not nxt:
            continue
        t0 = nxt[0]
        i = t0.idx
        # the statement: up to its ';' at depth 0, or the ')' closing an
        # if/while/for/switch condition
        depth = 0
        j = i
        if toks[i].text == '}' and j + 1 < len(toks):
            j += 1
            while toks[j].text == 'else':
                j += 1
            i = j
        kw = toks[i].text in ('if', 'while', 'for', 'switch')
        while j < len(toks):
            x = toks[j].text
            if x in '([{':
                depth += 1
            elif x in ')]}':
                depth -= 1
                if kw and depth == 0 and x == ')':
                    break
                if depth < 0:
                    break
            elif x == ';' and depth == 0:
                break
            j += 1
        out.append((cm.line, toks[min(j, len(toks) - 1)].line))
    return out


def in_ranges(line, ranges):
    return any(a <= line <= b for a, b in ranges)


def judge_file(name, orig_text, new_text, odiags, ndiags, reason):
    if orig_text == new_text:
        return 'untouched', reason
    ranges = covered_ranges(new_text)
    old = collections.Counter((k, m) for (f, l, k, m) in odiags if f == name)
    problems = []
    for (f, l, k, m) in ndiags:
        if f != name:
            continue
        if old[(k, m)]:
            old[(k, m)] -= 1
            continue
        if not in_ranges(l, ranges):
            problems.append('%s:%d: %s: %s' % (f, l, k, m))
    toks, _, _ = cparse.lex(new_text)
    for t in toks:
        if t.kind == 'id' and (t.text in dmashim_migrate.API or t.text.startswith('DMA_ATTR_')):
            if not in_ranges(t.line, ranges):
                problems.append('%s:%d: %s left in a migrated file' % (name, t.line, t.text))
    if problems:
        return 'broken', '; '.join(problems[:3])
    if ranges:
        return 'assisted', reason
    return 'complete', reason


def corpus(kdir):
    kdir = kdir or default_kdir()
    src = kernel_src()
    out = os.path.join(ROOT, 'build', 'migrate-check')
    lists = [('corpus', os.path.join(HERE, 'corpus.txt')),
             ('held-out', os.path.join(HERE, 'heldout.txt'))]
    totals = {}
    broken = 0
    for label, path in lists:
        if not os.path.exists(path):
            continue
        tf = collections.Counter()
        td = collections.Counter()
        only = [x for x in os.environ.get('DMASHIM_MIGRATE_ONLY', '').split(',') if x]
        for drv in read_list(path):
            if only and drv['name'] not in only:
                continue
            base = os.path.join(out, label, drv['name'])
            shutil.rmtree(base, ignore_errors=True)
            copy_driver(src, drv, os.path.join(base, 'orig'))
            ok, odiags = compile_dir(kdir, os.path.join(base, 'orig'))
            if not ok:
                print('%s %s: excluded: the original does not compile out of tree' % (
                    label, drv['name']))
                td['excluded'] += 1
                continue
            shutil.copytree(os.path.join(base, 'orig'), os.path.join(base, 'new'))
            for f in glob.glob(os.path.join(base, 'new', '*')):
                if not f.endswith(('.c', '.h')):
                    os.unlink(f)
            r = subprocess.run([MIGRATE, os.path.join(base, 'new')], capture_output=True,
                               text=True)
            if r.returncode:
                print('%s %s: broken: migrate.sh failed: %s' % (label, drv['name'],
                                                               r.stderr.strip()[-300:]))
                td['broken'] += 1
                broken += 1
                continue
            reasons = {}
            for line in r.stdout.splitlines():
                f, _, rest = line.partition(': ')
                reasons[f] = rest.split(': ', 1)[1] if ': ' in rest else ''
            ok2, ndiags = compile_dir(kdir, os.path.join(base, 'new'),
                                      os.path.join(ROOT, 'include'))
            outs = []
            for f in sorted(x for x in os.listdir(os.path.join(base, 'new'))
                            if x.endswith(('.c', '.h'))):
                o = open(os.path.join(base, 'orig', f), errors='surrogateescape').read()
                n = open(os.path.join(base, 'new', f), errors='surrogateescape').read()
                v, why = judge_file(f, o, n, odiags, ndiags, reasons.get(f, ''))
                outs.append((f, v, why))
            changed = [x for x in outs if x[1] != 'untouched']
            if changed:
                alltext = ''.join(open(os.path.join(base, 'new', f), errors='replace').read()
                                  for f, _, _ in outs)
                if 'devm_dmashim_ctx_create' not in alltext:
                    outs = [(f, 'broken', 'no context is created') if v != 'untouched' else
                            (f, v, w) for f, v, w in outs]
                for f, v, w in outs:
                    if v == 'untouched':
                        t = open(os.path.join(base, 'new', f), errors='replace').read()
                        if API_RE.search(t):
                            outs = [(g, 'broken' if g == f else u, 'left half-migrated'
                                     if g == f else x) for g, u, x in outs]
            for f, v, w in outs:
                print('%s %s/%s: %s%s' % (label, drv['name'], f, v, ': ' + w if w else ''))
                tf[v] += 1
            vs = {v for _, v, _ in outs}
            dv = 'broken' if 'broken' in vs else 'assisted' if 'assisted' in vs else \
                'complete' if 'complete' in vs else 'untouched'
            if dv == 'broken':
                broken += 1
            td[dv] += 1
            print('%s %s (%s): %s' % (label, drv['name'], drv['cat'], dv))
        totals[label] = (td, tf)
    for label, (td, tf) in totals.items():
        n = sum(td[k] for k in ('complete', 'assisted', 'untouched', 'broken'))
        pct = (lambda k: 100.0 * td[k] / n if n else 0.0)
        print('migrate-check %s: %d drivers: %d complete (%.0f%%), %d assisted, %d untouched, '
              '%d broken; complete+assisted %.0f%%; %d excluded' % (
                  label, n, td['complete'], pct('complete'), td['assisted'], td['untouched'],
                  td['broken'], pct('complete') + pct('assisted'), td['excluded']))
        print('migrate-check %s files: %d complete, %d assisted, %d untouched, %d broken' % (
            label, tf['complete'], tf['assisted'], tf['untouched'], tf['broken']))
    return 1 if broken else 0


def main(argv):
    if len(argv) >= 2 and argv[0] == 'fixtures':
        return fixtures(argv[1])
    if len(argv) >= 2 and argv[0] == 'fixtures-build':
        return fixtures(argv[1], argv[2] if len(argv) > 2 and argv[2] else default_kdir())
    if argv and argv[0] == 'corpus':
        return corpus(argv[1] if len(argv) > 1 and argv[1] else None)
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
