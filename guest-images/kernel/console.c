/*
 * kernel/console.c - the 16550 UART on COM1 as the system console.
 *
 * Registers (offset from 0x3f8; DLAB = LCR bit 7):
 *   0  RBR (read) / THR (write) / DLL (DLAB=1)   data, divisor low
 *   1  IER / DLM (DLAB=1)                        interrupt enable, divisor high
 *   2  IIR (read) / FCR (write)                  interrupt id, FIFO control
 *   3  LCR    line control: 0x03 = 8 data bits, no parity, 1 stop bit
 *   4  MCR    modem control: DTR 0x01, RTS 0x02, OUT2 0x08 (gates the IRQ
 *             line on a PC), LOOP 0x10 (transmitter wired to receiver)
 *   5  LSR    line status: DR 0x01 (byte received), THRE 0x20 (can send)
 */
#include <asm/io.h>
#include <asm/system.h>
#include <linux/console.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>

#define UART_RBR 0
#define UART_THR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20
#define UART_IER_RDI 0x01

#define RX_BUF_SIZE 256		/* a power of two */
#define SPIN_LIMIT 100000	/* give up waiting on a missing or stuck UART */

static u8 rx_buf[RX_BUF_SIZE];
static unsigned int rx_head, rx_tail;	/* head: next write; tail: next read */
static bool rx_irq_on;

/* uart_in - read UART register reg. */
static inline u8 uart_in(int reg)
{
	return inb(COM1_BASE + reg);
}

/* uart_out - write v to UART register reg. */
static inline void uart_out(int reg, u8 v)
{
	outb(v, COM1_BASE + reg);
}

/* console_init - see linux/console.h. */
void console_init(void)
{
	uart_out(UART_IER, 0);
	uart_out(UART_LCR, UART_LCR_DLAB);
	uart_out(UART_DLL, 1);		/* 115200 baud */
	uart_out(UART_DLM, 0);
	uart_out(UART_LCR, UART_LCR_8N1);
	uart_out(UART_FCR, 0xc7);	/* FIFOs on and cleared, 14-byte trigger */
	uart_out(UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
}

/* console_putc - send one byte, waiting (bounded) for room. */
void console_putc(char c)
{
	int spin = SPIN_LIMIT;

	while (!(uart_in(UART_LSR) & UART_LSR_THRE) && --spin)
		;
	uart_out(UART_THR, (u8)c);
}

/* console_write - send n bytes, in order (no newline translation). */
void console_write(const char *s, size_t n)
{
	while (n--)
		console_putc(*s++);
}

/* rx_interrupt - IRQ 4: move every received byte into rx_buf (drop on overflow). */
static void rx_interrupt(int irq, void *dev_id, struct pt_regs *regs)
{
	(void)irq;
	(void)dev_id;
	(void)regs;
	while (uart_in(UART_LSR) & UART_LSR_DR) {
		u8 c = uart_in(UART_RBR);
		if (rx_head - rx_tail < RX_BUF_SIZE)
			rx_buf[rx_head++ % RX_BUF_SIZE] = c;
	}
}

/* console_enable_rx_irq - see linux/console.h. */
void console_enable_rx_irq(void)
{
	if (request_irq(COM1_IRQ, rx_interrupt, 0, "serial", NULL))
		return;
	rx_irq_on = true;
	uart_out(UART_IER, UART_IER_RDI);
}

/* console_getc - see linux/console.h. */
int console_getc(void)
{
	unsigned long flags;
	int c = -1;

	if (!rx_irq_on)
		return (uart_in(UART_LSR) & UART_LSR_DR) ? uart_in(UART_RBR) : -1;
	local_irq_save(flags);
	if (rx_tail != rx_head)
		c = rx_buf[rx_tail++ % RX_BUF_SIZE];
	local_irq_restore(flags);
	return c;
}

/* uart_loopback_test - see linux/console.h. */
int uart_loopback_test(const u8 *buf, int n)
{
	u8 mcr = uart_in(UART_MCR), ier = uart_in(UART_IER);
	int i, good = 0;

	uart_out(UART_IER, 0);
	while (uart_in(UART_LSR) & UART_LSR_DR)	/* drain */
		(void)uart_in(UART_RBR);
	uart_out(UART_MCR, mcr | UART_MCR_LOOP);
	for (i = 0; i < n; i++) {
		int spin = SPIN_LIMIT;
		while (!(uart_in(UART_LSR) & UART_LSR_THRE) && --spin)
			;
		uart_out(UART_THR, buf[i]);
		spin = SPIN_LIMIT;
		while (!(uart_in(UART_LSR) & UART_LSR_DR) && --spin)
			;
		if (spin && uart_in(UART_RBR) == buf[i])
			good++;
	}
	uart_out(UART_MCR, mcr);
	uart_out(UART_IER, ier);
	return good;
}
