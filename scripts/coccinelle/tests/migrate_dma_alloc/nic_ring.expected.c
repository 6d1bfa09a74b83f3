// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a PCI NIC whose probe allocates a descriptor
 * ring and a status block with dma_alloc_coherent(), unwinds with gotos and
 * frees both in remove().
 */
#include <linux/dma-mapping.h>
#include <dmashim.h>
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
	struct dmashim_ctx *dmashim;
	void __iomem *regs;
	dmashim_handle_t ring;
	dma_addr_t ring_dma;
	dmashim_handle_t status;
	dma_addr_t status_dma;
	unsigned int tail;
};

static irqreturn_t mynic_irq(int irq, void *data)
{
	struct mynic_priv *priv = data;

	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
	if (!priv->status->irq_count)
		return IRQ_NONE;
	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
	priv->tail = le32_to_cpu(priv->status->head);
	return IRQ_HANDLED;
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
	if (!ret)
		ret = devm_dmashim_ctx_create(priv->dev, &priv->dmashim);
	if (ret)
		return ret;

	if (dmashim_alloc(priv->dmashim, MYNIC_RING_ENTRIES * sizeof(struct mynic_desc), NULL, &priv->ring) || dmashim_dma_addr(priv->dmashim, priv->ring, 0, MYNIC_RING_ENTRIES * sizeof(struct mynic_desc), &priv->ring_dma)) {
		ret = -ENOMEM;
		goto err_out;
	}

	if (dmashim_alloc(priv->dmashim, sizeof(struct mynic_status), NULL, &priv->status) || dmashim_dma_addr(priv->dmashim, priv->status, 0, sizeof(struct mynic_status), &priv->status_dma)) {
		ret = -ENOMEM;
		goto err_free_ring;
	}

	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
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
	WARN_ON(dmashim_free(priv->dmashim, priv->status));
err_free_ring:
	WARN_ON(dmashim_free(priv->dmashim, priv->ring));
err_out:
	return ret;
}

static void mynic_remove(struct pci_dev *pdev)
{
	struct mynic_priv *priv = pci_get_drvdata(pdev);

	free_irq(pdev->irq, priv);
	WARN_ON(dmashim_free(priv->dmashim, priv->status));
	WARN_ON(dmashim_free(priv->dmashim, priv->ring));
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
MODULE_IMPORT_NS(DMASHIM);
