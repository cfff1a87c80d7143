/* SPDX-License-Identifier: MIT */
/*
 * The fuzzing guest: a seeded, bounded stream of pseudo-random HVCs, SMCs,
 * accesses to the emulated devices (GIC distributor and redistributors,
 * PL011) and system register accesses, the last generated as MRS/MSR/SYS
 * instruction words in its own memory and executed. Every exception it
 * provokes is caught by its own hook and counted; the hypervisor must
 * never panic and a neighbour partition keeps its heartbeat.
 *
 * With two vCPUs or more (issue 16, item 6) vCPU 0 also starts vCPU 1
 * with PSCI CPU_ON whenever it is off; vCPU 1 then sends SGIs to vCPU 0 (by
 * ICC_SGI1R_EL1 and by GICD_SGIR: one of the two is the right one for the
 * GIC, the other must fail cleanly), pends and enables SGIs in vCPU 0's
 * redistributor (a remote vGIC update) and calls CPU_OFF. And both load
 * from and store to random addresses outside its RAM and its devices
 * ("wild" accesses), which must end in injected aborts.
 *
 * Boot arguments: seed=N (default 1) or seed=time (a new seed each boot
 * in real time: the virtual counter at entry), iters=N (default 20000),
 * report=N (a progress line every N iterations, default iters / 4),
 * start-ms=N (wait first, so the neighbour is up; default 300).
 * The seed is printed first, so a run is reproduced by passing it; under
 * icount a seed gives the same exception count every run.
 *
 * Kept out of the stream, because they would only stop the fuzzer itself:
 * PSCI CPU_OFF, SYSTEM_OFF and SYSTEM_RESET; CPU_ON at an entry in its
 * own RAM (an own vCPU that is off would run garbage and fault until the
 * hypervisor stops the partition for making no progress: make fuzz's
 * seed 30750625 did at iteration 112659, on GICv2 under icount too);
 * writes of the registers it
 * runs on (SCTLR, TTBR/TCR, SP/ELR/SPSR/PSTATE, VBAR, timers, CPACR,
 * TPIDR); DC ZVA and other by-address maintenance with a random address;
 * and writes of the PL011 data and control registers (its own console).
 */
#include "guest.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define UART 0x09000000UL

static uint64_t rng, rng1; /* vCPU 0's stream; vCPU 1's */
static volatile unsigned n_exc;
static uint32_t code[2] __attribute__((aligned(64)));
static struct dt_info dt;
static volatile uint32_t v1_running; /* set by vCPU 0, cleared by vCPU 1 */
static uint64_t v1_runs;

bool guest_fault_hook(uint64_t kind, uint64_t esr, uint64_t far)
{
	(void)kind;
	(void)esr;
	(void)far;
	__atomic_fetch_add(&n_exc, 1, __ATOMIC_RELAXED);
	return true;
}

static uint64_t xorshift(uint64_t *r)
{
	*r ^= *r << 13;
	*r ^= *r >> 7;
	*r ^= *r << 17;
	return *r;
}

static uint64_t next(void)
{
	return xorshift(&rng);
}

static bool stops_self(uint32_t fid)
{
	return fid == 0x84000002u || fid == 0x84000008u ||
	       fid == 0x84000009u || (fid & ~0xffu) == 0xc6000f00u;
}

static uint32_t random_fid(void)
{
	static const uint32_t known[] = {
		0x80000000, 0x80000001, 0x80008000, 0x80007fff, 0x80003fff,
		0x84000000, 0x84000001, 0xc4000001, 0x84000003, 0xc4000003,
		0x84000004, 0xc4000004, 0x84000005, 0x84000006, 0x8400000a,
		0x8400000c, 0xc400000e, 0x84000012, 0x82000000, 0xc6000000,
	};
	uint64_t r = next();
	uint32_t fid;

	if (r & 1) {
		fid = known[(r >> 8) % (sizeof(known) / sizeof(known[0]))];
	} else {
		fid = (uint32_t)(r >> 16);
	}
	return stops_self(fid) ? 0x84000000u : fid;
}

static void do_call(bool smc)
{
	uint32_t fid = random_fid();
	uint64_t a1 = next(), a2 = next(), a3 = next();

	/* Small numbers hit the interesting paths (vCPU indices, levels). */
	if (next() & 1) {
		a1 &= 7;
	}
	/* CPU_ON (SMC32 or SMC64) at an entry in its own RAM would start an
	 * own vCPU that is off on garbage (a random 32-bit entry lands there
	 * one time in 64): move such an entry past the RAM, where the call
	 * must be refused (INVALID_ADDRESS). */
	if ((fid & ~0x40000000u) == 0x84000003u) {
		uint64_t entry = fid == 0x84000003u ? (uint32_t)a2 : a2;

		if (entry >= dt.mem_base && entry < dt.mem_base + dt.mem_size) {
			a2 = dt.mem_base + dt.mem_size + (a2 & 0xffffcu);
		}
	}
	if (smc) {
		(void)smc_call(fid, a1, a2, a3);
	} else {
		(void)psci_call(fid, a1, a2, a3);
	}
}

