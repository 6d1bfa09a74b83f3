// SPDX-License-Identifier: GPL-2.0
/*
 * User-space half of the dmashim mmap tests, run in the test guest against
 * /dev/dmashim_mmap_test (dmashim_mmap_dev.c).  Prints its results in KTAP
 * through the kernel's kselftest.h; the guest hook (40-mmap.sh) nests them
 * as the suite "dmashim_mmap_user", parsed with the KUnit suites.  The last
 * case unbinds the device, so it must stay last.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest.h>

#include "dmashim_mmap_dev.h"

#define PAGE		4096UL
#define UNBIND		"/sys/bus/platform/drivers/" DMASHIM_MMAP_DEV_NAME "/unbind"

/* One access to device-visible memory, never optimised away. */
static __u32 load32(const __u32 *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void store32(__u32 *p, __u32 v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static int dev_fd;
static int case_failed;

static void fail(const char *fmt, ...)
{
	int err = errno;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ksft_print_msg("%s (errno %d)\n", msg, err);
	case_failed = 1;
}

static int dev_alloc_on(int fd, __u32 slot, __u32 kind, __u64 len, __u8 fill)
{
	struct dmashim_mmap_dev_alloc req = {
		.len = len, .kind = kind, .fill = fill, .slot = slot,
	};

	return ioctl(fd, DMASHIM_MMAP_DEV_ALLOC, &req);
}

static int dev_alloc(__u32 slot, __u32 kind, __u64 len, __u8 fill)
{
	return dev_alloc_on(dev_fd, slot, kind, len, fill);
}

static void *map_slot_on(int fd, __u32 slot, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    (off_t)slot * DMASHIM_MMAP_DEV_STRIDE);
}

static int dev_load(__u32 slot, __u32 offset, __u32 *value)
{
	struct dmashim_mmap_dev_word w = { .slot = slot, .offset = offset };
	int ret = ioctl(dev_fd, DMASHIM_MMAP_DEV_LOAD, &w);

	*value = w.value;
	return ret;
}

static int dev_store(__u32 slot, __u32 offset, __u32 value)
{
	struct dmashim_mmap_dev_word w = {
		.slot = slot, .offset = offset, .value = value,
	};

	return ioctl(dev_fd, DMASHIM_MMAP_DEV_STORE, &w);
}

static int dev_free(__u32 slot)
{
	return ioctl(dev_fd, DMASHIM_MMAP_DEV_FREE, &slot);
}

static void *map_slot(__u32 slot, size_t len, int flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, dev_fd,
		    (off_t)slot * DMASHIM_MMAP_DEV_STRIDE);
}

static int all_bytes(const void *p, __u8 value, size_t len)
{
	const __u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != value)
			return 0;
	return 1;
}

/* Map @slot (already allocated, @len bytes) and check kernel <-> user. */
static void check_round_trip(__u32 slot, size_t len, __u8 fill)
{
	__u32 *p = map_slot(slot, len, MAP_SHARED);
	__u32 v = 0;

	if (p == MAP_FAILED) {
		fail("mmap slot %u", slot);
		return;
	}
	if (!all_bytes(p, fill, len))
		fail("user does not see the kernel's fill 0x%x", fill);
	store32(&p[len / 4 - 1], 0xc0ffee00u + slot);
	if (dev_load(slot, len - 4, &v) || v != 0xc0ffee00u + slot)
		fail("kernel read 0x%x after the user's write", v);
	if (dev_store(slot, 0, 0x5eed0000u + slot) ||
	    load32(&p[0]) != 0x5eed0000u + slot)
		fail("user read 0x%x after the kernel's write", load32(&p[0]));
	munmap(p, len);
	if (dev_free(slot))
		fail("free slot %u after munmap", slot);
}

static void test_coherent_round_trip(void)
{
	if (dev_alloc(0, DMASHIM_MMAP_DEV_COHERENT, 3 * PAGE, 0xa5))
		return fail("alloc");
	check_round_trip(0, 3 * PAGE, 0xa5);
}

