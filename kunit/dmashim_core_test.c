// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for dmashim contexts, allocation, free, info and revocation.
 *
 * Every case runs on a real platform device with DMA masks set.  One
 * behaviour per case; names are <suite>_<function>_<condition>.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>

#include "dmashim_test.h"

MODULE_IMPORT_NS(DMASHIM);
MODULE_IMPORT_NS(DMASHIM_TEST);

/* Forged handles set bits 47:32: the pool bit, which no buffer handle has. */
#define FORGED_GEN	GENMASK_ULL(47, 32)

static u64 raw(dmashim_handle_t h)
{
	return (__force u64)h;
}

static dmashim_handle_t handle_of(u64 v)
{
	return (__force dmashim_handle_t)v;
}

/* ---- dmashim_ctx ------------------------------------------------------ */

static void dmashim_ctx_abi_version_matches_header(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dmashim_abi_version(), (u32)DMASHIM_ABI_VERSION);
}

static void dmashim_ctx_create_null_dev(struct kunit *test)
{
	struct dmashim_ctx *ctx = NULL;

	KUNIT_EXPECT_EQ(test, dmashim_ctx_create(NULL, &ctx), -EINVAL);
	KUNIT_EXPECT_NULL(test, ctx);
}

static void dmashim_ctx_create_null_ctxp(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;

	KUNIT_EXPECT_EQ(test, dmashim_ctx_create(fx->dev, NULL), -EINVAL);
}

static void dmashim_ctx_create_no_dma_mask(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = NULL;
	u64 saved = fx->dev->coherent_dma_mask;

	fx->dev->coherent_dma_mask = 0;
	KUNIT_EXPECT_EQ(test, dmashim_ctx_create(fx->dev, &ctx), -EINVAL);
	KUNIT_EXPECT_NULL(test, ctx);
	fx->dev->coherent_dma_mask = saved;
}

static void dmashim_ctx_create_no_dma_mask_devm(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = NULL;
	u64 saved = fx->dev->coherent_dma_mask;

	fx->dev->coherent_dma_mask = 0;
	KUNIT_EXPECT_EQ(test, devm_dmashim_ctx_create(fx->dev, &ctx), -EINVAL);
	KUNIT_EXPECT_NULL(test, ctx);
	fx->dev->coherent_dma_mask = saved;
}

static void dmashim_ctx_destroy_null(struct kunit *test)
{
	dmashim_ctx_destroy(NULL);
	dmashim_ctx_put(NULL);
}

static void dmashim_ctx_destroy_releases_live(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	struct dmashim_stats st;
	int i;

	for (i = 0; i < 4; i++)
		dmashim_test_alloc(test, ctx, PAGE_SIZE << i, 0);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;

	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.live_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.pending_release, 0ULL);
	dmashim_ctx_put(ctx);
}

static void dmashim_ctx_destroy_refuses_later_calls(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h, h2 = 0;
	u8 byte;

	h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;

	KUNIT_EXPECT_EQ(test, dmashim_read(ctx, h, 0, &byte, 1), -ENODEV);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), -ENODEV);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, NULL, &h2), -ENODEV);
	KUNIT_EXPECT_EQ(test, raw(h2), 0ULL);
	dmashim_ctx_put(ctx);
}

/* Destroyed in atomic context, the context is dead at once all the same. */
static void dmashim_ctx_destroy_atomic_refuses_at_once(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h;
	int load, free;
	u8 byte;

	h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_ctx_get(ctx);
	local_irq_disable();
	dmashim_ctx_destroy(ctx);
	load = dmashim_load8(ctx, h, 0, &byte);
	free = dmashim_free(ctx, h);
	local_irq_enable();
	fx->ctx = NULL;

	KUNIT_EXPECT_EQ(test, load, -ENODEV);
	KUNIT_EXPECT_EQ(test, free, -ENODEV);
	dmashim_ctx_put(ctx);
}

/*
 * Destroy returns once the memory is back, even while the release work is
 * halfway through a batch it took: nothing is pending when it returns.
 */
static void dmashim_ctx_destroy_waits_for_release_work(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	const unsigned int nr = 2000;
	dmashim_handle_t *h;
	struct dmashim_ctx *ctx;
	unsigned int i, round;

	h = kunit_kcalloc(test, nr, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	for (round = 0; round < 5; round++) {
		KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &ctx), 0);
		for (i = 0; i < nr; i++)
			h[i] = dmashim_test_alloc(test, ctx, 64, 0);
		for (i = 0; i < nr; i++)
			KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h[i]), 0);
		/* Let the work item start on the batch. */
		synchronize_rcu();
		dmashim_ctx_get(ctx);
		dmashim_ctx_destroy(ctx);
		KUNIT_EXPECT_EQ(test,
				dmashim_test_stats(test, ctx).pending_release,
				0);
		dmashim_ctx_put(ctx);
	}
}

