// SPDX-License-Identifier: GPL-2.0
//! A scoped access cannot leave its section: the closure cannot keep it.
// expect-error: E0521
// expect-text: borrowed data escapes outside of closure
#![no_std]

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<u32> {
    let mut leaked = None;
    buf.with_access(0, 64, |a| leaked = Some(a))?;
    leaked.map_or(Ok(0), |a| a.load::<u32>(0))
}
