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

static void __maybe_unused dmashim_mig_store64(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u64 v)
{
	WARN_ON_ONCE(dmashim_store64(ctx, h, off, v));
}

#define GPU_RING_BYTES	SZ_64K

struct gpu_device {
	struct device *dev;
	dmashim_handle_t ring;
	dma_addr_t ring_iova;
	dmashim_handle_t fence;
	dma_addr_t fence_iova;
	struct dmashim_ctx *dmashim;
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
	bo->vaddr = dmashim_mig_alloc(gpu->dmashim, bo->size, &bo->iova,
				      DMASHIM_ALLOC_WRITE_COMBINE);
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
	WARN_ON_ONCE(dmashim_write(bo->gpu->dmashim, bo->vaddr, 0, data, len));
	wmb();
	return 0;
}

void gpu_bo_free(struct gpu_bo *bo)
{
	dmashim_mig_free(bo->gpu->dmashim, bo->vaddr);
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
	if (ret)
		return ret;
	ret = devm_dmashim_ctx_create(gpu->dev, &gpu->dmashim);
	if (ret)
		return ret;
	gpu->ring = dmashim_mig_alloc(gpu->dmashim, GPU_RING_BYTES, &gpu->ring_iova, 0);
	if (!gpu->ring)
		return -ENOMEM;
	gpu->fence = dmashim_mig_alloc(gpu->dmashim, PAGE_SIZE, &gpu->fence_iova,
				       DMASHIM_ALLOC_NO_WARN);
	if (!gpu->fence)
		return -ENOMEM;
	dmashim_mig_store64(gpu->dmashim, gpu->fence, 0, 0);
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
