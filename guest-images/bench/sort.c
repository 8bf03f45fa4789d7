/*
 * bench/sort.c - sorting pseudo-random integers with quicksort (median of
 * three, insertion sort for short runs) and with heap sort: compares,
 * swaps, recursion, data-dependent branches.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "bench.h"

#define N 12288
#define ROUNDS_PER_SCALE 1	/* each round: one quicksort and one heap sort */

/* swap - exchange two elements. */
static void swap(s32 *a, s32 *b)
{
	s32 t = *a;

	*a = *b;
	*b = t;
}

/* insertion_sort - sort a short array in place (ascending). */
static void insertion_sort(s32 *a, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		s32 v = a[i];
		for (j = i - 1; j >= 0 && a[j] > v; j--)
			a[j + 1] = a[j];
		a[j + 1] = v;
	}
}

/*
 * quicksort - sort in place; recursion only on the smaller part, so
 * the stack depth stays O(log n).
 */
static void quicksort(s32 *a, int n)
{
	while (n > 16) {
		int mid = n / 2, i = 0, j = n - 1;
		s32 pivot;

		if (a[mid] < a[0])
			swap(&a[mid], &a[0]);
		if (a[n - 1] < a[0])
			swap(&a[n - 1], &a[0]);
		if (a[n - 1] < a[mid])
			swap(&a[n - 1], &a[mid]);
		pivot = a[mid];
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			swap(&a[i++], &a[j--]);
		}
		/* recurse into the smaller part, loop on the larger */
		if (j + 1 < n - j - 1) {
			quicksort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quicksort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

/* sift_down - restore the max-heap property below root in a[0..n). */
static void sift_down(s32 *a, int root, int n)
{
	for (;;) {
		int child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		swap(&a[root], &a[child]);
		root = child;
	}
}

/* heapsort - build a max-heap, then move the maximum to the end n-1 times. */
static void heapsort(s32 *a, int n)
{
	int i;

	for (i = n / 2 - 1; i >= 0; i--)
		sift_down(a, i, n);
	for (i = n - 1; i > 0; i--) {
		swap(&a[0], &a[i]);
		sift_down(a, 0, i);
	}
}

/* sorted_sum - checksum of a sorted array; panics if it is not sorted. */
static u32 sorted_sum(const s32 *a, int n)
{
	u32 h = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (i && a[i - 1] > a[i])
			panic("bench: sort produced unsorted output at %d", i);
		h = mix(h, (u32)a[i] * (i + 1));
	}
	return h;
}

/*
 * bench_sort - scale rounds of quicksort (wide range) and heap sort (many
 * duplicates) over N values; every result is verified sorted.
 */
u32 bench_sort(unsigned int scale)
{
	s32 *a = kmalloc(N * sizeof(s32), GFP_KERNEL);
	struct rnd_state rs;
	u32 sum = 0, r, rounds = ROUNDS_PER_SCALE * scale;
	int i;

	if (!a)
		panic("bench: out of memory");
	prandom_seed(&rs, 0x5047);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < N; i++)
			a[i] = (s32)prandom_u32(&rs) >> (r & 7);	/* vary the range */
		quicksort(a, N);
		sum = mix(sum, sorted_sum(a, N));
		for (i = 0; i < N; i++)
			a[i] = (s32)prandom_u32(&rs) % 1000;	/* many duplicates */
		heapsort(a, N);
		sum = mix(sum, sorted_sum(a, N));
	}
	kfree(a);
	return sum;
}
