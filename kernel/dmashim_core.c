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

#include "dmashim_internal.h"

/* Context ids; the id is part of each handle. */
static DEFINE_XARRAY_ALLOC1(dmashim_ctx_ids);
static u32 dmashim_next_ctx_id;

/* Largest size-first structure a caller may pass. */
#define DMASHIM_STRUCT_MAX	PAGE_SIZE

static const char * const dmashim_kind_names[] = {
	[DMASHIM_KIND_COHERENT] = "coherent",
};

const char *dmashim_kind_name(u32 kind)
{
	if (kind < ARRAY_SIZE(dmashim_kind_names) && dmashim_kind_names[kind])
		return dmashim_kind_names[kind];
	return "unknown";
}

/*
 * Size-first structures (libbpf's opts pattern).  An input structure shorter
 * than ours reads as zero past its end; a longer one must be zero past ours.
 * An output structure gets the fields that fit and zeroes past ours.
 */
static int dmashim_struct_in(void *dst, size_t dst_sz, const void *src)
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

static void dmashim_entry_release(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;

	dma_free_attrs(ctx->dev, entry->len, entry->cookie, entry->dma_addr,
		       entry->attrs);
	kfree(entry);
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
		dmashim_entry_release(entry);
		released++;
	}
	atomic64_sub(released, &ctx->counters.pending_release);
	if (atomic_long_sub_and_test(released, &ctx->unreleased))
		wake_up(&ctx->released_wq);
}

static void dmashim_entry_reap_rcu(struct rcu_head *rcu)
{
	struct dmashim_entry *entry = container_of(rcu, struct dmashim_entry,
						   rcu);
	struct dmashim_ctx *ctx = entry->ctx;

	llist_add(&entry->reap_node, &ctx->reap_list);
	schedule_work(&ctx->reap_work);
}

static void dmashim_entry_put(struct dmashim_entry *entry)
{
	if (refcount_dec_and_test(&entry->ref))
		call_rcu(&entry->rcu, dmashim_entry_reap_rcu);
}

/* An entry has left the table: account for it and drop the table's ref. */
static void dmashim_entry_retire(struct dmashim_entry *entry)
{
	struct dmashim_counters *c = &entry->ctx->counters;

	atomic64_dec(&c->live);
	atomic64_sub(entry->len, &c->live_bytes);
	atomic64_inc(&c->pending_release);
	dmashim_entry_put(entry);
}

/**
 * dmashim_entry_find() - look a handle up in its context
 * @ctx: the context the caller says @handle belongs to.
 * @handle: the handle.
 *
 * Context: Under rcu_read_lock() or the table's xa_lock; the entry stays
 * valid until that is dropped.
 * Return: the entry; ERR_PTR(-EINVAL) for a NULL @ctx, ERR_PTR(-ENODEV) for
 * a revoked context, ERR_PTR(-EXDEV) for a handle of another context and
 * ERR_PTR(-EBADF) for any other handle that is not live.
 */
struct dmashim_entry *dmashim_entry_find(struct dmashim_ctx *ctx,
					 dmashim_handle_t handle)
{
	u64 raw = (__force u64)handle;
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
	if (likely(entry && entry->handle == raw))
		return entry;
	err = -EBADF;
refuse:
	atomic64_inc(&ctx->counters.refused);
	return ERR_PTR(err);
}

/* ---- contexts --------------------------------------------------------- */

static void dmashim_ctx_release(struct kref *ref);

/*
 * Stop the context: after this every call fails with -ENODEV.  Returns the
 * entries still allocated through @leaked and @leaked_bytes, after their
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

	/* The table is frozen now: inserts and frees see @dead under the lock. */
	xa_for_each(&ctx->table, slot, entry) {
		(*leaked)++;
		*leaked_bytes += entry->len;
		dmashim_entry_retire(entry);
	}
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
	xa_init_flags(&ctx->table, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
	ctx->dev = get_device(dev);
	kref_init(&ctx->ref);
	atomic_long_set(&ctx->unreleased, 0);
	init_waitqueue_head(&ctx->released_wq);
	init_llist_head(&ctx->reap_list);
	INIT_WORK(&ctx->reap_work, dmashim_reap_work);
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
	xa_erase(&dmashim_ctx_ids, ctx->id);
	put_device(ctx->dev);
	kfree(ctx);
}

