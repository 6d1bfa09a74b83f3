// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim core: contexts, the handle table, allocation and revocation.
 *
 * Design
 * ======
 * A driver gets one context per device.  Each allocation becomes a struct
 * dmashim_entry stored in the context's XArray at a slot; the handle given to
 * the caller encodes the context id, the slot and a generation, and the entry
 * keeps the full handle.  A lookup decodes the slot, loads the entry under RCU
 * and compares the whole handle, so a freed, stale, forged or foreign handle
 * never reaches memory: it is refused with an errno.  Lookups take no lock
 * and write nothing shared, so the accessors (dmashim_access.c) are safe in
 * any context and scale across CPUs.
 *
 * Because readers hold no reference, memory cannot be given back to the DMA
 * API when a handle is freed: a reader may be copying into it.  Freeing
 * removes the entry from the table (new lookups fail at once) and drops the
 * table's reference; after the last reference and an RCU grace period the
 * entry goes on the context's reap list, and a work item returns the memory
 * to the DMA API in process context, where dma_free_attrs() may sleep.  This
 * also makes dmashim_free() safe in atomic context.
 *
 * Slots are allocated cyclically, so a slot comes back only after 2^32 - 1
 * allocations, and the generation in the handle counts those wraps: a stale
 * handle cannot alias a later allocation.
 *
 * Revocation (dmashim_ctx_destroy(), or device unbind for contexts made with
 * devm_dmashim_ctx_create()) marks the context dead under the table lock,
 * after which every call fails with -ENODEV and nothing can be inserted or
 * removed; it then drops every entry, waits until all memory is released and
 * reports what was still allocated.  The structure itself lives on, counted
 * by @ref, so that late callers get -ENODEV rather than a use-after-free.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "dmashim_internal.h"

/* Context ids; the id is part of each handle. */
static DEFINE_XARRAY_ALLOC1(dmashim_ctx_ids);
static u32 dmashim_next_ctx_id;
/* First generation of each new context (see dmashim_internal.h). */
static atomic_t dmashim_ctx_generation = ATOMIC_INIT(0);

/* Largest size-first structure a caller may pass. */
#define DMASHIM_STRUCT_MAX	PAGE_SIZE

const char *dmashim_kind_name(u32 kind)
{
	switch (kind) {
	case DMASHIM_KIND_COHERENT:
		return "coherent";
	case DMASHIM_KIND_NONCOHERENT:
		return "noncoherent";
	case DMASHIM_KIND_POOL_BLOCK:
		return "block";
	case DMASHIM_KIND_POOL:
		return "pool";
	}
	return "unknown";
}

/*
 * Size-first structures (libbpf's opts pattern).  An input structure shorter
 * than ours reads as zero past its end; a longer one must be zero past ours.
 * An output structure gets the fields that fit and zeroes past ours.
 */
int dmashim_struct_in(void *dst, size_t dst_sz, const void *src)
{
	u32 sz;

	memset(dst, 0, dst_sz);
	if (!src)
		return 0;
	sz = *(const u32 *)src;
	if (sz < sizeof(u32) || sz > DMASHIM_STRUCT_MAX)
		return -EINVAL;
	if (sz > dst_sz && memchr_inv(src + dst_sz, 0, sz - dst_sz))
		return -EINVAL;
	memcpy(dst, src, min_t(size_t, sz, dst_sz));
	return 0;
}

static int dmashim_struct_out(void *dst, const void *src, size_t src_sz)
{
	u32 sz;

	if (!dst)
		return -EINVAL;
	sz = *(u32 *)dst;
	if (sz < sizeof(u32) || sz > DMASHIM_STRUCT_MAX)
		return -EINVAL;
	memcpy(dst + sizeof(u32), src + sizeof(u32),
	       min_t(size_t, sz, src_sz) - sizeof(u32));
	if (sz > src_sz)
		memset(dst + src_sz, 0, sz - src_sz);
	return 0;
}

u32 dmashim_abi_version(void)
{
	return DMASHIM_ABI_VERSION;
}
EXPORT_SYMBOL_NS_GPL(dmashim_abi_version, DMASHIM);

/* ---- entries ---------------------------------------------------------- */

