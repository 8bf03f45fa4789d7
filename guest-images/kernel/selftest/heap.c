/*
 * kernel/selftest/heap.c - the page allocator and kmalloc: thousands of
 * random allocations and frees, each block filled with a pattern derived
 * from its address and checked before it is freed, no two live blocks
 * overlapping; alignment, ksize, kzalloc, page blocks and their orders,
 * and every page coming back.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "selftest.h"

#define SLOTS 256
#define ROUNDS 4000

struct slot {
	u8 *p;
	size_t size;
	u32 seed;
};

static struct slot slots[SLOTS];

/* fill - write the pattern of (seed, offset) into p[0..n). */
static void fill(u8 *p, size_t n, u32 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 131 + (i >> 8));
}

/* intact - does p[0..n) still hold the pattern of seed? */
static bool intact(const u8 *p, size_t n, u32 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 131 + (i >> 8)))
			return false;
	return true;
}

/* random_size - mostly small, sometimes up to 16 KiB. */
static size_t random_size(struct rnd_state *rs)
{
	u32 r = prandom_below(rs, 100);

	if (r < 70)
		return 1 + prandom_below(rs, 128);
	if (r < 95)
		return 1 + prandom_below(rs, 2048);
	return 1 + prandom_below(rs, 16384);
}

/* overlaps - does [p, p+n) intersect another live block? */
static int overlaps(int self, const u8 *p, size_t n)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		if (i != self && slots[i].p && p < slots[i].p + slots[i].size &&
		    slots[i].p < p + n)
			return i;
	return -1;
}

/*
 * test_kmalloc_random - ROUNDS random kmalloc/kfree steps over SLOTS slots;
 * blocks aligned to 16, never overlapping, never corrupted.
 */
static void test_kmalloc_random(void)
{
	unsigned long free0 = nr_free_pages();
	struct rnd_state rs;
	int round, i, other;

	prandom_seed(&rs, 0x4ea9);
	memset(slots, 0, sizeof(slots));
	for (round = 0; round < ROUNDS; round++) {
		struct slot *s = &slots[i = prandom_below(&rs, SLOTS)];
		if (s->p) {
			if (!intact(s->p, s->size, s->seed)) {
				st_fail("kmalloc_random", "round %d: block %p (%u bytes) corrupted",
					round, s->p, s->size);
				return;
			}
			kfree(s->p);
			s->p = NULL;
			continue;
		}
		s->size = random_size(&rs);
		s->seed = prandom_u32(&rs);
		s->p = kmalloc(s->size, GFP_KERNEL);
		if (!s->p || ((u32)s->p & 15) || ksize(s->p) < s->size ||
		    (other = overlaps(i, s->p, s->size)) >= 0) {
			st_fail("kmalloc_random", "round %d: kmalloc(%u) = %p, ksize %u", round,
				s->size, s->p, s->p ? ksize(s->p) : 0);
			return;
		}
		fill(s->p, s->size, s->seed);
	}
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p && !intact(slots[i].p, slots[i].size, slots[i].seed)) {
			st_fail("kmalloc_random", "block %p corrupted at the end", slots[i].p);
			return;
		}
		kfree(slots[i].p);
		slots[i].p = NULL;
	}
	/* slab pages stay with kmalloc; large blocks must all be back */
	st_expect("kmalloc_random", nr_free_pages() + 64 >= free0,
		  "free pages %lu before, %lu after", free0, nr_free_pages());
}

/*
 * test_kmalloc_sizes - kzalloc across the size classes and page sizes:
 * zeroed, ksize big enough, aligned to the class (or a page).
 */
static void test_kmalloc_sizes(void)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 2048, 2049, 4096, 4097, 65536 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kzalloc(sizes[i], GFP_KERNEL);
		size_t k = p ? ksize(p) : 0, j;
		size_t align = sizes[i] > KMALLOC_MAX_SMALL ? PAGE_SIZE : k;
		bool zero = true;

		for (j = 0; p && j < sizes[i]; j++)
			zero &= p[j] == 0;
		if (!p || k < sizes[i] || ((u32)p & (align - 1)) || !zero) {
			st_fail("kmalloc_sizes", "kzalloc(%u) = %p ksize %u zeroed %d", sizes[i], p,
				k, zero);
			return;
		}
		kfree(p);
	}
	st_pass("kmalloc_sizes");
}

/* kfree poisons the object (past the free-list link) with 0x6b. */
static void test_kfree_poison(void)
{
	u8 *p = kmalloc(64, GFP_KERNEL);
	int i, bad = 0;

	memset(p, 0, 64);
	kfree(p);
	for (i = sizeof(void *); i < 64; i++)
		bad += p[i] != 0x6b;
	st_expect("kfree_poison", !bad, "%d bytes not poisoned", bad);
}

/*
 * test_pages - 64 distinct zeroed pages; order 3 and order 10 blocks
 * aligned to their size; the free count restored after freeing.
 */
static void test_pages(void)
{
	unsigned long pages[64], free0 = nr_free_pages(), blk3, blk10;
	bool ok = true;
	int i, j;

	for (i = 0; i < 64; i++) {
		pages[i] = get_zeroed_page();
		ok &= pages[i] && !(pages[i] & (PAGE_SIZE - 1)) &&
		      page_state(PFN(pages[i])) == (PAGE_PAGES | 0) &&
		      ((u32 *)pages[i])[PAGE_SIZE / 4 - 1] == 0;
		for (j = 0; j < i; j++)
			ok &= pages[j] != pages[i];
		if (ok)
			((u32 *)pages[i])[0] = i;
	}
	ok &= nr_free_pages() == free0 - 64;
	for (i = 0; i < 64; i++) {
		ok &= ((u32 *)pages[i])[0] == (u32)i;
		free_page(pages[i]);
	}
	st_expect("page_alloc", ok && nr_free_pages() == free0, "free pages %lu -> %lu",
		  free0, nr_free_pages());

	/* an order 10 (4 MiB) block need not exist on a machine below 16 MiB */
	blk3 = __get_free_pages(3);
	blk10 = __get_free_pages(10);
	ok = blk3 && !(blk3 & (8 * PAGE_SIZE - 1)) &&
	     page_state(PFN(blk3) + 1) == (PAGE_PAGES | PAGE_TAIL) &&
	     (blk10 ? !(blk10 & (1024 * PAGE_SIZE - 1)) : nr_ram_pages() < 4096) &&
	     nr_free_pages() == free0 - 8 - (blk10 ? 1024 : 0);
	if (blk3)
		free_pages(blk3, 3);
	if (blk10)
		free_pages(blk10, 10);
	st_expect("page_order", ok && nr_free_pages() == free0, "order 3 at %08lx, order 10 at "
		  "%08lx, free pages %lu -> %lu", blk3, blk10, free0, nr_free_pages());
}

/* selftest_heap - the "heap" area. */
void selftest_heap(void)
{
	test_kmalloc_random();
	test_kmalloc_sizes();
	test_kfree_poison();
	test_pages();
}
