// SPDX-License-Identifier: GPL-2.0
/*
 * edu_nic - a NIC-style sample driver for QEMU's edu PCI device, on dmashim
 *
 * Design
 * ======
 * edu (PCI 1234:11e8) has one DMA engine that copies between system memory
 * and a 4 KiB buffer inside the device, and can raise an interrupt when a
 * transfer is done.  This driver dresses it up as a NIC with a descriptor
 * ring, using nothing but dmashim for memory:
 *
 *  - the ring is ring_size descriptors, each a 32-byte block of a dmashim
 *    pool.  A descriptor holds the DMA address and length of a payload
 *    buffer, an offset in edu's buffer and a direction.  Descriptors come in
 *    pairs, one per packet: TX (payload -> edu) then RX (edu -> payload).
 *    The driver writes a descriptor in one scoped access (one handle lookup,
 *    then plain stores) and reads it back in one copy that it checks before
 *    it trusts it, as a driver must treat memory a device can write;
 *  - payloads are the driver's own memory, as packet buffers are, moved
 *    through streaming mappings by handle: each run maps every TX payload
 *    to the device and every RX payload from it, like a NIC refilling its
 *    receive ring, so the live handle count visibly moves, and unmaps them
 *    after it (by handle only: no size or direction to get wrong).  edu
 *    reaches 28 bits of address: without an IOMMU only the low 256 MiB, so
 *    the payloads come from ZONE_DMA, and before the context, so devres
 *    frees them only after the revocation unmapped them;
 *  - a run fills the TX payloads with a pattern unique to the run, walks the
 *    ring in order programming edu's DMA engine for each descriptor (edu
 *    cannot fetch descriptors itself: the driver plays its firmware), then
 *    hands every RX payload back to the CPU (a sync) and checks it against
 *    its TX payload;
 *  - completion is edu's DMA interrupt, MSI when the device offers it, else
 *    INTx; or polling the command register, when the module parameter
 *    poll=1 asks for it or the interrupt cannot be set up.
 *
 * Every buffer comes from a devm dmashim context, so nothing is freed by
 * hand at unbind: remove() quiesces the device (waits for a run and a
 * transfer in flight, masks and frees the interrupt, stops bus mastering)
 * and devres then revokes the context, which releases every buffer once.
 *
 * The trigger is debugfs, /sys/kernel/debug/edu_nic/:
 *   run        write "irq" or "poll": run the ring once, synchronously
 *   busy       1 while a run is in progress (read without waiting for it)
 *   results    the last run: bytes moved, packets verified, handles, time
 *   info       the bound device, completion mode, ring size, live handles
 * The files belong to the module, not to the device, so they outlive an
 * unbind; they reach the device only through edu_nic_state.bound, under
 * its lock.  One edu device is driven at a time.  What a test wants to know
 * about dmashim itself (counters, revocation) it reads from dmashim's own
 * debugfs files and trace events, not from here.
 */
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <dmashim.h>

#include "../edu/edu.h"

MODULE_IMPORT_NS(DMASHIM);

#define DRV_NAME		"edu_nic"

#define DESC_SIZE		32
#define DESC_F_RX		BIT(0)	/* edu -> payload; else payload -> edu */
#define DESC_F_DONE		BIT(1)	/* the transfer has completed */

/**
 * struct edu_nic_desc - a descriptor as it lies in its pool block
 * @addr: DMA address of the payload; 0 for none.
 * @len: payload length in bytes.
 * @flags: DESC_F_*.
 * @devoff: offset in edu's buffer.
 * @reserved: 0, pads the descriptor to DESC_SIZE.
 *
 * Little-endian, as a NIC's ring is.
 */
struct edu_nic_desc {
	__le64 addr;
	__le32 len;
	__le32 flags;
	__le32 devoff;
	__le32 reserved[3];
};

static_assert(sizeof(struct edu_nic_desc) == DESC_SIZE);

/**
 * struct edu_nic_xfer - a descriptor read back and checked
 * @addr: DMA address of the payload.
 * @len: bytes to move, 1 to EDU_BUF_USABLE.
 * @flags: DESC_F_*.
 * @devoff: offset in edu's buffer; the transfer stays within it.
 */
