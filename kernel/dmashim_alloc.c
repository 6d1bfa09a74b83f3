// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim buffers: coherent and non-coherent allocation, and the syncs that
 * hand non-coherent buffers between CPU and device.
 *
 * Design
 * ======
 * An allocation is checked in full before any memory is touched: options
 * (size-first struct, known flags, online node), then the length against
 * what the device's coherent mask can address and what the machine has.
 * Only then is memory allocated, and only when the entry is published in the
 * table does the caller get a handle; a failure at any step leaves nothing
 * behind.  The page allocator is always asked with __GFP_NOWARN: a request
 * the caller may legitimately make (a huge length, say) must fail with an
 * errno, not a warning splat, and dmashim counts failures itself.
 *
 * Every buffer is zeroed, including those without a kernel mapping on
 * DMA-coherent devices (the direct allocator skips zeroing for them),
 * because such buffers are typically mapped to user space later.  Memory
 * is counted (dmashim_begin_alloc()) before it is asked for, so revocation
 * waits for an allocation still in progress, and a buffer that cannot be
 * published goes back through the reap work, never from the caller's
 * (possibly atomic) context.
 *
 * Non-coherent buffers come from dma_alloc_pages(), so dmashim owns their
 * struct page and can both mmap them and describe them as a scatter table.
 * Syncs are checked against the buffer's direction as the DMA-API debug code
 * would, but refused with -EINVAL instead of a warning.
 */
#include <linux/dma-map-ops.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>

#include "dmashim_internal.h"

#define DMASHIM_ALLOC_KNOWN_FLAGS					\
	(DMASHIM_ALLOC_WRITE_COMBINE | DMASHIM_ALLOC_NO_KERNEL_MAPPING |	\
	 DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_WEAK_ORDERING |		\
	 DMASHIM_ALLOC_FORCE_CONTIGUOUS | DMASHIM_ALLOC_SINGLE_PAGES |	\
	 DMASHIM_ALLOC_NO_WARN | DMASHIM_ALLOC_PRIVILEGED)

#define DMASHIM_NONCOHERENT_FLAGS (DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_NO_WARN)

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

static gfp_t dmashim_flags_to_gfp(u32 flags)
{
	if (flags & DMASHIM_ALLOC_NOWAIT)
		return GFP_ATOMIC | __GFP_NOWARN;
	might_sleep();
	return GFP_KERNEL | __GFP_NOWARN;
}

static int dmashim_alloc_opts_parse(const struct dmashim_alloc_opts *opts,
				    u32 allowed_flags,
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
	if (out->flags & ~allowed_flags || out->reserved)
		return -EINVAL;
	if ((out->flags & exclusive) == exclusive)
		return -EINVAL;
	if (out->numa_node != NUMA_NO_NODE &&
	    (out->numa_node < 0 || out->numa_node >= MAX_NUMNODES ||
	     !node_online(out->numa_node)))
		return -EINVAL;
	return 0;
}

/**
 * dmashim_check_len() - can a buffer of @len bytes exist for the device?
 * @ctx: the context.
 * @len: the length asked for.
 *
 * Return: 0; -EINVAL for 0; -EOVERFLOW if @len cannot be rounded up to
 * pages; -E2BIG beyond the coherent DMA mask; -ENOMEM beyond the RAM.
 */
int dmashim_check_len(struct dmashim_ctx *ctx, u64 len)
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

/*
 * Zero a buffer that has no kernel mapping, through its pages.  Only where
 * that is right: the direct allocator skips zeroing for such buffers, but a
 * per-device coherent pool has zeroed them already (and its pages may not
 * be what dma_get_sgtable_attrs() computes), and on a device that is not
 * DMA-coherent a CPU write through the cacheable alias would need cache
 * maintenance the DMA API does not export.
 */
static int dmashim_zero_unmapped(struct dmashim_entry *entry)
{
	struct device *dev = entry->ctx->dev;
	struct sg_page_iter iter;
	struct sg_table sgt;
	int ret;

#ifdef CONFIG_DMA_DECLARE_COHERENT
	if (dev->dma_mem)
		return 0;
#endif
	if (!dev_is_dma_coherent(dev))
		return 0;
	ret = dma_get_sgtable_attrs(dev, &sgt, entry->cookie, entry->dma_addr,
				    entry->len, entry->attrs);
	if (ret)
		return ret;
	for_each_sgtable_page(&sgt, &iter, 0)
		clear_highpage(sg_page_iter_page(&iter));
	sg_free_table(&sgt);
	return 0;
}

