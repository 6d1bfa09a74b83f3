// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for streaming mappings by handle and for per-context limits.
 *
 * Mappings are made of kmalloc() memory, pages and scatter tables on a real
 * platform device; every case checks one behaviour, and the refusals of
 * bad input are in the bad-input table (dmashim_badinput_test.c) with every
 * other function's.
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/vmalloc.h>

#include "dmashim_test.h"

MODULE_IMPORT_NS(DMASHIM);
MODULE_IMPORT_NS(DMASHIM_TEST);

static const u64 map_sizes[] = { 1, 64, PAGE_SIZE - 1, PAGE_SIZE,
				 3 * PAGE_SIZE + 17 };

static void u64_desc(const u64 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%llu", *v);
}

KUNIT_ARRAY_PARAM(map_sizes, map_sizes, u64_desc);

static dmashim_handle_t map_kmalloc(struct kunit *test, struct dmashim_ctx *ctx,
				    u64 len, u32 dir)
{
	void *mem = kunit_kzalloc(test, len, GFP_KERNEL);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, dmashim_map_single(ctx, mem, len, dir, NULL, &h),
			0);
	return h;
}

/* A table of @n pages of kunit memory. */
static struct sg_table *make_sgt(struct kunit *test, unsigned int n)
{
	struct sg_table *sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, n, GFP_KERNEL), 0);
	for_each_sgtable_sg(sgt, sg, i) {
		void *page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		sg_set_page(sg, virt_to_page(page), PAGE_SIZE, 0);
	}
	return sgt;
}

static struct dmashim_info map_info(struct kunit *test, struct dmashim_ctx *ctx,
				    dmashim_handle_t h)
{
	struct dmashim_info info = { .sz = sizeof(info) };

	KUNIT_EXPECT_EQ(test, dmashim_info(ctx, h, &info), 0);
	return info;
}

/* ---- mappings -------------------------------------------------------------- */

static void dmashim_map_single_described(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = map_kmalloc(test, ctx, len, DMASHIM_DIR_TO_DEVICE);
	struct dmashim_info info = map_info(test, ctx, h);

	KUNIT_EXPECT_EQ(test, info.kind, (u32)DMASHIM_KIND_MAP_SINGLE);
	KUNIT_EXPECT_EQ(test, info.len, len);
	KUNIT_EXPECT_EQ(test, info.dir, (u32)DMASHIM_DIR_TO_DEVICE);
	KUNIT_EXPECT_NULL(test, info.cpu_addr);
	KUNIT_EXPECT_EQ(test, info.segments, 1U);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

static void dmashim_map_single_dma_addr_offset(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = map_kmalloc(test, ctx, len, DMASHIM_DIR_BIDIRECTIONAL);
	u64 first, last;

	KUNIT_ASSERT_EQ(test, dmashim_dma_addr(ctx, h, 0, len, &first), 0);
	KUNIT_ASSERT_EQ(test, dmashim_dma_addr(ctx, h, len - 1, 1, &last), 0);
	KUNIT_EXPECT_EQ(test, last, first + len - 1);
	KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h, len, 1, &last), -ERANGE);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

static void dmashim_map_single_vmalloc_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	void *mem = vmalloc(PAGE_SIZE);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem, PAGE_SIZE,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, (__force u64)h, 0ULL);
	vfree(mem);
}

static void dmashim_map_page_described(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	void *mem = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	dmashim_handle_t h = 0;
	struct dmashim_info info;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, dmashim_map_page(ctx, virt_to_page(mem),
					       offset_in_page(mem) + 8, 100,
					       DMASHIM_DIR_FROM_DEVICE, NULL,
					       &h), 0);
	info = map_info(test, ctx, h);
	KUNIT_EXPECT_EQ(test, info.kind, (u32)DMASHIM_KIND_MAP_PAGE);
	KUNIT_EXPECT_EQ(test, info.len, 100ULL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

static void dmashim_map_sgtable_segments_cover(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 3);
	u64 addr, len, total = 0;
	dmashim_handle_t h = 0;
	struct dmashim_info info;
	u32 i;

	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &h), 0);
	info = map_info(test, ctx, h);
	KUNIT_EXPECT_EQ(test, info.kind, (u32)DMASHIM_KIND_MAP_SGTABLE);
	KUNIT_EXPECT_EQ(test, info.len, 3ULL * PAGE_SIZE);
	for (i = 0; i < info.segments; i++) {
		KUNIT_ASSERT_EQ(test, dmashim_dma_segment(ctx, h, i, &addr,
							  &len), 0);
		total += len;
	}
	KUNIT_EXPECT_EQ(test, total, 3ULL * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dmashim_dma_segment(ctx, h, info.segments, &addr,
						  &len), -ERANGE);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

static const u64 sgt_entries[] = { 1, 2, 3, 17, 64 };

KUNIT_ARRAY_PARAM(sgt_entries, sgt_entries, u64_desc);

/*
 * Every byte's device address is its segment's, and a range that crosses
 * from one segment into the next is refused.
 */
