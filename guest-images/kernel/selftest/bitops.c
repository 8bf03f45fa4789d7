/*
 * kernel/selftest/bitops.c - bit tests, bit scans, byte swap and the atomic
 * read-modify-write instructions: bt bts btr btc (register, immediate and
 * bit-string memory forms), bsf bsr (and F3 0F BC, which runs as BSF
 * without BMI1), bswap, cmpxchg, xadd, cmpxchg8b, lock-prefixed ALU ops.
 */
#include <linux/kernel.h>
#include "flags.h"
#include "selftest.h"

/* bt_reg - BT/BTS/BTR/BTC reg,reg (op 0..3): new value, CF = old bit. */
static u32 bt_reg(int op, u32 v, u32 bit, u32 *cf)
{
	u8 c;

	switch (op) {
	case 0: __asm__("btl %2, %0; setc %1" : "+r"(v), "=q"(c) : "r"(bit) : "cc"); break;
	case 1: __asm__("btsl %2, %0; setc %1" : "+r"(v), "=q"(c) : "r"(bit) : "cc"); break;
	case 2: __asm__("btrl %2, %0; setc %1" : "+r"(v), "=q"(c) : "r"(bit) : "cc"); break;
	default: __asm__("btcl %2, %0; setc %1" : "+r"(v), "=q"(c) : "r"(bit) : "cc"); break;
	}
	*cf = c;
	return v;
}

/* bt_model - what bit operation op does to bit (mod 32) of v. */
static u32 bt_model(int op, u32 v, u32 bit)
{
	u32 m = 1u << (bit & 31);

	return op == 0 ? v : op == 1 ? v | m : op == 2 ? v & ~m : v ^ m;
}

/* test_bt - BT/BTS/BTR/BTC reg, reg: offsets taken modulo 32. */
static void test_bt(void)
{
	static const char *const names[] = { "bt", "bts", "btr", "btc" };
	int op, i;
	u32 bit;

	for (op = 0; op < 4; op++)
		for (i = 0; i < st_nr_edge_values; i++)
			for (bit = 0; bit < 70; bit += 3) {
				u32 v = st_edge_values[i], cf;
				u32 got = bt_reg(op, v, bit, &cf);
				if (got != bt_model(op, v, bit) || cf != ((v >> (bit & 31)) & 1)) {
					st_fail("bt_reg", "%s v=%08x bit=%u: got %08x CF=%u", names[op],
						v, bit, got, cf);
					return;
				}
			}
	st_pass("bt_reg");
}

/*
 * With a register bit offset, a memory operand is a bit string: the offset
 * is signed and may reach outside the addressed dword.  With an immediate
 * offset it is taken modulo 32.
 */
static void test_bt_mem(void)
{
	u32 a[8] = { 0 }, *mid = &a[4];
	u8 c1, c2, c3, c4, c5;
	s32 off100 = 100, offm1 = -1, offm33 = -33;

	a[7] = 0x10;	/* bit 100 from mid is a[7] bit 4 */
	__asm__ __volatile__("btl %[o], %[m]; setc %[c1]\n\t"
			     "btsl %[p], %[m]; setc %[c2]\n\t"
			     "btsl %[q], %[m]; setc %[c3]\n\t"
			     "btrl %[o], %[m]; setc %[c4]\n\t"
			     "btsl $35, %[m]; setc %[c5]"
			     : [m] "+m"(*mid), [c1] "=m"(c1), [c2] "=m"(c2), [c3] "=m"(c3),
			       [c4] "=m"(c4), [c5] "=m"(c5)
			     : [o] "r"(off100), [p] "r"(offm1), [q] "r"(offm33)
			     : "cc", "memory");
	st_expect("bt_mem", c1 == 1 && c2 == 0 && c3 == 0 && c4 == 1 && c5 == 0 &&
		  a[7] == 0 && a[3] == 0x80000000 && a[2] == 0x80000000 && a[4] == 0x8 &&
		  a[5] == 0, "CF %u%u%u%u%u a[2..7] %08x %08x %08x %08x %08x %08x",
		  c1, c2, c3, c4, c5, a[2], a[3], a[4], a[5], a[6], a[7]);
}

