// SPDX-License-Identifier: GPL-2.0
/*
 * Runner self-test: a KUnit suite with one deliberately failing case, which
 * the runner must judge red.
 */

#include <kunit/test.h>
#include <linux/module.h>

static void selftest_fail_passes(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, true);
}

static void selftest_fail_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1, 2, "deliberate failure for the runner self-test");
}

static struct kunit_case selftest_fail_cases[] = {
	KUNIT_CASE(selftest_fail_passes),
	KUNIT_CASE(selftest_fail_fails),
	{}
};

static struct kunit_suite selftest_fail_suite = {
	.name = "dmashim_selftest_fail",
	.test_cases = selftest_fail_cases,
};

kunit_test_suite(selftest_fail_suite);

MODULE_DESCRIPTION("dmashim runner self-test: failing KUnit suite");
MODULE_LICENSE("GPL");
