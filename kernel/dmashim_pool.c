// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim pools: small coherent blocks (descriptors, doorbell records),
 * handed out as ordinary buffer handles.
 *
 * Design
 * ======
 * A pool carves blocks out of chunks of coherent memory it allocates
 * itself, one page (or one block, for blocks above a page) at a time, laid
 * out as dma_pool does: each block aligned, none crossing the boundary.
 * The pool is an entry of the context's table like any buffer, named by a
 * dmashim_pool_t; each block is a buffer entry, so blocks get the
 * accessors, dmashim_free(), debugfs and revocation like any buffer.
 *
 * A block keeps its entry, and so its slot, for the life of the pool.  A
 * freed block goes onto the pool's quarantine, oldest first, stamped with
 * a polled RCU cookie; dmashim_pool_alloc() reuses the oldest one once its
 * grace period has passed (a lock-free reader may still be inside it until
 * then), zeroed, else carves a fresh block.  So allocation and free cost a
 * short spinlock and no walk, whatever the number of live blocks (6.1's
 * dma_pool walks every page), and nothing is deferred to a work item.  The
 * quarantine holds what was freed during the last grace period.
 *
 * Destroying a pool with blocks still allocated reports them, as
 * dma_pool_destroy() does, but then frees them: their handles are refused
 * from then on.  An allocation racing the destroy either is seen by it or
 * sees the pool dead after publishing its block, and retires it again.  The
 * chunks go back to the DMA API after a grace period, all at once.
 */
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmashim_internal.h"

#define DMASHIM_POOL_MIN_ALIGN	8

/**
 * struct dmashim_pool - a pool of small coherent blocks
 * @lock: protects @chunks' growth, @quarantine and @kick_pending.
 * @entry: the pool's own entry in the table.
 * @block_size: as asked for.
 * @stride: distance between blocks: @block_size aligned.
 * @boundary: no block crosses a multiple of it; 0 for none.
 * @chunk_size: bytes of each chunk.
 * @per_chunk: blocks in each chunk.
 * @dead: set once by dmashim_pool_destroy().
 * @kick: a callback that makes sure a grace period comes for @quarantine.
 * @kick_pending: @kick is queued.
 * @chunks: struct dmashim_pool_chunk, the newest last (RCU list).
 * @quarantine: freed block entries, the oldest first.
 */
struct dmashim_pool {
	spinlock_t lock;	/* see above */
	struct dmashim_entry *entry;
	u32 block_size;
	u32 stride;
	u64 boundary;
	size_t chunk_size;
	u32 per_chunk;
	bool dead;
	struct rcu_head kick;
	bool kick_pending;
	struct list_head chunks;
	struct list_head quarantine;
};

/**
 * struct dmashim_pool_chunk - one piece of coherent memory of a pool
 * @node: on the pool's @chunks.
 * @cpu_addr: its kernel address.
 * @dma_addr: its device address.
 * @used: blocks handed out at least once.
 * @blocks: the entry of each block handed out, in block order.
 */
struct dmashim_pool_chunk {
	struct list_head node;
	void *cpu_addr;
	dma_addr_t dma_addr;
	u32 used;
	struct dmashim_entry *blocks[];
};

/* Where block @i starts in a chunk: dma_pool's layout. */
static size_t dmashim_block_offset(const struct dmashim_pool *pool, u32 i)
{
	u32 per_window;

	if (!pool->boundary)
		return (size_t)i * pool->stride;
	per_window = pool->boundary / pool->stride;
	return (size_t)(i / per_window) * pool->boundary +
	       (size_t)(i % per_window) * pool->stride;
}

/* ---- blocks ------------------------------------------------------------- */

/* The oldest freed block past its grace period, or NULL; under the lock. */
static struct dmashim_entry *__dmashim_quarantine_pop(struct dmashim_pool *pool)
{
	struct dmashim_entry *block;

	lockdep_assert_held(&pool->lock);
	while ((block = list_first_entry_or_null(&pool->quarantine,
						 struct dmashim_entry, node))) {
		if (!poll_state_synchronize_rcu(block->gp))
			return NULL;
		list_del_init(&block->node);
		/* A block whose generations are used up is never reused. */
		if (block->gen <= DMASHIM_GEN_MAX)
			return block;
	}
	return NULL;
}

