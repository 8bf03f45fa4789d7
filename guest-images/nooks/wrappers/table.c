/*
 * nooks/wrappers/table.c - which kernel functions an isolated module's
 * imports are bound to (through import thunks, nooks/module.c).  Imports
 * not listed here go to the kernel function itself (still through an XPC),
 * except the direct_ok functions of nooks/module.c.
 */
#include <linux/kernel.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

int nooks_wrap_register_chrdev();
int nooks_wrap_unregister_chrdev();
int nooks_wrap_request_irq();
void nooks_wrap_free_irq();
void nooks_wrap_add_timer();
int nooks_wrap_mod_timer();
int nooks_wrap_del_timer();
void nooks_chrdev_wrappers_init(void);
void nooks_irq_timer_wrappers_init(void);

const struct nooks_wrapper nooks_wrappers[] = {
	{ "kmalloc", (void *)nooks_wrap_kmalloc },
	{ "kzalloc", (void *)nooks_wrap_kzalloc },
	{ "kfree", (void *)nooks_wrap_kfree },
	{ "register_chrdev", (void *)nooks_wrap_register_chrdev },
	{ "unregister_chrdev", (void *)nooks_wrap_unregister_chrdev },
	{ "request_irq", (void *)nooks_wrap_request_irq },
	{ "free_irq", (void *)nooks_wrap_free_irq },
	{ "add_timer", (void *)nooks_wrap_add_timer },
	{ "mod_timer", (void *)nooks_wrap_mod_timer },
	{ "del_timer", (void *)nooks_wrap_del_timer },
	{ NULL, NULL },
};

/* nooks_wrappers_init - see nooks/wrappers.h. */
void nooks_wrappers_init(void)
{
	nooks_chrdev_wrappers_init();
	nooks_irq_timer_wrappers_init();
}
