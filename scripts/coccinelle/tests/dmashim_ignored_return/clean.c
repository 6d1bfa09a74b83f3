// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_ignored_return fixture (must stay quiet): every result is used,
 * returned, tested, warned about or explicitly discarded, and the void
 * functions are called as statements.
 */
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/module.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

struct demo {
	struct dmashim_ctx *ctx;
	dmashim_handle_t buf;
	dmashim_pool_t pool;
};

static int demo_reset(struct demo *d)
{
	int ret;

	ret = dmashim_fill(d->ctx, d->buf, 0, 0, 4096);
	if (ret)
		return ret;
	if (dmashim_store32(d->ctx, d->buf, 0, 0x1))
		return -EIO;
	return dmashim_sync_for_device(d->ctx, d->buf, 0, 4096,
				       DMASHIM_DIR_TO_DEVICE);
}

static void demo_teardown(struct demo *d)
{
	WARN_ON(dmashim_free(d->ctx, d->buf));
	(void)dmashim_pool_destroy(d->ctx, d->pool);
	dmashim_ctx_get(d->ctx);
	dmashim_ctx_put(d->ctx);
	dmashim_ctx_destroy(d->ctx);
}

static int demo_setup(struct device *dev, struct demo *d)
{
	int ret = devm_dmashim_ctx_create(dev, &d->ctx);

	return ret ?: dmashim_alloc(d->ctx, 4096, NULL, &d->buf);
}
