// SPDX-License-Identifier: GPL-2.0
/// Migrate a driver from the coherent DMA API and dma_pool to dmashim.
///
/// What it converts (patch mode, one driver file at a time):
///
///  - P = dma_alloc_coherent / dmam_alloc_coherent / dma_alloc_attrs
///    (X->dev, size, &dma, gfp[, attrs]) followed by "if (!P) S" becomes
///      if (dmashim_alloc(X->dmashim, size, opts, &P) ||
///          dmashim_dma_addr(X->dmashim, P, 0, size, &dma)) S
///    GFP_KERNEL gives opts NULL; GFP_ATOMIC / GFP_NOWAIT give
///    DMASHIM_ALLOC_NOWAIT; attrs go into opts.flags with every DMA_ATTR_*
///    that dmashim knows renamed to its DMASHIM_ALLOC_* flag.
///  - P = dma_pool_create / dmam_pool_create(name, X->dev, size, align,
///    boundary) + check becomes dmashim_pool_create() (align and boundary
///    in a struct dmashim_pool_opts); P = dma_pool_alloc / dma_pool_zalloc
///    (Y->pool, gfp, &dma) + check becomes dmashim_pool_alloc() +
///    dmashim_dma_addr() (dmashim blocks are always zeroed).
///  - dma_free_coherent / dma_free_attrs / dmam_free_coherent /
///    dma_pool_free become WARN_ON(dmashim_free(ctx, P)), and
///    dma_pool_destroy becomes WARN_ON(dmashim_pool_destroy(ctx, pool)):
///    a failure there is a driver bug (stale handle, buffer still mapped).
///  - The members that held CPU pointers (P) become dmashim_handle_t, pool
///    members become dmashim_pool_t, "P = NULL" becomes "P = 0" and
///    sizeof(*P) becomes sizeof(the old pointee type).
///  - The structure whose ->dev is passed to the DMA API ("X") gets a
///    "struct dmashim_ctx *dmashim" member after ->dev.  The function that
///    sets X->dev (probe) creates it with devm_dmashim_ctx_create() right
///    after the DMA mask call, under that call's error check (dmashim needs
///    the masks), or without a mask call just before the first allocation,
///    with that allocation's error branch.  The context is revoked at unbind,
///    after remove(), so remove() needs no destroy.  The context of a pool
///    operation is taken from the structure that holds the pool member.
///  - <dmashim.h> is included after <linux/dma-mapping.h>, and
///    MODULE_IMPORT_NS(DMASHIM) is added after MODULE_LICENSE().
///
/// What it leaves for the human, marked with a "dmashim: TODO" comment:
///
///  - every statement that still dereferences a converted member or passes
///    it to a non-dmashim function (memcpy(), a descriptor write): rewrite
///    it with dmashim_read/write/fill/copy() or dmashim_load*/store*(), which
///    check the handle on every access;
///  - gfp flags other than GFP_KERNEL, GFP_ATOMIC and GFP_NOWAIT.
///
/// Not converted at all (left as is, so the compiler points at them): CPU
/// pointers held in local variables rather than structure members,
/// allocations whose device is not "X->dev" for a structure X defined in the
/// file, allocations not immediately followed by a NULL check, and pools used
/// through a local variable.  The errno of a failed dmashim call is not
/// propagated: the original error branch runs (usually -ENOMEM).  The
/// dma_addr_t variables are filled through a u64 pointer, which is the same
/// type on 64-bit kernels only.  spatch 1.1.1 does not wrap the conditions it
/// generates: reflow long lines before submitting.
//
// Options: --no-includes
// Usage: spatch -D patch --no-includes --sp-file migrate_dma_alloc.cocci --in-place F.c

virtual patch

// ---- what is converted ---------------------------------------------------

// Structures whose ->dev is handed to the DMA API: they get the context.
@devs depends on patch@
identifier S;
struct S *X;
@@
(
 dma_alloc_coherent(X->dev, ...)
|
 dmam_alloc_coherent(X->dev, ...)
|
 dma_alloc_attrs(X->dev, ...)
|
 dma_pool_create(..., X->dev, ...)
|
 dmam_pool_create(..., X->dev, ...)
)

// Members that receive a CPU pointer from the DMA API, and their type.
@bufs depends on patch@
identifier S2, F;
struct S2 *E;
expression list es;
@@
 E->F = \(dma_alloc_coherent\|dmam_alloc_coherent\|dma_alloc_attrs\|dma_pool_alloc\|dma_pool_zalloc\)(es)

