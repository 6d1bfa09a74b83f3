# SPDX-License-Identifier: GPL-2.0
"""A small C front end for the dmashim migration: tokens, declarations,
statements and expressions of kernel-style C, with exact source spans.

It does not preprocess: directives are kept as single tokens and macro calls
parse as function calls (or as loop statements, for the iterator macros).
Whatever it cannot parse it says so (ParseError); the migration then refuses
to touch anything the unparsed text might use.
"""
import re

KEYWORDS_TYPE = {
    'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed',
    'unsigned', 'bool', '_Bool', 'struct', 'union', 'enum',
}
QUALIFIERS = {
    'const', 'volatile', 'static', 'extern', 'register', 'inline',
    '__inline', '__inline__', 'auto', 'restrict', '__restrict',
    '__iomem', '__rcu', '__percpu', '__user', '__force', '__maybe_unused',
    '__always_unused', '__init', '__exit', '__devinit', '__cold', '__hot',
    '__initdata', '__initconst', '__ro_after_init', '__read_mostly',
    '__must_check', 'noinline', '__always_inline', '__packed', '__weak',
    '__used', 'notrace', '__visible', '__noreturn', 'asmlinkage',
    '__latent_entropy', '__refdata', '__ref', '__nocfi', '__exitdata',
    'fastcall', '__deprecated', '__iomem_ptr', '__kernel', '__safe',
    '__nocast', '__bitwise', '__private', '__cacheline_aligned',
    '____cacheline_aligned', '____cacheline_aligned_in_smp',
    '__cacheline_aligned_in_smp', '__randomize_layout', '__no_randomize_layout',
    'noinline_for_stack', '__noinline', '__flatten', '__pure',
}
# Attribute-like macros that take an argument list.
ATTR_CALLS = {
    '__attribute__', '__attribute', '__aligned', '__printf', '__acquires',
    '__releases', '__must_hold', '__section', '__alloc_size', '__scanf',
    '__counted_by', '__free', '__cleanup', '__nonstring', '__diag_ignore',
    '__no_sanitize_address', 'asm', '__asm__',
}
KNOWN_TYPEDEFS = {
    'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__u8', '__u16',
    '__u32', '__u64', '__s8', '__s16', '__s32', '__s64', '__le16', '__le32',
    '__le64', '__be16', '__be32', '__be64', 'dma_addr_t', 'size_t',
    'ssize_t', 'gfp_t', 'phys_addr_t', 'resource_size_t', 'uint8_t',
    'uint16_t', 'uint32_t', 'uint64_t', 'int8_t', 'int16_t', 'int32_t',
    'int64_t', 'loff_t', 'irqreturn_t', 'netdev_tx_t', 'atomic_t',
    'atomic64_t', 'spinlock_t', 'wait_queue_head_t', 'uintptr_t', 'pid_t',
    'blk_status_t', 'vm_fault_t', 'fmode_t', 'umode_t', 'dev_t', 'ktime_t',
    'cpumask_t', 'nodemask_t', 'pgprot_t', 'refcount_t', 'raw_spinlock_t',
    'rwlock_t', 'seqlock_t', 'uint', 'ulong', 'ushort', 'uchar', 'off_t',
    'dma_cookie_t', 'irq_handler_t', 'work_func_t', 'kernel_ulong_t',
    'netdev_features_t', 'sector_t', 'blk_qc_t', 'time64_t', 'wchar_t',
    'dmashim_handle_t', 'dmashim_pool_t', '__wsum', '__sum16', 'u_char',
    'u_short', 'u_int', 'u_long', 'caddr_t', 'dma_async_tx_callback',
    'pci_power_t', 'pci_ers_result_t', 'pm_message_t', 'uuid_t', 'guid_t',
}


class ParseError(Exception):
    pass


class Tok:
    __slots__ = ('kind', 'text', 's', 'e', 'line', 'idx')

    def __init__(self, kind, text, s, e, line):
        self.kind, self.text, self.s, self.e, self.line = kind, text, s, e, line
        self.idx = -1

    def __repr__(self):
        return '%s:%r@%d' % (self.kind, self.text, self.line)


_TOK = re.compile(r'''
 (?P<ws>(?:[ \t\r\f\v]|\\\n)+)
|(?P<nl>\n)
|(?P<cm>/\*.*?\*/|//[^\n]*)
|(?P<str>(?:L|u8|u|U)?"(?:\\.|[^"\\\n])*")
|(?P<chr>(?:L|u|U)?'(?:\\.|[^'\\\n])*')
|(?P<num>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
|(?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
|(?P<op>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|\#\#|[][(){}.,;:?~!+\-*/%&|^<>=\#@\\])
''', re.S | re.X)


