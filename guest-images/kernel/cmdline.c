/*
 * kernel/cmdline.c - "key=value" options of the kernel command line
 * (linux/cmdline.h).
 */
#include <asm/setup.h>
#include <linux/cmdline.h>
#include <linux/kernel.h>
#include <linux/string.h>

/* word_end - the first space or NUL at or after s. */
static const char *word_end(const char *s)
{
	while (*s && *s != ' ')
		s++;
	return s;
}

/*
 * find_value - the value of the last "key=..." word of line, or NULL; its
 * length goes to *len.
 */
static const char *find_value(const char *line, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *found = NULL, *p = line;

	while (*p) {
		const char *end;
		while (*p == ' ')
			p++;
		end = word_end(p);
		if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			found = p + klen + 1;
			*len = end - found;
		}
		p = end;
	}
	return found;
}

/* cmdline_get - see linux/cmdline.h. */
bool cmdline_get(const char *key, char *buf, size_t size)
{
	size_t len;
	const char *v = find_value(boot_params.cmdline, key, &len);

	if (!v)
		return false;
	if (size) {
		if (len >= size)
			len = size - 1;
		memcpy(buf, v, len);
		buf[len] = 0;
	}
	return true;
}

/* cmdline_get_ulong - see linux/cmdline.h. */
unsigned long cmdline_get_ulong(const char *key, unsigned long def)
{
	char buf[24], *end;
	unsigned long v;

	if (!cmdline_get(key, buf, sizeof(buf)) || !buf[0])
		return def;
	v = simple_strtoul(buf, &end, 0);
	return *end ? def : v;
}

/* cmdline_has - see linux/cmdline.h. */
bool cmdline_has(const char *key)
{
	return cmdline_get(key, NULL, 0);
}

/* list_contains - see linux/cmdline.h. */
bool list_contains(const char *list, const char *word)
{
	size_t wlen = strlen(word);

	while (*list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		if (len == wlen && !strncmp(list, word, len))
			return true;
		if (!comma)
			break;
		list = comma + 1;
	}
	return false;
}
