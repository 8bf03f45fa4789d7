/*
 * kernel/selftest/alu.c - integer arithmetic and logic against the flag
 * model: add adc sub sbb cmp and or xor test inc dec neg not (32 and 8
 * bit, register and memory forms), mul imul div idiv, the high byte
 * registers, and addressing modes.
 */
#include <linux/kernel.h>
#include "opcheck.h"
#include "selftest.h"

DEFINE_OP2(add32, "addl", "r", "")
DEFINE_OP2(adc32, "adcl", "r", "")
DEFINE_OP2(sub32, "subl", "r", "")
DEFINE_OP2(sbb32, "sbbl", "r", "")
DEFINE_OP2(cmp32, "cmpl", "r", "")
DEFINE_OP2(and32, "andl", "r", "")
DEFINE_OP2(or32, "orl", "r", "")
DEFINE_OP2(xor32, "xorl", "r", "")
DEFINE_OP2(test32, "testl", "r", "")
DEFINE_OP1(inc32, "incl", "r", "")
DEFINE_OP1(dec32, "decl", "r", "")
DEFINE_OP1(neg32, "negl", "r", "")
DEFINE_OP1(not32, "notl", "r", "")
DEFINE_OP2(add8, "addb", "q", "b")
DEFINE_OP2(adc8, "adcb", "q", "b")
DEFINE_OP2(sub8, "subb", "q", "b")
DEFINE_OP2(sbb8, "sbbb", "q", "b")
DEFINE_OP2(cmp8, "cmpb", "q", "b")
DEFINE_OP2(xor8, "xorb", "q", "b")
DEFINE_OP1(inc8, "incb", "q", "b")
DEFINE_OP1(dec8, "decb", "q", "b")
DEFINE_OP1(neg8, "negb", "q", "b")

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

/* r_test - TEST: AND flags, destination unchanged. */
static void r_test(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	(void)fin;
	ref_logic(a & b, bits, r);
	r->res = a;
}

/* INC and DEC leave CF alone. */
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

/* NOT changes no flag. */
static void r_not(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	(void)b;
	r->res = ~a & width_mask(bits);
	r->flags = fin;
	r->defined = ARITH;
	r->skip = false;
}

static const struct op_test binary_tests[] = {
	{ "add", add32, r_add, 32, 3, false }, { "adc", adc32, r_adc, 32, 3, false },
	{ "sub", sub32, r_sub, 32, 3, false }, { "sbb", sbb32, r_sbb, 32, 3, false },
	{ "cmp", cmp32, r_cmp, 32, 3, false }, { "and", and32, r_and, 32, 3, false },
	{ "or", or32, r_or, 32, 3, false },    { "xor", xor32, r_xor, 32, 3, false },
	{ "test", test32, r_test, 32, 3, false },
	{ "add8", add8, r_add, 8, 3, false },  { "adc8", adc8, r_adc, 8, 3, false },
	{ "sub8", sub8, r_sub, 8, 3, false },  { "sbb8", sbb8, r_sbb, 8, 3, false },
	{ "cmp8", cmp8, r_cmp, 8, 3, false },  { "xor8", xor8, r_xor, 8, 3, false },
};

static const struct op_test unary_tests[] = {
	{ "inc", inc32, r_inc, 32, 2, false }, { "dec", dec32, r_dec, 32, 2, false },
	{ "neg", neg32, r_neg, 32, 2, false }, { "not", not32, r_not, 32, 2, false },
	{ "inc8", inc8, r_inc, 8, 2, false },  { "dec8", dec8, r_dec, 8, 2, false },
	{ "neg8", neg8, r_neg, 8, 2, false },
};

/* ---- multiply: only CF and OF are defined ---- */

/* mul_check - compare (hi:lo, flags) with the expected product. */
static bool mul_check(const char *name, u32 a, u32 b, u32 hi, u32 lo, u32 fo, u64 want,
		      bool overflow)
{
	u32 wf = overflow ? CF | OF : 0;

	if (hi == (u32)(want >> 32) && lo == (u32)want && (fo & (CF | OF)) == wf)
		return true;
	st_fail(name, "a=%08x b=%08x: got %08x:%08x flags %03x, want %08x:%08x CF=OF=%d",
		a, b, hi, lo, fo & ARITH, (u32)(want >> 32), (u32)want, overflow);
	return false;
}