def lex(text):
    """Return (tokens, directives, comments).  tokens excludes whitespace,
    comments and preprocessor directives; a directive is one Tok of kind
    'pp' covering its logical line."""
    toks, pps, cms = [], [], []
    pos, line, n = 0, 1, len(text)
    bol = True
    while pos < n:
        if bol:
            m = re.compile(r'[ \t]*#').match(text, pos)
            if m:
                # a directive: up to an unescaped newline, comments included
                s = pos
                p = m.end()
                while p < n:
                    c = text[p]
                    if c == '\\' and p + 1 < n and text[p + 1] == '\n':
                        p += 2
                        continue
                    if text.startswith('/*', p):
                        q = text.find('*/', p + 2)
                        p = n if q < 0 else q + 2
                        continue
                    if c == '\n':
                        break
                    p += 1
                pps.append(Tok('pp', text[s:p], s, p, line))
                line += text.count('\n', s, p)
                pos = p
                bol = False
                continue
        m = _TOK.match(text, pos)
        if not m:
            raise ParseError('line %d: cannot tokenise %r' % (line, text[pos:pos + 10]))
        kind = m.lastgroup
        t = m.group()
        if kind == 'nl':
            line += 1
            bol = True
        elif kind == 'ws':
            line += t.count('\n')
        elif kind == 'cm':
            cms.append(Tok('cm', t, pos, m.end(), line))
            line += t.count('\n')
        else:
            toks.append(Tok(kind, t, pos, m.end(), line))
            bol = False
        pos = m.end()
    for i, t in enumerate(toks):
        t.idx = i
    return toks, pps, cms


# ---- types -----------------------------------------------------------------

class CType:
    """base: 'struct foo', 'u32', 'void', ...; ptr: pointer depth; arr: array
    dimensions (texts); fn: function pointer; quals: qualifier words."""
    __slots__ = ('base', 'ptr', 'arr', 'fn', 'quals', 'bits')

    def __init__(self, base, ptr=0, arr=(), fn=False, quals=(), bits=None):
        self.base, self.ptr, self.arr, self.fn = base, ptr, tuple(arr), fn
        self.quals, self.bits = frozenset(quals), bits

    def deref(self):
        if self.arr:
            return CType(self.base, self.ptr, self.arr[1:], self.fn, self.quals)
        if self.ptr:
            return CType(self.base, self.ptr - 1, (), self.fn, self.quals)
        return None

    def addr(self):
        return CType(self.base, self.ptr + 1 + len(self.arr), (), self.fn, self.quals)

    def is_struct(self):
        return self.base.startswith(('struct ', 'union ')) and not self.ptr and not self.arr

    def is_ptr(self):
        return (self.ptr > 0 or bool(self.arr)) and not self.fn

    def __repr__(self):
        return '%s%s%s' % (self.base, '*' * self.ptr, ''.join('[%s]' % a for a in self.arr))


class Decl:
    """One declarator: name, CType, token span of the whole declaration
    statement (ts..te), of this declarator (ds..de), and of its
    initializer (init, a token index range or None)."""
    __slots__ = ('name', 'ctype', 'ts', 'te', 'ds', 'de', 'init', 'base_te',
                 'ndecl', 'name_tok', 'cf')

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


# ---- expressions -------------------------------------------------------------

class Node:
    __slots__ = ('kind', 'ts', 'te', 'kids', 'val', 'parent', 'stmt', 'ctype')

    def __init__(self, kind, ts, te, kids=(), val=None):
        self.kind, self.ts, self.te = kind, ts, te
        self.kids = list(kids)
        self.val = val
        self.parent = None
        self.stmt = None
        self.ctype = None

    def __repr__(self):
        return 'Node(%s,%r,%s)' % (self.kind, self.val, self.kids)

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()


BINPREC = {
    '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8,
    '<': 7, '>': 7, '<=': 7, '>=': 7, '==': 6, '!=': 6, '&': 5, '^': 4,
    '|': 3, '&&': 2, '||': 1,
}
ASSIGN_OPS = {'=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='}


