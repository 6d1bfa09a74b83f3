// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim sharing: user-space mappings and scatter tables of buffers.
 *
 * Design
 * ======
 * Both hand a buffer's memory to someone dmashim cannot call back: a user
 * process, or a dma-buf importer.  So a buffer that is mapped or exported is
 * pinned: dmashim_free() refuses it with -EBUSY (the counts live in the entry,
 * under the table lock, so the check and the erase are one step).
 *
 * Each user VMA holds a reference on the entry and on the context, counted by
 * the VMA's open and close, and is never inherited across fork() (VM_DONTCOPY):
 * a child would copy the page table entries behind dmashim's back.  All the
 * mappings of one buffer come through one file at one file offset, recorded
 * with a file reference, so revocation can find every page table entry in
 * every process with one unmap_mapping_range(): it zaps them, and a later
 * access faults into dmashim, which answers SIGBUS.  Only then is the memory
 * released, while the VMAs may live on.
 *
 * Mapping and exporting sleep, so they hold the context's revoke_lock, which
 * revocation takes before it zaps and releases: memory is never handed out
 * after revocation has looked for it.  One more window: 6.1's mmap_region()
 * fills the page tables through ->mmap but links the VMA into the file's
 * i_mmap tree (where the zap looks) only after ->mmap returns, under the
 * mmap lock.  So every mm a buffer was mapped into is recorded, and
 * revocation, once no new mapping can start, takes each recorded mm's mmap
 * lock for read, which waits for any mmap_region() still running there.
 */
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

/* An mm that buffers of a context were mapped into (ctx->map_mms). */
struct dmashim_map_mm {
	struct list_head node;
	struct mm_struct *mm;
};

#include "dmashim_internal.h"

static void dmashim_vma_open(struct vm_area_struct *vma)
{
	struct dmashim_entry *entry = vma->vm_private_data;
	struct dmashim_ctx *ctx = entry->ctx;

	xa_lock_irq(&ctx->table);
	entry->user_maps++;
	xa_unlock_irq(&ctx->table);
	refcount_inc(&entry->ref);
	dmashim_ctx_get(ctx);
}

/* Drop one mapping of @entry: the count, the file when last, the refs. */
static void dmashim_unpin_mapping(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;
	struct file *file = NULL;

	xa_lock_irq(&ctx->table);
	if (!--entry->user_maps) {
		file = entry->map_file;
		entry->map_file = NULL;
	}
	xa_unlock_irq(&ctx->table);
	if (file)
		fput(file);
	dmashim_entry_put(entry);
	dmashim_ctx_put(ctx);
}

static void dmashim_vma_close(struct vm_area_struct *vma)
{
	dmashim_unpin_mapping(vma->vm_private_data);
}

/* Only reached after revocation zapped the mapping. */
static vm_fault_t dmashim_vma_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct dmashim_vm_ops = {
	.open = dmashim_vma_open,
	.close = dmashim_vma_close,
	.fault = dmashim_vma_fault,
};

/*
 * A buffer that may leave dmashim (mapped or exported): pool blocks share
 * their pages with other blocks.  Under the table's xa_lock.
 */
static struct dmashim_entry *dmashim_find_shareable(struct dmashim_ctx *ctx,
						    dmashim_handle_t handle)
{
	struct dmashim_entry *entry = dmashim_entry_find(ctx, handle);

	if (!IS_ERR(entry) && entry->kind == DMASHIM_KIND_POOL_BLOCK)
		return ERR_PTR(-EOPNOTSUPP);
	return entry;
}

