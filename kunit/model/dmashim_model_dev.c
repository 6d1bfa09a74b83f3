// SPDX-License-Identifier: GPL-2.0
/*
 * Test device for the model-based test of dmashim (dmashim_model.c).
 *
 * Design
 * ======
 * Every function of include/dmashim.h is one operation of one ioctl, as
 * thin as possible: arguments come from user space as raw integers (handles
 * and pools included, so the model can forge them), the result goes back
 * untouched.  The device interprets nothing; the model in user space
 * predicts every return value and counter.  What the device holds:
 *
 *   - context slots: the context pointers (plain or devm), each with one
 *     reference of the device's own (dmashim_ctx_get()), so that calls
 *     after revocation reach dmashim and get its -ENODEV;
 *   - map slots: which context and handle an mmap at a file offset maps;
 *   - scatter table slots: the struct sg_table a get_sgtable filled, read
 *     back page by page through kmap_local_page() (SGT_READ), so a table
 *     whose pages went back to the allocator shows under KASAN;
 *   - streaming map slots: kernel memory the model maps with
 *     dmashim_map_single() and dmashim_map_page() (a contiguous block) and
 *     dmashim_map_sgtable() (a table of separate pages), allocated at load
 *     and freed only at unload, after every context is gone: revocation
 *     unmaps, the memory stays the device's;
 *   - lanes: one bounce buffer and spinlock per user thread, allocated at
 *     load time, so the ioctl path allocates nothing of its own and the
 *     nth allocation fail_nth counts is dmashim's (or the DMA API's).
 *
 * PRELOAD fills this CPU's radix tree node reserve, before an injected
 * call (the model pins its threads to CPUs): 6.1's DMA-API debug tracks
 * cachelines in a GFP_ATOMIC radix tree and, when a node allocation fails
 * with no reserve to fall back on, disables itself with a "DMA-API:"
 * message.  That is the debug code's reaction to the injection, not
 * dmashim's; with the reserve full the injected failure is absorbed.
 *
 * DMASHIM_MODEL_F_ATOMIC makes the call under the lane's spinlock with
 * IRQs off.  DMASHIM_MODEL_F_LOCKED holds the driver lock around the call:
 * the mutex this device's ->mmap takes (under the mmap lock), as drivers
 * do; remove() holds it too while it destroys the plain contexts, since a
 * driver must destroy them before remove() returns.  User memory is never
 * touched with the driver lock held (a fault would take the mmap lock).
 *
 * The device registers its own platform driver and device, so the model
 * can unbind and rebind it through sysfs: unbinding revokes the devm
 * contexts and remove() destroys the plain ones.  Contexts are created
 * under the device lock, so never while an unbind is running.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/radix-tree.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include <dmashim.h>

#include "dmashim_model_dev.h"

MODULE_IMPORT_NS(DMASHIM);

/*
 * remove() destroys the plain contexts under the driver lock, as drivers
 * do; the model clears this to look past the deadlock it may cause.
 */
static bool remove_locked = true;
module_param(remove_locked, bool, 0644);
MODULE_PARM_DESC(remove_locked, "remove() holds the driver lock (default: yes)");

#define MAP_STRIDE_PAGES	(DMASHIM_MODEL_MAP_STRIDE >> PAGE_SHIFT)
/* QUIESCE polls the counters this often, for up to 30 s. */
#define QUIESCE_POLL_MS		5
#define QUIESCE_SECONDS		30

struct model_ctx_slot {
	struct dmashim_ctx *ctx;	/* one reference held by the slot */
	bool devm;
	bool destroyed;			/* plain: dmashim_ctx_destroy() done */
	unsigned int extra_refs;	/* taken with CTX_GET */
};

struct model_map_slot {
	u32 ctx;
	u64 handle;
};

struct model_sgt_slot {
	struct mutex lock;		/* protects the fields below */
	struct sg_table sgt;
	bool out;			/* filled by get_sgtable, not yet put */
	u32 ctx;			/* the slot and handle it was got with */
	u64 handle;
};

struct model_stream_slot {
	struct page *blk;		/* order STREAM_ORDER, contiguous */
	struct page *pages[DMASHIM_MODEL_STREAM_ENTRIES];
	struct sg_table sgt;		/* one entry per page of pages[] */
	struct sg_table empty;		/* no entries */
};

#define STREAM_ORDER	get_order(DMASHIM_MODEL_STREAM_BYTES)

struct model_lane {
	spinlock_t lock;		/* DMASHIM_MODEL_F_ATOMIC */
	u8 *buf;			/* DMASHIM_MODEL_LANE_BYTES */
};

