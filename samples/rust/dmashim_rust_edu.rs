// SPDX-License-Identifier: GPL-2.0

//! dmashim's Rust sample driver: real DMA with QEMU's edu device, through
//! the safe dmashim wrapper (`bindings/`, reached through the link
//! `dmashim`: to `../../bindings` in dmashim's tree, to dmashim-dev's
//! `/usr/share/dmashim/rust` in a tree of its own).
//!
//! The C glue linked into the same module (`dmashim_rust_glue.c`) binds the
//! PCI device, maps BAR0, sets the 28-bit DMA masks and creates the device's
//! dmashim context; then it calls [`dmashim_rust_edu_probe`], which runs the
//! suite `dmashim_rust` and prints its KTAP: the wrapper's layout against C,
//! typed accessors and errors, coherent and non-coherent buffers and pool
//! blocks DMA'd to the device and back, in the KTAP layout of 6.1's KUnit
//! suites (the runner's judge renumbers the suites' result lines).

use core::fmt;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, Ordering};

use kernel::prelude::*;

#[path = "dmashim/dmashim.rs"]
pub mod dmashim;

/// The C glue's functions (bindgen over `dmashim_rust_glue.h`).
#[allow(
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_upper_case_globals,
    clippy::all
)]
#[path = "dmashim_rust_glue_raw.rs"]
pub mod glue;

// The glue's device, opaque to Rust; the glue's bindings import it.
dmashim::opaque::opaque_types!(dmashim_rust_edu);

use dmashim::{AllocFlags, AllocOptions, Buffer, Context, Direction, Error};

module! {
    type: DmashimRustSample,
    name: b"dmashim_rust_sample",
    author: b"dmashim developers",
    description: b"dmashim Rust sample: DMA with QEMU's edu device",
    license: b"GPL",
}

const SUITE: &str = "dmashim_rust";

/// Prints one KTAP line (no module-name prefix, unlike 6.1's `pr_info!`).
macro_rules! ktap {
    ($($arg:tt)*) => {
        dmashim::platform::printk(b'6', format_args!($($arg)*))
    };
}

/// Why a case failed.
struct Fail {
    what: &'static str,
    detail: Detail,
}

enum Detail {
    None,
    Error(Error),
    Unexpected { want: Error, got: Option<Error> },
    Values { want: u64, got: u64 },
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.detail {
            Detail::None => write!(f, "{}", self.what),
            Detail::Error(e) => write!(f, "{}: {}", self.what, e),
            Detail::Unexpected {
                want,
                got: Some(got),
            } => {
                write!(f, "{}: wanted {}, got {}", self.what, want, got)
            }
            Detail::Unexpected { want, got: None } => {
                write!(f, "{}: wanted {}, got success", self.what, want)
            }
            Detail::Values { want, got } => {
                write!(f, "{}: wanted {:#x}, got {:#x}", self.what, want, got)
            }
        }
    }
}

type CaseResult = core::result::Result<(), Fail>;

