/*
 * kernel/net/ip.c - IPv4 input and output, ICMP echo (answering and
 * pinging) and UDP echo (net.h; the header formats are drawn there).
 * One interface, no routing: every destination is reached directly by ARP
 * (10.0.2.0/24 under QEMU's user network).  Fragments are dropped.
 */
#include <asm/byteorder.h>
#include <asm/system.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "net.h"

#define IP_MAX_PAYLOAD (ETH_DATA_LEN - sizeof(struct iphdr))

static u16 ip_id;

/* What a sender is waiting for; set by the sender, matched by input. */
static volatile struct {
	u16 echo_id, echo_seq;		/* ICMP */
	bool echo_got;
	u16 udp_port;			/* UDP: our port */
	u32 udp_seq;
	bool udp_got;
} waiting;

/* ip_send - see net.h. */
int ip_send(struct net_device *dev, u32 dst, u8 proto, const void *payload,
	    unsigned int len)
{
	u8 mac[ETH_ALEN];
	struct sk_buff *skb;
	struct iphdr *ip;
	int err;

	if (len > IP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!arp_lookup(dst, mac) && (err = arp_resolve(dev, dst, mac, HZ)) != 0)
		return err;
	skb = alloc_skb(ETH_HLEN + sizeof(*ip) + len + ETH_ZLEN, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, ETH_HLEN);
	ip = (struct iphdr *)skb_put(skb, sizeof(*ip));
	ip->ihl_version = 0x45;
	ip->tos = 0;
	ip->tot_len = htons(sizeof(*ip) + len);
	ip->id = htons(ip_id++);
	ip->frag_off = 0;
	ip->ttl = 64;
	ip->protocol = proto;
	ip->check = 0;
	ip->saddr = htonl(net_ip);
	ip->daddr = htonl(dst);
	ip->check = in_cksum(ip, sizeof(*ip), 0);
	memcpy(skb_put(skb, len), payload, len);
	return eth_send(dev, skb, mac, ETH_P_IP);
}

/* udp_cksum - UDP checksum with the pseudo-header (addresses host order). */
static u16 udp_cksum(u32 src, u32 dst, const void *udp, unsigned int len)
{
	u32 sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
		  IPPROTO_UDP + len;
	u16 c = in_cksum(udp, len, sum);

	return c ? c : 0xffff;
}

/* icmp_receive - answer echo requests; note echo replies someone waits for. */
static void icmp_receive(struct net_device *dev, u32 src, u8 *data, unsigned int len)
{
	struct icmphdr *ic = (struct icmphdr *)data;

	net_stats.rx_icmp++;
	if (len < sizeof(*ic) || in_cksum(data, len, 0) != 0) {
		net_stats.rx_bad++;
		return;
	}
	if (ic->type == 8 && ic->code == 0) {
		ic->type = 0;
		ic->checksum = 0;
		ic->checksum = in_cksum(data, len, 0);
		if (!ip_send(dev, src, IPPROTO_ICMP, data, len))
			net_stats.echo_requests_answered++;
	} else if (ic->type == 0 && ntohs(ic->id) == waiting.echo_id &&
		   ntohs(ic->sequence) == waiting.echo_seq) {
		waiting.echo_got = true;
	}
}

/* udp_receive - check the datagram; note an echo someone waits for. */
static void udp_receive(u32 src, u8 *data, unsigned int len)
{
	struct udphdr *u = (struct udphdr *)data;
	unsigned int ulen;

	net_stats.rx_udp++;
	if (len < sizeof(*u) || (ulen = ntohs(u->len)) < sizeof(*u) || ulen > len ||
	    (u->check && in_cksum(data, ulen,
				  (src >> 16) + (src & 0xffff) + (net_ip >> 16) +
				  (net_ip & 0xffff) + IPPROTO_UDP + ulen) != 0)) {
		net_stats.rx_bad++;
		return;
	}
	if (ntohs(u->dest) == waiting.udp_port && ulen >= sizeof(*u) + 4) {
		u32 seq;
		memcpy(&seq, data + sizeof(*u), 4);
		if (ntohl(seq) == waiting.udp_seq)
			waiting.udp_got = true;
	}
}

