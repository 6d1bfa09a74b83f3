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

static u32 __maybe_unused dmashim_mig_load32(struct dmashim_ctx *ctx, dmashim_handle_t h, u64 off)
{
	u32 v = 0;

	WARN_ON_ONCE(dmashim_load32(ctx, h, off, &v));
	return v;
}

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

struct mg_dev {
	struct device *dev;
	dmashim_handle_t fb;
	dma_addr_t fb_dma;
	size_t fb_size;
	struct dmashim_ctx *dmashim;
};

static struct mg_dev *mg_the_dev;

static int mg_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mg_dev *mg = file->private_data;

	vma->vm_pgoff = 0;
	return dmashim_mmap(mg->dmashim, mg->fb, vma);
}

static int mg_count_pages(struct mg_dev *mg)
{
	struct sg_table sgt;
	int ret, n;

	ret = dmashim_get_sgtable(mg->dmashim, mg->fb, &sgt);
	if (ret)
		return ret;
	n = sgt.nents;
	WARN_ON(dmashim_put_sgtable(mg->dmashim, mg->fb, &sgt));
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
	ret = devm_dmashim_ctx_create(mg->dev, &mg->dmashim);
	if (ret)
		return ret;
	mg->fb_size = SZ_1M;
	mg->fb = dmashim_mig_alloc(mg->dmashim, mg->fb_size, &mg->fb_dma, 0);
	if (!mg->fb)
		return -ENOMEM;
	dmashim_mig_store32(mg->dmashim, mg->fb, (0) * sizeof(u32), 0xff00ff00);
	dmashim_mig_store32(mg->dmashim, mg->fb, (1) * sizeof(u32),
			    dmashim_mig_load32(mg->dmashim, mg->fb, (1) * sizeof(u32)) | (1));
	ret = mg_count_pages(mg);
	if (ret < 0) {
		dmashim_mig_free(mg->dmashim, mg->fb);
		return ret;
	}
	mg_the_dev = mg;
	platform_set_drvdata(pdev, mg);
	return 0;
}

static int mg_remove(struct platform_device *pdev)
{
	struct mg_dev *mg = platform_get_drvdata(pdev);

	dmashim_mig_free(mg->dmashim, mg->fb);
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
MODULE_IMPORT_NS(DMASHIM);
