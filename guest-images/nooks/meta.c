/*
 * nooks/meta.c - the isolation manager's own small allocator for its
 * metadata (tracker records, shadows, wrapper records, heap bookkeeping).
 *
 * Why not kmalloc: the page tracker grants whole pages, and kmalloc packs
 * unrelated objects into one page, so an extension granted (say) a struct
 * file could also write the tracker record or the file_operations shadow
 * next to it, and recovery would then follow corrupted metadata.  Metadata
 * therefore lives on pages that hold nothing else and are never granted.
 *
 * Each page holds chunks of one size (64, 256 or 1024 bytes); its first
 * chunk is the header.  Free chunks are on a list per size.  Pages are not
 * given back.  Larger requests fail (the callers use whole pages).
 *
 *   page:  +--------+--------+--------+-- ... --+
 *          | header | chunk  | chunk  |         |
 *          +--------+--------+--------+-- ... --+
 */
#include <asm/page.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <nooks/nooks.h>

#define META_MAGIC 0x6174656du	/* "meta" */

struct meta_page {
	u32 magic;
	u32 size;		/* chunk size */
};

struct meta_free {
	struct meta_free *next;
};

static const u32 meta_sizes[] = { 64, 256, 1024 };
static struct meta_free *meta_free_list[ARRAY_SIZE(meta_sizes)];

/* meta_grow - carve a fresh page into chunks of class c; false if out of memory. */
static bool meta_grow(unsigned int c)
{
	unsigned long page = get_zeroed_page(), off;
	struct meta_page *h = (struct meta_page *)page;

	if (!page)
		return false;
	h->magic = META_MAGIC;
	h->size = meta_sizes[c];
	for (off = PAGE_SIZE - meta_sizes[c]; off >= meta_sizes[c]; off -= meta_sizes[c]) {
		struct meta_free *f = (struct meta_free *)(page + off);
		f->next = meta_free_list[c];
		meta_free_list[c] = f;
	}
	return true;
}

/* nooks_meta_zalloc - size zeroed bytes on a metadata-only page, or NULL. */
void *nooks_meta_zalloc(size_t size)
{
	struct meta_free *f;
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(meta_sizes); c++)
		if (size <= meta_sizes[c])
			break;
	if (c == ARRAY_SIZE(meta_sizes))
		return NULL;
	if (!meta_free_list[c] && !meta_grow(c))
		return NULL;
	f = meta_free_list[c];
	meta_free_list[c] = f->next;
	memset(f, 0, meta_sizes[c]);
	return f;
}

/* nooks_meta_free - give back what nooks_meta_zalloc returned (NULL: no-op). */
void nooks_meta_free(const void *p)
{
	struct meta_page *h = (struct meta_page *)((unsigned long)p & PAGE_MASK);
	struct meta_free *f = (struct meta_free *)p;
	unsigned int c;

	if (!p)
		return;
	if (h->magic != META_MAGIC)
		panic("nooks_meta_free: %p is not Nooks metadata", p);
	for (c = 0; c < ARRAY_SIZE(meta_sizes); c++)
		if (meta_sizes[c] == h->size)
			break;
	memset(f, 0x6b, h->size);
	f->next = meta_free_list[c];
	meta_free_list[c] = f;
}
