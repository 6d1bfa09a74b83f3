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

struct es_priv {
	struct device *dev;
	dmashim_handle_t log;
	dma_addr_t log_dma;
	dmashim_handle_t cursor;
	struct dmashim_ctx *dmashim;
};

static void es_dump(struct es_priv *es)
{
	/*
	 * dmashim: TODO: the CPU pointer is passed to print_hex_dump(): copy the bytes with
	 * dmashim_read()/dmashim_write() around it
	 */
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
	if (devm_dmashim_ctx_create(es->dev, &es->dmashim))
		return -EIO;
	es->log = dmashim_mig_alloc(es->dmashim, 64, &es->log_dma, 0);
	if (!es->log)
		return -ENOMEM;
	es->cursor = es->log;
	es_dump(es);
	dmashim_mig_free(es->dmashim, es->log);
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
MODULE_IMPORT_NS(DMASHIM);
