/* SPDX-License-Identifier: MIT */
/* Helpers shared by vgic_dist.c and vgic_redist.c. */
#ifndef VGIC_REGS_H
#define VGIC_REGS_H

#include "hv/vgic.h"

enum vgic_bitreg {
	VGIC_R_GROUP,
	VGIC_R_SENABLE,
	VGIC_R_CENABLE,
	VGIC_R_SPEND,
	VGIC_R_CPEND,
	VGIC_R_SACTIVE,
	VGIC_R_CACTIVE,
};

/*
 * Register decode (docs/vgic.md, "Register decode"). Every register
 * family of a GIC frame starts on a 128-byte boundary, so a frame is cut
 * into 128-byte blocks and a byte map (one per frame layout: GICD v2,
 * GICD v3, GICR) names each block's row in a table of families. The row
 * gives the family's handler (a case of the caller's switch), the access
 * sizes it allows, its first register's offset and its field width, so
 * the INTID an access starts at is one subtraction and two shifts away.
 * INTIDs outside the row's [lo, lo + count) and blocks the map does not
 * name are reserved: word access only, read as zero, writes ignored.
 */
enum vgic_reg_kind {
	VGIC_K_RES,	 /* reserved: RAZ/WI */
	VGIC_K_BITS,	 /* one bit per INTID: IGROUPR .. ICACTIVER */
	VGIC_K_PRIO,	 /* one byte per INTID: IPRIORITYR */
	VGIC_K_CFG,	 /* two bits per INTID: ICFGR */
	VGIC_K_TARGETS,	 /* GICv2 ITARGETSR: one byte per INTID */
	VGIC_K_ROUTER,	 /* GICv3 IROUTER: 64 bits per INTID */
	VGIC_K_SGI,	 /* GICv2 SGIR, CPENDSGIR, SPENDSGIR */
	VGIC_K_CTL,	 /* GICD: CTLR, TYPER, IIDR, TYPER2 */
	VGIC_K_RD_CTL,	 /* GICR RD_base: CTLR, IIDR, TYPER, WAKER */
	VGIC_K_ID,	 /* the ID registers (PIDR2) */
};

struct vgic_reg_row {
	uint8_t kind;	/* enum vgic_reg_kind */
	uint8_t shift;	/* log2 of the field width in bits */
	uint16_t sizes; /* access sizes allowed: bit n for n bytes */
	uint8_t reg;	/* VGIC_K_BITS: enum vgic_bitreg */
	uint32_t base;	/* frame offset of the family's register 0 */
	uint16_t lo;	/* first INTID implemented here */
	uint16_t count; /* INTIDs implemented here from lo */
};

/* Handlers the decode tail-calls: kept out of line, so the decode and the
 * registers it answers itself need no stack frame. */
#define VGIC_OUT_OF_LINE __attribute__((noinline))

#define VGIC_SZ(n) (1u << (n))
#define VGIC_BLOCK(off) ((off) >> 7)

/* Rows for families and for blocks of single registers. */
#define VGIC_ROW_IRQ(k, sz, sh, r, b, l, n)                                  \
	{ .kind = (k), .sizes = (sz), .shift = (sh), .reg = (r),             \
	  .base = (b), .lo = (l), .count = (n) }
#define VGIC_ROW_BITS(r, b, l, n)                                            \
	VGIC_ROW_IRQ(VGIC_K_BITS, VGIC_SZ(4), 0, (r), (b), (l), (n))
/* The seven one-bit families, as rows @row0.. and as map entries: one
 * block each from IGROUPR at @b (GICD 0x080 or GICR SGI_base + 0x080), in
 * enum vgic_bitreg order: ISENABLER at + 0x080, ICENABLER + 0x100, ISPENDR
 * + 0x180, ICPENDR + 0x200, ISACTIVER + 0x280, ICACTIVER + 0x300. */
