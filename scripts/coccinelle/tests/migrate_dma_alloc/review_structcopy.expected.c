// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): a reset path
 * assigns the whole owner structure from a template, which would wipe the
 * context: untouched
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/string.h>

#define SC_RING 4096

struct sc_desc {
	__le32 ctrl;
	__le32 addr;
};

struct sc_dev {
	struct pci_dev *pdev;
	int irq;
	u32 mode;
	struct sc_desc *ring;
	dma_addr_t ring_dma;
};

static const struct sc_dev sc_defaults = {
	.mode = 3,
};

static int sc_reset(struct sc_dev *sd)
{
	struct pci_dev *pdev = sd->pdev;

	/* back to the power-on state */
	*sd = sc_defaults;
	sd->pdev = pdev;
	return 0;
}

static int sc_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct sc_dev *sd;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	sd = devm_kzalloc(&pdev->dev, sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->pdev = pdev;
	pci_set_drvdata(pdev, sd);
	sd->ring = dma_alloc_coherent(&pdev->dev, SC_RING, &sd->ring_dma, GFP_KERNEL);
	if (!sd->ring)
		return -ENOMEM;
	sd->ring[0].ctrl = 0;
	return 0;
}

static void sc_remove(struct pci_dev *pdev)
{
	struct sc_dev *sd = pci_get_drvdata(pdev);
	struct sc_desc *ring = sd->ring;
	dma_addr_t dma = sd->ring_dma;

	sc_reset(sd);
	dma_free_coherent(&pdev->dev, SC_RING, ring, dma);
}

static const struct pci_device_id sc_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5001) },
	{ }
};
MODULE_DEVICE_TABLE(pci, sc_ids);

static struct pci_driver sc_driver = {
	.name = "sc",
	.id_table = sc_ids,
	.probe = sc_probe,
	.remove = sc_remove,
};
module_pci_driver(sc_driver);
MODULE_LICENSE("GPL");