/// `?` on a dmashim result inside a case, naming the step.
trait Step<T> {
    fn step(self, what: &'static str) -> core::result::Result<T, Fail>;
}

impl<T> Step<T> for dmashim::Result<T> {
    fn step(self, what: &'static str) -> core::result::Result<T, Fail> {
        self.map_err(|e| Fail {
            what,
            detail: Detail::Error(e),
        })
    }
}

fn expect_err<T>(res: dmashim::Result<T>, want: Error, what: &'static str) -> CaseResult {
    match res {
        Err(e) if e == want => Ok(()),
        Err(e) => Err(Fail {
            what,
            detail: Detail::Unexpected { want, got: Some(e) },
        }),
        Ok(_) => Err(Fail {
            what,
            detail: Detail::Unexpected { want, got: None },
        }),
    }
}

fn expect_eq(got: u64, want: u64, what: &'static str) -> CaseResult {
    if got == want {
        Ok(())
    } else {
        Err(Fail {
            what,
            detail: Detail::Values { want, got },
        })
    }
}

fn expect(cond: bool, what: &'static str) -> CaseResult {
    if cond {
        Ok(())
    } else {
        Err(Fail {
            what,
            detail: Detail::None,
        })
    }
}

/// A bound edu device; made in probe, never kept beyond it.
struct Edu {
    ptr: NonNull<glue::dmashim_rust_edu>,
}

const EDU_BUF: u64 = glue::edu_limits_EDU_BUF_ADDR as u64;
const EDU_BUF_LEN: u64 = glue::edu_limits_EDU_BUF_LEN as u64;
/// The bytes moved by the whole-buffer transfers: edu cannot move its whole
/// buffer (see `Edu::dma`), so the last 64 bytes stay behind.
const XFER: u64 = EDU_BUF_LEN - 64;
const DMA_CMD_START: u32 = glue::edu_dma_cmd_EDU_DMA_RUN;
const DMA_CMD_TO_RAM: u32 = glue::edu_dma_cmd_EDU_DMA_TO_RAM;
const DMA_POLL_MS: u32 = 10;
const DMA_TIMEOUT_MS: u32 = 10_000;

impl Edu {
    fn read32(&self, reg: u32) -> dmashim::Result<u32> {
        let mut val = 0;
        // SAFETY: `self.ptr` is the bound device for the whole probe call,
        // in which every `Edu` lives; `val` is valid for the call.
        let ret = unsafe { glue::dmashim_rust_glue_read32(self.ptr.as_ptr(), reg, &mut val) };
        if ret != 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(val)
    }

    fn write32(&self, reg: u32, val: u32) -> dmashim::Result {
        // SAFETY: as in `read32`.
        let ret = unsafe { glue::dmashim_rust_glue_write32(self.ptr.as_ptr(), reg, val) };
        if ret != 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(())
    }

    fn write64(&self, reg: u32, val: u64) -> dmashim::Result {
        // SAFETY: as in `read32`.
        let ret = unsafe { glue::dmashim_rust_glue_write64(self.ptr.as_ptr(), reg, val) };
        if ret != 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(())
    }

    /// Runs one DMA transfer of `count` bytes between `ram` (a device
    /// address dmashim gave) and edu's internal buffer at `edu_offset`, and
    /// waits for it to finish.
    fn dma(&self, ram: dmashim::DmaAddr, edu_offset: u64, count: u64, to_ram: bool) -> CaseResult {
        // edu aborts QEMU (hw_error) on a transfer outside its buffer, and
        // QEMU 7.2's check wants the end strictly below the buffer's end:
        // check first.
        let end = edu_offset.checked_add(count).ok_or(Fail {
            what: "edu range overflows",
            detail: Detail::None,
        })?;
        expect(
            count > 0 && end < EDU_BUF_LEN,
            "transfer within edu's buffer",
        )?;
        let edu_addr = EDU_BUF + edu_offset;
        let (src, dst) = if to_ram {
            (edu_addr, ram.as_u64())
        } else {
            (ram.as_u64(), edu_addr)
        };
        let cmd = DMA_CMD_START | if to_ram { DMA_CMD_TO_RAM } else { 0 };
        self.write64(glue::edu_reg_EDU_REG_DMA_SRC, src)
            .step("write DMA source")?;
        self.write64(glue::edu_reg_EDU_REG_DMA_DST, dst)
            .step("write DMA destination")?;
        self.write64(
            glue::edu_reg_EDU_REG_DMA_COUNT,
            count,
        )
        .step("write DMA count")?;
        self.write32(glue::edu_reg_EDU_REG_DMA_CMD, cmd)
            .step("write DMA command")?;
        let mut waited = 0;
        loop {
            let status = self
                .read32(glue::edu_reg_EDU_REG_DMA_CMD)
                .step("read DMA command")?;
            if status & DMA_CMD_START == 0 {
                return Ok(());
            }
            if waited >= DMA_TIMEOUT_MS {
                return Err(Fail {
                    what: "DMA did not complete in 10 s",
                    detail: Detail::None,
                });
            }
            // SAFETY: probe runs in process context.
            unsafe { glue::dmashim_rust_glue_msleep(DMA_POLL_MS) };
            waited += DMA_POLL_MS;
        }
    }
}

/// What every case gets.
struct Env<'a> {
    ctx: &'a Context,
    edu: &'a Edu,
    dev: *mut dmashim::raw::device,
}

