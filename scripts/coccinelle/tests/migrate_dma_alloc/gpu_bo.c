// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a GPU whose probe allocates its command ring
 * with dmam_alloc_coherent() and whose buffer objects are write-combined
 * dma_alloc_attrs() memory that the CPU streams uploads into.
 */
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#define GPU_RING_BYTES	SZ_64K

struct gpu_device {
	struct device *dev;
	u32 *ring;
	dma_addr_t ring_iova;
	u64 *fence;
	dma_addr_t fence_iova;
};

struct gpu_bo {
	struct gpu_device *gpu;
	size_t size;
	void *vaddr;
	dma_addr_t iova;
};

struct gpu_bo *gpu_bo_create(struct gpu_device *gpu, size_t size)
{
	struct gpu_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->gpu = gpu;
	bo->size = PAGE_ALIGN(size);
	bo->vaddr = dma_alloc_attrs(gpu->dev, bo->size, &bo->iova, GFP_KERNEL,
				    DMA_ATTR_WRITE_COMBINE);
	if (!bo->vaddr) {
		kfree(bo);
		return ERR_PTR(-ENOMEM);
	}
	return bo;
}

int gpu_bo_upload(struct gpu_bo *bo, const void *data, size_t len)
{
	if (len > bo->size)
		return -EINVAL;
	memcpy(bo->vaddr, data, len);
	wmb();
	return 0;
}

void gpu_bo_free(struct gpu_bo *bo)
{
	dma_free_attrs(bo->gpu->dev, bo->size, bo->vaddr, bo->iova,
		       DMA_ATTR_WRITE_COMBINE);
	bo->vaddr = NULL;
	kfree(bo);
}

static int gpu_probe(struct platform_device *pdev)
{
	struct gpu_device *gpu;
	int ret;

	gpu = devm_kzalloc(&pdev->dev, sizeof(*gpu), GFP_KERNEL);
	if (!gpu)
		return -ENOMEM;
	gpu->dev = &pdev->dev;
	ret = dma_set_mask_and_coherent(gpu->dev, DMA_BIT_MASK(40));
	if (ret)
		return ret;
	gpu->ring = dmam_alloc_coherent(gpu->dev, GPU_RING_BYTES,
					&gpu->ring_iova, GFP_KERNEL);
	if (!gpu->ring)
		return -ENOMEM;
	gpu->fence = dmam_alloc_coherent(gpu->dev, PAGE_SIZE, &gpu->fence_iova,
					 GFP_KERNEL | __GFP_NOWARN);
	if (!gpu->fence)
		return -ENOMEM;
	*gpu->fence = 0;
	platform_set_drvdata(pdev, gpu);
	return 0;
}

static struct platform_driver gpu_driver = {
	.probe = gpu_probe,
	.driver = {
		.name = "mygpu",
	},
};
module_platform_driver(gpu_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: GPU buffer objects");
MODULE_LICENSE("GPL");