class Parser:
    def __init__(self, toks, typedefs):
        self.t = toks
        self.n = len(toks)
        self.typedefs = typedefs

    # -- helpers
    def peek(self, i, k=0):
        j = i + k
        return self.t[j].text if j < self.n else ''

    def expect(self, i, text):
        if self.peek(i) != text:
            raise ParseError('line %d: expected %r, got %r' % (
                self.t[min(i, self.n - 1)].line, text, self.peek(i)))
        return i + 1

    def match_close(self, i):
        """i at an opening bracket: index of its closing one."""
        pairs = {'(': ')', '[': ']', '{': '}'}
        stack = []
        j = i
        while j < self.n:
            x = self.t[j].text
            if x in pairs:
                stack.append(pairs[x])
            elif x in (')', ']', '}'):
                if not stack or stack.pop() != x:
                    raise ParseError('line %d: unbalanced %r' % (self.t[j].line, x))
                if not stack:
                    return j
            j += 1
        raise ParseError('unbalanced bracket at line %d' % self.t[i].line)

    def is_type_start(self, i):
        x = self.peek(i)
        if not x:
            return False
        if x in KEYWORDS_TYPE or x in QUALIFIERS or x in ('typeof', '__typeof__', '__typeof'):
            return True
        if x in ATTR_CALLS and x not in ('asm', '__asm__'):
            return True
        if x in self.typedefs or x in KNOWN_TYPEDEFS:
            return self.t[i].kind == 'id'
        return False

    def unknown_cast(self, i):
        """'(ID *...)' or '(ID) operand' with ID an unknown typedef."""
        if i + 1 >= self.n or self.t[i + 1].kind != 'id':
            return False
        k = i + 2
        while self.peek(k) == '*':
            k += 1
        if self.peek(k) != ')':
            return False
        if k > i + 2:
            return True
        nxt = self.t[k + 1] if k + 1 < self.n else None
        return nxt is not None and nxt.kind in ('id', 'num', 'str', 'chr') and \
            self.t[i + 1].text.endswith('_t')

    # -- type names (casts, sizeof)
    def parse_typename(self, i):
        """Parse an abstract type name at i; returns (CType, next) or raises."""
        base, quals, i = self.parse_specifiers(i)
        if base is None and self.t[i].kind == 'id':
            base = self.peek(i)
            i += 1
        if base is None:
            raise ParseError('no type at line %d' % self.t[i].line)
        ptr = 0
        while self.peek(i) in ('*',) or self.peek(i) in QUALIFIERS:
            if self.peek(i) == '*':
                ptr += 1
            i += 1
        arr = []
        fn = False
        if self.peek(i) == '(' and self.peek(i + 1) == '*':
            j = self.match_close(i)
            i = j + 1
            fn = True
            if self.peek(i) == '(':
                i = self.match_close(i) + 1
        while self.peek(i) == '[':
            j = self.match_close(i)
            arr.append(' '.join(t.text for t in self.t[i + 1:j]))
            i = j + 1
        return CType(base, ptr, arr, fn, quals), i

    def parse_specifiers(self, i):
        """Declaration specifiers at i: (base text or None, quals, next)."""
        base = None
        words = []
        quals = []
        while i < self.n:
            x = self.peek(i)
            tk = self.t[i]
            if x in QUALIFIERS:
                quals.append(x)
                i += 1
            elif x in ATTR_CALLS and x not in ('asm', '__asm__'):
                i += 1
                if self.peek(i) == '(':
                    i = self.match_close(i) + 1
            elif x in ('struct', 'union', 'enum'):
                if base is not None or words:
                    break
                i += 1
                while self.peek(i) in ATTR_CALLS or self.peek(i) in QUALIFIERS:
                    i += 1
                    if self.peek(i) == '(':
                        i = self.match_close(i) + 1
                if self.t[i].kind == 'id':
                    base = '%s %s' % (x, self.peek(i))
                    i += 1
                else:
                    base = '%s <anon@%d>' % (x, self.t[i].line)
                if self.peek(i) == '{':
                    i = self.match_close(i) + 1
            elif x in ('typeof', '__typeof__', '__typeof'):
                j = self.match_close(i + 1)
                base = 'typeof'
                i = j + 1
            elif x in KEYWORDS_TYPE:
                words.append(x)
                i += 1
            elif tk.kind == 'id' and base is None and not words and \
                    (x in self.typedefs or x in KNOWN_TYPEDEFS or
                     (quals and self.peek(i + 1) in ('*', ')') ) or
                     (quals and i + 1 < self.n and self.t[i + 1].kind == 'id')):
                base = x
                i += 1
            else:
                break
        if words and base is None:
            w = [x for x in words if x != 'signed'] or ['int']
            if w == ['unsigned']:
                w = ['unsigned', 'int']
            base = ' '.join(w)
        return base, quals, i

    # -- declarations
    def parse_declarators(self, i, base, quals, end_texts=(';',), single=False):
        """Declarators after specifiers; i is after the specifiers.  Returns
        (list of (name, CType, ds, de, init_range, name_tok), next).  With
        single (a parameter), a comma ends the one declarator."""
        out = []
        while True:
            ds = i
            ptr = 0
            q = set(quals)
            while self.peek(i) == '*' or self.peek(i) in QUALIFIERS or self.peek(i) in ATTR_CALLS:
                if self.peek(i) == '*':
                    ptr += 1
                elif self.peek(i) in ATTR_CALLS:
                    if self.peek(i + 1) == '(':
                        i = self.match_close(i + 1)
                else:
                    q.add(self.peek(i))
                i += 1
            fn = False
            name = None
            name_tok = None
            if self.peek(i) == '(' and self.peek(i + 1) == '*':
                # function pointer (or pointer to array)
                j = self.match_close(i)
                k = i + 1
                while self.peek(k) == '*' or self.peek(k) in QUALIFIERS:
                    k += 1
                if self.t[k].kind == 'id':
                    name, name_tok = self.peek(k), k
                i = j + 1
                fn = True
                if self.peek(i) == '(':
                    i = self.match_close(i) + 1
            elif i < self.n and self.t[i].kind == 'id' and self.peek(i) not in KEYWORDS_TYPE:
                name, name_tok = self.peek(i), i
                i += 1
            arr = []
            if not fn and self.peek(i) == '(':
                # a function declarator (prototype)
                j = self.match_close(i)
                i = j + 1
                fn = 'proto'
            while self.peek(i) == '[':
                j = self.match_close(i)
                arr.append(' '.join(t.text for t in self.t[i + 1:j]))
                i = j + 1
            bits = None
            if self.peek(i) == ':':
                k = i + 1
                while self.peek(k) not in (',', ';', '') and self.peek(k) not in end_texts:
                    k += 1
                bits = ' '.join(t.text for t in self.t[i + 1:k])
                i = k
            while self.peek(i) in ATTR_CALLS or self.peek(i) in QUALIFIERS or \
                    (self.t[i].kind == 'id' and self.peek(i).startswith('__')):
                i += 1
                if self.peek(i) == '(':
                    i = self.match_close(i) + 1
            init = None
            if self.peek(i) == '=':
                k = i + 1
                while k < self.n and self.peek(k) not in (',',) and self.peek(k) not in end_texts:
                    if self.peek(k) in ('(', '[', '{'):
                        k = self.match_close(k)
                    k += 1
                init = (i + 1, k)
                i = k
            ct = CType(base, ptr, arr, bool(fn), q, bits)
            if fn == 'proto':
                ct.fn = 'proto'
            out.append((name, ct, ds, i, init, name_tok))
            if self.peek(i) == ',' and not single:
                i += 1
                continue
            return out, i

    # -- expressions
    def parse_expr(self, i, stop=()):
        node, i = self.parse_assign(i, stop)
        while self.peek(i) == ',' and ',' not in stop:
            r, j = self.parse_assign(i + 1, stop)
            node = Node('comma', node.ts, r.te, [node, r])
            i = j
        return node, i

    def parse_assign(self, i, stop=()):
        lhs, i = self.parse_cond(i, stop)
        x = self.peek(i)
        if x in ASSIGN_OPS:
            rhs, j = self.parse_assign(i + 1, stop)
            return Node('assign', lhs.ts, rhs.te, [lhs, rhs], x), j
        return lhs, i

    def parse_cond(self, i, stop=()):
        c, i = self.parse_bin(i, 1, stop)
        if self.peek(i) == '?':
            if self.peek(i + 1) == ':':        # GNU a ?: b
                b, j = self.parse_cond(i + 2, stop)
                return Node('cond', c.ts, b.te, [c, c, b]), j
            a, j = self.parse_expr(i + 1, stop=(':',))
            j = self.expect(j, ':')
            b, j = self.parse_cond(j, stop)
            return Node('cond', c.ts, b.te, [c, a, b]), j
        return c, i

    def parse_bin(self, i, minprec, stop=()):
        lhs, i = self.parse_unary(i)
        while True:
            op = self.peek(i)
            p = BINPREC.get(op)
            if p is None or p < minprec or op in stop:
                return lhs, i
            rhs, j = self.parse_bin(i + 1, p + 1, stop)
            lhs = Node('bin', lhs.ts, rhs.te, [lhs, rhs], op)
            i = j

    def parse_unary(self, i):
        x = self.peek(i)
        if x in ('++', '--'):
            e, j = self.parse_unary(i + 1)
            return Node('preinc', i, e.te, [e], x), j
        if x in ('&', '*', '+', '-', '~', '!'):
            e, j = self.parse_unary(i + 1)
            return Node('unary', i, e.te, [e], x), j
        if x == '&&':   # label address
            return Node('labeladdr', i, i + 1), i + 2
        if x in ('sizeof', '__alignof__', '_Alignof', 'alignof', '__alignof'):
            if self.peek(i + 1) == '(' and self.is_type_start(i + 2):
                j = self.match_close(i + 1)
                ct, k = self.parse_typename(i + 2)
                if k != j:
                    raise ParseError('line %d: bad sizeof type' % self.t[i].line)
                return Node('sizeof_t', i, j, [], ct), j + 1
            e, j = self.parse_unary(i + 1)
            return Node('sizeof', i, e.te, [e], x), j
        if x == '(' and (self.is_type_start(i + 1) or self.unknown_cast(i)):
            j = self.match_close(i)
            ct, k = self.parse_typename(i + 1)
            if k != j:
                raise ParseError('line %d: bad cast' % self.t[i].line)
            if self.peek(j + 1) == '{':
                init, m = self.parse_init(j + 1)
                n = Node('compound', i, init.te, [init], ct)
                return self.parse_postfix_ops(n, m)
            e, m = self.parse_unary(j + 1)
            return Node('cast', i, e.te, [e], ct), m
        return self.parse_postfix(i)

    def parse_init(self, i):
        j = self.match_close(i)
        items = []
        k = i + 1
        while k < j:
            # designators
            while self.peek(k) in ('.', '['):
                if self.peek(k) == '.':
                    k += 2
                else:
                    k = self.match_close(k) + 1
            if self.peek(k) == '=':
                k += 1
            if self.peek(k) == '{':
                sub, k = self.parse_init(k)
                items.append(sub)
            else:
                e, k = self.parse_assign(k, stop=())
                items.append(e)
            if self.peek(k) == ',':
                k += 1
            elif k != j:
                raise ParseError('line %d: bad initializer' % self.t[k].line)
        return Node('init', i, j, items), j + 1

    def parse_primary(self, i):
        if i >= self.n:
            raise ParseError('unexpected end of input')
        t = self.t[i]
        if t.kind == 'id':
            return Node('id', i, i, [], t.text), i + 1
        if t.kind in ('num', 'chr'):
            return Node('num', i, i, [], t.text), i + 1
        if t.kind == 'str':
            j = i
            while j + 1 < self.n and (self.t[j + 1].kind == 'str' or
                                      (self.t[j + 1].kind == 'id' and self.t[j + 1].text.isupper()
                                       and j + 2 < self.n and self.t[j + 2].kind == 'str')):
                j += 1
            return Node('str', i, j), j + 1
        if t.text == '(':
            if self.peek(i + 1) == '{':
                j = self.match_close(i)
                return Node('stmtexpr', i, j), j + 1
            e, j = self.parse_expr(i + 1)
            j = self.expect(j, ')')
            return Node('paren', i, j - 1, [e]), j
        if t.text == '{':
            return self.parse_init(i)
        raise ParseError('line %d: unexpected %r' % (t.line, t.text))

    def parse_postfix(self, i):
        n, i = self.parse_primary(i)
        if n.kind in ('id', 'str') and i < self.n and self.t[i].kind == 'str':
            while i < self.n and (self.t[i].kind == 'str' or
                                  (self.t[i].kind == 'id' and i + 1 < self.n and
                                   self.t[i + 1].kind == 'str')):
                i += 1
            n = Node('str', n.ts, i - 1)
        return self.parse_postfix_ops(n, i)

    def parse_postfix_ops(self, n, i):
        while True:
            x = self.peek(i)
            if x == '(':
                j = self.match_close(i)
                args = []
                k = i + 1
                if self.is_type_start(k) and n.kind == 'id':
                    # macro taking a type (container_of, offsetof, ...)
                    pass
                while k < j:
                    a, k2 = self.parse_macro_arg(k, j)
                    args.append(a)
                    k = k2
                    if self.peek(k) == ',':
                        k += 1
                n = Node('call', n.ts, j, [n] + args)
                i = j + 1
            elif x == '[':
                j = self.match_close(i)
                e, k = self.parse_expr(i + 1)
                if k != j:
                    raise ParseError('line %d: bad index' % self.t[i].line)
                n = Node('index', n.ts, j, [n, e])
                i = j + 1
            elif x in ('.', '->'):
                if i + 1 >= self.n or self.t[i + 1].kind != 'id':
                    raise ParseError('line %d: bad member' % self.t[i].line)
                n = Node('member', n.ts, i + 1, [n], (x, self.peek(i + 1)))
                i += 2
            elif x in ('++', '--'):
                n = Node('postinc', n.ts, i, [n], x)
                i += 1
            else:
                return n, i

    def parse_macro_arg(self, k, end):
        """One argument of a call, which may be a type or a bare token soup
        (macro arguments); falls back to an opaque node."""
        # find the end of this argument
        m = k
        while m < end and self.peek(m) != ',':
            if self.peek(m) in ('(', '[', '{'):
                m = self.match_close(m)
            m += 1
        try:
            if self.is_type_start(k):
                ct, j = self.parse_typename(k)
                if j == m:
                    return Node('typearg', k, m - 1, [], ct), m
            e, j = self.parse_assign(k)
            if j == m:
                return e, m
        except ParseError:
            pass
        return Node('opaque', k, m - 1), m


