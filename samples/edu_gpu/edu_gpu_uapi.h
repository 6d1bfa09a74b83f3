/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * User-space interface of the edu_gpu sample driver: /dev/edu_gpu.
 *
 * mmap() the upload buffer at offset EDU_GPU_MMAP_UPLOAD (read/write) and
 * the VRAM buffer at offset EDU_GPU_MMAP_VRAM, both MAP_SHARED.  Mappings
 * are not inherited by fork()ed children, and all mappings of a buffer must
 * come through the same file offset.  After the device unbinds, existing
 * mappings fault with SIGBUS and every call fails with ENODEV.
 */
#ifndef _EDU_GPU_UAPI_H
#define _EDU_GPU_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define EDU_GPU_DEV_NAME	"edu_gpu"

/* mmap() offsets of the two buffers */
#define EDU_GPU_MMAP_UPLOAD	0x0
#define EDU_GPU_MMAP_VRAM	0x100000

/**
 * struct edu_gpu_info - EDU_GPU_IOC_INFO
 * @upload_size: bytes of the upload buffer.
 * @vram_size: bytes of the VRAM buffer.
 * @chunk: bytes the device moves per pair of transfers.
 * @reserved: zero.
 * @live_handles: dmashim handles live in the device's context.
 */
struct edu_gpu_info {
	__u64 upload_size;
	__u64 vram_size;
	__u32 chunk;
	__u32 reserved;
	__u64 live_handles;
};

/**
 * struct edu_gpu_copy - EDU_GPU_IOC_COPY
 * @len: in: bytes to copy from the start of the upload buffer to the start
 *	of VRAM, 1..upload_size.  The rest of VRAM is cleared.
 * @bytes_moved: out: bytes the device moved, both directions.
 * @time_ns: out: time the copy took, verification included.
 * @dmas: out: transfers the device ran.
 * @verified: out: 1 if VRAM equals the upload buffer over @len bytes.
 * @live_handles: out: dmashim handles live in the device's context.
 */
struct edu_gpu_copy {
	__u64 len;
	__u64 bytes_moved;
	__u64 time_ns;
	__u32 dmas;
	__u32 verified;
	__u64 live_handles;
};

#define EDU_GPU_IOC_MAGIC	0xED
#define EDU_GPU_IOC_INFO	_IOR(EDU_GPU_IOC_MAGIC, 0x00, struct edu_gpu_info)
#define EDU_GPU_IOC_COPY	_IOWR(EDU_GPU_IOC_MAGIC, 0x01, struct edu_gpu_copy)

#endif /* _EDU_GPU_UAPI_H */
