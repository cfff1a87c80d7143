/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the virtual GIC's register emulation and state
 * machine, on the fake list registers of tests/host/fakes. The input is a
 * GIC version byte, then 12-byte operations a guest (or the hardware) can
 * cause: distributor and redistributor accesses of any offset, size and
 * value, SGI register writes, physical interrupts (through the vector's
 * fast path, the private HW fast path or the general path, as the
 * hypervisor takes them), maintenance (the vector's or C's), guest
 * acknowledge/EOI of a list register (or, GICv2, a GICV access while its
 * page is out of stage 2), a latch while the guest was masked, flush and
 * sync; the first byte also
 * picks a GIC that does or does not deactivate at the guest's EOI. Built
 * with ASan and UBSan; any report or crash is a finding, and so is any
 * physical operation on an SPI the partition does not own: the fake
 * hardware aborts on one (tests/host/fakes/vgic_hw_fake.c), the same
 * ownership oracle as the host tests.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hv/config.h"
#include "hv/vgic.h"

#include "fakes/vgic_hw_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vgic g;
static struct hv_partition_cfg c;

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

static void one_op(const uint8_t *op)
{
	unsigned self = op[1] % c.cpu_count;
	unsigned size = 1u << (op[2] & 3);
	bool write = (op[2] & 4) != 0;
	uint32_t off = (uint32_t)op[4] | (uint32_t)op[5] << 8 |
		       (uint32_t)op[6] << 16 | (uint32_t)(op[3] & 3) << 24;
	uint64_t val = le64(op + 4) ^ ((uint64_t)op[3] << 56);

	switch (op[0] % 9) {
	case 0:
		(void)vgic_dist_access(&g, self, off & 0xffff, size, write,
				       &val);
		break;
	case 1:
		(void)vgic_redist_access(&g, self, off & 0x3ffff, size, write,
					 &val);
		break;
	case 2:
		vgic_sgi1r(&g, self, val);
		break;
	case 3:
		/* As irq_entry, then vcpu_take_irqs() take it. */
		if ((op[3] & 4) && fake_vector_irq(&g, self, off & 0x3ff)) {
			break;
		}
		if (!(op[3] & 8) ||
		    !vgic_inject_private_hw(&g, self, off & 0x3ff)) {
			vgic_phys_irq(&g, self, off & 0x3ff);
			if (op[3] & 16) { /* the guest had IRQs masked */
				vgic_latched_masked(&g, self, off & 0x3ff);
			}
		}
		break;
	case 4:
		if (!(op[3] & 4) || !fake_vector_maint(&g, self)) {
			vgic_maintenance(&g, self);
		}
		break;
	case 5:
		if (op[3] & 16) {
			/* A GICv2 GICV access while its page is out (any
			 * offset and size; refused ones change nothing);
			 * on a GICv3 it is never reached. */
			if (g.version == 2) {
				(void)vgic_gicv_access(&g, self, off & 0x1fff,
						       size, write, &val);
			}
			break;
		}
		fake_guest_ack(op[4] % FAKE_LRS);
		break;
	case 6:
		fake_guest_eoi(op[4] % FAKE_LRS);
		break;
	case 7:
		vgic_flush(&g, self);
		vgic_sync(&g, self);
		break;
	default:
		vgic_set_line(&g, (int)self, HV_GUEST_UART_INTID, op[4] & 1);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	fake_partition_cfg(&c);
	fake_reset();
	fake.no_hw_eoi = (data[0] & 2) != 0;
	memset(&g, 0, sizeof(g));
	vgic_init(&g, &c, (data[0] & 1) ? 3 : 2, 256, FAKE_LRS);
	for (size_t i = 1; i + 12 <= size; i += 12) {
		one_op(data + i);
	}
	return 0;
}
