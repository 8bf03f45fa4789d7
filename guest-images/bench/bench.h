/*
 * bench/bench.h - the compute-bound workload of build/bench.elf, for
 * measuring emulator speed.  Each phase does an amount of work proportional
 * to `scale` (kernel command line scale=N, default 100 = full size) and
 * returns a checksum of its results, which depends only on scale.
 */
#ifndef _BENCH_H
#define _BENCH_H

#include <linux/types.h>

struct bench_phase {
	const char *name;
	u32 (*run)(unsigned int scale);
};

u32 bench_crc32(unsigned int scale);
u32 bench_sort(unsigned int scale);
u32 bench_strings(unsigned int scale);
u32 bench_list(unsigned int scale);
u32 bench_tree(unsigned int scale);

/* mix - fold a value into a running checksum (order-sensitive). */
static inline u32 mix(u32 h, u32 v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

#endif
