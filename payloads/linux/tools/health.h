/* SPDX-License-Identifier: MIT */
/* bhtool's partition-health commands (health.c, docs/lifecycle.md). */
#ifndef BHTOOL_HEALTH_H
#define BHTOOL_HEALTH_H

int health_cmd(void);
__attribute__((noreturn)) void ticker_cmd(void);

#endif