static struct dmashim_entry *
dmashim_coherent_new(struct dmashim_ctx *ctx, u64 len, u32 flags, gfp_t gfp)
{
	struct dmashim_entry *entry;

	entry = dmashim_entry_new(ctx, DMASHIM_KIND_COHERENT, gfp);
	if (!entry)
		return NULL;
	entry->flags = flags;
	entry->len = len;
	entry->attrs = dmashim_flags_to_attrs(flags);
	entry->cookie = dma_alloc_attrs(ctx->dev, len, &entry->dma_addr, gfp,
					entry->attrs);
	if (!entry->cookie)
		goto free_entry;
	if (!(flags & DMASHIM_ALLOC_NO_KERNEL_MAPPING))
		entry->cpu_addr = entry->cookie;
	else if (dmashim_zero_unmapped(entry))
		goto free_memory;
	return entry;

free_memory:
	dmashim_buffer_release(entry);
free_entry:
	kfree(entry);
	return NULL;
}

static struct dmashim_entry *
dmashim_noncoherent_new(struct dmashim_ctx *ctx, u64 len, u32 dir, u32 flags,
			gfp_t gfp)
{
	struct dmashim_entry *entry;

	entry = dmashim_entry_new(ctx, DMASHIM_KIND_NONCOHERENT, gfp);
	if (!entry)
		return NULL;
	entry->flags = flags;
	entry->len = len;
	entry->dir = dir;
	entry->page = dma_alloc_pages(ctx->dev, len, &entry->dma_addr, dir, gfp);
	if (!entry->page) {
		kfree(entry);
		return NULL;
	}
	/*
	 * The pages are mapped (a NULL return is the only failure), but 6.1's
	 * DMA-API debug records dma_alloc_pages() as a streaming mapping and
	 * reports it at free unless its address was checked.
	 */
	dma_mapping_error(ctx->dev, entry->dma_addr);
	entry->cpu_addr = page_address(entry->page);
	entry->cookie = entry->cpu_addr;
	memset(entry->cpu_addr, 0, len);
	return entry;
}

/**
 * dmashim_buffer_release() - give a buffer's memory back to the DMA API
 * @entry: a coherent or non-coherent entry.
 *
 * Context: Process context.
 */
void dmashim_buffer_release(struct dmashim_entry *entry)
{
	struct device *dev = entry->ctx->dev;

	if (entry->kind == DMASHIM_KIND_NONCOHERENT)
		dma_free_pages(dev, entry->len, entry->page, entry->dma_addr,
			       entry->dir);
	else
		dma_free_attrs(dev, entry->len, entry->cookie, entry->dma_addr,
			       entry->attrs);
}

/* Publish @entry and hand out its handle, or discard it on failure. */
static int dmashim_publish(struct dmashim_ctx *ctx, struct dmashim_entry *entry,
			   gfp_t gfp, dmashim_handle_t *handlep)
{
	int ret = dmashim_table_insert(ctx, entry, gfp);

	if (ret) {
		dmashim_entry_discard(entry);
		return ret;
	}
	*handlep = (__force dmashim_handle_t)entry->handle;
	return 0;
}

static bool dmashim_dir_valid(u32 dir)
{
	return dir == DMASHIM_DIR_BIDIRECTIONAL ||
	       dir == DMASHIM_DIR_TO_DEVICE || dir == DMASHIM_DIR_FROM_DEVICE;
}

/*
 * Both allocators: @dir is U32_MAX for coherent memory.  Returns 0 or an
 * errno; counts failures.
 */
