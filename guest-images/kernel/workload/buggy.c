/*
 * kernel/workload/buggy.c - workload=buggy: drive every loaded buggy
 * driver (character devices named buggy_*, drivers/buggy/buggy.h) for
 * count=N rounds (default 5): open, write, read back, compare, close.  In
 * round trigger=R (default 2; 0: never) the workload also issues
 * BUGGY_IOC_TRIGGER, which makes the driver commit its bug.
 *
 * Natively the bug crashes (oops -> panic) or hangs the kernel.  With the
 * driver isolated, the trigger round should fail with an error, the
 * driver be recovered, and the later rounds succeed again: the workload
 * passes if every round other than the trigger round succeeded.
 */
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "../../drivers/buggy/buggy.h"
#include "workload.h"

/* buggy_round - one round on the device called name; 0 or -Exxx. */
static int buggy_round(const char *name, unsigned int round, bool trigger)
{
	char out[64], in[64];
	int major = chrdev_major(name), err = 0, cerr;
	struct file *f;
	ssize_t n;
	int len;

	if (major < 0)
		return major;
	f = chrdev_open((unsigned int)major, 0, O_RDWR, &err);
	if (!f)
		return err;
	len = snprintf(out, sizeof(out), "%s round %u", name, round);
	n = file_write(f, out, (size_t)len);
	if (n != len) {
		err = n < 0 ? (int)n : -EIO;
		goto out;
	}
	if (trigger) {
		printk("workload: buggy %s trigger\n", name);
		err = file_ioctl(f, BUGGY_IOC_TRIGGER, 0);
		if (err)
			goto out;
	}
	memset(in, 0, sizeof(in));
	n = file_read(f, in, sizeof(in));
	if (n != len || memcmp(in, out, (size_t)len))
		err = n < 0 ? (int)n : -EIO;
out:
	cerr = file_close(f);
	return err ? err : cerr;
}

/* workload_buggy - see workload.h. */
bool workload_buggy(void)
{
	unsigned long count = cmdline_get_ulong("count", 5);
	unsigned long trigger = cmdline_get_ulong("trigger", 2);
	char names[8][32];
	int ndev = 0, d, m;
	unsigned long r;
	bool pass = true;

	/* The names now: a recovered driver may come back under another major. */
	for (m = 1; m < MAX_CHRDEV && ndev < 8; m++) {
		const char *n = chrdev_name((unsigned int)m);
		if (n && !strncmp(n, BUGGY_PREFIX, strlen(BUGGY_PREFIX)))
			strlcpy(names[ndev++], n, sizeof(names[0]));
	}
	if (!ndev) {
		printk("workload: buggy no buggy drivers loaded\n");
		return false;
	}
	for (d = 0; d < ndev; d++) {
		unsigned long ok = 0, failed = 0;
		for (r = 1; r <= count; r++) {
			int err = buggy_round(names[d], r, r == trigger);
			round_result(names[d], r, err);
			if (err) {
				failed++;
				if (r != trigger)
					pass = false;
			} else {
				ok++;
			}
		}
		printk("workload: buggy %s rounds=%lu ok=%lu failed=%lu\n", names[d], count, ok,
		       failed);
	}
	return pass;
}