static void dmashim_ctx_stats_null(struct kunit *test)
{
	struct dmashim_stats st = { .sz = sizeof(st) };

	KUNIT_EXPECT_EQ(test, dmashim_ctx_stats(NULL, &st), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_ctx_stats(dmashim_test_ctx(test), NULL),
			-EINVAL);
}

static void dmashim_ctx_stats_counts_operations(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t a, b, none = 0;
	struct dmashim_stats st;

	a = dmashim_test_alloc(test, ctx, 100, 0);
	b = dmashim_test_alloc(test, ctx, 200, 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 0, NULL, &none), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, a), -EBADF);

	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.allocs, 2ULL);
	KUNIT_EXPECT_EQ(test, st.frees, 1ULL);
	KUNIT_EXPECT_EQ(test, st.alloc_failures, 1ULL);
	KUNIT_EXPECT_EQ(test, st.refused, 1ULL);
	KUNIT_EXPECT_EQ(test, st.live, 1ULL);
	KUNIT_EXPECT_EQ(test, st.live_bytes, 200ULL);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, b), 0);
}

static void dmashim_ctx_stats_short_sz(struct kunit *test)
{
	struct {
		struct dmashim_stats st;
		u64 guard;
	} s;

	memset(&s, 0xa5, sizeof(s));
	s.st.sz = offsetofend(struct dmashim_stats, live);
	dmashim_test_alloc(test, dmashim_test_ctx(test), 64, 0);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_stats(dmashim_test_ctx(test), &s.st),
			0);
	KUNIT_EXPECT_EQ(test, s.st.live, 1ULL);
	/* Nothing past the caller's @sz is written. */
	KUNIT_EXPECT_EQ(test, s.st.live_bytes, 0xa5a5a5a5a5a5a5a5ULL);
}

/* Revocation ends every handle's life: allocs - frees == live again. */
static void dmashim_ctx_destroy_counts_frees(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	struct dmashim_stats st;
	int i;

	for (i = 0; i < 3; i++)
		dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.frees, st.allocs);
	dmashim_ctx_put(ctx);
}

/* The context id a handle carries: its top 16 bits. */
static u16 handle_ctx_id(dmashim_handle_t h)
{
	return raw(h) >> 48;
}

/* A context with an allocation, or fail the case; returns its id. */
static u16 new_ctx_with_buffer(struct kunit *test, struct device *dev,
			       struct dmashim_ctx **ctxp, dmashim_handle_t *h)
{
	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(dev, ctxp), 0);
	*h = dmashim_test_alloc(test, *ctxp, 64, 0);
	return handle_ctx_id(*h);
}

/*
 * Handles of a destroyed context stay dead in a later context that reuses
 * its id, however many generations that one's slots go through (a context
 * once started near its id's old generations, and one bump of the
 * generation reissued the old handles).  The id is handed out again at
 * once through the test hook; ids come back by themselves after 65535
 * contexts, which the model soak exercises.
 */
static void dmashim_ctx_create_reused_id_refuses_old_handles(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	dmashim_handle_t old[64], h;
	struct dmashim_ctx *a, *b;
	unsigned int i, n;
	u16 id;
	u8 byte;

	id = new_ctx_with_buffer(test, fx->dev, &a, &old[0]);
	for (i = 1; i < ARRAY_SIZE(old); i++)
		old[i] = dmashim_test_alloc(test, a, 64, 0);
	/* Move the generations of the old slots on, too. */
	for (n = 0; n < 1024; n++) {
		dmashim_handle_t fresh = dmashim_test_alloc(test, a, 64, 0);

		KUNIT_ASSERT_EQ(test, dmashim_free(a, fresh), 0);
	}
	dmashim_ctx_destroy(a);

	dmashim_test_next_ctx_id(id);
	KUNIT_ASSERT_EQ(test, new_ctx_with_buffer(test, fx->dev, &b, &h), id);
	for (n = 0; n < 4096; n++) {
		KUNIT_ASSERT_EQ(test, dmashim_alloc(b, 64, NULL, &h), 0);
		if (n % 3)
			KUNIT_EXPECT_EQ(test, dmashim_free(b, h), 0);
		for (i = 0; i < ARRAY_SIZE(old); i++)
			KUNIT_EXPECT_NE(test, dmashim_read(b, old[i], 0, &byte,
							   1), 0);
	}
	dmashim_ctx_destroy(b);
}

/* ---- devm: revocation on unbind --------------------------------------- */

#define DEVM_DRV_NAME	"dmashim-kunit-devm"
#define DEVM_BUFFERS	3

static struct dmashim_ctx *devm_probe_ctx;
static dmashim_handle_t devm_probe_handles[DEVM_BUFFERS];

