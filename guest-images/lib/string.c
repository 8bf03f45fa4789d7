/*
 * lib/string.c - memory and string functions (linux/string.h).
 *
 * memcpy, memmove and memset use the x86 string instructions (rep movs /
 * rep stos), which also keeps the compiler from "optimising" their loops
 * back into calls to themselves.
 */
#define __LIB_STRING_C
#include <linux/stddef.h>
#include <linux/string.h>

/* memcpy - copy n bytes; the areas must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n >> 2, bytes = n & 3;

	__asm__ __volatile__("rep movsl\n\t"
			     "movl %[bytes], %%ecx\n\t"
			     "rep movsb"
			     : "+D"(d), "+S"(src), "+c"(words)
			     : [bytes] "r"(bytes)
			     : "memory");
	return dst;
}

/* memset - fill n bytes with the low byte of c. */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	u32 v = (u8)c * 0x01010101u;
	size_t words = n >> 2, bytes = n & 3;

	__asm__ __volatile__("rep stosl\n\t"
			     "movl %[bytes], %%ecx\n\t"
			     "rep stosb"
			     : "+D"(d), "+c"(words)
			     : "a"(v), [bytes] "r"(bytes)
			     : "memory");
	return dst;
}

/*
 * memmove - copy n bytes; the areas may overlap.  Copies backwards (with
 * the direction flag set) when dst lies inside the source.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	if ((const u8 *)dst <= (const u8 *)src || (const u8 *)dst >= (const u8 *)src + n)
		return memcpy(dst, src, n);
	{
		void *d = (u8 *)dst + n - 1;
		const void *s = (const u8 *)src + n - 1;
		__asm__ __volatile__("std\n\t"
				     "rep movsb\n\t"
				     "cld"
				     : "+D"(d), "+S"(s), "+c"(n)
				     :
				     : "memory", "cc");
	}
	return dst;
}

/* memcmp - compare n bytes as unsigned chars: <0, 0 or >0. */
int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

/* memchr - the first byte equal to c in s[0..n), or NULL. */
void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

/* strlen - the number of bytes before the NUL. */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* strnlen - strlen, but look at no more than max bytes. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* strcmp - compare as unsigned chars: -1, 0 or 1. */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (u8)*a < (u8)*b ? -1 : (u8)*a > (u8)*b;
}

/* strncmp - strcmp over at most n bytes. */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a < (u8)*b ? -1 : 1;
		if (!*a)
			break;
	}
	return 0;
}

/* strchr - the first c in s (c may be NUL), or NULL. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* strrchr - the last c in s, or NULL. */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* strcpy - copy src with its NUL; dst must be big enough. */
char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* strlcpy - copy at most size-1 bytes and NUL-terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

/* strncpy - copy at most n bytes of src, padding with NULs (no NUL if src is long). */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}