@buft depends on patch@
identifier bufs.S2, bufs.F;
type T;
@@
struct S2 { ... T *F; ... };

// Members that hold a dma_pool.
@pools depends on patch@
identifier S3, PF;
struct S3 *E;
expression list es;
@@
 E->PF = \(dma_pool_create\|dmam_pool_create\)(es)

// ---- allocations -----------------------------------------------------------

@alloc_coherent depends on patch@
identifier devs.S, bufs.F;
struct S *X;
expression E, Sz, A, G, Attrs;
statement S1;
@@
(
- E->F = \(dma_alloc_coherent\|dmam_alloc_coherent\)(X->dev, Sz, &A, GFP_KERNEL);
- if (\(!E->F\|E->F == NULL\))
+ if (dmashim_alloc(X->dmashim, Sz, NULL, &E->F) || dmashim_dma_addr(X->dmashim, E->F, 0, Sz, &A))
  S1
|
- E->F = \(dma_alloc_coherent\|dmam_alloc_coherent\)(X->dev, Sz, &A, \(GFP_ATOMIC\|GFP_NOWAIT\));
- if (\(!E->F\|E->F == NULL\))
+ if (dmashim_alloc(X->dmashim, Sz, &(struct dmashim_alloc_opts){ .sz = sizeof(struct dmashim_alloc_opts), .flags = DMASHIM_ALLOC_NOWAIT }, &E->F) || dmashim_dma_addr(X->dmashim, E->F, 0, Sz, &A))
  S1
|
- E->F = \(dma_alloc_coherent\|dmam_alloc_coherent\)(X->dev, Sz, &A, G);
- if (\(!E->F\|E->F == NULL\))
+ /* dmashim: TODO: gfp flags not mapped; DMASHIM_ALLOC_NOWAIT for atomic context */
+ if (dmashim_alloc(X->dmashim, Sz, NULL, &E->F) || dmashim_dma_addr(X->dmashim, E->F, 0, Sz, &A))
  S1
|
- E->F = dma_alloc_attrs(X->dev, Sz, &A, GFP_KERNEL, Attrs);
- if (\(!E->F\|E->F == NULL\))
+ if (dmashim_alloc(X->dmashim, Sz, &(struct dmashim_alloc_opts){ .sz = sizeof(struct dmashim_alloc_opts), .flags = Attrs }, &E->F) || dmashim_dma_addr(X->dmashim, E->F, 0, Sz, &A))
  S1
|
- E->F = dma_alloc_attrs(X->dev, Sz, &A, \(GFP_ATOMIC\|GFP_NOWAIT\), Attrs);
- if (\(!E->F\|E->F == NULL\))
+ if (dmashim_alloc(X->dmashim, Sz, &(struct dmashim_alloc_opts){ .sz = sizeof(struct dmashim_alloc_opts), .flags = Attrs | DMASHIM_ALLOC_NOWAIT }, &E->F) || dmashim_dma_addr(X->dmashim, E->F, 0, Sz, &A))
  S1
|
- E->F = dma_alloc_attrs(X->dev, Sz, &A, G, Attrs);
- if (\(!E->F\|E->F == NULL\))
+ /* dmashim: TODO: gfp flags not mapped; DMASHIM_ALLOC_NOWAIT for atomic context */
+ if (dmashim_alloc(X->dmashim, Sz, &(struct dmashim_alloc_opts){ .sz = sizeof(struct dmashim_alloc_opts), .flags = Attrs }, &E->F) || dmashim_dma_addr(X->dmashim, E->F, 0, Sz, &A))
  S1
)

@pool_create depends on patch@
identifier devs.S, pools.PF;
struct S *X;
expression E, N, Sz, Al, Bd;
statement S1;
@@
(
- E->PF = \(dma_pool_create\|dmam_pool_create\)(N, X->dev, Sz, 0, 0);
- if (\(!E->PF\|E->PF == NULL\))
+ if (dmashim_pool_create(X->dmashim, N, Sz, NULL, &E->PF))
  S1
|
- E->PF = \(dma_pool_create\|dmam_pool_create\)(N, X->dev, Sz, Al, 0);
- if (\(!E->PF\|E->PF == NULL\))
+ if (dmashim_pool_create(X->dmashim, N, Sz, &(struct dmashim_pool_opts){ .sz = sizeof(struct dmashim_pool_opts), .align = Al }, &E->PF))
  S1
|
- E->PF = \(dma_pool_create\|dmam_pool_create\)(N, X->dev, Sz, 0, Bd);
- if (\(!E->PF\|E->PF == NULL\))
+ if (dmashim_pool_create(X->dmashim, N, Sz, &(struct dmashim_pool_opts){ .sz = sizeof(struct dmashim_pool_opts), .boundary = Bd }, &E->PF))
  S1
|
- E->PF = \(dma_pool_create\|dmam_pool_create\)(N, X->dev, Sz, Al, Bd);
- if (\(!E->PF\|E->PF == NULL\))
+ if (dmashim_pool_create(X->dmashim, N, Sz, &(struct dmashim_pool_opts){ .sz = sizeof(struct dmashim_pool_opts), .align = Al, .boundary = Bd }, &E->PF))
  S1
)