/* test_mul - MUL and one-operand IMUL r/m32: EDX:EAX, CF = OF = high half needed. */
static void test_mul(void)
{
	u32 base = flags_base();
	int i, j;

	for (i = 0; i < st_nr_edge_values; i++) {
		for (j = 0; j < st_nr_edge_values; j++) {
			u32 a = st_edge_values[i], b = st_edge_values[j], lo, hi, fo;
			u64 p = (u64)a * b;
			s64 sp = (s64)(s32)a * (s32)b;

			lo = a;
			__asm__ __volatile__(FLAGS_IN "mull %[b]" FLAGS_OUT
					     : "+a"(lo), "=d"(hi), [fo] "=r"(fo)
					     : [b] "rm"(b), [fi] "r"(base) : "cc");
			if (!mul_check("mul", a, b, hi, lo, fo, p, p >> 32))
				return;
			lo = a;
			__asm__ __volatile__(FLAGS_IN "imull %[b]" FLAGS_OUT
					     : "+a"(lo), "=d"(hi), [fo] "=r"(fo)
					     : [b] "rm"(b), [fi] "r"(base | ARITH) : "cc");
			if (!mul_check("mul", a, b, hi, lo, fo, (u64)sp, sp != (s32)sp))
				return;
		}
	}
	st_pass("mul");
}

/* imul with two and three operands keeps the low half; CF=OF = it was cut. */
static void test_imul_trunc(void)
{
	u32 base = flags_base();
	int i, j;

	for (i = 0; i < st_nr_edge_values; i++) {
		for (j = 0; j < st_nr_edge_values; j++) {
			u32 a = st_edge_values[i], b = st_edge_values[j], r, rm, fo, fom;
			s64 sp = (s64)(s32)a * (s32)b;

			r = a;
			__asm__ __volatile__(FLAGS_IN "imull %[b], %[d]" FLAGS_OUT
					     : [d] "+r"(r), [fo] "=r"(fo)
					     : [b] "r"(b), [fi] "r"(base) : "cc");
			rm = a;
			__asm__ __volatile__(FLAGS_IN "imull %[b], %[d]" FLAGS_OUT
					     : [d] "+r"(rm), [fo] "=r"(fom)
					     : [b] "m"(b), [fi] "r"(base) : "cc");
			if (!mul_check("imul2", a, b, 0, r, fo, (u32)sp, sp != (s32)sp) ||
			    !mul_check("imul2", a, b, 0, rm, fom, (u32)sp, sp != (s32)sp))
				return;
		}
	}
	st_pass("imul2");

	for (i = 0; i < st_nr_edge_values; i++) {
		u32 a = st_edge_values[i], r8, r32, fo8, fo32;
		s64 p8 = (s64)(s32)a * -3, p32 = (s64)(s32)a * 100003;

		__asm__ __volatile__(FLAGS_IN "imull $-3, %[s], %[d]" FLAGS_OUT
				     : [d] "=r"(r8), [fo] "=r"(fo8)
				     : [s] "r"(a), [fi] "r"(base) : "cc");
		__asm__ __volatile__(FLAGS_IN "imull $100003, %[s], %[d]" FLAGS_OUT
				     : [d] "=r"(r32), [fo] "=r"(fo32)
				     : [s] "m"(a), [fi] "r"(base) : "cc");
		if (!mul_check("imul3", a, -3, 0, r8, fo8, (u32)p8, p8 != (s32)p8) ||
		    !mul_check("imul3", a, 100003, 0, r32, fo32, (u32)p32, p32 != (s32)p32))
			return;
	}
	st_pass("imul3");
}

/* 8-bit mul/imul: AL * r/m8 -> AX; the rest of EAX is untouched. */
static void test_mul8(void)
{
	u32 base = flags_base();
	int i, j;

	for (i = 0; i < st_nr_edge_values; i++) {
		for (j = 0; j < st_nr_edge_values; j++) {
			u8 a = st_edge_values[i], b = st_edge_values[j];
			u32 eax = 0xabcd0000 | a, eax2 = eax, fo, fo2;
			u32 p = (u32)a * b;
			s32 sp = (s32)(s8)a * (s8)b;

			__asm__ __volatile__(FLAGS_IN "mulb %[b]" FLAGS_OUT
					     : "+a"(eax), [fo] "=r"(fo)
					     : [b] "qm"(b), [fi] "r"(base) : "cc");
			__asm__ __volatile__(FLAGS_IN "imulb %[b]" FLAGS_OUT
					     : "+a"(eax2), [fo] "=r"(fo2)
					     : [b] "qm"(b), [fi] "r"(base) : "cc");
			if (!mul_check("mul8", a, b, 0, eax, fo, 0xabcd0000 | p, p > 0xff) ||
			    !mul_check("mul8", a, b, 0, eax2, fo2, 0xabcd0000 | (sp & 0xffff),
				       sp != (s8)sp))
				return;
		}
	}
	st_pass("mul8");
}

