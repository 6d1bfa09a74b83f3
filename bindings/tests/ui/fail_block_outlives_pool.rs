// SPDX-License-Identifier: GPL-2.0
//! A pool cannot be destroyed while one of its blocks is alive.
// expect-error: E0505
// expect-text: cannot move out of `pool` because it is borrowed
#![no_std]

pub fn f(ctx: &dmashim::Context) -> dmashim::Result {
    let pool = ctx.pool(b"p\0", 64, 0, 0)?;
    let block = pool.alloc()?;
    drop(pool);
    block.fill(0, 0, 64)
}
