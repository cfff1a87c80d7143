/* SPDX-License-Identifier: MIT */
/*
 * Virtual GIC (docs/vgic.md, docs/adr/0002-vgic.md).
 *
 * Each partition has an emulated distributor (and, for GICv3, one emulated
 * redistributor per vCPU) holding the virtual state of every interrupt it
 * owns: its vCPUs' SGIs and PPIs, the SPIs of its passthrough devices and
 * of its virtual UART. Interrupts it does not own read as zero and ignore
 * writes. Delivery uses the list registers (LRs) of the core the target
 * vCPU is pinned to; physical interrupts (device SPIs, timer PPIs) are
 * injected with the HW bit so the guest's EOI deactivates them.
 *
 * Per-interrupt state machine (virq.flags, "in LR" = virq.lr >= 0):
 *
 *   software state         in LR?  LR state   meaning
 *   inactive               no      -          idle
 *   pending                no      -          waiting for an LR (want bit)
 *   pending                yes     P          delivered, not acknowledged
 *   active                 yes     A          guest is handling it
 *   active+pending         yes     AP         handling it, and pended again
 *
 * While a virq is in an LR the LR is authoritative; only the core owning
 * that LR reads or writes it ("folds" it back into virq.flags). Changes made
 * from elsewhere (another vCPU's MMIO, a device, a remote SGI) are recorded
 * as requests on the virq and the owner core is kicked; it applies them in
 * vgic_flush() before re-entering its guest. All state is protected by the
 * partition's vgic.lock.
 */
#ifndef HV_VGIC_H
#define HV_VGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/config.h"
#include "hv/spinlock.h"

#define VGIC_PRIVATE 32	   /* SGIs 0-15, PPIs 16-31 */
#define VGIC_MAX_SPIS 256  /* INTIDs 32..287 */
#define VGIC_MAX_INTID (VGIC_PRIVATE + VGIC_MAX_SPIS)
#define VGIC_MAX_LRS 16
#define VGIC_MAX_VCPUS 8
#define VGIC_NO_IRQ 0xffffu
#define VGIC_WANT_WORDS ((VGIC_MAX_INTID + 63) / 64)

#define VGIC_UART_INTID HV_GUEST_UART_INTID /* the virtual PL011 */
#define VGIC_VTIMER_INTID 27
#define VGIC_PTIMER_INTID 30
#define VGIC_MAINT_INTID 25

/* virq.flags */
#define VIRQ_ENABLED (1u << 0)
#define VIRQ_PENDING (1u << 1) /* latch: edge, ISPENDR, SGI, HW arrival */
#define VIRQ_ACTIVE (1u << 2)
#define VIRQ_EDGE (1u << 3)   /* ICFGR: edge-triggered */
#define VIRQ_HW (1u << 4)     /* backed by a physical interrupt */
#define VIRQ_LINE (1u << 5)   /* level line of an emulated device */
#define VIRQ_OWNED (1u << 6)  /* the partition owns it */
#define VIRQ_GROUP1 (1u << 7)

/* virq.req: changes to apply to an interrupt that sits in an LR */
#define VREQ_PEND_SET (1u << 0)
#define VREQ_PEND_CLR (1u << 1)
#define VREQ_ACT_SET (1u << 2)
#define VREQ_ACT_CLR (1u << 3)
#define VREQ_REFRESH (1u << 4) /* priority or enable changed */

/** One virtual interrupt. */
struct virq {
	uint16_t intid;
	uint16_t pintid; /* physical INTID when VIRQ_HW */
	uint8_t flags;
	uint8_t req;
	uint8_t prio;	 /* as the guest wrote it (8 bits) */
	int8_t lr;	 /* LR index on lr_vcpu's core, or -1 */
	uint8_t lr_vcpu;
	uint8_t target;	 /* SPIs: vCPU it is routed to */
	uint8_t targets; /* GICv2 ITARGETSR byte as written */
	uint8_t sgi_src; /* GICv2 SGIs: pending source vCPUs */
	uint8_t lr_src;	 /* GICv2 SGIs: source of the one in the LR */
	uint8_t sgi_again; /* GICv2 SGIs: sources that sent again while
			    * their instance sat in an LR */
	bool sgi_taken;	 /* GICv2 SGIs: the LR's instance was acknowledged */
	bool soft;	 /* HW: pended by the guest (ISPENDR), not its line */
} __attribute__((aligned(8))); /* virq_init() stores it as two words; the
				* arrays of it already sit at multiples
				* of 8 in struct vgic_vcpu and struct vgic */

