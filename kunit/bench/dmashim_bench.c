// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim benchmarks: each operation timed through dmashim and through the
 * raw DMA API (or plain memory access) in the same run, on the same device,
 * reported as nanoseconds per operation and the ratio shim / raw.
 *
 * Runs once at module load and prints one line per benchmark:
 *   dmashim-bench: <name> raw_ns=<n> shim_ns=<n> ratio=<r>
 * Under QEMU TCG absolute numbers mean little; the ratios are the result.
 * Nothing here asserts a time: the tests are in kunit/.
 *
 * Frees through dmashim return before the memory goes back (it waits for an
 * RCU grace period, see dmashim_core.c), so the alloc+free benchmarks time
 * the calls and then, separately, wait for all releases and report that
 * total too, so the deferred work is not hidden.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

static unsigned int iterations = 2000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "operations per measurement");

struct bench {
	struct device *dev;
	struct dmashim_ctx *ctx;
};

static void report(const char *name, u64 raw_ns, u64 shim_ns, unsigned int n)
{
	u64 raw = div_u64(raw_ns, n), shim = div_u64(shim_ns, n);
	u64 ratio100 = raw ? div64_u64(shim_ns * 100, raw_ns) : 0;

	pr_info("dmashim-bench: %-28s raw_ns=%llu shim_ns=%llu ratio=%llu.%02llu\n",
		name, raw, shim, ratio100 / 100, ratio100 % 100);
}

static void report_failure(const char *name, int err)
{
	pr_err("dmashim-bench: %s failed: %d\n", name, err);
}

/* Wait until every buffer freed through dmashim is back; returns ns. */
static u64 wait_released(struct dmashim_ctx *ctx)
{
	struct dmashim_stats st = { .sz = sizeof(st) };
	u64 start = ktime_get_ns();

	rcu_barrier();
	while (!dmashim_ctx_stats(ctx, &st) && st.pending_release)
		usleep_range(100, 200);
	return ktime_get_ns() - start;
}

