// SPDX-License-Identifier: GPL-2.0
/// Find handles leaked on a return path.
///
/// A handle from dmashim_alloc(), dmashim_alloc_noncoherent(),
/// dmashim_pool_alloc() or dmashim_pool_create() into a local variable is
/// leaked when, after the allocation's own failure check, the function
/// returns without freeing it (dmashim_free(), dmashim_pool_destroy()) and
/// without handing it on: storing it (x = h, including through a pointer or
/// into a structure), returning it, taking its address or passing it to a
/// non-dmashim function all count as handing it on.  Typically this is a
/// later error path that jumps past the free.
///
/// The failure check must follow the allocation directly, as
/// "if (dmashim_alloc(...)) S" or "ret = dmashim_alloc(...); if (ret) S"
/// (or "if (ret < 0) S").  Handles allocated straight into a structure
/// member are stored by construction and not followed.  Falling off the end
/// of a void function is not a return statement and is not checked.
//
// Options: --no-includes

virtual report

@leak depends on report exists@
local idexpression h;
expression ctx, ret, E, E2;
identifier alloc =~ "^dmashim_(alloc|alloc_noncoherent|pool_alloc|pool_create)$";
identifier release =~ "^dmashim_(free|pool_destroy)$";
identifier g !~ "^dmashim_";
statement S;
position pa, pr;
@@
(
 if (\(alloc@pa(ctx, ..., &h)\|alloc@pa(ctx, ..., &h) < 0\)) S
|
 ret = alloc@pa(ctx, ..., &h);
 if (\(ret\|ret < 0\)) S
)
... when != release(ctx, h)
    when != E = h
    when != g(..., h, ...)
    when != &h
    when any
(
 return <+... h ...+>;
|
 return@pr E2;
|
 return@pr;
)

@script:python depends on report@
pa << leak.pa;
pr << leak.pr;
h << leak.h;
@@
coccilib.report.print_report(pr[0],
	"handle %s from line %s is neither freed nor stored on this return" % (h, pa[0].line))
