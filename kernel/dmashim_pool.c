// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pools: small coherent blocks (descriptors, doorbell records) from
 * dma_pool, handed out as ordinary buffer handles.
 *
 * Design
 * ======
 * A pool is an entry of the context's table like any buffer, of an internal
 * kind, named by a dmashim_pool_t; a block is a buffer entry that holds a
 * reference on its pool.  So blocks get the accessors, dmashim_free(),
 * debugfs and revocation for free, and a pool cannot be torn down while any
 * of its blocks is still on its way out.
 *
 * On Linux 6.1, dma_pool_alloc() and dma_pool_free() walk the pool's page
 * list under a spinlock, so their cost grows with the number of live blocks
 * (upstream replaced this in 6.4).  dmashim therefore keeps its own free list
 * per pool: a freed block, once past its RCU grace period, goes onto the
 * pool's cache with its entry structure, and dmashim_pool_alloc() takes from
 * the cache first, zeroing the block.  Only a miss calls dma_pool_zalloc();
 * only pool tear-down calls dma_pool_free(), once per block.  The cache never
 * holds more blocks than were live at once, like dma_pool's own pages.
 *
 * Destroying a pool with blocks still allocated reports them, as
 * dma_pool_destroy() does, but then frees them: their handles are refused
 * from then on, so nothing can reach the memory.
 */
#include <linux/dmapool.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmashim_internal.h"

#define DMASHIM_POOL_MIN_ALIGN	8

static int dmashim_pool_opts_parse(const struct dmashim_pool_opts *opts,
				   u64 block_size,
				   struct dmashim_pool_opts *out)
{
	int ret = dmashim_struct_in(out, sizeof(*out), opts);

	if (ret)
		return ret;
	if (out->align && (!is_power_of_2(out->align) ||
			   out->align > PAGE_SIZE))
		return -EINVAL;
	/* Sized accessors need naturally aligned blocks: at least 8. */
	out->align = max_t(u32, out->align, DMASHIM_POOL_MIN_ALIGN);
	if (out->boundary && (!is_power_of_2(out->boundary) ||
			      out->boundary < ALIGN(block_size, out->align)))
		return -EINVAL;
	return 0;
}

/* dma_pool takes sizes up to INT_MAX; within that, a buffer's rules. */
static int dmashim_pool_check_size(struct dmashim_ctx *ctx, u64 block_size)
{
	if (block_size > INT_MAX)
		return -E2BIG;
	return dmashim_check_len(ctx, block_size);
}

static int __dmashim_pool_create(struct dmashim_ctx *ctx, const char *name,
				 u64 block_size,
				 const struct dmashim_pool_opts *opts,
				 dmashim_pool_t *poolp, unsigned long caller)
{
	struct dmashim_pool_opts o;
	struct dmashim_entry *pool;
	int ret;

	ret = dmashim_pool_check_size(ctx, block_size);
	if (!ret)
		ret = dmashim_pool_opts_parse(opts, block_size, &o);
	if (!ret)
		ret = dmashim_begin_alloc(ctx);
	if (ret)
		return ret;

	pool = dmashim_entry_new(ctx, DMASHIM_KIND_POOL, GFP_KERNEL);
	if (pool)
		pool->dma_pool = dma_pool_create(name ?: KBUILD_MODNAME,
						 ctx->dev, block_size, o.align,
						 o.boundary);
	if (!pool || !pool->dma_pool) {
		kfree(pool);
		dmashim_abort_alloc(ctx);
		return -ENOMEM;
	}
	pool->len = block_size;
	pool->caller = caller;
	spin_lock_init(&pool->cache_lock);
	INIT_LIST_HEAD(&pool->cache);
	ret = dmashim_table_insert(ctx, pool, GFP_KERNEL);
	if (ret) {
		dmashim_entry_discard(pool);
		return ret;
	}
	*poolp = (__force dmashim_pool_t)pool->handle;
	return 0;
}

int dmashim_pool_create(struct dmashim_ctx *ctx, const char *name,
			u64 block_size, const struct dmashim_pool_opts *opts,
			dmashim_pool_t *poolp)
{
	might_sleep();
	if (!ctx || !poolp)
		return -EINVAL;
	return __dmashim_pool_create(ctx, name, block_size, opts, poolp,
				     _RET_IP_);
}
EXPORT_SYMBOL_NS_GPL(dmashim_pool_create, DMASHIM);

/* A pinned pool, or an errno; the pin becomes the block's reference. */
static struct dmashim_entry *dmashim_pool_pin(struct dmashim_ctx *ctx,
					      dmashim_pool_t handle)
{
	struct dmashim_entry *pool;

	rcu_read_lock();
	pool = dmashim_pool_find(ctx, handle);
	if (!IS_ERR(pool) && !refcount_inc_not_zero(&pool->ref))
		pool = ERR_PTR(-EBADF);
	rcu_read_unlock();
	return pool;
}

static struct dmashim_entry *dmashim_pool_cache_pop(struct dmashim_entry *pool)
{
	struct dmashim_entry *block;
	unsigned long flags;

	spin_lock_irqsave(&pool->cache_lock, flags);
	block = list_first_entry_or_null(&pool->cache, struct dmashim_entry,
					 cache_node);
	if (block)
		list_del(&block->cache_node);
	spin_unlock_irqrestore(&pool->cache_lock, flags);
	return block;
}

