// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim handle table: slots, handles and the life of an entry.
 *
 * Design
 * ======
 * Each context has a table of slots, struct dmashim_entry, in chunks of one
 * page reached through a directory: a lookup is two dependent loads and a
 * compare, whatever the number of live handles, and takes no lock and
 * writes nothing shared, so accessors scale across CPUs and run in any
 * context.  Slots never move and are freed only with their context.
 *
 * A handle is the context id, a generation and the slot (and a bit that
 * tells pools from buffers).  The entry keeps the handle it carries while
 * live; a lookup compares the whole value, so a freed, stale, forged or
 * foreign handle is refused with an errno instead of reaching memory.
 *
 * Freeing changes the state word with one cmpxchg (so of two racing frees,
 * or a free racing revocation, exactly one wins), clears the handle and
 * bumps the slot's generation.  The memory, and the slot with it, is not
 * reused at once: a lock-free reader that saw the handle may still be
 * inside the buffer.  The entry is stamped with a polled RCU cookie and
 * parked, on its pool's quarantine for a block (reused in place once the
 * grace period has passed) or on the context's release list for the other
 * kinds, whose memory a work item gives back to the DMA API, a batch per
 * grace period.  So every reuse of a slot follows a grace period after its
 * retirement, and a reader that saw a handle sees that allocation's fields
 * and memory until its read-side section ends.
 *
 * Stale handles never come back.  A slot's generation grows by one per
 * reuse, and a slot whose generation is exhausted is never handed out
 * again.  Freed slots are reused oldest first, so generations grow slowly.
 * Context ids are reused, but a new context starts its generations above
 * every generation the id ever carried (dmashim_ctx.c), so the handles of a
 * destroyed context are refused by every later one.
 *
 * Allocations run inside an SRCU read-side section and check the context's
 * @dead flag there: revocation sets the flag and waits for the section, so
 * no handle is published after revocation has looked for live ones.
 */
#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "dmashim_internal.h"
#include "dmashim_trace.h"

DEFINE_SRCU(dmashim_alloc_srcu);
struct workqueue_struct *dmashim_wq;

/* The ids of live contexts: -EXDEV names one, else a handle is -EBADF. */
static DECLARE_BITMAP(dmashim_live_ids, DMASHIM_CTX_ID_MAX + 1);

/**
 * dmashim_table_init() - what every table shares: the release workqueue
 *
 * Context: Module init.
 * Return: 0 or -ENOMEM.
 */
int dmashim_table_init(void)
{
	dmashim_wq = alloc_workqueue(DMASHIM_NAME, WQ_UNBOUND, 0);
	return dmashim_wq ? 0 : -ENOMEM;
}

/**
 * dmashim_table_exit() - drain and free the release workqueue
 *
 * Context: Module exit, after rcu_barrier().
 */
void dmashim_table_exit(void)
{
	destroy_workqueue(dmashim_wq);
}

/**
 * dmashim_id_set_live() - say whether a context id names a live context
 * @id: the id.
 * @live: true from creation, false from revocation on.
 *
 * Context: Any context.
 */
void dmashim_id_set_live(u16 id, bool live)
{
	if (live)
		set_bit(id, dmashim_live_ids);
	else
		clear_bit(id, dmashim_live_ids);
}

/* Largest size-first structure a caller may pass. */
#define DMASHIM_STRUCT_MAX	PAGE_SIZE

/**
 * dmashim_lookup_error() - why dmashim_lookup() found nothing
 * @ctx: the context.
 * @raw: the handle it was given.
 *
 * Counts the refusal, except by a revoked context, and traces it.
 * Context: Any context.
 * Return: -ENODEV if @ctx has been revoked, -EXDEV if @raw names another
 * live context, else -EBADF.
 */
int dmashim_lookup_error(struct dmashim_ctx *ctx, u64 raw)
{
	u16 id = FIELD_GET(DMASHIM_HANDLE_CTX, raw);
	int err;

	if (READ_ONCE(ctx->dead))
		err = -ENODEV;
	else if (id && id != ctx->id && test_bit(id, dmashim_live_ids))
		err = -EXDEV;
	else
		err = -EBADF;
	if (err != -ENODEV)
		dmashim_count(ctx, DMASHIM_REFUSED, 1);
	trace_dmashim_refuse(ctx->id, raw, err, _RET_IP_);
	return err;
}