struct edu_nic_xfer {
	u64 addr;
	u32 len;
	u32 flags;
	u32 devoff;
};

#define RING_MIN		2
#define RING_MAX		64

static bool poll;
module_param(poll, bool, 0444);
MODULE_PARM_DESC(poll, "complete transfers by polling, not by interrupt");

static unsigned int ring_size = 16;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "descriptors in the ring: even, 2..64 (default 16)");

/* Payload length of each packet, cycled through: small to nearly 4 KiB. */
static const u32 edu_nic_lens[] = { 64, 1500, 256, 2048, 128, 1024, 576, 4000 };

/**
 * struct edu_nic - one bound edu device
 * @pdev: the PCI device.
 * @regs: BAR0.
 * @ctx: the devm dmashim context every buffer comes from.
 * @pool: the pool of descriptors.
 * @desc: the ring, @ndesc descriptor handles.
 * @tx_mem: TX payload memory of each packet, allocated at probe.
 * @rx_mem: RX payload memory of each packet, allocated at probe.
 * @tx: TX payload mapping of each packet, for the length of a run.
 * @rx: RX payload mapping of each packet, for the length of a run.
 * @ndesc: descriptors in the ring (two per packet).
 * @irq: the Linux interrupt number, or -1 when polling.
 * @irq_mode: "msi", "intx" or "poll".
 * @dma_done: completed by the interrupt handler.
 * @irqs: DMA interrupts handled.
 * @runs: runs started.
 * @wedged: a transfer never finished: no more runs, no unmaps.
 */
struct edu_nic {
	struct pci_dev *pdev;
	void __iomem *regs;
	struct dmashim_ctx *ctx;
	dmashim_pool_t pool;
	dmashim_handle_t *desc;
	u8 **tx_mem;
	u8 **rx_mem;
	dmashim_handle_t *tx;
	dmashim_handle_t *rx;
	unsigned int ndesc;
	int irq;
	const char *irq_mode;
	struct completion dma_done;
	atomic_t irqs;
	unsigned int runs;
	bool wedged;
};

/**
 * struct edu_nic_result - what one run did
 * @mode: completion used: "msi", "intx" or "poll".
 * @err: 0, or the errno the run failed with.
 * @packets: packets in the ring.
 * @verified: RX payloads equal to their TX payload.
 * @mismatched: RX payloads that differ.
 * @dmas: transfers completed.
 * @irqs: DMA interrupts taken.
 * @bytes_to_dev: bytes moved from memory into edu.
 * @bytes_to_ram: bytes moved from edu into memory.
 * @live_before: live handles before the run.
 * @live_during: live handles with the payloads mapped.
 * @live_after: live handles after the payloads were unmapped.
 * @run_ns: time of the whole run.
 * @dma_ns: time spent waiting for transfers.
 */
struct edu_nic_result {
	const char *mode;
	int err;
	u32 packets;
	u32 verified;
	u32 mismatched;
	u32 dmas;
	u32 irqs;
	u64 bytes_to_dev;
	u64 bytes_to_ram;
	u64 live_before;
	u64 live_during;
	u64 live_after;
	u64 run_ns;
	u64 dma_ns;
};

static struct {
	struct mutex lock;	/* serialises runs, probe, remove, the files */
	struct edu_nic *bound;	/* the bound device, or NULL */
	struct edu_nic_result last;
	u32 busy;		/* a run is in progress; read locklessly */
	struct dentry *dir;
} edu_nic_state = {
	.lock = __MUTEX_INITIALIZER(edu_nic_state.lock),
	.last = { .mode = "none" },
};

/* ---- the device ------------------------------------------------------- */

/* Wait until no transfer runs; marks the device wedged if one never ends. */
static int edu_nic_dma_idle(struct edu_nic *nic)
{
	int ret = edu_dma_idle(nic->regs);

	if (ret)
		nic->wedged = true;
	return ret;
}

static int edu_nic_dma_wait(struct edu_nic *nic, bool use_irq)
{
	unsigned long left = 1;
	int ret;

	if (use_irq)
		left = wait_for_completion_timeout(&nic->dma_done,
						   usecs_to_jiffies(EDU_DMA_TIMEOUT_US));
	/* Even after the interrupt: the engine must be idle before reuse. */
	ret = edu_nic_dma_idle(nic);
	if (!ret && !left)
		ret = -ETIMEDOUT;	/* finished, but the interrupt was lost */
	return ret;
}

