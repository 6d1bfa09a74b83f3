// SPDX-License-Identifier: GPL-2.0

//! The C structs the bindings only ever point to.  bindgen would declare
//! them `Copy`, `Clone` and `Default`; these cannot be built, copied or
//! sized from Rust, and are neither `Send`, `Sync` nor `Unpin`
//! (<https://doc.rust-lang.org/nomicon/ffi.html#representing-opaque-structs>).
//! The generated bindings import them (`make bindings`).

/// Defines the opaque C structs of the given names.
macro_rules! opaque_types {
    ($($name:ident),*) => {$(
        #[doc = concat!("Opaque C `struct ", stringify!($name),
                        "`: only ever handled through raw pointers.")]
        #[allow(non_camel_case_types)]
        #[repr(C)]
        pub struct $name {
            _opaque: [u8; 0],
            _not_send_sync_unpin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
        }
    )*};
}
// For the opaque structs of other headers' bindings (the Rust sample's).
#[allow(unused_imports)]
pub(crate) use opaque_types;

opaque_types!(device, page, sg_table, vm_area_struct, dmashim_ctx);
