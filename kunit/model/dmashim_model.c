// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim_model - model-based randomized test of dmashim, user-space half.
 *
 * Design
 * ======
 * The program drives /dev/dmashim_model (dmashim_model_dev.c), which runs
 * any function of include/dmashim.h on request and returns dmashim's result
 * untouched.  Here, a small reference model predicts what each call must
 * return and what the counters of struct dmashim_stats must read, from the
 * kernel-doc of include/dmashim.h and the semantics listed below; every
 * step is checked against it, and the first disagreement stops the case
 * with the seed, the step, the operation, the expected and the actual
 * result.  Runs are deterministic given the seed (-s), printed first.
 *
 * What the model knows: every context it created (plain or devm, revoked
 * or not), every buffer, block and pool with a shadow copy of its bytes,
 * every user mapping (made from this process through the device's own
 * mmap), every scatter table out, every streaming mapping (of the
 * device's own memory, by stream slot: its DMA segments are learned once
 * and must stay what they were) and the limits of each context.  Handles are raw 64-bit values; the
 * model never decodes them.  A global registry of every handle ever issued
 * classifies the values it presents: its own live buffers and pools, its
 * own dead handles (-EBADF), handles of other live contexts (-EXDEV), of
 * destroyed contexts (-EBADF or -EXDEV), and forged values (0, random,
 * bits flipped: -EBADF or -EXDEV unless they hit a live handle, which the
 * registry tells).  A handle value issued twice, by any context, fails.
 *
 * When several errors apply to one call (a NULL pointer and a bad handle,
 * say), the header gives no order: any of them is accepted, and counters
 * follow the errno actually returned (refused counts -EBADF and -EXDEV).
 * From the header (Core v2), besides each function's Return: line and the
 * errors every call shares:
 *   - live == allocs - frees, live_mappings == maps - unmaps at all times;
 *     frees counts every handle that stops being live (free, pool destroy,
 *     revocation), unmaps every mapping (unmap, revocation); the peaks are
 *     the highest values seen, the limits read back as set;
 *   - -EDQUOT when one more buffer, block or mapping would pass a limit,
 *     and nothing changes; lowering a limit below what is live is allowed;
 *   - mappings are refused by the CPU accessors (-EACCES) and by free
 *     (-EOPNOTSUPP), synced with their direction checked, one segment but
 *     for a mapped table, whose segments add up to its length;
 *   - put_sgtable of a table with another handle: -EINVAL, the table is
 *     left out and its buffer pinned;
 *   - a buffer with a scatter table out at revocation has ended (frees)
 *     and is pending release until its last put, which returns -ENODEV;
 *   - alloc_failures and map_failures count each function's own errors
 *     exactly; errors every call shares may count or not (read back).
 * Where the header is silent about mappings (info's cpu_addr, flags and
 * numa_node; dir, "BIDIRECTIONAL for the other kinds", or the mapping's),
 * the model learns the value from the first info and checks it stays.
 * Semantics encoded beyond the header (from the design of issue 11):
 *   - alloc_failures: +1 for every error of dmashim_alloc() and
 *     dmashim_alloc_noncoherent(), and for -ENOMEM/-ENOSPC of
 *     dmashim_pool_alloc(); other errors of pool_alloc, -EWOULDBLOCK and a
 *     NULL handle pointer may count or not (read back at once);
 *   - any power-of-two pool boundary >= the block size rounded up to the
 *     (at least 8-byte) alignment works, up to 2^63;
 *   - mappings may come through any open file and offset, several per
 *     buffer; revoking a context zaps its own mappings only (SIGBUS), and
 *     fork()ed children never see them, MADV_DOFORK or not;
 *   - a buffer with a scatter table out stays readable through the table
 *     across revocation until its put;
 *   - sleeping entry points called in atomic context without
 *     DMASHIM_ALLOC_NOWAIT return -EWOULDBLOCK and change nothing;
 *   - an allocation failing under fault injection returns -ENOMEM (or
 *     the errno of the failing step) and changes nothing else.
 *
 * Fault injection: fail_nth (/proc/thread-self/fail-nth, written right
 * before the call and read back after: 0 means it fired) and "pressure"
 * (/proc/thread-self/make-it-fail: every slab and page allocation of the
 * call fails, as armed by the guest init).
 *
 * Cases (one KTAP line each, through kselftest.h): a self-check that the
 * injection fires; a fail_nth sweep per allocating entry point (n = 1, 2...
 * until the call no longer consumes the injection; state checked after
 * each); the random sequence; the concurrent variant (2..4 threads with
 * their own contexts and models, shared pools, an unbind at a random
 * moment); pool boundaries from 2^12 to 2^63; and, when asked (-R), the
 * reuse of a context id after 65535 contexts.  -d SECONDS runs rounds of
 * the sequence and the concurrent variant until the time is up (soak).
 *
 * A watchdog reports a call that does not return within -H seconds (a
 * hung kernel) and, with -P, powers the guest off so the run ends now.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
#define __acquires(x)
#define __releases(x)
#include "../../include/dmashim.h"

#include "dmashim_model_dev.h"
#include "kselftest.h"

#define PAGE			4096ULL
#define PAGE_ALIGN_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define LANE			DMASHIM_MODEL_LANE_BYTES
/* Data ranges that succeed stay within the lane, with room for a canary. */
#define MAX_IO			(LANE - 64)
#define CANARY			0x5a
#define SYSFS_DRV		"/sys/bus/platform/drivers/" DMASHIM_MODEL_DEV_NAME
#define DEBUGFS_DIR		"/sys/kernel/debug/dmashim"

#define MAX_BUFS		160
#define MAX_POOLS		12
#define MAX_MAPS		12
#define BUDGET_BYTES		(24ULL << 20)
/* Context slots: 0 is the shared one of the concurrent variant. */
#define SEQ_CTX_LO		1
#define SEQ_CTX_HI		9
#define MAX_THREADS		4

/* ---- configuration ---------------------------------------------------- */

enum feature {
	FEAT_ATOMIC,		/* calls in atomic context */
	FEAT_MULTIMAP,		/* one buffer mapped through several offsets */
	FEAT_BIGBOUNDARY,	/* pool boundaries 2^32 and up */
	FEAT_PRESSURE,		/* make-it-fail for one call */
	FEAT_FAILNTH,		/* fail_nth at random in the sequence */
	FEAT_UNBIND,		/* unbind at a random point */
	FEAT_FORK,		/* fork()ed children and MADV_DOFORK */
	FEAT_SGT,		/* scatter tables */
	FEAT_MMAP,		/* user mappings */
	FEAT_LOCKED,		/* destroy under the driver lock */
	FEAT_COUNTERS,		/* check the counters */
	FEAT_REVOKE_PINNED,	/* revoke with tables out */
	FEAT_NULLARGS,		/* NULL context and pointers */
	FEAT_NR,
};

static const char *const feature_names[FEAT_NR] = {
	"atomic", "multimap", "bigboundary", "pressure", "failnth", "unbind",
	"fork", "sgt", "mmap", "locked", "counters", "revoke_pinned",
	"nullargs",
};

static struct {
	u64 seed;
	unsigned long steps;
	unsigned long soak_s;
	unsigned int hang_s;
	bool poweroff;
	bool id_reuse;
	const char *only;
	const char *skip;
	u32 features;
	u64 ram;
} cfg = {
	.steps = 3000,
	.hang_s = 60,
	.features = (1U << FEAT_NR) - 1,
};

static bool feat(enum feature f)
{
	return cfg.features & (1U << f);
}

/* ---- output ------------------------------------------------------------ */

static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static int kmsg_fd = -1;

static void msg(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&print_lock);
	ksft_print_msg("%s\n", line);
	pthread_mutex_unlock(&print_lock);
}

/* ---- random numbers: splitmix64 --------------------------------------- */

static u64 mix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct rng {
	u64 s;
};

static u64 rnd64(struct rng *g)
{
	g->s += 0x9e3779b97f4a7c15ULL;
	return mix64(g->s);
}

/* Uniform in [0, n), n > 0. */
static u64 rnd(struct rng *g, u64 n)
{
	return rnd64(g) % n;
}

static bool chance(struct rng *g, unsigned int percent)
{
	return rnd(g, 100) < percent;
}

/* ---- errno sets --------------------------------------------------------- */

static const int err_tab[] = {
	0, EINVAL, EBADF, EXDEV, ENODEV, ERANGE, EACCES, EOPNOTSUPP, EBUSY,
	ENOMEM, EOVERFLOW, E2BIG, ENOSPC, EWOULDBLOCK, ENXIO, ETIMEDOUT,
};

#define X(e)		(1U << err_idx(e))
#define XS_OK		1U
#define X_UNKNOWN	0x80000000U

static unsigned int err_idx(int e)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(err_tab); i++)
		if (err_tab[i] == e)
			return i;
	return 31;
}

static u32 xbit(int ret)
{
	return ret > 0 ? X_UNKNOWN : 1U << err_idx(-ret);
}

static const char *errname(int ret)
{
	static __thread char buf[32];
	const char *n;

	if (!ret)
		return "0";
	if (ret == -EWOULDBLOCK)
		return "-EWOULDBLOCK";
	n = ret < 0 ? strerrorname_np(-ret) : NULL;
	if (n)
		snprintf(buf, sizeof(buf), "-%s", n);
	else
		snprintf(buf, sizeof(buf), "%d", ret);
	return buf;
}

static const char *setname(u32 set)
{
	static __thread char buf[256];
	unsigned int i;
	size_t n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(err_tab); i++) {
		if (!(set & (1U << i)))
			continue;
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "|" : "",
			      errname(-err_tab[i]));
	}
	return buf;
}

/* ---- the model's state -------------------------------------------------- */

struct counters {
	u64 live, live_bytes, allocs, frees, refused, af, af_slack;
	/* Streaming mappings: live, made, ended, failed calls. */
	u64 lm, maps, unmaps, mf, mf_slack;
	u64 peak_bytes, peak_handles, peak_maps;
	/*
	 * The shared context of the concurrent case: its peaks are those of
	 * an interleaving no single view saw, so they are only bounded: at
	 * least the highest of one view (the *_lo), at most the sum of all.
	 */
	bool peaks_loose;
	u64 peak_bytes_lo, peak_handles_lo, peak_maps_lo;
};

struct mctx {
	bool exists;		/* the device slot holds it */
	bool devm;
	bool revoked;
	u32 uid;		/* unique per creation */
	struct counters cnt;
	/* Revoked buffers kept by a table out: count and bytes. */
	u64 rp, rp_bytes;
	/* Created under injection: its debugfs directory may be missing. */
	bool maybe_no_dir;
	/* The limits in force (sz as the library writes it back). */
	struct dmashim_limits lim;
};

struct mbuf {
	bool used;
	bool dead;		/* revoked, kept by a table out */
	u64 h;
	int ctx;
	u32 kind, flags, dir;
	u64 len, slen;		/* asked for; shadow (page-rounded if mappable) */
	u8 *shadow;
	int pool;		/* blocks: index in the pool array */
	u32 maps, exports;
	bool addr_known;
	u64 dma, cpu;
	/* First mapping's file and offset (for -x multimap). */
	int map_fd;
	u64 map_off;
	/* Streaming mappings: the device's stream slot and offset in it. */
	int sslot;
	u64 soff;
	u32 nseg;
	u64 seg_dma[DMASHIM_MODEL_STREAM_ENTRIES];
	u64 seg_len[DMASHIM_MODEL_STREAM_ENTRIES];
	/* Learned from the first info of a mapping: not in the header. */
	u32 info_flags, info_dir;
	s32 info_node;
};

struct mpool {
	bool used;
	u64 h;
	int ctx;
	u64 bs;
	u32 align;		/* effective: at least 8 */
	u64 boundary;
	unsigned int blocks;
};

struct mmap_rec {
	bool used;
	bool revoked;		/* its context was revoked: SIGBUS */
	u8 *addr;
	u64 len;
	int buf;
	int fd;
	u64 off;
};

struct msgt {
	bool out;
	int buf;
	int ctx;
	u64 h;
};

/* Contexts and scatter tables are indexed by device slot. */
static struct mctx mctx[DMASHIM_MODEL_CTX_SLOTS];
static struct msgt msgt[DMASHIM_MODEL_SGT_SLOTS];

struct runner {
	const char *casename;
	u64 seed;
	struct rng g;
	unsigned long step;
	char op[320];
	int tid;		/* 0: the main thread */
	unsigned int lane;
	int fnth_fd, mif_fd;
	int ctx_lo, ctx_hi;
	int map_lo, map_hi;	/* device map slots */
	int sgt_lo, sgt_hi;	/* device table slots */
	int stream_lo, stream_hi;	/* device streaming map slots */
	/* The mapping (buffer index) of each stream slot's table, or -1. */
	int sgt_map[DMASHIM_MODEL_STREAM_SLOTS];
	sigjmp_buf stop;
	bool failed;
	bool concurrent;
	/* Concurrent workers: their view of the shared context. */
	struct mctx shared_m;
	bool saw_unbind;
	struct mbuf buf[MAX_BUFS];
	struct mpool pool[MAX_POOLS];
	struct mmap_rec map[MAX_MAPS];
	u64 live_bytes;
	/* The last call consumed its injection; so did any since reset. */
	bool consumed;
	bool inj_consumed;
	/* Calls made, for the report. */
	unsigned long calls;
};

static int dev_fd = -1;
static int dev_fd2 = -1;
static bool bound = true;

/* Concurrent variant: shared pools (read-only while threads run). */
static struct mpool shared_pool[4];
static int n_shared_pools;
static int shared_ctx = -1;
/* 0: no unbind yet; 1: unbinding; 2: unbound. */
static int unbind_state;

/* ---- the handle registry ------------------------------------------------ */

struct hrec {
	u64 h;
	u32 uid;
	u8 is_pool;
	u8 tid;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hrec *reg;
static size_t reg_cap, reg_n;
static u8 *uid_dead;
static size_t uid_cap;
static u32 next_uid = 1;

static struct hrec *reg_slot(struct hrec *tab, size_t cap, u64 h)
{
	size_t i = mix64(h) & (cap - 1);

	while (tab[i].h && tab[i].h != h)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static void reg_grow(void)
{
	size_t cap = reg_cap ? reg_cap * 2 : 1 << 14, i;
	struct hrec *tab = calloc(cap, sizeof(*tab));

	if (!tab) {
		perror("calloc");
		exit(KSFT_FAIL);
	}
	for (i = 0; i < reg_cap; i++)
		if (reg[i].h)
			*reg_slot(tab, cap, reg[i].h) = reg[i];
	free(reg);
	reg = tab;
	reg_cap = cap;
}

/* Look @h up; returns false if never issued. */
static bool reg_find(u64 h, struct hrec *out)
{
	bool found = false;

	pthread_mutex_lock(&reg_lock);
	if (reg_cap && h) {
		struct hrec *e = reg_slot(reg, reg_cap, h);

		found = e->h == h;
		if (found)
			*out = *e;
	}
	pthread_mutex_unlock(&reg_lock);
	return found;
}

static bool uid_is_dead(u32 uid)
{
	bool dead;

	pthread_mutex_lock(&reg_lock);
	dead = uid < uid_cap && uid_dead[uid];
	pthread_mutex_unlock(&reg_lock);
	return dead;
}

static u32 uid_new(void)
{
	u32 uid;

	pthread_mutex_lock(&reg_lock);
	uid = next_uid++;
	if (uid >= uid_cap) {
		size_t cap = uid_cap ? uid_cap * 2 : 1024;

		uid_dead = realloc(uid_dead, cap);
		if (!uid_dead) {
			perror("realloc");
			exit(KSFT_FAIL);
		}
		memset(uid_dead + uid_cap, 0, cap - uid_cap);
		uid_cap = cap;
	}
	pthread_mutex_unlock(&reg_lock);
	return uid;
}

static void uid_kill(u32 uid)
{
	pthread_mutex_lock(&reg_lock);
	uid_dead[uid] = 1;
	pthread_mutex_unlock(&reg_lock);
}

/* ---- failure reporting -------------------------------------------------- */

static void stop_case(struct runner *r, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	msg("FAIL seed=%llu case=%s thread=%d step=%lu op=%s: %s",
	    cfg.seed, r->casename, r->tid, r->step, r->op, what);
	r->failed = true;
	siglongjmp(r->stop, 1);
}

static bool racing_unbind(struct runner *r);

static void expect_ret(struct runner *r, u32 set, int ret)
{
	char want[256];

	if (!set)
		set = XS_OK;
	if (racing_unbind(r))
		set |= X(ENODEV);
	if (!(xbit(ret) & set)) {
		/* setname() reuses errname()'s buffer: one at a time. */
		snprintf(want, sizeof(want), "%s", setname(set));
		stop_case(r, "expected %s, got %s", want, errname(ret));
	}
}

/* Register a new handle; a value issued before is a reissue. */
static void reg_add(struct runner *r, u64 h, int c, bool is_pool)
{
	struct hrec *e, old = { 0 };
	bool dup;

	if (!h)
		stop_case(r, "a new handle is 0");
	pthread_mutex_lock(&reg_lock);
	if (reg_n * 2 >= reg_cap)
		reg_grow();
	e = reg_slot(reg, reg_cap, h);
	dup = e->h == h;
	if (dup) {
		old = *e;
	} else {
		e->h = h;
		e->uid = mctx[c].uid;
		e->is_pool = is_pool;
		e->tid = r->tid;
		reg_n++;
	}
	pthread_mutex_unlock(&reg_lock);
	if (dup)
		stop_case(r, "handle 0x%llx issued twice: first by context #%u (%s) as a %s",
			  h, old.uid, uid_is_dead(old.uid) ? "destroyed" : "live",
			  old.is_pool ? "pool" : "buffer");
}

/* ---- the watchdog -------------------------------------------------------- */

struct inflight {
	int active;
	struct timespec start;
	struct runner *r;
};

static struct inflight inflight[MAX_THREADS + 2];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void call_begin(struct runner *r)
{
	struct inflight *f = &inflight[r->tid];

	clock_gettime(CLOCK_MONOTONIC, &f->start);
	f->r = r;
	__atomic_store_n(&f->active, 1, __ATOMIC_RELEASE);
}

static void call_end(struct runner *r)
{
	__atomic_store_n(&inflight[r->tid].active, 0, __ATOMIC_RELEASE);
	r->calls++;
}

/*
 * After a hang nothing else can be tested: end the run now rather than
 * at the runner's timeout.  The power-off runs on this CPU, not on the
 * one stuck in the kernel, which would never let it migrate there.
 */
static void power_off(void)
{
	int fd = open("/sys/kernel/reboot/cpu", O_WRONLY);

	if (kmsg_fd >= 0)
		dprintf(kmsg_fd, "dmashim_model: a hung call: powering off\n");
	if (fd >= 0) {
		dprintf(fd, "%d", sched_getcpu());
		close(fd);
	}
	sleep(2);
	reboot(RB_POWER_OFF);
}

static void *watchdog(void *unused)
{
	unsigned int i;
	char line[900];

	(void)unused;
	for (;;) {
		sleep(1);
		for (i = 0; i < ARRAY_SIZE(inflight); i++) {
			struct inflight *f = &inflight[i];
			struct runner *r = f->r;
			struct timespec ts;

			if (!__atomic_load_n(&f->active, __ATOMIC_ACQUIRE))
				continue;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			if (ts.tv_sec - f->start.tv_sec < (time_t)cfg.hang_s)
				continue;
			snprintf(line, sizeof(line),
				 "FAIL seed=%llu case=%s thread=%d step=%lu op=%s: expected the call to return, still inside after %u s (hang)",
				 cfg.seed, r->casename, r->tid, r->step, r->op,
				 cfg.hang_s);
			msg("%s", line);
			printf("not ok %u %s\n", ksft_test_num() + 1,
			       r->casename);
			fflush(stdout);
			if (kmsg_fd >= 0)
				dprintf(kmsg_fd, "dmashim_model: %s\n", line);
			if (cfg.poweroff)
				power_off();
			pause();
		}
	}
	return NULL;
}

/* ---- device calls and fault injection ---------------------------------- */

static void write_num(int fd, unsigned long v)
{
	char s[24];
	int n = snprintf(s, sizeof(s), "%lu", v);

	if (pwrite(fd, s, n, 0) != n) {
		perror("write fail-nth/make-it-fail");
		exit(KSFT_FAIL);
	}
}

static unsigned long read_num(int fd)
{
	char s[24] = { 0 };

	if (pread(fd, s, sizeof(s) - 1, 0) < 0) {
		perror("read fail-nth");
		exit(KSFT_FAIL);
	}
	return strtoul(s, NULL, 10);
}

/* Injection of one call: 0 none, n > 0 fail_nth, INJ_PRESSURE. */
#define INJ_PRESSURE	(-1)

/* See DMASHIM_MODEL_OP_PRELOAD in dmashim_model_dev.c. */
static void radix_reserve(struct runner *r)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_PRELOAD, .lane = r->lane,
	};

	if (ioctl(dev_fd, DMASHIM_MODEL_CALL, &k) || k.ret)
		stop_case(r, "could not fill the radix tree reserve");
}

static void inject_begin(struct runner *r, int inject)
{
	if (inject)
		radix_reserve(r);
	if (inject > 0)
		write_num(r->fnth_fd, inject);
	else if (inject == INJ_PRESSURE)
		write_num(r->mif_fd, 1);
}

static void inject_end(struct runner *r, int inject)
{
	unsigned long left;

	r->consumed = false;
	if (inject > 0) {
		left = read_num(r->fnth_fd);
		r->consumed = !left;
		if (left)
			write_num(r->fnth_fd, 0);
	} else if (inject == INJ_PRESSURE) {
		write_num(r->mif_fd, 0);
		r->consumed = true;
	}
	r->inj_consumed |= r->consumed;
}

/*
 * One ioctl; the device's own errors fail the case unless @dev_err_ok.
 * Returns the ioctl's errno (0 when the call was made).
 */
static int dev_call_ex(struct runner *r, struct dmashim_model_call *c,
		       int inject, bool dev_err_ok)
{
	int ret, err = 0;

	c->lane = r->lane;
	call_begin(r);
	inject_begin(r, inject);
	ret = ioctl(dev_fd, DMASHIM_MODEL_CALL, c);
	if (ret)
		err = errno;
	inject_end(r, inject);
	call_end(r);
	if (err && !dev_err_ok)
		stop_case(r, "the test device refused the call: %s",
			  strerrorname_np(err));
	return err;
}

static void dev_call(struct runner *r, struct dmashim_model_call *c,
		     int inject)
{
	dev_call_ex(r, c, inject, false);
}

/* ---- small helpers -------------------------------------------------------- */

/* The model of context @c as runner @r sees it. */
static struct mctx *mc(struct runner *r, int c)
{
	if (r->concurrent && c == shared_ctx)
		return &r->shared_m;
	return &mctx[c];
}

static struct counters *cnt_of(struct runner *r, int c)
{
	return &mc(r, c)->cnt;
}

/* A worker racing the unbind: calls may or may not see it yet. */
static bool racing_unbind(struct runner *r)
{
	return r->concurrent && __atomic_load_n(&unbind_state, __ATOMIC_ACQUIRE) &&
	       !r->saw_unbind;
}

/* A streaming mapping (dmashim_map_*()), not a buffer. */
static bool is_map(const struct mbuf *b)
{
	return b->kind >= DMASHIM_KIND_MAP_SINGLE;
}

/* What dmashim_mmap() and dmashim_get_sgtable() take. */
static bool mappable(const struct mbuf *b)
{
	return b->kind == DMASHIM_KIND_COHERENT ||
	       b->kind == DMASHIM_KIND_NONCOHERENT;
}

