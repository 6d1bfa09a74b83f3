/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim internals shared by the implementation files.  Nothing here is
 * part of the ABI; see include/dmashim.h for that.
 */
#ifndef _DMASHIM_INTERNAL_H
#define _DMASHIM_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/kref.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <dmashim.h>

/*
 * Handle layout: | context id (16) | generation (16) | slot (32) |
 *
 * Slots are handed out cyclically; the generation changes whenever a slot
 * could be handed out again (the cursor wrapped, or the allocator, having
 * dropped its lock to allocate memory, went back to a slot below the highest
 * one issued), so a handle is never issued twice.  Each context starts at
 * its own generation, so a reused context id does not revive old handles.
 * A context id is never 0,
 * so neither is a handle.
 */
#define DMASHIM_HANDLE_SLOT	GENMASK_ULL(31, 0)
#define DMASHIM_HANDLE_GEN	GENMASK_ULL(47, 32)
#define DMASHIM_HANDLE_CTX	GENMASK_ULL(63, 48)
#define DMASHIM_CTX_ID_MAX	U16_MAX

static inline u64 dmashim_handle_encode(u16 ctx_id, u16 gen, u32 slot)
{
	return FIELD_PREP(DMASHIM_HANDLE_CTX, ctx_id) |
	       FIELD_PREP(DMASHIM_HANDLE_GEN, gen) |
	       FIELD_PREP(DMASHIM_HANDLE_SLOT, slot);
}

static inline u16 dmashim_handle_ctx_id(u64 handle)
{
	return FIELD_GET(DMASHIM_HANDLE_CTX, handle);
}

static inline u32 dmashim_handle_slot(u64 handle)
{
	return FIELD_GET(DMASHIM_HANDLE_SLOT, handle);
}

/* Internal kind of the entry behind a dmashim_pool_t; never in the ABI. */
#define DMASHIM_KIND_POOL	0x100

/**
 * struct dmashim_entry - one allocation (or pool) behind a handle
 * @handle: the full handle; set before the entry is published, never changed.
 * @kind: enum dmashim_kind, or %DMASHIM_KIND_POOL.
 * @flags: enum dmashim_alloc_flags as allocated.
 * @len: length asked for (block size for pools and blocks); also what is
 *	passed back to the free function.
 * @cpu_addr: kernel address, or NULL when the buffer has no kernel mapping.
 * @cookie: what dma_alloc_attrs() returned (== @cpu_addr unless
 *	DMA_ATTR_NO_KERNEL_MAPPING); never handed out.
 * @dma_addr: device address.
 * @attrs: DMA_ATTR_* passed to the allocator and again to the free function.
 * @dir: enum dmashim_dir of a non-coherent buffer.
 * @caller: return address of the allocating call, for debugfs.
 * @ctx: owning context.
 * @ref: the table holds one reference; a sleeping operation pins another,
 *	each user mapping holds one, and a pool block holds one on its pool.
 *	After the last put and an RCU grace period the entry is torn down, so
 *	lock-free readers never see it go.
 * @user_maps: live user-space VMAs (under the table's xa_lock).
 * @exports: scatter tables out (under the table's xa_lock).
 * @map_file: the file all user mappings come through, while @user_maps.
 * @map_pgoff: their file offset, in pages.
 * @retired: out of the table (freed or revoked).
 * @released: the DMA memory is back with the DMA API.
 * @page: first page of a non-coherent buffer.
 * @pool: a block's pool entry (one reference held).
 * @dma_pool: a pool's dma_pool.
 * @cache_lock: protects @cache.
 * @cache: a pool's freed blocks, reused before dma_pool_alloc().
 * @cache_node: a freed block on its pool's @cache.
 * @rcu: for the grace period before tear-down.
 * @reap_node: on the context's reap list after the grace period.
 */
struct dmashim_entry {
	u64 handle;
	u32 kind;
	u32 flags;
	size_t len;
	void *cpu_addr;
	void *cookie;
	dma_addr_t dma_addr;
	unsigned long attrs;
	u32 dir;
	unsigned long caller;
	struct dmashim_ctx *ctx;
	refcount_t ref;
	u32 user_maps;
	u32 exports;
	struct file *map_file;
	pgoff_t map_pgoff;
	bool retired;
	bool released;
	union {
		struct page *page;
		struct dmashim_entry *pool;
		struct {
			struct dma_pool *dma_pool;
			spinlock_t cache_lock;	/* protects @cache */
			struct list_head cache;
		};
	};
	union {
		struct rcu_head rcu;
		struct llist_node reap_node;
		struct list_head cache_node;
	};
};