# ---- statements ------------------------------------------------------------

class Stmt:
    __slots__ = ('kind', 'ts', 'te', 'exprs', 'subs', 'decls', 'val', 'parent', 'func')

    def __init__(self, kind, ts, te, exprs=(), subs=(), decls=(), val=None):
        self.kind, self.ts, self.te = kind, ts, te
        self.exprs, self.subs, self.decls = list(exprs), list(subs), list(decls)
        self.val = val
        self.parent = None
        self.func = None

    def __repr__(self):
        return 'Stmt(%s@%d)' % (self.kind, self.ts)

    def walk(self):
        yield self
        for s in self.subs:
            if s is not None:
                yield from s.walk()


LOGGING = re.compile(r'^(dev|netdev|netif|pci|pr|drm|DRM|ata_dev|ata_port|ata_link|'
                     r'shost|sdev|scmd)_(err|warn|info|notice|dbg|crit|alert|emerg|printk|'
                     r'err_once|warn_once|info_once|err_ratelimited|warn_ratelimited|'
                     r'ERROR|WARN|INFO|DEBUG|DEV_ERROR|dbg_ratelimited)$|^printk$|^DRM_[A-Z_]+$')


class BodyParser(Parser):
    def stmt_is_decl(self, i):
        x = self.peek(i)
        if self.is_type_start(i):
            if x in self.typedefs or x in KNOWN_TYPEDEFS:
                # "foo(...)" or "foo = x" with a typedef-named identifier is
                # not a declaration
                return self.peek(i + 1) not in ('(', '=', '.', '->', '[', ',', ')', ';', '++', '--')
            return True
        if i + 1 < self.n and self.t[i].kind == 'id' and self.t[i + 1].kind == 'id' and \
                self.peek(i + 2) in (';', '=', ',', '[') and self.peek(i) not in ('return', 'goto', 'case', 'else', 'do'):
            return True
        if self.t[i].kind == 'id' and self.peek(i + 1) == '*' and \
                i + 2 < self.n and self.t[i + 2].kind == 'id' and self.peek(i + 3) in (';', '=', ',', '['):
            # "T *x;" with T an unknown typedef (a multiplication would be
            # a useless statement)
            return True
        return False

    def parse_block(self, i):
        i0 = i
        i = self.expect(i, '{')
        subs = []
        while self.peek(i) != '}':
            if i >= self.n:
                raise ParseError('unterminated block')
            s, i = self.parse_stmt(i)
            subs.append(s)
        st = Stmt('block', i0, i, subs=subs)
        for s in subs:
            s.parent = st
        return st, i + 1

    def parse_stmt(self, i):
        x = self.peek(i)
        t = self.t[i]
        if x == '{':
            return self.parse_block(i)
        if x == ';':
            return Stmt('empty', i, i), i + 1
        if x == 'if':
            j = self.expect(i + 1, '(')
            c, k = self.parse_expr(j)
            k = self.expect(k, ')')
            th, k = self.parse_stmt(k)
            el = None
            if self.peek(k) == 'else':
                el, k = self.parse_stmt(k + 1)
            st = Stmt('if', i, k - 1, [c], [th, el])
            return self._own(st), k
        if x in ('while', 'switch'):
            j = self.expect(i + 1, '(')
            c, k = self.parse_expr(j)
            k = self.expect(k, ')')
            body, k = self.parse_stmt(k)
            return self._own(Stmt(x, i, k - 1, [c], [body])), k
        if x == 'do':
            body, k = self.parse_stmt(i + 1)
            k = self.expect(k, 'while')
            k = self.expect(k, '(')
            c, k = self.parse_expr(k)
            k = self.expect(k, ')')
            k = self.expect(k, ';')
            return self._own(Stmt('do', i, k - 1, [c], [body])), k
        if x == 'for':
            j = self.expect(i + 1, '(')
            exprs = []
            decls = []
            if self.peek(j) == ';':
                exprs.append(None)
                j += 1
            elif self.stmt_is_decl(j):
                d, j = self.parse_decl(j)
                decls = d.decls
                exprs.append(None)
            else:
                e, j = self.parse_expr(j)
                exprs.append(e)
                j = self.expect(j, ';')
            for term in (';', ')'):
                if self.peek(j) == term:
                    exprs.append(None)
                    j += 1
                else:
                    e, j = self.parse_expr(j)
                    exprs.append(e)
                    j = self.expect(j, term)
            body, k = self.parse_stmt(j)
            st = Stmt('for', i, k - 1, exprs, [body], decls)
            return self._own(st), k
        if x == 'return':
            if self.peek(i + 1) == ';':
                return Stmt('return', i, i + 1), i + 2
            e, j = self.parse_expr(i + 1)
            j = self.expect(j, ';')
            return self._own(Stmt('return', i, j - 1, [e])), j
        if x == 'goto':
            return Stmt('goto', i, i + 2, val=self.peek(i + 1)), self.expect(i + 2, ';')
        if x in ('break', 'continue'):
            return Stmt(x, i, i + 1), self.expect(i + 1, ';')
        if x == 'case':
            e, j = self.parse_cond(i + 1)
            if self.peek(j) == '...':
                e2, j = self.parse_cond(j + 1)
            j = self.expect(j, ':')
            return Stmt('case', i, j - 1, [e]), j
        if x == 'default' and self.peek(i + 1) == ':':
            return Stmt('case', i, i + 1), i + 2
        if t.kind == 'id' and self.peek(i + 1) == ':' and x not in ('default',):
            return Stmt('label', i, i + 1, val=x), i + 2
        if x in ('asm', '__asm__', '__asm', 'asm_volatile_goto'):
            j = i + 1
            while self.peek(j) in ('volatile', '__volatile__', 'goto', 'inline'):
                j += 1
            k = self.match_close(j)
            k = self.expect(k + 1, ';')
            return Stmt('asm', i, k - 1), k
        if self.stmt_is_decl(i):
            return self.parse_decl(i)
        # an expression statement, or an iterator macro with a body
        e, j = self.parse_expr(i)
        if self.peek(j) == ';':
            return self._own(Stmt('expr', i, j, [e])), j + 1
        if e.kind == 'call' and (self.peek(j) == '{' or self.t[j].kind == 'id'):
            body, k = self.parse_stmt(j)
            return self._own(Stmt('macroloop', i, k - 1, [e], [body])), k
        if e.kind == 'call' and self.peek(j) in ('else', '}'):
            return self._own(Stmt('expr', i, j - 1, [e])), j
        if e.kind == 'id' and self.peek(j) in ('}',):
            # a macro statement without ';'
            return Stmt('expr', i, i, [e]), j
        raise ParseError('line %d: cannot parse statement near %r' % (t.line, self.peek(j)))

    def parse_decl(self, i):
        base, quals, j = self.parse_specifiers(i)
        if base is None:
            # unknown typedef name
            base = self.peek(i)
            j = i + 1
        ds, k = self.parse_declarators(j, base, quals)
        k = self.expect(k, ';')
        st = Stmt('decl', i, k - 1)
        for (name, ct, s, e, init, nt) in ds:
            d = Decl(name=name, ctype=ct, ts=i, te=k - 1, ds=s, de=e, init=None,
                     base_te=j, ndecl=len(ds), name_tok=nt)
            if init:
                ie, m = self.parse_assign(init[0]) if self.peek(init[0]) != '{' else self.parse_init(init[0])
                if m != init[1]:
                    raise ParseError('line %d: bad initializer' % self.t[init[0]].line)
                d.init = ie
                st.exprs.append(ie)
            st.decls.append(d)
        return self._own(st), k

    def _own(self, st):
        for s in st.subs:
            if s is not None:
                s.parent = st
        for e in st.exprs:
            if e is not None:
                _link(e, st)
        return st


