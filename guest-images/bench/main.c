/*
 * bench/main.c - kernel_main() of the benchmark image (build/bench.elf).
 *
 * Runs the phases in order with paging on and the 100 Hz timer ticking,
 * and prints for each:
 *	bench: <phase> scale=N checksum=0x........      (deterministic)
 *	bench-time: <phase> jiffies=J tsc=T             (depends on the machine)
 * then "bench: total checksum=0x........" and powers off.
 *
 * Options: scale=N (default 100, about 2 billion instructions; scale=1 is
 * a quick smoke test), phases=a,b (a subset), expect=0xCHECKSUM (exit 1 if
 * the total differs).
 */
#include <asm/processor.h>
#include <asm/setup.h>
#include <linux/cmdline.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include "bench.h"

static const struct bench_phase phases[] = {
	{ "crc32", bench_crc32 },
	{ "sort", bench_sort },
	{ "strings", bench_strings },
	{ "list", bench_list },
	{ "tree", bench_tree },
};

/* kernel_main - run the phases (see the top of the file); 0 on success. */
int kernel_main(void)
{
	unsigned long scale = cmdline_get_ulong("scale", 100), j_all = jiffies;
	u64 t_all = rdtsc();
	char which[64], expect[24];
	bool have_which = cmdline_get("phases", which, sizeof(which));
	u32 total = 0;
	unsigned int i;

	if (scale < 1 || scale > 100000)
		scale = 100;
	printk("bench: start scale=%lu\n", scale);
	for (i = 0; i < ARRAY_SIZE(phases); i++) {
		unsigned long j0;
		u64 t0;
		u32 sum;

		if (have_which && !list_contains(which, phases[i].name))
			continue;
		j0 = jiffies;
		t0 = rdtsc();
		sum = phases[i].run(scale);
		t0 = rdtsc() - t0;
		printk("bench: %s scale=%lu checksum=0x%08x\n", phases[i].name, scale, sum);
		printk("bench-time: %s jiffies=%lu tsc=%llu\n", phases[i].name, jiffies - j0, t0);
		total = mix(total, sum);
	}
	printk("bench: total scale=%lu checksum=0x%08x\n", scale, total);
	printk("bench-time: total jiffies=%lu tsc=%llu\n", jiffies - j_all, rdtsc() - t_all);
	if (cmdline_get("expect", expect, sizeof(expect)) &&
	    simple_strtoul(expect, NULL, 0) != total) {
		printk("bench: checksum mismatch, expected %s\n", expect);
		return 1;
	}
	return 0;
}
