// SPDX-License-Identifier: GPL-2.0
//! A bool cannot be read from device memory: a device may write 2.
// expect-error: E0277
// expect-text: the trait bound `bool: FromBytes` is not satisfied
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<bool> {
    buf.read::<bool>(0)
}
