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
	struct dma_pool *cmd_pool;
};

struct myhba_req {
	struct myhba *hba;
	struct myhba_cmd *cmd;
	dma_addr_t cmd_dma;
};

static int myhba_submit(struct myhba_req *req, u64 lba, u32 count)
{
	struct myhba *hba = req->hba;

	req->cmd = dma_pool_zalloc(hba->cmd_pool, GFP_ATOMIC, &req->cmd_dma);
	if (!req->cmd)
		return -ENOMEM;
	req->cmd->lba = cpu_to_le64(lba);
	req->cmd->count = cpu_to_le32(count);
	writeq(req->cmd_dma, hba->regs + MYHBA_REG_DOORBELL);
	return 0;
}

static void myhba_complete(struct myhba_req *req)
{
	dma_pool_free(req->hba->cmd_pool, req->cmd, req->cmd_dma);
	req->cmd = NULL;
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
	hba->dev = &pdev->dev;
	hba->regs = pcim_iomap(pdev, 0, 0);
	if (!hba->regs)
		return -ENOMEM;
	hba->cmd_pool = dma_pool_create("myhba_cmd", hba->dev, MYHBA_CMD_BYTES,
					64, 0);
	if (!hba->cmd_pool)
		return -ENOMEM;
	pci_set_drvdata(pdev, hba);
	return 0;
}

static void myhba_remove(struct pci_dev *pdev)
{
	struct myhba *hba = pci_get_drvdata(pdev);

	dma_pool_destroy(hba->cmd_pool);
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
