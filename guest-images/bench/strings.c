/*
 * bench/strings.c - string and memory routines from lib/string.c in loops:
 * build a table of pseudo-random words, then repeatedly copy them
 * (memcpy), measure them (strlen), compare neighbours (strcmp), search
 * them (strchr) and hash them.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "bench.h"

#define WORDS 2048
#define WORD_MAX 64
#define ROUNDS_PER_SCALE 3

static char words[WORDS][WORD_MAX];
static char copies[WORDS][WORD_MAX];

/* make_words - WORDS random words of 4..62 letters from an 8-letter alphabet. */
static void make_words(struct rnd_state *rs)
{
	int i, j, len;

	for (i = 0; i < WORDS; i++) {
		len = 4 + prandom_below(rs, WORD_MAX - 5);
		for (j = 0; j < len; j++)
			words[i][j] = 'a' + prandom_below(rs, 8);	/* shared prefixes */
		words[i][len] = 0;
	}
}

/* fnv1a - FNV-1a hash of a string. */
static u32 fnv1a(const char *s)
{
	u32 h = 0x811c9dc5u;

	while (*s)
		h = (h ^ (u8)*s++) * 0x01000193u;
	return h;
}

/*
 * bench_strings - 3*scale rounds of copy, mutate, compare, search and
 * hash over the word table.
 */
u32 bench_strings(unsigned int scale)
{
	struct rnd_state rs;
	u32 sum = 0, r, rounds = ROUNDS_PER_SCALE * scale;
	int i;

	prandom_seed(&rs, 0x57a1);
	make_words(&rs);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < WORDS; i++) {
			size_t len = strlen(words[i]);
			memcpy(copies[i], words[i], len + 1);
			copies[i][r % len] = 'a' + (r & 7);
		}
		for (i = 0; i < WORDS; i++) {
			const char *hit = strchr(copies[i], 'h');
			int c = strcmp(copies[i], copies[(i + 1) % WORDS]);
			sum = mix(sum, (u32)c + (hit ? (u32)(hit - copies[i]) : 0xffu));
			sum = mix(sum, fnv1a(copies[i]) + strlen(copies[i]));
			if (!strncmp(copies[i], words[i], 3))
				sum += 1;
		}
		memmove(&copies[1][0], &copies[0][0], sizeof(copies) - WORD_MAX);
		sum = mix(sum, (u32)memcmp(copies[1], words[0], WORD_MAX / 2));
	}
	return sum;
}
