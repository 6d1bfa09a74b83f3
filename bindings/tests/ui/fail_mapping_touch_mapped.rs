// SPDX-License-Identifier: GPL-2.0
//! Memory the device owns cannot be touched: the mapping borrows it.
// expect-error: E0503
// expect-text: cannot use `mem[_]` because it was mutably borrowed
#![no_std]

pub fn f(ctx: &dmashim::Context, mem: &mut [u8]) -> dmashim::Result {
    let map = ctx.map(mem, dmashim::Direction::FromDevice)?;
    let _first = mem[0];
    map.unmap()?;
    Ok(())
}
