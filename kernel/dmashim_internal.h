/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim internals shared by the implementation files.  Nothing here is
 * part of the ABI; see include/dmashim.h for that, and dmashim_table.c for
 * the design of the handle table.
 */
#ifndef _DMASHIM_INTERNAL_H
#define _DMASHIM_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <dmashim.h>

/*
 * Two builds of the same sources.  The shared module, dmashim.ko, exports
 * the API in the symbol namespace DMASHIM.  A driver-local copy
 * (scripts/vendor.sh, kernel/local.mk) is built with DMASHIM_LOCAL defined
 * and linked into the driver's module: it exports nothing
 * and has no test hooks, and its debugfs directory, trace system and log
 * prefix are the driver's, so any number of copies and dmashim.ko load
 * side by side.  DMASHIM_NAME is the debugfs directory and workqueue name.
 */
#ifdef DMASHIM_LOCAL
#define EXPORT_SYMBOL_DMASHIM(sym)
#define DMASHIM_NAME		KBUILD_MODNAME "_dmashim"
#else
#define EXPORT_SYMBOL_DMASHIM(sym)	EXPORT_SYMBOL_NS_GPL(sym, DMASHIM)
#define DMASHIM_NAME		KBUILD_MODNAME
#endif

/* The hooks of the KUnit suites (namespace DMASHIM_TEST), shared module only. */
#if IS_ENABLED(CONFIG_KUNIT) && !defined(DMASHIM_LOCAL)
#define EXPORT_SYMBOL_DMASHIM_TEST(sym)	EXPORT_SYMBOL_NS_GPL(sym, DMASHIM_TEST)
#define DMASHIM_TEST_HOOKS
#endif

/*
 * Handle layout: | context id (16) | pool (1) | generation (23) | slot (24) |
 *
 * A slot is an entry of the context's table; its generation changes each
 * time the slot is handed out again, and the pool bit tells a pool handle
 * from a buffer handle.  A context id is never 0, so neither is a handle.
 */
#define DMASHIM_HANDLE_SLOT	GENMASK_ULL(23, 0)
#define DMASHIM_HANDLE_GEN	GENMASK_ULL(46, 24)
#define DMASHIM_HANDLE_POOL	BIT_ULL(47)
#define DMASHIM_HANDLE_CTX	GENMASK_ULL(63, 48)
#define DMASHIM_GEN_MAX		((u32)FIELD_MAX(DMASHIM_HANDLE_GEN))
#define DMASHIM_SLOT_MAX	((u32)FIELD_MAX(DMASHIM_HANDLE_SLOT))
#define DMASHIM_CTX_ID_MAX	U16_MAX

/*
 * In struct dmashim_entry.flags, above the caller's: the memory is back
 * already; the entry is counted in pending_release.
 */
#define DMASHIM_ENTRY_RELEASED	BIT(31)
#define DMASHIM_ENTRY_PENDING	BIT(30)

/* Entries per table chunk; a chunk is one page of entries. */
#define DMASHIM_CHUNK_SHIFT	5
#define DMASHIM_CHUNK_ENTRIES	BIT(DMASHIM_CHUNK_SHIFT)

struct dmashim_entry;
struct dmashim_pool;
struct dmashim_kind_ops;

/**
 * struct dmashim_alloc_req - one allocation, as the caller asked for it
 * @ops: the kind.
 * @len: length in bytes.
 * @flags: enum dmashim_alloc_flags.
 * @dir: enum dmashim_dir (non-coherent buffers).
 * @pool: the handle of the pool a block comes from.
 * @priv: what the kind prepared (a new pool), or what it maps.
 * @offset: where a mapped range starts in its page.
 */
struct dmashim_alloc_req {
	const struct dmashim_kind_ops *ops;
	u64 len;
	u32 flags;
	u32 dir;
	dmashim_pool_t pool;
	void *priv;
	u64 offset;
};

/* What a live entry of a kind counts against (struct dmashim_limits). */
enum dmashim_charge {
	DMASHIM_CHARGE_NONE,		/* pools */
	DMASHIM_CHARGE_BUFFER,		/* bytes and handles */
	DMASHIM_CHARGE_MAPPING,		/* mappings */
};

/* The charges, each with its limit and peak. */
enum dmashim_charged {
	DMASHIM_BYTES,
	DMASHIM_HANDLES,
	DMASHIM_MAPPINGS,
	DMASHIM_NR_CHARGED
};