static struct {
	spinlock_t slots_lock;		/* protects ctx[] and map[] */
	struct model_ctx_slot ctx[DMASHIM_MODEL_CTX_SLOTS];
	struct model_map_slot map[DMASHIM_MODEL_MAP_SLOTS];
	struct model_sgt_slot sgt[DMASHIM_MODEL_SGT_SLOTS];
	struct model_lane lane[DMASHIM_MODEL_LANES];
	struct model_stream_slot stream[DMASHIM_MODEL_STREAM_SLOTS];
	struct mutex drv_lock;		/* the driver lock, see above */
	struct platform_device *pdev;
} md = {
	.slots_lock = __SPIN_LOCK_UNLOCKED(md.slots_lock),
	.drv_lock = __MUTEX_INITIALIZER(md.drv_lock),
};

/* The context in slot @i with a reference for the caller, or NULL. */
static struct dmashim_ctx *slot_ctx_get(u32 i)
{
	struct dmashim_ctx *ctx;

	spin_lock(&md.slots_lock);
	ctx = md.ctx[i].ctx;
	if (ctx)
		dmashim_ctx_get(ctx);
	spin_unlock(&md.slots_lock);
	return ctx;
}

/* Claim the destroy of a plain context: non-NULL for one caller only. */
static struct dmashim_ctx *slot_claim_destroy(struct model_ctx_slot *s)
{
	struct dmashim_ctx *ctx = NULL;

	spin_lock(&md.slots_lock);
	if (s->ctx && !s->devm && !s->destroyed) {
		s->destroyed = true;
		ctx = s->ctx;
	}
	spin_unlock(&md.slots_lock);
	return ctx;
}

static int load_n(struct dmashim_ctx *ctx, const struct dmashim_model_call *c,
		  u64 *out, bool null)
{
	dmashim_handle_t h = (__force dmashim_handle_t)c->handle;
	u8 v8 = *out;
	u16 v16 = *out;
	u32 v32 = *out;
	u64 v64 = *out;
	int ret;

	switch (c->width) {
	case 8:
		ret = dmashim_load8(ctx, h, c->offset, null ? NULL : &v8);
		*out = v8;
		break;
	case 16:
		ret = dmashim_load16(ctx, h, c->offset, null ? NULL : &v16);
		*out = v16;
		break;
	case 32:
		ret = dmashim_load32(ctx, h, c->offset, null ? NULL : &v32);
		*out = v32;
		break;
	default:
		ret = dmashim_load64(ctx, h, c->offset, null ? NULL : &v64);
		*out = v64;
		break;
	}
	return ret;
}

static int store_n(struct dmashim_ctx *ctx, const struct dmashim_model_call *c)
{
	dmashim_handle_t h = (__force dmashim_handle_t)c->handle;

	switch (c->width) {
	case 8:
		return dmashim_store8(ctx, h, c->offset, c->value);
	case 16:
		return dmashim_store16(ctx, h, c->offset, c->value);
	case 32:
		return dmashim_store32(ctx, h, c->offset, c->value);
	}
	return dmashim_store64(ctx, h, c->offset, c->value);
}

static int access_range(struct dmashim_ctx *ctx,
			const struct dmashim_model_call *c, u8 *buf, bool null)
{
	void *p = NULL;
	size_t n = min_t(u64, c->len, DMASHIM_MODEL_LANE_BYTES);
	int ret;

	ret = dmashim_access_begin(ctx, (__force dmashim_handle_t)c->handle,
				   c->offset, c->len, c->arg, null ? NULL : &p);
	if (!ret) {
		if (c->flags & DMASHIM_MODEL_F_WRITE)
			memcpy(p, buf, n);
		else
			memcpy(buf, p, n);
	}
	dmashim_access_end(ctx);
	return ret;
}

/*
 * Bytes [@off, @off + @len) of a table's pages into @buf, one page at a
 * time through kmap_local_page().  Returns the table's total length.
 */
static int sgt_read(struct sg_table *sgt, u64 off, u64 len, u8 *buf,
		    u64 *total)
{
	struct scatterlist *sg;
	u64 pos = 0, end = off + len, sum = 0;
	unsigned int i;

	for_each_sgtable_sg(sgt, sg, i)
		sum += sg->length;
	*total = sum;
	if (len > DMASHIM_MODEL_LANE_BYTES || off > sum || len > sum - off)
		return -ERANGE;
	for_each_sgtable_sg(sgt, sg, i) {
		u64 seg_end = pos + sg->length;

		while (off < end && off < seg_end) {
			u64 in_seg = sg->offset + (off - pos);
			struct page *page = nth_page(sg_page(sg),
						     in_seg >> PAGE_SHIFT);
			size_t in_page = in_seg & ~PAGE_MASK;
			size_t n = min_t(u64, PAGE_SIZE - in_page, end - off);
			u8 *va = kmap_local_page(page);

			memcpy(buf + (off - (end - len)), va + in_page, n);
			kunmap_local(va);
			off += n;
		}
		pos = seg_end;
	}
	return 0;
}

