// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the other kinds of buffer: pool blocks, non-coherent
 * buffers with their syncs, and scatter-table export.  User-space mappings
 * are tested from user space (kunit/user/).
 */
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/scatterlist.h>

#include "dmashim_test.h"

MODULE_IMPORT_NS(DMASHIM);

static u64 raw(dmashim_handle_t h)
{
	return (__force u64)h;
}

static dmashim_pool_t pool_of(u64 v)
{
	return (__force dmashim_pool_t)v;
}

static dmashim_pool_t make_pool(struct kunit *test, struct dmashim_ctx *ctx,
				u64 block_size, u32 align, u64 boundary)
{
	struct dmashim_pool_opts opts = {
		.sz = sizeof(opts), .align = align, .boundary = boundary,
	};
	dmashim_pool_t pool = 0;

	KUNIT_ASSERT_EQ(test, dmashim_pool_create(ctx, "kunit", block_size,
						  &opts, &pool), 0);
	KUNIT_ASSERT_NE(test, (__force u64)pool, 0ULL);
	return pool;
}

static dmashim_handle_t pool_block(struct kunit *test, struct dmashim_ctx *ctx,
				   dmashim_pool_t pool)
{
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_pool_alloc(ctx, pool, 0, &h), 0);
	return h;
}

static u64 dma_addr_of(struct kunit *test, struct dmashim_ctx *ctx,
		       dmashim_handle_t h)
{
	struct dmashim_info info = { .sz = sizeof(info) };

	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, h, &info), 0);
	return info.dma_addr;
}

/* ---- pools ------------------------------------------------------------- */

static const u64 block_sizes[] = { 1, 8, 63, 64, 100, 512, PAGE_SIZE,
				   PAGE_SIZE + 8 };

static void u64_desc(const u64 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%llu", *v);
}

KUNIT_ARRAY_PARAM(block_sizes, block_sizes, u64_desc);

static void dmashim_pool_alloc_block_described(struct kunit *test)
{
	const u64 size = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, size, 0, 0);
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h = pool_block(test, ctx, pool);

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.kind, (u32)DMASHIM_KIND_POOL_BLOCK);
	KUNIT_EXPECT_EQ(test, info.len, size);
	KUNIT_EXPECT_NOT_NULL(test, info.cpu_addr);
}

static void dmashim_pool_alloc_blocks_disjoint(struct kunit *test)
{
	const u64 size = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, size, 0, 0);
	u64 addr[16];
	int i, j;

	for (i = 0; i < ARRAY_SIZE(addr); i++) {
		addr[i] = dma_addr_of(test, ctx, pool_block(test, ctx, pool));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_TRUE(test, addr[i] >= addr[j] + size ||
					  addr[j] >= addr[i] + size);
	}
}

static void dmashim_pool_alloc_zeroed(struct kunit *test)
{
	const u64 size = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, size, 0, 0);
	dmashim_handle_t h = pool_block(test, ctx, pool);
	u8 *buf = kunit_kmalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, buf, size), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, size));
}

static void dmashim_pool_alloc_reuses_freed_block(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t h = pool_block(test, ctx, pool);
	u64 first = dma_addr_of(test, ctx, h);

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	dmashim_test_wait_released(test, ctx);
	h = pool_block(test, ctx, pool);
	KUNIT_EXPECT_EQ(test, dma_addr_of(test, ctx, h), first);
}

static void dmashim_pool_alloc_reused_block_zeroed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t h = pool_block(test, ctx, pool);
	u8 buf[64];

	KUNIT_ASSERT_EQ(test, dmashim_fill(ctx, h, 0, 0xff, 64), 0);
	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	dmashim_test_wait_released(test, ctx);
	h = pool_block(test, ctx, pool);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, buf, 64), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 64));
}

static const u32 aligns[] = { 8, 64, 256, PAGE_SIZE };

static void u32_desc(const u32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u", *v);
}

