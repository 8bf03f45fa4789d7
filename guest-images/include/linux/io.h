/*
 * linux/io.h - port and memory-mapped I/O; everything is in asm/io.h.
 */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H
#include <asm/io.h>
#endif
