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
	DMASHIM_ABI_VERSION = 1,
};

/**
 * enum dmashim_kind - what kind of memory a handle names
 * @DMASHIM_KIND_COHERENT: coherent memory from dmashim_alloc().
 * @DMASHIM_KIND_NONCOHERENT: pages from dmashim_alloc_noncoherent(); CPU and
 *	device take turns, handed over with dmashim_sync_for_cpu() and
 *	dmashim_sync_for_device().
 * @DMASHIM_KIND_POOL_BLOCK: a coherent block from dmashim_pool_alloc().
 */
enum dmashim_kind {
	DMASHIM_KIND_COHERENT = 1,
	DMASHIM_KIND_NONCOHERENT = 2,
	DMASHIM_KIND_POOL_BLOCK = 3,
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
 * @user_maps: user-space mappings of the buffer (dmashim_mmap()).
 * @exports: scatter tables handed out (dmashim_get_sgtable()) and not yet
 *	given back.
 * @reserved: written as zero.
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
	u32 reserved;
};

/**
 * struct dmashim_pool_opts - options for dmashim_pool_create()
 * @sz: sizeof(struct dmashim_pool_opts) as the caller was compiled; same
 *	rules as struct dmashim_alloc_opts.
 * @align: alignment of every block, a power of two up to PAGE_SIZE; blocks
 *	are always at least 8-byte aligned, so every sized accessor works at
 *	offsets that are multiples of its size.  0 for the default.
 * @boundary: a power of two no block crosses, at least the block size
 *	rounded up to the alignment; 0 for none.
 */
struct dmashim_pool_opts {
	u32 sz;
	u32 align;
	u64 boundary;
};

/**
 * struct dmashim_stats - counters of a context (dmashim_ctx_stats())
 * @sz: in: sizeof(struct dmashim_stats) as the caller was compiled.
 * @reserved: written as zero.
 * @live: handles allocated and not yet freed.
 * @live_bytes: bytes (as asked for) behind those handles.
 * @allocs: successful allocations since creation.
 * @frees: successful frees since creation.
 * @alloc_failures: dmashim_alloc() calls that returned an error.
 * @refused: calls refused because of a bad handle (-EBADF or -EXDEV).
 * @pending_release: freed buffers whose memory is not yet given back to the
 *	DMA API (release waits for concurrent accessors, see dmashim_free()).
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
};

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
 * driver's remove() returns.
 *
 * Context: Process context; may sleep.
 * Return: 0 and *@ctxp set; -EINVAL if @dev or @ctxp is NULL or @dev has no
 * DMA masks; -ENOMEM when out of memory; -EBUSY when 65535 contexts exist.
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
 * Return: 0 and *@ctxp set; -EINVAL if @dev or @ctxp is NULL or @dev has no
 * DMA masks; -ENOMEM when out of memory; -EBUSY when 65535 contexts exist.
 */
int devm_dmashim_ctx_create(struct device *dev, struct dmashim_ctx **ctxp);

/**
 * dmashim_ctx_destroy() - revoke a context and drop the creator's reference
 * @ctx: a context from dmashim_ctx_create(), or NULL.
 *
 * Buffers still allocated are released and reported as leaked (count and
 * bytes) in the kernel log.  Later calls through @ctx by holders of other
 * references fail with -ENODEV.  The device must be quiesced: it must no
 * longer access the buffers.
 *
 * Context: Process context; sleeps until released memory is back with the
 * DMA API.
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
 * Context: Process context; may sleep when it drops the last reference.
 */
void dmashim_ctx_put(struct dmashim_ctx *ctx);

/**
 * dmashim_ctx_stats() - read a context's counters
 * @ctx: the context.
 * @stats: in: @stats->sz; out: the counters.
 *
 * Counters stay readable after revocation.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @stats is NULL or @stats->sz is below 4 or
 * above PAGE_SIZE.
 */
