/*
 * kernel/syscall.c - the int 0x80 system calls (asm/unistd.h).
 */
#include <asm/setup.h>
#include <asm/unistd.h>
#include <linux/console.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/usermode.h>

struct pt_regs *last_syscall_regs;

/* user_range_ok - does [p, p+len) lie on ring 3 pages of the kernel image? */
static bool user_range_ok(u32 p, u32 len)
{
	u32 lo = (u32)__user_text_start, hi = (u32)__user_data_end;

	/* user text and user data are the only ring 3 pages; text is lower */
	return p >= lo && len <= hi - lo && p <= hi - len;
}

/*
 * sys_write - __NR_write: fd 1 or 2 to the console; the buffer must lie
 * in the ring 3 sections.  Returns len, -EBADF or -EFAULT.
 */
static long sys_write(u32 fd, u32 buf, u32 len)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (!user_range_ok(buf, len))
		return -EFAULT;
	console_write((const char *)buf, len);
	return len;
}

/* do_syscall - see linux/usermode.h. */
void do_syscall(struct pt_regs *regs)
{
	long ret;

	last_syscall_regs = regs;
	switch (regs->eax) {
	case __NR_exit:
		sys_exit((int)regs->ebx);
	case __NR_write:
		ret = sys_write(regs->ebx, regs->ecx, regs->edx);
		break;
	case __NR_getpid:
		ret = 1;
		break;
	case __NR_times:
		ret = (long)jiffies;
		break;
	default:
		ret = -ENOSYS;
	}
	regs->eax = (u32)ret;
}
