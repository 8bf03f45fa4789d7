/*
 * kernel/net/dev.c - network interfaces (linux/netdevice.h): registration,
 * open/close, transmit, and the receive backlog that netif_rx fills and
 * the NET_RX softirq drains into net_rx_handler (the protocol stack).
 */
#include <asm/system.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/string.h>

#define BACKLOG_MAX 300

struct net_device *dev_base;
void (*net_rx_handler)(struct sk_buff *skb);
unsigned long netdev_rx_delivered, netdev_rx_dropped;
static struct sk_buff_head backlog;
static int next_ifindex;

/* ether_setup - see linux/netdevice.h. */
void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	memset(dev->broadcast, 0xff, ETH_ALEN);
}

/* alloc_etherdev - see linux/netdevice.h.  priv follows the struct, 16-aligned. */
struct net_device *alloc_etherdev(int sizeof_priv)
{
	size_t head = ALIGN(sizeof(struct net_device), 16u);
	struct net_device *dev;

	if (sizeof_priv < 0)
		return NULL;
	dev = kzalloc(head + (size_t)sizeof_priv, GFP_KERNEL);
	if (!dev)
		return NULL;
	if (sizeof_priv)
		dev->priv = (char *)dev + head;
	ether_setup(dev);
	return dev;
}

/* free_netdev - see linux/netdevice.h. */
void free_netdev(struct net_device *dev)
{
	kfree(dev);
}

/* register_netdev - see linux/netdevice.h. */
int register_netdev(struct net_device *dev)
{
	struct net_device **p;
	int err;

	if (dev->registered)
		return -EEXIST;
	if (!dev->name[0] || strchr(dev->name, '%')) {
		/* the lowest free eth<N>: a reloaded driver gets its old name back */
		for (next_ifindex = 0;; next_ifindex++) {
			snprintf(dev->name, sizeof(dev->name), "eth%d", next_ifindex);
			if (!dev_get_by_name(dev->name))
				break;
		}
	}
	if (dev->init && (err = dev->init(dev)) != 0)
		return err;
	for (p = &dev_base; *p; p = &(*p)->next)
		;
	dev->next = NULL;
	*p = dev;
	dev->registered = 1;
	printk("net: registered %s hwaddr %02x:%02x:%02x:%02x:%02x:%02x irq %u\n", dev->name,
	       dev->dev_addr[0], dev->dev_addr[1], dev->dev_addr[2], dev->dev_addr[3],
	       dev->dev_addr[4], dev->dev_addr[5], dev->irq);
	return 0;
}

/* unregister_netdev - see linux/netdevice.h.  Frees queued input for dev. */
void unregister_netdev(struct net_device *dev)
{
	struct net_device **p;
	struct sk_buff_head keep;
	struct sk_buff *skb;

	if (!dev->registered)
		return;
	if (netif_running(dev))
		dev_close(dev);
	for (p = &dev_base; *p; p = &(*p)->next) {
		if (*p == dev) {
			*p = dev->next;
			break;
		}
	}
	dev->registered = 0;
	skb_queue_head_init(&keep);
	while ((skb = skb_dequeue(&backlog)) != NULL) {
		if (skb->dev == dev)
			kfree_skb(skb);
		else
			skb_queue_tail(&keep, skb);
	}
	while ((skb = skb_dequeue(&keep)) != NULL)
		skb_queue_tail(&backlog, skb);
	/* the name stays: a re-registered device of a reloaded driver gets a new one */
	printk("net: unregistered %s\n", dev->name);
}

/* dev_get_by_name - see linux/netdevice.h. */
struct net_device *dev_get_by_name(const char *name)
{
	struct net_device *d;

	for (d = dev_base; d; d = d->next)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

/* dev_open - see linux/netdevice.h. */
int dev_open(struct net_device *dev)
{
	int err = 0;

	if (netif_running(dev))
		return 0;
	if (dev->open && (err = dev->open(dev)) != 0)
		return err;
	dev->state |= 1ul << __LINK_STATE_START;
	dev->flags |= IFF_UP | IFF_RUNNING;
	return 0;
}

/* dev_close - see linux/netdevice.h. */
int dev_close(struct net_device *dev)
{
	if (!netif_running(dev))
		return 0;
	dev->state &= ~(1ul << __LINK_STATE_START);
	dev->flags &= ~(IFF_UP | IFF_RUNNING);
	if (dev->stop)
		dev->stop(dev);
	return 0;
}

/* dev_queue_xmit - see linux/netdevice.h. */
int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	int rc;

	if (!dev || !netif_running(dev)) {
		kfree_skb(skb);
		return -ENETDOWN;
	}
	if (netif_queue_stopped(dev) || !dev->hard_start_xmit) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	rc = dev->hard_start_xmit(skb, dev);
	if (rc != 0) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	dev->trans_start = jiffies;
	return 0;
}

/* eth_type_trans - see linux/etherdevice.h. */
unsigned short eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	struct ethhdr *eth = (struct ethhdr *)skb->data;

	skb->dev = dev;
	skb->mac_raw = skb->data;
	skb_pull(skb, ETH_HLEN);
	if (eth->h_dest[0] & 1)
		skb->pkt_type = memcmp(eth->h_dest, dev->broadcast, ETH_ALEN)
					? PACKET_MULTICAST : PACKET_BROADCAST;
	else if (memcmp(eth->h_dest, dev->dev_addr, ETH_ALEN))
		skb->pkt_type = PACKET_OTHERHOST;
	else
		skb->pkt_type = PACKET_HOST;
	skb->nh_raw = skb->data;
	return eth->h_proto;
}

/* netif_rx - see linux/netdevice.h.  Drops when the backlog is full. */
int netif_rx(struct sk_buff *skb)
{
	if (skb_queue_len(&backlog) >= BACKLOG_MAX) {
		netdev_rx_dropped++;
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb_queue_tail(&backlog, skb);
	raise_softirq(NET_RX_SOFTIRQ);
	return NET_RX_SUCCESS;
}

/* net_rx_action - the NET_RX softirq: hand each backlog frame to the stack. */
static void net_rx_action(void)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&backlog)) != NULL) {
		netdev_rx_delivered++;
		if (net_rx_handler)
			net_rx_handler(skb);
		else
			kfree_skb(skb);
	}
}

/* net_dev_init - see linux/netdevice.h. */
void net_dev_init(void)
{
	skb_queue_head_init(&backlog);
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
}
