// SPDX-License-Identifier: GPL-2.0
/*
 * sparse fixture (must be clean): handles and pools used as the API
 * intends - stored, passed back, compared with 0 and each other, and turned
 * into an integer only with an explicit __force cast (for printing).
 */
#include <linux/module.h>
#include <linux/printk.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

struct fixture_ring {
	struct dmashim_ctx *ctx;
	dmashim_pool_t pool;
	dmashim_handle_t desc;
	dmashim_handle_t block;
	u64 desc_dma;
};

static int fixture_ring_init(struct fixture_ring *ring)
{
	dmashim_handle_t desc = 0;
	int ret;

	ret = dmashim_alloc(ring->ctx, 4096, NULL, &desc);
	if (ret)
		return ret;
	ret = dmashim_dma_addr(ring->ctx, desc, 0, 4096, &ring->desc_dma);
	if (ret)
		goto err_free;
	ret = dmashim_pool_create(ring->ctx, "fixture", 64, NULL, &ring->pool);
	if (ret)
		goto err_free;
	ret = dmashim_pool_alloc(ring->ctx, ring->pool, 0, &ring->block);
	if (ret)
		goto err_pool;
	if (ring->block == desc)
		pr_warn("handle 0x%llx reused\n", (__force u64)desc);
	ring->desc = desc;
	return 0;

err_pool:
	WARN_ON(dmashim_pool_destroy(ring->ctx, ring->pool));
err_free:
	WARN_ON(dmashim_free(ring->ctx, desc));
	return ret;
}

static void fixture_ring_exit(struct fixture_ring *ring)
{
	if (ring->block)
		WARN_ON(dmashim_free(ring->ctx, ring->block));
	WARN_ON(dmashim_pool_destroy(ring->ctx, ring->pool));
	WARN_ON(dmashim_free(ring->ctx, ring->desc));
	ring->desc = 0;
}

static struct fixture_ring fixture_ring;

static int __init fixture_init(void)
{
	return fixture_ring_init(&fixture_ring);
}
module_init(fixture_init);

static void __exit fixture_exit(void)
{
	fixture_ring_exit(&fixture_ring);
}
module_exit(fixture_exit);

MODULE_DESCRIPTION("sparse fixture: correct use of dmashim handles");
MODULE_LICENSE("GPL");
