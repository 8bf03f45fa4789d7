/*
 * kernel/usermode.c - run a function in ring 3 and get control back
 * (linux/usermode.h).  The switch itself is enter_user / leave_user in
 * kernel/entry.S.
 */
#include <asm/desc.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/usermode.h>

u8 user_kstack[USER_KSTACK_SIZE] __aligned(16);
u32 user_return_esp;	/* kernel ESP saved by enter_user() */

static struct user_result *current_result;

int enter_user(u32 eip, u32 esp);
__noreturn void leave_user(int code);

/* run_user - see linux/usermode.h. */
void run_user(void (*entry)(void), void *stack_top, u32 arg, struct user_result *res)
{
	u32 *sp = stack_top;
	int code;

	BUG_ON(current_result);
	*--sp = arg;
	*--sp = 0;		/* return address: returning from entry faults */
	memset(res, 0, sizeof(*res));
	current_result = res;
	tss_set_esp0((u32)user_kstack + USER_KSTACK_SIZE);
	code = enter_user((u32)entry, (u32)sp);
	current_result = NULL;
	res->code = code;
}

/* sys_exit - __NR_exit: end run_user() with code. */
__noreturn void sys_exit(int code)
{
	if (!current_result)
		panic("exit() outside run_user()");
	current_result->exited = true;
	leave_user(code);
}

/* user_fault - see linux/usermode.h. */
void user_fault(const struct fault_info *fi)
{
	if (!current_result)
		panic("exception %u from ring 3 outside run_user()", fi->vector);
	current_result->exited = false;
	current_result->fault = *fi;
	leave_user(-1);
}
