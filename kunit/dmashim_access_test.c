// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the dmashim accessors: read, write, fill, copy, sized
 * loads and stores, and DMA addresses.
 *
 * Refusals are tested once per accessor through a table of accessors, so
 * every accessor is shown to refuse every bad handle with the documented
 * errno; ranges and round trips are parameterised over sizes and edges.
 */
#include <linux/module.h>

#include "dmashim_test.h"

MODULE_IMPORT_NS(DMASHIM);

/* ---- every accessor, one 4-byte access at offset 0 ---------------------- */

struct accessor {
	const char *name;
	bool cpu;	/* needs a kernel mapping */
	int (*call)(struct dmashim_ctx *ctx, dmashim_handle_t h,
		    dmashim_handle_t good);
};

static int call_read(struct dmashim_ctx *ctx, dmashim_handle_t h,
		     dmashim_handle_t good)
{
	u8 buf[4];

	return dmashim_read(ctx, h, 0, buf, sizeof(buf));
}

static int call_write(struct dmashim_ctx *ctx, dmashim_handle_t h,
		      dmashim_handle_t good)
{
	static const u8 buf[4] = { 1, 2, 3, 4 };

	return dmashim_write(ctx, h, 0, buf, sizeof(buf));
}

static int call_fill(struct dmashim_ctx *ctx, dmashim_handle_t h,
		     dmashim_handle_t good)
{
	return dmashim_fill(ctx, h, 0, 0xff, 4);
}

static int call_copy_to(struct dmashim_ctx *ctx, dmashim_handle_t h,
			dmashim_handle_t good)
{
	return dmashim_copy(ctx, h, 0, good, 0, 4);
}

static int call_copy_from(struct dmashim_ctx *ctx, dmashim_handle_t h,
			  dmashim_handle_t good)
{
	return dmashim_copy(ctx, good, 0, h, 0, 4);
}

static int call_load8(struct dmashim_ctx *ctx, dmashim_handle_t h,
		      dmashim_handle_t good)
{
	u8 v;

	return dmashim_load8(ctx, h, 0, &v);
}

static int call_load16(struct dmashim_ctx *ctx, dmashim_handle_t h,
		       dmashim_handle_t good)
{
	u16 v;

	return dmashim_load16(ctx, h, 0, &v);
}

static int call_load32(struct dmashim_ctx *ctx, dmashim_handle_t h,
		       dmashim_handle_t good)
{
	u32 v;

	return dmashim_load32(ctx, h, 0, &v);
}

static int call_load64(struct dmashim_ctx *ctx, dmashim_handle_t h,
		       dmashim_handle_t good)
{
	u64 v;

	return dmashim_load64(ctx, h, 0, &v);
}

static int call_store8(struct dmashim_ctx *ctx, dmashim_handle_t h,
		       dmashim_handle_t good)
{
	return dmashim_store8(ctx, h, 0, 0xab);
}

static int call_store16(struct dmashim_ctx *ctx, dmashim_handle_t h,
			dmashim_handle_t good)
{
	return dmashim_store16(ctx, h, 0, 0xabcd);
}

static int call_store32(struct dmashim_ctx *ctx, dmashim_handle_t h,
			dmashim_handle_t good)
{
	return dmashim_store32(ctx, h, 0, 0xabcdef01);
}

static int call_store64(struct dmashim_ctx *ctx, dmashim_handle_t h,
			dmashim_handle_t good)
{
	return dmashim_store64(ctx, h, 0, 0xabcdef0123456789ULL);
}

static int call_dma_addr(struct dmashim_ctx *ctx, dmashim_handle_t h,
			 dmashim_handle_t good)
{
	u64 addr;

	return dmashim_dma_addr(ctx, h, 0, 4, &addr);
}

static int call_access_begin(struct dmashim_ctx *ctx, dmashim_handle_t h,
			     dmashim_handle_t good)
{
	void *p;
	int ret = dmashim_access_begin(ctx, h, 0, 4, 0, &p);

	dmashim_access_end(ctx);
	return ret;
}

static int call_info(struct dmashim_ctx *ctx, dmashim_handle_t h,
		     dmashim_handle_t good)
{
	struct dmashim_info info = { .sz = sizeof(info) };

	return dmashim_info(ctx, h, &info);
}

