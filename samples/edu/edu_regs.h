/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu_regs.h - QEMU's edu PCI device as the samples program it
 *
 * The one copy of edu's register map (QEMU's hw/misc/edu.c and
 * docs/specs/edu.rst).  The C samples read it through edu.h, the Rust
 * sample through bindgen (dmashim_rust_glue.h, scripts/rust.sh), so every
 * value is an enumerator, which bindgen turns into a Rust constant: no
 * macros, and nothing but constants in this file.
 */
#ifndef _SAMPLES_EDU_REGS_H
#define _SAMPLES_EDU_REGS_H

/**
 * enum edu_pci_id - edu's PCI identity
 * @EDU_PCI_VENDOR: vendor ID.
 * @EDU_PCI_DEVICE: device ID.
 */
enum edu_pci_id {
	EDU_PCI_VENDOR = 0x1234,
	EDU_PCI_DEVICE = 0x11e8,
};

/**
 * enum edu_reg - offsets of BAR0's registers
 * @EDU_REG_ID: identification, 0xRRrr00ed (major, minor, 0xed).
 * @EDU_REG_LIVENESS: reads back the bitwise inverse of the last value
 *	written.
 * @EDU_REG_IRQ_STATUS: pending interrupt causes, EDU_IRQ_*.
 * @EDU_REG_IRQ_ACK: write causes to acknowledge them.
 * @EDU_REG_DMA_SRC: DMA source address (64 bits).
 * @EDU_REG_DMA_DST: DMA destination address (64 bits).
 * @EDU_REG_DMA_COUNT: DMA length in bytes (64 bits).
 * @EDU_REG_DMA_CMD: DMA command, EDU_DMA_*.
 */
enum edu_reg {
	EDU_REG_ID = 0x00,
	EDU_REG_LIVENESS = 0x04,
	EDU_REG_IRQ_STATUS = 0x24,
	EDU_REG_IRQ_ACK = 0x64,
	EDU_REG_DMA_SRC = 0x80,
	EDU_REG_DMA_DST = 0x88,
	EDU_REG_DMA_COUNT = 0x90,
	EDU_REG_DMA_CMD = 0x98,
};

/**
 * enum edu_dma_cmd - bits of EDU_REG_DMA_CMD
 * @EDU_DMA_RUN: start a transfer; reads as set while it runs.
 * @EDU_DMA_TO_RAM: the direction: set from edu's buffer to memory, clear
 *	from memory to edu's buffer.
 * @EDU_DMA_IRQ: raise EDU_IRQ_DMA when the transfer is done.
 */
enum edu_dma_cmd {
	EDU_DMA_RUN = 0x1,
	EDU_DMA_TO_RAM = 0x2,
	EDU_DMA_IRQ = 0x4,
};

/**
 * enum edu_irq - bits of EDU_REG_IRQ_STATUS and EDU_REG_IRQ_ACK
 * @EDU_IRQ_DMA: a transfer started with EDU_DMA_IRQ is done.
 */
enum edu_irq {
	EDU_IRQ_DMA = 0x100,
};

/**
 * enum edu_limits - what the device can reach and hold
 * @EDU_ID_MAGIC: the low byte of EDU_REG_ID.
 * @EDU_DMA_BITS: edu's DMA engine reaches 28 bits of address.
 * @EDU_BUF_ADDR: edu's 4 KiB internal buffer, in device addresses.
 * @EDU_BUF_LEN: the buffer's length.
 * @EDU_BUF_USABLE: the bytes a transfer may cover: QEMU up to 7.2 aborts
 *	the machine on a transfer that ends at the buffer's last byte (QEMU
 *	issue 1254), so stay one byte short.
 */
enum edu_limits {
	EDU_ID_MAGIC = 0xed,
	EDU_DMA_BITS = 28,
	EDU_BUF_ADDR = 0x40000,
	EDU_BUF_LEN = 0x1000,
	EDU_BUF_USABLE = EDU_BUF_LEN - 1,
};

#endif /* _SAMPLES_EDU_REGS_H */
