/*
 * kernel/selftest/exceptions.c - CPU exceptions in ring 0, delivered
 * through the IDT and resumed through the exception table: the vector, the
 * error code, the reported EIP (the faulting instruction for faults, the
 * next one for traps), CR2 for page faults, and that registers survive.
 */
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/segment.h>
#include <asm/traps.h>
#include <asm/unistd.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include "selftest.h"

#define NO_CR2 0xffffffffu	/* don't compare CR2 */

/*
 * check_fault - did exactly one fixed-up exception happen since `before`,
 * with this vector, error code, EIP and (unless NO_CR2) CR2, from ring 0?
 * Reports the check.
 */
static bool check_fault(const char *name, unsigned long before, u32 vector, u32 err,
			u32 eip, u32 cr2)
{
	const struct fault_info *f = &last_fixup;
	bool ok = nr_fixups == before + 1 && f->vector == vector && f->err == err &&
		  f->eip == eip && (f->cs & 0xffff) == __KERNEL_CS &&
		  (cr2 == NO_CR2 || f->cr2 == cr2);

	if (nr_fixups == before)
		st_fail(name, "no exception (wanted vector %u)", vector);
	else if (!ok)
		st_fail(name, "%lu exception(s); last: vector %u err %x eip %08x cr2 %08x cs %x; "
			"wanted vector %u err %x eip %08x cr2 %08x", nr_fixups - before,
			f->vector, f->err, f->eip, f->cr2, f->cs, vector, err, eip, cr2);
	else
		st_pass(name);
	return ok;
}

