/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl interface of the dmashim model test device (/dev/dmashim_model),
 * shared by the module (dmashim_model_dev.c) and the user-space model
 * (dmashim_model.c).
 *
 * One ioctl, DMASHIM_MODEL_CALL, runs one function of include/dmashim.h:
 * struct dmashim_model_call names the operation and carries every argument
 * as a raw integer (handles and pools are plain u64 values here, so user
 * space can forge them).  The ioctl itself returns 0 when the call was made
 * (dmashim's result is then in @ret) and -1 with errno for errors of the
 * test device alone (bad slot, unbound device, fault copying arguments).
 */
#ifndef _DMASHIM_MODEL_DEV_H
#define _DMASHIM_MODEL_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DMASHIM_MODEL_DEV_NAME		"dmashim_model"
/* Contexts the device holds at once (plain and devm). */
#define DMASHIM_MODEL_CTX_SLOTS		32
/* Buffers that can be selected for mmap, and scatter tables held. */
#define DMASHIM_MODEL_MAP_SLOTS		16
#define DMASHIM_MODEL_SGT_SLOTS		16
/* mmap file offset: map slot i is at i * DMASHIM_MODEL_MAP_STRIDE. */
#define DMASHIM_MODEL_MAP_STRIDE	0x100000ULL	/* 1 MiB */
/* Per-thread bounce buffers (data, option and output structures). */
#define DMASHIM_MODEL_LANES		8
#define DMASHIM_MODEL_LANE_BYTES	(64U << 10)
/*
 * Streaming map slots: each has STREAM_BYTES of contiguous kernel memory
 * (map_single, map_page) and a scatter table of STREAM_ENTRIES separate
 * pages (map_sgtable), allocated at load.
 */
#define DMASHIM_MODEL_STREAM_SLOTS	8
#define DMASHIM_MODEL_STREAM_BYTES	(16U << 10)
#define DMASHIM_MODEL_STREAM_ENTRIES	4

enum dmashim_model_op {
	DMASHIM_MODEL_OP_ABI_VERSION = 1,
	DMASHIM_MODEL_OP_CTX_CREATE,	/* DMASHIM_MODEL_F_DEVM for devm */
	DMASHIM_MODEL_OP_CTX_DESTROY,	/* plain contexts only */
	DMASHIM_MODEL_OP_CTX_GET,	/* an extra reference, held by the slot */
	DMASHIM_MODEL_OP_CTX_PUT,	/* drop one taken with CTX_GET */
	DMASHIM_MODEL_OP_CTX_FORGET,	/* empty the slot (destroy if plain) */
	DMASHIM_MODEL_OP_STATS,
	DMASHIM_MODEL_OP_QUIESCE,
	DMASHIM_MODEL_OP_ALLOC,
	DMASHIM_MODEL_OP_ALLOC_NONCOHERENT,
	DMASHIM_MODEL_OP_FREE,
	DMASHIM_MODEL_OP_INFO,
	DMASHIM_MODEL_OP_POOL_CREATE,
	DMASHIM_MODEL_OP_POOL_ALLOC,
	DMASHIM_MODEL_OP_POOL_DESTROY,
	DMASHIM_MODEL_OP_DMA_ADDR,
	DMASHIM_MODEL_OP_READ,
	DMASHIM_MODEL_OP_WRITE,
	DMASHIM_MODEL_OP_FILL,
	DMASHIM_MODEL_OP_COPY,
	DMASHIM_MODEL_OP_LOAD,
	DMASHIM_MODEL_OP_STORE,
	DMASHIM_MODEL_OP_ACCESS,
	DMASHIM_MODEL_OP_SYNC_FOR_CPU,
	DMASHIM_MODEL_OP_SYNC_FOR_DEVICE,
	DMASHIM_MODEL_OP_GET_SGTABLE,
	DMASHIM_MODEL_OP_PUT_SGTABLE,
	DMASHIM_MODEL_OP_SGT_READ,
	DMASHIM_MODEL_OP_SET_MAP,
	DMASHIM_MODEL_OP_FAULT_PROBE,
	DMASHIM_MODEL_OP_PRELOAD,	/* fill this CPU's radix tree preloads */
	DMASHIM_MODEL_OP_SET_LIMITS,	/* struct dmashim_limits in @ubuf */
	DMASHIM_MODEL_OP_MAP,		/* @width: enum dmashim_kind MAP_* */
	DMASHIM_MODEL_OP_UNMAP,
	DMASHIM_MODEL_OP_DMA_SEGMENT,	/* @arg: index; out: @out, @len */
	DMASHIM_MODEL_OP_NR,
};

/* struct dmashim_model_call.flags */
enum dmashim_model_flags {
	/* Make the call inside spin_lock_irqsave() (atomic context). */
	DMASHIM_MODEL_F_ATOMIC		= 1U << 0,
	/* Pass NULL for the context. */
	DMASHIM_MODEL_F_NULL_CTX	= 1U << 1,
	/* Pass NULL for the output or data pointer (handlep, valp, dst...). */
	DMASHIM_MODEL_F_NULL_PTR	= 1U << 2,
	/* Pass NULL options (alloc, pool_create). */
	DMASHIM_MODEL_F_NULL_OPTS	= 1U << 3,
	/* CTX_CREATE: devm_dmashim_ctx_create(). */
	DMASHIM_MODEL_F_DEVM		= 1U << 4,
	/* Hold the driver lock (the one ->mmap takes) around the call. */
	DMASHIM_MODEL_F_LOCKED		= 1U << 5,
	/* POOL_CREATE: pass a NULL name. */
	DMASHIM_MODEL_F_NULL_NAME	= 1U << 6,
	/* ACCESS: write @ubuf into the range (else read the range out). */
	DMASHIM_MODEL_F_WRITE		= 1U << 7,
	/*
	 * CTX_CREATE: dmashim_ctx_create_opts() (or the devm one) with the
	 * struct dmashim_limits in @ubuf (NULL with DMASHIM_MODEL_F_NULL_OPTS).
	 */
	DMASHIM_MODEL_F_OPTS		= 1U << 8,
	/* MAP: NULL memory (cpu_addr, page, table); DMA_SEGMENT: NULL lenp. */
	DMASHIM_MODEL_F_NULL_MEM	= 1U << 9,
};

/* DMASHIM_MODEL_OP_FAULT_PROBE: one allocation, to check fault injection. */
enum dmashim_model_probe {
	DMASHIM_MODEL_PROBE_SLAB = 0,	/* kmalloc(GFP_KERNEL) */
	DMASHIM_MODEL_PROBE_PAGE = 1,	/* alloc_page(GFP_KERNEL) */
};

/**
 * struct dmashim_model_call - one call into dmashim
 * @op: enum dmashim_model_op.
 * @flags: enum dmashim_model_flags.
 * @ctx: context slot, 0..DMASHIM_MODEL_CTX_SLOTS-1.
 * @lane: bounce buffer and spinlock to use (one per user thread).
 * @slot: map slot (SET_MAP), scatter table slot (sgtable ops) or
 *	streaming map slot (MAP).
 * @width: LOAD/STORE width in bits (8, 16, 32, 64); MAP: the kind,
 *	DMASHIM_KIND_MAP_SINGLE, _PAGE or _SGTABLE; QUIESCE: out: the
 *	milliseconds waited.
 * @arg: alloc_noncoherent, sync and MAP direction, pool_alloc and
 *	access_begin flags, FAULT_PROBE kind, DMA_SEGMENT index.
 * @ret: out: dmashim's return value.
 * @handle: buffer or pool handle (raw).
 * @handle2: second handle: COPY source; SET_MAP context slot.
 * @offset: offset in @handle's buffer; MAP (single, page): offset in the
 *	slot's memory.
 * @offset2: COPY source offset.
 * @len: length; block size for POOL_CREATE; MAP (sgtable): 0 maps an
 *	empty table, else the slot's table; DMA_SEGMENT: out, the length.
 * @value: fill byte, stored value; QUIESCE: pending_release to wait for.
 * @out: in: what the device stores into the output variable before the
 *	call (so "untouched on error" can be checked); out: its value after
 *	(new handle or pool, DMA address, loaded value; SGT_READ: the table's
 *	total length; QUIESCE: pending_release; ABI_VERSION: the version).
 * @ubuf: user buffer copied into the lane before the call and back after:
 *	data, option or limits structure, or the info/stats structure.
 * @ubuf_len: its length, at most DMASHIM_MODEL_LANE_BYTES.
 * @name: POOL_CREATE name (NUL-terminated by the device).
 */
struct dmashim_model_call {
	__u32 op;
	__u32 flags;
	__u32 ctx;
	__u32 lane;
	__u32 slot;
	__u32 width;
	__u32 arg;
	__s32 ret;
	__u64 handle;
	__u64 handle2;
	__u64 offset;
	__u64 offset2;
	__u64 len;
	__u64 value;
	__u64 out;
	__u64 ubuf;
	__u64 ubuf_len;
	char name[32];
};

#define DMASHIM_MODEL_CALL	_IOWR('M', 1, struct dmashim_model_call)

#endif /* _DMASHIM_MODEL_DEV_H */
