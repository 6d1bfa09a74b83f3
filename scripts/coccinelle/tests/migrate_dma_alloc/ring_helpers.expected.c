// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: helpers that reach no driver structure of
 * their own.  ring_init() fills descriptors through a pointer parameter (the
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
#include <linux/bug.h>
#include <dmashim.h>

/* Added by the dmashim migration: the DMA API's shape over dmashim handles. */
static u32 __maybe_unused dmashim_mig_gfp(gfp_t gfp, u32 nowarn)
{
	return (gfpflags_allow_blocking(gfp) ? 0 : DMASHIM_ALLOC_NOWAIT) |
	       (gfp & __GFP_NOWARN ? nowarn : 0);
}

static dmashim_handle_t __maybe_unused dmashim_mig_alloc(struct dmashim_ctx *ctx, size_t size,
							  dma_addr_t *dma, u32 flags)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts),
		.flags = flags,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	dmashim_handle_t h;
	u64 addr;

	if (dmashim_alloc(ctx, size, &opts, &h))
		return 0;
	if (dmashim_dma_addr(ctx, h, 0, size, &addr)) {
		WARN_ON(dmashim_free(ctx, h));
		return 0;
	}
	*dma = addr;
	return h;
}

static void __maybe_unused dmashim_mig_free(struct dmashim_ctx *ctx, dmashim_handle_t h)
{
	if (h)
		WARN_ON(dmashim_free(ctx, h));
}

static dmashim_pool_t __maybe_unused dmashim_mig_pool_create(struct dmashim_ctx *ctx,
							      const char *name, size_t size,
							      size_t align, size_t boundary)
{
	struct dmashim_pool_opts opts = {
		.sz = sizeof(opts),
		.align = align,
		.boundary = boundary,
	};
	dmashim_pool_t pool;

	if (dmashim_pool_create(ctx, name, size, &opts, &pool))
		return 0;
	return pool;
}

static dmashim_handle_t __maybe_unused dmashim_mig_pool_alloc(struct dmashim_ctx *ctx,
							       dmashim_pool_t pool, u32 flags,
							       dma_addr_t *dma)
{
	dmashim_handle_t h;
	u64 addr;

	if (dmashim_pool_alloc(ctx, pool, flags, &h))
		return 0;
	if (dmashim_dma_addr(ctx, h, 0, 1, &addr)) {
		WARN_ON(dmashim_free(ctx, h));
		return 0;
	}
	*dma = addr;
	return h;
}

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

#define MYDMA_RING	64

struct mydma_hw {
	__le32 ctrl;
	__le32 next;
	__le64 addr;
};

struct mydma_dev {
	struct dma_device dma;
	struct dma_chan chan;
	dmashim_pool_t pool;
	dmashim_handle_t ring;
	dma_addr_t ring_dma;
	struct dmashim_ctx *dmashim;
};

static inline struct mydma_dev *to_mydma(struct dma_device *ddev)
{
	return container_of(ddev, struct mydma_dev, dma);
}

static void ring_link(struct dmashim_ctx *dmashim, dmashim_handle_t ring, int i, dma_addr_t next)
{
	dmashim_mig_store32(dmashim, ring,
			    (i) * sizeof(struct mydma_hw) + offsetof(struct mydma_hw, next),
			    (__force u32)(cpu_to_le32(lower_32_bits(next))));
}

static void ring_init(struct dmashim_ctx *dmashim, dmashim_handle_t ring, dma_addr_t ring_dma,
		      int n)
{
	int i;

	for (i = 0; i < n; i++) {
		dmashim_mig_store32(dmashim, ring,
				    (i) * sizeof(struct mydma_hw) + offsetof(struct mydma_hw, ctrl),
				    0);
		ring_link(dmashim, ring, i, ring_dma + ((i + 1) % n) * sizeof(struct mydma_hw));
	}
}

static dmashim_handle_t desc_get(struct dma_chan *chan, gfp_t gfp, dma_addr_t *dma)
{
	struct mydma_dev *md = to_mydma(chan->device);

	return dmashim_mig_pool_alloc(md->dmashim, md->pool, dmashim_mig_gfp(gfp, 0), dma);
}

static int mydma_alloc_chan_resources(struct dma_chan *chan)
{
	struct mydma_dev *md = to_mydma(chan->device);
	dmashim_handle_t hw;
	dma_addr_t dma;

	hw = desc_get(chan, GFP_KERNEL, &dma);
	if (!hw)
		return -ENOMEM;
	dmashim_mig_store32(md->dmashim, hw, offsetof(struct mydma_hw, ctrl),
			    (__force u32)(cpu_to_le32(1)));
	dmashim_mig_free(md->dmashim, hw);
	return 1;
}

static int mydma_prep(struct dma_chan *chan)
{
	struct mydma_dev *md = to_mydma(chan->device);
	dmashim_handle_t hw;
	dma_addr_t dma;

	hw = desc_get(chan, GFP_ATOMIC | __GFP_NOWARN, &dma);
	if (!hw)
		return -ENOMEM;
	dmashim_mig_free(md->dmashim, hw);
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
	ret = devm_dmashim_ctx_create(&pdev->dev, &md->dmashim);
	if (ret)
		return ret;
	md->pool = dmashim_mig_pool_create(md->dmashim, "mydma", sizeof(struct mydma_hw), 16, 0);
	if (!md->pool)
		return -ENOMEM;
	md->ring = dmashim_mig_alloc(md->dmashim, MYDMA_RING * sizeof(struct mydma_hw),
				     &md->ring_dma, 0);
	if (!md->ring)
		return -ENOMEM;
	ring_init(md->dmashim, md->ring, md->ring_dma, MYDMA_RING);
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
MODULE_IMPORT_NS(DMASHIM);