static const struct accessor accessors[] = {
	{ "read", true, call_read },
	{ "write", true, call_write },
	{ "fill", true, call_fill },
	{ "copy to", true, call_copy_to },
	{ "copy from", true, call_copy_from },
	{ "load8", true, call_load8 },
	{ "load16", true, call_load16 },
	{ "load32", true, call_load32 },
	{ "load64", true, call_load64 },
	{ "store8", true, call_store8 },
	{ "store16", true, call_store16 },
	{ "store32", true, call_store32 },
	{ "store64", true, call_store64 },
	{ "access_begin", true, call_access_begin },
	{ "dma_addr", false, call_dma_addr },
	{ "info", false, call_info },
};

static void accessor_desc(const struct accessor *a, char *desc)
{
	strscpy(desc, a->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(accessors, accessors, accessor_desc);

static const struct accessor *test_accessor(struct kunit *test)
{
	return test->param_value;
}

static void dmashim_access_any_live_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_handle_t good = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, test_accessor(test)->call(ctx, h, good), 0);
}

static void dmashim_access_any_freed_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_handle_t good = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, h), 0);
	KUNIT_EXPECT_EQ(test, test_accessor(test)->call(ctx, h, good), -EBADF);
}

static void dmashim_access_any_zero_handle(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t good = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, test_accessor(test)->call(ctx, 0, good), -EBADF);
}

static void dmashim_access_any_other_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	dmashim_handle_t good = dmashim_test_alloc(test, fx->ctx, PAGE_SIZE, 0);
	struct dmashim_ctx *other;
	dmashim_handle_t h;

	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &other), 0);
	h = dmashim_test_alloc(test, other, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, test_accessor(test)->call(fx->ctx, h, good),
			-EXDEV);
	dmashim_ctx_destroy(other);
}

static void dmashim_access_any_revoked_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx = fx->ctx;
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_handle_t good = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	dmashim_ctx_get(ctx);
	dmashim_ctx_destroy(ctx);
	fx->ctx = NULL;
	KUNIT_EXPECT_EQ(test, test_accessor(test)->call(ctx, h, good), -ENODEV);
	dmashim_ctx_put(ctx);
}

static void dmashim_access_any_null_ctx(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);

	KUNIT_EXPECT_EQ(test, test_accessor(test)->call(NULL, h, h), -EINVAL);
}

static void dmashim_access_any_no_kernel_mapping(struct kunit *test)
{
	const struct accessor *a = test_accessor(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t good = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	dmashim_handle_t h;

	h = dmashim_test_alloc(test, ctx, PAGE_SIZE,
			       DMASHIM_ALLOC_NO_KERNEL_MAPPING);
	KUNIT_EXPECT_EQ(test, a->call(ctx, h, good), a->cpu ? -EACCES : 0);
}

/* ---- ranges ------------------------------------------------------------ */

#define RANGE_BUF	(2 * PAGE_SIZE + 1)

struct range_case {
	u64 offset;
	u64 len;
	int expect;
};

static const struct range_case range_cases[] = {
	{ 0, RANGE_BUF, 0 },
	{ RANGE_BUF - 1, 1, 0 },
	{ PAGE_SIZE - 1, 2, 0 },
	{ RANGE_BUF, 0, 0 },
	{ RANGE_BUF, 1, -ERANGE },
	{ RANGE_BUF + 1, 0, -ERANGE },
	{ 0, RANGE_BUF + 1, -ERANGE },
	{ 1, RANGE_BUF, -ERANGE },
	{ U64_MAX, 1, -ERANGE },
	{ 1, U64_MAX, -ERANGE },
	{ U64_MAX, U64_MAX, -ERANGE },
	{ PAGE_SIZE, U64_MAX - PAGE_SIZE + 1, -ERANGE },
};

static void range_desc(const struct range_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "offset %llu len %llu -> %d",
		 c->offset, c->len, c->expect);
}

KUNIT_ARRAY_PARAM(range_cases, range_cases, range_desc);

static const struct range_case *test_range(struct kunit *test)
{
	return test->param_value;
}

static void dmashim_read_range(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);
	u8 *dst = kunit_kzalloc(test, RANGE_BUF, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_EXPECT_EQ(test, dmashim_read(ctx, h, c->offset, dst, c->len),
			c->expect);
}

