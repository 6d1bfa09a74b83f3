/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim - a handle-based, language-neutral ABI over the kernel DMA API
 *
 * A driver creates one context per device at probe time and allocates DMA
 * buffers through it.  Every buffer is named by an opaque 64-bit handle, never
 * by a pointer: the library checks each handle it is given and refuses freed,
 * stale, forged and foreign handles with an errno instead of touching memory.
 * When the device unbinds, every buffer still allocated is released once and
 * every later call through the context fails with -ENODEV.
 *
 * The header is written for C callers and for bindgen alike: only fixed-width
 * integers, opaque struct pointers and plain structs appear here, constants
 * are enumerators and nothing a caller needs is a macro or an inline
 * function.  Structures that may grow carry their own size in their first
 * member (@sz), set by the caller to sizeof() the structure it was compiled
 * with; see struct dmashim_alloc_opts and struct dmashim_info.
 *
 * Users import the symbol namespace: MODULE_IMPORT_NS(DMASHIM);
 */
#ifndef _DMASHIM_H
#define _DMASHIM_H

#include <linux/types.h>

struct device;
struct page;
struct sg_table;
struct vm_area_struct;

/*
 * struct dmashim_ctx: a device's DMA context, opaque to callers.
 * Created by dmashim_ctx_create() or devm_dmashim_ctx_create(); all buffers
 * of a context belong to its device.
 */
struct dmashim_ctx;

/**
 * typedef dmashim_handle_t - names one DMA buffer of a context
 *
 * Opaque; 0 is never a valid handle.  The value encodes the owning context,
 * a slot and a generation; it is not an address.
 */
typedef u64 __bitwise dmashim_handle_t;

/**
 * typedef dmashim_pool_t - names one DMA pool of a context
 *
 * Opaque, like dmashim_handle_t, and a distinct type: sparse reports a pool
 * passed where a buffer is expected, or either mixed with a plain integer.
 */
typedef u64 __bitwise dmashim_pool_t;

/**
 * enum dmashim_abi - ABI version of this header
 * @DMASHIM_ABI_VERSION: incremented on any incompatible change; compare with
 *	dmashim_abi_version() at run time.
 */
enum dmashim_abi {
	DMASHIM_ABI_VERSION = 2,
};

/**
 * enum dmashim_kind - what kind of memory a handle names
 * @DMASHIM_KIND_COHERENT: coherent memory from dmashim_alloc().
 * @DMASHIM_KIND_NONCOHERENT: pages from dmashim_alloc_noncoherent(); CPU and
 *	device take turns, handed over with dmashim_sync_for_cpu() and
 *	dmashim_sync_for_device().
 * @DMASHIM_KIND_POOL_BLOCK: a coherent block from dmashim_pool_alloc().
 * @DMASHIM_KIND_MAP_SINGLE: caller memory mapped by dmashim_map_single().
 * @DMASHIM_KIND_MAP_PAGE: a page range mapped by dmashim_map_page().
 * @DMASHIM_KIND_MAP_SGTABLE: a scatter table mapped by
 *	dmashim_map_sgtable().
 */
enum dmashim_kind {
	DMASHIM_KIND_COHERENT = 1,
	DMASHIM_KIND_NONCOHERENT = 2,
	DMASHIM_KIND_POOL_BLOCK = 3,
	DMASHIM_KIND_MAP_SINGLE = 4,
	DMASHIM_KIND_MAP_PAGE = 5,
	DMASHIM_KIND_MAP_SGTABLE = 6,
};

/**
 * enum dmashim_dir - direction of device accesses to a non-coherent buffer
 * @DMASHIM_DIR_BIDIRECTIONAL: the device reads and writes.
 * @DMASHIM_DIR_TO_DEVICE: the device only reads.
 * @DMASHIM_DIR_FROM_DEVICE: the device only writes.
 *
 * The values are those of enum dma_data_direction.
 */
enum dmashim_dir {
	DMASHIM_DIR_BIDIRECTIONAL = 0,
	DMASHIM_DIR_TO_DEVICE = 1,
	DMASHIM_DIR_FROM_DEVICE = 2,
};

/**
 * enum dmashim_alloc_flags - allocation flags (struct dmashim_alloc_opts.flags)
 * @DMASHIM_ALLOC_WRITE_COMBINE: DMA_ATTR_WRITE_COMBINE; for buffers the CPU
 *	streams into (GPU uploads).
 * @DMASHIM_ALLOC_NO_KERNEL_MAPPING: DMA_ATTR_NO_KERNEL_MAPPING; the buffer has
 *	no CPU address and every CPU accessor refuses it with -EACCES.  It is
 *	zeroed through its pages on DMA-coherent devices, which may sleep, so
 *	it excludes %DMASHIM_ALLOC_NOWAIT.
 * @DMASHIM_ALLOC_NOWAIT: allocate without sleeping (GFP_ATOMIC); the only way
 *	to allocate from atomic context.
 * @DMASHIM_ALLOC_WEAK_ORDERING: DMA_ATTR_WEAK_ORDERING.
 * @DMASHIM_ALLOC_FORCE_CONTIGUOUS: DMA_ATTR_FORCE_CONTIGUOUS; physically
 *	contiguous even behind an IOMMU.
 * @DMASHIM_ALLOC_SINGLE_PAGES: DMA_ATTR_ALLOC_SINGLE_PAGES; build the buffer
 *	from single pages behind an IOMMU.  Excludes
 *	@DMASHIM_ALLOC_FORCE_CONTIGUOUS.
 * @DMASHIM_ALLOC_NO_WARN: DMA_ATTR_NO_WARN; the DMA layer stays quiet on
 *	failure.  (The page allocator never warns: dmashim counts failures
 *	itself, see struct dmashim_stats.)
 * @DMASHIM_ALLOC_PRIVILEGED: DMA_ATTR_PRIVILEGED; only privileged device
 *	accesses may reach the buffer, where the IOMMU supports it.
 */