/**
 * dmashim_find() - the entry of a buffer handle
 * @ctx: the context the caller says @handle belongs to.
 * @handle: a buffer handle.
 *
 * Context: Under rcu_read_lock(); the entry stays valid until it is dropped.
 * Return: the entry, or an ERR_PTR() of dmashim_lookup_error()'s errnos, or
 * ERR_PTR(-EINVAL) for a NULL @ctx.
 */
struct dmashim_entry *dmashim_find(struct dmashim_ctx *ctx,
				   dmashim_handle_t handle)
{
	u64 raw = (__force u64)handle;
	struct dmashim_entry *entry;

	if (unlikely(!ctx))
		return ERR_PTR(-EINVAL);
	entry = raw & DMASHIM_HANDLE_POOL ? NULL : dmashim_lookup(ctx, raw);
	return entry ?: ERR_PTR(dmashim_lookup_error(ctx, raw));
}

/**
 * dmashim_find_pool() - the entry of a pool handle
 * @ctx: the context the caller says @pool belongs to.
 * @pool: a pool handle.
 *
 * Context: As dmashim_find().
 * Return: As dmashim_find(), for pools.
 */
struct dmashim_entry *dmashim_find_pool(struct dmashim_ctx *ctx,
					dmashim_pool_t pool)
{
	u64 raw = (__force u64)pool;
	struct dmashim_entry *entry;

	if (unlikely(!ctx))
		return ERR_PTR(-EINVAL);
	entry = raw & DMASHIM_HANDLE_POOL ? dmashim_lookup(ctx, raw) : NULL;
	return entry ?: ERR_PTR(dmashim_lookup_error(ctx, raw));
}

/* ---- slots -------------------------------------------------------------- */

/**
 * dmashim_slot_entry() - the entry of slot @slot
 * @dir: the table's directory.
 * @slot: a slot below @dir->nr chunks.
 *
 * Return: the entry.
 */
struct dmashim_entry *dmashim_slot_entry(struct dmashim_chunk_dir *dir, u32 slot)
{
	return &dir->chunks[slot >> DMASHIM_CHUNK_SHIFT]->entries
		[slot & (DMASHIM_CHUNK_ENTRIES - 1)];
}

static struct dmashim_chunk_dir *dmashim_table_dir(struct dmashim_ctx *ctx)
{
	return rcu_dereference_protected(ctx->dir, lockdep_is_held(&ctx->lock));
}

/* Fresh slots: the context, the index and the generation to start at. */
static void dmashim_chunk_init(struct dmashim_ctx *ctx,
			       struct dmashim_chunk *chunk, u32 first_slot)
{
	u32 i;

	for (i = 0; i < DMASHIM_CHUNK_ENTRIES; i++) {
		struct dmashim_entry *entry = &chunk->entries[i];

		entry->ctx = ctx;
		entry->slot = first_slot + i;
		entry->gen = ctx->gen_base;
		INIT_LIST_HEAD(&entry->node);
	}
}

/*
 * Add a chunk of fresh slots, and a directory twice the size when the
 * current one is full.  The memory is allocated with the lock dropped; the
 * caller looks again whatever this returns.
 */
