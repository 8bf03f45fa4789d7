/*
 * linux/skbuff.h - socket buffers: one packet and its room to grow
 * (kernel/net/skbuff.c).
 *
 *   head          data              tail            end
 *    |  headroom   |  packet (len)    |  tailroom     |
 *    +-------------+------------------+---------------+
 *    skb_reserve moves data and tail forward (room for headers);
 *    skb_push moves data back (prepend), skb_pull forward (strip);
 *    skb_put moves tail forward (append).
 *
 * The buffer is one kmalloc block, physically contiguous, so a NIC can DMA
 * into or out of it (virt_to_bus(skb->data)).  Going past either end is a
 * kernel bug (BUG).
 */
#ifndef _LINUX_SKBUFF_H
#define _LINUX_SKBUFF_H

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/types.h>

struct net_device;

struct sk_buff {
	struct sk_buff *next, *prev;	/* on a sk_buff_head */
	struct net_device *dev;		/* received on / to be sent by */
	unsigned int len;		/* bytes from data to tail */
	unsigned char *head, *data, *tail, *end;
	unsigned short protocol;	/* ETH_P_*, network order, set by eth_type_trans */
	unsigned char pkt_type;		/* PACKET_HOST, ... */
	unsigned char ip_summed;	/* CHECKSUM_NONE: software checks everything */
	unsigned char *mac_raw;		/* the Ethernet header (after eth_type_trans) */
	unsigned char *nh_raw;		/* the network header */
	unsigned int truesize;		/* buffer size */
	unsigned long magic;		/* SKB_MAGIC while allocated */
};

#define SKB_MAGIC 0x5b5b0001ul
#define PACKET_HOST 0
#define PACKET_BROADCAST 1
#define PACKET_MULTICAST 2
#define PACKET_OTHERHOST 3
#define CHECKSUM_NONE 0

/* A FIFO of skbs (the links are the skbs' next/prev). */
struct sk_buff_head {
	struct sk_buff *next, *prev;
	unsigned int qlen;
};

/*
 * alloc_skb - a buffer with room for size bytes (data == tail == head,
 * len 0), or NULL.  The gfp argument is ignored.
 */
struct sk_buff *alloc_skb(unsigned int size, int gfp);
/* dev_alloc_skb - alloc_skb(len + 16) with 16 bytes already reserved. */
struct sk_buff *dev_alloc_skb(unsigned int len);
/* kfree_skb - free skb (NULL: nothing); a freed or foreign skb is a BUG. */
void kfree_skb(struct sk_buff *skb);
#define dev_kfree_skb(skb) kfree_skb(skb)
#define dev_kfree_skb_irq(skb) kfree_skb(skb)
#define dev_kfree_skb_any(skb) kfree_skb(skb)

/* skb_put - extend the data at the tail by len; returns the old tail. */
unsigned char *skb_put(struct sk_buff *skb, unsigned int len);
/* skb_push - extend the data at the front by len; returns the new data. */
unsigned char *skb_push(struct sk_buff *skb, unsigned int len);
/* skb_pull - strip len bytes from the front; returns the new data or NULL if too short. */
unsigned char *skb_pull(struct sk_buff *skb, unsigned int len);
/* skb_trim - cut the data to len bytes (no-op if already shorter). */
void skb_trim(struct sk_buff *skb, unsigned int len);

/* skb_reserve - move the empty buffer's start forward by len (headroom). */
static inline void skb_reserve(struct sk_buff *skb, unsigned int len)
{
	skb->data += len;
	skb->tail += len;
}

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return skb->data - skb->head;
}

static inline int skb_tailroom(const struct sk_buff *skb)
{
	return skb->end - skb->tail;
}

/* skb queues; callers mask interrupts if an IRQ handler uses the same queue. */
void skb_queue_head_init(struct sk_buff_head *list);
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *skb);
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
void skb_queue_purge(struct sk_buff_head *list);
static inline unsigned int skb_queue_len(const struct sk_buff_head *list)
{
	return list->qlen;
}

/* skbs currently allocated (a leak check for the workloads). */
extern unsigned long skb_alive;

#endif
