// SPDX-License-Identifier: GPL-2.0
//! Assigning a buffer moves it: there are never two owners of a handle.
// expect-error: E0382
// expect-text: use of moved value: `buf`
#![no_std]

pub fn f(ctx: &dmashim::Context) -> dmashim::Result {
    let buf = ctx.alloc(64)?;
    let first = buf;
    let second = buf;
    first.free()?;
    second.free()
}