static int devm_test_probe(struct platform_device *pdev)
{
	struct dmashim_ctx *ctx;
	int i, ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	ret = devm_dmashim_ctx_create(&pdev->dev, &ctx);
	if (ret)
		return ret;
	for (i = 0; i < DEVM_BUFFERS; i++) {
		ret = dmashim_alloc(ctx, PAGE_SIZE * (i + 1), NULL,
				    &devm_probe_handles[i]);
		if (ret)
			return ret;
	}
	/* The test outlives the binding: it holds its own reference. */
	dmashim_ctx_get(ctx);
	devm_probe_ctx = ctx;
	return 0;
}

static struct platform_driver devm_test_driver = {
	.probe = devm_test_probe,
	.driver = { .name = DEVM_DRV_NAME },
};

/* Bind a device to the devm test driver; returns it with the ctx set. */
static struct platform_device *devm_bind(struct kunit *test)
{
	struct platform_device *pdev;
	int ret;

	devm_probe_ctx = NULL;
	/*
	 * No owner: a module still in its init (where 6.1 runs its KUnit
	 * suites) has no sysfs "drivers" directory to link the driver into.
	 */
	ret = __platform_driver_register(&devm_test_driver, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	pdev = platform_device_register_simple(DEVM_DRV_NAME,
					       PLATFORM_DEVID_AUTO, NULL, 0);
	if (IS_ERR(pdev)) {
		platform_driver_unregister(&devm_test_driver);
		KUNIT_FAIL(test, "cannot register device");
		return NULL;
	}
	if (!devm_probe_ctx) {
		platform_device_unregister(pdev);
		platform_driver_unregister(&devm_test_driver);
		KUNIT_FAIL(test, "probe did not run or failed");
		return NULL;
	}
	return pdev;
}

static void devm_unbind(struct platform_device *pdev)
{
	device_release_driver(&pdev->dev);
}

static void devm_cleanup(struct platform_device *pdev)
{
	platform_device_unregister(pdev);
	platform_driver_unregister(&devm_test_driver);
	dmashim_ctx_put(devm_probe_ctx);
	devm_probe_ctx = NULL;
}

static void dmashim_ctx_devm_unbind_releases_live(struct kunit *test)
{
	struct platform_device *pdev = devm_bind(test);
	struct dmashim_stats st;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	st = dmashim_test_stats(test, devm_probe_ctx);
	KUNIT_EXPECT_EQ(test, st.live, (u64)DEVM_BUFFERS);

	devm_unbind(pdev);
	st = dmashim_test_stats(test, devm_probe_ctx);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.live_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.pending_release, 0ULL);
	devm_cleanup(pdev);
}

static void dmashim_ctx_devm_unbind_refuses_handles(struct kunit *test)
{
	struct platform_device *pdev = devm_bind(test);
	u64 addr = 0;
	u32 val;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	devm_unbind(pdev);
	for (i = 0; i < DEVM_BUFFERS; i++) {
		dmashim_handle_t h = devm_probe_handles[i];

		KUNIT_EXPECT_EQ(test, dmashim_load32(devm_probe_ctx, h, 0, &val),
				-ENODEV);
		KUNIT_EXPECT_EQ(test, dmashim_dma_addr(devm_probe_ctx, h, 0, 1,
						       &addr), -ENODEV);
		KUNIT_EXPECT_EQ(test, dmashim_free(devm_probe_ctx, h), -ENODEV);
	}
	KUNIT_EXPECT_EQ(test, addr, 0ULL);
	devm_cleanup(pdev);
}

static void dmashim_ctx_devm_unbind_refuses_alloc(struct kunit *test)
{
	struct platform_device *pdev = devm_bind(test);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	devm_unbind(pdev);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(devm_probe_ctx, 64, NULL, &h),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
	devm_cleanup(pdev);
}

/* ---- dmashim_alloc ---------------------------------------------------- */

static const u64 alloc_sizes[] = {
	1, 2, 63, 64, 65, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
	2 * PAGE_SIZE - 1, 2 * PAGE_SIZE, 2 * PAGE_SIZE + 1, SZ_64K + 1,
	SZ_1M - 1, SZ_1M, 3 * SZ_1M + 1, SZ_4M,
};

static void u64_desc(const u64 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%llu", *v);
}

KUNIT_ARRAY_PARAM(alloc_sizes, alloc_sizes, u64_desc);

static void dmashim_alloc_size_reported(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.len, len);
	KUNIT_EXPECT_EQ(test, info.kind, (u32)DMASHIM_KIND_COHERENT);
	KUNIT_EXPECT_NOT_NULL(test, info.cpu_addr);
}

static void dmashim_alloc_size_page_aligned(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(info.dma_addr, PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(info.cpu_addr));
}

static void dmashim_alloc_size_zeroed(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	u8 *copy = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, copy, len), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(copy, 0, len));
}

