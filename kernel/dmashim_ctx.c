// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim contexts: creation, references, statistics and revocation.
 *
 * Design
 * ======
 * A driver gets one context per device.  The context owns the handle table
 * (dmashim_table.c) and everything allocated through it, and lives as long
 * as references to it do: revocation stops it, but never frees it, so a
 * late caller holding a reference gets -ENODEV instead of a use-after-free.
 *
 * Revocation (dmashim_ctx_destroy(), or unbind for contexts made with
 * devm_dmashim_ctx_create(), after the driver's remove()) marks the context
 * dead, waits for the allocations in flight (an SRCU grace period), retires
 * every live handle, waits for the lock-free readers (an RCU grace period),
 * tears down user mappings and releases every buffer exactly once, except
 * those with scatter tables still out: the last dmashim_put_sgtable() gives
 * those back.  A context that never allocated anything has nothing to wait
 * for.  Nothing it does needs a lock a driver may hold around it: user
 * mappings are revoked through dmashim's own address space, not through the
 * processes' mm.
 *
 * Context ids are reused, so the table must never issue a handle a previous
 * context of the same id issued: when a context is freed, the highest
 * generation any of its slots reached is kept for its id, and the next
 * context of that id starts above it.  An id whose generations run low is
 * retired for good.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "dmashim_internal.h"
#include "dmashim_trace.h"
#ifdef DMASHIM_LOCAL
#include <dmashim_local.h>
#endif

/* Context ids, and for each id freed the generation its next context uses. */
static DEFINE_XARRAY_ALLOC1(dmashim_ctx_ids);
static DEFINE_XARRAY(dmashim_ctx_floors);
static u32 dmashim_next_ctx_id;
#define DMASHIM_CTX_ID_RETIRED	xa_mk_value(0)

u32 dmashim_abi_version(void)
{
	return DMASHIM_ABI_VERSION;
}
EXPORT_SYMBOL_DMASHIM(dmashim_abi_version);

/* ---- revocation --------------------------------------------------------- */

/* Retire every live entry onto @revoked; count the buffers among them. */
static void dmashim_revoke_all(struct dmashim_ctx *ctx,
			       struct list_head *revoked, u64 *leaked,
			       u64 *leaked_bytes)
{
	struct dmashim_chunk_dir *dir = rcu_dereference_protected(ctx->dir, true);
	struct dmashim_entry *entry;
	u32 slot;

	for (slot = 0; slot < ctx->nr_slots; slot++) {
		entry = dmashim_slot_entry(dir, slot);
		if (dmashim_revoke_entry(entry)) {
			if (entry->ops->charge == DMASHIM_CHARGE_BUFFER) {
				(*leaked)++;
				*leaked_bytes += entry->len;
			}
			dmashim_count_pending(entry);
			list_add_tail(&entry->node, revoked);
		}
		if (!(slot % DMASHIM_CHUNK_ENTRIES))
			cond_resched();
	}
}

/* Release what revocation retired, but what scatter tables still hold. */
static void dmashim_release_revoked(struct list_head *revoked, u32 *held)
{
	struct dmashim_entry *entry, *next;

	list_for_each_entry_safe(entry, next, revoked, node) {
		list_del_init(&entry->node);
		if (dmashim_hold_exported(entry))
			(*held)++;
		else
			dmashim_release_now(entry);
		cond_resched();
	}
}

/*
 * Unmap every streaming mapping of @ctx, dead, that no sync is using, now:
 * a caller in atomic context may free the memory when dmashim_ctx_destroy()
 * returns, and the rest of revocation has to wait for a work item.  What a
 * sync pins, or a mapping published after the walk, the work item unmaps.
 */
static void dmashim_unmap_all_now(struct dmashim_ctx *ctx)
{
	struct dmashim_chunk_dir *dir;
	struct dmashim_entry *entry;
	u64 slot, end;

	rcu_read_lock();
	dir = rcu_dereference(ctx->dir);
	/* Pairs with the release in dmashim_table_grow(). */
	end = smp_load_acquire(&dir->nr);
	end = min_t(u64, READ_ONCE(ctx->nr_slots), end * DMASHIM_CHUNK_ENTRIES);
	for (slot = 0; slot < end; slot++) {
		entry = dmashim_slot_entry(dir, slot);
		/* Pairs with the release in dmashim_publish(). */
		/* Pinned by a sync or retired meanwhile: no matter, see above. */
		if (smp_load_acquire(&entry->handle) &&
		    entry->ops->charge == DMASHIM_CHARGE_MAPPING)
			(void)dmashim_retire(entry);
	}
	rcu_read_unlock();
}

/*
 * Stop the context: after this every call fails with -ENODEV and all its
 * memory is back, but what exported tables hold (@held).  Returns the
 * buffers that were still allocated.  Idempotent.
 */
static void dmashim_ctx_revoke(struct dmashim_ctx *ctx, u64 *leaked,
			       u64 *leaked_bytes, u32 *held)
{
	LIST_HEAD(revoked);

	*leaked = 0;
	*leaked_bytes = 0;
	*held = 0;
	mutex_lock(&ctx->revoke_lock);
	if (ctx->revoked)
		goto out;
	ctx->revoked = true;
	WRITE_ONCE(ctx->dead, true);
	dmashim_id_set_live(ctx->id, false);
	/* Pairs with the SRCU read lock after @used is set in allocations. */
	smp_mb();
	dmashim_debugfs_remove(ctx);
	if (READ_ONCE(ctx->used)) {
		synchronize_srcu(&dmashim_alloc_srcu);
		dmashim_revoke_all(ctx, &revoked, leaked, leaked_bytes);
		/* No accessor is inside a buffer, no free halfway, after this. */
		synchronize_rcu();
		dmashim_share_revoke(ctx);
		dmashim_release_ready(ctx, true);
		/* A batch the work item took before us is back, too. */
		flush_work(&ctx->release_work);
		dmashim_release_revoked(&revoked, held);
	}
	trace_dmashim_revoke(ctx->id, dev_name(ctx->dev), *leaked,
			     *leaked_bytes, *held);
out:
	mutex_unlock(&ctx->revoke_lock);
}

static void dmashim_report_held(struct dmashim_ctx *ctx, u32 held)
{
	if (held)
		dev_info(ctx->dev,
			 "dmashim: %u buffers stay allocated until their scatter tables are put\n",
			 held);
}

/* ---- the life of a context ---------------------------------------------- */

/* The highest generation any slot of @ctx reached, plus one. */
static u32 dmashim_ctx_next_gen(struct dmashim_ctx *ctx)
{
	struct dmashim_chunk_dir *dir = rcu_dereference_protected(ctx->dir, true);
	u32 slot, gen = ctx->gen_base;

	for (slot = 0; slot < ctx->nr_slots; slot++)
		gen = max(gen, dmashim_slot_entry(dir, slot)->gen);
	return gen + 1;
}

/* Give the id back, remembering where its next context starts. */
static void dmashim_ctx_id_put(struct dmashim_ctx *ctx)
{
	u32 next_gen = dmashim_ctx_next_gen(ctx);

	if (next_gen > DMASHIM_GEN_MAX / 2 ||
	    xa_err(xa_store(&dmashim_ctx_floors, ctx->id,
			    xa_mk_value(next_gen), GFP_KERNEL))) {
		/* Never reused: its handles may not come back. */
		xa_store(&dmashim_ctx_ids, ctx->id, DMASHIM_CTX_ID_RETIRED,
			 GFP_KERNEL);
		return;
	}
	xa_erase(&dmashim_ctx_ids, ctx->id);
}

static void dmashim_ctx_free(struct dmashim_ctx *ctx)
{
	struct dmashim_chunk_dir *dir;
	u64 count, bytes;
	u32 held, i;

	dmashim_ctx_revoke(ctx, &count, &bytes, &held);
	if (ctx->used) {
		/* The release batches and directory copies in flight. */
		rcu_barrier();
		flush_work(&ctx->release_work);
	}
	dmashim_share_ctx_free(ctx);
	dmashim_ctx_id_put(ctx);
	dir = rcu_dereference_protected(ctx->dir, true);
	for (i = 0; i < dir->nr; i++)
		kfree(dir->chunks[i]);
	kfree(dir);
	free_percpu(ctx->counters);
	put_device(ctx->dev);
	kfree(ctx);
}

static void dmashim_ctx_free_work(struct work_struct *work)
{
	dmashim_ctx_free(container_of(work, struct dmashim_ctx, free_work));
}

static void dmashim_ctx_release(struct kref *ref)
{
	struct dmashim_ctx *ctx = container_of(ref, struct dmashim_ctx, ref);

	if (dmashim_may_sleep())
		dmashim_ctx_free(ctx);
	else
		queue_work(dmashim_wq, &ctx->free_work);
}

static void dmashim_ctx_destroy_now(struct dmashim_ctx *ctx)
{
	u64 count, bytes;
	u32 held;

	dmashim_ctx_revoke(ctx, &count, &bytes, &held);
	if (count)
		dev_warn(ctx->dev,
			 "dmashim: destroy leaked %llu buffers (%llu bytes), released\n",
			 count, bytes);
	dmashim_report_held(ctx, held);
	dmashim_ctx_put(ctx);
}

static void dmashim_ctx_destroy_work(struct work_struct *work)
{
	dmashim_ctx_destroy_now(container_of(work, struct dmashim_ctx,
					     destroy_work));
}

static struct dmashim_ctx *dmashim_ctx_alloc(struct device *dev)
{
	struct dmashim_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	struct dmashim_chunk_dir *dir;

	if (!ctx)
		return NULL;
	ctx->counters = alloc_percpu(struct dmashim_counters);
	dir = kzalloc(struct_size(dir, chunks, 1), GFP_KERNEL);
	if (!ctx->counters || !dir) {
		free_percpu(ctx->counters);
		kfree(dir);
		kfree(ctx);
		return NULL;
	}
	dir->cap = 1;
	RCU_INIT_POINTER(ctx->dir, dir);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->free_slots);
	INIT_LIST_HEAD(&ctx->release);
	INIT_LIST_HEAD(&ctx->exports);
	INIT_WORK(&ctx->release_work, dmashim_release_work);
	INIT_WORK(&ctx->free_work, dmashim_ctx_free_work);
	INIT_WORK(&ctx->destroy_work, dmashim_ctx_destroy_work);
	kref_init(&ctx->ref);
	mutex_init(&ctx->revoke_lock);
	init_rwsem(&ctx->map_lock);
	mutex_init(&ctx->map_mutex);
	ctx->dev = get_device(dev);
	return ctx;
}

