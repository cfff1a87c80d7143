/* SPDX-License-Identifier: MIT */
/*
 * A polled virtio-blk driver over the modern virtio-pci transport (see
 * virtio_pci_blk.h). References are to Virtual I/O Device (VIRTIO) Version
 * 1.2, OASIS Committee Specification 01.
 *
 * The guest runs with its MMU off: its RAM accesses are Device-nGnRnE, so
 * the rings are coherent with the device and stores are not merged or
 * reordered. The DSBs below still mark where a cached driver would need
 * the barriers 2.7.13 asks for.
 */
#include "virtio_pci_blk.h"

#include "guest.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_DEV_BLK_TRANSITIONAL 0x1001
#define VIRTIO_DEV_BLK_MODERN 0x1042

/* 4.1.4 "Virtio Structure PCI Capabilities". */
#define PCI_CAP_ID_VNDR 0x09
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define CAP_CFG_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_NOTIFY_MULT 16

/* 4.1.4.3 "Common configuration structure layout". */
#define CC_DFSELECT 0x00
#define CC_DF 0x04
#define CC_GFSELECT 0x08
#define CC_GF 0x0c
#define CC_MSIX 0x10
#define CC_NUMQ 0x12
#define CC_STATUS 0x14
#define CC_Q_SELECT 0x16
#define CC_Q_SIZE 0x18
#define CC_Q_MSIX 0x1a
#define CC_Q_ENABLE 0x1c
#define CC_Q_NOFF 0x1e
#define CC_Q_DESC 0x20
#define CC_Q_AVAIL 0x28
#define CC_Q_USED 0x30

/* 2.1 "Device Status Field". */
#define ST_ACKNOWLEDGE 1u
#define ST_DRIVER 2u
#define ST_DRIVER_OK 4u
#define ST_FEATURES_OK 8u
#define ST_NEEDS_RESET 0x40u
#define ST_FAILED 0x80u

/* 6 "Reserved Feature Bits". */
#define F_VERSION_1 (1ULL << 32)
#define F_ACCESS_PLATFORM (1ULL << 33)

#define NO_VECTOR 0xffff

/* 2.7.5 "The Virtqueue Descriptor Table". */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
/* 2.7.6 "The Virtqueue Available Ring". */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

/* 5.2.6 "Device Operation". */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define STATUS_UNWRITTEN 0xff

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VBLK_QSIZE];
	uint16_t used_event;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VBLK_QSIZE];
	uint16_t avail_event;
};

struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/*
 * The queue and the per-request headers and status bytes, in guest RAM.
 * 2.7 "Split Virtqueues": descriptor table 16-byte aligned, available ring
 * 2-byte, used ring 4-byte; a page each keeps it simple.
 */
static struct {
	struct virtq_desc desc[VBLK_QSIZE] __attribute__((aligned(4096)));
	struct virtq_avail avail __attribute__((aligned(4096)));
	struct virtq_used used __attribute__((aligned(4096)));
	struct virtio_blk_req_hdr hdr[VBLK_MAX_INFLIGHT]
		__attribute__((aligned(4096)));
	uint8_t status[VBLK_MAX_INFLIGHT];
} vq;

