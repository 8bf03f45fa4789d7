/*
 * kernel/selftest/shift.c - shifts and rotates against the flag model:
 * shl shr sar rol ror (8, 16, 32 bit) and rcl rcr shld shrd (32 bit), by
 * CL, by 1 and by an immediate, register and memory forms, counts 0, 1
 * and more, counts masked to 5 bits.
 *
 * SDM rules used: a masked count of 0 changes no flag; OF is defined only
 * for a count of 1; AF is undefined for shifts; rotates change only CF and
 * OF; for SHL/SHR a count >= the width leaves CF undefined.
 */
#include <linux/kernel.h>
#include "opcheck.h"
#include "selftest.h"

DEFINE_SHIFT(shl32, "shll", "r", "")
DEFINE_SHIFT(shr32, "shrl", "r", "")
DEFINE_SHIFT(sar32, "sarl", "r", "")
DEFINE_SHIFT(rol32, "roll", "r", "")
DEFINE_SHIFT(ror32, "rorl", "r", "")
DEFINE_SHIFT(rcl32, "rcll", "r", "")
DEFINE_SHIFT(rcr32, "rcrl", "r", "")
DEFINE_SHIFT(shl8, "shlb", "q", "b")
DEFINE_SHIFT(shr8, "shrb", "q", "b")
DEFINE_SHIFT(sar8, "sarb", "q", "b")
DEFINE_SHIFT(rol8, "rolb", "q", "b")
DEFINE_SHIFT(ror8, "rorb", "q", "b")
DEFINE_SHIFT(shl16, "shlw", "r", "w")
DEFINE_SHIFT(shr16, "shrw", "r", "w")
DEFINE_SHIFT(sar16, "sarw", "r", "w")
DEFINE_SHIFT(rol16, "rolw", "r", "w")
DEFINE_SHIFT(ror16, "rorw", "r", "w")

/* unchanged - a masked count of zero: result and every flag as they were. */
static bool unchanged(u32 a, u32 c, u32 fin, struct ref *r)
{
	r->skip = false;
	if (c)
		return false;
	r->res = a;
	r->flags = fin;
	r->defined = ARITH;
	return true;
}

/* shift_flags - SF ZF PF from the result, CF, OF for a count of 1. */
static void shift_flags(struct ref *r, u32 res, u32 cf, u32 of, u32 c, int bits)
{
	r->res = res & width_mask(bits);
	r->flags = flags_szp(r->res, bits) | (cf ? CF : 0) | (of ? OF : 0);
	r->defined = CF | SF | ZF | PF | (c == 1 ? OF : 0);
	if (bits < 32 && c >= (u32)bits)
		r->defined &= ~CF;
}

/* r_shl - SHL: CF = last bit out; OF (count 1) = MSB ^ CF. */
static void r_shl(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31;
	u64 wide = (u64)a << c;
	u32 res = (u32)wide & width_mask(bits), cf = (u32)(wide >> bits) & 1;

	if (!unchanged(a, c, fin, r))
		shift_flags(r, res, cf, msb(res, bits) ^ cf, c, bits);
}

/* r_shr - SHR: CF = last bit out; OF (count 1) = the old MSB. */
static void r_shr(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31;

	if (!unchanged(a, c, fin, r))
		shift_flags(r, (u32)((u64)a >> c), (a >> (c - 1)) & 1, msb(a, bits), c, bits);
}

/* r_sar - SAR: sign-filling shift; OF (count 1) = 0. */
static void r_sar(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31;
	s32 sa = (s32)(a << (32 - bits)) >> (32 - bits);	/* sign-extended */

	if (!unchanged(a, c, fin, r))
		shift_flags(r, (u32)(sa >> c), (u32)(sa >> (c - 1)) & 1, 0, c, bits);
}

/* rotate_flags - rotates set CF (and OF for a count of 1), keep SF ZF AF PF. */
static void rotate_flags(struct ref *r, u32 res, u32 cf, u32 of, u32 c, u32 fin)
{
	r->res = res;
	r->flags = (fin & (SF | ZF | AF | PF)) | (cf ? CF : 0) | (of ? OF : 0);
	r->defined = CF | SF | ZF | AF | PF | (c == 1 ? OF : 0);
}

/* r_rol - ROL: CF = new LSB; OF (count 1) = MSB ^ CF. */
static void r_rol(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31, m = width_mask(bits), res;

	if (unchanged(a, c, fin, r))
		return;
	if (c >= (u32)bits) {		/* 8/16-bit rotate by >= width: skip */
		r->skip = true;
		return;
	}
	res = ((a << c) | (a >> (bits - c))) & m;
	rotate_flags(r, res, res & 1, msb(res, bits) ^ (res & 1), c, fin);
}

/* r_ror - ROR: CF = new MSB; OF (count 1) = the two top bits differ. */
static void r_ror(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31, m = width_mask(bits), res;

	if (unchanged(a, c, fin, r))
		return;
	if (c >= (u32)bits) {
		r->skip = true;
		return;
	}
	res = ((a >> c) | (a << (bits - c))) & m;
	rotate_flags(r, res, msb(res, bits), msb(res, bits) ^ msb(res, bits - 1), c, fin);
}