/* ---- divide: quotient and remainder; flags are undefined ---- */

/*
 * Dividends are built as q * d + r with |r| < |d| (r has the dividend's
 * sign), so the expected results need no division.
 */
static void test_div(void)
{
	int i, j, k;

	for (i = 0; i < st_nr_edge_values; i++) {
		u32 d = st_edge_values[i];
		if (!d)
			continue;
		for (j = 0; j < st_nr_edge_values; j++) {
			u32 q = st_edge_values[j];
			for (k = 0; k < 2; k++) {
				u32 r = k ? d - 1 : 0, lo, hi;
				u64 n = (u64)q * d + r;
				lo = (u32)n;
				hi = (u32)(n >> 32);
				__asm__ __volatile__("divl %[d]" : "+a"(lo), "+d"(hi) : [d] "rm"(d) : "cc");
				if (lo != q || hi != r) {
					st_fail("div", "%08x:%08x / %08x: got q=%08x r=%08x, want q=%08x r=%08x",
						(u32)(n >> 32), (u32)n, d, lo, hi, q, r);
					return;
				}
			}
		}
	}
	st_pass("div");
}

/* test_idiv - IDIV r/m32 with quotients and remainders of both signs. */
static void test_idiv(void)
{
	int i, j, k;

	for (i = 0; i < st_nr_edge_values; i++) {
		s32 d = (s32)st_edge_values[i];
		if (!d)
			continue;
		for (j = 0; j < st_nr_edge_values; j++) {
			s32 q = (s32)st_edge_values[j];
			for (k = 0; k < 2; k++) {
				s64 prod = (s64)q * d;
				s64 absd = d < 0 ? -(s64)d : d;
				s64 r = k ? (prod >= 0 ? absd - 1 : -(absd - 1)) : 0;
				s64 n = prod + r;
				u32 lo = (u32)n, hi = (u32)((u64)n >> 32);
				__asm__ __volatile__("idivl %[d]" : "+a"(lo), "+d"(hi) : [d] "rm"(d) : "cc");
				if (lo != (u32)q || hi != (u32)r) {
					st_fail("idiv", "%08x:%08x / %08x: got q=%08x r=%08x, want q=%08x r=%08x",
						(u32)((u64)n >> 32), (u32)n, (u32)d, lo, hi, (u32)q, (u32)r);
					return;
				}
			}
		}
	}
	st_pass("idiv");
}

/* 8-bit divide: AX / r/m8 -> AL quotient, AH remainder. */
static void test_div8(void)
{
	static const u16 cases[][4] = {	/* ax, divisor, al, ah */
		{ 1000, 7, 142, 6 }, { 0xff, 1, 0xff, 0 }, { 0x1fe, 2, 0xff, 0 },
		{ 0x00, 5, 0, 0 }, { 0x7ff, 0x10, 0x7f, 0xf },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 eax = 0x12340000 | cases[i][0];
		u8 d = (u8)cases[i][1];
		__asm__ __volatile__("divb %[d]" : "+a"(eax) : [d] "qm"(d) : "cc");
		if (eax != (0x12340000u | cases[i][2] | (u32)cases[i][3] << 8)) {
			st_fail("div8", "ax=%04x / %02x: got eax %08x", cases[i][0], d, eax);
			return;
		}
	}
	{
		u32 eax = 0x0000ff9c;	/* -100 */
		s8 d = 7;		/* -100 / 7 = -14 rem -2 */
		__asm__ __volatile__("idivb %[d]" : "+a"(eax) : [d] "qm"(d) : "cc");
		if ((eax & 0xffff) != 0xfef2) {
			st_fail("div8", "idivb -100/7: got ax %04x, want fef2", eax & 0xffff);
			return;
		}
	}
	st_pass("div8");
}

