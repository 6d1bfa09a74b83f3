# SPDX-License-Identifier: GPL-2.0
#
# dmashim entry points.  See README.md.
#
#   make          build dmashim.ko out of tree against $(KDIR)
#   make test     the whole pipeline: debug test kernel, QEMU, KUnit, checks
#   make check    static analysis (sparse, checkpatch, kernel-doc, Coccinelle)
#   make run      the sample drivers doing real DMA on the stock Debian kernel
#   make bindings regenerate the Rust bindings from include/dmashim.h
#   make bench    benchmarks against the raw DMA API on the stock kernel
#   make soak     boot the debug kernel BOOTS times per VARIANT, with
#                 MODULES=test (make test's guest) or none, and count the
#                 checker reports of each boot (scripts/soak.sh)
#   make soak-model DURATION=s SEED=n VARIANT=v  the model-based test for
#                 s seconds in one guest (scripts/soak-model.sh)
#   make fail-sites VARIANT=v  the fail_nth sweeps once, reporting which
#                 allocation sites of dmashim.ko they forced
#   make docs     render the API reference from the header into build/doc
#   make migrate-check  the dmashim migration on a corpus of real 6.1 drivers
#   make abi-check the ABI against abi/dmashim.abi (also in make check)
#   make vendor DEST=dir  copy dmashim into a driver's tree (scripts/vendor.sh)
#   make deb      Debian packages dmashim-dkms and dmashim-dev in build/deb
#   make deb-kernel  the Rust-enabled debug kernel as packages (linux-image,
#                 linux-headers, linux-librust) in build/deb/kernel
#   make clean    remove build output

SHELL := /bin/bash

# The running kernel's build tree when there is one, else Debian's newest
# installed linux-headers-*-amd64.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))

BOOTS ?= 10
MODULES ?= test
VARIANT ?=
DURATION ?= 3600
SEED ?=

.PHONY: all modules setup test check run kernel bindings bench soak soak-model fail-sites \
	docs migrate-check abi-check vendor deb deb-kernel clean

all: modules

modules:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "dmashim: no kernel build tree found; run 'make setup' or pass KDIR=" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

setup:
	@scripts/setup.sh

kernel: setup
	@scripts/build-kernel.sh

test: setup
	@scripts/test.sh

check: setup
	@KDIR=$(KDIR) scripts/check.sh

run: setup
	@scripts/run.sh

bindings: setup
	@scripts/rust.sh bindings

bench: setup
	@BENCH=1 scripts/run.sh

deb: setup
	@scripts/deb.sh

deb-kernel: kernel
	@scripts/deb.sh kernel "$$(scripts/build-kernel.sh --print-dir)"

soak: setup
	@scripts/soak.sh -n $(BOOTS) -m $(MODULES) $(VARIANT)

fail-sites: setup
	@scripts/soak-model.sh -f $(if $(SEED),-s $(SEED)) $(VARIANT)

soak-model: setup
	@scripts/soak-model.sh -d $(DURATION) $(if $(SEED),-s $(SEED)) \
		$(firstword $(VARIANT))

docs: setup
	@KDIR=$(KDIR) scripts/check.sh docs

abi-check: setup
	@KDIR=$(KDIR) scripts/check.sh abi

migrate-check:
	@scripts/migrate.sh --corpus $(KDIR)

vendor:
	@scripts/vendor.sh $(DEST)

clean:
	@find . -path ./.git -prune -o -type f \( -name '*.o' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
		-o -name 'modules.order' -o -name 'Module.symvers' \
		-o -name '*.d' -o -name '.*.d' \) -print0 | xargs -0r rm -f
	rm -rf build .tmp_versions
