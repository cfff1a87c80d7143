/* SPDX-License-Identifier: MIT */
/*
 * The DMA attack guest (issue 14, section 5). It owns a PCIe virtio-blk
 * device (tests/guests/lib/virtio_pci_blk.c) and aims the device's DMA at
 * memory it does not own. Under Bulkhead the device sits behind the
 * hypervisor's SMMU, which translates its DMA addresses with this
 * partition's stage 2: an address outside the partition's map must fault
 * there. Run natively (no hypervisor, SMMU off), the same code reaches its
 * target: the control that shows the attack really issues DMA.
 *
 * Boot arguments (all optional; without victim-pa it runs the native
 * control, aiming at the middle of the RAM it was given):
 *   victim-pa=A victim-size=N   the victim partition's RAM (physical)
 *   hv-pa=A                     the hypervisor's text (physical)
 *   gicd-pa=A                   the GIC distributor
 *   own-pa=A                    where its own RAM really is: used only if
 *                               DMA at its own addresses fails (no
 *                               translation), to attack all the same
 *   restart-test                the restart test instead (see restart())
 *                               (native: without victim-pa too)
 *
 * Output, one line per step:
 *   dma own: ok (...)                  DMA into its own RAM works (b)
 *   dma victim 0x...: blocked (...)    a target the device could not reach
 *   dma victim 0x...: REACHED (...)    a target the device wrote (a)
 *   hv digest before/after: 0x...      the hypervisor's text digest
 *
 * How a target is judged: a sector holding a pattern is read from the disk
 * into the target (the device writes the target: the attack), then the
 * target is written to a second, cleared sector (the device reads it) and
 * that sector is read into this guest's own RAM. The target was reached if
 * the pattern came back (written), or any other data that is not zero (read:
 * registers such as the GICD's do not keep what was written). A blocked
 * DMA shows in several ways depending on the device: an error status, no
 * completion, a device that needs a reset, or (QEMU's virtio, which
 * bounces a mapping that failed through a zeroed buffer) a completion
 * with status 0 whose data went nowhere and whose reads gave zeros; no
 * data comes back in any of them. The request status is printed as seen.
 */
#include "guest.h"
#include "virtio_pci_blk.h"

#define PAGE 4096u
#define SECTOR VBLK_SECTOR
#define WAIT_MS 500u

/* Disk layout (sectors): own test at 8, targets from 64 (two each), the
 * restart test from 1024. */
#define OWN_SECTOR 8u
#define TARGET_SECTOR 64u
#define RESTART_SECTOR 1024u

/* GICv3 (IHI 0069) 12.9.18 GICD_IPRIORITYR<n>: one byte per INTID. */
#define GICD_IPRIORITYR_232 (0x400u + 232u)

/* Bulkhead vendor hypercall (smmu branch, core/include/hv/psci.h
 * HV_HVC_TEXT_DIGEST): x0 = 0 and x1 = the FNV-1a 64 digest of the
 * hypervisor's text; NOT_SUPPORTED (-1) from a hypervisor without it. */
#define HVC_HV_TEXT_DIGEST 0xc6000001u

static struct dt_info dt;
static struct pci_host host;
static struct vblk blk;
static bool native;
/* Added to own-RAM addresses given to the device: 0 unless the device
 * turned out to see physical addresses untranslated (see attack()). */
static uint64_t own_off;
static const void *dt_blob;

static uint8_t own_out[PAGE] __attribute__((aligned(PAGE)));
static uint8_t own_in[PAGE] __attribute__((aligned(PAGE)));
static uint8_t own_scratch[SECTOR] __attribute__((aligned(SECTOR)));

static void fill(uint8_t *p, unsigned n, uint64_t seed)
{
	for (unsigned i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		p[i] = (uint8_t)(seed >> 56);
	}
}

static unsigned matching(const uint8_t *a, const uint8_t *b, unsigned n)
{
	unsigned same = 0;

	for (unsigned i = 0; i < n; i++) {
		same += a[i] == b[i];
	}
	return same;
}

/* Bytes of @p that are 0 or @fill. */
static unsigned zeros_or(const uint8_t *p, unsigned n, uint8_t fill)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		k += p[i] == 0 || p[i] == fill;
	}
	return k;
}

static const char *result_text(enum vblk_result r)
{
	switch (r) {
	case VBLK_DONE:
		return "completed";
	case VBLK_TIMEOUT:
		return "no completion";
	default:
		return "device needs reset";
	}
}

