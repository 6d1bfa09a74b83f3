// SPDX-License-Identifier: GPL-2.0

//! Every errno `include/dmashim.h` documents, as a typed error.

use core::ffi::c_int;
use core::fmt;

// The errno values of Linux (include/uapi/asm-generic/errno*.h); the
// generated layout module checks each against the C headers.
/// Invalid argument.
pub const EINVAL: i32 = 22;
/// Bad file number: not a live handle.
pub const EBADF: i32 = 9;
/// Cross-device link: a handle of another context.
pub const EXDEV: i32 = 18;
/// No such device: the context has been revoked.
pub const ENODEV: i32 = 19;
/// Permission denied: the buffer has no kernel mapping.
pub const EACCES: i32 = 13;
/// Math result not representable: a range outside the buffer.
pub const ERANGE: i32 = 34;
/// Value too large for defined data type.
pub const EOVERFLOW: i32 = 75;
/// Argument list too long: more than the DMA mask addresses.
pub const E2BIG: i32 = 7;
/// Out of memory.
pub const ENOMEM: i32 = 12;
/// No space left on device: the context's handle table is full.
pub const ENOSPC: i32 = 28;
/// Device or resource busy.
pub const EBUSY: i32 = 16;
/// Operation not supported.
pub const EOPNOTSUPP: i32 = 95;
/// No such device or address.
pub const ENXIO: i32 = 6;

/// A dmashim error: one variant per errno of the header, plus `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// `-EINVAL`: a malformed argument (zero length, unknown flags, ...).
    InvalidArgument,
    /// `-EBADF`: not a live handle (freed, stale, forged, or of the wrong
    /// kind).
    BadHandle,
    /// `-EXDEV`: the handle belongs to another context.
    WrongContext,
    /// `-ENODEV`: the context has been revoked (the device unbound).
    Revoked,
    /// `-EACCES`: the buffer has no kernel mapping.
    NoKernelMapping,
    /// `-ERANGE`: the range does not lie within the buffer.
    OutOfRange,
    /// `-EOVERFLOW`: the length cannot be rounded up to whole pages.
    Overflow,
    /// `-E2BIG`: larger than the device's DMA mask can address.
    TooBig,
    /// `-ENOMEM`: out of memory.
    NoMemory,
    /// `-ENOSPC`: the context has no free handle.
    NoSpace,
    /// `-EBUSY`: the buffer is mapped to user space or exported.
    Busy,
    /// `-EOPNOTSUPP`: the operation does not apply to this kind of buffer.
    NotSupported,
    /// `-ENXIO`: the memory has no pages (scatter table export).
    NoPages,
    /// Any other errno (its positive value), passed through from the DMA
    /// API.
    Other(i32),
}

/// The result of a dmashim call.
pub type Result<T = ()> = core::result::Result<T, Error>;

impl Error {
    /// The error for a negative errno `ret` (its sign is ignored; 0 and
    /// `i32::MIN`, which are no errno, give `InvalidArgument`).
    pub fn from_errno(ret: c_int) -> Error {
        match ret.checked_abs().filter(|e| *e != 0).unwrap_or(EINVAL) {
            EINVAL => Error::InvalidArgument,
            EBADF => Error::BadHandle,
            EXDEV => Error::WrongContext,
            ENODEV => Error::Revoked,
            EACCES => Error::NoKernelMapping,
            ERANGE => Error::OutOfRange,
            EOVERFLOW => Error::Overflow,
            E2BIG => Error::TooBig,
            ENOMEM => Error::NoMemory,
            ENOSPC => Error::NoSpace,
            EBUSY => Error::Busy,
            EOPNOTSUPP => Error::NotSupported,
            ENXIO => Error::NoPages,
            e => Error::Other(e),
        }
    }

    /// The negative errno, as the kernel returns it.
    pub fn to_errno(self) -> c_int {
        -match self {
            Error::InvalidArgument => EINVAL,
            Error::BadHandle => EBADF,
            Error::WrongContext => EXDEV,
            Error::Revoked => ENODEV,
            Error::NoKernelMapping => EACCES,
            Error::OutOfRange => ERANGE,
            Error::Overflow => EOVERFLOW,
            Error::TooBig => E2BIG,
            Error::NoMemory => ENOMEM,
            Error::NoSpace => ENOSPC,
            Error::Busy => EBUSY,
            Error::NotSupported => EOPNOTSUPP,
            Error::NoPages => ENXIO,
            // Never 0 or positive, whatever a caller put in `Other`.
            Error::Other(e) => e.checked_abs().filter(|e| *e != 0).unwrap_or(EINVAL),
        }
    }

    /// The errno's name, for logs.
    pub fn name(self) -> &'static str {
        match self {
            Error::InvalidArgument => "EINVAL",
            Error::BadHandle => "EBADF",
            Error::WrongContext => "EXDEV",
            Error::Revoked => "ENODEV",
            Error::NoKernelMapping => "EACCES",
            Error::OutOfRange => "ERANGE",
            Error::Overflow => "EOVERFLOW",
            Error::TooBig => "E2BIG",
            Error::NoMemory => "ENOMEM",
            Error::NoSpace => "ENOSPC",
            Error::Busy => "EBUSY",
            Error::NotSupported => "EOPNOTSUPP",
            Error::NoPages => "ENXIO",
            Error::Other(_) => "errno",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.to_errno())
    }
}

/// `Ok(())` for 0, the error for a negative errno.
pub(crate) fn check(ret: c_int) -> Result {
    if ret == 0 {
        Ok(())
    } else {
        Err(Error::from_errno(ret))
    }
}