KUNIT_ARRAY_PARAM(aligns, aligns, u32_desc);

static void dmashim_pool_alloc_aligned(struct kunit *test)
{
	const u32 align = *(const u32 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 24, align, 0);
	int i;

	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(dma_addr_of(test, ctx,
							       pool_block(test, ctx, pool)),
						   align));
}

static void dmashim_pool_alloc_odd_size_sized_access(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 12, 0, 0);
	struct dmashim_info info = { .sz = sizeof(info) };
	u64 v = 0;
	int i;

	/* 12-byte blocks are still 8-byte aligned: a u64 at 0 always works. */
	for (i = 0; i < 8; i++) {
		dmashim_handle_t h = pool_block(test, ctx, pool);

		KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)info.cpu_addr,
						   8));
		KUNIT_EXPECT_EQ(test, dmashim_store64(ctx, h, 0, i), 0);
		KUNIT_EXPECT_EQ(test, dmashim_load64(ctx, h, 0, &v), 0);
		KUNIT_EXPECT_EQ(test, v, (u64)i);
	}
}

static void dmashim_pool_alloc_within_boundary(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 96, 0, 256);
	int i;

	for (i = 0; i < 32; i++) {
		u64 a = dma_addr_of(test, ctx, pool_block(test, ctx, pool));

		KUNIT_EXPECT_EQ(test, a / 256, (a + 95) / 256);
	}
}

/*
 * Boundaries that 6.1's dma_pool cannot hold in its unsigned int: accepted,
 * and allocation works (it once looped forever).
 */
static const u64 big_boundaries[] = {
	1ULL << 32, 1ULL << 33, 1ULL << 40, 1ULL << 63,
};

static void u64_hex_desc(const u64 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%llx", *v);
}

KUNIT_ARRAY_PARAM(big_boundaries, big_boundaries, u64_hex_desc);

static void dmashim_pool_alloc_boundary_above_4g(struct kunit *test)
{
	const u64 boundary = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, boundary);
	dmashim_handle_t h[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(h); i++)
		h[i] = pool_block(test, ctx, pool);
	for (i = 0; i < ARRAY_SIZE(h); i++)
		KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h[i]), 0);
}

struct pool_bad_case {
	const char *name;
	u64 block_size;
	u32 align;
	u64 boundary;
	int expect;
};

static const struct pool_bad_case pool_bad_cases[] = {
	{ "zero block", 0, 0, 0, -EINVAL },
	{ "align not power of two", 64, 48, 0, -EINVAL },
	{ "align above a page", 64, 2 * PAGE_SIZE, 0, -EINVAL },
	{ "boundary not power of two", 64, 0, 384, -EINVAL },
	{ "boundary below block", 128, 0, 64, -EINVAL },
	{ "boundary below aligned block", 72, 256, 128, -EINVAL },
	{ "block above INT_MAX", (u64)INT_MAX + 1, 0, 0, -E2BIG },
	{ "block of U64_MAX", U64_MAX, 0, 0, -E2BIG },
};

static void pool_bad_desc(const struct pool_bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pool_bad_cases, pool_bad_cases, pool_bad_desc);

static void dmashim_pool_create_invalid(struct kunit *test)
{
	const struct pool_bad_case *c = test->param_value;
	struct dmashim_pool_opts opts = {
		.sz = sizeof(opts), .align = c->align, .boundary = c->boundary,
	};
	dmashim_pool_t pool = 0;

	KUNIT_EXPECT_EQ(test, dmashim_pool_create(dmashim_test_ctx(test), NULL,
						  c->block_size, &opts, &pool),
			c->expect);
	KUNIT_EXPECT_EQ(test, (__force u64)pool, 0ULL);
}

static void dmashim_pool_create_beyond_mask(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	dmashim_pool_t pool = 0;

	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(fx->dev,
							DMA_BIT_MASK(24)), 0);
	KUNIT_EXPECT_EQ(test, dmashim_pool_create(fx->ctx, NULL, SZ_16M + 1,
						  NULL, &pool), -E2BIG);
}

