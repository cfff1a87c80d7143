/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the virtual GIC: register decode, ownership, the
 * per-interrupt state machine and list-register management, against the
 * fake hardware in fakes/vgic_hw_fake.c (four list registers).
 */
#include "hv/config.h"
#include "hv/vgic.h"

#include "arch/gicv2.h"
#include "arch/gicv3.h"

#include "fakes/vgic_hw_fake.h"
#include "harness.h"

static struct vgic g;

/* Two vCPUs on cores 2 and 3; owns device SPIs 48 and 49 (HW). On a GIC
 * that does not deactivate HW interrupts at the guest's EOI if @no_hw_eoi. */
static void setup_gic(uint32_t version, bool no_hw_eoi)
{
	static struct hv_partition_cfg c;

	fake_partition_cfg(&c);
	fake_reset();
	fake.no_hw_eoi = no_hw_eoi;
	memset(&g, 0, sizeof(g));
	vgic_init(&g, &c, version, 256, FAKE_LRS);
}

static void setup(uint32_t version)
{
	setup_gic(version, false);
}

static uint64_t dist(unsigned self, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	if (vgic_dist_access(&g, self, off, size, false, &v) != VGIC_OK) {
		return ~0ULL;
	}
	return v;
}

static enum vgic_result dist_w(unsigned self, uint64_t off, unsigned size,
			       uint64_t v)
{
	return vgic_dist_access(&g, self, off, size, true, &v);
}

static uint64_t redist(unsigned self, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	if (vgic_redist_access(&g, self, off, size, false, &v) != VGIC_OK) {
		return ~0ULL;
	}
	return v;
}

static void redist_w(unsigned self, uint64_t off, uint32_t v)
{
	uint64_t x = v;

	vgic_redist_access(&g, self, off, 4, true, &x);
}

/* Enable group 1 delivery and make INTIDs 32..95 group 1. */
static void enable_all_group1(void)
{
	dist_w(0, 0x000, 4, 2);
	dist_w(0, 0x084, 4, ~0u);
	dist_w(0, 0x088, 4, ~0u);
	redist_w(0, 0x10080, ~0u);
	redist_w(1, 0x20000 + 0x10080, ~0u);
}

TEST(vgic, identification_registers)
{
	setup(3);
	EXPECT_EQ(dist(0, 0x004, 4) & 0x1f, 8); /* 256 SPIs: 9 x 32 - 1 */
	EXPECT_EQ((dist(0, 0x004, 4) >> 5) & 7, 1);
	EXPECT_EQ((dist(0, 0x004, 4) >> 19) & 0x1f, 9);
	EXPECT_EQ(dist(0, 0x008, 4), 0x4200043b);
	EXPECT_EQ(dist(0, 0x000, 4), (1u << 4) | (1u << 6));
	EXPECT_EQ(dist(0, 0xffe8, 4), 0x3b); /* ArchRev 3, Arm JEP106 */
	EXPECT_EQ(redist(0, 0x0008, 8), 0x0ULL);
	EXPECT_EQ(redist(0, 0x20008, 8), (1ULL << 32) | (1u << 8) | (1u << 4));
	EXPECT_EQ(redist(0, 0xffe8, 4), 0x3b);
	/* ChildrenAsleep follows ProcessorSleep. */
	EXPECT_EQ(redist(0, 0x0014, 4), 6);
	redist_w(0, 0x0014, 0);
	EXPECT_EQ(redist(0, 0x0014, 4), 0);
	/* A frame beyond the partition's vCPUs does not exist. */
	EXPECT_EQ(redist(0, 0x40008, 4), ~0ULL);
}

TEST(vgic, unowned_interrupts_read_zero_ignore_writes)
{
	setup(3);
	/* SPI 50 belongs to nobody here; 48 is ours. */
	dist_w(0, 0x104, 4, ~0u);
	EXPECT_EQ(dist(0, 0x104, 4), (1u << 16) | (1u << 17) | (1u << 1));
	EXPECT_TRUE(fake.phys_enabled[48]);
	EXPECT_TRUE(!fake.phys_enabled[50]);
	dist_w(0, 0x204, 4, 1u << 18);
	EXPECT_EQ(dist(0, 0x204, 4) & (1u << 18), 0);
	EXPECT_TRUE(!fake.phys_pending[50]);
	dist_w(0, 0x400 + 50, 1, 0x10);
	EXPECT_EQ(dist(0, 0x400 + 50, 1), 0);
	dist_w(0, 0x6000 + 8 * 50, 8, 1);
	EXPECT_EQ(dist(0, 0x6000 + 8 * 50, 8), 0);
	/* With affinity routing, private INTIDs in the GICD are RAZ/WI. */
	dist_w(0, 0x100, 4, ~0u);
	EXPECT_EQ(dist(0, 0x100, 4), 0);
}

TEST(vgic, access_widths)
{
	setup(3);
	EXPECT_EQ(dist_w(0, 0x100, 8, 0), VGIC_BAD_ACCESS);
	EXPECT_EQ(dist_w(0, 0x100, 1, 0), VGIC_BAD_ACCESS);
	EXPECT_EQ(dist_w(0, 0x102, 2, 0), VGIC_BAD_ACCESS);
	EXPECT_EQ(dist_w(0, 0x401, 1, 0x80), VGIC_OK);
	EXPECT_EQ(dist_w(0, 0x6000 + 8 * 48 + 4, 4, 0), VGIC_OK);
	EXPECT_EQ(dist_w(0, 0x6000 + 8 * 48 + 4, 8, 0), VGIC_BAD_ACCESS);
	EXPECT_EQ(dist(0, 0x401, 2), ~0ULL);
}

TEST(vgic, routing_follows_guest)
{
	setup(3);
	dist_w(0, 0x6000 + 8 * 48, 8, 1);
	EXPECT_EQ(dist(0, 0x6000 + 8 * 48, 8), 1);
	EXPECT_EQ(fake.route[48], 3); /* vCPU 1 runs on core 3 */
	/* Other affinity levels, IRM, or a vCPU we do not have: ignored. */
	dist_w(0, 0x6000 + 8 * 48, 8, 0x100);
	dist_w(0, 0x6000 + 8 * 48, 8, 1u << 31);
	dist_w(0, 0x6000 + 8 * 48, 8, 5);
	EXPECT_EQ(dist(0, 0x6000 + 8 * 48, 8), 1);
	/* Trigger mode is written through for HW SPIs. */
	dist_w(0, 0xc0c, 4, 2u << 0); /* INTID 48: edge */
	EXPECT_TRUE(fake.edge[48]);
	EXPECT_EQ(dist(0, 0xc0c, 4), 2);
}

TEST(vgic, sgi_reaches_only_own_vcpus)
{
	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 0xffff);
	redist_w(1, 0x30100, 0xffff);
	/* IRM: all but self. */
	vgic_sgi1r(&g, 0, (1ULL << 40) | (3ULL << 24));
	EXPECT_EQ(g.cpu[1].want[0], 1ULL << 3);
	EXPECT_EQ(g.cpu[0].want[0], 0);
	EXPECT_EQ(fake.kicks, 1u << 3);
	/* Target list 0xffff: only vCPUs 0 and 1 exist. */
	vgic_sgi1r(&g, 0, (4ULL << 24) | 0xffff);
	EXPECT_TRUE(g.cpu[0].want[0] & (1u << 4));
	/* Aff1 or a range selector names nobody. */
	vgic_sgi1r(&g, 0, (5ULL << 24) | (1ULL << 16) | 1);
	vgic_sgi1r(&g, 0, (6ULL << 24) | (1ULL << 44) | 1);
	EXPECT_TRUE(!(g.cpu[0].want[0] & (3u << 5)));
}

/*
 * The light exits' SGIs (vgic_sgi_post()): posted to the target's mailbox
 * and its core's doorbell rung, nothing else touched; the target's core
 * makes them pending (vgic_sgi_drain()) and loads them, which arms the
 * vector; the next instance, once the guest's EOI has emptied that LR, is
 * injected by the vector alone (fake_vector_doorbell()).
 */
TEST(vgic, sgi_post_drain_and_vector)
{
	struct vgic_vcpu *c;
	int lr;

	setup(3);
	c = &g.cpu[1];
	enable_all_group1();
	redist_w(1, 0x30100, 1u << 3);
	vgic_sgi_post(&g, 0, 3, vgic_sgi1r_targets(&g, 0, (3ULL << 24) | 2));
	EXPECT_EQ(c->sgi_mbox[0], 1ULL << 3);
	EXPECT_EQ(fake.doorbells, 1u << 3); /* vCPU 1 runs on core 3 */
	EXPECT_EQ(fake.kicks, 0u);
	EXPECT_EQ(c->want[0], 0u); /* not pending before its core takes it */
	EXPECT_TRUE(!fake_vector_doorbell(&g, 1)); /* nothing armed: to C */
	EXPECT_TRUE(vgic_sgi_drain(&g, 1));
	EXPECT_EQ(c->sgi_mbox[0], 0u);
	EXPECT_EQ(c->want[0], 1ULL << 3);
	EXPECT_TRUE(!vgic_sgi_drain(&g, 1));
	vgic_flush(&g, 1);
	lr = fake_lr_of(3);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(c->fast_sgi_bit, 1ULL << 3);
	EXPECT_EQ(c->fast_sgi_idx, (uint64_t)lr);
	/* Sent again while the first is still in its LR: the vector leaves
	 * it to C, which merges it with the pending one. */
	vgic_sgi_post(&g, 0, 3, 2);
	EXPECT_TRUE(!fake_vector_doorbell(&g, 1));
	EXPECT_TRUE(vgic_sgi_drain(&g, 1));
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	/* The LR is empty: the vector injects the next one by itself. */
	vgic_sgi_post(&g, 0, 3, 2);
	ASSERT_TRUE(fake_vector_doorbell(&g, 1));
	EXPECT_EQ(c->sgi_mbox[0], 0u);
	EXPECT_EQ(fake.lr[lr].vintid, 3u);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_TRUE(fake.lr[lr].group1);
	EXPECT_TRUE(!fake.lr[lr].hw);
	/* The general path sees it as pending, then done, and disarms when
	 * a fold frees the LR. */
	vgic_sync(&g, 1);
	EXPECT_TRUE(vgic_is_pending(&g, &c->priv[3], 1));
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 1);
	EXPECT_EQ(fake_lr_of(3), -1);
	EXPECT_EQ(c->fast_sgi_bit, 0u);
	/* An empty mailbox (a doorbell whose SGI C already took) just ends. */
	EXPECT_TRUE(fake_vector_doorbell(&g, 1));
	/* A reset drops what was posted and disarms. */
	vgic_sgi_post(&g, 0, 3, 2);
	vgic_reset_state(&g);
	EXPECT_EQ(c->sgi_mbox[0], 0u);
	EXPECT_EQ(c->fast_sgi_bit, 0u);
}

