# SPDX-License-Identifier: GPL-2.0
#
# The objects of dmashim, relative to kernel/: the only list of them.  The
# shared module (../Kbuild) and every driver-local copy (local.mk) link
# exactly these.
dmashim-objs-list := dmashim_table.o dmashim_ctx.o dmashim_buffer.o \
		     dmashim_pool.o dmashim_share.o dmashim_map.o \
		     dmashim_access.o dmashim_fault.o dmashim_debugfs.o \
		     dmashim_trace.o
