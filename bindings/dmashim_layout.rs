// SPDX-License-Identifier: GPL-2.0
//
// GENERATED FILE, DO NOT EDIT: regenerate with `make bindings`
// (scripts/rust.sh bindings); `scripts/rust.sh check` fails when it is stale.
// Input: include/dmashim.h compiled by kbuild (gcc, the kernel's C flags for modules)

//! What the C compiler says about `include/dmashim.h`: struct sizes,
//! alignments and field offsets, enumerator and errno values.
//!
//! Sizes, alignments and values are checked at compile time, for every
//! target the wrapper is built for; field offsets by [`verify`] at run time.

use super::error;
use super::raw;
use core::mem::{align_of, size_of};

const _: () = assert!(size_of::<raw::dmashim_alloc_opts>() == 16);
const _: () = assert!(align_of::<raw::dmashim_alloc_opts>() == 4);
const _: () = assert!(size_of::<raw::dmashim_info>() == 56);
const _: () = assert!(align_of::<raw::dmashim_info>() == 8);
const _: () = assert!(size_of::<raw::dmashim_pool_opts>() == 16);
const _: () = assert!(align_of::<raw::dmashim_pool_opts>() == 8);
const _: () = assert!(size_of::<raw::dmashim_stats>() == 64);
const _: () = assert!(align_of::<raw::dmashim_stats>() == 8);
const _: () = assert!(size_of::<raw::dmashim_handle_t>() == 8);
const _: () = assert!(size_of::<raw::dmashim_pool_t>() == 8);
const _: () = assert!(raw::dmashim_abi_DMASHIM_ABI_VERSION as i64 == 1);
const _: () = assert!(raw::dmashim_kind_DMASHIM_KIND_COHERENT as i64 == 1);
const _: () = assert!(raw::dmashim_kind_DMASHIM_KIND_NONCOHERENT as i64 == 2);
const _: () = assert!(raw::dmashim_kind_DMASHIM_KIND_POOL_BLOCK as i64 == 3);
const _: () = assert!(raw::dmashim_dir_DMASHIM_DIR_BIDIRECTIONAL as i64 == 0);
const _: () = assert!(raw::dmashim_dir_DMASHIM_DIR_TO_DEVICE as i64 == 1);
const _: () = assert!(raw::dmashim_dir_DMASHIM_DIR_FROM_DEVICE as i64 == 2);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_WRITE_COMBINE as i64 == 1);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_NO_KERNEL_MAPPING as i64 == 2);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_NOWAIT as i64 == 4);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_WEAK_ORDERING as i64 == 8);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_FORCE_CONTIGUOUS as i64 == 16);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_SINGLE_PAGES as i64 == 32);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_NO_WARN as i64 == 64);
const _: () = assert!(raw::dmashim_alloc_flags_DMASHIM_ALLOC_PRIVILEGED as i64 == 128);
const _: () = assert!(raw::dmashim_numa_DMASHIM_NUMA_NODE_ANY as i64 == -1);
const _: () = assert!(error::EINVAL == 22);
const _: () = assert!(error::EBADF == 9);
const _: () = assert!(error::EXDEV == 18);
const _: () = assert!(error::ENODEV == 19);
const _: () = assert!(error::EACCES == 13);
const _: () = assert!(error::ERANGE == 34);
const _: () = assert!(error::EOVERFLOW == 75);
const _: () = assert!(error::E2BIG == 7);
const _: () = assert!(error::ENOMEM == 12);
const _: () = assert!(error::ENOSPC == 28);
const _: () = assert!(error::EBUSY == 16);
const _: () = assert!(error::EOPNOTSUPP == 95);
const _: () = assert!(error::ENXIO == 6);

/// One field offset: as the C compiler placed it, and as Rust does.
#[derive(Clone, Copy, Debug)]
pub struct FieldOffset {
    /// `struct.field`.
    pub name: &'static str,
    /// The offset gcc chose.
    pub c: usize,
    /// The offset of the field in the bindgen struct.
    pub rust: usize,
}

macro_rules! rust_offset {
    ($t:ty, $f:ident) => {{
        let value = core::mem::MaybeUninit::<$t>::uninit();
        let base = value.as_ptr();
        // SAFETY: `addr_of!` computes the field's address inside `value`
        // without creating a reference or reading the uninitialised memory.
        let field = unsafe { core::ptr::addr_of!((*base).$f) };
        field as usize - base as usize
    }};
}