static void dmashim_alloc_size_within_mask(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h;

	dmashim_ctx_destroy(fx->ctx);
	fx->ctx = NULL;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(fx->dev,
							DMA_BIT_MASK(32)), 0);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &fx->ctx), 0);
	h = dmashim_test_alloc(test, fx->ctx, len, 0);
	KUNIT_ASSERT_EQ(test, dmashim_info(fx->ctx, h, &info), 0);
	KUNIT_EXPECT_LE(test, info.dma_addr + len - 1, DMA_BIT_MASK(32));
}

static void dmashim_alloc_handles_distinct(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h[32];
	int i, j;

	for (i = 0; i < ARRAY_SIZE(h); i++) {
		h[i] = dmashim_test_alloc(test, ctx, 64, 0);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, raw(h[i]), raw(h[j]));
	}
}

static void dmashim_alloc_len_zero(struct kunit *test)
{
	dmashim_handle_t h = handle_of(0x1234);

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), 0, NULL,
					    &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, raw(h), 0x1234ULL);
}

static const u64 overflow_sizes[] = {
	U64_MAX, (u64)SIZE_MAX - PAGE_SIZE + 2, (u64)SIZE_MAX - 1,
};

KUNIT_ARRAY_PARAM(overflow_sizes, overflow_sizes, u64_desc);

static void dmashim_alloc_len_overflow(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), len, NULL,
					    &h), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
}

struct mask_case {
	unsigned int bits;
	u64 len;
	int expect;
};

static const struct mask_case mask_cases[] = {
	{ 24, SZ_16M + 1, -E2BIG },
	{ 28, SZ_256M + 1, -E2BIG },
	{ 32, SZ_4G + 1, -E2BIG },
	{ 32, SZ_4G * 2, -E2BIG },
};

static void mask_case_desc(const struct mask_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "mask %u bits, len %llu",
		 c->bits, c->len);
}

KUNIT_ARRAY_PARAM(mask_cases, mask_cases, mask_case_desc);

static void dmashim_alloc_len_beyond_mask(struct kunit *test)
{
	const struct mask_case *c = test->param_value;
	struct dmashim_test_fixture *fx = test->priv;
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(fx->dev,
							DMA_BIT_MASK(c->bits)),
			0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(fx->ctx, c->len, NULL, &h),
			c->expect);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
}

static void dmashim_alloc_len_beyond_ram(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 1ULL << 50, NULL, &h),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 0ULL);
}

/*
 * Allocation failures, made real with fault injection: the runner arms
 * failslab and fail_page_alloc for tasks that opt in (make_it_fail), so
 * every allocation of the call fails and its failure path runs.  (6.1 runs
 * module suites before module parameters are parsed, so the test cannot be
 * told; an unarmed kernel shows as a skip, which the runner treats as red.)
 */
struct fault_op {
	const char *name;
	int (*call)(struct dmashim_ctx *ctx, struct device *dev);
};

static int fault_ctx_create(struct dmashim_ctx *ctx, struct device *dev)
{
	struct dmashim_ctx *other = NULL;
	int ret = dmashim_ctx_create(dev, &other);

	dmashim_ctx_destroy(other);
	return ret ?: -EEXIST;
}

static int fault_alloc(struct dmashim_ctx *ctx, struct device *dev)
{
	dmashim_handle_t h = 0;
	int ret = dmashim_alloc(ctx, PAGE_SIZE, NULL, &h);

	return ret ?: dmashim_free(ctx, h) ?: -EEXIST;
}

static int fault_alloc_noncoherent(struct dmashim_ctx *ctx, struct device *dev)
{
	dmashim_handle_t h = 0;
	int ret = dmashim_alloc_noncoherent(ctx, PAGE_SIZE,
					    DMASHIM_DIR_TO_DEVICE, NULL, &h);

	return ret ?: dmashim_free(ctx, h) ?: -EEXIST;
}

static int fault_pool_create(struct dmashim_ctx *ctx, struct device *dev)
{
	dmashim_pool_t pool = 0;
	int ret = dmashim_pool_create(ctx, NULL, 64, NULL, &pool);

	return ret ?: dmashim_pool_destroy(ctx, pool) ?: -EEXIST;
}

static const struct fault_op fault_ops[] = {
	{ "ctx_create", fault_ctx_create },
	{ "alloc", fault_alloc },
	{ "alloc_noncoherent", fault_alloc_noncoherent },
	{ "pool_create", fault_pool_create },
};

static void fault_op_desc(const struct fault_op *op, char *desc)
{
	strscpy(desc, op->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault_ops, fault_ops, fault_op_desc);

static void dmashim_alloc_fault_injected(struct kunit *test)
{
#ifdef CONFIG_FAULT_INJECTION
	const struct fault_op *op = test->param_value;
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_stats st;
	int ret;

	current->make_it_fail = 1;
	ret = op->call(fx->ctx, fx->dev);
	current->make_it_fail = 0;
	if (ret == -EEXIST)
		kunit_skip(test, "fault injection is not armed");
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	st = dmashim_test_stats(test, fx->ctx);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.pending_release, 0ULL);
#else
	kunit_skip(test, "kernel built without CONFIG_FAULT_INJECTION");
#endif
}

