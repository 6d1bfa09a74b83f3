/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu.h - the device half of the C samples' drivers for QEMU's edu
 *
 * Bringing an edu up for DMA, starting a transfer and waiting for the
 * engine to go idle: what every edu driver does the same way, apart from
 * its memory, which is dmashim's.  Static inline, so that each sample stays
 * one module of its own; the register map is edu_regs.h, which the Rust
 * sample shares.
 */
#ifndef _SAMPLES_EDU_H
#define _SAMPLES_EDU_H

#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/pci.h>

#include "edu_regs.h"

/* edu finishes a transfer 100 ms (virtual clock) after it is started. */
#define EDU_DMA_TIMEOUT_US	(5 * USEC_PER_SEC)
#define EDU_DMA_POLL_US		1000
#define EDU_LIVENESS_PROBE	0x5a5a0f0fU

/**
 * edu_hw_init() - make an edu device ready for DMA
 * @pdev: the device being probed.
 * @name: the driver's name, for BAR0's resource.
 * @regsp: where to store BAR0's mapping.
 *
 * Enables the device and maps BAR0 (both managed: undone after remove()),
 * checks that the device answers as an edu, sets its 28-bit DMA masks and
 * enables bus mastering.
 *
 * Context: Process context, probe(); may sleep.
 * Return: 0 and *@regsp set; -ENODEV if the device does not answer as an
 * edu; or the error of the PCI or DMA call that failed.
 */
static inline int edu_hw_init(struct pci_dev *pdev, const char *name,
			      void __iomem **regsp)
{
	void __iomem *regs;
	u32 id, live;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), name);
	if (ret)
		return ret;
	regs = pcim_iomap_table(pdev)[0];
	id = readl(regs + EDU_REG_ID);
	writel(EDU_LIVENESS_PROBE, regs + EDU_REG_LIVENESS);
	live = readl(regs + EDU_REG_LIVENESS);
	if ((id & 0xff) != EDU_ID_MAGIC || live != ~EDU_LIVENESS_PROBE) {
		dev_err(&pdev->dev, "not an edu device (id 0x%08x)\n", id);
		return -ENODEV;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;
	pci_set_master(pdev);
	*regsp = regs;
	return 0;
}

/**
 * edu_dma_start() - start one transfer
 * @regs: BAR0.
 * @src: source, a device address.
 * @dst: destination, a device address.
 * @len: bytes, 1 to EDU_BUF_USABLE.
 * @cmd: EDU_DMA_TO_RAM and EDU_DMA_IRQ as wanted.
 *
 * The engine must be idle.  writel() orders the CPU's earlier writes to
 * coherent memory before the start.
 *
 * Context: Any context.
 */
static inline void edu_dma_start(void __iomem *regs, u64 src, u64 dst,
				 u32 len, u32 cmd)
{
	writeq(src, regs + EDU_REG_DMA_SRC);
	writeq(dst, regs + EDU_REG_DMA_DST);
	writeq(len, regs + EDU_REG_DMA_COUNT);
	writel(cmd | EDU_DMA_RUN, regs + EDU_REG_DMA_CMD);
}

/**
 * edu_dma_idle() - wait until no transfer runs
 * @regs: BAR0.
 *
 * Context: Process context; sleeps, up to EDU_DMA_TIMEOUT_US.
 * Return: 0; -ETIMEDOUT if a transfer never ends: the device is wedged and
 * may still access the memory it was given.
 */
static inline int edu_dma_idle(void __iomem *regs)
{
	u32 cmd;

	return readl_poll_timeout(regs + EDU_REG_DMA_CMD, cmd,
				  !(cmd & EDU_DMA_RUN), EDU_DMA_POLL_US,
				  EDU_DMA_TIMEOUT_US);
}

#endif /* _SAMPLES_EDU_H */
