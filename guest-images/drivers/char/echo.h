/*
 * drivers/char/echo.h - the ioctl interface of the echo character device
 * (drivers/char/echo.c), shared with the workload that drives it.
 */
#ifndef _DRIVERS_ECHO_H
#define _DRIVERS_ECHO_H

#include <linux/ioctl.h>

#define ECHO_NAME "echo"
#define ECHO_BUF_SIZE 4096

struct echo_stats {
	unsigned int opens, reads, writes;
	unsigned int bytes_in, bytes_out;
	unsigned int fill;		/* bytes waiting to be read */
};

#define ECHO_IOC_STATS _IOR('e', 1, struct echo_stats)	/* arg: struct echo_stats * */
#define ECHO_IOC_RESET _IO('e', 2)			/* drop buffered bytes */

#endif
