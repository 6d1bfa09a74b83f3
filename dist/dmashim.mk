# SPDX-License-Identifier: GPL-2.0
#
# For drivers built in their own trees against the installed dmashim
# (dmashim-dev, /usr/share/dmashim/dmashim.mk).  Include it from the
# driver's Kbuild:
#
#   obj-m += mydrv.o
#   include /usr/share/dmashim/dmashim.mk
#
# and import the namespace in the driver: MODULE_IMPORT_NS(DMASHIM).  It
# adds the directory of <dmashim.h> to the include path and, for modpost,
# dmashim's Module.symvers for the kernel being built for, which the
# dmashim-dkms package keeps in the DKMS tree.  A driver built without it
# gets no CRCs for dmashim's symbols, and the kernel (MODVERSIONS) refuses
# it.  Overridable: DKMS_TREE (default /var/lib/dkms), DMASHIM_SYMVERS.

dmashim-dev-dir := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
DMASHIM_VERSION := @VERSION@
DKMS_TREE ?= /var/lib/dkms
DMASHIM_SYMVERS ?= $(DKMS_TREE)/dmashim/$(DMASHIM_VERSION)/$(KERNELRELEASE)/$(shell uname -m)/module/Module.symvers

ccflags-y += -I$(dmashim-dev-dir)/include
KBUILD_EXTRA_SYMBOLS += $(DMASHIM_SYMVERS)

# modpost includes the driver's Kbuild to read KBUILD_EXTRA_SYMBOLS: that is
# where a missing file matters (not in a compile or a clean).
ifneq ($(filter %/Makefile.modpost,$(MAKEFILE_LIST)),)
ifeq ($(wildcard $(DMASHIM_SYMVERS)),)
$(error dmashim: no $(DMASHIM_SYMVERS): is dmashim-dkms built for $(KERNELRELEASE)? (dkms status dmashim))
endif
endif
