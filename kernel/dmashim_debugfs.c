// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim debugfs: /sys/kernel/debug/dmashim/<device>.<context id>/
 *
 *   handles  one line per live handle: handle, kind, length, DMA address,
 *            DMA attributes, dmashim flags and the allocating call site
 *   stats    the counters of struct dmashim_stats
 *   fail_*   fault injection (dmashim_fault.c), also as a template for
 *            new contexts in dmashim/fault/
 *
 * Both are read under rcu_read_lock() like the accessors, so reading them
 * never blocks allocation or free; "handles" walks the table one slot per
 * seq_file record, so a table of any size is listed in pages.  The
 * directory is removed after the context is revoked, by a work item that
 * holds a reference (see dmashim_debugfs_remove()); debugfs waits for
 * readers that are inside a file.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>

#include "dmashim_internal.h"

static struct dentry *dmashim_debugfs_root;

/*
 * Position 0 is the header, position n + 1 slot n.  The first slot at or
 * after @slot with a live handle, its position in *@pos; under RCU.
 */
static struct dmashim_entry *dmashim_handles_find(struct seq_file *m,
						  u64 slot, loff_t *pos)
{
	struct dmashim_ctx *ctx = m->private;
	struct dmashim_chunk_dir *dir = rcu_dereference(ctx->dir);
	struct dmashim_entry *entry;
	u64 end;

	/* Pairs with the release in dmashim_table_grow(). */
	end = smp_load_acquire(&dir->nr);
	end = min_t(u64, READ_ONCE(ctx->nr_slots), end * DMASHIM_CHUNK_ENTRIES);

	for (; slot < end; slot++) {
		entry = dmashim_slot_entry(dir, slot);
		/* Pairs with the release in dmashim_publish(). */
		if (smp_load_acquire(&entry->handle)) {
			*pos = slot + 1;
			return entry;
		}
	}
	*pos = end + 1;
	return NULL;
}

static void *dmashim_handles_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	if (!*pos)
		return SEQ_START_TOKEN;
	return dmashim_handles_find(m, *pos - 1, pos);
}

static void *dmashim_handles_next(struct seq_file *m, void *v, loff_t *pos)
{
	return dmashim_handles_find(m, *pos, pos);
}

static void dmashim_handles_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int dmashim_handles_show(struct seq_file *m, void *v)
{
	struct dmashim_entry *entry = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "handle             kind       len        dma_addr           attrs  flags  caller\n");
		return 0;
	}
	seq_printf(m, "0x%016llx %-10s %-10llu %pad 0x%04lx 0x%04x %pS\n",
		   READ_ONCE(entry->handle), entry->ops->name, entry->len,
		   &entry->dma_addr, entry->attrs,
		   entry->flags, (void *)entry->caller);
	return 0;
}

static const struct seq_operations dmashim_handles_sops = {
	.start = dmashim_handles_start,
	.next = dmashim_handles_next,
	.stop = dmashim_handles_stop,
	.show = dmashim_handles_show,
};
DEFINE_SEQ_ATTRIBUTE(dmashim_handles);

static int dmashim_stats_show(struct seq_file *m, void *unused)
{
	struct dmashim_stats st = { .sz = sizeof(st) };

	dmashim_read_counters(m->private, &st);
	seq_printf(m, "live %llu\nlive_bytes %llu\nallocs %llu\nfrees %llu\n",
		   st.live, st.live_bytes, st.allocs, st.frees);
	seq_printf(m, "alloc_failures %llu\nrefused %llu\npending_release %llu\n",
		   st.alloc_failures, st.refused, st.pending_release);
	seq_printf(m, "live_mappings %llu\nmaps %llu\nunmaps %llu\nmap_failures %llu\n",
		   st.live_mappings, st.maps, st.unmaps, st.map_failures);
	seq_printf(m, "max_bytes %llu\nmax_handles %llu\nmax_mappings %llu\n",
		   st.limits.max_bytes, st.limits.max_handles,
		   st.limits.max_mappings);
	seq_printf(m, "peak_bytes %llu\npeak_handles %llu\npeak_mappings %llu\n",
		   st.peak_bytes, st.peak_handles, st.peak_mappings);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmashim_stats);

void dmashim_debugfs_init(void)
{
	dmashim_debugfs_root = debugfs_create_dir(DMASHIM_NAME, NULL);
	dmashim_fault_debugfs_init(dmashim_debugfs_root);
}

void dmashim_debugfs_exit(void)
{
	debugfs_remove(dmashim_debugfs_root);
}

void dmashim_debugfs_add(struct dmashim_ctx *ctx)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.%u", dev_name(ctx->dev), ctx->id);
	ctx->debugfs = debugfs_create_dir(name, dmashim_debugfs_root);
	debugfs_create_file("handles", 0400, ctx->debugfs, ctx,
			    &dmashim_handles_fops);
	debugfs_create_file("stats", 0400, ctx->debugfs, ctx,
			    &dmashim_stats_fops);
	dmashim_fault_debugfs_add(ctx->debugfs, &ctx->fault);
}

static void dmashim_debugfs_remove_work(struct work_struct *work)
{
	struct dmashim_ctx *ctx = container_of(work, struct dmashim_ctx,
					       debugfs_work);

	debugfs_remove(ctx->debugfs);
	ctx->debugfs = NULL;
	dmashim_ctx_put(ctx);
}

/*
 * From revocation: debugfs_remove() takes the debugfs directory's inode
 * lock, which a reader holds while it faults on its buffer (mmap_lock),
 * so it must not run under a lock of the caller's that its ->mmap takes
 * (that is bug 4's deadlock again, through debugfs).  A work item removes
 * the directory, holding a reference; only a context already on its way
 * to being freed (no reference left) removes it here, in the free work.
 */
void dmashim_debugfs_remove(struct dmashim_ctx *ctx)
{
	if (!ctx->debugfs)
		return;
	if (!kref_get_unless_zero(&ctx->ref)) {
		debugfs_remove(ctx->debugfs);
		ctx->debugfs = NULL;
		return;
	}
	INIT_WORK(&ctx->debugfs_work, dmashim_debugfs_remove_work);
	queue_work(dmashim_wq, &ctx->debugfs_work);
}
