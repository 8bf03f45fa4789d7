/*
 * kernel/selftest/lib.c - the kernel library: 64-bit division helpers
 * (lib/libgcc.c), printf formatting (lib/vsprintf.c), string functions
 * (lib/string.c), number parsing.  These run long instruction sequences
 * and compare with known answers.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/string.h>
#include "selftest.h"

struct udiv_case {
	u64 n, d, q, r;
};

static const struct udiv_case udiv_cases[] = {
	{ 0xffffffffffffffffull, 3, 0x5555555555555555ull, 0 },
	{ 0x123456789abcdef0ull, 0x12345, 0x100005b00205ull, 0xa497 },
	{ 0xfedcba9876543210ull, 0x123456789ull, 0xe0000000, 0x96543210 },
	{ 0x8000000000000000ull, 0xffffffff, 0x80000000, 0x80000000 },
	{ 0xffffffffffffffffull, 0xfffffffffffffffeull, 1, 1 },
	{ 12345, 0x100000000ull, 0, 12345 },
	{ 0x1ffffffffull, 0x1ffffffffull, 1, 0 },
	{ 0xdeadbeefcafebabeull, 0x10, 0xdeadbeefcafebabull, 0xe },
};

struct sdiv_case {
	s64 n, d, q, r;
};

static const struct sdiv_case sdiv_cases[] = {
	{ -1000000000000ll, 7, -142857142857ll, -1 },
	{ 1000000000000ll, -7, -142857142857ll, 1 },
	{ -9223372036854775807ll, 2, -4611686018427387903ll, -1 },
	{ -5, -3, 1, -2 },
	{ -0x123456789abcll, 0x1234567, -1048576, -563900 },
};

/* test_divdi3 - 64-bit / and % (lib/libgcc.c) against known answers. */
static void test_divdi3(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(udiv_cases); i++) {
		volatile u64 n = udiv_cases[i].n, d = udiv_cases[i].d;
		u64 q = n / d, r = n % d;
		if (q != udiv_cases[i].q || r != udiv_cases[i].r) {
			st_fail("udivdi3", "%llx / %llx: got %llx rem %llx", n, d, q, r);
			return;
		}
	}
	st_pass("udivdi3");
	for (i = 0; i < ARRAY_SIZE(sdiv_cases); i++) {
		volatile s64 n = sdiv_cases[i].n, d = sdiv_cases[i].d;
		s64 q = n / d, r = n % d;
		if (q != sdiv_cases[i].q || r != sdiv_cases[i].r) {
			st_fail("divdi3", "%lld / %lld: got %lld rem %lld", n, d, q, r);
			return;
		}
	}
	st_pass("divdi3");
}

struct fmt_case {
	const char *want;
	int len;
};

/* check_fmt - compare one snprintf result; false and FAIL on mismatch. */
static bool check_fmt(const char *got, int n, const char *want)
{
	if (!strcmp(got, want) && n == (int)strlen(want))
		return true;
	st_fail("snprintf", "got '%s' (%d), want '%s'", got, n, want);
	return false;
}

/* test_snprintf - conversions, flags, width, precision, 64-bit, truncation. */
static void test_snprintf(void)
{
	char b[96];
	int n;

#define F(want, ...) \
	do { n = snprintf(b, sizeof(b), __VA_ARGS__); if (!check_fmt(b, n, want)) return; } while (0)
	F("42 -7 4294967295", "%d %i %u", 42, -7, 4294967295u);
	F("ff FF 0x1f 0755", "%x %X %#x %#o", 255, 255, 31, 0755);
	F("[  abc][abc  ][ab]", "[%5s][%-5s][%.2s]", "abc", "abc", "abc");
	F("00012|   12|12   |+12| 12", "%05d|%5d|%-5d|%+d|% d", 12, 12, 12, 12, 12);
	F("-0042|0000002a|%|c", "%05d|%08x|%%|%c", -42, 42, 'c');
	F("18446744073709551615 -9223372036854775808", "%llu %lld", 0xffffffffffffffffull,
	  (s64)0x8000000000000000ull);
	F("123456789abcdef0 1000000000000", "%llx %llu", 0x123456789abcdef0ull, 1000000000000ull);
	F("0x00001000 (null) 007", "%p %s %.3d", (void *)0x1000, (const char *)NULL, 7);
	F("  x|2147483647|-2147483648", "%*c|%d|%d", 3, 'x', 0x7fffffff, (int)0x80000000);
#undef F
	n = snprintf(b, 6, "%s", "truncated");
	if (n != 9 || strcmp(b, "trunc")) {
		st_fail("snprintf", "truncation: got '%s' n=%d", b, n);
		return;
	}
	st_pass("snprintf");
}

/* test_string - lib/string.c, including overlapping memmove both ways. */
static void test_string(void)
{
	char buf[32], b2[8];
	static const char s[] = "hello, world";
	bool ok = true;

	strcpy(buf, "0123456789");
	memmove(buf + 2, buf, 8);		/* forwards overlap: copies backwards */
	ok &= !memcmp(buf, "0101234567", 10);
	strcpy(buf, "0123456789");
	memmove(buf, buf + 3, 7);		/* backwards overlap */
	ok &= !memcmp(buf, "3456789789", 10);
	ok &= strlen(s) == 12 && strnlen(s, 5) == 5;
	ok &= strcmp("abc", "abd") < 0 && strcmp("abd", "abc") > 0 && !strcmp(s, s);
	ok &= strcmp("ab", "abc") < 0 && strcmp("\xff", "a") > 0;
	ok &= strncmp("abcdef", "abcxyz", 3) == 0 && strncmp("abcdef", "abcxyz", 4) < 0;
	ok &= memcmp("\x01\x02", "\x01\x03", 2) < 0;
	ok &= strchr(s, 'o') == s + 4 && strrchr(s, 'o') == s + 8 && !strchr(s, 'z') &&
	      strchr(s, 0) == s + 12;
	ok &= strlcpy(b2, s, sizeof(b2)) == 12 && !strcmp(b2, "hello, ");
	ok &= memchr(s, 'w', 12) == s + 7 && !memchr(s, 'w', 7);
	memset(buf, 0x5a, 31);
	buf[31] = 0;
	ok &= buf[0] == 0x5a && buf[30] == 0x5a && strlen(buf) == 31;
	st_expect("string", ok, "a string function returned a wrong result");
}

/* test_strtoul - bases 0 (auto), 8, 10, 16 and a sign. */
static void test_strtoul(void)
{
	char *end;
	bool ok = simple_strtoul("1234x", &end, 0) == 1234 && *end == 'x';

	ok &= simple_strtoul("0x1F", &end, 0) == 31 && !*end;
	ok &= simple_strtoul("017", NULL, 0) == 15;
	ok &= simple_strtoul("ff", NULL, 16) == 255;
	ok &= simple_strtol("-42", NULL, 10) == -42;
	st_expect("strtoul", ok, "a conversion returned a wrong result");
}

/* xorshift32 from seed 1: known first values. */
static void test_prandom(void)
{
	struct rnd_state st;
	u32 a, b, c;

	prandom_seed(&st, 1);
	a = prandom_u32(&st);
	b = prandom_u32(&st);
	c = prandom_u32(&st);
	st_expect("prandom", a == 0x00042021 && b == 0x04080601 && c == 0x9dcca8c5,
		  "got %08x %08x %08x", a, b, c);
}

/* selftest_lib - the "lib" area. */
void selftest_lib(void)
{
	test_divdi3();
	test_snprintf();
	test_string();
	test_strtoul();
	test_prandom();
}
