/* SPDX-License-Identifier: MIT */
/*
 * Guest exits: the one switch on the exception class, and trap_finish(),
 * the only place that advances the guest PC or injects an exception.
 *
 * Arm ARM DDI 0487 J.a, D19.2.40 "ESR_EL2": EC encodings and ISS layouts.
 */
#include "hv/arch.h"
#include "hv/channel.h"
#include "hv/config.h"
#include "hv/hardening.h"
#include "hv/log.h"
#include "hv/partition.h"
#include "hv/psci.h"
#include "hv/trap.h"

#include "arch/esr.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

#define GICD_SGIR_OFF 0xf00 /* GICv2 GICD_SGIR (IHI 0048B 4.3.15) */

/* Sign- or zero-extend a loaded value as the ISS says (SSE, SF). */
static uint64_t extend_load(uint64_t val, unsigned size, uint64_t esr)
{
	unsigned bits = 8 * size;

	if (esr_dabt_sse(esr) && bits < 64 && (val & (1ULL << (bits - 1)))) {
		val |= ~0ULL << bits;
	}
	if (!esr_dabt_sf(esr)) {
		val &= 0xffffffffULL;
	}
	return val;
}

/* The virtual UART: a partition-locked register file. Output it hands
 * over (a completed line, or the focused partition's bytes) goes into the
 * console's ring under the lock, so it keeps its order against a focus
 * switch (core/console.c); it is sent after the lock is dropped. */
static bool mmio_uart(struct vcpu *v, uint64_t off, unsigned size,
		      bool write, uint64_t *val)
{
	struct partition *p = v->part;
	enum vpl011_result r;
	char out[VPL011_OUT_MAX];
	size_t len = 0;

	spin_lock(&p->lock);
	if (write) {
		r = vpl011_write(&p->uart, off, size, *val, out, &len);
		if (len != 0 && p->uart.direct) {
			log_partition_raw(p->index, out, len, false);
		} else if (len != 0) {
			log_partition_line(p->index, p->cfg->name, out,
					   len - 1, false);
		}
	} else {
		r = vpl011_read(&p->uart, off, size, val);
	}
	/* Lock order: partition lock, then vgic lock. */
	spin_lock(&p->vgic.lock);
	vgic_set_line(&p->vgic, (int)v->index, VGIC_UART_INTID,
		      vpl011_irq_level(&p->uart));
	spin_unlock(&p->vgic.lock);
	spin_unlock(&p->lock);
	if (len != 0) {
		log_kick();
		health_set_console_dropped(p, log_dropped(p->index));
	}
	return r == VPL011_OK;
}

static bool in_wdog(uint64_t ipa)
{
	return ipa >= HV_GUEST_WDOG_IPA &&
	       ipa < HV_GUEST_WDOG_IPA + HV_GUEST_WDOG_SIZE;
}

/*
 * After partition_fault() returned: under policy "log" the faulting data
 * access or instruction is skipped (a load with a syndrome reads as zero;
 * without one its registers are left alone); otherwise an exception was
 * injected and the guest resumes at its vector.
 */
static enum trap_result skip_or_resume(struct vcpu *v, uint64_t esr,
				       enum fault_result r)
{
	if (r != FAULT_SKIP) {
		return TRAP_HANDLED_NO_ADV;
	}
	if (esr_ec(esr) == ESR_EC_DABT_LOW && esr_dabt_isv(esr) &&
	    !esr_dabt_write(esr)) {
		vcpu_set_reg(v, esr_dabt_srt(esr), 0);
	}
	return TRAP_HANDLED;
}

/* Which emulated device, if any, @ipa falls in (as an exit kind). */
static enum vcpu_exit mmio_kind(const struct vcpu *v, uint64_t ipa)
{
	if (ipa >= HV_GUEST_UART_IPA &&
	    ipa < HV_GUEST_UART_IPA + HV_GUEST_UART_SIZE) {
		return EXIT_UART;
	}
	if (vgic_owns_ipa(v, ipa)) {
		return EXIT_GIC;
	}
	if (channel_owns_ipa(v, ipa)) {
		return EXIT_GPIO;
	}
	if (in_wdog(ipa)) {
		return EXIT_WDOG;
	}
	return EXIT_ABORT;
}

