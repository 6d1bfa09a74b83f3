// SPDX-License-Identifier: GPL-2.0

//! Contexts, buffers and pools.
//!
//! Ownership is what makes the C handles safe to use from Rust:
//!
//! * a [`Context`] owns one reference to a `struct dmashim_ctx`;
//! * a [`Buffer`] owns one handle and borrows its context, so it cannot
//!   outlive it; it is neither `Copy` nor `Clone`, [`Buffer::free`] consumes
//!   it and dropping it frees it: a handle is freed exactly once and never
//!   used afterwards (the C side would refuse such a use with `-EBADF`
//!   anyway, but safe Rust cannot even express it);
//! * a [`Pool`] borrows its context and its blocks borrow the pool;
//! * nothing hands out a reference into DMA memory: bytes are copied in and
//!   out ([`Buffer::read`], [`Buffer::write`]) and only as types valid for
//!   any bit pattern ([`FromBytes`]);
//! * device addresses come only from `dmashim_dma_addr()`, which checks the
//!   range against the buffer; [`DmaAddr`] has no unchecked arithmetic.

use core::ffi::c_void;
use core::mem::{size_of, size_of_val, ManuallyDrop, MaybeUninit};
use core::ops::Deref;
use core::ptr::{self, NonNull};

use super::bytes::{AsBytes, FromBytes, Scalar};
use super::error::{check, Error, Result};
use super::platform;
use super::raw;

/// Converts a length in bytes of something in memory to the ABI's `u64`.
fn len_u64(len: usize) -> Result<u64> {
    u64::try_from(len).map_err(|_| Error::OutOfRange)
}

/// Allocation flags (`enum dmashim_alloc_flags`), combined with `|`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocFlags(u32);

impl AllocFlags {
    /// No flags.
    pub const NONE: AllocFlags = AllocFlags(0);
    /// `DMA_ATTR_WRITE_COMBINE`: for buffers the CPU streams into.
    pub const WRITE_COMBINE: AllocFlags =
        AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_WRITE_COMBINE);
    /// No kernel mapping: every CPU accessor fails with
    /// [`Error::NoKernelMapping`].
    pub const NO_KERNEL_MAPPING: AllocFlags =
        AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_NO_KERNEL_MAPPING);
    /// Allocate without sleeping (any context).
    pub const NOWAIT: AllocFlags = AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_NOWAIT);
    /// `DMA_ATTR_WEAK_ORDERING`.
    pub const WEAK_ORDERING: AllocFlags =
        AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_WEAK_ORDERING);
    /// `DMA_ATTR_FORCE_CONTIGUOUS`.
    pub const FORCE_CONTIGUOUS: AllocFlags =
        AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_FORCE_CONTIGUOUS);
    /// `DMA_ATTR_ALLOC_SINGLE_PAGES`.
    pub const SINGLE_PAGES: AllocFlags =
        AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_SINGLE_PAGES);
    /// `DMA_ATTR_NO_WARN`.
    pub const NO_WARN: AllocFlags = AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_NO_WARN);
    /// `DMA_ATTR_PRIVILEGED`.
    pub const PRIVILEGED: AllocFlags =
        AllocFlags(raw::dmashim_alloc_flags_DMASHIM_ALLOC_PRIVILEGED);

    /// The bits, as the C ABI takes them.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every flag of `other` is set in `self`.
    pub const fn contains(self, other: AllocFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for AllocFlags {
    type Output = AllocFlags;

    fn bitor(self, rhs: AllocFlags) -> AllocFlags {
        AllocFlags(self.0 | rhs.0)
    }
}

/// Options of an allocation (`struct dmashim_alloc_opts`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocOptions {
    /// The flags.
    pub flags: AllocFlags,
    /// The preferred NUMA node, `None` for any.
    pub numa_node: Option<u16>,
}

impl AllocOptions {
    fn to_raw(self) -> raw::dmashim_alloc_opts {
        raw::dmashim_alloc_opts {
            sz: size_of::<raw::dmashim_alloc_opts>() as u32,
            flags: self.flags.bits(),
            numa_node: match self.numa_node {
                Some(node) => i32::from(node),
                None => raw::dmashim_numa_DMASHIM_NUMA_NODE_ANY,
            },
            reserved: 0,
        }
    }
}

