/* SPDX-License-Identifier: MIT */
/*
 * Board hooks. Each board links one UART driver and supplies its
 * constants through the generated configuration table (hv_cfg.board).
 */
#ifndef HV_BOARD_H
#define HV_BOARD_H

#include <stdint.h>

/** Prepare the board UART for output; may run with the MMU off. */
void board_uart_init(uint64_t base);
/** Write one character, waiting while the transmit FIFO is full. */
void board_uart_putc(uint64_t base, char c);
/** Raise the UART interrupt when characters arrive. */
void board_uart_rx_enable(uint64_t base);
/** A received character, or -1 if none is waiting. */
int board_uart_getc(uint64_t base);

#endif /* HV_BOARD_H */
