/*
 * fs/vfat/vfat.h - FAT12/FAT16/FAT32 on-disk layout (Microsoft FAT specification
 * 1.03) used by fs/vfat/vfat.c.  All fields little-endian; the code reads
 * them with get16/get32 at these byte offsets, never through packed
 * structs.  512-byte sectors only.
 *
 * Volume:
 *   +----------+--------+--------+----------------+--------------------+
 *   | reserved | FAT #1 | FAT #2 | root dir       | data: clusters 2.. |
 *   | (boot    |        |        | (FAT16 only,   | cluster c at       |
 *   |  sector) |        |        |  fixed size)   | data_start+(c-2)*spc|
 *   +----------+--------+--------+----------------+--------------------+
 *
 * Boot sector (BPB):
 *   11 u16 bytes per sector   13 u8 sectors per cluster   14 u16 reserved
 *   16 u8  number of FATs     17 u16 root entries          19 u16 total16
 *   21 u8  media              22 u16 FAT size16            32 u32 total32
 *   FAT32: 36 u32 FAT size32  44 u32 root cluster          48 u16 FSInfo
 *   510 0x55 0xAA
 * FSInfo (FAT32): 0 "RRaA", 484 "rrAa", 488 u32 free count, 492 u32 next free.
 *
 * FAT entry: FAT12 12 bits (entry c at byte c + c/2: low 12 bits of the
 * u16 there for even c, high 12 for odd), FAT16 u16, FAT32 u32 (low 28
 * bits).  0 free, 2..max next
 * cluster, >= 0xFF8 / 0xFFF8 / 0x0FFFFFF8 end of chain, 0xFF7 / 0xFFF7 /
 * 0x0FFFFFF7 bad.  FAT12 below 4085 clusters, FAT16 below 65525.
 *
 * Directory entry (32 bytes):
 *   0 name[8] ext[3] (0x00 end of directory, 0xE5 deleted, 0x05 = 0xE5)
 *   11 attr (RO 01 HIDDEN 02 SYSTEM 04 VOLUME 08 DIR 10 ARCHIVE 20; 0F = LFN)
 *   12 NT case bits (08 base lower case, 10 extension lower case)
 *   13 create time tenths 14 u16 create time 16 u16 create date 18 u16 access date
 *   20 u16 first cluster high  22 u16 write time  24 u16 write date
 *   26 u16 first cluster low   28 u32 size
 *
 * Long file name entry (precedes its short entry, last part first):
 *   0 ord (1..20, | 0x40 on the last part)  1 name1[5 UCS-2]  11 attr 0x0F
 *   12 type 0   13 checksum of the short name   14 name2[6 UCS-2]
 *   26 u16 0    28 name3[2 UCS-2]
 *   13 characters per entry; a name ends with 0x0000 then 0xFFFF padding.
 *   checksum: s = 0; for each of the 11 short-name bytes:
 *             s = ((s & 1) << 7) + (s >> 1) + byte  (8-bit)
 */
#ifndef _FS_VFAT_H
#define _FS_VFAT_H

#define FAT_ATTR_RO 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN 0x0f

#define FAT_DE_SIZE 32
#define FAT_DE_PER_SECTOR 16
#define FAT_LFN_CHARS 13
#define FAT_MAX_DIR_SECTORS 4096	/* 65536 entries, the FAT limit */

#define FAT16_EOC 0xfff8u
#define FAT32_EOC 0x0ffffff8u
#define FAT32_MASK 0x0fffffffu

#endif
