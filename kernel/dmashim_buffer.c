// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim buffers: coherent and non-coherent memory, and the syncs that
 * hand non-coherent memory between CPU and device.
 *
 * Design
 * ======
 * An allocation is checked in full before any memory is touched: options
 * (size-first struct, known flags, online node), then the length against
 * what the device's coherent mask can address and what the machine has.
 * The two kinds then differ only in their struct dmashim_kind_ops: where
 * the memory comes from, how it goes back, how its pages are described and
 * how it is synced.  The page allocator is always asked with __GFP_NOWARN:
 * a request the caller may legitimately make (a huge length, say) must fail
 * with an errno, not a warning splat; dmashim counts failures itself.
 *
 * Every buffer is zeroed, including those without a kernel mapping on
 * DMA-coherent devices (the direct allocator skips zeroing for them),
 * because such buffers are typically mapped to user space later.  Page
 * descriptions are checked to cover the whole buffer: a scatterlist entry
 * holds at most 4 GiB, and a table that describes less than the buffer is
 * never zeroed through or handed out.
 *
 * Non-coherent buffers come from dma_alloc_pages(), so dmashim owns their
 * struct page and can both map them to user space and export them.  Syncs
 * are checked against the buffer's direction as the DMA-API debug code
 * would, but refused with -EINVAL instead of a warning.
 */
#include <linux/dma-map-ops.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/scatterlist.h>

#include "dmashim_internal.h"
#include "dmashim_trace.h"

#define DMASHIM_ALLOC_KNOWN_FLAGS					\
	(DMASHIM_ALLOC_WRITE_COMBINE | DMASHIM_ALLOC_NO_KERNEL_MAPPING |	\
	 DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_WEAK_ORDERING |		\
	 DMASHIM_ALLOC_FORCE_CONTIGUOUS | DMASHIM_ALLOC_SINGLE_PAGES |	\
	 DMASHIM_ALLOC_NO_WARN | DMASHIM_ALLOC_PRIVILEGED)

#define DMASHIM_NONCOHERENT_FLAGS (DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_NO_WARN)

/* The largest scatterlist entry dmashim builds: well below 4 GiB. */
#define DMASHIM_SG_MAX		SZ_1G

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

/**
 * dmashim_flags_to_attrs() - the DMA_ATTR_* of enum dmashim_alloc_flags
 * @flags: the flags.
 *
 * Return: the attributes.
 */
static unsigned long dmashim_flags_to_attrs(u32 flags)
{
	unsigned long attrs = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dmashim_flag_attrs); i++)
		if (flags & dmashim_flag_attrs[i].flag)
			attrs |= dmashim_flag_attrs[i].attr;
	return attrs;
}

/**
 * dmashim_dir_valid() - is @dir an enum dmashim_dir?
 * @dir: the value.
 *
 * Return: true if it is.
 */
bool dmashim_dir_valid(u32 dir)
{
	return dir == DMASHIM_DIR_BIDIRECTIONAL ||
	       dir == DMASHIM_DIR_TO_DEVICE || dir == DMASHIM_DIR_FROM_DEVICE;
}

/* Does @sgt describe exactly the @len bytes of a buffer, rounded to pages? */
static bool dmashim_sgt_covers(const struct sg_table *sgt, u64 len)
{
	struct scatterlist *sg;
	u64 total = 0;
	unsigned int i;

	for_each_sgtable_sg(sgt, sg, i)
		total += sg->length;
	return total == PAGE_ALIGN(len);
}

/* ---- coherent ----------------------------------------------------------- */

static int dmashim_coherent_sgtable(struct dmashim_entry *entry,
				    struct sg_table *sgt)
{
	int ret;

	ret = dma_get_sgtable_attrs(entry->ctx->dev, sgt, entry->cookie,
				    entry->dma_addr, entry->len, entry->attrs);
	if (ret)
		return ret;
	if (!dmashim_sgt_covers(sgt, entry->len)) {
		sg_free_table(sgt);
		return -E2BIG;
	}
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
	ret = dmashim_coherent_sgtable(entry, &sgt);
	if (ret)
		return ret;
	/* Never with NOWAIT: the options refuse the combination. */
	for_each_sgtable_page(&sgt, &iter, 0) {
		clear_highpage(sg_page_iter_page(&iter));
		cond_resched();
	}
	sg_free_table(&sgt);
	return 0;
}

static void dmashim_coherent_release(struct dmashim_entry *entry)
{
	dmashim_ranges_drop(entry);
	dma_free_attrs(entry->ctx->dev, entry->len, entry->cookie,
		       entry->dma_addr, entry->attrs);
}

