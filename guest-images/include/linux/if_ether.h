/*
 * linux/if_ether.h - Ethernet frame constants.
 *
 *   0      6      12     14                        14+n   (+4 FCS, added by the NIC)
 *  +------+------+------+--------------------------+
 *  | dest | src  | type |  payload (46..1500)       |
 *  +------+------+------+--------------------------+
 *   type is big-endian: 0x0800 IPv4, 0x0806 ARP.
 */
#ifndef _LINUX_IF_ETHER_H
#define _LINUX_IF_ETHER_H

#include <linux/types.h>

#define ETH_ALEN 6		/* octets in one address */
#define ETH_HLEN 14		/* header */
#define ETH_ZLEN 60		/* shortest frame without FCS */
#define ETH_DATA_LEN 1500	/* largest payload */
#define ETH_FRAME_LEN 1514	/* largest frame without FCS */

#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806

struct ethhdr {
	u8 h_dest[ETH_ALEN];
	u8 h_source[ETH_ALEN];
	u16 h_proto;		/* network byte order */
} __attribute__((packed));

#endif
