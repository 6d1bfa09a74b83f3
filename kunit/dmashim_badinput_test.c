// SPDX-License-Identifier: GPL-2.0
/*
 * The bad-input table: every exported function of include/dmashim.h against
 * every class of bad input it can be given, from one table.
 *
 * Each row is a function with a call that builds its arguments from a set
 * of good ones (a coherent buffer, a non-coherent one, a pool and a block,
 * a context) and replaces exactly one with a bad value of a class; each
 * column is a class; each cell the errno the header documents, or nothing
 * where the function takes no such input.  A case runs one cell and checks
 * the errno and that nothing changed: the counters (but @refused) are as
 * before and the good buffers are still live.  `make check` makes sure every
 * function of the header has a row, so a new function cannot be forgotten;
 * a new class is a new column every row must consider.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>

#include "dmashim_test.h"

MODULE_IMPORT_NS(DMASHIM);

enum bad_class {
	BAD_NULL_CTX,		/* the context is NULL */
	BAD_ZERO,		/* handle 0 */
	BAD_STALE,		/* a freed handle */
	BAD_FORGED,		/* a live handle with its low bit flipped */
	BAD_FOREIGN,		/* a live handle of another context */
	BAD_REVOKED,		/* the context was revoked */
	BAD_KIND,		/* a handle of the wrong kind */
	BAD_RANGE_PAST,		/* a range that starts at the end */
	BAD_RANGE_WRAP,		/* offset + len wraps around */
	BAD_LEN_ZERO,		/* a length of 0 where one is needed */
	BAD_OPTS_SZ,		/* size-first struct with sz < 4 */
	BAD_OPTS_BIG,		/* ... with sz above PAGE_SIZE */
	BAD_OPTS_TAIL,		/* ... with non-zero bytes past ours */
	BAD_FLAGS,		/* unknown flag bits */
	BAD_NULL_OUT,		/* a NULL output pointer */
	BAD_DIR,		/* a direction that is not an enum dmashim_dir */
	BAD_DIR_MISMATCH,	/* a direction the buffer was not made for */
	BAD_ATOMIC,		/* a sleeping function in atomic context */
	BAD_NR_CLASSES
};

static const char * const bad_class_names[] = {
	"null ctx", "zero handle", "stale handle", "forged handle",
	"foreign handle", "revoked ctx", "wrong kind", "range past end",
	"range wraps", "len 0", "opts sz < 4", "opts sz > PAGE_SIZE",
	"opts tail", "unknown flags", "NULL out", "bad dir", "dir mismatch",
	"atomic",
};

#define BUF_LEN		(2 * PAGE_SIZE)

/* The good arguments every call starts from, and what a class changes. */
struct bad_env {
	struct dmashim_ctx *ctx;
	struct device *dev;
	dmashim_handle_t buf;		/* coherent, BUF_LEN */
	dmashim_handle_t nc;		/* non-coherent TO_DEVICE, BUF_LEN */
	dmashim_handle_t block;		/* a block of @pool */
	dmashim_pool_t pool;
	dmashim_handle_t map;		/* a mapping of @mem */
	void *mem;			/* PAGE_SIZE of kernel memory */
	struct sg_table *map_sgt;	/* one page, not mapped */
	u64 off;
	u64 len;
	u32 dir;
	u32 flags;
	bool null_out;
	void *opts;			/* a struct of PAGE_SIZE + 8 bytes */
	struct vm_area_struct *vma;
	struct sg_table *sgt;
};

/* A handle @cls replaces @good with, or @good. */
struct bad_handles {
	dmashim_handle_t stale, foreign, revoked;
	dmashim_pool_t stale_pool, foreign_pool, revoked_pool;
	struct dmashim_ctx *dead;
};

/* The good handle a function takes, and the wrong kind a BAD_KIND gives. */
enum bad_takes {
	TAKES_NONE,
	TAKES_BUF,		/* a coherent buffer; wrong: a pool handle */
	TAKES_SHAREABLE,	/* a coherent buffer; wrong: a pool block */
	TAKES_NC,		/* a non-coherent buffer; wrong: a coherent one */
	TAKES_POOL,		/* a pool; wrong: a buffer handle */
	TAKES_MAP,		/* a mapping; wrong: a buffer */
};

struct bad_fn {
	const char *name;
	/* The call with @env's arguments; @h and @pool are what to pass. */
	int (*call)(struct bad_env *env, dmashim_handle_t h, dmashim_pool_t pool);
	enum bad_takes takes;
	int expect[BAD_NR_CLASSES];	/* 0: not applicable */
};

/* ---- the calls ------------------------------------------------------------ */

