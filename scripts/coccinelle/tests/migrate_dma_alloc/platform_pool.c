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

struct plat_cmd {
	__le32 opcode;
	__le32 len;
	__le64 addr;
};

struct plat_priv {
	struct platform_device *pdev;
	struct dma_pool *pool;
	u8 *scratch;
	dma_addr_t scratch_dma;
};

static struct plat_cmd *plat_get_cmd(struct plat_priv *priv, dma_addr_t *dma)
{
	return dma_pool_zalloc(priv->pool, GFP_ATOMIC, dma);
}

static int plat_send(struct plat_priv *priv, u32 opcode, u64 addr)
{
	struct plat_cmd *cmd;
	dma_addr_t dma;

	cmd = plat_get_cmd(priv, &dma);
	if (!cmd)
		return -ENOMEM;
	cmd->opcode = cpu_to_le32(opcode);
	cmd->addr = cpu_to_le64(addr);
	dma_pool_free(priv->pool, cmd, dma);
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
	priv->scratch = dmam_alloc_coherent(&pdev->dev, PAGE_SIZE, &priv->scratch_dma,
					    GFP_KERNEL);
	if (!priv->scratch)
		return -ENOMEM;
	priv->pool = dma_pool_create("plat", &pdev->dev, sizeof(struct plat_cmd), 16, 0);
	if (!priv->pool)
		return -ENOMEM;
	platform_set_drvdata(pdev, priv);
	return plat_send(priv, 1, priv->scratch_dma);
}

static int plat_remove(struct platform_device *pdev)
{
	struct plat_priv *priv = platform_get_drvdata(pdev);

	dma_pool_destroy(priv->pool);
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