/**
 * struct dmashim_kind_ops - what one kind of entry does differently
 * @name: shown in debugfs.
 * @kind: the enum dmashim_kind reported by dmashim_info(), or 0 for pools.
 * @charge: what a live entry counts against.
 * @acquire: an entry with memory for @req: a slot from dmashim_slot_get()
 *	or one the kind reuses.  May sleep if @gfp allows.
 * @published: after dmashim_publish(): 0, or an errno if the kind retired
 *	the entry again (a block of a pool destroyed meanwhile); may be NULL.
 * @retire: a live entry was freed: park it until a grace period has
 *	passed.  Any context except NMI.
 * @release: give the memory of a retired entry back.  Process context,
 *	after a grace period; the caller frees the slot.
 * @get_sgtable: describe the entry's pages (for mmap and export); NULL for
 *	kinds whose memory cannot leave dmashim.
 * @sync: hand a range to the CPU or the device: 0, or -EBADF if the entry
 *	died meanwhile; NULL where no sync applies.
 * @user_prot: user mappings take the protection dma_mmap_attrs() would
 *	give (coherent memory); else the VMA's own.
 */
struct dmashim_kind_ops {
	const char *name;
	u32 kind;
	enum dmashim_charge charge;
	struct dmashim_entry *(*acquire)(struct dmashim_ctx *ctx,
					 const struct dmashim_alloc_req *req,
					 gfp_t gfp);
	int (*published)(struct dmashim_entry *entry);
	void (*retire)(struct dmashim_entry *entry);
	void (*release)(struct dmashim_entry *entry);
	int (*get_sgtable)(struct dmashim_entry *entry, struct sg_table *sgt);
	int (*sync)(struct dmashim_entry *entry, u64 offset, u64 len, u32 dir,
		    bool for_device);
	bool user_prot;
};

/*
 * Entry state (struct dmashim_entry.state): LIVE while the handle is,
 * plus the pins that keep the memory while it is shared: user mappings and
 * exported scatter tables.  dmashim_free() succeeds only from exactly LIVE.
 * HELD: revoked with tables still out; the last dmashim_put_sgtable()
 * releases the memory.  For streaming mappings, EXPORTS counts the syncs in
 * flight, and HELD means unmapped while one ran: the last sync unmaps.
 */
#define DMASHIM_STATE_LIVE	BIT_ULL(63)
#define DMASHIM_STATE_HELD	BIT_ULL(62)
#define DMASHIM_STATE_MAPS	GENMASK_ULL(61, 32)
#define DMASHIM_STATE_EXPORTS	GENMASK_ULL(31, 0)
#define DMASHIM_STATE_MAP	BIT_ULL(32)
#define DMASHIM_STATE_EXPORT	BIT_ULL(0)

/**
 * struct dmashim_range - bytes of memory the DMA API has given to a device
 * @rb: in the registry of mapped memory (dmashim_map.c).
 * @start: physical address of the first byte.
 * @last: of the last byte.
 * @subtree_last: the interval tree's bookkeeping.
 * @dev: the device it is mapped for.
 * @dir: enum dmashim_dir it is mapped for.
 */
struct dmashim_range {
	struct rb_node rb;
	phys_addr_t start;
	phys_addr_t last;
	phys_addr_t subtree_last;
	struct device *dev;
	u32 dir;
};

/**
 * struct dmashim_segs - the DMA segments of a scatter-table mapping
 * @rcu: freed after a grace period: readers find it by handle.
 * @nr: how many segments the mapping has.
 * @seg: each segment's offset in the mapping, device address and length.
 */
struct dmashim_segs {
	struct rcu_head rcu;
	u32 nr;
	struct dmashim_seg {
		u64 start;
		u64 dma_addr;
		u64 len;
	} seg[];
};

