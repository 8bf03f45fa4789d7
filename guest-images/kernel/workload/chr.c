/*
 * kernel/workload/chr.c - workload=chr: open the echo character device
 * (drivers/char/echo.c), write a pattern, read it back, compare, check the
 * driver's counters by ioctl, close; count=N rounds (default 10).
 */
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "../../drivers/char/echo.h"
#include "workload.h"

/* chr_round - one open/write/read/check/close; 0 or -Exxx. */
static int chr_round(unsigned int round)
{
	char out[200], in[200];
	struct echo_stats st;
	struct file *f;
	int major = chrdev_major(ECHO_NAME), err;
	unsigned int len = 20 + round * 7 % 150, i;
	ssize_t n;

	if (major < 0)
		return major;
	f = chrdev_open((unsigned int)major, 0, O_RDWR, &err);
	if (!f)
		return err;
	for (i = 0; i < len; i++)
		out[i] = (char)('A' + (i + round) % 26);
	n = file_write(f, out, len);
	if (n != (ssize_t)len) {
		err = n < 0 ? (int)n : -EIO;
		goto out;
	}
	err = file_ioctl(f, ECHO_IOC_STATS, (unsigned long)&st);
	if (!err && st.fill != len)
		err = -EIO;
	if (err)
		goto out;
	memset(in, 0, sizeof(in));
	n = file_read(f, in, sizeof(in));
	if (n != (ssize_t)len || memcmp(in, out, len))
		err = n < 0 ? (int)n : -EIO;
out:
	i = (unsigned int)file_close(f);
	return err ? err : (int)i;
}

/* workload_chr - see workload.h. */
bool workload_chr(void)
{
	unsigned long count = cmdline_get_ulong("count", 10), r, ok = 0;

	for (r = 1; r <= count; r++) {
		int err = chr_round(r);
		round_result("chr", r, err);
		ok += !err;
	}
	printk("workload: chr rounds=%lu ok=%lu\n", count, ok);
	return ok == count;
}
