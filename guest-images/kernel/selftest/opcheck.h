/*
 * kernel/selftest/opcheck.h - compare one instruction against the
 * reference model (flags.h) over many operands, forms and input flags.
 */
#ifndef _SELFTEST_OPCHECK_H
#define _SELFTEST_OPCHECK_H

#include "flags.h"

typedef void (*ref_fn)(u32 a, u32 b, u32 fin, int bits, struct ref *r);

struct op_test {
	const char *name;	/* check name, e.g. "add" */
	op_fn op;
	ref_fn ref;
	int bits;		/* 8, 16 or 32 */
	int nforms;		/* forms 0 .. nforms-1 of the wrapper */
	bool shift;		/* b is a count; forms >= 2 use a fixed count */
};

/*
 * run_op_test - every a in as[] x b in bs[] x form x input flags (none set,
 * all six set).  Reports the check (pass, or FAIL with the first mismatch)
 * and returns whether it passed.
 */
bool run_op_test(const struct op_test *t, const u32 *as, int na, const u32 *bs, int nb);

/* run_op_test_edges - run_op_test with st_edge_values as both a and b. */
bool run_op_test_edges(const struct op_test *t);

#endif