static void dmashim_dma_addr_sgtable_each_segment(struct kunit *test)
{
	const u64 *n = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, *n);
	u64 addr, seg_addr, seg_len, start = 0;
	dmashim_handle_t h = 0;
	struct dmashim_info info;
	u32 i;

	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &h), 0);
	info = map_info(test, ctx, h);
	for (i = 0; i < info.segments; i++) {
		KUNIT_ASSERT_EQ(test, dmashim_dma_segment(ctx, h, i, &seg_addr,
							  &seg_len), 0);
		KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h, start, 1, &addr),
				0);
		KUNIT_EXPECT_EQ(test, addr, seg_addr);
		KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h,
						       start + seg_len - 1, 1,
						       &addr), 0);
		KUNIT_EXPECT_EQ(test, addr, seg_addr + seg_len - 1);
		if (i + 1 < info.segments)
			KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h,
							       start + seg_len - 1,
							       2, &addr),
					-ERANGE);
		start += seg_len;
	}
	KUNIT_EXPECT_EQ(test, start, *n * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

/*
 * The segments are dmashim's copy, taken at map time: with the caller's
 * table swapped for a decoy while mapped, every reader still answers the
 * mapping's own addresses (the caller's table is never walked by them).
 */
static void dmashim_dma_addr_sgtable_reads_own_copy(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 3), *decoy = make_sgt(test, 3);
	u64 want[3], want_len[3], addr, len;
	struct dmashim_info info;
	struct scatterlist *sg;
	struct sg_table saved;
	dmashim_handle_t h = 0;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &h), 0);
	info = map_info(test, ctx, h);
	KUNIT_ASSERT_LE(test, info.segments, 3U);
	for (i = 0; i < info.segments; i++)
		KUNIT_ASSERT_EQ(test, dmashim_dma_segment(ctx, h, i, &want[i],
							  &want_len[i]), 0);
	for_each_sgtable_sg(decoy, sg, i) {
		sg_dma_address(sg) = 0xdead0000 + i * PAGE_SIZE;
		sg_dma_len(sg) = 1;
	}
	decoy->nents = decoy->orig_nents;
	saved = *sgt;
	*sgt = *decoy;
	KUNIT_EXPECT_EQ(test, map_info(test, ctx, h).segments, info.segments);
	for (i = 0; i < info.segments; i++) {
		KUNIT_EXPECT_EQ(test, dmashim_dma_segment(ctx, h, i, &addr,
							  &len), 0);
		KUNIT_EXPECT_EQ(test, addr, want[i]);
		KUNIT_EXPECT_EQ(test, len, want_len[i]);
	}
	/* The last byte, in the last segment. */
	KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h, 3 * PAGE_SIZE - 1, 1,
					       &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, want[info.segments - 1] +
			want_len[info.segments - 1] - 1);
	*sgt = saved;
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
	sg_free_table(decoy);
}

static void dmashim_map_sgtable_twice_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 2);
	dmashim_handle_t h = 0, again = 0;

	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &again), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	/* Unmapped, the table may be mapped again. */
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &again), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, again), 0);
	sg_free_table(sgt);
}

static void dmashim_unmap_twice(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = map_kmalloc(test, ctx, 64, DMASHIM_DIR_TO_DEVICE);

	KUNIT_ASSERT_EQ(test, dmashim_unmap(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), -EBADF);
}

static void dmashim_unmap_buffer_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, buf), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
}

static void dmashim_free_mapping_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = map_kmalloc(test, ctx, 64, DMASHIM_DIR_TO_DEVICE);

	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, h), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

static void dmashim_map_accessors_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = map_kmalloc(test, ctx, 64, DMASHIM_DIR_TO_DEVICE);
	u32 v;

	KUNIT_EXPECT_EQ(test, dmashim_load32(ctx, h, 0, &v), -EACCES);
	KUNIT_EXPECT_EQ(test, dmashim_fill(ctx, h, 0, 0, 4), -EACCES);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

static void dmashim_map_sync_direction(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = map_kmalloc(test, ctx, PAGE_SIZE,
					 DMASHIM_DIR_TO_DEVICE);

	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, h, 0, PAGE_SIZE,
						      DMASHIM_DIR_TO_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(ctx, h, 8, 16,
						   DMASHIM_DIR_TO_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(ctx, h, 0, 16,
						   DMASHIM_DIR_FROM_DEVICE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

static void dmashim_map_sync_sgtable(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 2);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_BIDIRECTIONAL,
						  NULL, &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_cpu(ctx, h, 0, 2 * PAGE_SIZE,
						   DMASHIM_DIR_FROM_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, h, PAGE_SIZE, 1,
						      DMASHIM_DIR_TO_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

/* Two live mappings the device may write may not start in one line. */
static void dmashim_map_single_overlapping_writable_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	u8 *mem = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	dmashim_handle_t a = 0, b = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, dmashim_map_single(ctx, mem, 64,
						 DMASHIM_DIR_FROM_DEVICE, NULL,
						 &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem + 8, 64,
						 DMASHIM_DIR_BIDIRECTIONAL,
						 NULL, &b), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 1ULL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem + 8, 64,
						 DMASHIM_DIR_BIDIRECTIONAL,
						 NULL, &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, b), 0);
}

/*
 * One device maps a byte once, whatever the directions: DMA-API debug
 * cannot tell which of two mappings a partial sync of both means (it
 * reported the sync below as of memory never mapped).
 */
static void dmashim_map_single_overlapping_same_device_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	u8 *mem = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	dmashim_handle_t a = 0, b = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, dmashim_map_single(ctx, mem, PAGE_SIZE,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem + 64, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &b), -EBUSY);
	KUNIT_EXPECT_EQ(test, (__force u64)b, 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_sync_for_device(ctx, a, 72, 16,
						      DMASHIM_DIR_TO_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 1ULL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
}

/* Another context of the same device is the same device. */
static void dmashim_map_page_overlapping_other_ctx_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other = NULL;
	struct device *dev = ((struct dmashim_test_fixture *)test->priv)->dev;
	struct page *page = alloc_page(GFP_KERNEL);
	dmashim_handle_t a = 0, b = 0;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(dev, &other), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_page(ctx, page, 0, PAGE_SIZE,
					       DMASHIM_DIR_TO_DEVICE, NULL,
					       &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_page(other, page, PAGE_SIZE - 1, 1,
					       DMASHIM_DIR_TO_DEVICE, NULL,
					       &b), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_page(other, page, PAGE_SIZE - 1, 1,
					       DMASHIM_DIR_TO_DEVICE, NULL,
					       &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(other, b), 0);
	dmashim_ctx_destroy(other);
	__free_page(page);
}

/* Memory next to a mapping, not in it, is free to map. */
static void dmashim_map_single_adjacent_mapped(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	u8 *mem = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	dmashim_handle_t a = 0, b = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, dmashim_map_single(ctx, mem, 100,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem + 100, 100,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, b), 0);
}