/* A request that must work: on the guest's own RAM. */
static bool own_rw(bool write, uint64_t sector, void *buf, uint32_t len)
{
	uint8_t st = 0;
	enum vblk_result r =
		vblk_rw(&blk, write, sector, (uint64_t)buf + own_off, len,
			WAIT_MS, &st);

	if (r != VBLK_DONE || st != 0) {
		gprintf("dma own: FAILED (%s %s, status %u)\n",
			write ? "write" : "read", result_text(r), st);
		return false;
	}
	return true;
}

/* (b): a page out of own RAM to the disk and back into another page. */
static bool dma_own(void)
{
	fill(own_out, PAGE, 0x0123456789abcdefULL);
	for (unsigned i = 0; i < PAGE; i++) {
		own_in[i] = 0;
	}
	if (!own_rw(true, OWN_SECTOR, own_out, PAGE) ||
	    !own_rw(false, OWN_SECTOR, own_in, PAGE)) {
		return false;
	}
	if (matching(own_out, own_in, PAGE) != PAGE) {
		gprintf("dma own: FAILED (%u of %u bytes came back)\n",
			matching(own_out, own_in, PAGE), PAGE);
		return false;
	}
	gprintf("dma own: ok (%u bytes out of 0x%lx, back into 0x%lx)\n",
		PAGE, (uint64_t)own_out, (uint64_t)own_in);
	return true;
}

/* After a request that did not complete cleanly the device may hold it
 * forever: start it again. */
static bool recover(enum vblk_result r)
{
	if (r == VBLK_DONE) {
		return true;
	}
	if (!vblk_init(&blk)) {
		gputs("dma: device did not come back after a reset");
		return false;
	}
	return true;
}

/*
 * (a): aim one disk read (the device writes memory) at @tlen bytes at @pa,
 * then read them back through the device as described at the top; the
 * rest of the sector goes to and from this guest's own RAM. A short @tlen
 * makes the device's accesses no wider than a register. Returns true if
 * the target was NOT reached.
 */
static bool dma_target(const char *name, uint64_t pa, uint32_t tlen,
		       unsigned idx)
{
	uint64_t pat_sec = TARGET_SECTOR + 2 * idx, back_sec = pat_sec + 1;
	struct vblk_seg seg[2] = {
		{ pa, tlen },
		{ (uint64_t)own_scratch + own_off, SECTOR - tlen },
	};
	unsigned nseg = tlen < SECTOR ? 2 : 1;
	uint8_t st_w = 0, st_r = 0;
	enum vblk_result rw, rr;
	unsigned same, data;
	bool reached;

	/* The pattern on disk, and the read-back sector cleared. */
	fill(own_out, SECTOR, pa ^ 0xa77ac4ULL);
	for (unsigned i = 0; i < SECTOR; i++) {
		own_in[i] = 0xee;
	}
	if (!own_rw(true, pat_sec, own_out, SECTOR) ||
	    !own_rw(true, back_sec, own_in, SECTOR)) {
		return false;
	}
	rw = vblk_rw_sg(&blk, false, pat_sec, seg, nseg, WAIT_MS, &st_w);
	if (!recover(rw)) {
		return false;
	}
	rr = vblk_rw_sg(&blk, true, back_sec, seg, nseg, WAIT_MS, &st_r);
	if (!recover(rr) || !own_rw(false, back_sec, own_in, SECTOR)) {
		return false;
	}
	same = matching(own_out, own_in, tlen);
	data = tlen - zeros_or(own_in, tlen, 0xee);
	/* The pattern back: the device wrote the target. Other data back:
	 * it read the target. Nothing (zeros, or the cleared sector
	 * untouched): neither. */
	reached = same == tlen || data != 0;
	gprintf("dma %s 0x%lx: %s (write %s status %u, read-back %s status "
		"%u, %u of %u pattern bytes back, %u other bytes)\n",
		name, pa, reached ? "REACHED" : "blocked", result_text(rw),
		st_w, result_text(rr), st_r, same, tlen,
		same == tlen ? 0 : data);
	if (native && same == tlen) {
		/* Natively the CPU can look too; 32 bits suit registers. */
		gprintf("dma %s 0x%lx: the CPU reads 0x%08x there (pattern "
			"0x%08x)\n",
			name, pa, *(volatile uint32_t *)pa,
			*(uint32_t *)own_out);
	}
	return !reached;
}

