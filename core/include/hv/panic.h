/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor invariants. CHECK() is always on: a broken invariant stops all
 * cores with a message; a guest can never trigger one (guest input is
 * validated and answered with an error or a partition fault instead).
 */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include "hv/log.h"

/** Print the message, stop every core. Never returns. */
__attribute__((noreturn)) void hv_panic(const char *fmt, ...) HV_PRINTF(1, 2);

/** Stop this core after another one panicked (it set hv_halted). */
__attribute__((noreturn)) void hv_halt_self(void);

/*
 * After a call that does not return (it is declared noreturn): control
 * never gets here, and a reader sees that nothing falls through to the
 * next statement or case.
 */
#define UNREACHABLE() __builtin_unreachable()

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			hv_panic("CHECK failed: %s at %s:%d", #cond,     \
				 __FILE__, __LINE__);                    \
		}                                                        \
	} while (0)

#endif /* HV_PANIC_H */
