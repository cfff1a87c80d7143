/* SPDX-License-Identifier: MIT */
/*
 * Emulated SP805 watchdog: the register file, the down-counter computed
 * from time, and its interrupt and reset outputs. Enough for Linux's
 * sp805_wdt driver (PrimeCell ID check, load, ping by WdogIntClr, lock)
 * and for Keel. The interrupt output (WDOGINT) is not wired to the
 * partition's GIC: RIS and MIS read back its state; the reset output is
 * what the hypervisor acts on (the partition's watchdog policy).
 *
 * Arm Watchdog Module (SP805) TRM, DDI 0270B: 2.1 (operation: reload at
 * zero, interrupt, then reset if the interrupt is still set), 3.2 (register
 * summary and reset values), 3.3.1-3.3.10 (registers).
 */
#include "hv/vwdt.h"

#define WDOGLOAD 0x000
#define WDOGVALUE 0x004
#define WDOGCONTROL 0x008
#define WDOGINTCLR 0x00c
#define WDOGRIS 0x010
#define WDOGMIS 0x014
#define WDOGLOCK 0xc00
#define WDOGITCR 0xf00
#define WDOGITOP 0xf04
#define WDOG_ID_BASE 0xfe0

#define CTL_INTEN (1u << 0)
#define CTL_RESEN (1u << 1)
#define LOCK_KEY 0x1acce551u

/* WdogPeriphID0-3 then WdogPCellID0-3 (3.3.11-3.3.18): part 0x805,
 * designer 0x41 (Arm), revision 1; the PrimeCell ID 0xb105f00d. */
static const uint8_t vwdt_ids[8] = { 0x05, 0x18, 0x14, 0x00,
				     0x0d, 0xf0, 0x05, 0xb1 };

/** Reset values (TRM 3.2): load and counter 0xffffffff, stopped, no
 * interrupt, write access enabled. */
void vwdt_reset(struct vwdt *w)
{
	w->load = 0xffffffffu;
	w->ctl = 0;
	w->ris = false;
	w->locked = false;
	w->start = 0;
	w->count0 = 0xffffffffu;
}

static bool running(const struct vwdt *w)
{
	return (w->ctl & CTL_INTEN) != 0;
}

/* Tick at which the running counter next reaches zero. */
static uint64_t next_zero(const struct vwdt *w)
{
	return w->start + (uint64_t)w->count0 + 1;
}

/**
 * Process every zero the counter reached up to @now: reload; set the
 * interrupt, or, with the interrupt still set and RESEN on, fire the reset.
 * Returns true if the reset fired (the counter goes on from a reload, as
 * the hardware's does; the hypervisor then applies the policy).
 */
bool vwdt_advance(struct vwdt *w, uint64_t now)
{
	while (running(w) && now >= next_zero(w)) {
		uint64_t period = (uint64_t)w->load + 1;
		bool fire = w->ris && (w->ctl & CTL_RESEN);

		w->ris = true;
		w->start = next_zero(w);
		w->count0 = w->load;
		if (fire) {
			/* Catch up with @now: the zeros skipped would each
			 * fire the reset again; one report stands for them
			 * (a load of 1 has 12 million zeros a second). */
			w->start += (now - w->start) / period * period;
			return true;
		}
		if (!(w->ctl & CTL_RESEN)) {
			/* Nothing more can happen: skip the whole periods
			 * (a loop could take billions of turns). */
			w->start += (now - w->start) / period * period;
		}
	}
	return false;
}

/** See hv/vwdt.h. Pure: does not advance the model. */
uint64_t vwdt_reset_due(const struct vwdt *w)
{
	if (!running(w) || !(w->ctl & CTL_RESEN)) {
		return VWDT_NEVER;
	}
	if (w->ris) {
		return next_zero(w);
	}
	return next_zero(w) + (uint64_t)w->load + 1;
}

/** See hv/vwdt.h. Pure. */
uint64_t vwdt_check_at(const struct vwdt *w, uint64_t now)
{
	uint64_t due = vwdt_reset_due(w);

	if (due == VWDT_NEVER) {
		return VWDT_NEVER;
	}
	return due < now + VWDT_MIN_CHECK_TICKS ? now + VWDT_MIN_CHECK_TICKS
						 : due;
}

static uint32_t value(const struct vwdt *w, uint64_t now)
{
	if (!running(w)) {
		return w->count0;
	}
	return (uint32_t)(w->count0 - (now - w->start));
}

static void restart_counter(struct vwdt *w, uint32_t from, uint64_t now)
{
	w->start = now;
	w->count0 = from;
}

/** A read at offset @off; only naturally aligned 32-bit accesses. */
enum vwdt_result vwdt_read(struct vwdt *w, uint64_t off, unsigned size,
			   uint64_t now, uint64_t *val)
{
	if (size != 4 || (off & 3) != 0) {
		return VWDT_BAD_ACCESS;
	}
	(void)vwdt_advance(w, now);
	switch (off) {
	case WDOGLOAD:
		*val = w->load;
		break;
	case WDOGVALUE:
		*val = value(w, now);
		break;
	case WDOGCONTROL:
		*val = w->ctl;
		break;
	case WDOGRIS:
		*val = w->ris ? 1 : 0;
		break;
	case WDOGMIS:
		*val = (w->ris && (w->ctl & CTL_INTEN)) ? 1 : 0;
		break;
	case WDOGLOCK:
		*val = w->locked ? 1 : 0;
		break;
	default:
		/* WdogIntClr is write-only; integration test registers and
		 * reserved space read as zero. */
		*val = off >= WDOG_ID_BASE ? vwdt_ids[(off - WDOG_ID_BASE) / 4]
					   : 0;
		break;
	}
	return VWDT_OK;
}

/**
 * A write at offset @off. While locked only WdogLock itself is written
 * (3.3.7). Loading restarts the counter from the new value (3.3.1); the
 * interrupt clear reloads it from WdogLoad (3.3.4); enabling the
 * interrupt, which also starts the counter, reloads it (3.3.3).
 */
enum vwdt_result vwdt_write(struct vwdt *w, uint64_t off, unsigned size,
			    uint64_t val, uint64_t now)
{
	uint32_t v = (uint32_t)val;

	if (size != 4 || (off & 3) != 0) {
		return VWDT_BAD_ACCESS;
	}
	(void)vwdt_advance(w, now);
	if (off == WDOGLOCK) {
		w->locked = v != LOCK_KEY;
		return VWDT_OK;
	}
	if (w->locked) {
		return VWDT_OK;
	}
	switch (off) {
	case WDOGLOAD:
		w->load = v;
		restart_counter(w, v, now);
		break;
	case WDOGCONTROL:
		if ((v & CTL_INTEN) && !running(w)) {
			restart_counter(w, w->load, now);
		} else if (!(v & CTL_INTEN) && running(w)) {
			w->count0 = value(w, now); /* frozen */
		}
		w->ctl = v & (CTL_INTEN | CTL_RESEN);
		break;
	case WDOGINTCLR:
		w->ris = false;
		restart_counter(w, w->load, now);
		break;
	default:
		break; /* read-only, test registers, reserved: ignored */
	}
	return VWDT_OK;
}
