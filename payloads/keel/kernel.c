/* SPDX-License-Identifier: MIT */
/*
 * Keel's scheduler, tasks, tick and exception dispatch.
 *
 * One core; one task per priority (0 is the idle task, which never blocks);
 * the running task is always the highest-priority ready one. The kernel's
 * only lock is PSTATE.I: every state change below happens with IRQs
 * masked, either in a task (keel_irq_save()) or in keel_trap(), which runs
 * with IRQs masked from exception entry to ERET.
 *
 * A task gives up the CPU by changing its own state and executing SVC,
 * still with IRQs masked; keel_trap() then picks the highest-priority ready
 * task and start.S resumes it. The tick interrupt and wake-ups from an
 * interrupt handler go through the same exit, so preemption needs nothing
 * more. A task that blocked with IRQs masked resumes after its SVC with
 * them still masked (its SPSR says so) and restores its own mask.
 *
 * Task states, with the bitmaps that hold them (bit p: task of priority p):
 *
 * | state                    | ready_set | *waitset | timed_set | wake     |
 * |--------------------------|-----------|----------|-----------|----------|
 * | UNUSED, DEAD             | 0         | -        | 0         | -        |
 * | READY (or running)       | 1         | NULL     | 0         | FOREVER  |
 * | BLOCKED on an object     | 0         | 1        | 0         | FOREVER  |
 * | BLOCKED, with a timeout  | 0         | 1        | 1         | deadline |
 * | BLOCKED, sleeping        | 0         | NULL     | 1         | deadline |
 *
 * make_ready() is the only way out of BLOCKED and clears every bit at once.
 */
#include "internal.h"

enum task_state {
	TASK_UNUSED = 0,
	TASK_READY,
	TASK_BLOCKED,
	TASK_DEAD,
};

/** A task control block; the index in tasks[] is the priority. */
struct task {
	struct keel_frame *frame;	/* saved state while not running */
	const char *name;
	uint32_t *waitset;		/* the object bitmap it waits in */
	uint64_t wake;			/* deadline tick, or KEEL_FOREVER */
	uint64_t *stack_low;		/* lowest stack word: the canary */
	int result;			/* KEEL_OK if woken, KEEL_TIMEOUT */
	enum task_state state;
};

/* Written at the bottom of every stack, checked at every switch. */
#define STACK_CANARY 0x6b65656c2d4f4b21ULL

/* Priority of the tick interrupt: any, it is the only one. */
#define TICK_PRIORITY 0x80

#define IDLE_STACK_SIZE 2048

static struct task tasks[KEEL_PRIOS];
static uint32_t ready_set;
static uint32_t timed_set;
static unsigned cur_prio;
static bool started;
static bool in_irq;

static uint64_t counter_hz;
static uint64_t tick_cycles;
static uint32_t tick_rate;
static uint32_t tick_intid;
static uint64_t epoch;
static uint64_t next_cval;
static volatile uint64_t ticks;

KEEL_STACK(idle_stack, IDLE_STACK_SIZE);

static inline uint32_t bit(unsigned prio)
{
	return 1u << prio;
}

/* The highest priority in a non-empty set. */
static inline unsigned highest(uint32_t set)
{
	return 31u - (unsigned)__builtin_clz(set);
}

static inline void svc(void)
{
	__asm__ volatile("svc #0" : : : "memory");
}

/** keel_irq_save() - Mask IRQs and return the previous DAIF. */
uint64_t keel_irq_save(void)
{
	uint64_t daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2"
			 : "=r"(daif)
			 :
			 : "memory");
	return daif;
}

/** keel_irq_restore() - Restore DAIF as keel_irq_save() returned it. */
void keel_irq_restore(uint64_t daif)
{
	__asm__ volatile("msr daif, %0" : : "r"(daif) : "memory");
}

