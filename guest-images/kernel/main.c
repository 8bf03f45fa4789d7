/*
 * kernel/main.c - kernel_main() of the default image (build/kernel.elf).
 *
 * Runs the built-in self-test (selftest=0 skips it, selftest=a,b runs some
 * areas), optionally reads a line of console input (readline=1) and
 * provokes a crash (crash=KIND) to exercise the oops path.  Then brings up
 * the driver services (timers, PCI, network devices and stack), loads the
 * Multiboot modules (drivers), runs the workload (workload=...), prints
 * the counters and unloads the modules.  Returns the number of failed
 * checks plus failed workloads, which becomes the exit status.
 */
#include <asm/processor.h>
#include <asm/setup.h>
#include <linux/cmdline.h>
#include <linux/console.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/reboot.h>
#include <linux/string.h>
#include "workload/workload.h"
#include "selftest/selftest.h"

/* readline - echo one line typed on COM1 (IRQ-driven input), 10 s timeout. */
static void readline(void)
{
	char line[80];
	unsigned long end = jiffies + 10 * HZ;
	int n = 0, c;

	printk("console: type a line\n");
	while (n < (int)sizeof(line) - 1 && time_before(jiffies, end)) {
		c = console_getc();
		if (c < 0) {
			safe_halt();
			continue;
		}
		if (c == '\r' || c == '\n')
			break;
		line[n++] = (char)c;
	}
	line[n] = 0;
	printk("console: read '%s' (%d bytes)\n", line, n);
}

/* crash - do something fatal on purpose; returns (1) only for an unknown kind. */
static int crash(const char *kind)
{
	printk("crash: provoking '%s'\n", kind);
	if (!strcmp(kind, "pf"))
		*(volatile int *)8 = 1;		/* write to the NULL page */
	else if (!strcmp(kind, "ud"))
		__asm__ __volatile__("ud2");
	else if (!strcmp(kind, "gp"))
		__asm__ __volatile__("movw %w0, %%fs" : : "r"(0x1234));
	else if (!strcmp(kind, "de"))
		__asm__ __volatile__("divl %0" : : "r"(0), "a"(1), "d"(0));
	else if (!strcmp(kind, "panic"))
		panic("crash=panic requested");
	printk("crash: unknown kind '%s' (pf ud gp de panic)\n", kind);
	return 1;
}

/* kernel_main - see the top of the file. */
int kernel_main(void)
{
	char opt[64];
	int failed = 0;

	if (cmdline_get_ulong("readline", 0))
		readline();
	if (!cmdline_get("selftest", opt, sizeof(opt)))
		strcpy(opt, "all");
	if (strcmp(opt, "0"))
		failed = selftest_run(opt);
	if (cmdline_get("crash", opt, sizeof(opt)))
		failed += crash(opt);
	failed += drivers_main();
	return failed > EXIT_MAX_FAILS ? EXIT_MAX_FAILS : failed;
}