/// Every field offset of every struct of the header.
pub fn field_offsets() -> [FieldOffset; 27] {
    [
        FieldOffset {
            name: "dmashim_alloc_opts.sz",
            c: 0,
            rust: rust_offset!(raw::dmashim_alloc_opts, sz),
        },
        FieldOffset {
            name: "dmashim_alloc_opts.flags",
            c: 4,
            rust: rust_offset!(raw::dmashim_alloc_opts, flags),
        },
        FieldOffset {
            name: "dmashim_alloc_opts.numa_node",
            c: 8,
            rust: rust_offset!(raw::dmashim_alloc_opts, numa_node),
        },
        FieldOffset {
            name: "dmashim_alloc_opts.reserved",
            c: 12,
            rust: rust_offset!(raw::dmashim_alloc_opts, reserved),
        },
        FieldOffset {
            name: "dmashim_info.sz",
            c: 0,
            rust: rust_offset!(raw::dmashim_info, sz),
        },
        FieldOffset {
            name: "dmashim_info.kind",
            c: 4,
            rust: rust_offset!(raw::dmashim_info, kind),
        },
        FieldOffset {
            name: "dmashim_info.len",
            c: 8,
            rust: rust_offset!(raw::dmashim_info, len),
        },
        FieldOffset {
            name: "dmashim_info.dma_addr",
            c: 16,
            rust: rust_offset!(raw::dmashim_info, dma_addr),
        },
        FieldOffset {
            name: "dmashim_info.cpu_addr",
            c: 24,
            rust: rust_offset!(raw::dmashim_info, cpu_addr),
        },
        FieldOffset {
            name: "dmashim_info.flags",
            c: 32,
            rust: rust_offset!(raw::dmashim_info, flags),
        },
        FieldOffset {
            name: "dmashim_info.numa_node",
            c: 36,
            rust: rust_offset!(raw::dmashim_info, numa_node),
        },
        FieldOffset {
            name: "dmashim_info.dir",
            c: 40,
            rust: rust_offset!(raw::dmashim_info, dir),
        },
        FieldOffset {
            name: "dmashim_info.user_maps",
            c: 44,
            rust: rust_offset!(raw::dmashim_info, user_maps),
        },
        FieldOffset {
            name: "dmashim_info.exports",
            c: 48,
            rust: rust_offset!(raw::dmashim_info, exports),
        },
        FieldOffset {
            name: "dmashim_info.reserved",
            c: 52,
            rust: rust_offset!(raw::dmashim_info, reserved),
        },
        FieldOffset {
            name: "dmashim_pool_opts.sz",
            c: 0,
            rust: rust_offset!(raw::dmashim_pool_opts, sz),
        },
        FieldOffset {
            name: "dmashim_pool_opts.align",
            c: 4,
            rust: rust_offset!(raw::dmashim_pool_opts, align),
        },
        FieldOffset {
            name: "dmashim_pool_opts.boundary",
            c: 8,
            rust: rust_offset!(raw::dmashim_pool_opts, boundary),
        },
        FieldOffset {
            name: "dmashim_stats.sz",
            c: 0,
            rust: rust_offset!(raw::dmashim_stats, sz),
        },
        FieldOffset {
            name: "dmashim_stats.reserved",
            c: 4,
            rust: rust_offset!(raw::dmashim_stats, reserved),
        },
        FieldOffset {
            name: "dmashim_stats.live",
            c: 8,
            rust: rust_offset!(raw::dmashim_stats, live),
        },
        FieldOffset {
            name: "dmashim_stats.live_bytes",
            c: 16,
            rust: rust_offset!(raw::dmashim_stats, live_bytes),
        },
        FieldOffset {
            name: "dmashim_stats.allocs",
            c: 24,
            rust: rust_offset!(raw::dmashim_stats, allocs),
        },
        FieldOffset {
            name: "dmashim_stats.frees",
            c: 32,
            rust: rust_offset!(raw::dmashim_stats, frees),
        },
        FieldOffset {
            name: "dmashim_stats.alloc_failures",
            c: 40,
            rust: rust_offset!(raw::dmashim_stats, alloc_failures),
        },
        FieldOffset {
            name: "dmashim_stats.refused",
            c: 48,
            rust: rust_offset!(raw::dmashim_stats, refused),
        },
        FieldOffset {
            name: "dmashim_stats.pending_release",
            c: 56,
            rust: rust_offset!(raw::dmashim_stats, pending_release),
        },
    ]
}

/// Compares every field offset; returns how many were checked, or the
/// first that differs.
pub fn verify() -> Result<usize, FieldOffset> {
    let offsets = field_offsets();
    for f in offsets.iter() {
        if f.c != f.rust {
            return Err(*f);
        }
    }
    Ok(offsets.len())
}
