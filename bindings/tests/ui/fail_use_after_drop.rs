// SPDX-License-Identifier: GPL-2.0
//! A buffer cannot be used after it was dropped (freed by its Drop).
// expect-error: E0382
// expect-text: borrow of moved value: `buf`
#![no_std]

pub fn f(ctx: &dmashim::Context) -> dmashim::Result<u32> {
    let buf = ctx.alloc(64)?;
    drop(buf);
    buf.read::<u32>(0)
}