static int call_ctx_create(struct bad_env *env, dmashim_handle_t h,
			   dmashim_pool_t pool)
{
	struct dmashim_ctx *ctx = NULL;
	int ret;

	ret = dmashim_ctx_create(env->dev, env->null_out ? NULL : &ctx);
	dmashim_ctx_destroy(ctx);
	return ret;
}

static int call_devm_ctx_create(struct bad_env *env, dmashim_handle_t h,
				dmashim_pool_t pool)
{
	struct dmashim_ctx *ctx = NULL;

	/* Only refusals get here: a success would live until unbind. */
	return devm_dmashim_ctx_create(env->dev, env->null_out ? NULL : &ctx);
}

static int call_ctx_stats(struct bad_env *env, dmashim_handle_t h,
			  dmashim_pool_t pool)
{
	struct dmashim_stats *st = env->opts;

	return dmashim_ctx_stats(env->ctx, env->null_out ? NULL : st);
}

static int call_alloc(struct bad_env *env, dmashim_handle_t h,
		      dmashim_pool_t pool)
{
	dmashim_handle_t out = 0;
	int ret = dmashim_alloc(env->ctx, env->len, env->opts,
				env->null_out ? NULL : &out);

	if (!ret)
		(void)dmashim_free(env->ctx, out);
	return ret;
}

static int call_alloc_noncoherent(struct bad_env *env, dmashim_handle_t h,
				  dmashim_pool_t pool)
{
	dmashim_handle_t out = 0;
	int ret = dmashim_alloc_noncoherent(env->ctx, env->len, env->dir,
					    env->opts,
					    env->null_out ? NULL : &out);

	if (!ret)
		(void)dmashim_free(env->ctx, out);
	return ret;
}

static int call_free(struct bad_env *env, dmashim_handle_t h,
		     dmashim_pool_t pool)
{
	return dmashim_free(env->ctx, h);
}

static int call_info(struct bad_env *env, dmashim_handle_t h,
		     dmashim_pool_t pool)
{
	return dmashim_info(env->ctx, h, env->null_out ? NULL : env->opts);
}

static int call_sync_for_cpu(struct bad_env *env, dmashim_handle_t h,
			     dmashim_pool_t pool)
{
	return dmashim_sync_for_cpu(env->ctx, h, env->off, env->len, env->dir);
}

static int call_sync_for_device(struct bad_env *env, dmashim_handle_t h,
				dmashim_pool_t pool)
{
	return dmashim_sync_for_device(env->ctx, h, env->off, env->len,
				       env->dir);
}

static int call_pool_create(struct bad_env *env, dmashim_handle_t h,
			    dmashim_pool_t pool)
{
	dmashim_pool_t out = 0;
	int ret = dmashim_pool_create(env->ctx, "bad", env->len, env->opts,
				      env->null_out ? NULL : &out);

	if (!ret)
		(void)dmashim_pool_destroy(env->ctx, out);
	return ret;
}

static int call_pool_alloc(struct bad_env *env, dmashim_handle_t h,
			   dmashim_pool_t pool)
{
	dmashim_handle_t out = 0;
	int ret = dmashim_pool_alloc(env->ctx, pool, env->flags,
				     env->null_out ? NULL : &out);

	if (!ret)
		(void)dmashim_free(env->ctx, out);
	return ret;
}

static int call_pool_destroy(struct bad_env *env, dmashim_handle_t h,
			     dmashim_pool_t pool)
{
	return dmashim_pool_destroy(env->ctx, pool);
}

static int call_dmashim_mmap(struct bad_env *env, dmashim_handle_t h,
			     dmashim_pool_t pool)
{
	return dmashim_mmap(env->ctx, h, env->null_out ? NULL : env->vma);
}

static int call_get_sgtable(struct bad_env *env, dmashim_handle_t h,
			    dmashim_pool_t pool)
{
	struct sg_table sgt;
	int ret = dmashim_get_sgtable(env->ctx, h, env->null_out ? NULL : &sgt);

	if (!ret)
		(void)dmashim_put_sgtable(env->ctx, h, &sgt);
	return ret;
}

static int call_put_sgtable(struct bad_env *env, dmashim_handle_t h,
			    dmashim_pool_t pool)
{
	return dmashim_put_sgtable(env->ctx, h, env->null_out ? NULL : env->sgt);
}

static int call_dma_addr(struct bad_env *env, dmashim_handle_t h,
			 dmashim_pool_t pool)
{
	u64 addr;

	return dmashim_dma_addr(env->ctx, h, env->off, env->len,
				env->null_out ? NULL : &addr);
}

