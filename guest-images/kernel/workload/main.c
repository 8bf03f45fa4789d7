/*
 * kernel/workload/main.c - drivers_main(): the services drivers rely on,
 * the boot modules, and the workload chosen on the command line:
 *
 *   workload=net [ping=N] [udp=M] [peer=A.B.C.D]   ping and UDP echo (net.c)
 *   workload=chr [count=N]                         the echo char device (chr.c)
 *   workload=buggy [count=N] [trigger=R]           the buggy drivers (buggy.c)
 *   reload=N      unload and reload every module N times before the workload
 *   nooks=LIST    which modules run isolated (linux/module.h)
 *
 * Output: "workload: ... round <i> ok|FAIL <err>" per round, then
 * "workload: PASS" or "workload: FAIL", then "stats: ..." lines.
 */
#include <linux/cmdline.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include "../net/net.h"
#include "workload.h"
#include "fsweb.h"

unsigned long rounds_ok, rounds_failed;

/* nooks_init - the isolation manager's boot hook (weak: absent without Nooks). */
void nooks_init(void) __attribute__((weak));

/* round_result - see workload.h. */
void round_result(const char *name, unsigned int round, int err)
{
	if (err) {
		rounds_failed++;
		printk("workload: %s round %u FAIL %d\n", name, round, err);
	} else {
		rounds_ok++;
		printk("workload: %s round %u ok\n", name, round);
	}
}

/* reload_all - unload and reload every live module once; how many came back. */
static int reload_all(void)
{
	struct module *list[16], *m;
	int n = 0, i, ok = 0;

	for (m = module_list; m && n < 16; m = m->next)
		list[n++] = m;
	for (i = 0; i < n; i++)
		if (module_reload(list[i], true))
			ok++;
	return ok;
}

/* print_stats - the counters at shutdown. */
static void print_stats(void)
{
	struct net_device *d;
	struct module *m;
	int nmod = 0;

	for (m = module_list; m; m = m->next)
		nmod++;
	printk("stats: modules=%d rounds_ok=%lu rounds_failed=%lu\n", nmod, rounds_ok,
	       rounds_failed);
	for (d = dev_base; d; d = d->next) {
		struct net_device_stats *st = d->get_stats ? d->get_stats(d) : NULL;
		if (st)
			printk("stats: %s rx_packets=%lu tx_packets=%lu rx_bytes=%lu "
			       "tx_bytes=%lu rx_errors=%lu tx_errors=%lu\n", d->name,
			       st->rx_packets, st->tx_packets, st->rx_bytes, st->tx_bytes,
			       st->rx_errors, st->tx_errors);
	}
	net_print_stats();
	printk("stats: skb_alive=%lu free_pages=%lu\n", skb_alive, nr_free_pages());
}

/* driver_services_init - see workload.h. */
void driver_services_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	timers_init();
	net_dev_init();
	ioremap_init();
	pci_init();
	net_init();
}

/* drivers_main - see workload.h. */
int drivers_main(void)
{
	char wl[16];
	unsigned long reloads;
	bool pass = true, ran = true;

	driver_services_init();
	if (nooks_init)
		nooks_init();
	printk("module: %d of %u boot module(s) loaded\n", module_load_boot_modules(),
	       boot_params.nr_modules);
	for (reloads = cmdline_get_ulong("reload", 0); reloads; reloads--)
		printk("module: reloaded %d module(s)\n", reload_all());

	if (!cmdline_get("workload", wl, sizeof(wl)) || !strcmp(wl, "none"))
		ran = false;
	else if (!strcmp(wl, "net"))
		pass = workload_net();
	else if (!strcmp(wl, "fs"))
		pass = workload_fs();
	else if (!strcmp(wl, "web"))
		pass = workload_web();
	else if (!strcmp(wl, "netstream"))
		pass = workload_netstream();
	else if (!strcmp(wl, "chr"))
		pass = workload_chr();
	else if (!strcmp(wl, "buggy"))
		pass = workload_buggy();
	else if (!strcmp(wl, "xpcbench"))
		pass = workload_xpcbench();
	else if (!strcmp(wl, "demo"))
		pass = workload_demo();
	else {
		printk("workload: unknown workload '%s' (net chr buggy xpcbench demo)\n", wl);
		pass = false;
	}
	if (ran || !pass)
		printk("workload: %s\n", pass ? "PASS" : "FAIL");
	print_stats();
	module_unload_all();
	printk("stats: after unload skb_alive=%lu free_pages=%lu\n", skb_alive,
	       nr_free_pages());
	return pass ? 0 : 1;
}