static bool hv_digest(uint64_t *d)
{
	register uint64_t x0 __asm__("x0") = HVC_HV_TEXT_DIGEST;
	register uint64_t x1 __asm__("x1") = 0;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1)
			 :
			 : "x2", "x3", "memory");
	*d = x1;
	return x0 == 0;
}

static void print_digest(const char *when, bool *have, uint64_t *d)
{
	if (native) {
		*have = false;
		return;
	}
	*have = hv_digest(d);
	if (*have) {
		gprintf("hv digest %s: 0x%016lx\n", when, *d);
	} else {
		gprintf("hv digest %s: not available\n", when);
	}
}

static void attack(void)
{
	uint64_t vpa = arg_num(dt.bootargs, "victim-pa", 0);
	uint64_t vsize = arg_num(dt.bootargs, "victim-size", 0);
	uint64_t hv = arg_num(dt.bootargs, "hv-pa", 0);
	uint64_t gicd = arg_num(dt.bootargs, "gicd-pa", 0);
	uint64_t own_pa = arg_num(dt.bootargs, "own-pa", 0);
	uint64_t d0 = 0, d1 = 0;
	bool have0, have1;
	unsigned blocked = 0, tried = 0;

	print_digest("before", &have0, &d0);
	if (!dma_own() && own_pa != 0) {
		/* The device does not see this guest's addresses as its CPU
		 * does: perhaps nothing translates them. An attacker who
		 * knows where its RAM really is (static partitioning: the
		 * layout is no secret) names physical addresses itself. */
		own_off = own_pa - dt.mem_base;
		blk.dma_offset = own_off;
		if (vblk_init(&blk) && dma_own()) {
			gputs("dma own: works only with physical addresses: "
			      "the device's DMA is NOT translated");
		}
	}
	if (native) {
		/* No hypervisor: "victim" is RAM this guest was not told
		 * about. Nothing stops the device. */
		vpa = dt.mem_base + dt.mem_size / 2;
		vsize = 0;
	}
	tried++;
	blocked += dma_target("victim", vpa, SECTOR, 0);
	if (vsize >= 2ul * PAGE) {
		tried++;
		blocked += dma_target("victim-last", vpa + vsize - PAGE, SECTOR,
				      1);
	}
	if (hv != 0) {
		tried++;
		blocked += dma_target("hv-text", hv, SECTOR, 2);
	}
	if (gicd != 0) {
		/* One 32-bit register, so that a GIC which takes only 32-bit
		 * accesses (QEMU's refuses the wider ones a 512-byte
		 * transfer makes) would take it: the priorities of INTIDs
		 * 232-235, which no partition here uses. */
		tried++;
		blocked += dma_target("gicd", gicd + GICD_IPRIORITYR_232, 4, 3);
	}
	/* Still working for its owner after all that. */
	(void)dma_own();
	print_digest("after", &have1, &d1);
	if (have0 && have1) {
		gprintf("hv digest: %s\n", d0 == d1 ? "unchanged" : "CHANGED");
	}
	gprintf("dma attack: done, %u of %u targets blocked\n", blocked, tried);
}

/* ---- (d) the restart test ---- */

#define RESTART_REGION_OFFSET (16UL << 20)
#define RESTART_CHUNK (256u << 10)
#define RESTART_CHUNKS 4u
#define RESTART_DATA_SECTOR (RESTART_SECTOR + 8u)
#define RESTART_MARKER 0x3154524154534552ULL /* "RESTART1" */
#define PSCI_SYSTEM_RESET 0x84000009u

static uint8_t *restart_region(void)
{
	return (uint8_t *)(dt.mem_base + RESTART_REGION_OFFSET);
}

/* Bytes of the region that are not zero. */
static unsigned long region_dirty(void)
{
	const volatile uint64_t *p = (const uint64_t *)restart_region();
	unsigned long dirty = 0;

	for (unsigned long i = 0; i < RESTART_CHUNKS * RESTART_CHUNK / 8; i++) {
		dirty += p[i] != 0 ? 8 : 0;
	}
	return dirty;
}

/*
 * Incarnation 1: put a pattern on the disk, queue reads of it into the
 * region (the device writes 1 MiB of own RAM), leave a marker on the disk
 * and, without waiting for any of it, call SYSTEM_RESET.
 */