static int raw_coherent_pairs(struct bench *b, size_t len, unsigned int n)
{
	dma_addr_t dma;
	void *p;

	while (n--) {
		p = dma_alloc_coherent(b->dev, len, &dma, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		dma_free_coherent(b->dev, len, p, dma);
	}
	return 0;
}

static int shim_coherent_pairs(struct bench *b, size_t len, unsigned int n)
{
	dmashim_handle_t h;
	int ret;

	while (n--) {
		ret = dmashim_alloc(b->ctx, len, NULL, &h);
		if (!ret)
			ret = dmashim_free(b->ctx, h);
		if (ret)
			return ret;
	}
	return 0;
}

static void bench_coherent(struct bench *b, size_t len, const char *name)
{
	u64 t, raw, shim;
	int ret;

	t = ktime_get_ns();
	ret = raw_coherent_pairs(b, len, iterations);
	raw = ktime_get_ns() - t;
	if (!ret) {
		t = ktime_get_ns();
		ret = shim_coherent_pairs(b, len, iterations);
		shim = ktime_get_ns() - t;
	}
	if (ret)
		return report_failure(name, ret);
	report(name, raw, shim, iterations);
	report("  (+ deferred release)", raw, shim + wait_released(b->ctx),
	       iterations);
}

struct pool_bench {
	struct dma_pool *raw_pool;
	void **blocks;
	dma_addr_t *dmas;
	dmashim_pool_t pool;
	dmashim_handle_t *handles;
	unsigned int live;
};

/* Both pools with @pb->live blocks allocated, or an errno. */
static int pool_bench_setup(struct bench *b, struct pool_bench *pb)
{
	unsigned int i;
	int ret;

	pb->blocks = kcalloc(pb->live, sizeof(*pb->blocks), GFP_KERNEL);
	pb->dmas = kcalloc(pb->live, sizeof(*pb->dmas), GFP_KERNEL);
	pb->handles = kcalloc(pb->live, sizeof(*pb->handles), GFP_KERNEL);
	pb->raw_pool = dma_pool_create("bench", b->dev, 64, 0, 0);
	if (!pb->blocks || !pb->dmas || !pb->handles || !pb->raw_pool)
		return -ENOMEM;
	ret = dmashim_pool_create(b->ctx, "bench", 64, NULL, &pb->pool);
	for (i = 0; !ret && i < pb->live; i++) {
		pb->blocks[i] = dma_pool_alloc(pb->raw_pool, GFP_KERNEL,
					       &pb->dmas[i]);
		if (!pb->blocks[i])
			return -ENOMEM;
		ret = dmashim_pool_alloc(b->ctx, pb->pool, 0, &pb->handles[i]);
	}
	return ret;
}

static void pool_bench_teardown(struct bench *b, struct pool_bench *pb)
{
	unsigned int i;

	for (i = 0; i < pb->live && pb->blocks && pb->blocks[i]; i++)
		dma_pool_free(pb->raw_pool, pb->blocks[i], pb->dmas[i]);
	/* Destroying the pool frees its live blocks too. */
	if (pb->pool && dmashim_pool_destroy(b->ctx, pb->pool))
		pr_err("dmashim-bench: pool destroy failed\n");
	dma_pool_destroy(pb->raw_pool);
	kfree(pb->handles);
	kfree(pb->dmas);
	kfree(pb->blocks);
}

static int raw_pool_pairs(struct pool_bench *pb, unsigned int n)
{
	dma_addr_t dma;
	void *p;

	while (n--) {
		p = dma_pool_zalloc(pb->raw_pool, GFP_KERNEL, &dma);
		if (!p)
			return -ENOMEM;
		dma_pool_free(pb->raw_pool, p, dma);
	}
	return 0;
}

static int shim_pool_pairs(struct bench *b, struct pool_bench *pb,
			   unsigned int n)
{
	dmashim_handle_t h;
	int ret;

	while (n--) {
		ret = dmashim_pool_alloc(b->ctx, pb->pool, 0, &h);
		if (!ret)
			ret = dmashim_free(b->ctx, h);
		if (ret)
			return ret;
	}
	return 0;
}

/* Alloc+free pairs on pools that already have @live blocks allocated. */
static void bench_pool(struct bench *b, unsigned int live, const char *name)
{
	struct pool_bench pb = { .live = live };
	u64 t, raw, shim;
	int ret;

	ret = pool_bench_setup(b, &pb);
	if (!ret) {
		t = ktime_get_ns();
		ret = raw_pool_pairs(&pb, iterations);
		raw = ktime_get_ns() - t;
	}
	if (!ret) {
		t = ktime_get_ns();
		ret = shim_pool_pairs(b, &pb, iterations);
		shim = ktime_get_ns() - t;
	}
	if (ret) {
		report_failure(name, ret);
	} else {
		report(name, raw, shim, iterations);
		report("  (+ deferred release)", raw,
		       shim + wait_released(b->ctx), iterations);
	}
	pool_bench_teardown(b, &pb);
}

static void bench_load32(struct bench *b)
{
	unsigned int i, n = iterations * 50;
	struct dmashim_info info = { .sz = sizeof(info) };
	u32 v, sum = 0;
	dmashim_handle_t h;
	u64 t, raw, shim;
	int ret;

	ret = dmashim_alloc(b->ctx, PAGE_SIZE, NULL, &h);
	if (ret)
		return report_failure("load32", ret);
	ret = dmashim_info(b->ctx, h, &info);
	t = ktime_get_ns();
	for (i = 0; !ret && i < n; i++)
		sum += READ_ONCE(((u32 *)info.cpu_addr)[i & 1023]);
	raw = ktime_get_ns() - t;
	t = ktime_get_ns();
	for (i = 0; !ret && i < n; i++) {
		ret = dmashim_load32(b->ctx, h, (i & 1023) * 4, &v);
		sum += v;
	}
	shim = ktime_get_ns() - t;
	if (ret)
		report_failure("load32", ret);
	else
		report("load32", raw, shim, n);
	pr_debug("dmashim-bench: checksum %u\n", sum);
	if (dmashim_free(b->ctx, h))
		report_failure("load32 free", -EBADF);
}

static void bench_read(struct bench *b, size_t len, const char *name)
{
	unsigned int i, n = iterations;
	struct dmashim_info info = { .sz = sizeof(info) };
	dmashim_handle_t h;
	u64 t, raw, shim;
	void *dst;
	int ret;

	dst = kmalloc(len, GFP_KERNEL);
	if (!dst)
		return report_failure(name, -ENOMEM);
	ret = dmashim_alloc(b->ctx, len, NULL, &h);
	if (ret)
		goto out;
	ret = dmashim_info(b->ctx, h, &info);
	t = ktime_get_ns();
	for (i = 0; !ret && i < n; i++)
		memcpy(dst, info.cpu_addr, len);
	raw = ktime_get_ns() - t;
	t = ktime_get_ns();
	for (i = 0; !ret && i < n; i++)
		ret = dmashim_read(b->ctx, h, 0, dst, len);
	shim = ktime_get_ns() - t;
	if (!ret)
		report(name, raw, shim, n);
	if (dmashim_free(b->ctx, h) && !ret)
		ret = -EBADF;
out:
	if (ret)
		report_failure(name, ret);
	kfree(dst);
}

static void run_benchmarks(struct bench *b)
{
	pr_info("dmashim-bench: %u iterations per measurement\n", iterations);
	bench_coherent(b, PAGE_SIZE, "coherent alloc+free 4K");
	bench_coherent(b, SZ_64K, "coherent alloc+free 64K");
	bench_pool(b, 0, "pool alloc+free, 0 live");
	bench_pool(b, 1000, "pool alloc+free, 1000 live");
	bench_pool(b, 10000, "pool alloc+free, 10000 live");
	bench_load32(b);
	bench_read(b, 64, "read 64B");
	bench_read(b, PAGE_SIZE, "read 4K");
	bench_read(b, SZ_64K, "read 64K");
	pr_info("dmashim-bench: done\n");
}

static int __init bench_init(void)
{
	struct platform_device *pdev;
	struct bench b = {};
	int ret;

	pdev = platform_device_register_simple("dmashim-bench", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	b.dev = &pdev->dev;
	ret = dma_set_mask_and_coherent(b.dev, DMA_BIT_MASK(64));
	if (!ret)
		ret = dmashim_ctx_create(b.dev, &b.ctx);
	if (!ret) {
		run_benchmarks(&b);
		dmashim_ctx_destroy(b.ctx);
	}
	platform_device_unregister(pdev);
	return ret;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("dmashim benchmarks against the raw DMA API");
MODULE_LICENSE("GPL");
