// SPDX-License-Identifier: GPL-2.0
//! A reference (here inside an Option) cannot be read from device memory.
// expect-error: E0277
// expect-text: the trait bound `Option<&u8>: FromBytes` is not satisfied
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<Option<&'static u8>> {
    buf.read(0)
}
