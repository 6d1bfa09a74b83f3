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
	struct df_desc *desc;
	dma_addr_t dma;
	unsigned int count;
};

struct df_priv {
	struct pci_dev *pdev;
	struct device *dev;
	struct df_ring rx;
	void *stats;
	dma_addr_t stats_dma;
};

static int df_ring_open(struct df_ring *ring)
{
	unsigned int i;

	ring->desc = dma_alloc_coherent(ring->dev, ring->count * sizeof(*ring->desc),
					&ring->dma, GFP_KERNEL);
	if (!ring->desc)
		return -ENOMEM;
	for (i = 0; i < ring->count; i++) {
		struct df_desc *d = &ring->desc[i];

		d->len = cpu_to_le16(2048);
		d->flags = 0;
	}
	return 0;
}

static void df_ring_close(struct df_ring *ring)
{
	dma_free_coherent(ring->priv->dev, ring->count * sizeof(*ring->desc), ring->desc,
			  ring->dma);
	ring->desc = NULL;
}

static u32 df_ring_status(struct df_ring *ring, unsigned int i)
{
	return le32_to_cpu(ring->desc[i].status);
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
	priv->pdev = pdev;
	priv->dev = dev;
	priv->rx.priv = priv;
	priv->rx.dev = &priv->pdev->dev;
	priv->rx.count = 64;
	priv->stats = dmam_alloc_coherent(dev, 256, &priv->stats_dma, GFP_KERNEL);
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