/* dmashim_map_single(), _page() or _sgtable() of stream slot c->slot. */
static int map_call(struct dmashim_model_call *c, struct dmashim_ctx *ctx,
		    void *opts)
{
	struct model_stream_slot *s = &md.stream[c->slot];
	bool null_mem = c->flags & DMASHIM_MODEL_F_NULL_MEM;
	dmashim_handle_t h = (__force dmashim_handle_t)c->out;
	dmashim_handle_t *hp = c->flags & DMASHIM_MODEL_F_NULL_PTR ? NULL : &h;
	struct sg_table *sgt = c->len ? &s->sgt : &s->empty;
	int ret;

	switch (c->width) {
	case DMASHIM_KIND_MAP_SINGLE:
		ret = dmashim_map_single(ctx, null_mem ? NULL :
					 page_address(s->blk) + c->offset,
					 c->len, c->arg, opts, hp);
		break;
	case DMASHIM_KIND_MAP_PAGE:
		ret = dmashim_map_page(ctx, null_mem ? NULL : s->blk, c->offset,
				       c->len, c->arg, opts, hp);
		break;
	default:
		ret = dmashim_map_sgtable(ctx, null_mem ? NULL : sgt, c->arg,
					  opts, hp);
		break;
	}
	c->out = (__force u64)h;
	return ret;
}

static int dma_segment_call(struct dmashim_model_call *c,
			    struct dmashim_ctx *ctx)
{
	u64 addr = c->out, len = c->len;
	int ret;

	ret = dmashim_dma_segment(ctx, (__force dmashim_handle_t)c->handle,
				  c->arg,
				  c->flags & DMASHIM_MODEL_F_NULL_PTR ? NULL : &addr,
				  c->flags & DMASHIM_MODEL_F_NULL_MEM ? NULL : &len);
	c->out = addr;
	c->len = len;
	return ret;
}

/*
 * The dmashim call of @c, with @ctx (may be NULL), the lane's buffer @buf
 * holding the user's bytes.  Returns dmashim's result; sets c->out.
 */
static int model_call(struct dmashim_model_call *c, struct dmashim_ctx *ctx,
		      u8 *buf)
{
	bool null = c->flags & DMASHIM_MODEL_F_NULL_PTR;
	void *opts = c->flags & DMASHIM_MODEL_F_NULL_OPTS ? NULL : buf;
	dmashim_handle_t h = (__force dmashim_handle_t)c->out;
	dmashim_pool_t p = (__force dmashim_pool_t)c->out;
	dmashim_handle_t handle = (__force dmashim_handle_t)c->handle;
	dmashim_pool_t pool = (__force dmashim_pool_t)c->handle;
	const char *name;
	u64 v = c->out;
	int ret;

	switch (c->op) {
	case DMASHIM_MODEL_OP_STATS:
		return dmashim_ctx_stats(ctx, null ? NULL : (void *)buf);
	case DMASHIM_MODEL_OP_ALLOC:
		ret = dmashim_alloc(ctx, c->len, opts, null ? NULL : &h);
		c->out = (__force u64)h;
		return ret;
	case DMASHIM_MODEL_OP_ALLOC_NONCOHERENT:
		ret = dmashim_alloc_noncoherent(ctx, c->len, c->arg, opts,
						null ? NULL : &h);
		c->out = (__force u64)h;
		return ret;
	case DMASHIM_MODEL_OP_FREE:
		return dmashim_free(ctx, handle);
	case DMASHIM_MODEL_OP_INFO:
		return dmashim_info(ctx, handle, null ? NULL : (void *)buf);
	case DMASHIM_MODEL_OP_POOL_CREATE:
		c->name[sizeof(c->name) - 1] = '\0';
		name = c->flags & DMASHIM_MODEL_F_NULL_NAME ? NULL : c->name;
		ret = dmashim_pool_create(ctx, name, c->len, opts,
					  null ? NULL : &p);
		c->out = (__force u64)p;
		return ret;
	case DMASHIM_MODEL_OP_POOL_ALLOC:
		ret = dmashim_pool_alloc(ctx, pool, c->arg, null ? NULL : &h);
		c->out = (__force u64)h;
		return ret;
	case DMASHIM_MODEL_OP_POOL_DESTROY:
		return dmashim_pool_destroy(ctx, pool);
	case DMASHIM_MODEL_OP_DMA_ADDR:
		ret = dmashim_dma_addr(ctx, handle, c->offset, c->len,
				       null ? NULL : &v);
		c->out = v;
		return ret;
	case DMASHIM_MODEL_OP_READ:
		return dmashim_read(ctx, handle, c->offset, null ? NULL : buf,
				    c->len);
	case DMASHIM_MODEL_OP_WRITE:
		return dmashim_write(ctx, handle, c->offset, null ? NULL : buf,
				     c->len);
	case DMASHIM_MODEL_OP_FILL:
		return dmashim_fill(ctx, handle, c->offset, c->value, c->len);
	case DMASHIM_MODEL_OP_COPY:
		return dmashim_copy(ctx, handle, c->offset,
				    (__force dmashim_handle_t)c->handle2,
				    c->offset2, c->len);
	case DMASHIM_MODEL_OP_LOAD:
		ret = load_n(ctx, c, &v, null);
		c->out = v;
		return ret;
	case DMASHIM_MODEL_OP_STORE:
		return store_n(ctx, c);
	case DMASHIM_MODEL_OP_ACCESS:
		return access_range(ctx, c, buf, null);
	case DMASHIM_MODEL_OP_SYNC_FOR_CPU:
		return dmashim_sync_for_cpu(ctx, handle, c->offset, c->len,
					    c->arg);
	case DMASHIM_MODEL_OP_SYNC_FOR_DEVICE:
		return dmashim_sync_for_device(ctx, handle, c->offset, c->len,
					       c->arg);
	case DMASHIM_MODEL_OP_SET_LIMITS:
		return dmashim_ctx_set_limits(ctx, null ? NULL : (void *)buf);
	case DMASHIM_MODEL_OP_MAP:
		return map_call(c, ctx, opts);
	case DMASHIM_MODEL_OP_UNMAP:
		return dmashim_unmap(ctx, handle);
	case DMASHIM_MODEL_OP_DMA_SEGMENT:
		return dma_segment_call(c, ctx);
	}
	return -EOPNOTSUPP;
}

