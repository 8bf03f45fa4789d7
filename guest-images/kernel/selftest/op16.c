/*
 * kernel/selftest/op16.c - 16-bit operations (operand-size prefix 0x66):
 * the ALU ops against the flag model with the upper half of the 32-bit
 * register or memory word left intact, immediates (imm16 and sign-extended
 * imm8), moves, mul/imul/div, the sign extensions cbw cwde cwd cdq, and
 * rolw $8 (the compiler's byte swap of a 16-bit value).
 */
#include <linux/kernel.h>
#include "opcheck.h"
#include "selftest.h"

DEFINE_OP2(add16, "addw", "r", "w")
DEFINE_OP2(adc16, "adcw", "r", "w")
DEFINE_OP2(sub16, "subw", "r", "w")
DEFINE_OP2(sbb16, "sbbw", "r", "w")
DEFINE_OP2(cmp16, "cmpw", "r", "w")
DEFINE_OP2(and16, "andw", "r", "w")
DEFINE_OP2(or16, "orw", "r", "w")
DEFINE_OP2(xor16, "xorw", "r", "w")
DEFINE_OP1(inc16, "incw", "r", "w")
DEFINE_OP1(dec16, "decw", "r", "w")
DEFINE_OP1(neg16, "negw", "r", "w")

static void r_add(u32 a, u32 b, u32 fin, int bits, struct ref *r) { (void)fin; ref_add(a, b, 0, bits, r); }
static void r_adc(u32 a, u32 b, u32 fin, int bits, struct ref *r) { ref_add(a, b, fin & CF, bits, r); }
static void r_sub(u32 a, u32 b, u32 fin, int bits, struct ref *r) { (void)fin; ref_sub(a, b, 0, bits, r); }
static void r_sbb(u32 a, u32 b, u32 fin, int bits, struct ref *r) { ref_sub(a, b, fin & CF, bits, r); }
static void r_and(u32 a, u32 b, u32 fin, int bits, struct ref *r) { (void)fin; ref_logic(a & b, bits, r); }
static void r_or(u32 a, u32 b, u32 fin, int bits, struct ref *r) { (void)fin; ref_logic(a | b, bits, r); }
static void r_xor(u32 a, u32 b, u32 fin, int bits, struct ref *r) { (void)fin; ref_logic(a ^ b, bits, r); }

/* r_cmp - CMP: SUB flags, destination unchanged. */
static void r_cmp(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	(void)fin;
	ref_sub(a, b, 0, bits, r);
	r->res = a;
}

/* r_inc - INC: ADD 1 flags, CF unchanged. */
static void r_inc(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	(void)b;
	ref_add(a, 1, 0, bits, r);
	r->flags = (r->flags & ~CF) | (fin & CF);
}

/* r_dec - DEC: SUB 1 flags, CF unchanged. */
static void r_dec(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	(void)b;
	ref_sub(a, 1, 0, bits, r);
	r->flags = (r->flags & ~CF) | (fin & CF);
}

/* r_neg - NEG: 0 - a; CF = (a != 0). */
static void r_neg(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	(void)b;
	(void)fin;
	ref_sub(0, a, 0, bits, r);
}

static const struct op_test tests16[] = {
	{ "add", add16, r_add, 16, 3, false }, { "adc", adc16, r_adc, 16, 3, false },
	{ "sub", sub16, r_sub, 16, 3, false }, { "sbb", sbb16, r_sbb, 16, 3, false },
	{ "cmp", cmp16, r_cmp, 16, 3, false }, { "and", and16, r_and, 16, 3, false },
	{ "or", or16, r_or, 16, 3, false },    { "xor", xor16, r_xor, 16, 3, false },
};

static const struct op_test unary16[] = {
	{ "inc", inc16, r_inc, 16, 2, false }, { "dec", dec16, r_dec, 16, 2, false },
	{ "neg", neg16, r_neg, 16, 2, false },
};