/* What the CPU accessors take (mappings: -EACCES, "Streaming mappings"). */
static bool cpu_mapped(const struct mbuf *b)
{
	if (is_map(b))
		return false;
	return !(b->flags & DMASHIM_ALLOC_NO_KERNEL_MAPPING) ||
	       b->kind != DMASHIM_KIND_COHERENT;
}

static void count_refused(struct runner *r, int c, u32 cflags, int ret)
{
	if (!(cflags & DMASHIM_MODEL_F_NULL_CTX) &&
	    (ret == -EBADF || ret == -EXDEV))
		cnt_of(r, c)->refused++;
}

/* Errors of a call through context slot @c with these flags. */
static u32 ctx_errs(struct runner *r, int c, u32 cflags)
{
	if (cflags & DMASHIM_MODEL_F_NULL_CTX)
		return X(EINVAL);
	if (mc(r, c)->revoked)
		return X(ENODEV);
	return 0;
}

/* -EDQUOT if one more buffer of @len bytes would pass a limit of @c. */
static u32 quota_errs(struct runner *r, int c, u32 cflags, u64 len)
{
	const struct dmashim_limits *l = &mc(r, c)->lim;
	const struct counters *m = cnt_of(r, c);

	if (cflags & DMASHIM_MODEL_F_NULL_CTX || mc(r, c)->revoked)
		return 0;
	if ((l->max_handles && m->live + 1 > l->max_handles) ||
	    (l->max_bytes && (len > l->max_bytes ||
			      m->live_bytes > l->max_bytes - len)))
		return X(EDQUOT);
	return 0;
}

/*
 * Classify @h presented to context @c.  Returns 0 and the index of the
 * runner's live buffer (or pool, @want_pool) in *idx, or the errors that
 * apply to a handle that is not one.
 */
static u32 handle_errs(struct runner *r, int c, u64 h, bool want_pool,
		       int *idx)
{
	struct hrec e;
	int i;

	*idx = -1;
	if (want_pool) {
		for (i = 0; i < MAX_POOLS; i++)
			if (r->pool[i].used && r->pool[i].h == h &&
			    r->pool[i].ctx == c) {
				*idx = i;
				return 0;
			}
		for (i = 0; i < n_shared_pools && r->concurrent; i++)
			if (shared_pool[i].h == h && c == shared_ctx) {
				*idx = MAX_POOLS + i;
				return 0;
			}
	} else {
		for (i = 0; i < MAX_BUFS; i++)
			if (r->buf[i].used && !r->buf[i].dead &&
			    r->buf[i].h == h && r->buf[i].ctx == c) {
				*idx = i;
				return 0;
			}
	}
	if (!h)
		return X(EBADF);
	if (!reg_find(h, &e))
		return X(EBADF) | X(EXDEV);
	if (e.uid == mc(r, c)->uid)
		return X(EBADF);
	if (r->concurrent || uid_is_dead(e.uid))
		return X(EBADF) | X(EXDEV);
	return X(EXDEV);
}

static const struct mpool *pool_at(struct runner *r, int idx)
{
	return idx >= MAX_POOLS ? &shared_pool[idx - MAX_POOLS] : &r->pool[idx];
}

static bool range_ok(u64 blen, u64 off, u64 len)
{
	return off <= blen && len <= blen - off;
}

/* ---- choosing arguments ---------------------------------------------------- */

static int pick_ctx(struct runner *r, bool live_only)
{
	int cand[DMASHIM_MODEL_CTX_SLOTS], n = 0, i;

	for (i = r->ctx_lo; i < r->ctx_hi; i++)
		if (mctx[i].exists && (!live_only || !mctx[i].revoked))
			cand[n++] = i;
	if (!n)
		return -1;
	/* Mostly live contexts. */
	for (i = 0; i < 3; i++) {
		int c = cand[rnd(&r->g, n)];

		if (!mctx[c].revoked)
			return c;
	}
	return cand[rnd(&r->g, n)];
}

static int pick_buf(struct runner *r, int c, bool any_ctx)
{
	int cand[MAX_BUFS], n = 0, i;

	for (i = 0; i < MAX_BUFS; i++)
		if (r->buf[i].used && !r->buf[i].dead &&
		    (any_ctx || r->buf[i].ctx == c))
			cand[n++] = i;
	return n ? cand[rnd(&r->g, n)] : -1;
}

static int free_buf_slot(struct runner *r)
{
	int i;

	for (i = 0; i < MAX_BUFS; i++)
		if (!r->buf[i].used)
			return i;
	return -1;
}

/*
 * A handle value to present to context @c: mostly one of its live
 * buffers (or pools), else something the model can classify.
 */
static u64 pick_handle(struct runner *r, int c, bool want_pool)
{
	struct hrec e;
	int i;
	u64 h;

	if (want_pool) {
		if (!chance(&r->g, 15)) {
			int cand[MAX_POOLS + 4], n = 0;

			for (i = 0; i < MAX_POOLS; i++)
				if (r->pool[i].used && r->pool[i].ctx == c)
					cand[n++] = i;
			for (i = 0; r->concurrent && c == shared_ctx &&
			     i < n_shared_pools; i++)
				cand[n++] = MAX_POOLS + i;
			if (n)
				return pool_at(r, cand[rnd(&r->g, n)])->h;
		}
	} else if (!chance(&r->g, 15)) {
		i = pick_buf(r, c, false);
		if (i >= 0)
			return r->buf[i].h;
	}
	for (;;) {
		unsigned int kind = rnd(&r->g, 7);

		/*
		 * In the shared context another thread's block may sit next to
		 * ours, or be issued while we look: no flipped bits there.
		 */
		if (r->concurrent && c == shared_ctx && kind >= 2)
			kind = rnd(&r->g, 2);
		switch (kind) {
		case 0:
			h = 0;
			break;
		case 1:
			h = rnd64(&r->g);
			break;
		case 2:		/* a live handle of another context */
		case 3:		/* or of this one, bits flipped */
			i = pick_buf(r, c, true);
			if (i < 0)
				continue;
			h = r->buf[i].h;
			if (rnd(&r->g, 4) == 3)
				h ^= 1ULL << rnd(&r->g, 64);
			break;
		case 4:		/* a pool where a buffer goes, or back */
			for (i = 0; i < MAX_POOLS && !r->pool[i].used; i++)
				;
			if (i == MAX_POOLS)
				continue;
			h = want_pool ? r->pool[i].h ^ 1 : r->pool[i].h;
			break;
		default:	/* anything ever issued */
			pthread_mutex_lock(&reg_lock);
			h = 0;
			if (reg_cap) {
				size_t k = rnd(&r->g, reg_cap), j;

				for (j = 0; j < reg_cap && !h; j++)
					h = reg[(k + j) & (reg_cap - 1)].h;
			}
			pthread_mutex_unlock(&reg_lock);
			break;
		}
		/* Another thread's live handle in the shared context. */
		if (r->concurrent && shared_ctx >= 0 && reg_find(h, &e) &&
		    e.tid != r->tid &&
		    mctx[shared_ctx].uid == e.uid)
			continue;
		return h;
	}
}

/* Lengths: around pages and powers of two, and ones refused quickly. */
static u64 pick_len(struct runner *r, bool allow_big)
{
	static const u64 edges[] = {
		1, 2, 7, 8, 63, 64, 65, 100, 511, 512, 4095, 4096, 4097,
		8191, 8192, 8193, 3 * 4096 + 100, 16384, 65535, 65536, 65537,
	};
	static const u64 huge[] = {
		0, 1ULL << 31, (1ULL << 31) + 1, (1ULL << 32) - 1, 1ULL << 32,
		(1ULL << 32) + 1, 1ULL << 33, 1ULL << 40, 1ULL << 63,
		~0ULL - 8191, ~0ULL - 4095, ~0ULL - 4094, ~0ULL,
	};
	u64 len;

	switch (rnd(&r->g, 20)) {
	case 0:
		len = huge[rnd(&r->g, ARRAY_SIZE(huge))];
		if (len && len <= cfg.ram)
			len = 1;
		return len;
	case 1:
		if (allow_big)
			return (64ULL << 10) * (1 + rnd(&r->g, 16));
		return 1 + rnd(&r->g, 64);
	case 2 ... 8:
		return edges[rnd(&r->g, ARRAY_SIZE(edges))];
	default:
		return 1 + rnd(&r->g, 3 * PAGE);
	}
}

/* A random range of a buffer of @blen bytes: mostly valid, else edges. */
static void pick_range(struct runner *r, u64 blen, u64 maxlen, u64 *off,
		       u64 *len)
{
	u64 lim = blen < maxlen ? blen : maxlen;

	switch (rnd(&r->g, 12)) {
	case 0:
		*off = blen;
		*len = rnd(&r->g, 2);
		return;
	case 1:
		*off = 0;
		*len = blen + 1;
		return;
	case 2:
		*off = ~0ULL - rnd(&r->g, 8);
		*len = 1 + rnd(&r->g, 16);
		return;
	case 3:
		*off = 1 + rnd(&r->g, 8);
		*len = ~0ULL - rnd(&r->g, 8);
		return;
	case 4:
		*off = rnd(&r->g, blen + 1);
		*len = 0;
		return;
	case 5:
		*len = 1 + rnd(&r->g, lim);
		*off = blen - *len;
		return;
	default:
		*len = 1 + rnd(&r->g, lim < 256 ? lim : 256 + rnd(&r->g, lim));
		if (*len > lim)
			*len = lim;
		*off = rnd(&r->g, blen - *len + 1);
		return;
	}
}

static int pick_inject(struct runner *r)
{
	if (feat(FEAT_FAILNTH) && chance(&r->g, 8))
		return 1 + rnd(&r->g, 12);
	if (feat(FEAT_PRESSURE) && chance(&r->g, 2))
		return INJ_PRESSURE;
	return 0;
}

static u32 pick_cflags(struct runner *r, bool atomic_ok)
{
	u32 f = 0;

	if (atomic_ok && feat(FEAT_ATOMIC) && chance(&r->g, 8))
		f |= DMASHIM_MODEL_F_ATOMIC;
	if (feat(FEAT_NULLARGS) && chance(&r->g, 2))
		f |= DMASHIM_MODEL_F_NULL_CTX;
	if (feat(FEAT_NULLARGS) && chance(&r->g, 2))
		f |= DMASHIM_MODEL_F_NULL_PTR;
	return f;
}

static void fill_random(struct runner *r, u8 *p, size_t n)
{
	size_t i;
	u64 v = 0;

	for (i = 0; i < n; i++) {
		if (!(i & 7))
			v = rnd64(&r->g);
		p[i] = v >> ((i & 7) * 8);
	}
}

/* ---- counters ------------------------------------------------------------ */

static void stats_call(struct runner *r, int c, struct dmashim_stats *st)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_STATS, .ctx = c,
		.ubuf = (uintptr_t)st, .ubuf_len = sizeof(*st),
	};

	memset(st, 0, sizeof(*st));
	st->sz = sizeof(*st);
	dev_call(r, &k, 0);
	if (k.ret)
		stop_case(r, "ctx_stats: expected 0, got %s", errname(k.ret));
}

/* Counters for a message; @pending ~0: not checked. */
static const char *counters_str(u64 live, u64 kept, u64 bytes, u64 allocs,
				u64 frees, u64 af_lo, u64 af_hi, u64 refused,
				u64 pending)
{
	static __thread char buf[2][320];
	static __thread int i;
	char *p = buf[i++ & 1];
	int n;

	n = snprintf(p, 320, "live %llu", live);
	if (kept)
		n += snprintf(p + n, 320 - n, " (+%llu kept by tables)", kept);
	n += snprintf(p + n, 320 - n, " live_bytes %llu allocs %llu frees %llu",
		      bytes, allocs, frees);
	n += snprintf(p + n, 320 - n, " alloc_failures %llu", af_lo);
	if (af_hi != af_lo)
		n += snprintf(p + n, 320 - n, "..%llu", af_hi);
	n += snprintf(p + n, 320 - n, " refused %llu", refused);
	if (pending != ~0ULL)
		snprintf(p + n, 320 - n, " pending_release %llu", pending);
	return p;
}

/* The counters of streaming mappings, the limits and the peaks. */
static void check_map_counters(struct runner *r, int c,
			       const struct dmashim_stats *st)
{
	struct counters *m = cnt_of(r, c);
	struct dmashim_limits want = mc(r, c)->lim;

	want.sz = sizeof(want);
	if (st->live_mappings != st->maps - st->unmaps)
		stop_case(r, "live_mappings != maps - unmaps: %llu, %llu, %llu",
			  st->live_mappings, st->maps, st->unmaps);
	/* Live mappings, maps, unmaps, map failures. */
	if (st->live_mappings != m->lm || st->maps != m->maps ||
	    st->unmaps != m->unmaps || st->map_failures < m->mf ||
	    st->map_failures > m->mf + m->mf_slack)
		stop_case(r, "mapping counters: %llu %llu %llu %llu..%llu, got %llu %llu %llu %llu",
			  m->lm, m->maps, m->unmaps, m->mf, m->mf + m->mf_slack,
			  st->live_mappings, st->maps, st->unmaps,
			  st->map_failures);
	/* sz, reserved, max_bytes, max_handles, max_mappings. */
	if (memcmp(&st->limits, &want, sizeof(want)))
		stop_case(r, "limits: %u 0 %llu %llu %llu, got %u %u %llu %llu %llu",
			  want.sz, want.max_bytes, want.max_handles,
			  want.max_mappings, st->limits.sz, st->limits.reserved,
			  st->limits.max_bytes, st->limits.max_handles,
			  st->limits.max_mappings);
	if (m->peaks_loose ?
	    st->peak_bytes < m->peak_bytes_lo ||
	    st->peak_bytes > m->peak_bytes ||
	    st->peak_handles < m->peak_handles_lo ||
	    st->peak_handles > m->peak_handles ||
	    st->peak_mappings < m->peak_maps_lo ||
	    st->peak_mappings > m->peak_maps :
	    st->peak_bytes != m->peak_bytes ||
	    st->peak_handles != m->peak_handles ||
	    st->peak_mappings != m->peak_maps)
		stop_case(r, "peaks bytes/handles/mappings: %llu %llu %llu, got %llu %llu %llu",
			  m->peak_bytes, m->peak_handles, m->peak_maps,
			  st->peak_bytes, st->peak_handles, st->peak_mappings);
	m->mf = st->map_failures;
	m->mf_slack = 0;
}

/*
 * Compare a context's counters with the model.  A buffer revoked with a
 * table out has ended (frees) and is pending release until its last put.
 */
static void check_counters(struct runner *r, int c, bool quiesced)
{
	struct counters *m = cnt_of(r, c);
	u64 rp = mc(r, c)->rp, rpb = mc(r, c)->rp_bytes;
	struct dmashim_stats st;
	bool kept, freed;

	if (!feat(FEAT_COUNTERS) || racing_unbind(r) ||
	    (r->concurrent && c == shared_ctx))
		return;
	snprintf(r->op, sizeof(r->op), "ctx_stats(ctx=%d%s)", c,
		 quiesced ? ", quiesced" : "");
	stats_call(r, c, &st);
	if (st.live != st.allocs - st.frees)
		stop_case(r, "live != allocs - frees: live %llu allocs %llu frees %llu",
			  st.live, st.allocs, st.frees);
	kept = st.live == m->live + rp && st.live_bytes == m->live_bytes + rpb &&
	       st.frees == m->frees - rp &&
	       (!quiesced || st.pending_release == 0);
	freed = st.live == m->live && st.live_bytes == m->live_bytes &&
		st.frees == m->frees && (!quiesced || st.pending_release == rp);
	/*
	 * The header: a handle revoked with a table out has ended (frees)
	 * and its memory waits (pending_release) until the last put.
	 */
	(void)kept;
	if (!freed || st.allocs != m->allocs ||
	    st.refused != m->refused || st.reserved ||
	    st.alloc_failures < m->af ||
	    st.alloc_failures > m->af + m->af_slack)
		stop_case(r, "counters: expected %s, got %s",
			  counters_str(m->live, rp, m->live_bytes, m->allocs,
				       m->frees, m->af, m->af + m->af_slack,
				       m->refused, quiesced ? 0 : ~0ULL),
			  counters_str(st.live, 0, st.live_bytes, st.allocs,
				       st.frees, st.alloc_failures,
				       st.alloc_failures, st.refused,
				       st.pending_release));
	m->af = st.alloc_failures;
	m->af_slack = 0;
	check_map_counters(r, c, &st);
}

/*
 * Buffers of @c whose memory a revocation racing us may keep for their
 * tables out: pending until the last put, as the revocation's own rp.
 */
static u64 held_by_racing_unbind(struct runner *r, int c)
{
	u64 n = 0;
	int i;

	if (!racing_unbind(r))
		return 0;
	for (i = 0; i < MAX_BUFS; i++)
		if (r->buf[i].used && !r->buf[i].dead && r->buf[i].ctx == c &&
		    !is_map(&r->buf[i]) && r->buf[i].exports)
			n++;
	return n;
}

/* Wait for releases in flight, then check the counters exactly. */
static void do_quiesce(struct runner *r, int c)
{
	u64 expected = mc(r, c)->rp + held_by_racing_unbind(r, c);
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_QUIESCE, .ctx = c, .value = expected,
	};

	snprintf(r->op, sizeof(r->op), "quiesce(ctx=%d)", c);
	dev_call(r, &k, 0);
	/* The unbind came while we waited: its model is applied when seen. */
	if (k.ret == -ENODEV && r->concurrent && !r->saw_unbind)
		return;
	if (k.ret && feat(FEAT_COUNTERS))
		stop_case(r, "pending_release still %llu after %u ms (expected %llu)",
			  k.out, k.width, expected);
	if (k.width > 1000)
		ksft_print_msg("quiesce(ctx=%d) waited %u ms for %llu releases (thread %d)\n",
			       c, k.width, k.out, r->tid);
	check_counters(r, c, true);
}

/* An allocation error of an entry point that may or may not count it. */
static void af_count(struct runner *r, int c, u32 cflags, bool exact)
{
	if (cflags & DMASHIM_MODEL_F_NULL_CTX)
		return;
	if (exact)
		cnt_of(r, c)->af++;
	else
		cnt_of(r, c)->af_slack++;
}

static void af_resolve(struct runner *r, int c)
{
	if (!r->concurrent && cnt_of(r, c)->af_slack)
		check_counters(r, c, false);
}

/* ---- buffers in the model ------------------------------------------------ */

static void buf_forget(struct runner *r, int i)
{
	free(r->buf[i].shadow);
	if (is_map(&r->buf[i]) && r->buf[i].kind == DMASHIM_KIND_MAP_SGTABLE)
		r->sgt_map[r->buf[i].sslot] = -1;
	if (!r->buf[i].dead && !is_map(&r->buf[i]))
		r->live_bytes -= r->buf[i].len;
	memset(&r->buf[i], 0, sizeof(r->buf[i]));
}

/* The handle of buffer @i stopped being live (free, pool destroy). */
static void buf_dies(struct runner *r, int i)
{
	struct mbuf *b = &r->buf[i];
	struct counters *m = cnt_of(r, b->ctx);

	if (is_map(b)) {
		m->lm--;
		m->unmaps++;
		buf_forget(r, i);
		return;
	}
	m->live--;
	m->live_bytes -= b->len;
	m->frees++;
	if (b->kind == DMASHIM_KIND_POOL_BLOCK && b->pool < MAX_POOLS)
		r->pool[b->pool].blocks--;
	buf_forget(r, i);
}

static int buf_new(struct runner *r, int c, u64 h, u32 kind, u32 flags,
		   u32 dir, u64 len, int pool)
{
	int i = free_buf_slot(r);
	struct mbuf *b;
	struct counters *m = cnt_of(r, c);

	if (i < 0)
		stop_case(r, "model: out of buffer slots");
	b = &r->buf[i];
	memset(b, 0, sizeof(*b));
	b->used = true;
	b->h = h;
	b->ctx = c;
	b->kind = kind;
	b->flags = flags;
	b->dir = dir;
	b->len = len;
	b->slen = kind == DMASHIM_KIND_POOL_BLOCK ? len : PAGE_ALIGN_UP(len);
	b->pool = pool;
	b->map_fd = -1;
	b->sslot = -1;
	if (is_map(b))
		b->slen = len;
	b->shadow = calloc(1, b->slen);
	if (!b->shadow)
		stop_case(r, "model: out of memory");
	if (is_map(b)) {
		m->lm++;
		m->maps++;
		if (m->lm > m->peak_maps)
			m->peak_maps = m->lm;
		reg_add(r, h, c, false);
		return i;
	}
	r->live_bytes += len;
	m->live++;
	m->live_bytes += len;
	m->allocs++;
	if (m->live > m->peak_handles)
		m->peak_handles = m->live;
	if (m->live_bytes > m->peak_bytes)
		m->peak_bytes = m->live_bytes;
	reg_add(r, h, c, false);
	return i;
}

/* Context @c is revoked: apply it to everything the runner holds there. */
static void revoke_model(struct runner *r, int c)
{
	struct counters *m = cnt_of(r, c);
	bool own = !(r->concurrent && c == shared_ctx);
	int i;

	for (i = 0; i < MAX_MAPS; i++) {
		struct mmap_rec *mm = &r->map[i];

		if (mm->used && !mm->revoked && mm->buf >= 0 &&
		    r->buf[mm->buf].ctx == c) {
			mm->revoked = true;
			mm->buf = -1;
		}
	}
	for (i = 0; i < MAX_BUFS; i++) {
		struct mbuf *b = &r->buf[i];

		if (!b->used || b->ctx != c || b->dead)
			continue;
		if (is_map(b)) {	/* revocation unmaps, once */
			buf_dies(r, i);
			continue;
		}
		m->live--;
		m->live_bytes -= b->len;
		m->frees++;
		if (b->exports) {
			b->dead = true;
			b->maps = 0;
			r->live_bytes -= b->len;
			mc(r, c)->rp++;
			mc(r, c)->rp_bytes += b->len;
		} else {
			buf_forget(r, i);
		}
	}
	for (i = 0; i < MAX_POOLS; i++)
		if (r->pool[i].used && r->pool[i].ctx == c)
			memset(&r->pool[i], 0, sizeof(r->pool[i]));
	mc(r, c)->revoked = true;
	if (own)
		uid_kill(mctx[c].uid);
}

/* ---- size-first option structures ---------------------------------------- */

struct opts_img {
	u8 b[PAGE + 64];
	u32 n;			/* bytes sent */
	bool null;
};

/* A size-first image of @known bytes at @fields, sometimes malformed. */
static void opts_build(struct runner *r, struct opts_img *o, const void *fields,
		       u32 known)
{
	static const u32 odd_sz[] = { 0, 1, 3, 4, 8, 12, 20, 24, 64,
				      PAGE, PAGE + 1, 1U << 20 };
	u32 sz = known;

	memset(o, 0, sizeof(*o));
	if (chance(&r->g, 3)) {
		o->null = true;
		return;
	}
	if (chance(&r->g, 12))
		sz = odd_sz[rnd(&r->g, ARRAY_SIZE(odd_sz))];
	memcpy(o->b, fields, known);
	memcpy(o->b, &sz, sizeof(sz));
	o->n = sz < known ? known : sz > PAGE + 1 ? known : sz;
	/* Past the known fields: zero, or a stray byte. */
	if (sz > known && chance(&r->g, 30))
		o->b[known + rnd(&r->g, sz - known < 64 ? sz - known : 64)] = 1;
}

