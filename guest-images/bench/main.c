#include <asm/setup.h>
int kernel_main(void) { return 0; }
