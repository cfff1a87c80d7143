/* SPDX-License-Identifier: MIT */
/*
 * Board UART: Cadence UART (Xilinx "UART controller", cdns,uart-r1p12), as
 * UART0/UART1 of the Zynq UltraScale+ MPSoC. Zynq UltraScale+ Device TRM
 * (UG1085), chapter "UART Controller"; register names as in its register
 * reference (UG1087, module UART): control, mode, intrpt_en,
 * intrpt_dis, chnl_int_sts, rcvr_fifo_trigger_level0, channel_sts,
 * tx_rx_fifo0.
 *
 * Firmware (FSBL, U-Boot) has set the baud rate and line format; we keep
 * them. What we cannot assume is that the transmitter is on: the
 * controller resets with it disabled (control = 0x128: TXDIS, RXDIS and
 * STPBRK set), and QEMU's model starts that way when nothing ran before
 * us, so init writes control = TXEN | RXEN (0x14).
 */
#include "hv/board.h"

#include "arch/sysreg.h"

#define CDNS_CONTROL 0x00	/* UG1087 control */
#define CDNS_INTRPT_EN 0x08	/* intrpt_en: write 1 to unmask */
#define CDNS_INTRPT_DIS 0x0c	/* intrpt_dis: write 1 to mask */
#define CDNS_CHNL_INT_STS 0x14	/* chnl_int_sts: sticky, write 1 clears */
#define CDNS_RCVR_TRIGGER 0x20	/* rcvr_fifo_trigger_level0 */
#define CDNS_CHANNEL_STS 0x2c	/* channel_sts */
#define CDNS_TX_RX_FIFO 0x30	/* tx_rx_fifo0 */

/* control: enable bits; the DIS bits would override them. */
#define CONTROL_RXEN (1u << 2)
#define CONTROL_TXEN (1u << 4)

/* channel_sts. */
#define STS_REMPTY (1u << 1)
#define STS_TFUL (1u << 4)

/* intrpt_en / intrpt_dis / chnl_int_sts: one bit per event. */
#define INT_RTRIG (1u << 0)   /* receive FIFO reached the trigger level */
#define INT_TEMPTY (1u << 3)  /* transmit FIFO empty */
#define INT_TIMEOUT (1u << 8) /* receiver timeout */
#define INT_ALL 0x3fffu

/** Enable transmitter and receiver; mode and baud rate stay as found. */
void board_uart_init(uint64_t base)
{
	mmio_write32(base + CDNS_CONTROL, CONTROL_TXEN | CONTROL_RXEN);
}

/* A character goes to tx_rx_fifo0 once channel_sts.TFUL reads 0. */
const struct board_uart_tx board_uart_tx = {
	.status = CDNS_CHANNEL_STS,
	.full = STS_TFUL,
	.data = CDNS_TX_RX_FIFO,
};

bool board_uart_tx_room(uint64_t base)
{
	return (mmio_read32(base + CDNS_CHANNEL_STS) & STS_TFUL) == 0;
}

/*
 * The transmit interrupt: TEMPTY (UG1087 intrpt_en/intrpt_dis bit 3), a
 * sticky event set when the transmit FIFO becomes empty; acknowledged by
 * writing 1 to it in chnl_int_sts before the FIFO is refilled.
 */
void board_uart_tx_irq(uint64_t base, bool on)
{
	mmio_write32(base + (on ? CDNS_INTRPT_EN : CDNS_INTRPT_DIS),
		     INT_TEMPTY);
}

void board_uart_tx_ack(uint64_t base)
{
	mmio_write32(base + CDNS_CHNL_INT_STS, INT_TEMPTY);
}

/**
 * Interrupt on every received character: a trigger level of 1 raises
 * RTRIG as soon as the receive FIFO holds one byte. Everything else is
 * masked and stale events are cleared.
 */
void board_uart_rx_enable(uint64_t base)
{
	mmio_write32(base + CDNS_INTRPT_DIS, INT_ALL);
	mmio_write32(base + CDNS_RCVR_TRIGGER, 1);
	mmio_write32(base + CDNS_CHNL_INT_STS, INT_ALL);
	mmio_write32(base + CDNS_INTRPT_EN, INT_RTRIG);
}

/**
 * Next received character or -1. When the FIFO looks empty the sticky
 * RTRIG event is cleared and the FIFO checked once more: a byte that
 * arrived between the two reads would otherwise sit there with its event
 * already cleared and no interrupt to announce it.
 */
int board_uart_getc(uint64_t base)
{
	if (mmio_read32(base + CDNS_CHANNEL_STS) & STS_REMPTY) {
		mmio_write32(base + CDNS_CHNL_INT_STS, INT_RTRIG | INT_TIMEOUT);
		if (mmio_read32(base + CDNS_CHANNEL_STS) & STS_REMPTY) {
			return -1;
		}
	}
	return (int)(mmio_read32(base + CDNS_TX_RX_FIFO) & 0xff);
}
