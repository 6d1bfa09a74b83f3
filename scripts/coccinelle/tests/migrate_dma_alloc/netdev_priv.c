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

#define OLDNIC_RING_BYTES	4096

struct oldnic_desc {
	__le32 status;
	__le32 buf;
};

struct oldnic_priv {
	struct pci_dev *pdev;
	struct oldnic_desc *ring;
	dma_addr_t ring_dma;
};

static int oldnic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct oldnic_priv *np;
	void *ring_space;
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

	ring_space = dma_alloc_coherent(&pdev->dev, OLDNIC_RING_BYTES, &ring_dma, GFP_KERNEL);
	if (!ring_space) {
		err = -ENOMEM;
		goto err_free_dev;
	}
	np->ring = ring_space;
	np->ring_dma = ring_dma;
	np->ring[0].status = 0;
	err = register_netdev(dev);
	if (err)
		goto err_free_ring;
	return 0;

err_free_ring:
	dma_free_coherent(&pdev->dev, OLDNIC_RING_BYTES, np->ring, np->ring_dma);
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
	dma_free_coherent(&pdev->dev, OLDNIC_RING_BYTES, np->ring, np->ring_dma);
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
