// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim debugfs: /sys/kernel/debug/dmashim/<device>.<context id>/
 *
 *   handles  one line per live handle: handle, kind, length, DMA address,
 *            DMA attributes, dmashim flags and the allocating call site
 *   stats    the counters of struct dmashim_stats
 *
 * Both files are read under rcu_read_lock() like the accessors, so reading
 * them never blocks allocation or free.  The directory is removed when the
 * context is revoked; debugfs waits for readers that are inside a file.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>

#include "dmashim_internal.h"

static struct dentry *dmashim_debugfs_root;

static int dmashim_handles_show(struct seq_file *m, void *unused)
{
	struct dmashim_ctx *ctx = m->private;
	struct dmashim_entry *entry;
	unsigned long slot;

	seq_puts(m, "handle             kind       len        dma_addr           attrs  flags  caller\n");
	rcu_read_lock();
	xa_for_each(&ctx->table, slot, entry)
		seq_printf(m, "0x%016llx %-10s %-10zu %pad 0x%04lx 0x%04x %pS\n",
			   entry->handle, dmashim_kind_name(entry->kind),
			   entry->len, &entry->dma_addr, entry->attrs,
			   entry->flags, (void *)entry->caller);
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmashim_handles);

static int dmashim_stats_show(struct seq_file *m, void *unused)
{
	struct dmashim_stats st = { .sz = sizeof(st) };
	int ret = dmashim_ctx_stats(m->private, &st);

	if (ret)
		return ret;
	seq_printf(m, "live %llu\nlive_bytes %llu\nallocs %llu\nfrees %llu\n",
		   st.live, st.live_bytes, st.allocs, st.frees);
	seq_printf(m, "alloc_failures %llu\nrefused %llu\npending_release %llu\n",
		   st.alloc_failures, st.refused, st.pending_release);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmashim_stats);

void dmashim_debugfs_init(void)
{
	dmashim_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
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
}

void dmashim_debugfs_remove(struct dmashim_ctx *ctx)
{
	debugfs_remove(ctx->debugfs);
	ctx->debugfs = NULL;
}
