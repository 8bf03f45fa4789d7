/*
 * bench/list.c - pointer chasing: a singly linked list of kmalloc'ed nodes
 * linked in a shuffled order, so each step jumps somewhere else in memory;
 * traversals, plus unlinking and re-inserting nodes.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "bench.h"

#define NODES 8192
#define ROUNDS_PER_SCALE 28

struct node {
	struct node *next;
	u32 value;
	u32 pad[6];	/* 32 bytes: one kmalloc size class */
};

/*
 * bench_list - 28*scale rounds: walk the shuffled list, then move every
 * 64th node to the front.  Frees everything it allocated.
 */
u32 bench_list(unsigned int scale)
{
	struct node **pool = kmalloc(NODES * sizeof(*pool), GFP_KERNEL), *head = NULL, *n;
	struct rnd_state rs;
	u32 sum = 0, r, rounds = ROUNDS_PER_SCALE * scale;
	int i;

	if (!pool)
		panic("bench: out of memory");
	prandom_seed(&rs, 0x1157);
	for (i = 0; i < NODES; i++) {
		pool[i] = kmalloc(sizeof(struct node), GFP_KERNEL);
		if (!pool[i])
			panic("bench: out of memory");
		pool[i]->value = prandom_u32(&rs);
	}
	for (i = NODES - 1; i > 0; i--) {		/* Fisher-Yates shuffle */
		int j = prandom_below(&rs, i + 1);
		n = pool[i];
		pool[i] = pool[j];
		pool[j] = n;
	}
	for (i = 0; i < NODES; i++) {
		pool[i]->next = head;
		head = pool[i];
	}
	for (r = 0; r < rounds; r++) {
		u32 acc = r, steps = 0;
		struct node **link;

		for (n = head; n; n = n->next, steps++)
			acc = (acc << 1 | acc >> 31) ^ n->value;
		sum = mix(sum, acc + steps);
		/* move every 64th node to the front */
		for (link = &head, i = 0; *link; i++) {
			n = *link;
			if ((i & 63) == 63 && n != head) {
				*link = n->next;
				n->next = head;
				head = n;
				n->value += r;
			} else {
				link = &n->next;
			}
		}
	}
	for (i = 0; i < NODES; i++)
		kfree(pool[i]);
	kfree(pool);
	return sum;
}