static void dmashim_pool_create_null(struct kunit *test)
{
	dmashim_pool_t pool = 0;

	KUNIT_EXPECT_EQ(test, dmashim_pool_create(NULL, NULL, 64, NULL, &pool),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_pool_create(dmashim_test_ctx(test), NULL,
						  64, NULL, NULL), -EINVAL);
}

static void dmashim_pool_alloc_flags_invalid(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_pool_alloc(ctx, pool,
						 DMASHIM_ALLOC_WRITE_COMBINE, &h),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
}

static void dmashim_pool_alloc_nowait_irqs_disabled(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t h = 0;
	unsigned long flags;
	int alloc_ret, free_ret;

	local_irq_save(flags);
	alloc_ret = dmashim_pool_alloc(ctx, pool, DMASHIM_ALLOC_NOWAIT, &h);
	free_ret = alloc_ret ? 0 : dmashim_free(ctx, h);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, alloc_ret, 0);
	KUNIT_EXPECT_EQ(test, free_ret, 0);
}

static void dmashim_pool_alloc_buffer_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 64, 0);
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_pool_alloc(ctx, pool_of(raw(buf)), 0, &h),
			-EBADF);
}

static void dmashim_pool_alloc_destroyed_pool(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
	KUNIT_EXPECT_EQ(test, dmashim_pool_alloc(ctx, pool, 0, &h), -EBADF);
}

static void dmashim_pool_alloc_other_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *other;
	dmashim_pool_t pool;
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &other), 0);
	pool = make_pool(test, other, 64, 0, 0);
	KUNIT_EXPECT_EQ(test, dmashim_pool_alloc(fx->ctx, pool, 0, &h), -EXDEV);
	dmashim_ctx_destroy(other);
}

static void dmashim_pool_alloc_revoked(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t h = 0;

	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	KUNIT_EXPECT_EQ(test, dmashim_pool_alloc(ctx, pool, 0, &h), -ENODEV);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool), -ENODEV);
	dmashim_ctx_put(ctx);
}

static void dmashim_pool_create_revoked(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_pool_t pool = 0;

	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	KUNIT_EXPECT_EQ(test, dmashim_pool_create(ctx, NULL, 64, NULL, &pool),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, (__force u64)pool, 0ULL);
	dmashim_ctx_put(ctx);
}

static void dmashim_pool_destroy_null_ctx(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);

	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(NULL, pool), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
}

static void dmashim_pool_destroy_other_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *other;
	dmashim_pool_t pool;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &other), 0);
	pool = make_pool(test, other, 64, 0, 0);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(fx->ctx, pool), -EXDEV);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(other, pool), 0);
	dmashim_ctx_destroy(other);
}

static void dmashim_pool_destroy_frees_live_blocks(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t blocks[8];
	u8 byte;
	int i;

	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		blocks[i] = pool_block(test, ctx, pool);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		KUNIT_EXPECT_EQ(test, dmashim_read(ctx, blocks[i], 0, &byte, 1),
				-EBADF);
	dmashim_test_wait_released(test, ctx);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 0ULL);
}

/* Blocks freed by pool destroy are frees: allocs - frees == live. */
static void dmashim_pool_destroy_counts_frees(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	struct dmashim_stats st;
	int i;

	for (i = 0; i < 5; i++)
		pool_block(test, ctx, pool);
	KUNIT_ASSERT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.frees, st.allocs);
}

static void dmashim_pool_destroy_twice(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);

	KUNIT_ASSERT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool), -EBADF);
}

static void dmashim_pool_destroy_buffer_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool_of(raw(buf))),
			-EBADF);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
}

