/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmashim_local.h - starting a driver-local copy of dmashim
 *
 * A driver that carries its own copy of dmashim (scripts/vendor.sh) links
 * it into its module: there is no dmashim.ko to load, no export and no
 * symbol namespace to import.  The copy's global state (the release
 * workqueue, its debugfs directory <driver>_dmashim/, its pseudo
 * filesystem) is made and torn down by the driver's own module init and
 * exit, around everything else the driver does.  The API is the one of
 * <dmashim.h>; handles of one copy mean nothing to another.
 *
 * As with dmashim.ko, a user mapping of a buffer (dmashim_mmap()) holds a
 * reference on the module the code is in, here the driver's own: the
 * driver cannot be unloaded while a process maps one of its buffers.  The
 * copy works in a module only, never built in (local.mk refuses it).
 */
#ifndef _DMASHIM_LOCAL_H
#define _DMASHIM_LOCAL_H

/**
 * dmashim_local_init() - start the driver's copy of dmashim
 *
 * Description: Call it first in the driver's module init, before any
 * other dmashim call and before registering the driver.
 *
 * Context: Process context (module init); may sleep.
 * Return: 0; -EBUSY if the copy is started already; -ENOMEM or the error
 * of mounting the copy's filesystem.
 */
int dmashim_local_init(void);

/**
 * dmashim_local_exit() - stop the driver's copy of dmashim
 *
 * Description: Call it last in the driver's module exit, after the driver is
 * unregistered (every context is then revoked), and on the module init's
 * error path after dmashim_local_init() succeeded.  Nothing if the copy
 * is not started.
 *
 * Context: Process context; sleeps (waits for an RCU grace period).
 */
void dmashim_local_exit(void);

#endif /* _DMASHIM_LOCAL_H */
