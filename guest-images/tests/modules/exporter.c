/*
 * tests/modules/exporter.c - exports a function to modules loaded after it
 * (EXPORT_SYMBOL in a module) and takes module parameters of both types.
 */
#include <linux/kernel.h>
#include <linux/module.h>

static int value = 1;
static char *label = "none";
MODULE_PARM(value, "i");
MODULE_PARM(label, "s");

/* exporter_twice - twice the value parameter plus x. */
int exporter_twice(int x)
{
	return 2 * value + x;
}
EXPORT_SYMBOL(exporter_twice);

/* exporter_init - report the parameters. */
static int exporter_init(void)
{
	printk("exporter: value=%d label=%s\n", value, label);
	return 0;
}

module_init(exporter_init);
