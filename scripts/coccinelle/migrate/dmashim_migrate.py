#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dmashim_migrate.py - migrate one driver from the coherent DMA API and
dma_pool to dmashim, whole or not at all.

Usage: dmashim_migrate.py [--dry-run] DIR     (scripts/migrate.sh calls it)

The driver is every .c and .h file in DIR.  Two passes:

 1. Plan.  Every coherent and pool allocation of the driver
    (dma_alloc_coherent/attrs/wc, dmam_alloc_coherent, dma_pool_create,
    dmam_pool_create, dma_pool_alloc/zalloc) and every place its result
    flows to (members, locals, parameters and return values of the
    driver's functions, across files and headers) form one buffer class.
    Every use of every member of a class is found (typed, and
    cross-checked against every textual "->name"/".name" in the driver,
    macros and initializers included) and classified: converted exactly,
    marked for a person, or impossible.  The context lives in one "owner"
    structure, reached from every site by a path of members; every device
    passed to the DMA API must provably be the device whose mask is set.
 2. Rewrite, only if the whole plan holds: otherwise nothing changes and
    the reason is printed.

Rewrites (each keeps the original's behaviour):
 - allocations become local helpers with the DMA API's shape: a handle
   instead of the pointer, 0 on failure (so every NULL check still works),
   the DMA address through a u64 temporary, the handle freed if the
   address cannot be had; GFP_KERNEL/ATOMIC/NOWAIT, __GFP_NOWARN and every
   DMA_ATTR_* map to their dmashim flag, anything else is refused;
 - frees become dmashim_free() (a no-op on 0, like the DMA API on NULL),
   pools dmashim_pool_create/alloc/destroy, dma_mmap_* dmashim_mmap(),
   dma_get_sgtable()+sg_free_table() dmashim_get_sgtable()/put_sgtable();
 - members, locals, parameters and return types holding a converted
   pointer become dmashim_handle_t (pools dmashim_pool_t), NULL becomes 0,
   sizeof(*p) sizeof(the pointee type);
 - CPU accesses: memset/memcpy to and from a buffer become
   dmashim_fill/write/read(); loads and stores of scalar fields (p->f,
   p[i].f, p[i], *p, nested members and arrays) become sized loads and
   stores at offsetof()-computed offsets; a failure there is a driver bug
   and WARNs once;
 - the owner structure gets "struct dmashim_ctx *dmashim", created with
   devm_dmashim_ctx_create() right after the DMA mask is set (or at probe),
   on the error branch of the check just before it;
 - <dmashim.h> is included in every file using a dmashim type, and
   MODULE_IMPORT_NS(DMASHIM) added after MODULE_LICENSE().

A use that cannot be rewritten exactly (the pointer passed to a function
outside the driver, a whole structure copied, an address taken) is left as
it is under a "dmashim: TODO" comment saying what a person must do; it no
longer compiles or is otherwise plainly flagged.  The driver is refused
instead when an allocation or free cannot be converted exactly, or a use
cannot even be found for certain.

Measured by make migrate-check (27 corpus drivers of Debian's 6.1 source,
12 held out and never tuned on; originals and results compiled out of tree
against the stock headers, every file judged mechanically):
  corpus:   2 complete (7%), 9 assisted, 16 untouched, 0 broken:
            complete + assisted 41% (goals: 80%, complete 30%: NOT met);
  held out: 0 complete, 6 assisted, 6 untouched, 0 broken (50%).
Three drivers that earlier versions called assisted are untouched now on
purpose: their context creation could fail into a branch that leaked what
the function had acquired (via-rhine, hpilo), or a memset() of the owner
wiped the context pointer (hptiop).  A review that tried to break the
rules found seven more such inputs (PTR_ERR() of the checked value, an
error code set before the reused goto, a local set in one switch case,
a reassigned device, a whole-structure assignment, a re-pointed owner,
another PCI function's device); each is a fixture now (review_*.c).
Most common reasons, most common first (both sets, 22 untouched):
  untouched: (1) no exact place for the context: no error branch that
  unwinds exactly what is held at that point, no driver structure, or no
  path of members to it (6); (2) the pointer lives in a kernel structure
  (fb_info, drm_gem), a macro, or a whole array (5); (3) a free or pool
  call on memory that is not converted: interior pointers, descriptors on
  kernel lists (5); (4) the device passed to the DMA API is not provably
  the one whose mask is set (3); (5) the owner is overwritten whole by a
  memset() (2).
  assisted (15): (1) interior pointers into a buffer kept in members,
  locals or passed on (8); (2) whole structures copied to or from DMA
  memory (5); (3) byte arithmetic on void pointers into a carve-out (1);
  (4) the pointer stored in a kernel structure (fb_info->screen_base) (1).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cparse  # noqa: E402
from cparse import CFile, CType, Node, ParseError  # noqa: E402

COH_ALLOC = {   # name: (dev, size, dma, gfp, attrs index or constant flags)
    'dma_alloc_coherent': (0, 1, 2, 3, None),
    'dmam_alloc_coherent': (0, 1, 2, 3, None),
    'dma_alloc_attrs': (0, 1, 2, 3, 4),
    'dmam_alloc_attrs': (0, 1, 2, 3, 4),
    'dma_alloc_wc': (0, 1, 2, 3, 'DMA_ATTR_WRITE_COMBINE'),
    'dma_alloc_writecombine': (0, 1, 2, 3, 'DMA_ATTR_WRITE_COMBINE'),
}
COH_FREE = {    # name: (dev, cpu)
    'dma_free_coherent': (0, 2), 'dmam_free_coherent': (0, 2),
    'dma_free_attrs': (0, 2), 'dma_free_wc': (0, 2), 'dma_free_writecombine': (0, 2),
}
MMAP = {'dma_mmap_coherent': (0, 1, 2), 'dma_mmap_attrs': (0, 1, 2), 'dma_mmap_wc': (0, 1, 2),
        'dma_mmap_writecombine': (0, 1, 2)}
SGT = {'dma_get_sgtable': (0, 1, 2), 'dma_get_sgtable_attrs': (0, 1, 2)}
POOL_CREATE = {'dma_pool_create': 1, 'dmam_pool_create': 1}
POOL_ALLOC = {'dma_pool_alloc', 'dma_pool_zalloc'}
API = set(COH_ALLOC) | set(COH_FREE) | set(MMAP) | set(SGT) | set(POOL_CREATE) | POOL_ALLOC | {
    'dma_pool_free', 'dma_pool_destroy', 'dmam_pool_destroy'}
MASK_CALLS = {'dma_set_mask_and_coherent', 'dma_set_coherent_mask', 'dma_set_mask',
              'dma_coerce_mask_and_coherent', 'pci_set_dma_mask',
              'pci_set_consistent_dma_mask'}
ATTRS = {
    'DMA_ATTR_WRITE_COMBINE': 'DMASHIM_ALLOC_WRITE_COMBINE',
    'DMA_ATTR_NO_KERNEL_MAPPING': 'DMASHIM_ALLOC_NO_KERNEL_MAPPING',
    'DMA_ATTR_WEAK_ORDERING': 'DMASHIM_ALLOC_WEAK_ORDERING',
    'DMA_ATTR_FORCE_CONTIGUOUS': 'DMASHIM_ALLOC_FORCE_CONTIGUOUS',
    'DMA_ATTR_ALLOC_SINGLE_PAGES': 'DMASHIM_ALLOC_SINGLE_PAGES',
    'DMA_ATTR_NO_WARN': 'DMASHIM_ALLOC_NO_WARN',
    'DMA_ATTR_PRIVILEGED': 'DMASHIM_ALLOC_PRIVILEGED',
}
GFP_NOWAIT = {'GFP_ATOMIC', 'GFP_NOWAIT'}
GFP_IGNORED = {'__GFP_ZERO', 'GFP_DMA', 'GFP_DMA32', '__GFP_DMA', '__GFP_DMA32'}
SCALAR_SIZES = {
    'u8': 1, 's8': 1, '__u8': 1, '__s8': 1, 'char': 1, 'unsigned char': 1, 'uint8_t': 1,
    'int8_t': 1, 'bool': 1, 'u16': 2, 's16': 2, '__u16': 2, '__s16': 2, '__le16': 2,
    '__be16': 2, 'short': 2, 'unsigned short': 2, 'short int': 2, 'uint16_t': 2,
    'int16_t': 2, '__sum16': 2, 'u32': 4, 's32': 4, '__u32': 4, '__s32': 4, '__le32': 4,
    '__be32': 4, 'int': 4, 'unsigned int': 4, 'uint32_t': 4, 'int32_t': 4, '__wsum': 4,
    'unsigned': 4, 'u64': 8, 's64': 8, '__u64': 8, '__s64': 8, '__le64': 8, '__be64': 8,
    'long': 8, 'unsigned long': 8, 'long long': 8, 'unsigned long long': 8,
    'long int': 8, 'unsigned long int': 8, 'uint64_t': 8, 'int64_t': 8,
    'dma_addr_t': 8, 'size_t': 8, 'phys_addr_t': 8,
}
UNSIGNED = {1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64'}
PDEV_TYPES = {'struct pci_dev', 'struct platform_device', 'struct amba_device',
              'struct vio_dev', 'struct mei_cl_device', 'struct hv_device',
              'struct pcmcia_device', 'struct sdio_func', 'struct auxiliary_device'}
PDEV_MEMBER = {'struct hv_device': 'device', 'struct vio_dev': 'dev'}
TODO = 'dmashim: TODO: '
# Members of the dmaengine core's structures that every dmaengine driver
# walks to reach its own (to_foo(chan->device)): struct, member -> (type,
# pointer level).
KERNEL_MEMBERS = {
    'struct dma_chan': {'device': ('struct dma_device', 1)},
    'struct dma_async_tx_descriptor': {'chan': ('struct dma_chan', 1)},
    'struct virt_dma_chan': {'chan': ('struct dma_chan', 0)},
    'struct virt_dma_desc': {'tx': ('struct dma_async_tx_descriptor', 0)},
}


class Refuse(Exception):
    """The driver cannot be migrated whole: nothing is changed."""


def side_effects(text):
    """Whether an offset or handle text may do something when evaluated twice."""
    if re.search(r'\+\+|--|[^=!<>]=[^=]', text):
        return True
    return any(m.group(1) not in ('sizeof', 'offsetof') for m in
               re.finditer(r'\b([A-Za-z_]\w*)\s*\(', text))


def strip(n):
    while n is not None and n.kind == 'paren':
        n = n.kids[0]
    return n


def up(n):
    """The parent of n, skipping parentheses."""
    p = n.parent
    while p is not None and p.kind == 'paren':
        p = p.parent
    return p


class Storage:
    """A place that holds a converted pointer: a member, a variable, a
    parameter or a function's return value."""

    def __init__(self, key, ctype, decls, what):
        self.key, self.ctype, self.decls, self.what = key, ctype, decls, what
        self.cls = None

    def __repr__(self):
        return self.what


class Driver:
    def __init__(self, d):
        self.dir = d
        self.paths = sorted(os.path.join(d, f) for f in os.listdir(d)
                            if f.endswith(('.c', '.h')) and os.path.isfile(os.path.join(d, f)))
        texts = {p: open(p, encoding='utf-8', errors='surrogateescape').read()
                 for p in self.paths}
        typedefs = set()
        lexed = {}
        for p in self.paths:
            try:
                toks, _, _ = cparse.lex(texts[p])
            except ParseError:
                toks = []
            lexed[p] = toks
            typedefs |= cparse.scan_typedefs(toks)
        self.files = {}
        self.lex_errors = []
        for p in self.paths:
            try:
                cf = CFile(p, texts[p], typedefs)
            except ParseError as e:
                self.lex_errors.append((p, str(e)))
                continue
            cparse.parse_file(cf)
            self.files[p] = cf
        self.structs = {}
        self.typedef_structs = {}
        self.funcs = {}          # name -> [Func]
        self.protos = {}         # name -> [(CFile, Decl)]
        self.globals = {}
        for cf in self.files.values():
            for st in cf.structs:
                self.structs.setdefault(st.name, []).append(st)
            self.typedef_structs.update(cf.typedef_structs)
            for f in cf.funcs:
                f.cf = cf
                self.funcs.setdefault(f.name, []).append(f)
            for name, d in cf.protos:
                self.protos.setdefault(name, []).append((cf, d))
            for name, d in cf.globals.items():
                d.cf = cf
                self.globals.setdefault(name, d)
        self.index()

    # ---- indexing ---------------------------------------------------------
    def index(self):
        self.members_by_name = {}
        self.ids_by_name = {}
        self.calls_by_name = {}
        self.allnodes = []
        for cf in self.files.values():
            for f in cf.funcs:
                if f.body is None:
                    continue
                for st in f.body.walk():
                    for e in list(st.exprs) + [d.init for d in st.decls if d.init is not None]:
                        if e is None:
                            continue
                        for n in e.walk():
                            n.stmt = st
                            self.allnodes.append((f, n))
                            if n.kind == 'member':
                                self.members_by_name.setdefault(n.val[1], []).append((f, n))
                            elif n.kind == 'id':
                                self.ids_by_name.setdefault(n.val, []).append((f, n))
                            elif n.kind == 'call' and n.kids[0].kind == 'id':
                                self.calls_by_name.setdefault(n.kids[0].val, []).append((f, n))

    # ---- types ------------------------------------------------------------
    def struct(self, base):
        base = self.typedef_structs.get(base, base)
        sts = self.structs.get(base)
        if not sts:
            return None
        return sts[0]

    def member(self, base, name):
        st = self.struct(base)
        if st is None:
            return None
        return st.members.get(name)

    def resolve(self, ct):
        if ct is None:
            return None
        b = self.typedef_structs.get(ct.base)
        if b:
            return CType(b, ct.ptr, ct.arr, ct.fn, ct.quals)
        return ct

    def var_decl(self, f, name):
        if f is not None:
            for p in f.params:
                if p.name == name:
                    return p
            d = f.locals.get(name)
            if d is not None:
                return d
        return self.globals.get(name)

    def typeof(self, n, f):
        n = strip(n)
        if n is None:
            return None
        k = n.kind
        if k == 'id':
            d = self.var_decl(f, n.val)
            return self.resolve(d.ctype) if d is not None else None
        if k == 'member':
            bt = self.typeof(n.kids[0], f)
            if bt is None:
                return None
            if n.val[0] == '->':
                if bt.fn or not bt.is_ptr():
                    return None
                bt = bt.deref()
            if bt is None or bt.ptr or bt.arr:
                return None
            m = self.member(bt.base, n.val[1])
            return self.resolve(m.ctype) if m is not None else None
        if k == 'index':
            bt = self.typeof(n.kids[0], f)
            return bt.deref() if bt is not None and bt.is_ptr() else None
        if k == 'unary':
            t = self.typeof(n.kids[0], f)
            if t is None:
                return None
            if n.val == '*':
                return t.deref() if t.is_ptr() else None
            if n.val == '&':
                return t.addr()
            return t
        if k == 'cast':
            return self.resolve(n.val)
        if k == 'call':
            fn = n.kids[0]
            if fn.kind == 'id':
                if fn.val == 'container_of' and len(n.kids) == 4 and n.kids[2].kind == 'typearg':
                    return self.resolve(n.kids[2].val).addr()
                fs = self.funcs.get(fn.val)
                if fs and fs[0].ret is not None:
                    return self.resolve(fs[0].ret)
            return None
        if k == 'cond':
            return self.typeof(n.kids[1], f)
        if k == 'assign':
            return self.typeof(n.kids[0], f)
        if k == 'bin' and n.val in ('+', '-'):
            a = self.typeof(n.kids[0], f)
            if a is not None and a.is_ptr():
                return CType(a.base, a.ptr + len(a.arr), (), False, a.quals)
            b = self.typeof(n.kids[1], f)
            if n.val == '+' and b is not None and b.is_ptr():
                return CType(b.base, b.ptr + len(b.arr), (), False, b.quals)
        return None


def text_of(cf, n):
    return cf.text[cf.toks[n.ts].s:cf.toks[n.te].e]


def one_line(s):
    return re.sub(r'\s+', ' ', s).strip()


class Plan:
    """Analysis of one driver; raises Refuse, or leaves the edits."""

    def __init__(self, drv):
        self.d = drv
        self.storages = {}
        self.edits = {}          # path -> list of (s, e, text)
        self.todos = {}          # path -> list of (line, msg)
        self.uses_dmashim = set()
        self.helpers = {}        # path -> set of helper names
        self.sites = []          # (f, node, kind)
        self.ctx_member = 'dmashim'

    # ---- edits ------------------------------------------------------------
    def edit(self, cf, s, e, text):
        self.edits.setdefault(cf.path, []).append((s, e, text))
        self.uses_dmashim.add(cf.path)

    def replace_node(self, cf, n, text):
        a, b = cf.toks[n.ts].s, cf.toks[n.te].e
        eds = self.edits.get(cf.path, [])
        eds[:] = [e for e in eds if not (a <= e[0] and e[1] <= b and
                                         not (e[0] == e[1] and e[0] in (a, b)))]
        self.edit(cf, a, b, text)

    def todo(self, f, st, msg):
        cf = f.cf
        # the outermost statement that starts on the same line
        line = cf.toks[st.ts].line
        self.todos.setdefault(cf.path, []).append((cf.toks[st.ts].s, msg))
        self.uses_dmashim.add(cf.path)
        self.n_todo = getattr(self, 'n_todo', 0) + 1
        return line

    # ---- storages ---------------------------------------------------------
    def storage_of(self, f, n):
        """The storage an expression names, or None."""
        n = strip(n)
        d = self.d
        if n is None:
            return None
        if n.kind == 'member':
            bt = d.typeof(n.kids[0], f)
            if bt is None:
                return 'unknown'
            if n.val[0] == '->':
                if not bt.is_ptr():
                    return 'unknown'
                bt = bt.deref()
            st = d.struct(bt.base) if bt is not None and not bt.ptr and not bt.arr else None
            if st is None:
                return None
            m = st.members.get(n.val[1])
            if m is None or m.ctype.arr or m.ctype.fn:
                return None
            return self.get_storage(('m', st.name, n.val[1]), m.ctype, [m],
                                    '%s.%s' % (st.name, n.val[1]))
        if n.kind == 'index':
            b = strip(n.kids[0])
            if b.kind == 'member':
                bt = d.typeof(b.kids[0], f)
                if bt is None:
                    return 'unknown'
                if b.val[0] == '->':
                    bt = bt.deref() if bt.is_ptr() else None
                st = d.struct(bt.base) if bt is not None and not bt.ptr and not bt.arr else None
                if st is None:
                    return None
                m = st.members.get(b.val[1])
                if m is None or not m.ctype.arr or len(m.ctype.arr) != 1 or m.ctype.fn:
                    return None
                return self.get_storage(('m', st.name, b.val[1]), m.ctype, [m],
                                        '%s.%s[]' % (st.name, b.val[1]))
            return None
        if n.kind == 'id':
            dec = d.var_decl(f, n.val)
            if dec is None or dec.ctype.fn:
                return None
            if f is not None and (dec in f.params):
                return self.get_storage(('p', f.cf.path, f.name, n.val), dec.ctype, [dec],
                                        'parameter %s of %s()' % (n.val, f.name))
            if f is not None and f.locals.get(n.val) is dec:
                if dec.ctype.arr:
                    return None
                if n.val in f.dup_locals or any(p.name == n.val for p in f.params):
                    return 'unknown'
                return self.get_storage(('v', f.cf.path, f.name, n.val), dec.ctype, [dec],
                                        'local %s in %s()' % (n.val, f.name))
            if dec.ctype.arr:
                return None
            return self.get_storage(('g', n.val), dec.ctype, [dec], 'global %s' % n.val)
        if n.kind == 'call' and n.kids[0].kind == 'id':
            fs = self.d.funcs.get(n.kids[0].val)
            if fs and len(fs) == 1 and fs[0].ret is not None and fs[0].ret.ptr:
                return self.get_storage(('r', fs[0].name), fs[0].ret, [],
                                        'return value of %s()' % fs[0].name)
        return None

    def get_storage(self, key, ctype, decls, what):
        s = self.storages.get(key)
        if s is None:
            s = Storage(key, ctype, decls, what)
            self.storages[key] = s
        return s

    # ---- classes ----------------------------------------------------------
    def union(self, a, b):
        ca, cb = a.cls, b.cls
        if ca is None and cb is None:
            c = {'members': [a, b], 'kind': None}
            a.cls = b.cls = c
            self.classes.append(c)
            self.pending.extend([a, b])
        elif ca is None:
            cb['members'].append(a)
            a.cls = cb
            self.pending.append(a)
        elif cb is None:
            ca['members'].append(b)
            b.cls = ca
            self.pending.append(b)
        elif ca is not cb:
            for s in cb['members']:
                s.cls = ca
            ca['members'].extend(cb['members'])
            if cb['kind'] and ca['kind'] and cb['kind'] != ca['kind']:
                raise Refuse('a pool and a buffer meet in %s' % a.what)
            ca['kind'] = ca['kind'] or cb['kind']
            self.classes.remove(cb)

    def add(self, s, kind):
        if s.cls is None:
            c = {'members': [s], 'kind': kind}
            s.cls = c
            self.classes.append(c)
            self.pending.append(s)
        elif s.cls['kind'] is None:
            s.cls['kind'] = kind
        elif s.cls['kind'] != kind:
            raise Refuse('%s holds both a pool and a buffer' % s.what)

    def where(self, f, n):
        cf = f.cf
        return '%s:%d' % (os.path.basename(cf.path), cf.toks[n.ts].line)

    def occurrences(self, s):
        d = self.d
        k = s.key
        out = []
        if k[0] == 'm':
            name = k[2]
            for f, n in d.members_by_name.get(name, []):
                o = n
                pu = up(n)
                arr = bool(s.ctype.arr)
                if arr:
                    if pu is None or pu.kind != 'index' or strip(pu.kids[0]) is not n:
                        st = self.storage_of(f, n) if False else None
                        bt = d.typeof(n.kids[0], f)
                        if bt is None:
                            raise Refuse('cannot tell the type of %s at %s' % (
                                one_line(text_of(f.cf, n)), self.where(f, n)))
                        if n.val[0] == '->':
                            bt = bt.deref() if bt.is_ptr() else None
                        if bt is not None and d.struct(bt.base) is not None and \
                                d.struct(bt.base).name == k[1]:
                            raise Refuse('the array %s is used whole at %s' % (
                                s.what, self.where(f, n)))
                        continue
                    o = pu
                st = self.storage_of(f, o)
                if st == 'unknown':
                    raise Refuse('cannot tell the type of %s at %s' % (
                        one_line(text_of(f.cf, n)), self.where(f, n)))
                if st is s:
                    out.append((f, o))
            # textual uses the parser cannot see
            for cf in d.files.values():
                for pp in cf.pps:
                    if re.search(r'(->|\.)\s*%s\b' % re.escape(name), pp.text) and \
                            re.match(r'\s*#\s*define\b', pp.text):
                        raise Refuse('a macro uses ->%s (%s:%d)' % (
                            name, os.path.basename(cf.path), pp.line))
                for (a, b) in cf.inits:
                    for i in range(a, b):
                        if cf.toks[i].text == name and cf.toks[i - 1].text in ('.', '->'):
                            raise Refuse('an initializer names %s (%s:%d)' % (
                                name, os.path.basename(cf.path), cf.toks[i].line))
                for f in cf.funcs:
                    if f.error and any(t.text == name for t in cf.toks[f.ts:f.te]):
                        raise Refuse('%s() could not be parsed and may use %s' % (f.name, name))
            for st in d.structs.values():
                pass
        elif k[0] in ('v', 'p'):
            fn = k[2]
            for f, n in d.ids_by_name.get(k[3], []):
                if f.name == fn and f.cf.path == k[1] and self.storage_of(f, n) is s:
                    out.append((f, n))
        elif k[0] == 'g':
            for f, n in d.ids_by_name.get(k[1], []):
                if self.storage_of(f, n) is s:
                    out.append((f, n))
            raise Refuse('a global variable (%s) holds a buffer' % k[1])
        elif k[0] == 'r':
            for f, n in d.calls_by_name.get(k[1], []):
                out.append((f, n))
            self.no_fnptr(k[1])
        return out

    def no_fnptr(self, name):
        for f, n in self.d.ids_by_name.get(name, []):
            p = n.parent
            if p is None or p.kind != 'call' or p.kids[0] is not n:
                raise Refuse('%s() is used as a function pointer (%s) and would change type'
                             % (name, self.where(f, n)))
        for cf in self.d.files.values():
            if any(cf.toks[i].text == name for a, b in self.top_inits(cf) for i in range(a, b)):
                raise Refuse('%s() is used as a function pointer and would change type' % name)

    @staticmethod
    def top_inits(cf):
        """Token ranges of every initializer outside functions: of
        structures and arrays, and of scalars (a function pointer)."""
        return list(cf.inits) + [g.init for g in cf.globals.values() if g.init is not None]

    # ---- the plan -----------------------------------------------------------
    def run(self):
        d = self.d
        if d.lex_errors:
            raise Refuse('cannot tokenise %s' % os.path.basename(d.lex_errors[0][0]))
        self.classes = []
        self.pending = []
        self.done = set()
        self.site_nodes = set()
        allocs = []
        self.alloc_list = []
        for name in sorted(set(COH_ALLOC) | POOL_ALLOC | set(POOL_CREATE)):
            for f, n in d.calls_by_name.get(name, []):
                allocs.append((f, n, name))
        if not allocs:
            raise Refuse('no coherent or pool allocation')
        allocs.sort(key=lambda x: (x[0].cf.path, x[1].ts))
        for f, n, name in allocs:
            s = self.alloc_dest(f, n)
            self.add(s, 'pool' if name in POOL_CREATE else 'buf')
            self.site_nodes.add(id(n))
            self.alloc_list.append((f, n, s))
        # close the classes over every flow
        self.occ = {}
        while self.pending:
            s = self.pending.pop()
            if id(s) in self.done:
                continue
            self.done.add(id(s))
            occ = self.occurrences(s)
            self.occ[id(s)] = occ
            for f, o in occ:
                self.flow(f, o, s)
        for c in self.classes:
            if c['kind'] is None:
                raise Refuse('internal: class without allocation')
        self.find_owner()
        self.add_ctx_params()
        self.converted = set()
        work = []
        for c in self.classes:
            for s in c['members']:
                for f, o in self.occ[id(s)]:
                    work.append((self.priority(o), f.cf.path, o.ts, f, o, s, c))
        self.cursors = {}
        self.cursor_decls = set()
        for f, n, s in self.alloc_list:
            work.append((2, f.cf.path, n.ts, f, n, s, s.cls))
        for c in self.classes:
            for s in c['members']:
                if s.key[0] == 'v':
                    self.local_init(s, c)
        work.sort(key=lambda w: w[:3])
        for prio, _, _, f, o, s, c in work:
            if prio == 2 and not getattr(self, '_cursors_done', False):
                self._cursors_done = True
                self.finish_cursors()
            self.use(f, o, s, c)
        self.check_api_calls()
        self.retype()
        self.place_ctx()
        self.finish_files()

    def alloc_dest(self, f, n):
        p = n
        while up(p) is not None and up(p).kind == 'cast':
            p = up(p)
        pu = up(p)
        if pu is not None and pu.kind == 'assign' and pu.val == '=' and strip(pu.kids[1]) is p:
            s = self.storage_of(f, pu.kids[0])
        elif pu is None and p.stmt.kind == 'decl':
            dec = [x for x in p.stmt.decls if x.init is not None and strip(x.init) is p]
            if not dec:
                raise Refuse('allocation result not stored (%s)' % self.where(f, n))
            s = self.get_storage(('v', f.cf.path, f.name, dec[0].name), dec[0].ctype, dec,
                                 'local %s in %s()' % (dec[0].name, f.name))
        elif pu is None and p.stmt.kind == 'return':
            s = self.get_storage(('r', f.name), f.ret, [], 'return value of %s()' % f.name)
        else:
            raise Refuse('allocation result at %s is not stored in a member, '
                         'variable or return value' % self.where(f, n))
        if not isinstance(s, Storage):
            raise Refuse('allocation at %s stores into %s, which the migration cannot type'
                         % (self.where(f, n), one_line(text_of(f.cf, pu.kids[0]))
                            if pu is not None and pu.kind == 'assign' else '?'))
        if s.ctype is None or not s.ctype.ptr:
            raise Refuse('allocation at %s is stored as a non-pointer' % self.where(f, n))
        return s

    def flow(self, f, o, s):
        """Follow the value o (of storage s) to other storages."""
        p = o
        while up(p) is not None and up(p).kind == 'cast' and up(p).val.ptr:
            p = up(p)
        pu = up(p)
        if pu is not None and pu.kind == 'assign' and pu.val == '=':
            if strip(pu.kids[1]) is p:
                t = self.storage_of(f, pu.kids[0])
                if t == 'unknown':
                    raise Refuse('%s is declared more than once in %s()' % (
                        one_line(text_of(f.cf, pu.kids[0])), f.name))
                if isinstance(t, Storage) and t is not s:
                    if t.ctype is None or not t.ctype.ptr or t.ctype.fn:
                        return
                    self.union(s, t)
            elif strip(pu.kids[0]) is p:
                r = strip(pu.kids[1])
                while r.kind == 'cast':
                    r = strip(r.kids[0])
                t = self.storage_of(f, r)
                if isinstance(t, Storage) and t is not s and t.ctype is not None and t.ctype.ptr:
                    self.union(s, t)
            return
        if pu is None and p.stmt.kind == 'decl':
            for dec in p.stmt.decls:
                if dec.init is not None and strip(dec.init) is p and dec.ctype.ptr:
                    if dec.name in f.dup_locals:
                        raise Refuse('%s is declared more than once in %s()' % (dec.name, f.name))
                    t = self.get_storage(('v', f.cf.path, f.name, dec.name), dec.ctype, [dec],
                                         'local %s in %s()' % (dec.name, f.name))
                    self.union(s, t)
            return
        if pu is None and p.stmt.kind == 'return' and f.ret is not None and f.ret.ptr:
            t = self.get_storage(('r', f.name), f.ret, [], 'return value of %s()' % f.name)
            self.union(s, t)
            return
        if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and p in pu.kids[1:]:
            cn = pu.kids[0].val
            fs = self.d.funcs.get(cn)
            if cn not in API and fs and len(fs) == 1 and fs[0].body is not None:
                k = pu.kids.index(p) - 1
                g = fs[0]
                if k < len(g.params) and g.params[k].ctype.ptr and not g.params[k].ctype.fn:
                    pd = g.params[k]
                    t = self.get_storage(('p', g.cf.path, g.name, pd.name), pd.ctype, [pd],
                                         'parameter %s of %s()' % (pd.name, g.name))
                    self.union(s, t)

    # ---- the device and the context -----------------------------------------
    def find_owner(self):
        """Where the context lives and is created: in the structure of the
        function that sets the DMA mask (find_owner_at_mask()), else in the
        structure that one allocating function makes before it allocates
        (find_owner_at_alloc())."""
        self.owner_at_alloc = False
        try:
            self.find_owner_at_mask()
        except Refuse as first:
            if not self.find_owner_at_alloc():
                raise first

    DEVM_ALLOCS = {'devm_kzalloc', 'devm_kcalloc', 'devm_kmalloc', 'devm_kmalloc_array'}

    def find_owner_at_alloc(self):
        """Every allocation in one function A (a libata port_start(), say),
        all on one device D, after A has set a local V to a driver structure
        from devm_k*alloc(): the context goes in V, created on D right after
        V is checked.  Exact: the buffers come from the device the driver
        allocated them from, and the context lives as long as V (until
        unbind), however often A runs."""
        d = self.d
        funcs = {f for f, _, _ in self.alloc_list}
        if len(funcs) != 1:
            return False
        fa = next(iter(funcs))
        devs = set()
        for f, n, _ in self.alloc_list:
            name = n.kids[0].val
            k = POOL_CREATE[name] if name in POOL_CREATE else \
                COH_ALLOC[name][0] if name in COH_ALLOC else None
            if k is None:
                continue        # a pool block: its pool was created on a device
            if len(n.kids) <= k + 1:
                return False
            devs.add(one_line(text_of(f.cf, n.kids[k + 1])))
        if len(devs) != 1:
            return False
        dev = devs.pop()
        # every variable in D is a parameter of A or a local set once, at
        # its declaration (words after -> or . are members)
        for m in re.finditer(r'(->|\.)?\s*\b([A-Za-z_]\w*)', dev):
            w = m.group(2)
            if m.group(1):
                continue
            if any(p.name == w for p in fa.params):
                if self.assigned_anywhere(fa, w):
                    return False
                continue
            dec = fa.locals.get(w)
            if dec is None or dec.init is None or w in fa.dup_locals or \
                    self.assigned_anywhere(fa, w):
                return False
        first = min(n.ts for f, n, _ in self.alloc_list)
        for name, dec in fa.locals.items():
            ct = d.resolve(dec.ctype)
            if ct is None or ct.ptr != 1 or ct.arr or d.struct(ct.base) is None:
                continue
            conv = self.storages.get(('v', fa.cf.path, fa.name, name))
            if conv is not None and conv.cls is not None:
                continue
            sets = [m for g, m in d.ids_by_name.get(name, [])
                    if g is fa and up(m) is not None and up(m).kind == 'assign' and
                    strip(up(m).kids[0]) is m]
            if len(sets) != 1 or sets[0].ts > first or sets[0].stmt.parent is not fa.body:
                continue
            rhs = strip(up(sets[0]).kids[1])
            if rhs is None or rhs.kind != 'call' or rhs.kids[0].kind != 'id' or \
                    rhs.kids[0].val not in self.DEVM_ALLOCS:
                continue
            sname = d.struct(ct.base).name
            if 'dmashim' in d.struct(ct.base).members:
                continue
            if all(self.ctx_path(f, n, sname) is not None for f, n in self.all_sites()):
                self.fctx, self.owner_var, self.owner = fa, name, sname
                self.mask_nodes, self.root_dev, self.root_dev_text = [], None, dev
                self.owner_at_alloc = True
                return True
        return False

    def assigned_anywhere(self, f, name):
        for g, m in self.d.ids_by_name.get(name, []):
            pu = up(m)
            if g is f and pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is m:
                return True
        return False

    def find_owner_at_mask(self):
        d = self.d
        mask_funcs = []
        for name in MASK_CALLS:
            for f, n in d.calls_by_name.get(name, []):
                if f not in mask_funcs:
                    mask_funcs.append(f)
        if len(mask_funcs) > 1:
            probes = self.probe_funcs()
            reach = self.reachable(probes)
            mask_funcs = [g for g in mask_funcs if g.name in reach]
        if len(mask_funcs) > 1:
            raise Refuse('the DMA mask is set in several functions (%s)' %
                         ', '.join(sorted(g.name + '()' for g in mask_funcs)))
        if mask_funcs:
            fc = mask_funcs[0]
            masks = [n for name in MASK_CALLS for g, n in d.calls_by_name.get(name, []) if g is fc]
            self.mask_nodes = sorted(masks, key=lambda n: n.ts)
            self.root_dev = self.mask_nodes[-1].kids[1] if len(self.mask_nodes[-1].kids) > 1 else None
        else:
            probes = set()
            for cf in d.files.values():
                for (a, b) in cf.inits:
                    for i in range(a, b - 2):
                        if cf.toks[i].text == '.' and cf.toks[i + 1].text == 'probe' and \
                                cf.toks[i + 2].text == '=':
                            probes.add(cf.toks[i + 3].text)
            cands = [g for p in probes for g in d.funcs.get(p, []) if g.body is not None]
            if len(cands) > 1:
                withsites = self.funcs_with_sites()
                cands = [g for g in cands if g.name in withsites]
            if len(cands) != 1:
                raise Refuse('no DMA mask call and no single probe function to create the '
                             'context in')
            fc = cands[0]
            self.mask_nodes = []
            self.root_dev = None
        self.fctx = fc
        # the device: the mask call's, else probe's first parameter
        if self.root_dev is None:
            if not fc.params:
                raise Refuse('%s() has no device parameter' % fc.name)
            p0 = fc.params[0]
            b = d.resolve(p0.ctype)
            if b.base in PDEV_TYPES and b.ptr == 1:
                self.root_dev_text = '&%s->%s' % (p0.name, PDEV_MEMBER.get(b.base, 'dev'))
            elif b.base == 'struct device' and b.ptr == 1:
                self.root_dev_text = p0.name
            else:
                raise Refuse('cannot tell the device of %s()' % fc.name)
        else:
            if not self.is_device(fc, self.root_dev, root=True):
                raise Refuse('cannot tell which device %s() sets the mask of' % fc.name)
            self.root_dev_text = one_line(text_of(fc.cf, self.root_dev))
        # the owner: a driver structure with a variable in fctx, or in a
        # function fctx calls after the mask, from which every site reaches
        cands = []
        funcs = [fc] + [g for g in self.callees_after_mask(fc)]
        for g in funcs:
            decs = list(g.params) + list(g.locals.values()) if g is fc else \
                [x for x in g.locals.values()]
            for dec in decs:
                ct = d.resolve(dec.ctype)
                conv = self.storages.get(('v', g.cf.path, g.name, dec.name)) or \
                    self.storages.get(('p', g.cf.path, g.name, dec.name))
                if conv is not None and conv.cls is not None:
                    continue    # a DMA buffer cannot hold its own context
                if ct is not None and ct.ptr == 1 and not ct.arr and \
                        d.struct(ct.base) is not None:
                    cands.append((g, dec.name, d.struct(ct.base).name))
        if not cands:
            raise Refuse('%s() has no driver structure to keep the context in' % fc.name)
        sites = self.all_sites()
        best = None
        for g, var, sname in cands:
            ok = True
            for f, n in sites:
                if self.ctx_path(f, n, sname) is None:
                    ok = False
                    break
            if ok:
                if g is not fc:
                    dev = self.device_in(g)
                    if dev is None:
                        continue
                    self.root_dev_text = dev
                best = (var, sname)
                self.fctx = g
                break
        if best is None:
            # name the first site of the candidate that comes closest
            fails = []
            for g, _, sname in cands:
                bad = [(f, n) for f, n in sites if self.ctx_path(f, n, sname) is None]
                if not bad:
                    raise Refuse('%s() has no device to create the context in %s with' % (
                        g.name, sname))
                fails.append((len(bad), sname, bad[0]))
            _, sname, (f, n) = min(fails, key=lambda x: x[0])
            raise Refuse('no path to a context from %s() (%s), with the context in %s' % (
                f.name, self.where(f, n), sname))
        self.owner_var, self.owner = best
        st = d.struct(self.owner)
        if 'dmashim' in st.members:
            raise Refuse('%s already has a member called dmashim' % self.owner)

    def callees_after_mask(self, fc):
        """Driver functions fc calls after its last DMA mask call."""
        after = self.mask_nodes[-1].ts if self.mask_nodes else fc.ts
        out = []
        for g, n in self.d.allnodes:
            if g is fc and n.kind == 'call' and n.kids[0].kind == 'id' and n.ts > after:
                for h in self.d.funcs.get(n.kids[0].val, []):
                    if h.body is not None and h is not fc and h not in out:
                        out.append(h)
        return out

    def device_in(self, g):
        for p in g.params:
            ct = self.d.resolve(p.ctype)
            if ct is not None and ct.ptr == 1 and ct.base in PDEV_TYPES and p.name:
                return '&%s->%s' % (p.name, PDEV_MEMBER.get(ct.base, 'dev'))
        for p in g.params:
            ct = self.d.resolve(p.ctype)
            if ct is not None and ct.ptr == 1 and ct.base == 'struct device' and p.name:
                node = Node('id', 0, 0, [], p.name)
                if self.is_device(g, node):
                    return p.name
        return None

    def probe_funcs(self):
        probes = set()
        for cf in self.d.files.values():
            for (a, b) in cf.inits:
                for i in range(a, b - 3):
                    if cf.toks[i].text == '.' and cf.toks[i + 1].text == 'probe' and \
                            cf.toks[i + 2].text == '=':
                        probes.add(cf.toks[i + 3].text)
        return probes

    def reachable(self, roots):
        calls = {}
        for g, n in self.d.allnodes:
            if n.kind == 'call' and n.kids[0].kind == 'id':
                calls.setdefault(g.name, set()).add(n.kids[0].val)
        out = set(roots)
        todo = list(roots)
        while todo:
            x = todo.pop()
            for y in calls.get(x, ()):
                if y not in out and y in self.d.funcs:
                    out.add(y)
                    todo.append(y)
        return out

    def all_sites(self):
        out = []
        for c in self.classes:
            for s in c['members']:
                for f, o in self.occ[id(s)]:
                    if not self.in_sizeof(o):     # needs no context
                        out.append((f, o))
        for name in API:
            for f, n in self.d.calls_by_name.get(name, []):
                out.append((f, n))
        return out

    @staticmethod
    def in_sizeof(n):
        while n is not None:
            if n.kind == 'sizeof':
                return True
            n = n.parent
        return False

    def ctx_path(self, f, n, sname):
        """An expression for the owner's context valid at node n of f."""
        d = self.d
        key = (id(f), sname, n.stmt.ts if n is not None else -1)
        cache = self.__dict__.setdefault('_ctxcache', {})
        if key in cache:
            return cache[key]
        starts = []
        for p in f.params:
            if p.name:
                starts.append((p.name, d.resolve(p.ctype), 0))
        for name, dec in f.locals.items():
            if dec.init is not None or self.assigned_before(f, name, n):
                starts.append((name, d.resolve(dec.ctype), 0))
        for e, t, _ in list(starts):
            for hname, sname2, ptype in self.container_helpers():
                if t is not None and (ptype is None or (t.ptr == 1 and t.base == ptype)):
                    starts.append(('%s(%s)' % (hname, e), CType(sname2, 1), 1))
        res = None
        frontier = [(e, t) for e, t, _ in starts if t is not None]
        seen = set()
        for depth in range(3):
            nxt = []
            for e, t in frontier:
                if t.fn or t.arr:
                    continue
                st = d.struct(t.base)
                if st is None:
                    nxt += self.kernel_steps(e, t)
                    continue
                if st.name in seen and depth:
                    continue
                if st.name == sname and t.ptr <= 1:
                    res = e + ('->' if t.ptr == 1 else '.') + self.ctx_member
                    break
                if t.ptr > 1:
                    continue
                seen.add(st.name)
                for mname in st.order:
                    m = st.members[mname]
                    mt = d.resolve(m.ctype)
                    if mt is None or mt.fn or mt.arr or mt.ptr > 1:
                        continue
                    if d.struct(mt.base) is None:
                        continue
                    nxt.append((e + ('->' if t.ptr == 1 else '.') + mname, mt))
            if res:
                break
            frontier = nxt
        if res is None:
            res = self.ctx_param(f, sname)
        cache[key] = res
        return res

    def kernel_steps(self, e, t):
        """From e, of a kernel structure type t: its known members
        (KERNEL_MEMBERS) and the driver's to_foo() helpers taking it."""
        out = []
        if t.ptr > 1:
            return out
        arrow = '->' if t.ptr == 1 else '.'
        for hname, sname, ptype in self.container_helpers():
            if ptype == t.base:
                arg = e if t.ptr == 1 else '&' + e
                out.append(('%s(%s)' % (hname, arg), CType(sname, 1)))
        for mname, (base, ptr) in KERNEL_MEMBERS.get(t.base, {}).items():
            out.append((e + arrow + mname, CType(base, ptr)))
        return out

    def ctx_param(self, f, sname):
        """The context passed in as a new first parameter, for a driver
        function with no path of its own (a helper filling descriptors
        through a pointer parameter): possible when f is called only
        directly, by callers that each have a context (of their own or by
        this rule, three levels deep at most)."""
        name = self.ctx_member
        stack = self.__dict__.setdefault('_cp_stack', [])
        if f.name in stack or len(stack) >= 3 or f.body is None:
            return None
        if len([g for g in self.d.funcs.get(f.name, []) if g.body is not None]) != 1:
            return None
        if name in f.locals or any(p.name == name for p in f.params) or \
                self.d.globals.get(name) is not None:
            return None
        if not self.called_directly(f):
            return None
        calls = self.d.calls_by_name.get(f.name, [])
        stack.append(f.name)
        try:
            args = []
            for g, n in calls:
                e = self.ctx_path(g, n, sname)
                if e is None:
                    return None
                args.append((g, n, e))
        finally:
            stack.pop()
        self.__dict__.setdefault('ctx_params', {}).setdefault(sname, {})[f.name] = (f, args)
        return name

    def called_directly(self, f):
        """f has callers, all of them direct calls in the driver, none in a
        macro or from f itself, and it is not exported: its parameters can
        change and every argument passed to them is known."""
        calls = self.d.calls_by_name.get(f.name, [])
        if not calls or any(g is f for g, _ in calls):
            return False
        if any(len(n.kids) != len(f.params) + 1 for _, n in calls):
            return False
        for g, n in self.d.ids_by_name.get(f.name, []):
            pu = n.parent
            if pu is None or pu.kind != 'call' or pu.kids[0] is not n:
                return False
        word = re.compile(r'\b%s\b' % re.escape(f.name))
        for cf in self.d.files.values():
            if any(word.search(pp.text) for pp in cf.pps):
                return False
            if any(cf.toks[i].text == f.name for a, b in self.top_inits(cf)
                   for i in range(a, b)):
                return False
            if not f.static and re.search(r'EXPORT_SYMBOL\w*\s*\(\s*%s\s*\)' %
                                          re.escape(f.name), cf.text):
                return False
        return True

    def add_ctx_params(self):
        """The edits of ctx_param() for the owner that was chosen: the
        parameter in the definition and every prototype, the argument at
        every call."""
        for fname, (f, args) in sorted(self.__dict__.get('ctx_params', {}).get(
                self.owner, {}).items()):
            decl = 'struct dmashim_ctx *%s' % self.ctx_member
            self.add_first_param(f.cf, f.name_tok, decl)
            for cf, dec in self.d.protos.get(fname, []):
                self.add_first_param(cf, dec.name_tok, 'struct dmashim_ctx *')
            for g, n, e in args:
                toks = g.cf.toks
                lp = n.kids[0].te + 1
                if toks[lp].text != '(':
                    raise Refuse('internal: call of %s() without (' % fname)
                sep = '' if toks[lp + 1].text == ')' else ', '
                self.edit(g.cf, toks[lp].e, toks[lp].e, e + sep)

    def add_first_param(self, cf, name_tok, text):
        toks = cf.toks
        lp = name_tok + 1
        if toks[lp].text != '(':
            raise Refuse('cannot add the context parameter to %s()' % toks[name_tok].text)
        if toks[lp + 1].text == ')':
            self.edit(cf, toks[lp].e, toks[lp].e, text)
        elif toks[lp + 1].text == 'void' and toks[lp + 2].text == ')':
            self.edit(cf, toks[lp + 1].s, toks[lp + 1].e, text)
        else:
            self.edit(cf, toks[lp].e, toks[lp].e, text + ', ')

    def container_helpers(self):
        """to_foo()-style helpers: (name, struct returned, parameter type or
        None): static functions whose body is return container_of(...), and
        macros defined as container_of(x, struct S, m)."""
        if hasattr(self, '_helpers'):
            return self._helpers
        out = []
        for fs in self.d.funcs.values():
            for g in fs:
                if g.body is None or len(g.params) != 1 or g.ret is None or g.ret.ptr != 1:
                    continue
                subs = g.body.subs
                if len(subs) != 1 or subs[0].kind != 'return':
                    continue
                e = strip(subs[0].exprs[0])
                if e.kind == 'call' and e.kids[0].kind == 'id' and \
                        e.kids[0].val == 'container_of' and self.d.struct(g.ret.base):
                    pt = self.d.resolve(g.params[0].ctype)
                    out.append((g.name, self.d.struct(g.ret.base).name,
                                pt.base if pt.ptr == 1 else '?'))
        for cf in self.d.files.values():
            for pp in cf.pps:
                m = re.match(r'\s*#\s*define\s+(\w+)\s*\(\s*(\w+)\s*\)\s*\(?\s*container_of\s*\(\s*'
                             r'\(?\s*\2\s*\)?\s*,\s*(struct\s+\w+)\s*,', pp.text)
                if m and self.d.struct(re.sub(r'\s+', ' ', m.group(3))):
                    out.append((m.group(1), self.d.struct(re.sub(r'\s+', ' ', m.group(3))).name,
                                None))
        self._helpers = out
        return out

    def assigned_before(self, f, name, n):
        """name is assigned by a statement of a block that encloses n,
        before n (so on every path that reaches n)."""
        if n is None:
            return False
        blocks = set()
        st = n.stmt
        while st is not None:
            if st.kind == f.body.kind:
                blocks.add(id(st))
            st = st.parent
        entries = self.entries_skipping(f)
        for g, m in self.d.ids_by_name.get(name, []):
            if g is f and m.ts < n.ts:
                pu = up(m)
                if pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is m and \
                        pu.val == '=' and up(pu) is None and id(m.stmt.parent) in blocks and \
                        not any(m.ts < t < n.ts and src < m.ts for t, src in entries):
                    # (no goto from before it, no case, enters between them)
                    return True
        return False

    @staticmethod
    def entries_skipping(f):
        """(position, source) of the places control can enter from a
        point before: every case/default (from its switch) and every label
        (from each goto to it)."""
        out = []
        stmts = list(f.body.walk())
        for st in stmts:
            if st.kind == 'switch':
                out += [(c.ts, st.ts) for c in st.walk() if c.kind == 'case']
        labels = {st.val: st.ts for st in stmts if st.kind == 'label'}
        for st in stmts:
            if st.kind == 'goto' and st.val in labels:
                out.append((labels[st.val], st.ts))
        return out

    def ctx(self, f, n):
        e = self.ctx_path(f, n, self.owner)
        if e is None:
            raise Refuse('no path to the context from %s() (%s)' % (f.name, self.where(f, n)))
        return e

    def is_device(self, f, n, root=False, seen=None):
        d = self.d
        n = strip(n)
        seen = set() if seen is None else seen
        if n is None:
            return False
        if n.kind == 'unary' and n.val == '&':
            m = strip(n.kids[0])
            if m.kind == 'member' and m.val[1] in ('dev', 'device'):
                t = d.typeof(m.kids[0], f)
                if t is not None and PDEV_MEMBER.get(t.base, 'dev') != m.val[1]:
                    return False
                return self.is_pdev(f, m.kids[0], m.val[0], seen)
            return False
        if n.kind == 'member' and n.val == ('.', 'parent') and \
                strip(n.kids[0]).kind == 'member' and strip(n.kids[0]).val == ('->', 'dev'):
            t = d.typeof(strip(n.kids[0]).kids[0], f)
            if t is not None and t.base == 'struct net_device' and t.ptr == 1:
                sets = d.calls_by_name.get('SET_NETDEV_DEV', [])
                return bool(sets) and all(len(c.kids) == 3 and
                                          self.is_device(g, c.kids[2], seen=seen)
                                          for g, c in sets)
            return False
        if n.kind == 'member':
            mk = self.member_key(f, n)
            if mk is None:
                return False
            key = ('dm',) + mk
            return self.member_is(key, lambda g, r: self.is_device(g, r, seen=seen), seen)
        if n.kind == 'id':
            dec = d.var_decl(f, n.val)
            if dec is None:
                return False
            ct = d.resolve(dec.ctype)
            if ct.base != 'struct device' or ct.ptr != 1:
                return False
            if dec in f.params:
                if self.assigned_anywhere(f, n.val):
                    return False
                if root or f is getattr(self, 'fctx', None):
                    return True
                return self.param_is(f, f.params.index(dec),
                                     lambda g, r: self.is_device(g, r, seen=seen), seen)
            return self.local_is(f, n.val, dec, lambda g, r: self.is_device(g, r, seen=seen))
        return False

    def is_pdev(self, f, n, op, seen):
        d = self.d
        n = strip(n)
        t = d.typeof(n, f)
        if t is None:
            return False
        if op == '.':
            return False
        if t.base not in PDEV_TYPES or t.ptr != 1:
            return False
        if n.kind == 'id':
            dec = d.var_decl(f, n.val)
            if dec in f.params:
                # the bound device: probe's, or a driver callback's (remove,
                # suspend), or what every direct caller passes
                if self.assigned_anywhere(f, n.val):
                    return False
                if f is getattr(self, 'fctx', None) or (
                        dec is f.params[0] and self.is_callback(f)):
                    return True
                return self.param_is(f, f.params.index(dec),
                                     lambda g, r: self.is_pdev_value(g, r, seen), seen)
            if n.val in f.locals:
                return self.local_is(f, n.val, dec,
                                     lambda g, r: self.is_pdev_value(g, r, seen))
            return False
        if n.kind == 'member':
            mk = self.member_key(f, n)
            if mk is None:
                return False
            key = ('pm',) + mk
            return self.member_is(key, lambda g, r: self.is_pdev_value(g, r, seen), seen)
        return False

    def is_callback(self, f):
        """f is named in a top-level initializer (a struct pci_driver's
        .remove, say) and called directly nowhere."""
        if self.d.calls_by_name.get(f.name):
            return False
        return any(cf.toks[i].text == f.name for cf in self.d.files.values()
                   for a, b in self.top_inits(cf) for i in range(a, b))

    def is_pdev_value(self, f, r, seen):
        r = strip(r)
        if r.kind == 'call' and r.kids[0].kind == 'id' and r.kids[0].val in (
                'to_pci_dev', 'to_platform_device') and len(r.kids) == 2:
            return self.is_device(f, r.kids[1], seen=seen)
        return self.is_pdev(f, r, '->', seen)

    def member_key(self, f, n):
        """(driver struct, 'a.b.c') for a member chain X->a.b.c, or None."""
        d = self.d
        path = [n.val[1]]
        m = n
        while True:
            bt = d.typeof(m.kids[0], f)
            if bt is not None and m.val[0] == '->':
                bt = bt.deref() if bt.is_ptr() else None
            if bt is not None and not bt.ptr and not bt.arr and d.struct(bt.base) is not None:
                return (d.struct(bt.base).name, '.'.join(path))
            if m.val[0] == '.' and strip(m.kids[0]).kind == 'member':
                m = strip(m.kids[0])
                path.insert(0, m.val[1])
                continue
            return None

    def member_is(self, key, pred, seen):
        if key in seen:
            return True          # optimistic on cycles
        seen.add(key)
        cache = self.__dict__.setdefault('_memcache', {})
        if key in cache:
            return cache[key]
        found = False
        ok = True
        for g, m in self.d.members_by_name.get(key[2].split('.')[-1], []):
            pu = up(m)
            if pu is None or pu.kind != 'assign' or strip(pu.kids[0]) is not m:
                continue
            mk = self.member_key(g, m)
            if mk is None:
                if self.d.typeof(m.kids[0], g) is None:
                    ok = False
                    break
                continue
            if mk != key[1:]:
                continue
            found = True
            if pu.val != '=' or not pred(g, pu.kids[1]):
                ok = False
                break
        cache[key] = found and ok
        return found and ok

    def local_is(self, f, name, dec, pred):
        found = False
        if dec.init is not None:
            found = True
            if not pred(f, dec.init):
                return False
        for g, m in self.d.ids_by_name.get(name, []):
            if g is not f:
                continue
            pu = up(m)
            if pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is m:
                found = True
                if pu.val != '=' or not pred(f, pu.kids[1]):
                    return False
            if pu is not None and pu.kind == 'unary' and pu.val == '&':
                return False
        return found

    def param_is(self, f, k, pred, seen):
        key = ('param', f.name, k)
        if key in seen:
            return True
        seen.add(key)
        calls = self.d.calls_by_name.get(f.name, [])
        for g, n in self.d.ids_by_name.get(f.name, []):
            p = n.parent
            if p is None or p.kind != 'call' or p.kids[0] is not n:
                return False
        if not calls:
            return False
        for g, c in calls:
            if len(c.kids) <= k + 1 or not pred(g, c.kids[k + 1]):
                return False
        return True

    def check_device(self, f, call, k):
        if len(call.kids) <= k + 1:
            raise Refuse('malformed call at %s' % self.where(f, call))
        dn = call.kids[k + 1]
        if self.owner_at_alloc and f is self.fctx and \
                one_line(text_of(f.cf, dn)) == self.root_dev_text:
            return
        if not self.is_device(f, dn):
            raise Refuse('the device %s at %s is not provably the one whose DMA mask is set (%s)'
                         % (one_line(text_of(f.cf, dn)), self.where(f, call), self.root_dev_text))

    # ---- flags ----------------------------------------------------------------
    def gfp_flags(self, f, n, pool=False):
        param = self.gfp_param(f, n, pool)
        if param:
            return param
        t = one_line(text_of(f.cf, n))
        words = [w.strip() for w in re.split(r'\|', t.strip('() '))]
        flags = []
        base = None
        for w in words:
            w = w.strip('() ')
            if w == 'GFP_KERNEL':
                base = base or 'k'
            elif w in GFP_NOWAIT:
                base = 'a'
            elif w in GFP_IGNORED:
                pass
            elif w == '__GFP_NOWARN':
                if not pool:
                    flags.append('DMASHIM_ALLOC_NO_WARN')
            else:
                raise Refuse('gfp %s at %s has no dmashim flag' % (w, self.where(f, n)))
        if base is None:
            raise Refuse('gfp %s at %s has no dmashim flag' % (t, self.where(f, n)))
        if base == 'a':
            flags.insert(0, 'DMASHIM_ALLOC_NOWAIT')
        return flags

    def gfp_param(self, f, n, pool):
        """The gfp of an allocation helper's own gfp_t parameter, mapped at
        run time: possible when every caller passes a gfp that gfp_flags()
        accepts, so the mapping is exact (blocking or not, __GFP_NOWARN)."""
        n = strip(n)
        if n is None or n.kind != 'id':
            return None
        k = next((i for i, p in enumerate(f.params) if p.name == n.val), None)
        if k is None or self.d.resolve(f.params[k].ctype).base != 'gfp_t':
            return None
        for g, m in self.d.ids_by_name.get(n.val, []):
            pu = up(m)
            if g is f and pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is m:
                return None
        stack = self.__dict__.setdefault('_gfp_stack', [])
        if f.name in stack or not self.called_directly(f):
            return None
        stack.append(f.name)
        try:
            for g, call in self.d.calls_by_name.get(f.name, []):
                self.gfp_flags(g, call.kids[k + 1], pool)
        finally:
            stack.pop()
        self.need(f, 'gfp')
        return ['dmashim_mig_gfp(%s, %s)' % (n.val, '0' if pool else 'DMASHIM_ALLOC_NO_WARN')]

    def attr_flags(self, f, n):
        if isinstance(n, str):
            t = n
        else:
            t = one_line(text_of(f.cf, n))
        flags = []
        for w in re.split(r'\|', t):
            w = w.strip('() ')
            if w in ('0', '0UL', '0ul', '0U'):
                continue
            if w in ATTRS:
                flags.append(ATTRS[w])
            else:
                raise Refuse('attrs %s at %s are not constant DMA_ATTR_* values dmashim knows'
                             % (w, self.where(f, n) if not isinstance(n, str) else '?'))
        return flags

    # ---- the uses ---------------------------------------------------------------
    def need(self, f, name):
        if f.cf.path.endswith('.h'):
            raise Refuse('a header (%s) would need a dmashim helper' % os.path.basename(f.cf.path))
        self.helpers.setdefault(f.cf.path, set()).add(name)

    def arg(self, f, call, k):
        return one_line(self.rtext(f.cf, call.kids[k + 1]))

    def use(self, f, o, s, c):
        """Classify one occurrence and record its rewrite."""
        cf = f.cf
        if id(o) in self.site_nodes:
            return self.alloc_site(f, o, s, c)
        p = o
        while up(p) is not None and up(p).kind == 'cast' and up(p).val.ptr:
            p = up(p)
        pu = up(p)
        st = o.stmt
        if pu is not None and pu.kind == 'assign':
            if strip(pu.kids[0]) is p:
                if pu.val != '=':
                    return self.mark(f, o, 'pointer arithmetic on a converted pointer: '
                                     'keep an offset next to the handle instead')
                r = strip(pu.kids[1])
                while r.kind == 'cast':
                    r = strip(r.kids[0])
                if r.kind == 'call' and r.kids[0].kind == 'id' and id(r) in self.site_nodes:
                    return
                if self.is_null(r):
                    return self.null_edit(f, pu.kids[1])
                t = self.storage_of(f, r)
                if isinstance(t, Storage) and t.cls is c:
                    return self.drop_casts(f, pu.kids[1])
                return self.mark(f, o, 'assigned from %s, which is not a dmashim handle'
                                 % one_line(self.rtext(cf, pu.kids[1]))[:60])
            t = self.storage_of(f, pu.kids[0])
            if isinstance(t, Storage) and t.cls is c:
                return self.drop_casts(f, pu.kids[1])
            return self.mark(f, o, 'the CPU pointer is stored in %s, which the migration does '
                             'not convert: store the handle (and an offset) instead'
                             % one_line(text_of(cf, pu.kids[0]))[:50])
        if pu is None and st.kind == 'decl':
            for dec in st.decls:
                if dec.init is not None and strip(dec.init) is p:
                    self.drop_casts(f, dec.init)
            return
        if pu is None and st.kind == 'return':
            if f.ret is not None and f.ret.ptr:
                return
        if pu is None and st.kind in ('if', 'while', 'do') and st.exprs and strip(st.exprs[0]) is p:
            return
        if pu is None and st.kind == 'for' and len(st.exprs) > 1 and st.exprs[1] is not None and \
                strip(st.exprs[1]) is p:
            return
        if pu is not None and pu.kind == 'unary' and pu.val == '!':
            return
        if pu is not None and pu.kind == 'bin' and pu.val in ('&&', '||'):
            return
        if pu is not None and pu.kind == 'cond' and strip(pu.kids[0]) is p:
            return
        if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and \
                pu.kids[0].val in ('likely', 'unlikely', 'WARN_ON', 'WARN_ON_ONCE', 'BUG_ON') \
                and len(pu.kids) == 2:
            return
        if pu is not None and pu.kind == 'bin' and pu.val in ('==', '!='):
            other = pu.kids[1] if strip(pu.kids[0]) is p else pu.kids[0]
            if self.is_null(strip(other)):
                return self.null_edit(f, strip(other))
            t = self.storage_of(f, other)
            if isinstance(t, Storage) and t.cls is c:
                return
            return self.mark(f, o, 'compared with a pointer that is not a handle')
        if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and p in pu.kids[1:]:
            k = pu.kids.index(p) - 1
            cn = pu.kids[0].val
            if cn in API:
                return self.api_use(f, pu, cn, k, o, s, c)
            fs = self.d.funcs.get(cn)
            if fs and len(fs) == 1 and fs[0].body is not None and k < len(fs[0].params):
                pd = fs[0].params[k]
                key = ('p', fs[0].cf.path, fs[0].name, pd.name)
                if key in self.storages and self.storages[key].cls is c:
                    return self.drop_casts(f, pu.kids[k + 1])
            if cn in ('memset', 'memcpy', 'memmove', 'memset_io', 'memcpy_toio', 'memcpy_fromio'):
                return self.mem_use(f, pu, cn, k, o, '0', s, c)
            return self.mark(f, o, 'the CPU pointer is passed to %s(): copy the bytes with '
                             'dmashim_read()/dmashim_write() around it' % cn)
        if pu is not None and (pu.kind in ('member', 'index') and strip(pu.kids[0]) is p and
                               (pu.kind == 'index' or pu.val[0] == '->')) or \
                pu is not None and pu.kind == 'unary' and pu.val == '*' or \
                pu is not None and pu.kind == 'bin' and pu.val == '+':
            return self.access(f, o, p, s, c)
        if pu is not None and pu.kind in ('sizeof',):
            return self.mark(f, o, 'sizeof of the converted pointer itself')
        return self.mark(f, o, 'the CPU pointer is used here (%s): rewrite it with the '
                         'dmashim accessors' % one_line(text_of(cf, pu if pu is not None else o))[:50])

    def priority(self, o):
        """Inner rewrites first: loads and sizeofs, then stores, then the API
        calls whose arguments may hold either."""
        if id(o) in self.site_nodes:
            return 2
        p = o
        while up(p) is not None and up(p).kind == 'cast':
            p = up(p)
        pu = up(p)
        if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and \
                pu.kids[0].val in API:
            return 2
        n = o
        while up(n) is not None and up(n).kind in ('member', 'index', 'unary', 'bin', 'cast') \
                and strip(up(n).kids[0]) is n:
            n = up(n)
        pu = up(n)
        if pu is not None and (pu.kind == 'assign' and strip(pu.kids[0]) is n or
                               pu.kind in ('postinc', 'preinc')):
            return 1
        if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and \
                pu.kids[0].val in ('memset', 'memcpy', 'memmove'):
            return 1
        return 0

    def rtext(self, cf, n):
        """The text of n with the rewrites already made inside it (which it
        then subsumes)."""
        return self.span_text(cf, cf.toks[n.ts].s, cf.toks[n.te].e)

    def span_text(self, cf, a, b):
        """rtext() of the characters [a, b)."""
        eds = self.edits.get(cf.path, [])
        inner = [e for e in eds if a <= e[0] and e[1] <= b and not (e[0] == e[1] == a)]
        if not inner:
            return cf.text[a:b]
        for e in inner:
            eds.remove(e)
        out, pos = [], a
        for s, e, t in sorted(inner):
            out.append(cf.text[pos:s])
            out.append(t)
            pos = e
        out.append(cf.text[pos:b])
        return ''.join(out)

    def local_init(self, s, c):
        dec = s.decls[0]
        if dec.init is None:
            return
        f = [g for g in self.d.funcs[s.key[2]] if g.cf.path == s.key[1]][0]
        r = strip(dec.init)
        while r.kind == 'cast':
            r = strip(r.kids[0])
        if r.kind == 'call' and id(r) in self.site_nodes:
            return
        if self.is_null(r):
            return self.null_edit(f, dec.init)
        t = self.storage_of(f, r)
        if isinstance(t, Storage) and t.cls is c:
            return
        st = f.body
        for x in f.body.walk():
            if dec in x.decls:
                st = x
        self.todo(f, st, '%s is initialised from %s, which is not a dmashim handle' % (
            dec.name, one_line(text_of(f.cf, dec.init))[:50]))

    def is_null(self, n):
        n = strip(n)
        while n is not None and n.kind == 'cast':
            n = strip(n.kids[0])
        return n is not None and (n.kind == 'id' and n.val == 'NULL' or
                                  n.kind == 'num' and n.val in ('0', '0L', '0UL'))

    def null_edit(self, f, r):
        if not (r.kind == 'num' and r.val == '0'):
            self.replace_node(f.cf, r, '0')

    def drop_casts(self, f, n):
        n0 = n
        n = strip(n)
        if n.kind == 'cast':
            inner = n
            while inner.kind == 'cast':
                inner = strip(inner.kids[0])
            self.replace_node(f.cf, n0, self.rtext(f.cf, inner))

    def mark(self, f, o, msg):
        st = self.outer_stmt(o.stmt)
        self.todo(f, st, msg)
        self.last_todo = (f.cf.path, len(self.todos[f.cf.path]) - 1)

    # ---- cursors: local pointers into a buffer become offsets ------------------
    def cursor_candidate(self, f, o, cur, off, s, c):
        cf = f.cf
        pu = up(cur)
        T = self.pointee(s)
        name = None
        node = None
        if pu is not None and pu.kind == 'assign' and pu.val == '=' and strip(pu.kids[1]) is cur \
                and strip(pu.kids[0]).kind == 'id' and pu.parent is None and \
                cur.stmt.kind == 'expr':
            name, node = strip(pu.kids[0]).val, pu
        elif pu is None and cur.stmt.kind == 'decl':
            for dec in cur.stmt.decls:
                if dec.init is not None and strip(dec.init) is cur and dec.ndecl == 1:
                    name, node = dec.name, dec
        if name is None:
            return
        dec = self.d.var_decl(f, name)
        if dec is None or f.locals.get(name) is not dec or dec.ndecl != 1:
            return
        dt = self.d.resolve(dec.ctype)
        if dt.ptr != 1 or dt.arr or T is None:
            return
        void = dt.base == 'void'
        if not void and self.type_text(dt.deref()) != self.type_text(T):
            return
        key = (id(f), name)
        cu = self.cursors.setdefault(key, {'f': f, 'name': name, 'dec': dec, 'T': T,
                                           'void': void,
                                           'h': one_line(text_of(cf, o)), 'assigns': [],
                                           'o': o, 's': s, 'c': c, 'ok': True})
        if cu['h'] != one_line(text_of(cf, o)):
            cu['ok'] = False
        if any(n is node for n, _, _ in cu['assigns']):
            return
        cu['assigns'].append((node, ' + '.join(off) if off else '0', self.todos[cf.path][-1]
                              if False else None))
        cu['todo_marks'] = cu.get('todo_marks', []) + [len(self.todos.get(cf.path, []))]

    def finish_cursors(self):
        for key, cu in self.cursors.items():
            f = cu['f']
            cf = f.cf
            if not cu['ok']:
                continue
            # the handle's base variables must not change in the function
            base = re.match(r'[A-Za-z_]\w*', cu['h'])
            if base is None or any(
                    g is f and up(m) is not None and up(m).kind == 'assign' and
                    strip(up(m).kids[0]) is m for g, m in self.d.ids_by_name.get(base.group(), [])):
                continue
            occ = [m for g, m in self.d.ids_by_name.get(cu['name'], []) if g is f and
                   self.d.var_decl(f, m.val) is cu['dec']]
            assigns = {id(n) for n, _, _ in cu['assigns'] if isinstance(n, Node)}
            plan = []
            ok = True
            for m in occ:
                pu = up(m)
                if pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is m:
                    if id(pu) in assigns:
                        continue
                    if pu.val in ('+=', '-=') and pu.parent is None and m.stmt.kind in ('expr', 'for'):
                        plan.append(('step', m, pu))
                        continue
                    ok = False
                    break
                if pu is not None and pu.kind in ('postinc', 'preinc') and pu.parent is None:
                    plan.append(('inc', m, pu))
                    continue
                if pu is not None and pu.kind == 'member' and pu.val[0] == '->':
                    plan.append(('acc', m, pu))
                    continue
                if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and \
                        pu.kids[0].val in ('memset', 'memcpy', 'memmove') and m in pu.kids[1:]:
                    plan.append(('mem', m, pu))
                    continue
                ok = False
                break
            if not ok or (cu['void'] and any(k not in ('mem',) for k, _, _ in plan)):
                continue
            # rewrite: the accesses first (they may fail and leave TODOs)
            var = cu['name'] + '_off'
            before = sum(len(v) for v in self.todos.values())
            curs = {'T': cu['T'], 'h': cu['h'], 'var': var}
            for kind, m, pu in plan:
                if kind == 'acc':
                    self.access(f, m, m, cu['s'], cu['c'], cursor=curs)
                elif kind == 'mem':
                    self.mem_use(f, pu, pu.kids[0].val, pu.kids.index(m) - 1, m, var,
                                 cu['s'], cu['c'], h=cu['h'])
            sz = self.elem_size_text(cu['T']) or '1'
            for kind, m, pu in plan:
                if kind == 'inc':
                    self.replace_node(cf, pu, '%s %s= %s' % (var, '+' if pu.val == '++' else '-', sz))
                elif kind == 'step':
                    self.replace_node(cf, pu, '%s %s (%s) * %s' % (
                        var, pu.val, one_line(self.rtext(cf, pu.kids[1])), sz))
            for node, offt, _ in cu['assigns']:
                if isinstance(node, Node):
                    self.replace_node(cf, node, '%s = %s' % (var, offt))
                else:
                    dec = node
                    self.edit(cf, cf.toks[dec.ts].s, cf.toks[dec.te].e, 'u64 %s = %s;' % (var, offt))
            dec = cu['dec']
            if dec.init is None:
                self.edit(cf, cf.toks[dec.ts].s, cf.toks[dec.te].e, 'u64 %s;' % var)
            # the TODOs for the cursor's assignments are resolved
            pos = {cf.toks[(n.stmt if isinstance(n, Node) else None).ts].s
                   if isinstance(n, Node) else cf.toks[n.ts].s for n, _, _ in cu['assigns']}
            lst = self.todos.get(cf.path, [])
            lst[:] = [t for t in lst if not (t[0] in pos and 'escapes here' in t[1])]
            self.cursor_decls.add(id(dec))

    def outer_stmt(self, st):
        return st

    # ---- CPU accesses ---------------------------------------------------------
    def pointee(self, s, f=None):
        ct = self.d.resolve(s.ctype)
        if ct.arr:
            ct = CType(ct.base, ct.ptr, (), False, ct.quals)
        return ct.deref()

    def type_text(self, ct):
        q = ''
        return ct.base + q + (' ' + '*' * ct.ptr if ct.ptr else '') + ''.join(
            '[%s]' % a for a in ct.arr)

    def elem_size_text(self, T):
        if T.base == 'void' and not T.ptr:
            return None
        if not T.ptr and T.base in ('char', 'unsigned char', 'u8', 's8', '__u8', 'uint8_t'):
            return ''
        return 'sizeof(%s)' % self.type_text(T)

    def access(self, f, o, p, s, c, cursor=None):
        cf = f.cf
        T = self.pointee(s) if cursor is None else cursor['T']
        if T is None:
            return self.mark(f, o, 'unknown pointee type')
        off = [] if cursor is None else [cursor['var']]
        cur = p
        # pointer state
        while True:
            pu = up(cur)
            if pu is not None and pu.kind == 'bin' and pu.val == '+' and strip(pu.kids[0]) is cur:
                es = self.elem_size_text(T)
                if es is None:
                    return self.mark(f, o, 'arithmetic on a void pointer into the buffer')
                it = one_line(self.rtext(cf, pu.kids[1]))
                off.append('(%s)%s' % (it, ' * ' + es if es else ''))
                cur = pu
                continue
            break
        pu = up(cur)
        desig = []
        OT = T
        if pu is not None and pu.kind == 'index' and strip(pu.kids[0]) is cur:
            es = self.elem_size_text(T)
            if es is None:
                return self.mark(f, o, 'indexing a void pointer into the buffer')
            off.append('(%s)%s' % (one_line(self.rtext(cf, pu.kids[1])), ' * ' + es if es else ''))
            cur = pu
        elif pu is not None and pu.kind == 'unary' and pu.val == '*':
            cur = pu
        elif pu is not None and pu.kind == 'member' and pu.val[0] == '->':
            pass
        else:
            # a pointer value with an offset
            return self.pointer_value(f, o, cur, off, s, c)
        # object state
        while True:
            pu = up(cur)
            if pu is not None and pu.kind == 'member' and strip(pu.kids[0]) is cur and \
                    (pu.val[0] == '.' or (cur is p)):
                st = self.d.struct(OT.base) if not OT.ptr and not OT.arr else None
                if st is None or pu.val[1] not in st.members:
                    return self.mark(f, o, 'member %s of an unknown structure' % pu.val[1])
                if st.opaque:
                    return self.mark(f, o, '%s has members the migration cannot read'
                                     % st.name)
                m = st.members[pu.val[1]]
                desig.append(('.' if desig else '') + pu.val[1])
                OT = self.d.resolve(m.ctype)
                if m.ctype.bits:
                    return self.mark(f, o, 'bit-field %s: load, change and store the word '
                                     'that holds it' % pu.val[1])
                cur = pu
                continue
            if pu is not None and pu.kind == 'index' and strip(pu.kids[0]) is cur and OT.arr:
                if not desig:
                    return self.mark(f, o, 'indexing an array type')
                desig.append('[%s]' % one_line(self.rtext(cf, pu.kids[1])))
                OT = OT.deref()
                cur = pu
                continue
            break
        tt = self.type_text(T)
        if desig:
            off.append('offsetof(%s, %s)' % (tt, ''.join(desig)))
        offt = ' + '.join(off) if off else '0'
        pu = up(cur)
        if pu is not None and pu.kind == 'unary' and pu.val == '&':
            return self.pointer_value(f, o, pu, off, s, c, derived=OT)
        # sizeof(p->f) and typeof: compile time only
        a = pu
        while a is not None:
            if a.kind in ('sizeof',):
                return self.replace_node(cf, a, 'sizeof(%s)' % self.type_text(OT))
            a = a.parent
        size = self.scalar_size(OT)
        if size is None:
            return self.mark(f, o, 'the CPU pointer reaches a %s here: copy it with '
                             'dmashim_read()/dmashim_write()' % self.type_text(OT))
        ctx = self.ctx_path(f, o, self.owner)
        if ctx is None:
            return self.mark(f, o, 'no path to the dmashim context here: pass it in')
        h = one_line(text_of(cf, o)) if cursor is None else cursor['h']
        uN = UNSIGNED[size]
        bitwise = OT.base.startswith(('__le', '__be')) or OT.base in ('__sum16', '__wsum')
        ld = 'dmashim_mig_load%d(%s, %s, %s)' % (size * 8, ctx, h, offt)
        ldv = self.cast_back(OT, uN, ld)
        stmt = cur.stmt
        if pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is cur:
            if pu.parent is not None or stmt.kind != 'expr' or strip(stmt.exprs[0]) is not pu:
                if not (stmt.kind == 'for' and any(e is pu for e in stmt.exprs)):
                    return self.mark(f, o, 'a store inside an expression: make it a statement')
            v = self.rtext(cf, pu.kids[1])
            if pu.val != '=':
                if side_effects(offt + ' ' + h):
                    return self.mark(f, o, 'read-modify-write with side effects in the offset')
                v = '%s %s (%s)' % (ldv, pu.val[:-1], v)
                self.need(f, 'load%d' % (size * 8))
            self.need(f, 'store%d' % (size * 8))
            self.replace_node(cf, pu, 'dmashim_mig_store%d(%s, %s, %s, %s)' % (
                size * 8, ctx, h, offt, self.to_unsigned(OT, uN, v)))
            return
        if pu is not None and pu.kind in ('postinc', 'preinc'):
            if pu.parent is not None or stmt.kind != 'expr':
                return self.mark(f, o, 'an increment inside an expression: make it a statement')
            if side_effects(offt + ' ' + h):
                return self.mark(f, o, 'read-modify-write with side effects in the offset')
            self.need(f, 'store%d' % (size * 8))
            self.need(f, 'load%d' % (size * 8))
            self.replace_node(cf, pu, 'dmashim_mig_store%d(%s, %s, %s, %s)' % (
                size * 8, ctx, h, offt, self.to_unsigned(OT, uN, '%s %s 1' % (
                    ldv, '+' if pu.val == '++' else '-'))))
            return
        self.need(f, 'load%d' % (size * 8))
        self.replace_node(cf, cur, '(%s)' % ldv if ldv != ld else ld)

    def scalar_size(self, OT):
        if OT is None or OT.fn or OT.arr:
            return None
        if OT.ptr:
            return None
        return SCALAR_SIZES.get(OT.base)

    def cast_back(self, OT, uN, ld):
        b = OT.base
        if b in (uN, '__' + uN) or (uN == 'u32' and b in ('unsigned int', 'unsigned', 'uint32_t')) \
                or (uN == 'u64' and b in ('unsigned long long', 'uint64_t')) or \
                (uN == 'u16' and b in ('unsigned short', 'uint16_t')) or \
                (uN == 'u8' and b in ('unsigned char', 'uint8_t')):
            return self.need_load(ld)
        if b.startswith(('__le', '__be')) or b in ('__sum16', '__wsum'):
            return '(__force %s)%s' % (b, self.need_load(ld))
        return '(%s)%s' % (b, self.need_load(ld))

    def need_load(self, ld):
        return ld

    def to_unsigned(self, OT, uN, v):
        b = OT.base
        if v.strip() == '0':
            return '0'
        if b.startswith(('__le', '__be')) or b in ('__sum16', '__wsum'):
            return '(__force %s)(%s)' % (uN, v)
        if b in ('bool', '_Bool'):
            return '!!(%s)' % v
        return v

    def pointer_value(self, f, o, cur, off, s, c, derived=None):
        """cur is a pointer into the buffer at byte offset sum(off)."""
        cf = f.cf
        pu = up(cur)
        offt = ' + '.join(off) if off else '0'
        if pu is not None and pu.kind == 'call' and pu.kids[0].kind == 'id' and cur in pu.kids[1:]:
            cn = pu.kids[0].val
            k = pu.kids.index(cur) - 1
            if cn in ('memset', 'memcpy', 'memmove'):
                return self.mem_use(f, pu, cn, k, o, offt, s, c)
            if cn in API:
                return self.mark(f, o, 'an interior pointer passed to %s()' % cn)
            return self.mark(f, o, 'a pointer into the buffer is passed to %s(): pass the '
                             'handle and an offset, or copy with dmashim_read()/write()' % cn)
        self.cursor_candidate(f, o, cur, off, s, c)
        return self.mark(f, o, 'a pointer into the buffer escapes here: keep the handle and '
                         'an offset instead')

    def mem_use(self, f, call, cn, k, o, offt, s, c, h=None):
        cf = f.cf
        st = call.stmt
        if call.parent is not None or st.kind != 'expr' or strip(st.exprs[0]) is not call:
            return self.mark(f, o, '%s() on the buffer inside an expression' % cn)
        if cn not in ('memset', 'memcpy', 'memmove') or len(call.kids) != 4:
            return self.mark(f, o, '%s() on a coherent buffer: use dmashim_read/write()' % cn)
        ctx = self.ctx_path(f, o, self.owner)
        if ctx is None:
            return self.mark(f, o, 'no path to the dmashim context here: pass it in')
        h = h or one_line(text_of(cf, o))
        a = [one_line(self.rtext(cf, x)) for x in call.kids[1:]]
        # the other side must not be a converted buffer too
        for j in (0, 1):
            if j != k:
                t = strip(call.kids[j + 1])
                if any(isinstance(self.storage_of(f, x), Storage) and
                       self.storage_of(f, x).cls is not None for x in t.walk()
                       if x.kind in ('member', 'id', 'index')):
                    return self.mark(f, o, '%s() between two converted buffers: use '
                                     'dmashim_copy()' % cn)
        if cn == 'memset':
            if k != 0:
                return self.mark(f, o, 'memset() value from the buffer')
            txt = 'WARN_ON_ONCE(dmashim_fill(%s, %s, %s, %s, %s))' % (ctx, h, offt, a[1], a[2])
        elif k == 0:
            txt = 'WARN_ON_ONCE(dmashim_write(%s, %s, %s, %s, %s))' % (ctx, h, offt, a[1], a[2])
        else:
            txt = 'WARN_ON_ONCE(dmashim_read(%s, %s, %s, %s, %s))' % (ctx, h, offt, a[0], a[2])
        self.replace_node(cf, call, txt)

    # ---- API sites ------------------------------------------------------------
    def alloc_site(self, f, call, s, c):
        cn = call.kids[0].val
        cf = f.cf
        if id(call) in self.converted:
            return
        self.converted.add(id(call))
        repl = call
        while up(repl) is not None and up(repl).kind == 'cast':
            repl = up(repl)
        ctx = self.ctx(f, call)
        if cn in COH_ALLOC:
            di, si, ai, gi, at = COH_ALLOC[cn]
            if len(call.kids) != (6 if isinstance(at, int) else 5):
                raise Refuse('malformed %s() at %s' % (cn, self.where(f, call)))
            self.check_device(f, call, di)
            flags = self.gfp_flags(f, call.kids[gi + 1])
            if isinstance(at, int):
                flags += self.attr_flags(f, call.kids[at + 1])
            elif at:
                flags += self.attr_flags(f, at)
            if 'DMASHIM_ALLOC_NO_KERNEL_MAPPING' in flags and \
                    any(x == 'DMASHIM_ALLOC_NOWAIT' or x.startswith('dmashim_mig_gfp(')
                        for x in flags):
                raise Refuse('NO_KERNEL_MAPPING with an atomic allocation at %s: dmashim '
                             'refuses the pair' % self.where(f, call))
            self.need(f, 'alloc')
            txt = 'dmashim_mig_alloc(%s, %s, %s, %s)' % (
                ctx, self.arg(f, call, si), self.arg(f, call, ai), ' | '.join(flags) or '0')
        elif cn in POOL_CREATE:
            if len(call.kids) != 6:
                raise Refuse('malformed %s() at %s' % (cn, self.where(f, call)))
            self.check_device(f, call, 1)
            al = self.arg(f, call, 3)
            if re.fullmatch(r'\d+', al) and int(al) > 4096:
                raise Refuse('pool alignment %s above PAGE_SIZE at %s' % (al, self.where(f, call)))
            self.need(f, 'pool_create')
            txt = 'dmashim_mig_pool_create(%s, %s, %s, %s, %s)' % (
                ctx, self.arg(f, call, 0), self.arg(f, call, 2), al, self.arg(f, call, 4))
        else:
            if len(call.kids) != 4:
                raise Refuse('malformed %s() at %s' % (cn, self.where(f, call)))
            pool = self.storage_of(f, call.kids[1])
            if not isinstance(pool, Storage) or pool.cls is None or pool.cls['kind'] != 'pool':
                raise Refuse('%s() at %s allocates from a pool the migration does not convert'
                             % (cn, self.where(f, call)))
            flags = self.gfp_flags(f, call.kids[2], pool=True)
            self.need(f, 'pool_alloc')
            txt = 'dmashim_mig_pool_alloc(%s, %s, %s, %s)' % (
                ctx, self.arg(f, call, 0), ' | '.join(flags) or '0', self.arg(f, call, 2))
        self.replace_node(cf, repl, txt)

    def api_use(self, f, call, cn, k, o, s, c):
        cf = f.cf
        if id(call) in self.converted:
            return
        if cn in POOL_ALLOC:
            if k == 0:
                return      # the pool of an allocation, converted with it
            raise Refuse('%s() argument %d is a converted pointer (%s)' % (
                cn, k, self.where(f, call)))
        self.converted.add(id(call))
        ctx = self.ctx(f, call)
        if cn in COH_FREE:
            di, ci = COH_FREE[cn]
            if k != ci:
                raise Refuse('%s() at %s gets a converted pointer as argument %d' % (
                    cn, self.where(f, call), k))
            self.check_device(f, call, di)
            self.need(f, 'free')
            return self.replace_node(cf, call, 'dmashim_mig_free(%s, %s)' % (
                ctx, self.arg(f, call, ci)))
        if cn == 'dma_pool_free':
            if len(call.kids) != 4:
                raise Refuse('malformed dma_pool_free() at %s' % self.where(f, call))
            pool = self.storage_of(f, call.kids[1])
            blk = self.storage_of(f, call.kids[2])
            if not (isinstance(pool, Storage) and pool.cls and pool.cls['kind'] == 'pool' and
                    isinstance(blk, Storage) and blk.cls and blk.cls['kind'] == 'buf'):
                raise Refuse('dma_pool_free() at %s on a pool or block that is not converted'
                             % self.where(f, call))
            self.need(f, 'free')
            return self.replace_node(cf, call, 'dmashim_mig_free(%s, %s)' % (
                ctx, self.arg(f, call, 1)))
        if cn in ('dma_pool_destroy', 'dmam_pool_destroy'):
            self.need(f, 'pool_destroy')
            return self.replace_node(cf, call, 'dmashim_mig_pool_destroy(%s, %s)' % (
                ctx, self.arg(f, call, 0)))
        if cn in MMAP:
            di, vi, ci = MMAP[cn]
            if k != ci:
                raise Refuse('%s() at %s' % (cn, self.where(f, call)))
            self.check_device(f, call, di)
            vma = self.arg(f, call, vi)
            self.replace_node(cf, call, 'dmashim_mmap(%s, %s, %s)' % (
                ctx, self.arg(f, call, ci), vma))
            st = call.stmt
            if not (st.kind == 'return' and strip(st.exprs[0]) is call):
                self.todo(f, st, 'dmashim_mmap() must be called last in the mmap handler and '
                          'its result returned: a VMA whose mmap fails after it leaks the pin')
            elif not re.search(r'%s\s*->\s*vm_pgoff\s*=\s*0\s*;' % re.escape(vma),
                               cf.text[cf.toks[f.ts].s:cf.toks[f.te].e]):
                self.todo(f, st, 'dmashim_mmap() maps from the first byte of the buffer; '
                          'dma_mmap_*() honoured vma->vm_pgoff: check that no caller maps '
                          'at an offset (or set vma->vm_pgoff = 0)')
            return
        if cn in SGT:
            di, ti, ci = SGT[cn]
            if k != ci:
                raise Refuse('%s() at %s' % (cn, self.where(f, call)))
            self.check_device(f, call, di)
            sgt = self.arg(f, call, ti)
            frees = [n for g, n in self.d.calls_by_name.get('sg_free_table', [])
                     if g is f and len(n.kids) == 2 and self.arg(g, n, 0) == sgt]
            if not frees:
                raise Refuse('%s() at %s: no sg_free_table(%s) in %s() to turn into '
                             'dmashim_put_sgtable()' % (cn, self.where(f, call), sgt, f.name))
            h = self.arg(f, call, ci)
            self.replace_node(cf, call, 'dmashim_get_sgtable(%s, %s, %s)' % (ctx, h, sgt))
            for n in frees:
                self.replace_node(cf, n, 'WARN_ON(dmashim_put_sgtable(%s, %s, %s))' % (ctx, h, sgt))
                self.converted.add(id(n))
            return
        raise Refuse('%s() at %s cannot be converted' % (cn, self.where(f, call)))

    def check_api_calls(self):
        for name in sorted(API):
            for f, n in self.d.calls_by_name.get(name, []):
                if id(n) not in self.converted:
                    raise Refuse('%s() at %s is not on a converted buffer' % (
                        name, self.where(f, n)))
        for name in ('dma_alloc_noncoherent', 'dma_free_noncoherent'):
            pass

    # ---- declarations -----------------------------------------------------------
    def retype(self):
        done = set()
        for c in self.classes:
            newt = 'dmashim_pool_t' if c['kind'] == 'pool' else 'dmashim_handle_t'
            for s in c['members']:
                if s.key[0] == 'r':
                    fs = self.d.funcs[s.key[1]]
                    self.no_fnptr(s.key[1])
                    for g in fs:
                        self.retype_ret(g.cf, g.head_ts, g.name_tok, newt)
                    for cf, dec in self.d.protos.get(s.key[1], []):
                        self.retype_ret(cf, dec.ts, dec.name_tok, newt)
                    continue
                if s.key[0] == 'p':
                    g = [x for x in self.d.funcs[s.key[2]] if x.cf.path == s.key[1]][0]
                    k = [p.name for p in g.params].index(s.key[3])
                    if k < 0:
                        raise Refuse('internal: parameter')
                    self.no_fnptr(g.name)
                    for cf, dec in self.d.protos.get(g.name, []):
                        self.retype_proto_param(cf, dec, k, newt, s.key[3])
                for dec in s.decls:
                    cf = self.decl_file(dec, s)
                    if (cf.path, dec.ts, dec.ds) in done:
                        continue
                    done.add((cf.path, dec.ts, dec.ds))
                    self.retype_decl(cf, dec, newt, s)

    def decl_file(self, dec, s):
        k = s.key
        if k[0] in ('v', 'p'):
            return self.d.files[k[1]]
        if k[0] == 'm':
            st = self.d.structs[k[1]][0]
            return self.d.files[st.path]
        return dec.cf

    def retype_ret(self, cf, ts, name_tok, newt):
        keep = [t.text for t in cf.toks[ts:name_tok]
                if t.text in ('static', 'inline', '__always_inline', 'noinline', 'extern',
                              '__init', '__maybe_unused', '__must_check', '__cold')]
        kept = [w for w in keep if w in ('static', 'inline', '__always_inline', 'extern',
                                         'noinline', '__maybe_unused')]
        tail = [w for w in keep if w not in kept]
        txt = ' '.join(kept + [newt] + tail) + ' '
        a = cf.toks[ts].s
        b = cf.toks[name_tok].s
        # keep a line break between the type and the name
        between = cf.text[a:b]
        if '\n' in between.rstrip(' \t*'):
            txt = txt.rstrip() + '\n'
        self.edit(cf, a, b, txt)

    def retype_proto_param(self, cf, dec, k, newt, name):
        toks = cf.toks
        i = dec.name_tok + 1
        if toks[i].text != '(':
            raise Refuse('cannot retype the prototype of %s' % toks[dec.name_tok].text)
        p = cparse.Parser(toks, cf.typedefs)
        j = p.match_close(i)
        args = []
        a = i + 1
        depth = 0
        for m in range(i + 1, j + 1):
            x = toks[m].text
            if x in '([{':
                depth += 1
            elif x in ')]}' and m != j:
                depth -= 1
            if (x == ',' and depth == 0) or m == j:
                args.append((a, m - 1))
                a = m + 1
        if k >= len(args):
            raise Refuse('cannot retype the prototype of %s' % toks[dec.name_tok].text)
        a, b = args[k]
        pname = toks[b].text if toks[b].kind == 'id' and b > a else name
        self.edit(cf, toks[a].s, toks[b].e, '%s %s' % (newt, pname))

    def retype_decl(self, cf, dec, newt, s):
        toks = cf.toks
        if dec.ndecl == 1:
            a = toks[dec.ts].s
            keep = [t.text for t in toks[dec.ts:dec.base_te] if t.text in ('static',)]
            self.edit(cf, a, toks[dec.name_tok].s, ' '.join(keep + [newt]) + ' ')
            return
        # several declarators: split the declaration, once
        key = ('split', cf.path, dec.ts)
        if key in self.__dict__.setdefault('_splits', set()):
            return
        self._splits.add(key)
        all_decls = self.decls_of_stmt(cf, dec)
        base = cf.text[toks[dec.ts].s:toks[dec.base_te - 1].e]
        line_start = cf.text.rfind('\n', 0, toks[dec.ts].s) + 1
        indent = re.match(r'[ \t]*', cf.text[line_start:]).group()
        parts = []
        for x in all_decls:
            conv = self.storage_for_decl(cf, x)
            if conv is not None:
                nt = 'dmashim_pool_t' if conv.cls['kind'] == 'pool' else 'dmashim_handle_t'
                rest = self.span_text(cf, toks[x.name_tok].s, toks[x.de - 1].e)
                parts.append('%s %s;' % (nt, rest))
            else:
                parts.append('%s %s;' % (base, self.span_text(cf, toks[x.ds].s,
                                                              toks[x.de - 1].e)))
        self.edit(cf, toks[dec.ts].s, toks[dec.te].e, ('\n' + indent).join(parts))

    def decls_of_stmt(self, cf, dec):
        out = []
        for sts in self.d.structs.values():
            for st in sts:
                if st.path == cf.path:
                    out += [m for m in st.members.values() if m.ts == dec.ts]
        for f in cf.funcs:
            out += [d for d in f.locals.values() if d.ts == dec.ts]
        out += [d for d in cf.globals.values() if d.ts == dec.ts]
        seen = []
        for x in sorted(out, key=lambda x: x.ds):
            if x not in seen:
                seen.append(x)
        if len(seen) != dec.ndecl:
            raise Refuse('cannot split the declaration at %s:%d' % (
                os.path.basename(cf.path), cf.toks[dec.ts].line))
        return seen

    def storage_for_decl(self, cf, x):
        for s in self.storages.values():
            if s.cls is not None and x in s.decls:
                return s
        return None

    # ---- the context's creation -------------------------------------------------
    def owner_overwritten(self):
        """A memset()/memcpy() over the whole owner structure (hptiop clears
        it right after getting it) would wipe the context pointer."""
        for name in ('memset', 'memcpy', 'memmove', 'memset_io'):
            for f, n in self.d.calls_by_name.get(name, []):
                if len(n.kids) < 2:
                    continue
                dst = strip(n.kids[1])
                if dst.kind == 'unary' and dst.val == '&':
                    t = self.d.typeof(dst.kids[0], f)
                    ptr = 0
                else:
                    t = self.d.typeof(dst, f)
                    ptr = 1
                if t is None or t.ptr != ptr or t.arr:
                    continue
                st = self.d.struct(t.base)
                if st is not None and st.name == self.owner:
                    raise Refuse('%s() at %s overwrites the whole %s, which holds the '
                                 'context' % (name, self.where(f, n), self.owner))
        for f, n in self.d.allnodes:
            if n.kind == 'assign' and n.val == '=':
                t = self.d.typeof(n.kids[0], f)
                if t is not None and not t.ptr and not t.arr:
                    st = self.d.struct(t.base)
                    if st is not None and st.name == self.owner:
                        raise Refuse('an assignment at %s overwrites the whole %s, which holds '
                                     'the context' % (self.where(f, n), self.owner))

    def place_ctx(self):
        self.owner_overwritten()
        fc = self.fctx
        cf = fc.cf
        top = fc.body.subs
        def top_index(n):
            st = n.stmt if isinstance(n, Node) else n
            while st.parent is not fc.body:
                st = st.parent
                if st is None:
                    raise Refuse('internal: statement outside %s()' % fc.name)
            return top.index(st)
        cands = []
        if self.mask_nodes and self.mask_nodes[-1].stmt.func is fc:
            cands.append(('mask', top_index(self.mask_nodes[-1])))
        ov = self.owner_var
        if ov not in [p.name for p in fc.params]:
            dec = fc.locals[ov]
            idx = None
            if dec.init is not None:
                idx = top_index(dec.init)
            sets = []
            for g, m in self.d.ids_by_name.get(ov, []):
                pu = up(m)
                if g is fc and pu is not None and pu.kind == 'unary' and pu.val == '&':
                    raise Refuse('the address of %s is taken in %s()' % (ov, fc.name))
                if g is fc and pu is not None and pu.kind == 'assign' and strip(pu.kids[0]) is m:
                    if m.stmt.parent is not fc.body:
                        raise Refuse('%s is assigned inside a block of %s()' % (ov, fc.name))
                    sets.append(m)
            if len(sets) + (dec.init is not None) > 1:
                raise Refuse('%s is assigned more than once in %s()' % (ov, fc.name))
            if sets:
                idx = top_index(sets[0])
            if idx is None:
                raise Refuse('cannot tell where %s() sets %s' % (fc.name, ov))
            cands.append(('owner', idx))
        if not cands:
            raise Refuse('no place to create the context in %s()' % fc.name)
        i = max(x[1] for x in cands)
        # the check of statement i and its error branch
        branch, errvar, last = self.error_branch(fc, top, i)
        at = None
        before = False      # created right before the statement whose branch it takes
        if branch is None:
            # no check after the mask or the owner (netdev_priv() cannot
            # fail): create the context just before the first allocation,
            # with that allocation's own error branch
            at = self.first_alloc_stmt(fc, top, i)
            if at is not None:
                branch, errvar, _ = self.error_branch(fc, top, at, after=False)
                last = at - 1
                before = True
        if branch is None:
            # or the branch of the next statement that can fail, when only
            # harmless statements come between: the state it unwinds is
            # the state right after top[i]
            k = self.next_failing(fc, top, i)
            if k is not None:
                branch, errvar, _ = self.error_branch(fc, top, k, after=False)
                last = k - 1
                before = True
        if branch is None:
            raise Refuse('no error branch after the DMA mask or the allocation of %s in %s() '
                         'to create the context with' % (ov, fc.name))
        # nothing converted may run in fctx before the context exists
        before_end = cf.toks[top[last].te].e
        for (f, n) in self.all_sites():
            if f is fc and cf.toks[n.ts].s < before_end:
                raise Refuse('%s() uses a converted buffer before the context can be created'
                             % fc.name)
        site_funcs = self.funcs_with_sites()
        for g, n in self.d.allnodes:
            if g is fc and n.kind == 'call' and n.kids[0].kind == 'id' and \
                    n.kids[0].val in site_funcs and cf.toks[n.ts].s < before_end:
                raise Refuse('%s() calls %s() before the context can be created' % (
                    fc.name, n.kids[0].val))
        line_start = cf.text.rfind('\n', 0, cf.toks[top[last].ts].s) + 1
        indent = re.match(r'[ \t]*', cf.text[line_start:]).group()
        if at is not None:
            # the new statements go after top[at - 1], and end with a blank line
            before_end = cf.toks[top[at - 1].te].e
            self.ctx_before_alloc = True
        if not self.branch_ok(fc, branch, errvar, before=before):
            raise Refuse('the error branch at %s reads what it checked or returns an error '
                         'code set elsewhere: no exact branch to create the context with'
                         % self.where(fc, branch))
        owner = '%s->%s' % (ov, self.ctx_member)
        create = 'devm_dmashim_ctx_create(%s, &%s)' % (self.root_dev_text, owner)
        btext = self.branch_text(fc, branch, indent)
        if errvar:
            code = '\n%s%s = %s;\n%sif (%s)%s' % (indent, errvar, create, indent, errvar, btext)
        else:
            code = '\n%sif (%s)%s' % (indent, create, btext)
        self.edit(cf, before_end, before_end, code)

    def branch_ok(self, fc, br, errvar, before=False):
        """A branch copied after the context's creation must mean the same
        there: it sets its error code from constants (or returns errvar,
        which then holds the creation's result), reads nothing the check
        computed (PTR_ERR(base)), and a goto carries a code set in the
        branch itself or in errvar, or (before: the context is created
        right before the statement checked) whatever that statement's
        failure would have carried."""
        subs = [x for x in br.subs if not self.logging(x)] if br.kind == 'block' else [br]
        subs = [x for x in subs if not (x.kind == 'if' and len(x.subs) > 1 and x.subs[1] is None
                                        and self.logging(x.subs[0]))]
        code_set = errvar is not None or before
        for x in subs:
            if x.kind == 'return':
                e = strip(x.exprs[0]) if x.exprs else None
                if e is not None and not self.constant(e) and not (
                        e.kind == 'id' and e.val == errvar):
                    return False
            elif x.kind == 'goto':
                if not code_set:
                    return False
            elif x.kind == 'expr':
                e = strip(x.exprs[0])
                if e is None or e.kind != 'assign' or e.val != '=' or \
                        strip(e.kids[0]).kind != 'id' or not self.constant(strip(e.kids[1])):
                    return False
                code_set = True
            else:
                return False
        return True

    @staticmethod
    def constant(e):
        """-ENOMEM, 0, -1, ENODEV: a number or an upper-case name, negated
        or not."""
        if e is None:
            return False
        if e.kind == 'unary' and e.val == '-':
            e = strip(e.kids[0])
        return e.kind == 'num' or (e.kind == 'id' and e.val.isupper())

    def next_failing(self, fc, top, i):
        """k > i: top[k] acquires something and is checked (by itself, or by
        an exiting if right after it), and every statement between i and k
        is harmless and converts nothing."""
        k = i + 1
        while k < len(top) and self.harmless(top[k]) and not any(
                f is fc and top[k].ts <= n.ts <= top[k].te for f, n in self.all_sites()):
            k += 1
        if k >= len(top):
            return None
        st = top[k]
        if st.kind == 'if' and self.exits(st.subs[0]) and self.outer_calls(st.exprs[0]):
            return k
        if st.kind == 'expr' and k + 1 < len(top) and top[k + 1].kind == 'if' and \
                self.exits(top[k + 1].subs[0]) and not self.outer_calls(top[k + 1].exprs[0]):
            return k
        return None

    def first_alloc_stmt(self, fc, top, i):
        """The index of the first statement of fc after top[i] with anything
        converted in it, when it is "x = <DMA allocation>;" with nothing
        else in it, and the statement after it checks x and exits."""
        site_funcs = self.funcs_with_sites()
        allocs = {id(n) for f, n, _ in self.alloc_list if f is fc}
        for j in range(i + 1, len(top)):
            st = top[j]
            nodes = [n for e in st.exprs if e is not None for n in e.walk()]
            nodes += [n for x in st.walk() for e in x.exprs if e is not None and x is not st
                      for n in e.walk()]
            touched = any(id(n) in self.site_nodes for n in nodes) or any(
                n.kind == 'call' and n.kids[0].kind == 'id' and n.kids[0].val in site_funcs
                for n in nodes)
            sites = [n for f, n in self.all_sites() if f is fc and st.ts <= n.ts <= st.te]
            if not touched and not sites:
                continue
            if st.kind != 'expr' or len(st.exprs) != 1:
                return None
            e = strip(st.exprs[0])
            if e.kind != 'assign' or e.val != '=':
                return None
            rhs = e.kids[1]
            while rhs is not None and rhs.kind == 'cast':
                rhs = rhs.kids[-1]
            if rhs is None or id(rhs) not in allocs:
                return None
            if j + 1 >= len(top) or top[j + 1].kind != 'if' or \
                    not self.exits(top[j + 1].subs[0]):
                return None
            return j
        return None

    def funcs_with_sites(self):
        direct = {f.name for f, n in self.all_sites()}
        calls = {}
        for g, n in self.d.allnodes:
            if n.kind == 'call' and n.kids[0].kind == 'id':
                calls.setdefault(g.name, set()).add(n.kids[0].val)
        out = set(direct)
        changed = True
        while changed:
            changed = False
            for g, cs in calls.items():
                if g not in out and cs & out:
                    out.add(g)
                    changed = True
        return out

    def exits(self, st):
        if st is None:
            return False
        if st.kind in ('return', 'goto'):
            return True
        if st.kind == 'block' and st.subs:
            return st.subs[-1].kind in ('return', 'goto')
        return False

    def error_branch(self, fc, top, i, after=True):
        """(branch, errvar, last index) for creating the context after top[i]
        (or, not after, just before it: then the branch of top[i]'s own
        check is exact as it stands)."""
        cand = []
        for j in (i, i + 1):
            if j >= len(top):
                break
            st = top[j]
            if j == i + 1 and st.kind != 'if':
                break
            for x in st.walk():
                if x.kind == 'if' and self.exits(x.subs[0]):
                    cand.append((x, j))
            if cand:
                break
        if not cand:
            # walk back over statements that acquire nothing
            j = i
            while j > 0 and self.harmless(top[j]):
                j -= 1
                if top[j].kind == 'if' and self.exits(top[j].subs[0]):
                    cand.append((top[j], i))
                    break
        if not cand or (after and not self.unwinds_all(top, cand[-1][0])):
            return None, None, i
        x, last = cand[-1]
        c = strip(x.exprs[0])
        errvar = None
        if c.kind == 'assign' and c.val == '=' and strip(c.kids[0]).kind == 'id':
            c = strip(c.kids[0])        # if ((err = f(...)))
        if c.kind == 'id':
            errvar = c.val
        elif c.kind == 'bin' and c.val in ('<', '!=') and strip(c.kids[0]).kind == 'id':
            errvar = strip(c.kids[0]).val
        elif c.kind == 'call' and c.kids[0].val in ('unlikely',) and strip(c.kids[1]).kind == 'id':
            errvar = strip(c.kids[1]).val
        if errvar:
            dec = self.d.var_decl(fc, errvar)
            if dec is None or dec.ctype.ptr or dec.ctype.base not in ('int', 'long'):
                errvar = None
        return x.subs[0], errvar, last

    PURE_TESTS = {'unlikely', 'likely', 'IS_ERR', 'PTR_ERR', 'IS_ERR_OR_NULL', 'WARN_ON',
                  'WARN_ON_ONCE'}
    MASK_OR_MANAGED = MASK_CALLS | {'netdev_priv'}

    def unwinds_all(self, top, x):
        """Whether the error branch of the check x is still exact after the
        statement it checks succeeded: when that statement (or x's own
        condition) acquired nothing a failure would have to release, i.e.
        it set the mask or got managed (devm_/pcim_/dmam_) memory."""
        calls = self.outer_calls(x.exprs[0])
        if not calls and x in top and top.index(x) > 0:
            prev = top[top.index(x) - 1]
            calls = [c for e in prev.exprs if e is not None for c in self.outer_calls(e)]
        for n in calls:
            if n.kids[0].kind != 'id':
                return False    # through a function pointer
            name = n.kids[0].val
            if name.isupper() or name in self.PURE_TESTS:
                continue        # DMA_BIT_MASK(), ARRAY_SIZE(): values
            if not (name in self.MASK_OR_MANAGED or name.startswith(('devm_', 'pcim_', 'dmam_'))):
                return False
        return True

    def outer_calls(self, e):
        """The calls e makes, not those computing their arguments
        (struct_size(), DMA_BIT_MASK()), seen through unlikely() and !."""
        e = strip(e)
        if e is None:
            return []
        if e.kind == 'call' and e.kids[0].kind == 'id':
            if e.kids[0].val in self.PURE_TESTS:
                return [c for k in e.kids[1:] for c in self.outer_calls(k)]
            return [e]
        if e.kind == 'call':
            return [e]
        return [c for k in e.kids if isinstance(k, Node) for c in self.outer_calls(k)]

    def harmless(self, st):
        if st.kind != 'expr':
            return False
        for n in st.exprs[0].walk():
            if n.kind == 'call' and n.kids[0].kind == 'id' and n.kids[0].val not in (
                    'netdev_priv', 'SET_NETDEV_DEV', 'pci_set_drvdata', 'platform_set_drvdata',
                    'dev_set_drvdata', 'spin_lock_init', 'mutex_init', 'INIT_LIST_HEAD',
                    'init_waitqueue_head', 'pci_set_master', 'dev_get_drvdata', 'to_pci_dev',
                    'to_platform_device', 'platform_get_drvdata', 'pci_get_drvdata'):
                return False
        return True

    def branch_text(self, fc, br, indent):
        cf = fc.cf
        if br.kind == 'block':
            subs = [s for s in br.subs if not self.logging(s)]
        else:
            subs = [br]
        lines = []
        for s in subs:
            t = cf.text[cf.toks[s.ts].s:cf.toks[s.te].e]
            ls = cf.text.rfind('\n', 0, cf.toks[s.ts].s) + 1
            old = re.match(r'[ \t]*', cf.text[ls:]).group()
            t = '\n'.join(l[len(old):] if l.startswith(old) else l.lstrip() for l in t.split('\n'))
            lines.append('\n'.join(indent + '\t' + l for l in t.split('\n')))
        if len(lines) == 1:
            return '\n' + lines[0]
        return ' {\n' + '\n'.join(lines) + '\n' + indent + '}'

    def logging(self, s):
        if s.kind != 'expr':
            return False
        e = strip(s.exprs[0])
        return e.kind == 'call' and e.kids[0].kind == 'id' and bool(cparse.LOGGING.match(e.kids[0].val))

    # ---- files --------------------------------------------------------------------
    def finish_files(self):
        d = self.d
        st = d.struct(self.owner)
        cf = d.files[st.path]
        close = cf.toks[st.te].s
        ls = cf.text.rfind('\n', 0, close) + 1
        if cf.text[ls:close].strip():
            raise Refuse('cannot place the context member in %s' % self.owner)
        mind = '\t'
        for mname in st.order[-1:]:
            m = st.members[mname]
            l2 = cf.text.rfind('\n', 0, cf.toks[m.ts].s) + 1
            mind = re.match(r'[ \t]*', cf.text[l2:]).group() or '\t'
            if m.ctype.arr and m.ctype.arr[-1] in ('', '0'):
                ls = l2
        self.edit(cf, ls, ls, '%sstruct dmashim_ctx *%s;\n' % (mind, self.ctx_member))
        for path in sorted(set(self.edits) | set(self.todos)):
            self.add_include(d.files[path])
        lic = [cf for cf in d.files.values() if re.search(r'^MODULE_LICENSE\s*\(', cf.text, re.M)]
        if not lic:
            lic = [self.fctx.cf]
            cf = lic[0]
            self.edit(cf, len(cf.text), len(cf.text),
                      ('' if cf.text.endswith('\n') else '\n') + 'MODULE_IMPORT_NS(DMASHIM);\n')
        else:
            for cf in lic:
                if 'MODULE_IMPORT_NS(DMASHIM)' in cf.text:
                    continue
                m = re.search(r'^MODULE_LICENSE\s*\([^;]*\);[^\n]*\n', cf.text, re.M)
                self.edit(cf, m.end(), m.end(), 'MODULE_IMPORT_NS(DMASHIM);\n')

    def add_include(self, cf):
        if re.search(r'#\s*include\s*[<"]dmashim\.h[>"]', cf.text):
            return
        first_edit = min([e[0] for e in self.edits.get(cf.path, [])] +
                         [e[0] for e in self.todos.get(cf.path, [])] + [len(cf.text)])
        first_code = cf.toks[0].s if cf.toks else len(cf.text)
        limit = min(first_edit, first_code)
        incs = [p for p in cf.pps if re.match(r'\s*#\s*include\b', p.text) and p.s < limit]
        helpers = self.helpers.get(cf.path)
        if incs:
            pos = incs[-1].e + 1
        else:
            guards = [p for p in cf.pps if re.match(r'\s*#\s*define\b', p.text) and p.s < limit]
            pos = guards[0].e + 1 if guards else (cf.pps[0].s if cf.pps else 0)
        text = '#include <dmashim.h>\n'
        if helpers:
            # the helpers may come before the driver's own includes are done
            if not re.search(r'#\s*include\s*<linux/bug\.h>', cf.text):
                text = '#include <linux/bug.h>\n' + text
            text += '\n' + helper_text(helpers)
        self.edit(cf, pos, pos, text)


HELPERS = {
    'gfp': '''\
static u32 __maybe_unused dmashim_mig_gfp(gfp_t gfp, u32 nowarn)
{
	return (gfpflags_allow_blocking(gfp) ? 0 : DMASHIM_ALLOC_NOWAIT) |
	       (gfp & __GFP_NOWARN ? nowarn : 0);
}
''',
    'alloc': '''\
static dmashim_handle_t __maybe_unused dmashim_mig_alloc(struct dmashim_ctx *ctx, size_t size,
							  dma_addr_t *dma, u32 flags)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts),
		.flags = flags,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	dmashim_handle_t h;
	u64 addr;

	if (dmashim_alloc(ctx, size, &opts, &h))
		return 0;
	if (dmashim_dma_addr(ctx, h, 0, size, &addr)) {
		WARN_ON(dmashim_free(ctx, h));
		return 0;
	}
	*dma = addr;
	return h;
}
''',
    'free': '''\
static void __maybe_unused dmashim_mig_free(struct dmashim_ctx *ctx, dmashim_handle_t h)
{
	if (h)
		WARN_ON(dmashim_free(ctx, h));
}
''',
    'pool_create': '''\
static dmashim_pool_t __maybe_unused dmashim_mig_pool_create(struct dmashim_ctx *ctx,
							      const char *name, size_t size,
							      size_t align, size_t boundary)
{
	struct dmashim_pool_opts opts = {
		.sz = sizeof(opts),
		.align = align,
		.boundary = boundary,
	};
	dmashim_pool_t pool;

	if (dmashim_pool_create(ctx, name, size, &opts, &pool))
		return 0;
	return pool;
}
''',
    'pool_alloc': '''\
static dmashim_handle_t __maybe_unused dmashim_mig_pool_alloc(struct dmashim_ctx *ctx,
							       dmashim_pool_t pool, u32 flags,
							       dma_addr_t *dma)
{
	dmashim_handle_t h;
	u64 addr;

	if (dmashim_pool_alloc(ctx, pool, flags, &h))
		return 0;
	if (dmashim_dma_addr(ctx, h, 0, 1, &addr)) {
		WARN_ON(dmashim_free(ctx, h));
		return 0;
	}
	*dma = addr;
	return h;
}
''',
    'pool_destroy': '''\
static void __maybe_unused dmashim_mig_pool_destroy(struct dmashim_ctx *ctx, dmashim_pool_t pool)
{
	if (pool)
		WARN_ON(dmashim_pool_destroy(ctx, pool));
}
''',
}
for _n in (8, 16, 32, 64):
    HELPERS['load%d' % _n] = '''\
static u%d __maybe_unused dmashim_mig_load%d(struct dmashim_ctx *ctx, dmashim_handle_t h, u64 off)
{
	u%d v = 0;

	WARN_ON_ONCE(dmashim_load%d(ctx, h, off, &v));
	return v;
}
''' % (_n, _n, _n, _n)
    HELPERS['store%d' % _n] = '''\
static void __maybe_unused dmashim_mig_store%d(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u%d v)
{
	WARN_ON_ONCE(dmashim_store%d(ctx, h, off, v));
}
''' % (_n, _n, _n)
HELPER_ORDER = ['gfp', 'alloc', 'free', 'pool_create', 'pool_alloc', 'pool_destroy'] + \
    ['%s%d' % (k, n) for n in (8, 16, 32, 64) for k in ('load', 'store')]


def helper_text(names):
    out = ['/* Added by the dmashim migration: the DMA API\'s shape over dmashim handles. */\n']
    for n in HELPER_ORDER:
        if n in names:
            out.append(HELPERS[n] + '\n')
    return ''.join(out).rstrip('\n') + '\n'


def fmt_todo(indent, msg):
    one = '%s/* %s%s */' % (indent, TODO, msg)
    if len(one.expandtabs(8)) <= 100:
        return one + '\n'
    words = (TODO + msg).split()
    lines = []
    cur = ''
    for w in words:
        if len(('%s * %s %s' % (indent, cur, w)).expandtabs(8)) > 100 and cur:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + ' ' + w).strip()
    lines.append(cur)
    return '%s/*\n%s\n%s */\n' % (indent, '\n'.join('%s * %s' % (indent, l) for l in lines), indent)


def col(s):
    return len(s.expandtabs(8))


def align(c):
    return '\t' * (c // 8) + ' ' * (c % 8)


def wrap(line, width=100):
    """Break a generated line after commas (or before nothing else than
    after a binary + or |), each continuation aligned with its open paren,
    kernel style; the outermost break that fits wins."""
    m = re.match(r'[ \t]*', line)
    prefix, st = m.group(), m.end()
    base = col(prefix)
    out = []
    stack = []
    while True:
        c0 = base
        i = st
        cands = []
        stk = list(stack)
        in_str = False
        over = False
        while i < len(line):
            ch = line[i]
            c = c0 + (i - st) + 1
            if ch == '"' and line[i - 1] != '\\':
                in_str = not in_str
            elif not in_str:
                if ch == '(':
                    stk.append(c)
                elif ch == ')' and stk:
                    stk.pop()
                elif stk and line[i + 1:i + 2] == ' ' and (
                        ch == ',' or (ch in '+|' and line[i - 1] == ' ')):
                    if c <= width:
                        cands.append((len(stk) + (0.5 if ch != ',' else 0), -i, list(stk)))
            if c > width:
                over = True
                break
            i += 1
        if not over or not cands:
            out.append(prefix + line[st:])
            break
        _, ni, stk = min(cands)
        cut = -ni
        out.append(prefix + line[st:cut + 1])
        stack = stk
        ccol = stk[-1] if stk else base + 16
        if ccol > 72:
            ccol = base + 16
        prefix, base, st = align(ccol), ccol, cut + 2
    return '\n'.join(out)


def apply(plan):
    """New texts of every changed file."""
    out = {}
    d = plan.d
    for path in sorted(set(plan.edits) | set(plan.todos)):
        cf = d.files[path]
        text = cf.text
        eds = list(plan.edits.get(path, []))
        for pos, msg in plan.todos.get(path, []):
            ls = text.rfind('\n', 0, pos) + 1
            indent = re.match(r'[ \t]*', text[ls:]).group()
            eds.append((ls, ls, fmt_todo(indent, msg)))
        # a position gets its insertions in the order they were made
        eds = sorted(enumerate(eds), key=lambda x: (x[1][0], x[1][1], x[0]))
        res = []
        pos = 0
        for _, (s, e, t) in eds:
            if s < pos:
                raise Refuse('internal: overlapping rewrites in %s at offset %d' % (
                    os.path.basename(path), s))
            res.append(text[pos:s])
            res.append(t)
            pos = e
        res.append(text[pos:])
        old = set(text.split('\n'))
        out[path] = '\n'.join(wrap(l) if l not in old and col(l) > 100 else l
                              for l in ''.join(res).split('\n'))
    return out


PURE_CALLS = {'netdev_priv', 'pci_get_drvdata', 'platform_get_drvdata', 'dev_get_drvdata',
              'to_pci_dev', 'to_platform_device', 'container_of', 'dev_get_platdata',
              'pci_dev_to_dev', 'ata_get_cmd_descript'}


def unused_locals(old, new, typedefs):
    """Locals the rewrite left unused: drop their declaration when it has no
    side effect, else mark it __maybe_unused.  Again while that leaves more
    (a dropped "pp = ap->private_data" leaves ap)."""
    for _ in range(4):
        nxt = unused_locals_once(old, new, typedefs)
        if nxt == new:
            break
        new = nxt
    return new


def unused_locals_once(old, new, typedefs):
    try:
        of = CFile('old', old, typedefs)
        cparse.parse_file(of)
        nf = CFile('new', new, typedefs)
        cparse.parse_file(nf)
    except ParseError:
        return new
    def counts(cf, f):
        c = {}
        for t in cf.toks[f.ts:f.te]:
            if t.kind == 'id' and cf.toks[t.idx - 1].text not in (
                    'struct', 'union', 'enum', '.', '->'):
                c[t.text] = c.get(t.text, 0) + 1
        return c
    olds = {f.name: f for f in of.funcs if f.body is not None}
    eds = []
    for f in nf.funcs:
        g = olds.get(f.name)
        if f.body is None or g is None:
            continue
        oc, nc = counts(of, g), counts(nf, f)
        for name, dec in f.locals.items():
            if nc.get(name, 0) != 1 or oc.get(name, 0) <= 1 or dec.name_tok is None:
                continue
            pure = True
            if dec.init is not None:
                for n in dec.init.walk():
                    if n.kind in ('assign', 'postinc', 'preinc') or (
                            n.kind == 'call' and not (n.kids[0].kind == 'id' and
                                                      n.kids[0].val in PURE_CALLS)):
                        pure = False
            if pure and dec.ndecl == 1:
                s = nf.toks[dec.ts].s
                e = nf.toks[dec.te].e
                ls = nf.text.rfind('\n', 0, s) + 1
                le = nf.text.find('\n', e)
                if not nf.text[ls:s].strip() and not nf.text[e:le].strip():
                    end = le + 1
                    prev = nf.text[:ls].rstrip(' \t\n')
                    nxt = nf.text.find('\n', end)
                    if prev.endswith('{') and nxt >= 0 and not nf.text[end:nxt].strip():
                        end = nxt + 1
                    eds.append((ls, end, ''))
                    continue
            t = nf.toks[dec.name_tok]
            eds.append((t.e, t.e, ' __maybe_unused'))
    for s, e, t in sorted(eds, reverse=True):
        new = new[:s] + t + new[e:]
    return new


def migrate(dirpath, dry_run=False):
    """Returns (lines, changed): one line per file."""
    names = sorted(f for f in os.listdir(dirpath) if f.endswith(('.c', '.h')))
    try:
        drv = Driver(dirpath)
        plan = Plan(drv)
        plan.run()
        new = apply(plan)
        tds = set()
        for cf in drv.files.values():
            tds |= cf.typedefs
        for p in new:
            new[p] = unused_locals(drv.files[p].text, new[p], tds)
    except Refuse as e:
        return ['%s: untouched: %s' % (n, e) for n in names], False
    lines = []
    for n in names:
        p = os.path.join(dirpath, n)
        if p not in new or new[p] == drv.files[p].text:
            lines.append('%s: untouched: no coherent or pool DMA API use' % n)
            continue
        todos = plan.todos.get(p, [])
        if todos:
            lines.append('%s: assisted: %d TODO (first: %s)' % (n, len(todos), todos[0][1]))
        else:
            lines.append('%s: complete' % n)
        if not dry_run:
            with open(p, 'w', encoding='utf-8', errors='surrogateescape') as fh:
                fh.write(new[p])
    return lines, True


def main(argv):
    dry = '--dry-run' in argv
    args = [a for a in argv if not a.startswith('--')]
    if len(args) != 1 or not os.path.isdir(args[0]):
        sys.stderr.write('usage: dmashim_migrate.py [--dry-run] DIR\n')
        return 2
    lines, _ = migrate(args[0], dry)
    for line in lines:
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