void dmashim_ctx_put(struct dmashim_ctx *ctx)
{
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
	out.live = atomic64_read(&c->live);
	out.live_bytes = atomic64_read(&c->live_bytes);
	out.allocs = atomic64_read(&c->allocs);
	out.frees = atomic64_read(&c->frees);
	out.alloc_failures = atomic64_read(&c->alloc_failures);
	out.refused = atomic64_read(&c->refused);
	out.pending_release = atomic64_read(&c->pending_release);
	return dmashim_struct_out(stats, &out, sizeof(out));
}
EXPORT_SYMBOL_NS_GPL(dmashim_ctx_stats, DMASHIM);

/* ---- allocation -------------------------------------------------------- */

#define DMASHIM_ALLOC_KNOWN_FLAGS					\
	(DMASHIM_ALLOC_WRITE_COMBINE | DMASHIM_ALLOC_NO_KERNEL_MAPPING |	\
	 DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_WEAK_ORDERING |		\
	 DMASHIM_ALLOC_FORCE_CONTIGUOUS | DMASHIM_ALLOC_SINGLE_PAGES |	\
	 DMASHIM_ALLOC_NO_WARN | DMASHIM_ALLOC_PRIVILEGED)

static const struct {
	u32 flag;
	unsigned long attr;
} dmashim_flag_attrs[] = {
	{ DMASHIM_ALLOC_WRITE_COMBINE, DMA_ATTR_WRITE_COMBINE },
	{ DMASHIM_ALLOC_NO_KERNEL_MAPPING, DMA_ATTR_NO_KERNEL_MAPPING },
	{ DMASHIM_ALLOC_WEAK_ORDERING, DMA_ATTR_WEAK_ORDERING },
	{ DMASHIM_ALLOC_FORCE_CONTIGUOUS, DMA_ATTR_FORCE_CONTIGUOUS },
	{ DMASHIM_ALLOC_SINGLE_PAGES, DMA_ATTR_ALLOC_SINGLE_PAGES },
	{ DMASHIM_ALLOC_NO_WARN, DMA_ATTR_NO_WARN },
	{ DMASHIM_ALLOC_PRIVILEGED, DMA_ATTR_PRIVILEGED },
};

static unsigned long dmashim_flags_to_attrs(u32 flags)
{
	unsigned long attrs = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dmashim_flag_attrs); i++)
		if (flags & dmashim_flag_attrs[i].flag)
			attrs |= dmashim_flag_attrs[i].attr;
	return attrs;
}

static int dmashim_alloc_opts_parse(const struct dmashim_alloc_opts *opts,
				    struct dmashim_alloc_opts *out)
{
	const u32 exclusive = DMASHIM_ALLOC_FORCE_CONTIGUOUS |
			      DMASHIM_ALLOC_SINGLE_PAGES;
	int ret;

	ret = dmashim_struct_in(out, sizeof(*out), opts);
	if (ret)
		return ret;
	if (!opts)
		out->numa_node = DMASHIM_NUMA_NODE_ANY;
	if (out->flags & ~DMASHIM_ALLOC_KNOWN_FLAGS || out->reserved)
		return -EINVAL;
	if ((out->flags & exclusive) == exclusive)
		return -EINVAL;
	if (out->numa_node != NUMA_NO_NODE &&
	    (out->numa_node < 0 || out->numa_node >= MAX_NUMNODES ||
	     !node_online(out->numa_node)))
		return -EINVAL;
	return 0;
}

/* Can a buffer of @len bytes exist for this device at all? */
static int dmashim_check_len(struct dmashim_ctx *ctx, u64 len)
{
	u64 mask = ctx->dev->coherent_dma_mask;

	if (!len)
		return -EINVAL;
	if (len > (u64)SIZE_MAX - PAGE_SIZE + 1)
		return -EOVERFLOW;
	if (mask != U64_MAX && len > mask + 1)
		return -E2BIG;
	if (len > (u64)totalram_pages() << PAGE_SHIFT)
		return -ENOMEM;
	return 0;
}

static struct dmashim_entry *
dmashim_entry_alloc_coherent(struct dmashim_ctx *ctx, u64 len, u32 flags,
			     gfp_t gfp)
{
	struct dmashim_entry *entry;

	entry = kzalloc(sizeof(*entry), gfp);
	if (!entry)
		return NULL;
	entry->kind = DMASHIM_KIND_COHERENT;
	entry->flags = flags;
	entry->len = len;
	entry->attrs = dmashim_flags_to_attrs(flags);
	entry->cookie = dma_alloc_attrs(ctx->dev, len, &entry->dma_addr, gfp,
					entry->attrs);
	if (!entry->cookie) {
		kfree(entry);
		return NULL;
	}
	if (!(flags & DMASHIM_ALLOC_NO_KERNEL_MAPPING))
		entry->cpu_addr = entry->cookie;
	entry->ctx = ctx;
	refcount_set(&entry->ref, 1);
	return entry;
}

