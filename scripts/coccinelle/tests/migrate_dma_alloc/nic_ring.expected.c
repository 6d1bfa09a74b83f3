// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a PCI NIC whose probe allocates a descriptor
 * ring and a status block with dma_alloc_coherent(), unwinds with gotos and
 * frees both in remove().
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
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

static u32 __maybe_unused dmashim_mig_load32(struct dmashim_ctx *ctx, dmashim_handle_t h, u64 off)
{
	u32 v = 0;

	WARN_ON_ONCE(dmashim_load32(ctx, h, off, &v));
	return v;
}

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

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
	dmashim_handle_t ring;
	dma_addr_t ring_dma;
	dmashim_handle_t status;
	dma_addr_t status_dma;
	unsigned int tail;
	struct dmashim_ctx *dmashim;
};

static irqreturn_t mynic_irq(int irq, void *data)
{
	struct mynic_priv *priv = data;

	if (!((__force __le32)dmashim_mig_load32(priv->dmashim, priv->status,
						 offsetof(struct mynic_status, irq_count))))
		return IRQ_NONE;
	priv->tail = le32_to_cpu(((__force __le32)dmashim_mig_load32(priv->dmashim, priv->status,
								     offsetof(struct mynic_status,
										     head))));
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
	if (ret)
		return ret;
	ret = devm_dmashim_ctx_create(priv->dev, &priv->dmashim);
	if (ret)
		return ret;

	priv->ring = dmashim_mig_alloc(priv->dmashim,
				       MYNIC_RING_ENTRIES * sizeof(struct mynic_desc),
				       &priv->ring_dma, 0);
	if (!priv->ring) {
		ret = -ENOMEM;
		goto err_out;
	}

	priv->status = dmashim_mig_alloc(priv->dmashim, sizeof(struct mynic_status),
					 &priv->status_dma, 0);
	if (!priv->status) {
		ret = -ENOMEM;
		goto err_free_ring;
	}

	dmashim_mig_store32(priv->dmashim, priv->ring,
			    (0) * sizeof(struct mynic_desc) + offsetof(struct mynic_desc, flags),
			    (__force u32)(cpu_to_le32(MYNIC_DESC_OWN)));
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
	dmashim_mig_free(priv->dmashim, priv->status);
err_free_ring:
	dmashim_mig_free(priv->dmashim, priv->ring);
err_out:
	return ret;
}

static void mynic_remove(struct pci_dev *pdev)
{
	struct mynic_priv *priv = pci_get_drvdata(pdev);

	free_irq(pdev->irq, priv);
	dmashim_mig_free(priv->dmashim, priv->status);
	dmashim_mig_free(priv->dmashim, priv->ring);
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
