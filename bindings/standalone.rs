// SPDX-License-Identifier: GPL-2.0

//! The platform layer of the user-space build (`--cfg dmashim_standalone`),
//! used to type-check the wrapper and run its compile-fail tests without a
//! kernel: nothing to log to.

use super::error::Error;

/// Reports a free or pool destroy that failed during a drop: ignored.
pub(crate) fn free_failed(handle: u64, e: Error) {
    let _ = (handle, e);
}
