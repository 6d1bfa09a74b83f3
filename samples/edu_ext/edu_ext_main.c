// SPDX-License-Identifier: GPL-2.0
/*
 * edu_ext - an edu driver built in a tree of its own against the installed
 * dmashim
 *
 * What a driver looks like that uses the distribution's dmashim: the
 * dmashim-dkms package builds dmashim.ko for each installed kernel, and
 * the driver is built against the dmashim-dev package only (<dmashim.h>
 * and /usr/share/dmashim/dmashim.mk, which hands modpost the CRCs of the
 * dmashim.ko that DKMS built).  With MODVERSIONS, as on Debian's kernels,
 * a driver built against another dmashim's exports is refused at load;
 * without, the ABI check in the module init still refuses a library of
 * another ABI.
 *
 * At probe the device proves DMA works: it reads a random pattern from a
 * pool block into its own memory, then writes it into a coherent buffer,
 * which the driver reads back.  The probe fails unless the pattern came
 * back.  The pool goes after the transfer; the buffer stays until the
 * device goes, and its unbind revokes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>

#include <dmashim.h>

#include "edu.h"

MODULE_IMPORT_NS(DMASHIM);

#define EDU_EXT_LEN	256

struct edu_ext {
	struct pci_dev *pdev;
	void __iomem *regs;
	struct dmashim_ctx *ctx;
	dmashim_handle_t dst;
};

/*
 * The transfer's end.  A device that did not finish in time may still
 * access the memory it was given: it loses bus mastering before any of
 * that memory goes back (the error unwinds free it).
 */
static int edu_ext_wait(struct edu_ext *ee)
{
	int ret = edu_dma_idle(ee->regs);

	if (ret)
		pci_clear_master(ee->pdev);
	return ret;
}

/* The device copies EDU_EXT_LEN bytes from the buffer @from to its memory. */
static int edu_ext_to_device(struct edu_ext *ee, dmashim_handle_t from)
{
	u64 dma;
	int ret;

	ret = dmashim_dma_addr(ee->ctx, from, 0, EDU_EXT_LEN, &dma);
	if (ret)
		return ret;
	edu_dma_start(ee->regs, dma, EDU_BUF_ADDR, EDU_EXT_LEN, 0);
	return edu_ext_wait(ee);
}

/* The device copies EDU_EXT_LEN bytes from its memory into the buffer @to. */
static int edu_ext_from_device(struct edu_ext *ee, dmashim_handle_t to)
{
	u64 dma;
	int ret;

	ret = dmashim_dma_addr(ee->ctx, to, 0, EDU_EXT_LEN, &dma);
	if (ret)
		return ret;
	edu_dma_start(ee->regs, EDU_BUF_ADDR, dma, EDU_EXT_LEN, EDU_DMA_TO_RAM);
	return edu_ext_wait(ee);
}

/* @pattern into the device from a pool block; the pool is gone after. */
static int edu_ext_upload(struct edu_ext *ee, const u8 *pattern)
{
	dmashim_pool_t pool;
	dmashim_handle_t block;
	int ret;

	ret = dmashim_pool_create(ee->ctx, "edu_ext", EDU_EXT_LEN, NULL, &pool);
	if (ret)
		return ret;
	ret = dmashim_pool_alloc(ee->ctx, pool, 0, &block);
	if (ret)
		goto out;
	ret = dmashim_write(ee->ctx, block, 0, pattern, EDU_EXT_LEN);
	if (!ret)
		ret = edu_ext_to_device(ee, block);
	/* The device is idle, or no longer masters the bus (edu_ext_wait()). */
	ret = dmashim_free(ee->ctx, block) ?: ret;
out:
	return dmashim_pool_destroy(ee->ctx, pool) ?: ret;
}

/* The device's memory into a coherent buffer, kept until unbind. */
static int edu_ext_download(struct edu_ext *ee, u8 *back)
{
	int ret;

	ret = dmashim_alloc(ee->ctx, EDU_EXT_LEN, NULL, &ee->dst);
	if (ret)
		return ret;
	ret = edu_ext_from_device(ee, ee->dst);
	if (ret)
		return ret;
	return dmashim_read(ee->ctx, ee->dst, 0, back, EDU_EXT_LEN);
}

static int edu_ext_round_trip(struct edu_ext *ee)
{
	u8 pattern[EDU_EXT_LEN], back[EDU_EXT_LEN] = { };
	int ret;

	get_random_bytes(pattern, sizeof(pattern));
	ret = edu_ext_upload(ee, pattern);
	if (!ret)
		ret = edu_ext_download(ee, back);
	if (!ret && memcmp(pattern, back, sizeof(back)))
		ret = -EIO;
	return ret;
}

static int edu_ext_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu_ext *ee;
	int ret;

	ee = devm_kzalloc(dev, sizeof(*ee), GFP_KERNEL);
	if (!ee)
		return -ENOMEM;
	ee->pdev = pdev;
	ret = edu_hw_init(pdev, KBUILD_MODNAME, &ee->regs);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the device\n");
	/* Managed: revoked after remove(), the buffer with it. */
	ret = devm_dmashim_ctx_create(dev, &ee->ctx);
	if (ret)
		return dev_err_probe(dev, ret, "no dmashim context\n");
	ret = edu_ext_round_trip(ee);
	if (ret)
		return dev_err_probe(dev, ret, "DMA round trip failed\n");
	dev_info(dev, "%u bytes through the device and back, by the installed dmashim\n",
		 EDU_EXT_LEN);
	return 0;
}

static const struct pci_device_id edu_ext_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ext_ids);

static struct pci_driver edu_ext_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ext_ids,
	.probe = edu_ext_probe,
};

static int __init edu_ext_init(void)
{
	u32 abi = dmashim_abi_version();

	if (abi != DMASHIM_ABI_VERSION) {
		pr_err("built for dmashim ABI %u, the loaded dmashim has ABI %u\n",
		       DMASHIM_ABI_VERSION, abi);
		return -ENOEXEC;
	}
	return pci_register_driver(&edu_ext_driver);
}

static void __exit edu_ext_exit(void)
{
	pci_unregister_driver(&edu_ext_driver);
}

module_init(edu_ext_init);
module_exit(edu_ext_exit);

MODULE_DESCRIPTION("edu sample driver built against the installed dmashim");
MODULE_LICENSE("GPL");
