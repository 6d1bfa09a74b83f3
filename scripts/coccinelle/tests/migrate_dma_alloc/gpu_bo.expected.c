// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a GPU whose probe allocates its command ring
 * with dmam_alloc_coherent() and whose buffer objects are write-combined
 * dma_alloc_attrs() memory that the CPU streams uploads into.
 */
#include <linux/dma-mapping.h>
#include <dmashim.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#define GPU_RING_BYTES	SZ_64K

struct gpu_device {
	struct device *dev;
	struct dmashim_ctx *dmashim;
	dmashim_handle_t ring;
	dma_addr_t ring_iova;
	dmashim_handle_t fence;
	dma_addr_t fence_iova;
};

struct gpu_bo {
	struct gpu_device *gpu;
	size_t size;
	dmashim_handle_t vaddr;
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
	if (dmashim_alloc(gpu->dmashim, bo->size, &(struct dmashim_alloc_opts){
				.sz = sizeof(struct dmashim_alloc_opts),
				.flags = DMASHIM_ALLOC_WRITE_COMBINE
			}, &bo->vaddr) || dmashim_dma_addr(gpu->dmashim, bo->vaddr, 0, bo->size, &bo->iova)) {
		kfree(bo);
		return ERR_PTR(-ENOMEM);
	}
	return bo;
}

int gpu_bo_upload(struct gpu_bo *bo, const void *data, size_t len)
{
	if (len > bo->size)
		return -EINVAL;
	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
	memcpy(bo->vaddr, data, len);
	wmb();
	return 0;
}

void gpu_bo_free(struct gpu_bo *bo)
{
	WARN_ON(dmashim_free(bo->gpu->dmashim, bo->vaddr));
	bo->vaddr = 0;
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
	if (!ret)
		ret = devm_dmashim_ctx_create(gpu->dev, &gpu->dmashim);
	if (ret)
		return ret;
	if (dmashim_alloc(gpu->dmashim, GPU_RING_BYTES, NULL, &gpu->ring) || dmashim_dma_addr(gpu->dmashim, gpu->ring, 0, GPU_RING_BYTES, &gpu->ring_iova))
		return -ENOMEM;
	/* dmashim: TODO: gfp flags not mapped; DMASHIM_ALLOC_NOWAIT for atomic context */
	if (dmashim_alloc(gpu->dmashim, PAGE_SIZE, NULL, &gpu->fence) || dmashim_dma_addr(gpu->dmashim, gpu->fence, 0, PAGE_SIZE, &gpu->fence_iova))
		return -ENOMEM;
	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
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
MODULE_IMPORT_NS(DMASHIM);
