#include "selftest.h"
void selftest_boot(void) {}
void selftest_cpu(void) {}
void selftest_irq(void) {}
void selftest_heap(void) {}
void selftest_lib(void) {}
void selftest_uart(void) {}