static void dmashim_pool_alloc_fault_injected(struct kunit *test)
{
#ifdef CONFIG_FAULT_INJECTION
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = 0;
	dmashim_pool_t pool;
	int ret;

	KUNIT_ASSERT_EQ(test, dmashim_pool_create(ctx, NULL, 64, NULL, &pool),
			0);
	current->make_it_fail = 1;
	ret = dmashim_pool_alloc(ctx, pool, 0, &h);
	current->make_it_fail = 0;
	if (!ret)
		kunit_skip(test, "fault injection is not armed");
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
#else
	kunit_skip(test, "kernel built without CONFIG_FAULT_INJECTION");
#endif
}

static void dmashim_alloc_null_ctx(struct kunit *test)
{
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(NULL, 64, NULL, &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
}

static void dmashim_alloc_null_handlep(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);

	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 0ULL);
}

static const u32 good_flags[] = {
	0,
	DMASHIM_ALLOC_WRITE_COMBINE,
	DMASHIM_ALLOC_NO_KERNEL_MAPPING,
	DMASHIM_ALLOC_NOWAIT,
	DMASHIM_ALLOC_WEAK_ORDERING,
	DMASHIM_ALLOC_FORCE_CONTIGUOUS,
	DMASHIM_ALLOC_SINGLE_PAGES,
	DMASHIM_ALLOC_NO_WARN,
	DMASHIM_ALLOC_PRIVILEGED,
	DMASHIM_ALLOC_WRITE_COMBINE | DMASHIM_ALLOC_NOWAIT |
		DMASHIM_ALLOC_NO_WARN,
};

static void u32_desc(const u32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%x", *v);
}

KUNIT_ARRAY_PARAM(good_flags, good_flags, u32_desc);

static void dmashim_alloc_flags_recorded(struct kunit *test)
{
	const u32 flags = *(const u32 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 3 * PAGE_SIZE,
						flags);

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flags, flags);
	if (flags & DMASHIM_ALLOC_NO_KERNEL_MAPPING)
		KUNIT_EXPECT_NULL(test, info.cpu_addr);
	else
		KUNIT_EXPECT_NOT_NULL(test, info.cpu_addr);
}

static const u32 bad_flags[] = {
	1U << 8, 1U << 31, ~0U,
	DMASHIM_ALLOC_FORCE_CONTIGUOUS | DMASHIM_ALLOC_SINGLE_PAGES,
	DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_NO_KERNEL_MAPPING,
};

KUNIT_ARRAY_PARAM(bad_flags, bad_flags, u32_desc);

static void dmashim_alloc_flags_invalid(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts),
		.flags = *(const u32 *)test->param_value,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, &opts, &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 0ULL);
}

static void dmashim_alloc_nowait_irqs_disabled(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts),
		.flags = DMASHIM_ALLOC_NOWAIT,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = 0;
	unsigned long flags;
	int alloc_ret, free_ret;

	local_irq_save(flags);
	alloc_ret = dmashim_alloc(ctx, PAGE_SIZE, &opts, &h);
	free_ret = alloc_ret ? 0 : dmashim_free(ctx, h);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, alloc_ret, 0);
	KUNIT_EXPECT_EQ(test, free_ret, 0);
}

static const u32 bad_opts_sz[] = { 0, 1, 2, 3, PAGE_SIZE + 1, U32_MAX };

KUNIT_ARRAY_PARAM(bad_opts_sz, bad_opts_sz, u32_desc);

static void dmashim_alloc_opts_sz_invalid(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = *(const u32 *)test->param_value,
	};
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), 64, &opts,
					    &h), -EINVAL);
}

static void dmashim_alloc_opts_sz_minimal(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_info info = { .sz = sizeof(info) };
	/* An old caller that knew only @sz: the rest reads as zero. */
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(u32), .flags = ~0U, .numa_node = 12345,
	};
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_alloc(ctx, 64, &opts, &h), 0);
	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flags, 0U);
}

struct opts_v2 {
	struct dmashim_alloc_opts v1;
	u64 future;
};

static void dmashim_alloc_opts_trailing_zero(struct kunit *test)
{
	struct opts_v2 opts = {
		.v1 = { .sz = sizeof(opts),
			.numa_node = DMASHIM_NUMA_NODE_ANY },
	};
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), 64,
					    &opts.v1, &h), 0);
}

static void dmashim_alloc_opts_trailing_nonzero(struct kunit *test)
{
	struct opts_v2 opts = {
		.v1 = { .sz = sizeof(opts),
			.numa_node = DMASHIM_NUMA_NODE_ANY },
		.future = 1,
	};
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), 64,
					    &opts.v1, &h), -EINVAL);
}

