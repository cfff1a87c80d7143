/* SPDX-License-Identifier: MIT */
/*
 * Board UART: Arm PL011 (DDI 0183G). Firmware or QEMU has set the baud
 * rate; we only make sure the UART and its transmitter are enabled.
 */
#include "hv/board.h"

#include "arch/sysreg.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTCR 0x030
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define UARTMIS 0x040
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

/** Enable the UART, transmitter and receiver, keeping the line settings. */
void board_uart_init(uint64_t base)
{
	uint32_t cr = mmio_read32(base + UARTCR);

	mmio_write32(base + UARTCR, cr | CR_UARTEN | CR_TXE | CR_RXE);
}

/* A character goes to UARTDR once UARTFR.TXFF reads 0. */
const struct board_uart_tx board_uart_tx = {
	.status = UARTFR,
	.full = FR_TXFF,
	.data = UARTDR,
};

bool board_uart_tx_room(uint64_t base)
{
	return (mmio_read32(base + UARTFR) & FR_TXFF) == 0;
}

/*
 * The transmit interrupt, TXIM in UARTIMSC (DDI 0183G 3.3.10): TXRIS is
 * set when the FIFO drains to its trigger level (UARTIFLS) and cleared by
 * filling it past that level or by UARTICR.TXIC (3.3.13). Only the
 * console's drainer changes UARTIMSC after boot (core/log.c), so the
 * read-modify-write keeps the receive bits.
 */
void board_uart_tx_irq(uint64_t base, bool on)
{
	uint32_t imsc = mmio_read32(base + UARTIMSC);

	mmio_write32(base + UARTIMSC, on ? imsc | INT_TX : imsc & ~INT_TX);
}

void board_uart_tx_ack(uint64_t base)
{
	mmio_write32(base + UARTICR, INT_TX);
}

/** Interrupt on received data and on the receive timeout. */
void board_uart_rx_enable(uint64_t base)
{
	mmio_write32(base + UARTICR, 0x7ff);
	mmio_write32(base + UARTIMSC, INT_RX | INT_RT);
}

/**
 * Next received character or -1. When the FIFO looks empty the receive
 * interrupts are cleared (UARTICR, DDI 0183G 3.3.13) and the FIFO checked
 * once more: a character that arrived between the two would otherwise sit
 * there with its interrupt already cleared, announced by nothing until
 * the next one (console_stress.test).
 */
int board_uart_getc(uint64_t base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE) {
		mmio_write32(base + UARTICR, INT_RX | INT_RT);
		if (mmio_read32(base + UARTFR) & FR_RXFE) {
			return -1;
		}
	}
	return (int)(mmio_read32(base + UARTDR) & 0xff);
}
