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
# adds the directory of <dmashim.h> to the include path (subdirectories
# too) and, for modpost, dmashim's Module.symvers for the kernel being
# built for, which the dmashim-dkms package keeps in the DKMS tree (under
# the architecture DKMS built for).  A driver built without it gets no
# CRCs for dmashim's symbols, and the kernel (MODVERSIONS) refuses it.
# KBUILD_EXTRA_SYMBOLS given on the command line (other modules' files)
# is kept and added to.  Overridable: DKMS_TREE (default /var/lib/dkms),
# DMASHIM_SYMVERS (the file itself).

dmashim-dev-dir := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
DMASHIM_VERSION := @VERSION@
DKMS_TREE ?= /var/lib/dkms
DMASHIM_SYMVERS ?= $(wildcard $(DKMS_TREE)/dmashim/$(DMASHIM_VERSION)/$(KERNELRELEASE)/*/module/Module.symvers)

ccflags-y += -I$(dmashim-dev-dir)/include
subdir-ccflags-y += -I$(dmashim-dev-dir)/include
override KBUILD_EXTRA_SYMBOLS += $(DMASHIM_SYMVERS)

# modpost includes the driver's Kbuild to read KBUILD_EXTRA_SYMBOLS: that is
# where a missing file matters (not in a compile or a clean).
ifneq ($(filter %/Makefile.modpost,$(MAKEFILE_LIST)),)
ifneq ($(words $(DMASHIM_SYMVERS)),1)
$(error dmashim: want one Module.symvers of dmashim $(DMASHIM_VERSION) for $(KERNELRELEASE) in $(DKMS_TREE), found '$(DMASHIM_SYMVERS)': is dmashim-dkms built for this kernel? (dkms status dmashim))
endif
ifeq ($(wildcard $(DMASHIM_SYMVERS)),)
$(error dmashim: no $(DMASHIM_SYMVERS))
endif
endif