def _link(e, st, parent=None):
    e.stmt = st
    e.parent = parent
    for k in e.kids:
        if isinstance(k, Node):
            _link(k, st, e)


# ---- files -----------------------------------------------------------------

class Struct:
    def __init__(self, name, ts, te, path):
        self.name, self.ts, self.te, self.path = name, ts, te, path
        self.opaque = []       # lines of members that could not be parsed
        self.members = {}      # name -> Decl (flattened through anonymous members)
        self.order = []


class Func:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.ret = None          # CType
        self.params = []         # list of Decl
        self.body = None         # Stmt
        self.ts = self.te = None
        self.head_ts = None      # first token of the definition
        self.name_tok = None
        self.error = None
        self.locals = {}         # name -> Decl (first)
        self.dup_locals = set()  # names declared more than once
        self.static = False


class CFile:
    def __init__(self, path, text, typedefs):
        self.path = path
        self.text = text
        self.toks, self.pps, self.cms = lex(text)
        self.structs = []
        self.funcs = []
        self.protos = []         # (name, Decl)
        self.globals = {}
        self.typedef_structs = {}   # typedef name -> struct base
        self.errors = []
        self.inits = []          # (ts, te) of top-level initializers
        self.typedefs = typedefs

    def line_of(self, ti):
        return self.toks[ti].line