/* Posting reaches only the partition's own vCPUs, whatever the value
 * names: the vector's and the light exit's targets. */
TEST(vgic, sgi_post_reaches_only_own_vcpus)
{
	setup(3);
	EXPECT_EQ(vgic_sgi1r_targets(&g, 0, 1ULL << 40), 2u); /* IRM */
	EXPECT_EQ(vgic_sgi1r_targets(&g, 1, 1ULL << 40), 1u);
	EXPECT_EQ(vgic_sgi1r_targets(&g, 0, 0xffff), 3u);
	EXPECT_EQ(vgic_sgi1r_targets(&g, 0, (1ULL << 16) | 1), 0u); /* Aff1 */
	EXPECT_EQ(vgic_sgi1r_targets(&g, 0, (1ULL << 32) | 1), 0u); /* Aff2 */
	EXPECT_EQ(vgic_sgi1r_targets(&g, 0, (1ULL << 44) | 1), 0u); /* RS */
	EXPECT_EQ(vgic_sgi1r_targets(&g, 0, (1ULL << 48) | 1), 0u); /* Aff3 */
	/* What the vector reads for the same rules (struct vgic_vcpu). */
	EXPECT_EQ(g.cpu[0].sgi1r_all, 3u);
	EXPECT_EQ(g.cpu[0].sgi1r_others, 2u);
	EXPECT_EQ(g.cpu[1].sgi1r_others, 1u);
	EXPECT_TRUE(g.cpu[1].cpu0_fast == &g.cpu[0].fast_irq);
	EXPECT_EQ(g.cpu[1].doorbell_sgi1r, vgic_hw_doorbell_sgi1r(3));
	/* vCPUs 2-7 do not exist: nothing posted, no doorbell rung. */
	vgic_sgi_post(&g, 0, 4, 0xfc);
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
		EXPECT_EQ(g.cpu[v].sgi_mbox[0] | g.cpu[v].sgi_mbox[1], 0u);
	}
	EXPECT_EQ(fake.doorbells, 0u);
	setup(2);
	EXPECT_EQ(g.cpu[0].sgi1r_all, 0u); /* the vector leaves GICv2 to C */
	EXPECT_EQ(vgic_sgir_targets(&g, 0, (1u << 24)), 2u); /* others */
	EXPECT_EQ(vgic_sgir_targets(&g, 1, (2u << 24)), 2u); /* self */
	EXPECT_EQ(vgic_sgir_targets(&g, 0, 0xff0000), 3u);
	EXPECT_EQ(vgic_sgir_targets(&g, 0, (3u << 24) | 0xff0000), 0u);
}

/* On a GICv2 the source travels with the SGI: in the mailbox bit, in the
 * LR's CPUID, and in the armed value. */
TEST(vgic, gicv2_sgi_post_keeps_its_source)
{
	struct vgic_vcpu *c;
	int lr;

	setup(2);
	c = &g.cpu[0];
	dist_w(0, 0x000, 4, 1); /* group 0 on */
	vgic_sgi_post(&g, 1, 7, vgic_sgir_targets(&g, 1, 1u << 16));
	EXPECT_EQ(c->sgi_mbox[0], 1ULL << (16 + 7));
	EXPECT_EQ(fake.doorbells, 1u << 2);
	EXPECT_TRUE(vgic_sgi_drain(&g, 0));
	vgic_flush(&g, 0);
	lr = fake_lr_of(7);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].src, 1);
	EXPECT_EQ(c->fast_sgi_bit, 1ULL << (16 + 7));
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	/* From vCPU 0 itself: another source, so C, not the armed value. */
	vgic_sgi_post(&g, 0, 7, 1);
	EXPECT_TRUE(!fake_vector_doorbell(&g, 0));
	EXPECT_TRUE(vgic_sgi_drain(&g, 0));
	vgic_flush(&g, 0);
	lr = fake_lr_of(7);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].src, 0);
}

TEST(vgic, deliver_ack_eoi)
{
	int lr;

	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 3);
	vgic_send_sgi(&g, 0, 3, 1);
	vgic_flush(&g, 0);
	lr = fake_lr_of(3);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_TRUE(fake.lr[lr].group1);
	EXPECT_EQ(redist(0, 0x10200, 4) & 8, 8); /* reads pending */
	fake_guest_ack((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_EQ(redist(0, 0x10200, 4) & 8, 0);
	EXPECT_EQ(redist(0, 0x10300, 4) & 8, 8); /* active */
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_EQ(redist(0, 0x10300, 4) & 8, 0);
	EXPECT_EQ(g.cpu[0].lr_intid[lr], VGIC_NO_IRQ);
	EXPECT_TRUE(!fake.npie && !fake.uie);
}

TEST(vgic, disabled_or_group_off_is_not_delivered)
{
	setup(3);
	enable_all_group1();
	vgic_send_sgi(&g, 0, 3, 1); /* SGIs reset disabled on v3 */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(3), -1);
	redist_w(0, 0x10100, 1u << 3);
	dist_w(0, 0x000, 4, 0); /* group 1 off */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(3), -1);
	dist_w(0, 0x000, 4, 2);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake_lr_of(3) >= 0);
}

/* Pend SPIs 48..49 (HW, via the physical path) and SGIs 1..6 on vCPU 0
 * with priorities: SGI n has priority 0x10 * n. */
static void pend_many(void)
{
	enable_all_group1();
	redist_w(0, 0x10100, 0xffff);
	for (unsigned s = 1; s <= 6; s++) {
		uint64_t p = 0x10 * s;

		vgic_redist_access(&g, 0, 0x10400 + s, 1, true, &p);
		vgic_send_sgi(&g, 0, s, 1);
	}
}

TEST(vgic, overflow_highest_priority_first_no_livelock)
{
	setup(3);
	pend_many();
	vgic_flush(&g, 0);
	/* Four LRs: SGIs 1-4 (highest priorities), 5 and 6 wait. */
	for (unsigned s = 1; s <= 4; s++) {
		EXPECT_TRUE(fake_lr_of(s) >= 0);
	}
	EXPECT_EQ(fake_lr_of(5), -1);
	EXPECT_TRUE(fake.npie && !fake.uie);
	/* Guest acknowledges all four: nothing pending in LRs, none free:
	 * underflow, not NPIE (NPIE would fire again at once). */
	for (unsigned i = 0; i < FAKE_LRS; i++) {
		fake_guest_ack(i);
	}
	vgic_maintenance(&g, 0);
	EXPECT_TRUE(!fake.npie && fake.uie);
	/* EOI one: 5 goes in; 6 still waits with NPIE armed. */
	fake_guest_eoi((unsigned)fake_lr_of(1));
	vgic_maintenance(&g, 0);
	EXPECT_TRUE(fake_lr_of(5) >= 0);
	EXPECT_TRUE(fake.npie && !fake.uie);
	/* Everything EOId: all delivered exactly once, nothing armed. */
	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < FAKE_LRS; i++) {
			if (fake.lr[i].state & LR_STATE_P) {
				fake_guest_ack(i);
			}
			if (fake.lr[i].state & LR_STATE_A) {
				fake_guest_eoi(i);
			}
		}
		vgic_maintenance(&g, 0);
	}
	for (unsigned s = 1; s <= 6; s++) {
		EXPECT_EQ(fake_lr_of(s), -1);
		EXPECT_TRUE(!(g.cpu[0].priv[s].flags & VIRQ_PENDING));
	}
	EXPECT_TRUE(!fake.npie && !fake.uie);
}

TEST(vgic, higher_priority_preempts_pending_lr)
{
	uint64_t p = 0x00;

	setup(3);
	pend_many();
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(6), -1);
	/* SGI 6 becomes the most urgent: it takes SGI 4's LR. */
	vgic_redist_access(&g, 0, 0x10400 + 6, 1, true, &p);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake_lr_of(6) >= 0);
	EXPECT_EQ(fake_lr_of(4), -1);
	EXPECT_TRUE(g.cpu[0].want[0] & (1u << 4));
}

TEST(vgic, hw_interrupt_forwarded_and_deactivated_by_guest)
{
	int lr;

	setup(3);
	enable_all_group1();
	dist_w(0, 0x104, 4, 1u << 16); /* enable SPI 48 */
	vgic_phys_irq(&g, 0, 48);
	vgic_flush(&g, 0);
	lr = fake_lr_of(48);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(fake.lr[lr].hw);
	EXPECT_EQ(fake.lr[lr].pintid, 48);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake.deactivated[48], 1); /* by the guest, once */
	/* Not ours: deactivated at once, never injected. */
	vgic_phys_irq(&g, 0, 60);
	EXPECT_EQ(fake.deactivated[60], 1);
}

TEST(vgic, clear_pending_of_hw_in_lr_deactivates)
{
	setup(3);
	enable_all_group1();
	dist_w(0, 0x104, 4, 1u << 16);
	vgic_phys_irq(&g, 0, 48);
	vgic_flush(&g, 0);
	ASSERT_TRUE(fake_lr_of(48) >= 0);
	dist_w(0, 0x284, 4, 1u << 16); /* ICPENDR */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(48), -1);
	EXPECT_EQ(fake.deactivated[48], 1);
	EXPECT_EQ(dist(0, 0x204, 4) & (1u << 16), 0);
}

