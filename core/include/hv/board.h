/* SPDX-License-Identifier: MIT */
/*
 * Board hooks. Each board links one UART driver and supplies its
 * constants through the generated configuration table (hv_cfg.board).
 */
#ifndef HV_BOARD_H
#define HV_BOARD_H

#include <stdbool.h>
#include <stdint.h>

/** Prepare the board UART for output; may run with the MMU off. */
void board_uart_init(uint64_t base);
/**
 * A board UART's transmitter, as offsets from the UART's base: the status
 * register and its transmit-FIFO-full bit, and the data register. The log
 * writes a character to the data register once the bit reads 0
 * (core/log.c), in one loop per string.
 */
struct board_uart_tx {
	uint32_t status;
	uint32_t full;
	uint32_t data;
};
/** The board UART driver's transmitter. */
extern const struct board_uart_tx board_uart_tx;
/** Room in the transmit FIFO for one more character? */
bool board_uart_tx_room(uint64_t base);
/** Enable or disable the transmit interrupt (FIFO drained). */
void board_uart_tx_irq(uint64_t base, bool on);
/** Acknowledge the transmit interrupt before refilling the FIFO. */
void board_uart_tx_ack(uint64_t base);
/** Raise the UART interrupt when characters arrive. */
void board_uart_rx_enable(uint64_t base);
/** A received character, or -1 if none is waiting. */
int board_uart_getc(uint64_t base);

#endif /* HV_BOARD_H */