static int call_access_begin(struct bad_env *env, dmashim_handle_t h,
			     dmashim_pool_t pool)
{
	void *p;
	int ret = dmashim_access_begin(env->ctx, h, env->off, env->len,
				       env->flags, env->null_out ? NULL : &p);

	dmashim_access_end(env->ctx);
	return ret;
}

static int call_read(struct bad_env *env, dmashim_handle_t h,
		     dmashim_pool_t pool)
{
	return dmashim_read(env->ctx, h, env->off,
			    env->null_out ? NULL : env->opts, env->len);
}

static int call_write(struct bad_env *env, dmashim_handle_t h,
		      dmashim_pool_t pool)
{
	return dmashim_write(env->ctx, h, env->off,
			     env->null_out ? NULL : env->opts, env->len);
}

static int call_fill(struct bad_env *env, dmashim_handle_t h,
		     dmashim_pool_t pool)
{
	return dmashim_fill(env->ctx, h, env->off, 0x5a, env->len);
}

static int call_copy_to(struct bad_env *env, dmashim_handle_t h,
			dmashim_pool_t pool)
{
	return dmashim_copy(env->ctx, h, env->off, env->buf, 0, env->len);
}

static int call_copy_from(struct bad_env *env, dmashim_handle_t h,
			  dmashim_pool_t pool)
{
	return dmashim_copy(env->ctx, env->buf, 0, h, env->off, env->len);
}

static int call_ctx_create_opts(struct bad_env *env, dmashim_handle_t h,
				dmashim_pool_t pool)
{
	struct dmashim_ctx *ctx = NULL;
	int ret;

	ret = dmashim_ctx_create_opts(env->dev, env->opts,
				      env->null_out ? NULL : &ctx);
	dmashim_ctx_destroy(ctx);
	return ret;
}

static int call_devm_ctx_create_opts(struct bad_env *env, dmashim_handle_t h,
				     dmashim_pool_t pool)
{
	struct dmashim_ctx *ctx = NULL;

	/* Only refusals get here: a success would live until unbind. */
	return devm_dmashim_ctx_create_opts(env->dev, env->opts,
					    env->null_out ? NULL : &ctx);
}

static int call_ctx_set_limits(struct bad_env *env, dmashim_handle_t h,
			       dmashim_pool_t pool)
{
	return dmashim_ctx_set_limits(env->ctx,
				      env->null_out ? NULL : env->opts);
}

static int call_map_single(struct bad_env *env, dmashim_handle_t h,
			   dmashim_pool_t pool)
{
	dmashim_handle_t out = 0;
	int ret = dmashim_map_single(env->ctx, env->mem, env->len, env->dir,
				     env->opts, env->null_out ? NULL : &out);

	if (!ret)
		(void)dmashim_unmap(env->ctx, out);
	return ret;
}

static int call_map_page(struct bad_env *env, dmashim_handle_t h,
			 dmashim_pool_t pool)
{
	dmashim_handle_t out = 0;
	int ret = dmashim_map_page(env->ctx, virt_to_page(env->mem), 0,
				   env->len, env->dir, env->opts,
				   env->null_out ? NULL : &out);

	if (!ret)
		(void)dmashim_unmap(env->ctx, out);
	return ret;
}

static int call_map_sgtable(struct bad_env *env, dmashim_handle_t h,
			    dmashim_pool_t pool)
{
	dmashim_handle_t out = 0;
	int ret;

	/* A table's length is its own: only a length of 0 is an empty table. */
	env->map_sgt->orig_nents = env->len ? 1 : 0;
	ret = dmashim_map_sgtable(env->ctx, env->map_sgt, env->dir, env->opts,
				  env->null_out ? NULL : &out);
	env->map_sgt->orig_nents = 1;
	if (!ret)
		(void)dmashim_unmap(env->ctx, out);
	return ret;
}

static int call_unmap(struct bad_env *env, dmashim_handle_t h,
		      dmashim_pool_t pool)
{
	return dmashim_unmap(env->ctx, h);
}

static int call_dma_segment(struct bad_env *env, dmashim_handle_t h,
			    dmashim_pool_t pool)
{
	u64 addr, len;

	/* A range past the end is a segment past the last. */
	return dmashim_dma_segment(env->ctx, h, env->off ? 1 : 0,
				   env->null_out ? NULL : &addr, &len);
}

