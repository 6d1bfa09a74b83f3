// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): the
 * allocating function reassigns its device parameter between the owner and
 * the allocation: untouched
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define PD_RING 4096

struct pd_desc {
	__le32 ctrl;
	__le32 addr;
};

struct pd_port {
	struct device *dev;
	struct pd_desc *ring;
	dma_addr_t ring_dma;
};

struct pd_ops {
	int (*port_start)(struct device *dev, void **priv);
};

static int pd_port_start(struct device *dev, void **priv)
{
	struct pd_port *pp;

	pp = devm_kzalloc(dev, sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return -ENOMEM;
	/* the DMA engine sits on the parent bridge */
	if (dev->parent)
		dev = dev->parent;
	pp->dev = dev;
	pp->ring = dmam_alloc_coherent(dev, PD_RING, &pp->ring_dma, GFP_KERNEL);
	if (!pp->ring)
		return -ENOMEM;
	pp->ring[0].ctrl = 0;
	*priv = pp;
	return 0;
}

static const struct pd_ops pd_ops = {
	.port_start = pd_port_start,
};

struct pd_host {
	const struct pd_ops *ops;
	void *port_priv[2];
};

static int pd_probe(struct platform_device *pdev)
{
	struct pd_host *host;
	int i, ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	host = devm_kzalloc(&pdev->dev, sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->ops = &pd_ops;
	for (i = 0; i < 2; i++) {
		ret = host->ops->port_start(&pdev->dev, &host->port_priv[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static struct platform_driver pd_driver = {
	.driver = { .name = "pd" },
	.probe = pd_probe,
};
module_platform_driver(pd_driver);
MODULE_LICENSE("GPL");
