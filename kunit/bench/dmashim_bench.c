// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim benchmarks (make bench): each figure times one operation through
 * dmashim and through the raw kernel API it wraps, in the same run, on the
 * same device, and reports per-operation nanoseconds and the ratio.
 *
 * Design
 * ======
 * As kernel/dma/map_benchmark.c does, a figure is a loop of @iterations
 * operations timed with ktime; here each figure runs @rounds rounds, and in
 * every round the raw loop, the shim loop and, for accessors, the limit (a
 * bare pointer access, what no wrapper can beat) run back to back, so slow
 * phases of the machine hit all of them alike.  The medians over rounds are
 * the result, with the standard deviation of the shim's rounds.  One line
 * per figure:
 *
 *   dmashim-bench: fig=NAME x=X raw_ps=N shim_ps=N limit_ps=N goal=G
 *                  rounds=R shim_dev_ps=N
 *
 * (picoseconds per operation; goal is the largest acceptable ratio
 * shim / raw, or "none").  scripts/bench-report.py turns the lines into the
 * table, build/bench/bench.json and the plot.  Nothing here asserts a time:
 * the tests are in kunit/.
 *
 * Deferred work is timed too: a dmashim free returns before the memory
 * goes back, which a work item does after a grace period.  After each shim
 * round of an alloc+free figure, a grace period passes untimed (waiting is
 * latency, not work: the raw API's frees wait for nothing either), then the
 * time until nothing is pending any more is added to the round: the
 * deferred work itself.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include <dmashim.h>

MODULE_IMPORT_NS(DMASHIM);

static unsigned int iterations = 2000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "operations per round of a figure");

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds per figure (the median is reported)");

#define BENCH_MAX_ROUNDS	15

struct bench {
	struct device *dev;
	struct dmashim_ctx *ctx;
};

/* One side of a figure: a loop of @n operations; 0 or an errno. */
typedef int (*bench_loop_t)(struct bench *b, void *arg, unsigned int n);

struct figure {
	const char *name;
	u64 x;			/* the size, or the number of live handles */
	const char *goal;	/* the largest acceptable ratio, or "none" */
	bench_loop_t raw, shim, limit;
	bool deferred;		/* the shim's frees leave work behind */
	void *arg;
	unsigned int n;		/* operations per round; 0: @iterations */
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}