/** Decoded list register (GICv3 ICH_LR<n>_EL2 / GICv2 GICH_LR<n>). */
struct lr_val {
	uint32_t vintid;
	uint32_t pintid; /* with hw */
	uint8_t prio;
	uint8_t state; /* LR_STATE_* */
	bool hw;
	bool group1;
	bool eoi_maint; /* maintenance interrupt on EOI (not with hw) */
	uint8_t src;	/* GICv2 SGI source CPU */
};

#define LR_STATE_P 1u
#define LR_STATE_A 2u

/** Per-vCPU virtual GIC state. */
struct vgic_vcpu {
	struct virq priv[VGIC_PRIVATE];
	uint16_t lr_intid[VGIC_MAX_LRS]; /* virq in each LR, or VGIC_NO_IRQ */
	uint64_t want[VGIC_WANT_WORDS];	 /* deliverable, not in an LR */
	bool dirty;			 /* an in-LR virq has requests */
	uint32_t gicr_waker;		 /* GICR_WAKER.ProcessorSleep */
	uint32_t gicr_ctlr;
	uint32_t pcpu;			 /* core it runs on */
	uint8_t v2_cpumask;		 /* physical GICv2 CPU interface bit */
	/*
	 * The exception vector's injection fast path (arch/arm64/vectors.S,
	 * irq_entry; gicv3_fast.S, gicv2_fast.S): while fast_irq is not 0, a
	 * physical interrupt whose INTID is fast_irq's low 32 bits goes
	 * straight into LR fast_irq >> 32 as the value fast_lr, if that LR is
	 * empty. Where that value asks for EOI maintenance (!hw_eoi), a
	 * maintenance interrupt raised by that LR alone is handled there too.
	 * Written only on this vCPU's core, with g->lock (vgic/vgic.c,
	 * fast_arm()); read by the vector on the same core without it.
	 */
	uint64_t fast_irq;
	uint64_t fast_lr;
	/*
	 * SGIs sent through the light exits (vgic_sgi_post()) and not yet
	 * made pending in this vCPU's state: bit (src % 4) * 16 + INTID of
	 * word src / 4 for source vCPU src (on a GICv3 every source posts as
	 * 0: the SGI's state does not record it). Any core of the partition
	 * sets bits with an atomic OR and then rings this core's doorbell
	 * (vgic_hw_doorbell()); this core takes them with an atomic exchange
	 * in C (vgic_sgi_drain(), with g->lock) or in the vector (below).
	 * Cleared at vgic_reset_state().
	 */
	uint64_t sgi_mbox[2];
	/*
	 * The vector's SGI fast path (gicv3_fast.S, gicv2_fast.S): while
	 * fast_sgi_bit is not 0, a doorbell that finds exactly that bit in
	 * sgi_mbox[0] and nothing in sgi_mbox[1] takes it and, if LR
	 * fast_sgi_idx is empty, writes fast_sgi_lr there: the last instance
	 * of that SGI from that source, which the general path loaded into
	 * that LR with exactly that value (fast_arm_sgi() in vgic.c), is
	 * over. Armed and disarmed like fast_irq, on this core with g->lock.
	 */
	uint64_t fast_sgi_bit;
	uint64_t fast_sgi_lr;
	uint64_t fast_sgi_idx;
	/*
	 * For the vector's ICC_SGI1R_EL1 write (vectors.S, guest_sync), set
	 * once by vgic_init() on a GICv3 (all 0 on a GICv2, where the vector
	 * leaves that write to C): the physical ICC_SGI1R_EL1 value that
	 * rings this vCPU's core's doorbell, the partition's vCPU 0 entry
	 * (its fast_irq: the vector finds vCPU t's at t * sizeof(struct
	 * vgic_vcpu) from it), and the vCPUs an SGI may name (bit i: vCPU i)
	 * with a target list, and with IRM = 1 (all but this one).
	 */
	uint64_t doorbell_sgi1r;
	uint64_t *cpu0_fast;
	uint32_t sgi1r_all;
	uint32_t sgi1r_others;
	/*
	 * For the GICv2 vector (gicv2_fast.S), set once by vgic_init(): the
	 * physical GICC and GICH bases (vgic_hw_fast_bases(); 0 on a GICv3),
	 * loaded with one LDP instead of from the board configuration.
	 */
	uint64_t fast_gic[2];
	/*
	 * A level-sensitive HW SPI was made pending while the guest had
	 * IRQs masked, so its line may fall before the guest can take it
	 * with no exit in between: the guest's acknowledge traps (GICv3
	 * ICH_HCR_EL2.TALL1; GICv2: the GICC page holding GICV_IAR is
	 * unmapped, struct vgic, gicv_trap) and the line is sampled again
	 * first. See vgic_latched_masked(). This vCPU's core only, with
	 * g->lock.
	 */
	bool ack_check;
};