/* A context of a second device, beside the fixture's; *@pdevp is the device. */
static struct dmashim_ctx *other_device_ctx(struct kunit *test,
					    struct platform_device **pdevp)
{
	struct dmashim_ctx *other = NULL;

	*pdevp = dmashim_test_pdev_create(test, DMASHIM_TEST_DEV_NAME,
					  DMA_BIT_MASK(64));
	KUNIT_ASSERT_NOT_NULL(test, *pdevp);
	KUNIT_EXPECT_EQ(test, dmashim_ctx_create(&(*pdevp)->dev, &other), 0);
	return other;
}

static void other_device_ctx_destroy(struct dmashim_ctx *other,
				     struct platform_device *pdev)
{
	dmashim_ctx_destroy(other);
	platform_device_unregister(pdev);
}

/* Other devices may read the memory a device reads. */
static void dmashim_map_single_overlapping_other_device(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	u8 *mem = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct platform_device *pdev;
	dmashim_handle_t a = 0, b = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	other = other_device_ctx(test, &pdev);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(other, mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(other, b), 0);
	other_device_ctx_destroy(other, pdev);
}

/* A table whose entries overlap each other is two mappings of a byte. */
static void dmashim_map_sgtable_self_overlapping_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 2);
	struct scatterlist *second = sg_next(sgt->sgl);
	dmashim_handle_t h = 0;

	sg_set_page(second, sg_page(sgt->sgl), 64, PAGE_SIZE - 64);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &h), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0ULL);
	/* Nothing of the refused table stays claimed. */
	KUNIT_EXPECT_EQ(test, dmashim_map_page(ctx, sg_page(sgt->sgl), 0,
					       PAGE_SIZE, DMASHIM_DIR_TO_DEVICE,
					       NULL, &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

/* Tables too: an entry that starts in a line another mapping holds. */
static void dmashim_map_sgtable_overlapping_writable_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 2);
	dmashim_handle_t a = 0, b = 0;

	KUNIT_ASSERT_EQ(test, dmashim_map_page(ctx, sg_page(sgt->sgl), 0, 64,
					       DMASHIM_DIR_FROM_DEVICE, NULL,
					       &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_FROM_DEVICE,
						  NULL, &b), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_FROM_DEVICE,
						  NULL, &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, b), 0);
	sg_free_table(sgt);
}

/* A length that takes the end back below the start is no range. */
static void dmashim_map_single_wrapping_len_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	u8 *mem = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem + PAGE_SIZE,
						 -(u64)PAGE_SIZE + 1,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0);
}

static void dmashim_map_page_wrapping_offset_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct page *page = alloc_page(GFP_KERNEL);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, dmashim_map_page(ctx, page, U64_MAX - 10, 100,
					       DMASHIM_DIR_TO_DEVICE, NULL,
					       &h), -EINVAL);
	__free_page(page);
}

/* An offset that wraps the physical address is no memory. */
static void dmashim_map_page_wrapping_phys_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct page *page = alloc_page(GFP_KERNEL);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, dmashim_map_page(ctx, page, U64_MAX - PAGE_SIZE,
					       16, DMASHIM_DIR_TO_DEVICE, NULL,
					       &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0ULL);
	__free_page(page);
}

/* A range that runs past the end of memory is refused too. */
static void dmashim_map_page_past_memory_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct page *page = alloc_page(GFP_KERNEL);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, dmashim_map_page(ctx, page, 1ULL << 50, 16,
					       DMASHIM_DIR_TO_DEVICE, NULL,
					       &h), -EINVAL);
	__free_page(page);
}

/* An entry of a table with no memory behind it is refused too. */
static void dmashim_map_sgtable_past_memory_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 2);
	dmashim_handle_t h = 0;

	/* A page frame past the end of any memory this guest has. */
	sg_set_page(sg_next(sgt->sgl), pfn_to_page(PHYS_PFN(1ULL << 45)),
		    PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0ULL);
	sg_free_table(sgt);
}

/* A table's DMA fields hold one mapping: not one per device. */
static void dmashim_map_sgtable_other_device_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	struct sg_table *sgt = make_sgt(test, 2);
	struct platform_device *pdev;
	dmashim_handle_t a = 0, b = 0;

	other = other_device_ctx(test, &pdev);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(other, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(other, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(other, b), 0);
	other_device_ctx_destroy(other, pdev);
	sg_free_table(sgt);
}

