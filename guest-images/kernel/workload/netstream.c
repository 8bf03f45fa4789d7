/*
 * kernel/workload/netstream.c - workload=netstream: the paper's network
 * benchmarks (send stream, receive stream) through the first interface:
 *
 *   mode=udpsend count=M size=S port=P   M datagrams of S bytes to peer:P
 *   mode=tcpsend bytes=B port=P          connect to peer:P, send B bytes, close
 *   mode=tcprecv bytes=B port=P          listen on P, accept one connection,
 *                                        receive until end of stream (PASS if
 *                                        at least B bytes, B=0: any; waits
 *                                        netwait=S seconds for it, default 60;
 *                                        stall=S: read nothing for the first
 *                                        S seconds: the window closes)
 *
 * Data byte k of a stream is (k * 7 + 3) & 255 (the host side checks or
 * sends the same pattern).  Output: "workload: netstream <mode> bytes=N
 * packets=N jiffies=J kbps=K PASS|FAIL"; tcpsend's J runs from the connect
 * to the close (all data handed to TCP, the FIN queued), not the linger.
 * Benchmark markers around the data transfer: "workload: netstream start
 * <mode>" (for tcpsend after the connection is up, for tcprecv once it is
 * accepted) and "workload: netstream end <mode> bytes=N" (before the close).
 */
#include <asm/byteorder.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ksocket.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../net/net.h"
#include "fsweb.h"
#include "workload.h"

#define PAT(k) ((u8)(((k) * 7u + 3u) & 255u))

/* report - the summary line for a run from start to end (jiffies); returns pass. */
static bool report(const char *mode, unsigned long bytes, unsigned long pkts,
		   unsigned long start, unsigned long end, bool pass)
{
	unsigned long j = end - start;
	unsigned long kbps = j ? (unsigned long)((u64)bytes * 8 * HZ / 1000 / j) : 0;

	printk("workload: netstream %s bytes=%lu packets=%lu jiffies=%lu kbps=%lu %s\n", mode,
	       bytes, pkts, j, kbps, pass ? "PASS" : "FAIL");
	return pass;
}

/* udp_send_stream - count datagrams of size bytes to net_peer:port. */
static bool udp_send_stream(struct net_device *dev, unsigned long count, unsigned int size,
			    u16 port)
{
	u8 *buf = kmalloc(sizeof(struct udphdr) + 1472, GFP_KERNEL);
	struct udphdr *u = (struct udphdr *)buf;
	unsigned long i, sent = 0, start = jiffies;
	unsigned int k, ulen;
	u32 off = 0;

	if (!buf)
		return false;
	if (size > 1472)
		size = 1472;
	ulen = sizeof(*u) + size;
	printk("workload: netstream start udpsend\n");
	for (i = 0; i < count; i++) {
		u32 sum;
		u16 c;
		u->source = htons(40001);
		u->dest = htons(port);
		u->len = htons(ulen);
		u->check = 0;
		for (k = 0; k < size; k++)
			buf[sizeof(*u) + k] = PAT(off + k);
		sum = (net_ip >> 16) + (net_ip & 0xffff) + (net_peer >> 16) + (net_peer & 0xffff) +
		      IPPROTO_UDP + ulen;
		c = in_cksum(buf, ulen, sum);
		u->check = c ? c : 0xffff;
		if (!ip_send(dev, net_peer, IPPROTO_UDP, buf, ulen)) {
			sent++;
			off += size;
		}
		if (i % 32 == 31)
			schedule();	/* let the transmit ring drain */
	}
	printk("workload: netstream end udpsend bytes=%lu\n", sent * size);
	kfree(buf);
	return report("udpsend", sent * size, sent, start, jiffies, sent == count);
}

