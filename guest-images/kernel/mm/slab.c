/*
 * kernel/mm/slab.c - kmalloc and kfree (linux/slab.h).
 *
 * Small requests (<= KMALLOC_MAX_SMALL) are rounded up to a power of two,
 * one of 8 size classes from 16 to 2048 bytes.  Each class carves whole
 * pages into equal objects and keeps the free ones on a singly linked list
 * threaded through the objects themselves.  mem_map records the class of
 * every slab page, so kfree needs no header.  Larger requests get whole
 * pages from the page allocator (order in mem_map).
 *
 * Freed objects are filled with POISON_FREE (after the list link) to make
 * use-after-free visible.  Freeing an object that is still poisoned and on
 * its free list is a double free and panics.  Slab pages are never given
 * back.
 */
#include <asm/system.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#define MIN_SHIFT 4			/* 16 bytes */
#define NR_CLASSES 8			/* 16 .. 2048 */
#define POISON_FREE 0x6b

struct free_object {
	struct free_object *next;
};

static struct free_object *free_list[NR_CLASSES];

/* size_class - the smallest class holding size bytes (size <= 2048). */
static unsigned int size_class(size_t size)
{
	unsigned int c = 0;

	while ((KMALLOC_MIN_SIZE << c) < size)
		c++;
	return c;
}

/* class_size - object size of class c. */
static size_t class_size(unsigned int c)
{
	return (size_t)KMALLOC_MIN_SIZE << c;
}

/* get_order - the smallest order whose block holds size bytes. */
static unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* grow - carve a fresh page into objects of class c; false if out of memory. */
static bool grow(unsigned int c)
{
	unsigned long page = __get_free_page();
	size_t sz = class_size(c), off;

	if (!page)
		return false;
	set_page_state(PFN(page), PAGE_SLAB | c);
	for (off = PAGE_SIZE; off >= sz; off -= sz) {
		struct free_object *o = (struct free_object *)(page + off - sz);
		o->next = free_list[c];
		free_list[c] = o;
	}
	return true;
}

/*
 * is_free_object - is o (of class c) already free?  Cheap test first (the
 * poison is intact), then the free list is searched to be sure.
 */
static bool is_free_object(const struct free_object *o, unsigned int c)
{
	const u8 *p = (const u8 *)o;
	const struct free_object *f;
	size_t i;

	for (i = sizeof(*o); i < class_size(c); i++)
		if (p[i] != POISON_FREE)
			return false;
	for (f = free_list[c]; f; f = f->next)
		if (f == o)
			return true;
	return false;
}

/* kmalloc_init - empty every free list (boot). */
void kmalloc_init(void)
{
	unsigned int c;

	for (c = 0; c < NR_CLASSES; c++)
		free_list[c] = NULL;
}

/* kmalloc - see linux/slab.h.  Returns NULL when memory runs out.  IRQ-safe. */
void *kmalloc(size_t size, int gfp)
{
	struct free_object *o;
	unsigned long flags;
	unsigned int c;

	(void)gfp;
	if (size > KMALLOC_MAX_SMALL) {
		unsigned int order = get_order(size);
		return order > MAX_ORDER ? NULL : (void *)__get_free_pages(order);
	}
	c = size_class(size);
	local_irq_save(flags);
	if (!free_list[c] && !grow(c)) {
		local_irq_restore(flags);
		return NULL;
	}
	o = free_list[c];
	free_list[c] = o->next;
	local_irq_restore(flags);
	return o;
}

/* kzalloc - kmalloc, then zero the size bytes asked for. */
void *kzalloc(size_t size, int gfp)
{
	void *p = kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

/* ksize - see linux/slab.h. */
size_t ksize(const void *p)
{
	u8 st = page_state(PFN(p));

	if ((st & PAGE_OWNER_MASK) == PAGE_SLAB)
		return class_size(st & PAGE_VALUE_MASK);
	if ((st & PAGE_OWNER_MASK) == PAGE_PAGES && (st & PAGE_VALUE_MASK) != PAGE_TAIL)
		return PAGE_SIZE << (st & PAGE_VALUE_MASK);
	return 0;
}

/* kfree - see linux/slab.h.  Freeing a pointer kmalloc never returned panics. */
void kfree(const void *p)
{
	unsigned long addr = (unsigned long)p, flags;
	u8 st;

	if (!p)
		return;
	st = page_state(PFN(addr));
	if ((st & PAGE_OWNER_MASK) == PAGE_SLAB) {
		unsigned int c = st & PAGE_VALUE_MASK;
		struct free_object *o = (struct free_object *)addr;
		if (addr & (class_size(c) - 1))
			panic("kfree: %p is not an object start", p);
		local_irq_save(flags);
		if (is_free_object(o, c))
			panic("kfree: double free of %p", p);
		memset(o, POISON_FREE, class_size(c));
		o->next = free_list[c];
		free_list[c] = o;
		local_irq_restore(flags);
		return;
	}
	if ((st & PAGE_OWNER_MASK) == PAGE_PAGES && !(addr & (PAGE_SIZE - 1)) &&
	    (st & PAGE_VALUE_MASK) != PAGE_TAIL) {
		free_pages(addr, st & PAGE_VALUE_MASK);
		return;
	}
	panic("kfree: bad pointer %p (page state %02x)", p, st);
}