/// The byte at `i` of the test pattern `seed`.
fn pattern(seed: u8, i: u64) -> u8 {
    (i as u8).wrapping_mul(7).wrapping_add(seed) ^ ((i >> 8) as u8)
}

const CHUNK: usize = 128;

fn write_pattern(buf: &Buffer<'_>, len: u64, seed: u8) -> CaseResult {
    let mut chunk = [0u8; CHUNK];
    let mut off = 0;
    while off < len {
        let n = core::cmp::min(CHUNK as u64, len - off) as usize;
        for (i, b) in chunk[..n].iter_mut().enumerate() {
            *b = pattern(seed, off + i as u64);
        }
        buf.write(off, &chunk[..n]).step("write pattern")?;
        off += n as u64;
    }
    Ok(())
}

fn check_pattern(buf: &Buffer<'_>, len: u64, seed: u8) -> CaseResult {
    let mut chunk = [0u8; CHUNK];
    let mut off = 0;
    while off < len {
        let n = core::cmp::min(CHUNK as u64, len - off) as usize;
        buf.read_into(off, &mut chunk[..n]).step("read back")?;
        for (i, b) in chunk[..n].iter().enumerate() {
            let at = off + i as u64;
            if *b != pattern(seed, at) {
                ktap!(
                    "    # byte {:#x}: wanted {:#04x}, got {:#04x}",
                    at,
                    pattern(seed, at),
                    b
                );
                return Err(Fail {
                    what: "DMA'd data differs",
                    detail: Detail::None,
                });
            }
        }
        off += n as u64;
    }
    Ok(())
}

fn case_abi_version(_env: &Env<'_>) -> CaseResult {
    expect_eq(
        u64::from(dmashim::abi_version()),
        u64::from(dmashim::ABI_VERSION),
        "dmashim_abi_version()",
    )
}

fn case_layout_matches_c(_env: &Env<'_>) -> CaseResult {
    match dmashim::layout::verify() {
        Ok(n) => {
            ktap!("    # {} field offsets of the kernel target match gcc's", n);
            Ok(())
        }
        Err(f) => {
            ktap!("    # {}: offset {} in C, {} in Rust", f.name, f.c, f.rust);
            Err(Fail {
                what: "field offset differs from C",
                detail: Detail::None,
            })
        }
    }
}

fn case_accessors_typed(env: &Env<'_>) -> CaseResult {
    let buf = env.ctx.alloc(4096).step("alloc")?;
    let zeros: [u64; 8] = buf.read(0).step("read zeroed")?;
    expect(zeros == [0; 8], "coherent memory is zeroed")?;

    buf.write(0, &0xdead_beefu32).step("write u32")?;
    expect_eq(
        u64::from(buf.read::<u32>(0).step("read u32")?),
        0xdead_beef,
        "u32",
    )?;
    // Unaligned byte-wise copies are fine.
    buf.write(101, &[0x1122u16, 0x3344, 0x5566][..])
        .step("write [u16]")?;
    let mut back = [0u16; 3];
    buf.read_into(101, &mut back[..]).step("read [u16]")?;
    expect(back == [0x1122, 0x3344, 0x5566], "[u16] round trip")?;

    buf.store(8, 0x0102_0304_0506_0708u64).step("store u64")?;
    expect_eq(
        buf.load::<u64>(8).step("load u64")?,
        0x0102_0304_0506_0708,
        "u64",
    )?;
    expect_eq(
        u64::from(buf.load::<u8>(8).step("load u8")?),
        0x08,
        "u8 (little endian)",
    )?;
    buf.store(200, -2i16).step("store i16")?;
    expect(buf.load::<i16>(200).step("load i16")? == -2, "i16 sign")?;

    buf.fill(1000, 0xa5, 100).step("fill")?;
    let filled: [u8; 4] = buf.read(1096).step("read filled")?;
    expect(filled == [0xa5, 0xa5, 0xa5, 0xa5], "fill")?;

    let other = env.ctx.alloc(64).step("alloc second")?;
    other.copy_from(0, &buf, 1000, 64).step("copy")?;
    expect_eq(
        u64::from(other.read::<u8>(63).step("read copied")?),
        0xa5,
        "copy",
    )?;

    let info = buf.info().step("info")?;
    expect(info.kind == dmashim::Kind::Coherent, "info: kind")?;
    expect_eq(info.len, 4096, "info: len")?;
    expect(info.kernel_mapping, "info: kernel mapping")?;
    expect(
        info.dma_addr == buf.dma_addr(0, 1).step("dma_addr")?,
        "info: dma_addr",
    )?;
    other.free().step("free")?;
    buf.free().step("free")
}