static void dmashim_write_range(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);
	u8 *src = kunit_kzalloc(test, RANGE_BUF, GFP_KERNEL);
	u8 *check = kunit_kzalloc(test, RANGE_BUF, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, check);
	memset(src, 0x77, RANGE_BUF);
	KUNIT_EXPECT_EQ(test, dmashim_write(ctx, h, c->offset, src, c->len),
			c->expect);
	if (c->expect) {
		/* A refused write leaves the buffer as it was. */
		KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, check, RANGE_BUF),
				0);
		KUNIT_EXPECT_NULL(test, memchr_inv(check, 0, RANGE_BUF));
	}
}

static void dmashim_fill_range(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);

	KUNIT_EXPECT_EQ(test, dmashim_fill(ctx, h, c->offset, 0x11, c->len),
			c->expect);
}

static void dmashim_copy_range_dst(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t dst = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);
	dmashim_handle_t src = dmashim_test_alloc(test, ctx, U16_MAX, 0);

	/* Source is large enough for every in-range case. */
	KUNIT_EXPECT_EQ(test, dmashim_copy(ctx, dst, c->offset, src, 0, c->len),
			c->expect);
}

static void dmashim_copy_range_src(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t src = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);
	dmashim_handle_t dst = dmashim_test_alloc(test, ctx, U16_MAX, 0);

	KUNIT_EXPECT_EQ(test, dmashim_copy(ctx, dst, 0, src, c->offset, c->len),
			c->expect);
}

static void dmashim_dma_addr_range(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);
	u64 addr = 0;
	int expect = c->len ? c->expect : -EINVAL;

	KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h, c->offset, c->len,
					       &addr), expect);
	if (expect)
		KUNIT_EXPECT_EQ(test, addr, 0ULL);
}

/* ---- contents ---------------------------------------------------------- */

static const u64 buf_sizes[] = {
	1, 8, 63, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE,
	SZ_64K + 7, SZ_1M, SZ_4M,
};

static void u64_desc(const u64 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%llu", *v);
}

KUNIT_ARRAY_PARAM(buf_sizes, buf_sizes, u64_desc);

static u8 *pattern(struct kunit *test, u64 len, u8 seed)
{
	u8 *p = kunit_kmalloc(test, len, GFP_KERNEL);
	u64 i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < len; i++)
		p[i] = seed + i * 7 + (i >> 8);
	return p;
}

static void dmashim_write_read_round_trip(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	u8 *src = pattern(test, len, 3);
	u8 *dst = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_EQ(test, dmashim_write(ctx, h, 0, src, len), 0);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, dst, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, len), 0);
}

static void dmashim_write_read_at_offset(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	u64 off = len / 2, part = len - len / 2;
	u8 *src = pattern(test, part, 9);
	u8 *dst = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_EQ(test, dmashim_write(ctx, h, off, src, part), 0);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, dst, len), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(dst, 0, off));
	KUNIT_EXPECT_EQ(test, memcmp(dst + off, src, part), 0);
}

static void dmashim_read_null_dst(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_read(ctx, h, 0, NULL, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_read(ctx, h, 0, NULL, 0), 0);
}

static void dmashim_write_null_src(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_write(ctx, h, 0, NULL, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_write(ctx, h, 0, NULL, 0), 0);
}

static void dmashim_fill_sets_only_range(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	u8 *dst = kunit_kzalloc(test, len, GFP_KERNEL);
	u64 off = len / 3, n = len - 2 * (len / 3);

	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_EQ(test, dmashim_fill(ctx, h, off, 0xc3, n), 0);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, dst, len), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(dst, 0, off));
	KUNIT_EXPECT_NULL(test, memchr_inv(dst + off, 0xc3, n));
	KUNIT_EXPECT_NULL(test, memchr_inv(dst + off + n, 0, len - off - n));
}

static void dmashim_copy_between_handles(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t a = dmashim_test_alloc(test, ctx, len, 0);
	dmashim_handle_t b = dmashim_test_alloc(test, ctx, len, 0);
	u8 *src = pattern(test, len, 5);
	u8 *dst = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_EQ(test, dmashim_write(ctx, a, 0, src, len), 0);
	KUNIT_ASSERT_EQ(test, dmashim_copy(ctx, b, 0, a, 0, len), 0);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, b, 0, dst, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, len), 0);
}

static void dmashim_copy_overlapping(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	u8 *src = pattern(test, 64, 1);
	u8 dst[64];

	KUNIT_ASSERT_EQ(test, dmashim_write(ctx, h, 0, src, 64), 0);
	KUNIT_ASSERT_EQ(test, dmashim_copy(ctx, h, 8, h, 0, 48), 0);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, dst, 64), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst, src, 8), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst + 8, src, 48), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst + 56, src + 56, 8), 0);
}