enum dmashim_alloc_flags {
	DMASHIM_ALLOC_WRITE_COMBINE	= 1U << 0,
	DMASHIM_ALLOC_NO_KERNEL_MAPPING	= 1U << 1,
	DMASHIM_ALLOC_NOWAIT		= 1U << 2,
	DMASHIM_ALLOC_WEAK_ORDERING	= 1U << 3,
	DMASHIM_ALLOC_FORCE_CONTIGUOUS	= 1U << 4,
	DMASHIM_ALLOC_SINGLE_PAGES	= 1U << 5,
	DMASHIM_ALLOC_NO_WARN		= 1U << 6,
	DMASHIM_ALLOC_PRIVILEGED	= 1U << 7,
};

/**
 * enum dmashim_map_flags - flags of a streaming mapping (struct
 * dmashim_map_opts.flags)
 * @DMASHIM_MAP_WEAK_ORDERING: DMA_ATTR_WEAK_ORDERING.
 * @DMASHIM_MAP_SKIP_CPU_SYNC: DMA_ATTR_SKIP_CPU_SYNC: the caller syncs
 *	with dmashim_sync_for_device() and dmashim_sync_for_cpu() itself, also
 *	at map and unmap.
 * @DMASHIM_MAP_NOWAIT: map without sleeping (any context but NMI).
 */
enum dmashim_map_flags {
	DMASHIM_MAP_WEAK_ORDERING	= 1U << 0,
	DMASHIM_MAP_SKIP_CPU_SYNC	= 1U << 1,
	DMASHIM_MAP_NOWAIT		= 1U << 2,
};

/**
 * enum dmashim_numa - NUMA node values
 * @DMASHIM_NUMA_NODE_ANY: no preference (NUMA_NO_NODE).
 */
enum dmashim_numa {
	DMASHIM_NUMA_NODE_ANY = -1,
};

/**
 * struct dmashim_alloc_opts - options for dmashim_alloc()
 * @sz: sizeof(struct dmashim_alloc_opts) as the caller was compiled.  Fields
 *	past @sz are taken as zero; bytes past the fields this library knows
 *	must be zero.
 * @flags: a combination of enum dmashim_alloc_flags.
 * @numa_node: preferred node or %DMASHIM_NUMA_NODE_ANY; 0 also means node 0.
 *	Linux 6.1 has no per-allocation node for coherent memory, so for
 *	coherent buffers the hint is validated and recorded, and the memory
 *	follows the device's node; struct dmashim_info reports where it landed.
 * @reserved: must be zero.
 */
struct dmashim_alloc_opts {
	u32 sz;
	u32 flags;
	s32 numa_node;
	u32 reserved;
};

/**
 * struct dmashim_info - what dmashim_info() reports about a handle
 * @sz: in: sizeof(struct dmashim_info) as the caller was compiled.  The
 *	library fills the fields it knows that fit in @sz and zeroes the rest.
 * @kind: an enum dmashim_kind.
 * @len: the length asked for at allocation, in bytes.
 * @dma_addr: the device address of the first byte.
 * @cpu_addr: the kernel address of the first byte, or NULL for a buffer
 *	without a kernel mapping.  Valid only while the handle is live: prefer
 *	the accessors, which check the handle on every call.
 * @flags: the enum dmashim_alloc_flags the buffer was allocated with.
 * @numa_node: the node the memory is on, or %DMASHIM_NUMA_NODE_ANY when it
 *	cannot be told (no kernel mapping, or not in the linear map).
 * @dir: the enum dmashim_dir of a non-coherent buffer;
 *	%DMASHIM_DIR_BIDIRECTIONAL for the other kinds.
 * @user_maps: user-space mappings (VMAs) of the buffer (dmashim_mmap()).
 * @exports: scatter tables handed out (dmashim_get_sgtable()) and not yet
 *	given back.
 * @segments: DMA segments, see dmashim_dma_segment(): 1 but for mapped
 *	scatter tables.
 */
struct dmashim_info {
	u32 sz;
	u32 kind;
	u64 len;
	u64 dma_addr;
	void *cpu_addr;
	u32 flags;
	s32 numa_node;
	u32 dir;
	u32 user_maps;
	u32 exports;
	u32 segments;
};

/**
 * struct dmashim_pool_opts - options for dmashim_pool_create()
 * @sz: sizeof(struct dmashim_pool_opts) as the caller was compiled; same
 *	rules as struct dmashim_alloc_opts.
 * @align: alignment of every block, a power of two up to PAGE_SIZE; blocks
 *	are always at least 8-byte aligned, so every sized accessor works at
 *	offsets that are multiples of its size.  0 for the default.
 * @boundary: a power of two no block crosses (in device addresses), at
 *	least the block size rounded up to the alignment; 0 for none.
 */
struct dmashim_pool_opts {
	u32 sz;
	u32 align;
	u64 boundary;
};

/**
 * struct dmashim_map_opts - options of a streaming mapping
 * @sz: sizeof(struct dmashim_map_opts) as the caller was compiled; same
 *	rules as struct dmashim_alloc_opts.
 * @flags: a combination of enum dmashim_map_flags.
 */
struct dmashim_map_opts {
	u32 sz;
	u32 flags;
};