/** A partition's virtual GIC. */
struct vgic {
	struct spinlock lock;
	uint32_t version;   /* 2 or 3 */
	uint32_t vcpu_count;
	uint32_t spi_count; /* SPIs exposed (multiple of 32) */
	uint32_t ctlr;	    /* GICD_CTLR */
	uint32_t lr_count;
	uint32_t gicd_typer; /* vgic_dist_typer(), set by vgic_init() */
	uint8_t prio_mask; /* priority bits the virtual CPU interface has */
	/* The GIC deactivates a HW interrupt's physical side at the guest's
	 * EOI and re-signals it if still pending. If not (QEMU's GICv2),
	 * HW-backed virqs go in LRs with HW 0 and EOI 1, and the hypervisor
	 * deactivates the physical interrupt on the maintenance interrupt
	 * (the vector's fast path, or vgic_sync()). */
	bool hw_eoi;
	bool fast_ok; /* the vector can inject: vgic_hw_fast_irq() */
	/* GICv2: the vCPUs (bit per index) with ack_check set. While any
	 * is, the first page of the partition's GICC window is out of its
	 * stage 2 (vgic_hw_gicv_trap()), so every vCPU's GICV accesses there
	 * trap and are emulated (vgic_gicv_access()). With g->lock. */
	uint32_t gicv_trap;
	uint64_t injected; /* interrupts made pending for the guest, ever:
			    * forwarded physical ones, SGIs, emulated device
			    * line rises (not guest ISPENDR writes) */
	struct vgic_vcpu cpu[VGIC_MAX_VCPUS];
	struct virq spi[VGIC_MAX_SPIS];
};

enum vgic_result {
	VGIC_OK,
	VGIC_BAD_ACCESS, /* width or alignment the register does not allow */
};

/* Setup and lifecycle (vgic/vgic.c). */
struct hv_partition_cfg;
void vgic_init(struct vgic *g, const struct hv_partition_cfg *c,
	       uint32_t version, uint32_t board_spis, uint32_t lr_count);
void vgic_reset_state(struct vgic *g);

/* Run-time operations; @self is the calling vCPU's index or -1 for a
 * caller that is no vCPU of this partition (console input). */
void vgic_phys_irq(struct vgic *g, unsigned self, uint32_t pintid);
void vgic_latched_masked(struct vgic *g, unsigned self, uint32_t pintid);
void vgic_ack_trap(struct vgic *g, unsigned self);
bool vgic_gicv_access(struct vgic *g, unsigned self, uint64_t off,
		      unsigned size, bool write, uint64_t *val);
