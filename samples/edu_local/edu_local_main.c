// SPDX-License-Identifier: GPL-2.0
/*
 * edu_local - an edu driver that carries its own copy of dmashim
 *
 * What a driver looks like that keeps the wrapper in its own code: the
 * copy made by scripts/vendor.sh is linked into this module by
 * kernel/local.mk and started first thing in the module init.  Nothing is
 * imported from dmashim.ko; it may be loaded beside this module, as may
 * other drivers with copies of their own (make test builds this driver
 * twice, as edu_local_a and edu_local_b, each in a tree of its own).
 *
 * At probe the device proves DMA works through the copy: it reads a random
 * pattern from a coherent buffer into its own memory, then writes it into
 * a kmalloc()ed buffer mapped for it by handle.  The probe fails unless the
 * pattern came back; the coherent buffer stays until the device goes.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <dmashim.h>
#include <dmashim_local.h>

#include "edu.h"

#define EDU_LOCAL_LEN	256

struct edu_local {
	void __iomem *regs;
	struct dmashim_ctx *ctx;
	dmashim_handle_t src;
};

/* One transfer of EDU_LOCAL_LEN bytes between @dma and edu's buffer. */
static int edu_local_transfer(struct edu_local *el, u64 dma, bool to_ram)
{
	if (to_ram)
		edu_dma_start(el->regs, EDU_BUF_ADDR, dma, EDU_LOCAL_LEN,
			      EDU_DMA_TO_RAM);
	else
		edu_dma_start(el->regs, dma, EDU_BUF_ADDR, EDU_LOCAL_LEN, 0);
	return edu_dma_idle(el->regs);
}

/* The device copies @pattern from the coherent buffer into its memory. */
static int edu_local_upload(struct edu_local *el, const u8 *pattern)
{
	u64 dma;
	int ret;

	ret = dmashim_alloc(el->ctx, EDU_LOCAL_LEN, NULL, &el->src);
	if (ret)
		return ret;
	ret = dmashim_write(el->ctx, el->src, 0, pattern, EDU_LOCAL_LEN);
	if (ret)
		return ret;
	ret = dmashim_dma_addr(el->ctx, el->src, 0, EDU_LOCAL_LEN, &dma);
	if (ret)
		return ret;
	return edu_local_transfer(el, dma, false);
}

/* The device writes its memory into @buf, mapped for it meanwhile. */
static int edu_local_download(struct edu_local *el, u8 *buf)
{
	dmashim_handle_t map;
	u64 dma, len;
	int ret;

	ret = dmashim_map_single(el->ctx, buf, EDU_LOCAL_LEN,
				 DMASHIM_DIR_FROM_DEVICE, NULL, &map);
	if (ret)
		return ret;
	ret = dmashim_dma_segment(el->ctx, map, 0, &dma, &len);
	if (!ret)
		ret = edu_local_transfer(el, dma, true);
	/* Unmapped whatever happened: the CPU owns @buf again after this. */
	return dmashim_unmap(el->ctx, map) ?: ret;
}

static int edu_local_round_trip(struct edu_local *el)
{
	u8 *pattern, *back;
	int ret = -ENOMEM;

	pattern = kmalloc(EDU_LOCAL_LEN, GFP_KERNEL);
	back = kzalloc(EDU_LOCAL_LEN, GFP_KERNEL);
	if (!pattern || !back)
		goto out;
	get_random_bytes(pattern, EDU_LOCAL_LEN);
	ret = edu_local_upload(el, pattern);
	if (ret)
		goto out;
	ret = edu_local_download(el, back);
	if (!ret && memcmp(pattern, back, EDU_LOCAL_LEN))
		ret = -EIO;
out:
	kfree(back);
	kfree(pattern);
	return ret;
}

static int edu_local_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu_local *el;
	int ret;

	el = devm_kzalloc(dev, sizeof(*el), GFP_KERNEL);
	if (!el)
		return -ENOMEM;
	ret = edu_hw_init(pdev, KBUILD_MODNAME, &el->regs);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the device\n");
	/* Managed: revoked after remove(), the buffer with it. */
	ret = devm_dmashim_ctx_create(dev, &el->ctx);
	if (ret)
		return dev_err_probe(dev, ret, "no dmashim context\n");
	ret = edu_local_round_trip(el);
	if (ret)
		return dev_err_probe(dev, ret, "DMA round trip failed\n");
	dev_info(dev, "%u bytes through the device and back, by a driver-local dmashim\n",
		 EDU_LOCAL_LEN);
	return 0;
}

static const struct pci_device_id edu_local_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_local_ids);

static struct pci_driver edu_local_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_local_ids,
	.probe = edu_local_probe,
};

static int __init edu_local_init(void)
{
	int ret;

	ret = dmashim_local_init();
	if (ret)
		return ret;
	ret = pci_register_driver(&edu_local_driver);
	if (ret)
		dmashim_local_exit();
	return ret;
}

static void __exit edu_local_exit(void)
{
	pci_unregister_driver(&edu_local_driver);
	dmashim_local_exit();
}

module_init(edu_local_init);
module_exit(edu_local_exit);

MODULE_DESCRIPTION("edu sample driver with a driver-local copy of dmashim");
MODULE_LICENSE("GPL");