static void dmashim_free_pool_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);

	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, (__force dmashim_handle_t)pool),
			-EBADF);
	KUNIT_EXPECT_EQ(test, dmashim_pool_destroy(ctx, pool), 0);
}

static void dmashim_pool_alloc_thousands_live(struct kunit *test)
{
	const unsigned int n = 4096;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_pool_t pool = make_pool(test, ctx, 64, 0, 0);
	dmashim_handle_t *h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, dmashim_pool_alloc(ctx, pool, 0, &h[i]), 0);
		KUNIT_ASSERT_EQ(test, dmashim_store32(ctx, h[i], 0, i), 0);
	}
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, (u64)n);
	for (i = 0; i < n; i++) {
		u32 v = 0;

		KUNIT_EXPECT_EQ(test, dmashim_load32(ctx, h[i], 0, &v), 0);
		KUNIT_EXPECT_EQ(test, v, i);
		KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h[i]), 0);
	}
}

static void dmashim_ctx_destroy_with_pool_blocks(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_pool_t pool = make_pool(test, ctx, 128, 0, 0);
	struct dmashim_stats st;
	int i;

	for (i = 0; i < 10; i++)
		pool_block(test, ctx, pool);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.pending_release, 0ULL);
	dmashim_ctx_put(ctx);
}

/* ---- non-coherent buffers and syncs ----------------------------------- */

static const u64 nc_sizes[] = { 1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
				SZ_64K, SZ_1M + 3 };

KUNIT_ARRAY_PARAM(nc_sizes, nc_sizes, u64_desc);

static dmashim_handle_t nc_alloc(struct kunit *test, struct dmashim_ctx *ctx,
				 u64 len, u32 dir)
{
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_alloc_noncoherent(ctx, len, dir, NULL,
							&h), 0);
	return h;
}

static void dmashim_alloc_noncoherent_described(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, len, DMASHIM_DIR_FROM_DEVICE);
	struct dmashim_info info = { .sz = sizeof(info) };

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.kind, (u32)DMASHIM_KIND_NONCOHERENT);
	KUNIT_EXPECT_EQ(test, info.dir, (u32)DMASHIM_DIR_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, info.len, len);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(info.dma_addr, PAGE_SIZE));
}

static void dmashim_alloc_noncoherent_zeroed(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, len, DMASHIM_DIR_TO_DEVICE);
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, buf, len), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, len));
}

static const u32 bad_dirs[] = { 3, 4, U32_MAX - 1, U32_MAX };

KUNIT_ARRAY_PARAM(bad_dirs, bad_dirs, u32_desc);

static void dmashim_alloc_noncoherent_dir_invalid(struct kunit *test)
{
	const u32 dir = *(const u32 *)test->param_value;
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc_noncoherent(dmashim_test_ctx(test),
							PAGE_SIZE, dir, NULL,
							&h), -EINVAL);
	KUNIT_EXPECT_EQ(test, raw(h), 0ULL);
}

static const u32 nc_bad_flags[] = {
	DMASHIM_ALLOC_WRITE_COMBINE, DMASHIM_ALLOC_NO_KERNEL_MAPPING,
	DMASHIM_ALLOC_FORCE_CONTIGUOUS, DMASHIM_ALLOC_PRIVILEGED, 1U << 20,
};

KUNIT_ARRAY_PARAM(nc_bad_flags, nc_bad_flags, u32_desc);

static void dmashim_alloc_noncoherent_flags_invalid(struct kunit *test)
{
	struct dmashim_alloc_opts opts = {
		.sz = sizeof(opts), .flags = *(const u32 *)test->param_value,
		.numa_node = DMASHIM_NUMA_NODE_ANY,
	};
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc_noncoherent(dmashim_test_ctx(test),
							PAGE_SIZE,
							DMASHIM_DIR_TO_DEVICE,
							&opts, &h), -EINVAL);
}