/// The direction of a non-coherent buffer's device accesses
/// (`enum dmashim_dir`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The device reads and writes.
    Bidirectional,
    /// The device only reads.
    ToDevice,
    /// The device only writes.
    FromDevice,
}

impl Direction {
    pub(crate) fn to_raw(self) -> u32 {
        match self {
            Direction::Bidirectional => raw::dmashim_dir_DMASHIM_DIR_BIDIRECTIONAL,
            Direction::ToDevice => raw::dmashim_dir_DMASHIM_DIR_TO_DEVICE,
            Direction::FromDevice => raw::dmashim_dir_DMASHIM_DIR_FROM_DEVICE,
        }
    }
}

/// What memory a handle names (`enum dmashim_kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Coherent memory.
    Coherent,
    /// Non-coherent memory, handed over with syncs.
    NonCoherent,
    /// A block of a pool.
    PoolBlock,
    /// A kind this wrapper does not know (a newer library).
    Unknown(u32),
}

impl Kind {
    fn from_raw(kind: u32) -> Kind {
        // A match on the integer: a C value never becomes a Rust enum
        // without being checked.
        match kind {
            raw::dmashim_kind_DMASHIM_KIND_COHERENT => Kind::Coherent,
            raw::dmashim_kind_DMASHIM_KIND_NONCOHERENT => Kind::NonCoherent,
            raw::dmashim_kind_DMASHIM_KIND_POOL_BLOCK => Kind::PoolBlock,
            other => Kind::Unknown(other),
        }
    }
}

/// A device address, as the device must be given it.
///
/// Only [`Buffer::dma_addr`] makes one, for a range it has checked.  It has
/// no `+`: arithmetic on it is [`DmaAddr::checked_add`], and asking dmashim
/// for the address of the offset is better still.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DmaAddr(u64);

impl DmaAddr {
    /// The address, to program into the device.
    pub const fn as_u64(self) -> u64 {
        self.0
    }

    /// `self + bytes`, or `None` if that overflows.  Whether the result is
    /// still inside the buffer is the caller's business: prefer
    /// [`Buffer::dma_addr`] with the offset.
    pub fn checked_add(self, bytes: u64) -> Option<DmaAddr> {
        self.0.checked_add(bytes).map(DmaAddr)
    }

    /// An address dmashim returned.
    pub(crate) const fn from_raw(addr: u64) -> DmaAddr {
        DmaAddr(addr)
    }
}

/// What [`Buffer::info`] reports (`struct dmashim_info`).  The kernel
/// address is deliberately absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Info {
    /// The kind of memory.
    pub kind: Kind,
    /// Length asked for at allocation.
    pub len: u64,
    /// Device address of the first byte.
    pub dma_addr: DmaAddr,
    /// Whether the CPU accessors may be used.
    pub kernel_mapping: bool,
    /// The allocation flags.
    pub flags: AllocFlags,
    /// The node the memory is on, if known.
    pub numa_node: Option<u32>,
    /// User-space mappings of the buffer.
    pub user_maps: u32,
    /// Scatter tables handed out.
    pub exports: u32,
}

/// A context's counters (`struct dmashim_stats`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Handles allocated and not yet freed.
    pub live: u64,
    /// Bytes behind those handles.
    pub live_bytes: u64,
    /// Successful allocations.
    pub allocs: u64,
    /// Successful frees.
    pub frees: u64,
    /// Failed allocations.
    pub alloc_failures: u64,
    /// Calls refused for a bad handle.
    pub refused: u64,
    /// Freed buffers not yet returned to the DMA API.
    pub pending_release: u64,
}

enum Ownership {
    /// Made by `dmashim_ctx_create()`: `dmashim_ctx_destroy()` on drop.
    Created,
    /// A reference taken with `dmashim_ctx_get()`: `dmashim_ctx_put()`.
    Reference,
}

