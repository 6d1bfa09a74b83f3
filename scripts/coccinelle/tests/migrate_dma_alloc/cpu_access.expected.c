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

static u8 __maybe_unused dmashim_mig_load8(struct dmashim_ctx *ctx, dmashim_handle_t h, u64 off)
{
	u8 v = 0;

	WARN_ON_ONCE(dmashim_load8(ctx, h, off, &v));
	return v;
}

static void __maybe_unused dmashim_mig_store8(struct dmashim_ctx *ctx, dmashim_handle_t h,
					      u64 off, u8 v)
{
	WARN_ON_ONCE(dmashim_store8(ctx, h, off, v));
}

static u32 __maybe_unused dmashim_mig_load32(struct dmashim_ctx *ctx, dmashim_handle_t h, u64 off)
{
	u32 v = 0;

	WARN_ON_ONCE(dmashim_load32(ctx, h, off, &v));
	return v;
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

#define CA_ENTRIES	16

struct ca_desc {
	__le64 buf;
	__le32 ctrl;
	u8 status;
	u8 pad[3];
};

struct ca_priv {
	struct device *dev;
	dmashim_handle_t ring;
	dma_addr_t ring_dma;
	dmashim_handle_t bounce;
	dma_addr_t bounce_dma;
	unsigned int tail;
	struct dmashim_ctx *dmashim;
};

static void ca_reset(struct ca_priv *ca)
{
	WARN_ON_ONCE(dmashim_fill(ca->dmashim, ca->ring, 0, 0,
				  CA_ENTRIES * sizeof(struct ca_desc)));
	ca->tail = 0;
}

static void ca_fill(struct ca_priv *ca, const void *data, size_t len)
{
	u64 d_off = (ca->tail) * sizeof(struct ca_desc);

	WARN_ON_ONCE(dmashim_write(ca->dmashim, ca->bounce, 0, data, len));
	dmashim_mig_store64(ca->dmashim, ca->ring, d_off + offsetof(struct ca_desc, buf),
			    (__force u64)(cpu_to_le64(ca->bounce_dma)));
	dmashim_mig_store32(ca->dmashim, ca->ring, d_off + offsetof(struct ca_desc, ctrl),
			    (__force u32)(cpu_to_le32(len)));
	dmashim_mig_store32(ca->dmashim, ca->ring, d_off + offsetof(struct ca_desc, ctrl),
			    (__force u32)((__force __le32)dmashim_mig_load32(ca->dmashim, ca->ring,
					    d_off + offsetof(struct ca_desc, ctrl)) |
					  (cpu_to_le32(BIT(31)))));
	dmashim_mig_store8(ca->dmashim, ca->ring,
			   (ca->tail) * sizeof(struct ca_desc) + offsetof(struct ca_desc, pad[0]),
			   dmashim_mig_load8(ca->dmashim, ca->ring,
					     (ca->tail) * sizeof(struct ca_desc) +
					     offsetof(struct ca_desc, pad[0])) + 1);
}

static bool ca_done(struct ca_priv *ca, void *out, size_t len)
{
	if (!(dmashim_mig_load8(ca->dmashim, ca->ring,
				(ca->tail) * sizeof(struct ca_desc) +
				offsetof(struct ca_desc, status)) & 1))
		return false;
	WARN_ON_ONCE(dmashim_read(ca->dmashim, ca->bounce, 0, out, len));
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
	ret = devm_dmashim_ctx_create(ca->dev, &ca->dmashim);
	if (ret)
		return ret;
	ca->ring = dmashim_mig_alloc(ca->dmashim, CA_ENTRIES * sizeof(struct ca_desc),
				     &ca->ring_dma, 0);
	ca->bounce = dmashim_mig_alloc(ca->dmashim, PAGE_SIZE, &ca->bounce_dma, 0);
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
MODULE_IMPORT_NS(DMASHIM);
