/* SPDX-License-Identifier: MIT */
/*
 * A polled virtio-blk driver over the modern virtio-pci transport, for test
 * guests: one split virtqueue, requests whose data buffer is any 64-bit
 * address the caller names. It checks nothing about that address: the
 * DMA attack guest aims it at memory it does not own.
 *
 * Virtual I/O Device (VIRTIO) Version 1.2 (OASIS): 2.7 "Split Virtqueues",
 * 4.1 "Virtio Over PCI Bus", 5.2 "Block Device".
 */
#ifndef VIRTIO_PCI_BLK_H
#define VIRTIO_PCI_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define VBLK_SECTOR 512u
#define VBLK_QSIZE 16u
/* Data segments per request, and so descriptors: header, data, status. */
#define VBLK_MAX_SEGS 2u
#define VBLK_DESCS (VBLK_MAX_SEGS + 2)
#define VBLK_MAX_INFLIGHT (VBLK_QSIZE / VBLK_DESCS)

/** One piece of a request's data: @len bytes at the device address @addr. */
struct vblk_seg {
	uint64_t addr;
	uint32_t len;
};

/* What became of one request. */
enum vblk_result {
	VBLK_DONE,	/* completed; the status byte says how */
	VBLK_TIMEOUT,	/* no completion within the wait */
	VBLK_BROKEN,	/* the device set DEVICE_NEEDS_RESET */
};

/** The device, its mapped structures and the queue's driver-side state. */
struct vblk {
	struct pci_dev pci;
	volatile uint8_t *common;	/* common configuration structure */
	volatile uint8_t *notify;	/* this queue's notification address */
	volatile uint8_t *isr;
	volatile uint8_t *devcfg;	/* struct virtio_blk_config */
	uint64_t notify_base;
	uint32_t notify_mult;
	/* Added to every address of the library's own ring memory that the
	 * device is given: 0 when the device's addresses are this guest's
	 * (physical or, behind an IOMMU, translated like its own); the
	 * guest's RAM offset if it must name physical addresses itself. */
	uint64_t dma_offset;
	uint64_t features;		/* negotiated */
	uint64_t capacity;		/* in 512-byte sectors */
	uint16_t qsize;
	uint16_t avail_idx;		/* next free avail ring index */
	uint16_t used_seen;		/* used ring entries consumed */
	unsigned inflight;
};

/*
 * Find a virtio-blk PCI function (vendor 0x1af4, device 0x1001 transitional
 * or 0x1042 modern) behind the device tree's ECAM host bridge, place its
 * BARs, enable memory decoding and bus mastering, and locate its virtio
 * capabilities. Returns false with a message printed if any step fails.
 */
bool vblk_probe(const void *dtb, struct pci_host *host, struct vblk *b);

/*
 * Reset the device and bring it up again: features VERSION_1 and, if the
 * device offers it, ACCESS_PLATFORM; queue 0 in this library's static ring
 * memory (guest RAM; its addresses go to the device as they are); no
 * interrupts. Also the way to recover a device that broke. Ring
 * addresses are given to the device plus b->dma_offset. Returns false
 * with a message printed if the device refuses.
 */
bool vblk_init(struct vblk *b);

/*
 * Queue one request: a read (device writes @len bytes at @addr) or a write
 * (device reads them), starting at @sector, and notify the device. @len is a
 * multiple of 512. Returns the request's slot (0..VBLK_MAX_INFLIGHT-1) or
 * -1 if the queue is full. Does not wait.
 */
int vblk_submit(struct vblk *b, bool write, uint64_t sector, uint64_t addr,
		uint32_t len);

/*
 * The same with the data in 1..VBLK_MAX_SEGS pieces, one descriptor each
 * (their lengths add up to a multiple of 512): a piece can be as small as
 * a register, so the device accesses it with accesses no wider.
 */
int vblk_submit_sg(struct vblk *b, bool write, uint64_t sector,
		   const struct vblk_seg *seg, unsigned nseg);

/*
 * Wait up to @timeout_ms (virtual time) for all submitted requests to
 * complete. Returns VBLK_DONE if they all did, else why not.
 */
enum vblk_result vblk_wait_all(struct vblk *b, unsigned timeout_ms);

/* The status byte of slot @slot's last request (0 OK, 1 IOERR, 2 UNSUPP;
 * 0xff: the device never wrote it). */
uint8_t vblk_status(const struct vblk *b, int slot);

/*
 * One request, waited for: submit, then wait up to @timeout_ms. *status
 * gets the status byte (0xff if never written).
 */
enum vblk_result vblk_rw(struct vblk *b, bool write, uint64_t sector,
			 uint64_t addr, uint32_t len, unsigned timeout_ms,
			 uint8_t *status);

/* vblk_rw() with the data in pieces, as vblk_submit_sg(). */
enum vblk_result vblk_rw_sg(struct vblk *b, bool write, uint64_t sector,
			    const struct vblk_seg *seg, unsigned nseg,
			    unsigned timeout_ms, uint8_t *status);

/* The device status register (virtio 1.2, 2.1). */
uint8_t vblk_device_status(const struct vblk *b);

#endif