/**
 * dmashim_entry_new() - a zeroed entry of @kind for @ctx, holding one ref
 * @ctx: the owning context.
 * @kind: enum dmashim_kind or %DMASHIM_KIND_POOL.
 * @gfp: allocation flags.
 *
 * Return: the entry, or NULL when out of memory.
 */
struct dmashim_entry *dmashim_entry_new(struct dmashim_ctx *ctx, u32 kind,
					gfp_t gfp)
{
	struct dmashim_entry *entry = kzalloc(sizeof(*entry), gfp);

	if (!entry)
		return NULL;
	entry->ctx = ctx;
	entry->kind = kind;
	entry->dir = DMASHIM_DIR_BIDIRECTIONAL;
	refcount_set(&entry->ref, 1);
	return entry;
}

/* Give the memory back to the DMA API (or the pool); once per entry. */
static void dmashim_entry_release_memory(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;

	switch (entry->kind) {
	case DMASHIM_KIND_COHERENT:
	case DMASHIM_KIND_NONCOHERENT:
		dmashim_buffer_release(entry);
		break;
	}
	entry->released = true;
	if (entry->retired)
		atomic64_dec(&ctx->counters.pending_release);
}

/* Free the structure itself; blocks and pools have more to do. */
static void dmashim_entry_destroy(struct dmashim_entry *entry)
{
	switch (entry->kind) {
	case DMASHIM_KIND_POOL_BLOCK:
		dmashim_pool_block_recycle(entry);
		break;
	case DMASHIM_KIND_POOL:
		dmashim_pool_teardown(entry);
		break;
	default:
		kfree(entry);
	}
}

static void dmashim_released(struct dmashim_ctx *ctx, long count)
{
	if (count && atomic_long_sub_and_test(count, &ctx->unreleased))
		wake_up(&ctx->released_wq);
}

static void dmashim_reap_work(struct work_struct *work)
{
	struct dmashim_ctx *ctx = container_of(work, struct dmashim_ctx,
					       reap_work);
	struct dmashim_entry *entry, *next;
	struct llist_node *list;
	long released = 0;

	list = llist_del_all(&ctx->reap_list);
	llist_for_each_entry_safe(entry, next, list, reap_node) {
		if (!entry->released) {
			dmashim_entry_release_memory(entry);
			released++;
		}
		dmashim_entry_destroy(entry);
	}
	dmashim_released(ctx, released);
}

static void dmashim_entry_reap_rcu(struct rcu_head *rcu)
{
	struct dmashim_entry *entry = container_of(rcu, struct dmashim_entry,
						   rcu);
	struct dmashim_ctx *ctx = entry->ctx;

	llist_add(&entry->reap_node, &ctx->reap_list);
	schedule_work(&ctx->reap_work);
}

/**
 * dmashim_entry_put() - drop a reference to an entry
 * @entry: the entry.
 *
 * The last put queues the entry for tear-down after an RCU grace period.
 * Context: Any context.
 */
void dmashim_entry_put(struct dmashim_entry *entry)
{
	if (refcount_dec_and_test(&entry->ref))
		call_rcu(&entry->rcu, dmashim_entry_reap_rcu);
}

/* Add @delta to a counter kept under the table lock. */
static void dmashim_count(u64 *counter, s64 delta)
{
	WRITE_ONCE(*counter, *counter + delta);
}

/**
 * __dmashim_table_erase() - take a published entry out of the table
 * @ctx: its context.
 * @entry: the entry; the caller retires it after.
 *
 * Context: Under the table's xa_lock, or on a dead context's frozen table.
 */
void __dmashim_table_erase(struct dmashim_ctx *ctx, struct dmashim_entry *entry)
{
	__xa_erase(&ctx->table, dmashim_handle_slot(entry->handle));
	if (entry->kind == DMASHIM_KIND_POOL)
		return;
	dmashim_count(&ctx->counters.live, -1);
	dmashim_count(&ctx->counters.live_bytes, -(s64)entry->len);
}

/**
 * dmashim_entry_retire() - drop the table's reference to an erased entry
 * @entry: the entry, erased from the table by the caller.
 *
 * Context: Any context.
 */
void dmashim_entry_retire(struct dmashim_entry *entry)
{
	entry->retired = true;
	if (!entry->released)
		atomic64_inc(&entry->ctx->counters.pending_release);
	dmashim_entry_put(entry);
}

