#include "selftest.h"
void selftest_boot(void) {}
void selftest_cpu(void) {}
void selftest_exc(void) {}
void selftest_mmu(void) {}
void selftest_user(void) {}
void selftest_irq(void) {}
void selftest_heap(void) {}
void selftest_lib(void) {}
void selftest_uart(void) {}