static void dmashim_copy_freed_src_leaves_dst(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t dst = dmashim_test_alloc(test, ctx, 64, 0);
	dmashim_handle_t src = dmashim_test_alloc(test, ctx, 64, 0);
	u8 buf[64];

	KUNIT_ASSERT_EQ(test, dmashim_fill(ctx, src, 0, 0xee, 64), 0);
	KUNIT_ASSERT_EQ(test, dmashim_free(ctx, src), 0);
	KUNIT_EXPECT_EQ(test, dmashim_copy(ctx, dst, 0, src, 0, 64), -EBADF);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, dst, 0, buf, 64), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 64));
}

/* ---- sized loads and stores -------------------------------------------- */

static void dmashim_store_load_round_trip(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	u8 v8;
	u16 v16;
	u32 v32;
	u64 v64;

	KUNIT_ASSERT_EQ(test, dmashim_store8(ctx, h, 63, 0x12), 0);
	KUNIT_ASSERT_EQ(test, dmashim_store16(ctx, h, 62 - 2, 0x3456), 0);
	KUNIT_ASSERT_EQ(test, dmashim_store32(ctx, h, 56 - 4, 0x789abcde), 0);
	KUNIT_ASSERT_EQ(test, dmashim_store64(ctx, h, 0, U64_MAX - 1), 0);
	KUNIT_ASSERT_EQ(test, dmashim_load8(ctx, h, 63, &v8), 0);
	KUNIT_ASSERT_EQ(test, dmashim_load16(ctx, h, 60, &v16), 0);
	KUNIT_ASSERT_EQ(test, dmashim_load32(ctx, h, 52, &v32), 0);
	KUNIT_ASSERT_EQ(test, dmashim_load64(ctx, h, 0, &v64), 0);
	KUNIT_EXPECT_EQ(test, v8, 0x12);
	KUNIT_EXPECT_EQ(test, v16, 0x3456);
	KUNIT_EXPECT_EQ(test, v32, 0x789abcdeU);
	KUNIT_EXPECT_EQ(test, v64, U64_MAX - 1);
}

static void dmashim_store32_native_byte_order(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 8, 0);
	const u32 val = 0x01020304;
	u8 bytes[4];

	KUNIT_ASSERT_EQ(test, dmashim_store32(ctx, h, 4, val), 0);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 4, bytes, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(bytes, &val, 4), 0);
}

struct sized_case {
	unsigned int width;
	u64 offset;
	int expect;
};

static const struct sized_case sized_cases[] = {
	{ 2, 1, -EINVAL }, { 4, 2, -EINVAL }, { 8, 4, -EINVAL },
	{ 1, 64, -ERANGE }, { 2, 64, -ERANGE }, { 4, 64, -ERANGE },
	{ 8, 64, -ERANGE }, { 8, 60, -EINVAL }, { 8, 56, 0 },
	{ 4, 60, 0 }, { 2, 62, 0 }, { 1, 63, 0 }, { 8, U64_MAX - 7, -ERANGE },
};

static void sized_desc(const struct sized_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "u%u at %llu -> %d",
		 c->width * 8, c->offset, c->expect);
}

KUNIT_ARRAY_PARAM(sized_cases, sized_cases, sized_desc);

static int load_width(struct dmashim_ctx *ctx, dmashim_handle_t h,
		      unsigned int width, u64 offset, u64 *val)
{
	u8 v8;
	u16 v16;
	u32 v32;
	int ret;

	switch (width) {
	case 1:
		ret = dmashim_load8(ctx, h, offset, &v8);
		*val = v8;
		return ret;
	case 2:
		ret = dmashim_load16(ctx, h, offset, &v16);
		*val = v16;
		return ret;
	case 4:
		ret = dmashim_load32(ctx, h, offset, &v32);
		*val = v32;
		return ret;
	default:
		return dmashim_load64(ctx, h, offset, val);
	}
}

static int store_width(struct dmashim_ctx *ctx, dmashim_handle_t h,
		       unsigned int width, u64 offset, u64 val)
{
	switch (width) {
	case 1:
		return dmashim_store8(ctx, h, offset, val);
	case 2:
		return dmashim_store16(ctx, h, offset, val);
	case 4:
		return dmashim_store32(ctx, h, offset, val);
	default:
		return dmashim_store64(ctx, h, offset, val);
	}
}