/* ip_receive - validate an IPv4 packet for us and dispatch it; frees skb. */
void ip_receive(struct net_device *dev, struct sk_buff *skb)
{
	struct iphdr *ip = (struct iphdr *)skb->data;
	unsigned int hl, tl;

	if (skb->len < sizeof(*ip) || (ip->ihl_version >> 4) != 4 ||
	    (hl = (ip->ihl_version & 0xf) * 4u) < sizeof(*ip) || hl > skb->len ||
	    (tl = ntohs(ip->tot_len)) < hl || tl > skb->len || in_cksum(ip, hl, 0) != 0) {
		net_stats.rx_bad++;
		goto out;
	}
	if (ntohl(ip->daddr) != net_ip || (ntohs(ip->frag_off) & 0x3fff)) {
		net_stats.rx_other++;
		goto out;
	}
	if (ip->protocol == IPPROTO_ICMP)
		icmp_receive(dev, ntohl(ip->saddr), skb->data + hl, tl - hl);
	else if (ip->protocol == IPPROTO_UDP)
		udp_receive(ntohl(ip->saddr), skb->data + hl, tl - hl);
	else if (ip->protocol == IPPROTO_TCP)
		tcp_receive(ntohl(ip->saddr), net_ip, skb->data + hl, tl - hl);
	else
		net_stats.rx_other++;
out:
	kfree_skb(skb);
}

/* wait_for - schedule() until *flag is set or timeout jiffies pass. */
static int wait_for(volatile bool *flag, unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (!*flag) {
		if (!time_before(jiffies, end))
			return -ETIMEDOUT;
		schedule();
	}
	return 0;
}

/* icmp_ping - see net.h. */
int icmp_ping(struct net_device *dev, u32 dst, u16 id, u16 seq, unsigned int len,
	      unsigned long timeout)
{
	u8 buf[sizeof(struct icmphdr) + 256];
	struct icmphdr *ic = (struct icmphdr *)buf;
	unsigned int i;
	int err;

	if (len > 256)
		len = 256;
	ic->type = 8;
	ic->code = 0;
	ic->checksum = 0;
	ic->id = htons(id);
	ic->sequence = htons(seq);
	for (i = 0; i < len; i++)
		buf[sizeof(*ic) + i] = (u8)(i + seq);
	ic->checksum = in_cksum(buf, sizeof(*ic) + len, 0);
	waiting.echo_id = id;
	waiting.echo_seq = seq;
	waiting.echo_got = false;
	err = ip_send(dev, dst, IPPROTO_ICMP, buf, sizeof(*ic) + len);
	if (err)
		return err;
	return wait_for(&waiting.echo_got, timeout);
}

/* udp_echo - see net.h. */
int udp_echo(struct net_device *dev, u32 dst, u16 sport, u16 dport, u32 seq,
	     unsigned int len, unsigned long timeout)
{
	u8 buf[sizeof(struct udphdr) + 4 + 512];
	struct udphdr *u = (struct udphdr *)buf;
	u32 nseq = htonl(seq);
	unsigned int i, ulen;
	int err;

	if (len > 512)
		len = 512;
	ulen = sizeof(*u) + 4 + len;
	u->source = htons(sport);
	u->dest = htons(dport);
	u->len = htons(ulen);
	u->check = 0;
	memcpy(buf + sizeof(*u), &nseq, 4);
	for (i = 0; i < len; i++)
		buf[sizeof(*u) + 4 + i] = (u8)('a' + (i + seq) % 26);
	u->check = udp_cksum(net_ip, dst, buf, ulen);
	waiting.udp_port = sport;
	waiting.udp_seq = seq;
	waiting.udp_got = false;
	err = ip_send(dev, dst, IPPROTO_UDP, buf, ulen);
	if (err)
		return err;
	return wait_for(&waiting.udp_got, timeout);
}