/// A device's DMA context: the owner of one reference to a
/// `struct dmashim_ctx`.
///
/// Every buffer borrows the context it came from, so the context outlives
/// its buffers.  After the device unbinds (a context from
/// `devm_dmashim_ctx_create()` is then revoked) every call fails with
/// [`Error::Revoked`]; the reference keeps the structure itself alive.
pub struct Context {
    ptr: NonNull<raw::dmashim_ctx>,
    ownership: Ownership,
}

// SAFETY: dmashim's functions may be called on a context from any thread
// (the header documents their calling contexts; none is tied to the thread
// that created it), and a reference may be dropped from any thread.
unsafe impl Send for Context {}
// SAFETY: every operation through `&Context` is a dmashim call, and dmashim
// serialises (or runs lock-free) concurrent calls on one context.
unsafe impl Sync for Context {}

impl Context {
    /// Creates a context for `dev` with `dmashim_ctx_create()`; dropping it
    /// destroys the context (and releases any buffer still allocated).
    ///
    /// # Safety
    ///
    /// `dev` must point to a device bound to the calling driver, with its DMA
    /// masks set, and the returned context must be dropped before the
    /// driver's `remove()` returns.  Process context.
    pub unsafe fn create(dev: *mut raw::device) -> Result<Context> {
        let mut ctx = ptr::null_mut();
        // SAFETY: `dev` is valid (the caller's contract); `ctx` is a valid
        // place for the result.
        check(unsafe { raw::dmashim_ctx_create(dev, &mut ctx) })?;
        let ptr = NonNull::new(ctx).ok_or(Error::InvalidArgument)?;
        Ok(Context {
            ptr,
            ownership: Ownership::Created,
        })
    }

    /// Takes a reference (`dmashim_ctx_get()`) to a context made elsewhere,
    /// typically by C code with `devm_dmashim_ctx_create()`; dropping the
    /// `Context` drops the reference.
    ///
    /// # Safety
    ///
    /// `ctx` must point to a context on which its creator still holds a
    /// reference.  Process context for the drop.
    pub unsafe fn from_raw(ctx: *mut raw::dmashim_ctx) -> Result<Context> {
        let ptr = NonNull::new(ctx).ok_or(Error::InvalidArgument)?;
        // SAFETY: `ctx` is a live context (the caller's contract).
        unsafe { raw::dmashim_ctx_get(ptr.as_ptr()) };
        Ok(Context {
            ptr,
            ownership: Ownership::Reference,
        })
    }

    /// The C context, for calls the wrapper does not cover.  Valid while
    /// `self` lives.
    pub fn as_raw(&self) -> *mut raw::dmashim_ctx {
        self.ptr.as_ptr()
    }