/**
 * struct dmashim_entry - one slot of a context's table
 * @handle: the live handle, or 0 when the slot holds none; what lookups
 *	compare.  Written with release semantics after the other fields.
 * @cpu_addr: kernel address of the memory, or NULL.
 * @len: length asked for (the block size for blocks and pools).
 * @flags: enum dmashim_alloc_flags (buffers) or enum dmashim_map_flags
 *	as allocated or mapped.
 * @gen: the generation of the last handle this slot carried.
 * @attrs: the DMA_ATTR_* the memory was allocated or mapped with, for its
 *	free or unmap and for debugfs.
 * @state: DMASHIM_STATE_* (atomic64_t for cmpxchg).
 * @dma_addr: device address of the first byte.
 * @ops: the kind; NULL while the slot is free.
 * @ctx: the owning context.
 * @cookie: what dma_alloc_attrs() returned (coherent buffers).
 * @page: the first page (non-coherent buffers).
 * @pool: the block's pool (blocks) or the pool itself (pools).
 * @sgt: the mapped table (scatter-table mappings).
 * @dir: enum dmashim_dir of a non-coherent buffer.
 * @slot: index in the table.
 * @caller: return address of the allocating call, for debugfs.
 * @gp: RCU cookie (get_state_synchronize_rcu()) taken when retired.
 * @node: on the context's free-slot or release list, or a pool's
 *	quarantine.
 * @map_sgt: the pages user mappings fault in, while mapped.
 * @range: the memory of a single or page mapping, in the registry of
 *	mapped memory.
 * @ranges: the entry's ranges in that registry: @range, one per entry of
 *	a mapped scatter table, or those of a buffer whose pages have been
 *	exported (dmashim_owned_add()); NULL while it has none.
 * @nr_ranges: how many; 0 while the slot is free.
 * @segs: dmashim's copy of a scatter-table mapping's DMA segments, NULL
 *	for one segment, [@dma_addr, @dma_addr + @len).  A copy because the
 *	caller's table is the caller's again once dmashim_unmap() returns,
 *	while readers that found the handle just before may still look.
 *
 * Every reuse of a slot waits for a grace period after it was retired, so
 * a reader that saw @handle sees the fields of that allocation until its
 * RCU read-side section ends.
 */
struct dmashim_entry {
	u64 handle;
	void *cpu_addr;
	u64 len;
	u32 flags;
	u32 gen;
	unsigned long attrs;
	atomic64_t state;
	dma_addr_t dma_addr;
	const struct dmashim_kind_ops *ops;
	struct dmashim_ctx *ctx;
	union {
		void *cookie;
		struct page *page;
		struct dmashim_pool *pool;
		struct sg_table *sgt;
	};
	u32 dir;
	u32 slot;
	unsigned long caller;
	unsigned long gp;
	struct list_head node;
	struct sg_table *map_sgt;
	struct dmashim_range range;
	struct dmashim_range *ranges;
	u32 nr_ranges;
	struct dmashim_segs *segs;
};

/* One page of entries; slots are never moved or freed before the context. */
struct dmashim_chunk {
	struct dmashim_entry entries[DMASHIM_CHUNK_ENTRIES];
};

/*
 * The chunk directory: @nr chunks in use of room for @cap.  Replaced by a
 * copy twice the size, under RCU, when full.
 */
struct dmashim_chunk_dir {
	struct rcu_head rcu;
	u32 nr;
	u32 cap;
	struct dmashim_chunk *chunks[];
};

/* Counters behind struct dmashim_stats, per CPU so no path shares a line. */
enum dmashim_counter {
	DMASHIM_ALLOCS,
	DMASHIM_FREES,
	DMASHIM_ALLOC_FAILURES,
	DMASHIM_REFUSED,
	DMASHIM_PENDING_RELEASE,
	DMASHIM_MAPS,
	DMASHIM_UNMAPS,
	DMASHIM_MAP_FAILURES,
	DMASHIM_NR_COUNTERS
};

struct dmashim_counters {
	s64 c[DMASHIM_NR_COUNTERS];
};

/**
 * struct dmashim_fault - a context's fault injection (dmashim_fault.c)
 * @lock: protects the other fields; IRQ-safe.
 * @armed: some knob is set: the only field the hot path reads unlocked.
 * @nth: fail the @nth call counted from the last write, once; 0: off.
 * @every: fail every @every-th call; 0: off.
 * @probability: fail with this probability, in percent; 0: off.
 * @seed: the seed of @rnd, for repeatable runs.
 * @calls: calls counted since the last write.
 * @injected: failures injected so far.
 * @rnd: the pseudo-random sequence @probability draws from.
 */
struct dmashim_fault {
	spinlock_t lock;	/* see above */
	bool armed;
	u64 nth;
	u64 every;
	u64 probability;
	u64 seed;
	u64 calls;
	u64 injected;
	struct rnd_state rnd;
};

