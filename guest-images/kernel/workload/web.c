/*
 * kernel/workload/web.c - workload=web: mount the volume, bring up the
 * network interface and poll the "khttpd" service (net/khttpd/khttpd.c)
 * until it answered requests=N requests (default 10; 0: forever), or
 * webtime=S seconds passed (default 0: no limit).  The module prints one
 * line per request; PASS when N requests were answered.  Benchmark
 * markers: "workload: web first requests=K" when the first answers are
 * counted, "workload: web served requests=N" when the loop ends.
 */
#include <linux/cmdline.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ksocket.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/vfs.h>
#include "fsweb.h"
#include "workload.h"

/* workload_web - see fsweb.h. */
bool workload_web(void)
{
	unsigned long want = cmdline_get_ulong("requests", 10);
	unsigned long secs = cmdline_get_ulong("webtime", 0);
	unsigned long end = jiffies + secs * HZ, linger;
	struct net_service *svc = net_service_find("khttpd");
	struct net_device *dev = dev_base;
	bool pass, first = false;

	if (fs_mount_default())
		printk("workload: web serving without a volume\n");
	if (!svc) {
		printk("workload: web no khttpd service (load khttpd.ko)\n");
		fs_umount_default();
		return false;
	}
	if (!dev || (!netif_running(dev) && dev_open(dev))) {
		printk("workload: web no network interface\n");
		fs_umount_default();
		return false;
	}
	printk("workload: web serving on %s requests=%lu webtime=%lu\n", dev->name, want, secs);
	while (!want || svc->requests < want) {
		if (secs && !time_before(jiffies, end))
			break;
		svc->poll(svc);
		if (!first && svc->requests) {
			printk("workload: web first requests=%lu\n", svc->requests);
			first = true;
		}
		ksock_poll();
		schedule();
	}
	printk("workload: web served requests=%lu\n", svc->requests);
	/* let the last answers and FINs go out (no new requests) */
	for (linger = jiffies + HZ; time_before(jiffies, linger);) {
		ksock_poll();
		schedule();
	}
	pass = svc->requests >= want;
	printk("workload: web requests=%lu %s\n", svc->requests, pass ? "PASS" : "FAIL");
	tcp_print_stats();
	fs_umount_default();
	return pass;
}