TEST(vgic, disable_while_pending_takes_it_back)
{
	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 3);
	vgic_send_sgi(&g, 0, 3, 1);
	vgic_flush(&g, 0);
	ASSERT_TRUE(fake_lr_of(3) >= 0);
	redist_w(0, 0x10180, 1u << 3); /* ICENABLER */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(3), -1);
	EXPECT_EQ(redist(0, 0x10200, 4) & 8, 8); /* still pending */
	redist_w(0, 0x10100, 1u << 3);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake_lr_of(3) >= 0);
}

TEST(vgic, disable_while_active_no_redelivery)
{
	int lr;

	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 3);
	vgic_send_sgi(&g, 0, 3, 1);
	vgic_flush(&g, 0);
	lr = fake_lr_of(3);
	fake_guest_ack((unsigned)lr);
	redist_w(0, 0x10180, 1u << 3);
	vgic_send_sgi(&g, 0, 3, 1); /* pended again while disabled */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_A | LR_STATE_P);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	/* Pending but disabled: out of the LR, not delivered. */
	EXPECT_EQ(fake_lr_of(3), -1);
	redist_w(0, 0x10100, 1u << 3);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake_lr_of(3) >= 0);
}

TEST(vgic, repend_while_active_delivers_once_more)
{
	int lr;

	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 3);
	vgic_send_sgi(&g, 0, 3, 1);
	vgic_flush(&g, 0);
	lr = fake_lr_of(3);
	fake_guest_ack((unsigned)lr);
	redist_w(0, 0x10200, 1u << 3); /* ISPENDR while active */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_A | LR_STATE_P);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(3), -1);
}

TEST(vgic, remote_change_is_applied_by_owner)
{
	setup(3);
	enable_all_group1();
	redist_w(1, 0x30100, 1u << 3);
	vgic_send_sgi(&g, 0, 3, 2); /* to vCPU 1 */
	EXPECT_EQ(fake.kicks, 1u << 3);
	vgic_flush(&g, 1); /* vCPU 1's core loads it */
	ASSERT_TRUE(fake_lr_of(3) >= 0);
	fake.kicks = 0;
	/* vCPU 0 clears it through vCPU 1's redistributor: recorded, kicked. */
	redist_w(0, 0x30280, 1u << 3);
	EXPECT_TRUE(g.cpu[1].dirty);
	EXPECT_EQ(fake.kicks, 1u << 3);
	vgic_flush(&g, 1);
	EXPECT_EQ(fake_lr_of(3), -1);
}

TEST(vgic, level_line_of_emulated_device)
{
	int lr;

	setup(3);
	enable_all_group1();
	dist_w(0, 0x104, 4, 1u << 1); /* INTID 33, the UART */
	vgic_set_line(&g, 0, VGIC_UART_INTID, true);
	vgic_flush(&g, 0);
	lr = fake_lr_of(33);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(fake.lr[lr].eoi_maint);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_maintenance(&g, 0); /* line still high: pending again */
	EXPECT_TRUE(fake_lr_of(33) >= 0);
	lr = fake_lr_of(33);
	fake_guest_ack((unsigned)lr);
	vgic_set_line(&g, 0, VGIC_UART_INTID, false);
	fake_guest_eoi((unsigned)lr);
	vgic_maintenance(&g, 0);
	EXPECT_EQ(fake_lr_of(33), -1);
	/* Released for real: an EOI bit left behind would keep the EOI
	 * maintenance interrupt asserted. */
	EXPECT_TRUE(!fake.lr[lr].eoi_maint);
	EXPECT_EQ(vgic_hw_lr_empty(), (1u << FAKE_LRS) - 1);
}

TEST(vgic, hw_interrupt_via_eoi_maintenance_where_eoi_does_not_deactivate)
{
	int lr;

	setup_gic(2, true);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 27); /* virtual timer PPI */
	fake.phys_pending[27] = true;
	vgic_phys_irq(&g, 0, 27);
	vgic_flush(&g, 0);
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(!fake.lr[lr].hw);
	EXPECT_TRUE(fake.lr[lr].eoi_maint);
	/* The guest's EOI leaves the physical side alone; the maintenance
	 * interrupt makes us deactivate it, once, and free the LR. */
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	EXPECT_EQ(fake.deactivated[27], 0);
	vgic_maintenance(&g, 0);
	EXPECT_EQ(fake.deactivated[27], 1);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_EQ(vgic_hw_lr_empty(), (1u << FAKE_LRS) - 1);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake.deactivated[27], 1);
	/* Taken again (line still high), then the line drops before the
	 * guest acknowledges: resampled away and deactivated. */
	vgic_phys_irq(&g, 0, 27);
	vgic_flush(&g, 0);
	ASSERT_TRUE(fake_lr_of(27) >= 0);
	fake.phys_pending[27] = false;
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_EQ(fake.deactivated[27], 2);
	/* EOI'd but not yet folded when the vCPU restarts. */
	fake.phys_pending[27] = true;
	vgic_phys_irq(&g, 0, 27);
	vgic_flush(&g, 0);
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_vcpu_power_on(&g, 0);
	EXPECT_EQ(fake.deactivated[27], 3);
	/* A HW SPI whose pending state the guest clears while in the LR. */
	dist_w(0, 0x104, 4, 1u << 16);
	vgic_phys_irq(&g, 0, 48);
	vgic_flush(&g, 0);
	ASSERT_TRUE(fake_lr_of(48) >= 0);
	dist_w(0, 0x284, 4, 1u << 16); /* ICPENDR */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(48), -1);
	EXPECT_EQ(fake.deactivated[48], 1);
}

TEST(vgic, gicv2_sgi_sources_and_targets)
{
	int lr;

	setup(2);
	dist_w(0, 0x000, 4, 1); /* group 0 on */
	/* Private ITARGETSR reads the vCPU's own bit. */
	EXPECT_EQ(dist(1, 0x800, 1), 2);
	/* SGIs are always enabled on GICv2. */
	EXPECT_EQ(dist(0, 0x100, 4) & 0xffff, 0xffff);
	dist_w(0, 0xf00, 4, (1u << 24) | 7); /* all but self: vCPU 1 */
	dist_w(1, 0xf00, 4, (2u << 24) | 7); /* self */
	vgic_flush(&g, 1);
	lr = fake_lr_of(7);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].src, 0); /* from vCPU 0 first */
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 1);
	lr = fake_lr_of(7);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].src, 1); /* then from itself */
	/* SPI targets: the lowest valid bit; zero keeps the old target. */
	dist_w(0, 0x800 + 48, 1, 0x2);
	EXPECT_EQ(fake.route[48], 3);
	EXPECT_EQ(dist(0, 0x800 + 48, 1), 2);
}

/* Linux's cross-calls: vCPU 0 sends SGI 1 to vCPU 1 again while vCPU 1
 * is still handling the first one. The second must arrive (a lost one left
 * the sender waiting until the target's next timer tick); one sent before
 * the first was acknowledged merges with it. */
TEST(vgic, gicv2_sgi_from_same_source_while_active_is_not_lost)
{
	int lr;

	setup(2);
	dist_w(0, 0x000, 4, 1);
	dist_w(0, 0xf00, 4, (2u << 16) | 1); /* to vCPU 1 */
	vgic_flush(&g, 1);
	lr = fake_lr_of(1);
	ASSERT_TRUE(lr >= 0);
	fake_guest_ack((unsigned)lr);
	vgic_flush(&g, 1); /* an exit while the handler runs */
	dist_w(0, 0xf00, 4, (2u << 16) | 1); /* again, from vCPU 0 */
	vgic_flush(&g, 1);
	/* Nothing but a maintenance interrupt on the EOI brings vCPU 1 out
	 * of its guest again (it may wait in WFI for this very SGI). */
	EXPECT_TRUE(fake.lr[lr].eoi_maint);
	fake_guest_eoi((unsigned)lr);
	vgic_maintenance(&g, 1);
	lr = fake_lr_of(1);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_EQ(fake.lr[lr].src, 0);
	/* Ack and EOI with no exit in between, the resend before the EOI. */
	fake_guest_ack((unsigned)lr);
	dist_w(0, 0xf00, 4, (2u << 16) | 1);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 1);
	lr = fake_lr_of(1);
	ASSERT_TRUE(lr >= 0);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 1);
	EXPECT_EQ(fake_lr_of(1), -1);
	/* Sent twice before the guest takes it: one delivery. */
	dist_w(0, 0xf00, 4, (2u << 16) | 1);
	vgic_flush(&g, 1);
	dist_w(0, 0xf00, 4, (2u << 16) | 1);
	vgic_flush(&g, 1);
	lr = fake_lr_of(1);
	ASSERT_TRUE(lr >= 0);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 1);
	EXPECT_EQ(fake_lr_of(1), -1);
}

TEST(vgic, reset_clears_state_keeps_ownership)
{
	setup(3);
	pend_many();
	vgic_flush(&g, 0);
	vgic_reset_state(&g);
	for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
		EXPECT_EQ(g.cpu[0].lr_intid[i], VGIC_NO_IRQ);
	}
	EXPECT_EQ(g.cpu[0].want[0], 0);
	EXPECT_EQ(dist(0, 0x000, 4) & 3, 0);
	EXPECT_TRUE(vgic_virq(&g, 0, 48) != NULL);
	EXPECT_TRUE(vgic_virq(&g, 0, 50) == NULL);
	EXPECT_TRUE(g.cpu[0].priv[27].flags & VIRQ_HW);
}

TEST(lr, v3_and_v2_round_trip)
{
	struct lr_val a = { .vintid = 48, .pintid = 48, .prio = 0xa0,
			    .state = LR_STATE_P, .hw = true, .group1 = true };
	struct lr_val b = { .vintid = 7, .prio = 0x48, .state = 3,
			    .group1 = false, .eoi_maint = true, .src = 5 };
	struct lr_val r;
	uint64_t v3 = gicv3_lr_encode(&a);

	/* ICH_LR<n>_EL2: State[63:62] = 01, HW[61], Group[60], Priority
	 * [55:48], pINTID[44:32], vINTID[31:0]. */
	EXPECT_EQ(v3, (1ULL << 62) | (1ULL << 61) | (1ULL << 60) |
			      (0xa0ULL << 48) | (48ULL << 32) | 48);
	r = gicv3_lr_decode(v3);
	EXPECT_EQ(r.vintid, 48);
	EXPECT_EQ(r.pintid, 48);
	EXPECT_TRUE(r.hw && r.group1);
	r = gicv3_lr_decode(gicv3_lr_encode(&b));
	EXPECT_TRUE(r.eoi_maint && !r.hw);
	EXPECT_EQ(r.state, 3);
	/* GICH_LR: 5 priority bits, CPUID and EOI for software SGIs. */
	r = gicv2_lr_decode(gicv2_lr_encode(&b));
	EXPECT_EQ(r.vintid, 7);
	EXPECT_EQ(r.src, 5);
	EXPECT_EQ(r.prio, 0x48);
	EXPECT_TRUE(r.eoi_maint);
	EXPECT_EQ(gicv2_lr_encode(&a), (1u << 31) | (1u << 30) | (1u << 28) |
					       ((0xa0u >> 3) << 23) |
					       (48u << 10) | 48);
}

