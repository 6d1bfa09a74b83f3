// SPDX-License-Identifier: GPL-2.0

//! Which Rust types may be copied out of and into DMA memory.
//!
//! A device writes whatever bytes it likes, so a value read from DMA memory
//! must be valid for every bit pattern: integers and arrays of them are;
//! `bool`, `char`, enums, references, `NonZero*` and `Option<&T>` are not
//! (reading a 2 into a `bool` is undefined behaviour).  Values written to DMA
//! memory must have no uninitialised (padding) bytes.
//!
//! Both traits are `unsafe` to implement and are implemented here only for
//! the primitive integers and arrays and slices of them.  A driver may
//! implement them for its own `#[repr(C)]` descriptor structs, under the
//! rules below; Rust's orphan rule keeps everyone else from implementing
//! them for `bool`, `char` and the other types of `core`.

/// Types for which every bit pattern of `size_of::<Self>()` bytes is a valid
/// value: they may be read from memory a device writes.
///
/// # Safety
///
/// Implementors must be valid for any bit pattern: no `bool`, `char`, enum,
/// reference, pointer to be dereferenced, `NonZero*` or niche-optimised
/// `Option`, neither directly nor in any field.
pub unsafe trait FromBytes {}

/// Types whose values consist of initialised bytes only: they may be copied
/// byte by byte into DMA memory.
///
/// # Safety
///
/// Implementors must have no padding and no other uninitialised bytes.
pub unsafe trait AsBytes {}

macro_rules! impl_bytes {
    ($($t:ty),*) => {
        $(
            // SAFETY: a primitive integer is valid for every bit pattern
            // and has no padding.
            unsafe impl FromBytes for $t {}
            // SAFETY: as above.
            unsafe impl AsBytes for $t {}
        )*
    };
}

impl_bytes!(u8, u16, u32, u64, i8, i16, i32, i64);

// SAFETY: an array of values valid for any bit pattern is, too (arrays have
// no padding between elements).
unsafe impl<T: FromBytes, const N: usize> FromBytes for [T; N] {}
// SAFETY: an array of padding-free values has no padding.
unsafe impl<T: AsBytes, const N: usize> AsBytes for [T; N] {}
// SAFETY: as for arrays.
unsafe impl<T: FromBytes> FromBytes for [T] {}
// SAFETY: as for arrays.
unsafe impl<T: AsBytes> AsBytes for [T] {}

pub(crate) mod sealed {
    /// Keeps [`super::Scalar`] to the types implemented here.
    pub trait Sealed {}
}

/// The integer types dmashim loads and stores in one access (no tearing):
/// `u8`..`u64` and `i8`..`i64`.  Sealed: implemented here only.
pub trait Scalar: FromBytes + AsBytes + Copy + sealed::Sealed {
    /// Loads one value with the matching `dmashim_loadN()`.
    ///
    /// # Safety
    ///
    /// `ctx` must be a live context pointer.
    #[doc(hidden)]
    unsafe fn load_raw(
        ctx: *mut super::raw::dmashim_ctx,
        handle: super::raw::dmashim_handle_t,
        offset: u64,
    ) -> super::Result<Self>;

    /// Stores one value with the matching `dmashim_storeN()`.
    ///
    /// # Safety
    ///
    /// `ctx` must be a live context pointer.
    #[doc(hidden)]
    unsafe fn store_raw(
        ctx: *mut super::raw::dmashim_ctx,
        handle: super::raw::dmashim_handle_t,
        offset: u64,
        val: Self,
    ) -> super::Result;
}

macro_rules! impl_scalar {
    ($($t:ty => $u:ty, $load:ident, $store:ident;)*) => {
        $(
            impl sealed::Sealed for $t {}

            impl Scalar for $t {
                unsafe fn load_raw(
                    ctx: *mut super::raw::dmashim_ctx,
                    handle: super::raw::dmashim_handle_t,
                    offset: u64,
                ) -> super::Result<Self> {
                    let mut val: $u = 0;
                    // SAFETY: `ctx` is live (the caller's contract); `val`
                    // is a valid place for the value.
                    super::error::check(unsafe {
                        super::raw::$load(ctx, handle, offset, &mut val)
                    })?;
                    // Same width: reinterprets the bits, never truncates.
                    Ok(val as $t)
                }

                unsafe fn store_raw(
                    ctx: *mut super::raw::dmashim_ctx,
                    handle: super::raw::dmashim_handle_t,
                    offset: u64,
                    val: Self,
                ) -> super::Result {
                    // SAFETY: `ctx` is live (the caller's contract).
                    super::error::check(unsafe {
                        super::raw::$store(ctx, handle, offset, val as $u)
                    })
                }
            }
        )*
    };
}

impl_scalar! {
    u8 => u8, dmashim_load8, dmashim_store8;
    u16 => u16, dmashim_load16, dmashim_store16;
    u32 => u32, dmashim_load32, dmashim_store32;
    u64 => u64, dmashim_load64, dmashim_store64;
    i8 => u8, dmashim_load8, dmashim_store8;
    i16 => u16, dmashim_load16, dmashim_store16;
    i32 => u32, dmashim_load32, dmashim_store32;
    i64 => u64, dmashim_load64, dmashim_store64;
}