int dmashim_ctx_stats(struct dmashim_ctx *ctx, struct dmashim_stats *stats);

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
 * @opts->flags, any context; does not sleep.
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL if @ctx or @handlep is NULL, @len is 0, @opts->sz is below 4 or
 * above PAGE_SIZE, @opts has non-zero bytes this library does not know or a
 * non-zero reserved field, @opts->flags has unknown bits, both
 * %DMASHIM_ALLOC_FORCE_CONTIGUOUS and %DMASHIM_ALLOC_SINGLE_PAGES, or both
 * %DMASHIM_ALLOC_NOWAIT and %DMASHIM_ALLOC_NO_KERNEL_MAPPING, or
 * @opts->numa_node is neither %DMASHIM_NUMA_NODE_ANY nor an online node;
 * -EOVERFLOW if @len cannot be rounded up to whole pages;
 * -E2BIG if @len exceeds what the device's coherent DMA mask can address;
 * -ENOMEM if the memory cannot be allocated (including @len above the
 * system's RAM);
 * -ENOSPC if the context has 2^32 - 1 live handles;
 * -ENODEV if the context has been revoked.
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
 * block to its pool) shortly after, once no accessor can still be using it;
 * the device must no longer access the buffer.
 *
 * Context: Any context; does not sleep.
 * Return: 0; -EINVAL if @ctx is NULL; -EBUSY if the buffer is mapped to user
 * space or has a scatter table out (nothing is freed under them); -EBADF if
 * @handle is not a live buffer (0, freed, stale, forged, or a pool);
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has
 * been revoked.
 */
int dmashim_free(struct dmashim_ctx *ctx, dmashim_handle_t handle);

/**
 * dmashim_info() - describe a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @info: in: @info->sz; out: the description.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @info is NULL or @info->sz is below 4 or
 * above PAGE_SIZE; -EBADF if @handle is not a live handle; -EXDEV if
 * @handle belongs to another context; -ENODEV if the context has been
 * revoked.
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
 * Context: Process context; may sleep.  With %DMASHIM_ALLOC_NOWAIT, any
 * context; does not sleep.
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL for the reasons of dmashim_alloc(), for @dir not an enum
 * dmashim_dir, or for flags other than %DMASHIM_ALLOC_NOWAIT and
 * %DMASHIM_ALLOC_NO_WARN; -EOVERFLOW, -E2BIG, -ENOMEM, -ENOSPC and -ENODEV as
 * for dmashim_alloc().
 */
int dmashim_alloc_noncoherent(struct dmashim_ctx *ctx, u64 len, u32 dir,
			      const struct dmashim_alloc_opts *opts,
			      dmashim_handle_t *handlep);

/**
 * dmashim_sync_for_cpu() - give a range of a non-coherent buffer to the CPU
 * @ctx: the context.
 * @handle: a non-coherent buffer.
 * @offset: start of the range.
 * @len: length of the range; 0 only checks the arguments.
 * @dir: the direction of the device accesses being completed; must be the
 *	buffer's, or anything for a %DMASHIM_DIR_BIDIRECTIONAL buffer.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, @dir is not an enum dmashim_dir or
 * does not match the buffer's direction; -EOPNOTSUPP if @handle is not a
 * non-coherent buffer (coherent memory needs no sync); -ERANGE if the range
 * does not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has
 * been revoked.
 */
int dmashim_sync_for_cpu(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			 u64 offset, u64 len, u32 dir);

/**
 * dmashim_sync_for_device() - give a range of a non-coherent buffer to the
 * device
 * @ctx: the context.
 * @handle: a non-coherent buffer.
 * @offset: start of the range.
 * @len: length of the range; 0 only checks the arguments.
 * @dir: the direction of the device accesses to come; must be the buffer's,
 *	or anything for a %DMASHIM_DIR_BIDIRECTIONAL buffer.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, @dir is not an enum dmashim_dir or
 * does not match the buffer's direction; -EOPNOTSUPP if @handle is not a
 * non-coherent buffer; -ERANGE if the range does not lie within the buffer;
 * -EBADF if @handle is not a live handle; -EXDEV if @handle belongs to
 * another context; -ENODEV if the context has been revoked.
 */