static irqreturn_t edu_nic_irq(int irq, void *data)
{
	struct edu_nic *nic = data;

	if (!(readl(nic->regs + EDU_REG_IRQ_STATUS) & EDU_IRQ_DMA))
		return IRQ_NONE;	/* INTx may be shared */
	writel(EDU_IRQ_DMA, nic->regs + EDU_REG_IRQ_ACK);
	atomic_inc(&nic->irqs);
	complete(&nic->dma_done);
	return IRQ_HANDLED;
}

/* MSI if edu offers it, else INTx; polling when neither can be set up. */
static void edu_nic_irq_setup(struct edu_nic *nic)
{
	struct pci_dev *pdev = nic->pdev;
	int ret;

	nic->irq = -1;
	nic->irq_mode = "poll";
	if (poll)
		return;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (ret < 0) {
		dev_info(&pdev->dev, "no interrupt (%d): polling\n", ret);
		return;
	}
	ret = request_irq(pci_irq_vector(pdev, 0), edu_nic_irq,
			  pdev->msi_enabled ? 0 : IRQF_SHARED, DRV_NAME, nic);
	if (ret) {
		pci_free_irq_vectors(pdev);
		dev_info(&pdev->dev, "cannot request interrupt (%d): polling\n",
			 ret);
		return;
	}
	nic->irq = pci_irq_vector(pdev, 0);
	nic->irq_mode = pdev->msi_enabled ? "msi" : "intx";
}

static void edu_nic_irq_teardown(struct edu_nic *nic)
{
	if (nic->irq < 0)
		return;
	writel(EDU_IRQ_DMA, nic->regs + EDU_REG_IRQ_ACK);
	free_irq(nic->irq, nic);
	pci_free_irq_vectors(nic->pdev);
	nic->irq = -1;
}

/* ---- the ring --------------------------------------------------------- */

static u32 edu_nic_len(unsigned int pkt)
{
	return edu_nic_lens[pkt % ARRAY_SIZE(edu_nic_lens)];
}

/* Where packet @pkt goes in edu's buffer: spread out, always in bounds. */
static u32 edu_nic_devoff(unsigned int pkt)
{
	return (pkt * 64) % (EDU_BUF_USABLE - edu_nic_len(pkt) + 1);
}

/* Byte @i of packet @pkt in run @run: a pattern no other run repeats. */
static u8 edu_nic_byte(unsigned int run, unsigned int pkt, u32 i)
{
	return (u8)(i * 7 + pkt * 31 + run * 13 + 1);
}

/* Live handles: buffers and blocks, and mappings. */
static u64 edu_nic_live(struct edu_nic *nic)
{
	struct dmashim_stats st = { .sz = sizeof(st) };

	return dmashim_ctx_stats(nic->ctx, &st) ? 0 :
	       st.live + st.live_mappings;
}

/*
 * Descriptor @i for payload @addr (0: none); odd descriptors are RX.  One
 * scoped access: a single handle lookup, then plain stores, as a driver
 * fills a descriptor on the raw API.
 */
static int edu_nic_desc_set(struct edu_nic *nic, unsigned int i, u64 addr)
{
	unsigned int pkt = i / 2;
	struct edu_nic_desc *d;
	void *p;
	int ret;

	ret = dmashim_access_begin(nic->ctx, nic->desc[i], 0, sizeof(*d), 0,
				   &p);
	if (!ret) {
		d = p;
		WRITE_ONCE(d->addr, cpu_to_le64(addr));
		WRITE_ONCE(d->len, cpu_to_le32(edu_nic_len(pkt)));
		WRITE_ONCE(d->flags, cpu_to_le32(i % 2 ? DESC_F_RX : 0));
		WRITE_ONCE(d->devoff, cpu_to_le32(edu_nic_devoff(pkt)));
	}
	dmashim_access_end(nic->ctx);
	return ret;
}

/* Descriptor @i, read in one copy and checked before it is trusted. */
static int edu_nic_desc_get(struct edu_nic *nic, unsigned int i,
			    struct edu_nic_xfer *x)
{
	struct edu_nic_desc d;
	int ret;