/* Run model_call() as asked: atomic, under the driver lock, or plain. */
static int model_call_as_asked(struct dmashim_model_call *c,
			       struct dmashim_ctx *ctx, struct model_lane *lane)
{
	unsigned long irqflags;
	int ret;

	if (c->flags & DMASHIM_MODEL_F_LOCKED)
		mutex_lock(&md.drv_lock);
	if (c->flags & DMASHIM_MODEL_F_ATOMIC) {
		spin_lock_irqsave(&lane->lock, irqflags);
		ret = model_call(c, ctx, lane->buf);
		spin_unlock_irqrestore(&lane->lock, irqflags);
	} else {
		ret = model_call(c, ctx, lane->buf);
	}
	if (c->flags & DMASHIM_MODEL_F_LOCKED)
		mutex_unlock(&md.drv_lock);
	return ret;
}

/* get_sgtable or put_sgtable of @c into or from slot @s. */
static int sgt_call(struct dmashim_model_call *c, struct dmashim_ctx *ctx,
		    struct model_sgt_slot *s)
{
	struct sg_table *sgt = c->flags & DMASHIM_MODEL_F_NULL_PTR ? NULL :
			       &s->sgt;
	dmashim_handle_t handle = (__force dmashim_handle_t)c->handle;

	if (c->op == DMASHIM_MODEL_OP_GET_SGTABLE)
		return dmashim_get_sgtable(ctx, handle, sgt);
	return dmashim_put_sgtable(ctx, handle, sgt);
}

static int sgt_op(struct dmashim_model_call *c, struct dmashim_ctx *ctx,
		  struct model_lane *lane)
{
	struct model_sgt_slot *s = &md.sgt[c->slot];
	bool null = c->flags & DMASHIM_MODEL_F_NULL_PTR;
	unsigned long irqflags;
	int ret = 0;

	mutex_lock(&s->lock);
	if (c->op == DMASHIM_MODEL_OP_SGT_READ) {
		if (s->out)
			c->ret = sgt_read(&s->sgt, c->offset, c->len, lane->buf,
					  &c->out);
		else
			ret = -ENOENT;
		goto out;
	}
	if (c->op == DMASHIM_MODEL_OP_GET_SGTABLE && s->out) {
		ret = -EBUSY;
		goto out;
	}
	if (c->op == DMASHIM_MODEL_OP_GET_SGTABLE)
		memset(&s->sgt, 0, sizeof(s->sgt));
	if (c->flags & DMASHIM_MODEL_F_LOCKED)
		mutex_lock(&md.drv_lock);
	if (c->flags & DMASHIM_MODEL_F_ATOMIC) {
		spin_lock_irqsave(&lane->lock, irqflags);
		c->ret = sgt_call(c, ctx, s);
		spin_unlock_irqrestore(&lane->lock, irqflags);
	} else {
		c->ret = sgt_call(c, ctx, s);
	}
	if (c->flags & DMASHIM_MODEL_F_LOCKED)
		mutex_unlock(&md.drv_lock);
	if (c->op == DMASHIM_MODEL_OP_GET_SGTABLE && !c->ret) {
		s->out = true;
		s->ctx = c->ctx;
		s->handle = c->handle;
	}
	/* put frees the table when it returns 0 or -ENODEV, else leaves it. */
	if (c->op == DMASHIM_MODEL_OP_PUT_SGTABLE && !null &&
	    (!c->ret || c->ret == -ENODEV)) {
		s->out = false;
		memset(&s->sgt, 0, sizeof(s->sgt));
	}
out:
	mutex_unlock(&s->lock);
	return ret;
}

