/*
 * kernel/net/arp.c - Ethernet framing, the receive demultiplexer, and ARP
 * for IPv4 over Ethernet (net.h).
 *
 * ARP packet (28 bytes after the Ethernet header):
 *
 *   hardware type 1 (16) | protocol 0x0800 (16) | hlen 6 (8) | plen 4 (8)
 *   operation (16): 1 request, 2 reply
 *   sender MAC (48) | sender IP (32) | target MAC (48) | target IP (32)
 */
#include <asm/byteorder.h>
#include <asm/system.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "net.h"

struct arphdr {
	u16 ar_hrd, ar_pro;
	u8 ar_hln, ar_pln;
	u16 ar_op;
	u8 ar_sha[ETH_ALEN];
	u32 ar_sip;
	u8 ar_tha[ETH_ALEN];
	u32 ar_tip;
} __attribute__((packed));

#define ARP_REQUEST 1
#define ARP_REPLY 2
#define ARP_CACHE_SIZE 8

struct net_counters net_stats;
u32 net_ip, net_peer;

static struct arp_entry {
	u32 ip;			/* 0: empty */
	u8 mac[ETH_ALEN];
} arp_cache[ARP_CACHE_SIZE];
static unsigned int arp_next;

/* parse_ip - "a.b.c.d" into a host-order address; def if malformed. */
static u32 parse_ip(const char *s, u32 def)
{
	u32 v = 0;
	int i;
	char *end;

	for (i = 0; i < 4; i++) {
		unsigned long b = simple_strtoul(s, &end, 10);
		if (end == s || b > 255 || (i < 3 && *end != '.') || (i == 3 && *end))
			return def;
		v = v << 8 | b;
		s = end + 1;
	}
	return v;
}

/* net_init - see net.h. */
void net_init(void)
{
	char buf[20];

	net_ip = IP_ADDR(10, 0, 2, 15);
	net_peer = IP_ADDR(10, 0, 2, 2);
	if (cmdline_get("ip", buf, sizeof(buf)))
		net_ip = parse_ip(buf, net_ip);
	if (cmdline_get("peer", buf, sizeof(buf)))
		net_peer = parse_ip(buf, net_peer);
	net_rx_handler = net_receive;
}

/* net_print_stats - see net.h. */
void net_print_stats(void)
{
	struct net_counters *c = &net_stats;

	printk("stats: net rx_frames=%lu arp=%lu ip=%lu icmp=%lu udp=%lu bad=%lu other=%lu "
	       "tx_frames=%lu tx_errors=%lu echo_answered=%lu backlog_dropped=%lu\n",
	       c->rx_frames, c->rx_arp, c->rx_ip, c->rx_icmp, c->rx_udp, c->rx_bad,
	       c->rx_other, c->tx_frames, c->tx_errors, c->echo_requests_answered,
	       netdev_rx_dropped);
}

