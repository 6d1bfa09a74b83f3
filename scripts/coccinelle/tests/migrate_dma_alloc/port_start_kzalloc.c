// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture, refused: as port_start.c, but the port's
 * structure comes from kzalloc() and is freed in port_stop(), so a context
 * created in port_start() would outlive it on every restart: untouched.
 * The original text: a libata-style driver.  probe sets the mask on
 * the PCI device but keeps nothing of its own; each port's private
 * structure is made in port_start(), called through an ops table, which
 * then allocates the port's command block on the host's device.  The
 * context goes in the port's structure, created on that device right after
 * it is checked, and lives as long as it does (until unbind).  Uses in the
 * interrupt path reach it through ap->private_data, set inside a loop.
 */
#include <linux/dma-mapping.h>
#include <linux/libata.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#define MYATA_CMDS	32

struct myata_cmd {
	__le32 ctrl;
	__le32 status;
	__le64 addr;
};

struct myata_port_priv {
	struct myata_cmd *cmd;
	dma_addr_t cmd_dma;
	int state;
};

static int myata_port_start(struct ata_port *ap)
{
	struct device *dev = ap->host->dev;
	struct myata_port_priv *pp;
	size_t size = sizeof(*pp->cmd) * MYATA_CMDS;

	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return -ENOMEM;
	pp->cmd = dmam_alloc_coherent(dev, size, &pp->cmd_dma, GFP_KERNEL);
	if (!pp->cmd)
		return -ENOMEM;
	ap->private_data = pp;
	return 0;
}

static void myata_port_stop(struct ata_port *ap)
{
	kfree(ap->private_data);
}

static unsigned int myata_done(struct ata_host *host)
{
	unsigned int i, done = 0;

	for (i = 0; i < host->n_ports; i++) {
		struct myata_port_priv *pp;

		pp = host->ports[i]->private_data;
		if (!pp || !pp->state)
			continue;
		if (le32_to_cpu(pp->cmd[0].status) & 1)
			done++;
		pp->cmd[0].status = 0;
	}
	return done;
}

static irqreturn_t myata_irq(int irq, void *data)
{
	return myata_done(data) ? IRQ_HANDLED : IRQ_NONE;
}

static struct ata_port_operations myata_ops = {
	.inherits	= &ata_base_port_ops,
	.port_start	= myata_port_start,
	.port_stop	= myata_port_stop,
};

static const struct ata_port_info myata_info = {
	.flags		= ATA_FLAG_SATA,
	.port_ops	= &myata_ops,
};

static struct scsi_host_template myata_sht = {
	ATA_BASE_SHT("myata"),
};

static int myata_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const struct ata_port_info *ppi[] = { &myata_info, NULL };
	struct ata_host *host;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	host = ata_host_alloc_pinfo(&pdev->dev, ppi, 2);
	if (!host)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	return ata_host_activate(host, pdev->irq, myata_irq, IRQF_SHARED, &myata_sht);
}

static const struct pci_device_id myata_ids[] = {
	{ PCI_DEVICE(0x1234, 0x5679) },
	{ }
};
MODULE_DEVICE_TABLE(pci, myata_ids);

static struct pci_driver myata_driver = {
	.name		= "myata",
	.id_table	= myata_ids,
	.probe		= myata_probe,
	.remove		= ata_pci_remove_one,
};
module_pci_driver(myata_driver);
MODULE_LICENSE("GPL");