static int dmashim_table_grow(struct dmashim_ctx *ctx, gfp_t gfp,
			      unsigned long *irqflags)
	__must_hold(&ctx->lock)
{
	struct dmashim_chunk_dir *dir = dmashim_table_dir(ctx), *bigger = NULL;
	struct dmashim_chunk *chunk;
	u32 nr = dir->nr, cap = dir->cap;

	if ((u64)nr * DMASHIM_CHUNK_ENTRIES > DMASHIM_SLOT_MAX)
		return -ENOSPC;
	spin_unlock_irqrestore(&ctx->lock, *irqflags);
	chunk = kzalloc(sizeof(*chunk), gfp);
	if (chunk && nr == cap)
		bigger = kzalloc(struct_size(bigger, chunks, 2 * cap), gfp);
	spin_lock_irqsave(&ctx->lock, *irqflags);

	dir = dmashim_table_dir(ctx);
	if (!chunk || (nr == cap && !bigger) || dir->nr != nr) {
		kfree(chunk);
		kfree(bigger);
		/* Out of memory, unless someone grew the table meanwhile. */
		return dir->nr != nr ? 0 : -ENOMEM;
	}
	dmashim_chunk_init(ctx, chunk, nr * DMASHIM_CHUNK_ENTRIES);
	if (bigger) {
		memcpy(bigger->chunks, dir->chunks, nr * sizeof(dir->chunks[0]));
		bigger->chunks[nr] = chunk;
		bigger->nr = nr + 1;
		bigger->cap = 2 * cap;
		rcu_assign_pointer(ctx->dir, bigger);
		kfree_rcu(dir, rcu);
	} else {
		dir->chunks[nr] = chunk;
		/* Pairs with the acquire in dmashim_lookup()'s bounds check. */
		smp_store_release(&dir->nr, nr + 1);
	}
	return 0;
}

/**
 * dmashim_slot_get() - a free slot for a new entry of kind @ops
 * @ctx: the context.
 * @ops: the kind.
 * @gfp: for a new chunk of slots.
 *
 * The oldest freed slot, or a new one.  The entry is not visible to lookups
 * until dmashim_publish().
 * Context: Any context; may sleep if @gfp allows.
 * Return: the entry, ERR_PTR(-ENOMEM) or ERR_PTR(-ENOSPC).
 */
struct dmashim_entry *dmashim_slot_get(struct dmashim_ctx *ctx,
				       const struct dmashim_kind_ops *ops,
				       gfp_t gfp)
{
	struct dmashim_entry *entry = NULL;
	unsigned long irqflags;
	struct dmashim_chunk_dir *dir;
	int ret = 0;

	spin_lock_irqsave(&ctx->lock, irqflags);
	while (!ret) {
		entry = list_first_entry_or_null(&ctx->free_slots,
						 struct dmashim_entry, node);
		if (entry) {
			list_del_init(&entry->node);
			break;
		}
		dir = dmashim_table_dir(ctx);
		if (ctx->nr_slots < dir->nr * DMASHIM_CHUNK_ENTRIES) {
			entry = dmashim_slot_entry(dir, ctx->nr_slots++);
			break;
		}
		ret = dmashim_table_grow(ctx, gfp, &irqflags);
	}
	spin_unlock_irqrestore(&ctx->lock, irqflags);
	if (ret)
		return ERR_PTR(ret);
	entry->ops = ops;
	return entry;
}

/**
 * dmashim_slot_put() - free a slot whose memory is back with its owner
 * @entry: an entry that is not live, past its grace period.
 *
 * A slot whose generations are exhausted is never handed out again.
 * Context: Any context.
 */
void dmashim_slot_put(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;
	unsigned long irqflags;

	entry->ops = NULL;
	entry->cpu_addr = NULL;
	entry->map_sgt = NULL;
	entry->segs = NULL;
	if (entry->gen > DMASHIM_GEN_MAX)
		return;
	spin_lock_irqsave(&ctx->lock, irqflags);
	list_add_tail(&entry->node, &ctx->free_slots);
	spin_unlock_irqrestore(&ctx->lock, irqflags);
}

/* ---- charges against the limits ---------------------------------------- */

/* What a charge brought the counters to; its peaks count on success. */
struct dmashim_charge_now {
	s64 now[DMASHIM_NR_CHARGED];
};

static int dmashim_charge_one(struct dmashim_ctx *ctx,
			      enum dmashim_charged which, u64 n,
			      struct dmashim_charge_now *now)
{
	s64 v = atomic64_add_return(n, &ctx->charged[which]);
	u64 limit = READ_ONCE(ctx->limit[which]);

	if (limit && v > limit) {
		atomic64_sub(n, &ctx->charged[which]);
		return -EDQUOT;
	}
	now->now[which] = v;
	return 0;
}

