// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_raw_dma_api fixture (must report): memory owned by dmashim
 * freed, synced and unmapped with the raw DMA API.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

struct demo {
	struct device *dev;
	struct dmashim_ctx *ctx;
	dmashim_handle_t buf;
};

static void demo_release(struct demo *d)
{
	struct dmashim_info info = { .sz = sizeof(info) };

	if (dmashim_info(d->ctx, d->buf, &info))
		return;
	dma_free_coherent(d->dev, info.len, info.cpu_addr, info.dma_addr);
}

static void demo_complete(struct demo *d, size_t off, size_t len)
{
	u64 dma;

	if (dmashim_dma_addr(d->ctx, d->buf, off, len, &dma))
		return;
	dma_sync_single_for_cpu(d->dev, dma, len, DMA_FROM_DEVICE);
	dma_unmap_single(d->dev, dma, len, DMA_FROM_DEVICE);
}

static void demo_drop(struct demo *d, struct dmashim_info *info)
{
	void *vaddr;
	dma_addr_t addr;

	if (dmashim_info(d->ctx, d->buf, info))
		return;
	vaddr = info->cpu_addr;
	addr = (dma_addr_t)info->dma_addr;
	dma_free_attrs(d->dev, info->len, vaddr, addr, DMA_ATTR_WRITE_COMBINE);
}

static void demo_sync_tail(struct demo *d, struct dmashim_info *info)
{
	if (dmashim_info(d->ctx, d->buf, info))
		return;
	dma_sync_single_range_for_device(d->dev, info->dma_addr, 64,
					 info->len - 64, DMA_TO_DEVICE);
}
