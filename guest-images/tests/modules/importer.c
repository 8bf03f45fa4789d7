/*
 * tests/modules/importer.c - imports exporter_twice from exporter.ko and
 * prints its result at init and at exit.
 */
#include <linux/kernel.h>
#include <linux/module.h>

int exporter_twice(int x);

/* importer_init - call into the other module. */
static int importer_init(void)
{
	printk("importer: exporter_twice(1) = %d\n", exporter_twice(1));
	return 0;
}

/* importer_exit - say goodbye. */
static void importer_exit(void)
{
	printk("importer: exit\n");
}

module_init(importer_init);
module_exit(importer_exit);
