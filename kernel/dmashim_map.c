// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim streaming mappings: memory the caller owns, mapped for the device
 * and named by a handle.
 *
 * Design
 * ======
 * A mapping is an entry of the table like a buffer, of one of three kinds
 * (a kernel buffer, a page range, a scatter table) that differ only in
 * their struct dmashim_kind_ops.  The entry records everything the unmap
 * needs (length, direction, attributes, the table), so dmashim_unmap()
 * takes nothing but the handle, and the mapping error is checked where the
 * mapping is made.  The entry has no CPU address: the accessors refuse it,
 * and the caller uses its own pointer while the CPU owns the memory.
 *
 * Unlike a buffer, a mapping must end when dmashim_unmap() returns: with
 * bounce buffers the unmap is what copies the device's data back.  So the
 * unmap happens at once, in any context; only the slot waits for a grace
 * period.  The one thing that may still use the mapping is a sync, found by
 * handle just before: a sync pins the mapping in its state word while it
 * runs (EXPORTS counts syncs for mappings), and dmashim_unmap() succeeds
 * only from the unpinned live state, by the cmpxchg dmashim_free() uses, so
 * an unmap racing a sync is refused with -EBUSY and changes nothing.  An
 * unmap that returned 0 has unmapped: the caller may free the memory and
 * the table at once.  (Leaving the unmap to the last sync instead would
 * return 0 while the sync still walks the caller's table.)  Revocation
 * ignores pins: syncs run inside an RCU read-side section, so after its
 * synchronize_rcu() none is left, and it unmaps what is still mapped, once.
 *
 * Two live mappings of the same memory are refused with -EBUSY before
 * they reach the DMA API, in two cases, by one registry of every range any
 * mapping covers (an interval tree by physical address, the entries of a
 * table each a range of their own):
 *  - One device, one mapping of a byte at a time.  With bounce buffers,
 *    the unmap of one copy would overwrite what the device wrote through
 *    the other; and DMA-API debug cannot tell which of two mappings that
 *    both contain a partial sync is meant, and reports the sync as of
 *    memory never mapped.  A driver that hands the same memory to its
 *    device twice maps it once and uses the device address twice.
 *  - Mappings the device may write, of any devices, never start in the
 *    same cache line (DMA-API debug's own rule: the CPU could see stale
 *    data of one after the other's sync).
 * dmashim's own buffers are in the registry too, as the DMA API gave them
 * (coherent memory both ways), once their pages have left dmashim with
 * dmashim_get_sgtable(): the caller could map those pages again, and DMA-API
 * debug tracks the buffer's first cache line like a mapping's.  They enter
 * at the first export and leave when the buffer is freed, so the registry
 * costs nothing to a buffer that is never exported.  A buffer's CPU
 * address (dmashim_info(), dmashim_access_begin()) is out from the start;
 * what is mapped through it is not checked against the buffer, which would
 * put the registry's lock on every allocation: mapping it is the caller's
 * bug, as mapping memory it does not own is.
 * The registry's nodes live in the entry (one range) or in an array beside
 * it (a table), so a claim allocates nothing under its lock.
 */
#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/interval_tree_generic.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "dmashim_internal.h"

#define DMASHIM_MAP_KNOWN_FLAGS						\
	(DMASHIM_MAP_WEAK_ORDERING | DMASHIM_MAP_SKIP_CPU_SYNC |	\
	 DMASHIM_MAP_NOWAIT)

static unsigned long dmashim_map_attrs(u32 flags)
{
	unsigned long attrs = 0;

	if (flags & DMASHIM_MAP_WEAK_ORDERING)
		attrs |= DMA_ATTR_WEAK_ORDERING;
	if (flags & DMASHIM_MAP_SKIP_CPU_SYNC)
		attrs |= DMA_ATTR_SKIP_CPU_SYNC;
	return attrs;
}

/* A sync of a live mapping, pinned while it runs. */
static int dmashim_map_sync(struct dmashim_entry *entry, u64 offset, u64 len,
			    u32 dir, bool for_device)
{
	struct device *dev = entry->ctx->dev;
	int ret = dmashim_pin(entry, DMASHIM_STATE_EXPORT);

	/* Unmapped or revoked since it was found. */
	if (ret)
		return READ_ONCE(entry->ctx->dead) ? -ENODEV : -EBADF;
	if (entry->segs) {
		/* Whole tables: their DMA segments need not match the CPU's. */
		if (for_device)
			dma_sync_sgtable_for_device(dev, entry->sgt, dir);
		else
			dma_sync_sgtable_for_cpu(dev, entry->sgt, dir);
	} else if (for_device) {
		dma_sync_single_range_for_device(dev, entry->dma_addr, offset,
						 len, dir);
	} else {
		dma_sync_single_range_for_cpu(dev, entry->dma_addr, offset,
					      len, dir);
	}
	/* Never the last of a held entry: mappings are never held. */
	dmashim_unpin(entry, DMASHIM_STATE_EXPORT);
	return 0;
}

/*
 * Unmapped by its owner, with no sync running (dmashim_retire()): unmap now,
 * only the slot waits.  Nothing else touches @entry->flags any more.
 */
static void dmashim_map_retire(struct dmashim_entry *entry)
{
	entry->ops->release(entry);
	entry->flags |= DMASHIM_ENTRY_RELEASED;
	dmashim_defer_release(entry);
}

/* ---- the registry of mapped memory --------------------------------------- */

#define DMASHIM_RANGE_START(r)	((r)->start)
#define DMASHIM_RANGE_LAST(r)	((r)->last)

INTERVAL_TREE_DEFINE(struct dmashim_range, rb, phys_addr_t, subtree_last,
		     DMASHIM_RANGE_START, DMASHIM_RANGE_LAST, static,
		     dmashim_ranges);

static struct rb_root_cached dmashim_mapped = RB_ROOT_CACHED;
static DEFINE_SPINLOCK(dmashim_mapped_lock);
static u64 dmashim_nr_mapped;		/* ranges in the registry */

static void __dmashim_range_insert(struct dmashim_range *r)
{
	lockdep_assert_held(&dmashim_mapped_lock);
	dmashim_ranges_insert(r, &dmashim_mapped);
	dmashim_nr_mapped++;
}

#ifdef DMASHIM_TEST_HOOKS
/* For tests (namespace DMASHIM_TEST): how many ranges the registry has. */
u64 dmashim_test_mapped_ranges(void)
{
	unsigned long irqflags;
	u64 nr;

	spin_lock_irqsave(&dmashim_mapped_lock, irqflags);
	nr = dmashim_nr_mapped;
	spin_unlock_irqrestore(&dmashim_mapped_lock, irqflags);
	return nr;
}
EXPORT_SYMBOL_DMASHIM_TEST(dmashim_test_mapped_ranges);
#endif

static bool dmashim_device_writes(u32 dir)
{
	return dir != DMASHIM_DIR_TO_DEVICE;
}

/* Whether @old, already mapped, rules out @new (see the design above). */
static bool dmashim_range_conflicts(const struct dmashim_range *new,
				    const struct dmashim_range *old)
{
	if (old->start <= new->last && new->start <= old->last &&
	    new->dev == old->dev)
		return true;
	return dmashim_device_writes(new->dir) &&
	       dmashim_device_writes(old->dir) &&
	       old->start >> L1_CACHE_SHIFT == new->start >> L1_CACHE_SHIFT;
}

/* Enter @r unless a mapped range rules it out: 0 or -EBUSY. */
static int dmashim_range_claim(struct dmashim_range *r)
{
	phys_addr_t line = r->start & ~(phys_addr_t)(L1_CACHE_BYTES - 1);
	phys_addr_t last = max(r->last, line + L1_CACHE_BYTES - 1);
	struct dmashim_range *old;
	unsigned long irqflags;
	int ret = 0;

	spin_lock_irqsave(&dmashim_mapped_lock, irqflags);
	for (old = dmashim_ranges_iter_first(&dmashim_mapped, line, last); old;
	     old = dmashim_ranges_iter_next(old, line, last)) {
		if (dmashim_range_conflicts(r, old)) {
			ret = -EBUSY;
			break;
		}
	}
	if (!ret)
		__dmashim_range_insert(r);
	spin_unlock_irqrestore(&dmashim_mapped_lock, irqflags);
	return ret;
}

static void dmashim_range_unclaim(struct dmashim_range *r)
{
	unsigned long irqflags;

	spin_lock_irqsave(&dmashim_mapped_lock, irqflags);
	dmashim_ranges_remove(r, &dmashim_mapped);
	dmashim_nr_mapped--;
	spin_unlock_irqrestore(&dmashim_mapped_lock, irqflags);
}

/* Enter all of @entry's ranges or none: 0 or -EBUSY. */
static int dmashim_ranges_claim(struct dmashim_entry *entry)
{
	u32 i;
	int ret;

	for (i = 0; i < entry->nr_ranges; i++) {
		ret = dmashim_range_claim(&entry->ranges[i]);
		if (ret) {
			while (i--)
				dmashim_range_unclaim(&entry->ranges[i]);
			return ret;
		}
	}
	return 0;
}

/* Forget @entry's ranges, none of them in the registry. */
static void dmashim_ranges_free(struct dmashim_entry *entry)
{
	/* A mapping's are kmalloc()ed: kvfree() does not sleep for them. */
	if (entry->ranges != &entry->range)
		kvfree(entry->ranges);
	entry->ranges = NULL;
	entry->nr_ranges = 0;
}

/**
 * dmashim_ranges_drop() - take an entry's memory out of the registry
 * @entry: a mapping being unmapped, or a buffer being freed.
 *
 * Nothing if the entry has no ranges (a buffer never exported).
 * Context: Any context except NMI for a mapping (its ranges are
 * kmalloc()ed); process context for a buffer (vmalloc()ed, perhaps).
 */
void dmashim_ranges_drop(struct dmashim_entry *entry)
{
	u32 i;

	for (i = 0; i < entry->nr_ranges; i++)
		dmashim_range_unclaim(&entry->ranges[i]);
	dmashim_ranges_free(entry);
}

static void dmashim_range_set(struct dmashim_range *r,
			      const struct dmashim_entry *entry,
			      phys_addr_t phys, u64 len)
{
	r->start = phys;
	r->last = phys + len - 1;
	r->dev = entry->ctx->dev;
	r->dir = entry->dir;
}

/* Serializes first exports; exports are rare, and may sleep. */
static DEFINE_MUTEX(dmashim_owned_mutex);

/**
 * dmashim_owned_add() - enter a buffer's memory into the registry
 * @entry: a coherent or non-coherent buffer, pinned by an export.
 * @sgt: the table of its pages just made for that export.
 *
 * The DMA API has given that memory to the buffer's device, for the
 * buffer's direction (coherent memory: both ways).  Once its pages are out,
 * a caller could map them again, and a mapping of them must be refused as
 * one of a mapping would be (see the design above).  Entered at the first
 * export and left when the buffer is freed, not at dmashim_put_sgtable():
 * the caller may have kept the page pointers.  Never refused: the memory
 * is the buffer's already, whatever a caller mapped of it before through
 * its CPU address (see the design above).  One range per lock hold: a
 * buffer of single pages has one per page.
 *
 * Context: Process context; may sleep.
 * Return: 0; -ENOMEM when out of memory.
 */
int dmashim_owned_add(struct dmashim_entry *entry, struct sg_table *sgt)
{
	struct dmashim_range *ranges;
	struct scatterlist *sg;
	unsigned long irqflags;
	unsigned int i;
	int ret = 0;

	mutex_lock(&dmashim_owned_mutex);
	if (entry->nr_ranges)
		goto unlock;
	/* Freed in process context only (the buffer's release): kvfree. */
	ranges = kvcalloc(sgt->orig_nents, sizeof(*ranges),
			  GFP_KERNEL | __GFP_NOWARN);
	if (!ranges) {
		ret = -ENOMEM;
		goto unlock;
	}
	for_each_sgtable_sg(sgt, sg, i) {
		dmashim_range_set(&ranges[i], entry, sg_phys(sg), sg->length);
		spin_lock_irqsave(&dmashim_mapped_lock, irqflags);
		__dmashim_range_insert(&ranges[i]);
		spin_unlock_irqrestore(&dmashim_mapped_lock, irqflags);
	}
	entry->ranges = ranges;
	entry->nr_ranges = sgt->orig_nents;
unlock:
	mutex_unlock(&dmashim_owned_mutex);
	return ret;
}

/* ---- kernel buffers and pages ------------------------------------------- */

/* The line check and the mapping of a single or page range, at @phys. */
static int dmashim_range_map(struct dmashim_entry *entry,
			     const struct dmashim_alloc_req *req,
			     phys_addr_t phys)
{
	struct device *dev = entry->ctx->dev;
	int ret;

	dmashim_range_set(&entry->range, entry, phys, req->len);
	entry->ranges = &entry->range;
	entry->nr_ranges = 1;
	ret = dmashim_ranges_claim(entry);
	if (ret) {
		dmashim_ranges_free(entry);
		return ret;
	}
	entry->dma_addr = dma_map_page_attrs(dev, pfn_to_page(PHYS_PFN(phys)),
					     offset_in_page(phys), req->len,
					     req->dir, entry->attrs);
	if (!dma_mapping_error(dev, entry->dma_addr))
		return 0;
	dmashim_ranges_drop(entry);
	return -ENOMEM;
}

static void dmashim_range_release(struct dmashim_entry *entry)
{
	dma_unmap_page_attrs(entry->ctx->dev, entry->dma_addr, entry->len,
			     entry->dir, entry->attrs);
	dmashim_ranges_drop(entry);
}

/*
 * Whether @len bytes at @phys are memory with struct pages, from the first
 * byte to the last, with no wrap-around.  pfn_valid() answers per
 * subsection (memory is added and removed in those), so the first page,
 * the last, and the first of every subsection in between are asked; the
 * last must exist, so the walk is bounded by the top of memory.
 */
static bool dmashim_phys_valid(phys_addr_t phys, u64 len)
{
	unsigned long pfn, last;

	if (len - 1 > PHYS_ADDR_MAX - phys)
		return false;
	pfn = PHYS_PFN(phys);
	last = PHYS_PFN(phys + len - 1);
	if (!pfn_valid(last))
		return false;
	for (; pfn < last; pfn = ALIGN(pfn + 1, PAGES_PER_SUBSECTION))
		if (!pfn_valid(pfn))
			return false;
	return true;
}

/*
 * Whether @len bytes at @phys can be mapped for @dev at all: no longer than
 * the DMA layer maps in one piece (swiotlb's slots), and, without an IOMMU
 * or bounce buffers, within the device's reach.  The DMA API answers the
 * latter with a WARN, not an error; a caller's bad range must not.
 */
static bool dmashim_map_fits(struct device *dev, phys_addr_t phys, u64 len)
{
	if (len > dma_max_mapping_size(dev))
		return false;
	if (get_dma_ops(dev) || is_swiotlb_active(dev))
		return true;
	return dma_capable(dev, phys_to_dma(dev, phys), len, true);
}

/* A mapping's slot, with what every kind of mapping records. */
static struct dmashim_entry *
dmashim_map_entry_get(struct dmashim_ctx *ctx,
		      const struct dmashim_alloc_req *req, gfp_t gfp)
{
	struct dmashim_entry *entry = dmashim_slot_get(ctx, req->ops, gfp);

	if (IS_ERR(entry))
		return entry;
	entry->len = req->len;
	entry->dir = req->dir;
	entry->flags = req->flags;
	entry->attrs = dmashim_map_attrs(req->flags);
	return entry;
}

/*
 * A single or page mapping: @req->priv is the first page, @req->offset
 * the start in it (dmashim_map_single() turns its address into both, as
 * dma_map_single() does).
 */
static struct dmashim_entry *
dmashim_range_acquire(struct dmashim_ctx *ctx,
		      const struct dmashim_alloc_req *req, gfp_t gfp)
{
	phys_addr_t base = page_to_phys((struct page *)req->priv);
	phys_addr_t phys = base + req->offset;
	struct dmashim_entry *entry;
	int ret;

	if (req->offset > PHYS_ADDR_MAX - base ||
	    !dmashim_phys_valid(phys, req->len))
		return ERR_PTR(-EINVAL);
	if (!dmashim_map_fits(ctx->dev, phys, req->len))
		return ERR_PTR(-E2BIG);
	entry = dmashim_map_entry_get(ctx, req, gfp);
	if (IS_ERR(entry))
		return entry;
	ret = dmashim_range_map(entry, req, phys);
	if (ret) {
		dmashim_slot_put(entry);
		return ERR_PTR(ret);
	}
	return entry;
}

static const struct dmashim_kind_ops dmashim_single_ops = {
	.name = "map-single",
	.kind = DMASHIM_KIND_MAP_SINGLE,
	.charge = DMASHIM_CHARGE_MAPPING,
	.acquire = dmashim_range_acquire,
	.retire = dmashim_map_retire,
	.release = dmashim_range_release,
	.sync = dmashim_map_sync,
};

static const struct dmashim_kind_ops dmashim_page_ops = {
	.name = "map-page",
	.kind = DMASHIM_KIND_MAP_PAGE,
	.charge = DMASHIM_CHARGE_MAPPING,
	.acquire = dmashim_range_acquire,
	.retire = dmashim_map_retire,
	.release = dmashim_range_release,
	.sync = dmashim_map_sync,
};

/* ---- scatter tables ------------------------------------------------------ */

/**
 * dmashim_segs_addr() - the DMA address of a range of a scatter mapping
 * @segs: the mapping's segments.
 * @offset: of the range in the mapping.
 * @len: of the range, at least 1.
 * @dma_addrp: for the device address of its first byte.
 *
 * A binary search of the copy made at map time, never of the caller's
 * table.
 * Context: Any context, inside the RCU read-side section the entry was
 * found in.
 * Return: 0; -ERANGE if the range is not within one segment.
 */
int dmashim_segs_addr(const struct dmashim_segs *segs, u64 offset, u64 len,
		      u64 *dma_addrp)
{
	const struct dmashim_seg *seg;
	u32 lo = 0, hi = segs->nr, mid;

	/* The last segment starting at or before @offset. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (segs->seg[mid].start <= offset)
			lo = mid;
		else
			hi = mid;
	}
	seg = &segs->seg[lo];
	if (offset - seg->start >= seg->len ||
	    len > seg->len - (offset - seg->start))
		return -ERANGE;
	*dma_addrp = seg->dma_addr + (offset - seg->start);
	return 0;
}

/* Copy the DMA segments of @entry's table, just mapped, into @entry->segs. */
static void dmashim_segs_fill(struct dmashim_entry *entry)
{
	struct dmashim_segs *segs = entry->segs;
	struct scatterlist *sg;
	unsigned int i;
	u64 start = 0;

	for_each_sgtable_dma_sg(entry->sgt, sg, i) {
		segs->seg[i].start = start;
		segs->seg[i].dma_addr = sg_dma_address(sg);
		segs->seg[i].len = sg_dma_len(sg);
		start += sg_dma_len(sg);
	}
	segs->nr = entry->sgt->nents;
}

/*
 * A scatterlist entry may be in one mapping at a time, for any device and
 * context: its DMA fields hold one mapping.  They live in the scatterlist,
 * not in the struct sg_table (two copies of one table share them, and a
 * second table may point into the middle of a list), so each entry of a
 * mapped table is claimed, keyed by its address.  The xarray's lock also
 * orders a map against dmashim_sgt_free(): the map walks a table only
 * under the lock or while its first entry is claimed, and a table is freed
 * only under the lock with none of its entries claimed; the first entry is
 * claimed first and given up last.  (That protects the struct sg_table the
 * table was given back through; a copy of it, racing the give-back, is a
 * table the caller freed under dmashim.)  Entries after the first are
 * claimed one lock hold each, so IRQs are not off for a whole claim.
 */
static DEFINE_XARRAY_FLAGS(dmashim_mapped_sgs, XA_FLAGS_LOCK_IRQ);

/* Distinct entries never share a key, whatever their alignment. */
static unsigned long dmashim_sg_key(const struct scatterlist *sg)
{
	return (unsigned long)sg / sizeof(*sg);
}

static int dmashim_sg_claim(struct scatterlist *sg, struct sg_table *sgt,
			    gfp_t gfp)
{
	unsigned long irqflags;
	int ret;

	xa_lock_irqsave(&dmashim_mapped_sgs, irqflags);
	ret = __xa_insert(&dmashim_mapped_sgs, dmashim_sg_key(sg), sgt, gfp);
	xa_unlock_irqrestore(&dmashim_mapped_sgs, irqflags);
	return ret;
}

static void dmashim_sg_unclaim(struct scatterlist *sg)
{
	unsigned long irqflags;

	xa_lock_irqsave(&dmashim_mapped_sgs, irqflags);
	__xa_erase(&dmashim_mapped_sgs, dmashim_sg_key(sg));
	xa_unlock_irqrestore(&dmashim_mapped_sgs, irqflags);
}

/*
 * Give up the first @n entries of @sgt, the first one last: until then
 * dmashim_sgt_free() leaves the list alone.
 */
static void dmashim_sgt_unclaim_n(struct sg_table *sgt, unsigned int n)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_sg(sgt, sg, i) {
		if (i == n)
			break;
		if (i)
			dmashim_sg_unclaim(sg);
	}
	if (n)
		dmashim_sg_unclaim(sgt->sgl);
}

/* Claim the first entry of @sgt, still a table (not given back). */
static int dmashim_sgt_claim_first(struct sg_table *sgt, gfp_t gfp)
{
	struct scatterlist *sgl;
	unsigned long irqflags;
	int ret = -EINVAL;

	xa_lock_irqsave(&dmashim_mapped_sgs, irqflags);
	sgl = sgt->sgl;
	if (sgl)
		ret = __xa_insert(&dmashim_mapped_sgs, dmashim_sg_key(sgl), sgt,
				  gfp);
	/* An allocation drops the lock: given back meanwhile? */
	if (!ret && READ_ONCE(sgt->sgl) != sgl) {
		__xa_erase(&dmashim_mapped_sgs, dmashim_sg_key(sgl));
		ret = -EINVAL;
	}
	xa_unlock_irqrestore(&dmashim_mapped_sgs, irqflags);
	return ret;
}

/*
 * Claim every entry of @sgt or none: 0; -EINVAL if @sgt was given back or
 * an entry is in another mapping; -ENOMEM.
 */
static int dmashim_sgt_claim(struct sg_table *sgt, gfp_t gfp)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret = dmashim_sgt_claim_first(sgt, gfp);

	if (!ret) {
		for_each_sgtable_sg(sgt, sg, i) {
			if (!i)
				continue;
			ret = dmashim_sg_claim(sg, sgt, gfp);
			if (ret) {
				dmashim_sgt_unclaim_n(sgt, i);
				break;
			}
		}
	}
	return ret == -EBUSY ? -EINVAL : ret;
}

static void dmashim_sgt_unclaim(struct sg_table *sgt)
{
	dmashim_sgt_unclaim_n(sgt, sgt->orig_nents);
}

/*
 * Bytes the CPU side of @sgt describes, 0 for a table given back
 * (sg_free_table() keeps orig_nents, not sgl).  Walked under the lock, a
 * few loads an entry, before the claim can protect it.
 */
static u64 dmashim_sgt_len(struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned long irqflags;
	unsigned int i;
	u64 len = 0;

	xa_lock_irqsave(&dmashim_mapped_sgs, irqflags);
	if (sgt->sgl)
		for_each_sgtable_sg(sgt, sg, i)
			len += sg->length;
	xa_unlock_irqrestore(&dmashim_mapped_sgs, irqflags);
	return len;
}

/* Whether a key in [@first, @last] is claimed; under the lock. */
static bool __dmashim_keys_claimed(unsigned long first, unsigned long last)
{
	return xa_find(&dmashim_mapped_sgs, &first, last, XA_PRESENT);
}

/*
 * Whether an entry of @sgt is in a mapping; under the lock.  One lookup
 * per run of adjacent entries (a chunk of the list), not per entry.
 */
static bool __dmashim_sgt_mapped(const struct sg_table *sgt)
{
	unsigned long first = 0, last = 0, key;
	struct scatterlist *sg;
	unsigned int i;

	/* Freed by the caller: sg_free_table() keeps orig_nents, not sgl. */
	if (!sgt->sgl)
		return false;
	for_each_sgtable_sg(sgt, sg, i) {
		key = dmashim_sg_key(sg);
		if (i && key == last + 1) {
			last = key;
			continue;
		}
		if (i && __dmashim_keys_claimed(first, last))
			return true;
		first = key;
		last = key;
	}
	return sgt->orig_nents && __dmashim_keys_claimed(first, last);
}

/**
 * dmashim_sgt_free() - sg_free_table() unless the table is mapped
 * @sgt: a table dmashim_get_sgtable() filled.
 *
 * Context: Any context except NMI (the table's chunks are kfree()d).
 * Return: 0 and @sgt freed; -EBUSY if dmashim_map_sgtable() has mapped any
 * of its entries (the unmap would walk a freed list), and it is left as
 * it is.
 */
int dmashim_sgt_free(struct sg_table *sgt)
{
	unsigned long irqflags;
	int ret = 0;

	xa_lock_irqsave(&dmashim_mapped_sgs, irqflags);
	if (__dmashim_sgt_mapped(sgt))
		ret = -EBUSY;
	else
		sg_free_table(sgt);
	xa_unlock_irqrestore(&dmashim_mapped_sgs, irqflags);
	return ret;
}

/**
 * dmashim_sgt_mapped() - whether a table is mapped by dmashim_map_sgtable()
 * @sgt: the table; its list is not read (it may be an unused table).
 *
 * Context: Any context.
 * Return: true while the first entry of @sgt is in a mapping.
 */
bool dmashim_sgt_mapped(const struct sg_table *sgt)
{
	return xa_load(&dmashim_mapped_sgs, dmashim_sg_key(sgt->sgl));
}

/* Before the table was mapped: no reader saw @entry->segs. */
static void dmashim_sgt_ranges_put(struct dmashim_entry *entry)
{
	dmashim_ranges_free(entry);
	kfree(entry->segs);
	entry->segs = NULL;
}

/*
 * The registry's ranges of @entry's table, one per entry.  An empty entry
 * is refused: DMA-API debug tracks its cache line like any other, and an
 * empty range could claim none.  So is an entry the device cannot reach,
 * as for a single mapping (the DMA API would WARN).
 */
static int dmashim_sgt_ranges_get(struct dmashim_entry *entry, gfp_t gfp)
{
	struct scatterlist *sg;
	unsigned int i;
	u64 len = 0;

	for_each_sgtable_sg(entry->sgt, sg, i) {
		if (!sg->length || !dmashim_phys_valid(sg_phys(sg), sg->length))
			return -EINVAL;
		len += sg->length;
	}
	/* Given back and filled again between the length and the claim. */
	if (len != entry->len)
		return -EINVAL;
	for_each_sgtable_sg(entry->sgt, sg, i)
		if (!dmashim_map_fits(entry->ctx->dev, sg_phys(sg), sg->length))
			return -E2BIG;
	/* kmalloc: an unmap in atomic context frees the ranges at once. */
	entry->ranges = kcalloc(entry->sgt->orig_nents, sizeof(*entry->ranges),
				gfp);
	/* No more DMA segments than entries. */
	entry->segs = kmalloc(struct_size(entry->segs, seg,
					  entry->sgt->orig_nents), gfp);
	if (!entry->ranges || !entry->segs) {
		dmashim_sgt_ranges_put(entry);
		return -ENOMEM;
	}
	entry->nr_ranges = entry->sgt->orig_nents;
	for_each_sgtable_sg(entry->sgt, sg, i)
		dmashim_range_set(&entry->ranges[i], entry, sg_phys(sg),
				  sg->length);
	return 0;
}

static void dmashim_sgt_release(struct dmashim_entry *entry)
{
	dma_unmap_sgtable(entry->ctx->dev, entry->sgt, entry->dir,
			  entry->attrs);
	dmashim_ranges_drop(entry);
	/* Readers that found the handle may still look; dmashim_slot_put(). */
	kfree_rcu(entry->segs, rcu);
	dmashim_sgt_unclaim(entry->sgt);
}

static struct dmashim_entry *
dmashim_sgt_acquire(struct dmashim_ctx *ctx,
		    const struct dmashim_alloc_req *req, gfp_t gfp)
{
	struct dmashim_entry *entry = dmashim_map_entry_get(ctx, req, gfp);
	int ret;

	if (IS_ERR(entry))
		return entry;
	entry->sgt = req->priv;
	ret = dmashim_sgt_claim(entry->sgt, gfp);
	if (ret)
		goto put_slot;
	ret = dmashim_sgt_ranges_get(entry, gfp);
	if (ret)
		goto unclaim_sgt;
	ret = dmashim_ranges_claim(entry);
	if (ret)
		goto put_ranges;
	ret = dma_map_sgtable(ctx->dev, entry->sgt, req->dir, entry->attrs);
	if (ret) {
		/* -EINVAL, -EIO, -EREMOTEIO: the header's one "mapping failed". */
		ret = -ENOMEM;
		goto unclaim_ranges;
	}
	entry->dma_addr = sg_dma_address(entry->sgt->sgl);
	dmashim_segs_fill(entry);
	return entry;

unclaim_ranges:
	dmashim_ranges_drop(entry);
put_ranges:
	dmashim_sgt_ranges_put(entry);
unclaim_sgt:
	dmashim_sgt_unclaim(entry->sgt);
put_slot:
	dmashim_slot_put(entry);
	return ERR_PTR(ret);
}

static const struct dmashim_kind_ops dmashim_sgt_ops = {
	.name = "map-sgtable",
	.kind = DMASHIM_KIND_MAP_SGTABLE,
	.charge = DMASHIM_CHARGE_MAPPING,
	.acquire = dmashim_sgt_acquire,
	.retire = dmashim_map_retire,
	.release = dmashim_sgt_release,
	.sync = dmashim_map_sync,
};

/* ---- the API ------------------------------------------------------------- */

/* Check what every mapping call shares and map; failures are counted. */
static int dmashim_map(struct dmashim_ctx *ctx, struct dmashim_alloc_req *req,
		       const struct dmashim_map_opts *opts,
		       dmashim_handle_t *handlep, unsigned long caller)
{
	struct dmashim_map_opts o;
	int ret;

	if (!ctx || !handlep)
		return -EINVAL;
	ret = dmashim_struct_in(&o, sizeof(o), opts);
	if (!ret && (o.flags & ~DMASHIM_MAP_KNOWN_FLAGS ||
		     !dmashim_dir_valid(req->dir) || !req->len || !req->priv))
		ret = -EINVAL;
	if (!ret && req->len > (u64)SIZE_MAX)
		ret = -E2BIG;
	req->flags = o.flags;
	if (!ret)
		ret = dmashim_alloc_entry(ctx, req, caller,
					  (__force u64 *)handlep);
	if (ret)
		dmashim_count(ctx, DMASHIM_MAP_FAILURES, 1);
	return ret;
}

int dmashim_map_single(struct dmashim_ctx *ctx, void *cpu_addr, u64 len,
		       u32 dir, const struct dmashim_map_opts *opts,
		       dmashim_handle_t *handlep)
{
	struct dmashim_alloc_req req = {
		.ops = &dmashim_single_ops, .len = len, .dir = dir,
		.priv = cpu_addr,
	};

	/* dma_map_single() takes the linear map only, and no wrap-around. */
	if (cpu_addr && (!virt_addr_valid(cpu_addr) ||
			 (len && ((uintptr_t)cpu_addr + len - 1 <
				  (uintptr_t)cpu_addr ||
				  !virt_addr_valid(cpu_addr + len - 1)))))
		req.priv = NULL;
	if (req.priv) {
		req.priv = virt_to_page(cpu_addr);
		req.offset = offset_in_page(cpu_addr);
	}
	return dmashim_map(ctx, &req, opts, handlep, _RET_IP_);
}
EXPORT_SYMBOL_DMASHIM(dmashim_map_single);

int dmashim_map_page(struct dmashim_ctx *ctx, struct page *page, u64 offset,
		     u64 len, u32 dir, const struct dmashim_map_opts *opts,
		     dmashim_handle_t *handlep)
{
	struct dmashim_alloc_req req = {
		.ops = &dmashim_page_ops, .len = len, .dir = dir, .priv = page,
		.offset = offset,
	};

	/* Within one physical range that does not wrap. */
	if (len && offset > U64_MAX - len)
		req.priv = NULL;
	return dmashim_map(ctx, &req, opts, handlep, _RET_IP_);
}
EXPORT_SYMBOL_DMASHIM(dmashim_map_page);

int dmashim_map_sgtable(struct dmashim_ctx *ctx, struct sg_table *sgt,
			u32 dir, const struct dmashim_map_opts *opts,
			dmashim_handle_t *handlep)
{
	struct dmashim_alloc_req req = {
		.ops = &dmashim_sgt_ops, .dir = dir, .priv = sgt,
	};

	if (sgt)
		req.len = dmashim_sgt_len(sgt);
	return dmashim_map(ctx, &req, opts, handlep, _RET_IP_);
}
EXPORT_SYMBOL_DMASHIM(dmashim_map_sgtable);

int dmashim_unmap(struct dmashim_ctx *ctx, dmashim_handle_t handle)
{
	struct dmashim_entry *entry;
	int ret = 0;

	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (IS_ERR(entry))
		ret = PTR_ERR(entry);
	else if (entry->ops->charge != DMASHIM_CHARGE_MAPPING)
		ret = -EOPNOTSUPP;
	else
		ret = dmashim_retire(entry);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_unmap);

int dmashim_dma_segment(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			u32 index, u64 *dma_addrp, u64 *lenp)
{
	struct dmashim_entry *entry;
	int ret = 0;

	if (!dma_addrp || !lenp)
		return -EINVAL;
	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (IS_ERR(entry)) {
		ret = PTR_ERR(entry);
	} else if (entry->segs) {
		if (index < entry->segs->nr) {
			*dma_addrp = entry->segs->seg[index].dma_addr;
			*lenp = entry->segs->seg[index].len;
		} else {
			ret = -ERANGE;
		}
	} else if (index) {
		ret = -ERANGE;
	} else {
		*dma_addrp = entry->dma_addr;
		*lenp = entry->len;
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_dma_segment);
