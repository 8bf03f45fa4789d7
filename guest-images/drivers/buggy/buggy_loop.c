/*
 * drivers/buggy/buggy_loop.c - an infinite loop in a call from the kernel.
 *
 * commit_bug() waits for a "ready" flag that nothing ever sets, polling
 * with interrupts enabled (so timers keep ticking).  Natively the kernel
 * never returns from the ioctl: the machine hangs until an outside
 * timeout.  The Nooks paper states this case is not caught; a livelock
 * detector driven by the timer interrupt could catch it.
 */
#define BUGGY_NAME "buggy_loop"
#include <asm/processor.h>
#include "buggy_dev.h"

static volatile int ready;	/* BUG: never set */

/* commit_bug - spin until ready. */
static int commit_bug(struct file *file)
{
	(void)file;
	bugs++;
	printk(KERN_INFO "%s: waiting for the device to become ready\n", BUGGY_NAME);
	while (!ready)
		cpu_relax();
	return 0;
}

BUGGY_MODULE();