/* Two struct sg_table of one scatterlist share its DMA fields. */
static void dmashim_map_sgtable_copy_other_device_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	struct sg_table *sgt = make_sgt(test, 2);
	struct sg_table copy = *sgt;
	struct platform_device *pdev;
	dmashim_handle_t a = 0, b = 0;

	other = other_device_ctx(test, &pdev);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(other, &copy,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, (__force u64)b, 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, a), 0);
	other_device_ctx_destroy(other, pdev);
	sg_free_table(sgt);
}

/* DMA-API debug tracks the line of an empty entry: no empty entries. */
static void dmashim_map_sgtable_empty_entry_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct sg_table *sgt = make_sgt(test, 2);
	struct scatterlist *second = sg_next(sgt->sgl);
	dmashim_handle_t h = 0;

	second->length = 0;
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_FROM_DEVICE, NULL,
						  &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0ULL);
	second->length = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_FROM_DEVICE, NULL,
						  &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

/*
 * Memory a device without an IOMMU cannot reach is refused; the DMA API
 * itself would WARN.  (With bounce buffers it is bounced instead.)
 */
static void dmashim_map_page_beyond_mask_refused(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct page *page = alloc_page(GFP_KERNEL);
	dmashim_handle_t h = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_GE(test, page_to_phys(page), (phys_addr_t)SZ_16M);
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(fx->dev,
							DMA_BIT_MASK(24)), 0);
	ret = dmashim_map_page(fx->ctx, page, 0, PAGE_SIZE,
			       DMASHIM_DIR_TO_DEVICE, NULL, &h);
	if (is_swiotlb_active(fx->dev)) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, dmashim_unmap(fx->ctx, h), 0);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -E2BIG);
	}
	__free_page(page);
}

/* The same for a table with an entry out of reach. */
static void dmashim_map_sgtable_beyond_mask_refused(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct page *page = alloc_page(GFP_KERNEL);
	struct sg_table sgt;
	dmashim_handle_t h = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_GE(test, page_to_phys(page), (phys_addr_t)SZ_16M);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(&sgt, 1, GFP_KERNEL), 0);
	sg_set_page(sgt.sgl, page, PAGE_SIZE, 0);
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(fx->dev,
							DMA_BIT_MASK(24)), 0);
	ret = dmashim_map_sgtable(fx->ctx, &sgt, DMASHIM_DIR_TO_DEVICE, NULL,
				  &h);
	if (is_swiotlb_active(fx->dev)) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, dmashim_unmap(fx->ctx, h), 0);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -E2BIG);
	}
	sg_free_table(&sgt);
	__free_page(page);
}

/* A thread that calls @op on whatever mapping @h names, until stopped. */
struct map_race {
	struct dmashim_ctx *ctx;
	dmashim_handle_t h;
	int (*op)(struct map_race *race);
	int unexpected;
};

#define MAP_RACE_PAGES	64

static int map_race_thread(void *data)
{
	struct map_race *race = data;
	int ret;

	while (!kthread_should_stop()) {
		ret = race->op(race);
		if (ret && ret != -EBADF)
			WRITE_ONCE(race->unexpected, ret);
		cond_resched();
	}
	return 0;
}

static int map_race_sync(struct map_race *race)
{
	return dmashim_sync_for_device(race->ctx, READ_ONCE(race->h), 0,
				       MAP_RACE_PAGES * PAGE_SIZE,
				       DMASHIM_DIR_TO_DEVICE);
}

/* Everything that reads a mapping's segments, the last one of each. */
static int map_race_read(struct map_race *race)
{
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h = READ_ONCE(race->h);
	u64 addr, len;
	int ret;

	ret = dmashim_info(race->ctx, h, &info);
	if (!ret)
		ret = dmashim_dma_addr(race->ctx, h,
				       MAP_RACE_PAGES * PAGE_SIZE - 1, 1, &addr);
	if (!ret)
		ret = dmashim_dma_segment(race->ctx, h, info.segments - 1,
					  &addr, &len);
	return ret;
}

/*
 * Map a table of MAP_RACE_PAGES entries, unmap it and free it at once, 200
 * times, while another CPU runs @op on the handle (KASAN watches): an unmap
 * that returned 0 must have left nothing that reads the table.
 */
static void map_race_run(struct kunit *test, int (*op)(struct map_race *race))
{
	struct map_race race = { .ctx = dmashim_test_ctx(test), .op = op };
	void *mem = kunit_kzalloc(test, MAP_RACE_PAGES * PAGE_SIZE,
				  GFP_KERNEL);
	struct task_struct *thread;
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i, n, busy = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	thread = kthread_run(map_race_thread, &race, "dmashim-map-race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));
	for (n = 0; n < 200; n++) {
		sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
		if (!sgt || sg_alloc_table(sgt, MAP_RACE_PAGES, GFP_KERNEL))
			break;
		for_each_sgtable_sg(sgt, sg, i)
			sg_set_buf(sg, mem + i * PAGE_SIZE, PAGE_SIZE);
		ret = dmashim_map_sgtable(race.ctx, sgt, DMASHIM_DIR_TO_DEVICE,
					  NULL, &race.h);
		if (ret)
			break;
		while ((ret = dmashim_unmap(race.ctx, race.h)) == -EBUSY)
			busy++;
		if (ret)
			break;
		sg_free_table(sgt);
		kfree(sgt);
		sgt = NULL;
	}
	kthread_stop(thread);
	if (sgt) {
		/* A failed case: unmap what may still be mapped; no op runs. */
		(void)dmashim_unmap(race.ctx, race.h);
		sg_free_table(sgt);
		kfree(sgt);
	}
	KUNIT_EXPECT_EQ(test, n, 200U);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, race.unexpected, 0);
	kunit_info(test, "%u unmaps refused while the other CPU ran", busy);
}

