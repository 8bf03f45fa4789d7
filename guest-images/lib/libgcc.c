/*
 * lib/libgcc.c - the compiler's 64-bit division helpers for i386.
 *
 * The compiler turns a / b and a % b on 64-bit operands into calls to these
 * (there is no 64-by-64 divide instruction).  Division by zero executes a
 * real 32-bit divide by zero, so it raises #DE as the hardware would.
 *
 * Nothing in this file may divide 64-bit values with / or %: that would
 * call itself.
 */
#include <linux/stddef.h>
#include <linux/types.h>

u64 __udivmoddi4(u64 n, u64 d, u64 *rem);
u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
s64 __divdi3(s64 n, s64 d);
s64 __moddi3(s64 n, s64 d);

/* divl - (hi:lo) / d with the CPU's 64-by-32 divide; needs hi < d. */
static inline u32 divl(u32 hi, u32 lo, u32 d, u32 *r)
{
	u32 q;

	__asm__("divl %4" : "=a"(q), "=d"(*r) : "a"(lo), "d"(hi), "rm"(d));
	return q;
}

/*
 * __udivmoddi4 - n / d, remainder in *rem (if rem is not NULL).
 *   d < 2^32:  two 64-by-32 divides (high word, then remainder:low word);
 *   d >= 2^32: the quotient fits in 32 bits; restoring shift-subtract
 *              division over the (at most 32) bit positions.
 */
u64 __udivmoddi4(u64 n, u64 d, u64 *rem)
{
	u32 nhi = (u32)(n >> 32), nlo = (u32)n, dlo = (u32)d;
	u64 q;

	if ((d >> 32) == 0) {
		u32 qhi = 0, qlo, r;
		if (dlo == 0) {
			volatile u32 zero = 0;
			dlo = 1 / zero;		/* #DE, like the hardware */
		}
		if (nhi >= dlo) {
			qhi = nhi / dlo;
			nhi = nhi % dlo;
		}
		qlo = divl(nhi, nlo, dlo, &r);
		if (rem)
			*rem = r;
		return ((u64)qhi << 32) | qlo;
	}
	q = 0;
	if (n >= d) {
		int shift = __builtin_clz((u32)(d >> 32)) - (nhi ? __builtin_clz(nhi) : 32);
		d <<= shift;
		for (; shift >= 0; shift--) {
			q <<= 1;
			if (n >= d) {
				n -= d;
				q |= 1;
			}
			d >>= 1;
		}
	}
	if (rem)
		*rem = n;
	return q;
}

/* __udivdi3 - unsigned 64-bit n / d. */
u64 __udivdi3(u64 n, u64 d)
{
	return __udivmoddi4(n, d, NULL);
}

/* __umoddi3 - unsigned 64-bit n % d. */
u64 __umoddi3(u64 n, u64 d)
{
	u64 r;

	__udivmoddi4(n, d, &r);
	return r;
}

/* abs64 - |v| as unsigned (correct for the most negative value too). */
static inline u64 abs64(s64 v)
{
	return v < 0 ? 0 - (u64)v : (u64)v;
}

/* __divdi3 - signed division, rounding toward zero. */
s64 __divdi3(s64 n, s64 d)
{
	u64 q = __udivmoddi4(abs64(n), abs64(d), NULL);

	return (s64)(((n < 0) != (d < 0)) ? 0 - q : q);
}

/* __moddi3 - signed remainder; it has the sign of the dividend. */
s64 __moddi3(s64 n, s64 d)
{
	u64 r;

	__udivmoddi4(abs64(n), abs64(d), &r);
	return (s64)(n < 0 ? 0 - r : r);
}