/**
 * struct dmashim_limits - what a context may hold (0: no limit)
 * @sz: sizeof(struct dmashim_limits) as the caller was compiled; same
 *	rules as struct dmashim_alloc_opts.
 * @reserved: must be zero.
 * @max_bytes: bytes (as asked for) of live buffers and blocks.
 * @max_handles: live buffers and blocks.
 * @max_mappings: live streaming mappings.
 *
 * An allocation or mapping that would go past a limit fails with -EDQUOT
 * and changes nothing.  Lowering a limit below what is live is allowed:
 * only new allocations fail.
 */
struct dmashim_limits {
	u32 sz;
	u32 reserved;
	u64 max_bytes;
	u64 max_handles;
	u64 max_mappings;
};

/**
 * struct dmashim_stats - counters of a context (dmashim_ctx_stats())
 * @sz: in: sizeof(struct dmashim_stats) as the caller was compiled.
 * @reserved: written as zero.
 * @live: buffer and block handles allocated and not yet freed; always
 *	@allocs - @frees.
 * @live_bytes: bytes (as asked for) behind those handles.
 * @allocs: buffers and blocks allocated since creation.
 * @frees: buffer and block handles that ended since creation: freed, with
 *	their pool, or by revocation.
 * @alloc_failures: calls of dmashim_alloc(), dmashim_alloc_noncoherent()
 *	and dmashim_pool_alloc() that returned an error.
 * @refused: calls refused because of a bad handle (-EBADF or -EXDEV).
 * @pending_release: freed buffers and pools whose memory is not yet given
 *	back to the DMA API: release waits for concurrent accessors, and for
 *	scatter tables still out after revocation.
 * @live_mappings: streaming mappings not yet unmapped; always @maps -
 *	@unmaps.
 * @maps: streaming mappings made since creation.
 * @unmaps: streaming mappings that ended: unmapped, or by revocation.
 * @map_failures: mapping calls that returned an error.
 * @limits: the limits in force (@limits.sz is written as the size of
 *	struct dmashim_limits).
 * @peak_bytes: the highest @live_bytes seen.
 * @peak_handles: the highest @live seen.
 * @peak_mappings: the highest @live_mappings seen.
 */
struct dmashim_stats {
	u32 sz;
	u32 reserved;
	u64 live;
	u64 live_bytes;
	u64 allocs;
	u64 frees;
	u64 alloc_failures;
	u64 refused;
	u64 pending_release;
	u64 live_mappings;
	u64 maps;
	u64 unmaps;
	u64 map_failures;
	struct dmashim_limits limits;
	u64 peak_bytes;
	u64 peak_handles;
	u64 peak_mappings;
};

/**
 * DOC: Errors every call shares
 *
 * Every function that takes a context and a handle checks them in the same
 * way, and refuses a call it cannot make with an errno, changing nothing:
 *
 * * -EINVAL: the context or an output pointer is NULL.
 * * -ENODEV: the context has been revoked (dmashim_ctx_destroy(), or unbind
 *   for devm_dmashim_ctx_create()).
 * * -EXDEV: the handle belongs to another live context.
 * * -EBADF: the handle is not a live handle of what the function takes: 0,
 *   freed, stale, forged, of a destroyed context, or a pool where a buffer
 *   is expected (and the reverse).
 * * -EWOULDBLOCK: a function documented as "may sleep" was called where it
 *   cannot sleep (IRQs off, a spinlock or an RCU read-side section held),
 *   without %DMASHIM_ALLOC_NOWAIT where that applies.  Kernels without
 *   CONFIG_PREEMPT_COUNT cannot tell a held spinlock.
 *
 * Refusals with -EBADF or -EXDEV are counted in struct dmashim_stats.
 * Each function's Return: line lists the errnos of its own and ends with
 * "an error every call shares".
 */

/**
 * dmashim_abi_version() - the ABI version of the loaded library
 *
 * Context: Any context.
 * Return: %DMASHIM_ABI_VERSION of the header the library was built with.
 */
u32 dmashim_abi_version(void);

/**
 * dmashim_ctx_create() - create a DMA context for a device
 * @dev: the device; its DMA masks must be set already.
 * @ctxp: where to store the new context.
 *
 * The caller owns the context and must call dmashim_ctx_destroy() before its
 * driver's remove() returns.  Creation makes the context's debugfs files,
 * so do not create one while holding a lock that a file's ->mmap() (or
 * anything else under mmap_lock) takes: debugfs readers fault under its
 * directory lock.
 *
 * Context: Process context; may sleep.
 * Return: 0 and *@ctxp set; -EINVAL if @dev or @ctxp is NULL or @dev has no
 * DMA masks; -ENOMEM when out of memory; -EBUSY when no context id is free
 * (65535 contexts exist); -EWOULDBLOCK.
 */
int dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp);

/**
 * devm_dmashim_ctx_create() - create a DMA context revoked at unbind
 * @dev: the device; its DMA masks must be set already.
 * @ctxp: where to store the new context.
 *
 * Like dmashim_ctx_create(), but the context is revoked when the driver
 * unbinds from @dev, after its remove() has run: buffers still allocated are
 * released once and every later call through the context returns -ENODEV.
 * Code that may run after unbind (an open file, say) must hold its own
 * reference, see dmashim_ctx_get().  Never call dmashim_ctx_destroy() on it.
 *
 * Context: Process context, normally probe(); may sleep.
 * Return: As dmashim_ctx_create().
 */
int devm_dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp);