#define CALL_SIZED(bits)						\
static int call_load##bits(struct bad_env *env, dmashim_handle_t h,	\
			   dmashim_pool_t pool)				\
{									\
	u##bits v;							\
									\
	return dmashim_load##bits(env->ctx, h, env->off,		\
				  env->null_out ? NULL : &v);		\
}									\
static int call_store##bits(struct bad_env *env, dmashim_handle_t h,	\
			    dmashim_pool_t pool)			\
{									\
	return dmashim_store##bits(env->ctx, h, env->off, 0x5a);	\
}

CALL_SIZED(8)
CALL_SIZED(16)
CALL_SIZED(32)
CALL_SIZED(64)

/* ---- the table ------------------------------------------------------------ */

/* The classes every handle-taking function refuses the same way. */
#define HANDLE_ERRNOS							\
	[BAD_NULL_CTX] = -EINVAL, [BAD_ZERO] = -EBADF,			\
	[BAD_STALE] = -EBADF, [BAD_FORGED] = -EBADF,			\
	[BAD_FOREIGN] = -EXDEV, [BAD_REVOKED] = -ENODEV

/* ... and an accessor's ranges, kind and output. */
#define RANGE_ERRNOS							\
	[BAD_RANGE_PAST] = -ERANGE, [BAD_RANGE_WRAP] = -ERANGE
#define ACCESS_ERRNOS							\
	HANDLE_ERRNOS, [BAD_KIND] = -EBADF, RANGE_ERRNOS

#define OPTS_ERRNOS							\
	[BAD_OPTS_SZ] = -EINVAL, [BAD_OPTS_BIG] = -EINVAL,		\
	[BAD_OPTS_TAIL] = -EINVAL, [BAD_FLAGS] = -EINVAL