static void dsb(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static uint8_t cc_r8(const struct vblk *b, unsigned off)
{
	return b->common[off];
}

static void cc_w8(struct vblk *b, unsigned off, uint8_t v)
{
	b->common[off] = v;
}

static uint16_t cc_r16(const struct vblk *b, unsigned off)
{
	return *(volatile uint16_t *)(b->common + off);
}

static void cc_w16(struct vblk *b, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(b->common + off) = v;
}

static uint32_t cc_r32(const struct vblk *b, unsigned off)
{
	return *(volatile uint32_t *)(b->common + off);
}

static void cc_w32(struct vblk *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(b->common + off) = v;
}

/* 4.1.3.1: 64-bit fields may be written as two 32-bit halves, low first. */
static void cc_w64(struct vblk *b, unsigned off, uint64_t v)
{
	cc_w32(b, off, (uint32_t)v);
	cc_w32(b, off + 4, (uint32_t)(v >> 32));
}

/* The CPU address of a capability's structure, or 0 if its BAR is not a
 * placed memory BAR or the structure does not fit inside it. */
static uint64_t cap_addr(const struct vblk *b, unsigned cap)
{
	unsigned bar = pci_cfg_read8(&b->pci, cap + CAP_BAR);
	uint32_t off = pci_cfg_read32(&b->pci, cap + CAP_OFFSET);

	if (bar >= PCI_MAX_BARS || b->pci.bar[bar] == 0 ||
	    off >= b->pci.bar_size[bar]) {
		return 0;
	}
	return b->pci.bar[bar] + off;
}

static bool find_caps(struct vblk *b)
{
	for (unsigned cap = pci_next_cap(&b->pci, 0, PCI_CAP_ID_VNDR);
	     cap != 0; cap = pci_next_cap(&b->pci, cap, PCI_CAP_ID_VNDR)) {
		uint64_t a = cap_addr(b, cap);

		switch (pci_cfg_read8(&b->pci, cap + CAP_CFG_TYPE)) {
		case VIRTIO_PCI_CAP_COMMON_CFG:
			b->common = b->common ? b->common : (uint8_t *)a;
			break;
		case VIRTIO_PCI_CAP_NOTIFY_CFG:
			if (b->notify_base == 0) {
				b->notify_base = a;
				b->notify_mult = pci_cfg_read32(
					&b->pci, cap + CAP_NOTIFY_MULT);
			}
			break;
		case VIRTIO_PCI_CAP_ISR_CFG:
			b->isr = b->isr ? b->isr : (uint8_t *)a;
			break;
		case VIRTIO_PCI_CAP_DEVICE_CFG:
			b->devcfg = b->devcfg ? b->devcfg : (uint8_t *)a;
			break;
		default:
			break;
		}
	}
	return b->common && b->notify_base && b->isr && b->devcfg;
}

bool vblk_probe(const void *dtb, struct pci_host *host, struct vblk *b)
{
	/* Byte by byte: a struct assignment would call memset. */
	for (unsigned i = 0; i < sizeof(*b); i++) {
		((volatile uint8_t *)b)[i] = 0;
	}
	pci_host_init(dtb, host);
	if (!pci_find(host, VIRTIO_VENDOR, VIRTIO_DEV_BLK_TRANSITIONAL,
		      VIRTIO_DEV_BLK_MODERN, &b->pci)) {
		gprintf("vblk: no virtio-blk on bus 0 (ECAM 0x%lx%s)\n",
			host->ecam_base, host->from_dt ? "" : ", default");
		return false;
	}
	if (!pci_assign_bars(host, &b->pci)) {
		gprintf("vblk: BARs do not fit the window 0x%lx+0x%lx\n",
			host->mem_base, host->mem_size);
		return false;
	}
	if (!find_caps(b)) {
		gputs("vblk: virtio capabilities missing (legacy-only device?)");
		return false;
	}
	return true;
}

uint8_t vblk_device_status(const struct vblk *b)
{
	return cc_r8(b, CC_STATUS);
}

static bool reset(struct vblk *b)
{
	uint64_t end = now_ticks() + ticks_per_sec();

	/* 4.1.4.3.2: after writing 0 the driver waits until it reads 0. */
	cc_w8(b, CC_STATUS, 0);
	while (cc_r8(b, CC_STATUS) != 0) {
		if (now_ticks() > end) {
			return false;
		}
	}
	return true;
}

static uint64_t device_features(struct vblk *b)
{
	uint64_t lo;

	cc_w32(b, CC_DFSELECT, 0);
	lo = cc_r32(b, CC_DF);
	cc_w32(b, CC_DFSELECT, 1);
	return lo | (uint64_t)cc_r32(b, CC_DF) << 32;
}

/* 3.1.1 "Driver Requirements: Device Initialization", steps 1-6. */
static bool negotiate(struct vblk *b)
{
	uint64_t offered;

	if (!reset(b)) {
		gputs("vblk: device does not finish its reset");
		return false;
	}
	cc_w8(b, CC_STATUS, ST_ACKNOWLEDGE);
	cc_w8(b, CC_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
	offered = device_features(b);
	if (!(offered & F_VERSION_1)) {
		gputs("vblk: device lacks VIRTIO_F_VERSION_1");
		return false;
	}
	/* ACCESS_PLATFORM (6): the device's DMA goes through the platform's
	 * IOMMU; a device that offers it may refuse a driver that declines. */
	b->features = offered & (F_VERSION_1 | F_ACCESS_PLATFORM);
	cc_w32(b, CC_GFSELECT, 0);
	cc_w32(b, CC_GF, (uint32_t)b->features);
	cc_w32(b, CC_GFSELECT, 1);
	cc_w32(b, CC_GF, (uint32_t)(b->features >> 32));
	cc_w8(b, CC_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
	if (!(cc_r8(b, CC_STATUS) & ST_FEATURES_OK)) {
		gputs("vblk: device refused the features");
		return false;
	}
	return true;
}

static void clear_rings(void)
{
	uint8_t *p = (uint8_t *)&vq;

	for (unsigned i = 0; i < sizeof(vq); i++) {
		p[i] = 0;
	}
	vq.avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

/* 4.1.5.1.3 "Virtqueue Configuration". */
static bool setup_queue(struct vblk *b)
{
	uint16_t max;

	cc_w16(b, CC_Q_SELECT, 0);
	max = cc_r16(b, CC_Q_SIZE);
	/* The descriptor slots assume the whole table (VBLK_QSIZE). */
	if (max < VBLK_QSIZE || cc_r16(b, CC_Q_ENABLE) != 0) {
		gputs("vblk: queue 0 unavailable or too small");
		return false;
	}
	b->qsize = VBLK_QSIZE;
	clear_rings();
	b->avail_idx = b->used_seen = 0;
	b->inflight = 0;
	cc_w16(b, CC_Q_SIZE, b->qsize);
	cc_w16(b, CC_Q_MSIX, NO_VECTOR);
	cc_w16(b, CC_MSIX, NO_VECTOR);
	cc_w64(b, CC_Q_DESC, (uint64_t)vq.desc + b->dma_offset);
	cc_w64(b, CC_Q_AVAIL, (uint64_t)&vq.avail + b->dma_offset);
	cc_w64(b, CC_Q_USED, (uint64_t)&vq.used + b->dma_offset);
	/* 4.1.4.4: the queue's notification address. */
	b->notify = (uint8_t *)(b->notify_base +
				(uint64_t)cc_r16(b, CC_Q_NOFF) * b->notify_mult);
	dsb();
	cc_w16(b, CC_Q_ENABLE, 1);
	return true;
}

bool vblk_init(struct vblk *b)
{
	if (!negotiate(b) || !setup_queue(b)) {
		cc_w8(b, CC_STATUS, ST_FAILED);
		return false;
	}
	cc_w8(b, CC_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK |
				    ST_DRIVER_OK);
	/* 5.2.4: capacity (le64) is the first field of the device config. */
	b->capacity = *(volatile uint32_t *)b->devcfg |
		      (uint64_t)*(volatile uint32_t *)(b->devcfg + 4) << 32;
	return true;
}

static void set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags)
{
	vq.desc[i].addr = addr;
	vq.desc[i].len = len;
	vq.desc[i].flags = flags;
	vq.desc[i].next = (uint16_t)((i + 1) % VBLK_QSIZE);
}

int vblk_submit_sg(struct vblk *b, bool write, uint64_t sector,
		   const struct vblk_seg *seg, unsigned nseg)
{
	/* Slot s uses descriptors VBLK_DESCS * s onwards; slots are taken
	 * round-robin and vblk_wait_all() waits for all, so the next one is
	 * free when fewer than VBLK_MAX_INFLIGHT are in flight. */
	unsigned slot = b->avail_idx % VBLK_MAX_INFLIGHT;
	uint16_t d = (uint16_t)(VBLK_DESCS * slot), head = d;

	if (b->inflight >= VBLK_MAX_INFLIGHT || nseg == 0 ||
	    nseg > VBLK_MAX_SEGS) {
		return -1;
	}
	vq.hdr[slot].type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	vq.hdr[slot].reserved = 0;
	vq.hdr[slot].sector = sector;
	vq.status[slot] = STATUS_UNWRITTEN;
	/* 5.2.6: header (device reads), data, status byte (device writes). */
	set_desc(d++, (uint64_t)&vq.hdr[slot] + b->dma_offset,
		 sizeof(vq.hdr[slot]), VIRTQ_DESC_F_NEXT);
	for (unsigned i = 0; i < nseg; i++) {
		set_desc(d++, seg[i].addr, seg[i].len,
			 VIRTQ_DESC_F_NEXT | (write ? 0 : VIRTQ_DESC_F_WRITE));
	}
	set_desc(d, (uint64_t)&vq.status[slot] + b->dma_offset, 1,
		 VIRTQ_DESC_F_WRITE);
	vq.avail.ring[b->avail_idx % b->qsize] = head;
	/* 2.7.13.2: descriptors and ring entry before the index. */
	dsb();
	b->avail_idx++;
	vq.avail.idx = b->avail_idx;
	b->inflight++;
	/* 2.7.13.3: the index before the notification. */
	dsb();
	*(volatile uint16_t *)b->notify = 0;
	return (int)slot;
}

int vblk_submit(struct vblk *b, bool write, uint64_t sector, uint64_t addr,
		uint32_t len)
{
	struct vblk_seg seg = { addr, len };

	return vblk_submit_sg(b, write, sector, &seg, 1);
}

enum vblk_result vblk_wait_all(struct vblk *b, unsigned timeout_ms)
{
	uint64_t end = now_ticks() + ticks_per_sec() / 1000 * timeout_ms;

	while (b->inflight != 0) {
		uint16_t used = *(volatile uint16_t *)&vq.used.idx;

		if (used != b->used_seen) {
			dsb();
			b->used_seen++;
			b->inflight--;
			continue;
		}
		if (cc_r8(b, CC_STATUS) & ST_NEEDS_RESET) {
			return VBLK_BROKEN;
		}
		if (now_ticks() > end) {
			return VBLK_TIMEOUT;
		}
		__asm__ volatile("yield");
	}
	return VBLK_DONE;
}

uint8_t vblk_status(const struct vblk *b, int slot)
{
	(void)b;
	if (slot < 0 || slot >= (int)VBLK_MAX_INFLIGHT) {
		return STATUS_UNWRITTEN;
	}
	return *(volatile uint8_t *)&vq.status[slot];
}

enum vblk_result vblk_rw_sg(struct vblk *b, bool write, uint64_t sector,
			    const struct vblk_seg *seg, unsigned nseg,
			    unsigned timeout_ms, uint8_t *status)
{
	int slot = vblk_submit_sg(b, write, sector, seg, nseg);
	enum vblk_result r;

	if (slot < 0) {
		*status = STATUS_UNWRITTEN;
		return VBLK_TIMEOUT;
	}
	r = vblk_wait_all(b, timeout_ms);
	*status = vblk_status(b, slot);
	return r;
}

enum vblk_result vblk_rw(struct vblk *b, bool write, uint64_t sector,
			 uint64_t addr, uint32_t len, unsigned timeout_ms,
			 uint8_t *status)
{
	struct vblk_seg seg = { addr, len };

	return vblk_rw_sg(b, write, sector, &seg, 1, timeout_ms, status);
}
