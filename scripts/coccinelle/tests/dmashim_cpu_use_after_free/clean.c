// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_cpu_use_after_free fixture (must stay quiet): CPU pointers used
 * only while their handle is live, dropped or refreshed before any use
 * after a free, and a free of another handle in between.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/string.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

static u32 demo_last_word(struct dmashim_ctx *ctx, dmashim_handle_t h)
{
	struct dmashim_info info = { .sz = sizeof(info) };
	u32 *words;
	u32 last;

	if (dmashim_info(ctx, h, &info))
		return 0;
	words = info.cpu_addr;
	last = words[1];
	WARN_ON(dmashim_free(ctx, h));
	words = NULL;
	return last;
}

static void demo_swap(struct dmashim_ctx *ctx, dmashim_handle_t old,
		      dmashim_handle_t new)
{
	struct dmashim_info info = { .sz = sizeof(info) };
	u8 *bytes;

	if (dmashim_info(ctx, new, &info))
		return;
	bytes = info.cpu_addr;
	WARN_ON(dmashim_free(ctx, old));
	memset(bytes, 0, info.len);
}

static void demo_refresh(struct dmashim_ctx *ctx, dmashim_handle_t h,
			 dmashim_handle_t next)
{
	struct dmashim_info info = { .sz = sizeof(info) };

	if (dmashim_info(ctx, h, &info))
		return;
	WARN_ON(dmashim_free(ctx, h));
	if (dmashim_info(ctx, next, &info))
		return;
	memset(info.cpu_addr, 0, info.len);
}
