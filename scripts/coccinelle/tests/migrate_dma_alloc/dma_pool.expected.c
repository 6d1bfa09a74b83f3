// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_dma_alloc fixture: a storage controller that takes its command
 * blocks from a dma_pool created at probe and destroyed at remove.
 */
#include <linux/dma-mapping.h>
#include <dmashim.h>
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
	struct dmashim_ctx *dmashim;
	void __iomem *regs;
	dmashim_pool_t cmd_pool;
};

struct myhba_req {
	struct myhba *hba;
	dmashim_handle_t cmd;
	dma_addr_t cmd_dma;
};

static int myhba_submit(struct myhba_req *req, u64 lba, u32 count)
{
	struct myhba *hba = req->hba;

	if (dmashim_pool_alloc(hba->dmashim, hba->cmd_pool, DMASHIM_ALLOC_NOWAIT, &req->cmd) || dmashim_dma_addr(hba->dmashim, req->cmd, 0, sizeof(struct myhba_cmd), &req->cmd_dma))
		return -ENOMEM;
	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
	req->cmd->lba = cpu_to_le64(lba);
	/* dmashim: TODO: was a CPU pointer; use dmashim_read/write/load/store() */
	req->cmd->count = cpu_to_le32(count);
	writeq(req->cmd_dma, hba->regs + MYHBA_REG_DOORBELL);
	return 0;
}

static void myhba_complete(struct myhba_req *req)
{
	WARN_ON(dmashim_free(req->hba->dmashim, req->cmd));
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
	hba->dev = &pdev->dev;
	hba->regs = pcim_iomap(pdev, 0, 0);
	if (!hba->regs)
		return -ENOMEM;
	if (devm_dmashim_ctx_create(hba->dev, &hba->dmashim))
		return -ENOMEM;
	if (dmashim_pool_create(hba->dmashim, "myhba_cmd", MYHBA_CMD_BYTES, &(struct dmashim_pool_opts){
				.sz = sizeof(struct dmashim_pool_opts),
				.align = 64
			}, &hba->cmd_pool))
		return -ENOMEM;
	pci_set_drvdata(pdev, hba);
	return 0;
}

static void myhba_remove(struct pci_dev *pdev)
{
	struct myhba *hba = pci_get_drvdata(pdev);

	WARN_ON(dmashim_pool_destroy(hba->dmashim, hba->cmd_pool));
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
