/*
 * kernel/selftest/user.c - privilege levels: IRET to ring 3, system calls
 * through the DPL 3 int 0x80 gate on the TSS.esp0 stack, and the faults
 * ring 3 must take: #PF with U set in the error code, #GP for privileged
 * instructions, I/O and DPL 0 gates, #BP through a DPL 3 gate.  The
 * programs are in user_progs.S.
 */
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/segment.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/usermode.h>
#include "selftest.h"

typedef void user_prog(void);
extern user_prog user_prog_getpid, user_prog_write, user_prog_write_bad,
	user_prog_segments, user_prog_eflags, user_prog_read, user_prog_write_to,
	user_prog_cli, user_prog_hlt, user_prog_mov_cr, user_prog_io,
	user_prog_int_kernel, user_prog_int3, user_prog_ud2, user_prog_ticks;
extern char user_read_insn[], user_write_insn[], user_cli_insn[], user_hlt_insn[],
	user_mov_cr_insn[], user_io_insn[], user_int_kernel_insn[], user_int3_next[],
	user_ud2_insn[];
extern u8 user_stack[], user_stack_top[];

static struct user_result res;

/* run - run_user() the program on the shared user stack into res. */
static void run(user_prog *p, u32 arg)
{
	run_user(p, user_stack_top, arg, &res);
}

/* expect_exit - the program called exit(code). */
static void expect_exit(const char *name, u32 code)
{
	if (res.exited && (u32)res.code == code)
		st_pass(name);
	else if (res.exited)
		st_fail(name, "exit code %08x, want %08x", res.code, code);
	else
		st_fail(name, "killed by exception %u err %x at %08x (cr2 %08x), want exit %08x",
			res.fault.vector, res.fault.err, res.fault.eip, res.fault.cr2, code);
}

/* expect_fault - the program was killed by this exception (cr2 ~0: ignore). */
static void expect_fault(const char *name, u32 vector, u32 err, const void *eip, u32 cr2)
{
	const struct fault_info *f = &res.fault;

	if (res.exited)
		st_fail(name, "exited with %d, want exception %u", res.code, vector);
	else if (f->vector != vector || f->err != err || f->eip != (u32)eip ||
		 (f->cs & 0xffff) != __USER_CS || (cr2 != ~0u && f->cr2 != cr2))
		st_fail(name, "exception %u err %x eip %08x cs %x cr2 %08x; want %u err %x eip %08x "
			"cr2 %08x", f->vector, f->err, f->eip, f->cs, f->cr2, vector, err,
			(u32)eip, cr2);
	else
		st_pass(name);
}

/*
 * test_syscalls - exit, getpid, write (and -EFAULT), the esp0 frame, the
 * ring 3 segments and EFLAGS.
 */
static void test_syscalls(void)
{
	struct pt_regs *r;
	u32 esp0 = (u32)user_kstack + USER_KSTACK_SIZE;

	run(user_prog_getpid, 0);
	expect_exit("syscall_exit", 101);

	/* the trap frame of that exit(): on the TSS.esp0 stack, from ring 3 */
	r = last_syscall_regs;
	st_expect("esp0_frame", (u32)r + sizeof(*r) == esp0 && (r->cs & 0xffff) == __USER_CS &&
		  (r->ss & 0xffff) == __USER_DS && r->esp == (u32)user_stack_top - 8 &&
		  init_tss.esp0 == esp0, "frame %p (esp0 %08x) cs %x ss %x esp %08x",
		  r, esp0, r->cs, r->ss, r->esp);

	run(user_prog_write, 0);
	expect_exit("syscall_write", 24);
	run(user_prog_write_bad, (u32)&jiffies);
	expect_exit("syscall_efault", (u32)-EFAULT);

	run(user_prog_segments, 0);
	expect_exit("segments", (u32)__USER_CS << 16 | __USER_DS);
	run(user_prog_eflags, 0);
	if (res.exited && (res.code & (X86_EFLAGS_IF | X86_EFLAGS_IOPL)) == X86_EFLAGS_IF)
		st_pass("eflags");
	else
		st_fail("eflags", "ring 3 EFLAGS %08x (exited %d), want IF=1 IOPL=0", res.code,
			res.exited);
}