/* BSF/BSR: index of the lowest/highest set bit; ZF=1 (dest undefined) for 0. */
static void test_bsf_bsr(void)
{
	int i;

	for (i = 0; i < st_nr_edge_values; i++) {
		u32 v = st_edge_values[i], f, r, rr, fr, t;
		__asm__("bsfl %[v], %[r]; pushfl; popl %[f]" : [r] "=r"(r), [f] "=r"(f) : [v] "rm"(v) : "cc");
		__asm__("bsrl %[v], %[r]; pushfl; popl %[f]" : [r] "=r"(rr), [f] "=r"(fr) : [v] "rm"(v) : "cc");
		if (!v) {
			if (!(f & ZF) || !(fr & ZF)) {
				st_fail("bsf_bsr", "source 0: ZF not set");
				return;
			}
			continue;
		}
		/* F3 0F BC: TZCNT on BMI1 CPUs, BSF otherwise; equal for v != 0. */
		__asm__(".byte 0xf3\n\tbsfl %[v], %[r]" : [r] "=r"(t) : [v] "r"(v) : "cc");
		if ((f & ZF) || (fr & ZF) || r != (u32)__builtin_ctz(v) ||
		    rr != 31u - __builtin_clz(v) || t != r) {
			st_fail("bsf_bsr", "v=%08x: bsf %u bsr %u rep-bsf %u ZF %d/%d", v, r, rr, t,
				!!(f & ZF), !!(fr & ZF));
			return;
		}
	}
	st_pass("bsf_bsr");
}

/* test_bswap - BSWAP reverses the four bytes. */
static void test_bswap(void)
{
	u32 a = 0x12345678, b = 0xff000080;

	__asm__("bswap %0" : "+r"(a));
	__asm__("bswap %0" : "+r"(b));
	st_expect("bswap", a == 0x78563412 && b == 0x800000ff, "got %08x %08x", a, b);
}

/* CMPXCHG: compare EAX with dest (flags as CMP); equal: dest = src, else EAX = dest. */
static void test_cmpxchg(void)
{
	u32 mem = 100, eax = 100, f1, f2, f3, reg = 7, eax3 = 9;

	__asm__ __volatile__("lock cmpxchgl %[n], %[m]; pushfl; popl %[f]"
			     : [m] "+m"(mem), "+a"(eax), [f] "=r"(f1) : [n] "r"(200u) : "cc", "memory");
	if (mem != 200 || eax != 100 || !(f1 & ZF)) {
		st_fail("cmpxchg", "success case: mem %u eax %u ZF %d", mem, eax, !!(f1 & ZF));
		return;
	}
	eax = 5;
	__asm__ __volatile__("lock cmpxchgl %[n], %[m]; pushfl; popl %[f]"
			     : [m] "+m"(mem), "+a"(eax), [f] "=r"(f2) : [n] "r"(300u) : "cc", "memory");
	/* 5 - 200: CF (borrow), SF, no ZF */
	if (mem != 200 || eax != 200 || (f2 & (ZF | CF | SF | OF)) != (CF | SF)) {
		st_fail("cmpxchg", "failure case: mem %u eax %u flags %03x", mem, eax, f2 & ARITH);
		return;
	}
	__asm__ __volatile__("cmpxchgl %[n], %[r]; pushfl; popl %[f]"
			     : [r] "+r"(reg), "+a"(eax3), [f] "=r"(f3) : [n] "r"(1u) : "cc");
	st_expect("cmpxchg", reg == 7 && eax3 == 7 && !(f3 & ZF),
		  "register form: reg %u eax %u ZF %d", reg, eax3, !!(f3 & ZF));
}

