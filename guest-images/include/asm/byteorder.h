/*
 * asm/byteorder.h - i386 is little-endian; network order is big-endian.
 * htons/ntohs (16 bit), htonl/ntohl (32 bit); cpu_to_le* / le*_to_cpu are
 * identities here (device descriptors are little-endian).
 */
#ifndef _ASM_BYTEORDER_H
#define _ASM_BYTEORDER_H

#include <linux/types.h>

#define htons(x) ((u16)__builtin_bswap16((u16)(x)))
#define ntohs(x) htons(x)
#define htonl(x) ((u32)__builtin_bswap32((u32)(x)))
#define ntohl(x) htonl(x)

#define cpu_to_le16(x) ((u16)(x))
#define cpu_to_le32(x) ((u32)(x))
#define cpu_to_le64(x) ((u64)(x))
#define le16_to_cpu(x) ((u16)(x))
#define le32_to_cpu(x) ((u32)(x))
#define le64_to_cpu(x) ((u64)(x))

#endif
