/*
 * tests/modules/pic.c - built with -fPIC, so it carries GOT/PLT relocation
 * types the loader does not know: it must refuse it ("unknown relocation").
 */
#include <linux/kernel.h>
#include <linux/module.h>

int pic_counter;

/* pic_init - touches a global through the GOT. */
static int pic_init(void)
{
	pic_counter++;
	printk("pic: loaded\n");
	return 0;
}

module_init(pic_init);
