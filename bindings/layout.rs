// SPDX-License-Identifier: GPL-2.0

//! What the C compiler says about `include/dmashim.h`, checked against the
//! bindgen declarations of [`raw`](super::raw): the sizes and alignments of
//! structs and types, enumerator and errno values at compile time, for every
//! target the wrapper is built for; field offsets by [`verify`] at run time
//! (const pointer arithmetic needs Rust 1.65+).  The C side's values are the
//! data of the generated `dmashim_layout.rs` (`make bindings`).

use super::error;
use super::raw;
use core::mem::{align_of, size_of};

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

/// The checks of the C layout that `dmashim_layout.rs` lists.
macro_rules! c_layout {
    (
        types { $(($t:ident, $size:literal, $align:literal),)* }
        fields { $(($s:ident, $f:ident, $offset:literal),)* }
        values { $(($v:ident, $value:literal),)* }
        errnos { $(($e:ident, $errno:literal),)* }
    ) => {
        $(
            const _: () = assert!(size_of::<raw::$t>() == $size);
            const _: () = assert!(align_of::<raw::$t>() == $align);
        )*
        $(const _: () = assert!(raw::$v as i64 == $value);)*
        $(const _: () = assert!(error::$e == $errno);)*

        /// Every field offset of every struct of the header.
        pub fn field_offsets() -> [FieldOffset; [$(stringify!($f)),*].len()] {
            [$(FieldOffset {
                name: concat!(stringify!($s), ".", stringify!($f)),
                c: $offset,
                rust: rust_offset!(raw::$s, $f),
            }),*]
        }
    };
}

include!("dmashim_layout.rs");

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
