// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim fault injection: make a context's allocations and mappings fail,
 * on any kernel, Debian's stock one included (which has no
 * CONFIG_FAULT_INJECTION), so a driver's error paths can be walked.
 *
 * Design
 * ======
 * Every allocation and mapping goes through dmashim_alloc_entry(), which
 * asks dmashim_fault_fail() once, before any memory is taken; an injected
 * failure is -ENOMEM, as from the DMA API, and changes nothing else.  The
 * knobs, each a debugfs file (decimal, 0 = off):
 *
 *   fail_nth          fail the Nth call counted from the write (1: the
 *                     next one), once
 *   fail_every        fail every Nth call
 *   fail_probability  fail each call with this probability, in percent,
 *                     from the pseudo-random sequence of fail_seed
 *   fail_seed         the seed of that sequence: a run is repeatable
 *   fail_injected     (read only) how many failures were injected
 *
 * A context has them in its own directory, dmashim/<device>.<id>/; the
 * same files in dmashim/fault/ are a template that a context takes when it
 * is created for the device named in dmashim/fault/device (any device when
 * it is empty), so the allocations a driver makes in probe can fail too.
 * Writing any knob restarts the count and the sequence.
 *
 * KUnit drives the same parsing through dmashim_test_fault_store() and
 * dmashim_test_fault_show() (namespace DMASHIM_TEST): debugfs files have
 * no read_iter/write_iter for kernel_read()/kernel_write().
 *
 * The check costs one load of a flag on the hot path while nothing is
 * armed; armed, a spinlock (IRQ-safe: allocations with
 * %DMASHIM_ALLOC_NOWAIT come from any context).
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/prandom.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmashim_internal.h"

enum dmashim_fault_knob {
	DMASHIM_FAIL_NTH,
	DMASHIM_FAIL_EVERY,
	DMASHIM_FAIL_PROBABILITY,
	DMASHIM_FAIL_SEED,
	DMASHIM_FAIL_INJECTED,
	DMASHIM_NR_FAULT_KNOBS,
};

static const char *const dmashim_fault_names[DMASHIM_NR_FAULT_KNOBS] = {
	[DMASHIM_FAIL_NTH] = "fail_nth",
	[DMASHIM_FAIL_EVERY] = "fail_every",
	[DMASHIM_FAIL_PROBABILITY] = "fail_probability",
	[DMASHIM_FAIL_SEED] = "fail_seed",
	[DMASHIM_FAIL_INJECTED] = "fail_injected",
};

/* The template contexts take at creation; "device" picks who takes it. */
static struct dmashim_fault dmashim_fault_template = {
	.lock = __SPIN_LOCK_UNLOCKED(dmashim_fault_template.lock),
};

static char dmashim_fault_device[64];
static DEFINE_SPINLOCK(dmashim_fault_device_lock);

/* Restart the count and the sequence; under @fault->lock. */
static void __dmashim_fault_restart(struct dmashim_fault *fault)
{
	fault->calls = 0;
	prandom_seed_state(&fault->rnd, fault->seed);
	WRITE_ONCE(fault->armed, fault->nth || fault->every ||
		   fault->probability);
}

/**
 * dmashim_fault_init() - the fault settings of a new context
 * @fault: the new context's settings.
 * @dev: the context's device.
 *
 * Takes the template's knobs if the template names @dev or no device.
 * Context: Any context.
 */
void dmashim_fault_init(struct dmashim_fault *fault, struct device *dev)
{
	struct dmashim_fault *tmpl = &dmashim_fault_template;
	unsigned long flags;
	bool match;

	spin_lock_init(&fault->lock);
	spin_lock_irqsave(&dmashim_fault_device_lock, flags);
	match = !dmashim_fault_device[0] ||
		!strcmp(dmashim_fault_device, dev_name(dev));
	spin_unlock_irqrestore(&dmashim_fault_device_lock, flags);
	if (!match || !READ_ONCE(tmpl->armed))
		return;

	spin_lock_irqsave(&tmpl->lock, flags);
	fault->nth = tmpl->nth;
	fault->every = tmpl->every;
	fault->probability = tmpl->probability;
	fault->seed = tmpl->seed;
	spin_unlock_irqrestore(&tmpl->lock, flags);
	__dmashim_fault_restart(fault);
}

