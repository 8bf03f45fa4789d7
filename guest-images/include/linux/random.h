/*
 * linux/random.h - a small deterministic pseudo-random generator (xorshift32),
 * for tests and benchmarks.  Not for anything that needs real randomness.
 */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H

#include <linux/types.h>

struct rnd_state {
	u32 s;
};

/* prandom_seed - start a sequence; seed 0 is replaced by a fixed value. */
void prandom_seed(struct rnd_state *st, u32 seed);

/* prandom_u32 - the next 32-bit value of the sequence. */
u32 prandom_u32(struct rnd_state *st);

/* prandom_below - a value in [0, n) (n > 0), slightly biased, fine for tests. */
u32 prandom_below(struct rnd_state *st, u32 n);

#endif