static void dmashim_alloc_noncoherent_len_zero(struct kunit *test)
{
	dmashim_handle_t h = 0;

	KUNIT_EXPECT_EQ(test, dmashim_alloc_noncoherent(dmashim_test_ctx(test),
							0, DMASHIM_DIR_TO_DEVICE,
							NULL, &h), -EINVAL);
}

struct sync_case {
	u32 alloc_dir;
	u32 sync_dir;
	int expect;
};

static const struct sync_case sync_cases[] = {
	{ DMASHIM_DIR_BIDIRECTIONAL, DMASHIM_DIR_BIDIRECTIONAL, 0 },
	{ DMASHIM_DIR_BIDIRECTIONAL, DMASHIM_DIR_TO_DEVICE, 0 },
	{ DMASHIM_DIR_BIDIRECTIONAL, DMASHIM_DIR_FROM_DEVICE, 0 },
	{ DMASHIM_DIR_TO_DEVICE, DMASHIM_DIR_TO_DEVICE, 0 },
	{ DMASHIM_DIR_TO_DEVICE, DMASHIM_DIR_FROM_DEVICE, -EINVAL },
	{ DMASHIM_DIR_TO_DEVICE, DMASHIM_DIR_BIDIRECTIONAL, -EINVAL },
	{ DMASHIM_DIR_FROM_DEVICE, DMASHIM_DIR_FROM_DEVICE, 0 },
	{ DMASHIM_DIR_FROM_DEVICE, DMASHIM_DIR_TO_DEVICE, -EINVAL },
	{ DMASHIM_DIR_BIDIRECTIONAL, 3, -EINVAL },
	{ DMASHIM_DIR_FROM_DEVICE, U32_MAX, -EINVAL },
};

static void sync_desc(const struct sync_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "alloc %u sync %u -> %d",
		 c->alloc_dir, c->sync_dir, c->expect);
}

KUNIT_ARRAY_PARAM(sync_cases, sync_cases, sync_desc);

static void dmashim_sync_for_cpu_direction(struct kunit *test)
{
	const struct sync_case *c = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, PAGE_SIZE, c->alloc_dir);

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(ctx, h, 0, PAGE_SIZE,
						   c->sync_dir), c->expect);
}

static void dmashim_sync_for_device_direction(struct kunit *test)
{
	const struct sync_case *c = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, PAGE_SIZE, c->alloc_dir);

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, h, 0, PAGE_SIZE,
						      c->sync_dir), c->expect);
}

struct sync_range {
	u64 offset;
	u64 len;
	int expect;
};

static const struct sync_range sync_ranges[] = {
	{ 0, 100, 0 }, { 99, 1, 0 }, { 100, 0, 0 }, { 100, 1, -ERANGE },
	{ 0, 101, -ERANGE }, { U64_MAX, 2, -ERANGE }, { 2, U64_MAX, -ERANGE },
};

static void sync_range_desc(const struct sync_range *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "offset %llu len %llu -> %d",
		 c->offset, c->len, c->expect);
}

KUNIT_ARRAY_PARAM(sync_ranges, sync_ranges, sync_range_desc);

static void dmashim_sync_for_device_range(struct kunit *test)
{
	const struct sync_range *c = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, 100, DMASHIM_DIR_TO_DEVICE);

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, h, c->offset, c->len,
						      DMASHIM_DIR_TO_DEVICE),
			c->expect);
}

static void dmashim_sync_for_cpu_coherent(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(ctx, h, 0, PAGE_SIZE,
						   DMASHIM_DIR_FROM_DEVICE),
			-EOPNOTSUPP);
}

static void dmashim_sync_for_device_pool_block(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = pool_block(test, ctx, make_pool(test, ctx, 64, 0,
							     0));

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, h, 0, 64,
						      DMASHIM_DIR_TO_DEVICE),
			-EOPNOTSUPP);
}

