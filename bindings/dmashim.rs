// SPDX-License-Identifier: GPL-2.0

//! Safe Rust access to dmashim, the handle-based C ABI over the DMA API
//! (`include/dmashim.h`).
//!
//! This module tree is the whole wrapper.  A kernel module includes it as a
//! module of its own crate (6.1 builds every out-of-tree Rust object as one
//! crate):
//!
//! ```ignore
//! #[path = "dmashim/dmashim.rs"]
//! pub mod dmashim;
//! ```
//!
//! with `dmashim` a link to this directory (`/usr/share/dmashim/rust`
//! from the dmashim-dev package; `../../bindings` in dmashim's own tree).
//!
//! and `bindings/lib.rs` makes it a user-space `#![no_std]` crate for type
//! checks and the compile-fail tests (`--cfg dmashim_standalone`).
//!
//! * [`raw`]: the bindgen output, every C declaration as it is;
//! * [`layout`]: the C layout of every struct, checked against [`raw`];
//! * [`Context`], [`Buffer`], [`NonCoherentBuffer`], [`Pool`]: owned
//!   handles, freed on drop, tied to their context by a borrow;
//! * [`Buffer::with_access`], [`Access`]: one lookup, then volatile
//!   accesses to a range; [`Mapping`]: a streaming mapping that borrows
//!   the memory it maps;
//! * [`FromBytes`], [`AsBytes`]: what may be copied out of and into DMA
//!   memory; [`Scalar`]: what may be loaded and stored in one access;
//! * [`Error`]: every errno of the header;
//! * [`platform`]: the only code specific to Linux 6.1's `kernel` crate.

#[allow(
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    clippy::all
)]
#[path = "dmashim_raw.rs"]
pub mod raw;

#[path = "opaque.rs"]
pub(crate) mod opaque;

#[path = "layout.rs"]
pub mod layout;

#[path = "error.rs"]
pub mod error;

#[path = "bytes.rs"]
mod bytes;

#[path = "buffer.rs"]
mod buffer;

#[path = "access.rs"]
mod access;

#[cfg(not(dmashim_standalone))]
#[path = "kernel_6_1.rs"]
pub mod platform;

#[cfg(dmashim_standalone)]
#[path = "standalone.rs"]
pub mod platform;

pub use buffer::{
    AllocFlags, AllocOptions, Buffer, Context, Direction, DmaAddr, Info, Kind, NonCoherentBuffer,
    Pool, Stats,
};
pub use access::{Access, Mapping};
pub use bytes::{AsBytes, FromBytes, Scalar};
pub use error::{Error, Result};

/// The ABI version this wrapper was generated for.
pub const ABI_VERSION: u32 = raw::dmashim_abi_DMASHIM_ABI_VERSION;

/// The ABI version of the loaded library; must equal [`ABI_VERSION`].
pub fn abi_version() -> u32 {
    // SAFETY: no arguments, callable in any context.
    unsafe { raw::dmashim_abi_version() }
}