TEST(vgic, level_hw_line_resampled_unless_soft_pended)
{
	int lr;

	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 27); /* virtual timer PPI */
	fake.phys_pending[27] = true;	/* line high, taken by EL2 */
	vgic_phys_irq(&g, 0, 27);
	vgic_flush(&g, 0);
	ASSERT_TRUE(fake_lr_of(27) >= 0);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake_lr_of(27) >= 0); /* line still high: stays */
	fake.phys_pending[27] = false;	  /* guest masked the timer */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_EQ(fake.deactivated[27], 1);
	EXPECT_EQ(redist(0, 0x10200, 4) & (1u << 27), 0);
	/* A software pend of a level SPI goes through the physical
	 * distributor; once taken, no line drives it, yet it is not
	 * resampled away. */
	dist_w(0, 0x104, 4, 1u << 16);
	dist_w(0, 0x204, 4, 1u << 16); /* ISPENDR */
	EXPECT_TRUE(fake.phys_pending[48]);
	EXPECT_EQ(dist(0, 0x204, 4) & (1u << 16), 1u << 16);
	fake.phys_pending[48] = false; /* EL2 took it: latch consumed */
	vgic_phys_irq(&g, 0, 48);
	vgic_flush(&g, 0);
	vgic_flush(&g, 0);
	lr = fake_lr_of(48);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(fake.lr[lr].hw);
	/* Pended again while in the LR: pending stays at the physical
	 * level (never pending+active on a HW LR). */
	dist_w(0, 0x204, 4, 1u << 16);
	EXPECT_TRUE(fake.phys_pending[48]);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	fake_guest_ack((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_TRUE(!g.spi[16].soft);
}

TEST(vgic, power_on_brings_physical_timer_state_in_line)
{
	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 27);
	EXPECT_TRUE(fake.phys_enabled[27]);
	vgic_phys_irq(&g, 0, 27); /* taken, waiting: stays active */
	vgic_reset_state(&g);	   /* partition restart */
	vgic_vcpu_power_on(&g, 0);
	EXPECT_TRUE(!fake.phys_enabled[27]);
	EXPECT_EQ(fake.cleared_active[27], 1);
	EXPECT_EQ(fake.cleared_active[30], 1);
}

/* The timer fast path: straight into a free LR, then into the same LR once
 * the guest's EOI ended the last instance; anything it cannot decide alone
 * (instance still in its LR, disabled) is left to the general path. */
TEST(vgic, private_hw_fast_path)
{
	int lr;

	setup(3);
	enable_all_group1();
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 27)); /* disabled */
	redist_w(0, 0x10100, 1u << 27);			 /* ISENABLER0 */
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(fake.lr[lr].hw);
	EXPECT_EQ(fake.lr[lr].pintid, 27);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 27)); /* still there */
	fake_guest_ack((unsigned)lr);
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 27)); /* active */
	fake_guest_eoi((unsigned)lr);
	EXPECT_EQ(fake.deactivated[27], 1);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	EXPECT_EQ(fake_lr_of(27), lr);
	/* Folded by a later flush like any other: acknowledged, done. */
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_TRUE(!vgic_is_pending(&g, &g.cpu[0].priv[27], 0));
	EXPECT_TRUE(!vgic_is_active(&g, &g.cpu[0].priv[27], 0));
	/* Not private, or not HW: the general path. */
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 48));
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 26));
	/* A GIC that does not deactivate at the guest's EOI: injected with
	 * EOI maintenance, and the LR is only reused after the maintenance
	 * path deactivated the last instance. */
	setup_gic(2, true);
	dist_w(0, 0x000, 4, 1);
	dist_w(0, 0x100, 4, 1u << 27);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(!fake.lr[lr].hw);
	EXPECT_TRUE(fake.lr[lr].eoi_maint);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 27));
	vgic_maintenance(&g, 0);
	EXPECT_EQ(fake.deactivated[27], 1);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
}

/* The exception vector's fast path (struct vgic_vcpu, fast_irq), with
 * fake_vector_irq() doing what irq_entry in vectors.S does: armed by an
 * injection into an LR the virq keeps, used only once the guest's EOI
 * emptied that LR, and its state folded like any other afterwards. */
TEST(vgic, vector_fast_path_armed_only_while_its_lr_is_kept)
{
	struct vgic_vcpu *c;
	int lr;

	setup(3);
	c = &g.cpu[0];
	enable_all_group1();
	EXPECT_EQ(c->fast_irq, 0u);
	redist_w(0, 0x10400 + 24, 0xa0u << 24); /* IPRIORITYR: 27 at 0xa0 */
	redist_w(0, 0x10100, 1u << 27);
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 27)); /* nothing armed yet */
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(c->fast_irq, 27u | (uint64_t)lr << 32);
	/* The instance is still in its LR: the vector leaves it alone. */
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 27));
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 30)); /* another PPI */
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	fake.phys_pending[27] = true; /* the timer's line, asserted again */
	ASSERT_TRUE(fake_vector_irq(&g, 0, 27));
	EXPECT_EQ(fake.lr[lr].vintid, 27u);
	EXPECT_EQ(fake.lr[lr].pintid, 27u);
	EXPECT_TRUE(fake.lr[lr].hw);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_EQ(fake.lr[lr].prio, 0xa0);
	/* The general path sees it as pending, then taken, then done. */
	vgic_sync(&g, 0);
	EXPECT_TRUE(vgic_is_pending(&g, &c->priv[27], 0));
	EXPECT_EQ(c->fast_irq, 27u | (uint64_t)lr << 32); /* still its LR */
	fake_guest_ack((unsigned)lr);
	fake.phys_pending[27] = false; /* the handler re-armed the timer */
	vgic_sync(&g, 0);
	EXPECT_TRUE(vgic_is_active(&g, &c->priv[27], 0));
	EXPECT_TRUE(!vgic_is_pending(&g, &c->priv[27], 0));
	fake_guest_eoi((unsigned)lr);
	EXPECT_EQ(fake.deactivated[27], 2);
	/* A fold that frees the LR disarms: the next one takes the general
	 * path, which arms again. */
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_EQ(c->fast_irq, 0u);
	EXPECT_TRUE(!vgic_is_active(&g, &c->priv[27], 0));
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 27));
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	EXPECT_TRUE(c->fast_irq != 0);
}

/* Whatever changes what an injection must look like reaches the armed
 * value or disarms it by the time the vCPU runs again: a priority change,
 * a disable, a request from another vCPU, a restart. */
TEST(vgic, vector_fast_path_follows_changes)
{
	struct vgic_vcpu *c;
	int lr;

	setup(3);
	c = &g.cpu[0];
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 27);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	fake_guest_ack((unsigned)lr);
	/* Priority written while the instance is active in its LR: the LR
	 * is rewritten, which disarms; the next instance takes the general
	 * path and arms the new value. */
	redist_w(0, 0x10400 + 24, 0x40u << 24);
	vgic_flush(&g, 0);
	EXPECT_EQ(c->fast_irq, 0u);
	fake_guest_eoi((unsigned)lr);
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 27));
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	EXPECT_EQ(fake_lr_of(27), lr);
	EXPECT_EQ(c->fast_irq, 27u | (uint64_t)lr << 32);
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	fake.phys_pending[27] = true;
	ASSERT_TRUE(fake_vector_irq(&g, 0, 27));
	EXPECT_EQ(fake.lr[lr].prio, 0x40);
	/* Disabled while pending in its LR: evicted, disarmed. */
	redist_w(0, 0x10180, 1u << 27); /* ICENABLER0 */
	vgic_flush(&g, 0);
	EXPECT_EQ(c->fast_irq, 0u);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 27));
	/* Enabled again and injected: armed. vCPU 1 clears its pending
	 * state through vCPU 0's redistributor: a request, applied (and the
	 * fast path re-evaluated) when vCPU 0's core syncs. */
	redist_w(0, 0x10100, 1u << 27);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	redist_w(1, 0x10280, 1u << 27); /* vCPU 0's frame from vCPU 1 */
	EXPECT_TRUE(c->priv[27].req != 0);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_EQ(c->fast_irq, 0u);
	/* A restart disarms until the vCPU's power-on flush. */
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	EXPECT_TRUE(c->fast_irq != 0);
	vgic_reset_state(&g);
	EXPECT_EQ(c->fast_irq, 0u);
	vgic_vcpu_power_on(&g, 0);
	EXPECT_EQ(c->fast_irq, 0u);
}

/* Never armed where the board's vector has no fast path
 * (vgic_hw_fast_irq()), nor for a virq without a physical interrupt. */
TEST(vgic, vector_fast_path_only_where_it_applies)
{
	setup(2);
	fake.no_fast_irq = true;
	g.fast_ok = vgic_hw_fast_irq();
	dist_w(0, 0x000, 4, 1);
	dist_w(0, 0x100, 4, 1u << 27);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	EXPECT_EQ(g.cpu[0].fast_irq, 0u);
	setup(3);
	enable_all_group1();
	redist_w(0, 0x10100, 1u << 26); /* PPI 26: no HW */
	EXPECT_TRUE(!vgic_inject_private_hw(&g, 0, 26));
	EXPECT_EQ(g.cpu[0].fast_irq, 0u);
}

/* Nor while a speculation workaround runs on every exit: the vector's
 * timer and maintenance paths do not check for it (vgic_hw_fast_now()). */