static void dmashim_sync_for_cpu_freed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, PAGE_SIZE,
				      DMASHIM_DIR_FROM_DEVICE);

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(ctx, h, 0, PAGE_SIZE,
						   DMASHIM_DIR_FROM_DEVICE),
			-EBADF);
}

static void dmashim_sync_for_cpu_other_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *other;
	dmashim_handle_t h;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &other), 0);
	h = nc_alloc(test, other, PAGE_SIZE, DMASHIM_DIR_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(fx->ctx, h, 0, PAGE_SIZE,
						   DMASHIM_DIR_FROM_DEVICE),
			-EXDEV);
	dmashim_ctx_destroy(other);
}

static void dmashim_sync_for_device_revoked(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h = nc_alloc(test, ctx, PAGE_SIZE,
				      DMASHIM_DIR_TO_DEVICE);

	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, h, 0, PAGE_SIZE,
						      DMASHIM_DIR_TO_DEVICE),
			-ENODEV);
	dmashim_ctx_put(ctx);
}

static void dmashim_sync_for_cpu_null_ctx(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, PAGE_SIZE,
				      DMASHIM_DIR_FROM_DEVICE);

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(NULL, h, 0, PAGE_SIZE,
						   DMASHIM_DIR_FROM_DEVICE),
			-EINVAL);
}

static void dmashim_sync_round_trip_keeps_data(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, PAGE_SIZE,
				      DMASHIM_DIR_BIDIRECTIONAL);
	u32 v = 0;

	KUNIT_ASSERT_EQ(test, dmashim_store32(ctx, h, 8, 0xfeedf00d), 0);
	KUNIT_ASSERT_EQ(test, dmashim_sync_for_device(ctx, h, 0, PAGE_SIZE,
						      DMASHIM_DIR_BIDIRECTIONAL),
			0);
	KUNIT_ASSERT_EQ(test, dmashim_sync_for_cpu(ctx, h, 0, PAGE_SIZE,
						   DMASHIM_DIR_BIDIRECTIONAL), 0);
	KUNIT_ASSERT_EQ(test, dmashim_load32(ctx, h, 8, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0xfeedf00dU);
}

/* ---- scatter tables ---------------------------------------------------- */

static u64 sgt_bytes(struct sg_table *sgt)
{
	struct scatterlist *sg;
	u64 total = 0;
	int i;

	for_each_sgtable_sg(sgt, sg, i)
		total += sg->length;
	return total;
}

static const u64 sgt_sizes[] = { 1, PAGE_SIZE, 3 * PAGE_SIZE + 5, SZ_1M };

KUNIT_ARRAY_PARAM(sgt_sizes, sgt_sizes, u64_desc);

static void dmashim_get_sgtable_coherent_covers(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	KUNIT_EXPECT_EQ(test, sgt_bytes(&sgt), (u64)PAGE_ALIGN(len));
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), 0);
}

static void dmashim_get_sgtable_noncoherent_covers(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = nc_alloc(test, ctx, len, DMASHIM_DIR_TO_DEVICE);
	struct dmashim_info info = { .sz = sizeof(info) };
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	KUNIT_EXPECT_EQ(test, sgt_bytes(&sgt), (u64)PAGE_ALIGN(len));
	KUNIT_EXPECT_PTR_EQ(test, sg_page(sgt.sgl), virt_to_page(info.cpu_addr));
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), 0);
}

static void dmashim_get_sgtable_no_kernel_mapping_zeroed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 4 * PAGE_SIZE,
						DMASHIM_ALLOC_NO_KERNEL_MAPPING);
	struct sg_page_iter iter;
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	for_each_sgtable_page(&sgt, &iter, 0) {
		void *p = kmap_local_page(sg_page_iter_page(&iter));

		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, PAGE_SIZE));
		kunmap_local(p);
	}
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), 0);
}

static void dmashim_get_sgtable_pool_block(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = pool_block(test, ctx, make_pool(test, ctx, 64, 0,
							     0));
	struct sg_table sgt;

	KUNIT_EXPECT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), -EOPNOTSUPP);
}

