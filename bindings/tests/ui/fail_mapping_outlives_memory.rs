// SPDX-License-Identifier: GPL-2.0
//! A mapping cannot outlive the memory it maps.
// expect-error: E0515
// expect-text: cannot return value referencing local variable `mem`
#![no_std]

pub fn f(ctx: &dmashim::Context) -> dmashim::Result<dmashim::Mapping<'_, '_>> {
    let mut mem = [0u8; 64];
    ctx.map(&mut mem, dmashim::Direction::ToDevice)
}
