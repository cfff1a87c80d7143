/* SPDX-License-Identifier: MIT */
/*
 * Channels at run time (docs/channels.md): the shared memory is plain
 * stage-2 mappings made at boot; what runs is the doorbell wiring between
 * the partitions' virtual PL061s. Line 2i of a partition's PL061 is wired
 * to line 2j+1 of the peer's, where i and j are the two ends' indices.
 */
#ifndef HV_CHANNEL_H
#define HV_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

struct partition;
struct vcpu;

bool channel_owns_ipa(const struct vcpu *v, uint64_t ipa);
bool channel_gpio_mmio(struct vcpu *v, uint64_t off, unsigned size,
		       bool write, uint64_t *val);
void channel_reset(struct partition *p);
const char *channel_ro_name(const struct vcpu *v, uint64_t ipa);

#endif /* HV_CHANNEL_H */
