// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: the usual CPU uses of a coherent buffer:
 * memset, memcpy in and out, descriptor stores and loads through the ring
 * pointer, a local cursor into the ring, a read-modify-write and an
 * increment.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/string.h>

#define CA_ENTRIES	16

struct ca_desc {
	__le64 buf;
	__le32 ctrl;
	u8 status;
	u8 pad[3];
};

struct ca_priv {
	struct device *dev;
	struct ca_desc *ring;
	dma_addr_t ring_dma;
	u8 *bounce;
	dma_addr_t bounce_dma;
	unsigned int tail;
};

static void ca_reset(struct ca_priv *ca)
{
	memset(ca->ring, 0, CA_ENTRIES * sizeof(*ca->ring));
	ca->tail = 0;
}

static void ca_fill(struct ca_priv *ca, const void *data, size_t len)
{
	struct ca_desc *d = &ca->ring[ca->tail];

	memcpy(ca->bounce, data, len);
	d->buf = cpu_to_le64(ca->bounce_dma);
	d->ctrl = cpu_to_le32(len);
	d->ctrl |= cpu_to_le32(BIT(31));
	ca->ring[ca->tail].pad[0]++;
}

static bool ca_done(struct ca_priv *ca, void *out, size_t len)
{
	if (!(ca->ring[ca->tail].status & 1))
		return false;
	memcpy(out, ca->bounce, len);
	return true;
}

static int ca_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ca_priv *ca;
	int ret;

	ca = devm_kzalloc(&pdev->dev, sizeof(*ca), GFP_KERNEL);
	if (!ca)
		return -ENOMEM;
	ca->dev = &pdev->dev;
	ret = dma_set_mask_and_coherent(ca->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	ca->ring = dmam_alloc_coherent(ca->dev, CA_ENTRIES * sizeof(*ca->ring), &ca->ring_dma,
				       GFP_KERNEL);
	ca->bounce = dmam_alloc_coherent(ca->dev, PAGE_SIZE, &ca->bounce_dma, GFP_KERNEL);
	if (!ca->ring || !ca->bounce)
		return -ENOMEM;
	ca_reset(ca);
	ca_fill(ca, "hello", 5);
	pci_set_drvdata(pdev, ca);
	return ca_done(ca, NULL, 0) ? 0 : -EIO;
}

static const struct pci_device_id ca_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10fa) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ca_ids);

static struct pci_driver ca_driver = {
	.name = "ca",
	.id_table = ca_ids,
	.probe = ca_probe,
};
module_pci_driver(ca_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: CPU accesses");
MODULE_LICENSE("GPL");