static void dmashim_alloc_opts_reserved_nonzero(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts), .numa_node = DMASHIM_NUMA_NODE_ANY,
		.reserved = 1,
	};
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), 64, &opts,
					    &h), -EINVAL);
}

static const s32 bad_nodes[] = { -2, MAX_NUMNODES, S32_MAX, S32_MIN };

static void s32_desc(const s32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%d", *v);
}

KUNIT_ARRAY_PARAM(bad_nodes, bad_nodes, s32_desc);

static void dmashim_alloc_node_invalid(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts), .numa_node = *(const s32 *)test->param_value,
	};
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc(dmashim_test_ctx(test), 64, &opts,
					    &h), -EINVAL);
}

static void dmashim_alloc_node_hint_reported(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts), .numa_node = first_online_node,
	};
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_alloc(ctx, 64, &opts, &h), 0);
	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_TRUE(test, node_online(info.numa_node));
}

/* ---- dmashim_free ----------------------------------------------------- */

static void dmashim_free_live(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 0ULL);
}

static void dmashim_free_releases_memory(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, SZ_1M, 0);

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	dmashim_test_wait_released(test, ctx);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).pending_release,
			0ULL);
}

static void dmashim_free_twice(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), -EBADF);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).frees, 1ULL);
}

static void dmashim_free_zero_handle(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dmashim_free(dmashim_test_ctx(test), 0), -EBADF);
}

static void dmashim_free_null_ctx(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, dmashim_free(NULL, h), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 1ULL);
}

/* Forgeries of a live handle @h: each must be refused, @h must survive. */
enum forgery { FORGE_SLOT, FORGE_GEN, FORGE_LOW_BIT, FORGE_NO_CTX };

static const enum forgery forgeries[] = {
	FORGE_SLOT, FORGE_GEN, FORGE_LOW_BIT, FORGE_NO_CTX,
};

static void forgery_desc(const enum forgery *f, char *desc)
{
	static const char * const names[] = {
		"other slot", "other generation", "flipped low bit",
		"no context id",
	};

	strscpy(desc, names[*f], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(forgeries, forgeries, forgery_desc);

static dmashim_handle_t forge(dmashim_handle_t h, enum forgery f)
{
	switch (f) {
	case FORGE_SLOT:
		return handle_of(raw(h) + 1000);
	case FORGE_GEN:
		return handle_of(raw(h) | FORGED_GEN);
	case FORGE_LOW_BIT:
		return handle_of(raw(h) ^ 1);
	case FORGE_NO_CTX:
		return handle_of(raw(h) & GENMASK_ULL(47, 0));
	}
	return 0;
}

static void dmashim_free_forged(struct kunit *test)
{
	const enum forgery f = *(const enum forgery *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, forge(h, f)), -EBADF);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 1ULL);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), 0);
}

static void dmashim_free_stale_after_realloc(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t old = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_handle_t new;

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, old), 0);
	new = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	KUNIT_EXPECT_NE(test, raw(old), raw(new));
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, old), -EBADF);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, new), 0);
}

/* Only a live context's handles are another context's: -EXDEV. */
static void dmashim_free_destroyed_ctx_handle_ebadf(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *other;
	dmashim_handle_t h;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &other), 0);
	h = dmashim_test_alloc(test, other, PAGE_SIZE, 0);
	dmashim_ctx_destroy(other);
	KUNIT_EXPECT_EQ(test, dmashim_free(fx->ctx, h), -EBADF);
}

static void dmashim_free_unknown_ctx_id_ebadf(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	dmashim_handle_t forged = (__force dmashim_handle_t)(0xfffeULL << 48 | 1);

	KUNIT_EXPECT_EQ(test, dmashim_free(fx->ctx, forged), -EBADF);
}

static void dmashim_free_other_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *other;
	dmashim_handle_t h;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &other), 0);
	h = dmashim_test_alloc(test, other, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(fx->ctx, h), -EXDEV);
	KUNIT_EXPECT_EQ(test, dmashim_free(other, h), 0);
	dmashim_ctx_destroy(other);
}

/* ---- dmashim_info ----------------------------------------------------- */

static void dmashim_info_null(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, h, NULL), -EINVAL);
}

static void dmashim_info_sz_invalid(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	struct dmashim_info info = { .sz = *(const u32 *)test->param_value };

	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, h, &info), -EINVAL);
}

static void dmashim_info_sz_larger_zeroed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	struct {
		struct dmashim_info info;
		u64 future[2];
	} big;

	memset(&big, 0xa5, sizeof(big));
	big.info.sz = sizeof(big);
	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &big.info), 0);
	KUNIT_EXPECT_EQ(test, big.info.len, 64ULL);
	KUNIT_EXPECT_EQ(test, big.future[0], 0ULL);
	KUNIT_EXPECT_EQ(test, big.future[1], 0ULL);
}