	ret = dmashim_read(nic->ctx, nic->desc[i], 0, &d, sizeof(d));
	if (ret)
		return ret;
	x->addr = le64_to_cpu(d.addr);
	x->len = le32_to_cpu(d.len);
	x->flags = le32_to_cpu(d.flags);
	x->devoff = le32_to_cpu(d.devoff);
	if (!x->addr || !x->len || x->len > EDU_BUF_USABLE ||
	    x->devoff > EDU_BUF_USABLE - x->len)
		return -EINVAL;
	return 0;
}

/* Mark descriptor @i done, as a device writes back its completions. */
static int edu_nic_desc_done(struct edu_nic *nic, unsigned int i)
{
	struct edu_nic_desc *d;
	void *p;
	int ret;

	ret = dmashim_access_begin(nic->ctx, nic->desc[i], 0, sizeof(*d), 0,
				   &p);
	if (!ret) {
		d = p;
		WRITE_ONCE(d->flags, READ_ONCE(d->flags) |
				     cpu_to_le32(DESC_F_DONE));
	}
	dmashim_access_end(nic->ctx);
	return ret;
}

/* Payload memory for every packet, freed by devres after the context. */
static int edu_nic_payloads_alloc(struct edu_nic *nic)
{
	struct device *dev = &nic->pdev->dev;
	unsigned int pkt, npkt = ring_size / 2;

	nic->tx_mem = devm_kcalloc(dev, npkt, sizeof(*nic->tx_mem), GFP_KERNEL);
	nic->rx_mem = devm_kcalloc(dev, npkt, sizeof(*nic->rx_mem), GFP_KERNEL);
	if (!nic->tx_mem || !nic->rx_mem)
		return -ENOMEM;
	for (pkt = 0; pkt < npkt; pkt++) {
		nic->tx_mem[pkt] = devm_kzalloc(dev, edu_nic_len(pkt),
						GFP_KERNEL | GFP_DMA);
		nic->rx_mem[pkt] = devm_kzalloc(dev, edu_nic_len(pkt),
						GFP_KERNEL | GFP_DMA);
		if (!nic->tx_mem[pkt] || !nic->rx_mem[pkt])
			return -ENOMEM;
	}
	return 0;
}

/* The pool and its descriptors; on error revocation frees what was made. */
static int edu_nic_ring_create(struct edu_nic *nic)
{
	struct dmashim_pool_opts popts = { .sz = sizeof(popts),
					   .align = DESC_SIZE };
	struct device *dev = &nic->pdev->dev;
	unsigned int i, npkt = ring_size / 2;
	int ret;

	nic->ndesc = ring_size;
	nic->desc = devm_kcalloc(dev, nic->ndesc, sizeof(*nic->desc),
				 GFP_KERNEL);
	nic->tx = devm_kcalloc(dev, npkt, sizeof(*nic->tx), GFP_KERNEL);
	nic->rx = devm_kcalloc(dev, npkt, sizeof(*nic->rx), GFP_KERNEL);
	if (!nic->desc || !nic->tx || !nic->rx)
		return -ENOMEM;
	ret = dmashim_pool_create(nic->ctx, DRV_NAME, DESC_SIZE, &popts,
				  &nic->pool);
	if (ret)
		return ret;
	for (i = 0; i < nic->ndesc; i++) {
		ret = dmashim_pool_alloc(nic->ctx, nic->pool, 0, &nic->desc[i]);
		if (ret)
			return ret;
		ret = edu_nic_desc_set(nic, i, 0);
		if (ret)
			return ret;
	}
	return 0;
}

/* Map packet @pkt's payload @mem as @dir into @h; its descriptor @i too. */
static int edu_nic_payload_map(struct edu_nic *nic, unsigned int i, u8 *mem,
			       u32 dir, dmashim_handle_t *h)
{
	u32 len = edu_nic_len(i / 2);
	u64 addr;
	int ret;

	ret = dmashim_map_single(nic->ctx, mem, len, dir, NULL, h);
	if (ret)
		return ret;
	ret = dmashim_dma_addr(nic->ctx, *h, 0, len, &addr);
	if (ret)
		return ret;
	return edu_nic_desc_set(nic, i, addr);
}