static void test_write_combine_round_trip(void)
{
	if (dev_alloc(1, DMASHIM_MMAP_DEV_WRITE_COMBINE, 2 * PAGE, 0x3c))
		return fail("alloc");
	check_round_trip(1, 2 * PAGE, 0x3c);
}

static void test_noncoherent_round_trip(void)
{
	if (dev_alloc(2, DMASHIM_MMAP_DEV_NONCOHERENT, 5 * PAGE, 0x77))
		return fail("alloc");
	check_round_trip(2, 5 * PAGE, 0x77);
}

static void test_partial_page_buffer(void)
{
	void *p;

	if (dev_alloc(3, DMASHIM_MMAP_DEV_COHERENT, PAGE + 100, 0x11))
		return fail("alloc");
	p = map_slot(3, 2 * PAGE, MAP_SHARED);
	if (p == MAP_FAILED)
		return fail("mmap of a buffer rounded up to 2 pages");
	if (!all_bytes(p, 0x11, PAGE + 100))
		fail("user does not see the kernel's fill");
	munmap(p, 2 * PAGE);
	dev_free(3);
}

static void test_no_kernel_mapping_zeroed(void)
{
	void *p;

	if (dev_alloc(4, DMASHIM_MMAP_DEV_NO_KERNEL_MAPPING, 4 * PAGE, 0))
		return fail("alloc");
	p = map_slot(4, 4 * PAGE, MAP_SHARED);
	if (p == MAP_FAILED)
		return fail("mmap");
	if (!all_bytes(p, 0, 4 * PAGE))
		fail("a buffer without kernel mapping reached user space unzeroed");
	munmap(p, 4 * PAGE);
	dev_free(4);
}

static void test_larger_than_buffer_refused(void)
{
	if (dev_alloc(5, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0))
		return fail("alloc");
	if (map_slot(5, 2 * PAGE, MAP_SHARED) != MAP_FAILED || errno != EINVAL)
		fail("mapping 2 pages of a 1-page buffer was not refused (EINVAL)");
	dev_free(5);
}

static void test_private_mapping_refused(void)
{
	if (dev_alloc(6, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0))
		return fail("alloc");
	if (map_slot(6, PAGE, MAP_PRIVATE) != MAP_FAILED || errno != EINVAL)
		fail("MAP_PRIVATE was not refused (EINVAL)");
	dev_free(6);
}

static void test_pool_block_refused(void)
{
	if (dev_alloc(7, DMASHIM_MMAP_DEV_POOL_BLOCK, 64, 0))
		return fail("alloc");
	if (map_slot(7, PAGE, MAP_SHARED) != MAP_FAILED || errno != EOPNOTSUPP)
		fail("mapping a pool block was not refused (EOPNOTSUPP)");
	dev_free(7);
}

static void test_free_while_mapped_busy(void)
{
	void *p;

	if (dev_alloc(8, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0))
		return fail("alloc");
	p = map_slot(8, PAGE, MAP_SHARED);
	if (p == MAP_FAILED)
		return fail("mmap");
	if (dev_free(8) != -1 || errno != EBUSY)
		fail("free of a mapped buffer was not refused (EBUSY)");
	munmap(p, PAGE);
	if (dev_free(8))
		fail("free after munmap");
}

static void test_fork_child_has_no_mapping(void)
{
	__u32 *p;
	int status;
	pid_t pid;

	if (dev_alloc(9, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0x42))
		return fail("alloc");
	p = map_slot(9, PAGE, MAP_SHARED);
	if (p == MAP_FAILED)
		return fail("mmap");
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		load32(p);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGSEGV)
		fail("the child could read the parent's DMA mapping");
	munmap(p, PAGE);
	dev_free(9);
}

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(sigbus_jmp, 1);
}

/* Does reading *@p raise SIGBUS?  The value read otherwise is in *@v. */
static int read_sigbus(const __u32 *p, __u32 *v)
{
	int bus = 1;

	signal(SIGBUS, on_sigbus);
	if (!sigsetjmp(sigbus_jmp, 1)) {
		*v = load32(p);
		bus = 0;
	}
	signal(SIGBUS, SIG_DFL);
	return bus;
}

