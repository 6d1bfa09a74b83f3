// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim sharing: user-space mappings and scatter tables of buffers.
 *
 * Design
 * ======
 * Both hand a buffer's memory to someone dmashim cannot call back: a user
 * process, or a dma-buf importer.  So a shared buffer is pinned in its
 * entry's state word: dmashim_free() refuses it with -EBUSY, and the pin is
 * taken with the same cmpxchg that frees and revocation use, so a buffer is
 * never freed and shared at once.
 *
 * User mappings point at dmashim's own file, one per context, in a pseudo
 * filesystem (as dma-buf and DRM do), whatever file the driver's mmap came
 * through: dmashim_mmap() moves the VMA there with vma_set_file().  The
 * mapping is filled on fault, page by page, under the context's map_lock.
 * Revocation takes that lock for write to stop every later fault, then
 * zaps the context's address space with unmap_mapping_range(): that finds
 * every mapping of the context's buffers, in every process, and nothing
 * else, and it needs no mmap_lock, so a driver may revoke while holding a
 * lock its own mmap takes.  A later access faults into dmashim and gets
 * SIGBUS, and the memory can go back at once although the VMAs live on.
 * The VMAs are VM_IO | VM_PFNMAP | VM_DONTCOPY: a child never inherits
 * them (MADV_DOFORK refuses VM_IO), and get_user_pages() cannot pin them.
 *
 * A scatter table is recorded with the handle and table it was handed out
 * with, so only that pair gives it back.  Its pin outlives revocation: the
 * importer may still read the pages, so revocation leaves such buffers
 * allocated and the last dmashim_put_sgtable() releases them.
 */
#include <linux/dma-map-ops.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "dmashim_internal.h"

#define DMASHIM_FS_MAGIC	0x646d6173	/* "dmas" */

static struct vfsmount *dmashim_mnt;

/**
 * struct dmashim_export - one scatter table handed out
 * @node: on the context's @exports.
 * @entry: the buffer.
 * @handle: the handle it was asked for with.
 * @sgt: the caller's table.
 */
struct dmashim_export {
	struct list_head node;
	struct dmashim_entry *entry;
	u64 handle;
	struct sg_table *sgt;
};

/* ---- user mappings ------------------------------------------------------ */

static const struct file_operations dmashim_map_fops = {
	.owner = THIS_MODULE,
};

/* The context's file for user mappings, made on first use. */
static struct file *dmashim_map_file(struct dmashim_ctx *ctx)
{
	struct file *file = READ_ONCE(ctx->map_file);
	struct inode *inode;

	if (file)
		return file;
	inode = alloc_anon_inode(dmashim_mnt->mnt_sb);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	/* The file's reference on the module, dropped by its last fput(). */
	__module_get(THIS_MODULE);
	file = alloc_file_pseudo(inode, dmashim_mnt, DMASHIM_NAME, O_RDWR,
				 &dmashim_map_fops);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		iput(inode);
		return file;
	}
	if (cmpxchg(&ctx->map_file, NULL, file)) {
		fput(file);
		file = ctx->map_file;
	}
	return file;
}

/* The page of @entry at @pgoff, from the table its mappings fault in. */
static struct page *dmashim_user_page(struct dmashim_entry *entry,
				      pgoff_t pgoff)
{
	struct sg_page_iter iter;

	if (pgoff >= PAGE_ALIGN(entry->len) >> PAGE_SHIFT)
		return NULL;
	__sg_page_iter_start(&iter, entry->map_sgt->sgl,
			     entry->map_sgt->orig_nents, pgoff);
	return __sg_page_iter_next(&iter) ? sg_page_iter_page(&iter) : NULL;
}

