/*
 * kernel/net/net.h - the minimal IPv4 stack: Ethernet, ARP, IPv4, ICMP echo,
 * UDP, over one interface.  Addresses are host-order u32 (10.0.2.15 is
 * 0x0a00020f).  Received frames come from the NET_RX softirq
 * (net_receive); senders run in kernel context and wait with schedule().
 *
 * IPv4 header (20 bytes, no options sent; options accepted on input):
 *
 *   0       4       8               16      19             31
 *  +-------+-------+---------------+-------------------------+
 *  |version|  IHL  |     TOS       |      total length       |
 *  +-------+-------+---------------+-----+-------------------+
 *  |        identification         |flags| fragment offset   |
 *  +---------------+---------------+-----+-------------------+
 *  |      TTL      |   protocol    |     header checksum     |
 *  +---------------+---------------+-------------------------+
 *  |                     source address                      |
 *  |                   destination address                   |
 *  +---------------------------------------------------------+
 *
 * ICMP echo: type (8 request, 0 reply), code 0, checksum, id, sequence,
 * data.  UDP: source port, destination port, length, checksum (over a
 * pseudo-header of source, destination, protocol 17 and length; 0 = none).
 */
#ifndef _KERNEL_NET_H
#define _KERNEL_NET_H

#include <linux/netdevice.h>
#include <linux/types.h>

#define IP_ADDR(a, b, c, d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))
#define IPPROTO_ICMP 1
#define IPPROTO_UDP 17
#define IPPROTO_TCP 6

struct iphdr {
	u8 ihl_version;		/* version << 4 | IHL (32-bit words) */
	u8 tos;
	u16 tot_len, id, frag_off;
	u8 ttl, protocol;
	u16 check;
	u32 saddr, daddr;	/* network order */
} __attribute__((packed));

struct icmphdr {
	u8 type, code;
	u16 checksum, id, sequence;
} __attribute__((packed));

struct udphdr {
	u16 source, dest, len, check;
} __attribute__((packed));

/* Counters (printed as "stats: net ..."). */
struct net_counters {
	unsigned long rx_frames, rx_arp, rx_ip, rx_icmp, rx_udp, rx_bad, rx_other;
	unsigned long tx_frames, tx_errors, arp_requests, arp_replies_sent;
	unsigned long echo_requests_answered;
};
extern struct net_counters net_stats;

/* Our address and the peer/gateway (ip= and peer= boot options). */
extern u32 net_ip, net_peer;

/* net_init - parse ip=/peer=, install the receive handler (boot). */
void net_init(void);
/* net_print_stats - "stats: net ..." */
void net_print_stats(void);

/* net_receive - one Ethernet frame from the NET_RX softirq; frees skb. */
void net_receive(struct sk_buff *skb);

/* in_cksum - the Internet checksum (ones' complement of the ones' complement sum). */
u16 in_cksum(const void *data, unsigned int len, u32 sum);

/* eth_send - prepend an Ethernet header and dev_queue_xmit (frees skb on error). */
int eth_send(struct net_device *dev, struct sk_buff *skb, const u8 *dest, u16 proto);

/* ARP (kernel/net/arp.c) */
void arp_receive(struct net_device *dev, struct sk_buff *skb);
/*
 * arp_resolve - the MAC of ip into mac: from the cache, or by asking
 * (one request a second) until timeout jiffies pass.  0 or -ETIMEDOUT.
 */
int arp_resolve(struct net_device *dev, u32 ip, u8 *mac, unsigned long timeout);
/* arp_ask - send one request for ip, without waiting for the answer. */
void arp_ask(struct net_device *dev, u32 ip);
/* arp_lookup - cache only; true if known. */
bool arp_lookup(u32 ip, u8 *mac);
/* arp_flush - forget every entry. */
void arp_flush(void);

/* IPv4, ICMP, UDP (kernel/net/ip.c) */
void ip_receive(struct net_device *dev, struct sk_buff *skb);
/*
 * ip_send - send payload (len bytes) to dst with protocol proto; resolves
 * the next hop by ARP (waiting up to a second).  0 or -Exxx.
 */
int ip_send(struct net_device *dev, u32 dst, u8 proto, const void *payload,
	    unsigned int len);
/*
 * icmp_ping - send an echo request (id, seq, len data bytes) and wait up
 * to timeout jiffies for the matching reply.  0, -ETIMEDOUT or a send error.
 */
int icmp_ping(struct net_device *dev, u32 dst, u16 id, u16 seq, unsigned int len,
	      unsigned long timeout);
/*
 * udp_echo - send a datagram (seq and len bytes of pattern) from port
 * sport to dst:dport and wait for the same payload to come back.
 */
int udp_echo(struct net_device *dev, u32 dst, u16 sport, u16 dport, u32 seq,
	     unsigned int len, unsigned long timeout);

/* TCP (kernel/net/tcp.c; linux/ksocket.h): queue a received segment. */
void tcp_receive(u32 src, u32 dst, const u8 *data, unsigned int len);

#endif
