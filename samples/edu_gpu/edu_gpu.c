// SPDX-License-Identifier: GPL-2.0
/*
 * edu_gpu - a GPU-style sample driver for QEMU's edu PCI device, on dmashim
 *
 * Design
 * ======
 * A GPU driver has user space stream data into an upload buffer and the
 * device copy it into video memory.  Here, with edu (PCI 1234:11e8):
 *
 *  - the upload buffer is write-combined coherent memory
 *    (DMASHIM_ALLOC_WRITE_COMBINE) that user space maps through
 *    /dev/edu_gpu and fills directly (dmashim_mmap());
 *  - "VRAM" is a second coherent buffer, which user space can map too, to
 *    read the result back;
 *  - EDU_GPU_IOC_COPY has the device copy the upload buffer into VRAM.  edu
 *    only copies between memory and its own 4 KiB buffer, so every chunk
 *    takes two transfers: upload -> edu, then edu -> VRAM.  VRAM is cleared
 *    first, so stale data never passes, and afterwards the kernel compares
 *    VRAM with the upload buffer (dmashim_read()) and reports the verdict,
 *    the bytes moved, the transfers, the time and the live handles;
 *  - completion is by polling edu's command register: a copy is one
 *    synchronous ioctl (edu_nic shows the interrupt path).
 *
 * The misc device belongs to the module, not to the PCI device, so an open
 * file outlives an unbind; the module keeps a reference to the context
 * (dmashim_ctx_get()), and after unbind mmap() gets dmashim's -ENODEV, the
 * ioctls -ENODEV, and mappings made before fault with SIGBUS because
 * dmashim tore them down when it revoked the context.  remove() only
 * quiesces the device; devres releases the buffers.
 *
 * The user-space interface is edu_gpu_uapi.h; edu_gpu_user.c exercises it.
 */
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <dmashim.h>

#include "../edu/edu.h"
#include "edu_gpu_uapi.h"

MODULE_IMPORT_NS(DMASHIM);

#define DRV_NAME		"edu_gpu"

#define EDU_GPU_UPLOAD_SIZE	(16 * 1024)
#define EDU_GPU_VRAM_SIZE	EDU_GPU_UPLOAD_SIZE
/* Half of edu's buffer (QEMU 7.2 refuses transfers ending at its end). */
#define EDU_GPU_CHUNK		2048

/**
 * struct edu_gpu - one bound edu device
 * @pdev: the PCI device.
 * @regs: BAR0.
 * @ctx: the devm dmashim context of the buffers.
 * @upload: the write-combined upload buffer.
 * @vram: the "VRAM" buffer the device copies into.
 * @copies: copies run.
 * @wedged: a transfer never finished: no more copies.
 */
struct edu_gpu {
	struct pci_dev *pdev;
	void __iomem *regs;
	struct dmashim_ctx *ctx;
	dmashim_handle_t upload;
	dmashim_handle_t vram;
	unsigned int copies;
	bool wedged;
};

static struct {
	struct mutex lock;	/* serialises copies, probe, remove, mmap */
	struct edu_gpu *bound;	/* the bound device, or NULL */
	struct dmashim_ctx *ctx; /* the last device's context, referenced */
	dmashim_handle_t upload; /* its buffers, for mmap() */
	dmashim_handle_t vram;
} edu_gpu_state = {
	.lock = __MUTEX_INITIALIZER(edu_gpu_state.lock),
};

/* ---- the device ------------------------------------------------------- */

static int edu_gpu_dma_idle(struct edu_gpu *gpu)
{
	int ret = edu_dma_idle(gpu->regs);

	if (ret)
		gpu->wedged = true;
	return ret;
}

/* One transfer of @len bytes from @src to @dst (device addresses). */
static int edu_gpu_dma(struct edu_gpu *gpu, u64 src, u64 dst, u32 len,
		       u32 cmd)
{
	edu_dma_start(gpu->regs, src, dst, len, cmd);
	return edu_gpu_dma_idle(gpu);
}

/* ---- copies ----------------------------------------------------------- */

static u64 edu_gpu_live(struct edu_gpu *gpu)
{
	struct dmashim_stats st = { .sz = sizeof(st) };

	return dmashim_ctx_stats(gpu->ctx, &st) ? 0 : st.live;
}

/* Upload bytes @off..@off + @len - 1 to VRAM, through edu's buffer. */
static int edu_gpu_chunk(struct edu_gpu *gpu, u64 off, u32 len)
{
	u64 src, dst;
	int ret;

	ret = dmashim_dma_addr(gpu->ctx, gpu->upload, off, len, &src);
	if (ret)
		return ret;
	ret = dmashim_dma_addr(gpu->ctx, gpu->vram, off, len, &dst);
	if (ret)
		return ret;
	ret = edu_gpu_dma(gpu, src, EDU_BUF_ADDR, len, 0);
	if (ret)
		return ret;
	return edu_gpu_dma(gpu, EDU_BUF_ADDR, dst, len, EDU_DMA_TO_RAM);
}