/* A new chunk at the end of @pool's list; the lock is dropped meanwhile. */
static int dmashim_pool_grow(struct dmashim_pool *pool, gfp_t gfp,
			     unsigned long *irqflags)
	__must_hold(&pool->lock)
{
	struct device *dev = pool->entry->ctx->dev;
	struct dmashim_pool_chunk *chunk;

	spin_unlock_irqrestore(&pool->lock, *irqflags);
	chunk = kzalloc(struct_size(chunk, blocks, pool->per_chunk), gfp);
	if (chunk)
		chunk->cpu_addr = dma_alloc_attrs(dev, pool->chunk_size,
						  &chunk->dma_addr, gfp, 0);
	spin_lock_irqsave(&pool->lock, *irqflags);
	if (!chunk || !chunk->cpu_addr) {
		kfree(chunk);
		return -ENOMEM;
	}
	list_add_tail_rcu(&chunk->node, &pool->chunks);
	return 0;
}

/* Give @block a block never handed out, from the newest chunk. */
static int dmashim_pool_carve(struct dmashim_pool *pool,
			      struct dmashim_entry *block, gfp_t gfp)
{
	struct dmashim_pool_chunk *chunk;
	unsigned long irqflags;
	size_t offset;
	int ret = 0;

	spin_lock_irqsave(&pool->lock, irqflags);
	for (;;) {
		chunk = list_last_entry(&pool->chunks,
					struct dmashim_pool_chunk, node);
		if (!list_empty(&pool->chunks) && chunk->used < pool->per_chunk)
			break;
		ret = dmashim_pool_grow(pool, gfp, &irqflags);
		if (ret)
			goto out;
	}
	offset = dmashim_block_offset(pool, chunk->used);
	block->cpu_addr = chunk->cpu_addr + offset;
	block->dma_addr = chunk->dma_addr + offset;
	WRITE_ONCE(chunk->blocks[chunk->used++], block);
out:
	spin_unlock_irqrestore(&pool->lock, irqflags);
	return ret;
}

/*
 * The pool of @req; inside the allocation's SRCU section, which keeps it
 * valid (dmashim_pool_release() waits for the section) once found live.
 */
static struct dmashim_pool *dmashim_pool_of(struct dmashim_ctx *ctx,
					    const struct dmashim_alloc_req *req)
{
	struct dmashim_entry *entry;

	rcu_read_lock();
	entry = dmashim_find_pool(ctx, req->pool);
	rcu_read_unlock();
	return IS_ERR(entry) ? ERR_CAST(entry) : entry->pool;
}

static struct dmashim_entry *
dmashim_block_acquire(struct dmashim_ctx *ctx,
		      const struct dmashim_alloc_req *req, gfp_t gfp)
{
	struct dmashim_pool *pool = dmashim_pool_of(ctx, req);
	struct dmashim_entry *block;
	unsigned long irqflags;
	int ret;

	if (IS_ERR(pool))
		return ERR_CAST(pool);
	spin_lock_irqsave(&pool->lock, irqflags);
	block = __dmashim_quarantine_pop(pool);
	spin_unlock_irqrestore(&pool->lock, irqflags);
	if (!block) {
		block = dmashim_slot_get(ctx, req->ops, gfp);
		if (IS_ERR(block))
			return block;
		block->pool = pool;
		block->len = pool->block_size;
		block->dir = DMASHIM_DIR_BIDIRECTIONAL;
		ret = dmashim_pool_carve(pool, block, gfp);
		if (ret) {
			dmashim_slot_put(block);
			return ERR_PTR(ret);
		}
	}
	block->flags = req->flags;
	memset(block->cpu_addr, 0, block->len);
	return block;
}

static int dmashim_block_published(struct dmashim_entry *block)
{
	/* Pairs with dmashim_pool_retire(): one of us sees the other. */
	smp_mb();
	if (!READ_ONCE(block->pool->dead))
		return 0;
	/* Just published, unpinned: the retire cannot fail. */
	(void)dmashim_retire(block);
	return -EBADF;
}

