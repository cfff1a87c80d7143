/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the trap decoder. The input is a syndrome (ESR_EL2),
 * a fault address pair (HPFAR_EL2, FAR_EL2) and a hardware ID register
 * value; every ESR accessor, the fault-IPA computation, the trapped
 * system register policy and the ID sanitiser run on them, with the
 * invariants they promise checked (an abort on a broken one).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/esr.h"
#include "arch/sysreg_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t word(const uint8_t *data, size_t size, size_t i)
{
	uint64_t v = 0;

	if (size >= 8 * (i + 1)) {
		memcpy(&v, data + 8 * i, 8);
	}
	return v;
}

static void check(int ok)
{
	if (!ok) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t esr = word(data, size, 0), hpfar = word(data, size, 1);
	uint64_t far = word(data, size, 2), hw = word(data, size, 3);
	uint64_t enc = sysreg_enc(esr);
	enum sysreg_action a = sysreg_classify(enc, esr & ESR_SYS_READ);
	enum sysreg_id id = sysreg_id_index(enc);
	unsigned sz = esr_dabt_size(esr);

	check(esr_ec(esr) < 64);
	check(sz == 1 || sz == 2 || sz == 4 || sz == 8);
	check(esr_dabt_srt(esr) < 32);
	check(esr_fsc(esr) < 64);
	check((esr_fault_ipa(hpfar, far) & 0xfff) == (far & 0xfff));
	check(esr_fault_ipa(hpfar, far) < (1ULL << 52));
	check(a <= SR_ICC_RETRY);
	check(sysreg_action_name(a) != NULL);
	check(id <= ID_RAZ);
	/* Rt and direction never change the register named. */
	check(sysreg_enc(esr ^ ESR_SYS_RT ^ ESR_SYS_READ) == enc);
	if (a == SR_ID) {
		check((esr & ESR_SYS_READ) != 0);
	}
	for (unsigned i = 0; i <= ID_COUNT; i++) {
		uint64_t once = sysreg_id_sanitise((enum sysreg_id)i, hw);

		check(sysreg_id_sanitise((enum sysreg_id)i, once) == once);
	}
	/* PMUVer, SVE, SME and MTE never show. */
	check((sysreg_id_sanitise(ID_DFR0, hw) & 0xf00) == 0);
	check((sysreg_id_sanitise(ID_PFR0, hw) & (0xfULL << 32)) == 0);
	check((sysreg_id_sanitise(ID_PFR1, hw) & (0xfULL << 24)) == 0);
	check((sysreg_id_sanitise(ID_PFR1, hw) & (0xfULL << 8)) == 0);
	check((sysreg_id_sanitise(ID_MMFR0, hw) & 0xf) <= 2);
	return 0;
}
