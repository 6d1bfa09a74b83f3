// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: the CPU pointer escapes into code the
 * migration cannot follow (print_hex_dump()); the copy kept in es->cursor
 * becomes a handle too, everything else is converted and the dump is marked for a
 * person (assisted).
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/printk.h>

struct es_priv {
	struct device *dev;
	u32 *log;
	dma_addr_t log_dma;
	void *cursor;
};

static void es_dump(struct es_priv *es)
{
	print_hex_dump(KERN_DEBUG, "log: ", DUMP_PREFIX_OFFSET, 16, 4, es->log, 64, false);
}

static int es_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct es_priv *es;

	es = devm_kzalloc(&pdev->dev, sizeof(*es), GFP_KERNEL);
	if (!es)
		return -ENOMEM;
	es->dev = &pdev->dev;
	if (dma_set_mask_and_coherent(es->dev, DMA_BIT_MASK(32)))
		return -EIO;
	es->log = dma_alloc_coherent(es->dev, 64, &es->log_dma, GFP_KERNEL);
	if (!es->log)
		return -ENOMEM;
	es->cursor = es->log;
	es_dump(es);
	dma_free_coherent(es->dev, 64, es->log, es->log_dma);
	return 0;
}

static const struct pci_device_id es_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10f9) },
	{ }
};
MODULE_DEVICE_TABLE(pci, es_ids);

static struct pci_driver es_driver = {
	.name = "es",
	.id_table = es_ids,
	.probe = es_probe,
};
module_pci_driver(es_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: an escaping CPU pointer");
MODULE_LICENSE("GPL");