static void do_mmio(void)
{
	uint64_t r = next();
	unsigned size = 1u << ((r >> 4) & 3);
	bool write = (r >> 6) & 1;
	uint64_t val = next();
	uint64_t addr;

	switch (r & 3) {
	case 0:
	case 1:
		addr = GICD + ((r >> 8) & 0xffff);
		break;
	case 2:
		addr = GICR + ((r >> 8) & 0x3ffff);
		break;
	default:
		addr = UART + ((r >> 8) & 0xfff);
		/* Its own console: leave DR, RSR, IBRD..CR alone. */
		if (write && (addr - UART < 0x8 ||
			      (addr - UART >= 0x24 && addr - UART < 0x34))) {
			write = false;
		}
		break;
	}
	if ((next() & 3) != 0) {
		addr &= ~(uint64_t)(size - 1); /* mostly aligned */
	}
	switch (size | (write ? 16 : 0)) {
	case 1:
		(void)*(volatile uint8_t *)addr;
		break;
	case 2:
		(void)*(volatile uint16_t *)addr;
		break;
	case 4:
		(void)*(volatile uint32_t *)addr;
		break;
	case 8:
		(void)*(volatile uint64_t *)addr;
		break;
	case 17:
		*(volatile uint8_t *)addr = (uint8_t)val;
		break;
	case 18:
		*(volatile uint16_t *)addr = (uint16_t)val;
		break;
	case 20:
		*(volatile uint32_t *)addr = (uint32_t)val;
		break;
	default:
		*(volatile uint64_t *)addr = val;
		break;
	}
}

/*
 * A load or store of random size at a random address outside this
 * partition's RAM and outside 0x08000000-0x0a000000 (the GIC, the UART
 * and the other devices of QEMU virt's low map): nothing is mapped there
 * for it, so every one must end in an injected abort, caught here.
 */
static void do_wild(uint64_t (*rnd)(void))
{
	uint64_t r = rnd();
	uint64_t addr = rnd();
	uint64_t val = rnd();

	addr &= (r & 1) ? 0xffffffffULL : 0xffffffffffULL; /* 4 GiB or 1 TiB */
	addr &= ~7ULL;
	if ((addr >= dt.mem_base && addr < dt.mem_base + dt.mem_size) ||
	    (addr >= 0x08000000ULL && addr < 0x0a000000ULL)) {
		addr = dt.mem_base + dt.mem_size + (addr & 0xffffff8ULL);
	}
	if ((r >> 1) & 1) {
		__asm__ volatile("str %0, [%1]" : : "r"(val), "r"(addr)
				 : "memory");
	} else if ((r >> 2) & 1) {
		__asm__ volatile("ldr %0, [%1]" : "+r"(val) : "r"(addr)
				 : "memory");
	} else {
		__asm__ volatile("ldrb %w0, [%1]" : "+r"(val) : "r"(addr)
				 : "memory");
	}
}

static uint64_t next1(void)
{
	return xorshift(&rng1);
}

/* vCPU 1's turn: SGIs to vCPU 0, a remote redistributor update, wild
 * accesses, then CPU_OFF. */
static void v1_burst(void)
{
	for (unsigned i = 0; i < 8; i++) {
		uint64_t r = next1();
		uint64_t sgi = r & 15;

		switch ((r >> 4) % 4) {
		case 0: /* ICC_SGI1R_EL1: Aff0 target list = vCPU 0 */
			__asm__ volatile("msr S3_0_C12_C11_5, %0; isb"
					 : : "r"((sgi << 24) | 1));
			break;
		case 1: /* GICD_SGIR: CPU target list = CPU interface 0 */
			*(volatile uint32_t *)(GICD + 0xf00) =
				(uint32_t)((1u << 16) | sgi);
			break;
		case 2: /* vCPU 0's SGI frame: ISENABLER0, ISPENDR0 */
			*(volatile uint32_t *)(GICR + 0x10000 + 0x100) =
				(uint32_t)(r >> 8);
			*(volatile uint32_t *)(GICR + 0x10000 + 0x200) =
				(uint32_t)(r >> 40);
			break;
		default:
			do_wild(next1);
			break;
		}
	}
}

/* May a random MSR to (op0, op1, CRn, CRm) run without stopping us? */
static bool write_allowed(unsigned op0, unsigned op1, unsigned crn,
			  unsigned crm, unsigned op2)
{
	if (op0 == 2) {
		return true; /* debug and trace: RAZ/WI or UNDEF */
	}
	if (op1 != 0 && op1 != 3) {
		return true; /* IMPDEF, EL2, EL3: trap or UNDEF */
	}
	if (op1 == 3 && crn == 14) {
		return crm >= 8; /* PMU event counters, not the timers */
	}
	return crn == 0 || crn == 9 || crn == 11 || crn == 15 ||
	       (crn == 1 && crm == 0 && op1 == 0 && op2 == 1); /* ACTLR */
}