/* in_cksum - see net.h; sum is a partial sum to start from (pseudo-header). */
u16 in_cksum(const void *data, unsigned int len, u32 sum)
{
	const u8 *p = data;

	while (len > 1) {
		sum += (u32)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (u32)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((u16)~sum);
}

/* eth_send - see net.h.  Pads to the 60-byte Ethernet minimum. */
int eth_send(struct net_device *dev, struct sk_buff *skb, const u8 *dest, u16 proto)
{
	struct ethhdr *eth = (struct ethhdr *)skb_push(skb, ETH_HLEN);
	int err;

	memcpy(eth->h_dest, dest, ETH_ALEN);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(proto);
	if (skb->len < ETH_ZLEN) {
		unsigned int pad = ETH_ZLEN - skb->len;
		memset(skb_put(skb, pad), 0, pad);
	}
	skb->dev = dev;
	err = dev_queue_xmit(skb);
	if (err)
		net_stats.tx_errors++;
	else
		net_stats.tx_frames++;
	return err;
}

/* net_receive - see net.h. */
void net_receive(struct sk_buff *skb)
{
	net_stats.rx_frames++;
	if (skb->pkt_type == PACKET_OTHERHOST) {
		net_stats.rx_other++;
		kfree_skb(skb);
	} else if (skb->protocol == htons(ETH_P_ARP)) {
		net_stats.rx_arp++;
		arp_receive(skb->dev, skb);
	} else if (skb->protocol == htons(ETH_P_IP)) {
		net_stats.rx_ip++;
		ip_receive(skb->dev, skb);
	} else {
		net_stats.rx_other++;
		kfree_skb(skb);
	}
}

/* arp_update - remember ip -> mac (replacing the oldest entry when full). */
static void arp_update(u32 ip, const u8 *mac)
{
	unsigned long flags;
	int i;

	local_irq_save(flags);
	for (i = 0; i < ARP_CACHE_SIZE; i++)
		if (arp_cache[i].ip == ip)
			break;
	if (i == ARP_CACHE_SIZE) {
		i = (int)arp_next;
		arp_next = (arp_next + 1) % ARP_CACHE_SIZE;
	}
	arp_cache[i].ip = ip;
	memcpy(arp_cache[i].mac, mac, ETH_ALEN);
	local_irq_restore(flags);
}

/* arp_lookup - see net.h. */
bool arp_lookup(u32 ip, u8 *mac)
{
	unsigned long flags;
	bool found = false;
	int i;

	local_irq_save(flags);
	for (i = 0; i < ARP_CACHE_SIZE; i++) {
		if (arp_cache[i].ip == ip) {
			memcpy(mac, arp_cache[i].mac, ETH_ALEN);
			found = true;
			break;
		}
	}
	local_irq_restore(flags);
	return found;
}

/* arp_flush - see net.h. */
void arp_flush(void)
{
	memset(arp_cache, 0, sizeof(arp_cache));
}

/* arp_send - build and send one ARP packet. */
static int arp_send(struct net_device *dev, u16 op, u32 tip, const u8 *tha,
		    const u8 *dest)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + ETH_ZLEN + 16, GFP_ATOMIC);
	struct arphdr *a;

	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, ETH_HLEN);
	a = (struct arphdr *)skb_put(skb, sizeof(*a));
	a->ar_hrd = htons(ARPHRD_ETHER);
	a->ar_pro = htons(ETH_P_IP);
	a->ar_hln = ETH_ALEN;
	a->ar_pln = 4;
	a->ar_op = htons(op);
	memcpy(a->ar_sha, dev->dev_addr, ETH_ALEN);
	a->ar_sip = htonl(net_ip);
	memcpy(a->ar_tha, tha, ETH_ALEN);
	a->ar_tip = htonl(tip);
	return eth_send(dev, skb, dest, ETH_P_ARP);
}

/* arp_receive - learn the sender; answer requests for our address. */
void arp_receive(struct net_device *dev, struct sk_buff *skb)
{
	struct arphdr *a = (struct arphdr *)skb->data;

	if (skb->len < sizeof(*a) || a->ar_hrd != htons(ARPHRD_ETHER) ||
	    a->ar_pro != htons(ETH_P_IP) || a->ar_hln != ETH_ALEN || a->ar_pln != 4) {
		net_stats.rx_bad++;
		kfree_skb(skb);
		return;
	}
	if (ntohl(a->ar_tip) == net_ip) {
		arp_update(ntohl(a->ar_sip), a->ar_sha);
		if (a->ar_op == htons(ARP_REQUEST)) {
			u8 sha[ETH_ALEN];
			memcpy(sha, a->ar_sha, ETH_ALEN);
			if (!arp_send(dev, ARP_REPLY, ntohl(a->ar_sip), sha, sha))
				net_stats.arp_replies_sent++;
		}
	}
	kfree_skb(skb);
}

/* arp_ask - see net.h. */
void arp_ask(struct net_device *dev, u32 ip)
{
	static const u8 zero[ETH_ALEN];

	net_stats.arp_requests++;
	arp_send(dev, ARP_REQUEST, ip, zero, dev->broadcast);
}

/* arp_resolve - see net.h. */
int arp_resolve(struct net_device *dev, u32 ip, u8 *mac, unsigned long timeout)
{
	static const u8 zero[ETH_ALEN];
	unsigned long end = jiffies + timeout, next = jiffies;

	while (!arp_lookup(ip, mac)) {
		if (!time_before(jiffies, end))
			return -ETIMEDOUT;
		if (!time_before(jiffies, next)) {
			net_stats.arp_requests++;
			arp_send(dev, ARP_REQUEST, ip, zero, dev->broadcast);
			next = jiffies + HZ;
		}
		schedule();
	}
	return 0;
}