static u64 deviation(const u64 *v, unsigned int n)
{
	u64 sum = 0, sq = 0, mean;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += v[i];
	mean = div_u64(sum, n);
	for (i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	return int_sqrt64(div_u64(sq, n));
}

/* A teardown call's result: a failure fails the benchmark run. */
static void teardown_result(const char *what, int ret)
{
	if (ret)
		pr_err("dmashim-bench: fig=teardown %s failed: %d\n", what, ret);
}

/* Wait until every buffer freed through dmashim is back. */
static int wait_released(struct dmashim_ctx *ctx)
{
	struct dmashim_stats st = { .sz = sizeof(st) };
	int ret;

	rcu_barrier();
	while (!(ret = dmashim_ctx_stats(ctx, &st)) && st.pending_release)
		usleep_range(50, 100);
	return ret;
}

/* The deferred work of a round, per operation: see the design comment. */
static u64 drain_round(struct bench *b, unsigned int n, int *err)
{
	u64 t;

	synchronize_rcu();
	t = ktime_get_ns();
	*err = wait_released(b->ctx);
	return div_u64((ktime_get_ns() - t) * 1000, n);
}

/* Picoseconds per operation of one round of @loop, or 0 on failure. */
static u64 time_round(struct bench *b, bench_loop_t loop, void *arg,
		      unsigned int n, int *err)
{
	u64 t = ktime_get_ns();

	*err = loop(b, arg, n);
	return div_u64((ktime_get_ns() - t) * 1000, n);
}

static void run_figure(struct bench *b, const struct figure *f)
{
	u64 raw[BENCH_MAX_ROUNDS], shim[BENCH_MAX_ROUNDS];
	u64 limit[BENCH_MAX_ROUNDS], dev;
	unsigned int n = f->n ?: iterations, r, nr = min(rounds, 15U);
	int err = 0;

	for (r = 0; r < nr && !err; r++) {
		raw[r] = time_round(b, f->raw, f->arg, n, &err);
		if (!err)
			shim[r] = time_round(b, f->shim, f->arg, n, &err);
		if (!err && f->deferred)
			shim[r] += drain_round(b, n, &err);
		if (!err)
			limit[r] = f->limit ?
				   time_round(b, f->limit, f->arg, n, &err) :
				   raw[r];
	}
	if (err) {
		pr_err("dmashim-bench: fig=%s x=%llu failed: %d\n", f->name,
		       f->x, err);
		return;
	}
	dev = deviation(shim, nr);
	pr_info("dmashim-bench: fig=%s x=%llu raw_ps=%llu shim_ps=%llu limit_ps=%llu goal=%s rounds=%u shim_dev_ps=%llu\n",
		f->name, f->x, median(raw, nr), median(shim, nr),
		median(limit, nr), f->goal, nr, dev);
}

/* ---- coherent buffers ------------------------------------------------- */

static int raw_coherent(struct bench *b, void *arg, unsigned int n)
{
	size_t len = (uintptr_t)arg;
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

static int shim_coherent(struct bench *b, void *arg, unsigned int n)
{
	size_t len = (uintptr_t)arg;
	dmashim_handle_t h;
	int ret = 0;

	while (n-- && !ret) {
		ret = dmashim_alloc(b->ctx, len, NULL, &h);
		if (!ret)
			ret = dmashim_free(b->ctx, h);
	}
	return ret;
}

/* ---- streaming mappings ------------------------------------------------ */

/*
 * A packet's life on the device: map, the address for the descriptor,
 * unmap.  The raw side gets the address from the map itself and must check
 * it; dmashim checks for the caller and hands the address out by handle.
 */
struct map_arg {
	void *buf;
	size_t len;
};

static int raw_map(struct bench *b, void *arg, unsigned int n)
{
	struct map_arg *ma = arg;
	dma_addr_t dma;

	while (n--) {
		dma = dma_map_single(b->dev, ma->buf, ma->len, DMA_TO_DEVICE);
		if (dma_mapping_error(b->dev, dma))
			return -ENOMEM;
		dma_unmap_single(b->dev, dma, ma->len, DMA_TO_DEVICE);
	}
	return 0;
}

static int shim_map(struct bench *b, void *arg, unsigned int n)
{
	struct map_arg *ma = arg;
	dmashim_handle_t h;
	u64 dma;
	int ret;

	while (n--) {
		ret = dmashim_map_single(b->ctx, ma->buf, ma->len,
					 DMASHIM_DIR_TO_DEVICE, NULL, &h);
		if (ret)
			return ret;
		ret = dmashim_dma_addr(b->ctx, h, 0, ma->len, &dma);
		if (ret)
			return ret;
		ret = dmashim_unmap(b->ctx, h);
		if (ret)
			return ret;
	}
	return 0;
}

static void bench_map(struct bench *b)
{
	static const size_t lens[] = { 64, 1500, SZ_64K };
	struct map_arg ma;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct figure f = {
			.name = "map_unmap_single", .x = lens[i], .goal = "none",
			.raw = raw_map, .shim = shim_map, .deferred = true,
			.arg = &ma,
		};

		ma.len = lens[i];
		ma.buf = kmalloc(ma.len, GFP_KERNEL);
		if (!ma.buf) {
			pr_err("dmashim-bench: fig=%s x=%zu failed: %d\n",
			       f.name, ma.len, -ENOMEM);
			continue;
		}
		run_figure(b, &f);
		kfree(ma.buf);
	}
}

/* ---- pools ------------------------------------------------------------- */

struct pool_arg {
	struct dma_pool *raw_pool;
	dmashim_pool_t pool;
};

static int raw_pool(struct bench *b, void *arg, unsigned int n)
{
	struct pool_arg *pa = arg;
	dma_addr_t dma;
	void *p;

	while (n--) {
		p = dma_pool_zalloc(pa->raw_pool, GFP_KERNEL, &dma);
		if (!p)
			return -ENOMEM;
		dma_pool_free(pa->raw_pool, p, dma);
	}
	return 0;
}

static int shim_pool(struct bench *b, void *arg, unsigned int n)
{
	struct pool_arg *pa = arg;
	dmashim_handle_t h;
	int ret = 0;

	while (n-- && !ret) {
		ret = dmashim_pool_alloc(b->ctx, pa->pool, 0, &h);
		if (!ret)
			ret = dmashim_free(b->ctx, h);
	}
	return ret;
}

/* Pool alloc+free, with @live blocks of each pool allocated meanwhile. */
static void bench_pool(struct bench *b, unsigned int live, const char *goal)
{
	struct pool_arg pa = {};
	struct figure f = {
		.name = "pool_alloc_free", .x = live, .goal = goal,
		.raw = raw_pool, .shim = shim_pool, .deferred = true, .arg = &pa,
	};
	dmashim_handle_t *kept = NULL;
	void **blocks = NULL;
	dma_addr_t *dmas = NULL;
	unsigned int i = 0;
	int ret;

	pa.raw_pool = dma_pool_create("bench", b->dev, 64, 0, 0);
	ret = pa.raw_pool ? dmashim_pool_create(b->ctx, "bench", 64, NULL,
						&pa.pool) : -ENOMEM;
	if (!ret && live) {
		kept = kvcalloc(live, sizeof(*kept), GFP_KERNEL);
		blocks = kvcalloc(live, sizeof(*blocks), GFP_KERNEL);
		dmas = kvcalloc(live, sizeof(*dmas), GFP_KERNEL);
		ret = kept && blocks && dmas ? 0 : -ENOMEM;
	}
	for (; !ret && i < live; i++) {
		blocks[i] = dma_pool_alloc(pa.raw_pool, GFP_KERNEL, &dmas[i]);
		ret = blocks[i] ? dmashim_pool_alloc(b->ctx, pa.pool, 0,
						     &kept[i]) : -ENOMEM;
		if (ret && blocks[i])
			dma_pool_free(pa.raw_pool, blocks[i], dmas[i]);
	}
	if (!ret)
		run_figure(b, &f);
	else
		pr_err("dmashim-bench: fig=%s x=%u failed: %d\n", f.name, live,
		       ret);
	while (i--) {
		dma_pool_free(pa.raw_pool, blocks[i], dmas[i]);
		teardown_result("free", dmashim_free(b->ctx, kept[i]));
	}
	if (pa.pool)
		teardown_result("pool", dmashim_pool_destroy(b->ctx, pa.pool));
	dma_pool_destroy(pa.raw_pool);
	kvfree(kept);
	kvfree(blocks);
	kvfree(dmas);
	teardown_result("release", wait_released(b->ctx));
}

/* ---- accessors ---------------------------------------------------------- */

/*
 * One buffer, named by a handle for dmashim and by an index in an XArray
 * for the raw side: the lookup a driver without dmashim would do.
 */
struct access_arg {
	dmashim_handle_t h;
	void *cpu;
	struct xarray xa;
	size_t len;
	void *bounce;
};

static int raw_load32(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	u32 sum = 0;

	while (n--) {
		u32 *p = xa_load(&aa->xa, 1);

		if (!p)
			return -ENOENT;
		sum += READ_ONCE(p[n & 15]);
	}
	return sum == U32_MAX;	/* keeps the loads */
}

static int limit_load32(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	u32 *p = aa->cpu, sum = 0;

	while (n--)
		sum += READ_ONCE(p[n & 15]);
	return sum == U32_MAX;
}

static int shim_load32(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	u32 v, sum = 0;
	int ret;

	while (n--) {
		ret = dmashim_load32(b->ctx, aa->h, (n & 15) * 4, &v);
		if (ret)
			return ret;
		sum += v;
	}
	return sum == U32_MAX;
}

/* A descriptor filled and a completion scanned: 32 stores, 32 loads. */
static u32 access64(u32 *p)
{
	u32 sum = 0;
	int i;

	for (i = 0; i < 32; i++)
		WRITE_ONCE(p[i], i);
	for (i = 32; i < 64; i++)
		sum += READ_ONCE(p[i]);
	return sum;
}

static int raw_access64(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	u32 sum = 0;

	while (n--)
		sum += access64(aa->cpu);
	return sum == U32_MAX;
}

static int shim_access64(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	u32 sum = 0;
	void *p;
	int ret;

	while (n--) {
		ret = dmashim_access_begin(b->ctx, aa->h, 0, 256, 0, &p);
		if (!ret)
			sum += access64(p);
		dmashim_access_end(b->ctx);
		if (ret)
			return ret;
	}
	return sum == U32_MAX;
}

static int raw_read(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;

	while (n--)
		memcpy(aa->bounce, aa->cpu, aa->len);
	return 0;
}

static int shim_read(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	int ret = 0;

	while (n-- && !ret)
		ret = dmashim_read(b->ctx, aa->h, 0, aa->bounce, aa->len);
	return ret;
}

static int raw_write(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;

	while (n--)
		memcpy(aa->cpu, aa->bounce, aa->len);
	return 0;
}

static int shim_write(struct bench *b, void *arg, unsigned int n)
{
	struct access_arg *aa = arg;
	int ret = 0;

	while (n-- && !ret)
		ret = dmashim_write(b->ctx, aa->h, 0, aa->bounce, aa->len);
	return ret;
}

static int access_setup(struct bench *b, struct access_arg *aa, size_t len)
{
	struct dmashim_info info = { .sz = sizeof(info) };
	int ret;

	xa_init(&aa->xa);
	aa->len = len;
	aa->bounce = kvzalloc(len, GFP_KERNEL);
	ret = aa->bounce ? dmashim_alloc(b->ctx, max_t(size_t, len, 256), NULL,
					 &aa->h) : -ENOMEM;
	if (!ret)
		ret = dmashim_info(b->ctx, aa->h, &info);
	if (!ret) {
		aa->cpu = info.cpu_addr;
		ret = xa_err(xa_store(&aa->xa, 1, aa->cpu, GFP_KERNEL));
	}
	return ret;
}

static void access_teardown(struct bench *b, struct access_arg *aa)
{
	if (aa->cpu)
		teardown_result("free", dmashim_free(b->ctx, aa->h));
	xa_destroy(&aa->xa);
	kvfree(aa->bounce);
	teardown_result("release", wait_released(b->ctx));
}

static void bench_access(struct bench *b)
{
	static const size_t sizes[] = { 64, SZ_4K, SZ_64K, SZ_1M };
	struct access_arg aa = {};
	struct figure f = { .arg = &aa };
	unsigned int i;
	int ret;

	ret = access_setup(b, &aa, 256);
	if (!ret) {
		f = (struct figure){ .name = "load32", .x = 1, .goal = "1.30",
				     .raw = raw_load32, .shim = shim_load32,
				     .limit = limit_load32, .arg = &aa };
		run_figure(b, &f);
		f = (struct figure){ .name = "scoped_access64", .x = 64,
				     .goal = "1.10", .raw = raw_access64,
				     .shim = shim_access64, .arg = &aa };
		run_figure(b, &f);
	}
	access_teardown(b, &aa);
	for (i = 0; !ret && i < ARRAY_SIZE(sizes); i++) {
		memset(&aa, 0, sizeof(aa));
		ret = access_setup(b, &aa, sizes[i]);
		/* Fewer rounds' worth of bytes at 1 MiB: seconds under TCG. */
		f = (struct figure){ .name = "read", .x = sizes[i],
				     .goal = sizes[i] >= SZ_4K ? "1.05" : "none",
				     .raw = raw_read, .shim = shim_read,
				     .arg = &aa,
				     .n = sizes[i] >= SZ_64K ? 50 : 0 };
		if (!ret)
			run_figure(b, &f);
		f.name = "write";
		f.raw = raw_write;
		f.shim = shim_write;
		if (!ret)
			run_figure(b, &f);
		access_teardown(b, &aa);
	}
	if (ret)
		pr_err("dmashim-bench: fig=access failed: %d\n", ret);
}

/* One thread of the scaling figure: @n sized loads, timed. */
struct load_thread {
	bench_loop_t loop;
	struct bench *b;
	struct access_arg *aa;
	unsigned int n;
	struct completion *go;
	struct completion done;
	u64 ns;
	int err;
};

static int load_thread_fn(void *data)
{
	struct load_thread *t = data;
	u64 start;

	wait_for_completion(t->go);
	start = ktime_get_ns();
	t->err = t->loop(t->b, t->aa, t->n);
	t->ns = ktime_get_ns() - start;
	complete(&t->done);
	return 0;
}

/* Per-operation picoseconds of @nr threads loading at once (the slowest). */
static u64 load_threads_round(struct bench *b, bench_loop_t loop,
			      struct access_arg *aa, unsigned int nr, int *err)
{
	struct load_thread t[2] = {};
	DECLARE_COMPLETION_ONSTACK(go);
	struct task_struct *task;
	unsigned int i;
	u64 slowest = 0;

	for (i = 0; i < nr; i++) {
		t[i] = (struct load_thread){ .loop = loop, .b = b, .aa = aa,
					     .go = &go, .n = iterations };
		init_completion(&t[i].done);
		task = kthread_run_on_cpu(load_thread_fn, &t[i], i,
					  "dmashim-bench/%u");
		if (IS_ERR(task)) {
			t[i].err = PTR_ERR(task);
			complete(&t[i].done);
		}
	}
	complete_all(&go);
	for (i = 0; i < nr; i++) {
		wait_for_completion(&t[i].done);
		*err = *err ?: t[i].err;
		slowest = max(slowest, t[i].ns);
	}
	return div_u64(slowest * 1000, iterations);
}

/* One thread's time per operation of @loop against two threads' at once. */
static void bench_threads_of(struct bench *b, struct access_arg *aa,
			     const char *name, bench_loop_t loop)
{
	u64 one[BENCH_MAX_ROUNDS], two[BENCH_MAX_ROUNDS];
	unsigned int r, nr = min(rounds, 15U);
	int err = 0;

	for (r = 0; r < nr && !err; r++) {
		one[r] = load_threads_round(b, loop, aa, 1, &err);
		if (!err)
			two[r] = load_threads_round(b, loop, aa, 2, &err);
	}
	if (err)
		pr_err("dmashim-bench: fig=%s x=2 failed: %d\n", name, err);
	else
		pr_info("dmashim-bench: fig=%s x=2 raw_ps=%llu shim_ps=%llu limit_ps=%llu goal=1.10 rounds=%u shim_dev_ps=%llu\n",
			name, median(one, nr), median(two, nr), median(one, nr),
			nr, deviation(two, nr));
}

/*
 * Accessor throughput, one thread against two on two CPUs: with lookups
 * that write nothing shared, two threads each take as long as one alone.
 * The same for the raw xa_load() + READ_ONCE() loop tells what the machine
 * itself scales.  Needs two CPUs (the icount guest has one: no figure).
 */
static void bench_threads(struct bench *b)
{
	struct access_arg aa = {};

	if (num_online_cpus() < 2)
		return;
	if (!access_setup(b, &aa, 256)) {
		bench_threads_of(b, &aa, "load32_threads", shim_load32);
		bench_threads_of(b, &aa, "raw_load32_threads", raw_load32);
	}
	access_teardown(b, &aa);
}

/* A sized load with @live other handles in the table, vs with one. */
static void bench_live_handles(struct bench *b, unsigned int live)
{
	struct access_arg aa = {};
	struct figure f = {
		.name = "load32_live", .x = live, .goal = "1.30",
		.raw = shim_load32, .shim = shim_load32, .arg = &aa,
	};
	dmashim_handle_t *kept, probe;
	dmashim_pool_t pool = 0;
	unsigned int i = 0;
	int ret;

	kept = kvcalloc(live, sizeof(*kept), GFP_KERNEL);
	ret = kept ? access_setup(b, &aa, 256) : -ENOMEM;
	/* raw: the load at one live handle (the others not yet there). */
	probe = aa.h;
	if (!ret) {
		u64 one[BENCH_MAX_ROUNDS];
		unsigned int r, nr = min(rounds, 15U);
		int err = 0;

		for (r = 0; r < nr && !err; r++)
			one[r] = time_round(b, shim_load32, &aa, iterations,
					    &err);
		ret = err ?: dmashim_pool_create(b->ctx, "live", 64, NULL,
						 &pool);
		for (; !ret && i < live; i++)
			ret = dmashim_pool_alloc(b->ctx, pool, 0, &kept[i]);
		if (!ret) {
			u64 many[BENCH_MAX_ROUNDS], dev;

			for (r = 0; r < nr && !err; r++)
				many[r] = time_round(b, shim_load32, &aa,
						     iterations, &err);
			ret = err;
			dev = deviation(many, nr);
			if (!ret)
				pr_info("dmashim-bench: fig=%s x=%u raw_ps=%llu shim_ps=%llu limit_ps=%llu goal=%s rounds=%u shim_dev_ps=%llu\n",
					f.name, live, median(one, nr),
					median(many, nr), median(one, nr),
					f.goal, nr, dev);
		}
	}
	if (ret)
		pr_err("dmashim-bench: fig=%s x=%u failed: %d\n", f.name, live,
		       ret);
	while (i--)
		teardown_result("free", dmashim_free(b->ctx, kept[i]));
	if (pool)
		teardown_result("pool", dmashim_pool_destroy(b->ctx, pool));
	aa.h = probe;
	access_teardown(b, &aa);
	kvfree(kept);
}

static void run_benchmarks(struct bench *b)
{
	static const size_t coherent[] = { SZ_4K, SZ_64K, SZ_2M };
	static const char *const coherent_goal[] = { "1.10", "1.02", "1.01" };
	static const unsigned int live[] = { 0, 1000, 10000, 100000 };
	unsigned int i;

	pr_info("dmashim-bench: %u iterations, %u rounds per figure\n",
		iterations, rounds);
	for (i = 0; i < ARRAY_SIZE(coherent); i++) {
		struct figure f = {
			.name = "coherent_alloc_free", .x = coherent[i],
			.goal = coherent_goal[i], .raw = raw_coherent,
			.shim = shim_coherent, .deferred = true,
			.arg = (void *)coherent[i],
			.n = coherent[i] >= SZ_2M ? 50 : 0,
		};

		run_figure(b, &f);
	}
	for (i = 0; i < ARRAY_SIZE(live); i++)
		bench_pool(b, live[i], "1.50");
	bench_map(b);
	bench_access(b);
	bench_live_handles(b, 1U << 20);
	bench_threads(b);
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
