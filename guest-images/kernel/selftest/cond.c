/*
 * kernel/selftest/cond.c - condition codes: SETcc, CMOVcc and Jcc (short
 * and near forms) for all 16 conditions under all 32 combinations of CF,
 * PF, ZF, SF and OF loaded with POPF; and MOVZX / MOVSX.
 */
#include <linux/kernel.h>
#include "flags.h"
#include "selftest.h"

/* Condition codes in encoding order (0x0 .. 0xf). */
static const char *const cc_names[16] = {
	"o", "no", "b", "ae", "e", "ne", "be", "a",
	"s", "ns", "p", "np", "l", "ge", "le", "g",
};

/* cc_model - the value of condition cc under flags f. */
static int cc_model(int cc, u32 f)
{
	int cf = !!(f & CF), zf = !!(f & ZF), sf = !!(f & SF), of = !!(f & OF);
	int pf = !!(f & PF), v;

	switch (cc >> 1) {
	case 0: v = of; break;
	case 1: v = cf; break;
	case 2: v = zf; break;
	case 3: v = cf | zf; break;
	case 4: v = sf; break;
	case 5: v = pf; break;
	case 6: v = sf != of; break;
	default: v = zf | (sf != of); break;
	}
	return (cc & 1) ? !v : v;
}

/* flag_combo - the i-th (0..31) combination of CF PF ZF SF OF. */
static u32 flag_combo(int i)
{
	return ((i & 1) ? CF : 0) | ((i & 2) ? PF : 0) | ((i & 4) ? ZF : 0) |
	       ((i & 8) ? SF : 0) | ((i & 16) ? OF : 0);
}

#define SET1(cc, n) "set" cc " " #n "(%[p])\n\t"
#define SET_ALL \
	SET1("o", 0) SET1("no", 1) SET1("b", 2) SET1("ae", 3) SET1("e", 4) SET1("ne", 5) \
	SET1("be", 6) SET1("a", 7) SET1("s", 8) SET1("ns", 9) SET1("p", 10) SET1("np", 11) \
	SET1("l", 12) SET1("ge", 13) SET1("le", 14) SET1("g", 15)

/* SETcc r/m8, memory form and register form. */
static void run_setcc(u32 fin, u8 *mem, u8 *reg)
{
	__asm__ __volatile__("pushl %[f]\n\tpopfl\n\t" SET_ALL : : [f] "r"(fin), [p] "r"(mem)
			     : "cc", "memory");
#define SETR(cc, n) "set" cc " %%al\n\tmovb %%al, " #n "(%[p])\n\t"
	__asm__ __volatile__("pushl %[f]\n\tpopfl\n\t"
			     SETR("o", 0) SETR("no", 1) SETR("b", 2) SETR("ae", 3)
			     SETR("e", 4) SETR("ne", 5) SETR("be", 6) SETR("a", 7)
			     SETR("s", 8) SETR("ns", 9) SETR("p", 10) SETR("np", 11)
			     SETR("l", 12) SETR("ge", 13) SETR("le", 14) SETR("g", 15)
			     : : [f] "r"(fin), [p] "r"(reg) : "eax", "cc", "memory");
#undef SETR
}

/* CMOVcc: 1 in EAX, cmov 2 (register source) / 3 (memory source). */
static void run_cmov(u32 fin, u32 *out)
{
	static const u32 three = 3;
#define CMOV1(cc, n) "movl $1, %%eax\n\tcmov" cc " %[two], %%eax\n\t"	\
	"cmov" cc " %[three], %%eax\n\tmovl %%eax, 4*" #n "(%[p])\n\t"
	__asm__ __volatile__("pushl %[f]\n\tpopfl\n\t"
			     CMOV1("o", 0) CMOV1("no", 1) CMOV1("b", 2) CMOV1("ae", 3)
			     CMOV1("e", 4) CMOV1("ne", 5) CMOV1("be", 6) CMOV1("a", 7)
			     CMOV1("s", 8) CMOV1("ns", 9) CMOV1("p", 10) CMOV1("np", 11)
			     CMOV1("l", 12) CMOV1("ge", 13) CMOV1("le", 14) CMOV1("g", 15)
			     : : [f] "r"(fin), [p] "r"(out), [two] "r"(2), [three] "m"(three)
			     : "eax", "cc", "memory");
#undef CMOV1
}

/*
 * Jcc: the short form (7x rel8), and the near form (0F 8x rel32) forced by
 * 130 bytes between the jump and its target.  Taken stores 1, else 0.
 */