static void dmashim_load_offset(struct kunit *test)
{
	const struct sized_case *c = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	u64 val;

	KUNIT_EXPECT_EQ(test, load_width(ctx, h, c->width, c->offset, &val),
			c->expect);
}

static void dmashim_store_offset(struct kunit *test)
{
	const struct sized_case *c = test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	u8 check[64];

	KUNIT_EXPECT_EQ(test, store_width(ctx, h, c->width, c->offset, ~0ULL),
			c->expect);
	KUNIT_ASSERT_EQ(test, dmashim_read(ctx, h, 0, check, 64), 0);
	if (c->expect)
		KUNIT_EXPECT_NULL(test, memchr_inv(check, 0, 64));
}

static void dmashim_load_null_valp(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_load8(ctx, h, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_load16(ctx, h, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_load32(ctx, h, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmashim_load64(ctx, h, 0, NULL), -EINVAL);
}

/* ---- scoped access ----------------------------------------------------- */

/* dmashim_access_begin() over the range cases; len 0 is refused here. */
static void dmashim_access_begin_range(struct kunit *test)
{
	const struct range_case *c = test_range(test);
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, RANGE_BUF, 0);
	int expect = c->len ? c->expect : -EINVAL;
	void *p = NULL;
	int ret;

	ret = dmashim_access_begin(ctx, h, c->offset, c->len, 0, &p);
	dmashim_access_end(ctx);
	KUNIT_EXPECT_EQ(test, ret, expect);
	if (expect)
		KUNIT_EXPECT_NULL(test, p);
}

static void dmashim_access_begin_points_at_offset(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	struct dmashim_info info = { .sz = sizeof(info) };
	void *first = NULL, *last = NULL;
	int ret_first, ret_last;

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	ret_first = dmashim_access_begin(ctx, h, 0, len, 0, &first);
	dmashim_access_end(ctx);
	ret_last = dmashim_access_begin(ctx, h, len - 1, 1, 0, &last);
	dmashim_access_end(ctx);
	KUNIT_EXPECT_EQ(test, ret_first, 0);
	KUNIT_EXPECT_EQ(test, ret_last, 0);
	KUNIT_EXPECT_PTR_EQ(test, first, info.cpu_addr);
	KUNIT_EXPECT_PTR_EQ(test, last, info.cpu_addr + len - 1);
}

static void dmashim_access_begin_writes_visible(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	u32 *p, v = 0;
	int ret;

	ret = dmashim_access_begin(ctx, h, 8, 8, 0, (void **)&p);
	if (!ret)
		WRITE_ONCE(p[1], 0xfeedf00d);
	dmashim_access_end(ctx);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, dmashim_load32(ctx, h, 12, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0xfeedf00dU);
}

static void dmashim_access_begin_flags_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	void *p = NULL;
	int ret;

	ret = dmashim_access_begin(ctx, h, 0, 4, 1, &p);
	dmashim_access_end(ctx);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_NULL(test, p);
}

static void dmashim_access_begin_null_ptrp(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);
	int ret;

	ret = dmashim_access_begin(ctx, h, 0, 4, 0, NULL);
	dmashim_access_end(ctx);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
}

/* A free inside a section: the memory stays usable until the end. */
static void dmashim_access_begin_survives_free(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, PAGE_SIZE, 0);
	int ret, freed = -1;
	u8 *p, last = 0;

	ret = dmashim_access_begin(ctx, h, 0, PAGE_SIZE, 0, (void **)&p);
	if (!ret) {
		freed = dmashim_free(ctx, h);
		memset(p, 0x5a, PAGE_SIZE);
		last = p[PAGE_SIZE - 1];
	}
	dmashim_access_end(ctx);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, freed, 0);
	KUNIT_EXPECT_EQ(test, last, 0x5a);
	KUNIT_EXPECT_EQ(test, dmashim_store8(ctx, h, 0, 1), -EBADF);
}

