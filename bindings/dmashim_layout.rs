// SPDX-License-Identifier: GPL-2.0
//
// GENERATED FILE, DO NOT EDIT: regenerate with `make bindings`
// (scripts/rust.sh bindings); `scripts/rust.sh check` fails when it is stale.
// Input: include/dmashim.h compiled by kbuild (gcc, the kernel's C flags for
// modules).  Data only: bindings/layout.rs turns it into checks.

c_layout! {
    types {
        (dmashim_alloc_opts, 16, 4),
        (dmashim_info, 56, 8),
        (dmashim_pool_opts, 16, 8),
        (dmashim_stats, 64, 8),
        (dmashim_handle_t, 8, 8),
        (dmashim_pool_t, 8, 8),
    }
    fields {
        (dmashim_alloc_opts, sz, 0),
        (dmashim_alloc_opts, flags, 4),
        (dmashim_alloc_opts, numa_node, 8),
        (dmashim_alloc_opts, reserved, 12),
        (dmashim_info, sz, 0),
        (dmashim_info, kind, 4),
        (dmashim_info, len, 8),
        (dmashim_info, dma_addr, 16),
        (dmashim_info, cpu_addr, 24),
        (dmashim_info, flags, 32),
        (dmashim_info, numa_node, 36),
        (dmashim_info, dir, 40),
        (dmashim_info, user_maps, 44),
        (dmashim_info, exports, 48),
        (dmashim_info, reserved, 52),
        (dmashim_pool_opts, sz, 0),
        (dmashim_pool_opts, align, 4),
        (dmashim_pool_opts, boundary, 8),
        (dmashim_stats, sz, 0),
        (dmashim_stats, reserved, 4),
        (dmashim_stats, live, 8),
        (dmashim_stats, live_bytes, 16),
        (dmashim_stats, allocs, 24),
        (dmashim_stats, frees, 32),
        (dmashim_stats, alloc_failures, 40),
        (dmashim_stats, refused, 48),
        (dmashim_stats, pending_release, 56),
    }
    values {
        (dmashim_abi_DMASHIM_ABI_VERSION, 1),
        (dmashim_kind_DMASHIM_KIND_COHERENT, 1),
        (dmashim_kind_DMASHIM_KIND_NONCOHERENT, 2),
        (dmashim_kind_DMASHIM_KIND_POOL_BLOCK, 3),
        (dmashim_dir_DMASHIM_DIR_BIDIRECTIONAL, 0),
        (dmashim_dir_DMASHIM_DIR_TO_DEVICE, 1),
        (dmashim_dir_DMASHIM_DIR_FROM_DEVICE, 2),
        (dmashim_alloc_flags_DMASHIM_ALLOC_WRITE_COMBINE, 1),
        (dmashim_alloc_flags_DMASHIM_ALLOC_NO_KERNEL_MAPPING, 2),
        (dmashim_alloc_flags_DMASHIM_ALLOC_NOWAIT, 4),
        (dmashim_alloc_flags_DMASHIM_ALLOC_WEAK_ORDERING, 8),
        (dmashim_alloc_flags_DMASHIM_ALLOC_FORCE_CONTIGUOUS, 16),
        (dmashim_alloc_flags_DMASHIM_ALLOC_SINGLE_PAGES, 32),
        (dmashim_alloc_flags_DMASHIM_ALLOC_NO_WARN, 64),
        (dmashim_alloc_flags_DMASHIM_ALLOC_PRIVILEGED, 128),
        (dmashim_numa_DMASHIM_NUMA_NODE_ANY, -1),
    }
    errnos {
        (EINVAL, 22),
        (EBADF, 9),
        (EXDEV, 18),
        (ENODEV, 19),
        (EACCES, 13),
        (ERANGE, 34),
        (EOVERFLOW, 75),
        (E2BIG, 7),
        (ENOMEM, 12),
        (ENOSPC, 28),
        (EBUSY, 16),
        (EOPNOTSUPP, 95),
        (ENXIO, 6),
    }
}