fn case_errors_typed(env: &Env<'_>) -> CaseResult {
    let ctx = env.ctx;
    let buf = ctx.alloc(4096).step("alloc")?;
    expect_err(
        buf.read::<u32>(4093),
        Error::OutOfRange,
        "read past the end",
    )?;
    expect_err(
        buf.load::<u32>(2),
        Error::InvalidArgument,
        "misaligned load",
    )?;
    expect_err(ctx.alloc(0), Error::InvalidArgument, "zero-length alloc")?;
    expect_err(
        ctx.alloc(1 << 30),
        Error::TooBig,
        "alloc beyond the 28-bit mask",
    )?;
    expect_err(
        ctx.alloc_noncoherent(
            64,
            Direction::ToDevice,
            AllocOptions {
                flags: AllocFlags::WRITE_COMBINE,
                numa_node: None,
            },
        ),
        Error::InvalidArgument,
        "non-coherent with a coherent-only flag",
    )?;
    expect_err(
        ctx.pool(b"no nul", 64, 0, 0),
        Error::InvalidArgument,
        "pool name without NUL",
    )?;

    let unmapped = ctx
        .alloc_with(
            4096,
            AllocOptions {
                flags: AllocFlags::NO_KERNEL_MAPPING,
                numa_node: None,
            },
        )
        .step("alloc without kernel mapping")?;
    expect_err(
        unmapped.read::<u8>(0),
        Error::NoKernelMapping,
        "read unmapped",
    )?;
    unmapped.dma_addr(0, 4096).step("dma_addr of unmapped")?;
    drop(unmapped);

    // What the types rule out, the C side still refuses: through the raw
    // bindings, a freed handle, a coherent buffer's sync, another
    // context's handle, a revoked context.
    let stale = buf.handle();
    buf.free().step("free")?;
    let mut word = 0u32;
    // SAFETY: `ctx` is live; `word` is valid for 4 bytes.
    let ret = unsafe {
        dmashim::raw::dmashim_read(ctx.as_raw(), stale, 0, (&mut word as *mut u32).cast(), 4)
    };
    expect_err(dmashim::error::check(ret), Error::BadHandle, "stale handle")?;

    let coherent = ctx.alloc(64).step("alloc")?;
    // SAFETY: `ctx` is live.
    let ret =
        unsafe { dmashim::raw::dmashim_sync_for_cpu(ctx.as_raw(), coherent.handle(), 0, 64, 0) };
    expect_err(
        dmashim::error::check(ret),
        Error::NotSupported,
        "sync of coherent",
    )?;

    // SAFETY: `env.dev` is the bound device with its masks set, and the
    // context is dropped before this probe returns.
    let second = unsafe { Context::create(env.dev) }.step("second context")?;
    let foreign = second.alloc(64).step("alloc in second")?;
    // SAFETY: `ctx` is live.
    let ret = unsafe { dmashim::raw::dmashim_free(ctx.as_raw(), foreign.handle()) };
    expect_err(
        dmashim::error::check(ret),
        Error::WrongContext,
        "foreign handle",
    )?;
    drop(foreign);

    // SAFETY: `second` holds the creator's reference.
    let other_ref = unsafe { Context::from_raw(second.as_raw()) }.step("reference")?;
    drop(second);
    expect_err(
        other_ref.alloc(64),
        Error::Revoked,
        "alloc in a destroyed context",
    )?;
    drop(other_ref);
    drop(coherent);
    Ok(())
}

