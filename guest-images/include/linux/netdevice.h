/*
 * linux/netdevice.h - network interfaces (kernel/net/dev.c).
 *
 * A driver allocates a struct net_device (alloc_etherdev), fills in its
 * operations and registers it.  The stack opens it (dev_open -> open),
 * transmits through dev_queue_xmit (-> hard_start_xmit, which owns the skb
 * once it returns 0; nonzero means "busy, try later" and the skb stays the
 * caller's) and receives what the driver hands to netif_rx (any context;
 * delivered from the NET_RX softirq).
 *
 * Transmit queue flow control, as in Linux: the driver calls
 * netif_stop_queue when its ring is full and netif_wake_queue from its
 * interrupt handler when room frees up; dev_queue_xmit does not call
 * hard_start_xmit while the queue is stopped.
 */
#ifndef _LINUX_NETDEVICE_H
#define _LINUX_NETDEVICE_H

#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#define IFNAMSIZ 16
#define MAX_ADDR_LEN 8

struct net_device_stats {
	unsigned long rx_packets, tx_packets;
	unsigned long rx_bytes, tx_bytes;
	unsigned long rx_errors, tx_errors;
	unsigned long rx_dropped, tx_dropped;
	unsigned long multicast, collisions;
	unsigned long rx_length_errors, rx_over_errors, rx_crc_errors;
	unsigned long rx_frame_errors, rx_fifo_errors, rx_missed_errors;
	unsigned long tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
};

/* flags */
#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_RUNNING 0x40
#define IFF_PROMISC 0x100
#define IFF_MULTICAST 0x1000

/* state bits */
#define __LINK_STATE_XOFF 0		/* transmit queue stopped */
#define __LINK_STATE_START 1		/* device is open */
#define __LINK_STATE_NOCARRIER 2	/* link down */

struct net_device {
	char name[IFNAMSIZ];		/* "eth0", set by register_netdev */
	unsigned long base_addr;	/* I/O or MMIO base, informational */
	unsigned int irq;
	unsigned char dev_addr[MAX_ADDR_LEN];	/* hardware address */
	unsigned char broadcast[MAX_ADDR_LEN];
	unsigned char addr_len;
	unsigned short type;		/* ARPHRD_ETHER */
	unsigned short hard_header_len;
	unsigned int mtu;
	unsigned int flags;		/* IFF_* */
	unsigned long state;		/* __LINK_STATE_* bits */
	unsigned long trans_start;	/* jiffies of the last transmit */
	int watchdog_timeo;
	void *priv;			/* the driver's area (alloc_etherdev) */

	int (*init)(struct net_device *dev);
	int (*open)(struct net_device *dev);
	int (*stop)(struct net_device *dev);
	int (*hard_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	struct net_device_stats *(*get_stats)(struct net_device *dev);
	void (*set_multicast_list)(struct net_device *dev);
	void (*tx_timeout)(struct net_device *dev);
	int (*change_mtu)(struct net_device *dev, int new_mtu);

	struct module *owner;		/* filled in by the driver or NULL */
	int registered;
	struct net_device *next;	/* dev_base list */
};

#define ARPHRD_ETHER 1

/* dev_base - registered devices, in registration order. */
extern struct net_device *dev_base;

/* alloc_netdev-style: a zeroed net_device with sizeof_priv bytes for priv. */
struct net_device *alloc_etherdev(int sizeof_priv);
/* ether_setup - Ethernet defaults: mtu 1500, addr_len 6, broadcast ff.. */
void ether_setup(struct net_device *dev);

/* register_netdev - name it eth<N>, add to dev_base.  0 or -Exxx. */
int register_netdev(struct net_device *dev);
/* unregister_netdev - close it if open and take it off dev_base. */
void unregister_netdev(struct net_device *dev);
/* free_netdev - free an unregistered device (kfree(dev) also works in 2.4). */
void free_netdev(struct net_device *dev);

/* dev_get_by_name - the registered device called name, or NULL. */
struct net_device *dev_get_by_name(const char *name);
/* dev_open/dev_close - bring an interface up (calls open) or down (stop). */
int dev_open(struct net_device *dev);
int dev_close(struct net_device *dev);
/*
 * dev_queue_xmit - send skb on skb->dev.  Returns 0 if the driver took it;
 * otherwise the skb is freed and -ENETDOWN (closed) or -ENOBUFS (queue
 * stopped or driver busy) is returned.
 */
int dev_queue_xmit(struct sk_buff *skb);

/* netif_rx - hand a received frame (eth_type_trans already done) to the stack. */
int netif_rx(struct sk_buff *skb);
#define NET_RX_SUCCESS 0
#define NET_RX_DROP 1

/*
 * The receive handler the protocol stack installs (kernel/net/); called
 * from the NET_RX softirq with each frame, which it must free.
 */
extern void (*net_rx_handler)(struct sk_buff *skb);

static inline void netif_start_queue(struct net_device *dev)
{
	dev->state &= ~(1ul << __LINK_STATE_XOFF);
}
static inline void netif_stop_queue(struct net_device *dev)
{
	dev->state |= 1ul << __LINK_STATE_XOFF;
}
/* netif_wake_queue - restart a stopped queue (the stack may transmit again). */
static inline void netif_wake_queue(struct net_device *dev)
{
	dev->state &= ~(1ul << __LINK_STATE_XOFF);
}
static inline int netif_queue_stopped(const struct net_device *dev)
{
	return (dev->state >> __LINK_STATE_XOFF) & 1;
}
static inline int netif_running(const struct net_device *dev)
{
	return (dev->state >> __LINK_STATE_START) & 1;
}
static inline int netif_carrier_ok(const struct net_device *dev)
{
	return !((dev->state >> __LINK_STATE_NOCARRIER) & 1);
}
static inline void netif_carrier_on(struct net_device *dev)
{
	dev->state &= ~(1ul << __LINK_STATE_NOCARRIER);
}
static inline void netif_carrier_off(struct net_device *dev)
{
	dev->state |= 1ul << __LINK_STATE_NOCARRIER;
}

/* net_dev_init - register the NET_RX softirq (boot). */
void net_dev_init(void);

/* netdev counters: frames delivered and dropped by the backlog. */
extern unsigned long netdev_rx_delivered, netdev_rx_dropped;

#endif
