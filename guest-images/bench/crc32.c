/*
 * bench/crc32.c - table-driven CRC-32 (IEEE 802.3, reflected polynomial
 * 0xEDB88320) over a 64 KiB pseudo-random buffer: byte loads, table
 * lookups, shifts and xors in a tight loop.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "bench.h"

#define BUF_SIZE 65536
#define PASSES_PER_SCALE 11

static u32 crc_table[256];

/* make_table - the 256-entry lookup table: CRC of each byte value. */
static void make_table(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		for (c = i, j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
		crc_table[i] = c;
	}
}

/* crc32 - the standard CRC-32 of buf (crc32("123456789") = 0xcbf43926). */
static u32 crc32(u32 crc, const u8 *buf, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *buf++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* bench_crc32 - 11*scale CRC passes over the buffer, one byte changed per pass. */
u32 bench_crc32(unsigned int scale)
{
	u8 *buf = kmalloc(BUF_SIZE, GFP_KERNEL);
	struct rnd_state rs;
	u32 sum = 0, i, passes = PASSES_PER_SCALE * scale;

	if (!buf)
		panic("bench: out of memory");
	make_table();
	if (crc32(0, (const u8 *)"123456789", 9) != 0xcbf43926)
		panic("bench: crc32 self-check failed");
	prandom_seed(&rs, 0xc4c32);
	for (i = 0; i < BUF_SIZE; i += 4)
		*(u32 *)(buf + i) = prandom_u32(&rs);
	for (i = 0; i < passes; i++) {
		buf[i % BUF_SIZE] ^= (u8)i;	/* every pass sees different data */
		sum = mix(sum, crc32(sum, buf, BUF_SIZE));
	}
	kfree(buf);
	return sum;
}