/* dmashim_ctx_create() or devm_dmashim_ctx_create(), as @c asks. */
static int ctx_create_call(struct dmashim_model_call *c,
			   struct dmashim_ctx **ctx, void *buf)
{
	const struct dmashim_limits *limits =
		c->flags & DMASHIM_MODEL_F_NULL_OPTS ? NULL : buf;
	struct device *dev = c->flags & DMASHIM_MODEL_F_NULL_CTX ? NULL :
			     &md.pdev->dev;
	struct dmashim_ctx **ctxp = c->flags & DMASHIM_MODEL_F_NULL_PTR ? NULL :
				    ctx;

	if (c->flags & DMASHIM_MODEL_F_OPTS) {
		if (c->flags & DMASHIM_MODEL_F_DEVM)
			return devm_dmashim_ctx_create_opts(dev, limits, ctxp);
		return dmashim_ctx_create_opts(dev, limits, ctxp);
	}
	if (c->flags & DMASHIM_MODEL_F_DEVM)
		return devm_dmashim_ctx_create(dev, ctxp);
	return dmashim_ctx_create(dev, ctxp);
}

static int ctx_create(struct dmashim_model_call *c, struct model_lane *lane)
{
	struct model_ctx_slot *s = &md.ctx[c->ctx];
	struct device *dev = &md.pdev->dev;
	struct dmashim_ctx *ctx = NULL;
	unsigned long irqflags;
	int ret = 0;

	/* Never while an unbind runs: devm actions must not outlive it. */
	device_lock(dev);
	if (!dev->driver) {
		ret = -ENXIO;
		goto out;
	}
	spin_lock(&md.slots_lock);
	if (s->ctx)
		ret = -EBUSY;
	spin_unlock(&md.slots_lock);
	if (ret)
		goto out;
	if (c->flags & DMASHIM_MODEL_F_ATOMIC) {
		spin_lock_irqsave(&lane->lock, irqflags);
		c->ret = ctx_create_call(c, &ctx, lane->buf);
		spin_unlock_irqrestore(&lane->lock, irqflags);
	} else {
		c->ret = ctx_create_call(c, &ctx, lane->buf);
	}
	if (c->ret || !ctx)
		goto out;
	/* The slot's own reference: calls after revocation get -ENODEV. */
	dmashim_ctx_get(ctx);
	spin_lock(&md.slots_lock);
	s->ctx = ctx;
	s->devm = c->flags & DMASHIM_MODEL_F_DEVM;
	s->destroyed = false;
	s->extra_refs = 0;
	spin_unlock(&md.slots_lock);
out:
	device_unlock(dev);
	return ret;
}

static void ctx_destroy_slot(struct model_ctx_slot *s, bool locked)
{
	struct dmashim_ctx *ctx = slot_claim_destroy(s);

	if (!ctx)
		return;
	if (locked)
		mutex_lock(&md.drv_lock);
	dmashim_ctx_destroy(ctx);
	if (locked)
		mutex_unlock(&md.drv_lock);
}

/* Empty slot @i: destroy a plain context, drop every reference held. */
static void ctx_forget(u32 i)
{
	struct model_ctx_slot *s = &md.ctx[i];
	struct dmashim_ctx *ctx;
	unsigned int refs;

	ctx_destroy_slot(s, false);
	spin_lock(&md.slots_lock);
	ctx = s->ctx;
	refs = s->extra_refs;
	s->ctx = NULL;
	s->extra_refs = 0;
	spin_unlock(&md.slots_lock);
	if (!ctx)
		return;
	while (refs--)
		dmashim_ctx_put(ctx);
	dmashim_ctx_put(ctx);
}

