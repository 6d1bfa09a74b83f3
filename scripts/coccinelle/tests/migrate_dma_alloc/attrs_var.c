// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (must stay unchanged): the attributes live in a
 * variable, bo->attrs.  DMA_ATTR_* and DMASHIM_ALLOC_* are different bit
 * values, so passing the variable through as flags would be silently wrong:
 * the migration refuses the driver and says why.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

struct av_dev {
	struct device *dev;
};

struct av_bo {
	struct av_dev *av;
	size_t size;
	unsigned long attrs;
	void *vaddr;
	dma_addr_t iova;
};

static int av_bo_init(struct av_dev *av, struct av_bo *bo, bool wc)
{
	bo->av = av;
	bo->attrs = wc ? DMA_ATTR_WRITE_COMBINE : 0;
	bo->vaddr = dma_alloc_attrs(av->dev, bo->size, &bo->iova, GFP_KERNEL, bo->attrs);
	return bo->vaddr ? 0 : -ENOMEM;
}

static void av_bo_fini(struct av_bo *bo)
{
	dma_free_attrs(bo->av->dev, bo->size, bo->vaddr, bo->iova, bo->attrs);
}

static int av_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct av_dev *av;
	struct av_bo *bo;
	int ret;

	av = devm_kzalloc(&pdev->dev, sizeof(*av), GFP_KERNEL);
	bo = devm_kzalloc(&pdev->dev, sizeof(*bo), GFP_KERNEL);
	if (!av || !bo)
		return -ENOMEM;
	av->dev = &pdev->dev;
	ret = dma_set_mask_and_coherent(av->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	bo->size = PAGE_SIZE;
	ret = av_bo_init(av, bo, true);
	if (!ret)
		av_bo_fini(bo);
	return ret;
}

static const struct pci_device_id av_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10fd) },
	{ }
};
MODULE_DEVICE_TABLE(pci, av_ids);

static struct pci_driver av_driver = {
	.name = "av",
	.id_table = av_ids,
	.probe = av_probe,
};
module_pci_driver(av_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: attrs in a variable");
MODULE_LICENSE("GPL");
