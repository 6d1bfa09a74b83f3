// SPDX-License-Identifier: GPL-2.0
//! A context cannot be dropped (destroyed) while a buffer borrows it.
// expect-error: E0505
// expect-text: cannot move out of `ctx` because it is borrowed
#![no_std]

pub fn f(ctx: dmashim::Context) -> dmashim::Result {
    let buf = ctx.alloc(64)?;
    drop(ctx);
    buf.fill(0, 0, 64)
}
