/*
 * tests/modules/unresolved.c - a module importing a symbol the kernel does
 * not export: the loader must refuse it ("unresolved symbol").
 */
#include <linux/kernel.h>
#include <linux/module.h>

void no_such_kernel_function(int x);

/* unresolved_init - calls the missing function. */
static int unresolved_init(void)
{
	no_such_kernel_function(1);
	return 0;
}

module_init(unresolved_init);