static void dmashim_unmap_racing_sync_frees_table(struct kunit *test)
{
	map_race_run(test, map_race_sync);
}

/* Readers of the segments never walk the caller's table. */
static void dmashim_unmap_racing_dma_addr_frees_table(struct kunit *test)
{
	map_race_run(test, map_race_read);
}

/* A table given back keeps orig_nents but not its list: never walked. */
static void dmashim_map_sgtable_put_table_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	struct sg_table sgt;
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	KUNIT_ASSERT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, &sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, (__force u64)h, 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0ULL);
}

/* A mapped table is not filled with an export over the mapping's list. */
static void dmashim_get_sgtable_mapped_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	struct sg_table *sgt = make_sgt(test, 2);
	struct scatterlist *sgl = sgt->sgl;
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_get_sgtable(ctx, buf, sgt), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, sgt->sgl, sgl);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
	/* No export was left pinning the buffer. */
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
}

/* A buffer's exported table, mapped, is not given back under the mapping. */
static void dmashim_put_sgtable_mapped_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	struct platform_device *pdev;
	struct sg_table sgt;
	dmashim_handle_t h = 0;

	other = other_device_ctx(test, &pdev);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(other, &sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(other, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
	other_device_ctx_destroy(other, pdev);
}

/* ---- tables sharing a list, exported buffers ------------------------------- */

/*
 * Expect the map of @sgt to return @err; a mapping made (expected or not)
 * is ended at once, so a failing case does not leave one on a table of
 * its stack for the fixture's revocation.
 */
static void expect_map_sgtable(struct kunit *test, struct dmashim_ctx *ctx,
			       struct sg_table *sgt, u32 dir, int err)
{
	dmashim_handle_t h = 0;
	int ret = dmashim_map_sgtable(ctx, sgt, dir, NULL, &h);

	KUNIT_EXPECT_EQ(test, ret, err);
	if (!ret)
		KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

/* A second table of the entries after @sgt's first, sharing its list. */
static struct sg_table tail_of(struct sg_table *sgt)
{
	struct sg_table tail = {
		.sgl = sg_next(sgt->sgl),
		.orig_nents = sgt->orig_nents - 1,
		.nents = sgt->orig_nents - 1,
	};

	return tail;
}

/* Entries enough for a chained list: the claims cross a chain link. */
#define PART_ENTRIES	(SG_MAX_SINGLE_ALLOC + 2)

/*
 * Entries of a mapped table, through a table of a part of its list: their
 * DMA fields hold the first mapping, which its unmap reads back.
 */
static void dmashim_map_sgtable_part_of_mapped_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	struct sg_table *sgt = make_sgt(test, PART_ENTRIES);
	struct sg_table tail = tail_of(sgt);
	struct platform_device *pdev;
	dmashim_handle_t h = 0;

	other = other_device_ctx(test, &pdev);
	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(ctx, sgt, DMASHIM_DIR_TO_DEVICE,
						  NULL, &h), 0);
	expect_map_sgtable(test, other, &tail, DMASHIM_DIR_TO_DEVICE, -EINVAL);
	other_device_ctx_destroy(other, pdev);
	/* Never free a table still mapped: the fixture would unmap it. */
	KUNIT_ASSERT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

/* The same the other way round: a part mapped, then the whole list. */
static void dmashim_map_sgtable_whole_of_mapped_part_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	struct sg_table *sgt = make_sgt(test, PART_ENTRIES);
	struct sg_table tail = tail_of(sgt);
	struct platform_device *pdev;
	dmashim_handle_t h = 0;

	other = other_device_ctx(test, &pdev);
	KUNIT_ASSERT_EQ(test, dmashim_map_sgtable(other, &tail,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &h), 0);
	expect_map_sgtable(test, ctx, sgt, DMASHIM_DIR_TO_DEVICE, -EINVAL);
	/* Unmapped with its device: @tail is on this stack. */
	other_device_ctx_destroy(other, pdev);
	/* Nothing of the refused table stays claimed. */
	KUNIT_EXPECT_EQ(test, dmashim_map_sgtable(ctx, sgt,
						  DMASHIM_DIR_TO_DEVICE, NULL,
						  &h), 0);
	KUNIT_ASSERT_EQ(test, dmashim_unmap(ctx, h), 0);
	sg_free_table(sgt);
}

/* A table the caller freed before giving it back is given back all the same. */
static void dmashim_put_sgtable_freed_by_caller(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct sg_table sgt = {};

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	sg_free_table(&sgt);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
}

/* ---- exported buffers in the registry ------------------------------------ */

/* An exported buffer's device has it already: no second mapping of it. */
static void dmashim_map_sgtable_exported_same_device_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	struct sg_table sgt = {};

	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	expect_map_sgtable(test, ctx, &sgt, DMASHIM_DIR_TO_DEVICE, -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_mappings, 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
}