static int ctx_op(struct dmashim_model_call *c)
{
	struct model_ctx_slot *s = &md.ctx[c->ctx];
	bool null_ctx = c->flags & DMASHIM_MODEL_F_NULL_CTX;
	struct dmashim_ctx *ctx;
	int ret = 0;

	switch (c->op) {
	case DMASHIM_MODEL_OP_CTX_DESTROY:
		if (null_ctx) {
			dmashim_ctx_destroy(NULL);
			return 0;
		}
		spin_lock(&md.slots_lock);
		if (!s->ctx || s->devm)
			ret = -EINVAL;
		spin_unlock(&md.slots_lock);
		if (!ret)
			ctx_destroy_slot(s, c->flags & DMASHIM_MODEL_F_LOCKED);
		return ret;
	case DMASHIM_MODEL_OP_CTX_GET:
		spin_lock(&md.slots_lock);
		if (s->ctx) {
			dmashim_ctx_get(s->ctx);
			s->extra_refs++;
		} else {
			ret = -ENOENT;
		}
		spin_unlock(&md.slots_lock);
		return ret;
	case DMASHIM_MODEL_OP_CTX_PUT:
		if (null_ctx) {
			dmashim_ctx_put(NULL);
			return 0;
		}
		spin_lock(&md.slots_lock);
		ctx = s->ctx;
		if (ctx && s->extra_refs)
			s->extra_refs--;
		else
			ret = -ENOENT;
		spin_unlock(&md.slots_lock);
		if (!ret)
			dmashim_ctx_put(ctx);
		return ret;
	}
	ctx_forget(c->ctx);
	return 0;
}

/*
 * Wait until @ctx's pending_release is at most c->value (bounded); the
 * milliseconds waited go back in c->width.  Out of time: -ETIMEDOUT, or
 * -ENODEV if the context was revoked meanwhile (an unbind may revoke it
 * while a worker waits, and then keep buffers for their tables).
 */
static int quiesce(struct dmashim_model_call *c, struct dmashim_ctx *ctx)
{
	unsigned long start = jiffies;
	struct dmashim_stats st = { .sz = sizeof(st) };

	for (;;) {
		rcu_barrier();
		c->ret = dmashim_ctx_stats(ctx, &st);
		c->out = st.pending_release;
		c->width = jiffies_to_msecs(jiffies - start);
		if (c->ret || st.pending_release <= c->value)
			return 0;
		if (time_after(jiffies, start + QUIESCE_SECONDS * HZ))
			break;
		msleep(QUIESCE_POLL_MS);
	}
	/* Refused without a count by a revoked context only. */
	c->ret = dmashim_free(ctx, 0) == -ENODEV ? -ENODEV : -ETIMEDOUT;
	return 0;
}

static int fault_probe(struct dmashim_model_call *c)
{
	struct page *page;
	void *p;

	if (c->arg == DMASHIM_MODEL_PROBE_PAGE) {
		page = alloc_page(GFP_KERNEL);
		c->ret = page ? 0 : -ENOMEM;
		if (page)
			__free_page(page);
	} else {
		p = kmalloc(64, GFP_KERNEL);
		c->ret = p ? 0 : -ENOMEM;
		kfree(p);
	}
	return 0;
}

static bool op_needs_ctx(u32 op)
{
	return op != DMASHIM_MODEL_OP_ABI_VERSION &&
	       op != DMASHIM_MODEL_OP_SET_MAP &&
	       op != DMASHIM_MODEL_OP_SGT_READ &&
	       op != DMASHIM_MODEL_OP_FAULT_PROBE &&
	       op != DMASHIM_MODEL_OP_PRELOAD &&
	       op != DMASHIM_MODEL_OP_CTX_CREATE;
}

/*
 * A MAP the device refuses itself: another slot, or a range that is not
 * within the slot's memory (dmashim would map, and sync, memory that is
 * not the device's).
 */
static bool map_out_of_slot(const struct dmashim_model_call *c)
{
	if (c->op != DMASHIM_MODEL_OP_MAP)
		return false;
	if (c->slot >= DMASHIM_MODEL_STREAM_SLOTS)
		return true;
	if (c->width != DMASHIM_KIND_MAP_SINGLE &&
	    c->width != DMASHIM_KIND_MAP_PAGE)
		return false;
	return c->offset > DMASHIM_MODEL_STREAM_BYTES ||
	       c->len > DMASHIM_MODEL_STREAM_BYTES - c->offset;
}

static bool op_is_sgt(u32 op)
{
	return op == DMASHIM_MODEL_OP_GET_SGTABLE ||
	       op == DMASHIM_MODEL_OP_PUT_SGTABLE ||
	       op == DMASHIM_MODEL_OP_SGT_READ;
}