static struct dmashim_entry *
dmashim_coherent_acquire(struct dmashim_ctx *ctx,
			 const struct dmashim_alloc_req *req, gfp_t gfp)
{
	struct dmashim_entry *entry = dmashim_slot_get(ctx, req->ops, gfp);
	int ret;

	if (IS_ERR(entry))
		return entry;
	entry->len = req->len;
	entry->flags = req->flags;
	entry->attrs = dmashim_flags_to_attrs(req->flags);
	entry->dir = DMASHIM_DIR_BIDIRECTIONAL;
	entry->cookie = dma_alloc_attrs(ctx->dev, req->len, &entry->dma_addr,
					gfp, dmashim_flags_to_attrs(req->flags));
	if (!entry->cookie) {
		ret = -ENOMEM;
		goto put_slot;
	}
	if (!(req->flags & DMASHIM_ALLOC_NO_KERNEL_MAPPING)) {
		entry->cpu_addr = entry->cookie;
		return entry;
	}
	ret = dmashim_zero_unmapped(entry);
	if (!ret)
		return entry;
	dmashim_coherent_release(entry);
put_slot:
	dmashim_slot_put(entry);
	return ERR_PTR(ret);
}

static const struct dmashim_kind_ops dmashim_coherent_ops = {
	.name = "coherent",
	.kind = DMASHIM_KIND_COHERENT,
	.charge = DMASHIM_CHARGE_BUFFER,
	.acquire = dmashim_coherent_acquire,
	.retire = dmashim_defer_release,
	.release = dmashim_coherent_release,
	.get_sgtable = dmashim_coherent_sgtable,
	.user_prot = true,
};

/* ---- non-coherent ------------------------------------------------------- */

/* Contiguous pages, in entries of at most DMASHIM_SG_MAX bytes. */
static int dmashim_noncoherent_sgtable(struct dmashim_entry *entry,
				       struct sg_table *sgt)
{
	u64 left = PAGE_ALIGN(entry->len), done = 0;
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	ret = sg_alloc_table(sgt, DIV_ROUND_UP_ULL(left, DMASHIM_SG_MAX),
			     GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(sgt, sg, i) {
		u32 len = min_t(u64, left - done, DMASHIM_SG_MAX);

		sg_set_page(sg, nth_page(entry->page, done >> PAGE_SHIFT), len,
			    0);
		done += len;
	}
	return 0;
}

static int dmashim_noncoherent_sync(struct dmashim_entry *entry, u64 offset,
				    u64 len, u32 dir, bool for_device)
{
	struct device *dev = entry->ctx->dev;

	if (for_device)
		dma_sync_single_range_for_device(dev, entry->dma_addr, offset,
						 len, dir);
	else
		dma_sync_single_range_for_cpu(dev, entry->dma_addr, offset,
					      len, dir);
	return 0;
}

static void dmashim_noncoherent_release(struct dmashim_entry *entry)
{
	dmashim_ranges_drop(entry);
	dma_free_pages(entry->ctx->dev, entry->len, entry->page,
		       entry->dma_addr, entry->dir);
}

static struct dmashim_entry *
dmashim_noncoherent_acquire(struct dmashim_ctx *ctx,
			    const struct dmashim_alloc_req *req, gfp_t gfp)
{
	struct dmashim_entry *entry = dmashim_slot_get(ctx, req->ops, gfp);

	if (IS_ERR(entry))
		return entry;
	entry->len = req->len;
	entry->flags = req->flags;
	entry->attrs = dmashim_flags_to_attrs(req->flags);
	entry->dir = req->dir;
	entry->page = dma_alloc_pages(ctx->dev, req->len, &entry->dma_addr,
				      req->dir, gfp);
	if (!entry->page) {
		dmashim_slot_put(entry);
		return ERR_PTR(-ENOMEM);
	}
	/*
	 * The pages are mapped (a NULL return is the only failure), but 6.1's
	 * DMA-API debug records dma_alloc_pages() as a streaming mapping and
	 * reports it at free unless its address was checked.
	 */
	dma_mapping_error(ctx->dev, entry->dma_addr);
	entry->cpu_addr = page_address(entry->page);
	memset(entry->cpu_addr, 0, req->len);
	return entry;
}

static const struct dmashim_kind_ops dmashim_noncoherent_ops = {
	.name = "noncoherent",
	.kind = DMASHIM_KIND_NONCOHERENT,
	.charge = DMASHIM_CHARGE_BUFFER,
	.acquire = dmashim_noncoherent_acquire,
	.retire = dmashim_defer_release,
	.release = dmashim_noncoherent_release,
	.get_sgtable = dmashim_noncoherent_sgtable,
	.sync = dmashim_noncoherent_sync,
};

/* ---- the API ------------------------------------------------------------ */

static int dmashim_alloc_opts_parse(const struct dmashim_alloc_opts *opts,
				    u32 allowed_flags,
				    struct dmashim_alloc_opts *out)
{
	const u32 exclusive = DMASHIM_ALLOC_FORCE_CONTIGUOUS |
			      DMASHIM_ALLOC_SINGLE_PAGES;
	/* Zeroing a buffer without a kernel mapping may sleep. */
	const u32 nowait_unmapped = DMASHIM_ALLOC_NOWAIT |
				    DMASHIM_ALLOC_NO_KERNEL_MAPPING;
	int ret;

