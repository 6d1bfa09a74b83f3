// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (must stay unchanged): streaming mappings are
 * not dmashim's business, and this code has neither a probe nor a DMA mask
 * call, so no context can be created for the coherent bounce buffer: the
 * migration leaves the file untouched and says why.
 */
#include <linux/dma-mapping.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/string.h>

struct myfw {
	struct device *dev;
	void __iomem *regs;
};

static int myfw_send(struct myfw *fw, void *msg, size_t len)
{
	dma_addr_t map;

	map = dma_map_single(fw->dev, msg, len, DMA_TO_DEVICE);
	if (dma_mapping_error(fw->dev, map))
		return -ENOMEM;
	writeq(map, fw->regs);
	dma_unmap_single(fw->dev, map, len, DMA_TO_DEVICE);
	return 0;
}

static int myfw_load(struct myfw *fw, const struct firmware *blob)
{
	dma_addr_t dma;
	void *bounce;

	bounce = dma_alloc_coherent(fw->dev, blob->size, &dma, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	memcpy(bounce, blob->data, blob->size);
	writeq(dma, fw->regs);
	dma_free_coherent(fw->dev, blob->size, bounce, dma);
	return 0;
}
