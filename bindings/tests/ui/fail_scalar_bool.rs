// SPDX-License-Identifier: GPL-2.0
//! Single-access loads are for integers only.
// expect-error: E0277
// expect-text: the trait bound `bool: Scalar` is not satisfied
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<bool> {
    buf.load::<bool>(0)
}
