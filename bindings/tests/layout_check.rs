// SPDX-License-Identifier: GPL-2.0

//! Host check of `bindings/layout.rs` (scripts/rust.sh check):
//! compiling it checks sizes, alignments, enumerators and errnos; running
//! it compares every field offset of the bindgen structs with the one gcc
//! chose.  The host's x86_64 data layout is the kernel target's; the Rust
//! sample driver repeats the offset check in the guest kernel.

#![feature(core_ffi_c)]
#![allow(dead_code)]

#[allow(
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals
)]
#[path = "../dmashim_raw.rs"]
mod raw;

#[path = "../opaque.rs"]
mod opaque;

#[path = "../error.rs"]
mod error;

#[path = "../layout.rs"]
mod layout;

fn main() {
    match layout::verify() {
        Ok(n) => println!(
            "layout: {} field offsets, and every size, alignment, enumerator and errno, match C",
            n
        ),
        Err(f) => {
            eprintln!(
                "layout: MISMATCH {}: offset {} in C, {} in Rust",
                f.name, f.c, f.rust
            );
            std::process::exit(1);
        }
    }
}