static long dispatch(struct dmashim_model_call *c, struct model_lane *lane)
{
	struct dmashim_ctx *ctx = NULL;
	long ret = 0;

	switch (c->op) {
	case DMASHIM_MODEL_OP_ABI_VERSION:
		c->out = dmashim_abi_version();
		return 0;
	case DMASHIM_MODEL_OP_FAULT_PROBE:
		return fault_probe(c);
	case DMASHIM_MODEL_OP_PRELOAD:
		c->ret = radix_tree_preload(GFP_KERNEL);
		if (!c->ret)
			radix_tree_preload_end();
		return 0;
	case DMASHIM_MODEL_OP_CTX_CREATE:
		return ctx_create(c, lane);
	case DMASHIM_MODEL_OP_CTX_DESTROY:
	case DMASHIM_MODEL_OP_CTX_GET:
	case DMASHIM_MODEL_OP_CTX_PUT:
	case DMASHIM_MODEL_OP_CTX_FORGET:
		return ctx_op(c);
	case DMASHIM_MODEL_OP_SET_MAP:
		if (c->handle2 >= DMASHIM_MODEL_CTX_SLOTS)
			return -EINVAL;
		spin_lock(&md.slots_lock);
		md.map[c->slot].ctx = c->handle2;
		md.map[c->slot].handle = c->handle;
		spin_unlock(&md.slots_lock);
		return 0;
	}

	if (map_out_of_slot(c))
		return -ERANGE;
	if (op_needs_ctx(c->op) && !(c->flags & DMASHIM_MODEL_F_NULL_CTX)) {
		ctx = slot_ctx_get(c->ctx);
		if (!ctx)
			return -ENOENT;
	}
	if (c->op == DMASHIM_MODEL_OP_QUIESCE)
		ret = quiesce(c, ctx);
	else if (op_is_sgt(c->op))
		ret = sgt_op(c, ctx, lane);
	else
		c->ret = model_call_as_asked(c, ctx, lane);
	dmashim_ctx_put(ctx);
	return ret;
}

static long model_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dmashim_model_call c;
	void __user *ubuf;
	struct model_lane *lane;
	long ret;

	if (cmd != DMASHIM_MODEL_CALL)
		return -ENOTTY;
	if (copy_from_user(&c, (void __user *)arg, sizeof(c)))
		return -EFAULT;
	if (c.op >= DMASHIM_MODEL_OP_NR || c.ctx >= DMASHIM_MODEL_CTX_SLOTS ||
	    c.lane >= DMASHIM_MODEL_LANES ||
	    c.slot >= min(DMASHIM_MODEL_MAP_SLOTS, DMASHIM_MODEL_SGT_SLOTS) ||
	    c.ubuf_len > DMASHIM_MODEL_LANE_BYTES)
		return -EINVAL;
	lane = &md.lane[c.lane];
	ubuf = u64_to_user_ptr(c.ubuf);
	if (c.ubuf_len && copy_from_user(lane->buf, ubuf, c.ubuf_len))
		return -EFAULT;
	ret = dispatch(&c, lane);
	if (ret)
		return ret;
	if (c.ubuf_len && copy_to_user(ubuf, lane->buf, c.ubuf_len))
		return -EFAULT;
	if (copy_to_user((void __user *)arg, &c, sizeof(c)))
		return -EFAULT;
	return 0;
}

/* Map slot pgoff / MAP_STRIDE_PAGES; the offset within it is free. */
static int model_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long slot = vma->vm_pgoff / MAP_STRIDE_PAGES;
	struct dmashim_ctx *ctx;
	dmashim_handle_t handle;
	int ret;

	if (slot >= DMASHIM_MODEL_MAP_SLOTS)
		return -EINVAL;
	spin_lock(&md.slots_lock);
	handle = (__force dmashim_handle_t)md.map[slot].handle;
	ctx = md.ctx[md.map[slot].ctx].ctx;
	if (ctx)
		dmashim_ctx_get(ctx);
	spin_unlock(&md.slots_lock);
	if (!ctx)
		return -ENOENT;
	mutex_lock(&md.drv_lock);
	ret = dmashim_mmap(ctx, handle, vma);
	mutex_unlock(&md.drv_lock);
	/* Never the last reference: the slot holds one. */
	dmashim_ctx_put(ctx);
	return ret;
}

static const struct file_operations model_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = model_ioctl,
	.mmap = model_mmap,
};

static struct miscdevice model_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DMASHIM_MODEL_DEV_NAME,
	.fops = &model_fops,
};

static int model_probe(struct platform_device *pdev)
{
	return dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
}

/* A driver destroys its plain contexts before remove() returns. */
static int model_remove(struct platform_device *pdev)
{
	struct dmashim_ctx *ctx;
	unsigned int i;

	bool locked = READ_ONCE(remove_locked);

	if (locked)
		mutex_lock(&md.drv_lock);
	for (i = 0; i < DMASHIM_MODEL_CTX_SLOTS; i++) {
		ctx = slot_claim_destroy(&md.ctx[i]);
		if (ctx)
			dmashim_ctx_destroy(ctx);
	}
	if (locked)
		mutex_unlock(&md.drv_lock);
	return 0;
}

