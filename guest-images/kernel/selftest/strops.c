/*
 * kernel/selftest/strops.c - the string instructions: rep movs (b, w, l),
 * rep stos, a zero count, DF=1 (backwards), lods, repne scas, repe cmps.
 * Checked: the data, and the final ESI, EDI and ECX.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "flags.h"
#include "selftest.h"

#define N 1024

static u8 src[N + 16], dst[N + 16];

/* fill_src - a recognisable source pattern; a zeroed destination. */
static void fill_src(void)
{
	int i;

	for (i = 0; i < N + 16; i++)
		src[i] = (u8)(i * 7 + 3);
	memset(dst, 0, sizeof(dst));
}

/* range_eq - dst[d..d+n) == src[s..s+n) and the bytes around dst untouched (0). */
static bool range_eq(int d, int s, int n)
{
	return !memcmp(dst + d, src + s, n) && (d == 0 || dst[d - 1] == 0) &&
	       dst[d + n] == 0;
}

/* test_movs - REP MOVSD (and a zero count), REP MOVSB unaligned, REP MOVSW. */
static void test_movs(void)
{
	u8 *si, *di;
	u32 cx;

	fill_src();
	si = src;
	di = dst;
	cx = 200;
	__asm__ __volatile__("rep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	if (cx || si != src + 800 || di != dst + 800 || !range_eq(0, 0, 800)) {
		st_fail("rep_movsl", "ecx %u esi +%d edi +%d", cx, (int)(si - src), (int)(di - dst));
		return;
	}
	cx = 0;		/* a zero count does nothing */
	__asm__ __volatile__("rep movsl" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	st_expect("rep_movsl", cx == 0 && si == src + 800 && di == dst + 800 && dst[800] == 0,
		  "zero count: esi +%d edi +%d", (int)(si - src), (int)(di - dst));

	fill_src();
	si = src + 1;
	di = dst + 3;
	cx = 1001;	/* odd length, unaligned */
	__asm__ __volatile__("rep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	st_expect("rep_movsb", cx == 0 && si == src + 1002 && di == dst + 1004 &&
		  range_eq(3, 1, 1001), "ecx %u esi +%d edi +%d", cx, (int)(si - src),
		  (int)(di - dst));

	fill_src();
	si = src + 2;
	di = dst + 2;
	cx = 33;
	__asm__ __volatile__("rep movsw" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
	st_expect("rep_movsw", cx == 0 && si == src + 68 && di == dst + 68 && range_eq(2, 2, 66),
		  "ecx %u esi +%d edi +%d", cx, (int)(si - src), (int)(di - dst));
}

/* test_stos - REP STOSD and REP STOSB write exactly ECX units. */
static void test_stos(void)
{
	u32 buf[66] = { 0 }, *di = &buf[1], cx = 64, i;
	u8 *bdi = (u8 *)&buf[1] + 1;
	bool ok = true;

	__asm__ __volatile__("rep stosl" : "+D"(di), "+c"(cx) : "a"(0xa5c3e1f0) : "memory");
	for (i = 1; i <= 64; i++)
		ok &= buf[i] == 0xa5c3e1f0;
	if (!ok || cx || di != &buf[65] || buf[0] || buf[65]) {
		st_fail("rep_stos", "stosl: ecx %u edi +%d", cx, (int)(di - buf));
		return;
	}
	cx = 5;
	__asm__ __volatile__("rep stosb" : "+D"(bdi), "+c"(cx) : "a"(0x11223344) : "memory");
	st_expect("rep_stos", cx == 0 && bdi == (u8 *)&buf[1] + 6 && buf[1] == 0x444444f0 &&
		  buf[2] == 0xa5c34444, "stosb: %08x %08x", buf[1], buf[2]);
}

/* DF=1: the string instructions walk downwards. */
static void test_backwards(void)
{
	u8 *si, *di;
	u32 cx = 100;

	fill_src();
	si = src + 99;
	di = dst + 199;
	__asm__ __volatile__("std\n\trep movsb\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : : "memory", "cc");
	st_expect("std_movsb", cx == 0 && si == src - 1 && di == dst + 99 &&
		  range_eq(100, 0, 100) && !(read_eflags() & X86_EFLAGS_DF),
		  "ecx %u esi %d edi %d", cx, (int)(si - src), (int)(di - dst));
}

/* LODS, REPNE SCAS (find a byte), REPE CMPS (find a difference). */
static void test_scan_compare(void)
{
	static const char text[] = "find the first x in here";
	const char *si = text, *di;
	u32 eax, cx, f;
	u8 a[64], b[64];
	const u8 *p, *q;
	int i;

	__asm__ __volatile__("lodsl" : "=a"(eax), "+S"(si));
	if (eax != 0x646e6966 || si != text + 4) {	/* "find" */
		st_fail("scas_cmps", "lodsl: eax %08x esi +%d", eax, (int)(si - text));
		return;
	}
	di = text;
	cx = sizeof(text);
	__asm__ __volatile__("repne scasb; pushfl; popl %[f]"
			     : "+D"(di), "+c"(cx), [f] "=r"(f) : "a"('x') : "cc");
	/* 'x' is at index 15: 16 bytes scanned, EDI just past it */
	if (di != text + 16 || cx != sizeof(text) - 16 || !(f & ZF)) {
		st_fail("scas_cmps", "repne scasb: edi +%d ecx %u ZF %d", (int)(di - text), cx,
			!!(f & ZF));
		return;
	}
	for (i = 0; i < 64; i++)
		a[i] = b[i] = (u8)i;
	b[37] = 0xff;
	p = a;
	q = b;
	cx = 64;
	__asm__ __volatile__("repe cmpsb; pushfl; popl %[f]"
			     : "+S"(p), "+D"(q), "+c"(cx), [f] "=r"(f) : : "cc");
	/* mismatch at 37: 38 compared; 37 - 0xff borrows */
	st_expect("scas_cmps", p == a + 38 && q == b + 38 && cx == 64 - 38 && !(f & ZF) &&
		  (f & CF), "repe cmpsb: esi +%d ecx %u flags %03x", (int)(p - a), cx, f & ARITH);
}

/* selftest_string - the "string" area. */
void selftest_string(void)
{
	test_movs();
	test_stos();
	test_backwards();
	test_scan_compare();
}
