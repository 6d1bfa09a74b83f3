// SPDX-License-Identifier: GPL-2.0
/*
 * Test device for dmashim_mmap(): user space allocates buffers through
 * ioctls, maps them, and asks the kernel to read and write words, so the
 * test program (dmashim_mmap_user.c) checks both directions.
 *
 * The module registers its own platform driver and device, and the context
 * is a devm one, so the test can unbind the device through sysfs while a
 * buffer is mapped and check revocation from user space.  The misc device
 * outlives the binding; after unbind every ioctl reports dmashim's -ENODEV.
 * A second, plain context on the same device, selected per open file, lets
 * the test revoke one context under another's live mappings, and destroy
 * it under the lock this device's ->mmap takes, as a driver might.
 */
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/uaccess.h>

#include <dmashim.h>

#include "dmashim_mmap_dev.h"

MODULE_IMPORT_NS(DMASHIM);

#define PAGES_PER_SLOT	(DMASHIM_MMAP_DEV_STRIDE >> PAGE_SHIFT)

#define NR_CTX	2

static struct {
	struct mutex lock;	/* protects everything below */
	struct dmashim_ctx *ctx[NR_CTX];
	dmashim_pool_t pool;
	dmashim_handle_t slots[NR_CTX][DMASHIM_MMAP_DEV_SLOTS];
} dev_state = {
	.lock = __MUTEX_INITIALIZER(dev_state.lock),
};

static struct platform_device *test_pdev;

/* The context an open file works on (enum dmashim_mmap_dev_ctx). */
static unsigned int file_ctx(struct file *file)
{
	return (uintptr_t)file->private_data;
}

static int alloc_slot(unsigned int c, const struct dmashim_mmap_dev_alloc *req)
{
	static const u32 kind_flags[] = {
		[DMASHIM_MMAP_DEV_WRITE_COMBINE] = DMASHIM_ALLOC_WRITE_COMBINE,
		[DMASHIM_MMAP_DEV_NO_KERNEL_MAPPING] =
			DMASHIM_ALLOC_NO_KERNEL_MAPPING,
	};
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts), .numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	struct dmashim_ctx *ctx = dev_state.ctx[c];
	dmashim_handle_t *h = &dev_state.slots[c][req->slot];
	int ret;

	switch (req->kind) {
	case DMASHIM_MMAP_DEV_COHERENT:
	case DMASHIM_MMAP_DEV_WRITE_COMBINE:
	case DMASHIM_MMAP_DEV_NO_KERNEL_MAPPING:
		opts.flags = kind_flags[req->kind];
		ret = dmashim_alloc(ctx, req->len, &opts, h);
		break;
	case DMASHIM_MMAP_DEV_NONCOHERENT:
		ret = dmashim_alloc_noncoherent(ctx, req->len,
						DMASHIM_DIR_BIDIRECTIONAL, NULL,
						h);
		break;
	case DMASHIM_MMAP_DEV_POOL_BLOCK:
		ret = c == DMASHIM_MMAP_DEV_CTX_DEVM ?
		      dmashim_pool_alloc(ctx, dev_state.pool, 0, h) : -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (ret || req->kind == DMASHIM_MMAP_DEV_NO_KERNEL_MAPPING)
		return ret;
	return dmashim_fill(ctx, *h, 0, req->fill, req->len);
}

/*
 * The ioctls copy from and to user space outside dev_state.lock: mmap takes
 * the lock under mmap_lock, and a user copy can fault and take mmap_lock.
 */
static long ioctl_alloc(unsigned int c, void __user *arg)
{
	struct dmashim_mmap_dev_alloc req;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.slot >= DMASHIM_MMAP_DEV_SLOTS)
		return -EINVAL;
	mutex_lock(&dev_state.lock);
	ret = dev_state.slots[c][req.slot] ? -EINVAL : alloc_slot(c, &req);
	mutex_unlock(&dev_state.lock);
	return ret;
}

static long ioctl_word(unsigned int c, void __user *arg, bool store)
{
	struct dmashim_mmap_dev_word w;
	int ret;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.slot >= DMASHIM_MMAP_DEV_SLOTS)
		return -EINVAL;
	mutex_lock(&dev_state.lock);
	if (store)
		ret = dmashim_store32(dev_state.ctx[c],
				      dev_state.slots[c][w.slot], w.offset,
				      w.value);
	else
		ret = dmashim_load32(dev_state.ctx[c],
				     dev_state.slots[c][w.slot], w.offset,
				     &w.value);
	mutex_unlock(&dev_state.lock);
	if (!ret && !store && copy_to_user(arg, &w, sizeof(w)))
		ret = -EFAULT;
	return ret;
}

static long ioctl_free(unsigned int c, void __user *arg)
{
	u32 slot;
	int ret;

	if (copy_from_user(&slot, arg, sizeof(slot)))
		return -EFAULT;
	if (slot >= DMASHIM_MMAP_DEV_SLOTS)
		return -EINVAL;
	mutex_lock(&dev_state.lock);
	ret = dmashim_free(dev_state.ctx[c], dev_state.slots[c][slot]);
	if (!ret)
		dev_state.slots[c][slot] = 0;
	mutex_unlock(&dev_state.lock);
	return ret;
}

static long ioctl_select(struct file *file, void __user *arg)
{
	u32 c;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c >= NR_CTX)
		return -EINVAL;
	file->private_data = (void *)(uintptr_t)c;
	return 0;
}

/*
 * Created outside dev_state.lock, which test_mmap() takes under mmap_lock:
 * creation makes debugfs files, and the header says not under such a lock.
 */
