/*
 * kernel/workload/fsweb.h - the disk and web workloads (fs.c, web.c):
 *
 *   workload=fs [files=N] [seed=S]   untar-and-compile-like work on the
 *                                    VFAT volume of the IDE disk
 *   workload=web [requests=N]        serve kHTTPd until N requests were
 *                                    answered (0: forever)
 *   workload=netstream mode=...      UDP/TCP streams to or from the peer
 *   fsdev=0xMMmm fstype=vfat         the volume (default 0x0300, vfat)
 *
 * Each returns true on PASS and leaves the volume synced and unmounted.
 */
#ifndef _KERNEL_WORKLOAD_FSWEB_H
#define _KERNEL_WORKLOAD_FSWEB_H

#include <linux/types.h>

bool workload_fs(void);
bool workload_web(void);
/* workload=netstream mode=udpsend|tcpsend|tcprecv (netstream.c) */
bool workload_netstream(void);

/* fs_mount_default - mount fstype on fsdev at "/" (prints the result). */
int fs_mount_default(void);
/* fs_umount_default - sync and unmount (prints the result). */
void fs_umount_default(void);

#endif
