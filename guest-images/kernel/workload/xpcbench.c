/*
 * kernel/workload/xpcbench.c - workload=xpcbench: call the xpcbench device
 * (drivers/bench/xpcbench.c) calls=N times per kind: the empty call (ioctl
 * NOP), a write of size=S bytes, and a read of S bytes.  Before each call
 * the kernel calls xpcbench_mark(kind, i), a marker the emulator puts a
 * breakpoint-free observer on to measure every call separately; the guest
 * itself prints only totals (RDTSC, i.e. modeled cycles).
 */
#include <asm/timex.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "../../drivers/bench/xpcbench.h"
#include "workload.h"

/* Which call the next measured interval belongs to (read by the emulator). */
volatile unsigned int xpcbench_kind;

/*
 * xpcbench_mark - called right before each measured call; does nothing but
 * record the kind.  Kept out of line so it has an address to observe.
 */
__attribute__((noinline)) void xpcbench_mark(unsigned int kind, unsigned int i)
{
	xpcbench_kind = kind;
	__asm__ __volatile__("" : : "r"(i) : "memory");
}

/* xpcbench_done - called once after the last call (the end of the last interval). */
__attribute__((noinline)) void xpcbench_done(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static char buf[XPCBENCH_MAX];

/* workload_xpcbench - see workload.h. */
bool workload_xpcbench(void)
{
	unsigned long calls = cmdline_get_ulong("calls", 1000);
	unsigned long size = cmdline_get_ulong("size", 256);
	int major = chrdev_major(XPCBENCH_NAME), err = 0;
	unsigned long long t[4];
	unsigned int i, kind;
	struct file *f;

	if (size > XPCBENCH_MAX)
		size = XPCBENCH_MAX;
	if (major < 0) {
		printk("workload: xpcbench device missing (load xpcbench.ko)\n");
		return false;
	}
	f = chrdev_open((unsigned int)major, 0, O_RDWR, &err);
	if (!f)
		return false;
	for (i = 0; i < size; i++)
		buf[i] = (char)i;
	t[0] = rdtsc();
	for (kind = 0; kind < 3 && !err; kind++) {
		for (i = 0; i < calls; i++) {
			long r;
			xpcbench_mark(kind, i);
			if (kind == 0)
				r = file_ioctl(f, XPCBENCH_IOC_NOP, 0);
			else if (kind == 1)
				r = file_write(f, buf, size) == (ssize_t)size ? 0 : -EIO;
			else
				r = file_read(f, buf, size) == (ssize_t)size ? 0 : -EIO;
			if (r) {
				err = (int)r;
				break;
			}
		}
		t[kind + 1] = rdtsc();
	}
	xpcbench_done();
	file_close(f);
	printk("workload: xpcbench calls=%lu size=%lu ioctl_cycles=%llu write_cycles=%llu read_cycles=%llu err=%d\n",
	       calls, size, t[1] - t[0], t[2] - t[1], t[3] - t[2], err);
	return err == 0;
}
