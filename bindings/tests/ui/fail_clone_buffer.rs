// SPDX-License-Identifier: GPL-2.0
//! A buffer handle cannot be cloned (two owners would free it twice).
// expect-error: E0599
// expect-text: no method named `clone` found for struct `Buffer` in the current scope
#![no_std]

pub fn f(buf: dmashim::Buffer<'_>) -> (dmashim::Buffer<'_>, dmashim::Buffer<'_>) {
    let other = buf.clone();
    (buf, other)
}