/* What the library reads from @o: false if malformed. */
static bool opts_parse(const struct opts_img *o, void *out, u32 known)
{
	u32 sz, i;

	memset(out, 0, known);
	if (o->null)
		return true;
	memcpy(&sz, o->b, sizeof(sz));
	if (sz < 4 || sz > PAGE)
		return false;
	for (i = known; i < sz; i++)
		if (o->b[i])
			return false;
	memcpy(out, o->b, sz < known ? sz : known);
	return true;
}

static void opts_to_call(struct opts_img *o, struct dmashim_model_call *k)
{
	if (o->null) {
		k->flags |= DMASHIM_MODEL_F_NULL_OPTS;
		return;
	}
	k->ubuf = (uintptr_t)o->b;
	k->ubuf_len = o->n;
}

/* ---- contexts -------------------------------------------------------------- */

static void ctx_slot_reset(int c)
{
	memset(&mctx[c], 0, sizeof(mctx[c]));
}

/*
 * dmashim_ctx_create() or devm_dmashim_ctx_create() into slot @c, or with
 * @lim the _opts() one with those limits.
 */
static bool do_ctx_create_lim(struct runner *r, int c, bool devm, u32 cflags,
			      int inject, struct opts_img *lim)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_CTX_CREATE, .ctx = c,
		.flags = cflags | (devm ? DMASHIM_MODEL_F_DEVM : 0),
	};
	struct dmashim_limits l = { 0 };
	u32 e = 0;

	if (lim) {
		k.flags |= DMASHIM_MODEL_F_OPTS;
		opts_to_call(lim, &k);
		if (!opts_parse(lim, &l, sizeof(l)) || l.reserved)
			e |= X(EINVAL);
	}
	snprintf(r->op, sizeof(r->op),
		 "%sctx_create%s(slot=%d flags=%#x limits bytes=%llu handles=%llu mappings=%llu inject=%d)",
		 devm ? "devm_" : "", lim ? "_opts" : "", c, k.flags,
		 l.max_bytes, l.max_handles, l.max_mappings, inject);
	if (cflags & (DMASHIM_MODEL_F_NULL_CTX | DMASHIM_MODEL_F_NULL_PTR))
		e |= X(EINVAL);
	if (cflags & DMASHIM_MODEL_F_ATOMIC)
		e |= X(EWOULDBLOCK);
	/* A worker's create may meet the unbind: the device says ENXIO. */
	if (dev_call_ex(r, &k, inject, r->concurrent) == ENXIO)
		return false;
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, k.ret);
	if (k.ret)
		return false;
	ctx_slot_reset(c);
	mctx[c].exists = true;
	mctx[c].devm = devm;
	mctx[c].uid = uid_new();
	mctx[c].maybe_no_dir = r->consumed;
	mctx[c].lim = l;
	if (!r->concurrent)
		check_counters(r, c, false);
	return true;
}

static bool do_ctx_create(struct runner *r, int c, bool devm, u32 cflags,
			  int inject)
{
	return do_ctx_create_lim(r, c, devm, cflags, inject, NULL);
}

static void do_ctx_destroy(struct runner *r, int c, bool locked, int inject)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_CTX_DESTROY, .ctx = c,
		.flags = locked ? DMASHIM_MODEL_F_LOCKED : 0,
	};

	snprintf(r->op, sizeof(r->op), "ctx_destroy(ctx=%d%s inject=%d)", c,
		 locked ? " under the driver lock" : "", inject);
	dev_call(r, &k, inject);
	if (!mctx[c].revoked)
		revoke_model(r, c);
	if (!r->concurrent)
		do_quiesce(r, c);
}

static void do_ctx_forget(struct runner *r, int c)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_CTX_FORGET, .ctx = c,
	};

	snprintf(r->op, sizeof(r->op), "ctx_forget(ctx=%d)", c);
	dev_call(r, &k, 0);
	ctx_slot_reset(c);
}

/* dmashim_ctx_get()/put(), and put/destroy of NULL: nothing changes. */
static void op_quiesce(struct runner *r, int c)
{
	/* Other threads keep freeing into the shared context meanwhile. */
	if (r->concurrent && c == shared_ctx)
		return;
	do_quiesce(r, c);
}

static void op_check_counters(struct runner *r, int c)
{
	check_counters(r, c, false);
}

static void op_ctx_refs(struct runner *r, int c)
{
	struct dmashim_model_call k = { .ctx = c };

	snprintf(r->op, sizeof(r->op), "ctx_get+ctx_put(ctx=%d)", c);
	k.op = DMASHIM_MODEL_OP_CTX_GET;
	dev_call(r, &k, 0);
	k.op = DMASHIM_MODEL_OP_CTX_PUT;
	dev_call(r, &k, 0);
	snprintf(r->op, sizeof(r->op), "ctx_put(NULL)+ctx_destroy(NULL)");
	k.flags = DMASHIM_MODEL_F_NULL_CTX;
	dev_call(r, &k, 0);
	k.op = DMASHIM_MODEL_OP_CTX_DESTROY;
	dev_call(r, &k, 0);
	k.op = DMASHIM_MODEL_OP_ABI_VERSION;
	dev_call(r, &k, 0);
	if (k.out != DMASHIM_ABI_VERSION)
		stop_case(r, "abi_version: expected %d, got %llu",
			  DMASHIM_ABI_VERSION, k.out);
}

/* ---- allocation ----------------------------------------------------------- */

#define KNOWN_FLAGS	0xffU
#define NC_FLAGS	(DMASHIM_ALLOC_NOWAIT | DMASHIM_ALLOC_NO_WARN)

static u32 pick_alloc_flags(struct runner *r, bool nc)
{
	u32 f = 0;

	if (nc) {
		if (chance(&r->g, 20))
			f |= DMASHIM_ALLOC_NOWAIT;
		if (chance(&r->g, 20))
			f |= DMASHIM_ALLOC_NO_WARN;
		if (chance(&r->g, 5))
			f |= 1U << rnd(&r->g, 10);
		return f;
	}
	if (chance(&r->g, 25))
		f |= DMASHIM_ALLOC_WRITE_COMBINE;
	if (chance(&r->g, 20))
		f |= DMASHIM_ALLOC_NO_KERNEL_MAPPING;
	if (chance(&r->g, 15))
		f |= DMASHIM_ALLOC_NOWAIT;
	if (chance(&r->g, 10))
		f |= DMASHIM_ALLOC_WEAK_ORDERING;
	if (chance(&r->g, 10))
		f |= DMASHIM_ALLOC_FORCE_CONTIGUOUS;
	if (chance(&r->g, 10))
		f |= DMASHIM_ALLOC_SINGLE_PAGES;
	if (chance(&r->g, 10))
		f |= DMASHIM_ALLOC_NO_WARN;
	if (chance(&r->g, 10))
		f |= DMASHIM_ALLOC_PRIVILEGED;
	if (chance(&r->g, 3))
		f |= 1U << (8 + rnd(&r->g, 24));
	return f;
}

static void alloc_opts_build(struct runner *r, struct opts_img *o, u32 flags)
{
	static const s32 nodes[] = { -1, -1, -1, 0, 1, -2, 1000 };
	struct dmashim_alloc_opts a = {
		.sz = sizeof(a), .flags = flags,
		.numa_node = nodes[rnd(&r->g, ARRAY_SIZE(nodes))],
		.reserved = chance(&r->g, 3),
	};

	opts_build(r, o, &a, sizeof(a));
}

/*
 * dmashim_alloc() (@nc false) or dmashim_alloc_noncoherent().
 * Returns the new buffer's index or -1.
 */
static int do_alloc(struct runner *r, int c, bool nc, u64 len, u32 dir,
		    struct opts_img *o, u32 cflags, int inject)
{
	struct dmashim_model_call k = {
		.op = nc ? DMASHIM_MODEL_OP_ALLOC_NONCOHERENT :
			   DMASHIM_MODEL_OP_ALLOC,
		.ctx = c, .flags = cflags, .len = len, .arg = dir,
		.out = 0xdead000000000000ULL | r->step,
	};
	const u32 exclusive = DMASHIM_ALLOC_FORCE_CONTIGUOUS |
			      DMASHIM_ALLOC_SINGLE_PAGES;
	const u32 nowait_unmapped = DMASHIM_ALLOC_NOWAIT |
				    DMASHIM_ALLOC_NO_KERNEL_MAPPING;
	struct dmashim_alloc_opts a;
	bool valid = opts_parse(o, &a, sizeof(a));
	u32 e = ctx_errs(r, c, cflags);
	u64 canary = k.out;
	int i;

	if (o->null)
		a.numa_node = -1;
	opts_to_call(o, &k);
	snprintf(r->op, sizeof(r->op),
		 "%s(ctx=%d len=%llu dir=%u opts=%s sz=%u flags=%#x node=%d reserved=%u cflags=%#x inject=%d)",
		 nc ? "alloc_noncoherent" : "alloc", c, len, dir,
		 o->null ? "NULL" : "set", o->null ? 0 : *(u32 *)o->b,
		 a.flags, a.numa_node, a.reserved, cflags, inject);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR)
		e |= X(EINVAL);
	if (!len)
		e |= X(EINVAL);
	if (!valid || a.flags & ~(nc ? NC_FLAGS : KNOWN_FLAGS) || a.reserved ||
	    (a.flags & exclusive) == exclusive ||
	    (a.flags & nowait_unmapped) == nowait_unmapped ||
	    (a.numa_node != -1 && a.numa_node != 0))
		e |= X(EINVAL);
	if (nc && dir > DMASHIM_DIR_FROM_DEVICE)
		e |= X(EINVAL);
	if (len > ~0ULL - PAGE + 1)
		e |= X(EOVERFLOW);
	else if (len > cfg.ram)
		e |= X(ENOMEM);
	if (cflags & DMASHIM_MODEL_F_ATOMIC &&
	    !(valid && a.flags & DMASHIM_ALLOC_NOWAIT))
		e |= X(EWOULDBLOCK);
	if (!e)
		e |= quota_errs(r, c, cflags, len);

	dev_call(r, &k, inject);
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, k.ret);
	if (k.ret) {
		if (k.out != canary)
			stop_case(r, "*handlep changed on error: 0x%llx", k.out);
		af_count(r, c, cflags, k.ret != -EWOULDBLOCK &&
			 !(cflags & DMASHIM_MODEL_F_NULL_PTR));
		af_resolve(r, c);
		return -1;
	}
	i = buf_new(r, c, k.out, nc ? DMASHIM_KIND_NONCOHERENT :
		    DMASHIM_KIND_COHERENT, a.flags, nc ? dir : 0, len, -1);
	return i;
}

static void op_alloc(struct runner *r, int c, bool nc)
{
	struct opts_img o;
	u64 len = pick_len(r, r->live_bytes < BUDGET_BYTES / 2);
	u32 dir = rnd(&r->g, 10) ? rnd(&r->g, 3) : 3 + rnd(&r->g, 100);
	u32 cflags = pick_cflags(r, true) & ~DMASHIM_MODEL_F_NULL_OPTS;

	if (len <= cfg.ram && r->live_bytes + len > BUDGET_BYTES)
		len = 1 + rnd(&r->g, PAGE);
	alloc_opts_build(r, &o, pick_alloc_flags(r, nc));
	if (free_buf_slot(r) < 0)
		return;
	do_alloc(r, c, nc, len, dir, &o, cflags, pick_inject(r));
}

static void do_free(struct runner *r, int c, u64 h, u32 cflags, int inject)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_FREE, .ctx = c, .flags = cflags,
		.handle = h,
	};
	u32 e = ctx_errs(r, c, cflags);
	int i = -1;

	snprintf(r->op, sizeof(r->op), "free(ctx=%d h=0x%llx cflags=%#x inject=%d)",
		 c, h, cflags, inject);
	if (!e)
		e = handle_errs(r, c, h, false, &i);
	if (i >= 0 && (r->buf[i].maps || r->buf[i].exports))
		e |= X(EBUSY);
	if (i >= 0 && is_map(&r->buf[i]))
		e |= X(EOPNOTSUPP);
	dev_call(r, &k, inject);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (!k.ret)
		buf_dies(r, i);
}

static void op_alloc_coherent(struct runner *r, int c)
{
	op_alloc(r, c, false);
}

static void op_alloc_noncoherent(struct runner *r, int c)
{
	op_alloc(r, c, true);
}

static void op_free(struct runner *r, int c)
{
	do_free(r, c, pick_handle(r, c, false),
		pick_cflags(r, true) & DMASHIM_MODEL_F_ATOMIC, pick_inject(r));
}

/* ---- info ------------------------------------------------------------------ */

static s32 expected_node(const struct mbuf *b)
{
	return cpu_mapped(b) ? 0 : DMASHIM_NUMA_NODE_ANY;
}

/* Check a block's placement in its pool. */
static void check_block_addr(struct runner *r, const struct mbuf *b)
{
	const struct mpool *p;

	if (b->kind != DMASHIM_KIND_POOL_BLOCK)
		return;
	p = pool_at(r, b->pool);
	if (b->dma % p->align || b->cpu % p->align)
		stop_case(r, "block at dma 0x%llx cpu 0x%llx is not %u-byte aligned",
			  b->dma, b->cpu, p->align);
	if (p->boundary &&
	    (b->dma & ~(p->boundary - 1)) !=
	    ((b->dma + p->bs - 1) & ~(p->boundary - 1)))
		stop_case(r, "block at dma 0x%llx (%llu bytes) crosses the pool's boundary 0x%llx",
			  b->dma, p->bs, p->boundary);
}

static void do_info(struct runner *r, int c, u64 h, u32 sz, u32 cflags);

/* Learn a buffer's addresses from one full dmashim_info(). */
static void learn_addrs(struct runner *r, int i)
{
	char op[sizeof(r->op)];

	if (r->buf[i].addr_known)
		return;
	memcpy(op, r->op, sizeof(op));
	do_info(r, r->buf[i].ctx, r->buf[i].h, sizeof(struct dmashim_info), 0);
	memcpy(r->op, op, sizeof(op));
}

/* Expected and actual fields, for a message. */
static const char *info_str(const struct dmashim_info *x,
			    const struct dmashim_info *g)
{
	static __thread char buf[320];

	snprintf(buf, sizeof(buf),
		 " (expected/got: kind %u/%u len %llu/%llu flags %#x/%#x",
		 x->kind, g->kind, x->len, g->len, x->flags, g->flags);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		 " node %d/%d dir %u/%u maps %u/%u exports %u/%u segments %u/%u)",
		 x->numa_node, g->numa_node, x->dir, g->dir, x->user_maps,
		 g->user_maps, x->exports, g->exports, x->segments,
		 g->segments);
	return buf;
}

static void do_info(struct runner *r, int c, u64 h, u32 sz, u32 cflags)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_INFO, .ctx = c, .flags = cflags,
		.handle = h,
	};
	static __thread u8 img[PAGE + 128];
	struct dmashim_info x = { 0 }, got;
	u32 n = (sz > PAGE ? 64 : sz < 64 ? 64 : sz) + 32, j;
	u32 e = ctx_errs(r, c, cflags);
	struct mbuf *b;
	int i = -1;

	if (!e)
		e = handle_errs(r, c, h, false, &i);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR || sz < 4 || sz > PAGE)
		e |= X(EINVAL);
	if (!e && !r->buf[i].addr_known && sz != sizeof(x))
		learn_addrs(r, i);
	snprintf(r->op, sizeof(r->op), "info(ctx=%d h=0x%llx sz=%u cflags=%#x)",
		 c, h, sz, cflags);
	memset(img, CANARY, n);
	memcpy(img, &sz, sizeof(sz));
	k.ubuf = (uintptr_t)img;
	k.ubuf_len = n;
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (k.ret) {
		for (j = 4; j < n; j++)
			if (img[j] != CANARY)
				stop_case(r, "info wrote byte %u on error", j);
		return;
	}
	b = &r->buf[i];
	memcpy(&got, img, sizeof(got));
	if (!b->addr_known) {
		b->addr_known = true;
		b->dma = got.dma_addr;
		b->cpu = (uintptr_t)got.cpu_addr;
		/*
		 * Of a mapping the header does not say cpu_addr, flags and
		 * numa_node; dir is "BIDIRECTIONAL for the other kinds" but a
		 * mapping has a direction: either.  Learned, then constant.
		 */
		b->info_flags = got.flags;
		b->info_node = got.numa_node;
		b->info_dir = got.dir == b->dir ? b->dir : got.dir ? ~0U : 0;
		if (is_map(b) && b->info_dir == ~0U)
			stop_case(r, "info: dir %u of a mapping made with dir %u",
				  got.dir, b->dir);
		if (is_map(b) && b->nseg && got.dma_addr != b->seg_dma[0])
			stop_case(r, "info: dma_addr 0x%llx, segment 0 at 0x%llx",
				  got.dma_addr, b->seg_dma[0]);
		if (!is_map(b) && !b->cpu != !cpu_mapped(b))
			stop_case(r, "info: cpu_addr 0x%llx for a buffer %s a kernel mapping",
				  b->cpu, cpu_mapped(b) ? "with" : "without");
		check_block_addr(r, b);
	}
	x.sz = sz;
	x.kind = b->kind;
	x.len = b->len;
	x.dma_addr = b->dma;
	x.cpu_addr = (void *)(uintptr_t)b->cpu;
	x.flags = is_map(b) ? b->info_flags : b->flags;
	x.numa_node = is_map(b) ? b->info_node : expected_node(b);
	x.dir = is_map(b) ? b->info_dir : b->dir;
	x.user_maps = b->maps;
	x.exports = b->exports;
	x.segments = b->kind == DMASHIM_KIND_MAP_SGTABLE ? b->nseg : 1;
	for (j = 0; j < n; j++) {
		u8 want = j < sz ? (j < sizeof(x) ? ((u8 *)&x)[j] : 0) :
			  j < 4 ? ((u8 *)&sz)[j] : CANARY;

		if (img[j] != want)
			stop_case(r, "info byte %u: expected 0x%02x, got 0x%02x%s",
				  j, want, img[j], info_str(&x, &got));
	}
}

static void op_info(struct runner *r, int c)
{
	static const u32 sizes[] = { 0, 3, 4, 8, 12, 20, 24, 40, 55,
				     sizeof(struct dmashim_info) + 8, PAGE,
				     PAGE + 1 };
	u32 sz = sizeof(struct dmashim_info);

	if (chance(&r->g, 25))
		sz = sizes[rnd(&r->g, ARRAY_SIZE(sizes))];
	do_info(r, c, pick_handle(r, c, false), sz,
		pick_cflags(r, true) & (DMASHIM_MODEL_F_ATOMIC |
					DMASHIM_MODEL_F_NULL_CTX |
					DMASHIM_MODEL_F_NULL_PTR));
}

/* Stats with odd sizes: the size-first rules, against a full read. */
static void op_stats(struct runner *r, int c)
{
	static const u32 sizes[] = { 0, 3, 4, 8, 12, 20, 36, 60, 64, 72,
				     PAGE, PAGE + 1 };
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_STATS, .ctx = c,
		.flags = pick_cflags(r, true) & (DMASHIM_MODEL_F_ATOMIC |
						  DMASHIM_MODEL_F_NULL_CTX |
						  DMASHIM_MODEL_F_NULL_PTR),
	};
	static __thread u8 img[PAGE + 128];
	u32 sz = sizes[rnd(&r->g, ARRAY_SIZE(sizes))], n, j;
	struct dmashim_stats full;
	u32 e = 0;

	check_counters(r, c, false);
	stats_call(r, c, &full);
	n = (sz > PAGE ? 64 : sz < 64 ? 64 : sz) + 32;
	snprintf(r->op, sizeof(r->op), "ctx_stats(ctx=%d sz=%u cflags=%#x)",
		 c, sz, k.flags);
	if (k.flags & (DMASHIM_MODEL_F_NULL_CTX | DMASHIM_MODEL_F_NULL_PTR) ||
	    sz < 4 || sz > PAGE)
		e = X(EINVAL);
	memset(img, CANARY, n);
	memcpy(img, &sz, sizeof(sz));
	k.ubuf = (uintptr_t)img;
	k.ubuf_len = n;
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	full.sz = sz;
	for (j = 4; j < n; j++) {
		u8 want = k.ret || j >= sz ? CANARY :
			  j < sizeof(full) ? ((u8 *)&full)[j] : 0;

		/* pending_release moves on its own. */
		if (!k.ret && j >= offsetof(struct dmashim_stats, pending_release) &&
		    j < sizeof(full))
			continue;
		if (img[j] != want)
			stop_case(r, "stats byte %u: expected 0x%02x, got 0x%02x",
				  j, want, img[j]);
	}
}

/* ---- pools ------------------------------------------------------------------ */

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

static int do_pool_create(struct runner *r, int c, u64 bs, struct opts_img *o,
			  u32 cflags, int inject)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_POOL_CREATE, .ctx = c, .flags = cflags,
		.len = bs, .out = 0xbad0000000000000ULL | r->step,
	};
	struct dmashim_pool_opts p;
	bool valid = opts_parse(o, &p, sizeof(p));
	u32 e = ctx_errs(r, c, cflags);
	u64 canary = k.out, a, need;
	int i;

	opts_to_call(o, &k);
	snprintf(k.name, sizeof(k.name), "model-%lu", r->step);
	if (chance(&r->g, 10))
		k.flags |= DMASHIM_MODEL_F_NULL_NAME;
	snprintf(r->op, sizeof(r->op),
		 "pool_create(ctx=%d block_size=%llu opts=%s sz=%u align=%u boundary=0x%llx cflags=%#x inject=%d)",
		 c, bs, o->null ? "NULL" : "set", o->null ? 0 : *(u32 *)o->b,
		 p.align, p.boundary, k.flags, inject);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR || !bs || !valid)
		e |= X(EINVAL);
	if (p.align && (!is_pow2(p.align) || p.align > PAGE))
		e |= X(EINVAL);
	a = p.align > 8 ? p.align : 8;
	need = bs > ~0ULL - a ? ~0ULL : (bs + a - 1) & ~(a - 1);
	if (p.boundary && (!is_pow2(p.boundary) || p.boundary < need))
		e |= X(EINVAL);
	if (bs > INT32_MAX)
		e |= X(E2BIG);
	else if (bs > cfg.ram)
		e |= X(ENOMEM);
	if (cflags & DMASHIM_MODEL_F_ATOMIC)
		e |= X(EWOULDBLOCK);
	dev_call(r, &k, inject);
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, k.ret);
	if (k.ret) {
		if (k.out != canary)
			stop_case(r, "*poolp changed on error: 0x%llx", k.out);
		af_count(r, c, cflags, false);
		af_resolve(r, c);
		return -1;
	}
	for (i = 0; i < MAX_POOLS && r->pool[i].used; i++)
		;
	if (i == MAX_POOLS)
		stop_case(r, "model: out of pool slots");
	reg_add(r, k.out, c, true);
	r->pool[i] = (struct mpool){
		.used = true, .h = k.out, .ctx = c, .bs = bs, .align = a,
		.boundary = p.boundary,
	};
	return i;
}

static u64 pick_boundary(struct runner *r, u64 bs, u32 align)
{
	u64 a = align > 8 ? align : 8, need = (bs + a - 1) & ~(a - 1), b;

	switch (rnd(&r->g, 10)) {
	case 0 ... 2:
		return 0;
	case 3:
		return need * 3;			/* not a power of two */
	case 4:
		return need > 1 ? 1ULL << (63 - __builtin_clzll(need - 1)) : 0;
	case 5 ... 6:
		if (feat(FEAT_BIGBOUNDARY))
			return 1ULL << (32 + rnd(&r->g, 32));
		break;
	default:
		break;
	}
	b = 1;
	while (b < need)
		b <<= 1;
	return b << rnd(&r->g, 8);
}

