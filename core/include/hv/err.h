/* SPDX-License-Identifier: MIT */
/*
 * Typed error codes. Functions returning hv_err_t are marked must-check, so a
 * caller cannot silently drop a failure.
 */
#ifndef HV_ERR_H
#define HV_ERR_H

typedef enum {
	HV_OK = 0,
	HV_ENOMEM,  /* static pool exhausted */
	HV_EEXIST,  /* would overmap an existing, different mapping */
	HV_EINVAL,  /* malformed argument */
	HV_ERANGE,  /* address outside the translation range */
	HV_ESEALED, /* boot-time resource requested after boot */
} hv_err_t;

#define __must_check __attribute__((warn_unused_result))

/** Propagate a non-OK result to the caller. */
#define TRY(expr)                               \
	do {                                    \
		hv_err_t try_err_ = (expr);     \
		if (try_err_ != HV_OK) {        \
			return try_err_;        \
		}                               \
	} while (0)

#endif /* HV_ERR_H */
