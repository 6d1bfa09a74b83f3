// SPDX-License-Identifier: GPL-2.0
/// Find raw DMA API calls on memory that belongs to dmashim.
///
/// The addresses dmashim hands out (dmashim_dma_addr(), and the dma_addr and
/// cpu_addr of struct dmashim_info) name memory that dmashim owns: freeing,
/// syncing, unmapping, mapping to user space or exporting it with the DMA
/// API behind dmashim's back corrupts its bookkeeping or double-frees.
/// Reported: such an address, a local variable assigned from one, or an
/// expression containing either, passed to dma_free_*(), dmam_free_*(),
/// dma_pool_free(), dma_sync_single_*(), dma_sync_sg_*(), dma_unmap_*(),
/// dma_mmap_*() or dma_get_sgtable*() later in the same function.  Use
/// dmashim_free(), dmashim_sync_for_cpu() / dmashim_sync_for_device(),
/// dmashim_mmap() and dmashim_get_sgtable() on the handle instead; dmashim
/// buffers are never streaming mappings, so there is nothing to unmap.
///
/// Addresses stored in a structure and used from another function are not
/// followed.
//
// Options: --no-includes

virtual report

@initialize:python@
@@
def dmashim_instead(fn):
    if fn.startswith("dma_sync_"):
        return "use dmashim_sync_for_cpu() or dmashim_sync_for_device()"
    if fn.startswith("dma_unmap_"):
        return "dmashim buffers are not streaming mappings, do not unmap them"
    if fn.startswith("dma_mmap_"):
        return "use dmashim_mmap()"
    if fn.startswith("dma_get_sgtable"):
        return "use dmashim_get_sgtable()"
    return "use dmashim_free()"

def report_raw(pc, fn, ps):
    coccilib.report.print_report(pc[0],
        "%s() on memory from dmashim (line %s): %s" %
        (fn, ps[0].line, dmashim_instead(fn)))

@raw_addr depends on report exists@
expression ctx, h, off, len, A, E;
identifier raw =~ "^(dmam?_free_.*|dma_pool_free|dma_sync_(single|sg)_.*|dma_unmap_.*|dma_mmap_.*|dma_get_sgtable.*)$";
position ps, pc;
@@
dmashim_dma_addr@ps(ctx, h, off, len, &A)
... when != A = E
raw@pc(..., <+... A ...+>, ...)

@script:python depends on report@
fn << raw_addr.raw;
ps << raw_addr.ps;
pc << raw_addr.pc;
@@
report_raw(pc, fn, ps)

@raw_info_s depends on report exists@
expression ctx, h, I;
identifier fld = {cpu_addr, dma_addr};
identifier raw =~ "^(dmam?_free_.*|dma_pool_free|dma_sync_(single|sg)_.*|dma_unmap_.*|dma_mmap_.*|dma_get_sgtable.*)$";
position ps, pc;
@@
dmashim_info@ps(ctx, h, &I)
...
raw@pc(..., <+... I.fld ...+>, ...)

@script:python depends on report@
fn << raw_info_s.raw;
ps << raw_info_s.ps;
pc << raw_info_s.pc;
@@
report_raw(pc, fn, ps)

@raw_var_s depends on report exists@
expression ctx, h, I, E;
local idexpression v;
type T;
identifier fld = {cpu_addr, dma_addr};
identifier raw =~ "^(dmam?_free_.*|dma_pool_free|dma_sync_(single|sg)_.*|dma_unmap_.*|dma_mmap_.*|dma_get_sgtable.*)$";
position ps, pc;
@@
dmashim_info@ps(ctx, h, &I)
...
v = \(I.fld\|(T)I.fld\);
... when != v = E
raw@pc(..., <+... v ...+>, ...)

@script:python depends on report@
fn << raw_var_s.raw;
ps << raw_var_s.ps;
pc << raw_var_s.pc;
@@
report_raw(pc, fn, ps)

@raw_info_p depends on report exists@
expression ctx, h, I;
identifier fld = {cpu_addr, dma_addr};
identifier raw =~ "^(dmam?_free_.*|dma_pool_free|dma_sync_(single|sg)_.*|dma_unmap_.*|dma_mmap_.*|dma_get_sgtable.*)$";
position ps, pc;
@@
dmashim_info@ps(ctx, h, I)
...
raw@pc(..., <+... I->fld ...+>, ...)

@script:python depends on report@
fn << raw_info_p.raw;
ps << raw_info_p.ps;
pc << raw_info_p.pc;
@@
report_raw(pc, fn, ps)

@raw_var_p depends on report exists@
expression ctx, h, I, E;
local idexpression v;
type T;
identifier fld = {cpu_addr, dma_addr};
identifier raw =~ "^(dmam?_free_.*|dma_pool_free|dma_sync_(single|sg)_.*|dma_unmap_.*|dma_mmap_.*|dma_get_sgtable.*)$";
position ps, pc;
@@
dmashim_info@ps(ctx, h, I)
...
v = \(I->fld\|(T)I->fld\);
... when != v = E
raw@pc(..., <+... v ...+>, ...)

@script:python depends on report@
fn << raw_var_p.raw;
ps << raw_var_p.ps;
pc << raw_var_p.pc;
@@
report_raw(pc, fn, ps)
