// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for dmashim's fault injection.  Each case sets knobs as a
 * write to their debugfs files would (dmashim/<device>.<id>/fail_* and
 * the template in dmashim/fault/), through dmashim.ko's test hooks, since
 * debugfs files cannot be written with kernel_write(); the files
 * themselves are driven from the shell by the edu_trace_fault guest
 * suite.  Each case checks one behaviour of one knob.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "dmashim_test.h"

MODULE_IMPORT_NS(DMASHIM);
MODULE_IMPORT_NS(DMASHIM_TEST);

static int knob_set(struct dmashim_ctx *ctx, const char *name,
		    const char *text)
{
	return dmashim_test_fault_store(ctx, name, text);
}

static u64 knob_get(struct kunit *test, struct dmashim_ctx *ctx,
		    const char *name)
{
	u64 value = U64_MAX;

	KUNIT_EXPECT_EQ(test, dmashim_test_fault_show(ctx, name, &value), 0);
	return value;
}

/* Allocate and free at once; the allocation's result. */
static int try_alloc(struct dmashim_ctx *ctx)
{
	dmashim_handle_t h = 0;
	int ret = dmashim_alloc(ctx, 64, NULL, &h);

	if (!ret && dmashim_free(ctx, h))
		ret = -EIO;
	return ret;
}

static void dmashim_fault_nth_fails_that_call_once(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);

	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_nth", "3"), 0);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
	KUNIT_EXPECT_EQ(test, knob_get(test, ctx, "fail_injected"), 1ULL);
	KUNIT_EXPECT_EQ(test, knob_get(test, ctx, "fail_nth"), 0ULL);
}

static void dmashim_fault_every_fails_each_nth(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	int i;

	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_every", "2"), 0);
	for (i = 1; i <= 6; i++)
		KUNIT_EXPECT_EQ(test, try_alloc(ctx), i % 2 ? 0 : -ENOMEM);
	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_every", "0"), 0);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
}

/* An injected failure changes nothing but the failure counters. */
static void dmashim_fault_injected_changes_nothing(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	struct dmashim_stats before, after;
	dmashim_handle_t h = 0;

	before = dmashim_test_stats(test, ctx);
	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_nth", "1"), 0);
	KUNIT_EXPECT_EQ(test, dmashim_alloc(ctx, PAGE_SIZE, NULL, &h), -ENOMEM);
	KUNIT_EXPECT_EQ(test, (__force u64)h, 0ULL);
	after = dmashim_test_stats(test, ctx);
	KUNIT_EXPECT_EQ(test, after.live, before.live);
	KUNIT_EXPECT_EQ(test, after.live_bytes, before.live_bytes);
	KUNIT_EXPECT_EQ(test, after.allocs, before.allocs);
	KUNIT_EXPECT_EQ(test, after.alloc_failures, before.alloc_failures + 1);
}

/* Mappings fail too, as from dma_map_single(). */
static void dmashim_fault_nth_fails_mapping(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	void *mem = kunit_kzalloc(test, 64, GFP_KERNEL);
	dmashim_handle_t h = 0;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_nth", "1"), 0);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &h), -ENOMEM);
	KUNIT_EXPECT_EQ(test, dmashim_test_stats(test, ctx).map_failures, 1ULL);
	KUNIT_EXPECT_EQ(test, dmashim_map_single(ctx, mem, 64,
						 DMASHIM_DIR_TO_DEVICE, NULL,
						 &h), 0);
	KUNIT_EXPECT_EQ(test, dmashim_unmap(ctx, h), 0);
}

/* The pattern of a probability run, one bit per call. */
static u64 probability_pattern(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);
	u64 pattern = 0;
	int i;

	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_seed", "12345"), 0);
	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_probability", "50"), 0);
	for (i = 0; i < 64; i++)
		if (try_alloc(ctx) == -ENOMEM)
			pattern |= BIT_ULL(i);
	KUNIT_ASSERT_EQ(test, knob_set(ctx, "fail_probability", "0"), 0);
	return pattern;
}

static void dmashim_fault_probability_repeats_from_seed(struct kunit *test)
{
	u64 first = probability_pattern(test);

	KUNIT_EXPECT_NE(test, first, 0ULL);
	KUNIT_EXPECT_NE(test, first, U64_MAX);
	KUNIT_EXPECT_EQ(test, probability_pattern(test), first);
}

static void dmashim_fault_probability_over_100_refused(struct kunit *test)
{
	struct dmashim_ctx *ctx = dmashim_test_ctx(test);

	KUNIT_EXPECT_EQ(test, knob_set(ctx, "fail_probability", "101"),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, knob_get(test, ctx, "fail_probability"), 0ULL);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
}

static void dmashim_fault_injected_read_only(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, knob_set(dmashim_test_ctx(test), "fail_injected",
				       "0"), -EPERM);
}

/* The template arms contexts created later for the device it names. */
static void dmashim_fault_template_arms_new_ctx(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx;

	KUNIT_ASSERT_EQ(test, knob_set(NULL, "device", dev_name(fx->dev)),
			0);
	KUNIT_ASSERT_EQ(test, knob_set(NULL, "fail_nth", "1"), 0);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &ctx), 0);
	KUNIT_EXPECT_EQ(test, knob_set(NULL, "fail_nth", "0"), 0);
	KUNIT_EXPECT_EQ(test, knob_set(NULL, "device", "\n"), 0);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
	/* The fixture's context was created before: not armed. */
	KUNIT_EXPECT_EQ(test, try_alloc(fx->ctx), 0);
	dmashim_ctx_destroy(ctx);
}

static void dmashim_fault_template_other_device_unarmed(struct kunit *test)
{
	struct dmashim_test_fixture *fx = test->priv;
	struct dmashim_ctx *ctx;

	KUNIT_ASSERT_EQ(test, knob_set(NULL, "device", "no-such-device"),
			0);
	KUNIT_ASSERT_EQ(test, knob_set(NULL, "fail_nth", "1"), 0);
	KUNIT_ASSERT_EQ(test, dmashim_ctx_create(fx->dev, &ctx), 0);
	KUNIT_EXPECT_EQ(test, knob_set(NULL, "fail_nth", "0"), 0);
	KUNIT_EXPECT_EQ(test, knob_set(NULL, "device", "\n"), 0);
	KUNIT_EXPECT_EQ(test, try_alloc(ctx), 0);
	dmashim_ctx_destroy(ctx);
}

static struct kunit_case dmashim_fault_cases[] = {
	KUNIT_CASE(dmashim_fault_nth_fails_that_call_once),
	KUNIT_CASE(dmashim_fault_every_fails_each_nth),
	KUNIT_CASE(dmashim_fault_injected_changes_nothing),
	KUNIT_CASE(dmashim_fault_nth_fails_mapping),
	KUNIT_CASE(dmashim_fault_probability_repeats_from_seed),
	KUNIT_CASE(dmashim_fault_probability_over_100_refused),
	KUNIT_CASE(dmashim_fault_injected_read_only),
	KUNIT_CASE(dmashim_fault_template_arms_new_ctx),
	KUNIT_CASE(dmashim_fault_template_other_device_unarmed),
	{}
};

static struct kunit_suite dmashim_fault_suite = {
	.name = "dmashim_fault",
	.init = dmashim_test_fixture_init,
	.exit = dmashim_test_fixture_exit,
	.test_cases = dmashim_fault_cases,
};

kunit_test_suites(&dmashim_fault_suite);

MODULE_DESCRIPTION("KUnit tests for dmashim fault injection");
MODULE_LICENSE("GPL");
