// SPDX-License-Identifier: GPL-2.0
//! A scoped access stays on its CPU (its RCU section): it is not Send.
// expect-error: E0277
// expect-text: cannot be shared between threads safely
#![no_std]

fn needs_send<T: Send>(_: T) {}

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result {
    buf.with_access(0, 64, |a| needs_send(a))
}