    /// Allocates a zeroed coherent buffer of `len` bytes.
    pub fn alloc(&self, len: u64) -> Result<Buffer<'_>> {
        self.alloc_with(len, AllocOptions::default())
    }

    /// Allocates a coherent buffer with options.
    pub fn alloc_with(&self, len: u64, opts: AllocOptions) -> Result<Buffer<'_>> {
        let opts = opts.to_raw();
        let mut handle = 0;
        // SAFETY: `self.ptr` is live while `self` is; `opts` and `handle`
        // are valid for the call.
        check(unsafe { raw::dmashim_alloc(self.as_raw(), len, &opts, &mut handle) })?;
        Ok(Buffer::new(self, handle, len))
    }

    /// Allocates a zeroed non-coherent buffer; the device may access it only
    /// in direction `dir`.
    pub fn alloc_noncoherent(
        &self,
        len: u64,
        dir: Direction,
        opts: AllocOptions,
    ) -> Result<NonCoherentBuffer<'_>> {
        let opts = opts.to_raw();
        let mut handle = 0;
        // SAFETY: as in `alloc_with`.
        check(unsafe {
            raw::dmashim_alloc_noncoherent(self.as_raw(), len, dir.to_raw(), &opts, &mut handle)
        })?;
        Ok(NonCoherentBuffer {
            buf: Buffer::new(self, handle, len),
            dir,
        })
    }

    /// Creates a pool of `block_size`-byte coherent blocks.  `name` must end
    /// with a NUL byte (and have no other); `align` and `boundary` are 0 or
    /// powers of two.
    pub fn pool(
        &self,
        name: &[u8],
        block_size: u64,
        align: u32,
        boundary: u64,
    ) -> Result<Pool<'_>> {
        match name.iter().position(|b| *b == 0) {
            Some(nul) if nul + 1 == name.len() => {}
            _ => return Err(Error::InvalidArgument),
        }
        let opts = raw::dmashim_pool_opts {
            sz: size_of::<raw::dmashim_pool_opts>() as u32,
            align,
            boundary,
        };
        let mut pool = 0;
        // SAFETY: `name` is NUL-terminated (checked above) and, like `opts`
        // and `pool`, valid for the call; dmashim copies the name.
        check(unsafe {
            raw::dmashim_pool_create(
                self.as_raw(),
                name.as_ptr().cast(),
                block_size,
                &opts,
                &mut pool,
            )
        })?;
        Ok(Pool {
            ctx: self,
            pool,
            block_size,
        })
    }

    /// The context's counters.
    pub fn stats(&self) -> Result<Stats> {
        let mut s = raw::dmashim_stats {
            sz: size_of::<raw::dmashim_stats>() as u32,
            ..Default::default()
        };
        // SAFETY: `self.ptr` is live; `s` is valid and its `sz` says how
        // much dmashim may write.
        check(unsafe { raw::dmashim_ctx_stats(self.as_raw(), &mut s) })?;
        Ok(Stats {
            live: s.live,
            live_bytes: s.live_bytes,
            allocs: s.allocs,
            frees: s.frees,
            alloc_failures: s.alloc_failures,
            refused: s.refused,
            pending_release: s.pending_release,
        })
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        match self.ownership {
            // SAFETY: we made the context and no buffer borrows it any more.
            Ownership::Created => unsafe { raw::dmashim_ctx_destroy(self.as_raw()) },
            // SAFETY: we hold this reference, taken in `from_raw`.
            Ownership::Reference => unsafe { raw::dmashim_ctx_put(self.as_raw()) },
        }
    }
}

/// One DMA buffer: owns its handle, borrows its context.
///
/// Move-only: not `Copy`, not `Clone`.  Freed exactly once, by
/// [`Buffer::free`] or on drop.
pub struct Buffer<'ctx> {
    ctx: &'ctx Context,
    handle: raw::dmashim_handle_t,
    len: u64,
}

impl<'ctx> Buffer<'ctx> {
    fn new(ctx: &'ctx Context, handle: raw::dmashim_handle_t, len: u64) -> Buffer<'ctx> {
        Buffer { ctx, handle, len }
    }

    /// The length asked for at allocation.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Always `false`: dmashim has no empty buffers.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The handle's value, for logs and debugfs; it cannot be turned back
    /// into a `Buffer`.
    pub fn handle(&self) -> u64 {
        self.handle
    }

    /// The context the buffer belongs to.
    pub fn context(&self) -> &'ctx Context {
        self.ctx
    }

    /// The handle, for the other calls of the wrapper.
    pub(crate) fn raw_handle(&self) -> raw::dmashim_handle_t {
        self.handle
    }

    /// Describes the buffer.
    pub fn info(&self) -> Result<Info> {
        let mut i = raw::dmashim_info {
            sz: size_of::<raw::dmashim_info>() as u32,
            ..Default::default()
        };
        // SAFETY: the context is live (borrowed); `i` is valid and its `sz`
        // says how much dmashim may write.
        check(unsafe { raw::dmashim_info(self.ctx.as_raw(), self.handle, &mut i) })?;
        Ok(Info {
            kind: Kind::from_raw(i.kind),
            len: i.len,
            dma_addr: DmaAddr(i.dma_addr),
            kernel_mapping: !i.cpu_addr.is_null(),
            flags: AllocFlags(i.flags),
            numa_node: u32::try_from(i.numa_node).ok(),
            user_maps: i.user_maps,
            exports: i.exports,
        })
    }