static void dmashim_access_begin_nests(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t a = dmashim_test_alloc(test, ctx, 64, 0);
	dmashim_handle_t b = dmashim_test_alloc(test, ctx, 64, 0);
	int ret_a, ret_b;
	u64 *pa, *pb, v = 0;

	ret_a = dmashim_access_begin(ctx, a, 0, 8, 0, (void **)&pa);
	ret_b = dmashim_access_begin(ctx, b, 0, 8, 0, (void **)&pb);
	if (!ret_a && !ret_b) {
		WRITE_ONCE(*pb, 7);
		WRITE_ONCE(*pa, READ_ONCE(*pb) + 1);
	}
	dmashim_access_end(ctx);
	if (!ret_a)
		WRITE_ONCE(*pa, READ_ONCE(*pa) + 1);
	dmashim_access_end(ctx);
	KUNIT_ASSERT_EQ(test, ret_a, 0);
	KUNIT_ASSERT_EQ(test, ret_b, 0);
	KUNIT_ASSERT_EQ(test, dmashim_load64(ctx, a, 0, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 9ULL);
}

/* ---- DMA addresses ----------------------------------------------------- */

static void dmashim_dma_addr_offset_added(struct kunit *test)
{
	const u64 len = *(const u64 *)test->param_value;
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, len, 0);
	struct dmashim_info info = { .sz = sizeof(info) };
	u64 first, last;

	KUNIT_ASSERT_EQ(test, dmashim_info(ctx, h, &info), 0);
	KUNIT_ASSERT_EQ(test, dmashim_dma_addr(ctx, h, 0, len, &first), 0);
	KUNIT_ASSERT_EQ(test, dmashim_dma_addr(ctx, h, len - 1, 1, &last), 0);
	KUNIT_EXPECT_EQ(test, first, info.dma_addr);
	KUNIT_EXPECT_EQ(test, last, info.dma_addr + len - 1);
}

static void dmashim_dma_addr_null(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	dmashim_handle_t h = dmashim_test_alloc(test, ctx, 64, 0);

	KUNIT_EXPECT_EQ(test, dmashim_dma_addr(ctx, h, 0, 1, NULL), -EINVAL);
}

static struct kunit_case dmashim_access_cases[] = {
	KUNIT_CASE_PARAM(dmashim_access_any_live_handle, accessors_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_any_freed_handle, accessors_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_any_zero_handle, accessors_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_any_other_ctx, accessors_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_any_revoked_ctx, accessors_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_any_null_ctx, accessors_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_any_no_kernel_mapping,
			 accessors_gen_params),
	{}
};

static struct kunit_suite dmashim_access_suite = {
	.name = "dmashim_access",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_access_cases,
};

static struct kunit_case dmashim_bytes_cases[] = {
	KUNIT_CASE_PARAM(dmashim_read_range, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_write_range, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_fill_range, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_copy_range_dst, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_copy_range_src, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_dma_addr_range, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_write_read_round_trip, buf_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_write_read_at_offset, buf_sizes_gen_params),
	KUNIT_CASE(dmashim_read_null_dst),
	KUNIT_CASE(dmashim_write_null_src),
	KUNIT_CASE_PARAM(dmashim_fill_sets_only_range, buf_sizes_gen_params),
	KUNIT_CASE_PARAM(dmashim_copy_between_handles, buf_sizes_gen_params),
	KUNIT_CASE(dmashim_copy_overlapping),
	KUNIT_CASE(dmashim_copy_freed_src_leaves_dst),
	KUNIT_CASE(dmashim_store_load_round_trip),
	KUNIT_CASE(dmashim_store32_native_byte_order),
	KUNIT_CASE_PARAM(dmashim_load_offset, sized_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_store_offset, sized_cases_gen_params),
	KUNIT_CASE(dmashim_load_null_valp),
	KUNIT_CASE_PARAM(dmashim_dma_addr_offset_added, buf_sizes_gen_params),
	KUNIT_CASE(dmashim_dma_addr_null),
	KUNIT_CASE_PARAM(dmashim_access_begin_range, range_cases_gen_params),
	KUNIT_CASE_PARAM(dmashim_access_begin_points_at_offset,
			 buf_sizes_gen_params),
	KUNIT_CASE(dmashim_access_begin_writes_visible),
	KUNIT_CASE(dmashim_access_begin_flags_refused),
	KUNIT_CASE(dmashim_access_begin_null_ptrp),
	KUNIT_CASE(dmashim_access_begin_survives_free),
	KUNIT_CASE(dmashim_access_begin_nests),
	{}
};

static struct kunit_suite dmashim_bytes_suite = {
	.name = "dmashim_bytes",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_bytes_cases,
};

kunit_test_suites(&dmashim_access_suite, &dmashim_bytes_suite);

MODULE_DESCRIPTION("KUnit tests for the dmashim accessors");
MODULE_LICENSE("GPL");
