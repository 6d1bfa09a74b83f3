// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a platform driver that allocates with
 * dmam_alloc_coherent(&pdev->dev, ...) and dma_pool_create(..., &pdev->dev,
 * ...), hands out blocks from a helper that returns dma_pool_zalloc()'s
 * pointer, and frees them with dma_pool_free().  Everything must be
 * converted, or nothing.
 */
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/module.h>
#include <linux/platform_device.h>
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

static dmashim_pool_t __maybe_unused dmashim_mig_pool_create(struct dmashim_ctx *ctx,
							      const char *name, size_t size,
							      size_t align, size_t boundary)
{
	struct dmashim_pool_opts opts = {
		.sz = sizeof(opts),
		.align = align,
		.boundary = boundary,
	};
	dmashim_pool_t pool;

	if (dmashim_pool_create(ctx, name, size, &opts, &pool))
		return 0;
	return pool;
}

static dmashim_handle_t __maybe_unused dmashim_mig_pool_alloc(struct dmashim_ctx *ctx,
							       dmashim_pool_t pool, u32 flags,
							       dma_addr_t *dma)
{
	dmashim_handle_t h;
	u64 addr;

	if (dmashim_pool_alloc(ctx, pool, flags, &h))
		return 0;
	if (dmashim_dma_addr(ctx, h, 0, 1, &addr)) {
		WARN_ON(dmashim_free(ctx, h));
		return 0;
	}
	*dma = addr;
	return h;
}

static void __maybe_unused dmashim_mig_pool_destroy(struct dmashim_ctx *ctx, dmashim_pool_t pool)
{
	if (pool)
		WARN_ON(dmashim_pool_destroy(ctx, pool));
}

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

static void __maybe_unused dmashim_mig_store64(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u64 v)
{
	WARN_ON_ONCE(dmashim_store64(ctx, h, off, v));
}

struct plat_cmd {
	__le32 opcode;
	__le32 len;
	__le64 addr;
};

struct plat_priv {
	struct platform_device *pdev;
	dmashim_pool_t pool;
	dmashim_handle_t scratch;
	dma_addr_t scratch_dma;
	struct dmashim_ctx *dmashim;
};

static dmashim_handle_t plat_get_cmd(struct plat_priv *priv, dma_addr_t *dma)
{
	return dmashim_mig_pool_alloc(priv->dmashim, priv->pool, DMASHIM_ALLOC_NOWAIT, dma);
}

static int plat_send(struct plat_priv *priv, u32 opcode, u64 addr)
{
	dmashim_handle_t cmd;
	dma_addr_t dma;

	cmd = plat_get_cmd(priv, &dma);
	if (!cmd)
		return -ENOMEM;
	dmashim_mig_store32(priv->dmashim, cmd, offsetof(struct plat_cmd, opcode),
			    (__force u32)(cpu_to_le32(opcode)));
	dmashim_mig_store64(priv->dmashim, cmd, offsetof(struct plat_cmd, addr),
			    (__force u64)(cpu_to_le64(addr)));
	dmashim_mig_free(priv->dmashim, cmd);
	return 0;
}

static int plat_probe(struct platform_device *pdev)
{
	struct plat_priv *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->pdev = pdev;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	ret = devm_dmashim_ctx_create(&pdev->dev, &priv->dmashim);
	if (ret)
		return ret;
	priv->scratch = dmashim_mig_alloc(priv->dmashim, PAGE_SIZE, &priv->scratch_dma, 0);
	if (!priv->scratch)
		return -ENOMEM;
	priv->pool = dmashim_mig_pool_create(priv->dmashim, "plat", sizeof(struct plat_cmd), 16, 0);
	if (!priv->pool)
		return -ENOMEM;
	platform_set_drvdata(pdev, priv);
	return plat_send(priv, 1, priv->scratch_dma);
}

static int plat_remove(struct platform_device *pdev)
{
	struct plat_priv *priv = platform_get_drvdata(pdev);

	dmashim_mig_pool_destroy(priv->dmashim, priv->pool);
	return 0;
}

static struct platform_driver plat_driver = {
	.probe = plat_probe,
	.remove = plat_remove,
	.driver = { .name = "plat-pool" },
};
module_platform_driver(plat_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: platform device and pool helper");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMASHIM);