/*
 * Carry out an access to emulated device @kind, decoded from the syndrome
 * (ISV = 1): size, register, direction and sign extension (Arm ARM DDI
 * 0487 J.a, D19.2.40, "ISS encoding for an exception from a Data Abort").
 * Returns false, having changed nothing, if the device refuses it.
 */
static bool mmio_access(struct vcpu *v, enum vcpu_exit kind, uint64_t esr,
			uint64_t ipa)
{
	unsigned size = esr_dabt_size(esr);
	unsigned rt = esr_dabt_srt(esr);
	bool write = esr_dabt_write(esr);
	uint64_t val = 0;
	bool ok;

	if (write) {
		val = vcpu_get_reg(v, rt);
		if (size < 8) {
			val &= (1ULL << (8 * size)) - 1;
		}
	}
	switch (kind) {
	case EXIT_UART:
		ok = mmio_uart(v, ipa - HV_GUEST_UART_IPA, size, write, &val);
		break;
	case EXIT_GPIO:
		ok = channel_gpio_mmio(v, ipa - HV_GUEST_GPIO_IPA, size, write,
				       &val);
		break;
	case EXIT_WDOG:
		ok = health_wdog_mmio(v, ipa - HV_GUEST_WDOG_IPA, size, write,
				      &val);
		break;
	default:
		ok = vgic_mmio(v, ipa, size, write, &val);
		break;
	}
	if (ok && !write) {
		vcpu_set_reg(v, rt, extend_load(val, size, esr));
	}
	return ok;
}

static enum trap_result trap_mmio(struct vcpu *v, enum vcpu_exit kind,
				  uint64_t esr, uint64_t ipa)
{
	vcpu_count(v, kind);
	if (!mmio_access(v, kind, esr, ipa)) {
		return skip_or_resume(v, esr,
				      partition_fault(v, FAULT_DATA_ABORT,
						      "emulated device access "
						      "of unsupported width or "
						      "alignment",
						      ipa));
	}
	return TRAP_HANDLED;
}

/*
 * A light exit handled the instruction: step ELR_EL2 past it by its
 * length, ESR_EL2.IL, as trap_finish() does: with EL1 in AArch64, an
 * exception from AArch32 EL0 (a 16-bit Thumb store included) comes through
 * this same vector, for a lower EL using AArch64 (DDI 0487 J.a, D1.10.2
 * "Exception vectors"; D19.2.40 ESR_EL2.IL). And end a software step in
 * progress, as trap_finish() does.
 */
static void light_step(uint64_t esr)
{
	uint64_t spsr = read_sysreg(spsr_el2);

	write_sysreg(elr_el2, read_sysreg(elr_el2) + (esr_il32(esr) ? 4 : 2));
	if (spsr & SPSR_SS) {
		write_sysreg(spsr_el2, spsr & ~SPSR_SS);
	}
}

/*
 * The light exit (arch/arm64/vectors.S, guest_sync): a data abort with a
 * syndrome, on which the vector saved only x0-x18 and x30 (the registers
 * a C call may change; AAPCS64 5.1.1) and ELR_EL2/SPSR_EL2 are still live.
 * Handles an access to the virtual GIC or UART through a register it
 * saved: performs it, steps ELR_EL2 past the instruction and returns true,
 * for the vector to restore and ERET. Anything else returns false having
 * changed nothing, and the vector completes the save and calls
 * arch_trap_sync(), which handles the exit in full (a refused access is
 * side-effect free: it is simply repeated there, and faulted). Requests
 * for this vCPU (stop, restart, halt) come with a kick, taken right after
 * the ERET; interrupts made deliverable here are loaded before it.
 */
