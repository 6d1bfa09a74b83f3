/* SPDX-License-Identifier: GPL-2.0 */
/*
 * migrate_dma_alloc fixture: the structures live in a header of the driver,
 * which a per-file migration cannot see; the driver's header is retyped and
 * gets the context member.
 */
#ifndef _HDR_STRUCT_H
#define _HDR_STRUCT_H

#include <linux/types.h>
#include <dmashim.h>

struct hs_entry {
	__le32 cmd;
	__le32 arg;
};

struct hs_priv {
	struct device *dev;
	dmashim_handle_t queue;
	dma_addr_t queue_dma;
	unsigned int head;
	struct dmashim_ctx *dmashim;
};

int hs_queue_init(struct hs_priv *hs);
void hs_queue_fini(struct hs_priv *hs);

#endif /* _HDR_STRUCT_H */