fn case_dma_addr_checked(env: &Env<'_>) -> CaseResult {
    let buf = env.ctx.alloc(4096).step("alloc")?;
    let base = buf.dma_addr(0, 4096).step("dma_addr")?;
    expect(
        base.checked_add(4096)
            .map_or(false, |end| end.as_u64() <= 1 << 28),
        "buffer within the 28-bit mask",
    )?;
    let at64 = buf.dma_addr(64, 64).step("dma_addr at 64")?;
    expect(base.checked_add(64) == Some(at64), "offset address")?;
    expect_err(
        buf.dma_addr(4095, 2),
        Error::OutOfRange,
        "range past the end",
    )?;
    expect_err(
        buf.dma_addr(u64::MAX, 2),
        Error::OutOfRange,
        "offset overflow",
    )?;
    expect_err(buf.dma_addr(0, 0), Error::InvalidArgument, "empty range")?;
    expect(base.checked_add(u64::MAX).is_none(), "checked_add overflow")?;
    Ok(())
}

fn case_edu_dma_coherent(env: &Env<'_>) -> CaseResult {
    let ident = env
        .edu
        .read32(glue::edu_reg_EDU_REG_ID)
        .step("read ident")?;
    expect_eq(
        u64::from(ident & 0xff),
        u64::from(glue::edu_limits_EDU_ID_MAGIC),
        "edu ident",
    )?;
    env.edu
        .write32(
            glue::edu_reg_EDU_REG_LIVENESS,
            0x1234_5678,
        )
        .step("write liveness")?;
    let live = env
        .edu
        .read32(glue::edu_reg_EDU_REG_LIVENESS)
        .step("read liveness")?;
    expect_eq(u64::from(live), u64::from(!0x1234_5678u32), "edu liveness")?;

    let src = env.ctx.alloc(EDU_BUF_LEN).step("alloc source")?;
    let dst = env.ctx.alloc(EDU_BUF_LEN).step("alloc destination")?;
    write_pattern(&src, EDU_BUF_LEN, 3)?;
    let from = src.dma_addr(0, XFER).step("source dma_addr")?;
    let to = dst.dma_addr(0, XFER).step("destination dma_addr")?;
    ktap!(
        "    # {} bytes from dma {:#x} to edu and back to dma {:#x}",
        XFER,
        from.as_u64(),
        to.as_u64()
    );
    env.edu.dma(from, 0, XFER, false)?;
    env.edu.dma(to, 0, XFER, true)?;
    check_pattern(&dst, XFER, 3)?;
    let tail: [u64; 8] = dst.read(XFER).step("read tail")?;
    expect(tail == [0; 8], "bytes past the transfer untouched")?;

    // A partial transfer into the middle of a buffer, at a checked offset.
    let mid = dst.dma_addr(1024, 512).step("dma_addr at 1024")?;
    dst.fill(0, 0, EDU_BUF_LEN).step("clear")?;
    env.edu.dma(mid, 1024, 512, true)?;
    let mut chunk = [0u8; 16];
    dst.read_into(1024, &mut chunk[..]).step("read partial")?;
    expect(chunk[0] == pattern(3, 1024), "partial transfer data")?;
    expect_eq(
        u64::from(dst.read::<u8>(1023).step("read before")?),
        0,
        "byte before the partial transfer untouched",
    )?;
    expect_eq(
        u64::from(dst.read::<u8>(1536).step("read after")?),
        0,
        "byte after the partial transfer untouched",
    )
}