/*
 * Counters behind struct dmashim_stats and debugfs.  Those that change with
 * the table are plain fields under its xa_lock (read locklessly), so the
 * alloc and free paths add no atomic operation of their own; the others
 * change outside the lock.
 */
struct dmashim_counters {
	u64 live;
	u64 live_bytes;
	u64 allocs;
	u64 frees;
	atomic64_t alloc_failures;
	atomic64_t refused;
	atomic64_t pending_release;
};

/**
 * struct dmashim_ctx - a device's DMA context
 * @table: slot -> struct dmashim_entry; lock-free lookups under RCU, changes
 *	under the (IRQ-safe) xa_lock.
 * @next_slot: cyclic slot cursor, under the xa_lock.
 * @slot_hw: highest slot issued in this generation, under the xa_lock.
 * @generation: the generation of new handles, under the xa_lock.
 * @id: context id, the top bits of every handle of this context.
 * @dead: set once, under the xa_lock, when the context is revoked; read
 *	locklessly by every call.
 * @dev: the device (a reference is held).
 * @ref: lifetime of this structure; revocation does not free it.
 * @unreleased: allocations in progress or published whose DMA memory is
 *	not yet released; revocation waits for it to drop to zero.
 * @released_wq: woken when @unreleased drops to zero.
 * @reap_list: entries past their grace period, to release in process context.
 * @reap_work: releases @reap_list.
 * @counters: statistics.
 * @debugfs: this context's debugfs directory.
 * @revoke_lock: held by operations that hand memory out of dmashim while
 *	they sleep (mmap, scatter tables) and by revocation before it releases
 *	memory, so nothing is handed out that revocation then frees.
 * @map_mms: the mms buffers were mapped into (struct dmashim_map_mm), under
 *	@revoke_lock; revocation waits on their mmap locks, see dmashim_mmap.c.
 */
struct dmashim_ctx {
	struct xarray table;
	u32 next_slot;
	u32 slot_hw;
	u16 generation;
	u16 id;
	bool dead;
	struct device *dev;
	struct kref ref;
	atomic_long_t unreleased;
	wait_queue_head_t released_wq;
	struct llist_head reap_list;
	struct work_struct reap_work;
	struct dmashim_counters counters;
	struct dentry *debugfs;
	struct mutex revoke_lock;	/* see above */
	struct list_head map_mms;
};

/*
 * Does [@offset, @offset + @len) lie within the buffer?  Checked without
 * computing @offset + @len, so no value of either can overflow past it.
 */
static inline bool dmashim_range_ok(const struct dmashim_entry *entry,
				    u64 offset, u64 len)
{
	return offset <= entry->len && len <= entry->len - offset;
}

/* dmashim_core.c: the table and the life of an entry */
struct dmashim_entry *dmashim_entry_find(struct dmashim_ctx *ctx,
					 dmashim_handle_t handle);
struct dmashim_entry *dmashim_pool_find(struct dmashim_ctx *ctx,
					dmashim_pool_t pool);
struct dmashim_entry *dmashim_entry_new(struct dmashim_ctx *ctx, u32 kind,
					gfp_t gfp);
int dmashim_begin_alloc(struct dmashim_ctx *ctx);
void dmashim_abort_alloc(struct dmashim_ctx *ctx);
int dmashim_table_insert(struct dmashim_ctx *ctx, struct dmashim_entry *entry,
			 gfp_t gfp);
void dmashim_entry_discard(struct dmashim_entry *entry);
void __dmashim_table_erase(struct dmashim_ctx *ctx, struct dmashim_entry *entry);
void dmashim_entry_retire(struct dmashim_entry *entry);
void dmashim_entry_put(struct dmashim_entry *entry);
void dmashim_entry_release_early(struct dmashim_entry *entry);
int dmashim_check_len(struct dmashim_ctx *ctx, u64 len);
int dmashim_struct_in(void *dst, size_t dst_sz, const void *src);
const char *dmashim_kind_name(u32 kind);

/* dmashim_alloc.c: coherent and non-coherent memory */
void dmashim_buffer_release(struct dmashim_entry *entry);

/* dmashim_pool.c */
void dmashim_pool_block_recycle(struct dmashim_entry *block);
void dmashim_pool_teardown(struct dmashim_entry *pool);

/* dmashim_mmap.c */
void dmashim_mmap_revoke(struct dmashim_ctx *ctx);
void dmashim_mmap_wait_mms(struct dmashim_ctx *ctx);

void dmashim_debugfs_init(void);
void dmashim_debugfs_exit(void);
void dmashim_debugfs_add(struct dmashim_ctx *ctx);
void dmashim_debugfs_remove(struct dmashim_ctx *ctx);

#endif /* _DMASHIM_INTERNAL_H */
