// SPDX-License-Identifier: GPL-2.0
//! Nobody outside the wrapper can declare bool readable (orphan rule).
// expect-error: E0117
// expect-text: only traits defined in the current crate can be implemented for primitive types
#![no_std]

unsafe impl dmashim::FromBytes for bool {}
