#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dmashim as Debian packages, and what make test proves with them.
#
#   scripts/deb.sh            make deb: dmashim-dkms and dmashim-dev
#                             (debian/, dpkg-buildpackage) in build/deb/
#   scripts/deb.sh test KDIR  the packages, unpacked into build/deb/root
#                             (dpkg-deb -x) and used there as installed:
#     1. DKMS builds and installs dmashim.ko for KDIR's release, with its
#        tree options pointing into the root (and the signing key it
#        makes), so nothing changes outside build/;
#     2. samples/edu_ext, a driver in a tree of its own, is built against
#        the unpacked dmashim-dev and the Module.symvers DKMS kept (with
#        sparse, and another module's symbols on the command line);
#     3. edu_ext_stale, the same driver built against a dmashim whose
#        export dmashim_abi_version() changed (u32 -> u64), for the guest
#        to prove that MODVERSIONS refuses it;
#     4. build/deb/guest/ gets what the "dkms" set of scripts/manifest
#        stages: DKMS's dmashim.ko and the two drivers.
#   scripts/deb.sh kernel KDIR  make deb-kernel: the Rust-enabled kernel
#                             flavour KDIR's packages (below) in build/deb/kernel
#   scripts/deb.sh test-rust KDIR  dmashim's packages (built again, never
#                             stale) and the Rust-enabled kernel flavour
#                             KDIR (scripts/build-kernel.sh) as packages in
#                             build/deb/kernel: bindeb-pkg's linux-image and
#                             linux-headers, and linux-librust
#                             (dist/linux-librust.control), made here; all
#                             of them unpacked into build/deb/rust-root,
#                             where DKMS builds dmashim.ko against the
#                             unpacked headers and samples/rust is built in
#                             a tree of its own against the unpacked files
#                             only; build/deb/guest-rust/ gets the kernel
#                             and what the "dkms-rust" set stages.
# A warning in any build fails it.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

OUT=$DMASHIM_ROOT/build/deb
# The upstream version (no epoch, no Debian revision), as DKMS and dh_dkms
# know it.
VERSION=$(cd "$DMASHIM_ROOT" && dpkg-parsechangelog -S Version | sed 's/^[0-9]*://; s/-[^-]*$//')

# no_warnings LOG: fails on a warning in a build's LOG, or on no LOG.
no_warnings() {
	[ -s "$1" ] || die "deb: no build log $1"
	! grep -i 'warning:' "$1" >&2 || die "deb: warnings are errors (above; $1)"
}

# make_clean DIR MAKE-ARGUMENT...: make, failing on a warning (log DIR/build.log).
make_clean() {
	local dir=$1

	shift
	make "$@" >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; die "deb: make $* failed"; }
	no_warnings "$dir/build.log"
}

