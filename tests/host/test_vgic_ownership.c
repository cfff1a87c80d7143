/* SPDX-License-Identifier: MIT */
/*
 * Ownership as an invariant of the virtual GIC: for every distributor and
 * redistributor register family (IGROUPR, ISENABLER, ICENABLER, ISPENDR,
 * ICPENDR, ISACTIVER, ICACTIVER, ICFGR, IPRIORITYR, ITARGETSR, IROUTER,
 * GICv2 SGIR, GICv3 ICC_SGI1R_EL1), at every access width (1, 2, 4, 8
 * bytes: those the register allows and those it refuses), on the GICv2
 * and GICv3 models, a write that names only INTIDs or vCPUs the partition
 * does not have changes nothing: no byte of struct vgic (virqs, want bits,
 * the LR bookkeeping) and no byte of the fake hardware (list registers,
 * physical enables, pends, routes, configuration, kicks). The fake also
 * aborts on any physical operation on an SPI the partition does not own
 * (tests/host/fakes/vgic_hw_fake.c), the same oracle fuzz_vgic runs under.
 *
 * Register layout: IHI 0069H 12.8-12.11 (GICv3), IHI 0048B 4.1.2 and 4.3
 * (GICv2).
 */
#include <stdlib.h>

#include "hv/config.h"
#include "hv/vgic.h"

#include "fakes/vgic_hw_fake.h"
#include "harness.h"

static struct vgic g, before_g;
static struct fake_gic before_fake;

struct family {
	const char *name;
	uint32_t base; /* offset of the register for INTID 0 */
	unsigned bits; /* field width per INTID */
	bool set_clear; /* one bits act, zero bits are ignored */
};

static const struct family dist_families[] = {
	{ "IGROUPR", 0x080, 1, false },	   { "ISENABLER", 0x100, 1, true },
	{ "ICENABLER", 0x180, 1, true },   { "ISPENDR", 0x200, 1, true },
	{ "ICPENDR", 0x280, 1, true },	   { "ISACTIVER", 0x300, 1, true },
	{ "ICACTIVER", 0x380, 1, true },   { "IPRIORITYR", 0x400, 8, false },
	{ "ITARGETSR", 0x800, 8, false },  { "ICFGR", 0xc00, 2, false },
	{ "IROUTER", 0x6000, 64, false },
};

/* INTIDs this partition does not own (fake_partition_cfg(): it owns the
 * device SPIs 48 and 49, the virtual UART's 33 and no PL061): one beside
 * owned ones in the same register, a register with none owned, the
 * first and last SPI the vGIC has, and INTIDs past its SPIs. */
static const uint32_t foreign[] = { 32, 50, 64, 95, 287, 288, 1019 };

/* The partition in a state where a leak would show: delivery on, SPIs 48
 * and 49 group 1 and enabled, 48 pending (in a list register), 49 routed
 * to vCPU 1, a private timer PPI enabled. */
static void setup(uint32_t version)
{
	static struct hv_partition_cfg c;
	uint64_t v;

	fake_partition_cfg(&c);
	fake_reset();
	memset(&g, 0, sizeof(g));
	vgic_init(&g, &c, version, 256, FAKE_LRS);
	v = 2;
	vgic_dist_access(&g, 0, 0x000, 4, true, &v);
	v = 3u << 16 | 1u << 1;
	vgic_dist_access(&g, 0, 0x084, 4, true, &v);
	vgic_dist_access(&g, 0, 0x104, 4, true, &v);
	v = 1u << 16;
	vgic_dist_access(&g, 0, 0x204, 4, true, &v);
	if (version == 3) {
		v = 1;
		vgic_dist_access(&g, 0, 0x6000 + 8 * 49, 8, true, &v);
		v = 1u << 27;
		vgic_redist_access(&g, 0, 0x10080, 4, true, &v);
		vgic_redist_access(&g, 0, 0x10100, 4, true, &v);
	} else {
		v = 2;
		vgic_dist_access(&g, 0, 0x800 + 49, 1, true, &v);
	}
	vgic_flush(&g, 0);
	vgic_flush(&g, 1);
}