bool arch_trap_dabt_light(struct vcpu *v, uint64_t esr)
{
	unsigned rt = esr_dabt_srt(esr);
	unsigned size = esr_dabt_size(esr);
	enum vcpu_exit kind;
	uint64_t ipa;
	uint64_t val;

	/* Emulated devices are never mapped: their accesses are stage-2
	 * translation faults (ESR_EL2.ISS.DFSC 0b0001LL). */
	if ((rt > 18 && rt < 30) ||
	    (esr_fsc(esr) & FSC_TYPE_MASK) != FSC_TRANSLATION ||
	    esr_dabt_s1ptw(esr)) {
		return false;
	}
	ipa = esr_fault_ipa(read_sysreg(hpfar_el2), read_sysreg(far_el2));
	/* A read that changes nothing (UARTFR polled for every character
	 * written, GICD_CTLR polled after distributor writes, ...) needs no
	 * lock, and no interrupt changes with it. */
	if (!esr_dabt_write(esr)) {
		uint64_t gicd = ipa - HV_GUEST_GICD_IPA;
		uint64_t uart = ipa - HV_GUEST_UART_IPA;
		bool answered;

		if (uart < HV_GUEST_UART_SIZE) {
			kind = EXIT_UART;
			answered = vpl011_read_nolock(&v->part->uart, uart,
						      size, &val);
		} else {
			kind = EXIT_GIC;
			answered = gicd < HV_GUEST_GICD_SIZE &&
				   vgic_dist_read_nolock(&v->part->vgic, gicd,
							 size, &val);
		}
		if (answered) {
			vcpu_set_reg(v, rt, extend_load(val, size, esr));
			goto done;
		}
	}
	/* GICD_SGIR (IHI 0048B 4.3.15), a word write: posted without the
	 * vGIC lock to the partition's own vCPUs (vgic_sgir_targets(),
	 * vgic_sgi_post()). Its register is x0-x18, x30 or xzr here. */
	if (ipa == HV_GUEST_GICD_IPA + GICD_SGIR_OFF && size == 4 &&
	    esr_dabt_write(esr) && v->part->vgic.version == 2) {
		struct vgic *g = &v->part->vgic;
		uint32_t sgir = (uint32_t)vcpu_get_reg(v, rt);

		vgic_sgi_post(g, v->index, sgir & 15,
			      vgic_sgir_targets(g, v->index, sgir));
		kind = EXIT_GIC;
		goto done;
	}
	kind = mmio_kind(v, ipa);
	if ((kind != EXIT_GIC && kind != EXIT_UART) ||
	    !mmio_access(v, kind, esr, ipa)) {
		return false;
	}
	vcpu_vgic_sync(v);
done:
	vcpu_count(v, kind);
	light_step(esr);
	return true;
}

/*
 * A data abort from the guest: a stage-2 fault. Emulated devices are
 * dispatched by IPA; anything else is outside the partition's map.
 */
static enum trap_result trap_dabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	enum vcpu_exit kind;
	uint64_t ipa;

	if (!esr_fsc_is_s2_kind(esr) || esr_dabt_s1ptw(esr)) {
		return skip_or_resume(
			v, esr,
			partition_fault(v, FAULT_DATA_ABORT,
					esr_dabt_s1ptw(esr)
						? "stage-1 table walk outside its memory"
						: "external abort on data access",
					far));
	}
	ipa = esr_fault_ipa(read_sysreg(hpfar_el2), far);
	kind = mmio_kind(v, ipa);
	if (kind != EXIT_ABORT) {
		if (!esr_dabt_isv(esr)) {
			return skip_or_resume(
				v, esr,
				partition_fault(v, FAULT_DATA_ABORT,
						"emulated device access with no "
						"syndrome (pair, writeback or "
						"SIMD)",
						ipa));
		}
		return trap_mmio(v, kind, esr, ipa);
	}
	vcpu_count(v, EXIT_ABORT);
	if (esr_dabt_write(esr) && channel_ro_name(v, ipa) != NULL) {
		/* A stage-2 permission fault: a read-only channel end. */
		char what[HV_NAME_LEN + 48];

		fmt_snprintf(what, sizeof(what),
			     "write to read-only channel \"%s\"",
			     channel_ro_name(v, ipa));
		return skip_or_resume(v, esr,
				      partition_fault(v, FAULT_DATA_ABORT,
						      what, ipa));
	}
	return skip_or_resume(v, esr,
			      partition_fault(v, FAULT_DATA_ABORT,
					      esr_dabt_write(esr)
						      ? "write outside its memory"
						      : "read outside its memory",
					      ipa));
}

static enum trap_result trap_iabt(struct vcpu *v, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t addr = far;

	if (esr_fsc_is_s2_kind(esr)) {
		addr = esr_fault_ipa(read_sysreg(hpfar_el2), far);
	}
	(void)partition_fault(v, FAULT_INSN_ABORT,
			      "instruction fetch outside its memory", addr);
	return TRAP_HANDLED_NO_ADV; /* "log" injects here: never skipped */
}

