/*
 * kernel/workload/net.c - workload=net: resolve the peer by ARP, ping it,
 * send UDP datagrams to its echo port, in rounds that may fail.
 *
 *   ping=N     echo requests, one per round (default 20)
 *   udp=M      datagrams to peer:udpport, one per round (default 0: QEMU's
 *              user network answers pings to 10.0.2.2 but has no UDP echo;
 *              the nooks-emu LAN peer has one.  Under QEMU, a UDP echo
 *              server on the host's 127.0.0.1:P answers at 10.0.2.2:P)
 *   udpport=P  the peer's echo port (default 7)
 *   peer=IP    (net.h) default 10.0.2.2;  ip=IP  ours, default 10.0.2.15
 *
 * Each round uses whatever interface is registered at that moment and
 * opens it if needed, so a driver that was recovered (unloaded and
 * reloaded, registering a new eth device) is picked up again.
 */
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include "../net/net.h"
#include "workload.h"

/* current_dev - the first registered interface, opened; NULL if none. */
static struct net_device *current_dev(void)
{
	struct net_device *dev = dev_base;

	if (dev && !netif_running(dev) && dev_open(dev))
		return NULL;
	return dev;
}

/* print_ip - a.b.c.d into buf (16 bytes). */
static const char *print_ip(char *buf, u32 ip)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
		 ip & 255);
	return buf;
}

/* workload_net - see workload.h. */
bool workload_net(void)
{
	unsigned long pings = cmdline_get_ulong("ping", 20);
	unsigned long udps = cmdline_get_ulong("udp", 0);
	u16 port = (u16)cmdline_get_ulong("udpport", 7);
	unsigned long i, received = 0, echoed = 0;
	struct net_device *dev = current_dev();
	char a[16], b[16];
	u8 mac[6];
	int err;

	if (!dev) {
		printk("workload: net no network interface\n");
		return false;
	}
	printk("workload: net %s ip %s peer %s ping=%lu udp=%lu udpport=%u\n", dev->name,
	       print_ip(a, net_ip), print_ip(b, net_peer), pings, udps, port);
	err = arp_resolve(dev, net_peer, mac, 3 * HZ);
	if (err)
		printk("workload: arp %s FAIL %d\n", b, err);
	else
		printk("workload: arp %s is %02x:%02x:%02x:%02x:%02x:%02x\n", b, mac[0], mac[1],
		       mac[2], mac[3], mac[4], mac[5]);
	for (i = 1; i <= pings; i++) {
		dev = current_dev();
		err = dev ? icmp_ping(dev, net_peer, 0x4e4b, (u16)i, 56, HZ) : -ENODEV;
		round_result("ping", i, err);
		received += !err;
	}
	for (i = 1; i <= udps; i++) {
		dev = current_dev();
		err = dev ? udp_echo(dev, net_peer, 40000, port, i, 64 + i % 64, HZ) : -ENODEV;
		round_result("udp", i, err);
		echoed += !err;
	}
	printk("workload: ping sent=%lu received=%lu\n", pings, received);
	printk("workload: udp sent=%lu echoed=%lu\n", udps, echoed);
	return received == pings && echoed == udps;
}
