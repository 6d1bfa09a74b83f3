// SPDX-License-Identifier: GPL-2.0
//! A NonZeroU32 cannot be read from device memory: a device may write 0.
// expect-error: E0277
// expect-text: the trait bound `NonZeroU32: FromBytes` is not satisfied
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<core::num::NonZeroU32> {
    buf.read(0)
}
