/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture of the dmashim KUnit suites: a real platform device with
 * its DMA masks set (6.1 has no kunit_device_register()) and a context on it,
 * torn down after every case.
 */
#ifndef _DMASHIM_TEST_H
#define _DMASHIM_TEST_H

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>

#include <dmashim.h>

/* dmashim.ko's hook for tests (namespace DMASHIM_TEST): the next ctx id. */
void dmashim_test_next_ctx_id(u32 id);
/* How many ranges the registry of mapped memory holds, all devices'. */
u64 dmashim_test_mapped_ranges(void);
/* A write of @text to fault file @name of @ctx (NULL: dmashim/fault/). */
int dmashim_test_fault_store(struct dmashim_ctx *ctx, const char *name,
			     const char *text);
/* The value a read of fault file @name of @ctx shows. */
int dmashim_test_fault_show(struct dmashim_ctx *ctx, const char *name,
			    u64 *value);

#define DMASHIM_TEST_DEV_NAME	"dmashim-kunit"

struct dmashim_test_fixture {
	struct platform_device *pdev;
	struct device *dev;
	struct dmashim_ctx *ctx;
};

static inline struct platform_device *
dmashim_test_pdev_create(struct kunit *test, const char *name, u64 mask)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple(name, PLATFORM_DEVID_AUTO,
					       NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	if (mask && dma_set_mask_and_coherent(&pdev->dev, mask)) {
		platform_device_unregister(pdev);
		KUNIT_FAIL(test, "DMA mask %llx not supported", mask);
		return NULL;
	}
	return pdev;
}

/* A device with @mask and a context on it, in test->priv. */
static inline int dmashim_test_fixture_init_mask(struct kunit *test, u64 mask)
{
	struct dmashim_test_fixture *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->pdev = dmashim_test_pdev_create(test, DMASHIM_TEST_DEV_NAME, mask);
	KUNIT_ASSERT_NOT_NULL(test, fx->pdev);
	fx->dev = &fx->pdev->dev;
	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &fx->ctx), 0);
	test->priv = fx;
	return 0;
}

static inline int dmashim_test_fixture_init(struct kunit *test)
{
	return dmashim_test_fixture_init_mask(test, DMA_BIT_MASK(64));
}

static inline void dmashim_test_fixture_exit(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;

	if (!fx)
		return;
	dmashim_ctx_destroy(fx->ctx);
	platform_device_unregister(fx->pdev);
}

static inline struct dmashim_ctx *dmashim_test_ctx(struct kunit *test)
{
	return ((struct dmashim_test_fixture *)test->priv)->ctx;
}

/* Allocate @len bytes with @flags or fail the case. */
static inline dmashim_handle_t dmashim_test_alloc(struct kunit *test,
						  struct dmashim_ctx *ctx,
						  u64 len, u32 flags)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts),
		.flags = flags,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_alloc(ctx, len, &opts, &h), 0);
	KUNIT_ASSERT_NE(test, (__force u64)h, 0ULL);
	return h;
}

static inline struct dmashim_stats dmashim_test_stats(struct kunit *test,
						      struct dmashim_ctx *ctx)
{
	struct dmashim_stats st = { .sz = sizeof(st) };

	KUNIT_EXPECT_EQ(test, dmashim_ctx_stats(ctx, &st), 0);
	return st;
}

/* Wait until every freed buffer of @ctx is back (a block: in its pool). */
static inline void dmashim_test_wait_released(struct kunit *test,
					      struct dmashim_ctx *ctx)
{
	int i;

	rcu_barrier();
	for (i = 0; i < 500; i++) {
		if (!dmashim_test_stats(test, ctx).pending_release)
			return;
		msleep(20);
	}
	KUNIT_FAIL(test, "freed memory not released after 10 s");
}

#endif /* _DMASHIM_TEST_H */
