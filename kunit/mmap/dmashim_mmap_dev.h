/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl interface of the dmashim mmap test device (/dev/dmashim_mmap_test),
 * shared by the module and the user-space test program.
 */
#ifndef _DMASHIM_MMAP_DEV_H
#define _DMASHIM_MMAP_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DMASHIM_MMAP_DEV_NAME	"dmashim_mmap_test"
#define DMASHIM_MMAP_DEV_SLOTS	16
/* Buffer i is mapped at file offset i * DMASHIM_MMAP_DEV_STRIDE. */
#define DMASHIM_MMAP_DEV_STRIDE	(16UL << 20)

enum dmashim_mmap_dev_kind {
	DMASHIM_MMAP_DEV_COHERENT,
	DMASHIM_MMAP_DEV_WRITE_COMBINE,
	DMASHIM_MMAP_DEV_NO_KERNEL_MAPPING,
	DMASHIM_MMAP_DEV_NONCOHERENT,
	DMASHIM_MMAP_DEV_POOL_BLOCK,
};

/* Allocate buffer @slot of @kind and @len; fill with @fill if it can. */
struct dmashim_mmap_dev_alloc {
	__u64 len;
	__u32 kind;
	__u32 fill;
	__u32 slot;
	__u32 pad;
};

/* One 32-bit word of buffer @slot at @offset, read or written by the kernel. */
struct dmashim_mmap_dev_word {
	__u32 slot;
	__u32 offset;
	__u32 value;
	__u32 pad;
};

/*
 * Each open file works on one of two contexts: the devm context of the
 * platform device (DMASHIM_MMAP_DEV_CTX_DEVM, the default), or a second,
 * plain context on the same device that ioctls create and destroy
 * (DMASHIM_MMAP_DEV_CTX_PLAIN).  Slots are per context.
 */
enum dmashim_mmap_dev_ctx {
	DMASHIM_MMAP_DEV_CTX_DEVM,
	DMASHIM_MMAP_DEV_CTX_PLAIN,
};

/* How DMASHIM_MMAP_DEV_DESTROY destroys the plain context. */
enum dmashim_mmap_dev_destroy {
	DMASHIM_MMAP_DEV_DESTROY_UNLOCKED,
	/* under the lock the device's ->mmap takes, like a driver might */
	DMASHIM_MMAP_DEV_DESTROY_LOCKED,
};

#define DMASHIM_MMAP_DEV_ALLOC	_IOW('D', 1, struct dmashim_mmap_dev_alloc)
#define DMASHIM_MMAP_DEV_LOAD	_IOWR('D', 2, struct dmashim_mmap_dev_word)
#define DMASHIM_MMAP_DEV_STORE	_IOW('D', 3, struct dmashim_mmap_dev_word)
#define DMASHIM_MMAP_DEV_FREE	_IOW('D', 4, __u32)
/* Work on context __u32 (enum dmashim_mmap_dev_ctx) through this file. */
#define DMASHIM_MMAP_DEV_SELECT	_IOW('D', 5, __u32)
/* Create the plain context; EEXIST if it exists. */
#define DMASHIM_MMAP_DEV_CREATE	_IO('D', 6)
/* Destroy the plain context as __u32 (enum dmashim_mmap_dev_destroy) says. */
#define DMASHIM_MMAP_DEV_DESTROY _IOW('D', 7, __u32)

#endif /* _DMASHIM_MMAP_DEV_H */