TEST(vgic, vector_fast_path_not_armed_with_exit_mitigation)
{
	setup(2);
	fake.exit_mitigation = true;
	dist_w(0, 0x000, 4, 1);
	dist_w(0, 0x100, 4, 1u << 27);
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	EXPECT_EQ(g.cpu[0].fast_irq, 0u);
	fake.exit_mitigation = false;
}

/*
 * A GIC whose guest EOI does not deactivate a HW interrupt (QEMU's GICv2):
 * the armed value asks for EOI maintenance, fake_vector_maint() doing what
 * gicv2_fast.S does ends it (deactivating the physical interrupt once,
 * emptying the LR), after which the vector injects the next instance into
 * the same LR, and C folds what it finds without a second deactivation.
 * When the maintenance interrupt has another cause the vector leaves it
 * to C, which deactivates it once as well.
 */
TEST(vgic, vector_fast_path_ends_eoi_maintenance)
{
	struct vgic_vcpu *c;
	int lr;

	setup_gic(2, true);
	c = &g.cpu[0];
	dist_w(0, 0x000, 4, 1);
	dist_w(0, 0x100, 4, 1u << 27);
	EXPECT_TRUE(!fake_vector_maint(&g, 0)); /* nothing armed */
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(c->fast_irq, 27u | (uint64_t)lr << 32);
	EXPECT_TRUE(!fake.lr[lr].hw && fake.lr[lr].eoi_maint);
	EXPECT_TRUE(!fake_vector_maint(&g, 0)); /* no EOI yet */
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	EXPECT_EQ(fake.deactivated[27], 0);
	/* Not empty until the EOI maintenance is done: no new instance. */
	EXPECT_TRUE(!fake_vector_irq(&g, 0, 27));
	ASSERT_TRUE(fake_vector_maint(&g, 0));
	EXPECT_EQ(fake.deactivated[27], 1);
	EXPECT_TRUE((vgic_hw_lr_empty() >> lr) & 1);
	fake.phys_pending[27] = true; /* the timer's line, asserted again */
	ASSERT_TRUE(fake_vector_irq(&g, 0, 27));
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_TRUE(!fake.lr[lr].hw && fake.lr[lr].eoi_maint);
	/* C sees it pending, then taken and ended by the vector again, and
	 * folds the empty LR without deactivating a second time. */
	vgic_sync(&g, 0);
	EXPECT_TRUE(vgic_is_pending(&g, &c->priv[27], 0));
	fake_guest_ack((unsigned)lr);
	fake.phys_pending[27] = false; /* the handler re-armed the timer */
	vgic_sync(&g, 0);
	EXPECT_TRUE(vgic_is_active(&g, &c->priv[27], 0));
	EXPECT_EQ(c->fast_irq, 27u | (uint64_t)lr << 32); /* still armed */
	fake_guest_eoi((unsigned)lr);
	ASSERT_TRUE(fake_vector_maint(&g, 0));
	EXPECT_EQ(fake.deactivated[27], 2);
	vgic_flush(&g, 0);
	EXPECT_EQ(fake.deactivated[27], 2);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_TRUE(!vgic_is_pending(&g, &c->priv[27], 0));
	EXPECT_TRUE(!vgic_is_active(&g, &c->priv[27], 0));
	EXPECT_EQ(c->fast_irq, 0u); /* the fold freed it */
	/* Another LR owing EOI maintenance too: C ends both, once each. */
	ASSERT_TRUE(vgic_inject_private_hw(&g, 0, 27));
	lr = fake_lr_of(27);
	ASSERT_TRUE(lr >= 0);
	fake.lr[(lr + 1) % FAKE_LRS] =
		(struct lr_val){ .vintid = 40, .eoi_maint = true };
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	EXPECT_TRUE(!fake_vector_maint(&g, 0));
	fake.lr[(lr + 1) % FAKE_LRS] = (struct lr_val){ 0 };
	/* An underflow request pending as well: C again. */
	fake.uie = true;
	EXPECT_TRUE(!fake_vector_maint(&g, 0));
	fake.uie = false;
	vgic_maintenance(&g, 0);
	EXPECT_EQ(fake.deactivated[27], 3);
	EXPECT_EQ(fake_lr_of(27), -1);
	EXPECT_EQ(c->fast_irq, 0u);
	EXPECT_TRUE(!fake_vector_maint(&g, 0));
}

/* The light exit's lock-free distributor read answers what the locked
 * decode answers, for the registers it takes, on both GIC versions, and
 * declines everything else (and other widths). */
TEST(vgic, dist_read_nolock_matches_the_decode)
{
	static const uint32_t versions[] = { 2, 3 };

	for (unsigned k = 0; k < 2; k++) {
		unsigned taken = 0;

		setup(versions[k]);
		dist_w(0, 0x000, 4, versions[k] == 3 ? 2 : 3);
		for (uint64_t off = 0; off < 0x10000; off += 2) {
			uint64_t fast = 0x5a5a, slow = 0xa5a5;

			if (!vgic_dist_read_nolock(&g, off, 4, &fast)) {
				continue;
			}
			taken++;
			ASSERT_TRUE(vgic_dist_access(&g, 0, off, 4, false,
						     &slow) == VGIC_OK);
			EXPECT_EQ(fast, slow);
			EXPECT_TRUE(!vgic_dist_read_nolock(&g, off, 2, &fast));
			EXPECT_TRUE(!vgic_dist_read_nolock(&g, off, 8, &fast));
		}
		/* CTLR, TYPER, IIDR, TYPER2 and 12 ID registers. */
		EXPECT_EQ(taken, 16u);
		EXPECT_TRUE(!vgic_dist_read_nolock(&g, 0x100, 4, &(uint64_t){ 0 }));
	}
}

TEST(vgic, injected_counts_every_interrupt_made_pending)
{
	uint64_t before;

	setup(3);
	before = g.injected;
	vgic_send_sgi(&g, 0, 5, 0x3); /* two targets */
	vgic_set_line(&g, 0, VGIC_UART_INTID, true);
	vgic_set_line(&g, 0, VGIC_UART_INTID, true); /* no new rise */
	vgic_set_line(&g, 0, VGIC_UART_INTID, false);
	vgic_phys_irq(&g, 0, 48); /* a device SPI */
	EXPECT_EQ(g.injected - before, 4u);
}

/*
 * Register decode (docs/vgic.md, "Register decode"). Each case is one
 * access: distributor or redistributor window, GIC version, offset, size,
 * and whether the registers allow it. Failures print the case's index in
 * the top bits.
 */
struct access_case {
	bool redist;
	uint8_t version;
	uint32_t off;
	uint8_t size;
	bool ok;
};

static enum vgic_result access_raw(bool redist, unsigned self, uint64_t off,
				   unsigned size, bool write, uint64_t *v)
{
	return redist ? vgic_redist_access(&g, self, off, size, write, v)
		      : vgic_dist_access(&g, self, off, size, write, v);
}

/* A refused access changes nothing, whichever way it goes. */
static struct vgic g_before;
static struct fake_gic fake_before;

static void snapshot(void)
{
	g_before = g;
	fake_before = fake;
}

static bool unchanged(void)
{
	return memcmp(&g, &g_before, sizeof(g)) == 0 &&
	       memcmp(&fake, &fake_before, sizeof(fake)) == 0;
}

