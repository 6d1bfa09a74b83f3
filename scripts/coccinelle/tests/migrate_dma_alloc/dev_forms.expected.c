// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: the device passed to the DMA API is written
 * four ways: &pdev->dev, a "dev" local, priv->dev and ring->dev (members
 * set from the probed device).  The rings are allocated in open(), reached
 * through a structure that points back to the one holding the context.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/bug.h>
#include <dmashim.h>

/* Added by the dmashim migration: the DMA API's shape over dmashim handles. */
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

static void __maybe_unused dmashim_mig_store16(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u16 v)
{
	WARN_ON_ONCE(dmashim_store16(ctx, h, off, v));
}

static u32 __maybe_unused dmashim_mig_load32(struct dmashim_ctx *ctx, dmashim_handle_t h, u64 off)
{
	u32 v = 0;

	WARN_ON_ONCE(dmashim_load32(ctx, h, off, &v));
	return v;
}

struct df_desc {
	__le64 addr;
	__le16 len;
	__le16 flags;
	__le32 status;
};

struct df_priv;

struct df_ring {
	struct df_priv *priv;
	struct device *dev;
	dmashim_handle_t desc;
	dma_addr_t dma;
	unsigned int count;
};

struct df_priv {
	struct pci_dev *pdev;
	struct device *dev;
	struct df_ring rx;
	dmashim_handle_t stats;
	dma_addr_t stats_dma;
	struct dmashim_ctx *dmashim;
};

static int df_ring_open(struct df_ring *ring)
{
	unsigned int i;

	ring->desc = dmashim_mig_alloc(ring->priv->dmashim, ring->count * sizeof(struct df_desc),
				       &ring->dma, 0);
	if (!ring->desc)
		return -ENOMEM;
	for (i = 0; i < ring->count; i++) {
		u64 d_off = (i) * sizeof(struct df_desc);

		dmashim_mig_store16(ring->priv->dmashim, ring->desc,
				    d_off + offsetof(struct df_desc, len),
				    (__force u16)(cpu_to_le16(2048)));
		dmashim_mig_store16(ring->priv->dmashim, ring->desc,
				    d_off + offsetof(struct df_desc, flags), 0);
	}
	return 0;
}

static void df_ring_close(struct df_ring *ring)
{
	dmashim_mig_free(ring->priv->dmashim, ring->desc);
	ring->desc = 0;
}

static u32 df_ring_status(struct df_ring *ring, unsigned int i)
{
	return le32_to_cpu(((__force __le32)dmashim_mig_load32(ring->priv->dmashim, ring->desc,
							       (i) * sizeof(struct df_desc) +
							       offsetof(struct df_desc, status))));
}

static int df_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct df_priv *priv;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	if (devm_dmashim_ctx_create(&pdev->dev, &priv->dmashim))
		return -ENOMEM;
	priv->pdev = pdev;
	priv->dev = dev;
	priv->rx.priv = priv;
	priv->rx.dev = &priv->pdev->dev;
	priv->rx.count = 64;
	priv->stats = dmashim_mig_alloc(priv->dmashim, 256, &priv->stats_dma, 0);
	if (!priv->stats)
		return -ENOMEM;
	ret = df_ring_open(&priv->rx);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, priv);
	return df_ring_status(&priv->rx, 0) ? -EIO : 0;
}

static void df_remove(struct pci_dev *pdev)
{
	struct df_priv *priv = pci_get_drvdata(pdev);

	df_ring_close(&priv->rx);
}

static const struct pci_device_id df_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10fc) },
	{ }
};
MODULE_DEVICE_TABLE(pci, df_ids);

static struct pci_driver df_driver = {
	.name = "df",
	.id_table = df_ids,
	.probe = df_probe,
	.remove = df_remove,
};
module_pci_driver(df_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: device forms");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMASHIM);