/**
 * dmashim_ctx_destroy() - revoke a context and drop the creator's reference
 * @ctx: a context from dmashim_ctx_create(), or NULL.
 *
 * Every later call through @ctx fails with -ENODEV.  User mappings of its
 * buffers are torn down (later user accesses get SIGBUS), and buffers still
 * allocated are released and reported as leaked (count and bytes) in the
 * kernel log, except buffers with scatter tables out: they stay allocated
 * until their last dmashim_put_sgtable().  The device must be quiesced: it
 * must no longer access the buffers.  Revocation takes no lock a driver
 * may hold, its own mmap's included; the context's debugfs directory goes
 * shortly after, from a work item.
 *
 * Context: Any context except NMI.  In process context it returns once
 * the memory is back with the DMA API.  In atomic context the context is
 * dead at once and every streaming mapping is unmapped before it returns
 * (the caller may free that memory) but those a sync, an unmap or a map is
 * running on at that moment, on any CPU (an interrupted one on this CPU
 * too); those, and the rest, are released in a work item.
 */
void dmashim_ctx_destroy(struct dmashim_ctx *ctx);

/**
 * dmashim_ctx_get() - take a reference to a context
 * @ctx: the context.
 *
 * Keeps the context structure (not its buffers) alive, so that code which
 * may run after the device unbinds gets -ENODEV instead of a use-after-free.
 *
 * Context: Any context.
 */
void dmashim_ctx_get(struct dmashim_ctx *ctx);

/**
 * dmashim_ctx_put() - drop a reference taken with dmashim_ctx_get()
 * @ctx: the context, or NULL.
 *
 * Context: Any context except NMI; the last reference dropped in atomic
 * context frees the structure from a work item.
 */
void dmashim_ctx_put(struct dmashim_ctx *ctx);

/**
 * dmashim_ctx_stats() - read a context's counters
 * @ctx: the context.
 * @stats: in: @stats->sz; out: the counters.
 *
 * Counters stay readable after revocation; they are exact when nothing
 * runs concurrently.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @stats is NULL or @stats->sz is below 4 or
 * above PAGE_SIZE.
 */
int dmashim_ctx_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats);

/**
 * dmashim_ctx_create_opts() - create a DMA context with limits
 * @dev: the device; its DMA masks must be set already.
 * @limits: the context's limits, or NULL for none.
 * @ctxp: where to store the new context.
 *
 * Like dmashim_ctx_create(), with the limits of @limits in force from the
 * start.
 *
 * Context: Process context; may sleep.
 * Return: As dmashim_ctx_create(); also -EINVAL if @limits is malformed
 * (as the options of dmashim_alloc()).
 */
int dmashim_ctx_create_opts(struct device *dev,
			    const struct dmashim_limits *limits,
			    struct dmashim_ctx **ctxp);

/**
 * devm_dmashim_ctx_create_opts() - create a DMA context with limits,
 * revoked at unbind
 * @dev: the device; its DMA masks must be set already.
 * @limits: the context's limits, or NULL for none.
 * @ctxp: where to store the new context.
 *
 * Context: Process context, normally probe(); may sleep.
 * Return: As dmashim_ctx_create_opts().
 */
int devm_dmashim_ctx_create_opts(struct device *dev,
				 const struct dmashim_limits *limits,
				 struct dmashim_ctx **ctxp);

/**
 * dmashim_ctx_set_limits() - change a context's limits
 * @ctx: the context.
 * @limits: the new limits; 0 lifts one.
 *
 * Context: Any context except NMI.
 * Return: 0; -EINVAL if @limits is NULL or malformed; or an error every
 * call shares.
 */
int dmashim_ctx_set_limits(struct dmashim_ctx *ctx,
			   const struct dmashim_limits *limits);

/**
 * dmashim_alloc() - allocate a coherent DMA buffer
 * @ctx: the context.
 * @len: length in bytes, at least 1.
 * @opts: options, or NULL for the defaults (no flags, any node).
 * @handlep: where to store the new buffer's handle.
 *
 * The buffer is zeroed (without a kernel mapping: on DMA-coherent devices).
 *
 * Context: Process context; may sleep.  With %DMASHIM_ALLOC_NOWAIT in
 * @opts->flags, any context except NMI; does not sleep.
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL if @len is 0, @opts->sz is below 4 or above PAGE_SIZE, @opts has
 * non-zero bytes this library does not know or a non-zero reserved field,
 * @opts->flags has unknown bits, both %DMASHIM_ALLOC_FORCE_CONTIGUOUS and
 * %DMASHIM_ALLOC_SINGLE_PAGES, or both %DMASHIM_ALLOC_NOWAIT and
 * %DMASHIM_ALLOC_NO_KERNEL_MAPPING, or @opts->numa_node is neither
 * %DMASHIM_NUMA_NODE_ANY nor an online node; -EOVERFLOW if @len cannot be
 * rounded up to whole pages; -E2BIG if @len exceeds what the device's
 * coherent DMA mask can address, or (without a kernel mapping) what a
 * scatter table can describe; -ENOMEM if the memory cannot be allocated
 * (including @len above the system's RAM); -EDQUOT if the allocation would
 * go past a limit of the context (struct dmashim_limits); -ENOSPC if the
 * context has no slot left (2^24 handles); or an error every call shares.
 */
int dmashim_alloc(struct dmashim_ctx *ctx, u64 len,
		  const struct dmashim_alloc_opts *opts,
		  dmashim_handle_t *handlep);

/**
 * dmashim_free() - free a buffer of any kind
 * @ctx: the context.
 * @handle: the buffer, or a pool block.
 *
 * The handle is dead when this returns: any later use is refused with
 * -EBADF, a second free included.  The memory goes back to the DMA API (a
 * block to its pool) once no accessor can still be using it; the device
 * must no longer access the buffer.
 *
 * Context: Any context except NMI; does not sleep.
 * Return: 0; -EBUSY if the buffer is mapped to user space or has a scatter
 * table out (nothing is freed under them); -EOPNOTSUPP for a streaming
 * mapping (see dmashim_unmap()); or an error every call shares.
 */
