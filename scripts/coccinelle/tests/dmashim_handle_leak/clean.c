// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_handle_leak fixture (must stay quiet): every path after a
 * successful allocation frees the handle, stores it, returns it or hands it
 * to another function.
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
int demo_queue(struct demo *d, dmashim_handle_t blk);

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
		goto err_free;
	d->ring = ring;
	return 0;

err_free:
	WARN_ON(dmashim_free(d->ctx, ring));
err:
	return ret;
}

static int demo_block(struct demo *d, u32 opcode)
{
	dmashim_handle_t blk;

	if (dmashim_pool_alloc(d->ctx, d->pool, DMASHIM_ALLOC_NOWAIT, &blk))
		return -ENOMEM;
	if (dmashim_store32(d->ctx, blk, 0, opcode)) {
		WARN_ON(dmashim_free(d->ctx, blk));
		return -EIO;
	}
	return demo_queue(d, blk);
}

static int demo_scratch(struct demo *d, dmashim_handle_t *out)
{
	dmashim_handle_t h;
	int ret;

	ret = dmashim_alloc(d->ctx, 64, NULL, &h);
	if (ret)
		return ret;
	*out = h;
	return 0;
}

static dmashim_pool_t demo_pool_init(struct demo *d)
{
	dmashim_pool_t pool;

	if (dmashim_pool_create(d->ctx, "demo", 64, NULL, &pool))
		return 0;
	if (demo_hw_init(d)) {
		WARN_ON(dmashim_pool_destroy(d->ctx, pool));
		return 0;
	}
	return pool;
}