/* The decision for one call; under @fault->lock. */
static bool __dmashim_fault_decide(struct dmashim_fault *fault)
{
	fault->calls++;
	if (fault->nth && fault->calls == fault->nth) {
		fault->nth = 0;
		__dmashim_fault_restart(fault);
		return true;
	}
	if (fault->every && fault->calls % fault->every == 0)
		return true;
	return fault->probability &&
	       prandom_u32_state(&fault->rnd) % 100 < fault->probability;
}

/**
 * __dmashim_fault_fail() - whether to fail this allocation or mapping
 * @fault: the settings of the context that is asked, armed.
 *
 * Call through dmashim_fault_fail(), which skips unarmed contexts.
 * Context: Any context.
 * Return: true if the call must fail with -ENOMEM; counted as injected.
 */
bool __dmashim_fault_fail(struct dmashim_fault *fault)
{
	unsigned long flags;
	bool fail;

	spin_lock_irqsave(&fault->lock, flags);
	fail = __dmashim_fault_decide(fault);
	if (fail)
		fault->injected++;
	spin_unlock_irqrestore(&fault->lock, flags);
	return fail;
}

/* ---- the knobs, as text --------------------------------------------- */

/* The device line of the template (DMASHIM_NR_FAULT_KNOBS stands for it). */
#define DMASHIM_FAIL_DEVICE	DMASHIM_NR_FAULT_KNOBS

static int dmashim_fault_knob_by_name(const char *name)
{
	int knob;

	if (!strcmp(name, "device"))
		return DMASHIM_FAIL_DEVICE;
	for (knob = 0; knob < DMASHIM_NR_FAULT_KNOBS; knob++)
		if (!strcmp(name, dmashim_fault_names[knob]))
			return knob;
	return -ENOENT;
}

static u64 *dmashim_fault_field(struct dmashim_fault *fault, int knob)
{
	switch (knob) {
	case DMASHIM_FAIL_NTH:
		return &fault->nth;
	case DMASHIM_FAIL_EVERY:
		return &fault->every;
	case DMASHIM_FAIL_PROBABILITY:
		return &fault->probability;
	case DMASHIM_FAIL_SEED:
		return &fault->seed;
	default:
		return &fault->injected;
	}
}

/* A knob's value as text, "%llu\n" (the device line for the template). */
static int dmashim_fault_show(struct dmashim_fault *fault, int knob,
			      char *text, size_t size)
{
	unsigned long flags;
	u64 value;

	if (knob == DMASHIM_FAIL_DEVICE) {
		spin_lock_irqsave(&dmashim_fault_device_lock, flags);
		size = scnprintf(text, size, "%s\n", dmashim_fault_device);
		spin_unlock_irqrestore(&dmashim_fault_device_lock, flags);
		return size;
	}
	spin_lock_irqsave(&fault->lock, flags);
	value = *dmashim_fault_field(fault, knob);
	spin_unlock_irqrestore(&fault->lock, flags);
	return scnprintf(text, size, "%llu\n", value);
}

/*
 * Set a knob from text (NUL-terminated, trailing white space allowed);
 * the count and the sequence start again.  Nothing changes on error.
 */
static int dmashim_fault_store(struct dmashim_fault *fault, int knob,
			       char *text)
{
	unsigned long flags;
	u64 value;
	int ret;

	if (knob == DMASHIM_FAIL_DEVICE) {
		spin_lock_irqsave(&dmashim_fault_device_lock, flags);
		strscpy(dmashim_fault_device, strim(text),
			sizeof(dmashim_fault_device));
		spin_unlock_irqrestore(&dmashim_fault_device_lock, flags);
		return 0;
	}
	if (knob == DMASHIM_FAIL_INJECTED)
		return -EPERM;
	ret = kstrtou64(strim(text), 0, &value);
	if (ret)
		return ret;
	if (knob == DMASHIM_FAIL_PROBABILITY && value > 100)
		return -ERANGE;
	spin_lock_irqsave(&fault->lock, flags);
	*dmashim_fault_field(fault, knob) = value;
	__dmashim_fault_restart(fault);
	spin_unlock_irqrestore(&fault->lock, flags);
	return 0;
}

