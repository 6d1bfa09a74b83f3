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
 * (see the reap path in dmashim_core.c), so an accessor racing a free either
 * completes on the old buffer or is refused; it never touches freed memory.
 * The fast path takes no lock and writes no shared cache line, so accessors
 * run in any context, IRQ handlers included.  A scoped access
 * (dmashim_access_begin()) is the same lookup with the read lock held until
 * dmashim_access_end(), so a driver filling a descriptor pays for one.
 *
 * Ranges are [offset, offset + len) and must lie within the length asked for
 * at allocation; they are checked without ever computing offset + len, so no
 * value of either can overflow past the check.  Sized loads and stores are
 * single READ_ONCE()/WRITE_ONCE() accesses at naturally aligned offsets: they
 * do not tear, but they are not atomic read-modify-write operations.
 */
#include <linux/export.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "dmashim_internal.h"

/*
 * The kernel address of [@offset, @offset + @len) of @handle.  @align is the
 * alignment @offset must have (1 for none).  Called under rcu_read_lock();
 * the address is valid until rcu_read_unlock().
 */
static void *dmashim_cpu_range(struct dmashim_ctx *ctx, dmashim_handle_t handle,
			       u64 offset, u64 len, u64 align)
{
	struct dmashim_entry *entry;

	entry = dmashim_entry_find(ctx, handle);
	if (IS_ERR(entry))
		return entry;
	if (!entry->cpu_addr)
		return ERR_PTR(-EACCES);
	if (!IS_ALIGNED((unsigned long)entry->cpu_addr + offset, align))
		return ERR_PTR(-EINVAL);
	if (!dmashim_range_ok(entry, offset, len))
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
	entry = dmashim_entry_find(ctx, handle);
	if (IS_ERR(entry))
		ret = PTR_ERR(entry);
	else if (!dmashim_range_ok(entry, offset, len))
		ret = -ERANGE;
	else
		*dma_addrp = entry->dma_addr + offset;
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(dmashim_dma_addr, DMASHIM);

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
EXPORT_SYMBOL_NS_GPL(dmashim_access_begin, DMASHIM);

void dmashim_access_end(struct dmashim_ctx *ctx)
	__releases(RCU)
{
	rcu_read_unlock();
}
EXPORT_SYMBOL_NS_GPL(dmashim_access_end, DMASHIM);

int dmashim_read(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, void *dst, u64 len)
{
	void *src;

	if (!dst && len)
		return -EINVAL;
	rcu_read_lock();
	src = dmashim_cpu_range(ctx, handle, offset, len, 1);
	if (!IS_ERR(src))
		memcpy(dst, src, len);
	rcu_read_unlock();
	return PTR_ERR_OR_ZERO(src);
}
EXPORT_SYMBOL_NS_GPL(dmashim_read, DMASHIM);

int dmashim_write(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		  u64 offset, const void *src, u64 len)
{
	void *dst;

	if (!src && len)
		return -EINVAL;
	rcu_read_lock();
	dst = dmashim_cpu_range(ctx, handle, offset, len, 1);
	if (!IS_ERR(dst))
		memcpy(dst, src, len);
	rcu_read_unlock();
	return PTR_ERR_OR_ZERO(dst);
}
EXPORT_SYMBOL_NS_GPL(dmashim_write, DMASHIM);

int dmashim_fill(struct dmashim_ctx *ctx, dmashim_handle_t handle,
		 u64 offset, u8 value, u64 len)
{
	void *dst;

	rcu_read_lock();
	dst = dmashim_cpu_range(ctx, handle, offset, len, 1);
	if (!IS_ERR(dst))
		memset(dst, value, len);
	rcu_read_unlock();
	return PTR_ERR_OR_ZERO(dst);
}
EXPORT_SYMBOL_NS_GPL(dmashim_fill, DMASHIM);

int dmashim_copy(struct dmashim_ctx *ctx, dmashim_handle_t dst,
		 u64 dst_offset, dmashim_handle_t src, u64 src_offset,
		 u64 len)
{
	void *to, *from;

	rcu_read_lock();
	to = dmashim_cpu_range(ctx, dst, dst_offset, len, 1);
	from = IS_ERR(to) ? to :
	       dmashim_cpu_range(ctx, src, src_offset, len, 1);
	if (!IS_ERR(from))
		memmove(to, from, len);
	rcu_read_unlock();
	return PTR_ERR_OR_ZERO(from);
}
EXPORT_SYMBOL_NS_GPL(dmashim_copy, DMASHIM);

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
	if (!valp)							\
		return -EINVAL;						\
	rcu_read_lock();						\
	p = dmashim_cpu_range(ctx, handle, offset, sizeof(*p), sizeof(*p)); \
	if (!IS_ERR(p))							\
		*valp = READ_ONCE(*p);					\
	rcu_read_unlock();						\
	return PTR_ERR_OR_ZERO(p);					\
}									\
EXPORT_SYMBOL_NS_GPL(dmashim_load##bits, DMASHIM)

#define DMASHIM_DEFINE_STORE(bits, type)				\
int dmashim_store##bits(struct dmashim_ctx *ctx, dmashim_handle_t handle,	\
			u64 offset, type val)				\
{									\
	type *p;							\
									\
	rcu_read_lock();						\
	p = dmashim_cpu_range(ctx, handle, offset, sizeof(*p), sizeof(*p)); \
	if (!IS_ERR(p))							\
		WRITE_ONCE(*p, val);					\
	rcu_read_unlock();						\
	return PTR_ERR_OR_ZERO(p);					\
}									\
EXPORT_SYMBOL_NS_GPL(dmashim_store##bits, DMASHIM)

DMASHIM_DEFINE_LOAD(8, u8);
DMASHIM_DEFINE_LOAD(16, u16);
DMASHIM_DEFINE_LOAD(32, u32);
DMASHIM_DEFINE_LOAD(64, u64);
DMASHIM_DEFINE_STORE(8, u8);
DMASHIM_DEFINE_STORE(16, u16);
DMASHIM_DEFINE_STORE(32, u32);
DMASHIM_DEFINE_STORE(64, u64);