static struct platform_driver model_driver = {
	.probe = model_probe,
	.remove = model_remove,
	.driver = { .name = DMASHIM_MODEL_DEV_NAME },
};

static void model_free_lanes(void)
{
	unsigned int i;

	for (i = 0; i < DMASHIM_MODEL_LANES; i++)
		kfree(md.lane[i].buf);
}

static void model_free_streams(void)
{
	unsigned int i, j;

	for (i = 0; i < DMASHIM_MODEL_STREAM_SLOTS; i++) {
		struct model_stream_slot *s = &md.stream[i];

		sg_free_table(&s->sgt);
		for (j = 0; j < DMASHIM_MODEL_STREAM_ENTRIES; j++)
			if (s->pages[j])
				__free_page(s->pages[j]);
		if (s->blk)
			__free_pages(s->blk, STREAM_ORDER);
		memset(s, 0, sizeof(*s));
	}
}

/* Memory for the streaming map slots, zeroed (never under injection). */
static int model_alloc_streams(void)
{
	unsigned int i, j;

	for (i = 0; i < DMASHIM_MODEL_STREAM_SLOTS; i++) {
		struct model_stream_slot *s = &md.stream[i];

		s->blk = alloc_pages(GFP_KERNEL | __GFP_ZERO, STREAM_ORDER);
		if (!s->blk)
			goto fail;
		for (j = 0; j < DMASHIM_MODEL_STREAM_ENTRIES; j++) {
			s->pages[j] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!s->pages[j])
				goto fail;
		}
		if (sg_alloc_table_from_pages_segment(&s->sgt, s->pages,
						      DMASHIM_MODEL_STREAM_ENTRIES,
						      0, DMASHIM_MODEL_STREAM_ENTRIES *
						      PAGE_SIZE, PAGE_SIZE,
						      GFP_KERNEL))
			goto fail;
	}
	return 0;
fail:
	model_free_streams();
	return -ENOMEM;
}

static int __init model_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < DMASHIM_MODEL_LANES; i++) {
		spin_lock_init(&md.lane[i].lock);
		md.lane[i].buf = kmalloc(DMASHIM_MODEL_LANE_BYTES, GFP_KERNEL);
		if (!md.lane[i].buf) {
			model_free_lanes();
			return -ENOMEM;
		}
	}
	for (i = 0; i < DMASHIM_MODEL_SGT_SLOTS; i++)
		mutex_init(&md.sgt[i].lock);
	ret = model_alloc_streams();
	if (ret)
		goto free_lanes;
	ret = platform_driver_register(&model_driver);
	if (ret)
		goto free_streams;
	md.pdev = platform_device_register_simple(DMASHIM_MODEL_DEV_NAME,
						  PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(md.pdev)) {
		ret = PTR_ERR(md.pdev);
		goto unregister_driver;
	}
	ret = misc_register(&model_misc);
	if (ret)
		goto unregister_device;
	return 0;

unregister_device:
	platform_device_unregister(md.pdev);
unregister_driver:
	platform_driver_unregister(&model_driver);
free_streams:
	model_free_streams();
free_lanes:
	model_free_lanes();
	return ret;
}

static void __exit model_exit(void)
{
	unsigned int i;
	int ret;

	misc_deregister(&model_misc);
	/* Unbinds: plain contexts destroyed, devm ones revoked. */
	platform_device_unregister(md.pdev);
	for (i = 0; i < DMASHIM_MODEL_SGT_SLOTS; i++) {
		struct model_sgt_slot *s = &md.sgt[i];
		struct dmashim_ctx *ctx;

		if (!s->out)
			continue;
		/* The model left a table out: give it back (-ENODEV). */
		ctx = slot_ctx_get(s->ctx);
		ret = ctx ? dmashim_put_sgtable(ctx, (__force dmashim_handle_t)
						s->handle, &s->sgt) : -EINVAL;
		/* Freed by dmashim on 0 and -ENODEV only, else still ours. */
		if (ret && ret != -ENODEV)
			sg_free_table(&s->sgt);
		dmashim_ctx_put(ctx);
		s->out = false;
	}
	for (i = 0; i < DMASHIM_MODEL_CTX_SLOTS; i++)
		ctx_forget(i);
	platform_driver_unregister(&model_driver);
	/* No context is left: no mapping of this memory either. */
	model_free_streams();
	model_free_lanes();
}

module_init(model_init);
module_exit(model_exit);

MODULE_DESCRIPTION("Test device for the model-based test of dmashim");
MODULE_LICENSE("GPL");