bool vgic_inject_private_hw(struct vgic *g, unsigned self, uint32_t intid);
void vgic_set_line(struct vgic *g, int self, uint32_t intid, bool level);
void vgic_send_sgi(struct vgic *g, unsigned self, uint32_t sgi,
		   uint32_t target_mask);
void vgic_sgi_post(struct vgic *g, unsigned self, uint32_t sgi,
		   uint32_t target_mask);
bool vgic_sgi_drain(struct vgic *g, unsigned self);
uint32_t vgic_sgi1r_targets(const struct vgic *g, unsigned self,
			    uint64_t val);
uint32_t vgic_sgir_targets(const struct vgic *g, unsigned self,
			   uint32_t val);

/* Is an SGI posted to vCPU @self waiting in its mailbox? */
static inline bool vgic_sgi_posted(struct vgic *g, unsigned self)
{
	return (__atomic_load_n(&g->cpu[self].sgi_mbox[0], __ATOMIC_RELAXED) |
		__atomic_load_n(&g->cpu[self].sgi_mbox[1], __ATOMIC_RELAXED)) !=
	       0;
}
void vgic_maintenance(struct vgic *g, unsigned self);
void vgic_flush(struct vgic *g, unsigned self);
void vgic_sync(struct vgic *g, unsigned self);
void vgic_vcpu_power_on(struct vgic *g, unsigned self);
void vgic_update_all(struct vgic *g, unsigned self);

/**
 * Does vCPU @self's core have anything to do before entering its guest: a
 * deliverable interrupt not yet in a list register, or a change recorded
 * on one that is? Read without the lock: a core that sets either for
 * another vCPU also kicks that vCPU's core, so a change missed here comes
 * as an interrupt exit right after the return to the guest. Inline and
 * unrolled: it runs on every exit.
 */
static inline bool vgic_has_work(struct vgic *g, unsigned self)
{
	struct vgic_vcpu *c = &g->cpu[self];
	uint64_t any = 0;

	_Static_assert(VGIC_WANT_WORDS == 5, "vgic_has_work reads 5 words");
	any |= __atomic_load_n(&c->want[0], __ATOMIC_RELAXED);
	any |= __atomic_load_n(&c->want[1], __ATOMIC_RELAXED);
	any |= __atomic_load_n(&c->want[2], __ATOMIC_RELAXED);
	any |= __atomic_load_n(&c->want[3], __ATOMIC_RELAXED);
	any |= __atomic_load_n(&c->want[4], __ATOMIC_RELAXED);
	return any != 0 || __atomic_load_n(&c->dirty, __ATOMIC_RELAXED);
}

/* Register emulation (vgic/vgic_dist.c, vgic/vgic_redist.c). */
enum vgic_result vgic_dist_access(struct vgic *g, unsigned self,
				  uint64_t off, unsigned size, bool write,
				  uint64_t *val);
uint32_t vgic_dist_typer(const struct vgic *g);

/* Distributor registers answered without per-interrupt state (IHI 0069H
 * 12.9; IHI 0048B 4.3). */
#define VGICD_CTLR 0x0000
#define VGICD_TYPER 0x0004
#define VGICD_IIDR 0x0008
#define VGICD_PIDR2 0xffe8
#define VGICD_CTLR_ARE (1u << 4)
#define VGICD_CTLR_DS (1u << 6)
#define VGIC_IIDR 0x4200043bu /* product 0x42 ('B'ulkhead), Arm JEP106 */

/* GICD_CTLR, GICD_TYPER, GICD_IIDR: read-only but for CTLR's enable
 * bits; anything else in their block reads as zero. */
static inline uint32_t vgic_dist_ctl_read(const struct vgic *g, uint32_t off)
{
	switch (off) {
	case VGICD_CTLR: /* stored whole: see vgic_dist_read_nolock() */
		return __atomic_load_n(&g->ctlr, __ATOMIC_RELAXED) |
		       (g->version == 3 ? VGICD_CTLR_ARE | VGICD_CTLR_DS : 0);
	case VGICD_TYPER:
		return g->gicd_typer;
	case VGICD_IIDR:
		return VGIC_IIDR;
	default:
		return 0;
	}
}