/**
 * dmashim_entry_release_early() - release memory that is still referenced
 * @entry: an entry of a revoked context, with no accessor left inside it.
 *
 * For revocation of buffers that user mappings keep referenced: their pages
 * are unmapped by the caller, and the memory goes back now, not when the
 * last VMA closes.
 * Context: Process context; may sleep.
 */
void dmashim_entry_release_early(struct dmashim_entry *entry)
{
	if (entry->released)
		return;
	dmashim_entry_release_memory(entry);
	dmashim_released(entry->ctx, 1);
}

static bool dmashim_is_pool(const struct dmashim_entry *entry)
{
	return entry->kind == DMASHIM_KIND_POOL;
}

static struct dmashim_entry *dmashim_lookup(struct dmashim_ctx *ctx, u64 raw,
					    bool want_pool)
{
	struct dmashim_entry *entry;
	u16 ctx_id = dmashim_handle_ctx_id(raw);
	int err;

	if (unlikely(!ctx))
		return ERR_PTR(-EINVAL);
	if (unlikely(READ_ONCE(ctx->dead)))
		return ERR_PTR(-ENODEV);
	if (unlikely(ctx_id != ctx->id)) {
		err = ctx_id ? -EXDEV : -EBADF;
		goto refuse;
	}
	entry = xa_load(&ctx->table, dmashim_handle_slot(raw));
	if (likely(entry && entry->handle == raw &&
		   dmashim_is_pool(entry) == want_pool))
		return entry;
	err = -EBADF;
refuse:
	atomic64_inc(&ctx->counters.refused);
	return ERR_PTR(err);
}

/**
 * dmashim_entry_find() - look a buffer handle up in its context
 * @ctx: the context the caller says @handle belongs to.
 * @handle: the handle.
 *
 * Context: Under rcu_read_lock() or the table's xa_lock; the entry stays
 * valid until that is dropped.
 * Return: the entry; ERR_PTR(-EINVAL) for a NULL @ctx, ERR_PTR(-ENODEV) for
 * a revoked context, ERR_PTR(-EXDEV) for a handle of another context and
 * ERR_PTR(-EBADF) for any other handle that is not a live buffer.
 */
struct dmashim_entry *dmashim_entry_find(struct dmashim_ctx *ctx,
					 dmashim_handle_t handle)
{
	return dmashim_lookup(ctx, (__force u64)handle, false);
}

/**
 * dmashim_pool_find() - look a pool handle up in its context
 * @ctx: the context the caller says @pool belongs to.
 * @pool: the handle.
 *
 * Context: As dmashim_entry_find().
 * Return: As dmashim_entry_find(), for pools.
 */
struct dmashim_entry *dmashim_pool_find(struct dmashim_ctx *ctx,
					dmashim_pool_t pool)
{
	return dmashim_lookup(ctx, (__force u64)pool, true);
}

/**
 * dmashim_begin_alloc() - count an allocation before it starts
 * @ctx: the context.
 *
 * Revocation waits until every counted allocation is released, so one that
 * is still sleeping in the DMA API when the device unbinds finishes (and
 * frees its memory) before revocation returns.  Pair with
 * dmashim_abort_alloc() on failure; a published entry keeps the count.
 *
 * Context: Any context.
 * Return: 0, or -ENODEV if @ctx has been revoked.
 */
int dmashim_begin_alloc(struct dmashim_ctx *ctx)
{
	atomic_long_inc(&ctx->unreleased);
	/* Pairs with the full barrier of synchronize_rcu() in revocation. */
	smp_mb__after_atomic();
	if (READ_ONCE(ctx->dead)) {
		dmashim_released(ctx, 1);
		return -ENODEV;
	}
	return 0;
}

/**
 * dmashim_abort_alloc() - uncount an allocation that left nothing behind
 * @ctx: the context.
 *
 * Context: Any context.
 */
void dmashim_abort_alloc(struct dmashim_ctx *ctx)
{
	dmashim_released(ctx, 1);
}

/**
 * dmashim_entry_discard() - release an entry that was never published
 * @entry: an entry counted by dmashim_begin_alloc() whose insertion failed.
 *
 * Nobody can see the entry, so no grace period is needed, but its memory
 * goes back from the reap work all the same: the caller may be in atomic
 * context, where dma_free_attrs() must not run.
 *
 * Context: Any context.
 */