static void op_pool_create(struct runner *r, int c)
{
	static const u64 sizes[] = { 1, 3, 8, 24, 64, 100, 512, 4096, 4097,
				     65536, 1ULL << 31, (1ULL << 31) - 1,
				     1ULL << 40, 0 };
	static const u32 aligns[] = { 0, 0, 1, 2, 8, 16, 64, 256, 4096, 3,
				      24, 8192 };
	struct dmashim_pool_opts p = { .sz = sizeof(p) };
	struct opts_img o;
	u64 bs = chance(&r->g, 70) ? 1 + rnd(&r->g, 256) :
		 sizes[rnd(&r->g, ARRAY_SIZE(sizes))];
	int i;

	for (i = 0; i < MAX_POOLS && r->pool[i].used; i++)
		;
	if (i == MAX_POOLS)
		return;

	if (bs > INT32_MAX || (bs > cfg.ram && bs <= INT32_MAX))
		;
	else if (bs > 65536)
		bs = 64;
	p.align = aligns[rnd(&r->g, ARRAY_SIZE(aligns))];
	p.boundary = pick_boundary(r, bs, p.align);
	opts_build(r, &o, &p, sizeof(p));
	do_pool_create(r, c, bs, &o,
		       pick_cflags(r, true) & ~DMASHIM_MODEL_F_NULL_OPTS,
		       pick_inject(r));
}

static int do_pool_alloc(struct runner *r, int c, u64 ph, u32 flags,
			 u32 cflags, int inject)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_POOL_ALLOC, .ctx = c, .flags = cflags,
		.handle = ph, .arg = flags,
		.out = 0xb10c000000000000ULL | r->step,
	};
	u32 e = ctx_errs(r, c, cflags);
	const struct mpool *p;
	u64 canary = k.out;
	int pi = -1, i;

	if (!e)
		e = handle_errs(r, c, ph, true, &pi);
	snprintf(r->op, sizeof(r->op),
		 "pool_alloc(ctx=%d pool=0x%llx (block_size %llu, boundary 0x%llx) flags=%#x cflags=%#x inject=%d)",
		 c, ph, pi >= 0 ? pool_at(r, pi)->bs : 0,
		 pi >= 0 ? pool_at(r, pi)->boundary : 0, flags, cflags, inject);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR || flags & ~DMASHIM_ALLOC_NOWAIT)
		e |= X(EINVAL);
	if (cflags & DMASHIM_MODEL_F_ATOMIC && !(flags & DMASHIM_ALLOC_NOWAIT))
		e |= X(EWOULDBLOCK);
	if (!e && pi >= 0)
		e |= quota_errs(r, c, cflags, pool_at(r, pi)->bs);
	if (free_buf_slot(r) < 0)
		return -1;
	dev_call(r, &k, inject);
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (k.ret) {
		if (k.out != canary)
			stop_case(r, "*handlep changed on error: 0x%llx", k.out);
		/* Its own errors count; errors every call shares may not. */
		af_count(r, c, cflags, k.ret == -ENOMEM || k.ret == -ENOSPC ||
			 k.ret == -EDQUOT ||
			 (k.ret == -EINVAL && flags & ~DMASHIM_ALLOC_NOWAIT &&
			  !(cflags & DMASHIM_MODEL_F_NULL_PTR)));
		af_resolve(r, c);
		return -1;
	}
	p = pool_at(r, pi);
	i = buf_new(r, c, k.out, DMASHIM_KIND_POOL_BLOCK, flags, 0, p->bs, pi);
	if (pi < MAX_POOLS)
		r->pool[pi].blocks++;
	learn_addrs(r, i);
	return i;
}

static void op_pool_alloc(struct runner *r, int c)
{
	u32 flags = chance(&r->g, 30) ? DMASHIM_ALLOC_NOWAIT : 0;

	if (chance(&r->g, 3))
		flags |= 1U << rnd(&r->g, 32);
	do_pool_alloc(r, c, pick_handle(r, c, true), flags,
		      pick_cflags(r, true), pick_inject(r));
}

static void do_pool_destroy(struct runner *r, int c, u64 ph, u32 cflags)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_POOL_DESTROY, .ctx = c, .flags = cflags,
		.handle = ph,
	};
	u32 e = ctx_errs(r, c, cflags);
	int pi = -1, i;

	snprintf(r->op, sizeof(r->op), "pool_destroy(ctx=%d pool=0x%llx cflags=%#x)",
		 c, ph, cflags);
	if (!e)
		e = handle_errs(r, c, ph, true, &pi);
	/* Shared pools are destroyed by their owner only. */
	if (pi >= MAX_POOLS)
		return;
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (k.ret)
		return;
	for (i = 0; i < MAX_BUFS; i++)
		if (r->buf[i].used && !r->buf[i].dead &&
		    r->buf[i].kind == DMASHIM_KIND_POOL_BLOCK &&
		    r->buf[i].pool == pi)
			buf_dies(r, i);
	memset(&r->pool[pi], 0, sizeof(r->pool[pi]));
}

static void op_pool_destroy(struct runner *r, int c)
{
	do_pool_destroy(r, c, pick_handle(r, c, true),
			pick_cflags(r, false) & DMASHIM_MODEL_F_NULL_CTX);
}

/* ---- accessors ---------------------------------------------------------------- */

/* Errors of a CPU access to [off, off + len) of @h; *idx the buffer. */
static u32 cpu_errs(struct runner *r, int c, u32 cflags, u64 h, u64 off,
		    u64 len, u64 align, int *idx)
{
	u32 e = ctx_errs(r, c, cflags);
	struct mbuf *b;

	*idx = -1;
	if (align > 1 && off % align)
		e |= X(EINVAL);
	if (e & X(ENODEV) || cflags & DMASHIM_MODEL_F_NULL_CTX)
		return e;
	e |= handle_errs(r, c, h, false, idx);
	if (*idx < 0)
		return e;
	b = &r->buf[*idx];
	if (!cpu_mapped(b))
		e |= X(EACCES);
	if (!range_ok(b->len, off, len))
		e |= X(ERANGE);
	return e;
}

/* A handle and range for an accessor: mostly valid, within MAX_IO. */
static int pick_target(struct runner *r, int c, u64 *h, u64 *off, u64 *len,
		       u64 maxlen)
{
	int i = pick_buf(r, c, false);

	if (i < 0 || chance(&r->g, 10)) {
		*h = pick_handle(r, c, false);
		*off = rnd(&r->g, 2 * PAGE);
		*len = 1 + rnd(&r->g, 64);
		return -1;
	}
	*h = r->buf[i].h;
	pick_range(r, r->buf[i].len, maxlen, off, len);
	return i;
}

static void check_bytes(struct runner *r, const u8 *got, const u8 *want,
			u64 n, const char *what, u64 base)
{
	u64 j;

	for (j = 0; j < n; j++)
		if (got[j] != want[j])
			stop_case(r, "%s: byte %llu is 0x%02x, expected 0x%02x",
				  what, base + j, got[j], want[j]);
}

static void check_canary(struct runner *r, const u8 *p, u64 from, u64 to)
{
	u64 j;

	for (j = from; j < to; j++)
		if (p[j] != CANARY)
			stop_case(r, "wrote past the range: caller's byte %llu is 0x%02x",
				  j, p[j]);
}

static __thread u8 io[LANE];

static void do_rw(struct runner *r, int c, u64 h, u64 off, u64 len, bool wr,
		  u32 cflags)
{
	struct dmashim_model_call k = {
		.op = wr ? DMASHIM_MODEL_OP_WRITE : DMASHIM_MODEL_OP_READ,
		.ctx = c, .flags = cflags, .handle = h, .offset = off,
		.len = len, .ubuf = (uintptr_t)io,
	};
	u32 e;
	u64 n = len > LANE - 16 ? LANE : len + 16;
	int i;

	snprintf(r->op, sizeof(r->op), "%s(ctx=%d h=0x%llx off=%llu len=%llu cflags=%#x)",
		 wr ? "write" : "read", c, h, off, len, cflags);
	e = cpu_errs(r, c, cflags, h, off, len, 1, &i);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR && len)
		e |= X(EINVAL);
	if (!e && len > MAX_IO)
		stop_case(r, "model: range too long for the lane");
	memset(io, CANARY, n);
	if (wr)
		fill_random(r, io, len < n ? len : n);
	k.ubuf_len = n;
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (wr && !k.ret)
		memcpy(r->buf[i].shadow + off, io, len);
	if (!wr && !k.ret)
		check_bytes(r, io, r->buf[i].shadow + off, len, "read", off);
	if (!wr)
		check_canary(r, io, k.ret ? 0 : len, n);
}

static void op_rw(struct runner *r, int c, bool wr)
{
	u64 h, off, len;

	pick_target(r, c, &h, &off, &len, MAX_IO);
	do_rw(r, c, h, off, len, wr, pick_cflags(r, true));
}

static void op_read(struct runner *r, int c)
{
	op_rw(r, c, false);
}

static void op_write(struct runner *r, int c)
{
	op_rw(r, c, true);
}

static void op_fill(struct runner *r, int c)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_FILL, .ctx = c,
		.flags = pick_cflags(r, true) & ~DMASHIM_MODEL_F_NULL_PTR,
		.value = rnd(&r->g, 256),
	};
	int i;
	u32 e;

	pick_target(r, c, &k.handle, &k.offset, &k.len, ~0ULL);
	snprintf(r->op, sizeof(r->op),
		 "fill(ctx=%d h=0x%llx off=%llu len=%llu value=%llu cflags=%#x)",
		 c, k.handle, k.offset, k.len, k.value, k.flags);
	e = cpu_errs(r, c, k.flags, k.handle, k.offset, k.len, 1, &i);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, k.flags, k.ret);
	if (!k.ret)
		memset(r->buf[i].shadow + k.offset, (int)k.value, k.len);
}

static void op_copy(struct runner *r, int c)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_COPY, .ctx = c,
		.flags = pick_cflags(r, true) & ~DMASHIM_MODEL_F_NULL_PTR,
	};
	int di, si, s;
	u64 slen, l2;
	u32 e, e2;

	di = pick_target(r, c, &k.handle, &k.offset, &k.len, ~0ULL);
	s = chance(&r->g, 20) ? di : pick_buf(r, c, false);
	if (s >= 0 && chance(&r->g, 90)) {
		k.handle2 = r->buf[s].h;
		slen = r->buf[s].len;
		k.offset2 = k.len <= slen ? rnd(&r->g, slen - k.len + 1) :
			    rnd(&r->g, slen + 1);
	} else {
		k.handle2 = pick_handle(r, c, false);
		k.offset2 = rnd(&r->g, PAGE);
	}
	snprintf(r->op, sizeof(r->op),
		 "copy(ctx=%d dst=0x%llx off=%llu src=0x%llx off=%llu len=%llu cflags=%#x)",
		 c, k.handle, k.offset, k.handle2, k.offset2, k.len, k.flags);
	e = cpu_errs(r, c, k.flags, k.handle, k.offset, k.len, 1, &di);
	e2 = cpu_errs(r, c, k.flags, k.handle2, k.offset2, k.len, 1, &si);
	(void)l2;
	dev_call(r, &k, 0);
	expect_ret(r, e | e2, k.ret);
	count_refused(r, c, k.flags, k.ret);
	if (!k.ret)
		memmove(r->buf[di].shadow + k.offset,
			r->buf[si].shadow + k.offset2, k.len);
}

static u64 le_load(const u8 *p, unsigned int bytes)
{
	u64 v = 0;
	unsigned int j;

	for (j = 0; j < bytes; j++)
		v |= (u64)p[j] << (8 * j);
	return v;
}

static void op_load_store(struct runner *r, int c, bool store)
{
	struct dmashim_model_call k = {
		.op = store ? DMASHIM_MODEL_OP_STORE : DMASHIM_MODEL_OP_LOAD,
		.ctx = c, .flags = pick_cflags(r, true),
		.width = 8U << rnd(&r->g, 4), .value = rnd64(&r->g),
		.out = 0x1badcafe5eedf00dULL,
	};
	unsigned int bytes = k.width / 8, j;
	u64 mask = bytes == 8 ? ~0ULL : (1ULL << k.width) - 1, len;
	int i;
	u32 e;

	if (store)
		k.flags &= ~DMASHIM_MODEL_F_NULL_PTR;
	i = pick_target(r, c, &k.handle, &k.offset, &len, bytes);
	if (i >= 0 && chance(&r->g, 80)) {
		u64 blen = r->buf[i].len;

		k.offset = blen >= bytes ? rnd(&r->g, blen - bytes + 1) : 0;
		if (chance(&r->g, 85))
			k.offset &= ~(u64)(bytes - 1);
		if (chance(&r->g, 5))
			k.offset = blen - bytes + 1 + rnd(&r->g, bytes);
	}
	snprintf(r->op, sizeof(r->op), "%s%u(ctx=%d h=0x%llx off=%llu cflags=%#x)",
		 store ? "store" : "load", k.width, c, k.handle, k.offset,
		 k.flags);
	e = cpu_errs(r, c, k.flags, k.handle, k.offset, bytes, bytes, &i);
	if (k.flags & DMASHIM_MODEL_F_NULL_PTR)
		e |= X(EINVAL);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, k.flags, k.ret);
	if (k.ret) {
		if (!store && k.out != (0x1badcafe5eedf00dULL & mask))
			stop_case(r, "*valp changed on error: 0x%llx", k.out);
		return;
	}
	if (store) {
		for (j = 0; j < bytes; j++)
			r->buf[i].shadow[k.offset + j] = k.value >> (8 * j);
	} else if (k.out != le_load(r->buf[i].shadow + k.offset, bytes)) {
		stop_case(r, "loaded 0x%llx, expected 0x%llx", k.out,
			  le_load(r->buf[i].shadow + k.offset, bytes));
	}
}

static void op_load(struct runner *r, int c)
{
	op_load_store(r, c, false);
}

static void op_store(struct runner *r, int c)
{
	op_load_store(r, c, true);
}

static void op_access(struct runner *r, int c)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_ACCESS, .ctx = c,
		.flags = pick_cflags(r, true), .ubuf = (uintptr_t)io,
		.arg = chance(&r->g, 5) ? 1U << rnd(&r->g, 32) : 0,
	};
	bool wr = chance(&r->g, 50);
	int i;
	u32 e;

	if (wr)
		k.flags |= DMASHIM_MODEL_F_WRITE;
	pick_target(r, c, &k.handle, &k.offset, &k.len, MAX_IO);
	snprintf(r->op, sizeof(r->op),
		 "access_begin+%s+access_end(ctx=%d h=0x%llx off=%llu len=%llu flags=%#x cflags=%#x)",
		 wr ? "write" : "read", c, k.handle, k.offset, k.len, k.arg,
		 k.flags);
	e = cpu_errs(r, c, k.flags, k.handle, k.offset, k.len, 1, &i);
	if (k.flags & DMASHIM_MODEL_F_NULL_PTR || !k.len || k.arg)
		e |= X(EINVAL);
	if (!e && k.len > MAX_IO)
		stop_case(r, "model: range too long for the lane");
	k.ubuf_len = k.len > LANE ? LANE : k.len;
	memset(io, CANARY, k.ubuf_len);
	if (wr)
		fill_random(r, io, k.ubuf_len);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, k.flags, k.ret);
	if (k.ret)
		return;
	if (wr)
		memcpy(r->buf[i].shadow + k.offset, io, k.len);
	else
		check_bytes(r, io, r->buf[i].shadow + k.offset, k.len,
			    "access read", k.offset);
}

static void op_dma_addr(struct runner *r, int c)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_DMA_ADDR, .ctx = c,
		.flags = pick_cflags(r, true), .out = 0xdddd,
	};
	u64 seg_dma;
	int i;
	u32 e;

	pick_target(r, c, &k.handle, &k.offset, &k.len, ~0ULL);
	snprintf(r->op, sizeof(r->op), "dma_addr(ctx=%d h=0x%llx off=%llu len=%llu cflags=%#x)",
		 c, k.handle, k.offset, k.len, k.flags);
	e = ctx_errs(r, c, k.flags);
	if (k.flags & DMASHIM_MODEL_F_NULL_PTR || !k.len)
		e |= X(EINVAL);
	i = -1;
	if (!(e & X(ENODEV)) && !(k.flags & DMASHIM_MODEL_F_NULL_CTX)) {
		e |= handle_errs(r, c, k.handle, false, &i);
		if (i >= 0 && !range_ok(r->buf[i].len, k.offset, k.len))
			e |= X(ERANGE);
	}
	if (i >= 0)
		learn_addrs(r, i);
	/* A mapped table: the range must lie within one DMA segment. */
	seg_dma = i >= 0 ? r->buf[i].dma : 0;
	if (i >= 0 && r->buf[i].kind == DMASHIM_KIND_MAP_SGTABLE) {
		struct mbuf *t = &r->buf[i];
		u64 start = 0;
		u32 j;

		for (j = 0; j < t->nseg && k.offset >= start + t->seg_len[j];
		     j++)
			start += t->seg_len[j];
		if (j == t->nseg ||
		    !range_ok(t->seg_len[j], k.offset - start, k.len))
			e |= X(ERANGE);
		else
			seg_dma = t->seg_dma[j] - start;
	}
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, k.flags, k.ret);
	if (k.ret) {
		if (k.out != 0xdddd)
			stop_case(r, "*dma_addrp changed on error");
		return;
	}
	if (k.out != seg_dma + k.offset)
		stop_case(r, "dma_addr 0x%llx, expected 0x%llx (info, segments) + %llu",
			  k.out, seg_dma, k.offset);
}

static void op_sync(struct runner *r, int c)
{
	struct dmashim_model_call k = {
		.op = chance(&r->g, 50) ? DMASHIM_MODEL_OP_SYNC_FOR_CPU :
			DMASHIM_MODEL_OP_SYNC_FOR_DEVICE,
		.ctx = c, .flags = pick_cflags(r, true) & ~DMASHIM_MODEL_F_NULL_PTR,
		.arg = rnd(&r->g, 10) ? rnd(&r->g, 3) : 3 + rnd(&r->g, 1000),
	};
	int i;
	u32 e;

	pick_target(r, c, &k.handle, &k.offset, &k.len, ~0ULL);
	snprintf(r->op, sizeof(r->op),
		 "sync_for_%s(ctx=%d h=0x%llx off=%llu len=%llu dir=%u cflags=%#x)",
		 k.op == DMASHIM_MODEL_OP_SYNC_FOR_CPU ? "cpu" : "device", c,
		 k.handle, k.offset, k.len, k.arg, k.flags);
	e = ctx_errs(r, c, k.flags);
	if (k.arg > DMASHIM_DIR_FROM_DEVICE)
		e |= X(EINVAL);
	i = -1;
	if (!(e & X(ENODEV)) && !(k.flags & DMASHIM_MODEL_F_NULL_CTX))
		e |= handle_errs(r, c, k.handle, false, &i);
	if (i >= 0) {
		struct mbuf *b = &r->buf[i];

		if (b->kind != DMASHIM_KIND_NONCOHERENT && !is_map(b))
			e |= X(EOPNOTSUPP);
		else if (b->dir != DMASHIM_DIR_BIDIRECTIONAL && k.arg != b->dir)
			e |= X(EINVAL);
		if (!range_ok(b->len, k.offset, k.len))
			e |= X(ERANGE);
	}
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, k.flags, k.ret);
}

/* ---- streaming mappings and limits -------------------------------------------- */

#define MAP_FLAGS	(DMASHIM_MAP_WEAK_ORDERING | DMASHIM_MAP_SKIP_CPU_SYNC | \
			 DMASHIM_MAP_NOWAIT)
#define STREAM_BYTES	DMASHIM_MODEL_STREAM_BYTES
#define STREAM_SGT_LEN	(DMASHIM_MODEL_STREAM_ENTRIES * PAGE)

static const char *const map_names[] = { "map_single", "map_page",
					 "map_sgtable" };

/* dmashim_dma_segment() of @h; checks what the model knows of it. */
static int do_dma_segment(struct runner *r, int c, u64 h, u32 index,
			  u32 cflags, u64 *dma, u64 *len)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_DMA_SEGMENT, .ctx = c, .flags = cflags,
		.handle = h, .arg = index,
	};
	u32 e = ctx_errs(r, c, cflags);
	struct mbuf *b;
	int i = -1;

	if (!(e & X(ENODEV)) && !(cflags & DMASHIM_MODEL_F_NULL_CTX))
		e |= handle_errs(r, c, h, false, &i);
	if (cflags & (DMASHIM_MODEL_F_NULL_PTR | DMASHIM_MODEL_F_NULL_MEM))
		e |= X(EINVAL);
	b = i >= 0 ? &r->buf[i] : NULL;
	/* A table's segments are being learned: nseg is 0 until then. */
	if (b && b->kind == DMASHIM_KIND_MAP_SGTABLE && !b->nseg)
		e |= index ? X(ERANGE) | XS_OK : 0;
	else if (b && index >= (b->kind == DMASHIM_KIND_MAP_SGTABLE ?
				b->nseg : 1))
		e |= X(ERANGE);
	if (b && b->kind != DMASHIM_KIND_MAP_SGTABLE)
		learn_addrs(r, i);
	snprintf(r->op, sizeof(r->op),
		 "dma_segment(ctx=%d h=0x%llx index=%u cflags=%#x)", c, h,
		 index, cflags);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (k.ret)
		return k.ret;
	*dma = k.out;
	*len = k.len;
	if (b->kind != DMASHIM_KIND_MAP_SGTABLE) {
		if (k.out != b->dma || k.len != b->len)
			stop_case(r, "segment 0x%llx+%llu, expected 0x%llx+%llu (info)",
				  k.out, k.len, b->dma, b->len);
	} else if (b->nseg && (k.out != b->seg_dma[index] ||
			       k.len != b->seg_len[index])) {
		stop_case(r, "segment 0x%llx+%llu, expected 0x%llx+%llu as before",
			  k.out, k.len, b->seg_dma[index], b->seg_len[index]);
	}
	return 0;
}

/* A new mapped table @i: its segments, which must add up to its length. */
static void learn_segments(struct runner *r, int i)
{
	struct mbuf *b = &r->buf[i];
	u64 dma, len, sum = 0;
	int ret = 0;
	u32 n;

	for (n = 0; n <= DMASHIM_MODEL_STREAM_ENTRIES; n++) {
		ret = do_dma_segment(r, b->ctx, b->h, n, 0, &dma, &len);
		if (ret)
			break;
		if (n == DMASHIM_MODEL_STREAM_ENTRIES)
			stop_case(r, "a table of %u entries has a segment %u",
				  n, n);
		if (!len)
			stop_case(r, "segment %u is empty", n);
		b->seg_dma[n] = dma;
		b->seg_len[n] = len;
		sum += len;
	}
	/* An unbind racing us revoked the table: nothing more to learn. */
	if (ret == -ENODEV && racing_unbind(r))
		return;
	if (!n || sum != b->len)
		stop_case(r, "%u segments of %llu bytes in all for a table of %llu",
			  n, sum, b->len);
	b->nseg = n;
}

/* x86's L1_CACHE_BYTES: the line the DMA API tracks per mapping. */
#define CACHE_LINE	64

/*
 * Does a live single or page mapping rule out [@off, @off + @len) of
 * stream slot @slot with @dir (the errors to expect)?  The header says
 * -EBUSY if any byte is
 * mapped (every context is on the model's one device), or if both may be
 * written by the device and start in one cache line.  Stream blocks are
 * page aligned; tables use pages of their own, and a table is mapped once
 * at a time, so only blocks can overlap.
 */