/*
 * The identification block: GICD_PIDR4-7 (0xfd0-0xfdc), GICD_PIDR0-3
 * (0xfe0-0xfec) and GICD_CIDR0-3 (0xff0-0xffc) of a 4 KiB GICv2
 * distributor (IHI 0048B 4.3.1 register map, "Identification registers",
 * and Table 4-1), the same twelve words at 0xffd0-0xfffc of a 64 KiB GICv3
 * frame (IHI 0069H 12.8, 12.1.4 "GIC register names": PIDR and CIDR).
 * Values: the Arm CoreSight component class (CIDR0-3 0x0d, 0xf0, 0x05,
 * 0xb1); JEP106 identity of Arm, as GICD_IIDR says (continuation code 4 in
 * PIDR4[3:0], identity 0x3b split over PIDR1[7:4] and PIDR2[2:0], PIDR2
 * bit 3 "JEDEC assigned"); PIDR2.ArchRev (bits 7:4) the GIC version; the
 * part number GICD_IIDR.ProductID (0x42) in PIDR0 and PIDR1[3:0]; PIDR4
 * [7:4] the frame's size as log2 of its 4 KiB blocks (v2 one, v3 16). So
 * GICD_PIDR2 reads 0x2b on a GICv2 and 0x3b on a GICv3, as on Arm's and
 * QEMU's GICs.
 */
#define VGIC_ID_WORDS 12
#define VGIC_ID_BASE_V2 0x0fd0
#define VGIC_ID_BASE_V3 0xffd0

/* Offset of the ID block in a version's distributor (and, v3, RD_base). */
static inline uint32_t vgic_id_base(uint32_t version)
{
	return version == 3 ? VGIC_ID_BASE_V3 : VGIC_ID_BASE_V2;
}

/* The ID register at @off (any offset: 0 outside the block). */
static inline uint32_t vgic_id_read(uint32_t version, uint64_t off)
{
	uint64_t i = (off - vgic_id_base(version)) / 4;

	if (off < vgic_id_base(version) || i >= VGIC_ID_WORDS || (off & 3)) {
		return 0;
	}
	switch (i) {
	case 0: /* PIDR4: 4 KiB count, JEP106 continuation code */
		return version == 3 ? 0x44 : 0x04;
	case 4: /* PIDR0: part number [7:0] */
		return VGIC_IIDR >> 24;
	case 5: /* PIDR1: JEP106 identity [3:0], part number [11:8] */
		return 0xb0;
	case 6: /* PIDR2: ArchRev, JEDEC, JEP106 identity [6:4] */
		return version << 4 | 0x8 | 0x3;
	case 8: /* CIDR0-3: component class "generic IP", preamble */
		return 0x0d;
	case 9:
		return 0xf0;
	case 10:
		return 0x05;
	case 11:
		return 0xb1;
	default: /* PIDR5-7, PIDR3 */
		return 0;
	}
}

static inline uint32_t vgic_dist_id_read(const struct vgic *g, uint64_t off)
{
	return vgic_id_read(g->version, off);
}

/**
 * A 32-bit read of GICD_CTLR, TYPER, IIDR, TYPER2 or an ID register
 * (0xffd0-0xfffc), answered as vgic_dist_access() answers it but without
 * the lock, for the exit's light path (inline there): these reads change
 * nothing, and only GICD_CTLR's value can change, a word stored whole
 * with the lock held and loaded here atomically, so the value is one the
 * register had. False, with nothing read, for any other access.
 */
static inline bool vgic_dist_read_nolock(const struct vgic *g, uint64_t off,
					 unsigned size, uint64_t *val)
{
	if (size != 4 || (off & 3) != 0) {
		return false;
	}
	if (off < 0x10) {
		*val = vgic_dist_ctl_read(g, (uint32_t)off);
	} else if (off >= vgic_id_base(g->version) &&
		   off < vgic_id_base(g->version) + 4 * VGIC_ID_WORDS) {
		*val = vgic_dist_id_read(g, off);
	} else {
		return false;
	}
	return true;
}
enum vgic_result vgic_redist_access(struct vgic *g, unsigned self,
				    uint64_t off, unsigned size, bool write,
				    uint64_t *val);