/** keel_cycles() - CNTVCT_EL0; the ISB keeps it from being read early. */
uint64_t keel_cycles(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/** keel_cycles_per_sec() - CNTFRQ_EL0 as read by keel_init(). */
uint64_t keel_cycles_per_sec(void)
{
	return counter_hz;
}

/** keel_tick_hz() - The tick rate. */
uint32_t keel_tick_hz(void)
{
	return tick_rate;
}

/** keel_tick_cycles() - Counter cycles per tick. */
uint64_t keel_tick_cycles(void)
{
	return tick_cycles;
}

/** keel_now() - Ticks since keel_start(); one aligned load, atomic. */
uint64_t keel_now(void)
{
	return ticks;
}

/** keel_tick_time() - Counter value at which tick number tick is due. */
uint64_t keel_tick_time(uint64_t tick)
{
	return epoch + tick * tick_cycles;
}

/** keel_ms_to_ticks() - Milliseconds to ticks, rounded up. */
uint64_t keel_ms_to_ticks(uint64_t ms)
{
	return (ms * tick_rate + 999) / 1000;
}

/** keel_task_name() - Name of the running task. */
const char *keel_task_name(void)
{
	return started ? tasks[cur_prio].name : "boot";
}

/* Entry of every task, with x0 = arg and x1 = entry from its first frame. */
static void task_start(void *arg, keel_entry_t entry)
{
	entry(arg);
	keel_task_exit();
}

static void idle_main(void *arg)
{
	(void)arg;
	for (;;) {
		__asm__ volatile("wfi");
	}
}

/* Build the first frame of task prio on its stack and make it ready. */
static void task_setup(unsigned prio, const char *name, keel_entry_t entry,
		       void *arg, void *stack, size_t size)
{
	struct task *t = &tasks[prio];
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	struct keel_frame *f = (struct keel_frame *)(top - sizeof(*f));

	memset(f, 0, sizeof(*f));
	f->x[0] = (uint64_t)(uintptr_t)arg;
	f->x[1] = (uint64_t)(uintptr_t)entry;
	f->elr = (uint64_t)(uintptr_t)task_start;
	f->spsr = SPSR_EL1H | SPSR_D | SPSR_F;
	t->frame = f;
	t->name = name;
	t->waitset = NULL;
	t->wake = KEEL_FOREVER;
	t->result = KEEL_OK;
	t->stack_low = stack;
	*t->stack_low = STACK_CANARY;
	t->state = TASK_READY;
	ready_set |= bit(prio);
}

/** keel_init() - Tick rate and the idle task. */
int keel_init(uint32_t tick_hz)
{
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(counter_hz));
	if (tick_hz == 0 || counter_hz == 0 || tick_hz > counter_hz ||
	    started) {
		return KEEL_EINVAL;
	}
	tick_rate = tick_hz;
	tick_cycles = counter_hz / tick_hz;
	tick_intid = board_get()->vtimer_intid;
	task_setup(KEEL_PRIO_IDLE, "idle", idle_main, NULL, idle_stack,
		   sizeof(idle_stack));
	return KEEL_OK;
}

/** keel_task_create() - See keel.h. */
int keel_task_create(unsigned prio, const char *name, keel_entry_t entry,
		     void *arg, void *stack, size_t size)
{
	uint64_t daif;
	int ret = KEEL_OK;

	if (prio == KEEL_PRIO_IDLE || prio >= KEEL_PRIOS || entry == NULL ||
	    stack == NULL || ((uintptr_t)stack & 15) != 0 ||
	    size < KEEL_STACK_MIN || tick_cycles == 0 || in_irq) {
		return KEEL_EINVAL;
	}
	daif = keel_irq_save();
	if (tasks[prio].state == TASK_READY ||
	    tasks[prio].state == TASK_BLOCKED) {
		ret = KEEL_EBUSY;
	} else {
		task_setup(prio, name, entry, arg, stack, size);
		kernel_preempt();
	}
	keel_irq_restore(daif);
	return ret;
}

/** keel_task_exit() - The task leaves the ready set for good. */
void keel_task_exit(void)
{
	(void)keel_irq_save();
	if (!kernel_can_block() || cur_prio == KEEL_PRIO_IDLE) {
		keel_panic("keel_task_exit() outside a task");
	}
	tasks[cur_prio].state = TASK_DEAD;
	ready_set &= ~bit(cur_prio);
	svc();
	keel_panic("task %s resumed after exit", tasks[cur_prio].name);
}

/* Move task prio to READY, out of whatever it waited in. */
static void make_ready(unsigned prio, int result)
{
	struct task *t = &tasks[prio];

	if (t->waitset != NULL) {
		*t->waitset &= ~bit(prio);
		t->waitset = NULL;
	}
	timed_set &= ~bit(prio);
	t->wake = KEEL_FOREVER;
	t->result = result;
	t->state = TASK_READY;
	ready_set |= bit(prio);
}

/** kernel_can_block() - In a task, after keel_start(). */
bool kernel_can_block(void)
{
	return started && !in_irq;
}

/** kernel_deadline() - Saturating now + timeout. */
uint64_t kernel_deadline(uint64_t timeout)
{
	uint64_t now = ticks;

	if (timeout >= KEEL_FOREVER - now) {
		return KEEL_FOREVER;
	}
	return now + timeout;
}

