/*
 * kernel/net/skbuff.c - socket buffers (linux/skbuff.h).
 *
 * An skb is two kmalloc blocks: the struct and the data buffer.  The magic
 * word catches double frees and pointers that are not skbs.
 */
#include <asm/system.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>

unsigned long skb_alive;

/* alloc_skb - see linux/skbuff.h. */
struct sk_buff *alloc_skb(unsigned int size, int gfp)
{
	struct sk_buff *skb = kmalloc(sizeof(*skb), gfp);
	unsigned char *data;

	if (!skb)
		return NULL;
	size = ALIGN(size, 16u);
	data = kmalloc(size, gfp);
	if (!data) {
		kfree(skb);
		return NULL;
	}
	memset(skb, 0, sizeof(*skb));
	skb->head = skb->data = skb->tail = data;
	skb->end = data + size;
	skb->truesize = size;
	skb->magic = SKB_MAGIC;
	skb_alive++;
	return skb;
}

/* dev_alloc_skb - see linux/skbuff.h. */
struct sk_buff *dev_alloc_skb(unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + 16, GFP_ATOMIC);

	if (skb)
		skb_reserve(skb, 16);
	return skb;
}

/* kfree_skb - see linux/skbuff.h. */
void kfree_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	if (skb->magic != SKB_MAGIC)
		panic("kfree_skb: %p is not a live skb (magic %08lx)", skb, skb->magic);
	skb->magic = 0;
	skb_alive--;
	kfree(skb->head);
	kfree(skb);
}

/* skb_put - see linux/skbuff.h. */
unsigned char *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *old = skb->tail;

	if (skb->tail + len > skb->end)
		panic("skb_put: over by %d bytes (len %u)", (int)(skb->tail + len - skb->end), len);
	skb->tail += len;
	skb->len += len;
	return old;
}

/* skb_push - see linux/skbuff.h. */
unsigned char *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (skb->data - len < skb->head)
		panic("skb_push: under by %d bytes", (int)(skb->head - (skb->data - len)));
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

/* skb_pull - see linux/skbuff.h. */
unsigned char *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb->len)
		return NULL;
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

/* skb_trim - see linux/skbuff.h. */
void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len) {
		skb->len = len;
		skb->tail = skb->data + len;
	}
}

/* skb_queue_head_init - an empty queue. */
void skb_queue_head_init(struct sk_buff_head *list)
{
	list->next = list->prev = (struct sk_buff *)list;
	list->qlen = 0;
}

/* skb_queue_tail - append skb (interrupts masked meanwhile). */
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *skb)
{
	unsigned long flags;
	struct sk_buff *head = (struct sk_buff *)list;

	local_irq_save(flags);
	skb->next = head;
	skb->prev = list->prev;
	list->prev->next = skb;
	list->prev = skb;
	list->qlen++;
	local_irq_restore(flags);
}

/* skb_dequeue - take the first skb, or NULL. */
struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb = NULL;

	local_irq_save(flags);
	if (list->qlen) {
		skb = list->next;
		list->next = skb->next;
		skb->next->prev = (struct sk_buff *)list;
		skb->next = skb->prev = NULL;
		list->qlen--;
	}
	local_irq_restore(flags);
	return skb;
}

/* skb_queue_purge - free every queued skb. */
void skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(list)) != NULL)
		kfree_skb(skb);
}