TEST(vgic, access_sizes_per_register)
{
	static const struct access_case cases[] = {
		/* GICv3 distributor (IHI 0069H 12.8). */
		{ false, 3, 0x000, 4, true },	/* CTLR */
		{ false, 3, 0x000, 1, false },
		{ false, 3, 0x000, 8, false },
		{ false, 3, 0x004, 4, true },	/* TYPER */
		{ false, 3, 0x004, 2, false },
		{ false, 3, 0x008, 1, false },	/* IIDR */
		{ false, 3, 0x084, 4, true },	/* IGROUPR1 */
		{ false, 3, 0x084, 1, false },
		{ false, 3, 0x104, 2, false },	/* ISENABLER1 */
		{ false, 3, 0x104, 8, false },
		{ false, 3, 0x284, 1, false },	/* ICPENDR1 */
		{ false, 3, 0x3fc, 4, true },	/* ICACTIVER31 */
		{ false, 3, 0x430, 1, true },	/* IPRIORITYR12 */
		{ false, 3, 0x431, 1, true },
		{ false, 3, 0x432, 2, false },
		{ false, 3, 0x430, 4, true },
		{ false, 3, 0x430, 8, false },
		{ false, 3, 0x7ff, 1, true },	/* last IPRIORITYR byte */
		{ false, 3, 0x800, 1, false },	/* ITARGETSR: reserved in v3 */
		{ false, 3, 0x800, 4, true },
		{ false, 3, 0xc0c, 4, true },	/* ICFGR3 */
		{ false, 3, 0xc0c, 1, false },
		{ false, 3, 0xf10, 1, false },	/* CPENDSGIR: reserved in v3 */
		{ false, 3, 0x6180, 8, true },	/* IROUTER48 */
		{ false, 3, 0x6180, 4, true },
		{ false, 3, 0x6184, 4, true },
		{ false, 3, 0x6184, 8, false }, /* unaligned */
		{ false, 3, 0x6180, 2, false },
		{ false, 3, 0x6180, 1, false },
		{ false, 3, 0x6000, 8, false }, /* IROUTER0: reserved */
		{ false, 3, 0x6000, 4, true },
		{ false, 3, 0x60f8, 8, false }, /* IROUTER31 */
		{ false, 3, 0x6100, 8, true },	/* IROUTER32, the first */
		{ false, 3, 0x68f8, 8, true },	/* IROUTER287, the last here */
		{ false, 3, 0x6900, 8, false }, /* IROUTER288: reserved */
		{ false, 3, 0x6900, 4, true },
		{ false, 3, 0x7fd8, 8, false }, /* IROUTER1019 */
		{ false, 3, 0xffe8, 4, true },	/* PIDR2 */
		{ false, 3, 0xffe8, 1, false },
		/* GICv2 distributor (IHI 0048B 4.1.2). */
		{ false, 2, 0x430, 1, true },	/* IPRIORITYR12 */
		{ false, 2, 0x830, 1, true },	/* ITARGETSR12 */
		{ false, 2, 0x830, 4, true },
		{ false, 2, 0x832, 2, false },
		{ false, 2, 0x830, 8, false },
		{ false, 2, 0xbff, 1, true },	/* last ITARGETSR byte */
		{ false, 2, 0xf00, 4, true },	/* SGIR */
		{ false, 2, 0xf00, 1, false },
		{ false, 2, 0xf04, 1, false },	/* reserved before CPENDSGIR */
		{ false, 2, 0xf10, 1, true },	/* CPENDSGIR0 */
		{ false, 2, 0xf1f, 1, true },
		{ false, 2, 0xf12, 2, false },
		{ false, 2, 0xf10, 8, false },
		{ false, 2, 0xf20, 4, true },	/* SPENDSGIR0 */
		{ false, 2, 0xf2c, 4, true },
		{ false, 2, 0xf30, 1, false },	/* reserved after SPENDSGIR3 */
		{ false, 2, 0xf30, 4, true },
		{ false, 2, 0x6100, 8, false }, /* no IROUTER in v2 */
		{ false, 2, 0x6100, 4, true },
		/* GICv3 redistributor, vCPU 1's frames (IHI 0069H 12.10). */
		{ true, 3, 0x20000, 4, true },	/* CTLR */
		{ true, 3, 0x20000, 8, false },
		{ true, 3, 0x20004, 8, false }, /* unaligned */
		{ true, 3, 0x20008, 8, true },	/* TYPER: 64-bit read */
		{ true, 3, 0x2000c, 4, true },
		{ true, 3, 0x20008, 2, false },
		{ true, 3, 0x20010, 8, false }, /* STATUSR */
		{ true, 3, 0x20014, 1, false }, /* WAKER */
		{ true, 3, 0x2ffe8, 2, false }, /* PIDR2 */
		{ true, 3, 0x30100, 4, true },	/* ISENABLER0 */
		{ true, 3, 0x30100, 1, false },
		{ true, 3, 0x30104, 1, false }, /* ISENABLER1: reserved */
		{ true, 3, 0x30104, 4, true },
		{ true, 3, 0x3041f, 1, true },	/* last IPRIORITYR byte */
		{ true, 3, 0x3041c, 4, true },
		{ true, 3, 0x30420, 1, false }, /* IPRIORITYR8: reserved */
		{ true, 3, 0x30420, 4, true },
		{ true, 3, 0x30c04, 4, true },	/* ICFGR1 */
		{ true, 3, 0x30c04, 1, false },
		{ true, 3, 0x30d00, 1, false }, /* IGRPMODR0: reserved */
		{ true, 3, 0x30d00, 4, true },
		{ true, 3, 0x40000, 4, false }, /* no vCPU 2 */
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct access_case *c = &cases[i];
		uint64_t v = 0;
		enum vgic_result r;

		setup(c->version);
		r = access_raw(c->redist, 0, c->off, c->size, false, &v);
		EXPECT_EQ(((uint64_t)i << 32) | (r == VGIC_OK),
			  ((uint64_t)i << 32) | c->ok);
		if (!c->ok) {
			snapshot();
			v = ~0ULL;
			r = access_raw(c->redist, 0, c->off, c->size, true, &v);
			EXPECT_EQ(((uint64_t)i << 32) | (r == VGIC_OK),
				  (uint64_t)i << 32);
			EXPECT_TRUE(unchanged());
		}
	}
}

/*
 * Offsets between the implemented register blocks, and unimplemented
 * registers inside them: a word reads as zero and a write of all ones
 * changes nothing; a byte access is refused.
 */
TEST(vgic, reserved_offsets_raz_wi)
{
	static const struct access_case holes[] = {
		{ false, 3, 0x00c, 4, true },	/* GICD_TYPER2 */
		{ false, 3, 0x010, 4, true },	/* GICD_STATUSR */
		{ false, 3, 0x040, 4, true },	/* GICD_SETSPI_NSR */
		{ false, 3, 0x07c, 4, true },	/* end of the first block */
		{ false, 3, 0x080, 4, true },	/* IGROUPR0: in the GICR */
		{ false, 3, 0x100, 4, true },	/* ISENABLER0 */
		{ false, 3, 0x200, 4, true },	/* ISPENDR0 */
		{ false, 3, 0xc00, 4, true },	/* ICFGR0 */
		{ false, 3, 0xc04, 4, true },	/* ICFGR1 */
		{ false, 3, 0xd00, 4, true },	/* IGRPMODR0 */
		{ false, 3, 0xd04, 4, true },	/* IGRPMODR1 */
		{ false, 3, 0xe00, 4, true },	/* NSACR0 */
		{ false, 3, 0xf00, 4, true },	/* SGIR: none with ARE */
		{ false, 3, 0xf20, 4, true },	/* SPENDSGIR0 */
		{ false, 3, 0x1000, 4, true },	/* extended SPI range */
		{ false, 3, 0x5ffc, 4, true },
		{ false, 3, 0x60fc, 4, true },	/* IROUTER31, upper word */
		{ false, 3, 0x6900, 4, true },	/* beyond our SPIs */
		{ false, 3, 0x7ffc, 4, true },
		{ false, 3, 0x8000, 4, true },	/* IROUTERE */
		{ false, 3, 0xc000, 4, true },
		{ false, 3, 0xffcc, 4, true },	/* below PIDR4 */
		{ false, 3, 0x0fe8, 4, true },	/* GICv2's PIDR2 offset */
		{ false, 3, 0x10000, 4, true }, /* beyond the frame */
		{ false, 2, 0x00c, 4, true },
		{ false, 2, 0xd00, 4, true },
		{ false, 2, 0xe00, 4, true },	/* NSACR0 */
		{ false, 2, 0xf04, 4, true },
		{ false, 2, 0xf30, 4, true },
		{ false, 2, 0xf7c, 4, true },
		{ false, 2, 0x6100, 4, true },	/* IROUTER32: none in v2 */
		{ false, 2, 0xfffc, 4, true },
		{ false, 2, 0x0fcc, 4, true },	/* below GICv2 PIDR4 */
		{ true, 3, 0x00010, 4, true },	/* GICR_STATUSR */
		{ true, 3, 0x00070, 4, true },	/* GICR_PROPBASER */
		{ true, 3, 0x00080, 4, true },
		{ true, 3, 0x0ffcc, 4, true },	/* below GICR_PIDR4 */
		{ true, 3, 0x10000, 4, true },	/* SGI_base, first block */
		{ true, 3, 0x10084, 4, true },	/* IGROUPR1 (E) */
		{ true, 3, 0x10104, 4, true },	/* ISENABLER1 (E) */
		{ true, 3, 0x10420, 4, true },	/* IPRIORITYR8 */
		{ true, 3, 0x10c08, 4, true },	/* ICFGR2 */
		{ true, 3, 0x10d00, 4, true },	/* IGRPMODR0 */
		{ true, 3, 0x10e00, 4, true },	/* NSACR */
		{ true, 3, 0x1ffe8, 4, true },	/* SGI_base has no PIDR2 */
		{ true, 3, 0x1fffc, 4, true },
	};

	for (unsigned i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		const struct access_case *c = &holes[i];
		uint64_t tag = (uint64_t)i << 32;
		uint64_t v = 0xdeadbeef;

		setup(c->version);
		enable_all_group1();
		snapshot();
		EXPECT_EQ(tag | access_raw(c->redist, 0, c->off, 4, false, &v),
			  tag | VGIC_OK);
		EXPECT_EQ(tag | v, tag);
		v = ~0ULL;
		EXPECT_EQ(tag | access_raw(c->redist, 0, c->off, 4, true, &v),
			  tag | VGIC_OK);
		EXPECT_TRUE(unchanged());
		v = 0;
		EXPECT_EQ(tag | access_raw(c->redist, 0, c->off, 1, false, &v),
			  tag | VGIC_BAD_ACCESS);
	}
}

/* An access never reaches past the end of its register: unaligned ones
 * are refused, at block ends as anywhere. */
TEST(vgic, unaligned_accesses_refused_at_block_ends)
{
	static const struct { uint32_t off; uint8_t size; } cases[] = {
		{ 0x07e, 4 }, { 0x0fe, 2 }, { 0x3fc, 8 }, { 0x7fe, 4 },
		{ 0x7fd, 2 }, { 0xbfe, 4 }, { 0xcfc, 8 }, { 0xf0e, 4 },
		{ 0x68fc, 8 }, { 0xfffe, 4 }, { 0xfffc, 8 },
	};

	for (uint32_t version = 2; version <= 3; version++) {
		for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]);
		     i++) {
			uint64_t tag = (uint64_t)i << 32;

			setup(version);
			snapshot();
			EXPECT_EQ(tag | (dist(0, cases[i].off,
					      cases[i].size) == ~0ULL),
				  tag | 1);
			EXPECT_EQ(tag | dist_w(0, cases[i].off, cases[i].size,
					       ~0ULL),
				  tag | VGIC_BAD_ACCESS);
			EXPECT_TRUE(unchanged());
		}
	}
	setup(3);
	EXPECT_EQ(redist(0, 0x1041e, 4), ~0ULL);
	EXPECT_EQ(redist(0, 0x2000c, 8), ~0ULL);
}

/* Each family reaches the INTIDs its offset names, in the distributor
 * and in another vCPU's redistributor. */
