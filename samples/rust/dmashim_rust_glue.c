// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_rust_glue.c - PCI glue of the Rust dmashim sample driver
 *
 * Linux 6.1's Rust support has no PCI, device or MMIO abstractions, so this
 * object does what it cannot: it registers the pci_driver for QEMU's edu
 * device, enables it, maps BAR0, sets the 28-bit DMA masks, creates the
 * device's dmashim context with devm_dmashim_ctx_create() and then hands the
 * device and the context to the Rust driver (dmashim_rust_edu_probe()).  It
 * also gives Rust the register accessors (readl()/writel() are inline C) and
 * msleep().  Everything about DMA happens in Rust, through the dmashim
 * wrapper.
 *
 * This is not a module of its own: it is linked with dmashim_rust_edu.o into
 * dmashim_rust_sample.ko, whose module_init, license and symbol namespace
 * import come from the Rust object (module! and the wrapper).  So no symbol
 * is exported, and the BAR mapping and the context live exactly from probe()
 * to the end of remove(), inside which all Rust code that uses them runs.
 */
#include <linux/delay.h>
#include <linux/module.h>

#include <dmashim.h>

#include "../edu/edu.h"
#include "dmashim_rust_glue.h"

struct dmashim_rust_edu {
	struct pci_dev *pdev;
	void __iomem *bar;
	resource_size_t bar_len;
	struct dmashim_ctx *ctx;
};

struct device *dmashim_rust_glue_device(struct dmashim_rust_edu *edu)
{
	return edu ? &edu->pdev->dev : NULL;
}

static int edu_check(struct dmashim_rust_edu *edu, u32 offset, u32 size)
{
	if (!edu)
		return -EINVAL;
	if (!IS_ALIGNED(offset, size) || edu->bar_len < size ||
	    offset > edu->bar_len - size)
		return -ERANGE;
	return 0;
}

int dmashim_rust_glue_read32(struct dmashim_rust_edu *edu, u32 offset,
			     u32 *valp)
{
	int ret = edu_check(edu, offset, sizeof(u32));

	if (ret)
		return ret;
	if (!valp)
		return -EINVAL;
	*valp = readl(edu->bar + offset);
	return 0;
}

int dmashim_rust_glue_write32(struct dmashim_rust_edu *edu, u32 offset,
			      u32 val)
{
	int ret = edu_check(edu, offset, sizeof(u32));

	if (ret)
		return ret;
	writel(val, edu->bar + offset);
	return 0;
}

int dmashim_rust_glue_write64(struct dmashim_rust_edu *edu, u32 offset,
			      u64 val)
{
	int ret = edu_check(edu, offset, sizeof(u64));

	if (ret)
		return ret;
	writeq(val, edu->bar + offset);
	return 0;
}

void dmashim_rust_glue_msleep(u32 ms)
{
	msleep(ms);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dmashim_rust_edu *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;

	ret = edu_hw_init(pdev, KBUILD_MODNAME, &edu->bar);
	if (ret)
		return ret;
	edu->bar_len = pci_resource_len(pdev, 0);
	ret = devm_dmashim_ctx_create(&pdev->dev, &edu->ctx);
	if (ret)
		return ret;

	pci_set_drvdata(pdev, edu);
	return dmashim_rust_edu_probe(edu, edu->ctx);
}

static void edu_remove(struct pci_dev *pdev)
{
	struct dmashim_rust_edu *edu = pci_get_drvdata(pdev);

	dmashim_rust_edu_remove(edu);
	pci_clear_master(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "dmashim_rust_edu",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

int dmashim_rust_glue_register(void)
{
	return pci_register_driver(&edu_driver);
}

void dmashim_rust_glue_unregister(void)
{
	pci_unregister_driver(&edu_driver);
}
