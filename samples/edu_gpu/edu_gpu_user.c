// SPDX-License-Identifier: GPL-2.0
/*
 * edu_gpu_user - the user-space half of the edu_gpu sample, run in the
 * guest with the edu_gpu driver bound.
 *
 * Fills the write-combined upload buffer through a mapping of /dev/edu_gpu,
 * asks the driver to have the device copy it into "VRAM" (EDU_GPU_IOC_COPY;
 * the kernel compares VRAM with the upload buffer), then reads VRAM back
 * through a second mapping and compares it with what it wrote.  Last, it
 * unbinds the device through sysfs with its file still open: the driver
 * refuses the ioctls, dmashim refuses a new mapping through the context the
 * driver keeps (-ENODEV) and has torn the old mappings down (SIGBUS).
 * Prints its
 * results in KTAP through the kernel's kselftest.h (the guest hook nests
 * them as the suite "edu_gpu"), with "# REPORT" lines that scripts/run.sh
 * turns into its summary.
 *
 * Built as a static program by scripts/mkinitramfs.sh (scripts/manifest).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <kselftest.h>

#include "edu_gpu_uapi.h"

#define SUITE		"edu_gpu"
#define DEV_PATH	"/dev/" EDU_GPU_DEV_NAME
#define DRIVER_DIR	"/sys/bus/pci/drivers/edu_gpu"
/* A length that is not a multiple of the device's chunk. */
#define PARTIAL_LEN	5000

static int dev_fd = -1;
static struct edu_gpu_info info;
static void *upload = MAP_FAILED;
static const void *vram = MAP_FAILED;
static unsigned char *expect;
static int case_failed;
static int unbound;
static sigjmp_buf on_sigbus;

static void fail(const char *fmt, ...)
{
	int err = errno;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ksft_print_msg("FAIL: %s (errno %d: %s)\n", msg, err, strerror(err));
	case_failed = 1;
}

static void report(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ksft_print_msg("REPORT " SUITE ": %s\n", msg);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fill @len bytes of the expected image with a pattern of @seed. */
static void make_pattern(__u32 seed, size_t len)
{
	__u32 x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1664525u + 1013904223u;
		expect[i] = x >> 24;
	}
}

static int copy(__u64 len, struct edu_gpu_copy *c)
{
	memset(c, 0, sizeof(*c));
	c->len = len;
	return ioctl(dev_fd, EDU_GPU_IOC_COPY, c);
}

static void test_info(void)
{
	dev_fd = open(DEV_PATH, O_RDWR);
	if (dev_fd < 0)
		return fail("open %s", DEV_PATH);
	if (ioctl(dev_fd, EDU_GPU_IOC_INFO, &info))
		return fail("EDU_GPU_IOC_INFO");
	expect = calloc(1, info.upload_size);
	if (!expect)
		return fail("calloc");
	report("upload %llu B (write-combined), VRAM %llu B, chunk %u B, handles live %llu",
	       (unsigned long long)info.upload_size,
	       (unsigned long long)info.vram_size, info.chunk,
	       (unsigned long long)info.live_handles);
}