#define SIZED(bits)							\
	{ "load" #bits, call_load##bits, TAKES_BUF,			\
	  { ACCESS_ERRNOS, [BAD_NULL_OUT] = -EINVAL } },		\
	{ "store" #bits, call_store##bits, TAKES_BUF, { ACCESS_ERRNOS } }

static const struct bad_fn bad_fns[] = {
	{ "ctx_create", call_ctx_create, TAKES_NONE,
	  { [BAD_NULL_OUT] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "devm_ctx_create", call_devm_ctx_create, TAKES_NONE,
	  { [BAD_NULL_OUT] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "ctx_stats", call_ctx_stats, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_OPTS_SZ] = -EINVAL, [BAD_OPTS_BIG] = -EINVAL } },
	{ "ctx_create_opts", call_ctx_create_opts, TAKES_NONE,
	  { [BAD_OPTS_SZ] = -EINVAL, [BAD_OPTS_BIG] = -EINVAL,
	    [BAD_OPTS_TAIL] = -EINVAL, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "devm_ctx_create_opts", call_devm_ctx_create_opts, TAKES_NONE,
	  { [BAD_OPTS_SZ] = -EINVAL, [BAD_OPTS_BIG] = -EINVAL,
	    [BAD_OPTS_TAIL] = -EINVAL, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "ctx_set_limits", call_ctx_set_limits, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_OPTS_SZ] = -EINVAL, [BAD_OPTS_BIG] = -EINVAL,
	    [BAD_OPTS_TAIL] = -EINVAL, [BAD_NULL_OUT] = -EINVAL } },
	{ "alloc", call_alloc, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_LEN_ZERO] = -EINVAL, OPTS_ERRNOS, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "alloc_noncoherent", call_alloc_noncoherent, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_LEN_ZERO] = -EINVAL, OPTS_ERRNOS, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_DIR] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "free", call_free, TAKES_BUF, { HANDLE_ERRNOS, [BAD_KIND] = -EBADF } },
	{ "info", call_info, TAKES_BUF,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EBADF, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_OPTS_SZ] = -EINVAL, [BAD_OPTS_BIG] = -EINVAL } },
	{ "sync_for_cpu", call_sync_for_cpu, TAKES_NC,
	  { HANDLE_ERRNOS, RANGE_ERRNOS, [BAD_KIND] = -EOPNOTSUPP,
	    [BAD_DIR] = -EINVAL,
	    [BAD_DIR_MISMATCH] = -EINVAL } },
	{ "sync_for_device", call_sync_for_device, TAKES_NC,
	  { HANDLE_ERRNOS, RANGE_ERRNOS, [BAD_KIND] = -EOPNOTSUPP,
	    [BAD_DIR] = -EINVAL,
	    [BAD_DIR_MISMATCH] = -EINVAL } },
	{ "pool_create", call_pool_create, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_LEN_ZERO] = -EINVAL, [BAD_OPTS_SZ] = -EINVAL,
	    [BAD_OPTS_BIG] = -EINVAL, [BAD_OPTS_TAIL] = -EINVAL,
	    [BAD_NULL_OUT] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "pool_alloc", call_pool_alloc, TAKES_POOL,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EBADF, [BAD_FLAGS] = -EINVAL,
	    [BAD_NULL_OUT] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "pool_destroy", call_pool_destroy, TAKES_POOL,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EBADF } },
	{ "mmap", call_dmashim_mmap, TAKES_SHAREABLE,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EOPNOTSUPP, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "get_sgtable", call_get_sgtable, TAKES_SHAREABLE,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EOPNOTSUPP, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_ATOMIC] = -EWOULDBLOCK } },
	/* A table not out is left to the caller, revoked or not: -EINVAL. */
	{ "put_sgtable", call_put_sgtable, TAKES_BUF,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_ZERO] = -EBADF,
	    [BAD_STALE] = -EBADF, [BAD_FORGED] = -EBADF,
	    [BAD_FOREIGN] = -EXDEV, [BAD_REVOKED] = -EINVAL,
	    [BAD_KIND] = -EBADF, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "map_single", call_map_single, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_LEN_ZERO] = -EINVAL, OPTS_ERRNOS, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_DIR] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "map_page", call_map_page, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_LEN_ZERO] = -EINVAL, OPTS_ERRNOS, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_DIR] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "map_sgtable", call_map_sgtable, TAKES_NONE,
	  { [BAD_NULL_CTX] = -EINVAL, [BAD_REVOKED] = -ENODEV,
	    [BAD_LEN_ZERO] = -EINVAL, OPTS_ERRNOS, [BAD_NULL_OUT] = -EINVAL,
	    [BAD_DIR] = -EINVAL, [BAD_ATOMIC] = -EWOULDBLOCK } },
	{ "unmap", call_unmap, TAKES_MAP,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EOPNOTSUPP } },
	{ "dma_segment", call_dma_segment, TAKES_BUF,
	  { HANDLE_ERRNOS, [BAD_KIND] = -EBADF, [BAD_RANGE_PAST] = -ERANGE,
	    [BAD_NULL_OUT] = -EINVAL } },
	{ "dma_addr", call_dma_addr, TAKES_BUF,
	  { ACCESS_ERRNOS, [BAD_LEN_ZERO] = -EINVAL,
	    [BAD_NULL_OUT] = -EINVAL } },
	{ "access_begin", call_access_begin, TAKES_BUF,
	  { ACCESS_ERRNOS, [BAD_LEN_ZERO] = -EINVAL, [BAD_FLAGS] = -EINVAL,
	    [BAD_NULL_OUT] = -EINVAL } },
	{ "read", call_read, TAKES_BUF,
	  { ACCESS_ERRNOS, [BAD_NULL_OUT] = -EINVAL } },
	{ "write", call_write, TAKES_BUF,
	  { ACCESS_ERRNOS, [BAD_NULL_OUT] = -EINVAL } },
	{ "fill", call_fill, TAKES_BUF, { ACCESS_ERRNOS } },
	{ "copy_to", call_copy_to, TAKES_BUF, { ACCESS_ERRNOS } },
	{ "copy_from", call_copy_from, TAKES_BUF, { ACCESS_ERRNOS } },
	SIZED(8), SIZED(16), SIZED(32), SIZED(64),
};

/*
 * Functions without a row, and why: none of their inputs can be bad
 * (abi_version), or they cannot refuse and are tested for not crashing on
 * NULL and in atomic context elsewhere (ctx_destroy, ctx_get, ctx_put,
 * access_end).  `make check` reads this list too.
 */
static const char * const bad_fns_without_row[] __maybe_unused = {
	"abi_version", "ctx_destroy", "ctx_get", "ctx_put", "access_end",
};

struct bad_cell {
	const struct bad_fn *fn;
	enum bad_class cls;
};

#define NR_CELLS_MAX	(ARRAY_SIZE(bad_fns) * BAD_NR_CLASSES)

static struct bad_cell bad_cells[NR_CELLS_MAX];
static unsigned int nr_bad_cells;

static void bad_cells_build(void)
{
	unsigned int f, c;

	for (f = 0; f < ARRAY_SIZE(bad_fns); f++)
		for (c = 0; c < BAD_NR_CLASSES; c++)
			if (bad_fns[f].expect[c])
				bad_cells[nr_bad_cells++] = (struct bad_cell){
					&bad_fns[f], c };
}

static const void *bad_cells_gen_params(const void *prev, char *desc)
{
	const struct bad_cell *cell = prev ? (const struct bad_cell *)prev + 1 :
					     bad_cells;

	if (!nr_bad_cells)
		bad_cells_build();
	if (cell >= bad_cells + nr_bad_cells)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s", cell->fn->name,
		 bad_class_names[cell->cls]);
	return cell;
}