/** kernel_block() - See internal.h. IRQs masked. */
int kernel_block(uint32_t *waitset, uint64_t deadline)
{
	struct task *t = &tasks[cur_prio];

	if (!kernel_can_block() || cur_prio == KEEL_PRIO_IDLE) {
		keel_panic("blocking outside a task (%s)", keel_task_name());
	}
	if (deadline <= ticks) {
		return KEEL_TIMEOUT;
	}
	ready_set &= ~bit(cur_prio);
	t->state = TASK_BLOCKED;
	t->result = KEEL_OK;
	t->wake = deadline;
	t->waitset = waitset;
	if (waitset != NULL) {
		*waitset |= bit(cur_prio);
	}
	if (deadline != KEEL_FOREVER) {
		timed_set |= bit(cur_prio);
	}
	svc();
	return t->result;
}

/** kernel_wake_one() - Ready the highest waiter in waitset. IRQs masked. */
bool kernel_wake_one(uint32_t *waitset)
{
	if (*waitset == 0) {
		return false;
	}
	make_ready(highest(*waitset), KEEL_OK);
	return true;
}

/** kernel_preempt() - Switch now if a higher task is ready. IRQs masked. */
void kernel_preempt(void)
{
	if (kernel_can_block() && highest(ready_set) > cur_prio) {
		svc();
	}
}

/** keel_sleep_until() - See keel.h. */
int keel_sleep_until(uint64_t tick)
{
	uint64_t daif = keel_irq_save();
	int ret = KEEL_LATE;

	if (tick > ticks) {
		(void)kernel_block(NULL, tick);
		ret = KEEL_OK;
	}
	keel_irq_restore(daif);
	return ret;
}

/** keel_sleep() - See keel.h. */
void keel_sleep(uint64_t n)
{
	if (n != 0) {
		(void)keel_sleep_until(kernel_deadline(n));
	}
}

/*
 * The tick. The timer is re-armed at absolute deadlines, cval advancing by
 * exactly one tick per period, so time never drifts; if the interrupt came
 * late (a stalled host or hypervisor), every whole period that has passed
 * is counted, keeping keel_now() locked to the counter.
 */
static void tick_irq(void)
{
	uint64_t now = keel_cycles();
	uint32_t due;

	while (next_cval <= now) {
		next_cval += tick_cycles;
		ticks++;
	}
	timer_arm(next_cval);
	due = timed_set;
	while (due != 0) {
		unsigned p = highest(due);

		due &= ~bit(p);
		if (tasks[p].wake <= ticks) {
			make_ready(p, KEEL_TIMEOUT);
		}
	}
}

static void irq_dispatch(void)
{
	uint32_t iar = gic_ack();
	uint32_t intid = iar & GIC_INTID_MASK;

	if (intid >= GIC_FIRST_SPECIAL) {
		return;		/* spurious: nothing to end */
	}
	/* The tick, or the channel doorbells' PL061. */
	if (intid == tick_intid) {
		tick_irq();
	} else {
		chan_irq(intid);
	}
	gic_eoi(iar);
}

/* Any exception but the tick and SVC is a bug: report it and stop. */
__attribute__((noreturn)) static void unexpected(const struct keel_frame *f,
						 uint64_t kind)
{
	uint64_t esr, far;
	uint64_t base = keel_platform()->load_base;

	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	keel_panic("exception (vector %lu) in %s: ESR 0x%lx ELR 0x%lx "
		   "(image +0x%lx) FAR 0x%lx SPSR 0x%lx x30 0x%lx",
		   kind, keel_task_name(), esr, f->elr, f->elr - base, far,
		   f->spsr, f->x[30]);
}

/**
 * keel_trap() - Called by start.S for every exception, IRQs masked, on the
 * interrupted task's stack with its frame at f. Returns the frame to
 * resume: the highest-priority ready task's.
 */
struct keel_frame *keel_trap(struct keel_frame *f, uint64_t kind)
{
	struct task *t = &tasks[cur_prio];
	uint64_t esr;

	if (!started) {
		unexpected(f, kind);
	}
	t->frame = f;
	if (kind == VEC_IRQ_SPX) {
		in_irq = true;
		irq_dispatch();
		in_irq = false;
	} else {
		__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
		if (kind != VEC_SYNC_SPX ||
		    (esr >> ESR_EC_SHIFT) != ESR_EC_SVC64) {
			unexpected(f, kind);
		}
		/* SVC: the task already changed its own state. */
	}
	if (*t->stack_low != STACK_CANARY) {
		keel_panic("task %s overflowed its stack", t->name);
	}
	cur_prio = highest(ready_set);
	return tasks[cur_prio].frame;
}

/** keel_start() - Arm the tick and enter the highest-priority task. */
void keel_start(void)
{
	(void)keel_irq_save();
	if (tick_cycles == 0) {
		keel_panic("keel_start() before keel_init()");
	}
	gic_enable_ppi(tick_intid, TICK_PRIORITY);
	epoch = keel_cycles();
	next_cval = epoch + tick_cycles;
	timer_arm(next_cval);
	started = true;
	cur_prio = highest(ready_set);
	keel_resume(tasks[cur_prio].frame);
}