# packages: build the .debs from a copy of the sources (never in the tree).
packages() {
	local src=$OUT/src/dmashim-$VERSION

	rm -rf "$OUT/src" "$OUT"/*.deb
	mkdir -p "$src"
	(cd "$DMASHIM_ROOT" && rsync -rlpc --exclude-from=.gitignore Kbuild kernel include \
		bindings debian dist "$src/")
	(cd "$src" && dpkg-buildpackage -b -us -uc) >"$OUT/dpkg-buildpackage.log" 2>&1 ||
		{ cat "$OUT/dpkg-buildpackage.log" >&2; die "deb: dpkg-buildpackage failed"; }
	mv "$OUT"/src/*.deb "$OUT/"
	echo "deb: built $(cd "$OUT" && echo ./*.deb)"
}

# dkms_install ROOT RELEASE KDIR: DKMS as the package's postinst runs it, in ROOT.
dkms_install() {
	local root=$1
	local trees=(--dkmstree "$root/var/lib/dkms" --sourcetree "$root/usr/src"
		     --installtree "$root/lib/modules")

	mkdir -p "$root/var/lib/dkms" "$root/lib/modules/$2"
	# Read by dkms's signing step: the key it makes goes into ROOT too.
	export mok_signing_key=$root/mok.key mok_certificate=$root/mok.pub
	{
		dkms add -m dmashim -v "$VERSION" "${trees[@]}" &&
		dkms build -m dmashim -v "$VERSION" -k "$2" --kernelsourcedir "$3" "${trees[@]}" &&
		dkms install --no-depmod -m dmashim -v "$VERSION" -k "$2" \
			--kernelsourcedir "$3" "${trees[@]}"
	} >"$root/dkms.log" 2>&1 || { cat "$root/dkms.log" >&2; die "deb: dkms failed"; }
	no_warnings "$root/var/lib/dkms/dmashim/$VERSION/$2/$(uname -m)/log/make.log"
}

# consumer NAME DEV_ROOT [MAKE-ARGUMENT...]: samples/edu_ext as module NAME in
# OUT/consumer/NAME, against the dmashim-dev unpacked in DEV_ROOT.
consumer() {
	local tree=$OUT/consumer/$1 dev=$2

	shift 2
	rm -rf "$tree"
	mkdir -p "$tree"
	cp "$DMASHIM_ROOT"/samples/edu_ext/{Makefile,Kbuild,edu_ext_main.c} \
		"$DMASHIM_ROOT"/samples/edu/{edu.h,edu_regs.h} "$tree/"
	make_clean "$tree" -C "$tree" KDIR="$KDIR" EDU_EXT="$(basename "$tree")" \
		DMASHIM_MK="$dev/usr/share/dmashim/dmashim.mk" DKMS_TREE="$ROOT/var/lib/dkms" "$@"
}

# crc SYMVERS SYMBOL: the symbol's CRC in a Module.symvers.
crc() { awk -v s="$2" '$2 == s { print $1 }' "$1"; }

# stale_dmashim: a dmashim whose dmashim_abi_version() returns u64, built
# in OUT/stale, with a dmashim-dev root of its header in OUT/stale-dev.
stale_dmashim() {
	local lib=$OUT/stale dev=$OUT/stale-dev f

	rm -rf "$lib" "$dev"
	cp -r "$ROOT/usr/src/dmashim-$VERSION" "$lib"
	for f in include/dmashim.h kernel/dmashim_ctx.c; do
		grep -q '^u32 dmashim_abi_version(void)' "$lib/$f" ||
			die "deb: no 'u32 dmashim_abi_version(void)' in $f to change"
		sed -i 's/^u32 dmashim_abi_version(void)/u64 dmashim_abi_version(void)/' "$lib/$f"
	done
	make_clean "$lib" -C "$KDIR" M="$lib" modules
	mkdir -p "$dev/usr/share"
	cp -r "$ROOT/usr/share/dmashim" "$dev/usr/share/"
	cp "$lib/include/dmashim.h" "$dev/usr/share/dmashim/include/"
}

test_packages() {
	local release symvers stale_crc pkg

	KDIR=$(cd "$1" && pwd)
	release=$(kernel_release "$KDIR")
	ROOT=$OUT/root
	rm -rf "$ROOT" "$OUT/guest"
	mkdir -p "$ROOT" "$OUT/guest"
	packages
	for pkg in dkms dev; do
		dpkg-deb -x "$OUT"/dmashim-"$pkg"_*_all.deb "$ROOT"
	done
	dpkg-deb -e "$OUT"/dmashim-dkms_*_all.deb "$OUT/dkms-control"
	grep -q "^DKMS_NAME=dmashim$" "$OUT/dkms-control/postinst" ||
		die "deb: dmashim-dkms's postinst does not run DKMS for dmashim"
	dkms_install "$ROOT" "$release" "$KDIR"
	symvers=$ROOT/var/lib/dkms/dmashim/$VERSION/$release/$(uname -m)/module/Module.symvers
	[ -n "$(crc "$symvers" dmashim_abi_version)" ] || die "deb: DKMS kept no Module.symvers ($symvers)"
	# As a driver that also imports from another module passes it: the
	# fragment must add dmashim's file to it.  With sparse.
	: >"$OUT/other-module.symvers"
	consumer edu_ext "$ROOT" C=2 KBUILD_EXTRA_SYMBOLS="$OUT/other-module.symvers"
	stale_dmashim
	stale_crc=$(crc "$OUT/stale/Module.symvers" dmashim_abi_version)
	[ "$stale_crc" != "$(crc "$symvers" dmashim_abi_version)" ] ||
		die "deb: the changed dmashim_abi_version() kept its CRC $stale_crc"
	consumer edu_ext_stale "$OUT/stale-dev" DMASHIM_SYMVERS="$OUT/stale/Module.symvers"
	cp "$ROOT/lib/modules/$release/updates/dkms/dmashim.ko" "$OUT/guest/"
	cp "$OUT"/consumer/edu_ext/edu_ext.ko "$OUT"/consumer/edu_ext_stale/edu_ext_stale.ko \
		"$OUT/guest/"
	echo "deb: dmashim $VERSION: DKMS built dmashim.ko for $release; edu_ext built against" \
		"the unpacked packages; edu_ext_stale against a changed export (CRC $stale_crc)"
}

# librust_paths DIR RELEASE: the Rust files in DIR record the installed
# paths (the headers of RELEASE, Debian's kernel source) and none of the
# cache: a remap that did not fire leaves the first two out.
librust_paths() {
	local bad want rc=0

	bad=$(grep -alF "$DMASHIM_CACHE" "$1"/*) || rc=$?
	[ $rc -eq 1 ] || die "deb: linux-librust would ship cache paths ($DMASHIM_CACHE) in: ${bad//$'\n'/ }"
	bad=$(grep -aoh '/usr/src/linux-headers-[A-Za-z0-9.+~_-]*' "$1"/* | sort -u |
		grep -vxF "/usr/src/linux-headers-$2") && die "deb: linux-librust's files name other headers than $2's: ${bad//$'\n'/ }"
	for want in "libbindings.rmeta /usr/src/linux-headers-$2/rust/bindings/bindings_generated.rs" \
		    "libmacros.so /usr/src/$DMASHIM_SRC_PKG/rust/macros/"; do
		grep -qaF "${want#* }" "$1/${want%% *}" ||
			die "deb: ${want%% *} does not record ${want#* } (paths not remapped?)"
	done
}

# kernel_packages KDIR RELEASE: the kernel flavour's packages in OUT/kernel
# (made in a directory of their own, renamed into place when complete):
# the image and headers that KDIR/debian/files lists, and linux-librust,
# versioned as the headers it completes, bound to the rustc that built the
# kernel (dmashim-kernel.info), not whichever one is installed now.
kernel_packages() {
	local out=$OUT/kernel.tmp version rustc rustc_pkg arch debs headers
	local pkg=$out/librust
	local rust=$pkg/usr/src/linux-headers-$2/rust doc=$pkg/usr/share/doc/linux-librust-$2

	rm -rf "$out" "$OUT/kernel"
	install -d -m 0755 "$pkg/DEBIAN" "$rust" "$doc"
	mapfile -t debs < <(awk -v r="$2" 'index($1, "linux-image-" r "_") == 1 ||
		index($1, "linux-headers-" r "_") == 1 { print $1 }' "$1/debian/files" 2>/dev/null)
	[ ${#debs[@]} -eq 2 ] ||
		die "deb: $1/debian/files lists no linux-image and linux-headers for $2 (scripts/build-kernel.sh builds them)"
	(cd "$1/deb" && cp "${debs[@]}" "$out/") || die "deb: $1/deb lacks ${debs[*]}"
	headers=$(printf '%s\n' "${debs[@]}" | grep '^linux-headers-')
	version=$(dpkg-deb -f "$1/deb/$headers" Version)
	{ rustc=$(sed -n 's/^rustc-deb=//p' "$1/dmashim-kernel.info" | grep .) &&
	  rustc_pkg=$(sed -n 's/^rustc-pkg=//p' "$1/dmashim-kernel.info" | grep .); } ||
		die "deb: $1/dmashim-kernel.info names no rustc-pkg and rustc-deb (scripts/build-kernel.sh records them)"
	arch=$(cat "$1/debian/arch") || die "deb: $1 has no debian/arch (not a bindeb-pkg build)"
	install -m 0644 "$1"/rust/*.rmeta "$1"/rust/libmacros.so "$1"/rust/target.json "$rust/"
	librust_paths "$rust" "$2"
	install -m 0644 "$DMASHIM_ROOT/dist/linux-librust.copyright" "$doc/copyright"
	sed -e '/^#/d' -e "s/@RELEASE@/$2/g" -e "s/@VERSION@/$version/g" -e "s/@ARCH@/$arch/g" \
		-e "s/@RUSTC_PKG@/$rustc_pkg/g" -e "s/@RUSTC@/$rustc/g" \
		-e "s/@SOURCE@/$DMASHIM_FLAVOUR_SOURCE/g" \
		-e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)/g" \
		-e "s|@MAINTAINER@|$(sed -n 's/^Maintainer: //p' "$DMASHIM_ROOT/debian/control")|g" \
		"$DMASHIM_ROOT/dist/linux-librust.control" >"$pkg/DEBIAN/control"
	dpkg-deb --root-owner-group --build "$pkg" \
		"$out/linux-librust-$2_${version}_$arch.deb" >/dev/null
	rm -rf "$pkg"
	mv "$out" "$OUT/kernel"
}

test_rust() {
	local kdir release root=$OUT/rust-root hdrs deb
	# The sample's tree, and the edu headers beside it, as in samples/.
	local tree=$OUT/consumer/rust/dmashim_rust_sample guest=$OUT/guest-rust

	kdir=$(cd "$1" && pwd)
	release=$(kernel_release "$kdir")
	packages
	kernel_packages "$kdir" "$release"
	for deb in "$OUT"/kernel/*.deb; do
		[ "$(dpkg-deb -f "$deb" Source)" = "$DMASHIM_FLAVOUR_SOURCE" ] ||
			die "deb: $(basename "$deb") is not from source $DMASHIM_FLAVOUR_SOURCE"
	done
	# Their dependencies as apt sees them, against this machine's packages.
	apt-get install -s "$OUT"/kernel/*.deb "$OUT"/dmashim-d*_all.deb >"$OUT/kernel/apt.log" 2>&1 ||
		{ cat "$OUT/kernel/apt.log" >&2; die "deb: apt cannot install the kernel flavour's packages"; }
	grep -q "^Inst linux-librust-$release " "$OUT/kernel/apt.log" ||
		die "deb: apt would not install linux-librust-$release ($OUT/kernel/apt.log)"
	rm -rf "$root" "$guest" "$OUT/consumer/rust"
	mkdir -p "$root" "$guest" "$tree" "$tree/../edu"
	for deb in "$OUT"/kernel/*.deb "$OUT"/dmashim-dkms_*_all.deb "$OUT"/dmashim-dev_*_all.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	hdrs=$root/usr/src/linux-headers-$release
	dkms_install "$root" "$release" "$hdrs"
	cp "$DMASHIM_ROOT"/samples/rust/{Kbuild,*.rs,*.c,*.h} "$tree/"
	cp "$DMASHIM_ROOT"/samples/edu/{edu.h,edu_regs.h} "$tree/../edu/"
	ln -s "$root/usr/share/dmashim/rust" "$tree/dmashim"
	make_clean "$tree" -C "$hdrs" M="$tree" "${DMASHIM_RUST_ARGS[@]}" \
		DMASHIM_MK="$root/usr/share/dmashim/dmashim.mk" DKMS_TREE="$root/var/lib/dkms" modules
	cp "$root/lib/modules/$release/updates/dkms/dmashim.ko" "$tree/dmashim_rust_sample.ko" \
		"$root/boot/vmlinuz-$release" "$guest/"
	echo "deb: kernel $release as packages, with linux-librust; DKMS built dmashim.ko and" \
		"samples/rust was built against the unpacked packages"
}

mkdir -p "$OUT"
case ${1:-} in
"") packages ;;
test) [ $# -eq 2 ] || die "usage: $0 test KDIR"; test_packages "$2" ;;
test-rust) [ $# -eq 2 ] || die "usage: $0 test-rust KDIR"; test_rust "$2" ;;
kernel)
	[ $# -eq 2 ] || die "usage: $0 kernel KDIR"
	release=$(kernel_release "$2")
	kernel_packages "$2" "$release"
	echo "deb: built $(cd "$OUT/kernel" && echo ./*.deb) in ${OUT#"$DMASHIM_ROOT"/}/kernel" ;;
*) die "usage: $0 [test KDIR | test-rust KDIR | kernel KDIR]" ;;
esac