static void dmashim_ctx_unalloc(struct dmashim_ctx *ctx)
{
	put_device(ctx->dev);
	kfree(rcu_dereference_protected(ctx->dir, true));
	free_percpu(ctx->counters);
	kfree(ctx);
}

static int dmashim_ctx_new(struct device *dev,
			   const struct dmashim_limits *limits,
			   struct dmashim_ctx **ctxp)
{
	struct dmashim_limits lim;
	struct dmashim_ctx *ctx;
	u32 id;
	int ret;

	if (!dmashim_may_sleep())
		return -EWOULDBLOCK;
	if (!dev || !ctxp)
		return -EINVAL;
	if (!dev->dma_mask || !*dev->dma_mask || !dev->coherent_dma_mask)
		return -EINVAL;
	ret = dmashim_limits_parse(limits, &lim);
	if (ret)
		return ret;

	ctx = dmashim_ctx_alloc(dev);
	if (!ctx)
		return -ENOMEM;
	ret = xa_alloc_cyclic(&dmashim_ctx_ids, &id, ctx,
			      XA_LIMIT(1, DMASHIM_CTX_ID_MAX),
			      &dmashim_next_ctx_id, GFP_KERNEL);
	if (ret < 0) {
		dmashim_ctx_unalloc(ctx);
		return ret;
	}
	ctx->id = id;
	dmashim_limits_set(ctx, &lim);
	ctx->gen_base = xa_to_value(xa_load(&dmashim_ctx_floors, id) ?:
				    xa_mk_value(0));
	dmashim_fault_init(&ctx->fault, dev);
	dmashim_debugfs_add(ctx);
	dmashim_id_set_live(id, true);
	*ctxp = ctx;
	return 0;
}