/* ---- running a cell --------------------------------------------------------- */

static dmashim_handle_t env_handle(const struct bad_env *env,
				   const struct bad_fn *fn)
{
	switch (fn->takes) {
	case TAKES_NC:
		return env->nc;
	case TAKES_MAP:
		return env->map;
	default:
		return env->buf;
	}
}

/* The handle of the wrong kind for @fn. */
static dmashim_handle_t env_wrong_kind(const struct bad_env *env,
				       const struct bad_fn *fn)
{
	switch (fn->takes) {
	case TAKES_SHAREABLE:
		return env->block;
	case TAKES_NC:
	case TAKES_MAP:
		return env->buf;
	default:
		return (__force dmashim_handle_t)env->pool;
	}
}

/* Apply @cls to @env and pick the handles to pass. */
static void bad_apply(struct kunit *test, struct bad_env *env,
		      struct bad_handles *bh, const struct bad_fn *fn,
		      enum bad_class cls, dmashim_handle_t *h,
		      dmashim_pool_t *pool)
{
	u32 *sz = env->opts;

	*h = env_handle(env, fn);
	*pool = env->pool;
	switch (cls) {
	case BAD_NULL_CTX:
		env->ctx = NULL;
		break;
	case BAD_ZERO:
		*h = 0;
		*pool = 0;
		break;
	case BAD_STALE:
		*h = bh->stale;
		*pool = bh->stale_pool;
		break;
	case BAD_FORGED:
		/* The lowest bit of the generation: no live handle matches. */
		*h = (__force dmashim_handle_t)((__force u64)*h ^ BIT_ULL(24));
		*pool = (__force dmashim_pool_t)((__force u64)*pool ^ BIT_ULL(24));
		break;
	case BAD_FOREIGN:
		*h = bh->foreign;
		*pool = bh->foreign_pool;
		break;
	case BAD_REVOKED:
		env->ctx = bh->dead;
		*h = bh->revoked;
		*pool = bh->revoked_pool;
		break;
	case BAD_KIND:
		*h = env_wrong_kind(env, fn);
		*pool = (__force dmashim_pool_t)env->buf;
		break;
	case BAD_RANGE_PAST:
		env->off = BUF_LEN;
		env->len = 8;
		break;
	case BAD_RANGE_WRAP:
		/* Aligned for every sized accessor. */
		env->off = U64_MAX - 7;
		env->len = 8;
		break;
	case BAD_LEN_ZERO:
		env->len = 0;
		break;
	case BAD_OPTS_SZ:
		*sz = 3;
		break;
	case BAD_OPTS_BIG:
		*sz = PAGE_SIZE + 1;
		break;
	case BAD_OPTS_TAIL:
		*sz = PAGE_SIZE;
		((u8 *)env->opts)[PAGE_SIZE - 1] = 1;
		break;
	case BAD_FLAGS:
		env->flags = BIT(31);
		((struct dmashim_alloc_opts *)env->opts)->flags = BIT(31);
		break;
	case BAD_NULL_OUT:
		env->null_out = true;
		break;
	case BAD_DIR:
		env->dir = 7;
		break;
	case BAD_DIR_MISMATCH:
		env->dir = DMASHIM_DIR_FROM_DEVICE;
		break;
	case BAD_ATOMIC:
	case BAD_NR_CLASSES:
		break;
	}
}

/* The counters a refusal must leave alone. */
static void bad_stats(struct kunit *test, struct dmashim_ctx *ctx,
		      struct dmashim_stats *st)
{
	st->sz = sizeof(*st);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_stats(ctx, st), 0);
	st->refused = 0;
	st->alloc_failures = 0;
	st->map_failures = 0;
	st->pending_release = 0;
}

/*
 * The other context and the revoked one, with their handles: made once
 * for the suite (a context's teardown waits for grace periods, and the
 * table has hundreds of cells), on a device of their own.  No cell can
 * change them: every call with them is refused.
 */
static struct {
	struct platform_device *pdev;
	struct dmashim_ctx *other, *dead;
	dmashim_handle_t foreign, revoked;
	dmashim_pool_t foreign_pool, revoked_pool;
} bad_shared;

static int bad_shared_ctx(struct dmashim_ctx **ctxp, const char *pool_name,
			  dmashim_handle_t *h, dmashim_pool_t *pool)
{
	int ret = dmashim_ctx_create(&bad_shared.pdev->dev, ctxp);

	if (!ret)
		ret = dmashim_alloc(*ctxp, BUF_LEN, NULL, h);
	if (!ret)
		ret = dmashim_pool_create(*ctxp, pool_name, 64, NULL, pool);
	return ret;
}