fn case_edu_dma_noncoherent(env: &Env<'_>) -> CaseResult {
    let ctx = env.ctx;
    let src = ctx
        .alloc_noncoherent(EDU_BUF_LEN, Direction::ToDevice, AllocOptions::default())
        .step("alloc source")?;
    let dst = ctx
        .alloc_noncoherent(EDU_BUF_LEN, Direction::FromDevice, AllocOptions::default())
        .step("alloc destination")?;
    expect(
        src.info().step("info")?.kind == dmashim::Kind::NonCoherent,
        "info: kind",
    )?;
    write_pattern(&src, EDU_BUF_LEN, 0x5a)?;
    src.sync_for_device(0, XFER)
        .step("sync source for device")?;
    dst.sync_for_device(0, XFER)
        .step("sync destination for device")?;
    let from = src.dma_addr(0, XFER).step("source dma_addr")?;
    let to = dst.dma_addr(0, XFER).step("destination dma_addr")?;
    env.edu.dma(from, 0, XFER, false)?;
    src.sync_for_cpu(0, XFER).step("sync source for cpu")?;
    env.edu.dma(to, 0, XFER, true)?;
    dst.sync_for_cpu(0, XFER).step("sync destination for cpu")?;
    check_pattern(&dst, XFER, 0x5a)?;
    expect_err(
        dst.sync_for_cpu(EDU_BUF_LEN, 1),
        Error::OutOfRange,
        "sync past the end",
    )?;
    src.free().step("free source")?;
    dst.free().step("free destination")
}

fn case_pool_blocks_dma(env: &Env<'_>) -> CaseResult {
    const BLOCK: u64 = 64;
    let pool = env.ctx.pool(b"dmashim_rust\0", BLOCK, 64, 0).step("pool")?;
    let blocks = [(); 8].map(|_| pool.alloc());
    let mut prev: Option<u64> = None;
    for (i, block) in blocks.iter().enumerate() {
        let block = match block {
            Ok(b) => b,
            Err(e) => {
                return Err(Fail {
                    what: "pool alloc",
                    detail: Detail::Error(*e),
                })
            }
        };
        expect(
            block.info().step("info")?.kind == dmashim::Kind::PoolBlock,
            "kind",
        )?;
        let addr = block.dma_addr(0, BLOCK).step("block dma_addr")?.as_u64();
        expect(addr % 64 == 0, "block alignment")?;
        expect(prev != Some(addr), "distinct blocks")?;
        prev = Some(addr);
        block.store(0, i as u64).step("store")?;
    }
    // Block 2 to the device, back into block 5.
    let (two, five) = match (&blocks[2], &blocks[5]) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            return Err(Fail {
                what: "blocks",
                detail: Detail::None,
            })
        }
    };
    write_pattern(two, BLOCK, 0x77)?;
    env.edu
        .dma(two.dma_addr(0, BLOCK).step("dma_addr")?, 2048, BLOCK, false)?;
    env.edu
        .dma(five.dma_addr(0, BLOCK).step("dma_addr")?, 2048, BLOCK, true)?;
    check_pattern(five, BLOCK, 0x77)?;
    expect_eq(
        blocks[7]
            .as_ref()
            .map_or(0, |b| b.load::<u64>(0).unwrap_or(0)),
        7,
        "other blocks untouched",
    )?;
    drop(blocks);
    drop(pool);
    Ok(())
}

fn case_drop_frees_once(env: &Env<'_>) -> CaseResult {
    let before = env.ctx.stats().step("stats")?;
    {
        let _a = env.ctx.alloc(100).step("alloc")?;
        let _b = env.ctx.alloc(200).step("alloc")?;
        let mid = env.ctx.stats().step("stats")?;
        expect_eq(mid.live, before.live + 2, "live handles while held")?;
        expect_eq(
            mid.live_bytes,
            before.live_bytes + 300,
            "live bytes while held",
        )?;
    }
    let c = env.ctx.alloc(300).step("alloc")?;
    c.free().step("free")?;
    let after = env.ctx.stats().step("stats")?;
    expect_eq(after.live, before.live, "live handles after drop")?;
    expect_eq(
        after.frees,
        before.frees + 3,
        "frees: exactly one per handle",
    )?;
    expect_eq(after.refused, before.refused, "no call refused")
}