void dmashim_entry_discard(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;

	llist_add(&entry->reap_node, &ctx->reap_list);
	schedule_work(&ctx->reap_work);
}

/*
 * Why @entry may not be published now: the context is dead, or the entry is
 * a block of a pool destroyed while the block was being allocated.  Under
 * the table's xa_lock.
 */
static int dmashim_insert_refused(struct dmashim_ctx *ctx,
				  struct dmashim_entry *entry)
{
	struct dmashim_entry *pool = entry->pool;

	if (ctx->dead)
		return -ENODEV;
	if (entry->kind == DMASHIM_KIND_POOL_BLOCK &&
	    xa_load(&ctx->table, dmashim_handle_slot(pool->handle)) != pool)
		return -EBADF;
	return 0;
}

/* Reserve a slot, derive the handle, then publish the entry. */
static int __dmashim_table_insert(struct dmashim_ctx *ctx,
				  struct dmashim_entry *entry, gfp_t gfp)
{
	bool wrapped;
	u32 slot;
	int ret;

	if (ctx->dead)
		return -ENODEV;
	ret = __xa_alloc_cyclic(&ctx->table, &slot, NULL,
				XA_LIMIT(1, U32_MAX), &ctx->next_slot, gfp);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	wrapped = ret == 1;
	/* The lock may have been dropped to allocate: look again. */
	ret = dmashim_insert_refused(ctx, entry);
	if (ret) {
		__xa_erase(&ctx->table, slot);
		return ret;
	}
	/*
	 * A wrap, or a retry from the old cursor after the lock was dropped,
	 * may give a slot that was issued before: never reissue its handle.
	 */
	if (wrapped || slot <= ctx->slot_hw)
		ctx->generation++;
	ctx->slot_hw = slot;
	entry->handle = dmashim_handle_encode(ctx->id, ctx->generation, slot);
	if (entry->kind != DMASHIM_KIND_POOL) {
		dmashim_count(&ctx->counters.live, 1);
		dmashim_count(&ctx->counters.live_bytes, entry->len);
		dmashim_count(&ctx->counters.allocs, 1);
	}
	/* The slot is reserved, so this store allocates nothing. */
	__xa_store(&ctx->table, slot, entry, gfp);
	return 0;
}

/**
 * dmashim_table_insert() - give an entry its handle and publish it
 * @ctx: the context.
 * @entry: a new entry of @ctx.
 * @gfp: allocation flags; decide whether the lock may be dropped to
 *	allocate.
 *
 * Context: Process context if @gfp may block, else any context.
 * Return: 0; -ENOMEM; -ENOSPC when the slots are exhausted; -ENODEV if @ctx
 * has been revoked.  On error @entry was never visible.
 */
int dmashim_table_insert(struct dmashim_ctx *ctx, struct dmashim_entry *entry,
			 gfp_t gfp)
{
	unsigned long irqflags;
	int ret;

	if (gfpflags_allow_blocking(gfp)) {
		xa_lock_irq(&ctx->table);
		ret = __dmashim_table_insert(ctx, entry, gfp);
		xa_unlock_irq(&ctx->table);
	} else {
		xa_lock_irqsave(&ctx->table, irqflags);
		ret = __dmashim_table_insert(ctx, entry, gfp);
		xa_unlock_irqrestore(&ctx->table, irqflags);
	}
	return ret;
}

/* ---- contexts --------------------------------------------------------- */

/*
 * Stop the context: after this every call fails with -ENODEV.  Returns the
 * buffers still allocated through @leaked and @leaked_bytes, after their
 * memory is back with the DMA API.  Idempotent.
 */
