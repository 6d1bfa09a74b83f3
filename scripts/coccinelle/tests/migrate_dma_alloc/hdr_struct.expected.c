// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a driver whose private structure is defined in
 * its header, hdr_struct.h.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include "hdr_struct.h"
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

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

#define HS_ENTRIES	32

int hs_queue_init(struct hs_priv *hs)
{
	hs->queue = dmashim_mig_alloc(hs->dmashim, HS_ENTRIES * sizeof(struct hs_entry),
				      &hs->queue_dma, 0);
	if (!hs->queue)
		return -ENOMEM;
	hs->head = 0;
	return 0;
}

void hs_queue_fini(struct hs_priv *hs)
{
	dmashim_mig_free(hs->dmashim, hs->queue);
}

static void hs_post(struct hs_priv *hs, u32 cmd, u32 arg)
{
	dmashim_mig_store32(hs->dmashim, hs->queue,
			    (hs->head) * sizeof(struct hs_entry) + offsetof(struct hs_entry, arg),
			    (__force u32)(cpu_to_le32(arg)));
	dmashim_mig_store32(hs->dmashim, hs->queue,
			    (hs->head) * sizeof(struct hs_entry) + offsetof(struct hs_entry, cmd),
			    (__force u32)(cpu_to_le32(cmd)));
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
	err = devm_dmashim_ctx_create(hs->dev, &hs->dmashim);
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
MODULE_IMPORT_NS(DMASHIM);