/* Do the first @len bytes of VRAM equal the upload buffer's (@same)? */
static int edu_gpu_compare(struct edu_gpu *gpu, u64 len, u8 *a, u8 *b,
			   bool *same)
{
	u64 off;
	u32 n;
	int ret;

	for (off = 0; off < len; off += n) {
		n = min_t(u64, len - off, EDU_GPU_CHUNK);
		ret = dmashim_read(gpu->ctx, gpu->upload, off, a, n);
		if (ret)
			return ret;
		ret = dmashim_read(gpu->ctx, gpu->vram, off, b, n);
		if (ret)
			return ret;
		if (memcmp(a, b, n)) {
			*same = false;
			return 0;
		}
	}
	*same = true;
	return 0;
}

/* Does VRAM hold what user space wrote into the upload buffer? */
static int edu_gpu_verify(struct edu_gpu *gpu, u64 len, bool *same)
{
	u8 *a;
	int ret;

	a = kmalloc(2 * EDU_GPU_CHUNK, GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	ret = edu_gpu_compare(gpu, len, a, a + EDU_GPU_CHUNK, same);
	kfree(a);
	return ret;
}

/* Clear VRAM, then upload the first @c->len bytes chunk by chunk. */
static int edu_gpu_upload(struct edu_gpu *gpu, struct edu_gpu_copy *c)
{
	u64 off;
	u32 n;
	int ret;

	ret = dmashim_fill(gpu->ctx, gpu->vram, 0, 0, EDU_GPU_VRAM_SIZE);
	if (ret)
		return ret;
	for (off = 0; off < c->len; off += n) {
		n = min_t(u64, c->len - off, EDU_GPU_CHUNK);
		ret = edu_gpu_chunk(gpu, off, n);
		if (ret)
			return ret;
		c->dmas += 2;
		c->bytes_moved += 2 * n;
	}
	return 0;
}

/* EDU_GPU_IOC_COPY; the caller holds edu_gpu_state.lock. */
static int edu_gpu_copy(struct edu_gpu *gpu, struct edu_gpu_copy *c)
{
	u64 t0 = ktime_get_ns();
	bool same = false;
	int ret;

	if (!c->len || c->len > EDU_GPU_UPLOAD_SIZE)
		return -EINVAL;
	if (gpu->wedged)
		return -EIO;
	gpu->copies++;
	ret = edu_gpu_upload(gpu, c);
	if (!ret)
		ret = edu_gpu_verify(gpu, c->len, &same);
	c->verified = same;
	c->live_handles = edu_gpu_live(gpu);
	c->time_ns = ktime_get_ns() - t0;
	return ret;
}

/* ---- the misc device -------------------------------------------------- */

static long edu_gpu_ioctl_info(void __user *uarg)
{
	struct edu_gpu_info info = {
		.upload_size = EDU_GPU_UPLOAD_SIZE,
		.vram_size = EDU_GPU_VRAM_SIZE,
		.chunk = EDU_GPU_CHUNK,
	};
	int ret = -ENODEV;

	mutex_lock(&edu_gpu_state.lock);
	if (edu_gpu_state.bound) {
		info.live_handles = edu_gpu_live(edu_gpu_state.bound);
		ret = 0;
	}
	mutex_unlock(&edu_gpu_state.lock);
	if (!ret && copy_to_user(uarg, &info, sizeof(info)))
		ret = -EFAULT;
	return ret;
}

static long edu_gpu_ioctl_copy(void __user *uarg)
{
	struct edu_gpu_copy c = {};
	u64 len;
	int ret;

	/* No user copies under the lock: mmap() takes it under mmap_lock. */
	if (get_user(len, (u64 __user *)uarg))
		return -EFAULT;
	c.len = len;
	mutex_lock(&edu_gpu_state.lock);
	if (edu_gpu_state.bound)
		ret = edu_gpu_copy(edu_gpu_state.bound, &c);
	else
		ret = -ENODEV;
	mutex_unlock(&edu_gpu_state.lock);
	if (!ret && copy_to_user(uarg, &c, sizeof(c)))
		ret = -EFAULT;
	return ret;
}

static long edu_gpu_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case EDU_GPU_IOC_INFO:
		return edu_gpu_ioctl_info(uarg);
	case EDU_GPU_IOC_COPY:
		return edu_gpu_ioctl_copy(uarg);
	default:
		return -ENOTTY;
	}
}

