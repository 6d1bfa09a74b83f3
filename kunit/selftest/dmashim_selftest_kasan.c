// SPDX-License-Identifier: GPL-2.0
/*
 * Runner self-test: a module whose init reads one byte past the end of a
 * kmalloc'd buffer.  On a KASAN kernel that plants a real "BUG: KASAN" report
 * in the log, which the runner must judge red even though no test failed.
 */

#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

#define SELFTEST_KASAN_SIZE 32

static int __init selftest_kasan_init(void)
{
	size_t size = SELFTEST_KASAN_SIZE;
	u8 *buf;
	u8 val;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	/* Hide the index from the compiler so only KASAN can see the OOB. */
	OPTIMIZER_HIDE_VAR(size);
	val = READ_ONCE(buf[size]);
	pr_info("dmashim_selftest_kasan: read %u one byte out of bounds\n", val);

	kfree(buf);
	return 0;
}

static void __exit selftest_kasan_exit(void)
{
}

module_init(selftest_kasan_init);
module_exit(selftest_kasan_exit);

MODULE_DESCRIPTION("dmashim runner self-test: planted KASAN report");
MODULE_LICENSE("GPL");
