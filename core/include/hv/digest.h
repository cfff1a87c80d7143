/* SPDX-License-Identifier: MIT */
/*
 * A digest of the hypervisor's text, reported at boot and to guests (the
 * vendor hypercall HV_HVC_TEXT_DIGEST, core/psci.c), so a test can show an
 * attack left the hypervisor's code unchanged. Not a cryptographic hash:
 * it detects change, not a forger.
 */
#ifndef HV_DIGEST_H
#define HV_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_FNV1A64_INIT 0xcbf29ce484222325ULL

uint64_t digest_fnv1a64(uint64_t h, const void *data, size_t len);
uint64_t digest_hv_text(void);

#endif /* HV_DIGEST_H */