static u32 map_conflicts(struct runner *r, int slot, u64 off, u64 len,
			 u32 dir)
{
	u32 e = 0;
	int i;

	for (i = 0; i < MAX_BUFS; i++) {
		struct mbuf *b = &r->buf[i];

		if (!b->used || b->dead || !is_map(b) ||
		    b->kind == DMASHIM_KIND_MAP_SGTABLE || b->sslot != slot)
			continue;
		if (!(b->soff < off + len && off < b->soff + b->len) &&
		    !(b->dir != DMASHIM_DIR_TO_DEVICE &&
		      dir != DMASHIM_DIR_TO_DEVICE &&
		      b->soff / CACHE_LINE == off / CACHE_LINE))
			continue;
		/* A racing unbind may have unmapped it already. */
		if (racing_unbind(r))
			e |= X(EBUSY) | XS_OK;
		else
			return X(EBUSY);
	}
	return e;
}

/*
 * dmashim_map_single(), _page() or _sgtable() (@kind) of stream slot
 * @slot: [@off, @off + @len) of its block, or its table (@len 0: an
 * empty table).  Returns the mapping's index or -1.
 */
static int do_map(struct runner *r, int c, u32 kind, int slot, u64 off,
		  u64 len, u32 dir, struct opts_img *o, u32 cflags, int inject)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_MAP, .ctx = c, .flags = cflags,
		.width = kind, .slot = slot, .offset = off, .len = len,
		.arg = dir, .out = 0x3a90000000000000ULL | r->step,
	};
	bool sgt = kind == DMASHIM_KIND_MAP_SGTABLE;
	int owner = sgt ? r->sgt_map[slot] : -1;
	u32 e = ctx_errs(r, c, cflags), own;
	struct dmashim_map_opts mo;
	bool valid = opts_parse(o, &mo, sizeof(mo));
	u64 canary = k.out;
	int i;

	/* A table mapped through another context must not change. */
	if (owner >= 0 && r->buf[owner].ctx != c)
		return -1;
	if (free_buf_slot(r) < 0)
		return -1;
	opts_to_call(o, &k);
	snprintf(r->op, sizeof(r->op),
		 "%s(ctx=%d slot=%d off=%llu len=%llu dir=%u opts=%s flags=%#x cflags=%#x inject=%d)",
		 map_names[kind - DMASHIM_KIND_MAP_SINGLE], c, slot, off, len,
		 dir, o->null ? "NULL" : "set", mo.flags, cflags, inject);
	own = 0;
	if (cflags & DMASHIM_MODEL_F_NULL_MEM || !len ||
	    dir > DMASHIM_DIR_FROM_DEVICE || !valid || mo.flags & ~MAP_FLAGS)
		own |= X(EINVAL);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR)
		e |= X(EINVAL);
	if (cflags & DMASHIM_MODEL_F_ATOMIC &&
	    !(valid && mo.flags & DMASHIM_MAP_NOWAIT))
		e |= X(EWOULDBLOCK);
	if (!e && !own && mc(r, c)->lim.max_mappings &&
	    cnt_of(r, c)->lm + 1 > mc(r, c)->lim.max_mappings)
		own |= X(EDQUOT);
	/* A table mapped already is found after the limit is charged. */
	if (!e && !own && owner >= 0)
		own |= X(EINVAL);
	if (!e && !own && !sgt)
		own |= map_conflicts(r, slot, off, len, dir);
	e |= own;
	dev_call(r, &k, inject);
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (k.ret) {
		if (k.out != canary)
			stop_case(r, "*handlep changed on error: 0x%llx", k.out);
		/* Its own errors count; errors every call shares may not. */
		if (!(cflags & DMASHIM_MODEL_F_NULL_CTX)) {
			if (xbit(k.ret) & (own | X(ENOMEM)) &&
			    !(cflags & DMASHIM_MODEL_F_NULL_PTR))
				cnt_of(r, c)->mf++;
			else
				cnt_of(r, c)->mf_slack++;
			if (!r->concurrent)
				check_counters(r, c, false);
		}
		return -1;
	}
	i = buf_new(r, c, k.out, kind, 0, dir, sgt ? STREAM_SGT_LEN : len, -1);
	r->buf[i].sslot = slot;
	r->buf[i].soff = off;
	if (sgt) {
		r->sgt_map[slot] = i;
		learn_segments(r, i);
	}
	learn_addrs(r, i);
	return i;
}

static void map_opts_build(struct runner *r, struct opts_img *o)
{
	struct dmashim_map_opts mo = { .sz = sizeof(mo) };

	if (chance(&r->g, 30))
		mo.flags |= DMASHIM_MAP_NOWAIT;
	if (chance(&r->g, 20))
		mo.flags |= DMASHIM_MAP_SKIP_CPU_SYNC;
	if (chance(&r->g, 20))
		mo.flags |= DMASHIM_MAP_WEAK_ORDERING;
	if (chance(&r->g, 3))
		mo.flags |= 1U << rnd(&r->g, 32);
	opts_build(r, o, &mo, sizeof(mo));
}

static void op_map(struct runner *r, int c)
{
	u32 kind = DMASHIM_KIND_MAP_SINGLE + rnd(&r->g, 3);
	int slot = r->stream_lo + rnd(&r->g, r->stream_hi - r->stream_lo);
	u32 dir = rnd(&r->g, 12) ? rnd(&r->g, 3) : 3 + rnd(&r->g, 100);
	u32 cflags = pick_cflags(r, true);
	u64 off = 0, len = 1;
	struct opts_img o;

	if (feat(FEAT_NULLARGS) && chance(&r->g, 2))
		cflags |= DMASHIM_MODEL_F_NULL_MEM;
	if (kind != DMASHIM_KIND_MAP_SGTABLE) {
		off = chance(&r->g, 30) ? 0 : rnd(&r->g, STREAM_BYTES);
		len = chance(&r->g, 20) ? STREAM_BYTES - off :
		      rnd(&r->g, STREAM_BYTES - off + 1);
	} else if (chance(&r->g, 4)) {
		len = 0;
	}
	map_opts_build(r, &o);
	do_map(r, c, kind, slot, off, len, dir, &o, cflags, pick_inject(r));
}

static void do_unmap(struct runner *r, int c, u64 h, u32 cflags)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_UNMAP, .ctx = c, .flags = cflags,
		.handle = h,
	};
	u32 e = ctx_errs(r, c, cflags);
	int i = -1;

	snprintf(r->op, sizeof(r->op), "unmap(ctx=%d h=0x%llx cflags=%#x)",
		 c, h, cflags);
	if (!e)
		e = handle_errs(r, c, h, false, &i);
	if (i >= 0 && !is_map(&r->buf[i]))
		e |= X(EOPNOTSUPP);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (!k.ret)
		buf_dies(r, i);
}

/* Mostly a mapping of @c: the runner's, else any handle. */
static u64 pick_mapping(struct runner *r, int c)
{
	int cand[MAX_BUFS], n = 0, i;

	for (i = 0; i < MAX_BUFS; i++)
		if (r->buf[i].used && !r->buf[i].dead &&
		    r->buf[i].ctx == c && is_map(&r->buf[i]))
			cand[n++] = i;
	if (n && chance(&r->g, 80))
		return r->buf[cand[rnd(&r->g, n)]].h;
	return pick_handle(r, c, false);
}

static void op_unmap(struct runner *r, int c)
{
	do_unmap(r, c, pick_mapping(r, c), pick_cflags(r, true) &
		 (DMASHIM_MODEL_F_ATOMIC | DMASHIM_MODEL_F_NULL_CTX));
}

static void op_dma_segment(struct runner *r, int c)
{
	u32 cflags = pick_cflags(r, true) & ~DMASHIM_MODEL_F_NULL_PTR;
	u32 index = rnd(&r->g, 8) ? rnd(&r->g, 5) : rnd64(&r->g);
	u64 dma, len;

	if (feat(FEAT_NULLARGS) && chance(&r->g, 2))
		cflags |= chance(&r->g, 50) ? DMASHIM_MODEL_F_NULL_PTR :
			  DMASHIM_MODEL_F_NULL_MEM;
	do_dma_segment(r, c, chance(&r->g, 50) ? pick_mapping(r, c) :
		       pick_handle(r, c, false), index, cflags, &dma, &len);
}

/* Limits: none, or near what a context of the sequence holds. */
static void limits_build(struct runner *r, struct opts_img *o,
			 const struct counters *m)
{
	struct dmashim_limits l = { .sz = sizeof(l) };

	if (chance(&r->g, 40))
		l.max_handles = m->live + rnd(&r->g, 6);
	if (chance(&r->g, 40))
		l.max_bytes = m->live_bytes + rnd(&r->g, 4) * (rnd(&r->g, 2) ?
							      PAGE : 100000);
	if (chance(&r->g, 40))
		l.max_mappings = m->lm + rnd(&r->g, 4);
	if (chance(&r->g, 3))
		l.reserved = 1 + rnd(&r->g, 100);
	opts_build(r, o, &l, sizeof(l));
}

static void do_set_limits(struct runner *r, int c, struct opts_img *o,
			  u32 cflags)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_SET_LIMITS, .ctx = c,
		.flags = cflags | (o->null ? DMASHIM_MODEL_F_NULL_PTR : 0),
		.ubuf = (uintptr_t)o->b, .ubuf_len = o->null ? 0 : o->n,
	};
	struct dmashim_limits l;
	bool valid = opts_parse(o, &l, sizeof(l));
	u32 e = ctx_errs(r, c, k.flags);

	snprintf(r->op, sizeof(r->op),
		 "ctx_set_limits(ctx=%d limits=%s sz=%u bytes=%llu handles=%llu mappings=%llu reserved=%u cflags=%#x)",
		 c, o->null ? "NULL" : "set", o->null ? 0 : *(u32 *)o->b,
		 l.max_bytes, l.max_handles, l.max_mappings, l.reserved,
		 k.flags);
	if (o->null || !valid || l.reserved)
		e |= X(EINVAL);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, k.flags, k.ret);
	if (k.ret)
		return;
	mc(r, c)->lim = l;
	if (!r->concurrent)
		check_counters(r, c, false);
}

static void op_set_limits(struct runner *r, int c)
{
	struct opts_img o;

	/* Not the shared context: its threads' models are separate. */
	if (r->concurrent && c == shared_ctx)
		return;
	limits_build(r, &o, cnt_of(r, c));
	do_set_limits(r, c, &o, pick_cflags(r, true) &
		      (DMASHIM_MODEL_F_ATOMIC | DMASHIM_MODEL_F_NULL_CTX));
}

/* ---- scatter tables ----------------------------------------------------------- */

static int free_sgt_slot(struct runner *r)
{
	int s;

	for (s = r->sgt_lo; s < r->sgt_hi; s++)
		if (!msgt[s].out)
			return s;
	return -1;
}

/* Read a table's pages back and compare with the shadow. */
static void do_sgt_read(struct runner *r, int s)
{
	struct mbuf *b = &r->buf[msgt[s].buf];
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_SGT_READ, .slot = s,
		.ubuf = (uintptr_t)io,
	};
	u64 off, len;

	pick_range(r, b->slen, MAX_IO, &off, &len);
	if (!range_ok(b->slen, off, len) || !len) {
		len = b->slen < 64 ? b->slen : 64;
		off = 0;
	}
	k.offset = off;
	k.len = len;
	k.ubuf_len = len;
	snprintf(r->op, sizeof(r->op),
		 "read the table's pages(slot=%d h=0x%llx%s off=%llu len=%llu)",
		 s, b->h, b->dead ? ", revoked" : "", off, len);
	dev_call(r, &k, 0);
	if (k.out < b->len || k.out > b->slen)
		stop_case(r, "the table covers %llu bytes of a %llu-byte buffer",
			  k.out, b->len);
	if (k.ret)
		stop_case(r, "test device could not read the table: %s",
			  errname(k.ret));
	check_bytes(r, io, b->shadow + off, len, "table page", off);
}

static void do_get_sgt(struct runner *r, int c, u64 h, int s, u32 cflags,
		       int inject)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_GET_SGTABLE, .ctx = c, .flags = cflags,
		.handle = h, .slot = s,
	};
	u32 e = ctx_errs(r, c, cflags);
	int i = -1;

	snprintf(r->op, sizeof(r->op), "get_sgtable(ctx=%d h=0x%llx slot=%d cflags=%#x inject=%d)",
		 c, h, s, cflags, inject);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR)
		e |= X(EINVAL);
	if (!(e & X(ENODEV)) && !(cflags & DMASHIM_MODEL_F_NULL_CTX))
		e |= handle_errs(r, c, h, false, &i);
	if (i >= 0 && !mappable(&r->buf[i]))
		e |= X(EOPNOTSUPP) | (is_map(&r->buf[i]) ? X(EBADF) : 0);
	if (cflags & DMASHIM_MODEL_F_ATOMIC)
		e |= X(EWOULDBLOCK);
	dev_call(r, &k, inject);
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
	if (k.ret)
		return;
	msgt[s] = (struct msgt){ .out = true, .buf = i, .ctx = c, .h = h };
	r->buf[i].exports++;
	do_sgt_read(r, s);
}

static void op_get_sgt(struct runner *r, int c)
{
	int s = free_sgt_slot(r);

	if (s < 0)
		return;
	do_get_sgt(r, c, pick_handle(r, c, false), s, pick_cflags(r, true),
		   pick_inject(r));
}

/* Put the table in slot @s back with its own context and handle. */
static void do_put_sgt(struct runner *r, int s, u32 cflags)
{
	struct msgt *t = &msgt[s];
	struct mbuf *b = &r->buf[t->buf];
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_PUT_SGTABLE, .ctx = t->ctx,
		.flags = cflags, .handle = t->h, .slot = s,
	};
	u32 e = mc(r, t->ctx)->revoked ? X(ENODEV) : 0;

	snprintf(r->op, sizeof(r->op), "put_sgtable(ctx=%d h=0x%llx slot=%d%s cflags=%#x)",
		 t->ctx, t->h, s, b->dead ? ", revoked" : "", cflags);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR)
		e |= X(EINVAL);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	if (cflags & DMASHIM_MODEL_F_NULL_PTR)
		return;
	t->out = false;
	b->exports--;
	if (b->dead && !b->exports) {
		mc(r, b->ctx)->rp--;
		mc(r, b->ctx)->rp_bytes -= b->len;
		buf_forget(r, t->buf);
	}
}

/* put_sgtable of a handle without a table out (an unused table). */
static void do_put_sgt_wrong(struct runner *r, int c, u64 h, int s,
			     u32 cflags)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_PUT_SGTABLE, .ctx = c, .flags = cflags,
		.handle = h, .slot = s,
	};
	u32 e = ctx_errs(r, c, cflags);
	int i = -1;

	if (!(e & X(ENODEV)) && !(cflags & DMASHIM_MODEL_F_NULL_CTX))
		e |= handle_errs(r, c, h, false, &i);
	/*
	 * The header: -EINVAL if @sgt is not a table of @handle out, which
	 * an unused table never is, whatever the buffer's kind and tables.
	 */
	if (i >= 0 || cflags & DMASHIM_MODEL_F_NULL_PTR)
		e |= X(EINVAL);
	if (i >= 0 && is_map(&r->buf[i]))
		e |= X(EBADF);
	/*
	 * Revoked or not: -ENODEV would say the table was freed, so a table
	 * not out is -EINVAL then too (also while an unbind may be racing).
	 */
	if (e & X(ENODEV) && !(cflags & DMASHIM_MODEL_F_NULL_CTX))
		e = (e & ~X(ENODEV)) | X(EINVAL);
	if (racing_unbind(r))
		e |= X(EINVAL);
	snprintf(r->op, sizeof(r->op),
		 "put_sgtable(ctx=%d h=0x%llx, no table out, slot=%d cflags=%#x)",
		 c, h, s, cflags);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, c, cflags, k.ret);
}

/*
 * put_sgtable of a table out with another handle of its context: the
 * header says -EINVAL and the table is left as it is, still out, its
 * buffer still pinned (issue 11: it unpinned the other buffer).
 */
static void do_put_sgt_other(struct runner *r, int s, u64 h)
{
	struct msgt *t = &msgt[s];
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_PUT_SGTABLE, .ctx = t->ctx,
		.handle = h, .slot = s,
	};
	u32 e = ctx_errs(r, t->ctx, 0);
	int i = -1;

	if (h == t->h)
		return;
	/* Not a table of @h: -EINVAL, revoked or not (the header). */
	if (e == X(ENODEV))
		e = X(EINVAL);
	else if (!e)
		e = handle_errs(r, t->ctx, h, false, &i);
	if (i >= 0 || racing_unbind(r))
		e |= X(EINVAL);
	snprintf(r->op, sizeof(r->op),
		 "put_sgtable(ctx=%d h=0x%llx, the table of slot %d is of 0x%llx)",
		 t->ctx, h, s, t->h);
	dev_call(r, &k, 0);
	expect_ret(r, e, k.ret);
	count_refused(r, t->ctx, 0, k.ret);
	if (!k.ret || k.ret == -ENODEV)
		stop_case(r, "model: the device gave the table back");
	do_sgt_read(r, s);
}

static void op_put_sgt(struct runner *r, int c)
{
	int cand[DMASHIM_MODEL_SGT_SLOTS], n = 0, s;

	for (s = r->sgt_lo; s < r->sgt_hi; s++)
		if (msgt[s].out)
			cand[n++] = s;
	if (n && chance(&r->g, 15)) {
		s = cand[rnd(&r->g, n)];
		do_put_sgt_other(r, s, pick_handle(r, msgt[s].ctx, false));
		return;
	}
	if (n && chance(&r->g, 80)) {
		do_put_sgt(r, cand[rnd(&r->g, n)],
			   chance(&r->g, 5) ? DMASHIM_MODEL_F_NULL_PTR : 0);
		return;
	}
	s = free_sgt_slot(r);
	if (s >= 0)
		do_put_sgt_wrong(r, c, pick_handle(r, c, false), s,
				 pick_cflags(r, false));
}

static void op_sgt_read(struct runner *r, int c)
{
	int cand[DMASHIM_MODEL_SGT_SLOTS], n = 0, s;

	(void)c;
	for (s = r->sgt_lo; s < r->sgt_hi; s++)
		if (msgt[s].out)
			cand[n++] = s;
	if (n)
		do_sgt_read(r, cand[rnd(&r->g, n)]);
}

/* ---- user mappings ------------------------------------------------------------- */

static __thread sigjmp_buf *fault_jmp;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (fault_jmp)
		siglongjmp(*fault_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Copy through a mapping; returns the signal that stopped it, or 0. */
static int guarded_copy(void *dst, const void *src, size_t n)
{
	sigjmp_buf jb;
	int sig;

	fault_jmp = &jb;
	sig = sigsetjmp(jb, 1);
	if (!sig)
		memcpy(dst, src, n);
	fault_jmp = NULL;
	return sig;
}

static const char *signame(int sig)
{
	return sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" :
	       sig ? "a signal" : "no signal";
}

static int map_fd(int i)
{
	return i ? dev_fd2 : dev_fd;
}

static void set_map_slot(struct runner *r, int slot, int c, u64 h)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_SET_MAP, .slot = slot, .handle = h,
		.handle2 = c,
	};

	dev_call(r, &k, 0);
}

/*
 * mmap @h of context @c through map slot @slot at page @j of it, from
 * file @fd.  Returns the mapping's index or -1.
 */
static int do_mmap(struct runner *r, int c, u64 h, u64 npages, bool shared,
		   int fd, int slot, u64 j, int inject)
{
	u64 off = slot * DMASHIM_MODEL_MAP_STRIDE + j * PAGE;
	u32 e = ctx_errs(r, c, 0);
	struct mmap_rec *m;
	struct mbuf *b;
	int i = -1, mi, ret = 0;
	void *p;

	for (mi = 0; mi < MAX_MAPS && r->map[mi].used; mi++)
		;
	if (mi == MAX_MAPS)
		return -1;
	set_map_slot(r, slot, c, h);
	snprintf(r->op, sizeof(r->op),
		 "mmap(ctx=%d h=0x%llx pages=%llu %s fd=%d offset=0x%llx inject=%d)",
		 c, h, npages, shared ? "MAP_SHARED" : "MAP_PRIVATE", fd, off,
		 inject);
	if (!shared)
		e |= X(EINVAL);
	if (!(e & X(ENODEV)))
		e |= handle_errs(r, c, h, false, &i);
	if (i >= 0 && !mappable(&r->buf[i]))
		e |= X(EOPNOTSUPP) | (is_map(&r->buf[i]) ? X(EBADF) : 0);
	if (i >= 0 && npages * PAGE > r->buf[i].slen)
		e |= X(EINVAL);
	call_begin(r);
	inject_begin(r, inject);
	p = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
		 shared ? MAP_SHARED : MAP_PRIVATE, map_fd(fd), off);
	if (p == MAP_FAILED)
		ret = -errno;
	inject_end(r, inject);
	call_end(r);
	if (r->consumed)
		e |= X(ENOMEM) | (e ? 0 : XS_OK);
	expect_ret(r, e, ret);
	count_refused(r, c, 0, ret);
	if (ret)
		return -1;
	b = &r->buf[i];
	m = &r->map[mi];
	*m = (struct mmap_rec){
		.used = true, .addr = p, .len = npages * PAGE, .buf = i,
		.fd = fd, .off = off,
	};
	if (!b->maps++) {
		b->map_fd = fd;
		b->map_off = off;
	}
	ret = guarded_copy(io, p, m->len < MAX_IO ? m->len : MAX_IO);
	/* An unbind racing us may have revoked it since: SIGBUS then. */
	if (ret == SIGBUS && racing_unbind(r))
		return mi;
	if (ret)
		stop_case(r, "%s reading a new mapping", signame(ret));
	check_bytes(r, io, b->shadow, m->len < MAX_IO ? m->len : MAX_IO,
		    "new mapping", 0);
	return mi;
}

static void op_mmap(struct runner *r, int c)
{
	int i = pick_buf(r, c, false), slot, fd;
	u64 h = i >= 0 ? r->buf[i].h : pick_handle(r, c, false);
	u64 npages = 1, j = rnd(&r->g, 2);

	if (i >= 0 && chance(&r->g, 90)) {
		u64 pages = PAGE_ALIGN_UP(r->buf[i].slen) / PAGE;

		npages = 1 + rnd(&r->g, pages);
		if (npages * PAGE > MAX_IO)
			npages = MAX_IO / PAGE;
		if (chance(&r->g, 5))
			npages = pages + 1;
	} else {
		h = pick_handle(r, c, false);
	}
	slot = r->map_lo + rnd(&r->g, r->map_hi - r->map_lo);
	fd = rnd(&r->g, 2);
	/* Without multimap: the file and offset of the first mapping. */
	if (i >= 0 && r->buf[i].maps && !feat(FEAT_MULTIMAP)) {
		fd = r->buf[i].map_fd;
		slot = r->buf[i].map_off / DMASHIM_MODEL_MAP_STRIDE;
		j = (r->buf[i].map_off % DMASHIM_MODEL_MAP_STRIDE) / PAGE;
	}
	do_mmap(r, c, h, npages, !chance(&r->g, 5), fd, slot, j,
		pick_inject(r));
}

