// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a storage controller that takes its command
 * blocks from a dma_pool created at probe and destroyed at remove.
 */
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/bug.h>
#include <dmashim.h>

/* Added by the dmashim migration: the DMA API's shape over dmashim handles. */
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

#define MYHBA_CMD_BYTES		64
#define MYHBA_REG_DOORBELL	0x40

struct myhba_cmd {
	__le64 lba;
	__le32 count;
	__le32 opcode;
};

struct myhba {
	struct device *dev;
	void __iomem *regs;
	dmashim_pool_t cmd_pool;
	struct dmashim_ctx *dmashim;
};

struct myhba_req {
	struct myhba *hba;
	dmashim_handle_t cmd;
	dma_addr_t cmd_dma;
};

static int myhba_submit(struct myhba_req *req, u64 lba, u32 count)
{
	struct myhba *hba = req->hba;

	req->cmd = dmashim_mig_pool_alloc(hba->dmashim, hba->cmd_pool, DMASHIM_ALLOC_NOWAIT,
					  &req->cmd_dma);
	if (!req->cmd)
		return -ENOMEM;
	dmashim_mig_store64(hba->dmashim, req->cmd, offsetof(struct myhba_cmd, lba),
			    (__force u64)(cpu_to_le64(lba)));
	dmashim_mig_store32(hba->dmashim, req->cmd, offsetof(struct myhba_cmd, count),
			    (__force u32)(cpu_to_le32(count)));
	writeq(req->cmd_dma, hba->regs + MYHBA_REG_DOORBELL);
	return 0;
}

static void myhba_complete(struct myhba_req *req)
{
	dmashim_mig_free(req->hba->dmashim, req->cmd);
	req->cmd = 0;
}

static int myhba_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct myhba *hba;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	hba = devm_kzalloc(&pdev->dev, sizeof(*hba), GFP_KERNEL);
	if (!hba)
		return -ENOMEM;
	if (devm_dmashim_ctx_create(&pdev->dev, &hba->dmashim))
		return -ENOMEM;
	hba->dev = &pdev->dev;
	hba->regs = pcim_iomap(pdev, 0, 0);
	if (!hba->regs)
		return -ENOMEM;
	hba->cmd_pool = dmashim_mig_pool_create(hba->dmashim, "myhba_cmd", MYHBA_CMD_BYTES, 64, 0);
	if (!hba->cmd_pool)
		return -ENOMEM;
	pci_set_drvdata(pdev, hba);
	return 0;
}

static void myhba_remove(struct pci_dev *pdev)
{
	struct myhba *hba = pci_get_drvdata(pdev);

	dmashim_mig_pool_destroy(hba->dmashim, hba->cmd_pool);
}

static const struct pci_device_id myhba_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10fe) },
	{ }
};
MODULE_DEVICE_TABLE(pci, myhba_ids);

static struct pci_driver myhba_driver = {
	.name = "myhba",
	.id_table = myhba_ids,
	.probe = myhba_probe,
	.remove = myhba_remove,
};
module_pci_driver(myhba_driver);

MODULE_DESCRIPTION("migrate_dma_alloc fixture: dma_pool user");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMASHIM);