TEST(vgic, families_reach_the_intids_their_offset_names)
{
	setup(3);
	/* SPI 49 is bit 17 of word 1 and byte 1 of IPRIORITYR12. */
	dist_w(0, 0x104, 4, 1u << 17);
	EXPECT_EQ(dist(0, 0x184, 4), 1u << 17);
	EXPECT_EQ(dist(0, 0x104, 4) & (1u << 16), 0);
	dist_w(0, 0x084, 4, 1u << 17);
	EXPECT_EQ(dist(0, 0x084, 4), 1u << 17);
	dist_w(0, 0x400 + 49, 1, 0xa0);
	EXPECT_EQ(dist(0, 0x430, 4), 0xa0u << 8);
	dist_w(0, 0x430, 4, 0x88u << 16);
	EXPECT_EQ(dist(0, 0x400 + 49, 1), 0);
	dist_w(0, 0xc0c, 4, 2u << 2); /* INTID 49: edge */
	EXPECT_TRUE(fake.edge[49]);
	EXPECT_TRUE(!fake.edge[48]);
	dist_w(0, 0x6000 + 8 * 49, 8, 1);
	EXPECT_EQ(fake.route[49], 3);
	EXPECT_EQ(dist(0, 0x6000 + 8 * 49 + 4, 4), 0);
	EXPECT_EQ(dist(0, 0x6000 + 8 * 48, 8), 0);
	/* vCPU 0 programs vCPU 1's PPI 27 through vCPU 1's frames. */
	redist_w(0, 0x30100, 1u << 27);
	EXPECT_EQ(redist(1, 0x30100, 4), 1u << 27);
	EXPECT_EQ(redist(1, 0x10100, 4), 0);
	redist_w(0, 0x30400 + 27, 0);
	vgic_redist_access(&g, 0, 0x30418, 4, true,
			   &(uint64_t){ 0x50u << 24 });
	EXPECT_EQ(redist(1, 0x30400 + 27, 1), 0x50 & g.prio_mask);
	EXPECT_EQ(redist(0, 0x30c04, 4) & (3u << 22), 0); /* PPI 27 level */
	/* GICv2: ITARGETSR, and SPENDSGIR of the accessing vCPU. */
	setup(2);
	dist_w(0, 0x800 + 49, 1, 0x2);
	EXPECT_EQ((dist(0, 0x830, 4) >> 8) & 0xff, 0x2);
	EXPECT_EQ(dist(1, 0x800 + 3, 1), 0x2); /* private: this CPU */
	dist_w(1, 0xf20 + 5, 1, 0x1);
	EXPECT_EQ(dist(1, 0xf24, 4), 0x1u << 8);
	EXPECT_EQ(dist(0, 0xf24, 4), 0);
	EXPECT_EQ(dist(1, 0x200, 4) & 0xffff, 1u << 5); /* SGI 5 pending */
	dist_w(1, 0xf10 + 5, 1, 0x1);
	EXPECT_EQ(dist(1, 0xf24, 4), 0);
}

/* The GICR's ICFGR registers and the GICv2 GICD's for SGIs and PPIs are
 * fixed: writes change nothing. */
TEST(vgic, private_trigger_configuration_is_fixed)
{
	setup(3);
	snapshot();
	redist_w(0, 0x10c00, ~0u);
	redist_w(0, 0x10c04, 0);
	EXPECT_TRUE(unchanged());
	setup(2);
	snapshot();
	dist_w(0, 0xc00, 4, 0);
	dist_w(0, 0xc04, 4, ~0u);
	EXPECT_TRUE(unchanged());
}

/*
 * The width rules of docs/vgic.md at every offset of both windows: words
 * everywhere; bytes only for the priority, GICv2 target and pending-SGI
 * registers; 64 bits only for the SPIs' GICD_IROUTER and GICR_TYPER;
 * halfwords and unaligned accesses nowhere. Failures print the offset,
 * size and version in the top bits.
 */
static bool dist_byte_ok(uint32_t version, uint32_t off)
{
	return (off >= 0x400 && off < 0x800) ||
	       (version == 2 && off >= 0x800 && off < 0xc00) ||
	       (version == 2 && off >= 0xf10 && off < 0xf30);
}

TEST(vgic, access_width_rules_hold_at_every_offset)
{
	unsigned wrong = 0;

	for (uint32_t version = 2; version <= 3; version++) {
		setup(version);
		for (uint32_t off = 0; off < 0x10000; off++) {
			for (unsigned size = 1; size <= 8; size <<= 1) {
				uint64_t v = 0;
				bool ok = vgic_dist_access(&g, 0, off, size,
							   false, &v) ==
					  VGIC_OK;
				bool want = off % size == 0 &&
					    (size == 4 ||
					     (size == 1 &&
					      dist_byte_ok(version, off)) ||
					     (size == 8 && version == 3 &&
					      off >= 0x6100 && off < 0x6900));
				uint64_t tag = (uint64_t)off << 40 |
					       (uint64_t)size << 36 |
					       (uint64_t)version << 32;

				if (ok != want && wrong++ == 0) {
					EXPECT_EQ(tag | ok, tag | want);
				}
			}
		}
	}
	setup(3);
	for (uint32_t off = 0; off < 0x40100; off++) {
		uint32_t frame = off % 0x20000;

		for (unsigned size = 1; size <= 8; size <<= 1) {
			uint64_t v = 0;
			bool ok = vgic_redist_access(&g, 0, off, size, false,
						     &v) == VGIC_OK;
			bool want = off < 0x40000 && off % size == 0 &&
				    (size == 4 ||
				     (size == 1 && frame >= 0x10400 &&
				      frame < 0x10420) ||
				     (size == 8 && frame == 0x8));
			uint64_t tag = (uint64_t)off << 40 |
				       (uint64_t)size << 36;

			if (ok != want && wrong++ == 0) {
				EXPECT_EQ(tag | ok, tag | want);
			}
		}
	}
	EXPECT_EQ(wrong, 0); /* the first one is shown above */
}

/*
 * Split EOI (EOImode 1): the guest acknowledges and drops the priority of
 * four interrupts, each pended again while active, and defers their
 * deactivation. Every LR is active and pending, two more wait. No LR is in
 * the pending state proper, so NPIE would assert at once and forever
 * (issue 15, item 3): the flush must arm nothing that is already true.
 */
TEST(vgic, split_eoi_active_pending_lrs_no_maintenance_storm)
{
	setup(3);
	pend_many();
	vgic_flush(&g, 0);
	EXPECT_EQ(fake_misr(), 0);
	for (unsigned i = 0; i < FAKE_LRS; i++) {
		fake_guest_ack(i);
		vgic_send_sgi(&g, 0, fake.lr[i].vintid, 1);
	}
	vgic_maintenance(&g, 0);
	for (unsigned i = 0; i < FAKE_LRS; i++) {
		EXPECT_EQ(fake.lr[i].state, LR_STATE_A | LR_STATE_P);
	}
	EXPECT_EQ(fake_misr(), 0);
	EXPECT_TRUE(!fake.npie && fake.uie);
	/* The guest deactivates one: its LR is pending again, NP stays
	 * quiet; deactivating the rest lets the waiting ones in. */
	for (unsigned round = 0; round < 8; round++) {
		for (unsigned i = 0; i < FAKE_LRS; i++) {
			if (fake.lr[i].state & LR_STATE_A) {
				fake_guest_eoi(i);
			} else if (fake.lr[i].state & LR_STATE_P) {
				fake_guest_ack(i);
			}
		}
		vgic_maintenance(&g, 0);
		EXPECT_EQ(fake_misr(), 0);
	}
	for (unsigned s = 1; s <= 6; s++) {
		EXPECT_EQ(fake_lr_of(s), -1);
	}
	EXPECT_TRUE(!fake.npie && !fake.uie);
}

/*
 * A level HW SPI latched while the guest had IRQs masked (issue 15, item
 * 4): its acknowledge traps, and an instance whose line fell meanwhile
 * (the guest EOId, then cleared its device) is withdrawn and deactivated;
 * one whose line is still high stays. Either way the trap is dropped.
 */
TEST(vgic, level_hw_latched_masked_resampled_at_ack)
{
	int lr;

	setup(3);
	enable_all_group1();
	dist_w(0, 0x104, 4, 1u << 16); /* enable SPI 48, level */
	fake.phys_pending[48] = true;
	vgic_phys_irq(&g, 0, 48);
	vgic_latched_masked(&g, 0, 48);
	vgic_flush(&g, 0);
	lr = fake_lr_of(48);
	ASSERT_TRUE(lr >= 0);
	EXPECT_TRUE(fake.trap_ack);
	/* Line fell; the guest's acknowledge traps. */
	fake.phys_pending[48] = false;
	vgic_ack_trap(&g, 0);
	EXPECT_EQ(fake_lr_of(48), -1);
	EXPECT_EQ(fake.deactivated[48], 1);
	EXPECT_TRUE(!fake.trap_ack);
	EXPECT_TRUE(!(g.spi[48 - 32].flags & VIRQ_PENDING));
	/* Again, line still high: delivered. */
	fake.phys_pending[48] = true;
	vgic_phys_irq(&g, 0, 48);
	vgic_latched_masked(&g, 0, 48);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake.trap_ack);
	vgic_ack_trap(&g, 0);
	lr = fake_lr_of(48);
	ASSERT_TRUE(lr >= 0);
	EXPECT_EQ(fake.lr[lr].state, LR_STATE_P);
	EXPECT_TRUE(!fake.trap_ack);
	/* Unmasked arrival, an edge SPI, a private one: no trap. */
	fake_guest_ack((unsigned)lr);
	fake_guest_eoi((unsigned)lr);
	vgic_flush(&g, 0);
	vgic_latched_masked(&g, 0, 27);
	dist_w(0, 0xc0c, 4, 2u << 0); /* ICFGR3: SPI 48 edge */
	vgic_phys_irq(&g, 0, 48);
	vgic_latched_masked(&g, 0, 48);
	vgic_flush(&g, 0);
	EXPECT_TRUE(!fake.trap_ack);
}

/*
 * The same on a GICv2, where GICV_IAR cannot trap: the GICC page holding
 * it goes out of stage 2 while the check is armed, for both kinds of HW
 * LR (HW bit, or EOI maintenance as on QEMU's GICv2). The emulated
 * GICV_IAR withdraws an instance whose line fell and reads 1023, or
 * acknowledges one still high; other GICV words pass through and keep the
 * check; the page comes back once no vCPU needs it, and not before the
 * last one; a reset puts it back.
 */
