/*
 * kernel/traps.c - the interrupt descriptor table and the C side of every
 * trap: exceptions, IRQs, system calls.
 *
 * Policy for an exception (vectors 0-31):
 *   1. from ring 3: end the running user function (user_fault);
 *   2. from ring 0 at an instruction listed in the exception table: record
 *      it in last_fixup and resume at the fixup;
 *   3. otherwise: an oops (die), which prints the registers and panics.
 */
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/traps.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/usermode.h>

static struct desc_struct idt_table[256] __aligned(8);

struct fault_info last_fixup;
unsigned long nr_fixups;

static const char *const trap_names[NR_EXCEPTION_VECTORS] = {
	"divide error", "debug", "NMI", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack segment", "general protection", "page fault", "spurious",
	"coprocessor error", "alignment check", "machine check",
	"SIMD floating point", "virtualization", "control protection",
};

/* trap_name - a readable name for an exception vector. */
const char *trap_name(unsigned int vector)
{
	if (vector < NR_EXCEPTION_VECTORS && trap_names[vector])
		return trap_names[vector];
	if (vector < NR_EXCEPTION_VECTORS)
		return "reserved";
	return "interrupt";
}

/*
 * idt_set_gate - write gate vector: handler in __KERNEL_CS, the gate type
 * (GATE_INTERRUPT / GATE_TRAP) and the DPL that may use INT n on it.
 */
void idt_set_gate(int vector, void (*handler)(void), int type, int dpl)
{
	u32 off = (u32)handler;

	idt_table[vector].lo = (off & 0xffff) | ((u32)__KERNEL_CS << 16);
	idt_table[vector].hi = (off & 0xffff0000) | 0x8000 | ((u32)(dpl & 3) << 13) |
			       ((u32)type << 8);
}

/*
 * trap_init - point all 256 vectors at their stubs as ring 0 interrupt
 * gates, then open int3, into (DPL 3, like Linux) and int 0x80 (a DPL 3
 * trap gate, so system calls run with interrupts on), and load the IDT.
 */
void trap_init(void)
{
	struct desc_ptr idtr;
	int v;

	for (v = 0; v < 256; v++)
		idt_set_gate(v, trap_vectors[v], GATE_INTERRUPT, 0);
	idt_set_gate(X86_TRAP_BP, trap_vectors[X86_TRAP_BP], GATE_INTERRUPT, 3);
	idt_set_gate(X86_TRAP_OF, trap_vectors[X86_TRAP_OF], GATE_INTERRUPT, 3);
	idt_set_gate(SYSCALL_VECTOR, trap_vectors[SYSCALL_VECTOR], GATE_TRAP, 3);

	idtr.limit = sizeof(idt_table) - 1;
	idtr.base = (u32)idt_table;
	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}

/* show_regs - the register part of an oops report. */
void show_regs(const struct pt_regs *regs)
{
	u32 esp = user_mode(regs) ? regs->esp : kernel_stack_pointer(regs);
	u32 ss = user_mode(regs) ? regs->ss : __KERNEL_DS;

	printk("EIP: %04x:[<%08x>] EFLAGS: %08x\n", regs->cs & 0xffff, regs->eip,
	       regs->eflags);
	printk("EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", regs->eax, regs->ebx,
	       regs->ecx, regs->edx);
	printk("ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", regs->esi, regs->edi,
	       regs->ebp, esp);
	printk("DS: %04x ES: %04x FS: %04x GS: %04x SS: %04x\n", regs->ds & 0xffff,
	       regs->es & 0xffff, regs->fs & 0xffff, regs->gs & 0xffff, ss & 0xffff);
	printk("CR0: %08x CR2: %08x CR3: %08x CR4: %08x\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

/* show_stack - a few words from the top of the kernel stack. */
static void show_stack(const struct pt_regs *regs)
{
	const u32 *sp = (const u32 *)kernel_stack_pointer(regs);
	int i;

	if (user_mode(regs))
		return;
	printk("Stack:");
	for (i = 0; i < 8; i++)
		printk(" %08x", sp[i]);
	printk("\n");
}

/*
 * die - the oops report: a headline naming the exception, the registers
 * and some stack, then panic.  A second oops while reporting panics at once.
 */
void die(const char *why, struct pt_regs *regs)
{
	static int dying;

	if (dying++)
		panic("recursive oops: %s", why);
	printk("Oops: %s (vector %u) err=%08x at EIP %08x\n", why, regs->trapno,
	       regs->err, regs->eip);
	show_regs(regs);
	show_stack(regs);
	panic("Fatal exception");
}

/* do_exception - vectors 0-31; see the policy at the top of the file. */
static void do_exception(struct pt_regs *regs)
{
	struct fault_info fi = {
		.vector = regs->trapno, .err = regs->err, .eip = regs->eip,
		.cr2 = regs->trapno == X86_TRAP_PF ? read_cr2() : 0, .cs = regs->cs,
	};
	unsigned long fixup;

	if (user_mode(regs))
		user_fault(&fi);

	fixup = search_exception_tables(regs->eip);
	if (fixup) {
		last_fixup = fi;
		nr_fixups++;
		regs->eip = fixup;
		return;
	}
	die(trap_name(regs->trapno), regs);
}

/*
 * Nooks hook (nooks/recovery.c, absent from images without Nooks): a trap
 * taken while an isolated extension's protection domain is current runs
 * with that domain's CR3, in which the kernel is read-only.
 * nooks_trap_enter must therefore run before trap() writes any kernel data:
 * it loads the kernel's CR3, and claims exceptions raised inside the
 * domain (returns true: recovery, not an oops).  nooks_trap_exit undoes it
 * on the way out.
 */
bool nooks_trap_enter(struct pt_regs *regs, unsigned long *state) __attribute__((weak));
void nooks_trap_exit(struct pt_regs *regs, unsigned long state) __attribute__((weak));

/* trap - called by kernel/entry.S for every vector with the saved frame. */
void trap(struct pt_regs *regs)
{
	unsigned int v = regs->trapno;
	unsigned long nooks_state = 0;

	if (nooks_trap_enter && nooks_trap_enter(regs, &nooks_state))
		goto out;
	if (v >= FIRST_EXTERNAL_VECTOR && v < FIRST_EXTERNAL_VECTOR + NR_IRQS)
		do_IRQ(v - FIRST_EXTERNAL_VECTOR, regs);
	else if (v == SYSCALL_VECTOR)
		do_syscall(regs);
	else if (v < NR_EXCEPTION_VECTORS)
		do_exception(regs);
	else
		die("unexpected interrupt", regs);
out:
	if (nooks_state)
		nooks_trap_exit(regs, nooks_state);
}
