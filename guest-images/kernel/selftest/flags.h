/*
 * kernel/selftest/flags.h - a reference model of the x86 status flags, and
 * inline-assembly wrappers that run one instruction with chosen input
 * flags and capture EFLAGS after it (PUSHF).
 *
 * The model follows the Intel SDM definitions; flags the SDM calls
 * "undefined" for an instruction are left out of the compared mask.
 */
#ifndef _SELFTEST_FLAGS_H
#define _SELFTEST_FLAGS_H

#include <asm/processor.h>
#include <linux/types.h>

#define CF X86_EFLAGS_CF
#define PF X86_EFLAGS_PF
#define AF X86_EFLAGS_AF
#define ZF X86_EFLAGS_ZF
#define SF X86_EFLAGS_SF
#define OF X86_EFLAGS_OF
#define ARITH X86_EFLAGS_ARITH

/* What an instruction should produce: result, flags, which flags to compare. */
struct ref {
	u32 res;
	u32 flags;
	u32 defined;
	bool skip;	/* the SDM leaves this case undefined: don't test it */
};

static inline u32 width_mask(int bits)
{
	return bits == 32 ? 0xffffffffu : (1u << bits) - 1;
}

static inline u32 msb(u32 v, int bits)
{
	return (v >> (bits - 1)) & 1;
}

/* flags_szp - SF, ZF and PF (parity of the low byte) of a result. */
static inline u32 flags_szp(u32 r, int bits)
{
	u32 f = 0, p = r & 0xff;

	r &= width_mask(bits);
	if (!r)
		f |= ZF;
	if (msb(r, bits))
		f |= SF;
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (!(p & 1))
		f |= PF;
	return f;
}

/* ref_add - a + b + carry at a width: all six flags defined. */
static inline void ref_add(u32 a, u32 b, u32 carry, int bits, struct ref *r)
{
	u32 m = width_mask(bits), res;
	u64 full;

	a &= m;
	b &= m;
	full = (u64)a + b + carry;
	res = (u32)full & m;
	r->res = res;
	r->flags = flags_szp(res, bits);
	if (full > m)
		r->flags |= CF;
	if (msb((a ^ res) & (b ^ res), bits))
		r->flags |= OF;
	if ((a ^ b ^ res) & 0x10)
		r->flags |= AF;
	r->defined = ARITH;
	r->skip = false;
}

/* ref_sub - a - b - borrow at a width: all six flags defined. */
static inline void ref_sub(u32 a, u32 b, u32 borrow, int bits, struct ref *r)
{
	u32 m = width_mask(bits), res;

	a &= m;
	b &= m;
	res = (a - b - borrow) & m;
	r->res = res;
	r->flags = flags_szp(res, bits);
	if ((u64)a < (u64)b + borrow)
		r->flags |= CF;
	if (msb((a ^ b) & (a ^ res), bits))
		r->flags |= OF;
	if ((a ^ b ^ res) & 0x10)
		r->flags |= AF;
	r->defined = ARITH;
	r->skip = false;
}

/* ref_logic - AND/OR/XOR/TEST result r: OF = CF = 0, AF undefined. */
static inline void ref_logic(u32 res, int bits, struct ref *r)
{
	r->res = res & width_mask(bits);
	r->flags = flags_szp(r->res, bits);
	r->defined = ARITH & ~AF;
	r->skip = false;
}

/*
 * Wrappers.  fin is loaded into EFLAGS with POPF right before the
 * instruction and EFLAGS is read with PUSHF right after it.  "form" picks
 * the operand encoding: 0 reg,reg  1 reg->mem  2 mem->reg (or 1 = mem for
 * one-operand instructions).  MOD is the operand-size modifier for register
 * names ("" 32-bit, "w" 16-bit, "b" 8-bit) and REGC the register class.
 * 8- and 16-bit forms operate on the low part of a 32-bit holder, so the
 * caller can check that the upper bits survive.
 */
#define FLAGS_IN "pushl %[fi]\n\tpopfl\n\t"
#define FLAGS_OUT "\n\tpushfl\n\tpopl %[fo]"

typedef u32 (*op_fn)(u32 a, u32 b, u32 fin, u32 *fout, int form);