static int edu_gpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	const unsigned long upload = EDU_GPU_MMAP_UPLOAD >> PAGE_SHIFT;
	const unsigned long vram = EDU_GPU_MMAP_VRAM >> PAGE_SHIFT;
	dmashim_handle_t h;
	int ret = -ENODEV;

	if (vma->vm_pgoff != upload && vma->vm_pgoff != vram)
		return -EINVAL;
	mutex_lock(&edu_gpu_state.lock);
	h = vma->vm_pgoff == upload ? edu_gpu_state.upload : edu_gpu_state.vram;
	/* After unbind, dmashim answers -ENODEV through the revoked context. */
	if (edu_gpu_state.ctx)
		ret = dmashim_mmap(edu_gpu_state.ctx, h, vma);
	mutex_unlock(&edu_gpu_state.lock);
	return ret;
}

static const struct file_operations edu_gpu_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = edu_gpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = edu_gpu_mmap,
};

static struct miscdevice edu_gpu_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = EDU_GPU_DEV_NAME,
	.fops = &edu_gpu_fops,
};

/* ---- the PCI driver --------------------------------------------------- */

static int edu_gpu_buffers(struct edu_gpu *gpu)
{
	struct dmashim_alloc_opts wc = {
		.sz = sizeof(wc),
		.flags = DMASHIM_ALLOC_WRITE_COMBINE,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	int ret;

	/* On error the context's revocation frees what was allocated. */
	ret = dmashim_alloc(gpu->ctx, EDU_GPU_UPLOAD_SIZE, &wc, &gpu->upload);
	if (ret)
		return ret;
	return dmashim_alloc(gpu->ctx, EDU_GPU_VRAM_SIZE, NULL, &gpu->vram);
}

/* Make @gpu the device the misc device drives; keep its context. */
static int edu_gpu_publish(struct edu_gpu *gpu)
{
	struct dmashim_ctx *old;

	mutex_lock(&edu_gpu_state.lock);
	if (edu_gpu_state.bound) {
		mutex_unlock(&edu_gpu_state.lock);
		return -EBUSY;
	}
	old = edu_gpu_state.ctx;
	dmashim_ctx_get(gpu->ctx);
	edu_gpu_state.ctx = gpu->ctx;
	edu_gpu_state.upload = gpu->upload;
	edu_gpu_state.vram = gpu->vram;
	edu_gpu_state.bound = gpu;
	mutex_unlock(&edu_gpu_state.lock);
	dmashim_ctx_put(old);
	return 0;
}

static int edu_gpu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu_gpu *gpu;
	int ret;

	gpu = devm_kzalloc(dev, sizeof(*gpu), GFP_KERNEL);
	if (!gpu)
		return -ENOMEM;
	gpu->pdev = pdev;
	pci_set_drvdata(pdev, gpu);

	/* All of it managed: undone after remove(), buffers by revocation. */
	ret = edu_hw_init(pdev, DRV_NAME, &gpu->regs);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the device\n");
	ret = devm_dmashim_ctx_create(dev, &gpu->ctx);
	if (ret)
		return dev_err_probe(dev, ret, "no dmashim context\n");
	ret = edu_gpu_buffers(gpu);
	if (ret)
		return dev_err_probe(dev, ret, "no buffers\n");
	ret = edu_gpu_publish(gpu);
	if (ret)
		return dev_err_probe(dev, ret, "one edu at a time\n");
	dev_info(dev, "upload %u KiB (write-combined), VRAM %u KiB\n",
		 EDU_GPU_UPLOAD_SIZE / 1024, EDU_GPU_VRAM_SIZE / 1024);
	return 0;
}

static void edu_gpu_remove(struct pci_dev *pdev)
{
	struct edu_gpu *gpu = pci_get_drvdata(pdev);

	/* Waits for a copy in progress; none starts after this. */
	mutex_lock(&edu_gpu_state.lock);
	edu_gpu_state.bound = NULL;
	mutex_unlock(&edu_gpu_state.lock);

	if (edu_gpu_dma_idle(gpu))
		dev_err(&pdev->dev, "a transfer is still running\n");
	pci_clear_master(pdev);
	dev_info(&pdev->dev, "quiesced after %u copies\n", gpu->copies);
	/* devres now revokes the context: mappings go, buffers go back. */
}

static const struct pci_device_id edu_gpu_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_gpu_ids);

static struct pci_driver edu_gpu_driver = {
	.name = DRV_NAME,
	.id_table = edu_gpu_ids,
	.probe = edu_gpu_probe,
	.remove = edu_gpu_remove,
};

static int __init edu_gpu_init(void)
{
	int ret;

	ret = misc_register(&edu_gpu_misc);
	if (ret)
		return ret;
	ret = pci_register_driver(&edu_gpu_driver);
	if (ret)
		misc_deregister(&edu_gpu_misc);
	return ret;
}

static void __exit edu_gpu_exit(void)
{
	pci_unregister_driver(&edu_gpu_driver);
	misc_deregister(&edu_gpu_misc);
	dmashim_ctx_put(edu_gpu_state.ctx);
}

module_init(edu_gpu_init);
module_exit(edu_gpu_exit);

MODULE_DESCRIPTION("GPU-style dmashim sample for QEMU's edu device");
MODULE_LICENSE("GPL");
