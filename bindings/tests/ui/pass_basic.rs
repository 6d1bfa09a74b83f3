// SPDX-License-Identifier: GPL-2.0
//! Must compile: the intended uses, so that the failures of the fail_*
//! tests are known to come from what they test and not from the harness.
#![no_std]

use dmashim::{AllocOptions, Buffer, Context, Direction, Error, Result};

/// A device descriptor a driver defines; all-integer, no padding.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Desc {
    /// Device address.
    pub addr: u64,
    /// Length.
    pub len: u32,
    /// Flags.
    pub flags: u32,
}

// SAFETY: only integers, any bit pattern is valid.
unsafe impl dmashim::FromBytes for Desc {}
// SAFETY: only integers, no padding (8 + 4 + 4 bytes).
unsafe impl dmashim::AsBytes for Desc {}

/// Everything a driver does with a buffer.
pub fn use_buffers(ctx: &Context) -> Result<u64> {
    let buf: Buffer<'_> = ctx.alloc(4096)?;
    buf.write(0, &0x1234_5678u32)?;
    let word: u32 = buf.read(0)?;
    let bytes: [u8; 16] = buf.read(16)?;
    let mut slice = [0u16; 8];
    buf.read_into(32, &mut slice[..])?;
    buf.write(64, &[1u8, 2, 3, 4][..])?;
    buf.store(8, 7u64)?;
    let signed: i32 = buf.load(12)?;
    let desc: Desc = buf.read(128)?;
    buf.write(256, &desc)?;
    let dma = buf.dma_addr(0, 4096)?;
    let next = dma.checked_add(64).ok_or(Error::OutOfRange)?;
    let other = ctx.alloc_with(64, AllocOptions::default())?;
    other.copy_from(0, &buf, 0, 64)?;
    drop(other);
    buf.free()?;

    let nc = ctx.alloc_noncoherent(4096, Direction::FromDevice, AllocOptions::default())?;
    nc.sync_for_device(0, 4096)?;
    nc.sync_for_cpu(0, 4096)?;
    let first: u8 = nc.read(0)?;

    let pool = ctx.pool(b"descs\0", 64, 64, 0)?;
    let block = pool.alloc()?;
    block.write(0, &desc)?;
    drop(block);
    drop(pool);

    Ok(u64::from(word)
        + u64::from(bytes[0])
        + u64::from(slice[0])
        + signed as u64
        + next.as_u64()
        + u64::from(first))
}

/// Buffers may be kept together with (a borrow of) their context.
pub struct Rings<'ctx> {
    /// Submission ring.
    pub tx: Buffer<'ctx>,
    /// Completion ring.
    pub rx: Buffer<'ctx>,
}

/// Makes both rings.
pub fn rings(ctx: &Context) -> Result<Rings<'_>> {
    Ok(Rings {
        tx: ctx.alloc(4096)?,
        rx: ctx.alloc(4096)?,
    })
}

/// A descriptor filled and a completion read in one scoped access each.
pub fn use_access(buf: &Buffer<'_>) -> Result<u32> {
    buf.with_access(0, 64, |a| {
        a.store(0, 0x1000u64)?;
        a.store(8, 64u32)?;
        a.load::<u32>(12)
    })?
}

/// A packet mapped for the device, read back by the CPU, then unmapped.
pub fn use_mapping(ctx: &Context, mem: &mut [u8]) -> Result<u8> {
    let mut map = ctx.map(mem, Direction::FromDevice)?;
    let _dma = map.dma_addr(0, 1)?;
    let first = map.with_cpu(|m| m[0])?;
    let mem = map.unmap()?;
    mem[1] = first;
    Ok(first)
}