	ret = dmashim_struct_in(out, sizeof(*out), opts);
	if (ret)
		return ret;
	if (!opts)
		out->numa_node = DMASHIM_NUMA_NODE_ANY;
	if (out->flags & ~allowed_flags || out->reserved)
		return -EINVAL;
	if ((out->flags & exclusive) == exclusive ||
	    (out->flags & nowait_unmapped) == nowait_unmapped)
		return -EINVAL;
	if (out->numa_node != NUMA_NO_NODE &&
	    (out->numa_node < 0 || out->numa_node >= MAX_NUMNODES ||
	     !node_online(out->numa_node)))
		return -EINVAL;
	return 0;
}

/* Check and allocate one buffer; every failure is counted. */
static int dmashim_alloc_buffer(struct dmashim_ctx *ctx,
				const struct dmashim_kind_ops *ops,
				u32 allowed_flags, u64 len, u32 dir,
				const struct dmashim_alloc_opts *opts,
				dmashim_handle_t *handlep, unsigned long caller)
{
	struct dmashim_alloc_req req = { .ops = ops, .len = len, .dir = dir };
	struct dmashim_alloc_opts o;
	int ret;

	if (!ctx || !handlep)
		return -EINVAL;
	ret = dmashim_alloc_opts_parse(opts, allowed_flags, &o);
	if (!ret && !dmashim_dir_valid(dir))
		ret = -EINVAL;
	if (!ret)
		ret = dmashim_check_len(ctx, len);
	req.flags = o.flags;
	if (!ret)
		ret = dmashim_alloc_entry(ctx, &req, caller,
					  (__force u64 *)handlep);
	if (ret)
		dmashim_count(ctx, DMASHIM_ALLOC_FAILURES, 1);
	return ret;
}

int dmashim_alloc(struct dmashim_ctx *ctx, u64 len,
		  const struct dmashim_alloc_opts *opts,
		  dmashim_handle_t *handlep)
{
	return dmashim_alloc_buffer(ctx, &dmashim_coherent_ops,
				    DMASHIM_ALLOC_KNOWN_FLAGS, len,
				    DMASHIM_DIR_BIDIRECTIONAL, opts, handlep,
				    _RET_IP_);
}
EXPORT_SYMBOL_DMASHIM(dmashim_alloc);

int dmashim_alloc_noncoherent(struct dmashim_ctx *ctx, u64 len, u32 dir,
			      const struct dmashim_alloc_opts *opts,
			      dmashim_handle_t *handlep)
{
	return dmashim_alloc_buffer(ctx, &dmashim_noncoherent_ops,
				    DMASHIM_NONCOHERENT_FLAGS, len, dir, opts,
				    handlep, _RET_IP_);
}
EXPORT_SYMBOL_DMASHIM(dmashim_alloc_noncoherent);

/* Hand a range to the CPU or to the device, after the common checks. */
static int dmashim_sync(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			u64 offset, u64 len, u32 dir, bool for_device)
{
	struct dmashim_entry *entry;
	int ret = 0;

	if (!dmashim_dir_valid(dir))
		return -EINVAL;
	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (IS_ERR(entry))
		ret = PTR_ERR(entry);
	else if (!entry->ops->sync)
		ret = -EOPNOTSUPP;
	else if (entry->dir != DMASHIM_DIR_BIDIRECTIONAL && entry->dir != dir)
		ret = -EINVAL;
	else if (!dmashim_range_ok(entry->len, offset, len))
		ret = -ERANGE;
	else if (len)
		ret = entry->ops->sync(entry, offset, len, dir, for_device);
	if (!ret)
		trace_dmashim_sync(ctx->id, (__force u64)handle, offset, len,
				   dir, for_device);
	rcu_read_unlock();
	return ret;
}

int dmashim_sync_for_cpu(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			 u64 offset, u64 len, u32 dir)
{
	return dmashim_sync(ctx, handle, offset, len, dir, false);
}
EXPORT_SYMBOL_DMASHIM(dmashim_sync_for_cpu);

int dmashim_sync_for_device(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			    u64 offset, u64 len, u32 dir)
{
	return dmashim_sync(ctx, handle, offset, len, dir, true);
}
EXPORT_SYMBOL_DMASHIM(dmashim_sync_for_device);