static void snapshot(void)
{
	before_g = g;
	before_fake = fake;
}

/* Did the last write leave everything as snapshot() saw it? */
static bool unchanged(void)
{
	return memcmp(&g, &before_g, sizeof(g)) == 0 &&
	       memcmp(&fake, &before_fake, sizeof(fake)) == 0;
}

static void report(int *harness_failed, const char *where, uint32_t version,
		   const char *name, uint32_t intid, unsigned size,
		   uint64_t off, uint64_t val)
{
	char msg[200];

	snprintf(msg, sizeof(msg),
		 "GICv%u %s %s INTID %u: %u-byte write of 0x%llx at 0x%llx "
		 "changed the vGIC or the hardware",
		 version, where, name, intid, size, (unsigned long long)val,
		 (unsigned long long)off);
	harness_report(__FILE__, __LINE__, msg);
	*harness_failed = 1;
}

/*
 * The field of INTID @intid in the @size-byte access at @off of a family
 * with @bits per INTID, as a mask of the access's value (0 if the access
 * does not cover it).
 */
static uint64_t field_mask(const struct family *f, uint32_t intid,
			   uint64_t off, unsigned size)
{
	uint64_t bit = (uint64_t)intid * f->bits; /* from the family's base */
	uint64_t first = (off - f->base) * 8;
	uint64_t ones = f->bits == 64 ? ~0ULL : (1ULL << f->bits) - 1;

	if (bit < first || bit >= first + 8ULL * size) {
		return 0;
	}
	return ones << (bit - first);
}

/* Every width at every foreign INTID of every distributor family; returns
 * how many writes the model accepted (VGIC_OK). */
static unsigned dist_sweep(int *harness_failed, uint32_t version)
{
	unsigned accepted = 0;

	for (size_t fi = 0; fi < sizeof(dist_families) / sizeof(dist_families[0]);
	     fi++) {
		const struct family *f = &dist_families[fi];

		for (size_t k = 0; k < sizeof(foreign) / sizeof(foreign[0]);
		     k++) {
			uint32_t intid = foreign[k];

			for (unsigned size = 1; size <= 8; size *= 2) {
				uint64_t off = f->base +
					       (uint64_t)intid * f->bits / 8;
				uint64_t m, cur = 0, vals[2];

				off &= ~(uint64_t)(size - 1);
				m = field_mask(f, intid, off, size);
				if (m == 0 || off >= 0x10000) {
					continue;
				}
				/* The register's value with the foreign field
				 * all ones, then all zeros; the set and clear
				 * registers: that field's ones only. */
				if (vgic_dist_access(&g, 0, off, size, false,
						     &cur) != VGIC_OK) {
					cur = 0;
				}
				vals[0] = f->set_clear ? m : (cur | m);
				vals[1] = f->set_clear ? m : (cur & ~m);
				for (unsigned j = 0; j < 2; j++) {
					uint64_t v = vals[j];

					snapshot();
					accepted += vgic_dist_access(
							    &g, j, off, size,
							    true, &v) == VGIC_OK;
					if (!unchanged()) {
						report(harness_failed, "GICD",
						       version, f->name, intid,
						       size, off, vals[j]);
						g = before_g;
						fake = before_fake;
					}
				}
			}
		}
	}
	return accepted;
}

TEST(vgic_owner, gicd_families_ignore_foreign_intids_v3)
{
	setup(3);
	EXPECT_TRUE(dist_sweep(harness_failed, 3) > 100);
}

TEST(vgic_owner, gicd_families_ignore_foreign_intids_v2)
{
	setup(2);
	EXPECT_TRUE(dist_sweep(harness_failed, 2) > 100);
}

/*
 * The redistributor frames of vCPUs the partition does not have (it has
 * two; frames 2 to 7 would be other cores'): every family of SGI_base and
 * RD_base at every width is refused or ignored, and changes nothing.
 */