static void dmashim_ctx_revoke(struct dmashim_ctx *ctx, u64 *leaked,
			       u64 *leaked_bytes)
{
	struct dmashim_entry *entry;
	unsigned long slot;
	bool was_dead;

	*leaked = 0;
	*leaked_bytes = 0;

	xa_lock_irq(&ctx->table);
	was_dead = ctx->dead;
	WRITE_ONCE(ctx->dead, true);
	xa_unlock_irq(&ctx->table);
	if (was_dead)
		return;

	dmashim_debugfs_remove(ctx);
	/* No accessor is inside a buffer after this. */
	synchronize_rcu();

	/* Every mapping made so far is linked where the zap will find it. */
	dmashim_mmap_wait_mms(ctx);
	mutex_lock(&ctx->revoke_lock);
	dmashim_mmap_revoke(ctx);
	mutex_unlock(&ctx->revoke_lock);

	/* Inserts and frees see @dead under the lock: nothing else changes. */
	xa_lock_irq(&ctx->table);
	xa_for_each(&ctx->table, slot, entry) {
		if (entry->kind != DMASHIM_KIND_POOL) {
			(*leaked)++;
			*leaked_bytes += entry->len;
		}
		__dmashim_table_erase(ctx, entry);
		dmashim_entry_retire(entry);
	}
	xa_unlock_irq(&ctx->table);
	xa_destroy(&ctx->table);

	wait_event(ctx->released_wq, !atomic_long_read(&ctx->unreleased));
	flush_work(&ctx->reap_work);
}

static int dmashim_ctx_new(struct device *dev, struct dmashim_ctx **ctxp)
{
	struct dmashim_ctx *ctx;
	u32 id;
	int ret;

	might_sleep();
	if (!dev || !ctxp)
		return -EINVAL;
	if (!dev->dma_mask || !*dev->dma_mask || !dev->coherent_dma_mask)
		return -EINVAL;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ret = xa_alloc_cyclic(&dmashim_ctx_ids, &id, ctx,
			      XA_LIMIT(1, DMASHIM_CTX_ID_MAX),
			      &dmashim_next_ctx_id, GFP_KERNEL);
	if (ret < 0) {
		kfree(ctx);
		return ret;
	}

	ctx->id = id;
	ctx->generation = atomic_inc_return(&dmashim_ctx_generation);
	xa_init_flags(&ctx->table, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
	ctx->dev = get_device(dev);
	kref_init(&ctx->ref);
	atomic_long_set(&ctx->unreleased, 0);
	init_waitqueue_head(&ctx->released_wq);
	init_llist_head(&ctx->reap_list);
	INIT_WORK(&ctx->reap_work, dmashim_reap_work);
	mutex_init(&ctx->revoke_lock);
	INIT_LIST_HEAD(&ctx->map_mms);
	dmashim_debugfs_add(ctx);

	*ctxp = ctx;
	return 0;
}

int dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp)
{
	return dmashim_ctx_new(dev, ctxp);
}
EXPORT_SYMBOL_NS_GPL(dmashim_ctx_create, DMASHIM);

static void dmashim_ctx_devm_revoke(void *data)
{
	struct dmashim_ctx *ctx = data;
	u64 count, bytes;

	dmashim_ctx_revoke(ctx, &count, &bytes);
	if (count)
		dev_info(ctx->dev,
			 "dmashim: unbind released %llu buffers (%llu bytes)\n",
			 count, bytes);
	dmashim_ctx_put(ctx);
}

int devm_dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp)
{
	struct dmashim_ctx *ctx;
	int ret;

	ret = dmashim_ctx_new(dev, &ctx);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, dmashim_ctx_devm_revoke, ctx);
	if (ret)
		return ret;
	*ctxp = ctx;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(devm_dmashim_ctx_create, DMASHIM);

void dmashim_ctx_destroy(struct dmashim_ctx *ctx)
{
	u64 count, bytes;

	might_sleep();
	if (!ctx)
		return;
	dmashim_ctx_revoke(ctx, &count, &bytes);
	if (count)
		dev_warn(ctx->dev,
			 "dmashim: destroy leaked %llu buffers (%llu bytes), released\n",
			 count, bytes);
	dmashim_ctx_put(ctx);
}
EXPORT_SYMBOL_NS_GPL(dmashim_ctx_destroy, DMASHIM);

void dmashim_ctx_get(struct dmashim_ctx *ctx)
{
	kref_get(&ctx->ref);
}
EXPORT_SYMBOL_NS_GPL(dmashim_ctx_get, DMASHIM);

