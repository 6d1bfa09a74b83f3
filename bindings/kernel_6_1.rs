// SPDX-License-Identifier: GPL-2.0

//! Everything the wrapper needs from Linux 6.1's `kernel` crate, and nothing
//! else does: porting to a newer kernel means rewriting this file only.
//!
//! * 6.1's `module!` cannot import a symbol namespace; `MODULE_IMPORT_NS()`
//!   only adds `import_ns=NS` to `.modinfo`, so this does the same (without
//!   it modpost and insmod refuse dmashim's namespaced symbols).  Newer
//!   kernels: `module! { imports_ns: ["DMASHIM"], ... }` (6.13+).
//! * 6.1's `kernel::error::Error` can only be `ENOMEM` and has no public
//!   constructor from an errno, hence [`kernel_error`].  Newer kernels:
//!   `kernel::error::Error::from_errno(e.to_errno())`.
//! * 6.1 has no `pr_warn!`; [`free_failed`] calls `_printk` directly.

use super::error::Error;
use core::ffi::c_void;
use core::fmt;

/// `MODULE_IMPORT_NS(DMASHIM)`, as the C macro emits it.
#[link_section = ".modinfo"]
#[used]
static IMPORT_NS_DMASHIM: [u8; 18] = *b"import_ns=DMASHIM\0";

/// The closest `kernel::error::Error` to `e`: on 6.1 that is `ENOMEM`
/// whatever `e` is, the only error the 6.1 kernel crate can express; log
/// `e` itself before returning this.
pub fn kernel_error(e: Error) -> kernel::error::Error {
    let _ = e;
    kernel::error::code::ENOMEM
}

/// Prints one line to the kernel log at `level` (a `KERN_*` byte, e.g.
/// `b'3'` for errors), without 6.1's `pr_*!` module-name prefix.
pub fn printk(level: u8, args: fmt::Arguments<'_>) {
    let format: [u8; 7] = [1, level, b'%', b'p', b'A', b'\n', 0];
    // SAFETY: `format` is a NUL-terminated printk format whose one argument,
    // `%pA`, is a `fmt::Arguments` (printed by the kernel crate's
    // `rust_fmt_argument`); `args` outlives the call.
    unsafe {
        kernel::bindings::_printk(
            format.as_ptr().cast(),
            &args as *const fmt::Arguments<'_> as *const c_void,
        );
    }
}

/// Reports a free or pool destroy that failed during a drop.
pub(crate) fn free_failed(handle: u64, e: Error) {
    printk(
        b'3',
        format_args!(
            "dmashim: freeing handle {:#x} on drop failed: {}",
            handle, e
        ),
    );
}