/*
 * Coherent memory is device-writable: another device writing it would
 * start in the buffer's first line, which DMA-API debug tracks.
 */
static void dmashim_map_sgtable_exported_writable_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	struct platform_device *pdev;
	struct sg_table sgt = {};

	other = other_device_ctx(test, &pdev);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	expect_map_sgtable(test, other, &sgt, DMASHIM_DIR_BIDIRECTIONAL,
			   -EBUSY);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, other).live_mappings,
			0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
	other_device_ctx_destroy(other, pdev);
}

/* The pages stay the device's after the table is back: the caller has them. */
static void dmashim_map_page_exported_after_put_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct platform_device *pdev;
	struct sg_table sgt = {};
	dmashim_handle_t h = 0;
	struct page *page;
	int ret;

	other = other_device_ctx(test, &pdev);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	page = sg_page(sgt.sgl);
	KUNIT_ASSERT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	ret = dmashim_map_page(other, page, 0, 64, DMASHIM_DIR_FROM_DEVICE,
			       NULL, &h);
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	if (!ret)
		KUNIT_EXPECT_EQ(test, dmashim_unmap(other, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
	other_device_ctx_destroy(other, pdev);
}

/* An exported non-coherent buffer's direction, and what another device gets. */
struct noncoherent_export {
	u32 dir;
	int other_writes;
};

static const struct noncoherent_export noncoherent_exports[] = {
	{ DMASHIM_DIR_FROM_DEVICE, -EBUSY },
	{ DMASHIM_DIR_BIDIRECTIONAL, -EBUSY },
	/* The device only reads it: another device may write it. */
	{ DMASHIM_DIR_TO_DEVICE, 0 },
};

static void noncoherent_export_desc(const struct noncoherent_export *e,
				    char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "dir %u", e->dir);
}

KUNIT_ARRAY_PARAM(noncoherent_exports, noncoherent_exports,
		  noncoherent_export_desc);

/* A non-coherent buffer counts as mapped for its own direction. */
static void dmashim_map_sgtable_exported_noncoherent_other_writes(struct kunit *test)
{
	const struct noncoherent_export *e = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test), *other;
	struct platform_device *pdev;
	dmashim_handle_t buf = 0;
	struct sg_table sgt = {};

	other = other_device_ctx(test, &pdev);
	KUNIT_ASSERT_EQ(test, dmashim_alloc_noncoherent(ctx, PAGE_SIZE, e->dir,
							NULL, &buf), 0);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &sgt), 0);
	expect_map_sgtable(test, other, &sgt, DMASHIM_DIR_FROM_DEVICE,
			   e->other_writes);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &sgt), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
	other_device_ctx_destroy(other, pdev);
}

/* Exported twice, freed: the buffer's memory leaves the registry, once. */
static void dmashim_free_exported_leaves_registry(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	u64 before = dmashim_test_mapped_ranges();
	dmashim_handle_t buf = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	struct sg_table a = {}, b = {};

	KUNIT_EXPECT_EQ(test, dmashim_test_mapped_ranges(), before);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &a), 0);
	KUNIT_ASSERT_EQ(test, dmashim_get_sgtable(ctx, buf, &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_test_mapped_ranges(),
			before + a.orig_nents);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_put_sgtable(ctx, buf, &b), 0);
	KUNIT_EXPECT_EQ(test, dmashim_free(ctx, buf), 0);
	dmashim_test_wait_released(test, ctx);
	KUNIT_EXPECT_EQ(test, dmashim_test_mapped_ranges(), before);
}

/*
 * A destroy in atomic context has unmapped when it returns: the caller
 * may free the memory, and bounce buffers copy back at the unmap.
 */
static void dmashim_ctx_destroy_atomic_unmaps(struct kunit *test)
{
	struct dmashim_map_opts nowait = { .sz = sizeof(nowait),
					   .flags = DMASHIM_MAP_NOWAIT };
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx, *other;
	dmashim_handle_t h, again[3] = {};
	struct platform_device *pdev;
	struct dmashim_stats st;
	int ret[3], i;
	void *mem[3];

	other = other_device_ctx(test, &pdev);
	for (i = 0; i < 3; i++) {
		mem[i] = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, mem[i]);
		KUNIT_ASSERT_EQ(test, dmashim_map_single(ctx, mem[i], PAGE_SIZE,
							 DMASHIM_DIR_FROM_DEVICE,
							 NULL, &h), 0);
	}
	dmashim_ctx_get(ctx);
	preempt_disable();
	dmashim_ctx_destroy(ctx);
	st = dmashim_test_stats(test, ctx);
	/* Still atomic: the memory is free for another device to write. */
	for (i = 0; i < 3; i++)
		ret[i] = dmashim_map_single(other, mem[i], PAGE_SIZE,
					    DMASHIM_DIR_FROM_DEVICE, &nowait,
					    &again[i]);
	preempt_enable();
	fx->ctx = NULL;
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0ULL);
	KUNIT_EXPECT_EQ(test, st.unmaps, 3ULL);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, ret[i], 0);
		if (!ret[i])
			KUNIT_EXPECT_EQ(test, dmashim_unmap(other, again[i]), 0);
	}
	dmashim_ctx_put(ctx);
	other_device_ctx_destroy(other, pdev);
}