def scan_typedefs(toks):
    """Typedef names declared in a token list (approximate: the identifier
    before the ';' that ends a top-level typedef)."""
    names = set()
    i, n = 0, len(toks)
    depth = 0
    while i < n:
        x = toks[i].text
        if x in ('{', '(', '['):
            depth += 1
        elif x in ('}', ')', ']'):
            depth -= 1
        elif x == 'typedef' and depth == 0:
            j = i
            d = 0
            last_id = None
            while j < n:
                y = toks[j].text
                if y in ('{', '(', '['):
                    if y == '(' and d == 0 and toks[j + 1].text == '*' and toks[j + 2].kind == 'id':
                        last_id = toks[j + 2].text
                    d += 1
                elif y in ('}', ')', ']'):
                    d -= 1
                elif d == 0 and toks[j].kind == 'id' and y not in QUALIFIERS:
                    last_id = y
                elif y == ';' and d == 0:
                    break
                j += 1
            if last_id:
                names.add(last_id)
            i = j
        i += 1
    return names


def parse_file(cf):
    p = BodyParser(cf.toks, cf.typedefs)
    i, n = 0, len(cf.toks)
    toks = cf.toks
    while i < n:
        x = toks[i].text
        if x == ';':
            i += 1
            continue
        start = i
        # scan to ';' or '{' at depth 0
        j = i
        paren_seen = None
        eq_seen = False
        try:
            while j < n and toks[j].text not in (';', '{'):
                if toks[j].text == '(':
                    if paren_seen is None and j > start and toks[j - 1].kind == 'id' and \
                            toks[j - 1].text not in ATTR_CALLS:
                        paren_seen = j
                    j = p.match_close(j)
                elif toks[j].text == '[':
                    j = p.match_close(j)
                elif toks[j].text == '=':
                    eq_seen = True
                j += 1
            if j >= n:
                break
            if toks[j].text == '{':
                words = [t.text for t in toks[start:j]]
                if eq_seen:
                    k = p.match_close(j)
                    cf.inits.append((start, k))
                    while k < n and toks[k].text != ';':
                        if toks[k].text in ('(', '[', '{'):
                            k = p.match_close(k)
                        k += 1
                    i = k + 1
                    continue
                if paren_seen is not None and toks[j - 1].text in (')',) or \
                        (paren_seen is not None and any(w in ATTR_CALLS or w in QUALIFIERS for w in words[-3:])
                         and 'struct' not in words[:1] and not eq_seen and toks[j - 1].text != ']'):
                    if any(w in ('struct', 'union', 'enum') for w in words) and words[0] in ('struct', 'union', 'enum', 'typedef') \
                            and paren_seen is None:
                        pass
                    else:
                        k = p.match_close(j)
                        parse_function(cf, p, start, paren_seen, j, k)
                        i = k + 1
                        continue
                # an aggregate definition, maybe with declarators or typedef
                k = p.match_close(j)
                agg = None
                for a in range(start, j):
                    if toks[a].text in ('struct', 'union', 'enum'):
                        agg = a
                        break
                if agg is not None and toks[agg].text in ('struct', 'union'):
                    nm = toks[agg + 1].text if toks[agg + 1].kind == 'id' and agg + 1 < j else None
                    parse_struct(cf, p, toks[agg].text, nm, j, k, typedef=(words[0] == 'typedef'))
                m = k + 1
                while m < n and toks[m].text != ';':
                    if toks[m].text in ('(', '[', '{'):
                        m = p.match_close(m)
                    m += 1
                if words and words[0] == 'typedef' and agg is not None:
                    names = [t.text for t in toks[k + 1:m] if t.kind == 'id']
                    nm = toks[agg + 1].text if toks[agg + 1].kind == 'id' else None
                    for tn in names:
                        cf.typedef_structs[tn] = '%s %s' % (toks[agg].text, nm or tn)
                    if nm is None and cf.structs and cf.structs[-1].ts == j:
                        cf.structs[-1].name = '%s %s' % (toks[agg].text, names[0] if names else '?')
                i = m + 1
                continue
            # a declaration ending in ';'
            words = [t.text for t in toks[start:j]]
            if words and words[0] == 'typedef':
                k = start + 1
                if toks[k].text in ('struct', 'union') and toks[k + 1].kind == 'id' and \
                        j - start >= 4 and toks[j - 1].kind == 'id':
                    cf.typedef_structs[toks[j - 1].text] = '%s %s' % (toks[k].text, toks[k + 1].text)
                i = j + 1
                continue
            try:
                base, quals, k = p.parse_specifiers(start)
                if base is not None:
                    ds, k2 = p.parse_declarators(k, base, quals)
                    for (name, ct, s, e, init, nt) in ds:
                        d = Decl(name=name, ctype=ct, ts=start, te=j, ds=s, de=e, init=init,
                                 base_te=k, ndecl=len(ds), name_tok=nt)
                        if ct.fn == 'proto':
                            cf.protos.append((name, d))
                        elif name:
                            cf.globals[name] = d
            except ParseError:
                pass
            i = j + 1
        except ParseError as ex:
            cf.errors.append((toks[start].line, str(ex)))
            # resynchronise at the next top-level ';' or '}' line start
            i = j + 1 if j > i else i + 1