void vgic_sgi1r(struct vgic *g, unsigned self, uint64_t val);

/* Internal helpers shared by the vgic files. */
struct virq *vgic_virq(struct vgic *g, unsigned vcpu, uint32_t intid);
void vgic_changed(struct vgic *g, unsigned self, struct virq *q,
		  unsigned vcpu, uint8_t req);
void vgic_set_enable(struct vgic *g, unsigned self, struct virq *q,
		     unsigned vcpu, bool on);
void vgic_set_pending(struct vgic *g, unsigned self, struct virq *q,
		      unsigned vcpu, bool on);
void vgic_set_active(struct vgic *g, unsigned self, struct virq *q,
		     unsigned vcpu, bool on);
bool vgic_is_pending(struct vgic *g, const struct virq *q, unsigned vcpu);
bool vgic_is_active(struct vgic *g, const struct virq *q, unsigned vcpu);
void vgic_set_target(struct vgic *g, unsigned self, struct virq *q,
		     unsigned vcpu);

/*
 * Hardware hooks, implemented per GIC version in arch/arm64/ (and by fakes
 * in the host tests). LR functions act on the calling core only.
 */
struct lr_val vgic_hw_lr_read(unsigned i);
void vgic_hw_lr_write(unsigned i, const struct lr_val *lr);
uint32_t vgic_hw_lr_empty(void); /* bit i: LR i holds no state */
void vgic_hw_underflow_irqs(bool npie, bool uie, bool trap_ack);
void vgic_hw_kick(uint32_t pcpu);
void vgic_hw_doorbell(uint32_t pcpu); /* see struct vgic_vcpu, sgi_mbox */
uint64_t vgic_hw_doorbell_sgi1r(uint32_t pcpu); /* GICv3 only, else 0 */
void vgic_hw_enable(uint32_t pintid, uint32_t pcpu, bool on);
bool vgic_hw_is_pending(uint32_t pintid, uint32_t pcpu);
void vgic_hw_pend(uint32_t pintid, uint32_t pcpu, bool on);
void vgic_hw_deactivate(uint32_t pintid);
void vgic_hw_clear_active(uint32_t pintid, uint32_t pcpu);
void vgic_hw_route(uint32_t pintid, uint32_t pcpu);
void vgic_hw_config(uint32_t pintid, bool edge);
uint32_t vgic_hw_current_pcpu(void);
bool vgic_hw_lr_deactivates(void); /* see struct vgic, hw_eoi */
uint64_t vgic_hw_lr_encode(const struct lr_val *lr);
bool vgic_hw_fast_irq(void); /* see struct vgic_vcpu, fast_irq */
/* The vector's fast paths may run on this core: no speculation workaround
 * has to run on every exit (struct pcpu, exit_mitigation). */
bool vgic_hw_fast_now(void);
void vgic_hw_fast_bases(uint64_t base[2]); /* see struct vgic_vcpu, fast_gic */
/* GICv2: take the GICC page holding GICV_IAR out of @g's partition's
 * stage 2 (@on) or put it back; on one of that partition's cores. */
void vgic_hw_gicv_trap(struct vgic *g, bool on);
/* GICv2: a word of this core's GICV frame, at @off of its first page. */
uint32_t vgic_hw_gicv_read(uint32_t off);
void vgic_hw_gicv_write(uint32_t off, uint32_t val);

/* GICV_IAR, GICV_HPPIR, GICV_AIAR, GICV_AHPPIR (IHI 0048B 4.4, Table
 * 4-2; 5.4, the GICV registers are the GICC ones). */
#define VGICV_IAR 0x0c
#define VGICV_HPPIR 0x18
#define VGICV_AIAR 0x20
#define VGICV_AHPPIR 0x28
#define VGICV_TRAP_SIZE 0x1000u

#endif /* HV_VGIC_H */