/* Read or write through a mapping: the buffer's bytes, or SIGBUS. */
static void do_map_access(struct runner *r, int mi, bool wr, bool racy)
{
	struct mmap_rec *m = &r->map[mi];
	u64 off = rnd(&r->g, m->len), len = 1 + rnd(&r->g, m->len - off);
	struct mbuf *b = m->buf >= 0 ? &r->buf[m->buf] : NULL;
	int sig;

	if (len > 2 * PAGE)
		len = 2 * PAGE;
	snprintf(r->op, sizeof(r->op), "%s the mapping at %p (+%llu, %llu bytes)%s",
		 wr ? "write through" : "read through", (void *)m->addr, off,
		 len, m->revoked ? " of a revoked context" : "");
	if (wr)
		fill_random(r, io, len);
	call_begin(r);
	if (wr)
		sig = guarded_copy(m->addr + off, io, len);
	else
		sig = guarded_copy(io, m->addr + off, len);
	call_end(r);
	if (m->revoked) {
		if (sig != SIGBUS)
			stop_case(r, "expected SIGBUS after revocation, got %s",
				  signame(sig));
		return;
	}
	if (sig && (racy || racing_unbind(r)))
		return;
	if (sig)
		stop_case(r, "expected the buffer's bytes, got %s", signame(sig));
	if (wr)
		memcpy(b->shadow + off, io, len);
	else
		check_bytes(r, io, b->shadow + off, len, "mapping", off);
}

static void do_munmap(struct runner *r, int mi)
{
	struct mmap_rec *m = &r->map[mi];

	snprintf(r->op, sizeof(r->op), "munmap(%p, %llu)", (void *)m->addr,
		 m->len);
	call_begin(r);
	if (munmap(m->addr, m->len))
		stop_case(r, "munmap: %s", strerrorname_np(errno));
	call_end(r);
	if (!m->revoked && m->buf >= 0)
		r->buf[m->buf].maps--;
	memset(m, 0, sizeof(*m));
}

static int pick_map(struct runner *r)
{
	int cand[MAX_MAPS], n = 0, i;

	for (i = 0; i < MAX_MAPS; i++)
		if (r->map[i].used)
			cand[n++] = i;
	return n ? cand[rnd(&r->g, n)] : -1;
}

/*
 * The errno of madvise() on a plain anonymous page: a kernel built
 * without CONFIG_ADVISE_SYSCALLS (the test kernel) has no madvise() at
 * all, and MADV_DOFORK cannot be tried there.
 */
static int madvise_err;

static void probe_madvise(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p != MAP_FAILED && madvise(p, PAGE, MADV_NORMAL)) {
		madvise_err = errno;
		msg("madvise() fails with %s on any page: MADV_DOFORK untried",
		    strerrorname_np(errno));
	}
	if (p != MAP_FAILED)
		munmap(p, PAGE);
}

/* A fork()ed child must not have the mapping, MADV_DOFORK or not. */
static void do_fork_check(struct runner *r, int mi, bool dofork)
{
	struct mmap_rec *m = &r->map[mi];
	int status, mret = 0;
	pid_t pid;

	snprintf(r->op, sizeof(r->op), "%sfork, child reads the mapping at %p",
		 dofork ? "madvise(MADV_DOFORK), " : "", (void *)m->addr);
	if (dofork && madvise(m->addr, m->len, MADV_DOFORK))
		mret = errno;
	if (mret && mret != EINVAL && mret != madvise_err)
		stop_case(r, "madvise(MADV_DOFORK): expected 0 or EINVAL, got %s",
			  strerrorname_np(mret));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		stop_case(r, "fork: %s", strerrorname_np(errno));
	if (!pid) {
		u8 v;
		int sig = guarded_copy(&v, m->addr, 1);

		_exit(sig == SIGSEGV ? 0 : sig == SIGBUS ? 2 : 1);
	}
	if (waitpid(pid, &status, 0) != pid)
		stop_case(r, "waitpid: %s", strerrorname_np(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		stop_case(r, "the child %s (status 0x%x)",
			  WIFEXITED(status) && WEXITSTATUS(status) == 1 ?
			  "read the parent's DMA mapping" :
			  WIFEXITED(status) && WEXITSTATUS(status) == 2 ?
			  "has the mapping's VMA (SIGBUS, not SIGSEGV)" :
			  "died", status);
}

/* ---- unbind and rebind ------------------------------------------------------------ */

static int sysfs_write(const char *file)
{
	int fd = open(file, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, DMASHIM_MODEL_DEV_NAME, strlen(DMASHIM_MODEL_DEV_NAME)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Unbind: every context revoked, plain ones by remove(). */
static void do_unbind(struct runner *r, int inject)
{
	int ret, c;

	snprintf(r->op, sizeof(r->op), "unbind through sysfs (inject=%d)",
		 inject);
	call_begin(r);
	inject_begin(r, inject);
	ret = sysfs_write(SYSFS_DRV "/unbind");
	inject_end(r, inject);
	call_end(r);
	if (ret && !(r->consumed && ret == -ENOMEM))
		stop_case(r, "unbind: expected success, got %s", errname(ret));
	if (ret)
		return;
	bound = false;
	for (c = r->ctx_lo; c < r->ctx_hi; c++)
		if (mctx[c].exists && !mctx[c].revoked)
			revoke_model(r, c);
	for (c = r->ctx_lo; c < r->ctx_hi; c++)
		if (mctx[c].exists)
			do_quiesce(r, c);
}

static void do_rebind(struct runner *r)
{
	int ret;

	snprintf(r->op, sizeof(r->op), "bind through sysfs");
	call_begin(r);
	ret = sysfs_write(SYSFS_DRV "/bind");
	call_end(r);
	if (ret)
		stop_case(r, "bind: %s", errname(ret));
	bound = true;
}

/* ---- debugfs: contexts of this device ------------------------------------------ */

static int count_ctx_dirs(void)
{
	DIR *d = opendir(DEBUGFS_DIR);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, DMASHIM_MODEL_DEV_NAME ".",
			     strlen(DMASHIM_MODEL_DEV_NAME) + 1))
			n++;
	closedir(d);
	return n;
}

/* Live contexts; *maybe: how many of them may lack a directory. */
static int live_ctx_count(int *maybe)
{
	int c, n = 0;

	*maybe = 0;
	for (c = 0; c < DMASHIM_MODEL_CTX_SLOTS; c++) {
		if (!mctx[c].exists || mctx[c].revoked)
			continue;
		n++;
		*maybe += mctx[c].maybe_no_dir;
	}
	return n;
}

static void check_ctx_dirs(struct runner *r)
{
	int n = count_ctx_dirs(), maybe, live = live_ctx_count(&maybe), i;

	if (r->concurrent)
		return;
	/* The header: a revoked context's directory goes shortly after. */
	for (i = 0; n > live && i < 200; i++) {
		usleep(10000);
		n = count_ctx_dirs();
	}
	snprintf(r->op, sizeof(r->op), "count the contexts in " DEBUGFS_DIR);
	if (n >= 0 && (n > live || n < live - maybe))
		stop_case(r, "%d context directories, expected %d (a context leaked or vanished)",
			  n, live);
}

/* ---- the random sequence ------------------------------------------------------------ */

static int free_ctx_slot(struct runner *r)
{
	int c;

	for (c = r->ctx_lo; c < r->ctx_hi; c++)
		if (!mctx[c].exists)
			return c;
	return -1;
}

static bool ctx_has_tables(int c)
{
	int s;

	for (s = 0; s < DMASHIM_MODEL_SGT_SLOTS; s++)
		if (msgt[s].out && msgt[s].ctx == c)
			return true;
	return false;
}

/* Without revoke_pinned: give the tables of @c (or all, -1) back first. */
static void put_tables_before_revoke(struct runner *r, int c)
{
	int s;

	if (feat(FEAT_REVOKE_PINNED))
		return;
	for (s = r->sgt_lo; s < r->sgt_hi; s++)
		if (msgt[s].out && (c < 0 || msgt[s].ctx == c))
			do_put_sgt(r, s, 0);
}

static void op_ctx_create(struct runner *r, int unused)
{
	int c = free_ctx_slot(r), maybe;
	u32 cflags = 0;

	(void)unused;
	if (c < 0 || !bound || (r->concurrent && unbind_state) ||
	    (!r->concurrent && live_ctx_count(&maybe) >= 4))
		return;
	if (feat(FEAT_ATOMIC) && chance(&r->g, 5))
		cflags |= DMASHIM_MODEL_F_ATOMIC;
	if (feat(FEAT_NULLARGS) && chance(&r->g, 3))
		cflags |= chance(&r->g, 50) ? DMASHIM_MODEL_F_NULL_CTX :
			  DMASHIM_MODEL_F_NULL_PTR;
	if (chance(&r->g, 30)) {
		struct counters none = { 0 };
		struct opts_img lim;

		limits_build(r, &lim, &none);
		do_ctx_create_lim(r, c, chance(&r->g, 50), cflags,
				  pick_inject(r), &lim);
	} else {
		do_ctx_create(r, c, chance(&r->g, 50), cflags, pick_inject(r));
	}
	check_ctx_dirs(r);
}

static void op_ctx_destroy(struct runner *r, int unused)
{
	int cand[DMASHIM_MODEL_CTX_SLOTS], n = 0, c;

	(void)unused;
	for (c = r->ctx_lo; c < r->ctx_hi; c++)
		if (mctx[c].exists && !mctx[c].devm && !mctx[c].revoked)
			cand[n++] = c;
	if (!n)
		return;
	c = cand[rnd(&r->g, n)];
	put_tables_before_revoke(r, c);
	do_ctx_destroy(r, c, feat(FEAT_LOCKED) && chance(&r->g, 50),
		       pick_inject(r));
	check_ctx_dirs(r);
}

static void op_ctx_forget(struct runner *r, int unused)
{
	int c;

	(void)unused;
	for (c = r->ctx_lo; c < r->ctx_hi; c++)
		if (mctx[c].exists && mctx[c].revoked && !ctx_has_tables(c)) {
			do_quiesce(r, c);
			do_ctx_forget(r, c);
			return;
		}
}

static void op_map_access(struct runner *r, int c)
{
	int mi = pick_map(r);

	(void)c;
	if (mi >= 0)
		do_map_access(r, mi, chance(&r->g, 50), false);
}

static void op_munmap(struct runner *r, int c)
{
	int mi = pick_map(r);

	(void)c;
	if (mi >= 0)
		do_munmap(r, mi);
}

static void op_fork(struct runner *r, int c)
{
	int mi = pick_map(r);

	(void)c;
	if (mi >= 0 && !r->map[mi].revoked)
		do_fork_check(r, mi, chance(&r->g, 50));
}

static void op_unbind(struct runner *r, int c)
{
	(void)c;
	if (!bound)
		return;
	put_tables_before_revoke(r, -1);
	do_unbind(r, pick_inject(r));
	check_ctx_dirs(r);
}

/* The random operations: weight (in tenths) and the feature they need. */
static const struct seq_op {
	const char *name;
	void (*run)(struct runner *r, int c);
	unsigned int weight;
	enum feature feat;	/* FEAT_NR: always */
	bool sequential;	/* not in the concurrent variant */
} seq_ops[] = {
	{ "ctx_create", op_ctx_create, 30, FEAT_NR, false },
	{ "ctx_destroy", op_ctx_destroy, 10, FEAT_NR, false },
	{ "ctx_forget", op_ctx_forget, 10, FEAT_NR, false },
	{ "ctx_refs", op_ctx_refs, 5, FEAT_NR, false },
	{ "alloc", op_alloc_coherent, 140, FEAT_NR, false },
	{ "alloc_noncoherent", op_alloc_noncoherent, 70, FEAT_NR, false },
	{ "free", op_free, 100, FEAT_NR, false },
	{ "info", op_info, 40, FEAT_NR, false },
	{ "stats", op_stats, 20, FEAT_NR, true },
	{ "counters", op_check_counters, 10, FEAT_NR, false },
	{ "quiesce", op_quiesce, 10, FEAT_NR, false },
	{ "pool_create", op_pool_create, 30, FEAT_NR, false },
	{ "pool_alloc", op_pool_alloc, 70, FEAT_NR, false },
	{ "pool_destroy", op_pool_destroy, 10, FEAT_NR, false },
	{ "dma_addr", op_dma_addr, 30, FEAT_NR, false },
	{ "read", op_read, 60, FEAT_NR, false },
	{ "write", op_write, 60, FEAT_NR, false },
	{ "fill", op_fill, 30, FEAT_NR, false },
	{ "copy", op_copy, 30, FEAT_NR, false },
	{ "load", op_load, 40, FEAT_NR, false },
	{ "store", op_store, 40, FEAT_NR, false },
	{ "access", op_access, 30, FEAT_NR, false },
	{ "sync", op_sync, 30, FEAT_NR, false },
	{ "map", op_map, 40, FEAT_NR, false },
	{ "unmap", op_unmap, 30, FEAT_NR, false },
	{ "dma_segment", op_dma_segment, 20, FEAT_NR, false },
	{ "set_limits", op_set_limits, 8, FEAT_NR, false },
	{ "get_sgtable", op_get_sgt, 30, FEAT_SGT, false },
	{ "put_sgtable", op_put_sgt, 30, FEAT_SGT, false },
	{ "sgt_read", op_sgt_read, 20, FEAT_SGT, false },
	{ "mmap", op_mmap, 40, FEAT_MMAP, false },
	{ "map_access", op_map_access, 60, FEAT_MMAP, false },
	{ "munmap", op_munmap, 25, FEAT_MMAP, false },
	{ "fork", op_fork, 5, FEAT_FORK, true },
	{ "unbind", op_unbind, 1, FEAT_UNBIND, true },
};

static bool seq_op_enabled(const struct seq_op *op, bool concurrent)
{
	if (concurrent && op->sequential)
		return false;
	if (op->feat == FEAT_FORK && !feat(FEAT_MMAP))
		return false;
	return op->feat == FEAT_NR || feat(op->feat);
}

/* One random operation on context @c (or on none, for some). */
static void random_op(struct runner *r, int c)
{
	unsigned int total = 0, w, i;

	for (i = 0; i < ARRAY_SIZE(seq_ops); i++)
		if (seq_op_enabled(&seq_ops[i], r->concurrent))
			total += seq_ops[i].weight;
	w = rnd(&r->g, total);
	for (i = 0; i < ARRAY_SIZE(seq_ops); i++) {
		if (!seq_op_enabled(&seq_ops[i], r->concurrent))
			continue;
		if (w < seq_ops[i].weight)
			break;
		w -= seq_ops[i].weight;
	}
	seq_ops[i].run(r, c);
}

static void seq_step(struct runner *r)
{
	int c = pick_ctx(r, false);

	if (!bound && chance(&r->g, 5))
		do_rebind(r);
	if (c < 0)
		op_ctx_create(r, -1);
	else
		random_op(r, c);
}

/* ---- cases -------------------------------------------------------------------- */

static int ncpus;

static void runner_init(struct runner *r, const char *name, u64 seed, int tid)
{
	cpu_set_t cpus;

	memset(r, 0, sizeof(*r));
	r->casename = name;
	r->seed = seed;
	r->g.s = seed;
	r->tid = tid;
	r->lane = tid;
	r->ctx_lo = SEQ_CTX_LO;
	r->ctx_hi = SEQ_CTX_HI;
	r->map_lo = 0;
	r->map_hi = 4;
	r->sgt_lo = 0;
	r->sgt_hi = 6;
	r->stream_lo = 0;
	r->stream_hi = DMASHIM_MODEL_STREAM_SLOTS;
	memset(r->sgt_map, 0xff, sizeof(r->sgt_map));
	/* One CPU per thread: PRELOAD fills the CPU the call runs on. */
	CPU_ZERO(&cpus);
	CPU_SET(tid % (ncpus ? ncpus : 1), &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	r->fnth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	r->mif_fd = open("/proc/thread-self/make-it-fail", O_RDWR);
	if (r->fnth_fd < 0 || r->mif_fd < 0) {
		perror("/proc/thread-self/fail-nth or make-it-fail");
		exit(KSFT_FAIL);
	}
	snprintf(r->op, sizeof(r->op), "(start)");
}

static void runner_close_bufs(struct runner *r)
{
	int i;

	for (i = 0; i < MAX_BUFS; i++)
		free(r->buf[i].shadow);
	memset(r->buf, 0, sizeof(r->buf));
}

static void runner_close(struct runner *r)
{
	runner_close_bufs(r);
	close(r->fnth_fd);
	close(r->mif_fd);
}

/*
 * End of a case: everything given back, every context revoked and
 * forgotten.  @checked: with the model's expectations (the case passed);
 * else best effort, whatever state a failure left.
 */
static void cleanup(struct runner *r, bool checked)
{
	struct dmashim_model_call k = { 0 };
	int i, c;
	bool live = false;

	for (i = 0; i < MAX_MAPS; i++)
		if (r->map[i].used) {
			if (checked)
				do_munmap(r, i);
			else
				munmap(r->map[i].addr, r->map[i].len);
		}
	memset(r->map, 0, sizeof(r->map));
	for (i = r->sgt_lo; i < r->sgt_hi; i++) {
		if (!msgt[i].out)
			continue;
		if (checked) {
			do_put_sgt(r, i, 0);
			continue;
		}
		k = (struct dmashim_model_call){
			.op = DMASHIM_MODEL_OP_PUT_SGTABLE, .ctx = msgt[i].ctx,
			.handle = msgt[i].h, .slot = i,
		};
		dev_call_ex(r, &k, 0, true);
		msgt[i].out = false;
	}
	for (c = r->ctx_lo; c < r->ctx_hi; c++) {
		if (!checked || !mctx[c].exists || mctx[c].revoked)
			continue;
		if (mctx[c].devm)
			live = true;
		else
			do_ctx_destroy(r, c, false, 0);
	}
	if (live)
		do_unbind(r, 0);
	if (!checked && bound) {
		sysfs_write(SYSFS_DRV "/unbind");
		bound = false;
	}
	if (!bound)
		do_rebind(r);
	for (c = r->ctx_lo; c < r->ctx_hi; c++) {
		k = (struct dmashim_model_call){
			.op = DMASHIM_MODEL_OP_CTX_FORGET, .ctx = c,
		};
		dev_call_ex(r, &k, 0, true);
		ctx_slot_reset(c);
	}
	if (checked)
		check_ctx_dirs(r);
}

struct case_def {
	const char *name;
	void (*run)(struct runner *r);
	bool optional;		/* only with -R or -c */
	bool soak;		/* run by -d */
};

static unsigned long total_steps;

static void case_concurrent(struct runner *r);
static void concurrent_cleanup(bool checked);

/* Run one case; returns true if it passed. */
static bool run_case(const struct case_def *cd, u64 seed)
{
	static struct runner r;
	bool ok;

	runner_init(&r, cd->name, seed, 0);
	if (!sigsetjmp(r.stop, 1))
		cd->run(&r);
	if (cd->run == case_concurrent)
		concurrent_cleanup(!r.failed);
	if (!sigsetjmp(r.stop, 1))
		cleanup(&r, !r.failed);
	else if (!sigsetjmp(r.stop, 1))
		cleanup(&r, false);
	ok = !r.failed;
	total_steps += r.step;
	runner_close(&r);
	return ok;
}

static void case_sequence(struct runner *r)
{
	unsigned long n = cfg.steps;

	for (r->step = 1; r->step <= n; r->step++)
		seq_step(r);
	msg("sequence: %lu steps, %lu calls", n, r->calls);
}

/* fail_nth and make-it-fail must fail GFP_KERNEL slab and page allocations. */
static void case_fail_nth_selfcheck(struct runner *r)
{
	static const char *const what[] = { "kmalloc(GFP_KERNEL)",
					    "alloc_page(GFP_KERNEL)" };
	struct dmashim_model_call k = { .op = DMASHIM_MODEL_OP_FAULT_PROBE };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		k.arg = i;
		snprintf(r->op, sizeof(r->op), "%s with fail-nth=1", what[i]);
		dev_call(r, &k, 1);
		if (k.ret != -ENOMEM || !r->consumed)
			stop_case(r, "fail_nth did not fail it (returned %s): guest setup",
				  errname(k.ret));
		snprintf(r->op, sizeof(r->op), "%s with make-it-fail=1", what[i]);
		dev_call(r, &k, INJ_PRESSURE);
		if (k.ret != -ENOMEM)
			stop_case(r, "make-it-fail did not fail it (returned %s): not armed",
				  errname(k.ret));
		snprintf(r->op, sizeof(r->op), "%s", what[i]);
		dev_call(r, &k, 0);
		if (k.ret)
			stop_case(r, "failed without injection: %s",
				  errname(k.ret));
	}
}

/* ---- the concurrent variant ------------------------------------------------------ */

static struct runner workers[MAX_THREADS];
static unsigned long conc_steps;	/* done by all workers */
static int conc_abort;

/* A worker applies the unbind to its own model once it is over. */
static void worker_sees_unbind(struct runner *r)
{
	int c;

	for (c = r->ctx_lo; c < r->ctx_hi; c++)
		if (mctx[c].exists && !mctx[c].revoked)
			revoke_model(r, c);
	if (!r->shared_m.revoked)
		revoke_model(r, shared_ctx);
	r->saw_unbind = true;
}

static void conc_step(struct runner *r)
{
	int c;

	if (__atomic_load_n(&unbind_state, __ATOMIC_ACQUIRE) == 2 &&
	    !r->saw_unbind)
		worker_sees_unbind(r);
	c = chance(&r->g, 30) ? shared_ctx : pick_ctx(r, false);
	if (c < 0)
		op_ctx_create(r, -1);
	else
		random_op(r, c);
}

static unsigned long worker_steps;

static void *worker_main(void *arg)
{
	struct runner *r = arg;
	struct runner init = *r;

	runner_init(r, init.casename, init.seed, init.tid);
	r->concurrent = true;
	r->ctx_lo = init.ctx_lo;
	r->ctx_hi = init.ctx_hi;
	r->map_lo = init.map_lo;
	r->map_hi = init.map_hi;
	r->sgt_lo = init.sgt_lo;
	r->sgt_hi = init.sgt_hi;
	r->stream_lo = init.stream_lo;
	r->stream_hi = init.stream_hi;
	r->shared_m.exists = true;
	r->shared_m.uid = mctx[shared_ctx].uid;
	if (!sigsetjmp(r->stop, 1)) {
		for (r->step = 1; r->step <= worker_steps &&
		     !__atomic_load_n(&conc_abort, __ATOMIC_RELAXED); r->step++) {
			conc_step(r);
			__atomic_add_fetch(&conc_steps, 1, __ATOMIC_RELAXED);
		}
		/* The unbind may come after the last step. */
		while (__atomic_load_n(&unbind_state, __ATOMIC_ACQUIRE) != 2 &&
		       !__atomic_load_n(&conc_abort, __ATOMIC_RELAXED))
			usleep(1000);
		if (!r->saw_unbind &&
		    !__atomic_load_n(&conc_abort, __ATOMIC_RELAXED))
			worker_sees_unbind(r);
	}
	if (r->failed)
		__atomic_store_n(&conc_abort, 1, __ATOMIC_RELAXED);
	close(r->fnth_fd);
	close(r->mif_fd);
	return NULL;
}

/* A worker's own contexts after the run, from the main thread. */
static void check_worker(struct runner *r, struct runner *w, unsigned int t)
{
	int c;

	if (sigsetjmp(w->stop, 1))
		stop_case(r, "thread %u: its contexts after the unbind (see above)",
			  t);
	w->concurrent = false;
	for (c = w->ctx_lo; c < w->ctx_hi; c++)
		if (mctx[c].exists)
			do_quiesce(w, c);
}

static u64 u64_max(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* Add a worker's view of the shared context to the main model. */
static void add_shared(const struct mctx *w)
{
	struct counters *m = &mctx[shared_ctx].cnt;

	m->live += w->cnt.live;
	m->live_bytes += w->cnt.live_bytes;
	m->allocs += w->cnt.allocs;
	m->frees += w->cnt.frees;
	m->refused += w->cnt.refused;
	m->af += w->cnt.af;
	m->af_slack += w->cnt.af_slack;
	m->lm += w->cnt.lm;
	m->maps += w->cnt.maps;
	m->unmaps += w->cnt.unmaps;
	m->mf += w->cnt.mf;
	m->mf_slack += w->cnt.mf_slack;
	if (!m->peaks_loose) {
		m->peaks_loose = true;
		m->peak_bytes_lo = m->peak_bytes;
		m->peak_handles_lo = m->peak_handles;
		m->peak_maps_lo = m->peak_maps;
	}
	m->peak_bytes_lo = u64_max(m->peak_bytes_lo, w->cnt.peak_bytes);
	m->peak_handles_lo = u64_max(m->peak_handles_lo, w->cnt.peak_handles);
	m->peak_maps_lo = u64_max(m->peak_maps_lo, w->cnt.peak_maps);
	m->peak_bytes += w->cnt.peak_bytes;
	m->peak_handles += w->cnt.peak_handles;
	m->peak_maps += w->cnt.peak_maps;
	mctx[shared_ctx].rp += w->rp;
	mctx[shared_ctx].rp_bytes += w->rp_bytes;
}

/*
 * 2..4 threads, each with its own contexts and model, sharing pools of
 * one devm context; the main thread unbinds the device at a random
 * moment.  Counters are checked per thread, the shared context's against
 * the sum of the threads' models.
 */
static void case_concurrent(struct runner *r)
{
	unsigned int nthreads = 2 + rnd(&r->g, MAX_THREADS - 1), t, i;
	unsigned long unbind_at;
	pthread_t th[MAX_THREADS];
	struct opts_img o;
	int p, ret;

	shared_ctx = 0;
	r->ctx_lo = 0;
	r->ctx_hi = 1;
	if (!do_ctx_create(r, shared_ctx, true, 0, 0))
		stop_case(r, "setup: devm_ctx_create failed");
	n_shared_pools = 0;
	for (i = 0; i < 2; i++) {
		struct dmashim_pool_opts po = {
			.sz = sizeof(po), .align = 16 << i,
			.boundary = i ? PAGE : 0,
		};

		memset(&o, 0, sizeof(o));
		memcpy(o.b, &po, sizeof(po));
		o.n = sizeof(po);
		p = do_pool_create(r, shared_ctx, 48 + 200 * i, &o, 0, 0);
		if (p < 0)
			stop_case(r, "setup: pool_create failed");
		shared_pool[n_shared_pools++] = r->pool[p];
		memset(&r->pool[p], 0, sizeof(r->pool[p]));
	}
	worker_steps = cfg.steps / nthreads;
	unbind_at = rnd(&r->g, worker_steps * nthreads);
	__atomic_store_n(&unbind_state, 0, __ATOMIC_RELEASE);
	conc_steps = 0;
	conc_abort = 0;
	for (t = 0; t < nthreads; t++) {
		struct runner *w = &workers[t];

		memset(w, 0, sizeof(*w));
		w->casename = r->casename;
		w->seed = mix64(r->seed + t + 1);
		w->tid = t + 1;
		w->ctx_lo = 1 + 3 * t;
		w->ctx_hi = 4 + 3 * t;
		w->map_lo = 4 * t;
		w->map_hi = 4 * t + 4;
		w->sgt_lo = 4 * t;
		w->sgt_hi = 4 * t + 4;
		w->stream_lo = 2 * t;
		w->stream_hi = 2 * t + 2;
		pthread_create(&th[t], NULL, worker_main, w);
	}
	while (__atomic_load_n(&conc_steps, __ATOMIC_RELAXED) < unbind_at &&
	       !__atomic_load_n(&conc_abort, __ATOMIC_RELAXED))
		usleep(500);
	snprintf(r->op, sizeof(r->op), "unbind while %u threads run (after %lu of their steps)",
		 nthreads, unbind_at);
	__atomic_store_n(&unbind_state, 1, __ATOMIC_RELEASE);
	call_begin(r);
	ret = sysfs_write(SYSFS_DRV "/unbind");
	call_end(r);
	bound = false;
	__atomic_store_n(&unbind_state, 2, __ATOMIC_RELEASE);
	for (t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	msg("concurrent: %u threads, %lu steps, unbind after %lu", nthreads,
	    conc_steps, unbind_at);
	if (ret)
		stop_case(r, "unbind: %s", errname(ret));
	for (t = 0; t < nthreads; t++)
		if (workers[t].failed)
			stop_case(r, "thread %u failed (see above)", t + 1);
	revoke_model(r, shared_ctx);
	for (t = 0; t < nthreads; t++) {
		add_shared(&workers[t].shared_m);
		check_worker(r, &workers[t], t + 1);
	}
	r->step = conc_steps;
	do_quiesce(r, shared_ctx);
}

/* The workers' leftovers (maps, tables, contexts), then the shared one. */
static void concurrent_cleanup(bool checked)
{
	unsigned int t;

	for (t = 0; t < MAX_THREADS; t++) {
		struct runner *w = &workers[t];

		if (!w->casename)
			continue;
		w->concurrent = false;
		if (!sigsetjmp(w->stop, 1))
			cleanup(w, checked && !w->failed);
		else if (!sigsetjmp(w->stop, 1))
			cleanup(w, false);
		runner_close_bufs(w);
		memset(w, 0, sizeof(*w));
	}
	n_shared_pools = 0;
	shared_ctx = -1;
	__atomic_store_n(&unbind_state, 0, __ATOMIC_RELEASE);
}

/* ---- fail_nth sweeps ------------------------------------------------------------ */

struct sweep_entry {
	const char *name;
	/* One injected call; returns its result (0 success), undone after. */
	int (*one)(struct runner *r, int n);
	bool needs_ctx;		/* a plain context in slot 1 first */
	enum feature feat;	/* FEAT_NR: always */
};

#define SWEEP_CTX	1
#define SWEEP_MAX_N	400
/* Slots per chunk of a context's handle table (kernel/dmashim_internal.h). */
#define TABLE_CHUNK_SLOTS	32

/* A buffer of context @c, allocated with injection @inject: its index. */
static int sweep_new_buffer(struct runner *r, int c, bool nc, u64 len,
			    u32 flags, u32 cflags, int inject)
{
	struct opts_img o;
	struct dmashim_alloc_opts a = {
		.sz = sizeof(a), .flags = flags, .numa_node = -1,
	};

	memset(&o, 0, sizeof(o));
	memcpy(o.b, &a, sizeof(a));
	o.n = sizeof(a);
	return do_alloc(r, c, nc, len, DMASHIM_DIR_BIDIRECTIONAL, &o, cflags,
			inject);
}

static int sweep_alloc(struct runner *r, int n, bool nc, u64 len, u32 flags,
		       u32 cflags)
{
	int i = sweep_new_buffer(r, SWEEP_CTX, nc, len, flags, cflags, n);

	if (i < 0)
		return -1;
	do_free(r, SWEEP_CTX, r->buf[i].h, 0, 0);
	return 0;
}

static int sw_alloc_coherent(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, 3 * PAGE + 100, 0, 0);
}

static int sw_alloc_large(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, 256 << 10, 0, 0);
}

static int sw_alloc_write_combine(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, 2 * PAGE,
			   DMASHIM_ALLOC_WRITE_COMBINE, 0);
}

static int sw_alloc_no_kernel_mapping(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, 2 * PAGE,
			   DMASHIM_ALLOC_NO_KERNEL_MAPPING, 0);
}