static vm_fault_t dmashim_vma_fault(struct vm_fault *vmf)
{
	struct dmashim_entry *entry = vmf->vma->vm_private_data;
	struct dmashim_ctx *ctx = entry->ctx;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct page *page;

	down_read(&ctx->map_lock);
	page = ctx->maps_revoked ? NULL : dmashim_user_page(entry, vmf->pgoff);
	if (page)
		ret = vmf_insert_pfn(vmf->vma, vmf->address, page_to_pfn(page));
	up_read(&ctx->map_lock);
	return ret;
}

/* A VMA split or moved: one more mapping of the same buffer. */
static void dmashim_vma_open(struct vm_area_struct *vma)
{
	struct dmashim_entry *entry = vma->vm_private_data;

	atomic64_add(DMASHIM_STATE_MAP, &entry->state);
	dmashim_ctx_get(entry->ctx);
}

/*
 * Drop one mapping; the last frees the table faults read.  The table is
 * taken before the pin goes, under @map_mutex (which a new mapping's
 * dmashim_map_pages() takes too): once the last pin is gone, dmashim_free()
 * may succeed and the slot be released and reused, and its release would
 * drop a table still in it.
 */
static void dmashim_user_unpin(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;
	struct sg_table *sgt = NULL;

	mutex_lock(&ctx->map_mutex);
	if ((atomic64_read(&entry->state) & DMASHIM_STATE_MAPS) ==
	    DMASHIM_STATE_MAP)
		swap(sgt, entry->map_sgt);
	dmashim_unpin(entry, DMASHIM_STATE_MAP);
	mutex_unlock(&ctx->map_mutex);
	if (sgt) {
		sg_free_table(sgt);
		kfree(sgt);
	}
	dmashim_ctx_put(ctx);
}

static void dmashim_vma_close(struct vm_area_struct *vma)
{
	dmashim_user_unpin(vma->vm_private_data);
}

static const struct vm_operations_struct dmashim_vm_ops = {
	.open = dmashim_vma_open,
	.close = dmashim_vma_close,
	.fault = dmashim_vma_fault,
};

/* The pages a mapping of @entry faults in; built by its first mapping. */
static int dmashim_map_pages(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;
	struct sg_table *sgt;
	int ret = 0;

	mutex_lock(&ctx->map_mutex);
	if (entry->map_sgt)
		goto out;
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	ret = sgt ? entry->ops->get_sgtable(entry, sgt) : -ENOMEM;
	if (ret)
		kfree(sgt);
	else
		entry->map_sgt = sgt;
out:
	mutex_unlock(&ctx->map_mutex);
	return ret;
}

/* The protection dma_mmap_attrs() would choose (6.1's dma_pgprot()). */
static pgprot_t dmashim_map_prot(struct dmashim_entry *entry, pgprot_t prot)
{
	if (!entry->ops->user_prot)
		return prot;
	if (!dev_is_dma_coherent(entry->ctx->dev))
		return pgprot_dmacoherent(prot);
#ifdef CONFIG_ARCH_HAS_DMA_WRITE_COMBINE
	if (entry->flags & DMASHIM_ALLOC_WRITE_COMBINE)
		return pgprot_writecombine(prot);
#endif
	return prot;
}

/* Pin a mapping of @handle that @vma can hold, or say why not. */
static struct dmashim_entry *dmashim_map_pin(struct dmashim_ctx *ctx,
					     dmashim_handle_t handle,
					     struct vm_area_struct *vma)
{
	struct dmashim_entry *entry;
	int ret;

	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (IS_ERR(entry))
		goto out;
	if (!entry->ops->get_sgtable)
		ret = -EOPNOTSUPP;
	else if (vma_pages(vma) > PAGE_ALIGN(entry->len) >> PAGE_SHIFT)
		ret = -EINVAL;
	else
		ret = dmashim_pin(entry, DMASHIM_STATE_MAP);
	if (ret)
		entry = ERR_PTR(ret);
out:
	rcu_read_unlock();
	return entry;
}

