/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim trace events: events/dmashim/ in tracefs.
 *
 * One event per thing a driver does to its DMA memory (alloc, free, map,
 * unmap, sync), one per refusal and one per revocation, so a driver's
 * DMA traffic reads like a log on any kernel with tracing, Debian's stock
 * kernel included: `trace-cmd record -e dmashim`, `perf record -e
 * 'dmashim:*'`, or events/dmashim/enable in tracefs.  Each carries the
 * context id, the handle and the sizes and addresses that matter; @caller
 * is the call site (%pS), where it is known.  A disabled event costs a
 * patched-out jump.
 *
 * The arguments are plain values, never dmashim's structures, so that
 * the records mean the same thing whatever the core looks like inside.
 */
#undef TRACE_SYSTEM
#ifdef DMASHIM_LOCAL
/* A driver-local copy's events: events/<driver>_dmashim/ (local.mk). */
#define TRACE_SYSTEM DMASHIM_TRACE_SYSTEM
#else
#define TRACE_SYSTEM dmashim
#endif

#if !defined(_DMASHIM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DMASHIM_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/* A new handle: a buffer, pool, pool block or streaming mapping. */
DECLARE_EVENT_CLASS(dmashim_handle_new,
		    TP_PROTO(u16 ctx_id, u64 handle, const char *kind, u64 len,
			     u64 dma_addr, unsigned long caller),
		    TP_ARGS(ctx_id, handle, kind, len, dma_addr, caller),
		    TP_STRUCT__entry(__field(u16, ctx_id)
				     __field(u64, handle)
				     __string(kind, kind)
				     __field(u64, len)
				     __field(u64, dma_addr)
				     __field(unsigned long, caller)),
		    TP_fast_assign(__entry->ctx_id = ctx_id;
				   __entry->handle = handle;
				   __assign_str(kind, kind);
				   __entry->len = len;
				   __entry->dma_addr = dma_addr;
				   __entry->caller = caller;),
		    TP_printk("ctx=%u handle=%#llx kind=%s len=%llu dma=%#llx caller=%pS",
			      __entry->ctx_id, __entry->handle, __get_str(kind),
			      __entry->len, __entry->dma_addr, (void *)__entry->caller)
);

DEFINE_EVENT(dmashim_handle_new, dmashim_alloc,
	     TP_PROTO(u16 ctx_id, u64 handle, const char *kind, u64 len, u64 dma_addr,
		      unsigned long caller),
	     TP_ARGS(ctx_id, handle, kind, len, dma_addr, caller));

DEFINE_EVENT(dmashim_handle_new, dmashim_map,
	     TP_PROTO(u16 ctx_id, u64 handle, const char *kind, u64 len, u64 dma_addr,
		      unsigned long caller),
	     TP_ARGS(ctx_id, handle, kind, len, dma_addr, caller));

/* A handle given back by its owner (not by revocation). */
DECLARE_EVENT_CLASS(dmashim_handle_end,
		    TP_PROTO(u16 ctx_id, u64 handle, const char *kind, u64 len,
			     u64 dma_addr),
		    TP_ARGS(ctx_id, handle, kind, len, dma_addr),
		    TP_STRUCT__entry(__field(u16, ctx_id)
				     __field(u64, handle)
				     __string(kind, kind)
				     __field(u64, len)
				     __field(u64, dma_addr)),
		    TP_fast_assign(__entry->ctx_id = ctx_id;
				   __entry->handle = handle;
				   __assign_str(kind, kind);
				   __entry->len = len;
				   __entry->dma_addr = dma_addr;),
		    TP_printk("ctx=%u handle=%#llx kind=%s len=%llu dma=%#llx",
			      __entry->ctx_id, __entry->handle, __get_str(kind),
			      __entry->len, __entry->dma_addr)
);

DEFINE_EVENT(dmashim_handle_end, dmashim_free,
	     TP_PROTO(u16 ctx_id, u64 handle, const char *kind, u64 len, u64 dma_addr),
	     TP_ARGS(ctx_id, handle, kind, len, dma_addr));

DEFINE_EVENT(dmashim_handle_end, dmashim_unmap,
	     TP_PROTO(u16 ctx_id, u64 handle, const char *kind, u64 len, u64 dma_addr),
	     TP_ARGS(ctx_id, handle, kind, len, dma_addr));

/* An ownership transfer of part of a buffer or mapping. */
TRACE_EVENT(dmashim_sync,
	    TP_PROTO(u16 ctx_id, u64 handle, u64 offset, u64 len, u32 dir,
		     bool for_device),
	    TP_ARGS(ctx_id, handle, offset, len, dir, for_device),
	    TP_STRUCT__entry(__field(u16, ctx_id)
			     __field(u64, handle)
			     __field(u64, offset)
			     __field(u64, len)
			     __field(u32, dir)
			     __field(bool, for_device)),
	    TP_fast_assign(__entry->ctx_id = ctx_id;
			   __entry->handle = handle;
			   __entry->offset = offset;
			   __entry->len = len;
			   __entry->dir = dir;
			   __entry->for_device = for_device;),
	    TP_printk("ctx=%u handle=%#llx offset=%llu len=%llu dir=%u for=%s",
		      __entry->ctx_id, __entry->handle, __entry->offset, __entry->len,
		      __entry->dir, __entry->for_device ? "device" : "cpu")
);

/*
 * A call refused: a handle that is not live in the context (@handle), or
 * an allocation or mapping that failed (@handle 0), with its errno.
 */
TRACE_EVENT(dmashim_refuse,
	    TP_PROTO(u16 ctx_id, u64 handle, int err, unsigned long caller),
	    TP_ARGS(ctx_id, handle, err, caller),
	    TP_STRUCT__entry(__field(u16, ctx_id)
			     __field(u64, handle)
			     __field(int, err)
			     __field(unsigned long, caller)),
	    TP_fast_assign(__entry->ctx_id = ctx_id;
			   __entry->handle = handle;
			   __entry->err = err;
			   __entry->caller = caller;),
	    TP_printk("ctx=%u handle=%#llx err=%d caller=%pS", __entry->ctx_id,
		      __entry->handle, __entry->err, (void *)__entry->caller)
);

/* A context revoked: what its owner had left live. */
TRACE_EVENT(dmashim_revoke,
	    TP_PROTO(u16 ctx_id, const char *dev, u64 count, u64 bytes, u32 held),
	    TP_ARGS(ctx_id, dev, count, bytes, held),
	    TP_STRUCT__entry(__field(u16, ctx_id)
			     __string(dev, dev)
			     __field(u64, count)
			     __field(u64, bytes)
			     __field(u32, held)),
	    TP_fast_assign(__entry->ctx_id = ctx_id;
			   __assign_str(dev, dev);
			   __entry->count = count;
			   __entry->bytes = bytes;
			   __entry->held = held;),
	    TP_printk("ctx=%u dev=%s released=%llu bytes=%llu held=%u", __entry->ctx_id,
		      __get_str(dev), __entry->count, __entry->bytes, __entry->held)
);

#endif /* _DMASHIM_TRACE_H */

/* Out of the kernel tree: found next to this file. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dmashim_trace
#include <trace/define_trace.h>
