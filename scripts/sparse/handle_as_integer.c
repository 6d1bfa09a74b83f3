// SPDX-License-Identifier: GPL-2.0
/*
 * sparse fixture (must warn): a dmashim_handle_t mixed with plain integers.
 * A handle is __bitwise, so taking its value as a u64, or passing a u64
 * where a handle is expected, is "incorrect type ... (different base types)".
 * The expected warnings are in handle_as_integer.expected.
 */
#include <linux/module.h>

#include <dmashim.h>

static u64 __maybe_unused fixture_handle_to_u64(dmashim_handle_t handle)
{
	u64 raw = handle;

	return raw;
}

static int __maybe_unused
fixture_u64_to_handle(struct dmashim_ctx *ctx, u64 raw)
{
	return dmashim_free(ctx, raw);
}

MODULE_DESCRIPTION("sparse fixture: must warn");
MODULE_LICENSE("GPL");