static void test_upload_mapped(void)
{
	if (!expect)
		return fail("no device");
	upload = mmap(NULL, info.upload_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, dev_fd, EDU_GPU_MMAP_UPLOAD);
	if (upload == MAP_FAILED)
		return fail("mmap of the upload buffer");
	make_pattern(1, info.upload_size);
	memcpy(upload, expect, info.upload_size);
	/* Drain the write-combining buffers before the device reads. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (memcmp(upload, expect, info.upload_size))
		fail("the upload mapping does not read back what was written");
	report("user space wrote %llu B through the upload mapping",
	       (unsigned long long)info.upload_size);
}

static void check_copy(const char *what, __u64 len)
{
	struct edu_gpu_copy c;
	double t0 = now_s();

	if (copy(len, &c))
		return fail("EDU_GPU_IOC_COPY of %llu B",
			    (unsigned long long)len);
	if (!c.verified)
		fail("the kernel found VRAM different from the upload buffer");
	if (c.bytes_moved != 2 * len)
		fail("%llu B moved, expected %llu",
		     (unsigned long long)c.bytes_moved,
		     (unsigned long long)(2 * len));
	report("%s: %llu B upload->edu->VRAM, %llu B moved in %u DMAs, %.3f s",
	       what, (unsigned long long)len,
	       (unsigned long long)c.bytes_moved, c.dmas, now_s() - t0);
	report("%s: verified by the kernel: %s, handles live %llu",
	       what, c.verified ? "yes" : "NO",
	       (unsigned long long)c.live_handles);
}

static void test_copy_verified(void)
{
	if (upload == MAP_FAILED)
		return fail("no upload mapping");
	check_copy("copy", info.upload_size);
}

static void test_vram_readback(void)
{
	if (upload == MAP_FAILED)
		return fail("no upload mapping");
	vram = mmap(NULL, info.vram_size, PROT_READ, MAP_SHARED, dev_fd,
		    EDU_GPU_MMAP_VRAM);
	if (vram == MAP_FAILED)
		return fail("mmap of VRAM");
	if (memcmp(vram, expect, info.upload_size))
		return fail("VRAM read back through the mapping differs");
	report("read back %llu B through the VRAM mapping: identical",
	       (unsigned long long)info.upload_size);
}

/* A new pattern, a length that ends mid-chunk; the rest must be cleared. */
static void test_partial_copy(void)
{
	const unsigned char *v = vram;
	size_t i;

	if (vram == MAP_FAILED || info.upload_size <= PARTIAL_LEN)
		return fail("no VRAM mapping");
	make_pattern(2, info.upload_size);
	memcpy(upload, expect, info.upload_size);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	check_copy("partial copy", PARTIAL_LEN);
	if (memcmp(v, expect, PARTIAL_LEN))
		fail("VRAM does not hold the second upload");
	for (i = PARTIAL_LEN; i < info.vram_size; i++)
		if (v[i])
			return fail("VRAM byte %zu not cleared", i);
}

static void test_bad_length_refused(void)
{
	struct edu_gpu_copy c;

	if (dev_fd < 0)
		return fail("no device");
	if (copy(0, &c) != -1 || errno != EINVAL)
		fail("a copy of 0 bytes was not refused with EINVAL");
	if (copy(info.upload_size + 1, &c) != -1 || errno != EINVAL)
		fail("a copy past the upload buffer was not refused with EINVAL");
}

/* Unbind the device the driver is bound to (the first one), through sysfs. */
static int unbind_device(void)
{
	char bdf[64] = "";
	struct dirent *de;
	DIR *d;
	int fd, ret = -1;

	d = opendir(DRIVER_DIR);
	while (d && (de = readdir(d)))
		if (strchr(de->d_name, ':') && strlen(de->d_name) < sizeof(bdf)) {
			strcpy(bdf, de->d_name);
			break;
		}
	if (d)
		closedir(d);
	if (!bdf[0])
		return -1;
	fd = open(DRIVER_DIR "/unbind", O_WRONLY);
	if (fd >= 0) {
		ret = write(fd, bdf, strlen(bdf)) == (ssize_t)strlen(bdf) ? 0 : -1;
		close(fd);
	}
	report("unbound %s with %s open and both buffers mapped", bdf, DEV_PATH);
	return ret;
}

static void test_unbind_refuses_ioctl(void)
{
	struct edu_gpu_info after;

	if (dev_fd < 0 || upload == MAP_FAILED)
		return fail("no device or no mapping");
	if (unbind_device())
		return fail("unbind through " DRIVER_DIR "/unbind");
	unbound = 1;
	if (ioctl(dev_fd, EDU_GPU_IOC_INFO, &after) != -1 || errno != ENODEV)
		fail("EDU_GPU_IOC_INFO after unbind was not refused with ENODEV");
}

/* The driver passes its kept context to dmashim, which answers -ENODEV. */
static void test_unbind_mmap_refused(void)
{
	void *p;

	if (!unbound)
		return fail("not unbound");
	p = mmap(NULL, info.upload_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 dev_fd, EDU_GPU_MMAP_UPLOAD);
	if (p != MAP_FAILED) {
		munmap(p, info.upload_size);
		return fail("a mapping made after unbind");
	}
	if (errno != ENODEV)
		fail("mmap after unbind not refused with ENODEV");
}

static void sigbus_handler(int sig)
{
	(void)sig;
	siglongjmp(on_sigbus, 1);
}

/* dmashim tore the mapping down at revocation: its memory is gone. */
static void test_unbind_old_mapping_sigbus(void)
{
	struct sigaction sa = { .sa_handler = sigbus_handler };
	struct sigaction old;

	if (!unbound)
		return fail("not unbound");
	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(on_sigbus, 1)) {
		/* One real load, never optimised away. */
		(void)__atomic_load_n((unsigned char *)upload, __ATOMIC_RELAXED);
		fail("a read through a mapping made before unbind succeeded");
	} else {
		report("a read through the old upload mapping: SIGBUS");
	}
	sigaction(SIGBUS, &old, NULL);
}

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
	{ "edu_gpu_open_info", test_info },
	{ "edu_gpu_upload_through_mapping", test_upload_mapped },
	{ "edu_gpu_copy_verified_by_kernel", test_copy_verified },
	{ "edu_gpu_vram_read_back", test_vram_readback },
	{ "edu_gpu_partial_copy_clears_rest", test_partial_copy },
	{ "edu_gpu_bad_length_refused", test_bad_length_refused },
	/* Last: they unbind the device. */
	{ "edu_gpu_unbind_refuses_ioctl", test_unbind_refuses_ioctl },
	{ "edu_gpu_unbind_mmap_refused", test_unbind_mmap_refused },
	{ "edu_gpu_unbind_old_mapping_sigbus", test_unbind_old_mapping_sigbus },
};

int main(void)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		case_failed = 0;
		cases[i].run();
		ksft_test_result(!case_failed, "%s\n", cases[i].name);
	}
	if (vram != MAP_FAILED)
		munmap((void *)vram, info.vram_size);
	if (upload != MAP_FAILED)
		munmap(upload, info.upload_size);
	if (dev_fd >= 0)
		close(dev_fd);
	free(expect);
	ksft_finished();
}
