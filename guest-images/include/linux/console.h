/*
 * linux/console.h - the system console: a 16550 UART on COM1 (kernel/console.c).
 *
 * Output is polled (it waits for the transmit holding register to empty).
 * Input arrives by interrupt (IRQ 4) into a ring buffer once
 * console_enable_rx_irq() has run; before that console_getc() polls.
 */
#ifndef _LINUX_CONSOLE_H
#define _LINUX_CONSOLE_H

#include <linux/types.h>

#define COM1_BASE 0x3f8

/* console_init - 115200 8N1, FIFOs on, no interrupts yet. */
void console_init(void);

/* console_enable_rx_irq - take IRQ 4 and enable receive interrupts. */
void console_enable_rx_irq(void);

void console_putc(char c);
void console_write(const char *s, size_t n);

/* console_getc - the next received byte, or -1 if none is waiting. */
int console_getc(void);

/*
 * uart_loopback_test - with the UART in loopback mode, send each byte of
 * buf and read it back by polling.  Returns the number of bytes that came
 * back equal.  Interrupts must be disabled by the caller.
 */
int uart_loopback_test(const u8 *buf, int n);

#endif