_Static_assert(VGIC_R_CACTIVE == 6, "seven one-bit families in order");
#define VGIC_ROWS_BITS(row0, b, l, n)                                        \
	[(row0) + VGIC_R_GROUP] = VGIC_ROW_BITS(VGIC_R_GROUP, (b), l, n),    \
	[(row0) + VGIC_R_SENABLE] =                                          \
		VGIC_ROW_BITS(VGIC_R_SENABLE, (b) + 0x080, l, n),            \
	[(row0) + VGIC_R_CENABLE] =                                          \
		VGIC_ROW_BITS(VGIC_R_CENABLE, (b) + 0x100, l, n),            \
	[(row0) + VGIC_R_SPEND] =                                            \
		VGIC_ROW_BITS(VGIC_R_SPEND, (b) + 0x180, l, n),              \
	[(row0) + VGIC_R_CPEND] =                                            \
		VGIC_ROW_BITS(VGIC_R_CPEND, (b) + 0x200, l, n),              \
	[(row0) + VGIC_R_SACTIVE] =                                          \
		VGIC_ROW_BITS(VGIC_R_SACTIVE, (b) + 0x280, l, n),            \
	[(row0) + VGIC_R_CACTIVE] =                                          \
		VGIC_ROW_BITS(VGIC_R_CACTIVE, (b) + 0x300, l, n)
#define VGIC_MAP_BITS(row0, b)                                               \
	[VGIC_BLOCK(b) + 0] = (row0) + 0, [VGIC_BLOCK(b) + 1] = (row0) + 1,  \
	[VGIC_BLOCK(b) + 2] = (row0) + 2, [VGIC_BLOCK(b) + 3] = (row0) + 3,  \
	[VGIC_BLOCK(b) + 4] = (row0) + 4, [VGIC_BLOCK(b) + 5] = (row0) + 5,  \
	[VGIC_BLOCK(b) + 6] = (row0) + 6
/* A block of single registers at @b, each its own case of the handler,
 * which gets the byte offset in the block in place of an INTID. */
#define VGIC_ROW_ONE(k, sz, b)                                               \
	VGIC_ROW_IRQ((k), (sz), 3, 0, (b), 0, 0x80)

/**
 * The row for an access of @size bytes at offset @off of a frame that
 * @map covers, and in @intid the INTID (for a block of single registers,
 * the byte offset in the block) it starts at. NULL: the access size is
 * not allowed there. Row 0 of every table is the reserved row. Constant
 * time: two loads, one subtraction, two shifts and two compares.
 */
static inline const struct vgic_reg_row *
vgic_decode(const uint8_t *map, const struct vgic_reg_row *rows,
	    uint32_t off, unsigned size, uint32_t *intid)
{
	const struct vgic_reg_row *r = &rows[map[VGIC_BLOCK(off)]];
	uint32_t n = ((off - r->base) << 3) >> r->shift;

	if (n - r->lo >= r->count) {
		r = &rows[0];
	}
	if (size > 8 || ((r->sizes >> size) & 1) == 0) {
		return NULL;
	}
	*intid = n;
	return r;
}

enum vgic_result vgic_bits_access(struct vgic *g, unsigned self,
				  unsigned vcpu, uint32_t first,
				  enum vgic_bitreg reg, bool write, uint64_t *val);
enum vgic_result vgic_prio_access(struct vgic *g, unsigned self,
				  unsigned vcpu, uint32_t intid,
				  unsigned size, bool write, uint64_t *val);
enum vgic_result vgic_cfg_access(struct vgic *g, unsigned self,
				 unsigned vcpu, uint32_t first, bool write,
				 uint64_t *val);

/**
 * An access the decode gave row @r and start INTID @intid, of one of the
 * families the distributor and the redistributors share or reserved, to
 * the registers of vCPU @vcpu (the redistributor's; the accessing vCPU's
 * in the distributor) by vCPU @self. The size is already checked. Inline:
 * its switch joins the caller's, and the handler is a tail call.
 */
static inline enum vgic_result
vgic_irq_access(struct vgic *g, unsigned self, unsigned vcpu,
		const struct vgic_reg_row *r, uint32_t intid, unsigned size,
		bool write, uint64_t *val)
{
	switch (r->kind) {
	case VGIC_K_BITS:
		return vgic_bits_access(g, self, vcpu, intid,
					(enum vgic_bitreg)r->reg, write, val);
	case VGIC_K_PRIO:
		return vgic_prio_access(g, self, vcpu, intid, size, write,
					val);
	case VGIC_K_CFG:
		return vgic_cfg_access(g, self, vcpu, intid, write, val);
	default: /* reserved */
		if (!write) {
			*val = 0;
		}
		return VGIC_OK;
	}
}

/* Identification. */

#endif /* VGIC_REGS_H */