TEST(vgic_owner, gicr_frames_of_absent_vcpus_change_nothing)
{
	static const uint32_t regs[] = {
		0x0000, 0x0014,		       /* GICR_CTLR, GICR_WAKER */
		0x10080, 0x10100, 0x10180, 0x10200, 0x10280, /* IGROUPR0.. */
		0x10300, 0x10380, 0x10400, 0x1041c,	     /* ..IPRIORITYR */
		0x10c00, 0x10c04,		       /* ICFGR0, ICFGR1 */
	};

	setup(3);
	for (uint64_t frame = 2; frame < 8; frame++) {
		for (size_t r = 0; r < sizeof(regs) / sizeof(regs[0]); r++) {
			for (unsigned size = 1; size <= 8; size *= 2) {
				uint64_t off = frame * HV_GUEST_GICR_STRIDE +
					       regs[r];
				uint64_t v = ~0ULL;

				snapshot();
				EXPECT_EQ(vgic_redist_access(&g, 0, off, size,
							     true, &v),
					  VGIC_BAD_ACCESS);
				if (!unchanged()) {
					report(harness_failed, "GICR", 3,
					       "frame", (uint32_t)frame, size,
					       off, ~0ULL);
					g = before_g;
					fake = before_fake;
				}
			}
		}
	}
}

/* SGIs aimed only at vCPUs the partition does not have: GICv3
 * ICC_SGI1R_EL1 (IHI 0069H 12.2.23) with a target list, Aff1-3 or RS
 * naming no vCPU; GICv2 GICD_SGIR (IHI 0048B 4.3.15) with a CPU target
 * list of absent CPUs, and the reserved filter 3. */
TEST(vgic_owner, sgis_to_absent_vcpus_change_nothing)
{
	static const uint64_t sgi1r[] = {
		0xfffc,			       /* vCPUs 2-15 */
		1ULL << 16 | 3,		       /* Aff1 = 1 */
		1ULL << 32 | 3,		       /* Aff2 = 1 */
		1ULL << 48 | 3,		       /* Aff3 = 1 */
		1ULL << 44 | 3,		       /* RS = 1: vCPUs 16-31 */
		5ULL << 24 | 0xff00,	       /* SGI 5 to vCPUs 8-15 */
	};
	static const uint32_t sgir[] = {
		0x00fc0000u, 0x00800007u, 0x03ff000fu,
	};

	setup(3);
	for (size_t i = 0; i < sizeof(sgi1r) / sizeof(sgi1r[0]); i++) {
		for (unsigned self = 0; self < 2; self++) {
			snapshot();
			vgic_sgi1r(&g, self, sgi1r[i]);
			if (!unchanged()) {
				report(harness_failed, "ICC_SGI1R_EL1", 3,
				       "SGI", (uint32_t)(sgi1r[i] >> 24) & 15,
				       8, 0, sgi1r[i]);
			}
		}
	}
	setup(2);
	for (size_t i = 0; i < sizeof(sgir) / sizeof(sgir[0]); i++) {
		for (unsigned size = 1; size <= 8; size *= 2) {
			uint64_t v = sgir[i];

			snapshot();
			(void)vgic_dist_access(&g, 0, 0xf00, size, true, &v);
			if (!unchanged()) {
				report(harness_failed, "GICD", 2, "SGIR",
				       sgir[i] & 15, size, 0xf00, sgir[i]);
				g = before_g;
				fake = before_fake;
			}
		}
	}
}

/* The oracle can fail: the same sweep on an owned INTID changes state. */
TEST(vgic_owner, owned_intid_write_is_seen)
{
	uint64_t v = 1u << 17; /* ICENABLER1: SPI 49 */

	setup(3);
	snapshot();
	vgic_dist_access(&g, 0, 0x184, 4, true, &v);
	EXPECT_TRUE(!unchanged());
	EXPECT_TRUE(!fake.phys_enabled[49]);
}
