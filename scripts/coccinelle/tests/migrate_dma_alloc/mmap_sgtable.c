// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a GPU buffer that user space maps with
 * dma_mmap_coherent() and that is described with dma_get_sgtable() (the
 * table freed in the same function), plus stores through the CPU pointer.
 */
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>

struct mg_dev {
	struct device *dev;
	u32 *fb;
	dma_addr_t fb_dma;
	size_t fb_size;
};

static struct mg_dev *mg_the_dev;

static int mg_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mg_dev *mg = file->private_data;

	vma->vm_pgoff = 0;
	return dma_mmap_coherent(mg->dev, vma, mg->fb, mg->fb_dma, mg->fb_size);
}

static int mg_count_pages(struct mg_dev *mg)
{
	struct sg_table sgt;
	int ret, n;

	ret = dma_get_sgtable(mg->dev, &sgt, mg->fb, mg->fb_dma, mg->fb_size);
	if (ret)
		return ret;
	n = sgt.nents;
	sg_free_table(&sgt);
	return n;
}

static int mg_probe(struct platform_device *pdev)
{
	struct mg_dev *mg;
	int ret;

	mg = devm_kzalloc(&pdev->dev, sizeof(*mg), GFP_KERNEL);
	if (!mg)
		return -ENOMEM;
	mg->dev = &pdev->dev;
	ret = dma_set_mask_and_coherent(mg->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	mg->fb_size = SZ_1M;
	mg->fb = dma_alloc_coherent(mg->dev, mg->fb_size, &mg->fb_dma, GFP_KERNEL);
	if (!mg->fb)
		return -ENOMEM;
	mg->fb[0] = 0xff00ff00;
	mg->fb[1] |= 1;
	ret = mg_count_pages(mg);
	if (ret < 0) {
		dma_free_coherent(mg->dev, mg->fb_size, mg->fb, mg->fb_dma);
		return ret;
	}
	mg_the_dev = mg;
	platform_set_drvdata(pdev, mg);
	return 0;
}

static int mg_remove(struct platform_device *pdev)
{
	struct mg_dev *mg = platform_get_drvdata(pdev);

	dma_free_coherent(mg->dev, mg->fb_size, mg->fb, mg->fb_dma);
	return 0;
}

static const struct file_operations mg_fops = {
	.owner = THIS_MODULE,
	.mmap = mg_mmap,
};

static struct platform_driver mg_driver = {
	.probe = mg_probe,
	.remove = mg_remove,
	.driver = { .name = "mg" },
};
module_platform_driver(mg_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: mmap and sg_table");
MODULE_LICENSE("GPL");