/*
 * Fill every TX payload with the run's pattern, then hand it to the
 * device; give every RX descriptor a payload, as a NIC refills its ring.
 */
static int edu_nic_payloads_map(struct edu_nic *nic)
{
	unsigned int pkt;
	int ret;
	u32 i;

	for (pkt = 0; pkt < nic->ndesc / 2; pkt++) {
		for (i = 0; i < edu_nic_len(pkt); i++)
			nic->tx_mem[pkt][i] = edu_nic_byte(nic->runs, pkt, i);
		ret = edu_nic_payload_map(nic, 2 * pkt, nic->tx_mem[pkt],
					  DMASHIM_DIR_TO_DEVICE, &nic->tx[pkt]);
		if (ret)
			return ret;
		ret = edu_nic_payload_map(nic, 2 * pkt + 1, nic->rx_mem[pkt],
					  DMASHIM_DIR_FROM_DEVICE,
					  &nic->rx[pkt]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Unhook one payload from descriptor @i and unmap it. */
static int edu_nic_payload_unmap(struct edu_nic *nic, unsigned int i,
				 dmashim_handle_t *h)
{
	int ret, err;

	if (!*h)
		return 0;
	ret = edu_nic_desc_set(nic, i, 0);
	err = dmashim_unmap(nic->ctx, *h);
	/* Even on error: a handle is never unmapped twice. */
	*h = 0;
	return ret ?: err;
}

/* Unmap every payload, even after an error; the first error is returned. */
static int edu_nic_payloads_unmap(struct edu_nic *nic)
{
	unsigned int pkt;
	int ret = 0, err;

	for (pkt = 0; pkt < nic->ndesc / 2; pkt++) {
		err = edu_nic_payload_unmap(nic, 2 * pkt, &nic->tx[pkt]);
		ret = ret ?: err;
		err = edu_nic_payload_unmap(nic, 2 * pkt + 1, &nic->rx[pkt]);
		ret = ret ?: err;
	}
	return ret;
}

/* Does packet @pkt's RX payload hold what its TX payload held? */
static bool edu_nic_rx_same(struct edu_nic *nic, unsigned int pkt)
{
	u32 i;

	for (i = 0; i < edu_nic_len(pkt); i++)
		if (nic->rx_mem[pkt][i] != edu_nic_byte(nic->runs, pkt, i))
			return false;
	return true;
}

/* Hand every RX payload to the CPU; compare it with its TX pattern. */
static int edu_nic_rx_verify(struct edu_nic *nic, struct edu_nic_result *res)
{
	unsigned int pkt;
	int ret;

	for (pkt = 0; pkt < nic->ndesc / 2; pkt++) {
		ret = dmashim_sync_for_cpu(nic->ctx, nic->rx[pkt], 0,
					   edu_nic_len(pkt),
					   DMASHIM_DIR_FROM_DEVICE);
		if (ret)
			return ret;
		if (edu_nic_rx_same(nic, pkt))
			res->verified++;
		else
			res->mismatched++;
	}
	return 0;
}

/* Process descriptor @i: one transfer, waited for, then marked done. */
static int edu_nic_desc_run(struct edu_nic *nic, unsigned int i,
			    bool use_irq, struct edu_nic_result *res)
{
	u32 cmd = use_irq ? EDU_DMA_IRQ : 0;
	struct edu_nic_xfer x;
	u64 dev_addr, t0;
	int ret;

	ret = edu_nic_desc_get(nic, i, &x);
	if (ret)
		return ret;
	dev_addr = EDU_BUF_ADDR + x.devoff;
	reinit_completion(&nic->dma_done);
	t0 = ktime_get_ns();
	if (x.flags & DESC_F_RX)
		edu_dma_start(nic->regs, dev_addr, x.addr, x.len,
			      cmd | EDU_DMA_TO_RAM);
	else
		edu_dma_start(nic->regs, x.addr, dev_addr, x.len, cmd);
	ret = edu_nic_dma_wait(nic, use_irq);
	res->dma_ns += ktime_get_ns() - t0;
	if (ret)
		return ret;
	res->dmas++;
	if (x.flags & DESC_F_RX)
		res->bytes_to_ram += x.len;
	else
		res->bytes_to_dev += x.len;
	return edu_nic_desc_done(nic, i);
}

static int edu_nic_ring_walk(struct edu_nic *nic, bool use_irq,
			     struct edu_nic_result *res)
{
	unsigned int i;
	int ret, err;

	ret = edu_nic_payloads_map(nic);
	res->live_during = edu_nic_live(nic);
	if (ret)
		goto unmap;
	for (i = 0; i < nic->ndesc; i++) {
		ret = edu_nic_desc_run(nic, i, use_irq, res);
		if (ret)
			goto unmap;
	}
	ret = edu_nic_rx_verify(nic, res);
unmap:
	/* A wedged engine may still use the payloads: revocation unmaps. */
	if (nic->wedged)
		return ret;
	err = edu_nic_payloads_unmap(nic);
	return ret ?: err;
}

/* One run of the ring; the caller holds edu_nic_state.lock. */
static int edu_nic_run(struct edu_nic *nic, bool use_irq,
		       struct edu_nic_result *res)
{
	u64 t0 = ktime_get_ns();
	int irqs0 = atomic_read(&nic->irqs);
	int ret;

	use_irq = use_irq && nic->irq >= 0;
	memset(res, 0, sizeof(*res));
	res->mode = use_irq ? nic->irq_mode : "poll";
	res->packets = nic->ndesc / 2;
	res->live_before = edu_nic_live(nic);
	if (nic->wedged) {
		ret = -EIO;
		goto out;
	}
	nic->runs++;
	ret = edu_nic_ring_walk(nic, use_irq, res);
	if (!ret && res->mismatched)
		ret = -EIO;
out:
	res->live_after = edu_nic_live(nic);
	res->irqs = atomic_read(&nic->irqs) - irqs0;
	res->run_ns = ktime_get_ns() - t0;
	res->err = ret;
	return ret;
}

/* ---- debugfs ---------------------------------------------------------- */

static ssize_t edu_nic_run_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char mode[8] = "";
	bool use_irq;
	int ret;

	if (len >= sizeof(mode))
		return -EINVAL;
	if (copy_from_user(mode, ubuf, len))
		return -EFAULT;
	if (sysfs_streq(mode, "irq"))
		use_irq = true;
	else if (sysfs_streq(mode, "poll"))
		use_irq = false;
	else
		return -EINVAL;

	mutex_lock(&edu_nic_state.lock);
	WRITE_ONCE(edu_nic_state.busy, 1);
	if (edu_nic_state.bound)
		ret = edu_nic_run(edu_nic_state.bound, use_irq,
				  &edu_nic_state.last);
	else
		ret = -ENODEV;
	WRITE_ONCE(edu_nic_state.busy, 0);
	mutex_unlock(&edu_nic_state.lock);
	return ret ? ret : len;
}

static const struct file_operations edu_nic_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_nic_run_write,
	.llseek = noop_llseek,
};

static int edu_nic_results_show(struct seq_file *m, void *unused)
{
	const struct edu_nic_result *r = &edu_nic_state.last;

	mutex_lock(&edu_nic_state.lock);
	seq_printf(m, "mode %s\nerror %d\npackets %u\nverified %u\n",
		   r->mode, r->err, r->packets, r->verified);
	seq_printf(m, "mismatched %u\ndmas %u\nirqs %u\n",
		   r->mismatched, r->dmas, r->irqs);
	seq_printf(m, "bytes_to_device %llu\nbytes_to_ram %llu\n",
		   r->bytes_to_dev, r->bytes_to_ram);
	seq_printf(m, "live_before %llu\nlive_during %llu\nlive_after %llu\n",
		   r->live_before, r->live_during, r->live_after);
	seq_printf(m, "run_us %llu\ndma_us %llu\n",
		   div_u64(r->run_ns, NSEC_PER_USEC),
		   div_u64(r->dma_ns, NSEC_PER_USEC));
	mutex_unlock(&edu_nic_state.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_nic_results);

static int edu_nic_info_show(struct seq_file *m, void *unused)
{
	struct edu_nic *nic;

	mutex_lock(&edu_nic_state.lock);
	nic = edu_nic_state.bound;
	if (nic)
		seq_printf(m, "device %s\nirq %s\nring %u\nlive %llu\nruns %u\n",
			   pci_name(nic->pdev), nic->irq_mode, nic->ndesc,
			   edu_nic_live(nic), nic->runs);
	else
		seq_puts(m, "device none\n");
	mutex_unlock(&edu_nic_state.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(edu_nic_info);

static void edu_nic_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir(DRV_NAME, NULL);

	edu_nic_state.dir = dir;
	debugfs_create_file("run", 0200, dir, NULL, &edu_nic_run_fops);
	debugfs_create_u32("busy", 0444, dir, &edu_nic_state.busy);
	debugfs_create_file("results", 0444, dir, NULL, &edu_nic_results_fops);
	debugfs_create_file("info", 0444, dir, NULL, &edu_nic_info_fops);
}

/* ---- the PCI driver --------------------------------------------------- */

/* Make @nic the device the files drive. */
static int edu_nic_publish(struct edu_nic *nic)
{
	int ret = 0;

	mutex_lock(&edu_nic_state.lock);
	if (edu_nic_state.bound)
		ret = -EBUSY;
	else
		edu_nic_state.bound = nic;
	mutex_unlock(&edu_nic_state.lock);
	return ret;
}

static int edu_nic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu_nic *nic;
	int ret;

	nic = devm_kzalloc(dev, sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return -ENOMEM;
	nic->pdev = pdev;
	nic->irq = -1;
	init_completion(&nic->dma_done);
	pci_set_drvdata(pdev, nic);

	/* Everything but the interrupt is managed: undone after remove(). */
	ret = edu_hw_init(pdev, DRV_NAME, &nic->regs);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable the device\n");
	ret = edu_nic_payloads_alloc(nic);
	if (ret)
		return ret;
	ret = devm_dmashim_ctx_create(dev, &nic->ctx);
	if (ret)
		return dev_err_probe(dev, ret, "no dmashim context\n");
	ret = edu_nic_ring_create(nic);
	if (ret)
		return dev_err_probe(dev, ret, "cannot build the ring\n");
	edu_nic_irq_setup(nic);
	ret = edu_nic_publish(nic);
	if (ret)
		goto err_irq;
	dev_info(dev, "%u descriptors (%u packets), completion by %s\n",
		 nic->ndesc, nic->ndesc / 2, nic->irq_mode);
	return 0;

err_irq:
	edu_nic_irq_teardown(nic);
	return dev_err_probe(dev, ret, "one edu at a time\n");
}

static void edu_nic_remove(struct pci_dev *pdev)
{
	struct edu_nic *nic = pci_get_drvdata(pdev);

	/* Waits for a run in progress; none starts after this. */
	mutex_lock(&edu_nic_state.lock);
	edu_nic_state.bound = NULL;
	mutex_unlock(&edu_nic_state.lock);

	if (edu_nic_dma_idle(nic))
		dev_err(&pdev->dev, "a transfer is still running\n");
	edu_nic_irq_teardown(nic);
	pci_clear_master(pdev);
	dev_info(&pdev->dev, "quiesced after %u runs\n", nic->runs);
	/* devres now revokes the context: every buffer goes back once. */
}

static const struct pci_device_id edu_nic_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_nic_ids);

static struct pci_driver edu_nic_driver = {
	.name = DRV_NAME,
	.id_table = edu_nic_ids,
	.probe = edu_nic_probe,
	.remove = edu_nic_remove,
};

static int __init edu_nic_init(void)
{
	int ret;

	if (ring_size < RING_MIN || ring_size > RING_MAX || ring_size % 2) {
		pr_err(DRV_NAME ": ring_size must be even, %d..%d\n",
		       RING_MIN, RING_MAX);
		return -EINVAL;
	}
	edu_nic_debugfs_init();
	ret = pci_register_driver(&edu_nic_driver);
	if (ret)
		debugfs_remove_recursive(edu_nic_state.dir);
	return ret;
}

static void __exit edu_nic_exit(void)
{
	pci_unregister_driver(&edu_nic_driver);
	debugfs_remove_recursive(edu_nic_state.dir);
}

module_init(edu_nic_init);
module_exit(edu_nic_exit);

MODULE_DESCRIPTION("NIC-style dmashim sample for QEMU's edu device");
MODULE_LICENSE("GPL");