int dmashim_free(struct dmashim_ctx *ctx, dmashim_handle_t handle);

/**
 * dmashim_info() - describe a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @info: in: @info->sz; out: the description.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @info is NULL or @info->sz is below 4 or above
 * PAGE_SIZE; or an error every call shares.
 */
int dmashim_info(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 struct dmashim_info *info);

/**
 * dmashim_alloc_noncoherent() - allocate a non-coherent DMA buffer
 * @ctx: the context.
 * @len: length in bytes, at least 1.
 * @dir: the enum dmashim_dir of every device access to the buffer.
 * @opts: options, or NULL for the defaults; only %DMASHIM_ALLOC_NOWAIT and
 *	%DMASHIM_ALLOC_NO_WARN apply to non-coherent memory.
 * @handlep: where to store the new buffer's handle.
 *
 * Pages the CPU owns after allocation (zeroed).  Hand them to the device with
 * dmashim_sync_for_device() and back with dmashim_sync_for_cpu(); the CPU
 * accessors work on the buffer, but what they see while the device owns it
 * is undefined.
 *
 * Context: As dmashim_alloc().
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL for the reasons of dmashim_alloc(), for @dir not an enum
 * dmashim_dir, or for flags other than %DMASHIM_ALLOC_NOWAIT and
 * %DMASHIM_ALLOC_NO_WARN; the other errors of dmashim_alloc().
 */
int dmashim_alloc_noncoherent(struct dmashim_ctx *ctx, u64 len, u32 dir,
			      const struct dmashim_alloc_opts *opts,
			      dmashim_handle_t *handlep);

/**
 * dmashim_sync_for_cpu() - give a range of a non-coherent buffer or a
 * streaming mapping to the CPU
 * @ctx: the context.
 * @handle: a non-coherent buffer or a streaming mapping.
 * @offset: start of the range.
 * @len: length of the range; 0 only checks the arguments.
 * @dir: the direction of the device accesses being completed; must be the
 *	buffer's, or anything for a %DMASHIM_DIR_BIDIRECTIONAL buffer.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @dir is not an enum dmashim_dir or does not match
 * the buffer's direction; -EOPNOTSUPP if @handle is neither a non-coherent
 * buffer nor a mapping (coherent memory needs no sync); -ERANGE if the
 * range does not lie within the buffer; or an error every call shares.
 */
int dmashim_sync_for_cpu(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			 u64 offset, u64 len, u32 dir);

/**
 * dmashim_sync_for_device() - give a range of a non-coherent buffer or a
 * streaming mapping to the device
 * @ctx: the context.
 * @handle: a non-coherent buffer or a streaming mapping.
 * @offset: start of the range.
 * @len: length of the range; 0 only checks the arguments.
 * @dir: the direction of the device accesses to come; must be the buffer's,
 *	or anything for a %DMASHIM_DIR_BIDIRECTIONAL buffer.
 *
 * Context: Any context.
 * Return: As dmashim_sync_for_cpu().
 */
int dmashim_sync_for_device(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			    u64 offset, u64 len, u32 dir);

/**
 * dmashim_pool_create() - create a pool of small coherent blocks
 * @ctx: the context.
 * @name: a name for diagnostics, or NULL.
 * @block_size: size of every block in bytes, at least 1.
 * @opts: options, or NULL for no alignment and no boundary.
 * @poolp: where to store the new pool's handle.
 *
 * Blocks are handed out as ordinary buffer handles by dmashim_pool_alloc(),
 * so the accessors, dmashim_free(), debugfs and revocation apply to them as
 * to any buffer.  Allocation and free cost the same whatever the number of
 * live blocks.
 *
 * Context: Process context; may sleep.
 * Return: 0 and *@poolp set; on error *@poolp is untouched and: -EINVAL if
 * @block_size is 0, @opts is malformed (as for dmashim_alloc()),
 * @opts->align is not a power of two up to PAGE_SIZE or @opts->boundary is
 * not a power of two at least @block_size rounded up to the alignment;
 * -E2BIG if @block_size is above INT_MAX or what the coherent DMA mask
 * addresses; -ENOMEM when out of memory; -ENOSPC as for dmashim_alloc(); or
 * an error every call shares.
 */
int dmashim_pool_create(struct dmashim_ctx *ctx, const char *name,
			u64 block_size, const struct dmashim_pool_opts *opts,
			dmashim_pool_t *poolp);

/**
 * dmashim_pool_alloc() - allocate a zeroed block from a pool
 * @ctx: the context.
 * @pool: the pool.
 * @flags: 0, or %DMASHIM_ALLOC_NOWAIT to allocate without sleeping.
 * @handlep: where to store the block's handle; free it with dmashim_free().
 *
 * Context: Process context; may sleep.  With %DMASHIM_ALLOC_NOWAIT, any
 * context except NMI; does not sleep.
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL if @flags has bits other than %DMASHIM_ALLOC_NOWAIT; -EBADF also
 * if the pool was destroyed while the block was being allocated; -ENOMEM
 * when out of memory; -EDQUOT and -ENOSPC as for dmashim_alloc(); or an
 * error every call shares.
 */
int dmashim_pool_alloc(struct dmashim_ctx *ctx, dmashim_pool_t pool,
		       u32 flags, dmashim_handle_t *handlep);

/**
 * dmashim_pool_destroy() - destroy a pool
 * @ctx: the context.
 * @pool: the pool.
 *
 * Like dma_pool_destroy(), destroying a pool with blocks still allocated
 * reports them (count, in the kernel log); dmashim then frees them too, and
 * their handles are refused from here on.  The device must no longer access
 * any block of the pool.  The memory goes back to the DMA API later, from
 * a work item.
 *
 * Context: Any context except NMI; does not sleep.
 * Return: 0, or an error every call shares.
 */
