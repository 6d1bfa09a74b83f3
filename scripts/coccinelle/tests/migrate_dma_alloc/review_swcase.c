// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): the owner
 * local is set in one switch case and after a goto target only, so the
 * helpers get the context as a parameter instead: complete
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>

#define SW_RING 64

struct sw_hw {
	__le32 ctrl;
	__le32 next;
};

struct sw_dev {
	struct pci_dev *pdev;
	unsigned int resets;
	struct sw_hw *ring;
	dma_addr_t ring_dma;
};

static void sw_set(struct sw_hw *ring, int mode, void *data)
{
	struct sw_dev *sd;

	switch (mode) {
	case 0:
		sd = data;
		sd->resets++;
		fallthrough;
	case 1:
		ring[0].ctrl = 0;
		break;
	}
}

static void sw_kick(struct sw_hw *ring, bool quick, void *data)
{
	struct sw_dev *sd;

	if (quick)
		goto write;
	sd = data;
	sd->resets++;
write:
	ring[1].ctrl = cpu_to_le32(1);
}

static int sw_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct sw_dev *sd;
	int ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	sd = devm_kzalloc(&pdev->dev, sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->ring = dmam_alloc_coherent(&pdev->dev, SW_RING * sizeof(*sd->ring),
				       &sd->ring_dma, GFP_KERNEL);
	if (!sd->ring)
		return -ENOMEM;
	sw_set(sd->ring, 0, sd);
	sw_set(sd->ring, 1, NULL);
	sw_kick(sd->ring, true, NULL);
	sw_kick(sd->ring, false, sd);
	pci_set_drvdata(pdev, sd);
	return 0;
}

static const struct pci_device_id sw_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5003) },
	{ }
};
MODULE_DEVICE_TABLE(pci, sw_ids);

static struct pci_driver sw_driver = {
	.name = "sw",
	.id_table = sw_ids,
	.probe = sw_probe,
};
module_pci_driver(sw_driver);
MODULE_LICENSE("GPL");