/* Reserve a slot, derive the handle, then publish the entry. */
static int __dmashim_table_insert(struct dmashim_ctx *ctx,
				  struct dmashim_entry *entry, gfp_t gfp)
{
	u32 slot;
	int ret;

	if (ctx->dead)
		return -ENODEV;
	ret = __xa_alloc_cyclic(&ctx->table, &slot, NULL,
				XA_LIMIT(1, U32_MAX), &ctx->next_slot, gfp);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	/* The lock may have been dropped to allocate: look again. */
	if (ctx->dead) {
		__xa_erase(&ctx->table, slot);
		return -ENODEV;
	}
	if (ret == 1)
		ctx->generation++;
	entry->handle = dmashim_handle_encode(ctx->id, ctx->generation, slot);
	/* Count before publishing, so a revoke can never see it go negative. */
	atomic_long_inc(&ctx->unreleased);
	atomic64_inc(&ctx->counters.live);
	atomic64_add(entry->len, &ctx->counters.live_bytes);
	atomic64_inc(&ctx->counters.allocs);
	/* The slot is reserved, so this store allocates nothing. */
	__xa_store(&ctx->table, slot, entry, gfp);
	return 0;
}

static int dmashim_table_insert(struct dmashim_ctx *ctx,
				struct dmashim_entry *entry, gfp_t gfp)
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

static int __dmashim_alloc(struct dmashim_ctx *ctx, u64 len,
			   const struct dmashim_alloc_opts *opts,
			   dmashim_handle_t *handlep, unsigned long caller)
{
	struct dmashim_alloc_opts o;
	struct dmashim_entry *entry;
	gfp_t gfp;
	int ret;

	ret = dmashim_alloc_opts_parse(opts, &o);
	if (ret)
		return ret;
	if (o.flags & DMASHIM_ALLOC_NOWAIT) {
		gfp = GFP_ATOMIC | __GFP_NOWARN;
	} else {
		might_sleep();
		gfp = GFP_KERNEL | __GFP_NOWARN;
	}
	if (READ_ONCE(ctx->dead))
		return -ENODEV;
	ret = dmashim_check_len(ctx, len);
	if (ret)
		return ret;

	entry = dmashim_entry_alloc_coherent(ctx, len, o.flags, gfp);
	if (!entry)
		return -ENOMEM;
	entry->caller = caller;
	ret = dmashim_table_insert(ctx, entry, gfp);
	if (ret) {
		/* Never published: nobody can see it, release at once. */
		dmashim_entry_release(entry);
		return ret;
	}
	*handlep = (__force dmashim_handle_t)entry->handle;
	return 0;
}

int dmashim_alloc(struct dmashim_ctx *ctx, u64 len,
		  const struct dmashim_alloc_opts *opts,
		  dmashim_handle_t *handlep)
{
	int ret;

	if (!ctx || !handlep)
		return -EINVAL;
	ret = __dmashim_alloc(ctx, len, opts, handlep, _RET_IP_);
	if (ret)
		atomic64_inc(&ctx->counters.alloc_failures);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dmashim_alloc, DMASHIM);

int dmashim_free(struct dmashim_ctx *ctx, dmashim_handle_t handle)
{
	struct dmashim_entry *entry;
	unsigned long irqflags;

	if (!ctx)
		return -EINVAL;
	xa_lock_irqsave(&ctx->table, irqflags);
	entry = dmashim_entry_find(ctx, handle);
	if (!IS_ERR(entry))
		__xa_erase(&ctx->table, dmashim_handle_slot(entry->handle));
	xa_unlock_irqrestore(&ctx->table, irqflags);
	if (IS_ERR(entry))
		return PTR_ERR(entry);

	atomic64_inc(&ctx->counters.frees);
	dmashim_entry_retire(entry);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(dmashim_free, DMASHIM);

static int dmashim_entry_node(const struct dmashim_entry *entry)
{
	const void *addr = entry->cpu_addr;

	if (!addr)
		return NUMA_NO_NODE;
	if (is_vmalloc_addr(addr))
		return page_to_nid(vmalloc_to_page(addr));
	if (virt_addr_valid(addr))
		return page_to_nid(virt_to_page(addr));
	return NUMA_NO_NODE;
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
