/*
 * lib/vsprintf.c - printf-style formatting into a buffer.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%.
 * Flags: '-' (left-justify), '0' (zero-pad), '+', ' ', '#' (0x / 0 prefix).
 * Width and precision: a number or '*'.
 * Length: hh, h, l, ll (64-bit: %llu %lld %llx), z, t.
 * %p prints 0x and 8 hex digits.  %s of NULL prints "(null)".
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>

#define F_LEFT 0x01
#define F_ZERO 0x02
#define F_PLUS 0x04
#define F_SPACE 0x08
#define F_ALT 0x10

/* The output: characters past size-1 are counted but not stored. */
struct out {
	char *buf;
	size_t size, pos;
};

/* put - append c if it fits (always counted). */
static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

/* put_repeat - put c n times (nothing if n <= 0). */
static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* digits - write v in base into tmp (reversed); returns the digit count. */
static int digits(char *tmp, u64 v, unsigned int base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	if (v >> 32) {
		while (v) {		/* 64-bit: __udivdi3 / __umoddi3 */
			tmp[n++] = set[v % base];
			v /= base;
		}
	} else {
		u32 w = (u32)v;
		while (w) {
			tmp[n++] = set[w % base];
			w /= base;
		}
	}
	return n;
}

/* put_number - v (with sign neg) in base, honouring flags, width, precision. */
static void put_number(struct out *o, u64 v, bool neg, unsigned int base, bool upper,
		       int flags, int width, int prec)
{
	char tmp[24], prefix[3];
	int n = 0, plen = 0, zeros;

	if (v || prec != 0)
		n = v ? digits(tmp, v, base, upper) : (tmp[0] = '0', 1);
	if (neg)
		prefix[plen++] = '-';
	else if (flags & F_PLUS)
		prefix[plen++] = '+';
	else if (flags & F_SPACE)
		prefix[plen++] = ' ';
	if ((flags & F_ALT) && base == 16 && v) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	} else if ((flags & F_ALT) && base == 8 && (!n || tmp[n - 1] != '0')) {
		prefix[plen++] = '0';
	}

	zeros = prec > n ? prec - n : 0;
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0 && width > plen + n)
		zeros = width - plen - n;
	width -= plen + zeros + n;

	if (!(flags & F_LEFT))
		put_repeat(o, ' ', width);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		put_repeat(o, ' ', width);
}

/* put_string - s (NULL: "(null)"), cut to prec, padded to width. */
static void put_string(struct out *o, const char *s, int flags, int width, int prec)
{
	int len;

	if (!s)
		s = "(null)";
	len = prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s);
	if (!(flags & F_LEFT))
		put_repeat(o, ' ', width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		put_repeat(o, ' ', width - len);
}

/* parse_int - a decimal number at *fmt, or the next int argument for '*'. */
static int parse_int(const char **fmt, va_list *ap)
{
	int v = 0;

	if (**fmt == '*') {
		(*fmt)++;
		return va_arg(*ap, int);
	}
	while (isdigit(**fmt))
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

/* vsnprintf - see linux/kernel.h.  Returns the length the full output has. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;
		unsigned int base = 10;
		bool is_signed = false, upper = false;
		u64 v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;; fmt++) {
			char c = fmt[1];
			if (c == '-') flags |= F_LEFT;
			else if (c == '0') flags |= F_ZERO;
			else if (c == '+') flags |= F_PLUS;
			else if (c == ' ') flags |= F_SPACE;
			else if (c == '#') flags |= F_ALT;
			else break;
		}
		fmt++;
		width = parse_int(&fmt, &ap);
		if (width < 0) {
			flags |= F_LEFT;
			width = -width;
		}
		if (*fmt == '.') {
			fmt++;
			prec = parse_int(&fmt, &ap);
		}
		while (*fmt == 'h' || *fmt == 'l' || *fmt == 'z' || *fmt == 't') {
			if (*fmt == 'l')
				lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'c':
			put_repeat(&o, ' ', (flags & F_LEFT) ? 0 : width - 1);
			put(&o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				put_repeat(&o, ' ', width - 1);
			continue;
		case 's':
			put_string(&o, va_arg(ap, const char *), flags, width, prec);
			continue;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (u32)va_arg(ap, void *), false, 16, false, 0, 0, 8);
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			upper = true;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		default:		/* unknown: print it as it was written */
			put(&o, '%');
			if (!*fmt)
				goto done;
			put(&o, *fmt);
			continue;
		}

		if (lng >= 2)
			v = va_arg(ap, u64);
		else
			v = va_arg(ap, u32);
		if (is_signed) {
			s64 sv = lng >= 2 ? (s64)v : (s64)(s32)v;
			put_number(&o, sv < 0 ? 0 - (u64)sv : (u64)sv, sv < 0, base, upper,
				   flags, width, prec);
		} else {
			put_number(&o, v, false, base, upper, flags, width, prec);
		}
	}
done:
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = 0;
	va_end(ap);
	return (int)o.pos;
}

/* snprintf - see linux/kernel.h. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* simple_strtoul - see linux/kernel.h. */
unsigned long simple_strtoul(const char *s, char **end, unsigned int base)
{
	unsigned long v = 0;

	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			base = 8;
			if (tolower(s[1]) == 'x' && isxdigit(s[2])) {
				base = 16;
				s += 2;
			}
		}
	} else if (base == 16 && s[0] == '0' && tolower(s[1]) == 'x') {
		s += 2;
	}
	for (;; s++) {
		unsigned int d;
		if (isdigit(*s))
			d = *s - '0';
		else if (isxdigit(*s))
			d = tolower(*s) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end)
		*end = (char *)s;
	return v;
}

/* simple_strtol - simple_strtoul with an optional leading minus. */
long simple_strtol(const char *s, char **end, unsigned int base)
{
	if (*s == '-')
		return -(long)simple_strtoul(s + 1, end, base);
	return (long)simple_strtoul(s, end, base);
}
