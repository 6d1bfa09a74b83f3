// SPDX-License-Identifier: GPL-2.0

//! Scoped access to a buffer, and streaming mappings of memory Rust owns.
//!
//! [`Buffer::with_access`] wraps `dmashim_access_begin()` and
//! `dmashim_access_end()`: one lookup, then plain (volatile) accesses to a
//! bounded range through an [`Access`] that only the closure sees.  The
//! closure is given `&Access<'s>` for a lifetime `'s` it cannot name, so
//! nothing it returns can hold the view past the section; `Access` is
//! neither `Send` nor `Sync`, so it stays on the CPU that opened the RCU
//! read-side section.  Every access is volatile: the device may write the
//! memory at any time, and the compiler must neither cache nor merge reads.
//!
//! [`Context::map`] wraps `dmashim_map_single()`: the [`Mapping`] borrows
//! the memory mutably for as long as it lives, so Rust code cannot touch
//! memory the device owns, and [`Mapping::unmap`] consumes the mapping and
//! gives the memory back, so a mapping is unmapped exactly once.

use core::marker::PhantomData;
use core::mem::{size_of, ManuallyDrop};

use super::buffer::{Buffer, Context, Direction, DmaAddr};
use super::bytes::Scalar;
use super::error::{check, Error, Result};
use super::platform;
use super::raw;

/// The view of a buffer range inside [`Buffer::with_access`].
pub struct Access<'s> {
    ptr: *mut u8,
    len: usize,
    _section: PhantomData<&'s mut [u8]>,
}

impl Access<'_> {
    /// Bytes in the range.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always `false`: a range has at least one byte.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The address of `size_of::<T>()` bytes at `offset`, if they lie in
    /// the range and `offset` is a multiple of the size.
    fn at<T: Scalar>(&self, offset: usize) -> Result<*mut T> {
        let size = size_of::<T>();
        let end = offset.checked_add(size).ok_or(Error::OutOfRange)?;
        if end > self.len {
            return Err(Error::OutOfRange);
        }
        if offset % size != 0 {
            return Err(Error::InvalidArgument);
        }
        // SAFETY: `offset + size <= len`, within the range begin returned.
        Ok(unsafe { self.ptr.add(offset) }.cast::<T>())
    }

    /// Loads the `T` at `offset` of the range in one volatile access.
    pub fn load<T: Scalar>(&self, offset: usize) -> Result<T> {
        let p = self.at::<T>(offset)?;
        // SAFETY: `p` is in the range, aligned for `T` (the range starts at
        // a buffer offset the caller chose; dmashim buffers are page or
        // block aligned and `at` checks the offset), valid until the
        // section ends, which is after `self` is gone; `T: Scalar` has no
        // invalid bit patterns.
        Ok(unsafe { p.read_volatile() })
    }

    /// Stores `val` at `offset` of the range in one volatile access.
    pub fn store<T: Scalar>(&self, offset: usize, val: T) -> Result {
        let p = self.at::<T>(offset)?;
        // SAFETY: as in `load`; the memory is the buffer's, shared with
        // the device, never a Rust object.
        unsafe { p.write_volatile(val) };
        Ok(())
    }
}

impl<'ctx> Buffer<'ctx> {
    /// Runs `f` with a view of the `len` bytes at `offset`, found once.
    ///
    /// The view is valid inside `f` only, which must not sleep (it runs
    /// in an RCU read-side section).  The memory stays valid even if the
    /// buffer is freed or the context revoked meanwhile.
    pub fn with_access<R>(
        &self,
        offset: u64,
        len: u64,
        f: impl for<'s> FnOnce(&Access<'s>) -> R,
    ) -> Result<R> {
        let ctx = self.context().as_raw();
        let mut ptr = core::ptr::null_mut();
        // SAFETY: the context is live; `ptr` is valid for the call.  The
        // section is ended below on every path, exactly once.
        let ret = unsafe { raw::dmashim_access_begin(ctx, self.raw_handle(), offset, len, 0, &mut ptr) };
        let out = check(ret).and_then(|()| {
            let len = usize::try_from(len).map_err(|_| Error::OutOfRange)?;
            let view = Access {
                ptr: ptr.cast::<u8>(),
                len,
                _section: PhantomData,
            };
            Ok(f(&view))
        });
        // SAFETY: ends the section begun above.
        unsafe { raw::dmashim_access_end(ctx) };
        out
    }
}

