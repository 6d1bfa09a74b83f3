// SPDX-License-Identifier: GPL-2.0
//! Device addresses have no unchecked arithmetic.
// expect-error: E0369
// expect-text: cannot add `{integer}` to `DmaAddr`
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<dmashim::DmaAddr> {
    Ok(buf.dma_addr(0, 64)? + 64)
}
