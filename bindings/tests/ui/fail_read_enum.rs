// SPDX-License-Identifier: GPL-2.0
//! An enum cannot be read from device memory, not even a #[repr(u32)] one.
// expect-error: E0277
// expect-text: the trait bound `State: FromBytes` is not satisfied
#![no_std]

#[repr(u32)]
pub enum State {
    Idle = 0,
    Busy = 1,
}

pub fn f(buf: &dmashim::Buffer<'_>) -> dmashim::Result<State> {
    buf.read::<State>(0)
}