#define DEFINE_OP2(fn, insn, REGC, MOD)					\
static u32 fn(u32 a, u32 b, u32 fin, u32 *fout, int form)		\
{									\
	u32 fo;								\
	if (form == 0)							\
		__asm__ __volatile__(FLAGS_IN insn " %" MOD "[s], %" MOD "[d]" FLAGS_OUT \
				     : [d] "+" REGC(a), [fo] "=r"(fo)	\
				     : [s] REGC(b), [fi] "r"(fin) : "cc"); \
	else if (form == 1)						\
		__asm__ __volatile__(FLAGS_IN insn " %" MOD "[s], %[d]" FLAGS_OUT \
				     : [d] "+m"(a), [fo] "=r"(fo)	\
				     : [s] REGC(b), [fi] "r"(fin) : "cc"); \
	else								\
		__asm__ __volatile__(FLAGS_IN insn " %[s], %" MOD "[d]" FLAGS_OUT \
				     : [d] "+" REGC(a), [fo] "=r"(fo)	\
				     : [s] "m"(b), [fi] "r"(fin) : "cc"); \
	*fout = fo;							\
	return a;							\
}

#define DEFINE_OP1(fn, insn, REGC, MOD)					\
static u32 fn(u32 a, u32 b, u32 fin, u32 *fout, int form)		\
{									\
	u32 fo;								\
	(void)b;							\
	if (form == 0)							\
		__asm__ __volatile__(FLAGS_IN insn " %" MOD "[d]" FLAGS_OUT \
				     : [d] "+" REGC(a), [fo] "=r"(fo)	\
				     : [fi] "r"(fin) : "cc");		\
	else								\
		__asm__ __volatile__(FLAGS_IN insn " %[d]" FLAGS_OUT	\
				     : [d] "+m"(a), [fo] "=r"(fo)	\
				     : [fi] "r"(fin) : "cc");		\
	*fout = fo;							\
	return a;							\
}

/*
 * Shift by CL (forms 0 reg, 1 mem), by 1 (2 reg, 4 mem; the D0/D1
 * encodings) or by the immediate 7 (3 reg, 5 mem; C0/C1).
 */
#define SHIFT_IMM 7
#define DEFINE_SHIFT(fn, insn, REGC, MOD)				\
static u32 fn(u32 a, u32 count, u32 fin, u32 *fout, int form)		\
{									\
	u32 fo;								\
	switch (form) {							\
	case 0:								\
		__asm__ __volatile__(FLAGS_IN insn " %%cl, %" MOD "[d]" FLAGS_OUT \
				     : [d] "+" REGC(a), [fo] "=r"(fo)	\
				     : "c"(count), [fi] "r"(fin) : "cc"); \
		break;							\
	case 1:								\
		__asm__ __volatile__(FLAGS_IN insn " %%cl, %[d]" FLAGS_OUT \
				     : [d] "+m"(a), [fo] "=r"(fo)	\
				     : "c"(count), [fi] "r"(fin) : "cc"); \
		break;							\
	case 2:								\
		__asm__ __volatile__(FLAGS_IN insn " %" MOD "[d]" FLAGS_OUT \
				     : [d] "+" REGC(a), [fo] "=r"(fo)	\
				     : [fi] "r"(fin) : "cc");		\
		break;							\
	case 3:								\
		__asm__ __volatile__(FLAGS_IN insn " $7, %" MOD "[d]" FLAGS_OUT \
				     : [d] "+" REGC(a), [fo] "=r"(fo)	\
				     : [fi] "r"(fin) : "cc");		\
		break;							\
	case 4:								\
		__asm__ __volatile__(FLAGS_IN insn " %[d]" FLAGS_OUT	\
				     : [d] "+m"(a), [fo] "=r"(fo)	\
				     : [fi] "r"(fin) : "cc");		\
		break;							\
	default:							\
		__asm__ __volatile__(FLAGS_IN insn " $7, %[d]" FLAGS_OUT \
				     : [d] "+m"(a), [fo] "=r"(fo)	\
				     : [fi] "r"(fin) : "cc");		\
		break;							\
	}								\
	*fout = fo;							\
	return a;							\
}

/* The kernel's current EFLAGS with the six status flags cleared. */
static inline u32 flags_base(void)
{
	return read_eflags() & ~ARITH;
}

#endif