static void restart_first(void)
{
	uint8_t *r = restart_region();
	uint64_t *marker = (uint64_t *)own_out;

	fill(r, RESTART_CHUNKS * RESTART_CHUNK, 0x5eed);
	for (unsigned i = 0; i < RESTART_CHUNKS; i++) {
		if (!own_rw(true, RESTART_DATA_SECTOR + i * RESTART_CHUNK / SECTOR,
			    r + (size_t)i * RESTART_CHUNK, RESTART_CHUNK)) {
			return;
		}
	}
	for (unsigned long i = 0; i < (unsigned long)RESTART_CHUNKS * RESTART_CHUNK; i++) {
		r[i] = 0;
	}
	marker[0] = RESTART_MARKER;
	if (!own_rw(true, RESTART_SECTOR, own_out, SECTOR)) {
		return;
	}
	for (unsigned i = 0; i < RESTART_CHUNKS; i++) {
		(void)vblk_submit(&blk, false,
				  RESTART_DATA_SECTOR + i * RESTART_CHUNK / SECTOR,
				  (uint64_t)(r + (size_t)i * RESTART_CHUNK),
				  RESTART_CHUNK);
	}
	gprintf("restart: incarnation 1: %u reads of %u KiB into 0x%lx queued, "
		"calling SYSTEM_RESET\n",
		RESTART_CHUNKS, RESTART_CHUNK >> 10, (uint64_t)r);
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	gputs("restart: SYSTEM_RESET RETURNED");
}

/*
 * (d): a restart while the partition's device has DMA in flight. The fresh
 * incarnation looks at the region the old one's DMA was aimed at, first
 * before it touches the device (what the restart left), then after it has
 * reset the device (which drains whatever the device still held), and then
 * checks that DMA works again.
 *
 * What it shows: that DMA works after a restart (the hypervisor set the
 * partition's stream up again) and whether data from DMA issued before the
 * restart is in the fresh incarnation's RAM. Under Bulkhead the region must
 * be zero: the restart clears RAM, and QEMU's device finishes these reads
 * long before. Natively it is not: a machine reset does not clear RAM, so
 * the control shows the check sees such data. A device still writing
 * after the clear (slow storage, throttled) would be a different case,
 * which this test does not create.
 */
static void restart(void)
{
	unsigned long before = region_dirty(), after;
	uint64_t *marker = (uint64_t *)own_in;

	if (!vblk_probe(dt_blob, &host, &blk) || !vblk_init(&blk)) {
		return;
	}
	after = region_dirty();
	if (!own_rw(false, RESTART_SECTOR, own_in, SECTOR)) {
		return;
	}
	if (marker[0] != RESTART_MARKER) {
		gprintf("restart: incarnation 1: region 0x%lx: %lu bytes not "
			"zero at boot\n",
			(uint64_t)restart_region(), before);
		restart_first();
		return;
	}
	marker[0] = 0;
	(void)own_rw(true, RESTART_SECTOR, own_in, SECTOR);
	gprintf("restart: incarnation 2: region 0x%lx: %s before the device "
		"reset (%lu bytes not zero), %s after it (%lu)\n",
		(uint64_t)restart_region(), before ? "DIRTY" : "zero", before,
		after ? "DIRTY" : "zero", after);
	if (dma_own()) {
		gputs("restart: done");
	}
}

void guest_main(const void *dtb)
{
	if (!dt_parse(dtb, &dt)) {
		gputs("no valid DTB in x0");
		return;
	}
	dt_blob = dtb;
	native = !arg_has(dt.bootargs, "victim-pa");
	if (arg_has(dt.bootargs, "restart-test")) {
		restart();
		return;
	}
	gprintf("dma attack: RAM 0x%lx+0x%lx, %s\n", dt.mem_base, dt.mem_size,
		native ? "native control (no victim-pa)" : dt.bootargs);
	if (!vblk_probe(dtb, &host, &blk) || !vblk_init(&blk)) {
		return;
	}
	gprintf("vblk: %02x:%02x.%x %04x:%04x (StreamID 0x%x), ECAM 0x%lx%s, "
		"features 0x%lx%s, %lu sectors\n",
		blk.pci.bus, blk.pci.dev, blk.pci.fn, blk.pci.vendor,
		blk.pci.device,
		(blk.pci.bus << 8) | (blk.pci.dev << 3) | blk.pci.fn,
		host.ecam_base, host.from_dt ? "" : " (default)", blk.features,
		(blk.features >> 33) & 1 ? " (ACCESS_PLATFORM)" : "",
		blk.capacity);
	attack();
}

void guest_secondary(uint64_t index)
{
	(void)index;
	for (;;) {
		__asm__ volatile("wfi");
	}
}