/* Count a new entry against the limits: -EDQUOT past one, else 0. */
static int dmashim_charge(struct dmashim_ctx *ctx, enum dmashim_charge charge,
			  u64 len, struct dmashim_charge_now *now)
{
	int ret;

	switch (charge) {
	case DMASHIM_CHARGE_BUFFER:
		ret = dmashim_charge_one(ctx, DMASHIM_HANDLES, 1, now);
		if (!ret && dmashim_charge_one(ctx, DMASHIM_BYTES, len, now)) {
			atomic64_dec(&ctx->charged[DMASHIM_HANDLES]);
			ret = -EDQUOT;
		}
		return ret;
	case DMASHIM_CHARGE_MAPPING:
		return dmashim_charge_one(ctx, DMASHIM_MAPPINGS, 1, now);
	default:
		return 0;
	}
}

/* The high-water marks of an allocation that succeeded. */
static void dmashim_charge_peaks(struct dmashim_ctx *ctx,
				 const struct dmashim_charge_now *now)
{
	s64 peak;
	int i;

	for (i = 0; i < DMASHIM_NR_CHARGED; i++) {
		peak = atomic64_read(&ctx->peak[i]);
		while (now->now[i] > peak &&
		       !atomic64_try_cmpxchg(&ctx->peak[i], &peak,
					     now->now[i]))
			;
	}
}

static void dmashim_uncharge(struct dmashim_ctx *ctx,
			     enum dmashim_charge charge, u64 len)
{
	switch (charge) {
	case DMASHIM_CHARGE_BUFFER:
		atomic64_dec(&ctx->charged[DMASHIM_HANDLES]);
		atomic64_sub(len, &ctx->charged[DMASHIM_BYTES]);
		break;
	case DMASHIM_CHARGE_MAPPING:
		atomic64_dec(&ctx->charged[DMASHIM_MAPPINGS]);
		break;
	default:
		break;
	}
}

/**
 * dmashim_limits_parse() - read a size-first struct dmashim_limits
 * @limits: the caller's, or NULL for none.
 * @out: ours.
 *
 * Return: 0, or -EINVAL if it is malformed.
 */
int dmashim_limits_parse(const struct dmashim_limits *limits,
			 struct dmashim_limits *out)
{
	int ret = dmashim_struct_in(out, sizeof(*out), limits);

	return ret ?: out->reserved ? -EINVAL : 0;
}

/**
 * dmashim_limits_set() - put parsed limits in force
 * @ctx: the context.
 * @limits: from dmashim_limits_parse().
 *
 * Context: Any context.
 */
void dmashim_limits_set(struct dmashim_ctx *ctx,
			const struct dmashim_limits *limits)
{
	WRITE_ONCE(ctx->limit[DMASHIM_BYTES], limits->max_bytes);
	WRITE_ONCE(ctx->limit[DMASHIM_HANDLES], limits->max_handles);
	WRITE_ONCE(ctx->limit[DMASHIM_MAPPINGS], limits->max_mappings);
}

/* ---- the life of an entry ----------------------------------------------- */

/**
 * dmashim_alloc_entry() - the one allocation path of every kind
 * @ctx: the context.
 * @req: what to allocate; @req->flags decides whether it may sleep.
 * @caller: the allocating call site, for debugfs.
 * @handlep: where to store the new handle.
 *
 * Context: Process context, or any context but NMI with
 * %DMASHIM_ALLOC_NOWAIT.
 * Return: 0; -EWOULDBLOCK in atomic context without %DMASHIM_ALLOC_NOWAIT;
 * -ENODEV if @ctx has been revoked; or the kind's errno.
 */