#ifdef DMASHIM_TEST_HOOKS
/*
 * For tests only: what a write of @text to the debugfs file @name of @ctx
 * (NULL: the template in dmashim/fault/) does, and what a read shows.
 */
int dmashim_test_fault_store(struct dmashim_ctx *ctx, const char *name,
			     const char *text)
{
	struct dmashim_fault *fault = ctx ? &ctx->fault :
				      &dmashim_fault_template;
	int knob = dmashim_fault_knob_by_name(name);
	char buf[sizeof(dmashim_fault_device)];

	if (knob < 0 || (ctx && knob == DMASHIM_FAIL_DEVICE))
		return -ENOENT;
	strscpy(buf, text, sizeof(buf));
	return dmashim_fault_store(fault, knob, buf);
}
EXPORT_SYMBOL_DMASHIM_TEST(dmashim_test_fault_store);

int dmashim_test_fault_show(struct dmashim_ctx *ctx, const char *name,
			    u64 *value)
{
	struct dmashim_fault *fault = ctx ? &ctx->fault :
				      &dmashim_fault_template;
	int knob = dmashim_fault_knob_by_name(name);
	char text[24];

	if (knob < 0 || knob == DMASHIM_FAIL_DEVICE)
		return -ENOENT;
	(void)dmashim_fault_show(fault, knob, text, sizeof(text));
	return kstrtou64(strim(text), 10, value);
}
EXPORT_SYMBOL_DMASHIM_TEST(dmashim_test_fault_show);
#endif

/* ---- debugfs ---------------------------------------------------------- */

/* A knob's file: i_private is its settings, the file's name its knob. */
static int dmashim_fault_file_knob(struct file *file)
{
	return dmashim_fault_knob_by_name(file->f_path.dentry->d_name.name);
}

static ssize_t dmashim_fault_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	char text[sizeof(dmashim_fault_device) + 1];
	int knob = dmashim_fault_file_knob(file);
	int len;

	if (knob < 0)
		return knob;
	len = dmashim_fault_show(file->private_data, knob, text, sizeof(text));
	return simple_read_from_buffer(buf, count, ppos, text, len);
}

static ssize_t dmashim_fault_write(struct file *file, const char __user *buf,
				   size_t count, loff_t *ppos)
{
	char text[sizeof(dmashim_fault_device)];
	int knob = dmashim_fault_file_knob(file);
	int ret;

	if (knob < 0)
		return knob;
	if (*ppos || count >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, buf, count))
		return -EFAULT;
	text[count] = '\0';
	ret = dmashim_fault_store(file->private_data, knob, text);
	return ret ? ret : count;
}

static const struct file_operations dmashim_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dmashim_fault_read,
	.write = dmashim_fault_write,
	.llseek = default_llseek,
};

/**
 * dmashim_fault_debugfs_add() - the knobs' files
 * @dir: the directory to create them in.
 * @fault: the settings they show and change.
 *
 * Context: Process context.
 */
void dmashim_fault_debugfs_add(struct dentry *dir, struct dmashim_fault *fault)
{
	int knob;

	for (knob = 0; knob < DMASHIM_NR_FAULT_KNOBS; knob++)
		debugfs_create_file(dmashim_fault_names[knob],
				    knob == DMASHIM_FAIL_INJECTED ? 0400 : 0600,
				    dir, fault, &dmashim_fault_fops);
}

/**
 * dmashim_fault_debugfs_init() - the template's directory, dmashim/fault/
 * @root: dmashim's debugfs directory.
 *
 * Context: Process context.
 */
void dmashim_fault_debugfs_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("fault", root);

	debugfs_create_file("device", 0600, dir, &dmashim_fault_template,
			    &dmashim_fault_fops);
	dmashim_fault_debugfs_add(dir, &dmashim_fault_template);
}
