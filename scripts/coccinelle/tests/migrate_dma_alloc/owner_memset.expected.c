// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture, refused: as nic_ring.c, but a reset path
 * clears the whole private structure, which would wipe the context
 * pointer the migration keeps there: untouched.
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#define MYNIC_RING_ENTRIES	256
#define MYNIC_REG_RING_LO	0x10
#define MYNIC_REG_RING_HI	0x14
#define MYNIC_REG_STATUS_LO	0x18
#define MYNIC_REG_STATUS_HI	0x1c
#define MYNIC_DESC_OWN		BIT(31)

struct mynic_desc {
	__le64 addr;
	__le32 len;
	__le32 flags;
};

struct mynic_status {
	__le32 head;
	__le32 irq_count;
};

struct mynic_priv {
	struct device *dev;
	void __iomem *regs;
	struct mynic_desc *ring;
	dma_addr_t ring_dma;
	struct mynic_status *status;
	dma_addr_t status_dma;
	unsigned int tail;
};

static irqreturn_t mynic_irq(int irq, void *data)
{
	struct mynic_priv *priv = data;

	if (!priv->status->irq_count)
		return IRQ_NONE;
	priv->tail = le32_to_cpu(priv->status->head);
	return IRQ_HANDLED;
}

static void __maybe_unused mynic_forget(struct mynic_priv *priv)
{
	memset(priv, 0, sizeof(*priv));
}

static int mynic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mynic_priv *priv;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->dev = &pdev->dev;
	priv->regs = pcim_iomap(pdev, 0, 0);
	if (!priv->regs)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(priv->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	priv->ring = dma_alloc_coherent(priv->dev,
					MYNIC_RING_ENTRIES * sizeof(*priv->ring),
					&priv->ring_dma, GFP_KERNEL);
	if (!priv->ring) {
		ret = -ENOMEM;
		goto err_out;
	}

	priv->status = dma_alloc_coherent(priv->dev, sizeof(*priv->status),
					  &priv->status_dma, GFP_KERNEL);
	if (!priv->status) {
		ret = -ENOMEM;
		goto err_free_ring;
	}

	priv->ring[0].flags = cpu_to_le32(MYNIC_DESC_OWN);
	writel(lower_32_bits(priv->ring_dma), priv->regs + MYNIC_REG_RING_LO);
	writel(upper_32_bits(priv->ring_dma), priv->regs + MYNIC_REG_RING_HI);
	writel(lower_32_bits(priv->status_dma),
	       priv->regs + MYNIC_REG_STATUS_LO);
	writel(upper_32_bits(priv->status_dma),
	       priv->regs + MYNIC_REG_STATUS_HI);

	ret = request_irq(pdev->irq, mynic_irq, IRQF_SHARED, "mynic", priv);
	if (ret)
		goto err_free_status;

	pci_set_drvdata(pdev, priv);
	return 0;

err_free_status:
	dma_free_coherent(priv->dev, sizeof(*priv->status), priv->status,
			  priv->status_dma);
err_free_ring:
	dma_free_coherent(priv->dev, MYNIC_RING_ENTRIES * sizeof(*priv->ring),
			  priv->ring, priv->ring_dma);
err_out:
	return ret;
}

static void mynic_remove(struct pci_dev *pdev)
{
	struct mynic_priv *priv = pci_get_drvdata(pdev);

	free_irq(pdev->irq, priv);
	dma_free_coherent(priv->dev, sizeof(*priv->status), priv->status,
			  priv->status_dma);
	dma_free_coherent(priv->dev, MYNIC_RING_ENTRIES * sizeof(*priv->ring),
			  priv->ring, priv->ring_dma);
}

static const struct pci_device_id mynic_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10ff) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mynic_ids);

static struct pci_driver mynic_driver = {
	.name = "mynic",
	.id_table = mynic_ids,
	.probe = mynic_probe,
	.remove = mynic_remove,
};
module_pci_driver(mynic_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: ring-based NIC");
MODULE_LICENSE("GPL");
