/*
 * tests/modules/initfail.c - a module whose init fails: the loader must
 * report it and free it ("init failed (-19)").
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>

/* initfail_init - no device. */
static int initfail_init(void)
{
	return -ENODEV;
}

module_init(initfail_init);