/**
 * struct dmashim_ctx - a device's DMA context
 * @dir: the table's chunk directory, read under RCU.
 * @id: context id, the top bits of every handle.
 * @dead: set once when the context is revoked.
 * @used: set once by the first call that may allocate or pin, so revoking
 *	a context that never did waits for nothing.
 * @gen_base: first generation of every slot of this context.
 * @dev: the device (a reference is held).
 * @counters: statistics, per CPU.
 * @charged: what the live entries count against the limits.
 * @limit: the limits; 0 for none.
 * @peak: the highest @charged seen.
 * @lock: protects the slot lists, the table's growth and @exports.
 * @nr_slots: slots created so far.
 * @free_slots: slots that may be handed out again, oldest first.
 * @release: retired entries waiting for their grace period, oldest first.
 * @release_rcu: one callback per batch of @release.
 * @release_queued: @release_rcu is pending.
 * @release_work: gives the memory of @release back, in process context.
 * @exports: scatter tables handed out (struct dmashim_export).
 * @ref: lifetime of this structure; revocation does not free it.
 * @revoke_lock: serialises revocation.
 * @revoked: revocation is done (under @revoke_lock).
 * @map_lock: user mapping faults (read) against revocation (write).
 * @map_mutex: protects the entries' @map_sgt.
 * @map_file: dmashim's own file that every user mapping points at.
 * @maps_revoked: faults answer SIGBUS from now on (under @map_lock).
 * @debugfs: this context's debugfs directory.
 * @fault: fault injection, through debugfs.
 * @free_work: frees the structure from process context.
 * @debugfs_work: removes @debugfs after revocation.
 * @destroy_work: revokes a context destroyed from atomic context.
 */
struct dmashim_ctx {
	struct dmashim_chunk_dir __rcu *dir;
	u16 id;
	bool dead;
	bool used;
	u32 gen_base;
	struct device *dev;
	struct dmashim_counters __percpu *counters;
	atomic64_t charged[DMASHIM_NR_CHARGED];
	u64 limit[DMASHIM_NR_CHARGED];
	atomic64_t peak[DMASHIM_NR_CHARGED];
	spinlock_t lock;	/* see above */
	u32 nr_slots;
	struct list_head free_slots;
	struct list_head release;
	struct rcu_head release_rcu;
	bool release_queued;
	struct work_struct release_work;
	struct list_head exports;
	struct kref ref;
	struct mutex revoke_lock;	/* see above */
	bool revoked;
	struct rw_semaphore map_lock;	/* see above */
	struct mutex map_mutex;		/* see above */
	struct file *map_file;
	bool maps_revoked;
	struct dentry *debugfs;
	struct dmashim_fault fault;
	struct work_struct free_work;
	struct work_struct debugfs_work;
	struct work_struct destroy_work;
};

/* Every allocation runs inside this SRCU section; revocation waits for it. */
extern struct srcu_struct dmashim_alloc_srcu;
/* Deferred releases and frees; drained when the module goes. */
extern struct workqueue_struct *dmashim_wq;
int dmashim_table_init(void);
void dmashim_table_exit(void);
void dmashim_id_set_live(u16 id, bool live);

static inline u64 dmashim_handle_encode(u16 ctx_id, bool pool, u32 gen,
					u32 slot)
{
	return FIELD_PREP(DMASHIM_HANDLE_CTX, ctx_id) |
	       (pool ? DMASHIM_HANDLE_POOL : 0) |
	       FIELD_PREP(DMASHIM_HANDLE_GEN, gen) |
	       FIELD_PREP(DMASHIM_HANDLE_SLOT, slot);
}

/*
 * The entry @raw names in @ctx, or NULL.  Under rcu_read_lock(); the entry
 * and its fields stay valid until rcu_read_unlock().  Refusals are told
 * apart (and counted) by dmashim_lookup_error().
 */
static __always_inline struct dmashim_entry *
dmashim_lookup(struct dmashim_ctx *ctx, u64 raw)
{
	u32 slot = FIELD_GET(DMASHIM_HANDLE_SLOT, raw);
	struct dmashim_entry *entry;
	struct dmashim_chunk_dir *dir;

	/* A context destroyed in atomic context is dead before it is revoked. */
	if (unlikely(FIELD_GET(DMASHIM_HANDLE_CTX, raw) != ctx->id ||
		     READ_ONCE(ctx->dead)))
		return NULL;
	dir = rcu_dereference(ctx->dir);
	/* Pairs with the release in dmashim_table_grow(). */
	if (unlikely(slot >> DMASHIM_CHUNK_SHIFT >= smp_load_acquire(&dir->nr)))
		return NULL;
	entry = &dir->chunks[slot >> DMASHIM_CHUNK_SHIFT]->entries
		[slot & (DMASHIM_CHUNK_ENTRIES - 1)];
	/* Pairs with the release in dmashim_publish(). */
	if (unlikely(smp_load_acquire(&entry->handle) != raw))
		return NULL;
	return entry;
}

/*
 * Does [@offset, @offset + @len) lie within @size bytes?  Checked without
 * computing @offset + @len, so no value of either can overflow past it.
 */
