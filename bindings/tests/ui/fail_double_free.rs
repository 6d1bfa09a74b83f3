// SPDX-License-Identifier: GPL-2.0
//! A buffer cannot be freed twice.
// expect-error: E0382
// expect-text: use of moved value: `buf`
#![no_std]

pub fn f(ctx: &dmashim::Context) -> dmashim::Result {
    let buf = ctx.alloc(64)?;
    buf.free()?;
    buf.free()
}
