/*
 * kernel/selftest/opcheck.c - the operand sweep behind the ALU, shift and
 * 16-bit checks (opcheck.h).
 */
#include "opcheck.h"
#include "selftest.h"

#define UPPER_A 0x5a5a5a5au	/* junk above the operand width: must survive */
#define UPPER_B 0xc3c3c3c3u	/* junk above the width of b: must be ignored */
#define COUNT_JUNK 0xabcd0000u	/* junk above CL: must be ignored */

/* fixed_count - the count a shift form uses, or -1 for "count in CL". */
static int fixed_count(int form)
{
	if (form == 2 || form == 4)
		return 1;
	if (form == 3 || form == 5)
		return SHIFT_IMM;
	return -1;
}

/* run_one - one execution; false (and a FAIL line) on a mismatch. */
static bool run_one(const struct op_test *t, u32 a, u32 b, u32 fin, int form)
{
	u32 m = width_mask(t->bits), a_in, b_in, fo, got, want;
	struct ref r;

	a_in = (a & m) | (UPPER_A & ~m);
	b_in = t->shift ? b | COUNT_JUNK : (b & m) | (UPPER_B & ~m);
	t->ref(a_in & m, t->shift ? b : b & m, fin, t->bits, &r);
	if (r.skip)
		return true;
	got = t->op(a_in, b_in, fin, &fo, form);
	want = (a_in & ~m) | (r.res & m);
	if (got == want && (fo & r.defined) == (r.flags & r.defined) &&
	    (fo & ~ARITH) == (fin & ~ARITH))
		return true;
	st_fail(t->name, "form %d a=%08x b=%08x flags-in %03x: got %08x flags %03x, "
		"want %08x flags %03x (compared %03x)", form, a_in, b_in, fin & ARITH, got,
		fo & ARITH, want, r.flags & r.defined, r.defined);
	return false;
}

/* run_op_test - see opcheck.h. */
bool run_op_test(const struct op_test *t, const u32 *as, int na, const u32 *bs, int nb)
{
	u32 base = flags_base();
	int i, j, form, k;

	for (form = 0; form < t->nforms; form++) {
		int fixed = t->shift ? fixed_count(form) : -1;
		for (i = 0; i < na; i++) {
			for (j = 0; j < nb; j++) {
				u32 b = fixed >= 0 ? (u32)fixed : bs[j];
				if (fixed >= 0 && j > 0)
					break;
				for (k = 0; k < 2; k++)
					if (!run_one(t, as[i], b, base | (k ? ARITH : 0), form))
						return false;
			}
		}
	}
	st_pass(t->name);
	return true;
}

/* run_op_test_edges - see opcheck.h. */
bool run_op_test_edges(const struct op_test *t)
{
	return run_op_test(t, st_edge_values, st_nr_edge_values, st_edge_values,
			   st_nr_edge_values);
}
