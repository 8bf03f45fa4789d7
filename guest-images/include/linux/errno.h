/*
 * linux/errno.h - error numbers (the Linux values).  Functions return -Exxx.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ENOSYS 38
#define ESRCH 3
#define EINTR 4
#define ENXIO 6
#define ENOTTY 25
#define EFBIG 27
#define ESPIPE 29
#define ERANGE 34
#define EMSGSIZE 90
#define ENETDOWN 100
#define ENETUNREACH 101
#define ENOBUFS 105
#define ETIMEDOUT 110
#define EHOSTUNREACH 113

#endif
