// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_handle_leak fixture (must report): handles allocated into local
 * variables and lost on a later error path, with gotos and with early
 * returns, for a buffer, a pool block and a pool.
 */
#include <linux/device.h>
#include <linux/module.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

struct demo {
	struct dmashim_ctx *ctx;
	dmashim_handle_t ring;
	dmashim_pool_t pool;
	u64 ring_dma;
};

int demo_hw_init(struct demo *d);

/* The second error path jumps past the free of the ring. */
static int demo_ring_init(struct demo *d)
{
	dmashim_handle_t ring;
	int ret;

	ret = dmashim_alloc(d->ctx, 4096, NULL, &ring);
	if (ret)
		goto err;
	ret = dmashim_dma_addr(d->ctx, ring, 0, 4096, &d->ring_dma);
	if (ret)
		goto err_free;
	ret = demo_hw_init(d);
	if (ret)
		goto err;
	d->ring = ring;
	return 0;

err_free:
	WARN_ON(dmashim_free(d->ctx, ring));
err:
	return ret;
}

/* An early return after a successful block allocation. */
static int demo_block(struct demo *d, u32 opcode)
{
	dmashim_handle_t blk;

	if (dmashim_pool_alloc(d->ctx, d->pool, DMASHIM_ALLOC_NOWAIT, &blk))
		return -ENOMEM;
	if (dmashim_store32(d->ctx, blk, 0, opcode))
		return -EIO;
	return demo_hw_init(d) ?: dmashim_free(d->ctx, blk);
}

/* A pool created into a local and lost when the second step fails. */
static int demo_pool_init(struct demo *d)
{
	dmashim_pool_t pool;
	int ret;

	ret = dmashim_pool_create(d->ctx, "demo", 64, NULL, &pool);
	if (ret < 0)
		return ret;
	ret = demo_hw_init(d);
	if (ret < 0)
		return ret;
	d->pool = pool;
	return 0;
}