static inline bool dmashim_range_ok(u64 size, u64 offset, u64 len)
{
	return offset <= size && len <= size - offset;
}

/* Can the caller sleep?  Where the kernel cannot tell, assume it can. */
static inline bool dmashim_may_sleep(void)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		return !irqs_disabled() && !in_interrupt();
	return preemptible() && !rcu_preempt_depth();
}

#define dmashim_count(ctx, counter, delta) \
	this_cpu_add((ctx)->counters->c[(counter)], (delta))

/* dmashim_table.c: slots, handles and the life of an entry */
int dmashim_lookup_error(struct dmashim_ctx *ctx, u64 raw);
struct dmashim_entry *dmashim_find(struct dmashim_ctx *ctx,
				   dmashim_handle_t handle);
struct dmashim_entry *dmashim_find_pool(struct dmashim_ctx *ctx,
					dmashim_pool_t pool);
int dmashim_alloc_entry(struct dmashim_ctx *ctx,
			const struct dmashim_alloc_req *req,
			unsigned long caller, u64 *handlep);
struct dmashim_entry *dmashim_slot_get(struct dmashim_ctx *ctx,
				       const struct dmashim_kind_ops *ops,
				       gfp_t gfp);
void dmashim_slot_put(struct dmashim_entry *entry);
u64 dmashim_publish(struct dmashim_entry *entry, unsigned long caller);
int dmashim_retire(struct dmashim_entry *entry);
bool dmashim_revoke_entry(struct dmashim_entry *entry);
bool dmashim_hold_exported(struct dmashim_entry *entry);
void dmashim_count_pending(struct dmashim_entry *entry);
void dmashim_defer_release(struct dmashim_entry *entry);
void dmashim_release_now(struct dmashim_entry *entry);
void dmashim_release_ready(struct dmashim_ctx *ctx, bool all);
void dmashim_release_work(struct work_struct *work);
int dmashim_pin(struct dmashim_entry *entry, u64 pin);
bool dmashim_unpin(struct dmashim_entry *entry, u64 pin);
int dmashim_struct_in(void *dst, size_t dst_sz, const void *src);
int dmashim_struct_out(void *dst, const void *src, size_t src_sz);
int dmashim_check_len(struct dmashim_ctx *ctx, u64 len);
int dmashim_limits_parse(const struct dmashim_limits *limits,
			 struct dmashim_limits *out);
void dmashim_limits_set(struct dmashim_ctx *ctx,
			const struct dmashim_limits *limits);
void dmashim_read_counters(struct dmashim_ctx *ctx, struct dmashim_stats *st);

struct dmashim_entry *dmashim_slot_entry(struct dmashim_chunk_dir *dir, u32 slot);

/* dmashim_ctx.c */
void dmashim_test_next_ctx_id(u32 id);

/* dmashim_buffer.c */
bool dmashim_dir_valid(u32 dir);

/* dmashim_map.c */
int dmashim_segs_addr(const struct dmashim_segs *segs, u64 offset, u64 len,
		      u64 *dma_addrp);
bool dmashim_sgt_mapped(const struct sg_table *sgt);
int dmashim_sgt_free(struct sg_table *sgt);
int dmashim_owned_add(struct dmashim_entry *entry, struct sg_table *sgt);
void dmashim_ranges_drop(struct dmashim_entry *entry);
u64 dmashim_test_mapped_ranges(void);

/* dmashim_share.c */
void dmashim_share_revoke(struct dmashim_ctx *ctx);
void dmashim_share_ctx_free(struct dmashim_ctx *ctx);
int dmashim_share_init(void);
void dmashim_share_exit(void);

/* dmashim_fault.c */
void dmashim_fault_init(struct dmashim_fault *fault, struct device *dev);
bool __dmashim_fault_fail(struct dmashim_fault *fault);
void dmashim_fault_debugfs_add(struct dentry *dir, struct dmashim_fault *fault);
void dmashim_fault_debugfs_init(struct dentry *root);

/* Whether to fail an allocation or mapping of @ctx: one load when unarmed. */
static inline bool dmashim_fault_fail(struct dmashim_ctx *ctx)
{
	return unlikely(READ_ONCE(ctx->fault.armed)) &&
	       __dmashim_fault_fail(&ctx->fault);
}

/* dmashim_debugfs.c */
void dmashim_debugfs_init(void);
void dmashim_debugfs_exit(void);
void dmashim_debugfs_add(struct dmashim_ctx *ctx);
void dmashim_debugfs_remove(struct dmashim_ctx *ctx);

#endif /* _DMASHIM_INTERNAL_H */