/* Count a new mapping of @handle through @vma, or say why not. */
static struct dmashim_entry *dmashim_pin_mapping(struct dmashim_ctx *ctx,
						 dmashim_handle_t handle,
						 struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct dmashim_entry *entry;

	xa_lock_irq(&ctx->table);
	entry = dmashim_find_shareable(ctx, handle);
	if (IS_ERR(entry))
		goto out;
	if (vma_pages(vma) > PAGE_ALIGN(entry->len) >> PAGE_SHIFT)
		entry = ERR_PTR(-EINVAL);
	else if (entry->user_maps &&
		 (entry->map_file->f_mapping != mapping ||
		  entry->map_pgoff != vma->vm_pgoff))
		entry = ERR_PTR(-EBUSY);
	if (IS_ERR(entry))
		goto out;
	if (!entry->user_maps++) {
		entry->map_file = get_file(vma->vm_file);
		entry->map_pgoff = vma->vm_pgoff;
	}
	refcount_inc(&entry->ref);
out:
	xa_unlock_irq(&ctx->table);
	if (!IS_ERR(entry))
		dmashim_ctx_get(ctx);
	return entry;
}

/*
 * Record @mm among the context's mapped mms (revoke_lock held), and forget
 * those whose process is gone: their VMAs are gone with them.
 */
static int dmashim_note_mm(struct dmashim_ctx *ctx, struct mm_struct *mm)
{
	struct dmashim_map_mm *rec, *next;
	bool known = false;

	list_for_each_entry_safe(rec, next, &ctx->map_mms, node) {
		if (rec->mm == mm) {
			known = true;
		} else if (!atomic_read(&rec->mm->mm_users)) {
			list_del(&rec->node);
			mmdrop(rec->mm);
			kfree(rec);
		}
	}
	if (known)
		return 0;
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	mmgrab(mm);
	rec->mm = mm;
	list_add(&rec->node, &ctx->map_mms);
	return 0;
}

/**
 * dmashim_mmap_wait_mms() - wait for mappings still being set up
 * @ctx: a context marked dead, so no new mapping can start.
 *
 * Taking and dropping revoke_lock waits for dmashim_mmap() calls in flight;
 * taking each recorded mm's mmap lock then waits until the VMAs they filled
 * are linked where unmap_mapping_pages() finds them.
 * Context: Process context, no lock held; sleeps.
 */
void dmashim_mmap_wait_mms(struct dmashim_ctx *ctx)
{
	struct dmashim_map_mm *rec, *next;
	LIST_HEAD(mms);

	mutex_lock(&ctx->revoke_lock);
	list_splice_init(&ctx->map_mms, &mms);
	mutex_unlock(&ctx->revoke_lock);
	list_for_each_entry_safe(rec, next, &mms, node) {
		if (mmget_not_zero(rec->mm)) {
			mmap_read_lock(rec->mm);
			mmap_read_unlock(rec->mm);
			mmput(rec->mm);
		}
		mmdrop(rec->mm);
		kfree(rec);
	}
}

/* Map the whole of @entry from its first byte, whatever the file offset. */
static int dmashim_map_pages(struct dmashim_entry *entry,
			     struct vm_area_struct *vma)
{
	struct device *dev = entry->ctx->dev;
	unsigned long pgoff = vma->vm_pgoff;
	int ret;

	vma->vm_pgoff = 0;
	if (entry->kind == DMASHIM_KIND_NONCOHERENT)
		ret = dma_mmap_pages(dev, vma, PAGE_ALIGN(entry->len),
				     entry->page);
	else
		ret = dma_mmap_attrs(dev, vma, entry->cookie, entry->dma_addr,
				     entry->len, entry->attrs);
	vma->vm_pgoff = pgoff;
	return ret;
}

