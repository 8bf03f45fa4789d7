/*
 * linux/etherdevice.h - Ethernet helpers for drivers (kernel/net/dev.c).
 */
#ifndef _LINUX_ETHERDEVICE_H
#define _LINUX_ETHERDEVICE_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>

/*
 * eth_type_trans - for a received frame: set skb->dev, mac_raw, pkt_type,
 * strip the Ethernet header, and return the protocol (network order) for
 * skb->protocol.
 */
unsigned short eth_type_trans(struct sk_buff *skb, struct net_device *dev);

/* is_valid_ether_addr - not all zero and not multicast. */
static inline int is_valid_ether_addr(const u8 *a)
{
	return !(a[0] & 1) && (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

#endif