int dmashim_mmap(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 struct vm_area_struct *vma)
{
	struct dmashim_entry *entry;
	struct file *file;
	int ret;

	if (!dmashim_may_sleep())
		return -EWOULDBLOCK;
	if (!ctx || !vma || !(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (!vma->vm_file)
		return -EOPNOTSUPP;
	file = dmashim_map_file(ctx);
	if (IS_ERR(file))
		return PTR_ERR(file);
	/*
	 * Revocation releases pinned buffers too, but only after it has
	 * taken @map_lock for writing: hold it for reading until the pages
	 * are looked up, so they are never looked up in released memory.
	 */
	down_read(&ctx->map_lock);
	entry = ctx->maps_revoked ? ERR_PTR(-ENODEV) :
		dmashim_map_pin(ctx, handle, vma);
	if (IS_ERR(entry)) {
		up_read(&ctx->map_lock);
		return PTR_ERR(entry);
	}
	dmashim_ctx_get(ctx);
	ret = dmashim_map_pages(entry);
	up_read(&ctx->map_lock);
	if (ret) {
		dmashim_user_unpin(entry);
		return ret;
	}
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP |
			 VM_DONTCOPY;
	vma->vm_page_prot = dmashim_map_prot(entry, vma->vm_page_prot);
	/* The mapping always starts at the buffer's first byte. */
	vma->vm_pgoff = 0;
	vma->vm_ops = &dmashim_vm_ops;
	vma->vm_private_data = entry;
	vma_set_file(vma, file);
	return 0;
}
EXPORT_SYMBOL_DMASHIM(dmashim_mmap);

/**
 * dmashim_share_revoke() - end every user mapping of a dying context
 * @ctx: a context whose handles are all retired.
 *
 * Later faults get SIGBUS; the pages of every mapping are zapped, so the
 * memory can go back to the DMA API now.
 * Context: Process context; sleeps.
 */
void dmashim_share_revoke(struct dmashim_ctx *ctx)
{
	struct file *file;

	down_write(&ctx->map_lock);
	ctx->maps_revoked = true;
	up_write(&ctx->map_lock);
	/*
	 * Only now: the first dmashim_mmap() makes the file before it takes
	 * @map_lock, so a mapping made before the write section has its
	 * file here.  (Read before, a first mmap racing us could fault its
	 * pages in and keep them.)
	 */
	file = READ_ONCE(ctx->map_file);
	if (file)
		unmap_mapping_range(file->f_mapping, 0, 0, 1);
}

/**
 * dmashim_share_ctx_free() - drop what sharing kept for a context
 * @ctx: a context being freed: no VMA refers to it any more.
 *
 * Context: Process context.
 */
void dmashim_share_ctx_free(struct dmashim_ctx *ctx)
{
	if (ctx->map_file)
		fput(ctx->map_file);
}

/* ---- scatter tables ----------------------------------------------------- */

/* Pin an export of @handle, or say why not. */
static struct dmashim_entry *dmashim_export_pin(struct dmashim_ctx *ctx,
						dmashim_handle_t handle)
{
	struct dmashim_entry *entry;
	int ret;

	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (!IS_ERR(entry)) {
		ret = entry->ops->get_sgtable ?
		      dmashim_pin(entry, DMASHIM_STATE_EXPORT) : -EOPNOTSUPP;
		if (ret)
			entry = ERR_PTR(ret);
	}
	rcu_read_unlock();
	return entry;
}

/* Drop an export's pin; the last of a revoked buffer releases it. */
static void dmashim_export_unpin(struct dmashim_entry *entry)
{
	if (dmashim_unpin(entry, DMASHIM_STATE_EXPORT))
		dmashim_release_now(entry);
}

int dmashim_get_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt)
{
	struct dmashim_export *export;
	struct dmashim_entry *entry;
	int ret;

	if (!dmashim_may_sleep())
		return -EWOULDBLOCK;
	if (!ctx || !sgt)
		return -EINVAL;
	/* Filled, it would lose the list the mapping's unmap needs. */
	if (dmashim_sgt_mapped(sgt))
		return -EBUSY;
	export = kmalloc(sizeof(*export), GFP_KERNEL);
	if (!export)
		return -ENOMEM;
	entry = dmashim_export_pin(ctx, handle);
	ret = PTR_ERR_OR_ZERO(entry);
	if (!ret) {
		/* Pinned: not freeable, and kept by revocation. */
		ret = entry->ops->get_sgtable(entry, sgt);
		if (!ret) {
			ret = dmashim_owned_add(entry, sgt);
			if (ret)
				sg_free_table(sgt);
		}
		if (ret)
			dmashim_export_unpin(entry);
	}
	if (ret) {
		kfree(export);
		return ret;
	}
	export->entry = entry;
	export->handle = (__force u64)handle;
	export->sgt = sgt;
	dmashim_ctx_get(ctx);
	spin_lock_irq(&ctx->lock);
	list_add(&export->node, &ctx->exports);
	spin_unlock_irq(&ctx->lock);
	return 0;
}
EXPORT_SYMBOL_DMASHIM(dmashim_get_sgtable);

/*
 * The export of @handle as @sgt, its table freed and taken off the list:
 * the export; NULL if there is none; ERR_PTR(-EBUSY), nothing changed, if
 * the table is mapped.  One lock hold: a concurrent put of the same pair
 * sees the export or its end, never a table half given back.
 */
static struct dmashim_export *dmashim_export_take(struct dmashim_ctx *ctx,
						  dmashim_handle_t handle,
						  struct sg_table *sgt)
{
	struct dmashim_export *export;
	int ret;

	spin_lock_irq(&ctx->lock);
	list_for_each_entry(export, &ctx->exports, node) {
		if (export->handle == (__force u64)handle &&
		    export->sgt == sgt) {
			/* Mapped, its unmap would walk a freed table. */
			ret = dmashim_sgt_free(sgt);
			if (!ret)
				list_del(&export->node);
			spin_unlock_irq(&ctx->lock);
			return ret ? ERR_PTR(ret) : export;
		}
	}
	spin_unlock_irq(&ctx->lock);
	return NULL;
}

/*
 * Why @handle has no table @sgt out: a bad handle, or a wrong table.  Never
 * -ENODEV, which would tell the caller the table was freed.
 */
static int dmashim_export_missing(struct dmashim_ctx *ctx,
				  dmashim_handle_t handle)
{
	struct dmashim_entry *entry;

	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	rcu_read_unlock();
	if (IS_ERR(entry) && PTR_ERR(entry) != -ENODEV)
		return PTR_ERR(entry);
	return -EINVAL;
}

int dmashim_put_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt)
{
	struct dmashim_export *export;
	int ret;

	if (!dmashim_may_sleep())
		return -EWOULDBLOCK;
	if (!ctx || !sgt)
		return -EINVAL;
	export = dmashim_export_take(ctx, handle, sgt);
	if (!export)
		return dmashim_export_missing(ctx, handle);
	if (IS_ERR(export))
		return PTR_ERR(export);
	dmashim_export_unpin(export->entry);
	kfree(export);
	ret = READ_ONCE(ctx->dead) ? -ENODEV : 0;
	dmashim_ctx_put(ctx);
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_put_sgtable);

/* ---- the pseudo filesystem ---------------------------------------------- */

static int dmashim_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, DMASHIM_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type dmashim_fs_type = {
	.name = DMASHIM_NAME,
	.init_fs_context = dmashim_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/**
 * dmashim_share_init() - mount the filesystem user mappings point at
 *
 * Return: 0 or an errno.
 */
int dmashim_share_init(void)
{
	dmashim_mnt = kern_mount(&dmashim_fs_type);
	return PTR_ERR_OR_ZERO(dmashim_mnt);
}

/**
 * dmashim_share_exit() - unmount it
 */
void dmashim_share_exit(void)
{
	kern_unmount(dmashim_mnt);
}
