/*
 * kernel/printk.c - printk and panic.
 *
 * printk formats into a static buffer (lib/vsprintf.c), drops a leading
 * KERN_* level marker and writes the text to the console.  Interrupts are
 * disabled while it runs, so lines from interrupt handlers do not interleave.
 */
#include <asm/system.h>
#include <linux/console.h>
#include <linux/kernel.h>
#include <linux/reboot.h>

#define PRINTK_BUF_SIZE 1024

static char printk_buf[PRINTK_BUF_SIZE];

/* vprintk - see linux/kernel.h. */
int vprintk(const char *fmt, va_list ap)
{
	unsigned long flags;
	const char *p = printk_buf;
	int n;

	local_irq_save(flags);
	n = vsnprintf(printk_buf, sizeof(printk_buf), fmt, ap);
	if (n >= (int)sizeof(printk_buf))
		n = sizeof(printk_buf) - 1;
	if (n >= 3 && p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>') {
		p += 3;
		n -= 3;
	}
	console_write(p, n);
	local_irq_restore(flags);
	return n;
}

/* printk - see linux/kernel.h. */
int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/*
 * panic - print the message and leave the machine with EXIT_PANIC.
 * A panic while panicking leaves at once.
 */
void panic(const char *fmt, ...)
{
	static int in_panic;
	static char buf[256];
	va_list ap;

	local_irq_disable();
	if (in_panic++)
		machine_debug_exit(EXIT_PANIC);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("Kernel panic - not syncing: %s\n", buf);
	machine_debug_exit(EXIT_PANIC);
}
