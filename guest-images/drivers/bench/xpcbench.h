/*
 * drivers/bench/xpcbench.h - the crossing-cost benchmark device, shared by
 * the module (drivers/bench/xpcbench.c) and the kernel workload that drives
 * it (kernel/workload/xpcbench.c).
 */
#ifndef _DRIVERS_XPCBENCH_H
#define _DRIVERS_XPCBENCH_H

#define XPCBENCH_NAME "xpcbench"
#define XPCBENCH_MAX 4096		/* largest read/write the device takes */

/* ioctl commands */
#define XPCBENCH_IOC_NOP 0x5801		/* returns 0 at once: the empty call */
#define XPCBENCH_IOC_SUM 0x5802		/* returns the sum of the bytes last written */

#endif