/* A second open file, working on the plain context (created if needed). */
static int open_plain_ctx(void)
{
	__u32 c = DMASHIM_MMAP_DEV_CTX_PLAIN;
	int fd = open("/dev/" DMASHIM_MMAP_DEV_NAME, O_RDWR);

	if (fd < 0 || ioctl(fd, DMASHIM_MMAP_DEV_SELECT, &c) ||
	    (ioctl(fd, DMASHIM_MMAP_DEV_CREATE) && errno != EEXIST)) {
		fail("open and select the plain context");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int destroy_plain_ctx(int fd, __u32 how)
{
	return ioctl(fd, DMASHIM_MMAP_DEV_DESTROY, &how);
}

/*
 * Buffers of two contexts mapped at the same offset of the same device:
 * revoking one context must leave the other's mapping alone.
 */
static void test_revoke_other_ctx_keeps_mapping(void)
{
	int fd = open_plain_ctx();
	__u32 *mine, *theirs, v = 0;
	int slot = 11;

	if (fd < 0)
		return;
	if (dev_alloc(slot, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0x61) ||
	    dev_alloc_on(fd, slot, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0x62))
		return fail("alloc in both contexts");
	mine = map_slot(slot, PAGE, MAP_SHARED);
	theirs = map_slot_on(fd, slot, PAGE);
	if (mine == MAP_FAILED || theirs == MAP_FAILED)
		return fail("mmap of both buffers");
	if (destroy_plain_ctx(fd, DMASHIM_MMAP_DEV_DESTROY_UNLOCKED))
		fail("destroy the plain context");
	if (read_sigbus(mine, &v) || v != 0x61616161u)
		fail("this context's mapping was revoked with another one");
	if (!read_sigbus(theirs, &v))
		fail("read 0x%x from the revoked context's mapping", v);
	munmap(theirs, PAGE);
	munmap(mine, PAGE);
	close(fd);
	if (dev_free(slot))
		fail("free after munmap");
}

/*
 * A driver destroys a context under the lock its ->mmap takes: nothing
 * revocation waits for may need that lock (lockdep checks the order).
 */
static void test_destroy_under_mmap_lock(void)
{
	int fd = open_plain_ctx();
	__u32 *p, v = 0;

	if (fd < 0)
		return;
	if (dev_alloc_on(fd, 12, DMASHIM_MMAP_DEV_COHERENT, 2 * PAGE, 0x24))
		return fail("alloc in the plain context");
	p = map_slot_on(fd, 12, 2 * PAGE);
	if (p == MAP_FAILED)
		return fail("mmap");
	if (load32(p) != 0x24242424u)
		fail("the mapping does not show the buffer");
	if (destroy_plain_ctx(fd, DMASHIM_MMAP_DEV_DESTROY_LOCKED))
		fail("destroy under the driver's lock");
	if (!read_sigbus(p, &v))
		fail("read 0x%x from a destroyed context's mapping", v);
	munmap(p, 2 * PAGE);
	close(fd);
}

/* MADV_DOFORK must not let a child inherit a DMA mapping. */
static void test_madvise_dofork_no_child_mapping(void)
{
	int status, advised;
	__u32 *p;
	pid_t pid;

	if (dev_alloc(13, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0x43))
		return fail("alloc");
	p = map_slot(13, PAGE, MAP_SHARED);
	if (p == MAP_FAILED)
		return fail("mmap");
	advised = madvise(p, PAGE, MADV_DOFORK) == 0;
	if (!advised && errno != EINVAL)
		fail("madvise(MADV_DOFORK) failed with errno %d", errno);
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		load32(p);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGSEGV)
		fail("after MADV_DOFORK%s the child read the parent's mapping",
		     advised ? "" : " (refused)");
	munmap(p, PAGE);
	dev_free(13);
}

/* Any number of opens may map a buffer; they all see the same memory. */
static void test_second_open_maps_same_buffer(void)
{
	int fd = open("/dev/" DMASHIM_MMAP_DEV_NAME, O_RDWR);
	__u32 *a, *b;

	if (fd < 0)
		return fail("second open");
	if (dev_alloc(14, DMASHIM_MMAP_DEV_COHERENT, PAGE, 0))
		return fail("alloc");
	a = map_slot(14, PAGE, MAP_SHARED);
	b = map_slot_on(fd, 14, PAGE);
	if (a == MAP_FAILED || b == MAP_FAILED)
		return fail("mmap through two opens");
	store32(&a[5], 0xabad1dea);
	if (load32(&b[5]) != 0xabad1dea)
		fail("the two mappings do not share the buffer");
	munmap(a, PAGE);
	munmap(b, PAGE);
	close(fd);
	if (dev_free(14))
		fail("free after both munmaps");
}

/* Last: unbinds the device under a live mapping. */
static void test_unbind_revokes_mapping(void)
{
	__u32 *p;
	__u32 v;
	int fd;

	if (dev_alloc(10, DMASHIM_MMAP_DEV_COHERENT, 2 * PAGE, 0x99))
		return fail("alloc");
	p = map_slot(10, 2 * PAGE, MAP_SHARED);
	if (p == MAP_FAILED)
		return fail("mmap");
	fd = open(UNBIND, O_WRONLY);
	if (fd < 0 || write(fd, DMASHIM_MMAP_DEV_NAME,
			    strlen(DMASHIM_MMAP_DEV_NAME)) < 0)
		return fail("unbind through %s", UNBIND);
	close(fd);

	signal(SIGBUS, on_sigbus);
	if (!sigsetjmp(sigbus_jmp, 1)) {
		v = load32(p);
		fail("read 0x%x from a revoked mapping instead of SIGBUS", v);
	}
	signal(SIGBUS, SIG_DFL);
	if (dev_load(10, 0, &v) != -1 || errno != ENODEV)
		fail("the kernel still reaches the buffer after unbind");
	if (dev_free(10) != -1 || errno != ENODEV)
		fail("free after unbind was not refused (ENODEV)");
	munmap(p, 2 * PAGE);
}

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
	{ "dmashim_mmap_coherent_round_trip", test_coherent_round_trip },
	{ "dmashim_mmap_write_combine_round_trip",
	  test_write_combine_round_trip },
	{ "dmashim_mmap_noncoherent_round_trip", test_noncoherent_round_trip },
	{ "dmashim_mmap_partial_page_buffer", test_partial_page_buffer },
	{ "dmashim_mmap_no_kernel_mapping_zeroed",
	  test_no_kernel_mapping_zeroed },
	{ "dmashim_mmap_larger_than_buffer_refused",
	  test_larger_than_buffer_refused },
	{ "dmashim_mmap_private_mapping_refused", test_private_mapping_refused },
	{ "dmashim_mmap_pool_block_refused", test_pool_block_refused },
	{ "dmashim_free_while_mapped_busy", test_free_while_mapped_busy },
	{ "dmashim_mmap_fork_child_has_no_mapping",
	  test_fork_child_has_no_mapping },
	{ "dmashim_mmap_revoke_other_ctx_keeps_mapping",
	  test_revoke_other_ctx_keeps_mapping },
	{ "dmashim_mmap_destroy_under_mmap_lock",
	  test_destroy_under_mmap_lock },
	{ "dmashim_mmap_madvise_dofork_no_child_mapping",
	  test_madvise_dofork_no_child_mapping },
	{ "dmashim_mmap_second_open_maps_same_buffer",
	  test_second_open_maps_same_buffer },
	{ "dmashim_mmap_unbind_revokes_mapping", test_unbind_revokes_mapping },
};

int main(void)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(cases));
	dev_fd = open("/dev/" DMASHIM_MMAP_DEV_NAME, O_RDWR);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		case_failed = dev_fd < 0;
		if (dev_fd < 0)
			ksft_print_msg("cannot open /dev/%s\n",
				       DMASHIM_MMAP_DEV_NAME);
		else
			cases[i].run();
		ksft_test_result(!case_failed, "%s\n", cases[i].name);
	}
	ksft_finished();
}
