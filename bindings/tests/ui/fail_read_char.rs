// SPDX-License-Identifier: GPL-2.0
//! A char cannot be read from device memory: not every u32 is a char.
// expect-error: E0277
// expect-text: the trait bound `char: FromBytes` is not satisfied
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<char> {
    buf.read::<char>(0)
}