static void bad_shared_exit(struct kunit_suite *suite)
{
	if (bad_shared.other)
		dmashim_ctx_destroy(bad_shared.other);
	if (bad_shared.dead)
		dmashim_ctx_put(bad_shared.dead);
	if (!IS_ERR_OR_NULL(bad_shared.pdev))
		platform_device_unregister(bad_shared.pdev);
	memset(&bad_shared, 0, sizeof(bad_shared));
}

static int bad_shared_init(struct kunit_suite *suite)
{
	int ret;

	bad_shared.pdev = platform_device_register_simple("dmashim-kunit-other",
							  PLATFORM_DEVID_AUTO,
							  NULL, 0);
	ret = PTR_ERR_OR_ZERO(bad_shared.pdev);
	if (!ret)
		ret = dma_set_mask_and_coherent(&bad_shared.pdev->dev,
						DMA_BIT_MASK(64));
	if (!ret)
		ret = bad_shared_ctx(&bad_shared.other, "foreign",
				     &bad_shared.foreign,
				     &bad_shared.foreign_pool);
	if (!ret)
		ret = bad_shared_ctx(&bad_shared.dead, "revoked",
				     &bad_shared.revoked,
				     &bad_shared.revoked_pool);
	if (ret) {
		bad_shared_exit(suite);
		return ret;
	}
	/* Revoked, and still held: its handles must be refused with -ENODEV. */
	dmashim_ctx_get(bad_shared.dead);
	dmashim_ctx_destroy(bad_shared.dead);
	return 0;
}

/* Stale handles of the case's own context, and the suite's others. */
static void bad_handles_make(struct kunit *test,
			     struct dmashim_test_fixture *fx,
			     struct bad_handles *bh)
{
	struct dmashim_pool_opts popts = { .sz = sizeof(popts) };

	bh->stale = dmashim_test_alloc(test, fx->ctx, BUF_LEN, 0);
	KUNIT_ASSERT_EQ(test, dmashim_free(fx->ctx, bh->stale), 0);
	KUNIT_ASSERT_EQ(test, dmashim_pool_create(fx->ctx, "stale", 64, &popts,
						  &bh->stale_pool), 0);
	KUNIT_ASSERT_EQ(test, dmashim_pool_destroy(fx->ctx, bh->stale_pool), 0);

	bh->foreign = bad_shared.foreign;
	bh->foreign_pool = bad_shared.foreign_pool;
	bh->dead = bad_shared.dead;
	bh->revoked = bad_shared.revoked;
	bh->revoked_pool = bad_shared.revoked_pool;
}

/* The file of the VMA dmashim_mmap() is given; no cell maps anything. */
static const struct file_operations bad_vma_fops = {
	.owner = THIS_MODULE,
};

static void bad_env_make(struct kunit *test, struct dmashim_test_fixture *fx,
			 struct bad_env *env)
{
	struct dmashim_alloc_opts *opts;
	void *map_mem;

	env->ctx = fx->ctx;
	env->dev = fx->dev;
	env->buf = dmashim_test_alloc(test, fx->ctx, BUF_LEN, 0);
	KUNIT_ASSERT_EQ(test, dmashim_alloc_noncoherent(fx->ctx, BUF_LEN,
							DMASHIM_DIR_TO_DEVICE,
							NULL, &env->nc), 0);
	KUNIT_ASSERT_EQ(test, dmashim_pool_create(fx->ctx, "good", 64, NULL,
						  &env->pool), 0);
	KUNIT_ASSERT_EQ(test, dmashim_pool_alloc(fx->ctx, env->pool, 0,
						 &env->block), 0);
	env->mem = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->mem);
	/* Memory of its own: the device maps a byte once at a time. */
	map_mem = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map_mem);
	KUNIT_ASSERT_EQ(test, dmashim_map_single(fx->ctx, map_mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &env->map), 0);
	env->map_sgt = kunit_kzalloc(test, sizeof(*env->map_sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->map_sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(env->map_sgt, 1, GFP_KERNEL), 0);
	sg_set_page(env->map_sgt->sgl, virt_to_page(env->mem), PAGE_SIZE, 0);
	env->len = 8;
	env->dir = DMASHIM_DIR_TO_DEVICE;
	/* Big enough for every size-first struct and every read or write. */
	env->opts = kunit_kzalloc(test, PAGE_SIZE + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->opts);
	opts = env->opts;
	/* Good as alloc, pool, info and stats struct alike: all zero past sz. */
	opts->sz = sizeof(*opts);
	env->vma = kunit_kzalloc(test, sizeof(*env->vma), GFP_KERNEL);
	env->sgt = kunit_kzalloc(test, sizeof(*env->sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->vma);
	KUNIT_ASSERT_NOT_NULL(test, env->sgt);
	env->vma->vm_start = 0x100000;
	env->vma->vm_end = env->vma->vm_start + PAGE_SIZE;
	env->vma->vm_flags = VM_SHARED | VM_MAYSHARE | VM_READ;
	env->vma->vm_file = anon_inode_getfile("dmashim-badinput",
					       &bad_vma_fops, NULL, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->vma->vm_file));
}