/* XADD: dest = dest + src, src = old dest; flags as ADD. */
static void test_xadd(void)
{
	u32 mem = 0x7fffffff, src = 1, f, a = 0xffffffff, b = 1, f2;
	struct ref r;

	__asm__ __volatile__("lock xaddl %[s], %[m]; pushfl; popl %[f]"
			     : [m] "+m"(mem), [s] "+r"(src), [f] "=r"(f) : : "cc", "memory");
	ref_add(0x7fffffff, 1, 0, 32, &r);
	if (mem != 0x80000000 || src != 0x7fffffff || (f & ARITH) != r.flags) {
		st_fail("xadd", "lock xadd: mem %08x src %08x flags %03x want %03x", mem, src,
			f & ARITH, r.flags);
		return;
	}
	__asm__ __volatile__("xaddl %[s], %[d]; pushfl; popl %[f]"
			     : [d] "+r"(a), [s] "+r"(b), [f] "=r"(f2) : : "cc");
	ref_add(0xffffffff, 1, 0, 32, &r);
	st_expect("xadd", a == 0 && b == 0xffffffff && (f2 & ARITH) == r.flags,
		  "register form: %08x %08x flags %03x want %03x", a, b, f2 & ARITH, r.flags);
}

/* CMPXCHG8B: compare EDX:EAX with m64; equal: m64 = ECX:EBX, else EDX:EAX = m64. */
static void test_cmpxchg8b(void)
{
	u64 mem = 0x1122334455667788ull;
	u32 lo = 0x55667788, hi = 0x11223344, f1, f2;

	__asm__ __volatile__("lock cmpxchg8b %[m]; pushfl; popl %[f]"
			     : [m] "+m"(mem), "+a"(lo), "+d"(hi), [f] "=r"(f1)
			     : "b"(0xdeadbeef), "c"(0xcafef00d) : "cc", "memory");
	if (mem != 0xcafef00ddeadbeefull || !(f1 & ZF)) {
		st_fail("cmpxchg8b", "success case: mem %08x%08x ZF %d", (u32)(mem >> 32),
			(u32)mem, !!(f1 & ZF));
		return;
	}
	lo = 1;
	hi = 2;
	__asm__ __volatile__("lock cmpxchg8b %[m]; pushfl; popl %[f]"
			     : [m] "+m"(mem), "+a"(lo), "+d"(hi), [f] "=r"(f2)
			     : "b"(0), "c"(0) : "cc", "memory");
	st_expect("cmpxchg8b", mem == 0xcafef00ddeadbeefull && lo == 0xdeadbeef &&
		  hi == 0xcafef00d && !(f2 & ZF), "failure case: edx:eax %08x:%08x ZF %d",
		  hi, lo, !!(f2 & ZF));
}

/* The lock prefix on read-modify-write memory forms, and XCHG (always locked). */
static void test_lock(void)
{
	u32 m = 10, x = 0x1234, old = 0xabcd;
	u8 cf, zf;

	__asm__ __volatile__("lock addl $5, %[m]\n\t"		/* 15 */
			     "lock incl %[m]\n\t"		/* 16 */
			     "lock subl $2, %[m]\n\t"		/* 14 */
			     "lock orl $0x100, %[m]\n\t"	/* 0x10e */
			     "lock andl $0xff0f, %[m]\n\t"	/* 0x10e */
			     "lock xorl $0x3, %[m]\n\t"		/* 0x10d */
			     "lock notl %[m]\n\t"		/* 0xfffffef2 */
			     "lock negl %[m]\n\t"		/* 0x10e */
			     "lock btsl $0, %[m]; setc %[cf]\n\t"	/* 0x10f, CF=0 */
			     "lock decl %[m]\n\t"		/* 0x10e */
			     "lock subl $0x10e, %[m]; setz %[zf]\n\t"	/* 0, ZF */
			     "xchgl %[o], %[x]"
			     : [m] "+m"(m), [cf] "=&q"(cf), [zf] "=&q"(zf), [x] "+m"(x), [o] "+r"(old)
			     :
			     : "cc", "memory");
	st_expect("lock", m == 0 && cf == 0 && zf == 1 && x == 0xabcd && old == 0x1234,
		  "m %08x CF %u ZF %u x %08x old %08x", m, cf, zf, x, old);
}

/* selftest_bitops - the "bitops" area. */
void selftest_bitops(void)
{
	test_bt();
	test_bt_mem();
	test_bsf_bsr();
	test_bswap();
	test_cmpxchg();
	test_xadd();
	test_cmpxchg8b();
	test_lock();
}
