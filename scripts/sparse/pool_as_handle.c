// SPDX-License-Identifier: GPL-2.0
/*
 * sparse fixture (must warn): a dmashim_pool_t passed where a
 * dmashim_handle_t is expected, and a handle passed where a pool is.  Both
 * are u64 to the compiler; only their distinct __bitwise types tell them
 * apart.  The expected warnings are in pool_as_handle.expected.
 */
#include <linux/module.h>

#include <dmashim.h>

static int __maybe_unused
fixture_free_pool(struct dmashim_ctx *ctx, dmashim_pool_t pool)
{
	return dmashim_free(ctx, pool);
}

static int __maybe_unused
fixture_alloc_from_handle(struct dmashim_ctx *ctx, dmashim_handle_t buf,
			  dmashim_handle_t *blockp)
{
	return dmashim_pool_alloc(ctx, buf, 0, blockp);
}

MODULE_DESCRIPTION("sparse fixture: must warn");
MODULE_LICENSE("GPL");