static void dmashim_get_sgtable_null(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_get_sgtable(ctx, h, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, NULL), -EINVAL);
}

static void dmashim_get_sgtable_freed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), -EBADF);
}

static void dmashim_free_exported_busy(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct dmashim_info info = { .sz = sizeof(info) };
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_EXPECT_EQ(test, info.exports, 1U);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), 0);
}

static void dmashim_put_sgtable_not_exported(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	KUNIT_ASSERT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), 0);
	/* Put frees the table; a second put of an empty table is refused. */
	memset(&sgt, 0, sizeof(sgt));
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), -EINVAL);
}

static void dmashim_put_sgtable_after_revoke(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	/* The table is still freed: kmemleak checks. */
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), -ENODEV);
	dmashim_ctx_put(ctx);
}

/* After revocation too, a table that was never out is left to the caller. */
static void dmashim_put_sgtable_after_revoke_not_exported(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct sg_table unrelated;

	KUNIT_ASSERT_EQ(test, sg_alloc_table(&unrelated, 1, GFP_KERNEL), 0);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &unrelated), -EINVAL);
	dmashim_ctx_put(ctx);
	sg_free_table(&unrelated);
}

/*
 * A scatter table pins its buffer until it is put, revocation included:
 * the importer may still be reading the pages.
 */
static void dmashim_get_sgtable_pins_across_revoke(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	struct sg_page_iter iter;
	struct sg_table sgt;

	KUNIT_ASSERT_EQ(test, dmashim_fill(ctx, h, 0, 0xa5, 2 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, h, &sgt), 0);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	for_each_sgtable_page(&sgt, &iter, 0) {
		u8 *p = kmap_local_page(sg_page_iter_page(&iter));

		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xa5, PAGE_SIZE));
		kunmap_local(p);
	}
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, h, &sgt), -ENODEV);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).pending_release,
			0ULL);
	dmashim_ctx_put(ctx);
}

/* The table of one buffer cannot unpin another. */
static void dmashim_put_sgtable_other_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t a = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_handle_t b = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct dmashim_info info = { .sz = sizeof(info) };
	struct sg_table sgt_a, sgt_b;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, a, &sgt_a), 0);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, b, &sgt_b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, b, &sgt_a), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.exports, 1U);
	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.exports, 1U);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, b, &sgt_b), 0);
	/* The refused put left sgt_a with its owner. */
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, a), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, a, &sgt_a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, a), 0);
}

static struct kunit_case dmashim_pool_cases[] = {
	KUNIT_CASE_PARAM(dmashim_pool_alloc_block_described,
			 block_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_pool_alloc_blocks_disjoint,
			 block_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_pool_alloc_zeroed, block_sizes_gen_params),
	KUNIT_CASE(dmashim_pool_alloc_reuses_freed_block),
	KUNIT_CASE(dmashim_pool_alloc_reused_block_zeroed),
	KUNIT_CASE_PARAM(dmashim_pool_alloc_aligned, aligns_gen_params),
	KUNIT_CASE(dmashim_pool_alloc_odd_size_sized_access),
	KUNIT_CASE(dmashim_pool_alloc_within_boundary),
	KUNIT_CASE_PARAM(dmashim_pool_create_invalid, pool_bad_cases_gen_params),
	KUNIT_CASE(dmashim_pool_create_beyond_mask),
	KUNIT_CASE(dmashim_pool_create_null),
	KUNIT_CASE(dmashim_pool_alloc_flags_invalid),
	KUNIT_CASE(dmashim_pool_alloc_nowait_irqs_disabled),
	KUNIT_CASE(dmashim_pool_alloc_buffer_handle),
	KUNIT_CASE(dmashim_pool_alloc_destroyed_pool),
	KUNIT_CASE(dmashim_pool_alloc_other_ctx),
	KUNIT_CASE(dmashim_pool_alloc_revoked),
	KUNIT_CASE(dmashim_pool_create_revoked),
	KUNIT_CASE(dmashim_pool_destroy_null_ctx),
	KUNIT_CASE(dmashim_pool_destroy_other_ctx),
	KUNIT_CASE(dmashim_pool_destroy_frees_live_blocks),
	KUNIT_CASE(dmashim_pool_destroy_counts_frees),
	KUNIT_CASE_PARAM(dmashim_pool_alloc_boundary_above_4g,
			 big_boundaries_gen_params),
	KUNIT_CASE(dmashim_pool_destroy_twice),
	KUNIT_CASE(dmashim_pool_destroy_buffer_handle),
	KUNIT_CASE(dmashim_free_pool_handle),
	KUNIT_CASE(dmashim_pool_alloc_thousands_live),
	KUNIT_CASE(dmashim_ctx_destroy_with_pool_blocks),
	{}
};

