/* SPDX-License-Identifier: MIT */
/*
 * PSCI for guests, over HVC or a trapped SMC. A partition controls only its
 * own vCPUs; SYSTEM_OFF and SYSTEM_RESET act on the partition alone. Every
 * other function ID gets NOT_SUPPORTED: nothing a guest sends reaches
 * firmware.
 *
 * Arm Power State Coordination Interface, DEN0022D: 5.1 (function list),
 * 5.1.4 CPU_ON, 5.1.5 AFFINITY_INFO, 5.1.9 SYSTEM_OFF, 5.1.10 SYSTEM_RESET,
 * 5.1.14 PSCI_FEATURES. SMC Calling Convention DEN0028: 7.2
 * SMCCC_VERSION, 7.3 SMCCC_ARCH_FEATURES, 7.4-7.6 ARCH_WORKAROUND_1/2/3
 * (arch/arm64/smccc_fw.c: passed to firmware only when it offers them).
 */
#include "hv/arch.h"
#include "hv/digest.h"
#include "hv/hardening.h"
#include "hv/partition.h"
#include "hv/psci.h"
#include "hv/selftest.h"

/* Arguments of a 32-bit function ID are 32-bit (SMCCC 2.6). */
static uint64_t arg(const struct vcpu *v, unsigned n, uint32_t fid)
{
	uint64_t a = v->regs.x[n];

	return (fid & 0x40000000u) ? a : (a & 0xffffffffULL);
}

/* The vCPU a guest MPIDR names: Aff0 = index, other affinity fields 0. */
static struct vcpu *target_vcpu(const struct partition *p, uint64_t mpidr)
{
	if ((mpidr & ~0xffULL) != 0 || (mpidr & 0xff) >= p->cfg->cpu_count) {
		return NULL;
	}
	return p->vcpus[mpidr & 0xff];
}

static int64_t psci_cpu_on(struct vcpu *v, uint64_t mpidr, uint64_t entry,
			   uint64_t ctx)
{
	const struct hv_partition_cfg *c = v->part->cfg;
	struct vcpu *t = target_vcpu(v->part, mpidr);
	uint32_t expect = VCPU_OFF;

	if (t == NULL) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (entry < c->ram_ipa || entry - c->ram_ipa >= c->ram_size ||
	    (entry & 3) != 0) {
		return PSCI_INVALID_ADDRESS;
	}
	/*
	 * DEN0022D 5.1.4, CPU_ON: ON_PENDING is for a caller that races an
	 * earlier CPU_ON whose outcome is not decided yet. Here the claim
	 * below decides it at once: from the successful exchange on, the
	 * target is committed to start at that caller's entry point, and
	 * nothing can make it fail. So a loser of the race is told
	 * ALREADY_ON, whatever stage the winner's start is at: exactly one
	 * SUCCESS, as KVM and QEMU answer. AFFINITY_INFO still reports
	 * ON_PENDING (5.1.5) until the target runs.
	 */
	if (!__atomic_compare_exchange_n(&t->power, &expect, VCPU_CLAIMED,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		return PSCI_ALREADY_ON;
	}
	t->on_entry = entry;
	t->on_context = ctx;
	__atomic_store_n(&t->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	gic_send_ipi(t->pcpu);
	return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(struct vcpu *v, uint64_t mpidr,
				  uint64_t level)
{
	struct vcpu *t = target_vcpu(v->part, mpidr);

	if (t == NULL || level != 0) {
		return PSCI_INVALID_PARAMETERS;
	}
	switch (__atomic_load_n(&t->power, __ATOMIC_ACQUIRE)) {
	case VCPU_ON:
		return 0;
	case VCPU_OFF:
		return 1;
	default:
		return 2; /* ON_PENDING */
	}
}

static bool supported(uint32_t fid)
{
	switch (fid) {
	case SMCCC_VERSION:
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

/**
 * Handle the call in x0 with arguments x1-x3; the result goes to x0.
 * CPU_OFF does not return here; SYSTEM_OFF and SYSTEM_RESET only under
 * the partition's policy "log" (on-system-off, on-system-reset).
 */
void psci_handle(struct vcpu *v)
{
	uint32_t fid = (uint32_t)v->regs.x[0];
	int64_t ret = PSCI_NOT_SUPPORTED;

	/* Both versions are 1.1 (0x10001): two cases on purpose. */
	switch (fid) {
	case PSCI_VERSION: /* NOLINT(bugprone-branch-clone) */
		ret = PSCI_VERSION_RET;
		break;
	case SMCCC_VERSION:
		ret = SMCCC_VERSION_RET;
		break;
	case SMCCC_ARCH_FEATURES:
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_2:
	case SMCCC_ARCH_WORKAROUND_3:
		/* Answered from what firmware offered at boot; only the
		 * workarounds themselves may reach firmware. */
		(void)arch_smccc_guest_call(fid, arg(v, 1, fid), &ret);
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		ret = psci_cpu_on(v, arg(v, 1, fid), arg(v, 2, fid),
				  arg(v, 3, fid));
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		ret = psci_affinity_info(v, arg(v, 1, fid), arg(v, 2, fid));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no trusted OS that needs migration */
		break;
	case PSCI_FEATURES:
		ret = supported((uint32_t)arg(v, 1, fid)) ? 0
							   : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_OFF:
		__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
		vcpu_park(v);
	case PSCI_SYSTEM_OFF:
		/* Returns only under policy "log": the call then fails. */
		(void)partition_event(v, HV_EV_SYSOFF,
				      "guest called PSCI SYSTEM_OFF");
		ret = PSCI_DENIED;
		break;
	case PSCI_SYSTEM_RESET:
		(void)partition_event(v, HV_EV_SYSRESET,
				      "guest called PSCI SYSTEM_RESET");
		ret = PSCI_DENIED;
		break;
	case HV_HVC_TEXT_DIGEST:
		v->regs.x[1] = digest_hv_text();
		ret = 0;
		break;
	default:
#ifdef HV_SELFTEST
		if ((fid & ~0xffu) == SELFTEST_FID_BASE) {
			selftest_run(v, fid & 0xff);
		}
#endif
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	v->regs.x[0] = (uint64_t)ret;
}