type Case = fn(&Env<'_>) -> CaseResult;

const CASES: [(&str, Case); 9] = [
    ("dmashim_rust_abi_version_matches", case_abi_version),
    ("dmashim_rust_layout_matches_c", case_layout_matches_c),
    ("dmashim_rust_accessors_typed", case_accessors_typed),
    ("dmashim_rust_errors_typed", case_errors_typed),
    ("dmashim_rust_dma_addr_checked", case_dma_addr_checked),
    ("dmashim_rust_edu_dma_coherent", case_edu_dma_coherent),
    ("dmashim_rust_edu_dma_noncoherent", case_edu_dma_noncoherent),
    ("dmashim_rust_pool_blocks_dma", case_pool_blocks_dma),
    ("dmashim_rust_drop_frees_once", case_drop_frees_once),
];

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "not ok"
    }
}

/// Set once the suite has run: it runs for the first edu device only.
static SUITE_RAN: AtomicBool = AtomicBool::new(false);

fn run_suite(env: &Env<'_>) {
    let mut failed = 0;

    ktap!("    KTAP version 1");
    ktap!("    # Subtest: {}", SUITE);
    ktap!("    1..{}", CASES.len());
    for (i, (name, case)) in CASES.iter().enumerate() {
        let res = case(env);
        if let Err(f) = &res {
            ktap!("    # {}: {}", name, f);
            failed += 1;
        }
        ktap!("    {} {} - {}", verdict(res.is_ok()), i + 1, name);
    }
    ktap!("{} 1 - {}", verdict(failed == 0), SUITE);
}

/// The Rust driver's probe, called by the C glue's probe.
///
/// # Safety
///
/// `edu` must be the bound device and `ctx` its dmashim context, both valid
/// until this returns; process context.
#[no_mangle]
pub unsafe extern "C" fn dmashim_rust_edu_probe(
    edu: *mut glue::dmashim_rust_edu,
    ctx: *mut dmashim::raw::dmashim_ctx,
) -> core::ffi::c_int {
    let edu = match NonNull::new(edu) {
        Some(ptr) => Edu { ptr },
        None => return Error::InvalidArgument.to_errno(),
    };
    // SAFETY: the glue's context is live until the device unbinds, after
    // this returns; `Context` takes its own reference anyway.
    let ctx = match unsafe { Context::from_raw(ctx) } {
        Ok(ctx) => ctx,
        Err(e) => return e.to_errno(),
    };
    if SUITE_RAN.swap(true, Ordering::Relaxed) {
        return 0;
    }
    let env = Env {
        ctx: &ctx,
        edu: &edu,
        // SAFETY: `edu` is the bound device.
        dev: unsafe { glue::dmashim_rust_glue_device(edu.ptr.as_ptr()) },
    };
    run_suite(&env);
    0
}

/// The Rust driver's remove, called by the C glue's remove.  dmashim
/// revokes the context (releasing anything left) after it returns.
#[no_mangle]
pub extern "C" fn dmashim_rust_edu_remove(_edu: *mut glue::dmashim_rust_edu) {}

struct DmashimRustSample;

impl kernel::Module for DmashimRustSample {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: module init, process context.
        let ret = unsafe { glue::dmashim_rust_glue_register() };
        if ret != 0 {
            let e = Error::from_errno(ret);
            dmashim::platform::printk(b'3', format_args!("dmashim_rust: register: {}", e));
            return Err(dmashim::platform::kernel_error(e));
        }
        if !SUITE_RAN.load(Ordering::Relaxed) {
            ktap!("    KTAP version 1");
            ktap!("    # Subtest: {}", SUITE);
            ktap!("    1..1");
            ktap!("    # no edu device (PCI 1234:11e8) was bound");
            ktap!("    not ok 1 - dmashim_rust_edu_bound");
            ktap!("not ok 1 - {}", SUITE);
        }
        Ok(DmashimRustSample)
    }
}

impl Drop for DmashimRustSample {
    fn drop(&mut self) {
        // SAFETY: module exit, process context.
        unsafe { glue::dmashim_rust_glue_unregister() };
    }
}