#ifdef DMASHIM_TEST_HOOKS
/* For tests only: the id the next context is given, if it is free. */
void dmashim_test_next_ctx_id(u32 id)
{
	xa_lock(&dmashim_ctx_ids);
	dmashim_next_ctx_id = id;
	xa_unlock(&dmashim_ctx_ids);
}
EXPORT_SYMBOL_DMASHIM_TEST(dmashim_test_next_ctx_id);
#endif

int dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp)
{
	return dmashim_ctx_new(dev, NULL, ctxp);
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_create);

int dmashim_ctx_create_opts(struct device *dev,
			    const struct dmashim_limits *limits,
			    struct dmashim_ctx **ctxp)
{
	return dmashim_ctx_new(dev, limits, ctxp);
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_create_opts);

static void dmashim_ctx_devm_revoke(void *data)
{
	struct dmashim_ctx *ctx = data;
	u64 count, bytes;
	u32 held;

	dmashim_ctx_revoke(ctx, &count, &bytes, &held);
	if (count)
		dev_info(ctx->dev,
			 "dmashim: unbind released %llu buffers (%llu bytes)\n",
			 count, bytes);
	dmashim_report_held(ctx, held);
	dmashim_ctx_put(ctx);
}

int devm_dmashim_ctx_create_opts(struct device *dev,
				 const struct dmashim_limits *limits,
				 struct dmashim_ctx **ctxp)
{
	struct dmashim_ctx *ctx;
	int ret;