/// A streaming mapping of memory Rust owns, for the device; unmapped on
/// drop or by [`Mapping::unmap`].  It borrows the memory mutably, so the
/// CPU cannot touch it while the device owns it.
pub struct Mapping<'ctx, 'mem> {
    ctx: &'ctx Context,
    handle: raw::dmashim_handle_t,
    dir: Direction,
    mem: *mut u8,
    len: usize,
    _mem: PhantomData<&'mem mut [u8]>,
}

impl Context {
    /// Maps `mem` (kernel memory from the linear map, as from `kmalloc`:
    /// anything else is refused with [`Error::InvalidArgument`]) for the
    /// device's accesses in direction `dir`.
    pub fn map<'ctx, 'mem>(
        &'ctx self,
        mem: &'mem mut [u8],
        dir: Direction,
    ) -> Result<Mapping<'ctx, 'mem>> {
        let mut handle = Default::default();
        let len = u64::try_from(mem.len()).map_err(|_| Error::OutOfRange)?;
        // SAFETY: the context is live; `mem` is valid for `len` bytes and
        // stays borrowed by the mapping until it is unmapped.
        check(unsafe {
            raw::dmashim_map_single(
                self.as_raw(),
                mem.as_mut_ptr().cast(),
                len,
                dir.to_raw(),
                core::ptr::null(),
                &mut handle,
            )
        })?;
        Ok(Mapping {
            ctx: self,
            handle,
            dir,
            mem: mem.as_mut_ptr(),
            len: mem.len(),
            _mem: PhantomData,
        })
    }
}

impl<'ctx, 'mem> Mapping<'ctx, 'mem> {
    /// The device address of the `len` bytes at `offset`.
    pub fn dma_addr(&self, offset: u64, len: u64) -> Result<DmaAddr> {
        let mut addr = 0;
        let mut seg_len = 0;
        // SAFETY: the context is live; the outputs are valid for the call.
        check(unsafe {
            raw::dmashim_dma_segment(self.ctx.as_raw(), self.handle, 0, &mut addr, &mut seg_len)
        })?;
        let end = offset.checked_add(len).ok_or(Error::OutOfRange)?;
        if len == 0 || end > seg_len {
            return Err(Error::OutOfRange);
        }
        DmaAddr::from_raw(addr)
            .checked_add(offset)
            .ok_or(Error::OutOfRange)
    }

    /// Gives the memory to the CPU, runs `f` on it, and gives it back to
    /// the device: the one way to touch mapped memory.
    pub fn with_cpu<R>(&mut self, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        let len = self.len as u64;
        let ctx = self.ctx.as_raw();
        let dir = self.dir.to_raw();
        // SAFETY: the context is live; the range is the whole mapping.
        check(unsafe { raw::dmashim_sync_for_cpu(ctx, self.handle, 0, len, dir) })?;
        // SAFETY: the memory is borrowed by `self` (`&mut self` here), and
        // the CPU owns it until the sync below.
        let out = f(unsafe { core::slice::from_raw_parts_mut(self.mem, self.len) });
        // SAFETY: as above.
        check(unsafe { raw::dmashim_sync_for_device(ctx, self.handle, 0, len, dir) })?;
        Ok(out)
    }

    /// Unmaps now and gives the memory back.  On error the mapping stays
    /// with dmashim until the context is revoked, and so does the memory.
    pub fn unmap(self) -> Result<&'mem mut [u8]> {
        let this = ManuallyDrop::new(self);
        // SAFETY: the context is live; `this` is never used or dropped
        // again, so the mapping is unmapped once.
        check(unsafe { raw::dmashim_unmap(this.ctx.as_raw(), this.handle) })?;
        // SAFETY: the mapping is gone: the memory is the CPU's again, and
        // the borrow of `'mem` it held passes to the caller.
        Ok(unsafe { core::slice::from_raw_parts_mut(this.mem, this.len) })
    }
}

impl Drop for Mapping<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: the context is live; `self` is never used again.
        let ret = unsafe { raw::dmashim_unmap(self.ctx.as_raw(), self.handle) };
        if ret != 0 {
            platform::free_failed(self.handle, Error::from_errno(ret));
        }
    }
}