int dmashim_alloc_entry(struct dmashim_ctx *ctx,
			const struct dmashim_alloc_req *req,
			unsigned long caller, u64 *handlep)
{
	gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN;
	struct dmashim_charge_now now = {};
	struct dmashim_entry *entry;
	u64 handle = 0;
	int idx, ret;

	if (!(req->flags & DMASHIM_ALLOC_NOWAIT)) {
		if (!dmashim_may_sleep())
			return -EWOULDBLOCK;
		gfp = GFP_KERNEL | __GFP_NOWARN;
	}
	if (!READ_ONCE(ctx->used))
		WRITE_ONCE(ctx->used, true);
	/* Its full barrier orders @used before @dead: see revocation. */
	idx = srcu_read_lock(&dmashim_alloc_srcu);
	if (READ_ONCE(ctx->dead))
		ret = -ENODEV;
	else if (dmashim_fault_fail(ctx))
		ret = -ENOMEM;
	else
		ret = dmashim_charge(ctx, req->ops->charge, req->len, &now);
	if (!ret) {
		entry = req->ops->acquire(ctx, req, gfp);
		ret = PTR_ERR_OR_ZERO(entry);
		if (ret)
			dmashim_uncharge(ctx, req->ops->charge, req->len);
	}
	if (!ret) {
		/* From here on the entry carries the charge. */
		handle = dmashim_publish(entry, caller);
		if (req->ops->published)
			ret = req->ops->published(entry);
	}
	srcu_read_unlock(&dmashim_alloc_srcu, idx);
	if (ret) {
		trace_dmashim_refuse(ctx->id, 0, ret, caller);
		return ret;
	}
	dmashim_charge_peaks(ctx, &now);
	if (req->ops->charge == DMASHIM_CHARGE_MAPPING)
		trace_dmashim_map(ctx->id, handle, req->ops->name, req->len,
				  entry->dma_addr, caller);
	else
		trace_dmashim_alloc(ctx->id, handle, req->ops->name, req->len,
				    entry->dma_addr, caller);
	*handlep = handle;
	return 0;
}

int dmashim_free(struct dmashim_ctx *ctx, dmashim_handle_t handle)
{
	struct dmashim_entry *entry;
	int ret;

	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (IS_ERR(entry))
		ret = PTR_ERR(entry);
	else if (entry->ops->charge == DMASHIM_CHARGE_MAPPING)
		ret = -EOPNOTSUPP;
	else
		ret = dmashim_retire(entry);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_free);

/* The node the memory at @addr is on, or NUMA_NO_NODE. */
static int dmashim_addr_node(const void *addr)
{
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
	s64 state;

	if (!info)
		return -EINVAL;
	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (!IS_ERR(entry)) {
		state = atomic64_read(&entry->state);
		out.kind = entry->ops->kind;
		out.len = entry->len;
		out.dma_addr = entry->dma_addr;
		out.cpu_addr = entry->cpu_addr;
		out.flags = entry->flags & ~(DMASHIM_ENTRY_RELEASED |
					     DMASHIM_ENTRY_PENDING);
		out.numa_node = dmashim_addr_node(entry->cpu_addr);
		out.dir = entry->dir;
		out.user_maps = FIELD_GET(DMASHIM_STATE_MAPS, state);
		out.exports = entry->ops->charge == DMASHIM_CHARGE_MAPPING ? 0 :
			      FIELD_GET(DMASHIM_STATE_EXPORTS, state);
		out.segments = entry->segs ? entry->segs->nr : 1;
	}
	rcu_read_unlock();
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	return dmashim_struct_out(info, &out, sizeof(out));
}
EXPORT_SYMBOL_DMASHIM(dmashim_info);

/**
 * dmashim_publish() - give an entry its handle and make it live
 * @entry: an entry with its memory, from dmashim_slot_get() or reused by
 *	its kind after a grace period.
 * @caller: the allocating call site.
 *
 * Context: Any context, inside the allocation's SRCU section.
 * Return: the handle.
 */
u64 dmashim_publish(struct dmashim_entry *entry, unsigned long caller)
{
	struct dmashim_ctx *ctx = entry->ctx;
	bool pool = !entry->ops->kind;
	u64 handle = dmashim_handle_encode(ctx->id, pool, entry->gen,
					   entry->slot);

	entry->caller = caller;
	atomic64_set(&entry->state, DMASHIM_STATE_LIVE);
	if (entry->ops->charge == DMASHIM_CHARGE_BUFFER)
		dmashim_count(ctx, DMASHIM_ALLOCS, 1);
	else if (entry->ops->charge == DMASHIM_CHARGE_MAPPING)
		dmashim_count(ctx, DMASHIM_MAPS, 1);
	/* The fields before the handle: pairs with dmashim_lookup(). */
	smp_store_release(&entry->handle, handle);
	return handle;
}

