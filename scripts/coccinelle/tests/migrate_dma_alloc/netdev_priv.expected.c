// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: an old-style PCI NIC that never sets a DMA
 * mask and keeps its state in netdev_priv(), which cannot fail, so nothing
 * is checked after it.  The context is created just before the first
 * allocation and fails the way that allocation does (its own goto).
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
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

static void __maybe_unused dmashim_mig_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u32 v)
{
	WARN_ON_ONCE(dmashim_store32(ctx, h, off, v));
}

#define OLDNIC_RING_BYTES	4096

struct oldnic_desc {
	__le32 status;
	__le32 buf;
};

struct oldnic_priv {
	struct pci_dev *pdev;
	dmashim_handle_t ring;
	dma_addr_t ring_dma;
	struct dmashim_ctx *dmashim;
};

static int oldnic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct oldnic_priv *np;
	dmashim_handle_t ring_space;
	dma_addr_t ring_dma;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	dev = alloc_etherdev(sizeof(*np));
	if (!dev) {
		err = -ENOMEM;
		goto err_disable;
	}
	SET_NETDEV_DEV(dev, &pdev->dev);
	np = netdev_priv(dev);
	np->pdev = pdev;
	pci_set_drvdata(pdev, dev);
	if (devm_dmashim_ctx_create(&pdev->dev, &np->dmashim)) {
		err = -ENOMEM;
		goto err_free_dev;
	}

	ring_space = dmashim_mig_alloc(np->dmashim, OLDNIC_RING_BYTES, &ring_dma, 0);
	if (!ring_space) {
		err = -ENOMEM;
		goto err_free_dev;
	}
	np->ring = ring_space;
	np->ring_dma = ring_dma;
	dmashim_mig_store32(np->dmashim, np->ring,
			    (0) * sizeof(struct oldnic_desc) + offsetof(struct oldnic_desc, status),
			    0);
	err = register_netdev(dev);
	if (err)
		goto err_free_ring;
	return 0;

err_free_ring:
	dmashim_mig_free(np->dmashim, np->ring);
err_free_dev:
	free_netdev(dev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void oldnic_remove(struct pci_dev *pdev)
{
	struct net_device *dev = pci_get_drvdata(pdev);
	struct oldnic_priv *np = netdev_priv(dev);

	unregister_netdev(dev);
	dmashim_mig_free(np->dmashim, np->ring);
	free_netdev(dev);
	pci_disable_device(pdev);
}

static const struct pci_device_id oldnic_ids[] = {
	{ PCI_DEVICE(0x1234, 0x567a) },
	{ }
};
MODULE_DEVICE_TABLE(pci, oldnic_ids);

static struct pci_driver oldnic_driver = {
	.name		= "oldnic",
	.id_table	= oldnic_ids,
	.probe		= oldnic_probe,
	.remove		= oldnic_remove,
};
module_pci_driver(oldnic_driver);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMASHIM);