/* test_divide - #DE for a zero divisor and for a quotient that does not fit. */
static void test_divide(void)
{
	unsigned long before = nr_fixups;
	u32 eip, a = 1, d = 0, eip2, eip3;

	__asm__ __volatile__("movl $1f, %[eip]\n"
			     "1: divl %[z]\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : [eip] "=&r"(eip), "+a"(a), "+d"(d) : [z] "r"(0) : "cc");
	if (check_fault("de_div0", before, X86_TRAP_DE, 0, eip, NO_CR2) && (a != 1 || d != 0))
		printk("selftest: note: EAX/EDX changed by a faulting div\n");

	/* quotient overflow: INT_MIN / -1, and a 64/32 quotient >= 2^32 */
	before = nr_fixups;
	a = 0x80000000;
	d = 0xffffffff;
	__asm__ __volatile__("movl $1f, %[eip]\n"
			     "1: idivl %[m1]\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : [eip] "=&r"(eip2), "+a"(a), "+d"(d) : [m1] "r"(-1) : "cc");
	a = 0;
	d = 5;
	__asm__ __volatile__("movl $1f, %[eip]\n"
			     "1: divl %[five]\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : [eip] "=&r"(eip3), "+a"(a), "+d"(d) : [five] "r"(5) : "cc");
	if (nr_fixups != before + 2 || last_fixup.vector != X86_TRAP_DE || last_fixup.eip != eip3)
		st_fail("de_overflow", "%lu exception(s), last vector %u eip %08x (want 2, 0, %08x)",
			nr_fixups - before, last_fixup.vector, last_fixup.eip, eip3);
	else
		st_pass("de_overflow");
	(void)eip2;
}

/* test_invalid_opcode - #UD for UD2 and for LOCK on a register destination. */
static void test_invalid_opcode(void)
{
	unsigned long before = nr_fixups;
	u32 eip, x = 5;

	__asm__ __volatile__("movl $1f, %[eip]\n"
			     "1: ud2\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b) : [eip] "=r"(eip));
	check_fault("ud2", before, X86_TRAP_UD, 0, eip, NO_CR2);

	/* LOCK on an instruction with a register destination is #UD */
	before = nr_fixups;
	__asm__ __volatile__("movl $1f, %[eip]\n"
			     "1: .byte 0xf0\n\taddl %[x], %[x]\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : [eip] "=&r"(eip), [x] "+r"(x) : : "cc");
	check_fault("ud_lock", before, X86_TRAP_UD, 0, eip, NO_CR2);
}

/* load_fs - load sel into FS; #GP/#NP are fixed up.  Returns the insn address. */
static u32 load_fs(u16 sel)
{
	u32 eip;

	__asm__ __volatile__("movl $1f, %[eip]\n"
			     "1: movw %w[s], %%fs\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : [eip] "=&r"(eip) : [s] "r"(sel) : "memory");
	return eip;
}

/* restore_fs - FS back to the kernel data segment. */
static void restore_fs(void)
{
	__asm__ __volatile__("movw %w0, %%fs" : : "r"(__KERNEL_DS));
}

/*
 * test_segments - segment loads: #GP(selector) past the GDT limit or into
 * a missing LDT, #NP(selector) for a not-present descriptor.
 */
static void test_segments(void)
{
	unsigned long before = nr_fixups;
	u32 eip;

	/* selector 0x40: index 8, just past the GDT limit -> #GP(0x40) */
	eip = load_fs(GDT_ENTRIES * 8);
	check_fault("gp_selector", before, X86_TRAP_GP, GDT_ENTRIES * 8, eip, NO_CR2);

	/* TI=1 with no LDT -> #GP(selector) */
	before = nr_fixups;
	eip = load_fs(0x0c);
	check_fault("gp_ldt_selector", before, X86_TRAP_GP, 0x0c, eip, NO_CR2);

	/*
	 * Not tested: an access through a null FS is #GP(0) on hardware, but
	 * QEMU's TCG (the reference machine) does not check it.
	 */

	/* a descriptor with P=0 -> #NP(selector) */
	set_gdt_entry(GDT_ENTRY_SPARE, make_desc(0, 0xfffff, DESC_DATA_KERNEL & 0x7f,
						 DESC_FLAGS_4K_32));
	before = nr_fixups;
	eip = load_fs(__SPARE_SEL);
	set_gdt_entry(GDT_ENTRY_SPARE, make_desc(0, 0, 0, 0));
	restore_fs();
	check_fault("np_segment", before, X86_TRAP_NP, __SPARE_SEL, eip, NO_CR2);
}

static const u32 rodata_word = 0x5a5aa5a5;

/* pf_access - read (write=false) or write the word at va; returns the insn address. */
static u32 pf_access(unsigned long va, bool write, u32 *val)
{
	u32 eip;

	if (write)
		__asm__ __volatile__("movl $1f, %[eip]\n"
				     "1: movl %[v], (%[a])\n"
				     "2:\n" _ASM_EXTABLE(1b, 2b)
				     : [eip] "=&r"(eip) : [a] "r"(va), [v] "r"(*val) : "memory");
	else
		__asm__ __volatile__("movl $1f, %[eip]\n"
				     "1: movl (%[a]), %[v]\n"
				     "2:\n" _ASM_EXTABLE(1b, 2b)
				     : [eip] "=&r"(eip), [v] "+r"(*val) : [a] "r"(va) : "memory");
	return eip;
}

/*
 * test_page_faults - #PF error codes and CR2 for reads, writes and fetches
 * of absent pages, and ring 0 writes to read-only pages under CR0.WP.
 */
static void test_page_faults(void)
{
	unsigned long hole = KMAP_BASE + 0x3000, page = get_zeroed_page(), before;
	unsigned long text = (unsigned long)&test_page_faults;
	u32 v = 0, eip, old;

	unmap_page(kernel_pgdir, hole);
	before = nr_fixups;
	eip = pf_access(hole, false, &v);
	check_fault("pf_read_not_present", before, X86_TRAP_PF, 0, eip, hole);

	before = nr_fixups;
	eip = pf_access(hole + 0x10, true, &v);
	check_fault("pf_write_not_present", before, X86_TRAP_PF, PF_ERR_W, eip, hole + 0x10);

	before = nr_fixups;
	eip = pf_access(0, false, &v);
	check_fault("pf_null", before, X86_TRAP_PF, 0, eip, 0);

	/* ring 0 write to kernel text under CR0.WP: P|W; the text is unchanged */
	old = *(volatile u32 *)text;
	v = ~old;
	before = nr_fixups;
	eip = pf_access(text, true, &v);
	if (*(volatile u32 *)text != old) {
		*(volatile u32 *)text = old;	/* only possible if WP is not enforced */
		st_fail("pf_write_text", "the write to kernel text went through");
	} else {
		check_fault("pf_write_text", before, X86_TRAP_PF, PF_ERR_P | PF_ERR_W, eip, text);
	}

	v = 0;
	before = nr_fixups;
	eip = pf_access((unsigned long)&rodata_word, true, &v);
	check_fault("pf_write_rodata", before, X86_TRAP_PF, PF_ERR_P | PF_ERR_W, eip,
		    (u32)&rodata_word);

	/* instruction fetch from a page that is not present: EIP = CR2 = target */
	before = nr_fixups;
	__asm__ __volatile__("jmp *%[t]\n"
			     "2:\n" _ASM_EXTABLE(%c[tc], 2b)
			     : : [t] "r"(KMAP_BASE + 0x3000), [tc] "i"(KMAP_BASE + 0x3000)
			     : "memory");
	check_fault("pf_fetch", before, X86_TRAP_PF, 0, hole, hole);

	/* a 4-byte write straddling into the absent page */
	if (page && !map_page(kernel_pgdir, hole - PAGE_SIZE, page, PTE_W)) {
		v = 0x12345678;
		before = nr_fixups;
		eip = pf_access(hole - 2, true, &v);
		if (nr_fixups == before + 1 && last_fixup.vector == X86_TRAP_PF &&
		    last_fixup.err == PF_ERR_W && last_fixup.eip == eip &&
		    last_fixup.cr2 >= hole - 2 && last_fixup.cr2 <= hole)
			st_pass("pf_split");
		else
			st_fail("pf_split", "%lu exception(s), vector %u err %x eip %08x cr2 %08x",
				nr_fixups - before, last_fixup.vector, last_fixup.err,
				last_fixup.eip, last_fixup.cr2);
		unmap_page(kernel_pgdir, hole - PAGE_SIZE);
	} else {
		st_fail("pf_split", "could not map a test page");
	}
	if (page)
		free_page(page);
}

/* Traps report the address after the instruction. */
static void test_traps(void)
{
	unsigned long before = nr_fixups;
	u32 eip, eip2;

	__asm__ __volatile__("int3\n"
			     "1: movl $1b, %[eip]\n" _ASM_EXTABLE(1b, 1b)
			     : [eip] "=r"(eip));
	if (nr_fixups != before + 1 || last_fixup.vector != X86_TRAP_BP || last_fixup.eip != eip) {
		st_fail("bp_int3", "int3 (CC): %lu exception(s), vector %u eip %08x, want eip %08x",
			nr_fixups - before, last_fixup.vector, last_fixup.eip, eip);
	} else {
		before = nr_fixups;
		__asm__ __volatile__("int $3\n"		/* the two-byte form CD 03 */
				     "1: movl $1b, %[eip]\n" _ASM_EXTABLE(1b, 1b)
				     : [eip] "=r"(eip2));
		check_fault("bp_int3", before, X86_TRAP_BP, 0, eip2, NO_CR2);
	}

	/* INTO traps only when OF is set */
	before = nr_fixups;
	__asm__ __volatile__("pushl %[f]\n\tpopfl\n\t"
			     "into\n"
			     "1: movl $1b, %[eip]\n" _ASM_EXTABLE(1b, 1b)
			     : [eip] "=r"(eip) : [f] "r"(read_eflags() & ~X86_EFLAGS_OF) : "cc");
	__asm__ __volatile__("pushl %[f]\n\tpopfl\n\t"
			     "into\n"
			     "1: movl $1b, %[eip]\n" _ASM_EXTABLE(1b, 1b)
			     : [eip] "=r"(eip) : [f] "r"(read_eflags() | X86_EFLAGS_OF) : "cc");
	check_fault("of_into", before, X86_TRAP_OF, 0, eip, NO_CR2);
}

/* A fixed-up fault must not disturb the general registers or the flags. */
static void test_regs_preserved(void)
{
	u32 a, b, c, d, s, di;
	u8 cf;

	__asm__ __volatile__("movl $0x11111111, %%eax\n\t"
			     "movl $0x22222222, %%ebx\n\t"
			     "movl $0x33333333, %%ecx\n\t"
			     "movl $0x44444444, %%edx\n\t"
			     "movl $0x55555555, %%esi\n\t"
			     "movl $0x66666666, %%edi\n\t"
			     "stc\n"
			     "1: ud2\n"
			     "2: setc %[cf]\n" _ASM_EXTABLE(1b, 2b)
			     : "=a"(a), "=b"(b), "=c"(c), "=d"(d), "=S"(s), "=D"(di), [cf] "=m"(cf)
			     : : "cc");
	st_expect("regs_preserved", a == 0x11111111 && b == 0x22222222 && c == 0x33333333 &&
		  d == 0x44444444 && s == 0x55555555 && di == 0x66666666 && cf == 1,
		  "%08x %08x %08x %08x %08x %08x CF %u", a, b, c, d, s, di, cf);
}

/* int 0x80 from ring 0 goes through the DPL 3 trap gate like a user call. */
static void test_int80_ring0(void)
{
	u32 eax = __NR_getpid;

	__asm__ __volatile__("int $0x80" : "+a"(eax) : : "memory");
	st_expect("int80_ring0", eax == 1, "getpid returned %u", eax);
}

/* selftest_exc - the "exc" area. */
void selftest_exc(void)
{
	test_divide();
	test_invalid_opcode();
	test_segments();
	test_page_faults();
	test_traps();
	test_regs_preserved();
	test_int80_ring0();
}