/* Immediates: 66 81 /0 iw, 66 83 /0 ib (sign-extended), 66 B8+r iw, 66 C7. */
static void test_imm(void)
{
	u32 a = 0xaaaa0001, b = 0xbbbb0005, c = 0xcccc1111, f;
	u32 mem = 0x12345678;

	__asm__("addw $0x1234, %w[a]\n\t"	/* a = aaaa1235 */
		"addw $-2, %w[b]\n\t"		/* b = bbbb0003 */
		"movw $0xbeef, %w[c]\n\t"	/* c = ccccbeef */
		"movw $0x4321, %[m]\n\t"	/* mem = 12344321 */
		"cmpw $-1, %[m]\n\t"		/* 0x4321 - 0xffff: borrow */
		"pushfl; popl %[f]"
		: [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [m] "+m"(mem), [f] "=r"(f)
		:
		: "cc");
	st_expect("imm", a == 0xaaaa1235 && b == 0xbbbb0003 && c == 0xccccbeef &&
		  mem == 0x12344321 && (f & (CF | ZF)) == CF,
		  "%08x %08x %08x mem %08x flags %03x", a, b, c, mem, f & ARITH);
}

/* MOV and XCHG of 16 bits write only 16 bits. */
static void test_mov(void)
{
	u32 a = 0x11112222, b = 0x33334444, mem = 0x55556666, x = 0x77778888;

	__asm__("movw %w[b], %w[a]\n\t"		/* a = 11114444 */
		"movw %w[b], %[m]\n\t"		/* mem = 55554444 */
		"xchgw %w[b], %w[x]"		/* b = 33338888, x = 77774444 */
		: [a] "+r"(a), [b] "+r"(b), [m] "+m"(mem), [x] "+r"(x));
	st_expect("mov", a == 0x11114444 && mem == 0x55554444 && b == 0x33338888 &&
		  x == 0x77774444, "%08x %08x %08x %08x", a, mem, b, x);
}

/* MUL/IMUL r/m16 -> DX:AX; IMUL r16, r/m16; DIV r/m16: DX:AX / r16. */
static void test_muldiv(void)
{
	u32 eax = 0xaaaa1234, edx = 0xbbbb0000, f1, f2;
	u32 ia = 0xcccc8000, idx = 0xdddd0000, i2 = 0xeeee0100;
	u32 qa = 0x11110000 | 0x5678, qd = 0x22220000 | 0x0012;
	u16 m16 = 0x100, d16 = 0x1234;

	__asm__("mulw %[m]; pushfl; popl %[f]"
		: "+a"(eax), "+d"(edx), [f] "=r"(f1) : [m] "m"(m16) : "cc");
	/* 0x1234 * 0x100 = 0x00123400: DX = 0x0012, AX = 0x3400, CF=OF=1 */
	if (eax != 0xaaaa3400 || edx != 0xbbbb0012 || (f1 & (CF | OF)) != (CF | OF)) {
		st_fail("muldiv", "mulw: eax %08x edx %08x flags %03x", eax, edx, f1 & ARITH);
		return;
	}
	__asm__("imulw %[m]" : "+a"(ia), "+d"(idx) : [m] "r"((u16)2) : "cc");
	/* -32768 * 2 = -65536 = 0xffff:0000 */
	__asm__("imulw %w[s], %w[d]; pushfl; popl %[f]"
		: [d] "+r"(i2), [f] "=r"(f2) : [s] "r"(0x200) : "cc");
	/* 0x100 * 0x200 = 0x20000: truncated to 0, CF=OF=1 */
	__asm__("divw %[d]" : "+a"(qa), "+d"(qd) : [d] "m"(d16) : "cc");
	/* 0x00125678 / 0x1234 = 0x101, remainder 0x125678 - 0x124634 = 0x1044 */
	st_expect("muldiv", ia == 0xcccc0000 && idx == 0xddddffff && i2 == 0xeeee0000 &&
		  (f2 & (CF | OF)) == (CF | OF) && qa == 0x11110101 && qd == 0x22221044,
		  "imulw %08x:%08x imulw2 %08x flags %03x divw %08x %08x", idx, ia, i2,
		  f2 & ARITH, qa, qd);
}

/* CBW, CWDE, CWD, CDQ. */
static void test_sign_extend(void)
{
	u32 a1 = 0x12340080, a2 = 0x12348000, a3 = 0x5678ffff, d3 = 0x9abc0000;
	u32 a4 = 0x80000000, d4 = 0;

	__asm__("cbtw" : "+a"(a1));			/* ax = ff80 */
	__asm__("cwtl" : "+a"(a2));			/* eax = ffff8000 */
	__asm__("cwtd" : "+a"(a3), "+d"(d3));		/* dx = ffff */
	__asm__("cltd" : "+a"(a4), "+d"(d4));		/* edx = ffffffff */
	st_expect("sign_extend", a1 == 0x1234ff80 && a2 == 0xffff8000 && a3 == 0x5678ffff &&
		  d3 == 0x9abcffff && d4 == 0xffffffff, "%08x %08x %08x:%08x %08x",
		  a1, a2, d3, a3, d4);
}

/* rolw $8 swaps the bytes of a 16-bit value (htons). */
static void test_rolw8(void)
{
	u32 a = 0xdead1234, f;

	__asm__("rolw $8, %w[a]; pushfl; popl %[f]" : [a] "+r"(a), [f] "=r"(f) : : "cc");
	st_expect("rolw8", a == 0xdead3412 && (f & CF) == 0, "%08x CF %u", a, f & CF);
}

static const u32 zero_operand[] = { 0 };

/* selftest_op16 - the "op16" area. */
void selftest_op16(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tests16); i++)
		run_op_test_edges(&tests16[i]);
	for (i = 0; i < ARRAY_SIZE(unary16); i++)
		run_op_test(&unary16[i], st_edge_values, st_nr_edge_values, zero_operand, 1);
	test_imm();
	test_mov();
	test_muldiv();
	test_sign_extend();
	test_rolw8();
}