/* Clear LIVE from @entry's state unless @refuse says otherwise. */
static s64 dmashim_clear_live(struct dmashim_entry *entry, bool any_pins)
{
	s64 state = atomic64_read(&entry->state);

	do {
		if (!(state & DMASHIM_STATE_LIVE))
			return state;
		if (!any_pins && state != DMASHIM_STATE_LIVE)
			return state;
	} while (!atomic64_try_cmpxchg(&entry->state, &state,
				       state & ~DMASHIM_STATE_LIVE));
	return DMASHIM_STATE_LIVE;
}

/* The handle is dead: no lookup finds it, the next one has a new value. */
static void dmashim_handle_dead(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;

	WRITE_ONCE(entry->handle, 0);
	entry->gen++;
	if (entry->ops->charge == DMASHIM_CHARGE_BUFFER)
		dmashim_count(ctx, DMASHIM_FREES, 1);
	else if (entry->ops->charge == DMASHIM_CHARGE_MAPPING)
		dmashim_count(ctx, DMASHIM_UNMAPS, 1);
	dmashim_uncharge(ctx, entry->ops->charge, entry->len);
}

/**
 * dmashim_retire() - free a live entry
 * @entry: the entry, found by handle under rcu_read_lock().
 *
 * Exactly one of concurrent retirements of an entry succeeds.  The entry
 * goes to its kind's @retire; its memory and slot are reused or released
 * after a grace period.
 * Context: Any context except NMI, under rcu_read_lock().
 * Return: 0; -EBUSY if the entry is pinned; -EBADF if it is not live;
 * -ENODEV if its context was revoked since it was found.
 */
int dmashim_retire(struct dmashim_entry *entry)
{
	s64 state = dmashim_clear_live(entry, false);

	if (state & DMASHIM_STATE_LIVE && state != DMASHIM_STATE_LIVE)
		return -EBUSY;
	/* Revoked since it was found: the errno of a dead context. */
	if (state != DMASHIM_STATE_LIVE)
		return READ_ONCE(entry->ctx->dead) ? -ENODEV : -EBADF;
	if (entry->ops->charge == DMASHIM_CHARGE_MAPPING)
		trace_dmashim_unmap(entry->ctx->id, entry->handle,
				    entry->ops->name, entry->len,
				    entry->dma_addr);
	else
		trace_dmashim_free(entry->ctx->id, entry->handle,
				   entry->ops->name, entry->len,
				   entry->dma_addr);
	dmashim_handle_dead(entry);
	entry->ops->retire(entry);
	return 0;
}

/**
 * dmashim_revoke_entry() - retire a live entry of a dying context
 * @entry: an entry of a context marked dead.
 *
 * Pins do not stop it; the memory is left to the caller (revocation).
 * Context: Any context.
 * Return: true if @entry was live.
 */
bool dmashim_revoke_entry(struct dmashim_entry *entry)
{
	if (!(dmashim_clear_live(entry, true) & DMASHIM_STATE_LIVE))
		return false;
	dmashim_handle_dead(entry);
	return true;
}

/**
 * dmashim_hold_exported() - keep a revoked entry's memory for its tables
 * @entry: an entry retired by dmashim_revoke_entry().
 *
 * Decided once against concurrent dmashim_unpin() of its exports.
 * Context: Any context.
 * Return: true if scatter tables are still out: the last
 * dmashim_put_sgtable() releases the memory; false if the caller releases
 * it now.
 */
bool dmashim_hold_exported(struct dmashim_entry *entry)
{
	s64 state = atomic64_read(&entry->state);

	do {
		if (!(state & DMASHIM_STATE_EXPORTS))
			return false;
	} while (!atomic64_try_cmpxchg(&entry->state, &state,
				       state | DMASHIM_STATE_HELD));
	return true;
}

/* Batches of the release list, one callback per grace period. */
static void dmashim_release_rcu(struct rcu_head *rcu)
{
	struct dmashim_ctx *ctx = container_of(rcu, struct dmashim_ctx,
					       release_rcu);

	queue_work(dmashim_wq, &ctx->release_work);
}

