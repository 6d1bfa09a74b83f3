// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): the owner
 * local is set in one switch case and after a goto target only, so the
 * helpers get the context as a parameter instead: complete
 */
#include <linux/dma-mapping.h>
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

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

#define SW_RING 64

struct sw_hw {
	__le32 ctrl;
	__le32 next;
};

struct sw_dev {
	struct pci_dev *pdev;
	unsigned int resets;
	dmashim_handle_t ring;
	dma_addr_t ring_dma;
	struct dmashim_ctx *dmashim;
};

static void sw_set(struct dmashim_ctx *dmashim, dmashim_handle_t ring, int mode, void *data)
{
	struct sw_dev *sd;

	switch (mode) {
	case 0:
		sd = data;
		sd->resets++;
		fallthrough;
	case 1:
		dmashim_mig_store32(dmashim, ring,
				    (0) * sizeof(struct sw_hw) + offsetof(struct sw_hw, ctrl), 0);
		break;
	}
}

static void sw_kick(struct dmashim_ctx *dmashim, dmashim_handle_t ring, bool quick, void *data)
{
	struct sw_dev *sd;

	if (quick)
		goto write;
	sd = data;
	sd->resets++;
write:
	dmashim_mig_store32(dmashim, ring,
			    (1) * sizeof(struct sw_hw) + offsetof(struct sw_hw, ctrl),
			    (__force u32)(cpu_to_le32(1)));
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
	if (devm_dmashim_ctx_create(&pdev->dev, &sd->dmashim))
		return -ENOMEM;
	sd->ring = dmashim_mig_alloc(sd->dmashim, SW_RING * sizeof(struct sw_hw), &sd->ring_dma, 0);
	if (!sd->ring)
		return -ENOMEM;
	sw_set(sd->dmashim, sd->ring, 0, sd);
	sw_set(sd->dmashim, sd->ring, 1, NULL);
	sw_kick(sd->dmashim, sd->ring, true, NULL);
	sw_kick(sd->dmashim, sd->ring, false, sd);
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
MODULE_IMPORT_NS(DMASHIM);
