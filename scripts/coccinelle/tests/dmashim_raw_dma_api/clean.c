// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_raw_dma_api fixture (must stay quiet): dmashim memory handled
 * through dmashim, next to a driver's own streaming mapping that is
 * rightly synced and unmapped with the DMA API.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

struct demo {
	struct device *dev;
	struct dmashim_ctx *ctx;
	dmashim_handle_t buf;
	void *skb_data;
};

static int demo_release(struct demo *d)
{
	return dmashim_free(d->ctx, d->buf);
}

static int demo_complete(struct demo *d, size_t off, size_t len)
{
	dma_addr_t map;
	u64 dma;
	int ret;

	ret = dmashim_dma_addr(d->ctx, d->buf, off, len, &dma);
	if (ret)
		return ret;
	ret = dmashim_sync_for_cpu(d->ctx, d->buf, off, len,
				   DMASHIM_DIR_FROM_DEVICE);
	if (ret)
		return ret;
	map = dma_map_single(d->dev, d->skb_data, len, DMA_TO_DEVICE);
	if (dma_mapping_error(d->dev, map))
		return -ENOMEM;
	dma_sync_single_for_device(d->dev, map, len, DMA_TO_DEVICE);
	dma_unmap_single(d->dev, map, len, DMA_TO_DEVICE);
	return 0;
}