int dmashim_sync_for_device(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			    u64 offset, u64 len, u32 dir);

/**
 * dmashim_pool_create() - create a pool of small coherent blocks
 * @ctx: the context.
 * @name: name shown in the device's sysfs "pools" file, or NULL.
 * @block_size: size of every block in bytes, at least 1.
 * @opts: options, or NULL for no alignment and no boundary.
 * @poolp: where to store the new pool's handle.
 *
 * Blocks come from dma_pool_create() and are handed out as ordinary buffer
 * handles by dmashim_pool_alloc(), so the accessors, dmashim_free(), debugfs
 * and revocation apply to them as to any buffer.  Freed blocks are kept on
 * the pool's own free list and reused first: on Linux 6.1, dma_pool_alloc()
 * and dma_pool_free() walk every page of the pool.
 *
 * Context: Process context; may sleep.
 * Return: 0 and *@poolp set; on error *@poolp is untouched and: -EINVAL if
 * @ctx or @poolp is NULL, @block_size is 0, @opts is malformed (as for
 * dmashim_alloc()), @opts->align is not a power of two up to PAGE_SIZE or
 * @opts->boundary is not a power of two at least @block_size rounded up to
 * the alignment; -E2BIG if
 * @block_size is above INT_MAX or what the coherent DMA mask addresses;
 * -ENOMEM when out of memory; -ENOSPC if the
 * context has 2^32 - 1 live handles; -ENODEV if the context has been
 * revoked.
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
 * context; does not sleep.
 * Return: 0 and *@handlep set; on error *@handlep is untouched and:
 * -EINVAL if @ctx or @handlep is NULL or @flags has bits other than
 * %DMASHIM_ALLOC_NOWAIT; -EBADF if @pool is not a live pool (or was
 * destroyed while the block was being allocated); -EXDEV if @pool belongs
 * to another context; -ENOMEM when out of memory; -ENOSPC if the
 * context has 2^32 - 1 live handles; -ENODEV if the context has been
 * revoked.
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
 * any block of the pool.
 *
 * Context: Process context; does not sleep (the pool's memory is released
 * later, from a work item).
 * Return: 0; -EINVAL if @ctx is NULL; -EBADF if @pool is not a live pool;
 * -EXDEV if @pool belongs to another context; -ENODEV if the context has
 * been revoked.
 */
int dmashim_pool_destroy(struct dmashim_ctx *ctx, dmashim_pool_t pool);

/**
 * dmashim_mmap() - map a buffer into a user-space VMA
 * @ctx: the context.
 * @handle: a coherent or non-coherent buffer.
 * @vma: the VMA, from a driver's &file_operations.mmap; at most the
 *	buffer's length rounded up to pages.  Its file offset is the driver's
 *	to choose; the mapping always starts at the first byte of the buffer.
 *
 * While a buffer is mapped, dmashim_free() refuses it with -EBUSY.  When the
 * context is revoked, every user mapping of its buffers is torn down first
 * (later user accesses get SIGBUS) and the memory is released.  All mappings
 * of one buffer must come through the same file and file offset, must be
 * shared (MAP_SHARED), and are not inherited by fork()ed children.  Call it
 * last in the driver's mmap and return its result: Linux 6.1 does not close
 * a VMA whose ->mmap failed, so a failure after it would leak the mapping's
 * pin.
 *
 * Context: Process context, from &file_operations.mmap with the mmap lock
 * held; may sleep.
 * Return: 0; -EINVAL if @ctx or @vma is NULL, the VMA is not shared or is
 * larger than the buffer; -EOPNOTSUPP for a pool block (not page-sized) or a VMA without a
 * file; -EBUSY if the buffer is already mapped through another file or
 * offset; -EBADF if @handle is not a live handle; -EXDEV if @handle belongs
 * to another context; -ENODEV if the context has been revoked; or the error
 * of dma_mmap_attrs().
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
 * dmashim_put_sgtable(): dmashim_free() refuses it with -EBUSY meanwhile.
 *
 * Context: Process context; may sleep.
 * Return: 0; -EINVAL if @ctx or @sgt is NULL; -EOPNOTSUPP for a pool block,
 * which does not own whole pages; -ENOMEM when out of memory; -EBADF if
 * @handle is not a live handle; -EXDEV if @handle belongs to another
 * context; -ENODEV if the context has been revoked; or the error of
 * dma_get_sgtable_attrs() (-ENXIO where the memory has no pages).
 */
