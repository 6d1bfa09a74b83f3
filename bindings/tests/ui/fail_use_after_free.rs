// SPDX-License-Identifier: GPL-2.0
//! A buffer cannot be used after it was freed: free() consumes it.
// expect-error: E0382
// expect-text: borrow of moved value: `buf`
#![no_std]

pub fn f(ctx: &dmashim::Context) -> dmashim::Result<u32> {
    let buf = ctx.alloc(64)?;
    buf.free()?;
    buf.read::<u32>(0)
}