	/* Only a caller's NULL is refused, never our own local. */
	ret = dmashim_ctx_new(dev, limits, ctxp ? &ctx : NULL);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, dmashim_ctx_devm_revoke, ctx);
	if (ret)
		return ret;
	*ctxp = ctx;
	return 0;
}
EXPORT_SYMBOL_DMASHIM(devm_dmashim_ctx_create_opts);

int devm_dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp)
{
	return devm_dmashim_ctx_create_opts(dev, NULL, ctxp);
}
EXPORT_SYMBOL_DMASHIM(devm_dmashim_ctx_create);

int dmashim_ctx_set_limits(struct dmashim_ctx *ctx,
			   const struct dmashim_limits *limits)
{
	struct dmashim_limits lim;
	int ret;

	if (!ctx || !limits)
		return -EINVAL;
	if (READ_ONCE(ctx->dead))
		return -ENODEV;
	ret = dmashim_limits_parse(limits, &lim);
	if (!ret)
		dmashim_limits_set(ctx, &lim);
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_set_limits);

void dmashim_ctx_destroy(struct dmashim_ctx *ctx)
{
	if (!ctx)
		return;
	if (dmashim_may_sleep()) {
		dmashim_ctx_destroy_now(ctx);
		return;
	}
	/* Dead at once, unmapped at once; the rest cannot wait here. */
	WRITE_ONCE(ctx->dead, true);
	dmashim_unmap_all_now(ctx);
	queue_work(dmashim_wq, &ctx->destroy_work);
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_destroy);

void dmashim_ctx_get(struct dmashim_ctx *ctx)
{
	kref_get(&ctx->ref);
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_get);

void dmashim_ctx_put(struct dmashim_ctx *ctx)
{
	if (ctx)
		kref_put(&ctx->ref, dmashim_ctx_release);
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_put);

int dmashim_ctx_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats)
{
	struct dmashim_stats out = { .sz = sizeof(out) };

	if (!ctx)
		return -EINVAL;
	dmashim_read_counters(ctx, &out);
	return dmashim_struct_out(stats, &out, sizeof(out));
}
EXPORT_SYMBOL_DMASHIM(dmashim_ctx_stats);

/* ---- the module --------------------------------------------------------- */

static int dmashim_lib_init(void)
{
	int ret;

	ret = dmashim_table_init();
	if (ret)
		return ret;
	ret = dmashim_share_init();
	if (ret) {
		dmashim_table_exit();
		return ret;
	}
	dmashim_debugfs_init();
	return 0;
}

static void dmashim_lib_exit(void)
{
	/* Releases and contexts freed from atomic context may be on the way. */
	rcu_barrier();
	dmashim_table_exit();
	dmashim_debugfs_exit();
	dmashim_share_exit();
	xa_destroy(&dmashim_ctx_ids);
	xa_destroy(&dmashim_ctx_floors);
}

#ifdef DMASHIM_LOCAL
/* A driver-local copy is started and stopped by its driver (dmashim_local.h). */
static bool dmashim_local_started;

int dmashim_local_init(void)
{
	int ret;

	if (dmashim_local_started)
		return -EBUSY;
	ret = dmashim_lib_init();
	dmashim_local_started = !ret;
	return ret;
}

void dmashim_local_exit(void)
{
	if (!dmashim_local_started)
		return;
	dmashim_lib_exit();
	dmashim_local_started = false;
}
#else
static int __init dmashim_init(void)
{
	return dmashim_lib_init();
}

static void __exit dmashim_exit(void)
{
	dmashim_lib_exit();
}

module_init(dmashim_init);
module_exit(dmashim_exit);

MODULE_DESCRIPTION("Handle-based, language-neutral wrapper of the DMA API");
MODULE_LICENSE("GPL");
#endif