int dmashim_mmap(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 struct vm_area_struct *vma)
{
	struct dmashim_entry *entry;
	int ret;

	if (!ctx || !vma || !(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (!vma->vm_file)
		return -EOPNOTSUPP;
	might_sleep();

	mutex_lock(&ctx->revoke_lock);
	entry = dmashim_pin_mapping(ctx, handle, vma);
	ret = PTR_ERR_OR_ZERO(entry);
	if (!ret)
		ret = dmashim_note_mm(ctx, vma->vm_mm);
	if (!ret)
		ret = dmashim_map_pages(entry, vma);
	if (!ret) {
		vma->vm_flags |= VM_DONTCOPY;
		vma->vm_ops = &dmashim_vm_ops;
		vma->vm_private_data = entry;
	} else if (!IS_ERR(entry)) {
		dmashim_unpin_mapping(entry);
	}
	mutex_unlock(&ctx->revoke_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dmashim_mmap, DMASHIM);

/**
 * dmashim_mmap_revoke() - tear down user mappings of a dying context
 * @ctx: a context marked dead, with no accessor left inside a buffer.
 *
 * Zaps every user mapping and releases the memory behind it.  Reports
 * scatter tables still out: their importers were not told.
 * Context: Process context, revoke_lock held; sleeps.
 */
void dmashim_mmap_revoke(struct dmashim_ctx *ctx)
{
	struct dmashim_entry *entry;
	unsigned int exports = 0;
	unsigned long slot;

	xa_for_each(&ctx->table, slot, entry) {
		struct file *file = NULL;
		pgoff_t pgoff = 0;

		xa_lock_irq(&ctx->table);
		if (entry->user_maps) {
			file = get_file(entry->map_file);
			pgoff = entry->map_pgoff;
		}
		exports += entry->exports;
		xa_unlock_irq(&ctx->table);
		if (!file)
			continue;
		unmap_mapping_pages(file->f_mapping, pgoff,
				    PAGE_ALIGN(entry->len) >> PAGE_SHIFT, true);
		fput(file);
		dmashim_entry_release_early(entry);
	}
	if (exports)
		dev_warn(ctx->dev,
			 "dmashim: revoked with %u scatter tables still out\n",
			 exports);
}

static int dmashim_fill_sgtable(struct dmashim_entry *entry,
				struct sg_table *sgt)
{
	int ret;

	if (entry->kind != DMASHIM_KIND_NONCOHERENT)
		return dma_get_sgtable_attrs(entry->ctx->dev, sgt, entry->cookie,
					     entry->dma_addr, entry->len,
					     entry->attrs);
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, entry->page, PAGE_ALIGN(entry->len), 0);
	return ret;
}

/* Add or drop (@delta) one export of @handle, checked under the lock. */
static struct dmashim_entry *dmashim_count_export(struct dmashim_ctx *ctx,
						  dmashim_handle_t handle,
						  int delta)
{
	struct dmashim_entry *entry;

	xa_lock_irq(&ctx->table);
	entry = dmashim_find_shareable(ctx, handle);
	if (IS_ERR(entry))
		goto out;
	if (delta < 0 && !entry->exports)
		entry = ERR_PTR(-EINVAL);
	else
		entry->exports += delta;
out:
	xa_unlock_irq(&ctx->table);
	return entry;
}

int dmashim_get_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt)
{
	struct dmashim_entry *entry;
	int ret;

	if (!ctx || !sgt)
		return -EINVAL;
	might_sleep();

	mutex_lock(&ctx->revoke_lock);
	entry = dmashim_count_export(ctx, handle, 1);
	ret = PTR_ERR_OR_ZERO(entry);
	/* Pinned: not freeable, and revocation waits for revoke_lock. */
	if (!ret)
		ret = dmashim_fill_sgtable(entry, sgt);
	if (ret && !IS_ERR(entry)) {
		/* Not by handle: the context may have died meanwhile. */
		xa_lock_irq(&ctx->table);
		entry->exports--;
		xa_unlock_irq(&ctx->table);
	}
	mutex_unlock(&ctx->revoke_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dmashim_get_sgtable, DMASHIM);

int dmashim_put_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt)
{
	struct dmashim_entry *entry;

	if (!sgt)
		return -EINVAL;
	might_sleep();
	entry = ctx ? dmashim_count_export(ctx, handle, -1) : ERR_PTR(-EINVAL);
	sg_free_table(sgt);
	return PTR_ERR_OR_ZERO(entry);
}
EXPORT_SYMBOL_NS_GPL(dmashim_put_sgtable, DMASHIM);
