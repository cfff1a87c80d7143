/* SPDX-License-Identifier: MIT */
/* Console input routing (core/console.c). */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

void console_init(unsigned core);
void console_irq(void);
void console_stats(void);

#endif /* HV_CONSOLE_H */
