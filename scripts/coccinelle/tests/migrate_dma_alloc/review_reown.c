// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): probe may
 * point the owner at another function's structure inside a block: untouched
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/string.h>

#define RO_RING 4096

struct ro_desc {
	__le32 ctrl;
	__le32 addr;
};

struct ro_dev {
	struct pci_dev *pdev;
	int irq;
	u32 mode;
	struct ro_desc *ring;
	dma_addr_t ring_dma;
};

static int ro_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ro_dev *sd;
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
	if (id->driver_data) {
		/* a second function shares the first one's state */
		struct pci_dev *fn0 = pci_get_slot(pdev->bus, 0);

		if (fn0 && pci_get_drvdata(fn0))
			sd = pci_get_drvdata(fn0);
		pci_dev_put(fn0);
	}
	pci_set_drvdata(pdev, sd);
	sd->ring = dma_alloc_coherent(&pdev->dev, RO_RING, &sd->ring_dma, GFP_KERNEL);
	if (!sd->ring)
		return -ENOMEM;
	sd->ring[0].ctrl = 0;
	return 0;
}

static void ro_remove(struct pci_dev *pdev)
{
	struct ro_dev *sd = pci_get_drvdata(pdev);
	struct ro_desc *ring = sd->ring;
	dma_addr_t dma = sd->ring_dma;

	dma_free_coherent(&pdev->dev, RO_RING, ring, dma);
}

static const struct pci_device_id ro_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5005) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ro_ids);

static struct pci_driver ro_driver = {
	.name = "sc",
	.id_table = ro_ids,
	.probe = ro_probe,
	.remove = ro_remove,
};
module_pci_driver(ro_driver);
MODULE_LICENSE("GPL");