int dmashim_pool_destroy(struct dmashim_ctx *ctx, dmashim_pool_t pool);

/**
 * dmashim_mmap() - map a buffer into a user-space VMA
 * @ctx: the context.
 * @handle: a coherent or non-coherent buffer.
 * @vma: the VMA, from a driver's &file_operations.mmap: shared
 *	(MAP_SHARED), and at most the buffer's length rounded up to pages.
 *	Its file offset is the driver's to choose; the mapping always starts
 *	at the first byte of the buffer.
 *
 * A buffer may be mapped any number of times, through any file and offset.
 * The VMA is moved to dmashim's own file (the driver's may be released
 * while the mapping lives), is filled on first access, is not inherited by
 * fork()ed children (MADV_DOFORK included) and cannot be pinned with
 * get_user_pages().  While a buffer is mapped, dmashim_free() refuses it
 * with -EBUSY.  When the context is revoked, every mapping of its buffers
 * is torn down first (later accesses get SIGBUS) and the memory released.
 * Call it last in the driver's mmap and return its result: Linux 6.1 does
 * not close a VMA whose ->mmap failed.
 *
 * Context: Process context, from &file_operations.mmap with the mmap lock
 * held; may sleep.
 * Return: 0; -EINVAL if @vma is not shared or is larger than the buffer;
 * -EOPNOTSUPP for a pool block (not page-sized) or a VMA without a file;
 * -ENOMEM when out of memory; -E2BIG if the buffer's pages cannot be
 * described; -EOVERFLOW if the buffer has 2^30 - 1 mappings; or an error
 * every call shares.
 */
int dmashim_mmap(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 struct vm_area_struct *vma);

/**
 * dmashim_get_sgtable() - describe a buffer as a scatter table for sharing
 * @ctx: the context.
 * @handle: a coherent or non-coherent buffer.
 * @sgt: an unused table, filled with the buffer's pages (not DMA-mapped).
 *
 * For dma-buf style exporters.  The buffer is pinned until
 * dmashim_put_sgtable() of the same handle and table: dmashim_free()
 * refuses it with -EBUSY meanwhile, and revocation leaves it allocated.
 *
 * Context: Process context; may sleep.
 * Return: 0; -EOPNOTSUPP for a pool block, which does not own whole pages;
 * -ENOMEM when out of memory; -E2BIG if the buffer's pages cannot be
 * described; -EOVERFLOW if the buffer has 2^32 - 1 tables out; -EBUSY if
 * @sgt is mapped by dmashim_map_sgtable() (nothing changed); the error of
 * dma_get_sgtable_attrs() (-ENXIO where the memory has no pages); or an
 * error every call shares.
 */
int dmashim_get_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt);

/**
 * dmashim_put_sgtable() - give back a table from dmashim_get_sgtable()
 * @ctx: the context.
 * @handle: the buffer it was asked for with.
 * @sgt: that table.  It is freed (sg_free_table()) when the call returns 0
 *	or -ENODEV, and left to the caller otherwise.
 *
 * After revocation, the last table of a buffer released the buffer.
 *
 * Context: Process context; may sleep.
 * Return: 0; -ENODEV if the context has been revoked (the table is freed
 * all the same); -EINVAL if @sgt is not a table of @handle out (it is left
 * as it is), revoked or not; -EBUSY if an entry of @sgt is
 * mapped by dmashim_map_sgtable(), through any table (unmap it first;
 * nothing changed); or an error
 * every call shares.
 */
int dmashim_put_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt);

/**
 * DOC: Streaming mappings
 *
 * dmashim_map_single(), dmashim_map_page() and dmashim_map_sgtable() map
 * memory the caller owns for the device and name the mapping by a handle,
 * with its size, direction and attributes recorded: dmashim_unmap() takes
 * the handle only, so an unmap can never name another size, direction or
 * address than the map.  The mapping error is checked inside.  The device
 * address comes from dmashim_dma_addr() or dmashim_dma_segment(), with the
 * same range checks as for buffers; dmashim_sync_for_cpu() and
 * dmashim_sync_for_device() hand ranges over, the direction checked against
 * the mapping's.  The CPU keeps using its own pointer to the memory (the
 * accessors refuse mappings with -EACCES), and must not touch it while the
 * device owns it.  Revocation unmaps every mapping still live, once; the
 * memory stays the caller's.
 *
 * A device maps each byte once at a time: to hand the same memory to the
 * device twice, map it once and use its device address twice.  A buffer
 * whose pages dmashim_get_sgtable() has handed out counts as mapped, from
 * that call until the buffer is freed, for its own device and direction
 * (coherent buffers both ways): another device may map it to read it, and
 * nothing may map it the way DMA-API debug would report as an overlap.
 * Memory dmashim owns must never be mapped through its CPU address (from
 * dmashim_info() or dmashim_access_begin()); that is not checked.
 *
 * Mappings count against &struct dmashim_limits.max_mappings, are listed in
 * debugfs with the buffers, and dmashim_free() refuses them (-EOPNOTSUPP):
 * only dmashim_unmap() ends them.
 */

