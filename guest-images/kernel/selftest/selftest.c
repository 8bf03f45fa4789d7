/*
 * kernel/selftest/selftest.c - the self-test runner and its report lines
 * (format in selftest.h).
 */
#include <asm/processor.h>
#include <linux/cmdline.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "selftest.h"

struct area {
	const char *name;
	void (*run)(void);
};

static const struct area areas[] = {
	{ "boot", selftest_boot },	{ "cpu", selftest_cpu },
	{ "alu", selftest_alu },	{ "shift", selftest_shift },
	{ "bitops", selftest_bitops },	{ "cond", selftest_cond },
	{ "op16", selftest_op16 },	{ "string", selftest_string },
	{ "exc", selftest_exc },	{ "mmu", selftest_mmu },
	{ "user", selftest_user },	{ "irq", selftest_irq },
	{ "heap", selftest_heap },	{ "lib", selftest_lib },
	{ "uart", selftest_uart },	{ "kapi", selftest_kapi },
	{ "nooks", selftest_nooks },
};

const u32 st_edge_values[] = {
	0x00000000, 0x00000001, 0x00000002, 0x0000000f, 0x00000010, 0x0000007f,
	0x00000080, 0x000000ff, 0x00000100, 0x00007fff, 0x00008000, 0x0000ffff,
	0x00010000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
	0x12345678, 0xdeadbeef, 0x0f0f0f0f, 0xa5a5a5a5,
};
const int st_nr_edge_values = ARRAY_SIZE(st_edge_values);

static const char *cur_area;
static int passed, failed, skipped;

/* st_pass - report check name as passed. */
void st_pass(const char *name)
{
	passed++;
	printk("selftest: %s.%s ok\n", cur_area, name);
}

/* st_fail - report check name as failed, with a printf-style detail. */
void st_fail(const char *name, const char *fmt, ...)
{
	static char detail[256];
	va_list ap;

	failed++;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printk("selftest: %s.%s FAIL %s\n", cur_area, name, detail);
}

/* st_skip - report check name as not run, and why. */
void st_skip(const char *name, const char *why)
{
	skipped++;
	printk("selftest: %s.%s skip %s\n", cur_area, name, why);
}

/* selftest_run - see selftest.h.  Returns the number of failed checks. */
int selftest_run(const char *which)
{
	bool all = !strcmp(which, "all") || !strcmp(which, "1");
	unsigned long j0 = jiffies;
	u64 t0 = rdtsc();
	unsigned int i;

	passed = failed = skipped = 0;
	for (i = 0; i < ARRAY_SIZE(areas); i++) {
		if ((!all && !list_contains(which, areas[i].name)) || !areas[i].run)
			continue;
		cur_area = areas[i].name;
		areas[i].run();
	}
	if (skipped)
		printk("selftest: %d skipped\n", skipped);
	printk("selftest-time: jiffies=%lu tsc=%llu\n", jiffies - j0, rdtsc() - t0);
	printk("selftest: %d passed, %d failed\n", passed, failed);
	return failed;
}
