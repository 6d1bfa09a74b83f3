// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim accessors: CPU access to DMA buffers and their device addresses,
 * by handle, offset and length.
 *
 * Design
 * ======
 * Every accessor resolves its handle and range in one place,
 * dmashim_cpu_range(), under rcu_read_lock(), and does its work before the
 * read lock is dropped.  A buffer freed concurrently stays valid until then
 * (dmashim_table.c reuses or releases memory only after a grace period), so
 * an accessor racing a free either completes on the old buffer or is
 * refused; it never touches freed memory.  The lookup takes no lock and
 * writes no shared cache line, so accessors run in any context, IRQ
 * handlers included, and scale across CPUs.  A scoped access
 * (dmashim_access_begin()) is the same lookup with the read lock held until
 * dmashim_access_end(), so a driver filling a descriptor pays for one.
 *
 * Bulk copies go in chunks of DMASHIM_BULK_CHUNK bytes, each its own
 * lookup and read-side section, so a copy of any length neither delays a
 * grace period by much nor, when the caller may sleep, hogs the CPU.  A
 * buffer freed during a long copy stops it there with -EBADF.
 *
 * Ranges are [offset, offset + len) and must lie within the length asked for
 * at allocation; they are checked without ever computing offset + len, so no
 * value of either can overflow past the check.  Sized loads and stores are
 * single READ_ONCE()/WRITE_ONCE() accesses at naturally aligned offsets: they
 * do not tear, but they are not atomic read-modify-write operations.
 */
#include <linux/export.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "dmashim_internal.h"

#define DMASHIM_BULK_CHUNK	SZ_64K

/*
 * The kernel address of [@offset, @offset + @len) of @handle.  @align is the
 * alignment @offset must have (1 for none).  Called under rcu_read_lock();
 * the address is valid until rcu_read_unlock().
 */
static __always_inline void *dmashim_cpu_range(struct dmashim_ctx *ctx,
					       dmashim_handle_t handle,
					       u64 offset, u64 len, u64 align)
{
	u64 raw = (__force u64)handle;
	struct dmashim_entry *entry;

	if (unlikely(!ctx))
		return ERR_PTR(-EINVAL);
	entry = likely(!(raw & DMASHIM_HANDLE_POOL)) ?
		dmashim_lookup(ctx, raw) : NULL;
	if (unlikely(!entry))
		return ERR_PTR(dmashim_lookup_error(ctx, raw));
	if (unlikely(!entry->cpu_addr))
		return ERR_PTR(-EACCES);
	if (unlikely(!IS_ALIGNED((unsigned long)entry->cpu_addr + offset,
				 align)))
		return ERR_PTR(-EINVAL);
	if (unlikely(!dmashim_range_ok(entry->len, offset, len)))
		return ERR_PTR(-ERANGE);
	return entry->cpu_addr + offset;
}

int dmashim_dma_addr(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		     u64 offset, u64 len, u64 *dma_addrp)
{
	struct dmashim_entry *entry;
	int ret = 0;

	if (!dma_addrp || !len)
		return -EINVAL;
	rcu_read_lock();
	entry = dmashim_find(ctx, handle);
	if (IS_ERR(entry))
		ret = PTR_ERR(entry);
	else if (!dmashim_range_ok(entry->len, offset, len))
		ret = -ERANGE;
	else if (entry->segs)
		ret = dmashim_segs_addr(entry->segs, offset, len, dma_addrp);
	else
		*dma_addrp = entry->dma_addr + offset;
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_dma_addr);

int dmashim_access_begin(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			 u64 offset, u64 len, u32 flags, void **ptrp)
	__acquires(RCU)
{
	void *p;

	rcu_read_lock();
	if (!ptrp || !len || flags)
		return -EINVAL;
	p = dmashim_cpu_range(ctx, handle, offset, len, 1);
	if (IS_ERR(p))
		return PTR_ERR(p);
	*ptrp = p;
	return 0;
}
EXPORT_SYMBOL_DMASHIM(dmashim_access_begin);

void dmashim_access_end(struct dmashim_ctx *ctx)
	__releases(RCU)
{
	rcu_read_unlock();
}
EXPORT_SYMBOL_DMASHIM(dmashim_access_end);

/* ---- bulk --------------------------------------------------------------- */

enum dmashim_bulk_op {
	DMASHIM_READ,
	DMASHIM_WRITE,
	DMASHIM_FILL,
};

/* One chunk of a bulk operation, at @p. */
static void dmashim_bulk_chunk(void *p, u64 len, enum dmashim_bulk_op op,
			       void *mem, u8 value)
{
	switch (op) {
	case DMASHIM_READ:
		memcpy(mem, p, len);
		break;
	case DMASHIM_WRITE:
		memcpy(p, mem, len);
		break;
	case DMASHIM_FILL:
		memset(p, value, len);
		break;
	}
}

/* Between chunks: let others run when the caller may sleep. */
static void dmashim_bulk_pause(void)
{
	if (dmashim_may_sleep())
		cond_resched();
}

