/*
 * kernel/workload/demo.c - workload=demo, what `nooks-emu boot` shows by
 * default: network traffic through the e1000 driver, then the buggy drivers'
 * rounds (one of which commits its bug), then network traffic again.  Run
 * with the drivers isolated (nooks=...), the bug is caught, the buggy driver
 * is restarted, and both the later rounds and the traffic after it succeed:
 * the system survived and the drivers work.  Native, the bug crashes it.
 */
#include <linux/kernel.h>
#include "workload.h"

/* workload_demo - see workload.h. */
bool workload_demo(void)
{
	bool before, buggy, after;

	printk("demo: 1/3 network traffic through e1000\n");
	before = workload_net();
	printk("demo: 2/3 buggy drivers (round trigger= commits the bug)\n");
	buggy = workload_buggy();
	printk("demo: 3/3 network traffic again\n");
	after = workload_net();
	printk("demo: traffic before %s, buggy rounds %s, traffic after %s\n",
	       before ? "ok" : "FAILED", buggy ? "ok" : "FAILED", after ? "ok" : "FAILED");
	return before && buggy && after;
}