static void dmashim_info_sz_smaller_prefix(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	struct dmashim_info info;

	memset(&info, 0xa5, sizeof(info));
	info.sz = offsetofend(struct dmashim_info, len);
	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.len, 64ULL);
	KUNIT_EXPECT_EQ(test, info.dma_addr, 0xa5a5a5a5a5a5a5a5ULL);
}

static void dmashim_info_freed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	struct dmashim_info info = { .sz = sizeof(info), .len = 7 };

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, h, &info), -EBADF);
	KUNIT_EXPECT_EQ(test, info.len, 7ULL);
}

/* ---- concurrency: churn, readers and a stale-handle storm -------------- */

#define STORM_RING	64
#define STORM_ITERS	400

struct storm {
	struct dmashim_ctx *ctx;
	dmashim_handle_t victim;	/* long-lived, read by the readers */
	dmashim_handle_t stale[STORM_RING];
	atomic_t stale_next;
	atomic_t running;
	atomic_t stale_accepted;
	atomic_t errors;
	struct completion done;
};

static void storm_exit(struct storm *s)
{
	if (atomic_dec_and_test(&s->running))
		complete(&s->done);
}

/* Allocate, fill with the handle's value, verify, free, publish as stale. */
static int storm_churn(void *data)
{
	struct storm *s = data;
	dmashim_handle_t h;
	u64 val;
	int i, slot;

	for (i = 0; i < STORM_ITERS; i++) {
		if (dmashim_alloc(s->ctx, 64 + (i % 8) * 1000, NULL, &h) ||
		    dmashim_store64(s->ctx, h, 56, raw(h)) ||
		    dmashim_load64(s->ctx, h, 56, &val) || val != raw(h) ||
		    dmashim_free(s->ctx, h)) {
			atomic_inc(&s->errors);
			break;
		}
		slot = atomic_inc_return(&s->stale_next) % STORM_RING;
		WRITE_ONCE(s->stale[slot], h);
	}
	storm_exit(s);
	return 0;
}

/* Hammer with freed and forged handles: every call must be refused. */
static int storm_stale(void *data)
{
	struct storm *s = data;
	dmashim_handle_t h;
	u64 val;
	int i;

	for (i = 0; i < STORM_ITERS * 4; i++) {
		h = READ_ONCE(s->stale[i % STORM_RING]);
		if (!h)
			h = handle_of(raw(s->victim) | FORGED_GEN);
		if (dmashim_load64(s->ctx, h, 0, &val) != -EBADF ||
		    dmashim_free(s->ctx, h) != -EBADF)
			atomic_inc(&s->stale_accepted);
		if (!(i % 64))
			cond_resched();
	}
	storm_exit(s);
	return 0;
}

/* Read the long-lived buffer: its pattern must never change. */
static int storm_reader(void *data)
{
	struct storm *s = data;
	u32 val;
	int i;

	for (i = 0; i < STORM_ITERS * 4; i++) {
		if (dmashim_load32(s->ctx, s->victim, (i % 1024) * 4, &val) ||
		    val != 0x5a5a5a5a)
			atomic_inc(&s->errors);
		if (!(i % 64))
			cond_resched();
	}
	storm_exit(s);
	return 0;
}

static void dmashim_free_concurrent_stale_storm(struct kunit *test)
{
	int (*const fns[])(void *) = {
		storm_churn, storm_churn, storm_stale, storm_stale,
		storm_reader,
	};
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct storm *s;
	int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->ctx = ctx;
	s->victim = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	KUNIT_ASSERT_EQ(test, dmashim_fill(ctx, s->victim, 0, 0x5a, PAGE_SIZE),
			0);
	init_completion(&s->done);
	atomic_set(&s->running, ARRAY_SIZE(fns));
	for (i = 0; i < ARRAY_SIZE(fns); i++) {
		struct task_struct *t = kthread_run(fns[i], s, "dmashim-storm/%d",
						    i);

		if (IS_ERR(t)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
			storm_exit(s);
		}
	}
	wait_for_completion(&s->done);

	KUNIT_EXPECT_EQ(test, atomic_read(&s->errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->stale_accepted), 0);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 1ULL);
}

