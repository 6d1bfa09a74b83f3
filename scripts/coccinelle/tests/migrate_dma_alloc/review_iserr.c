// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): the check
 * before the context is IS_ERR(base); its branch returns PTR_ERR(base), which
 * means nothing once base is valid: untouched
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/io.h>

#define RING_BYTES 4096

struct pe_desc {
	__le32 status;
	__le32 buf;
};

struct pe_priv {
	struct platform_device *pdev;
	void __iomem *base;
	struct pe_desc *ring;
	dma_addr_t ring_dma;
};

static int pe_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct pe_priv *priv;
	void __iomem *base;
	int ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	ndev = devm_alloc_etherdev(&pdev->dev, sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(base))
		return PTR_ERR(base);
	priv = netdev_priv(ndev);
	priv->pdev = pdev;
	priv->base = base;
	priv->ring = dmam_alloc_coherent(&pdev->dev, RING_BYTES, &priv->ring_dma, GFP_KERNEL);
	if (!priv->ring)
		return -ENOMEM;
	priv->ring[0].status = 0;
	platform_set_drvdata(pdev, ndev);
	return devm_register_netdev(&pdev->dev, ndev);
}

static const struct of_device_id pe_of[] = {
	{ .compatible = "x,pe" },
	{ }
};
MODULE_DEVICE_TABLE(of, pe_of);

static struct platform_driver pe_driver = {
	.driver = { .name = "pe", .of_match_table = pe_of },
	.probe = pe_probe,
};
module_platform_driver(pe_driver);
MODULE_LICENSE("GPL");