    /// The device address of the `len` bytes at `offset`; fails with
    /// [`Error::OutOfRange`] unless they lie within the buffer.
    pub fn dma_addr(&self, offset: u64, len: u64) -> Result<DmaAddr> {
        let mut addr = 0;
        // SAFETY: the context is live; `addr` is valid for the call.
        check(unsafe {
            raw::dmashim_dma_addr(self.ctx.as_raw(), self.handle, offset, len, &mut addr)
        })?;
        Ok(DmaAddr(addr))
    }

    /// Copies a `T` out of the buffer at `offset` (byte-wise, any alignment).
    pub fn read<T: FromBytes>(&self, offset: u64) -> Result<T> {
        let mut val = MaybeUninit::<T>::uninit();
        let len = len_u64(size_of::<T>())?;
        // SAFETY: the context is live; `val` has room for `len` bytes.
        check(unsafe {
            raw::dmashim_read(
                self.ctx.as_raw(),
                self.handle,
                offset,
                val.as_mut_ptr().cast::<c_void>(),
                len,
            )
        })?;
        // SAFETY: dmashim wrote all `size_of::<T>()` bytes, and `T` is valid
        // for any bit pattern (`FromBytes`).
        Ok(unsafe { val.assume_init() })
    }

    /// Copies bytes out of the buffer at `offset` into `dst` (a value or a
    /// slice of `FromBytes` values).
    pub fn read_into<T: FromBytes + ?Sized>(&self, offset: u64, dst: &mut T) -> Result {
        let len = len_u64(size_of_val(dst))?;
        // SAFETY: the context is live; `dst` is valid for `len` bytes of
        // writes, and any bytes written leave a valid `T` (`FromBytes`).
        check(unsafe {
            raw::dmashim_read(
                self.ctx.as_raw(),
                self.handle,
                offset,
                (dst as *mut T).cast::<c_void>(),
                len,
            )
        })
    }

    /// Copies `val` (a value or a slice of `AsBytes` values) into the buffer
    /// at `offset`.
    pub fn write<T: AsBytes + ?Sized>(&self, offset: u64, val: &T) -> Result {
        let len = len_u64(size_of_val(val))?;
        // SAFETY: the context is live; `val` is valid for `len` bytes of
        // reads, all initialised (`AsBytes`).
        check(unsafe {
            raw::dmashim_write(
                self.ctx.as_raw(),
                self.handle,
                offset,
                (val as *const T).cast::<c_void>(),
                len,
            )
        })
    }

    /// Sets `len` bytes at `offset` to `value`.
    pub fn fill(&self, offset: u64, value: u8, len: u64) -> Result {
        // SAFETY: the context is live.
        check(unsafe { raw::dmashim_fill(self.ctx.as_raw(), self.handle, offset, value, len) })
    }

    /// Copies `len` bytes from `src` at `src_offset` to `self` at
    /// `dst_offset`; both buffers must belong to the same context
    /// ([`Error::WrongContext`] otherwise).
    pub fn copy_from(
        &self,
        dst_offset: u64,
        src: &Buffer<'_>,
        src_offset: u64,
        len: u64,
    ) -> Result {
        // SAFETY: the context is live.  A `src` of another context is
        // refused by dmashim with -EXDEV.
        check(unsafe {
            raw::dmashim_copy(
                self.ctx.as_raw(),
                self.handle,
                dst_offset,
                src.handle,
                src_offset,
                len,
            )
        })
    }

    /// Loads one integer at `offset` (a multiple of its size) in a single
    /// access.
    pub fn load<T: Scalar>(&self, offset: u64) -> Result<T> {
        // SAFETY: the context is live.
        unsafe { T::load_raw(self.ctx.as_raw(), self.handle, offset) }
    }

    /// Stores one integer at `offset` (a multiple of its size) in a single
    /// access.
    pub fn store<T: Scalar>(&self, offset: u64, val: T) -> Result {
        // SAFETY: the context is live.
        unsafe { T::store_raw(self.ctx.as_raw(), self.handle, offset, val) }
    }