/**
 * dmashim_map_single() - map kernel memory for the device
 * @ctx: the context.
 * @cpu_addr: the memory, in the kernel's linear map (not vmalloc).
 * @len: its length in bytes, at least 1.
 * @dir: the enum dmashim_dir of the device's accesses.
 * @opts: options, or NULL for none.
 * @handlep: where to store the mapping's handle.
 *
 * Context: Process context; may sleep.  With %DMASHIM_MAP_NOWAIT, any
 * context except NMI.
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL if @cpu_addr is NULL or not in the linear map, @len is 0, @dir is
 * not an enum dmashim_dir, or @opts is malformed or has unknown flags;
 * -E2BIG if @len is more than the device maps in one piece, or the memory
 * is out of the reach of a device without an IOMMU or bounce buffers;
 * -EBUSY if any byte of the memory is in a live mapping for the same device
 * (of any context), or if the device may write the memory (@dir is not
 * %DMASHIM_DIR_TO_DEVICE) and its first cache line starts another live
 * mapping a device may write, for any device (the DMA API supports neither
 * overlap), an exported buffer counting as a mapping; -ENOMEM if the
 * mapping failed; -EDQUOT past the context's mapping limit; -ENOSPC; or an
 * error every call shares.
 */
int dmashim_map_single(struct dmashim_ctx *ctx, void *cpu_addr, u64 len,
		       u32 dir, const struct dmashim_map_opts *opts,
		       dmashim_handle_t *handlep);

/**
 * dmashim_map_page() - map a range of pages for the device
 * @ctx: the context.
 * @page: the first page.
 * @offset: where the range starts in @page.
 * @len: its length in bytes, at least 1.
 * @dir: the enum dmashim_dir of the device's accesses.
 * @opts: options, or NULL for none.
 * @handlep: where to store the mapping's handle.
 *
 * Context: As dmashim_map_single().
 * Return: As dmashim_map_single(); -EINVAL also if @page is NULL, or the
 * range wraps or runs past the end of memory.
 */
int dmashim_map_page(struct dmashim_ctx *ctx, struct page *page, u64 offset,
		     u64 len, u32 dir, const struct dmashim_map_opts *opts,
		     dmashim_handle_t *handlep);

/**
 * dmashim_map_sgtable() - map a scatter table for the device
 * @ctx: the context.
 * @sgt: the table, with its pages set; it must not change, nor be freed,
 *	until dmashim_unmap() (or revocation) has returned.
 * @dir: the enum dmashim_dir of the device's accesses.
 * @opts: options, or NULL for none.
 * @handlep: where to store the mapping's handle.
 *
 * The mapping's length is the sum of the table's entries; its DMA segments
 * are what dmashim_dma_segment() reports.
 *
 * Context: As dmashim_map_single().
 * Return: As dmashim_map_single(), -EBUSY for the memory of any entry,
 * entries of @sgt itself that overlap included; -ENOMEM also if there is
 * no memory to record the entries; -EINVAL also if @sgt is NULL, empty or
 * freed (no scatterlist), has an entry of length 0 or one that is not
 * memory, or an entry of its scatterlist is in a live mapping already
 * (through any context, or another struct sg_table of the same list or of
 * a part of it).
 */
int dmashim_map_sgtable(struct dmashim_ctx *ctx, struct sg_table *sgt,
			u32 dir, const struct dmashim_map_opts *opts,
			dmashim_handle_t *handlep);

/**
 * dmashim_unmap() - end a streaming mapping
 * @ctx: the context.
 * @handle: the mapping.
 *
 * On success the mapping is gone and the memory, and a scatter table, are
 * the caller's again at once.
 *
 * Context: Any context except NMI; does not sleep.
 * Return: 0; -EBUSY if a sync of the mapping is running on another CPU
 * (nothing changed: unmap again after it); -EOPNOTSUPP if @handle is a
 * buffer, not a mapping; or an error every call shares.
 */
int dmashim_unmap(struct dmashim_ctx *ctx, dmashim_handle_t handle);

/**
 * dmashim_dma_segment() - one DMA segment of a buffer or mapping
 * @ctx: the context.
 * @handle: the buffer or mapping.
 * @index: the segment, from 0; everything but a mapped scatter table has
 *	one.
 * @dma_addrp: where to store its device address.
 * @lenp: where to store its length.
 *
 * Context: Any context.
 * Return: 0; -ERANGE if there is no segment @index; -EINVAL if @dma_addrp
 * or @lenp is NULL; or an error every call shares.
 */
int dmashim_dma_segment(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			u32 index, u64 *dma_addrp, u64 *lenp);

/**
 * dmashim_dma_addr() - the device address of a range of a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: offset of the range in the buffer.
 * @len: length of the range the device will access, at least 1.
 * @dma_addrp: where to store the device address of byte @offset.
 *
 * Works for buffers without a kernel mapping and for streaming mappings
 * too; for a mapped scatter table, the range must lie within one DMA
 * segment.
 *
 * Context: Any context.
 * Return: 0 and *@dma_addrp set; -EINVAL if @len is 0; -ERANGE if the range
 * does not lie within the buffer (or within one segment); or an error
 * every call shares.
 */
int dmashim_dma_addr(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		     u64 offset, u64 len, u64 *dma_addrp);

/**
 * dmashim_access_begin() - start a scoped CPU access to a range of a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: first byte of the range.
 * @len: length of the range in bytes, at least 1.
 * @flags: 0; no flags are defined yet.
 * @ptrp: where to store the kernel address of byte @offset.
 *
 * One lookup for many accesses.  dmashim_access_begin() and
 * dmashim_access_end() bracket a section, an RCU read-side critical section:
 * the caller must not sleep inside it, and whatever dmashim_access_begin()
 * returns, the section ends with exactly one dmashim_access_end().  On
 * success, *@ptrp addresses [@offset, @offset + @len) of the buffer until
 * the section ends, and that memory stays valid even if the buffer is freed
 * or the context revoked meanwhile: it goes back to the DMA API only after
 * the section.  The caller must stay within the range; use READ_ONCE() and
 * WRITE_ONCE() for fields the device accesses concurrently.  Sections nest.
 *
 * Context: Any context except NMI; does not sleep.
 * Return: 0 and *@ptrp set; on error *@ptrp is untouched and: -EINVAL if
 * @len is 0 or @flags is not 0; -EACCES if the buffer has no kernel
 * mapping; -ERANGE if the range does not lie within the buffer; or an error
 * every call shares.
 */
