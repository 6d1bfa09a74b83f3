// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_cpu_use_after_free fixture (must report): the cpu_addr of
 * dmashim_info() kept in a variable, or read from the structure, after the
 * buffer was freed or its context destroyed.
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

	if (dmashim_info(ctx, h, &info))
		return 0;
	words = info.cpu_addr;
	words[0] = 0;
	WARN_ON(dmashim_free(ctx, h));
	return words[1];
}

static void demo_scrub(struct dmashim_ctx *ctx, dmashim_handle_t h,
		       struct dmashim_info *info)
{
	u8 *bytes;

	if (dmashim_info(ctx, h, info))
		return;
	bytes = (u8 *)info->cpu_addr;
	dmashim_ctx_destroy(ctx);
	memset(bytes, 0, info->len);
}

static void demo_poison(struct dmashim_ctx *ctx, dmashim_handle_t h)
{
	struct dmashim_info info = { .sz = sizeof(info) };

	if (dmashim_info(ctx, h, &info))
		return;
	if (dmashim_free(ctx, h))
		return;
	memset(info.cpu_addr, 0x6b, info.len);
}
