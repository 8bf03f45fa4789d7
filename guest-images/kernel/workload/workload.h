/*
 * kernel/workload/workload.h - the driver side of the default image: bring
 * up the services drivers need, load the boot modules, run a workload.
 */
#ifndef _KERNEL_WORKLOAD_H
#define _KERNEL_WORKLOAD_H

#include <linux/types.h>

/*
 * driver_services_init - timer softirq, net backlog, ioremap window, PCI
 * scan, IPv4 stack.  Runs once; later calls do nothing.
 */
void driver_services_init(void);

/*
 * drivers_main - services, modules, the workload named by workload= (none
 * by default), counters, unloading.  Returns 0, or 1 if the workload
 * failed.
 */
int drivers_main(void);

/* The workloads (kernel/workload/); each returns true on PASS. */
bool workload_net(void);
bool workload_chr(void);
bool workload_buggy(void);
bool workload_xpcbench(void);
bool workload_demo(void);

/* round_result - print "workload: <name> round <i> ok|FAIL <err>" and count it. */
void round_result(const char *name, unsigned int round, int err);
extern unsigned long rounds_ok, rounds_failed;

#endif