static void dmashim_map_counted(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t a = map_kmalloc(test, ctx, 64, DMASHIM_DIR_TO_DEVICE);
	struct dmashim_stats st;

	map_kmalloc(test, ctx, 64, DMASHIM_DIR_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, dmashim_unmap(ctx, a), 0);
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.maps, 2ULL);
	KUNIT_EXPECT_EQ(test, st.unmaps, 1ULL);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 1ULL);
	KUNIT_EXPECT_EQ(test, st.live, 0ULL);
	KUNIT_EXPECT_EQ(test, st.peak_mappings, 2ULL);
}

/* Revocation ends every live mapping, once; the memory stays ours. */
static void dmashim_map_revoked_unmapped(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	struct dmashim_stats st;
	int i;

	for (i = 0; i < 3; i++)
		map_kmalloc(test, ctx, PAGE_SIZE, DMASHIM_DIR_TO_DEVICE);
	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0ULL);
	KUNIT_EXPECT_EQ(test, st.unmaps, 3ULL);
	KUNIT_EXPECT_EQ(test, st.pending_release, 0ULL);
	dmashim_ctx_put(ctx);
}

/* ---- limits ---------------------------------------------------------------- */

static struct dmashim_ctx *limited_ctx(struct kunit *test, u64 bytes,
				       u64 handles, u64 mappings)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_limits lim = {
		.sz = sizeof(lim), .max_bytes = bytes, .max_handles = handles,
		.max_mappings = mappings,
	};
	struct dmashim_ctx *ctx;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create_opts(fx->dev, &lim, &ctx), 0);
	return ctx;
}

static void dmashim_limits_handles_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = limited_ctx(test, 0, 2, 0);
	dmashim_handle_t h = 0;

	dmashim_test_alloc(test, ctx, 64, 0);
	dmashim_test_alloc(test, ctx, 64, 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, NULL, &h), -EDQUOT);
	KUNIT_EXPECT_EQ(test, (__force u64)h, 0ULL);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live, 2ULL);
	dmashim_ctx_destroy(ctx);
}

static void dmashim_limits_bytes_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = limited_ctx(test, 3 * PAGE_SIZE, 0, 0);
	dmashim_handle_t h = 0;

	dmashim_test_alloc(test, ctx, 2 * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, PAGE_SIZE + 1, NULL, &h),
			-EDQUOT);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, PAGE_SIZE, NULL, &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).live_bytes,
			3ULL * PAGE_SIZE);
	dmashim_ctx_destroy(ctx);
}

static void dmashim_limits_blocks_counted(struct kunit *test)
{
	struct dmashim_ctx *ctx = limited_ctx(test, 0, 1, 0);
	dmashim_handle_t h = 0;
	dmashim_pool_t pool;

	/* A pool is no handle of memory: the limit is for its blocks. */
	KUNIT_ASSERT_EQ(test, dmashim_pool_create(ctx, NULL, 32, NULL, &pool),
			0);
	KUNIT_ASSERT_EQ(test, dmashim_pool_alloc(ctx, pool, 0, &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_pool_alloc(ctx, pool, 0, &h), -EDQUOT);
	dmashim_ctx_destroy(ctx);
}

static void dmashim_limits_mappings_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = limited_ctx(test, 0, 0, 1);
	dmashim_handle_t a = map_kmalloc(test, ctx, 64, DMASHIM_DIR_TO_DEVICE);
	void *mem = kunit_kzalloc(test, 64, GFP_KERNEL);
	dmashim_handle_t b = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &b), -EDQUOT);
	KUNIT_ASSERT_EQ(test, dmashim_unmap(ctx, a), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &b), 0);
	dmashim_ctx_destroy(ctx);
}

static void dmashim_limits_freed_room_reused(struct kunit *test)
{
	struct dmashim_ctx *ctx = limited_ctx(test, 0, 1, 0);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, NULL, &h), 0);
	dmashim_ctx_destroy(ctx);
}

static void dmashim_ctx_set_limits_lowered(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_limits lim = { .sz = sizeof(lim), .max_handles = 1 };
	dmashim_handle_t h = 0;
	struct dmashim_stats st;

	dmashim_test_alloc(test, ctx, 64, 0);
	dmashim_test_alloc(test, ctx, 64, 0);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_set_limits(ctx, &lim), 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, NULL, &h), -EDQUOT);
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.limits.max_handles, 1ULL);
	KUNIT_EXPECT_EQ(test, st.peak_handles, 2ULL);
	lim.max_handles = 0;
	KUNIT_ASSERT_EQ(test, dmashim_ctx_set_limits(ctx, &lim), 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 64, NULL, &h), 0);
}

/* A refused allocation is no high-water mark: it changed nothing. */
static void dmashim_limits_refused_leaves_peaks(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_limits lim = { .sz = sizeof(lim), .max_bytes = PAGE_SIZE };
	dmashim_handle_t h = 0;
	struct dmashim_stats st;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_set_limits(ctx, &lim), 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, 2 * PAGE_SIZE, NULL, &h),
			-EDQUOT);
	st = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, st.peak_handles, 0ULL);
	KUNIT_EXPECT_EQ(test, st.peak_bytes, 0ULL);
}

