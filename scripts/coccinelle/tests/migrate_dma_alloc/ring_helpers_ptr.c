// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture, refused: as ring_helpers.c, but ring_init()
 * is also reached through a function pointer, so it cannot take the context
 * as a new parameter, and nothing else leads it to one: untouched.  The
 * original text:  ring_init() fills descriptors through a pointer parameter (the
 * context becomes a parameter too, passed by every caller, two levels
 * deep), desc_get() allocates from a pool with its caller's gfp_t (mapped
 * at run time, every caller passing GFP_KERNEL or GFP_ATOMIC), and the
 * channel reaches its device through chan->device and a to_foo() helper.
 */
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/dmapool.h>
#include <linux/module.h>
#include <linux/pci.h>

#define MYDMA_RING	64

struct mydma_hw {
	__le32 ctrl;
	__le32 next;
	__le64 addr;
};

struct mydma_dev {
	struct dma_device dma;
	struct dma_chan chan;
	struct dma_pool *pool;
	struct mydma_hw *ring;
	dma_addr_t ring_dma;
};

static inline struct mydma_dev *to_mydma(struct dma_device *ddev)
{
	return container_of(ddev, struct mydma_dev, dma);
}

static void ring_link(struct mydma_hw *ring, int i, dma_addr_t next)
{
	ring[i].next = cpu_to_le32(lower_32_bits(next));
}

static void ring_init(struct mydma_hw *ring, dma_addr_t ring_dma, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ring[i].ctrl = 0;
		ring_link(ring, i, ring_dma + ((i + 1) % n) * sizeof(*ring));
	}
}

static void (*mydma_ring_init)(struct mydma_hw *ring, dma_addr_t ring_dma, int n) = ring_init;

static struct mydma_hw *desc_get(struct dma_chan *chan, gfp_t gfp, dma_addr_t *dma)
{
	struct mydma_dev *md = to_mydma(chan->device);

	return dma_pool_zalloc(md->pool, gfp, dma);
}

static int mydma_alloc_chan_resources(struct dma_chan *chan)
{
	struct mydma_dev *md = to_mydma(chan->device);
	struct mydma_hw *hw;
	dma_addr_t dma;

	hw = desc_get(chan, GFP_KERNEL, &dma);
	if (!hw)
		return -ENOMEM;
	hw->ctrl = cpu_to_le32(1);
	dma_pool_free(md->pool, hw, dma);
	return 1;
}

static int mydma_prep(struct dma_chan *chan)
{
	struct mydma_dev *md = to_mydma(chan->device);
	struct mydma_hw *hw;
	dma_addr_t dma;

	hw = desc_get(chan, GFP_ATOMIC | __GFP_NOWARN, &dma);
	if (!hw)
		return -ENOMEM;
	dma_pool_free(md->pool, hw, dma);
	return 0;
}

static int mydma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mydma_dev *md;
	int ret;

	md = devm_kzalloc(&pdev->dev, sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	md->pool = dmam_pool_create("mydma", &pdev->dev, sizeof(struct mydma_hw), 16, 0);
	if (!md->pool)
		return -ENOMEM;
	md->ring = dmam_alloc_coherent(&pdev->dev, MYDMA_RING * sizeof(*md->ring),
				       &md->ring_dma, GFP_KERNEL);
	if (!md->ring)
		return -ENOMEM;
	ring_init(md->ring, md->ring_dma, MYDMA_RING);
	md->dma.device_alloc_chan_resources = mydma_alloc_chan_resources;
	md->chan.device = &md->dma;
	pci_set_drvdata(pdev, md);
	return mydma_prep(&md->chan);
}

static const struct pci_device_id mydma_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5678) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mydma_ids);

static struct pci_driver mydma_driver = {
	.name = "mydma",
	.id_table = mydma_ids,
	.probe = mydma_probe,
};
module_pci_driver(mydma_driver);
MODULE_LICENSE("GPL");