@pool_alloc depends on patch@
identifier devs.S, pools.PF, bufs.F;
struct S *Y;
expression E, A, G;
statement S1;
@@
(
- E->F = \(dma_pool_alloc\|dma_pool_zalloc\)(Y->PF, GFP_KERNEL, &A);
- if (\(!E->F\|E->F == NULL\))
+ if (dmashim_pool_alloc(Y->dmashim, Y->PF, 0, &E->F) || dmashim_dma_addr(Y->dmashim, E->F, 0, sizeof(*E->F), &A))
  S1
|
- E->F = \(dma_pool_alloc\|dma_pool_zalloc\)(Y->PF, \(GFP_ATOMIC\|GFP_NOWAIT\), &A);
- if (\(!E->F\|E->F == NULL\))
+ if (dmashim_pool_alloc(Y->dmashim, Y->PF, DMASHIM_ALLOC_NOWAIT, &E->F) || dmashim_dma_addr(Y->dmashim, E->F, 0, sizeof(*E->F), &A))
  S1
|
- E->F = \(dma_pool_alloc\|dma_pool_zalloc\)(Y->PF, G, &A);
- if (\(!E->F\|E->F == NULL\))
+ /* dmashim: TODO: gfp flags not mapped; DMASHIM_ALLOC_NOWAIT for atomic context */
+ if (dmashim_pool_alloc(Y->dmashim, Y->PF, 0, &E->F) || dmashim_dma_addr(Y->dmashim, E->F, 0, sizeof(*E->F), &A))
  S1
)

// DMA attributes that have a dmashim flag, inside the converted options.
@attrs depends on patch@
expression C, Sz, H;
@@
dmashim_alloc(C, Sz, <+...
(
- DMA_ATTR_WRITE_COMBINE
+ DMASHIM_ALLOC_WRITE_COMBINE
|
- DMA_ATTR_NO_KERNEL_MAPPING
+ DMASHIM_ALLOC_NO_KERNEL_MAPPING
|
- DMA_ATTR_WEAK_ORDERING
+ DMASHIM_ALLOC_WEAK_ORDERING
|
- DMA_ATTR_FORCE_CONTIGUOUS
+ DMASHIM_ALLOC_FORCE_CONTIGUOUS
|
- DMA_ATTR_ALLOC_SINGLE_PAGES
+ DMASHIM_ALLOC_SINGLE_PAGES
|
- DMA_ATTR_NO_WARN
+ DMASHIM_ALLOC_NO_WARN
|
- DMA_ATTR_PRIVILEGED
+ DMASHIM_ALLOC_PRIVILEGED
)
...+>, H)

// ---- frees -------------------------------------------------------------------

@free depends on patch@
identifier devs.S, bufs.F, pools.PF;
struct S *X;
struct S *Y;
expression E, Sz, A, Attrs;
@@
(
- \(dma_free_coherent\|dmam_free_coherent\)(X->dev, Sz, E->F, A);
+ WARN_ON(dmashim_free(X->dmashim, E->F));
|
- dma_free_attrs(X->dev, Sz, E->F, A, Attrs);
+ WARN_ON(dmashim_free(X->dmashim, E->F));
|
- dma_pool_free(Y->PF, E->F, A);
+ WARN_ON(dmashim_free(Y->dmashim, E->F));
)

@pool_destroy depends on patch@
identifier devs.S, pools.PF;
struct S *Y;
@@
- dma_pool_destroy(Y->PF);
+ WARN_ON(dmashim_pool_destroy(Y->dmashim, Y->PF));

// ---- the context --------------------------------------------------------