/* ---- registers and addressing ---- */

/* The high byte registers AH BH CH DH are bits 15..8 of EAX..EDX. */
static void test_byte_regs(void)
{
	u32 a = 0x11223344, b = 0x55667788, c = 0x99aabbcc, d = 0xddeeff00, s, di;

	__asm__ __volatile__("addb %%ah, %%bl\n\t"	/* bl = 0x88 + 0x33 = 0xbb */
			     "xchgb %%al, %%bh\n\t"	/* al = 0x77, bh = 0x44 */
			     "movb %%ch, %%dl\n\t"	/* dl = 0xbb */
			     "incb %%dh\n\t"		/* dh = 0x00 */
			     "subb %%cl, %%ah\n\t"	/* ah = 0x33 - 0xcc = 0x67 */
			     "negb %%ch\n\t"		/* ch = 0x45 */
			     "movzbl %%bh, %%esi\n\t"	/* 0x44 */
			     "movsbl %%dl, %%edi"	/* 0xffffffbb */
			     : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "=S"(s), "=D"(di)
			     :
			     : "cc");
	st_expect("byte_regs", a == 0x11226777 && b == 0x556644bb && c == 0x99aa45cc &&
		  d == 0xddee00bb && s == 0x44 && di == 0xffffffbb,
		  "eax %08x ebx %08x ecx %08x edx %08x esi %08x edi %08x", a, b, c, d, s, di);
}

u32 st_addr_array[16];
u32 st_moffs_var;

/* ModRM/SIB forms: base+index*scale+disp8/32, no base, LEA, ESP base, moffs. */
static void test_addressing(void)
{
	u32 idx = 3, r1, r2, r3, r4, r5, r6, r7;
	u32 *arr = st_addr_array;
	int i;

	for (i = 0; i < 16; i++)
		arr[i] = 0x100 + i * 0x01010101;
	st_moffs_var = 0x600dcafe;
	__asm__ __volatile__("movl 8(%[base],%[idx],4), %[r1]\n\t"
			     "leal 0x1000(%[base],%[idx],8), %[r2]\n\t"
			     "movl %c[arr]+4(,%[idx],4), %[r3]\n\t"
			     : [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3)
			     : [base] "r"(arr), [idx] "r"(idx), [arr] "i"(st_addr_array)
			     : "memory");
	__asm__ __volatile__("leal (%[idx],%[idx],2), %[r4]\n\t"
			     "movl -4(%[base],%[idx],4), %[r5]\n\t"
			     : [r4] "=&r"(r4), [r5] "=&r"(r5)
			     : [base] "r"(arr), [idx] "r"(idx)
			     : "memory");
	__asm__ __volatile__("pushl $0x5eed\n\t"
			     "pushl $0x1234\n\t"
			     "movl 4(%%esp), %[r6]\n\t"
			     "addl $8, %%esp\n\t"
			     "movl %c[mv], %%eax\n\t"		/* A1: moffs32 load */
			     "movl %%eax, %c[arr]+60\n\t"	/* A3: moffs32 store */
			     : [r6] "=r"(r6), "=a"(r7)
			     : [mv] "i"(&st_moffs_var), [arr] "i"(st_addr_array)
			     : "memory");
	st_expect("addressing", r1 == arr[5] && r2 == (u32)arr + 0x1018 && r3 == arr[4] &&
		  r4 == 9 && r5 == arr[2] && r6 == 0x5eed && r7 == 0x600dcafe &&
		  arr[15] == 0x600dcafe,
		  "%08x %08x %08x %08x %08x %08x %08x %08x", r1, r2, r3, r4, r5, r6, r7, arr[15]);
}

static const u32 zero_operand[] = { 0 };

/* selftest_alu - the "alu" area. */
void selftest_alu(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(binary_tests); i++)
		run_op_test_edges(&binary_tests[i]);
	for (i = 0; i < ARRAY_SIZE(unary_tests); i++)
		run_op_test(&unary_tests[i], st_edge_values, st_nr_edge_values, zero_operand, 1);
	test_mul();
	test_imul_trunc();
	test_mul8();
	test_div();
	test_idiv();
	test_div8();
	test_byte_regs();
	test_addressing();
}