TEST(vgic, v2_level_hw_latched_masked_gicv_page)
{
	for (unsigned qemu = 0; qemu < 2; qemu++) {
		struct lr_val core0[FAKE_LRS], core1[FAKE_LRS];
		uint64_t v = 0;

		setup_gic(2, qemu != 0);
		enable_all_group1();
		dist_w(0, 0x104, 4, 3u << 16); /* enable SPIs 48, 49, level */
		dist_w(0, 0x830, 4, 0x0201u);  /* 48 to vCPU 0, 49 to 1 */
		/* No latch while unmasked: nothing changes in stage 2. */
		fake.phys_pending[48] = true;
		vgic_phys_irq(&g, 0, 48);
		vgic_flush(&g, 0);
		EXPECT_EQ(fake.gicv_changes, 0u);
		ASSERT_TRUE(vgic_gicv_access(&g, 0, VGICV_IAR, 4, false, &v));
		EXPECT_EQ(v, 48u);
		fake_guest_eoi((unsigned)fake_lr_of(48));
		vgic_flush(&g, 0);
		/* Latched while masked: the page goes out. */
		vgic_phys_irq(&g, 0, 48);
		vgic_latched_masked(&g, 0, 48);
		vgic_flush(&g, 0);
		ASSERT_TRUE(fake_lr_of(48) >= 0);
		EXPECT_TRUE(fake.gicv_out);
		EXPECT_EQ(fake.gicv_changes, 1u);
		/* Other words pass through and keep it out. */
		ASSERT_TRUE(vgic_gicv_access(&g, 0, 0x04, 4, true,
					     &(uint64_t){ 0xf0 }));
		EXPECT_EQ(fake.gicv_reg[1], 0xf0u);
		ASSERT_TRUE(vgic_gicv_access(&g, 0, 0x04, 4, false, &v));
		EXPECT_EQ(v, 0xf0u);
		EXPECT_TRUE(fake.gicv_out);
		/* Only words exist there. */
		EXPECT_TRUE(!vgic_gicv_access(&g, 0, VGICV_IAR, 1, false, &v));
		EXPECT_TRUE(!vgic_gicv_access(&g, 0, 0x0e, 4, false, &v));
		EXPECT_TRUE(!vgic_gicv_access(&g, 0, 0x1000, 4, false, &v));
		EXPECT_TRUE(fake.gicv_out);
		/* vCPU 1 latches 49 too: the page stays out for it. The
		 * fake has one set of LRs: each core's are swapped in. */
		memcpy(core0, fake.lr, sizeof(core0));
		memset(fake.lr, 0, sizeof(fake.lr));
		fake.phys_pending[49] = true;
		vgic_phys_irq(&g, 1, 49);
		vgic_latched_masked(&g, 1, 49);
		vgic_flush(&g, 1);
		EXPECT_EQ(fake.gicv_changes, 1u);
		memcpy(core1, fake.lr, sizeof(core1));
		memcpy(fake.lr, core0, sizeof(core0));
		/* Line fell; vCPU 0's GICV_IAR: withdrawn, 1023. */
		fake.phys_pending[48] = false;
		ASSERT_TRUE(vgic_gicv_access(&g, 0, VGICV_IAR, 4, false, &v));
		EXPECT_EQ(v, 1023u);
		EXPECT_EQ(fake_lr_of(48), -1);
		EXPECT_EQ(fake.deactivated[48], 2u);
		EXPECT_TRUE(!g.cpu[0].ack_check);
		EXPECT_TRUE(fake.gicv_out); /* vCPU 1 still checks */
		/* vCPU 1's line is still high: acknowledged as natively, and
		 * the page comes back. */
		memcpy(fake.lr, core1, sizeof(core1));
		ASSERT_TRUE(vgic_gicv_access(&g, 1, VGICV_AIAR, 4, false, &v));
		EXPECT_EQ(v, 49u);
		EXPECT_TRUE(!fake.gicv_out);
		EXPECT_EQ(fake.gicv_changes, 2u);
		/* Out again, then a partition reset brings it back. */
		memset(fake.lr, 0, sizeof(fake.lr));
		vgic_phys_irq(&g, 0, 48);
		fake.phys_pending[48] = true;
		vgic_latched_masked(&g, 0, 48);
		vgic_flush(&g, 0);
		EXPECT_TRUE(fake.gicv_out);
		vgic_reset_state(&g);
		EXPECT_TRUE(!fake.gicv_out);
		EXPECT_EQ(g.gicv_trap, 0u);
	}
	/* A GICv3 never touches the page. */
	setup(3);
	enable_all_group1();
	dist_w(0, 0x104, 4, 1u << 16);
	fake.phys_pending[48] = true;
	vgic_phys_irq(&g, 0, 48);
	vgic_latched_masked(&g, 0, 48);
	vgic_flush(&g, 0);
	EXPECT_TRUE(fake.trap_ack);
	EXPECT_EQ(fake.gicv_changes, 0u);
}

/*
 * A latched level HW SPI evicted from its LR by higher-priority interrupts
 * stays checked while it waits. If its line falls meanwhile (no exit),
 * the guest's first acknowledge (of another interrupt) withdraws it; if
 * the line stays high, it comes back and is delivered.
 */
static bool latch_then_evict(uint32_t version)
{
	bool in_lr;

	setup(version);
	enable_all_group1();
	dist_w(0, 0x104, 4, 1u << 16); /* enable SPI 48, level */
	dist_w(0, 0x430, 1, 0xa0);     /* below the SGIs */
	if (version == 2) {
		dist_w(0, 0x830, 1, 1); /* SPI 48 to vCPU 0 */
	} else {
		redist_w(0, 0x10100, 0xffff); /* enable the SGIs */
	}
	fake.phys_pending[48] = true;
	vgic_phys_irq(&g, 0, 48);
	vgic_latched_masked(&g, 0, 48);
	vgic_flush(&g, 0);
	in_lr = fake_lr_of(48) >= 0;
	for (uint32_t sgi = 0; sgi < FAKE_LRS; sgi++) {
		vgic_send_sgi(&g, 0, sgi, 1u);
	}
	vgic_flush(&g, 0);
	/* Was in an LR, now evicted and waiting, still checked. */
	return in_lr && fake_lr_of(48) == -1 && g.cpu[0].ack_check &&
	       (version == 2 ? fake.gicv_out : fake.trap_ack);
}

/* The guest acknowledges (through the check) and EOIs all four SGIs. */
static bool take_sgis(uint32_t version)
{
	for (uint32_t sgi = 0; sgi < FAKE_LRS; sgi++) {
		int lr = fake_lr_of(sgi);
		uint64_t v = 0;

		if (lr < 0) {
			return false;
		}
		if (version == 2) {
			if (!vgic_gicv_access(&g, 0, VGICV_IAR, 4, false, &v) ||
			    v >= 16) {
				return false;
			}
		} else {
			if (g.cpu[0].ack_check) {
				vgic_ack_trap(&g, 0);
			}
			fake_guest_ack((unsigned)lr);
		}
	}
	for (uint32_t sgi = 0; sgi < FAKE_LRS; sgi++) {
		fake_guest_eoi((unsigned)fake_lr_of(sgi));
	}
	vgic_maintenance(&g, 0);
	return true;
}

TEST(vgic, latched_masked_check_survives_eviction)
{
	for (uint32_t version = 2; version <= 3; version++) {
		/* Line falls while it waits: withdrawn at the first ack. */
		ASSERT_TRUE(latch_then_evict(version));
		fake.phys_pending[48] = false;
		ASSERT_TRUE(take_sgis(version));
		EXPECT_EQ(fake_lr_of(48), -1);
		EXPECT_EQ(fake.deactivated[48], 1u);
		EXPECT_TRUE(!(g.spi[48 - 32].flags & VIRQ_PENDING));
		EXPECT_TRUE(!g.cpu[0].ack_check);
		EXPECT_TRUE(!fake.gicv_out && !fake.trap_ack);
		/* Line stays high: it comes back as natively. */
		ASSERT_TRUE(latch_then_evict(version));
		ASSERT_TRUE(take_sgis(version));
		ASSERT_TRUE(fake_lr_of(48) >= 0);
		EXPECT_EQ(fake.lr[fake_lr_of(48)].state, LR_STATE_P);
		EXPECT_EQ(fake.deactivated[48], 0u);
		EXPECT_TRUE(!g.cpu[0].ack_check);
		EXPECT_TRUE(!fake.gicv_out && !fake.trap_ack);
	}
}

/*
 * Every ID register of both distributor layouts and of a GICv3
 * redistributor (issue 15, item 7: GICD_PIDR2 of a GICv2 read 0 at
 * 0xfe8). PIDR4-7, PIDR0-3, CIDR0-3 in that order, IHI 0048B 4.3.1 and
 * IHI 0069H 12.8; the other version's offsets are reserved.
 */
TEST(vgic, id_registers_both_versions)
{
	static const uint32_t v2[12] = { 0x04, 0, 0, 0, 0x42, 0xb0,
					 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
	static const uint32_t v3[12] = { 0x44, 0, 0, 0, 0x42, 0xb0,
					 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };

	setup(2);
	for (unsigned i = 0; i < 12; i++) {
		uint64_t fast = 0;

		EXPECT_EQ(dist(0, 0xfd0 + 4 * i, 4), v2[i]);
		EXPECT_TRUE(vgic_dist_read_nolock(&g, 0xfd0 + 4 * i, 4, &fast));
		EXPECT_EQ(fast, v2[i]);
		EXPECT_EQ(dist(0, 0xffd0 + 4 * i, 4), 0);
	}
	EXPECT_EQ(dist(0, 0xfcc, 4), 0);
	EXPECT_EQ(dist(0, 0xfe8, 1), ~0ULL); /* word access only */
	setup(3);
	for (unsigned i = 0; i < 12; i++) {
		uint64_t fast = 0;

		EXPECT_EQ(dist(0, 0xffd0 + 4 * i, 4), v3[i]);
		EXPECT_TRUE(vgic_dist_read_nolock(&g, 0xffd0 + 4 * i, 4, &fast));
		EXPECT_EQ(fast, v3[i]);
		EXPECT_EQ(dist(0, 0xfd0 + 4 * i, 4), 0);
		EXPECT_EQ(redist(1, 0x20000 + 0xffd0 + 4 * i, 4), v3[i]);
		EXPECT_EQ(redist(0, 0x1ffd0 + 4 * i, 4), 0); /* SGI_base */
	}
	EXPECT_EQ(dist(0, 0xffcc, 4), 0);
}
