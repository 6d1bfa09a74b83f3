// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a driver whose private structure is defined in
 * its header, hdr_struct.h.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include "hdr_struct.h"

#define HS_ENTRIES	32

int hs_queue_init(struct hs_priv *hs)
{
	hs->queue = dma_alloc_coherent(hs->dev, HS_ENTRIES * sizeof(*hs->queue),
				       &hs->queue_dma, GFP_KERNEL);
	if (!hs->queue)
		return -ENOMEM;
	hs->head = 0;
	return 0;
}

void hs_queue_fini(struct hs_priv *hs)
{
	dma_free_coherent(hs->dev, HS_ENTRIES * sizeof(*hs->queue), hs->queue, hs->queue_dma);
}

static void hs_post(struct hs_priv *hs, u32 cmd, u32 arg)
{
	hs->queue[hs->head].arg = cpu_to_le32(arg);
	hs->queue[hs->head].cmd = cpu_to_le32(cmd);
	hs->head = (hs->head + 1) % HS_ENTRIES;
}

static int hs_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct hs_priv *hs;
	int err;

	hs = devm_kzalloc(&pdev->dev, sizeof(*hs), GFP_KERNEL);
	if (!hs)
		return -ENOMEM;
	hs->dev = &pdev->dev;
	err = dma_set_mask_and_coherent(hs->dev, DMA_BIT_MASK(32));
	if (err)
		return err;
	err = hs_queue_init(hs);
	if (err)
		return err;
	hs_post(hs, 1, 0);
	pci_set_drvdata(pdev, hs);
	return 0;
}

static void hs_remove(struct pci_dev *pdev)
{
	hs_queue_fini(pci_get_drvdata(pdev));
}

static const struct pci_device_id hs_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10fb) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hs_ids);

static struct pci_driver hs_driver = {
	.name = "hs",
	.id_table = hs_ids,
	.probe = hs_probe,
	.remove = hs_remove,
};
module_pci_driver(hs_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: structures in a header");
MODULE_LICENSE("GPL");