static int sw_alloc_attrs(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, PAGE,
			   DMASHIM_ALLOC_WEAK_ORDERING |
			   DMASHIM_ALLOC_FORCE_CONTIGUOUS |
			   DMASHIM_ALLOC_NO_WARN | DMASHIM_ALLOC_PRIVILEGED, 0);
}

static int sw_alloc_single_pages(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, 4 * PAGE,
			   DMASHIM_ALLOC_SINGLE_PAGES, 0);
}

static int sw_alloc_nowait_atomic(struct runner *r, int n)
{
	return sweep_alloc(r, n, false, PAGE, DMASHIM_ALLOC_NOWAIT,
			   DMASHIM_MODEL_F_ATOMIC);
}

static int sw_alloc_noncoherent(struct runner *r, int n)
{
	return sweep_alloc(r, n, true, 5 * PAGE, 0, 0);
}

static int sw_alloc_noncoherent_nowait_atomic(struct runner *r, int n)
{
	return sweep_alloc(r, n, true, PAGE, DMASHIM_ALLOC_NOWAIT,
			   DMASHIM_MODEL_F_ATOMIC);
}

static void sweep_pool_opts(struct opts_img *o, u32 align, u64 boundary)
{
	struct dmashim_pool_opts p = {
		.sz = sizeof(p), .align = align, .boundary = boundary,
	};

	memset(o, 0, sizeof(*o));
	memcpy(o->b, &p, sizeof(p));
	o->n = sizeof(p);
}

static int sw_pool_create(struct runner *r, int n)
{
	struct opts_img o;
	int p;

	sweep_pool_opts(&o, 16, PAGE);
	p = do_pool_create(r, SWEEP_CTX, 64, &o, 0, n);
	if (p < 0)
		return -1;
	do_pool_destroy(r, SWEEP_CTX, r->pool[p].h, 0);
	return 0;
}

/* A streaming mapping of @kind, unmapped after. */
static int sweep_map(struct runner *r, int n, u32 kind, u32 cflags)
{
	struct dmashim_map_opts mo = {
		.sz = sizeof(mo),
		.flags = cflags & DMASHIM_MODEL_F_ATOMIC ? DMASHIM_MAP_NOWAIT : 0,
	};
	struct opts_img o;
	int i;

	memset(&o, 0, sizeof(o));
	memcpy(o.b, &mo, sizeof(mo));
	o.n = sizeof(mo);
	i = do_map(r, SWEEP_CTX, kind, r->stream_lo, 100, 3 * PAGE,
		   DMASHIM_DIR_TO_DEVICE, &o, cflags, n);
	if (i < 0)
		return -1;
	do_unmap(r, SWEEP_CTX, r->buf[i].h, 0);
	return 0;
}

static int sw_map_single(struct runner *r, int n)
{
	return sweep_map(r, n, DMASHIM_KIND_MAP_SINGLE, 0);
}

static int sw_map_page_nowait_atomic(struct runner *r, int n)
{
	return sweep_map(r, n, DMASHIM_KIND_MAP_PAGE, DMASHIM_MODEL_F_ATOMIC);
}

static int sw_map_sgtable(struct runner *r, int n)
{
	return sweep_map(r, n, DMASHIM_KIND_MAP_SGTABLE, 0);
}

/* The options image of a context created with limits. */
static void sweep_limits_opts(struct opts_img *o)
{
	struct dmashim_limits l = {
		.sz = sizeof(l), .max_bytes = 1 << 20, .max_handles = 10,
		.max_mappings = 2,
	};

	memset(o, 0, sizeof(*o));
	memcpy(o->b, &l, sizeof(l));
	o->n = sizeof(l);
}

/*
 * Context 2 created with injection @n (devm: undone by an unbind and a
 * rebind, else destroyed), with the limits of sweep_limits_opts() or none.
 */
static int sweep_ctx_create(struct runner *r, int n, bool devm, bool limits)
{
	struct opts_img o;

	sweep_limits_opts(&o);
	if (!do_ctx_create_lim(r, 2, devm, 0, n, limits ? &o : NULL)) {
		check_ctx_dirs(r);
		return -1;
	}
	if (devm) {
		do_unbind(r, 0);
		do_rebind(r);
	} else {
		do_ctx_destroy(r, 2, false, 0);
	}
	do_ctx_forget(r, 2);
	check_ctx_dirs(r);
	return 0;
}

static int sw_ctx_create_opts(struct runner *r, int n)
{
	return sweep_ctx_create(r, n, false, true);
}

/* A block from a new pool (@cached: from its free list). */
static int sweep_pool_alloc(struct runner *r, int n, bool cached, u32 flags,
			    u32 cflags)
{
	struct opts_img o;
	int p, b, ret = 0;

	sweep_pool_opts(&o, 0, 0);
	p = do_pool_create(r, SWEEP_CTX, 100, &o, 0, 0);
	if (p < 0)
		stop_case(r, "setup: pool_create failed");
	if (cached) {
		b = do_pool_alloc(r, SWEEP_CTX, r->pool[p].h, 0, 0, 0);
		if (b < 0)
			stop_case(r, "setup: pool_alloc failed");
		do_free(r, SWEEP_CTX, r->buf[b].h, 0, 0);
		do_quiesce(r, SWEEP_CTX);
	}
	b = do_pool_alloc(r, SWEEP_CTX, r->pool[p].h, flags, cflags, n);
	if (b < 0)
		ret = -1;
	else
		do_free(r, SWEEP_CTX, r->buf[b].h, 0, 0);
	do_pool_destroy(r, SWEEP_CTX, r->pool[p].h, 0);
	return ret;
}

static int sw_pool_alloc(struct runner *r, int n)
{
	return sweep_pool_alloc(r, n, false, 0, 0);
}

static int sw_pool_alloc_cached(struct runner *r, int n)
{
	return sweep_pool_alloc(r, n, true, 0, 0);
}

static int sw_pool_alloc_nowait_atomic(struct runner *r, int n)
{
	return sweep_pool_alloc(r, n, false, DMASHIM_ALLOC_NOWAIT,
				DMASHIM_MODEL_F_ATOMIC);
}

/* A buffer of @flags (@nc: non-coherent) for the sharing sweeps. */
static int sweep_buffer_in(struct runner *r, int c, bool nc, u32 flags)
{
	int i = sweep_new_buffer(r, c, nc, 3 * PAGE, flags, 0, 0);

	if (i < 0)
		stop_case(r, "setup: alloc failed");
	return i;
}

static int sweep_buffer(struct runner *r, bool nc, u32 flags)
{
	return sweep_buffer_in(r, SWEEP_CTX, nc, flags);
}

static int sweep_sgt(struct runner *r, int n, bool nc, u32 flags)
{
	int i = sweep_buffer(r, nc, flags), s = r->sgt_lo, ret = -1;
	u64 h = r->buf[i].h;

	do_get_sgt(r, SWEEP_CTX, h, s, 0, n);
	if (msgt[s].out) {
		do_put_sgt(r, s, 0);
		ret = 0;
	}
	do_free(r, SWEEP_CTX, h, 0, 0);
	return ret;
}

static int sw_get_sgtable(struct runner *r, int n)
{
	return sweep_sgt(r, n, false, 0);
}

static int sw_get_sgtable_noncoherent(struct runner *r, int n)
{
	return sweep_sgt(r, n, true, 0);
}

static int sw_get_sgtable_no_kernel_mapping(struct runner *r, int n)
{
	return sweep_sgt(r, n, false, DMASHIM_ALLOC_NO_KERNEL_MAPPING);
}

static int sweep_mmap(struct runner *r, int n, bool nc, bool fault)
{
	int i = sweep_buffer(r, nc, 0), m, sig;
	u64 h = r->buf[i].h;
	u8 v;

	m = do_mmap(r, SWEEP_CTX, h, 3, true, 0, r->map_lo, 0, fault ? 0 : n);
	if (m >= 0 && fault) {
		snprintf(r->op, sizeof(r->op), "first access to a new mapping (inject=%d)",
			 n);
		inject_begin(r, n);
		sig = guarded_copy(&v, r->map[m].addr + 2 * PAGE, 1);
		inject_end(r, n);
		if (sig)
			stop_case(r, "%s on the first access", signame(sig));
		if (v != r->buf[i].shadow[2 * PAGE])
			stop_case(r, "first access read 0x%02x", v);
	}
	if (m >= 0)
		do_munmap(r, m);
	do_free(r, SWEEP_CTX, h, 0, 0);
	return m >= 0 ? 0 : -1;
}

static int sw_mmap(struct runner *r, int n)
{
	return sweep_mmap(r, n, false, false);
}

static int sw_mmap_noncoherent(struct runner *r, int n)
{
	return sweep_mmap(r, n, true, false);
}

static int sw_mmap_first_fault(struct runner *r, int n)
{
	return sweep_mmap(r, n, false, true);
}

/*
 * The allocation that finds a new context's first 32 slots (one chunk) in
 * use: a new chunk, and a directory twice the size of the first.
 */