def parse_struct(cf, p, kw, name, lb, rb, typedef=False):
    st = Struct('%s %s' % (kw, name) if name else '%s <anon@%d>' % (kw, cf.toks[lb].line),
                lb, rb, cf.path)
    cf.structs.append(st)
    _struct_members(cf, p, st, lb + 1, rb, '')
    return st


def _struct_members(cf, p, st, i, end, prefix):
    toks = cf.toks
    while i < end:
        if toks[i].text == ';':
            i += 1
            continue
        if toks[i].text in ('struct', 'union') and (
                toks[i + 1].text == '{' or (toks[i + 1].kind == 'id' and toks[i + 2].text == '{')):
            lb = i + 1 if toks[i + 1].text == '{' else i + 2
            rb = p.match_close(lb)
            nm = toks[i + 1].text if lb == i + 2 else None
            k = rb + 1
            while toks[k].text in ATTR_CALLS or toks[k].text in QUALIFIERS:
                k += 1
                if toks[k].text == '(':
                    k = p.match_close(k) + 1
            if toks[k].text == ';':
                # anonymous member: flatten
                _struct_members(cf, p, st, lb + 1, rb, prefix)
                if nm:
                    parse_struct(cf, p, toks[i].text, nm, lb, rb)
                i = k + 1
                continue
            inner = parse_struct(cf, p, toks[i].text, nm, lb, rb)
            base = inner.name
            ds, k2 = p.parse_declarators(k, base, ())
            for (mname, ct, s, e, init, nt) in ds:
                d = Decl(name=mname, ctype=ct, ts=i, te=k2, ds=s, de=e, init=None,
                         base_te=k, ndecl=len(ds), name_tok=nt)
                st.members[mname] = d
                st.order.append(mname)
            i = k2 + 1
            continue
        try:
            base, quals, k = p.parse_specifiers(i)
            if base is None:
                if toks[i].kind == 'id':
                    base, k = toks[i].text, i + 1
                else:
                    raise ParseError('line %d: bad member' % toks[i].line)
            ds, k2 = p.parse_declarators(k, base, quals)
            if p.peek(k2) != ';':
                raise ParseError('line %d: bad member declaration' % toks[i].line)
        except ParseError:
            st.opaque.append(toks[i].line)
            k2 = i
            while k2 < end and toks[k2].text != ';':
                if toks[k2].text in ('(', '[', '{'):
                    k2 = p.match_close(k2)
                k2 += 1
            i = k2 + 1
            continue
        for (mname, ct, s, e, init, nt) in ds:
            if mname is None:
                continue
            d = Decl(name=mname, ctype=ct, ts=i, te=k2, ds=s, de=e, init=None,
                     base_te=k, ndecl=len(ds), name_tok=nt)
            st.members[mname] = d
            st.order.append(mname)
        i = k2 + 1