static void dmashim_ctx_release(struct kref *ref)
{
	struct dmashim_ctx *ctx = container_of(ref, struct dmashim_ctx, ref);
	u64 count, bytes;

	dmashim_ctx_revoke(ctx, &count, &bytes);
	/* Entries that user mappings kept may still be on their way out. */
	rcu_barrier();
	flush_work(&ctx->reap_work);
	xa_erase(&dmashim_ctx_ids, ctx->id);
	put_device(ctx->dev);
	kfree(ctx);
}

void dmashim_ctx_put(struct dmashim_ctx *ctx)
{
	might_sleep();
	if (ctx)
		kref_put(&ctx->ref, dmashim_ctx_release);
}
EXPORT_SYMBOL_NS_GPL(dmashim_ctx_put, DMASHIM);

int dmashim_ctx_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats)
{
	const struct dmashim_counters *c;
	struct dmashim_stats out = { .sz = sizeof(out) };

	if (!ctx)
		return -EINVAL;
	c = &ctx->counters;
	out.live = READ_ONCE(c->live);
	out.live_bytes = READ_ONCE(c->live_bytes);
	out.allocs = READ_ONCE(c->allocs);
	out.frees = READ_ONCE(c->frees);
	out.alloc_failures = atomic64_read(&c->alloc_failures);
	out.refused = atomic64_read(&c->refused);
	out.pending_release = atomic64_read(&c->pending_release);
	return dmashim_struct_out(stats, &out, sizeof(out));
}
EXPORT_SYMBOL_NS_GPL(dmashim_ctx_stats, DMASHIM);

int dmashim_free(struct dmashim_ctx *ctx, dmashim_handle_t handle)
{
	struct dmashim_entry *entry;
	unsigned long irqflags;

	if (!ctx)
		return -EINVAL;
	xa_lock_irqsave(&ctx->table, irqflags);
	entry = dmashim_entry_find(ctx, handle);
	if (!IS_ERR(entry) && (entry->user_maps || entry->exports))
		entry = ERR_PTR(-EBUSY);
	if (!IS_ERR(entry)) {
		__dmashim_table_erase(ctx, entry);
		dmashim_count(&ctx->counters.frees, 1);
	}
	xa_unlock_irqrestore(&ctx->table, irqflags);
	if (IS_ERR(entry))
		return PTR_ERR(entry);

	dmashim_entry_retire(entry);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(dmashim_free, DMASHIM);

static int dmashim_entry_node(const struct dmashim_entry *entry)
{
	const void *addr = entry->cpu_addr;

	unsigned long pfn;

	if (!addr)
		return NUMA_NO_NODE;
	if (is_vmalloc_addr(addr))
		pfn = vmalloc_to_pfn(addr);
	else if (virt_addr_valid(addr))
		pfn = PHYS_PFN(__pa(addr));
	else
		return NUMA_NO_NODE;
	/* Remapped device memory may have no struct page. */
	if (!pfn_valid(pfn))
		return NUMA_NO_NODE;
	return page_to_nid(pfn_to_page(pfn));
}

int dmashim_info(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 struct dmashim_info *info)
{
	struct dmashim_info out = { .sz = sizeof(out) };
	struct dmashim_entry *entry;

	if (!info)
		return -EINVAL;
	rcu_read_lock();
	entry = dmashim_entry_find(ctx, handle);
	if (!IS_ERR(entry)) {
		out.kind = entry->kind;
		out.len = entry->len;
		out.dma_addr = entry->dma_addr;
		out.cpu_addr = entry->cpu_addr;
		out.flags = entry->flags;
		out.numa_node = dmashim_entry_node(entry);
		out.dir = entry->dir;
		out.user_maps = READ_ONCE(entry->user_maps);
		out.exports = READ_ONCE(entry->exports);
	}
	rcu_read_unlock();
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	return dmashim_struct_out(info, &out, sizeof(out));
}
EXPORT_SYMBOL_NS_GPL(dmashim_info, DMASHIM);

static int __init dmashim_init(void)
{
	dmashim_debugfs_init();
	return 0;
}

static void __exit dmashim_exit(void)
{
	dmashim_debugfs_exit();
	xa_destroy(&dmashim_ctx_ids);
}

module_init(dmashim_init);
module_exit(dmashim_exit);

MODULE_DESCRIPTION("Handle-based, language-neutral wrapper of the DMA API");
MODULE_LICENSE("GPL");