int dmashim_access_begin(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			 u64 offset, u64 len, u32 flags, void **ptrp)
	__acquires(RCU);

/**
 * dmashim_access_end() - end a section begun by dmashim_access_begin()
 * @ctx: the context passed to dmashim_access_begin().
 *
 * The pointer dmashim_access_begin() stored must not be used any more.
 *
 * Context: The context of the dmashim_access_begin() call it ends.
 */
void dmashim_access_end(struct dmashim_ctx *ctx) __releases(RCU);

/**
 * DOC: Bulk and sized accessors
 *
 * dmashim_read(), dmashim_write(), dmashim_fill() and dmashim_copy() move
 * bytes between kernel memory and a buffer, or within a context; a length
 * of 0 only checks the handle and the offset.  A refusal happens before any
 * byte moves.  Long copies go in chunks, each checking the handle again: a
 * buffer freed during a copy stops it part way with -EBADF.
 *
 * dmashim_load8() to dmashim_load64() and dmashim_store8() to
 * dmashim_store64() are single READ_ONCE()/WRITE_ONCE() accesses at an
 * offset that is a multiple of their size, in CPU byte order: they do not
 * tear, but they are not atomic read-modify-write operations.
 *
 * All of them refuse buffers without a kernel mapping with -EACCES and
 * ranges that do not lie within the buffer with -ERANGE, besides the
 * errors every call shares, and run in any context.
 */

/**
 * dmashim_read() - copy bytes out of a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: where to start in the buffer.
 * @dst: kernel memory to copy to; may be NULL when @len is 0.
 * @len: bytes to copy.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @dst is NULL and @len is not 0; -EACCES; -ERANGE; or
 * an error every call shares.
 */
int dmashim_read(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, void *dst, u64 len);

/**
 * dmashim_write() - copy bytes into a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: where to start in the buffer.
 * @src: kernel memory to copy from; may be NULL when @len is 0.
 * @len: bytes to copy.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @src is NULL and @len is not 0; -EACCES; -ERANGE; or
 * an error every call shares.
 */
int dmashim_write(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		  u64 offset, const void *src, u64 len);

/**
 * dmashim_fill() - set a range of a buffer to one byte value
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: where to start in the buffer.
 * @value: the byte to store.
 * @len: bytes to set.
 *
 * Context: Any context.
 * Return: 0; -EACCES; -ERANGE; or an error every call shares.
 */
int dmashim_fill(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, u8 value, u64 len);

/**
 * dmashim_copy() - copy bytes between two buffers of a context
 * @ctx: the context of both buffers.
 * @dst: the buffer to copy to.
 * @dst_offset: where to start in @dst.
 * @src: the buffer to copy from; may be @dst, and the ranges may overlap.
 * @src_offset: where to start in @src.
 * @len: bytes to copy.
 *
 * Context: Any context.
 * Return: 0; -EACCES if either buffer has no kernel mapping; -ERANGE if
 * either range does not lie within its buffer; or an error every call
 * shares, for either handle.
 */
int dmashim_copy(struct dmashim_ctx *ctx, dmashim_handle_t dst,
		 u64 dst_offset, dmashim_handle_t src, u64 src_offset,
		 u64 len);

/**
 * dmashim_load8() - read one 8-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer.
 * @valp: where to store the value.
 *
 * Context: Any context.
 * Return: 0; -EACCES; -ERANGE; or an error every call shares.
 */
int dmashim_load8(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		  u64 offset, u8 *valp);

/**
 * dmashim_load16() - read one 16-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 2.
 * @valp: where to store the value.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @offset is not a multiple of 2; -EACCES; -ERANGE; or
 * an error every call shares.
 */
int dmashim_load16(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u16 *valp);

/**
 * dmashim_load32() - read one 32-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 4.
 * @valp: where to store the value.
 *
 * Context: Any context.
 * Return: As dmashim_load16(), for multiples of 4.
 */
int dmashim_load32(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u32 *valp);

/**
 * dmashim_load64() - read one 64-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 8.
 * @valp: where to store the value.
 *
 * Context: Any context.
 * Return: As dmashim_load16(), for multiples of 8.
 */
int dmashim_load64(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u64 *valp);

/**
 * dmashim_store8() - write one 8-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer.
 * @val: the value.
 *
 * Context: Any context.
 * Return: 0; -EACCES; -ERANGE; or an error every call shares.
 */
int dmashim_store8(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u8 val);

/**
 * dmashim_store16() - write one 16-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 2.
 * @val: the value.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @offset is not a multiple of 2; -EACCES; -ERANGE; or
 * an error every call shares.
 */
int dmashim_store16(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		    u64 offset, u16 val);

/**
 * dmashim_store32() - write one 32-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 4.
 * @val: the value.
 *
 * Context: Any context.
 * Return: As dmashim_store16(), for multiples of 4.
 */
int dmashim_store32(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		    u64 offset, u32 val);

/**
 * dmashim_store64() - write one 64-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 8.
 * @val: the value.
 *
 * Context: Any context.
 * Return: As dmashim_store16(), for multiples of 8.
 */
int dmashim_store64(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		    u64 offset, u64 val);

#endif /* _DMASHIM_H */