/* The first chunk checks the whole range: a refusal changes nothing. */
static int dmashim_bulk(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			u64 offset, u64 len, enum dmashim_bulk_op op,
			void *mem, u8 value)
{
	u64 done = 0, n;
	void *p;

	do {
		n = min_t(u64, len - done, DMASHIM_BULK_CHUNK);
		rcu_read_lock();
		p = dmashim_cpu_range(ctx, handle, offset + done,
				      done ? n : len, 1);
		if (!IS_ERR(p))
			dmashim_bulk_chunk(p, n, op, mem ? mem + done : NULL,
					   value);
		rcu_read_unlock();
		done += n;
		if (!IS_ERR(p) && done < len)
			dmashim_bulk_pause();
	} while (!IS_ERR(p) && done < len);
	return PTR_ERR_OR_ZERO(p);
}

int dmashim_read(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, void *dst, u64 len)
{
	if (!dst && len)
		return -EINVAL;
	return dmashim_bulk(ctx, handle, offset, len, DMASHIM_READ, dst, 0);
}
EXPORT_SYMBOL_DMASHIM(dmashim_read);

int dmashim_write(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		  u64 offset, const void *src, u64 len)
{
	if (!src && len)
		return -EINVAL;
	return dmashim_bulk(ctx, handle, offset, len, DMASHIM_WRITE,
			    (void *)src, 0);
}
EXPORT_SYMBOL_DMASHIM(dmashim_write);

int dmashim_fill(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, u8 value, u64 len)
{
	return dmashim_bulk(ctx, handle, offset, len, DMASHIM_FILL, NULL,
			    value);
}
EXPORT_SYMBOL_DMASHIM(dmashim_fill);

/* Both ranges of a copy, or the first refusal; under rcu_read_lock(). */
static int dmashim_copy_ranges(struct dmashim_ctx *ctx, dmashim_handle_t dst,
			       u64 dst_offset, dmashim_handle_t src,
			       u64 src_offset, u64 len, void **to,
			       void **from)
{
	*to = dmashim_cpu_range(ctx, dst, dst_offset, len, 1);
	if (IS_ERR(*to))
		return PTR_ERR(*to);
	*from = dmashim_cpu_range(ctx, src, src_offset, len, 1);
	return PTR_ERR_OR_ZERO(*from);
}

/*
 * memmove() semantics in chunks: when the destination lies after an
 * overlapping source, the chunks go from the end.  The first checks both
 * whole ranges.
 */
int dmashim_copy(struct dmashim_ctx *ctx, dmashim_handle_t dst,
		 u64 dst_offset, dmashim_handle_t src, u64 src_offset,
		 u64 len)
{
	bool backwards = dst == src && dst_offset > src_offset;
	u64 done = 0, n, at;
	void *to, *from;
	int ret;

	do {
		n = min_t(u64, len - done, DMASHIM_BULK_CHUNK);
		at = backwards ? len - done - n : done;
		rcu_read_lock();
		if (!done)
			ret = dmashim_copy_ranges(ctx, dst, dst_offset, src,
						  src_offset, len, &to, &from);
		else
			ret = dmashim_copy_ranges(ctx, dst, dst_offset + at,
						  src, src_offset + at, n,
						  &to, &from);
		if (!ret)
			memmove(done ? to : to + at, done ? from : from + at, n);
		rcu_read_unlock();
		done += n;
		if (!ret && done < len)
			dmashim_bulk_pause();
	} while (!ret && done < len);
	return ret;
}
EXPORT_SYMBOL_DMASHIM(dmashim_copy);

/* ---- sized -------------------------------------------------------------- */

/*
 * dmashim_load{8,16,32,64}() and dmashim_store{8,16,32,64}(): one
 * definition for every width.  Documented in include/dmashim.h.
 */
#define DMASHIM_DEFINE_LOAD(bits, type)					\
int dmashim_load##bits(struct dmashim_ctx *ctx, dmashim_handle_t handle,	\
		       u64 offset, __typeof__(type) *valp)		\
{									\
	type *p;							\
									\
	if (unlikely(!valp))						\
		return -EINVAL;						\
	rcu_read_lock();						\
	p = dmashim_cpu_range(ctx, handle, offset, sizeof(*p), sizeof(*p)); \
	if (!IS_ERR(p))						\
		*valp = READ_ONCE(*p);					\
	rcu_read_unlock();						\
	return PTR_ERR_OR_ZERO(p);					\
}									\
EXPORT_SYMBOL_DMASHIM(dmashim_load##bits)

#define DMASHIM_DEFINE_STORE(bits, type)				\
int dmashim_store##bits(struct dmashim_ctx *ctx, dmashim_handle_t handle,	\
			u64 offset, type val)				\
{									\
	type *p;							\
									\
	rcu_read_lock();						\
	p = dmashim_cpu_range(ctx, handle, offset, sizeof(*p), sizeof(*p)); \
	if (!IS_ERR(p))						\
		WRITE_ONCE(*p, val);					\
	rcu_read_unlock();						\
	return PTR_ERR_OR_ZERO(p);					\
}									\
EXPORT_SYMBOL_DMASHIM(dmashim_store##bits)

DMASHIM_DEFINE_LOAD(8, u8);
DMASHIM_DEFINE_LOAD(16, u16);
DMASHIM_DEFINE_LOAD(32, u32);
DMASHIM_DEFINE_LOAD(64, u64);
DMASHIM_DEFINE_STORE(8, u8);
DMASHIM_DEFINE_STORE(16, u16);
DMASHIM_DEFINE_STORE(32, u32);
DMASHIM_DEFINE_STORE(64, u64);