/**
 * dmashim_release_work() - release what passed its grace period
 * @work: the context's @release_work.
 *
 * Queues another batch while entries remain.
 * Context: Process context.
 */
void dmashim_release_work(struct work_struct *work)
{
	struct dmashim_ctx *ctx = container_of(work, struct dmashim_ctx,
					       release_work);

	dmashim_release_ready(ctx, false);
	spin_lock_irq(&ctx->lock);
	if (list_empty(&ctx->release))
		ctx->release_queued = false;
	else
		call_rcu(&ctx->release_rcu, dmashim_release_rcu);
	spin_unlock_irq(&ctx->lock);
}

/**
 * dmashim_count_pending() - count a retired entry's memory as pending
 * @entry: the entry; dmashim_release_now() uncounts it.
 *
 * Context: Any context.
 */
void dmashim_count_pending(struct dmashim_entry *entry)
{
	entry->flags |= DMASHIM_ENTRY_PENDING;
	dmashim_count(entry->ctx, DMASHIM_PENDING_RELEASE, 1);
}

/**
 * dmashim_defer_release() - give an entry's memory back after a grace period
 * @entry: a retired entry; its memory too, unless %DMASHIM_ENTRY_RELEASED.
 *
 * The @retire of kinds whose memory goes back to the DMA API; the slot is
 * freed after the grace period too.
 * Context: Any context except NMI.
 */
void dmashim_defer_release(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;
	unsigned long irqflags;

	entry->gp = get_state_synchronize_rcu();
	if (!(entry->flags & DMASHIM_ENTRY_RELEASED))
		dmashim_count_pending(entry);
	spin_lock_irqsave(&ctx->lock, irqflags);
	list_add_tail(&entry->node, &ctx->release);
	if (!ctx->release_queued) {
		ctx->release_queued = true;
		call_rcu(&ctx->release_rcu, dmashim_release_rcu);
	}
	spin_unlock_irqrestore(&ctx->lock, irqflags);
}

/**
 * dmashim_release_now() - give an entry's memory back at once
 * @entry: a retired entry no reader can reach.
 *
 * Context: Process context.
 */
void dmashim_release_now(struct dmashim_entry *entry)
{
	struct dmashim_ctx *ctx = entry->ctx;

	if (!(entry->flags & DMASHIM_ENTRY_RELEASED))
		entry->ops->release(entry);
	if (entry->flags & DMASHIM_ENTRY_PENDING)
		dmashim_count(ctx, DMASHIM_PENDING_RELEASE, -1);
	entry->flags = 0;
	entry->attrs = 0;
	if (!READ_ONCE(ctx->dead))
		dmashim_slot_put(entry);
}

/**
 * dmashim_release_ready() - release the entries past their grace period
 * @ctx: the context.
 * @all: every entry on the release list (the caller waited for a grace
 *	period after the last one was added).
 *
 * Context: Process context.
 */
void dmashim_release_ready(struct dmashim_ctx *ctx, bool all)
{
	struct dmashim_entry *entry, *next;
	LIST_HEAD(ready);

	spin_lock_irq(&ctx->lock);
	list_for_each_entry_safe(entry, next, &ctx->release, node) {
		if (!all && !poll_state_synchronize_rcu(entry->gp))
			break;
		list_move_tail(&entry->node, &ready);
	}
	spin_unlock_irq(&ctx->lock);
	list_for_each_entry_safe(entry, next, &ready, node) {
		list_del_init(&entry->node);
		dmashim_release_now(entry);
		cond_resched();
	}
}

/**
 * dmashim_pin() - keep a live entry's memory while it is shared
 * @entry: the entry, found by handle under rcu_read_lock().
 * @pin: %DMASHIM_STATE_MAP or %DMASHIM_STATE_EXPORT.
 *
 * A pinned entry cannot be freed; revocation keeps the memory of exported
 * entries until the last unpin.
 * Context: Any context.
 * Return: 0; -EBADF if the entry is no longer live; -EOVERFLOW if it has
 * as many pins of that kind as it can count.
 */
