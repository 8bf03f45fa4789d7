/*
 * bench/tree.c - an unbalanced binary search tree with pseudo-random keys:
 * inserts (kmalloc'ed nodes), lookups of present and absent keys, an
 * in-order walk, and freeing the whole tree.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "bench.h"

#define KEYS 6144
#define LOOKUPS 24576

struct tnode {
	struct tnode *left, *right;
	u32 key, count;
};

/* insert - add key (or count a duplicate); returns the possibly new root. */
static struct tnode *insert(struct tnode *root, u32 key)
{
	struct tnode **link = &root, *n;

	while ((n = *link)) {
		if (key == n->key) {
			n->count++;
			return root;
		}
		link = key < n->key ? &n->left : &n->right;
	}
	n = kmalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		panic("bench: out of memory");
	n->left = n->right = NULL;
	n->key = key;
	n->count = 1;
	*link = n;
	return root;
}

/* lookup - the node holding key, or NULL. */
static const struct tnode *lookup(const struct tnode *n, u32 key)
{
	while (n && n->key != key)
		n = key < n->key ? n->left : n->right;
	return n;
}

/* walk - in-order fold of keys and counts; checks the order as it goes. */
static u32 walk(const struct tnode *n, u32 h, u32 *last)
{
	while (n) {
		h = walk(n->left, h, last);
		if (n->key < *last)
			panic("bench: tree out of order");
		*last = n->key;
		h = mix(h, n->key * n->count);
		n = n->right;
	}
	return h;
}

/* free_tree - kfree every node (recursing on the left, looping on the right). */
static void free_tree(struct tnode *n)
{
	while (n) {
		struct tnode *right = n->right;
		free_tree(n->left);
		kfree(n);
		n = right;
	}
}

/*
 * bench_tree - scale rounds: build a tree of KEYS random keys, look up
 * LOOKUPS keys, walk it in order, free it.
 */
u32 bench_tree(unsigned int scale)
{
	struct rnd_state rs;
	u32 sum = 0, r, last, i;

	prandom_seed(&rs, 0x7733);
	for (r = 0; r < scale; r++) {
		struct tnode *root = NULL;
		u32 found = 0;

		for (i = 0; i < KEYS; i++)
			root = insert(root, prandom_u32(&rs) % (KEYS * 4));
		for (i = 0; i < LOOKUPS; i++) {
			const struct tnode *n = lookup(root, prandom_u32(&rs) % (KEYS * 4));
			if (n)
				found += n->count;
		}
		last = 0;
		sum = mix(sum, walk(root, found, &last));
		free_tree(root);
	}
	return sum;
}
