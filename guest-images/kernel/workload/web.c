/*
 * kernel/workload/web.c - workload=web (placeholder until TCP lands).
 */
#include <linux/kernel.h>
#include "fsweb.h"

/* workload_web - see fsweb.h. */
bool workload_web(void)
{
	printk("workload: web not available\n");
	return false;
}
