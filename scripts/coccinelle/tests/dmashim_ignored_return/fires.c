// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_ignored_return fixture (must report): results of int-returning
 * dmashim calls dropped on the floor, including the pool and sync calls.
 */
#include <linux/device.h>
#include <linux/module.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

struct demo {
	struct dmashim_ctx *ctx;
	dmashim_handle_t buf;
	dmashim_pool_t pool;
};

static void demo_reset(struct demo *d)
{
	dmashim_fill(d->ctx, d->buf, 0, 0, 4096);
	dmashim_store32(d->ctx, d->buf, 0, 0x1);
	dmashim_sync_for_device(d->ctx, d->buf, 0, 4096, DMASHIM_DIR_TO_DEVICE);
}

static void demo_teardown(struct demo *d)
{
	dmashim_free(d->ctx, d->buf);
	dmashim_pool_destroy(d->ctx, d->pool);
	dmashim_ctx_destroy(d->ctx);
}

static int demo_setup(struct device *dev, struct demo *d)
{
	devm_dmashim_ctx_create(dev, &d->ctx);
	return dmashim_alloc(d->ctx, 4096, NULL, &d->buf);
}
