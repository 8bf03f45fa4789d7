/*
 * drivers/buggy/buggy.h - what the deliberately buggy drivers have in
 * common: each is a small character device named buggy_<bug> that stores
 * what is written and returns it on read, and commits its bug when told:
 *
 *   ioctl(BUGGY_IOC_TRIGGER)        commit the bug now
 *   module arg trigger=N            commit it during the N-th write (0: never)
 *
 * The bugs reproduce the kinds Nooks caught (SOSP 2003, section 5):
 *   buggy_uaf          writes a buffer after freeing it (the 3c90x bug)
 *   buggy_double_free  releases an object twice (the kHTTPd socket bug)
 *   buggy_null         dereferences a lookup result without a NULL check
 *   buggy_wild         stores through a wild (uninitialised) pointer
 *   buggy_loop         loops forever in a call from the kernel
 */
#ifndef _DRIVERS_BUGGY_H
#define _DRIVERS_BUGGY_H

#include <linux/ioctl.h>

#define BUGGY_PREFIX "buggy_"
#define BUGGY_IOC_TRIGGER _IO('b', 1)
#define BUGGY_IOC_COUNT _IOR('b', 2, unsigned int)	/* writes so far */

#endif