int dmashim_get_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt);

/**
 * dmashim_put_sgtable() - give back a table from dmashim_get_sgtable()
 * @ctx: the context.
 * @handle: the buffer.
 * @sgt: the table; it is freed (sg_free_table()) whatever the return value,
 *	unless @sgt is NULL.
 *
 * Context: Process context; may sleep.
 * Return: 0; -EINVAL if @ctx or @sgt is NULL or @handle has no table out;
 * -EBADF if @handle is not a live handle; -EXDEV if @handle belongs to
 * another context; -ENODEV if the context has been revoked (its buffers are
 * released already).
 */
int dmashim_put_sgtable(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			struct sg_table *sgt);

/**
 * dmashim_dma_addr() - the device address of a range of a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: offset of the range in the buffer.
 * @len: length of the range the device will access, at least 1.
 * @dma_addrp: where to store the device address of byte @offset.
 *
 * Works for buffers without a kernel mapping too.
 *
 * Context: Any context.
 * Return: 0 and *@dma_addrp set; -EINVAL if @dma_addrp is NULL, @len is 0
 * or @ctx is NULL; -ERANGE if the range does not lie within the buffer;
 * -EBADF if @handle is not a live handle; -EXDEV if @handle belongs to
 * another context; -ENODEV if the context has been revoked.
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
 * @ctx or @ptrp is NULL, @len is 0 or @flags is not 0; -EACCES if the
 * buffer has no kernel mapping; -ERANGE if the range does not lie within the
 * buffer; -EBADF if @handle is not a live handle; -EXDEV if @handle belongs
 * to another context; -ENODEV if the context has been revoked.
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
 * dmashim_read() - copy bytes out of a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: where to start in the buffer.
 * @dst: kernel memory to copy to; may be NULL when @len is 0.
 * @len: bytes to copy; 0 only checks the handle and @offset.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, or @dst is NULL and @len is not 0;
 * -EACCES if the buffer has no kernel mapping; -ERANGE if the range does not
 * lie within the buffer; -EBADF if @handle is not a live handle; -EXDEV if
 * @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_read(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, void *dst, u64 len);

/**
 * dmashim_write() - copy bytes into a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: where to start in the buffer.
 * @src: kernel memory to copy from; may be NULL when @len is 0.
 * @len: bytes to copy; 0 only checks the handle and @offset.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, or @src is NULL and @len is not 0;
 * -EACCES if the buffer has no kernel mapping; -ERANGE if the range does not
 * lie within the buffer; -EBADF if @handle is not a live handle; -EXDEV if
 * @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_write(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		  u64 offset, const void *src, u64 len);

/**
 * dmashim_fill() - set a range of a buffer to one byte value
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: where to start in the buffer.
 * @value: the byte to store.
 * @len: bytes to set; 0 only checks the handle and @offset.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL; -EACCES if the buffer has no kernel
 * mapping; -ERANGE if the range does not lie within the buffer; -EBADF if
 * @handle is not a live handle; -EXDEV if @handle belongs to another context;
 * -ENODEV if the context has been revoked.
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
 * @len: bytes to copy; 0 only checks the handles and offsets.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL; -EACCES if either buffer has no kernel
 * mapping; -ERANGE if either range does not lie within its buffer; -EBADF if
 * either handle is not a live handle; -EXDEV if either belongs to another
 * context; -ENODEV if the context has been revoked.
 */