/* RCL/RCR rotate the 33-bit value CF:dest. */
static void r_rcl(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31, cf = fin & CF, i;

	(void)bits;
	if (unchanged(a, c, fin, r))
		return;
	for (i = 0; i < c; i++) {
		u32 out = a >> 31;
		a = (a << 1) | cf;
		cf = out;
	}
	rotate_flags(r, a, cf, (a >> 31) ^ cf, c, fin);
}

/* r_rcr - RCR: like r_rcl, rotating right. */
static void r_rcr(u32 a, u32 b, u32 fin, int bits, struct ref *r)
{
	u32 c = b & 31, cf = fin & CF, i;

	(void)bits;
	if (unchanged(a, c, fin, r))
		return;
	for (i = 0; i < c; i++) {
		u32 out = a & 1;
		a = (a >> 1) | (cf << 31);
		cf = out;
	}
	rotate_flags(r, a, cf, (a >> 31) ^ ((a >> 30) & 1), c, fin);
}

static const struct op_test shift_tests[] = {
	{ "shl", shl32, r_shl, 32, 6, true },	{ "shr", shr32, r_shr, 32, 6, true },
	{ "sar", sar32, r_sar, 32, 6, true },	{ "rol", rol32, r_rol, 32, 6, true },
	{ "ror", ror32, r_ror, 32, 6, true },	{ "rcl", rcl32, r_rcl, 32, 6, true },
	{ "rcr", rcr32, r_rcr, 32, 6, true },
	{ "shl8", shl8, r_shl, 8, 6, true },	{ "shr8", shr8, r_shr, 8, 6, true },
	{ "sar8", sar8, r_sar, 8, 6, true },	{ "rol8", rol8, r_rol, 8, 6, true },
	{ "ror8", ror8, r_ror, 8, 6, true },
	{ "shl16", shl16, r_shl, 16, 6, true },	{ "shr16", shr16, r_shr, 16, 6, true },
	{ "sar16", sar16, r_sar, 16, 6, true },	{ "rol16", rol16, r_rol, 16, 6, true },
	{ "ror16", ror16, r_ror, 16, 6, true },
};

static const u32 counts[] = { 0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 255 };

/* ---- double-precision shifts (32 bit) ---- */

/* shxd - SHLD (left) or SHRD: dest a, source b, by CL (form 0 reg, 1 mem) or by 5 (form 2). */
static u32 shxd(bool left, u32 a, u32 b, u32 c, u32 fin, u32 *fout, int form)
{
	u32 fo;

#define SHXD(insn)								\
	do {									\
		if (form == 0)							\
			__asm__ __volatile__(FLAGS_IN insn " %%cl, %[s], %[d]" FLAGS_OUT \
					     : [d] "+r"(a), [fo] "=r"(fo)	\
					     : [s] "r"(b), "c"(c), [fi] "r"(fin) : "cc"); \
		else if (form == 1)						\
			__asm__ __volatile__(FLAGS_IN insn " %%cl, %[s], %[d]" FLAGS_OUT \
					     : [d] "+m"(a), [fo] "=r"(fo)	\
					     : [s] "r"(b), "c"(c), [fi] "r"(fin) : "cc"); \
		else								\
			__asm__ __volatile__(FLAGS_IN insn " $5, %[s], %[d]" FLAGS_OUT \
					     : [d] "+r"(a), [fo] "=r"(fo)	\
					     : [s] "r"(b), [fi] "r"(fin) : "cc"); \
	} while (0)
	if (left)
		SHXD("shldl");
	else
		SHXD("shrdl");
#undef SHXD
	*fout = fo;
	return a;
}

/* test_shxd - SHLD or SHRD over edge values, counts and the three forms. */
static void test_shxd(bool left)
{
	const char *name = left ? "shld" : "shrd";
	u32 base = flags_base();
	int i, j, k, form;

	for (form = 0; form < 3; form++)
	for (i = 0; i < st_nr_edge_values; i++)
	for (j = 0; j < st_nr_edge_values; j += 3)
	for (k = 0; k < (int)ARRAY_SIZE(counts); k++) {
		u32 a = st_edge_values[i], b = st_edge_values[j];
		u32 c = (form == 2 ? 5 : counts[k]) & 31, fo, got;
		u32 fin = base | ((i + k) & 1 ? ARITH : 0);
		struct ref r;

		if (form == 2 && k)
			break;
		if (!unchanged(a, c, fin, &r)) {
			u32 res = left ? (a << c) | (b >> (32 - c)) : (a >> c) | (b << (32 - c));
			u32 cf = left ? (a >> (32 - c)) & 1 : (a >> (c - 1)) & 1;
			shift_flags(&r, res, cf, (res ^ a) >> 31, c, 32);
		}
		got = shxd(left, a, b, form == 2 ? 5 : counts[k], fin, &fo, form);
		if (got != r.res || (fo & r.defined) != (r.flags & r.defined)) {
			st_fail(name, "form %d a=%08x b=%08x c=%u: got %08x flags %03x, want %08x flags %03x (compared %03x)",
				form, a, b, c, got, fo & ARITH, r.res, r.flags & r.defined, r.defined);
			return;
		}
	}
	st_pass(name);
}

/* selftest_shift - the "shift" area. */
void selftest_shift(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shift_tests); i++)
		run_op_test(&shift_tests[i], st_edge_values, st_nr_edge_values, counts,
			    ARRAY_SIZE(counts));
	test_shxd(true);
	test_shxd(false);
}