static void dmashim_pool_kicked(struct rcu_head *kick)
{
	struct dmashim_pool *pool = container_of(kick, struct dmashim_pool,
						 kick);
	unsigned long irqflags;

	spin_lock_irqsave(&pool->lock, irqflags);
	pool->kick_pending = false;
	spin_unlock_irqrestore(&pool->lock, irqflags);
}

/*
 * Polled cookies start no grace period of their own: one callback per
 * grace period makes sure the quarantine drains (start_poll_synchronize_rcu()
 * would do, but wants IRQs on, and free may run with them off).
 */
static void dmashim_block_retire(struct dmashim_entry *block)
{
	struct dmashim_pool *pool = block->pool;
	unsigned long irqflags;

	block->gp = get_state_synchronize_rcu();
	spin_lock_irqsave(&pool->lock, irqflags);
	list_add_tail(&block->node, &pool->quarantine);
	if (!pool->kick_pending) {
		pool->kick_pending = true;
		call_rcu(&pool->kick, dmashim_pool_kicked);
	}
	spin_unlock_irqrestore(&pool->lock, irqflags);
}

/* A block's memory is its pool's: it goes with the pool. */
static void dmashim_block_release(struct dmashim_entry *block)
{
}

static const struct dmashim_kind_ops dmashim_block_ops = {
	.name = "block",
	.kind = DMASHIM_KIND_POOL_BLOCK,
	.charge = DMASHIM_CHARGE_BUFFER,
	.acquire = dmashim_block_acquire,
	.published = dmashim_block_published,
	.retire = dmashim_block_retire,
	.release = dmashim_block_release,
};

/* ---- pools -------------------------------------------------------------- */

static struct dmashim_entry *
dmashim_pool_acquire(struct dmashim_ctx *ctx,
		     const struct dmashim_alloc_req *req, gfp_t gfp)
{
	struct dmashim_pool *pool = req->priv;
	struct dmashim_entry *entry = dmashim_slot_get(ctx, req->ops, gfp);

	if (IS_ERR(entry))
		return entry;
	entry->pool = pool;
	entry->len = pool->block_size;
	entry->dir = DMASHIM_DIR_BIDIRECTIONAL;
	pool->entry = entry;
	return entry;
}

/* Retire every live block of a pool marked dead; returns how many. */
static u32 dmashim_pool_retire_blocks(struct dmashim_pool *pool)
{
	struct dmashim_pool_chunk *chunk;
	struct dmashim_entry *block;
	u32 i, used, busy = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, node) {
		used = READ_ONCE(chunk->used);
		for (i = 0; i < used; i++) {
			block = READ_ONCE(chunk->blocks[i]);
			if (block && dmashim_revoke_entry(block))
				busy++;
		}
	}
	rcu_read_unlock();
	return busy;
}

static void dmashim_pool_retire(struct dmashim_entry *entry)
{
	struct dmashim_pool *pool = entry->pool;
	u32 busy;

	WRITE_ONCE(pool->dead, true);
	/* Pairs with dmashim_block_published(). */
	smp_mb();
	busy = dmashim_pool_retire_blocks(pool);
	if (busy)
		dev_warn(entry->ctx->dev,
			 "dmashim: pool destroyed with %u blocks allocated, freed\n",
			 busy);
	dmashim_defer_release(entry);
}

/*
 * Give the chunks back, and the blocks' slots to the table.  A dying
 * context needs no slots, and revocation owns its blocks' list nodes.
 */
static void dmashim_pool_release(struct dmashim_entry *entry)
{
	struct dmashim_pool *pool = entry->pool;
	struct device *dev = entry->ctx->dev;
	struct dmashim_pool_chunk *chunk, *next;
	bool dead = READ_ONCE(entry->ctx->dead);
	u32 i;

	/*
	 * Allocations that saw the pool alive are done with it; so are frees
	 * of their blocks that found them by handle (under RCU), and @kick.
	 */
	synchronize_srcu(&dmashim_alloc_srcu);
	synchronize_rcu();
	rcu_barrier();
	list_for_each_entry_safe(chunk, next, &pool->chunks, node) {
		for (i = 0; i < chunk->used && !dead; i++) {
			list_del_init(&chunk->blocks[i]->node);
			dmashim_slot_put(chunk->blocks[i]);
		}
		dma_free_attrs(dev, pool->chunk_size, chunk->cpu_addr,
			       chunk->dma_addr, 0);
		kfree(chunk);
	}
	kfree(pool);
}