static int sw_table_grow(struct runner *r, int n)
{
	int k, i;

	if (!do_ctx_create(r, 2, false, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	for (k = 0; k < TABLE_CHUNK_SLOTS; k++)
		sweep_buffer_in(r, 2, false, 0);
	i = sweep_new_buffer(r, 2, false, 3 * PAGE, 0, 0, n);
	do_ctx_destroy(r, 2, false, 0);
	do_ctx_forget(r, 2);
	check_ctx_dirs(r);
	return i >= 0 ? 0 : -1;
}

static int list_ctx_dirs(char names[][64], int max);

/* Opening a context's debugfs files, which allocates their seq_file. */
static int sw_debugfs_open(struct runner *r, int n)
{
	static const char *const files[] = { "stats", "handles" };
	char name[1][64], path[128], byte;
	int ret = 0, fd, err;
	unsigned int k;

	if (!list_ctx_dirs(name, 1))
		stop_case(r, "setup: no context directory in " DEBUGFS_DIR);
	for (k = 0; k < ARRAY_SIZE(files); k++) {
		snprintf(path, sizeof(path), DEBUGFS_DIR "/%s/%s", name[0],
			 files[k]);
		snprintf(r->op, sizeof(r->op), "open(%s) (inject=%d)", path, n);
		inject_begin(r, n);
		fd = open(path, O_RDONLY);
		err = errno;
		inject_end(r, n);
		if (fd < 0 && (err != ENOMEM || !r->consumed))
			stop_case(r, "%s: %s", r->op, strerror(err));
		if (fd < 0) {
			ret = -1;
			continue;
		}
		if (read(fd, &byte, 1) < 0)
			stop_case(r, "reading %s: %s", path, strerror(errno));
		close(fd);
	}
	return ret;
}

/* A context's first mapping, which makes the context's mapping file. */
static int sw_mmap_new_ctx(struct runner *r, int n)
{
	int i, m;

	if (!do_ctx_create(r, 2, false, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	i = sweep_buffer_in(r, 2, false, 0);
	m = do_mmap(r, 2, r->buf[i].h, 1, true, 0, r->map_lo, 0, n);
	if (m >= 0)
		do_munmap(r, m);
	do_free(r, 2, r->buf[i].h, 0, 0);
	do_ctx_destroy(r, 2, false, 0);
	do_ctx_forget(r, 2);
	check_ctx_dirs(r);
	return m >= 0 ? 0 : -1;
}

static int sw_ctx_create(struct runner *r, int n)
{
	return sweep_ctx_create(r, n, false, false);
}

static int sw_devm_ctx_create_opts(struct runner *r, int n)
{
	return sweep_ctx_create(r, n, true, true);
}

static int sw_devm_ctx_create(struct runner *r, int n)
{
	return sweep_ctx_create(r, n, true, false);
}

/*
 * Context @c full of things revocation must undo: buffers of each kind, a
 * pool with a block, a user mapping, a table out (revoke_pinned).
 * Returns the mapping's index.
 */
static int fill_ctx(struct runner *r, int c)
{
	struct opts_img o;
	int i, p, m, k;

	for (k = 0; k < 3; k++) {
		alloc_opts_build(r, &o, 0);
		o.null = true;
		i = do_alloc(r, c, k == 1, (k + 1) * PAGE, 0, &o, 0, 0);
		if (i < 0)
			stop_case(r, "setup: alloc failed");
	}
	sweep_pool_opts(&o, 0, 0);
	p = do_pool_create(r, c, 64, &o, 0, 0);
	if (p < 0 || do_pool_alloc(r, c, r->pool[p].h, 0, 0, 0) < 0)
		stop_case(r, "setup: pool failed");
	m = do_mmap(r, c, r->buf[i].h, 1, true, 1, r->map_lo + c % 4, 0, 0);
	if (m < 0)
		stop_case(r, "setup: mmap failed");
	if (feat(FEAT_SGT) && feat(FEAT_REVOKE_PINNED)) {
		for (i = 0; i < MAX_BUFS; i++)
			if (r->buf[i].used && r->buf[i].ctx == c &&
			    mappable(&r->buf[i]) && !r->buf[i].maps)
				break;
		do_get_sgt(r, c, r->buf[i].h, free_sgt_slot(r), 0, 0);
	}
	return m;
}

/* After revocation: ENODEV, SIGBUS, tables readable until put. */
static void check_revoked(struct runner *r, int c, int m)
{
	struct dmashim_model_call k = {
		.op = DMASHIM_MODEL_OP_FILL, .ctx = c, .len = 1,
	};
	int s;

	snprintf(r->op, sizeof(r->op), "fill(ctx=%d) after revocation", c);
	dev_call(r, &k, 0);
	expect_ret(r, X(ENODEV), k.ret);
	do_map_access(r, m, false, false);
	do_munmap(r, m);
	for (s = r->sgt_lo; s < r->sgt_hi; s++)
		if (msgt[s].out && msgt[s].ctx == c) {
			do_sgt_read(r, s);
			do_put_sgt(r, s, 0);
		}
	do_quiesce(r, c);
}

static int sw_revoke_destroy(struct runner *r, int n)
{
	int m;

	if (!do_ctx_create(r, 2, false, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	m = fill_ctx(r, 2);
	do_ctx_destroy(r, 2, false, n);
	check_revoked(r, 2, m);
	do_ctx_forget(r, 2);
	check_ctx_dirs(r);
	return 0;
}

static int sw_revoke_unbind(struct runner *r, int n)
{
	int m2, m3;

	if (!do_ctx_create(r, 2, true, 0, 0) ||
	    !do_ctx_create(r, 3, false, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	m2 = fill_ctx(r, 2);
	m3 = fill_ctx(r, 3);
	do_unbind(r, n);
	if (bound) {
		/* The write failed under injection: nothing was revoked. */
		check_counters(r, 2, false);
		do_map_access(r, m2, false, false);
		cleanup(r, true);
		return -1;
	}
	check_revoked(r, 2, m2);
	check_revoked(r, 3, m3);
	do_rebind(r);
	do_ctx_forget(r, 2);
	do_ctx_forget(r, 3);
	check_ctx_dirs(r);
	return 0;
}

/*
 * The handle table's insert failing: one injected node failure is absorbed
 * by the XArray's retry, and under make-it-fail an allocation normally
 * fails before the insert.  A block from a pool's free list needs no
 * allocation but the table's: fill a fresh context's table up to where a
 * new node is needed, free a whole node's worth of blocks (their node goes,
 * their blocks wait on the free list), then allocate under pressure.  The
 * expectations do not depend on that layout: -ENOMEM or a block, and
 * nothing else changes.
 */
static int sw_table_insert(struct runner *r, int n)
{
	struct opts_img o;
	int p, k, blk[126], failed = 0;

	if (n > 1) {
		r->inj_consumed = false;
		return 0;
	}
	sweep_pool_opts(&o, 0, 0);
	p = do_pool_create(r, SWEEP_CTX, 64, &o, 0, 0);
	if (p < 0)
		stop_case(r, "setup: pool_create failed");
	for (k = 0; k < 126; k++) {
		blk[k] = do_pool_alloc(r, SWEEP_CTX, r->pool[p].h, 0, 0, 0);
		if (blk[k] < 0)
			stop_case(r, "setup: pool_alloc failed");
	}
	for (k = 62; k < 126; k++)
		do_free(r, SWEEP_CTX, r->buf[blk[k]].h, 0, 0);
	do_quiesce(r, SWEEP_CTX);
	for (k = 0; k < 32; k++)
		failed += do_pool_alloc(r, SWEEP_CTX, r->pool[p].h, 0, 0,
					INJ_PRESSURE) < 0;
	do_pool_destroy(r, SWEEP_CTX, r->pool[p].h, 0);
	msg("table_insert: %d of 32 block allocations under pressure failed",
	    failed);
	return failed ? -1 : 0;
}

static const struct sweep_entry sweeps[] = {
	{ "ctx_create", sw_ctx_create, false, FEAT_NR },
	{ "devm_ctx_create", sw_devm_ctx_create, false, FEAT_UNBIND },
	{ "alloc_coherent", sw_alloc_coherent, true, FEAT_NR },
	{ "alloc_large", sw_alloc_large, true, FEAT_NR },
	{ "alloc_write_combine", sw_alloc_write_combine, true, FEAT_NR },
	{ "alloc_no_kernel_mapping", sw_alloc_no_kernel_mapping, true, FEAT_NR },
	{ "alloc_attrs", sw_alloc_attrs, true, FEAT_NR },
	{ "alloc_single_pages", sw_alloc_single_pages, true, FEAT_NR },
	{ "alloc_nowait_atomic", sw_alloc_nowait_atomic, true, FEAT_ATOMIC },
	{ "alloc_noncoherent", sw_alloc_noncoherent, true, FEAT_NR },
	{ "alloc_noncoherent_nowait_atomic",
	  sw_alloc_noncoherent_nowait_atomic, true, FEAT_ATOMIC },
	{ "pool_create", sw_pool_create, true, FEAT_NR },
	{ "pool_alloc", sw_pool_alloc, true, FEAT_NR },
	{ "pool_alloc_cached", sw_pool_alloc_cached, true, FEAT_NR },
	{ "pool_alloc_nowait_atomic", sw_pool_alloc_nowait_atomic, true,
	  FEAT_ATOMIC },
	{ "table_insert", sw_table_insert, true, FEAT_PRESSURE },
	{ "table_grow", sw_table_grow, false, FEAT_NR },
	{ "ctx_create_opts", sw_ctx_create_opts, false, FEAT_NR },
	{ "devm_ctx_create_opts", sw_devm_ctx_create_opts, false, FEAT_UNBIND },
	{ "map_single", sw_map_single, true, FEAT_NR },
	{ "map_page_nowait_atomic", sw_map_page_nowait_atomic, true,
	  FEAT_ATOMIC },
	{ "map_sgtable", sw_map_sgtable, true, FEAT_NR },
	{ "get_sgtable", sw_get_sgtable, true, FEAT_SGT },
	{ "get_sgtable_noncoherent", sw_get_sgtable_noncoherent, true,
	  FEAT_SGT },
	{ "get_sgtable_no_kernel_mapping", sw_get_sgtable_no_kernel_mapping,
	  true, FEAT_SGT },
	{ "mmap", sw_mmap, true, FEAT_MMAP },
	{ "mmap_noncoherent", sw_mmap_noncoherent, true, FEAT_MMAP },
	{ "mmap_first_fault", sw_mmap_first_fault, true, FEAT_MMAP },
	{ "mmap_new_ctx", sw_mmap_new_ctx, false, FEAT_MMAP },
	{ "debugfs_open", sw_debugfs_open, true, FEAT_NR },
	{ "revoke_destroy", sw_revoke_destroy, false, FEAT_MMAP },
	{ "revoke_unbind", sw_revoke_unbind, false, FEAT_UNBIND },
};

static const struct sweep_entry *sweep_of(const char *casename)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sweeps); i++)
		if (!strcmp(casename + strlen("fail_nth_sweep_"), sweeps[i].name))
			return &sweeps[i];
	return NULL;
}

static void case_sweep(struct runner *r)
{
	const struct sweep_entry *sw = sweep_of(r->casename);
	unsigned int failed = 0, absorbed = 0;
	char which[512] = "";
	size_t len = 0;
	int n, ret;

	if (sw->feat != FEAT_NR && !feat(sw->feat)) {
		msg("%s: feature %s left out", sw->name, feature_names[sw->feat]);
		return;
	}
	if (sw->needs_ctx && !do_ctx_create(r, SWEEP_CTX, false, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	for (n = 1; n <= SWEEP_MAX_N; n++) {
		r->step = n;
		r->inj_consumed = false;
		ret = sw->one(r, n);
		if (!r->inj_consumed)
			break;
		if (ret) {
			failed++;
			if (len < sizeof(which) - 16)
				len += snprintf(which + len, sizeof(which) - len,
						"%s%d", len ? "," : "", n);
		} else {
			absorbed++;
		}
		if (sw->needs_ctx)
			do_quiesce(r, SWEEP_CTX);
	}
	if (n > SWEEP_MAX_N)
		stop_case(r, "still consuming injections at n=%d", n);
	if (sw->needs_ctx)
		do_ctx_destroy(r, SWEEP_CTX, false, 0);
	msg("fail_nth %s: %d injection points: %u failed the call (n=%s), %u absorbed",
	    sw->name, n - 1, failed, which, absorbed);
}

/*
 * Pools with every boundary from 2^12 to 2^63 (-x bigboundary: below
 * 2^32): created, three blocks each, placement checked, destroyed.
 */
static void case_pool_boundary(struct runner *r)
{
	static const unsigned int shift[] = { 12, 16, 20, 24, 31, 32, 33, 40,
					      48, 56, 62, 63 };
	struct opts_img o;
	unsigned int i, k;
	int p;

	if (!do_ctx_create(r, SEQ_CTX_LO, false, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	for (i = 0; i < ARRAY_SIZE(shift); i++) {
		if (shift[i] >= 32 && !feat(FEAT_BIGBOUNDARY))
			continue;
		r->step = i + 1;
		sweep_pool_opts(&o, 64, 1ULL << shift[i]);
		p = do_pool_create(r, SEQ_CTX_LO, 1000, &o, 0, 0);
		if (p < 0)
			stop_case(r, "pool_create with boundary 2^%u refused",
				  shift[i]);
		for (k = 0; k < 3; k++)
			if (do_pool_alloc(r, SEQ_CTX_LO, r->pool[p].h, 0, 0, 0) < 0)
				stop_case(r, "pool_alloc failed");
		do_pool_destroy(r, SEQ_CTX_LO, r->pool[p].h, 0);
	}
	do_quiesce(r, SEQ_CTX_LO);
}

/*
 * Revoking one context never touches another's mappings, even through
 * the same file offset (another open of the device): a mapping of A and
 * one of B at one offset, A destroyed, B still reads and writes its bytes.
 */
static void case_revoke_isolation(struct runner *r)
{
	const int a = SEQ_CTX_LO, b = SEQ_CTX_LO + 1;
	struct opts_img o;
	int ba, bb, ma, mb, k;

	if (!do_ctx_create(r, a, false, 0, 0) || !do_ctx_create(r, b, true, 0, 0))
		stop_case(r, "setup: ctx_create failed");
	memset(&o, 0, sizeof(o));
	o.null = true;
	ba = do_alloc(r, a, false, 2 * PAGE, 0, &o, 0, 0);
	bb = do_alloc(r, b, false, 2 * PAGE, 0, &o, 0, 0);
	if (ba < 0 || bb < 0)
		stop_case(r, "setup: alloc failed");
	for (k = 0; k < 4; k++) {
		r->step++;
		do_rw(r, a, r->buf[ba].h, k * 1000, 1000, true, 0);
		do_rw(r, b, r->buf[bb].h, k * 1000, 1000, true, 0);
	}
	ma = do_mmap(r, a, r->buf[ba].h, 2, true, 0, r->map_lo, 0, 0);
	mb = do_mmap(r, b, r->buf[bb].h, 2, true, 1, r->map_lo, 0, 0);
	if (ma < 0 || mb < 0)
		stop_case(r, "setup: mmap failed");
	if (feat(FEAT_MULTIMAP) &&
	    do_mmap(r, b, r->buf[bb].h, 1, true, 0, r->map_lo + 1, 1, 0) < 0)
		stop_case(r, "setup: mmap failed");
	r->step++;
	do_ctx_destroy(r, a, false, 0);
	r->step++;
	do_map_access(r, ma, false, false);
	for (k = 0; k < 8; k++) {
		r->step++;
		do_map_access(r, mb, k & 1, false);
	}
	r->step++;
	do_rw(r, b, r->buf[bb].h, 0, 2 * PAGE, false, 0);
}

/* ---- context id reuse ----------------------------------------------------------- */

#define REUSE_SLOT_LO	16
#define REUSE_THREADS	16
#define REUSE_BLOCKS	120

static unsigned long reuse_target, reuse_done;
static int reuse_err;

static void *reuse_cycler(void *arg)
{
	long t = (long)arg;
	struct dmashim_model_call k = {
		.ctx = REUSE_SLOT_LO + t, .lane = 1 + t % 7,
	};

	unsigned long n;

	while ((n = __atomic_add_fetch(&reuse_done, 1, __ATOMIC_RELAXED)) <=
	       reuse_target && !__atomic_load_n(&reuse_err, __ATOMIC_RELAXED)) {
		if (!(n % 16384))
			msg("ctx_id_reuse: %lu contexts so far", n);
		k.op = DMASHIM_MODEL_OP_CTX_CREATE;
		k.flags = 0;
		if (ioctl(dev_fd, DMASHIM_MODEL_CALL, &k) || k.ret) {
			__atomic_store_n(&reuse_err, k.ret ? k.ret : -errno,
					 __ATOMIC_RELAXED);
			break;
		}
		k.op = DMASHIM_MODEL_OP_CTX_FORGET;
		if (ioctl(dev_fd, DMASHIM_MODEL_CALL, &k)) {
			__atomic_store_n(&reuse_err, -errno, __ATOMIC_RELAXED);
			break;
		}
	}
	return NULL;
}

/* The name of the one directory in @after that is not in @before. */
static bool new_ctx_dir(char before[][64], int nb, char *out)
{
	DIR *d = opendir(DEBUGFS_DIR);
	struct dirent *de;
	bool found = false;
	int i;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, DMASHIM_MODEL_DEV_NAME ".",
			    strlen(DMASHIM_MODEL_DEV_NAME) + 1))
			continue;
		for (i = 0; i < nb && strcmp(before[i], de->d_name); i++)
			;
		if (i == nb) {
			snprintf(out, 64, "%.63s", de->d_name);
			found = true;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static int list_ctx_dirs(char names[][64], int max)
{
	DIR *d = opendir(DEBUGFS_DIR);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) && n < max)
		if (!strncmp(de->d_name, DMASHIM_MODEL_DEV_NAME ".",
			     strlen(DMASHIM_MODEL_DEV_NAME) + 1))
			snprintf(names[n++], 64, "%.63s", de->d_name);
	if (d)
		closedir(d);
	return n;
}

/* A new plain context in @c; its debugfs directory name in @name. */
static void reuse_create(struct runner *r, int c, char *name)
{
	char before[8][64];
	int nb = list_ctx_dirs(before, 8);

	if (!do_ctx_create(r, c, false, 0, 0))
		stop_case(r, "ctx_create failed");
	if (!new_ctx_dir(before, nb, name))
		stop_case(r, "the new context has no debugfs directory");
}

/* A pool and REUSE_BLOCKS blocks in @c; returns the pool's index. */
static int reuse_fill(struct runner *r, int c)
{
	struct opts_img o;
	int p, k;

	sweep_pool_opts(&o, 0, 0);
	p = do_pool_create(r, c, 64, &o, 0, 0);
	if (p < 0)
		stop_case(r, "pool_create failed");
	for (k = 0; k < REUSE_BLOCKS; k++)
		if (do_pool_alloc(r, c, r->pool[p].h, 0, 0, 0) < 0)
			stop_case(r, "pool_alloc failed");
	return p;
}

/*
 * A context id comes back after 65535 contexts; the new context must not
 * accept, nor issue again, the handles of the old one.  A allocates
 * blocks and goes; contexts are created and destroyed until B gets A's id
 * (its debugfs directory, <device>.<id>, is A's); B then frees and
 * allocates blocks under memory pressure, which is when the library may
 * move to a new generation, and every handle B issues is checked against
 * all ever issued, every handle of A presented to B must be refused.
 */
static void case_ctx_id_reuse(struct runner *r)
{
	u64 old[REUSE_BLOCKS];
	char a_name[64], name[64];
	pthread_t th[REUSE_THREADS];
	double t0;
	long t;
	int p, i, k, round, tries;

	reuse_create(r, SEQ_CTX_LO, a_name);
	p = reuse_fill(r, SEQ_CTX_LO);
	for (i = 0, k = 0; i < MAX_BUFS && k < REUSE_BLOCKS; i++)
		if (r->buf[i].used)
			old[k++] = r->buf[i].h;
	do_pool_destroy(r, SEQ_CTX_LO, r->pool[p].h, 0);
	do_ctx_destroy(r, SEQ_CTX_LO, false, 0);
	do_ctx_forget(r, SEQ_CTX_LO);

	t0 = now_s();
	reuse_target = 65535 - 300;
	reuse_done = 0;
	reuse_err = 0;
	snprintf(r->op, sizeof(r->op), "create and destroy %lu contexts", reuse_target);
	for (t = 0; t < REUSE_THREADS; t++)
		pthread_create(&th[t], NULL, reuse_cycler, (void *)t);
	for (t = 0; t < REUSE_THREADS; t++)
		pthread_join(th[t], NULL);
	if (reuse_err)
		stop_case(r, "failed: %s", errname(reuse_err));
	msg("ctx_id_reuse: %lu contexts created and destroyed in %.1f s",
	    reuse_target, now_s() - t0);
	for (tries = 0;; tries++) {
		r->step = tries;
		reuse_create(r, SEQ_CTX_LO + 1, name);
		if (!strcmp(name, a_name))
			break;
		do_ctx_destroy(r, SEQ_CTX_LO + 1, false, 0);
		do_ctx_forget(r, SEQ_CTX_LO + 1);
		if (tries > 1000)
			stop_case(r, "context id of %s never came back", a_name);
	}
	msg("ctx_id_reuse: %s again after %lu more contexts, %.1f s in all",
	    name, reuse_target + tries + 1, now_s() - t0);

	p = reuse_fill(r, SEQ_CTX_LO + 1);
	for (round = 0; round < 40; round++) {
		int nfree = 8 + rnd(&r->g, 9);

		r->step = 1000 + round;
		for (k = 0; k < nfree; k++) {
			i = pick_buf(r, SEQ_CTX_LO + 1, false);
			if (i >= 0)
				do_free(r, SEQ_CTX_LO + 1, r->buf[i].h, 0, 0);
		}
		do_quiesce(r, SEQ_CTX_LO + 1);
		for (k = 0; k < nfree; k++)
			do_pool_alloc(r, SEQ_CTX_LO + 1, r->pool[p].h, 0, 0,
				      chance(&r->g, 50) ? INJ_PRESSURE : 0);
		for (k = 0; k < REUSE_BLOCKS; k += 7) {
			do_rw(r, SEQ_CTX_LO + 1, old[k], 0, 1, false, 0);
			do_free(r, SEQ_CTX_LO + 1, old[k], 0, 0);
		}
	}
}

/* ---- main ------------------------------------------------------------------------ */

static const struct case_def fixed_cases[] = {
	{ .name = "fail_nth_selfcheck", .run = case_fail_nth_selfcheck },
	{ .name = "sequence", .run = case_sequence, .soak = true },
	{ .name = "concurrent", .run = case_concurrent, .soak = true },
	{ .name = "revoke_isolation", .run = case_revoke_isolation },
	{ .name = "pool_boundary", .run = case_pool_boundary },
	{ .name = "ctx_id_reuse", .run = case_ctx_id_reuse, .optional = true },
};

static struct case_def cases[ARRAY_SIZE(fixed_cases) + ARRAY_SIZE(sweeps)];
static char sweep_names[ARRAY_SIZE(sweeps)][64];

/* The fixed cases, with the sweeps after the self-check. */
static void build_cases(void)
{
	unsigned int i, n = 0;

	cases[n++] = fixed_cases[0];
	for (i = 0; i < ARRAY_SIZE(sweeps); i++) {
		snprintf(sweep_names[i], sizeof(sweep_names[i]),
			 "fail_nth_sweep_%s", sweeps[i].name);
		cases[n++] = (struct case_def){
			.name = sweep_names[i], .run = case_sweep,
		};
	}
	for (i = 1; i < ARRAY_SIZE(fixed_cases); i++)
		cases[n++] = fixed_cases[i];
}

static u64 name_hash(const char *s)
{
	u64 h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (u8)*s++) * 1099511628211ULL;
	return h;
}

static u64 case_seed(const char *name)
{
	return mix64(cfg.seed ^ name_hash(name));
}

static void print_usage(const char *prog)
{
	unsigned int i;

	printf("%s [-s SEED] [-n STEPS] [-d SECONDS] [-c CASE] [-C CASE] [-x FEATURE,...]\n"
	       "    [-H SECONDS] [-P] [-R] [-l]\n"
	       "  -s  seed (default: random; printed first)\n"
	       "  -n  steps of the random sequence and of the concurrent variant (%lu)\n"
	       "  -d  soak: run rounds of the random cases for SECONDS\n"
	       "  -c  run only these cases (comma-separated, \"prefix*\" allowed)\n"
	       "  -C  leave these cases out (as -c)\n"
	       "  -x  leave features out of the random cases:",
	       prog, cfg.steps);
	for (i = 0; i < FEAT_NR; i++)
		printf(" %s", feature_names[i]);
	printf("\n  -H  report a call still running after SECONDS as a hang (%u)\n"
	       "  -P  power the guest off after reporting a hang\n"
	       "  -R  also run the context id reuse case (65536 contexts)\n"
	       "  -l  list the cases\n", cfg.hang_s);
}

static void exclude_features(const char *list)
{
	char *dup = strdup(list), *tok, *save = NULL;
	unsigned int i;

	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < FEAT_NR; i++)
			if (!strcmp(tok, feature_names[i]))
				break;
		if (i == FEAT_NR) {
			fprintf(stderr, "unknown feature %s\n", tok);
			exit(KSFT_FAIL);
		}
		cfg.features &= ~(1U << i);
	}
	free(dup);
}

static u64 mem_total(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long long kb = 1ULL << 20;
	char line[128];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

static u64 random_seed(void)
{
	u64 s = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, &s, sizeof(s)) != sizeof(s))
		s = time(NULL) ^ ((u64)getpid() << 32);
	if (fd >= 0)
		close(fd);
	return s;
}

/* Whether the device's remove() holds its driver lock (-x locked: no). */
static void set_remove_locked(bool on)
{
	int fd = open("/sys/module/dmashim_model_dev/parameters/remove_locked",
		      O_WRONLY);

	if (fd < 0 || write(fd, on ? "Y" : "N", 1) != 1)
		ksft_print_msg("cannot set remove_locked: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Is @name in the comma-separated @list (an entry "prefix*" matches)? */
static bool name_listed(const char *list, const char *name)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n && p[n - 1] == '*' && !strncmp(p, name, n - 1))
			return true;
		if (n == strlen(name) && !strncmp(p, name, n))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

static bool case_selected(const struct case_def *cd)
{
	if (cfg.skip && name_listed(cfg.skip, cd->name))
		return false;
	if (cfg.only)
		return name_listed(cfg.only, cd->name);
	return !cd->optional || (cfg.id_reuse && !strcmp(cd->name, "ctx_id_reuse"));
}

static void run_soak(void)
{
	double end = now_s() + cfg.soak_s;
	unsigned long rounds = 0, failures = 0;
	u64 base = cfg.seed;
	unsigned int i;

	/* Half an hour or more: the context id reuse case first (~13 min). */
	for (i = 0; i < ARRAY_SIZE(cases) && cfg.soak_s >= 1800; i++)
		if (!strcmp(cases[i].name, "ctx_id_reuse")) {
			msg("soak: %s -s %llu -c %s", cases[i].name, cfg.seed,
			    cases[i].name);
			failures += !run_case(&cases[i], case_seed(cases[i].name));
		}
	while (now_s() < end && !failures) {
		for (i = 0; i < ARRAY_SIZE(cases) && !failures; i++) {
			if (!cases[i].soak)
				continue;
			cfg.seed = mix64(base + rounds);
			msg("soak round %lu: %s -s %llu -c %s", rounds,
			    cases[i].name, cfg.seed, cases[i].name);
			if (!run_case(&cases[i], case_seed(cases[i].name)))
				failures++;
		}
		rounds++;
	}
	msg("soak: %lu rounds, %lu steps in %lu s, %lu failures", rounds,
	    total_steps, cfg.soak_s, failures);
	ksft_test_result(!failures, "soak\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_fault,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	unsigned int i, plan = 0;
	bool seeded = false;
	pthread_t wd;
	int opt;

	build_cases();
	while ((opt = getopt(argc, argv, "s:n:d:c:C:x:H:PRlh")) != -1) {
		switch (opt) {
		case 's':
			cfg.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			cfg.steps = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			cfg.soak_s = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			cfg.only = optarg;
			break;
		case 'C':
			cfg.skip = optarg;
			break;
		case 'x':
			exclude_features(optarg);
			break;
		case 'H':
			cfg.hang_s = strtoul(optarg, NULL, 0);
			break;
		case 'P':
			cfg.poweroff = true;
			break;
		case 'R':
			cfg.id_reuse = true;
			break;
		case 'l':
			for (i = 0; i < ARRAY_SIZE(cases); i++)
				printf("%s\n", cases[i].name);
			return 0;
		default:
			print_usage(argv[0]);
			return opt == 'h' ? 0 : KSFT_FAIL;
		}
	}
	if (!seeded)
		cfg.seed = random_seed();
	setvbuf(stdout, NULL, _IOLBF, 0);
	cfg.ram = mem_total();
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	kmsg_fd = open("/dev/kmsg", O_WRONLY);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	ksft_print_header();
	ksft_print_msg("seed %llu\n", cfg.seed);
	ksft_print_msg("reproduce: %s -s %llu -n %lu%s%s\n", argv[0],
		       cfg.seed, cfg.steps, cfg.only ? " -c " : "",
		       cfg.only ? cfg.only : "");
	for (i = 0; i < FEAT_NR; i++)
		if (!feat(i))
			ksft_print_msg("feature left out: %s\n", feature_names[i]);
	if (cfg.soak_s) {
		plan = 1;
	} else {
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			plan += case_selected(&cases[i]);
	}
	ksft_set_plan(plan);
	dev_fd = open("/dev/" DMASHIM_MODEL_DEV_NAME, O_RDWR);
	dev_fd2 = open("/dev/" DMASHIM_MODEL_DEV_NAME, O_RDWR);
	if (dev_fd < 0 || dev_fd2 < 0) {
		ksft_print_msg("cannot open /dev/%s: %s\n",
			       DMASHIM_MODEL_DEV_NAME, strerror(errno));
		for (i = 0; i < plan; i++)
			ksft_test_result_fail("no device\n");
		ksft_finished();
	}
	set_remove_locked(feat(FEAT_LOCKED));
	probe_madvise();
	pthread_create(&wd, NULL, watchdog, NULL);
	if (cfg.soak_s) {
		run_soak();
		ksft_finished();
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		double t0 = now_s();
		bool ok;

		if (!case_selected(&cases[i]))
			continue;
		ok = run_case(&cases[i], case_seed(cases[i].name));
		ksft_print_msg("%s: %.1f s\n", cases[i].name, now_s() - t0);
		ksft_test_result(ok, "%s\n", cases[i].name);
	}
	ksft_finished();
}