static struct kunit_suite dmashim_pool_suite = {
	.name = "dmashim_pool",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_pool_cases,
};

static struct kunit_case dmashim_noncoherent_cases[] = {
	KUNIT_CASE_PARAM(dmashim_alloc_noncoherent_described,
			 nc_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_noncoherent_zeroed, nc_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_noncoherent_dir_invalid,
			 bad_dirs_gen_params),
	KUNIT_CASE_PARAM(dmashim_alloc_noncoherent_flags_invalid,
			 nc_bad_flags_gen_params),
	KUNIT_CASE(dmashim_alloc_noncoherent_len_zero),
	KUNIT_CASE_PARAM(dmashim_sync_for_cpu_direction, sync_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_sync_for_device_direction,
			 sync_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_sync_for_device_range, sync_ranges_gen_params),
	KUNIT_CASE(dmashim_sync_for_cpu_coherent),
	KUNIT_CASE(dmashim_sync_for_device_pool_block),
	KUNIT_CASE(dmashim_sync_for_cpu_freed),
	KUNIT_CASE(dmashim_sync_for_cpu_other_ctx),
	KUNIT_CASE(dmashim_sync_for_device_revoked),
	KUNIT_CASE(dmashim_sync_for_cpu_null_ctx),
	KUNIT_CASE(dmashim_sync_round_trip_keeps_data),
	{}
};

static struct kunit_suite dmashim_noncoherent_suite = {
	.name = "dmashim_noncoherent",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_noncoherent_cases,
};

static struct kunit_case dmashim_sgtable_cases[] = {
	KUNIT_CASE_PARAM(dmashim_get_sgtable_coherent_covers,
			 sgt_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_get_sgtable_noncoherent_covers,
			 sgt_sizes_gen_params),
	KUNIT_CASE(dmashim_get_sgtable_no_kernel_mapping_zeroed),
	KUNIT_CASE(dmashim_get_sgtable_pool_block),
	KUNIT_CASE(dmashim_get_sgtable_null),
	KUNIT_CASE(dmashim_get_sgtable_freed),
	KUNIT_CASE(dmashim_free_exported_busy),
	KUNIT_CASE(dmashim_put_sgtable_not_exported),
	KUNIT_CASE(dmashim_put_sgtable_after_revoke),
	KUNIT_CASE(dmashim_put_sgtable_after_revoke_not_exported),
	KUNIT_CASE(dmashim_get_sgtable_pins_across_revoke),
	KUNIT_CASE(dmashim_put_sgtable_other_handle),
	{}
};

static struct kunit_suite dmashim_sgtable_suite = {
	.name = "dmashim_sgtable",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_sgtable_cases,
};

kunit_test_suites(&dmashim_pool_suite, &dmashim_noncoherent_suite,
		  &dmashim_sgtable_suite);

MODULE_DESCRIPTION("KUnit tests for dmashim pools, non-coherent buffers and sg tables");
MODULE_LICENSE("GPL");
