// SPDX-License-Identifier: GPL-2.0
/// Find CPU pointers from dmashim_info() used after their buffer is freed.
///
/// struct dmashim_info.cpu_addr is valid only while the handle is live.
/// After dmashim_free() of that handle, or dmashim_ctx_destroy() of its
/// context, the memory goes back to the DMA API and any access through the
/// pointer is a use after free that dmashim cannot catch (the accessors,
/// which check the handle on every call, can).  Reported:
///
///  - a local variable assigned from info.cpu_addr (or info->cpu_addr, cast
///    or not) and used after the free, unless it was assigned again first;
///  - info.cpu_addr (info->cpu_addr) itself read after the free, unless
///    dmashim_info() filled the structure again first.
///
/// Pointers derived from the CPU pointer (p + off, &p[i]) and copies made
/// in other functions are not followed.
//
// Options: --no-includes

virtual report

@initialize:python@
@@
def report_var(p, pf, pu):
    coccilib.report.print_report(pu[0],
        "CPU pointer %s (from dmashim_info()) used after its buffer was freed on line %s" %
        (p, pf[0].line))

def report_field(pf, pu):
    coccilib.report.print_report(pu[0],
        "cpu_addr read after its buffer was freed on line %s" % pf[0].line)

@uaf_var_s depends on report exists@
expression ctx, ctx2, h, I, E;
local idexpression p;
type T;
position pf, pu;
@@
dmashim_info(ctx, h, &I)
...
p = \(I.cpu_addr\|(T)I.cpu_addr\);
... when != p = E
\(dmashim_free@pf(ctx2, h)\|dmashim_ctx_destroy@pf(ctx)\)
... when != p = E
(
 p = E
|
 p@pu
)

@script:python depends on report@
p << uaf_var_s.p;
pf << uaf_var_s.pf;
pu << uaf_var_s.pu;
@@
report_var(p, pf, pu)

@uaf_field_s depends on report exists@
expression ctx, ctx2, h, I;
position pf, pu;
@@
dmashim_info(ctx, h, &I)
...
\(dmashim_free@pf(ctx2, h)\|dmashim_ctx_destroy@pf(ctx)\)
... when != dmashim_info(..., &I)
I.cpu_addr@pu

@script:python depends on report@
pf << uaf_field_s.pf;
pu << uaf_field_s.pu;
@@
report_field(pf, pu)

@uaf_var_p depends on report exists@
expression ctx, ctx2, h, I, E;
local idexpression p;
type T;
position pf, pu;
@@
dmashim_info(ctx, h, I)
...
p = \(I->cpu_addr\|(T)I->cpu_addr\);
... when != p = E
\(dmashim_free@pf(ctx2, h)\|dmashim_ctx_destroy@pf(ctx)\)
... when != p = E
(
 p = E
|
 p@pu
)

@script:python depends on report@
p << uaf_var_p.p;
pf << uaf_var_p.pf;
pu << uaf_var_p.pu;
@@
report_var(p, pf, pu)

@uaf_field_p depends on report exists@
expression ctx, ctx2, h, I;
position pf, pu;
@@
dmashim_info(ctx, h, I)
...
\(dmashim_free@pf(ctx2, h)\|dmashim_ctx_destroy@pf(ctx)\)
... when != dmashim_info(..., I)
I->cpu_addr@pu

@script:python depends on report@
pf << uaf_field_p.pf;
pu << uaf_field_p.pu;
@@
report_field(pf, pu)
