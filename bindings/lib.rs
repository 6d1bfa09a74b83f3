// SPDX-License-Identifier: GPL-2.0

//! dmashim's safe wrapper as a user-space `#![no_std]` crate: for type
//! checks and the compile-fail tests (`scripts/rust.sh check`), built with
//! `--cfg dmashim_standalone` and never linked (the C functions stay
//! undefined).  Kernel modules include `dmashim.rs` instead; see there.

#![no_std]
// core::ffi's C types, stable from Rust 1.64; the kernel allows this one
// feature on 1.63, and so does this build (RUSTC_BOOTSTRAP=1).
#![feature(core_ffi_c)]

#[path = "dmashim.rs"]
mod dmashim;

pub use dmashim::*;
