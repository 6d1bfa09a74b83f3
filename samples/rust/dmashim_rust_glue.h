/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim_rust_glue.h - the C half of the Rust dmashim sample driver
 *
 * Linux 6.1's Rust support has no PCI, device or MMIO abstractions, so the
 * sample driver (dmashim_rust_sample.ko) is one module of two objects: this
 * C glue binds QEMU's edu device and offers the few operations the 6.1
 * kernel crate lacks; dmashim_rust_edu.rs is the driver: it is called at
 * probe and remove time and does all DMA through the dmashim Rust wrapper.
 * bindgen reads this header for the Rust side (scripts/rust.sh).
 */
#ifndef _DMASHIM_RUST_GLUE_H
#define _DMASHIM_RUST_GLUE_H

#include <linux/types.h>

/* edu's registers, for both halves: bindgen turns them into constants. */
#include "../edu/edu_regs.h"

struct device;
struct dmashim_ctx;

/*
 * struct dmashim_rust_edu: one bound edu device, opaque to Rust; valid
 * from the driver's probe() to the end of its remove().
 */
struct dmashim_rust_edu;

/* Implemented in C (dmashim_rust_glue.c), called from Rust. */

/**
 * dmashim_rust_glue_register() - register the edu PCI driver
 *
 * Description: Probes the edu devices present before returning, which calls
 * dmashim_rust_edu_probe() for each.
 *
 * Context: Process context, module init; may sleep.
 * Return: 0 or the error of pci_register_driver().
 */
int dmashim_rust_glue_register(void);

/**
 * dmashim_rust_glue_unregister() - unregister the edu PCI driver
 *
 * Description: Calls dmashim_rust_edu_remove() for every bound device first.
 *
 * Context: Process context, module exit; may sleep.
 */
void dmashim_rust_glue_unregister(void);

/**
 * dmashim_rust_glue_device() - the generic device of a bound edu device
 * @edu: the device.
 *
 * Context: Between probe() and the end of remove().
 * Return: &pci_dev->dev, DMA masks set; NULL if @edu is NULL.
 */
struct device *dmashim_rust_glue_device(struct dmashim_rust_edu *edu);

/**
 * dmashim_rust_glue_read32() - read a 32-bit register of BAR0
 * @edu: the device.
 * @offset: the register's offset, a multiple of 4.
 * @valp: where to store the value.
 *
 * Context: Between probe() and the end of remove().
 * Return: 0; -EINVAL if @edu or @valp is NULL; -ERANGE if @offset is
 * unaligned or outside BAR0.
 */
int dmashim_rust_glue_read32(struct dmashim_rust_edu *edu, u32 offset,
			     u32 *valp);

/**
 * dmashim_rust_glue_write32() - write a 32-bit register of BAR0
 * @edu: the device.
 * @offset: the register's offset, a multiple of 4.
 * @val: the value.
 *
 * Context: Between probe() and the end of remove().
 * Return: 0; -EINVAL if @edu is NULL; -ERANGE if @offset is unaligned or
 * outside BAR0.
 */
int dmashim_rust_glue_write32(struct dmashim_rust_edu *edu, u32 offset,
			      u32 val);

/**
 * dmashim_rust_glue_write64() - write a 64-bit register of BAR0
 * @edu: the device.
 * @offset: the register's offset, a multiple of 8.
 * @val: the value.
 *
 * Context: Between probe() and the end of remove().
 * Return: 0; -EINVAL if @edu is NULL; -ERANGE if @offset is unaligned or
 * outside BAR0.
 */
int dmashim_rust_glue_write64(struct dmashim_rust_edu *edu, u32 offset,
			      u64 val);

/**
 * dmashim_rust_glue_msleep() - sleep
 * @ms: milliseconds.
 *
 * Context: Process context; sleeps.
 */
void dmashim_rust_glue_msleep(u32 ms);

/* Implemented in Rust (dmashim_rust_edu.rs), called from the glue. */

/**
 * dmashim_rust_edu_probe() - the Rust driver's probe
 * @edu: the device, BAR0 mapped, bus mastering on, 28-bit DMA masks set.
 * @ctx: the device's dmashim context (devm_dmashim_ctx_create()).
 *
 * Context: Process context, the driver's probe(); may sleep.
 * Return: 0 or a negative errno, returned by probe().
 */
int dmashim_rust_edu_probe(struct dmashim_rust_edu *edu,
			   struct dmashim_ctx *ctx);

/**
 * dmashim_rust_edu_remove() - the Rust driver's remove
 * @edu: the device.
 *
 * Context: Process context, the driver's remove(); may sleep.
 */
void dmashim_rust_edu_remove(struct dmashim_rust_edu *edu);

#endif /* _DMASHIM_RUST_GLUE_H */
