// SPDX-License-Identifier: GPL-2.0
/*
 * Runner self-test: a KUnit suite whose cases all pass, so the self-test
 * proves that a clean run is judged green.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

static void selftest_pass_arith(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2 + 2, 4);
}

static void selftest_pass_alloc(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, buf[63], 0);
}

static struct kunit_case selftest_pass_cases[] = {
	KUNIT_CASE(selftest_pass_arith),
	KUNIT_CASE(selftest_pass_alloc),
	{}
};

static struct kunit_suite selftest_pass_suite = {
	.name = "dmashim_selftest_pass",
	.test_cases = selftest_pass_cases,
};

kunit_test_suite(selftest_pass_suite);

MODULE_DESCRIPTION("dmashim runner self-test: passing KUnit suite");
MODULE_LICENSE("GPL");