static const struct dmashim_kind_ops dmashim_pool_ops = {
	.name = "pool",
	.kind = 0,
	.charge = DMASHIM_CHARGE_NONE,
	.acquire = dmashim_pool_acquire,
	.retire = dmashim_pool_retire,
	.release = dmashim_pool_release,
};

/*
 * Block layout from the options.  A boundary at or above the chunk size
 * constrains nothing (chunks are aligned to their size) and becomes 0.
 */
static int dmashim_pool_layout(struct dmashim_pool *pool, u64 block_size,
			       const struct dmashim_pool_opts *opts)
{
	struct dmashim_pool_opts o;
	int ret = dmashim_struct_in(&o, sizeof(o), opts);

	if (ret)
		return ret;
	if (o.align && (!is_power_of_2(o.align) || o.align > PAGE_SIZE))
		return -EINVAL;
	/* Sized accessors need naturally aligned blocks: at least 8. */
	o.align = max_t(u32, o.align, DMASHIM_POOL_MIN_ALIGN);
	pool->block_size = block_size;
	pool->stride = ALIGN(block_size, o.align);
	if (o.boundary && (!is_power_of_2(o.boundary) ||
			   o.boundary < pool->stride))
		return -EINVAL;
	pool->chunk_size = PAGE_ALIGN(max_t(size_t, pool->stride, PAGE_SIZE));
	pool->boundary = o.boundary < pool->chunk_size ? o.boundary : 0;
	pool->per_chunk = pool->boundary ?
		(pool->chunk_size / pool->boundary) *
		(pool->boundary / pool->stride) :
		pool->chunk_size / pool->stride;
	return 0;
}

int dmashim_pool_create(struct dmashim_ctx *ctx, const char *name,
			u64 block_size, const struct dmashim_pool_opts *opts,
			dmashim_pool_t *poolp)
{
	struct dmashim_alloc_req req = { .ops = &dmashim_pool_ops };
	struct dmashim_pool *pool;
	int ret;

	if (!dmashim_may_sleep())
		return -EWOULDBLOCK;
	if (!ctx || !poolp)
		return -EINVAL;
	/* Blocks of up to INT_MAX bytes, as with dma_pool. */
	ret = block_size > INT_MAX ? -E2BIG : dmashim_check_len(ctx, block_size);
	if (ret)
		return ret;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->chunks);
	INIT_LIST_HEAD(&pool->quarantine);
	req.priv = pool;
	ret = dmashim_pool_layout(pool, block_size, opts);
	if (!ret)
		ret = dmashim_alloc_entry(ctx, &req, _RET_IP_,
					  (__force u64 *)poolp);
	if (ret)
		kfree(pool);
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_pool_create);

int dmashim_pool_alloc(struct dmashim_ctx *ctx, dmashim_pool_t pool,
		       u32 flags, dmashim_handle_t *handlep)
{
	struct dmashim_alloc_req req = {
		.ops = &dmashim_block_ops, .flags = flags, .pool = pool,
	};
	struct dmashim_entry *entry;
	int ret = -EINVAL;

	if (!ctx || !handlep)
		return -EINVAL;
	/* The block size, to charge; the pool is looked up again inside. */
	rcu_read_lock();
	entry = dmashim_find_pool(ctx, pool);
	if (!IS_ERR(entry))
		req.len = entry->len;
	rcu_read_unlock();
	if (IS_ERR(entry))
		ret = PTR_ERR(entry);
	else if (!(flags & ~DMASHIM_ALLOC_NOWAIT))
		ret = dmashim_alloc_entry(ctx, &req, _RET_IP_,
					  (__force u64 *)handlep);
	if (ret)
		dmashim_count(ctx, DMASHIM_ALLOC_FAILURES, 1);
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_pool_alloc);

int dmashim_pool_destroy(struct dmashim_ctx *ctx, dmashim_pool_t pool)
{
	struct dmashim_entry *entry;
	int ret;

	rcu_read_lock();
	entry = dmashim_find_pool(ctx, pool);
	ret = IS_ERR(entry) ? PTR_ERR(entry) : dmashim_retire(entry);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_pool_destroy);