/* tcp_send_stream - bytes of the pattern to net_peer:port over TCP. */
static bool tcp_send_stream(unsigned long bytes, u16 port)
{
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	unsigned long done = 0, start = jiffies, end, linger;
	struct ksock *s;
	int err = 0, n;
	unsigned int k;

	if (!buf)
		return false;
	s = ksock_connect(net_peer, port, 5 * HZ, &err);
	if (!s) {
		printk("workload: netstream connect failed %d\n", err);
		kfree(buf);
		return report("tcpsend", 0, 0, start, jiffies, false);
	}
	printk("workload: netstream start tcpsend\n");
	while (done < bytes) {
		unsigned int chunk = bytes - done < 4096 ? (unsigned int)(bytes - done) : 4096;
		for (k = 0; k < chunk; k++)
			buf[k] = PAT(done + k);
		n = ksock_send(s, buf, chunk, 0);
		if (n <= 0) {
			err = n;
			break;
		}
		done += (unsigned long)n;
	}
	printk("workload: netstream end tcpsend bytes=%lu\n", done);
	ksock_close(s);
	end = jiffies;		/* the time excludes the linger below */
	/* the FIN exchange and the last ACKs */
	for (linger = jiffies + HZ; time_before(jiffies, linger);) {
		ksock_poll();
		schedule();
	}
	kfree(buf);
	if (err)
		printk("workload: netstream send error %d\n", err);
	tcp_print_stats();
	return report("tcpsend", done, (done + 1459) / 1460, start, end, done == bytes);
}

/* tcp_recv_stream - accept one connection on port, read it to the end. */
static bool tcp_recv_stream(unsigned long bytes, u16 port)
{
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	unsigned long done = 0, start, bad = 0;
	struct ksock *l, *s;
	int err, n, k;

	if (!buf)
		return false;
	l = ksock_listen(port, 2, &err);
	if (!l) {
		kfree(buf);
		printk("workload: netstream listen failed %d\n", err);
		return false;
	}
	printk("workload: netstream listening on port %u\n", port);
	start = jiffies + cmdline_get_ulong("netwait", 60) * HZ;
	while (!(s = ksock_accept(l, KSOCK_NONBLOCK, &err)) && err == -EAGAIN &&
	       time_before(jiffies, start))
		schedule();
	start = jiffies;
	if (s)
		printk("workload: netstream start tcprecv\n");
	if (s) {
		/* stall=S: read nothing for S seconds, so our window closes */
		unsigned long stall = jiffies + cmdline_get_ulong("stall", 0) * HZ;
		while (time_before(jiffies, stall)) {
			ksock_poll();
			schedule();
		}
		while ((n = ksock_recv(s, buf, 4096, 0)) > 0) {
			for (k = 0; k < n; k++)
				bad += buf[k] != PAT(done + (unsigned long)k);
			done += (unsigned long)n;
		}
		printk("workload: netstream end tcprecv bytes=%lu\n", done);
		ksock_close(s);
	}
	ksock_close(l);
	kfree(buf);
	if (bad)
		printk("workload: netstream %lu bytes differ from the pattern\n", bad);
	tcp_print_stats();
	return report("tcprecv", done, (done + 1459) / 1460, start, jiffies,
		      s && !bad && done >= bytes && (bytes || done));
}

/* workload_netstream - see fsweb.h. */
bool workload_netstream(void)
{
	char mode[16];
	u16 port = (u16)cmdline_get_ulong("port", 5001);
	struct net_device *dev = dev_base;
	u8 mac[6];

	if (!cmdline_get("mode", mode, sizeof(mode)))
		strlcpy(mode, "udpsend", sizeof(mode));
	if (!dev || (!netif_running(dev) && dev_open(dev))) {
		printk("workload: netstream no network interface\n");
		return false;
	}
	if (arp_resolve(dev, net_peer, mac, 3 * HZ))
		printk("workload: netstream peer does not answer ARP\n");
	if (!strcmp(mode, "udpsend"))
		return udp_send_stream(dev, cmdline_get_ulong("count", 1000),
				       (unsigned int)cmdline_get_ulong("size", 1024), port);
	if (!strcmp(mode, "tcpsend"))
		return tcp_send_stream(cmdline_get_ulong("bytes", 1 << 20), port);
	if (!strcmp(mode, "tcprecv"))
		return tcp_recv_stream(cmdline_get_ulong("bytes", 0), port);
	printk("workload: netstream unknown mode '%s' (udpsend tcpsend tcprecv)\n", mode);
	return false;
}