int dmashim_copy(struct dmashim_ctx *ctx, dmashim_handle_t dst,
		 u64 dst_offset, dmashim_handle_t src, u64 src_offset,
		 u64 len);

/**
 * dmashim_load8() - read one 8-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer.
 * @valp: where to store the value, in CPU byte order.
 *
 * A single READ_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @valp is NULL; -EACCES if the buffer has no
 * kernel mapping; -ERANGE if the 1 byte at @offset does not lie within the
 * buffer; -EBADF if @handle is not a live handle; -EXDEV if @handle belongs to
 * another context; -ENODEV if the context has been revoked.
 */
int dmashim_load8(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		  u64 offset, u8 *valp);

/**
 * dmashim_load16() - read one 16-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 2.
 * @valp: where to store the value, in CPU byte order.
 *
 * A single READ_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @valp is NULL, or @offset is not a multiple of
 * 2; -EACCES if the buffer has no kernel mapping; -ERANGE if the 2 bytes at
 * @offset do not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_load16(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u16 *valp);

/**
 * dmashim_load32() - read one 32-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 4.
 * @valp: where to store the value, in CPU byte order.
 *
 * A single READ_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @valp is NULL, or @offset is not a multiple of
 * 4; -EACCES if the buffer has no kernel mapping; -ERANGE if the 4 bytes at
 * @offset do not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_load32(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u32 *valp);

/**
 * dmashim_load64() - read one 64-bit value from a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 8.
 * @valp: where to store the value, in CPU byte order.
 *
 * A single READ_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx or @valp is NULL, or @offset is not a multiple of
 * 8; -EACCES if the buffer has no kernel mapping; -ERANGE if the 8 bytes at
 * @offset do not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_load64(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u64 *valp);

/**
 * dmashim_store8() - write one 8-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer.
 * @val: the value, in CPU byte order.
 *
 * A single WRITE_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL; -EACCES if the buffer has no kernel
 * mapping; -ERANGE if the 1 byte at @offset does not lie within the buffer;
 * -EBADF if @handle is not a live handle; -EXDEV if @handle belongs to another
 * context; -ENODEV if the context has been revoked.
 */
int dmashim_store8(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		   u64 offset, u8 val);

/**
 * dmashim_store16() - write one 16-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 2.
 * @val: the value, in CPU byte order.
 *
 * A single WRITE_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, or @offset is not a multiple of 2;
 * -EACCES if the buffer has no kernel mapping; -ERANGE if the 2 bytes at
 * @offset do not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_store16(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		    u64 offset, u16 val);

/**
 * dmashim_store32() - write one 32-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 4.
 * @val: the value, in CPU byte order.
 *
 * A single WRITE_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, or @offset is not a multiple of 4;
 * -EACCES if the buffer has no kernel mapping; -ERANGE if the 4 bytes at
 * @offset do not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_store32(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		    u64 offset, u32 val);

/**
 * dmashim_store64() - write one 64-bit value to a buffer
 * @ctx: the context.
 * @handle: the buffer.
 * @offset: byte offset in the buffer, a multiple of 8.
 * @val: the value, in CPU byte order.
 *
 * A single WRITE_ONCE() access, so the value does not tear; it is not an atomic
 * read-modify-write.
 *
 * Context: Any context.
 * Return: 0; -EINVAL if @ctx is NULL, or @offset is not a multiple of 8;
 * -EACCES if the buffer has no kernel mapping; -ERANGE if the 8 bytes at
 * @offset do not lie within the buffer; -EBADF if @handle is not a live handle;
 * -EXDEV if @handle belongs to another context; -ENODEV if the context has been
 * revoked.
 */
int dmashim_store64(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		    u64 offset, u64 val);

#endif /* _DMASHIM_H */