/*
 * HVC #imm: SMCCC uses imm 0; the preferred return address is already the
 * next instruction (D19.2.40: ELR for HVC). SMC trapped by HCR_EL2.TSC
 * returns to the SMC itself, so it is advanced by trap_finish().
 */
static enum trap_result trap_hvc(struct vcpu *v, uint64_t esr)
{
	if ((esr & 0xffff) != 0) {
		v->regs.x[0] = (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
	} else {
		psci_handle(v);
	}
	return TRAP_HANDLED_NO_ADV;
}

static enum trap_result trap_smc(struct vcpu *v, uint64_t esr)
{
	if ((esr & 0xffff) != 0) {
		v->regs.x[0] = (uint64_t)(int64_t)PSCI_NOT_SUPPORTED;
	} else {
		psci_handle(v);
	}
	return TRAP_HANDLED;
}

static void trap_finish(struct vcpu *v, uint64_t esr, enum trap_result r)
{
	switch (r) {
	case TRAP_HANDLED:
		v->regs.elr += esr_il32(esr) ? 4 : 2;
		/* The instruction is done: a software step in progress ends
		 * here (PSTATE.SS 0 in SPSR, DDI 0487 J.a D2.12.5 "Entering
		 * the active-pending state"), so the guest takes its step
		 * exception right after it, not one instruction later. */
		v->regs.spsr &= ~SPSR_SS;
		break;
	case TRAP_INJECT_UNDEF:
		arch_inject_undef(v);
		break;
	case TRAP_HANDLED_NO_ADV:
		break;
	}
	vcpu_check_requests(v);
	vcpu_vgic_sync(v);
}

/** Synchronous exit from the guest: decode and handle. */
void arch_trap_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);
	enum trap_result r;

	arch_spectre_exit();
	switch (esr_ec(esr)) {
	case ESR_EC_HVC64:
		vcpu_count(v, EXIT_HVC);
		r = trap_hvc(v, esr);
		break;
	case ESR_EC_SMC64:
		vcpu_count(v, EXIT_SMC);
		r = trap_smc(v, esr);
		break;
	case ESR_EC_DABT_LOW:
		r = trap_dabt(v, esr);
		break;
	case ESR_EC_IABT_LOW:
		vcpu_count(v, EXIT_ABORT);
		r = trap_iabt(v, esr);
		break;
	case ESR_EC_SYS64:
		vcpu_count(v, EXIT_SYSREG);
		r = sysreg_trap(v, esr); /* sysreg_trap.c */
		break;
	case ESR_EC_WFX:
		vcpu_count(v, EXIT_WFX);
		r = TRAP_HANDLED; /* only trapped if TWI/TWE are set */
		break;
	default:
		vcpu_count(v, EXIT_OTHER);
		r = skip_or_resume(v, esr,
				   partition_fault(v, FAULT_UNHANDLED,
						   "unhandled trap", esr));
		break;
	}
	trap_finish(v, esr, r);
}

/** Interrupt exit: kicks, maintenance, and interrupts to forward. */
void arch_trap_irq(struct vcpu *v)
{
	arch_spectre_exit();
	vcpu_count(v, EXIT_IRQ);
	vcpu_take_irqs(v);
	vcpu_check_requests(v);
	if (pcpu_this()->reg.throttled != 0) {
		arch_regulate_hold(v); /* its memory budget is spent */
	}
	vcpu_vgic_sync(v);
}

/** Asynchronous external abort while the guest ran. */
void arch_trap_serror(struct vcpu *v)
{
	(void)partition_fault(v, FAULT_SERROR, "SError", read_sysreg(esr_el2));
	vcpu_check_requests(v);
}

/** The vector for a lower EL using AArch32: only reachable with EL1 in
 * AArch32, which HCR_EL2.RW rules out (AArch32 EL0 exceptions come through
 * the AArch64 vector, D1.10.2): a partition fault if it ever happens. */
void arch_trap_aarch32(struct vcpu *v)
{
	(void)partition_fault(v, FAULT_AARCH32, "exception from AArch32",
			      read_sysreg(esr_el2));
	vcpu_check_requests(v);
}