static int dmashim_alloc_kind(struct dmashim_ctx *ctx, u64 len, u32 dir,
			      const struct dmashim_alloc_opts *opts,
			      dmashim_handle_t *handlep, unsigned long caller)
{
	const u32 nowait_unmapped = DMASHIM_ALLOC_NOWAIT |
				    DMASHIM_ALLOC_NO_KERNEL_MAPPING;
	bool coherent = dir == U32_MAX;
	struct dmashim_alloc_opts o;
	struct dmashim_entry *entry;
	gfp_t gfp;
	int ret;

	ret = dmashim_alloc_opts_parse(opts, coherent ?
				       DMASHIM_ALLOC_KNOWN_FLAGS :
				       DMASHIM_NONCOHERENT_FLAGS, &o);
	if (ret)
		return ret;
	if (!coherent && !dmashim_dir_valid(dir))
		return -EINVAL;
	/* Zeroing a buffer without a kernel mapping may sleep. */
	if ((o.flags & nowait_unmapped) == nowait_unmapped)
		return -EINVAL;
	gfp = dmashim_flags_to_gfp(o.flags);
	ret = dmashim_check_len(ctx, len);
	if (ret)
		return ret;
	ret = dmashim_begin_alloc(ctx);
	if (ret)
		return ret;

	if (coherent)
		entry = dmashim_coherent_new(ctx, len, o.flags, gfp);
	else
		entry = dmashim_noncoherent_new(ctx, len, dir, o.flags, gfp);
	if (!entry) {
		dmashim_abort_alloc(ctx);
		return -ENOMEM;
	}
	entry->caller = caller;
	return dmashim_publish(ctx, entry, gfp, handlep);
}

static int dmashim_alloc_counted(struct dmashim_ctx *ctx, u64 len, u32 dir,
				 const struct dmashim_alloc_opts *opts,
				 dmashim_handle_t *handlep,
				 unsigned long caller)
{
	int ret;

	if (!ctx || !handlep)
		return -EINVAL;
	ret = dmashim_alloc_kind(ctx, len, dir, opts, handlep, caller);
	if (ret)
		atomic64_inc(&ctx->counters.alloc_failures);
	return ret;
}

int dmashim_alloc(struct dmashim_ctx *ctx, u64 len,
		  const struct dmashim_alloc_opts *opts,
		  dmashim_handle_t *handlep)
{
	return dmashim_alloc_counted(ctx, len, U32_MAX, opts, handlep,
				     _RET_IP_);
}
EXPORT_SYMBOL_NS_GPL(dmashim_alloc, DMASHIM);

int dmashim_alloc_noncoherent(struct dmashim_ctx *ctx, u64 len, u32 dir,
			      const struct dmashim_alloc_opts *opts,
			      dmashim_handle_t *handlep)
{
	if (dir == U32_MAX)
		return -EINVAL;
	return dmashim_alloc_counted(ctx, len, dir, opts, handlep, _RET_IP_);
}
EXPORT_SYMBOL_NS_GPL(dmashim_alloc_noncoherent, DMASHIM);

/* The checks common to both syncs; under rcu_read_lock(). */
static struct dmashim_entry *
dmashim_sync_entry(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u64 len, u32 dir)
{
	struct dmashim_entry *entry;

	if (!dmashim_dir_valid(dir))
		return ERR_PTR(-EINVAL);
	entry = dmashim_entry_find(ctx, handle);
	if (IS_ERR(entry))
		return entry;
	if (entry->kind != DMASHIM_KIND_NONCOHERENT)
		return ERR_PTR(-EOPNOTSUPP);
	if (entry->dir != DMASHIM_DIR_BIDIRECTIONAL && entry->dir != dir)
		return ERR_PTR(-EINVAL);
	if (!dmashim_range_ok(entry, offset, len))
		return ERR_PTR(-ERANGE);
	return entry;
}

/* Hand a range to the CPU or to the device, after the common checks. */
static int dmashim_sync(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			u64 offset, u64 len, u32 dir, bool for_device)
{
	struct dmashim_entry *entry;

	rcu_read_lock();
	entry = dmashim_sync_entry(ctx, handle, offset, len, dir);
	if (!IS_ERR(entry) && len && for_device)
		dma_sync_single_range_for_device(ctx->dev, entry->dma_addr,
						 offset, len, dir);
	else if (!IS_ERR(entry) && len)
		dma_sync_single_range_for_cpu(ctx->dev, entry->dma_addr, offset,
					      len, dir);
	rcu_read_unlock();
	return PTR_ERR_OR_ZERO(entry);
}

int dmashim_sync_for_cpu(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			 u64 offset, u64 len, u32 dir)
{
	return dmashim_sync(ctx, handle, offset, len, dir, false);
}
EXPORT_SYMBOL_NS_GPL(dmashim_sync_for_cpu, DMASHIM);

int dmashim_sync_for_device(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			    u64 offset, u64 len, u32 dir)
{
	return dmashim_sync(ctx, handle, offset, len, dir, true);
}
EXPORT_SYMBOL_NS_GPL(dmashim_sync_for_device, DMASHIM);