/* A zeroed block of @pool, from its cache or from dma_pool. */
static struct dmashim_entry *dmashim_pool_block_get(struct dmashim_entry *pool,
						    gfp_t gfp)
{
	struct dmashim_entry *block = dmashim_pool_cache_pop(pool);

	if (block) {
		memset(block->cpu_addr, 0, block->len);
		block->handle = 0;
		block->retired = false;
		block->released = false;
		refcount_set(&block->ref, 1);
		return block;
	}
	block = dmashim_entry_new(pool->ctx, DMASHIM_KIND_POOL_BLOCK, gfp);
	if (!block)
		return NULL;
	block->len = pool->len;
	block->cpu_addr = dma_pool_zalloc(pool->dma_pool, gfp, &block->dma_addr);
	if (!block->cpu_addr) {
		kfree(block);
		return NULL;
	}
	block->cookie = block->cpu_addr;
	return block;
}

int dmashim_pool_alloc(struct dmashim_ctx *ctx, dmashim_pool_t pool,
		       u32 flags, dmashim_handle_t *handlep)
{
	struct dmashim_entry *p, *block;
	gfp_t gfp;
	int ret;

	if (!ctx || !handlep || flags & ~DMASHIM_ALLOC_NOWAIT)
		return -EINVAL;
	if (flags & DMASHIM_ALLOC_NOWAIT) {
		gfp = GFP_ATOMIC | __GFP_NOWARN;
	} else {
		might_sleep();
		gfp = GFP_KERNEL | __GFP_NOWARN;
	}
	p = dmashim_pool_pin(ctx, pool);
	if (IS_ERR(p))
		return PTR_ERR(p);
	ret = dmashim_begin_alloc(ctx);
	if (ret) {
		dmashim_entry_put(p);
		return ret;
	}

	block = dmashim_pool_block_get(p, gfp);
	if (!block) {
		dmashim_entry_put(p);
		dmashim_abort_alloc(ctx);
		atomic64_inc(&ctx->counters.alloc_failures);
		return -ENOMEM;
	}
	block->pool = p;
	block->flags = flags;
	block->caller = _RET_IP_;
	ret = dmashim_table_insert(ctx, block, gfp);
	if (ret) {
		dmashim_entry_discard(block);
		atomic64_inc(&ctx->counters.alloc_failures);
		return ret;
	}
	*handlep = (__force dmashim_handle_t)block->handle;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(dmashim_pool_alloc, DMASHIM);

/**
 * dmashim_pool_block_recycle() - put a block back on its pool's free list
 * @block: a block nobody can reach any more.
 *
 * Drops the block's reference on its pool.
 * Context: Any context.
 */
void dmashim_pool_block_recycle(struct dmashim_entry *block)
{
	struct dmashim_entry *pool = block->pool;
	unsigned long flags;

	spin_lock_irqsave(&pool->cache_lock, flags);
	list_add(&block->cache_node, &pool->cache);
	spin_unlock_irqrestore(&pool->cache_lock, flags);
	dmashim_entry_put(pool);
}

/**
 * dmashim_pool_teardown() - give a pool and its cached blocks back
 * @pool: a pool entry whose blocks are all back on its free list.
 *
 * Context: Process context.
 */
void dmashim_pool_teardown(struct dmashim_entry *pool)
{
	struct dmashim_entry *block, *next;

	list_for_each_entry_safe(block, next, &pool->cache, cache_node) {
		dma_pool_free(pool->dma_pool, block->cpu_addr, block->dma_addr);
		kfree(block);
	}
	dma_pool_destroy(pool->dma_pool);
	kfree(pool);
}

/* Erase and retire every block of @pool; under the table's xa_lock. */
static unsigned int dmashim_pool_retire_blocks(struct dmashim_ctx *ctx,
					       struct dmashim_entry *pool)
{
	struct dmashim_entry *entry;
	unsigned int count = 0;
	unsigned long slot;

	xa_for_each(&ctx->table, slot, entry) {
		if (entry->kind != DMASHIM_KIND_POOL_BLOCK || entry->pool != pool)
			continue;
		__dmashim_table_erase(ctx, entry);
		dmashim_entry_retire(entry);
		count++;
	}
	return count;
}

int dmashim_pool_destroy(struct dmashim_ctx *ctx, dmashim_pool_t handle)
{
	struct dmashim_entry *pool;
	unsigned int busy = 0;
	unsigned long irqflags;

	if (!ctx)
		return -EINVAL;
	xa_lock_irqsave(&ctx->table, irqflags);
	pool = dmashim_pool_find(ctx, handle);
	if (!IS_ERR(pool)) {
		__dmashim_table_erase(ctx, pool);
		busy = dmashim_pool_retire_blocks(ctx, pool);
	}
	xa_unlock_irqrestore(&ctx->table, irqflags);
	if (IS_ERR(pool))
		return PTR_ERR(pool);

	if (busy)
		dev_warn(ctx->dev,
			 "dmashim: pool 0x%llx destroyed with %u blocks allocated, freed\n",
			 pool->handle, busy);
	dmashim_entry_retire(pool);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(dmashim_pool_destroy, DMASHIM);
