// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): a helper
 * allocates on another PCI function (pci_get_slot()), not the probed device:
 * untouched
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>

#define BR_RING 4096

struct br_dev {
	struct pci_dev *pdev;
	void *ring;
	dma_addr_t ring_dma;
};

/* the descriptor ring lives behind function 0 of the slot */
static int br_alloc_ring(struct br_dev *bd, struct pci_dev *fn0)
{
	bd->ring = dmam_alloc_coherent(&fn0->dev, BR_RING, &bd->ring_dma, GFP_KERNEL);
	if (!bd->ring)
		return -ENOMEM;
	return 0;
}

static int br_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct br_dev *bd;
	struct pci_dev *fn0;
	int ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	bd = devm_kzalloc(&pdev->dev, sizeof(*bd), GFP_KERNEL);
	if (!bd)
		return -ENOMEM;
	bd->pdev = pdev;
	fn0 = pci_get_slot(pdev->bus, PCI_DEVFN(PCI_SLOT(pdev->devfn), 0));
	if (!fn0)
		return -ENODEV;
	ret = br_alloc_ring(bd, fn0);
	pci_dev_put(fn0);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, bd);
	return 0;
}

static const struct pci_device_id br_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5004) },
	{ }
};
MODULE_DEVICE_TABLE(pci, br_ids);

static struct pci_driver br_driver = {
	.name = "br",
	.id_table = br_ids,
	.probe = br_probe,
};
module_pci_driver(br_driver);
MODULE_LICENSE("GPL");
