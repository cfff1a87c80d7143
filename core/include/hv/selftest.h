/* SPDX-License-Identifier: MIT */
/* EL2 self-tests (HV_SELFTEST builds only call them). */
#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

#include "hv/vcpu.h"

#define SELFTEST_FID_BASE 0xc6000f00u

void selftest_run(struct vcpu *v, unsigned n);

#endif /* HV_SELFTEST_H */
