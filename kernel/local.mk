# SPDX-License-Identifier: GPL-2.0
#
# dmashim as a driver-local copy, linked into the driver's own module (what
# the kernel's DMA maintainers asked for: "keep the wrappers in your code").
# scripts/vendor.sh DEST copies dmashim into DEST; the driver's Kbuild then
# names its module and includes this file from the copy:
#
#   obj-m += mydrv.o
#   mydrv-y := mydrv_main.o
#   dmashim-local := mydrv
#   include $(src)/dmashim/kernel/local.mk
#
# The copy exports nothing (no symbol namespace to import), has no test
# hooks, and is named after the driver: debugfs mydrv_dmashim/, trace
# events mydrv_dmashim:*, log lines "mydrv: ".  The driver includes
# <dmashim.h> and <dmashim_local.h> and calls dmashim_local_init() and
# dmashim_local_exit() from its module init and exit.

ifeq ($(dmashim-local),)
$(error dmashim: set dmashim-local to the driver's module name before including local.mk)
endif
# Linked into a module only: a built-in copy's globals would clash with another's.
ifneq ($(filter $(dmashim-local).o,$(obj-y)),)
$(error dmashim: $(dmashim-local) is built in; a driver-local copy works in a module only)
endif

# Where the copy is, relative to the driver's $(src): this file's directory's parent.
dmashim-local-dir := $(patsubst $(src)/%/kernel/local.mk,%,$(lastword $(MAKEFILE_LIST)))
ifeq ($(wildcard $(src)/$(dmashim-local-dir)/kernel/objects.mk),)
$(error dmashim: include local.mk as $$(src)/<copy>/kernel/local.mk)
endif
# One module per copy: two modules linking one copy would share its objects.
ifneq ($(filter $(dmashim-local-dir),$(dmashim-local-dirs)),)
$(error dmashim: the copy in $(dmashim-local-dir) is linked into a module already; give $(dmashim-local) a copy of its own)
endif
dmashim-local-dirs := $(dmashim-local-dirs) $(dmashim-local-dir)

include $(src)/$(dmashim-local-dir)/kernel/objects.mk
dmashim-local-objs := $(addprefix $(dmashim-local-dir)/kernel/,$(dmashim-objs-list))

# Each line through $(eval), so that the values are expanded now: a second
# copy included later must not change what this one's variables say.
$(eval $(dmashim-local)-y += $(dmashim-local-objs))
# The headers, for the driver's objects too.
$(eval ccflags-y += -I$(src)/$(dmashim-local-dir)/include)
# The copy's own objects only: a trace system is a C identifier, as
# KBUILD_MODNAME is (kbuild's own "-" to "_").  The trace events' header is
# found by <trace/define_trace.h> (TRACE_INCLUDE_PATH).
$(foreach o,$(dmashim-local-objs),$(eval CFLAGS_$(o) += -DDMASHIM_LOCAL \
	-DDMASHIM_TRACE_SYSTEM=$(subst -,_,$(dmashim-local))_dmashim))
$(eval CFLAGS_$(dmashim-local-dir)/kernel/dmashim_trace.o += \
	-I$(src)/$(dmashim-local-dir)/kernel)
