/* SPDX-License-Identifier: MIT */
/*
 * Keel's counting semaphores and message queues.
 *
 * Both follow one pattern, with IRQs masked throughout: while the object
 * cannot be used, block on its wait bitmap until woken or the absolute
 * deadline comes, then look again. A wake-up is a hint, not a hand-over: a
 * higher-priority task may take the count or the slot first, and the woken
 * task then simply waits again, for what remains of its timeout. Whoever
 * changes the object wakes the highest-priority waiter on the other side,
 * then lets it preempt (kernel_preempt(); from an interrupt handler the
 * exception return does it).
 */
#include "internal.h"

/** keel_sem_init() - See keel.h. */
void keel_sem_init(struct keel_sem *s, uint32_t count)
{
	s->count = count;
	s->waiters = 0;
}

/** keel_sem_take() - See keel.h. */
int keel_sem_take(struct keel_sem *s, uint64_t timeout)
{
	uint64_t daif = keel_irq_save();
	uint64_t deadline = kernel_deadline(timeout);
	int ret = KEEL_OK;

	while (s->count == 0) {
		if (timeout == 0) {
			ret = KEEL_TIMEOUT;
			break;
		}
		ret = kernel_block(&s->waiters, deadline);
		if (ret != KEEL_OK) {
			break;
		}
	}
	if (ret == KEEL_OK) {
		s->count--;
	}
	keel_irq_restore(daif);
	return ret;
}

/** keel_sem_give() - See keel.h. */
void keel_sem_give(struct keel_sem *s)
{
	uint64_t daif = keel_irq_save();

	if (s->count != UINT32_MAX) {
		s->count++;
	}
	if (kernel_wake_one(&s->waiters)) {
		kernel_preempt();
	}
	keel_irq_restore(daif);
}

/** keel_queue_init() - See keel.h. */
int keel_queue_init(struct keel_queue *q, void *storage, uint32_t msg_size,
		    uint32_t capacity)
{
	if (storage == NULL || msg_size == 0 || capacity == 0) {
		return KEEL_EINVAL;
	}
	q->buf = storage;
	q->msg_size = msg_size;
	q->capacity = capacity;
	q->head = 0;
	q->count = 0;
	q->senders = 0;
	q->receivers = 0;
	return KEEL_OK;
}

/* Wait (IRQs masked) while *busy_count == limit. */
static int wait_while(const uint32_t *busy_count, uint32_t limit,
		      uint32_t *waitset, uint64_t timeout)
{
	uint64_t deadline = kernel_deadline(timeout);

	while (*busy_count == limit) {
		int ret;

		if (timeout == 0) {
			return KEEL_TIMEOUT;
		}
		ret = kernel_block(waitset, deadline);
		if (ret != KEEL_OK) {
			return ret;
		}
	}
	return KEEL_OK;
}

/** keel_queue_send() - See keel.h. */
int keel_queue_send(struct keel_queue *q, const void *msg, uint64_t timeout)
{
	uint64_t daif = keel_irq_save();
	int ret = wait_while(&q->count, q->capacity, &q->senders, timeout);

	if (ret == KEEL_OK) {
		uint32_t slot = (q->head + q->count) % q->capacity;

		memcpy(q->buf + (size_t)slot * q->msg_size, msg, q->msg_size);
		q->count++;
		if (kernel_wake_one(&q->receivers)) {
			kernel_preempt();
		}
	}
	keel_irq_restore(daif);
	return ret;
}

/** keel_queue_recv() - See keel.h. */
int keel_queue_recv(struct keel_queue *q, void *msg, uint64_t timeout)
{
	uint64_t daif = keel_irq_save();
	int ret = wait_while(&q->count, 0, &q->receivers, timeout);

	if (ret == KEEL_OK) {
		memcpy(msg, q->buf + (size_t)q->head * q->msg_size,
		       q->msg_size);
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		if (kernel_wake_one(&q->senders)) {
			kernel_preempt();
		}
	}
	keel_irq_restore(daif);
	return ret;
}
