/*
 * lib/random.c - xorshift32 pseudo-random numbers (linux/random.h).
 * Marsaglia's shifts 13, 17, 5: period 2^32 - 1 over the non-zero states.
 */
#include <linux/random.h>

/* prandom_seed - see linux/random.h. */
void prandom_seed(struct rnd_state *st, u32 seed)
{
	st->s = seed ? seed : 0x2545f491u;
}

/* prandom_u32 - one xorshift32 step. */
u32 prandom_u32(struct rnd_state *st)
{
	u32 x = st->s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	st->s = x;
	return x;
}

/* prandom_below - scale a 32-bit value to [0, n) by multiplication. */
u32 prandom_below(struct rnd_state *st, u32 n)
{
	return (u32)(((u64)prandom_u32(st) * n) >> 32);
}