static void do_sysreg(void)
{
	uint64_t r = next();
	unsigned op0 = 2 + (unsigned)(r & 1);
	unsigned op1 = (r >> 1) & 7, crn = (r >> 4) & 15;
	unsigned crm = (r >> 8) & 15, op2 = (r >> 12) & 7;
	bool read = (r >> 15) & 1;
	uint64_t (*fn)(uint64_t) = (uint64_t(*)(uint64_t))(uintptr_t)code;

	if ((r >> 16) % 8 == 0) {
		/* Set/way maintenance with a random operand (op0 1). */
		static const unsigned crms[] = { 6, 10, 14 };

		op0 = 1;
		op1 = 0;
		crn = 7;
		crm = crms[(r >> 20) % 3];
		op2 = 2;
		read = false;
	} else if (!read && !write_allowed(op0, op1, crn, crm, op2)) {
		read = true;
	}
	code[0] = 0xd5000000u | (read ? 1u << 21 : 0) | op0 << 19 |
		  op1 << 16 | crn << 12 | crm << 8 | op2 << 5; /* Rt = x0 */
	code[1] = 0xd65f03c0u; /* RET */
	__asm__ volatile("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb"
			 :
			 : "r"(code)
			 : "memory");
	(void)fn(next());
}

/* "seed=time": the virtual counter at entry, which differs from boot to
 * boot in real time (not under icount); the seed is printed, and passing
 * it as seed=N repeats the run. */
static bool seed_from_time(const char *args)
{
	static const char want[] = "seed=time";

	for (const char *p = args; *p; p++) {
		unsigned i = 0;

		while (want[i] && p[i] == want[i]) {
			i++;
		}
		if (!want[i] && (p == args || p[-1] == ' ')) {
			return true;
		}
	}
	return false;
}

/* vCPU 0: start vCPU 1 if it is off (AFFINITY_INFO says 1). */
static void do_cpu_on(void)
{
	if (dt.cpus < 2 || __atomic_load_n(&v1_running, __ATOMIC_ACQUIRE) ||
	    psci_call(0xc4000004, 1, 0, 0) != 1) {
		return;
	}
	__atomic_store_n(&v1_running, 1, __ATOMIC_RELEASE);
	if (psci_call(0xc4000003, 1, (uint64_t)secondary_entry, 1) == 0) {
		v1_runs++;
		/* Let it run its burst now: under icount a vCPU that never
		 * waits keeps its round-robin slice (docs/testing.md), and
		 * vCPU 1 would not run until the end. It signals with SEV. */
		for (unsigned n = 0;
		     __atomic_load_n(&v1_running, __ATOMIC_ACQUIRE) && n < 100000;
		     n++) {
			__asm__ volatile("wfe");
		}
	} else {
		__atomic_store_n(&v1_running, 0, __ATOMIC_RELEASE);
	}
}

void guest_main(const void *dtb)
{
	uint64_t iters, report, seed;
	uint64_t counts[6] = { 0, 0, 0, 0, 0, 0 };

	if (!dt_parse(dtb, &dt)) {
		gputs("fuzz: no DTB");
		return;
	}
	seed = seed_from_time(dt.bootargs) ? guest_entry_ticks % 1000000007ULL
					   : arg_num(dt.bootargs, "seed", 1);
	iters = arg_num(dt.bootargs, "iters", 20000);
	report = arg_num(dt.bootargs, "report", iters / 4 ? iters / 4 : 1);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	rng1 = seed * 0xc2b2ae3d27d4eb4fULL + 7;
	delay_ms((unsigned)arg_num(dt.bootargs, "start-ms", 300));
	gprintf("fuzz: seed %lu, %lu iterations, %u vCPUs\n", seed, iters,
		dt.cpus);
	for (uint64_t i = 1; i <= iters; i++) {
		unsigned kind = (unsigned)(next() % 6);

		switch (kind) {
		case 0:
			do_call(false);
			break;
		case 1:
			do_call(true);
			break;
		case 2:
			do_mmio();
			break;
		case 3:
			do_sysreg();
			break;
		case 4:
			do_wild(next);
			break;
		default:
			do_cpu_on();
			break;
		}
		counts[kind]++;
		if (i % report == 0) {
			gprintf("fuzz: %lu: hvc %lu smc %lu mmio %lu sysreg "
				"%lu wild %lu, vCPU 1 started %lu, exceptions "
				"%u\n",
				i, counts[0], counts[1], counts[2], counts[3],
				counts[4], v1_runs, n_exc);
		}
	}
	/* Let vCPU 1 finish its burst, so the count is complete. */
	while (__atomic_load_n(&v1_running, __ATOMIC_ACQUIRE) ||
	       (dt.cpus >= 2 && psci_call(0xc4000004, 1, 0, 0) != 1)) {
		__asm__ volatile("yield");
	}
	gprintf("fuzz: done, %lu iterations, seed %lu, vCPU 1 started %lu, "
		"exceptions %u\n",
		iters, seed, v1_runs, n_exc);
}

void guest_secondary(uint64_t index)
{
	if (index == 1) {
		v1_burst();
		__atomic_store_n(&v1_running, 0, __ATOMIC_RELEASE);
		__asm__ volatile("sev");
		psci_call(0x84000002, 0, 0, 0); /* CPU_OFF */
	}
	for (;;) {
		__asm__ volatile("wfi");
	}
}
