/*
 * kernel/reboot.c - leaving the machine: ACPI power-off for success, the ISA
 * debug-exit port for failures.  The protocol is described in linux/reboot.h.
 */
#include <asm/io.h>
#include <asm/system.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/reboot.h>

static bool use_debug_port;

/* exit_use_debug_port - see linux/reboot.h. */
void exit_use_debug_port(bool on)
{
	use_debug_port = on;
}

/* machine_halt - see linux/reboot.h. */
void machine_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

/* machine_debug_exit - see linux/reboot.h. */
void machine_debug_exit(int value)
{
	outb((u8)value, DEBUG_EXIT_PORT);
	machine_halt();
}

/*
 * machine_poweroff - write SLP_EN to PM1a control.  QEMU acts on it
 * asynchronously (the CPU runs on for a moment), so wait up to half a
 * second; on a machine without that register the write is ignored: report
 * it and use the debug-exit port with 0 instead.
 */
void machine_poweroff(void)
{
	printk("reboot: Power down\n");
	outw(ACPI_SLP_EN, ACPI_PM1A_CNT);
	mdelay(500);
	printk("reboot: ACPI power-off failed, using debug-exit\n");
	machine_debug_exit(0);
}

/* machine_exit - see linux/reboot.h. */
void machine_exit(int status)
{
	local_irq_disable();
	if (status == 0 && !use_debug_port)
		machine_poweroff();
	printk("reboot: debug-exit %d (port 0x%x)\n", status, DEBUG_EXIT_PORT);
	machine_debug_exit(status);
}