static void run_jcc(u32 fin, u8 *s, u8 *l)
{
#define JS(cc, n) "j" cc " 1f\n\tmovb $0, " #n "(%[p])\n\tjmp 2f\n1:\n\tmovb $1, " #n "(%[p])\n2:\n\t"
#define JL(cc, n) "j" cc " 1f\n\tmovb $0, " #n "(%[q])\n\tjmp 2f\n\t.fill 130, 1, 0x90\n1:\n\t" \
	"movb $1, " #n "(%[q])\n2:\n\t"
	__asm__ __volatile__("pushl %[f]\n\tpopfl\n\t"
			     JS("o", 0) JS("no", 1) JS("b", 2) JS("ae", 3) JS("e", 4) JS("ne", 5)
			     JS("be", 6) JS("a", 7) JS("s", 8) JS("ns", 9) JS("p", 10) JS("np", 11)
			     JS("l", 12) JS("ge", 13) JS("le", 14) JS("g", 15)
			     JL("o", 0) JL("no", 1) JL("b", 2) JL("ae", 3) JL("e", 4) JL("ne", 5)
			     JL("be", 6) JL("a", 7) JL("s", 8) JL("ns", 9) JL("p", 10) JL("np", 11)
			     JL("l", 12) JL("ge", 13) JL("le", 14) JL("g", 15)
			     : : [f] "r"(fin), [p] "r"(s), [q] "r"(l) : "cc", "memory");
#undef JS
#undef JL
}

/*
 * test_conditions - SETcc, CMOVcc and Jcc against cc_model() for every
 * condition and flag combination.
 */
static void test_conditions(void)
{
	u32 base = flags_base(), cm[16];
	u8 sm[16], sr[16], js[16], jl[16];
	bool set_ok = true, cmov_ok = true, jcc_ok = true;
	int i, cc;

	for (i = 0; i < 32; i++) {
		u32 f = flag_combo(i);
		run_setcc(base | f, sm, sr);
		run_cmov(base | f, cm);
		run_jcc(base | f, js, jl);
		for (cc = 0; cc < 16; cc++) {
			int want = cc_model(cc, f);
			if (set_ok && (sm[cc] != want || sr[cc] != want)) {
				set_ok = false;
				st_fail("setcc", "set%s flags %03x: got %u/%u want %d", cc_names[cc],
					f, sm[cc], sr[cc], want);
			}
			if (cmov_ok && cm[cc] != (want ? 3u : 1u)) {
				cmov_ok = false;
				st_fail("cmovcc", "cmov%s flags %03x: got %u want %u", cc_names[cc], f,
					cm[cc], want ? 3 : 1);
			}
			if (jcc_ok && (js[cc] != want || jl[cc] != want)) {
				jcc_ok = false;
				st_fail("jcc", "j%s flags %03x: short %u near %u want %d", cc_names[cc],
					f, js[cc], jl[cc], want);
			}
		}
	}
	if (set_ok)
		st_pass("setcc");
	if (cmov_ok)
		st_pass("cmovcc");
	if (jcc_ok)
		st_pass("jcc");
}

/* MOVZX / MOVSX from 8 and 16 bits, register and memory sources. */
static void test_movx(void)
{
	int i;

	for (i = 0; i < st_nr_edge_values; i++) {
		u32 v = st_edge_values[i], zb, sb, zw, sw, zbm, swm;
		u8 b = (u8)v;
		u16 w = (u16)v;

		__asm__("movzbl %b[v], %[zb]\n\t"
			"movsbl %b[v], %[sb]\n\t"
			"movzwl %w[v], %[zw]\n\t"
			"movswl %w[v], %[sw]"
			: [zb] "=&r"(zb), [sb] "=&r"(sb), [zw] "=&r"(zw), [sw] "=&r"(sw)
			: [v] "q"(v));
		__asm__("movzbl %[b], %[zbm]\n\t"
			"movswl %[w], %[swm]"
			: [zbm] "=&r"(zbm), [swm] "=&r"(swm)
			: [b] "m"(b), [w] "m"(w));
		if (zb != b || sb != (u32)(s32)(s8)b || zw != w || sw != (u32)(s32)(s16)w ||
		    zbm != b || swm != (u32)(s32)(s16)w) {
			st_fail("movzx_movsx", "v=%08x: %08x %08x %08x %08x %08x %08x", v, zb, sb,
				zw, sw, zbm, swm);
			return;
		}
	}
	st_pass("movzx_movsx");
}

/* selftest_cond - the "cond" area. */
void selftest_cond(void)
{
	test_conditions();
	test_movx();
}
