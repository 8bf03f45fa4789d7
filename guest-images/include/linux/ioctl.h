/*
 * linux/ioctl.h - ioctl command numbers, the Linux layout:
 *
 *   31 30 29          16 15        8 7          0
 *  +-----+--------------+-----------+------------+
 *  | dir |     size     |   type    |   number   |
 *  +-----+--------------+-----------+------------+
 *   dir: 0 none, 1 write (to the driver), 2 read (from it), 3 both
 */
#ifndef _LINUX_IOCTL_H
#define _LINUX_IOCTL_H

#define _IOC(dir, type, nr, size) \
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IO(type, nr) _IOC(0u, (type), (nr), 0u)
#define _IOW(type, nr, t) _IOC(1u, (type), (nr), sizeof(t))
#define _IOR(type, nr, t) _IOC(2u, (type), (nr), sizeof(t))
#define _IOWR(type, nr, t) _IOC(3u, (type), (nr), sizeof(t))
#define _IOC_NR(cmd) ((cmd) & 0xff)
#define _IOC_TYPE(cmd) (((cmd) >> 8) & 0xff)

#endif
