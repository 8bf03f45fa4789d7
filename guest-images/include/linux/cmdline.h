/*
 * linux/cmdline.h - "key=value" options from the kernel command line
 * (kernel/cmdline.c).
 *
 * The command line is split at spaces; words without '=' are ignored (QEMU
 * puts the kernel's file name first).  Options the kernel knows:
 *
 *   selftest=0|1|all|AREA[,AREA...]  run no / all / some self-test areas
 *   exit=debug                       exit through port 0xf4 even on success
 *   crash=pf|ud|gp|de|panic           provoke an oops (tests the oops path)
 *   readline=1                        read a line from COM1 (tests UART input)
 *   scale=N                           bench image: amount of work (default 100)
 *   nooks=all|none|NAME[,NAME...]     which modules run isolated (linux/module.h)
 *   workload=net|chr|buggy            what to run after loading the modules
 *   ping=N udp=M udpport=P ip=A peer=A   workload=net (kernel/workload/net.c)
 *   count=N trigger=R                 workload=chr / workload=buggy
 *   reload=N                          unload and reload every module N times first
 */
#ifndef _LINUX_CMDLINE_H
#define _LINUX_CMDLINE_H

#include <linux/types.h>

/*
 * cmdline_get - copy the value of key into buf (NUL-terminated, truncated to
 * size).  Returns true if key was present; the last occurrence wins.
 */
bool cmdline_get(const char *key, char *buf, size_t size);

/* cmdline_get_ulong - the numeric value of key, or def if absent or bad. */
unsigned long cmdline_get_ulong(const char *key, unsigned long def);

/* cmdline_has - is key present (with any value)? */
bool cmdline_has(const char *key);

/* list_contains - is word an element of the comma-separated list? */
bool list_contains(const char *list, const char *word);

#endif