static void dmashim_ctx_set_limits_malformed(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_limits lim = { .sz = sizeof(lim), .reserved = 1 };

	KUNIT_EXPECT_EQ(test, dmashim_ctx_set_limits(ctx, &lim), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_ctx_set_limits(ctx, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_ctx_set_limits(NULL, &lim), -EINVAL);
}

static void dmashim_ctx_create_opts_malformed(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_limits lim = { .sz = 2 };
	struct dmashim_ctx *ctx = NULL;

	KUNIT_EXPECT_EQ(test, dmashim_ctx_create_opts(fx->dev, &lim, &ctx),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, ctx);
}

static struct kunit_case dmashim_map_cases[] = {
	KUNIT_CASE_PARAM(dmashim_map_single_described, map_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_map_single_dma_addr_offset,
			 map_sizes_gen_params),
	KUNIT_CASE(dmashim_map_single_vmalloc_refused),
	KUNIT_CASE(dmashim_map_page_described),
	KUNIT_CASE(dmashim_map_sgtable_segments_cover),
	KUNIT_CASE_PARAM(dmashim_dma_addr_sgtable_each_segment,
			 sgt_entries_gen_params),
	KUNIT_CASE(dmashim_dma_addr_sgtable_reads_own_copy),
	KUNIT_CASE(dmashim_map_sgtable_twice_refused),
	KUNIT_CASE(dmashim_unmap_twice),
	KUNIT_CASE(dmashim_unmap_buffer_refused),
	KUNIT_CASE(dmashim_free_mapping_refused),
	KUNIT_CASE(dmashim_map_accessors_refused),
	KUNIT_CASE(dmashim_map_sync_direction),
	KUNIT_CASE(dmashim_map_sync_sgtable),
	KUNIT_CASE(dmashim_unmap_racing_sync_frees_table),
	KUNIT_CASE(dmashim_unmap_racing_dma_addr_frees_table),
	KUNIT_CASE(dmashim_map_single_overlapping_writable_refused),
	KUNIT_CASE(dmashim_map_single_overlapping_same_device_refused),
	KUNIT_CASE(dmashim_map_page_overlapping_other_ctx_refused),
	KUNIT_CASE(dmashim_map_single_adjacent_mapped),
	KUNIT_CASE(dmashim_map_single_overlapping_other_device),
	KUNIT_CASE(dmashim_map_sgtable_self_overlapping_refused),
	KUNIT_CASE(dmashim_map_sgtable_overlapping_writable_refused),
	KUNIT_CASE(dmashim_map_single_wrapping_len_refused),
	KUNIT_CASE(dmashim_map_page_wrapping_offset_refused),
	KUNIT_CASE(dmashim_map_page_wrapping_phys_refused),
	KUNIT_CASE(dmashim_map_page_past_memory_refused),
	KUNIT_CASE(dmashim_map_sgtable_past_memory_refused),
	KUNIT_CASE(dmashim_map_sgtable_other_device_refused),
	KUNIT_CASE(dmashim_map_sgtable_copy_other_device_refused),
	KUNIT_CASE(dmashim_map_sgtable_empty_entry_refused),
	KUNIT_CASE(dmashim_map_page_beyond_mask_refused),
	KUNIT_CASE(dmashim_map_sgtable_beyond_mask_refused),
	KUNIT_CASE(dmashim_map_counted),
	KUNIT_CASE(dmashim_map_revoked_unmapped),
	KUNIT_CASE(dmashim_put_sgtable_mapped_refused),
	KUNIT_CASE(dmashim_map_sgtable_part_of_mapped_refused),
	KUNIT_CASE(dmashim_map_sgtable_whole_of_mapped_part_refused),
	KUNIT_CASE(dmashim_put_sgtable_freed_by_caller),
	KUNIT_CASE(dmashim_map_sgtable_exported_same_device_refused),
	KUNIT_CASE(dmashim_map_sgtable_exported_writable_refused),
	KUNIT_CASE(dmashim_map_page_exported_after_put_refused),
	KUNIT_CASE_PARAM(dmashim_map_sgtable_exported_noncoherent_other_writes,
			 noncoherent_exports_gen_params),
	KUNIT_CASE(dmashim_free_exported_leaves_registry),
	KUNIT_CASE(dmashim_map_sgtable_put_table_refused),
	KUNIT_CASE(dmashim_get_sgtable_mapped_refused),
	KUNIT_CASE(dmashim_ctx_destroy_atomic_unmaps),
	{}
};

static struct kunit_suite dmashim_map_suite = {
	.name = "dmashim_map",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_map_cases,
};

static struct kunit_case dmashim_limits_cases[] = {
	KUNIT_CASE(dmashim_limits_handles_refused),
	KUNIT_CASE(dmashim_limits_bytes_refused),
	KUNIT_CASE(dmashim_limits_blocks_counted),
	KUNIT_CASE(dmashim_limits_mappings_refused),
	KUNIT_CASE(dmashim_limits_freed_room_reused),
	KUNIT_CASE(dmashim_ctx_set_limits_lowered),
	KUNIT_CASE(dmashim_limits_refused_leaves_peaks),
	KUNIT_CASE(dmashim_ctx_set_limits_malformed),
	KUNIT_CASE(dmashim_ctx_create_opts_malformed),
	{}
};

static struct kunit_suite dmashim_limits_suite = {
	.name = "dmashim_limits",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_limits_cases,
};

kunit_test_suites(&dmashim_map_suite, &dmashim_limits_suite);

MODULE_DESCRIPTION("KUnit tests for dmashim streaming mappings and limits");
MODULE_LICENSE("GPL");
