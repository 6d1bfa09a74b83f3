// SPDX-License-Identifier: GPL-2.0
//! A mapping is unmapped once: unmap() consumes it.
// expect-error: E0382
// expect-text: use of moved value: `map`
#![no_std]

pub fn f(ctx: &dmashim::Context, mem: &mut [u8]) -> dmashim::Result {
    let map = ctx.map(mem, dmashim::Direction::ToDevice)?;
    map.unmap()?;
    map.unmap()?;
    Ok(())
}
