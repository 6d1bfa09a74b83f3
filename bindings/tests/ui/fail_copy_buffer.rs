// SPDX-License-Identifier: GPL-2.0
//! A buffer handle is not Copy.
// expect-error: E0277
// expect-text: the trait bound `Buffer<'_>: core::marker::Copy` is not satisfied
#![no_std]

fn needs_copy<T: Copy>(_: &T) {}

pub fn f(buf: &dmashim::Buffer<'_>) {
    needs_copy(buf);
}