/* Held around the atomic class's calls, as a driver's IRQ-safe lock. */
static DEFINE_SPINLOCK(bad_atomic_lock);

static int bad_call(const struct bad_fn *fn, enum bad_class cls,
		    struct bad_env *env, dmashim_handle_t h, dmashim_pool_t pool)
{
	unsigned long flags;
	int ret;

	if (cls != BAD_ATOMIC)
		return fn->call(env, h, pool);
	spin_lock_irqsave(&bad_atomic_lock, flags);
	ret = fn->call(env, h, pool);
	spin_unlock_irqrestore(&bad_atomic_lock, flags);
	return ret;
}

/* What a cell needs; on the heap, as KASAN makes stack frames big. */
struct bad_case {
	struct bad_env env;
	struct bad_handles bh;
	struct dmashim_stats before, after;
};

static void dmashim_badinput_cell_refused(struct kunit *test)
{
	const struct bad_cell *cell = test->param_value;
	const struct bad_fn *fn = cell->fn;
	struct dmashim_test_fixture *fx = test->priv;
	struct bad_case *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	dmashim_pool_t pool;
	dmashim_handle_t h;
	u64 addr;
	u8 byte;

	KUNIT_ASSERT_NOT_NULL(test, c);
	bad_env_make(test, fx, &c->env);
	bad_handles_make(test, fx, &c->bh);
	bad_apply(test, &c->env, &c->bh, fn, cell->cls, &h, &pool);
	bad_stats(test, fx->ctx, &c->before);

	KUNIT_EXPECT_EQ(test, bad_call(fn, cell->cls, &c->env, h, pool),
			fn->expect[cell->cls]);

	bad_stats(test, fx->ctx, &c->after);
	KUNIT_EXPECT_EQ(test, memcmp(&c->before, &c->after, sizeof(c->before)),
			0);
	KUNIT_EXPECT_EQ(test, dmashim_read(fx->ctx, c->env.buf, 0, &byte, 1),
			0);
	KUNIT_EXPECT_EQ(test, dmashim_read(fx->ctx, c->env.nc, 0, &byte, 1), 0);
	KUNIT_EXPECT_EQ(test, dmashim_read(fx->ctx, c->env.block, 0, &byte, 1),
			0);
	KUNIT_EXPECT_EQ(test, dmashim_dma_addr(fx->ctx, c->env.map, 0, 1,
					       &addr), 0);
	sg_free_table(c->env.map_sgt);
	fput(c->env.vma->vm_file);
}

/* The table has a cell for every documented class of every row. */
static void dmashim_badinput_table_complete(struct kunit *test)
{
	unsigned int f, cells = 0;

	for (f = 0; f < ARRAY_SIZE(bad_fns); f++) {
		unsigned int c, row = 0;

		for (c = 0; c < BAD_NR_CLASSES; c++)
			row += !!bad_fns[f].expect[c];
		KUNIT_EXPECT_GT_MSG(test, row, 0U, "%s has no cell",
				    bad_fns[f].name);
		cells += row;
	}
	kunit_info(test, "%zu functions with rows, %zu without, %u cells",
		   ARRAY_SIZE(bad_fns), ARRAY_SIZE(bad_fns_without_row), cells);
}

static struct kunit_case dmashim_badinput_cases[] = {
	KUNIT_CASE(dmashim_badinput_table_complete),
	KUNIT_CASE_PARAM(dmashim_badinput_cell_refused, bad_cells_gen_params),
	{}
};

static struct kunit_suite dmashim_badinput_suite = {
	.name = "dmashim_badinput",
	.suite_init = bad_shared_init,
	.suite_exit = bad_shared_exit,
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_badinput_cases,
};

kunit_test_suite(dmashim_badinput_suite);

MODULE_DESCRIPTION("KUnit table of dmashim's refusals of bad input");
MODULE_LICENSE("GPL");