def parse_function(cf, p, start, lp, lb, rb):
    toks = cf.toks
    name = toks[lp - 1].text
    f = Func(name, cf.path)
    f.head_ts, f.ts, f.te, f.name_tok = start, lb, rb, lp - 1
    f.static = any(t.text == 'static' for t in toks[start:lp])
    cf.funcs.append(f)
    try:
        base, quals, k = p.parse_specifiers(start)
        if base is None:
            base = toks[start].text
            k = start + 1
        ptr = 0
        while toks[k].text == '*' or toks[k].text in QUALIFIERS:
            ptr += toks[k].text == '*'
            k += 1
        f.ret = CType(base, ptr, (), False, quals)
        f.ret_span = (start, lp - 1)
        rp = p.match_close(lp)
        f.params_span = (lp, rp)
        a = lp + 1
        if not (toks[a].text == 'void' and toks[a + 1].text == ')') and a != rp:
            while a < rp:
                pb, pq, k = p.parse_specifiers(a)
                if pb is None:
                    pb, k = toks[a].text, a + 1
                ds, k2 = p.parse_declarators(k, pb, pq, end_texts=(')', ';'), single=True)
                name_, ct, s, e, init, nt = ds[0]
                if ct.fn == 'proto':
                    ct.fn = True
                f.params.append(Decl(name=name_, ctype=ct, ts=a, te=k2 - 1, ds=s, de=e,
                                     init=None, base_te=k, ndecl=1, name_tok=nt))
                a = k2 + 1 if toks[k2].text == ',' else k2
                if toks[a - 1].text == ')' and a - 1 == rp:
                    break
                if toks[k2].text == ')':
                    break
        f.body, _ = p.parse_block(lb)
        for st in f.body.walk():
            st.func = f
            for d in st.decls:
                if d.name and d.name not in f.locals:
                    f.locals[d.name] = d
                elif d.name:
                    f.dup_locals.add(d.name)
    except (ParseError, IndexError) as ex:
        f.error = str(ex)
        f.body = None
