/*
 * kernel/selftest/selftest.h - the in-guest self-test: a set of areas, each
 * running named checks of CPU, MMU and kernel behaviour.
 *
 * Every check prints exactly one machine-readable line:
 *	selftest: <area>.<name> ok
 *	selftest: <area>.<name> FAIL <detail>
 *	selftest: <area>.<name> skip <reason>
 * and the run ends with "selftest: N passed, M failed".
 */
#ifndef _SELFTEST_H
#define _SELFTEST_H

#include <linux/kernel.h>
#include <linux/types.h>

void st_pass(const char *name);
__printf(2, 3) void st_fail(const char *name, const char *fmt, ...);
void st_skip(const char *name, const char *why);

/* st_expect - one check: pass if ok, else fail with the formatted detail. */
#define st_expect(name, ok, ...)					\
	do {								\
		if (ok)							\
			st_pass(name);					\
		else							\
			st_fail(name, __VA_ARGS__);			\
	} while (0)

/* selftest_run - run the areas named in the comma list ("all": every one). */
int selftest_run(const char *areas);

/* The areas, in the order they run. */
void selftest_boot(void);
void selftest_cpu(void);
void selftest_alu(void);
void selftest_shift(void);
void selftest_bitops(void);
void selftest_cond(void);
void selftest_op16(void);
void selftest_string(void);
void selftest_exc(void);
void selftest_mmu(void);
void selftest_user(void);
void selftest_irq(void);
void selftest_heap(void);
void selftest_lib(void);
void selftest_uart(void);
void selftest_kapi(void);
void selftest_nooks(void) __attribute__((weak));	/* nooks/selftest_nooks.c; absent without Nooks */

/* Operand values that hit the carry, overflow and sign boundaries. */
extern const u32 st_edge_values[];
extern const int st_nr_edge_values;

#endif
