// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture (from a review that broke the rule): the next
 * statement that can fail is checked by a bare goto whose error code is set
 * by a statement before it.  The context is created right before that
 * statement, after err = -EIO, so its failure unwinds and returns exactly
 * what pci_iomap()'s would: complete.  (It was created right after
 * netdev_priv(), returning 0 from a failed probe.)
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>

#define NF_RING_BYTES	4096

struct nf_desc {
	__le32 status;
	__le32 buf;
};

struct nf_priv {
	struct pci_dev *pdev;
	void __iomem *base;
	struct nf_desc *ring;
	dma_addr_t ring_dma;
};

static int nf_alloc_ring(struct nf_priv *np)
{
	np->ring = dma_alloc_coherent(&np->pdev->dev, NF_RING_BYTES, &np->ring_dma, GFP_KERNEL);
	if (!np->ring)
		return -ENOMEM;
	np->ring[0].status = 0;
	return 0;
}

static int nf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct nf_priv *np;
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
	err = -EIO;
	np->base = pci_iomap(pdev, 0, 0);
	if (!np->base)
		goto err_free_dev;
	pci_set_drvdata(pdev, dev);
	err = nf_alloc_ring(np);
	if (err)
		goto err_unmap;
	err = register_netdev(dev);
	if (err)
		goto err_free_ring;
	return 0;

err_free_ring:
	dma_free_coherent(&pdev->dev, NF_RING_BYTES, np->ring, np->ring_dma);
err_unmap:
	pci_iounmap(pdev, np->base);
err_free_dev:
	free_netdev(dev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void nf_remove(struct pci_dev *pdev)
{
	struct net_device *dev = pci_get_drvdata(pdev);
	struct nf_priv *np = netdev_priv(dev);

	unregister_netdev(dev);
	dma_free_coherent(&pdev->dev, NF_RING_BYTES, np->ring, np->ring_dma);
	pci_iounmap(pdev, np->base);
	free_netdev(dev);
	pci_disable_device(pdev);
}

static const struct pci_device_id nf_ids[] = {
	{ PCI_DEVICE(0x1234, 0x567b) },
	{ }
};
MODULE_DEVICE_TABLE(pci, nf_ids);

static struct pci_driver nf_driver = {
	.name		= "nf",
	.id_table	= nf_ids,
	.probe		= nf_probe,
	.remove		= nf_remove,
};
module_pci_driver(nf_driver);
MODULE_LICENSE("GPL");