static struct kunit_case dmashim_ctx_cases[] = {
	KUNIT_CASE(dmashim_ctx_abi_version_matches_header),
	KUNIT_CASE(dmashim_ctx_create_null_dev),
	KUNIT_CASE(dmashim_ctx_create_null_ctxp),
	KUNIT_CASE(dmashim_ctx_create_no_dma_mask),
	KUNIT_CASE(dmashim_ctx_create_no_dma_mask_devm),
	KUNIT_CASE(dmashim_ctx_destroy_null),
	KUNIT_CASE(dmashim_ctx_destroy_releases_live),
	KUNIT_CASE(dmashim_ctx_destroy_refuses_later_calls),
	KUNIT_CASE(dmashim_ctx_destroy_atomic_refuses_at_once),
	KUNIT_CASE(dmashim_ctx_destroy_waits_for_release_work),
	KUNIT_CASE(dmashim_ctx_stats_null),
	KUNIT_CASE(dmashim_ctx_stats_counts_operations),
	KUNIT_CASE(dmashim_ctx_stats_short_sz),
	KUNIT_CASE(dmashim_ctx_destroy_counts_frees),
	KUNIT_CASE(dmashim_ctx_create_reused_id_refuses_old_handles),
	KUNIT_CASE(dmashim_ctx_devm_unbind_releases_live),
	KUNIT_CASE(dmashim_ctx_devm_unbind_refuses_handles),
	KUNIT_CASE(dmashim_ctx_devm_unbind_refuses_alloc),
	{}
};

static struct kunit_suite dmashim_ctx_suite = {
	.name = "dmashim_ctx",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_ctx_cases,
};

static struct kunit_case dmashim_alloc_cases[] = {
	KUNIT_CASE_PARAM(dmashim_alloc_size_reported, alloc_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_size_page_aligned,
			 alloc_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_size_zeroed, alloc_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_size_within_mask,
			 alloc_sizes_gen_params),
	KUNIT_CASE(dmashim_alloc_handles_distinct),
	KUNIT_CASE(dmashim_alloc_len_zero),
	KUNIT_CASE_PARAM(dmashim_alloc_len_overflow, overflow_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_len_beyond_mask, mask_cases_gen_params),
	KUNIT_CASE(dmashim_alloc_len_beyond_ram),
	KUNIT_CASE_PARAM(dmashim_alloc_fault_injected, fault_ops_gen_params),
	KUNIT_CASE(dmashim_pool_alloc_fault_injected),
	KUNIT_CASE(dmashim_alloc_null_ctx),
	KUNIT_CASE(dmashim_alloc_null_handlep),
	KUNIT_CASE_PARAM(dmashim_alloc_flags_recorded, good_flags_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_flags_invalid, bad_flags_gen_params),
	KUNIT_CASE(dmashim_alloc_nowait_irqs_disabled),
	KUNIT_CASE_PARAM(dmashim_alloc_opts_sz_invalid, bad_opts_sz_gen_params),
	KUNIT_CASE(dmashim_alloc_opts_sz_minimal),
	KUNIT_CASE(dmashim_alloc_opts_trailing_zero),
	KUNIT_CASE(dmashim_alloc_opts_trailing_nonzero),
	KUNIT_CASE(dmashim_alloc_opts_reserved_nonzero),
	KUNIT_CASE_PARAM(dmashim_alloc_node_invalid, bad_nodes_gen_params),
	KUNIT_CASE(dmashim_alloc_node_hint_reported),
	{}
};

static struct kunit_suite dmashim_alloc_suite = {
	.name = "dmashim_alloc",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_alloc_cases,
};

static struct kunit_case dmashim_free_cases[] = {
	KUNIT_CASE(dmashim_free_live),
	KUNIT_CASE(dmashim_free_releases_memory),
	KUNIT_CASE(dmashim_free_twice),
	KUNIT_CASE(dmashim_free_zero_handle),
	KUNIT_CASE(dmashim_free_null_ctx),
	KUNIT_CASE_PARAM(dmashim_free_forged, forgeries_gen_params),
	KUNIT_CASE(dmashim_free_stale_after_realloc),
	KUNIT_CASE(dmashim_free_other_ctx),
	KUNIT_CASE(dmashim_free_destroyed_ctx_handle_ebadf),
	KUNIT_CASE(dmashim_free_unknown_ctx_id_ebadf),
	KUNIT_CASE(dmashim_free_concurrent_stale_storm),
	{}
};

static struct kunit_suite dmashim_free_suite = {
	.name = "dmashim_free",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_free_cases,
};

static struct kunit_case dmashim_info_cases[] = {
	KUNIT_CASE(dmashim_info_null),
	KUNIT_CASE_PARAM(dmashim_info_sz_invalid, bad_opts_sz_gen_params),
	KUNIT_CASE(dmashim_info_sz_larger_zeroed),
	KUNIT_CASE(dmashim_info_sz_smaller_prefix),
	KUNIT_CASE(dmashim_info_freed),
	{}
};

static struct kunit_suite dmashim_info_suite = {
	.name = "dmashim_info",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_info_cases,
};

kunit_test_suites(&dmashim_ctx_suite, &dmashim_alloc_suite,
		  &dmashim_free_suite, &dmashim_info_suite);

MODULE_DESCRIPTION("KUnit tests for dmashim contexts, allocation and free");
MODULE_LICENSE("GPL");