    /// Frees the buffer now and reports the outcome (dropping it frees it
    /// too, reporting a failure only to the kernel log).  On error the
    /// handle is given up: whatever dmashim still holds is released with
    /// the context.
    pub fn free(self) -> Result {
        let this = ManuallyDrop::new(self);
        // SAFETY: the context is live; `this` is never used or dropped
        // again, so the handle is freed once.
        check(unsafe { raw::dmashim_free(this.ctx.as_raw(), this.handle) })
    }
}

impl Drop for Buffer<'_> {
    fn drop(&mut self) {
        // SAFETY: the context is live; `self` is never used again.
        let ret = unsafe { raw::dmashim_free(self.ctx.as_raw(), self.handle) };
        if ret != 0 {
            platform::free_failed(self.handle, Error::from_errno(ret));
        }
    }
}

/// A non-coherent buffer: a [`Buffer`] (which it dereferences to) plus the
/// syncs that hand it between CPU and device.
pub struct NonCoherentBuffer<'ctx> {
    buf: Buffer<'ctx>,
    dir: Direction,
}

impl<'ctx> NonCoherentBuffer<'ctx> {
    /// The direction given at allocation.
    pub fn direction(&self) -> Direction {
        self.dir
    }

    /// Hands `len` bytes at `offset` to the device.
    pub fn sync_for_device(&self, offset: u64, len: u64) -> Result {
        // SAFETY: the context is live.
        check(unsafe {
            raw::dmashim_sync_for_device(
                self.buf.ctx.as_raw(),
                self.buf.handle,
                offset,
                len,
                self.dir.to_raw(),
            )
        })
    }

    /// Gives `len` bytes at `offset` back to the CPU after the device's
    /// accesses.
    pub fn sync_for_cpu(&self, offset: u64, len: u64) -> Result {
        // SAFETY: the context is live.
        check(unsafe {
            raw::dmashim_sync_for_cpu(
                self.buf.ctx.as_raw(),
                self.buf.handle,
                offset,
                len,
                self.dir.to_raw(),
            )
        })
    }

    /// Frees the buffer now, see [`Buffer::free`].
    pub fn free(self) -> Result {
        self.buf.free()
    }
}

impl<'ctx> Deref for NonCoherentBuffer<'ctx> {
    type Target = Buffer<'ctx>;

    fn deref(&self) -> &Buffer<'ctx> {
        &self.buf
    }
}

/// A pool of small coherent blocks; destroyed on drop.  Its blocks borrow
/// it.
pub struct Pool<'ctx> {
    ctx: &'ctx Context,
    pool: raw::dmashim_pool_t,
    block_size: u64,
}

impl<'ctx> Pool<'ctx> {
    /// The size of every block.
    pub fn block_size(&self) -> u64 {
        self.block_size
    }

    /// Allocates a zeroed block; it is an ordinary [`Buffer`].
    pub fn alloc(&self) -> Result<Buffer<'_>> {
        self.alloc_flags(AllocFlags::NONE)
    }

    /// Allocates a zeroed block without sleeping.
    pub fn alloc_nowait(&self) -> Result<Buffer<'_>> {
        self.alloc_flags(AllocFlags::NOWAIT)
    }

    fn alloc_flags(&self, flags: AllocFlags) -> Result<Buffer<'_>> {
        let mut handle = 0;
        // SAFETY: the context is live; `handle` is valid for the call.
        check(unsafe {
            raw::dmashim_pool_alloc(self.ctx.as_raw(), self.pool, flags.bits(), &mut handle)
        })?;
        Ok(Buffer::new(self.ctx, handle, self.block_size))
    }
}

impl Drop for Pool<'_> {
    fn drop(&mut self) {
        // SAFETY: the context is live, and no block borrows the pool any
        // more.
        let ret = unsafe { raw::dmashim_pool_destroy(self.ctx.as_raw(), self.pool) };
        if ret != 0 {
            platform::free_failed(self.pool, Error::from_errno(ret));
        }
    }
}