// Structures whose context the converted code uses.
@converted depends on patch@
identifier S;
struct S *X;
@@
 X->dmashim

// The function that sets X->dev (probe) creates the context once the DMA
// masks are set (dmashim requires them), under the mask call's error check;
// without a mask call, right before its first allocation, with that
// allocation's error branch.
@ctx_after_mask depends on patch exists@
identifier converted.S;
struct S *X;
expression D, M, R;
statement S1;
identifier fm =~ "^dma_set_(mask_and_coherent|coherent_mask|mask)$";
@@
X->dev = D;
...
(
 R = fm(X->dev, M);
+ if (!R)
+	R = devm_dmashim_ctx_create(X->dev, &X->dmashim);
 if (R) S1
|
- if (fm(X->dev, M))
+ if (fm(X->dev, M) || devm_dmashim_ctx_create(X->dev, &X->dmashim))
  S1
)

@ctx_before_alloc depends on patch && !ctx_after_mask exists@
identifier converted.S;
struct S *X;
expression D;
statement S1;
identifier fa =~ "^dmashim_(alloc|pool_create)$";
@@
X->dev = D;
... when != fa(...)
+ if (devm_dmashim_ctx_create(X->dev, &X->dmashim))
+	S1
 if (<+... fa(X->dmashim, ...) ...+>) S1

// ---- the converted members -------------------------------------------------

@null_buf depends on patch@
identifier bufs.F;
expression E;
@@
 E->F =
- NULL
+ 0
 ;

@null_pool depends on patch@
identifier pools.PF;
expression E;
@@
 E->PF =
- NULL
+ 0
 ;

@sizeof_buf depends on patch@
identifier bufs.F;
type buft.T;
expression E;
@@
 sizeof(
- *E->F
+ T
 )

// Statements that still use a converted member as a CPU pointer get a TODO.
// spatch 1.1.1 cannot attach a comment in front of a conjunction, so
// expression statements are found first (by position) and marked next.
@cpu_use_stmt depends on patch@
identifier bufs.F, fld;
identifier g !~ "^dmashim_";
expression E, E1, E2;
position ps;
@@
 \( E2@ps \& <+... \(E->F[E1]\|*E->F\|E->F->fld\|g(..., E->F, ...)\) ...+> \);

@depends on patch@
expression E;
position cpu_use_stmt.ps;
@@
+ /* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
 E@ps;

@depends on patch@
identifier bufs.F, fld;
identifier g !~ "^dmashim_";
expression E, E1, E2;
statement S1, S2;
@@
+ /* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
 if (\( E2 \& <+... \(E->F[E1]\|*E->F\|E->F->fld\|g(..., E->F, ...)\) ...+> \)) S1 else S2

@depends on patch@
identifier bufs.F, fld;
identifier g !~ "^dmashim_";
expression E, E1, E2;
statement S1;
@@
+ /* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
 if (\( E2 \& <+... \(E->F[E1]\|*E->F\|E->F->fld\|g(..., E->F, ...)\) ...+> \)) S1

@depends on patch@
identifier bufs.F, fld;
identifier g !~ "^dmashim_";
expression E, E1, E2;
@@
+ /* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
 return \( E2 \& <+... \(E->F[E1]\|*E->F\|E->F->fld\|g(..., E->F, ...)\) ...+> \);

@depends on patch@
identifier bufs.F, fld, v;
identifier g !~ "^dmashim_";
expression E, E1, E2;
type T;
@@
+ /* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
 T v = \( E2 \& <+... \(E->F[E1]\|*E->F\|E->F->fld\|g(..., E->F, ...)\) ...+> \);

// ---- declarations ----------------------------------------------------------

@depends on patch@
identifier converted.S;
@@
struct S {
  ...
  struct device *dev;
+ struct dmashim_ctx *dmashim;
  ...
};

@depends on patch@
identifier bufs.S2, bufs.F;
type buft.T;
@@
struct S2 {
  ...
- T *F;
+ dmashim_handle_t F;
  ...
};

@depends on patch@
identifier pools.S3, pools.PF;
@@
struct S3 {
  ...
- struct dma_pool *PF;
+ dmashim_pool_t PF;
  ...
};

@depends on patch && converted@
@@
 #include <linux/dma-mapping.h>
+#include <dmashim.h>

@depends on patch && converted@
declarer name MODULE_LICENSE, MODULE_IMPORT_NS;
expression L;
@@
 MODULE_LICENSE(L);
+MODULE_IMPORT_NS(DMASHIM);