static long ioctl_create(void)
{
	struct dmashim_ctx **slot = &dev_state.ctx[DMASHIM_MMAP_DEV_CTX_PLAIN];
	struct dmashim_ctx *ctx;
	int ret;

	ret = dmashim_ctx_create(&test_pdev->dev, &ctx);
	if (ret)
		return ret;
	mutex_lock(&dev_state.lock);
	if (*slot) {
		ret = -EEXIST;
	} else {
		*slot = ctx;
		ctx = NULL;
	}
	mutex_unlock(&dev_state.lock);
	dmashim_ctx_destroy(ctx);
	return ret;
}

/* Forget the plain context's state; under dev_state.lock. */
static struct dmashim_ctx *take_plain_ctx(void)
{
	unsigned int c = DMASHIM_MMAP_DEV_CTX_PLAIN;
	struct dmashim_ctx *ctx = dev_state.ctx[c];

	dev_state.ctx[c] = NULL;
	memset(dev_state.slots[c], 0, sizeof(dev_state.slots[c]));
	return ctx;
}

static long ioctl_destroy(void __user *arg)
{
	struct dmashim_ctx *ctx;
	u32 how;

	if (copy_from_user(&how, arg, sizeof(how)))
		return -EFAULT;
	mutex_lock(&dev_state.lock);
	ctx = take_plain_ctx();
	if (how == DMASHIM_MMAP_DEV_DESTROY_LOCKED)
		dmashim_ctx_destroy(ctx);
	mutex_unlock(&dev_state.lock);
	if (how != DMASHIM_MMAP_DEV_DESTROY_LOCKED)
		dmashim_ctx_destroy(ctx);
	return ctx ? 0 : -ENOENT;
}

static long test_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	unsigned int c = file_ctx(file);

	switch (cmd) {
	case DMASHIM_MMAP_DEV_ALLOC:
		return ioctl_alloc(c, uarg);
	case DMASHIM_MMAP_DEV_LOAD:
		return ioctl_word(c, uarg, false);
	case DMASHIM_MMAP_DEV_STORE:
		return ioctl_word(c, uarg, true);
	case DMASHIM_MMAP_DEV_FREE:
		return ioctl_free(c, uarg);
	case DMASHIM_MMAP_DEV_SELECT:
		return ioctl_select(file, uarg);
	case DMASHIM_MMAP_DEV_CREATE:
		return ioctl_create();
	case DMASHIM_MMAP_DEV_DESTROY:
		return ioctl_destroy(uarg);
	}
	return -ENOTTY;
}

static int test_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long slot = vma->vm_pgoff / PAGES_PER_SLOT;
	unsigned int c = file_ctx(file);
	int ret;

	if (vma->vm_pgoff % PAGES_PER_SLOT || slot >= DMASHIM_MMAP_DEV_SLOTS)
		return -EINVAL;
	mutex_lock(&dev_state.lock);
	ret = dmashim_mmap(dev_state.ctx[c], dev_state.slots[c][slot], vma);
	mutex_unlock(&dev_state.lock);
	return ret;
}

/* misc_open() sets private_data to the misc device: start on the devm one. */
static int test_open(struct inode *inode, struct file *file)
{
	file->private_data = (void *)(uintptr_t)DMASHIM_MMAP_DEV_CTX_DEVM;
	return 0;
}

static const struct file_operations test_fops = {
	.owner = THIS_MODULE,
	.open = test_open,
	.unlocked_ioctl = test_ioctl,
	.mmap = test_mmap,
};

static struct miscdevice test_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DMASHIM_MMAP_DEV_NAME,
	.fops = &test_fops,
};

static int test_probe(struct platform_device *pdev)
{
	struct dmashim_ctx *ctx;
	dmashim_pool_t pool;
	int ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (!ret)
		ret = devm_dmashim_ctx_create(&pdev->dev, &ctx);
	if (!ret)
		ret = dmashim_pool_create(ctx, "mmap-test", 64, NULL, &pool);
	if (ret)
		return ret;
	/* The misc device outlives the binding: keep the context. */
	dmashim_ctx_get(ctx);
	mutex_lock(&dev_state.lock);
	dev_state.ctx[DMASHIM_MMAP_DEV_CTX_DEVM] = ctx;
	dev_state.pool = pool;
	mutex_unlock(&dev_state.lock);
	return 0;
}

static struct platform_driver test_driver = {
	.probe = test_probe,
	.driver = { .name = DMASHIM_MMAP_DEV_NAME },
};

static int __init test_init(void)
{
	int ret = platform_driver_register(&test_driver);

	if (ret)
		return ret;
	test_pdev = platform_device_register_simple(DMASHIM_MMAP_DEV_NAME,
						    PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(test_pdev)) {
		ret = PTR_ERR(test_pdev);
		goto unregister_driver;
	}
	if (!dev_state.ctx[DMASHIM_MMAP_DEV_CTX_DEVM]) {
		ret = -ENODEV;
		goto unregister_device;
	}
	ret = misc_register(&test_misc);
	if (ret)
		goto unregister_device;
	return 0;

unregister_device:
	platform_device_unregister(test_pdev);
unregister_driver:
	platform_driver_unregister(&test_driver);
	dmashim_ctx_put(dev_state.ctx[DMASHIM_MMAP_DEV_CTX_DEVM]);
	return ret;
}

static void __exit test_exit(void)
{
	misc_deregister(&test_misc);
	dmashim_ctx_destroy(take_plain_ctx());
	platform_device_unregister(test_pdev);
	platform_driver_unregister(&test_driver);
	dmashim_ctx_put(dev_state.ctx[DMASHIM_MMAP_DEV_CTX_DEVM]);
}

module_init(test_init);
module_exit(test_exit);

MODULE_DESCRIPTION("Test device for dmashim user-space mappings");
MODULE_LICENSE("GPL");