int dmashim_pin(struct dmashim_entry *entry, u64 pin)
{
	u64 mask = pin == DMASHIM_STATE_MAP ? DMASHIM_STATE_MAPS :
					      DMASHIM_STATE_EXPORTS;
	s64 state = atomic64_read(&entry->state);

	do {
		if (!(state & DMASHIM_STATE_LIVE))
			return -EBADF;
		if ((state & mask) == mask)
			return -EOVERFLOW;
	} while (!atomic64_try_cmpxchg(&entry->state, &state, state + pin));
	return 0;
}

/**
 * dmashim_unpin() - drop a pin taken by dmashim_pin()
 * @entry: the entry.
 * @pin: the pin.
 *
 * Context: Any context.
 * Return: true if that was the last export of an entry held by
 * revocation: the caller releases its memory.
 */
bool dmashim_unpin(struct dmashim_entry *entry, u64 pin)
{
	s64 state = atomic64_sub_return(pin, &entry->state);

	return pin == DMASHIM_STATE_EXPORT &&
	       (state & (DMASHIM_STATE_HELD | DMASHIM_STATE_EXPORTS)) ==
	       DMASHIM_STATE_HELD;
}

/**
 * dmashim_read_counters() - the counters of a context, summed
 * @ctx: the context.
 * @st: filled from @live on; @sz and @reserved are left alone.
 *
 * Exact when nothing runs concurrently.
 * Context: Any context.
 */
void dmashim_read_counters(struct dmashim_ctx *ctx, struct dmashim_stats *st)
{
	s64 sum[DMASHIM_NR_COUNTERS] = {};
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < DMASHIM_NR_COUNTERS; i++)
			sum[i] += READ_ONCE(per_cpu_ptr(ctx->counters, cpu)->c[i]);
	st->live = sum[DMASHIM_ALLOCS] - sum[DMASHIM_FREES];
	st->live_bytes = atomic64_read(&ctx->charged[DMASHIM_BYTES]);
	st->allocs = sum[DMASHIM_ALLOCS];
	st->frees = sum[DMASHIM_FREES];
	st->alloc_failures = sum[DMASHIM_ALLOC_FAILURES];
	st->refused = sum[DMASHIM_REFUSED];
	st->pending_release = sum[DMASHIM_PENDING_RELEASE];
	st->live_mappings = sum[DMASHIM_MAPS] - sum[DMASHIM_UNMAPS];
	st->maps = sum[DMASHIM_MAPS];
	st->unmaps = sum[DMASHIM_UNMAPS];
	st->map_failures = sum[DMASHIM_MAP_FAILURES];
	st->limits.sz = sizeof(st->limits);
	st->limits.max_bytes = READ_ONCE(ctx->limit[DMASHIM_BYTES]);
	st->limits.max_handles = READ_ONCE(ctx->limit[DMASHIM_HANDLES]);
	st->limits.max_mappings = READ_ONCE(ctx->limit[DMASHIM_MAPPINGS]);
	st->peak_bytes = atomic64_read(&ctx->peak[DMASHIM_BYTES]);
	st->peak_handles = atomic64_read(&ctx->peak[DMASHIM_HANDLES]);
	st->peak_mappings = atomic64_read(&ctx->peak[DMASHIM_MAPPINGS]);
}

/* ---- size-first structures and lengths --------------------------------- */

/**
 * dmashim_struct_in() - read a size-first input structure (libbpf's opts)
 * @dst: our structure, zeroed first.
 * @dst_sz: its size.
 * @src: the caller's, or NULL for all zeroes.
 *
 * A structure shorter than ours reads as zero past its end; a longer one
 * must be zero past ours.
 * Return: 0, or -EINVAL for a bad size or non-zero bytes we do not know.
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

/**
 * dmashim_struct_out() - fill a size-first output structure
 * @dst: the caller's structure; its first u32 says how big it is.
 * @src: ours.
 * @src_sz: its size.
 *
 * The fields that fit are filled; bytes past ours are zeroed.
 * Return: 0, or -EINVAL for a NULL @dst or a bad size.
 */
int dmashim_struct_out(void *dst, const void *src, size_t src_sz)
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