/* test_page_faults - ring 3 page faults: error codes with U set, and CR2. */
static void test_page_faults(void)
{
	u32 kernel_word = (u32)&jiffies, hole = KMAP_BASE + 0x7000;

	unmap_page(kernel_pgdir, hole);
	run(user_prog_read, (u32)user_stack);
	expect_exit("read_user_page", 0);
	run(user_prog_read, kernel_word);
	expect_fault("pf_supervisor_read", X86_TRAP_PF, PF_ERR_U | PF_ERR_P, user_read_insn,
		     kernel_word);
	run(user_prog_write_to, kernel_word);
	expect_fault("pf_supervisor_write", X86_TRAP_PF, PF_ERR_U | PF_ERR_W | PF_ERR_P,
		     user_write_insn, kernel_word);
	run(user_prog_read, hole);
	expect_fault("pf_not_present", X86_TRAP_PF, PF_ERR_U, user_read_insn, hole);
	run(user_prog_write_to, (u32)user_prog_getpid);
	expect_fault("pf_write_user_text", X86_TRAP_PF, PF_ERR_U | PF_ERR_W | PF_ERR_P,
		     user_write_insn, (u32)user_prog_getpid);
}

/*
 * test_protection - #GP for CLI, HLT, MOV CR, IN and INT on a DPL 0 gate;
 * #BP and #UD delivered from ring 3.
 */
static void test_protection(void)
{
	run(user_prog_cli, 0);
	expect_fault("gp_cli", X86_TRAP_GP, 0, user_cli_insn, ~0u);
	run(user_prog_hlt, 0);
	expect_fault("gp_hlt", X86_TRAP_GP, 0, user_hlt_insn, ~0u);
	run(user_prog_mov_cr, 0);
	expect_fault("gp_mov_cr", X86_TRAP_GP, 0, user_mov_cr_insn, ~0u);
	run(user_prog_io, 0);
	expect_fault("gp_io", X86_TRAP_GP, 0, user_io_insn, ~0u);
	/* INT n on a DPL 0 gate: #GP with error code vector * 8 + 2 (IDT) */
	run(user_prog_int_kernel, 0);
	expect_fault("gp_int_dpl", X86_TRAP_GP, 0x20 * 8 + 2, user_int_kernel_insn, ~0u);
	run(user_prog_int3, 0);
	expect_fault("bp_int3", X86_TRAP_BP, 0, user_int3_next, ~0u);
	run(user_prog_ud2, 0);
	expect_fault("ud2", X86_TRAP_UD, 0, user_ud2_insn, ~0u);
}

/* The timer interrupts ring 3 code and returns to it. */
static void test_irq_in_user(void)
{
	unsigned long before = user_ticks;

	run(user_prog_ticks, 0);
	if (res.exited && res.code == 0 && user_ticks > before)
		st_pass("irq_in_user");
	else
		st_fail("irq_in_user", "exited %d code %d, ticks in ring 3: %lu", res.exited,
			res.code, user_ticks - before);
}

/* After all that, the kernel is back in its own segments with IF restored. */
static void test_kernel_state(void)
{
	u16 ds, es, fs, gs, ss, cs;

	__asm__("movw %%ds, %0; movw %%es, %1; movw %%fs, %2; movw %%gs, %3; movw %%ss, %4; "
		"movw %%cs, %5" : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs), "=r"(ss), "=r"(cs));
	st_expect("kernel_state", ds == __KERNEL_DS && es == __KERNEL_DS && fs == __KERNEL_DS &&
		  gs == __KERNEL_DS && ss == __KERNEL_DS && cs == __KERNEL_CS && !irqs_disabled(),
		  "ds %x es %x fs %x gs %x ss %x cs %x IF %d", ds, es, fs, gs, ss, cs,
		  !irqs_disabled());
}

/* selftest_user - the "user" area. */
void selftest_user(void)
{
	test_syscalls();
	test_page_faults();
	test_protection();
	test_irq_in_user();
	test_kernel_state();
}
